"""The parts of a run's record: the loss curve, the epochs, the outcome, the timeline's arrays, the record."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from convviz import __version__
from convviz.config import TrainConfig
from convviz.errors import ConvVizError
from convviz.netspec import Conv, Dense, arch_name, get_spec, layer_shapes, parameter_count

log = logging.getLogger(__name__)

FORMAT = "convviz-run"
FORMAT_VERSION = 1
SUFFIX = ".convviz-run.npz"
STATUSES = ("completed", "stopped", "failed")  # convviz.events.RunStatus values

# -- bounds: every size that comes from a file or a caller is capped ----------------------------------------
MAX_SNAPSHOTS = 200  # frames a SnapshotLog keeps by default ("at most about 200 per run")
MIN_SNAPSHOTS = 16  # ... and at least this many, however large a frame is
MAX_FRAMES = 256  # frames a file may hold (a little above MAX_SNAPSHOTS, for logs made with another capacity)
SNAPSHOT_BUDGET = 32 * 2**20  # bytes a SnapshotLog aims to stay under (see SnapshotLog)
MAX_TILES = 512  # kernels kept per frame: all of a conv layer's (<= 512), a dense layer's first 512 units
MAX_MAP_VALUES = 128 * 1024  # numbers of the probe's feature maps per frame: the first channels up to this
MAX_LOSS_POINTS = 2_000_000  # steps in a loss curve (the cnn's 15 epochs are 14,070; 48 MB at this bound)
MAX_EPOCHS = 1000  # config.MAX_EPOCHS
MAX_NAME = 200  # characters of a run's name
MAX_ERROR_TEXT = 500  # characters of a failed run's one-line error
MAX_RATE_CHANGES = 1000  # learning-rate changes a record keeps (a lecture changes it a handful of times)

FLOAT16_MAX = float(np.finfo(np.float16).max)


class RecordingError(ConvVizError, ValueError):
    """A run record that cannot be read, written or stored; ``str()`` is one line naming the file."""


# -- the parts of a record -----------------------------------------------------------------------------------
def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _column(values, dtype) -> np.ndarray:
    """A 1-D read-only copy of ``values`` as ``dtype``."""
    return _readonly(np.array(values, dtype=dtype).reshape(-1))


@dataclass(frozen=True, eq=False)
class LossCurve:
    """The training loss of every step: four columns of equal length, steps counting from 1."""

    steps: np.ndarray  # int64, increasing
    examples_seen: np.ndarray  # int64, images trained on after each step
    losses: np.ndarray  # float32: what TensorFlow computed (exact; the window's float64 column holds the same values)
    seconds: np.ndarray  # float64, wall-clock seconds since the run started

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence]) -> LossCurve:
        """From ``state.Run.losses()``: keys ``steps``, ``examples_seen``, ``losses``, ``seconds``."""
        return cls(
            _column(columns["steps"], np.int64),
            _column(columns["examples_seen"], np.int64),
            _column(columns["losses"], np.float32),
            _column(columns["seconds"], np.float64),
        )

    @classmethod
    def empty(cls) -> LossCurve:
        return cls.from_columns({"steps": [], "examples_seen": [], "losses": [], "seconds": []})

    def __len__(self) -> int:
        return len(self.steps)

    def columns(self) -> dict[str, np.ndarray]:
        return {
            "steps": self.steps,
            "examples_seen": self.examples_seen,
            "losses": self.losses,
            "seconds": self.seconds,
        }

    def view(self, name: str) -> np.ndarray:
        """The column ``name`` (read-only already): what :meth:`LossSeries.view` gives of a growing curve."""
        return self.columns()[name]

    def thinned(self, max_points: int) -> LossCurve:
        """Every k-th point (the last one always), so that at most ``max_points`` remain."""
        n = len(self)
        if n <= max_points:
            return self
        index = np.unique(np.append(np.linspace(0, n - 1, max_points - 1).astype(np.int64), n - 1))
        return LossCurve(
            *(_readonly(c[index].copy()) for c in (self.steps, self.examples_seen, self.losses, self.seconds))
        )


class LossSeries:
    """A loss curve that grows as a run trains: the four columns of :class:`LossCurve` in their dtypes,
    appended to in place (amortised O(1): a full column doubles). One object keeps a run's curve;
    readers take views (:meth:`view`), and :meth:`curve` freezes it without a copy.

    A value once written is never written again (an append fills the slots past the end; growing copies
    into new columns), so every view taken stays true: it shows the curve as it was when taken.
    """

    NAMES = ("steps", "examples_seen", "losses", "seconds")
    DTYPES = (np.int64, np.int64, np.float32, np.float64)  # LossCurve's

    def __init__(self, capacity: int = 1024, losses_dtype=np.float32):
        """``losses_dtype``: float32, what TensorFlow computes and a record keeps; float64 keeps a plot's
        losses exactly as given (:meth:`curve` then converts that column)."""
        capacity = max(1, int(capacity))
        dtypes = (np.int64, np.int64, losses_dtype, np.float64)
        self._columns = [np.zeros(capacity, dtype) for dtype in dtypes]
        self.size = 0

    def __len__(self) -> int:
        return self.size

    @property
    def capacity(self) -> int:
        return len(self._columns[0])

    def append(self, steps, examples_seen, losses, seconds) -> None:
        values = [np.asarray(c).reshape(-1) for c in (steps, examples_seen, losses, seconds)]
        n = len(values[0])
        if any(len(v) != n for v in values):
            raise ValueError(f"a loss chunk's columns differ in length: {[len(v) for v in values]}")
        end = self.size + n
        if end > self.capacity:
            capacity = max(end, 2 * self.capacity)
            grown = [np.zeros(capacity, column.dtype) for column in self._columns]
            for new, old in zip(grown, self._columns):
                new[: self.size] = old[: self.size]
            self._columns = grown
        for column, v in zip(self._columns, values):
            column[self.size : end] = v
        self.size = end

    def last(self, name: str) -> float:
        """The newest value of ``name`` (0 before the first step), without copying the column."""
        return float(self._columns[self.NAMES.index(name)][self.size - 1]) if self.size else 0.0

    def view(self, name: str) -> np.ndarray:
        """The column ``name`` so far, as a read-only view (it stays true: see the class)."""
        return _readonly(self._columns[self.NAMES.index(name)][: self.size])

    def column(self, name: str) -> np.ndarray:
        return self._columns[self.NAMES.index(name)][: self.size].copy()

    def curve(self) -> LossCurve:
        """The curve so far, as a read-only :class:`LossCurve` of views: the series' own memory, no copy
        (but for a float64 losses column, converted)."""
        columns = [self.view(name) for name in self.NAMES]
        columns = [c if c.dtype == d else _readonly(c.astype(d)) for c, d in zip(columns, self.DTYPES)]
        return LossCurve(*columns)


@dataclass(frozen=True)
class EpochSummary:
    """One finished epoch (``events.EpochReport`` without the run id)."""

    epoch: int  # counts from 0
    examples_seen: int
    test_accuracy: float  # 0-1
    train_loss: float  # mean over the epoch's batches
    seconds: float  # wall-clock seconds since the run started
    images_per_second: float  # the training loop's speed in this epoch

    @classmethod
    def from_report(cls, report) -> EpochSummary:
        """From an ``events.EpochReport`` (or anything with its attributes)."""
        return cls(
            int(report.epoch),
            int(report.examples_seen),
            float(report.test_accuracy),
            float(report.train_loss),
            float(report.seconds),
            float(report.images_per_second),
        )


@dataclass(frozen=True)
class Outcome:
    """How a run ended and what it achieved."""

    status: str  # "completed", "stopped" or "failed" (events.RunStatus values)
    test_accuracy: float | None  # of the final weights; None if never measured
    steps: int
    examples_seen: int
    train_seconds: float  # the training loop alone
    wall_seconds: float  # start to end, graph building and evaluations included
    images_per_second: float  # examples_seen / train_seconds
    memory_bytes: int | None = None  # the memory figure: one mini-batch step (convviz.memory), if known
    error: str | None = None  # a failed run's one-line message


@dataclass(frozen=True)
class RateChange:
    """The base learning rate was set to ``learning_rate`` mid-run: ``step`` is the first step trained with it."""

    step: int
    examples_seen: int  # images trained on after that step: the loss curve's point where the marker stands
    seconds: float  # since the run started, when the step was trained
    learning_rate: float

    def to_list(self) -> list:
        return [self.step, self.examples_seen, self.seconds, self.learning_rate]


@dataclass(frozen=True)
class Frame:
    """One snapshot of the timeline: after ``step`` steps (0: the initial weights)."""

    step: int
    examples_seen: int
    seconds: float  # since the run started
    kernels: np.ndarray | None = None  # float16, the timeline layer's kernel (conv (k, k, 1, F); dense (784, U))
    maps: np.ndarray | None = None  # float16 (h, w, c), the probe's maps of the map layer (first channels)
    probabilities: np.ndarray | None = None  # float16 (10,), the probe's class probabilities


@dataclass(frozen=True, eq=False)
class Timeline:
    """The snapshots of a run, stacked: frame ``i`` is ``steps[i]``, ``kernels[i]``, ``maps[i]`` ..."""

    kernel_layer: str | None  # the layer whose kernels are kept ("conv1"; "fc1" for the dense network)
    map_layer: str | None  # the layer whose feature maps of the probe are kept ("conv1"), None without conv
    steps: np.ndarray  # int64 (k,), increasing; 0 is the initial weights
    examples_seen: np.ndarray  # int64 (k,)
    seconds: np.ndarray  # float64 (k,)
    kernels: np.ndarray | None = None  # float16 (k, *kernel_shape)
    maps: np.ndarray | None = None  # float16 (k, h, w, c)
    probabilities: np.ndarray | None = None  # float16 (k, 10)
    probe_image: np.ndarray | None = None  # float32 (28, 28) in [0, 1]: the digit the maps and probabilities are of
    probe_index: int | None = None  # its index in the MNIST test set, if it is one
    probe_label: int | None = None  # its true digit, if known

    def __len__(self) -> int:
        return len(self.steps)

    def frame(self, i: int) -> Frame:
        def pick(a):
            return None if a is None else a[i]

        return Frame(
            int(self.steps[i]),
            int(self.examples_seen[i]),
            float(self.seconds[i]),
            pick(self.kernels),
            pick(self.maps),
            pick(self.probabilities),
        )

    def index_at(self, step: float) -> int:
        """The newest frame taken at or before ``step`` (0 if none): the frame to show for a cursor or replay."""
        return max(int(np.searchsorted(self.steps, step, side="right")) - 1, 0)

    def index_at_seconds(self, seconds: float) -> int:
        """The newest frame taken at or before ``seconds`` into the run (0 if none): for a replay's clock."""
        return max(int(np.searchsorted(self.seconds, seconds, side="right")) - 1, 0)


RUN_FIELDS = ("arch", "config", "train_size", "total_steps", "losses", "epochs", "outcome")


@dataclass(frozen=True, eq=False)
class RunRecord:
    """Everything about one run that is worth keeping (see the module docstring)."""

    arch: str  # a built-in's name or a canonical spec string (netspec.arch_name)
    config: Mapping  # TrainConfig.to_dict()
    train_size: int  # images per epoch
    total_steps: int  # steps the run was planned for
    losses: LossCurve
    epochs: tuple  # of EpochSummary
    outcome: Outcome
    timeline: Timeline | None = None
    final_weights: Mapping[str, np.ndarray] | None = None  # float32 by variable name ("conv1/kernel")
    started_at: float = 0.0  # time.time() when it started
    name: str = ""  # a label the user gave it (empty: none)
    # The rate changes made while it trained, in order (the JSON member's optional "rate_changes":
    # a reader that does not know the key ignores it and replays the run without the marks).
    rate_changes: tuple = ()  # of RateChange
    versions: Mapping = field(default_factory=lambda: {"convviz": __version__})  # what made it (and tensorflow)
    version: int = FORMAT_VERSION

    def train_config(self) -> TrainConfig:
        return TrainConfig.from_dict(dict(self.config))

    @property
    def parameters(self) -> int:
        return parameter_count(get_spec(self.arch))

    @property
    def best_accuracy(self) -> float | None:
        values = [e.test_accuracy for e in self.epochs]
        if self.outcome.test_accuracy is not None:
            values.append(self.outcome.test_accuracy)
        return max(values) if values else None

    @property
    def seconds_per_epoch(self) -> float | None:
        """The training loop's time for one pass over ``train_size`` images (None before any step)."""
        o = self.outcome
        if o.examples_seen <= 0 or o.train_seconds <= 0:
            return None
        return o.train_seconds * self.train_size / o.examples_seen

    def summary(self) -> RunSummary:
        from convviz.recording.fileformat import _summary

        return _summary(self._meta())

    def _meta(self) -> dict:
        from convviz.recording.fileformat import _record_meta

        return _record_meta(self)


@dataclass(frozen=True)
class RunSummary:
    """What the runs table shows of a record, read from its JSON member alone."""

    arch: str
    name: str
    config: Mapping
    status: str
    started_at: float
    train_size: int
    steps: int
    examples_seen: int
    epochs: int  # completed
    test_accuracy: float | None  # of the final weights
    best_accuracy: float | None
    images_per_second: float
    seconds_per_epoch: float | None
    wall_seconds: float
    memory_bytes: int | None
    parameters: int
    frames: int  # timeline frames
    has_weights: bool
    version: int


def record_from_run(
    run, timeline: Timeline | None = None, memory_bytes: int | None = None, name: str = ""
) -> RunRecord:
    """The record of an ended run of the window (``convviz.gui.state.Run``, read by its attributes: this
    module imports no GUI code): its config, loss curve, epochs, outcome and final weights, with
    ``timeline`` (``SnapshotLog.timeline()``) and the memory figure if known. ValueError if it has not ended.
    """
    o = run.outcome
    if o is None:
        raise ValueError("the run has not ended: a record is made of an ended run")
    status = getattr(o.status, "value", o.status)
    error = None
    if o.error is not None:
        error = (str(getattr(o.error, "message", o.error)).strip().splitlines() or [""])[0][:MAX_ERROR_TEXT]
    train_seconds = float(o.train_seconds)
    weights = None
    if o.weights is not None:
        weights = {k: _readonly(np.array(v, dtype=np.float32)) for k, v in o.weights.items()}
    return RunRecord(
        arch=arch_name(run.config.arch),
        config=run.config.to_dict(),
        train_size=int(run.train_size),
        total_steps=int(run.total_steps),
        losses=LossCurve.from_columns(run.losses()),
        epochs=tuple(EpochSummary.from_report(e) for e in run.epochs),
        outcome=Outcome(
            status=status,
            test_accuracy=None if o.test_accuracy is None else float(o.test_accuracy),
            steps=int(run.steps_done),
            examples_seen=int(o.examples_seen),
            train_seconds=train_seconds,
            wall_seconds=float(run.wall_seconds),
            images_per_second=o.examples_seen / train_seconds if train_seconds > 0 else 0.0,
            memory_bytes=memory_bytes,
            error=error,
        ),
        timeline=timeline,
        final_weights=weights,
        started_at=float(run.started_at),
        name=name,
    )


# -- which layer a timeline shows ----------------------------------------------------------------------------
def weight_shapes(arch: str) -> dict[str, tuple[int, ...]]:
    """Variable name -> shape of ``arch``'s weights, from its spec (no TensorFlow): what a Trainer's
    ``weights()`` and ``model.expected_shapes`` give."""
    spec = get_spec(arch)
    rows = layer_shapes(spec)  # rows[i] is the input of spec.layers[i]
    shapes = {}
    for layer, before in zip(spec.layers, rows):
        if isinstance(layer, Conv):
            shapes[f"{layer.name}/kernel"] = (layer.size, layer.size, before.shape[-1], layer.filters)
            shapes[f"{layer.name}/bias"] = (layer.filters,)
        elif isinstance(layer, Dense):
            shapes[f"{layer.name}/kernel"] = (before.shape[0], layer.units)
            shapes[f"{layer.name}/bias"] = (layer.units,)
    return shapes
