"""Recorded runs: a run's history and its filter timeline, in memory and in one file.

What a finished (or live) training run leaves behind, so that runs can be
compared, replayed and kept across restarts:

:class:`RunRecord`
    one run: its architecture and config, the loss of every step
    (:class:`LossCurve`), every epoch (:class:`EpochSummary`), how it ended
    (:class:`Outcome`), its filter timeline (:class:`Timeline`) and, optionally,
    its final weights (float32), which the window loads into the pad.
:class:`SnapshotLog`
    the live, bounded timeline of a run: the first conv layer's kernels, the
    probe digit's feature maps of that layer and its probabilities, every N
    steps, float16, at most about 200 frames, thinned evenly as the run grows.
:func:`save_record` / :func:`load_record`
    one ``.npz`` file (arrays only, read with ``allow_pickle=False``) with the
    metadata as a JSON member, versioned and checked member by member on load;
    :class:`RecordingError` (one line naming the file) for anything off.
:class:`RunStore`
    the runs kept in the user's data folder, bounded in count and bytes.
:func:`filters_gif`
    the kernels' timeline as an animated GIF (Pillow).

numpy, Pillow (lazily, for the GIF) and the pure-Python network specs only: no
TensorFlow and no Qt, so the window's panels, the app state and the CLI can all
use it. Taking snapshots from a live ``Trainer`` is :mod:`convviz.recorder`'s
job. Python 3.7 / numpy 1.18 compatible.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import secrets
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from convviz import __version__
from convviz.config import IMAGE_SIZE, NUM_CLASSES, TrainConfig
from convviz.errors import ConfigError, ConvVizError
from convviz.netspec import Conv, Dense, Flatten, arch_name, get_spec, layer_shapes, parameter_count

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
MAX_FILE_BYTES = 256 * 2**20  # a record file: 20M float32 parameters (80 MB), frames and a long curve fit
MAX_META_BYTES = 4 * 2**20  # the JSON member (1,000 epochs are ~200 kB)
MAX_META_DEPTH = 8  # the JSON nests 3 deep
MAX_NAME = 200  # characters of a run's name
MAX_ERROR_TEXT = 500  # characters of a failed run's one-line error
MAX_NPY_HEADER = 64 * 1024  # numpy writes at most this much header per array

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

    def thinned(self, max_points: int) -> LossCurve:
        """Every k-th point (the last one always), so that at most ``max_points`` remain."""
        n = len(self)
        if n <= max_points:
            return self
        index = np.unique(np.append(np.linspace(0, n - 1, max_points - 1).astype(np.int64), n - 1))
        return LossCurve(
            *(_readonly(c[index].copy()) for c in (self.steps, self.examples_seen, self.losses, self.seconds))
        )


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
        return _summary(self._meta())

    def _meta(self) -> dict:
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


@dataclass(frozen=True)
class TimelineLayers:
    """What a timeline of ``arch`` keeps per frame: layer names and the (clipped) shapes."""

    kernel_layer: str | None
    kernel_shape: tuple | None  # per frame, after clipping to MAX_TILES
    map_layer: str | None
    map_shape: tuple | None  # per frame, after clipping to MAX_MAP_VALUES

    @property
    def frame_bytes(self) -> int:
        values = NUM_CLASSES
        for shape in (self.kernel_shape, self.map_shape):
            values += int(np.prod(shape)) if shape else 0
        return 2 * values + 24  # float16, plus step, examples and seconds


def timeline_layers(arch: str) -> TimelineLayers:
    """The first conv layer's kernels and feature maps; for a network without conv layers, the first
    dense layer's kernel if the raw image feeds it (the filters panel shows its units as 28x28 images)."""
    spec = get_spec(arch)
    rows = layer_shapes(spec)
    for index, layer in enumerate(spec.layers):
        if isinstance(layer, Conv):
            kernel = (layer.size, layer.size, rows[index].shape[-1], layer.filters)  # filters <= MAX_TILES
            h, w, c = rows[index + 1].shape
            channels = max(1, min(c, MAX_MAP_VALUES // (h * w)))
            return TimelineLayers(layer.name, kernel, layer.name, (h, w, channels))
    image = IMAGE_SIZE * IMAGE_SIZE
    for index, layer in enumerate(spec.layers):
        if isinstance(layer, Dense):
            if rows[index].shape == (image,) and isinstance(spec.layers[index - 1], Flatten) and index == 1:
                return TimelineLayers(layer.name, (image, min(layer.units, MAX_TILES)), None, None)
            break
    return TimelineLayers(None, None, None, None)


def _half(values, shape: tuple | None) -> np.ndarray | None:
    """``values`` clipped to ``shape`` (its leading part) as float16; NaN becomes 0, overflow the float16 limit."""
    if values is None or shape is None:
        return None
    a = np.asarray(values)
    if a.ndim == 4 and a.shape[0] == 1 and len(shape) == 3:
        a = a[0]  # a batch of one, as a session returns it
    if a.ndim != len(shape) or any(have < want for have, want in zip(a.shape, shape)):
        raise ValueError(f"expected an array of shape {shape}, got {a.shape}")
    a = a[tuple(slice(0, n) for n in shape)]
    a = np.clip(np.nan_to_num(a.astype(np.float32)), -FLOAT16_MAX, FLOAT16_MAX)
    return _readonly(a.astype(np.float16))


class SnapshotLog:
    """The bounded filter timeline of one run, filled as it trains.

    Ask :meth:`due` for each step; when it says yes, compute the snapshot (the
    weights, one forward pass of the probe) and :meth:`add` it. Frames are
    taken every ``interval`` steps counted from the first frame. When more than
    :attr:`capacity` frames are held, every other one is dropped and the
    interval doubles, so the kept frames stay evenly spaced over the whole run
    and the first and the newest are always kept. :meth:`finish` adds the
    run's last state even off that grid. :meth:`for_run` starts with the
    interval that fills about ``capacity`` frames over a run of known length,
    so a long run computes ~200 snapshots, not thousands.

    Memory: frames are float16. A frame of the cnn or the template is
    3.2 kB of conv1 kernels (5x5x1x64) + 100 kB of conv1 maps of the probe
    (28x28x64) + 20 B of probabilities, so 200 frames take 21 MB; LeNet-5's
    are 5.9 kB (200: 1.2 MB); the dense network's 470 kB of fc1 weight images
    (784x300). ``capacity`` is ``min(capacity, max_bytes // frame_bytes)``
    (even, at least :data:`MIN_SNAPSHOTS`), so a log stays within
    ``max_bytes`` (:data:`SNAPSHOT_BUDGET`, 32 MiB; the dense network keeps
    68 frames) unless 16 frames need more; a frame is at most 1.3 MB (512
    dense units of 784 weights, or the first conv layer's first 131,072
    map values), so no log exceeds 32 MiB.
    """

    def __init__(
        self,
        arch: str,
        probe_image: np.ndarray | None = None,
        probe_index: int | None = None,
        probe_label: int | None = None,
        interval: int = 1,
        capacity: int = MAX_SNAPSHOTS,
        max_bytes: int = SNAPSHOT_BUDGET,
    ):
        self.arch = arch_name(arch)
        self.layers = timeline_layers(self.arch)
        if not 1 <= int(interval):
            raise ValueError(f"the snapshot interval must be at least 1, got {interval}")
        capacity = min(int(capacity), int(max_bytes) // self.layers.frame_bytes, MAX_FRAMES)
        capacity -= capacity % 2  # even: a thinned log keeps its newest frame (see _thin)
        self.capacity = max(capacity, MIN_SNAPSHOTS)
        self.interval = int(interval)
        self.probe_image = None if probe_image is None else _probe(probe_image)
        self.probe_index = None if probe_index is None else int(probe_index)
        self.probe_label = None if probe_label is None else int(probe_label)
        self._frames: list[Frame] = []
        self._finished = False
        self._stacks: dict = {}  # name -> (buffer, frames stacked in it): timeline() grows it in place

    @classmethod
    def for_run(cls, arch: str, total_steps: int, **kwargs) -> SnapshotLog:
        """A log whose first interval spreads about ``capacity`` frames over ``total_steps`` (plus step 0)."""
        log_ = cls(arch, **kwargs)
        log_.interval = max(1, math.ceil(int(total_steps) / max(log_.capacity - 2, 1)))
        return log_

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def frames(self) -> list[Frame]:
        return list(self._frames)

    @property
    def nbytes(self) -> int:
        return sum(
            sum(a.nbytes for a in (f.kernels, f.maps, f.probabilities) if a is not None) + 24 for f in self._frames
        )

    @property
    def finished(self) -> bool:
        return self._finished

    def due(self, step: int) -> bool:
        """Whether a snapshot after ``step`` steps should be added (cheap: ask before computing one)."""
        if self._finished:
            return False
        if not self._frames:
            return True
        first, last = self._frames[0].step, self._frames[-1].step
        return step > last and (step - first) % self.interval == 0

    def add(self, frame: Frame) -> bool:
        """Keep ``frame`` if it is :meth:`due` (True), else ignore it (False). Thins when full."""
        if not self.due(frame.step):
            return False
        self._frames.append(self._checked(frame))
        if len(self._frames) > self.capacity:
            self._thin()
        return True

    def add_weights(
        self,
        step: int,
        examples_seen: int,
        seconds: float,
        weights: Mapping[str, np.ndarray] | None = None,
        maps=None,
        probabilities=None,
    ) -> bool:
        """:meth:`add` a frame made from a weights dict (by variable name) and the probe's maps and probabilities.

        ``maps`` is the map layer's activation (h, w, c) or the ``[(layer, array)]`` list of
        ``Model.feature_maps``/``activations``; the frame keeps the map layer's first channels.
        """
        if not self.due(step):
            return False
        return self.add(self.make_frame(step, examples_seen, seconds, weights, maps, probabilities))

    def make_frame(self, step, examples_seen, seconds, weights=None, maps=None, probabilities=None) -> Frame:
        """A frame in this log's layout (float16, clipped), not yet added."""
        lay = self.layers
        kernel = None
        if lay.kernel_layer is not None and weights is not None:
            kernel = weights.get(f"{lay.kernel_layer}/kernel")
        if isinstance(maps, (list, tuple)):
            maps = dict(maps).get(lay.map_layer)
        return Frame(
            int(step),
            int(examples_seen),
            float(seconds),
            _half(kernel, lay.kernel_shape),
            _half(maps, lay.map_shape),
            _half(probabilities, (NUM_CLASSES,)),
        )

    def finish(self, frame: Frame) -> None:
        """The run's last state: kept even off the grid (it replaces a frame of the same step); no frames after it."""
        if self._finished:
            return
        frame = self._checked(frame)
        if self._frames and self._frames[-1].step >= frame.step:
            if self._frames[-1].step == frame.step:
                self._frames[-1] = frame
        else:
            self._frames.append(frame)
        if len(self._frames) > self.capacity:
            self._thin()
        self._finished = True
        self._stacks = {}  # the growing buffers served the live view; a finished log is stacked once more

    def _checked(self, frame: Frame) -> Frame:
        """``frame`` in this log's layout: float16, of the log's shapes (ValueError if they do not fit)."""
        lay = self.layers
        parts = {}
        for name, shape in (("kernels", lay.kernel_shape), ("maps", lay.map_shape), ("probabilities", (NUM_CLASSES,))):
            value = getattr(frame, name)
            if value is not None and (shape is None or tuple(np.shape(value)) != tuple(shape)):
                raise ValueError(f"a frame's {name} have shape {np.shape(value)}, this log keeps {shape}")
            parts[name] = value if value is None or value.dtype == np.float16 else _half(value, shape)
        return Frame(int(frame.step), int(frame.examples_seen), float(frame.seconds), **parts)

    def _thin(self) -> None:
        """Drop every other frame of the grid and double the interval; the first and the newest stay."""
        while len(self._frames) > self.capacity:
            first, newest = self._frames[0], self._frames[-1]
            self.interval *= 2
            kept = [f for f in self._frames[1:-1] if (f.step - first.step) % self.interval == 0]
            self._frames = [first, *kept, newest]

    def _stacked(self, name: str, frames: list, values: list) -> np.ndarray:
        """``np.stack(values)``, read-only, without copying again the frames an earlier call stacked.

        The window looks at a live log once a second; stacking all of a cnn's 200 frames of maps
        (20 MB) each time cost the GUI thread 10-30 ms. A buffer with room for a full log takes
        each new frame once. Only rows past every length handed out are ever written, so a timeline
        returned before keeps its values; after a thinning (or a replaced newest frame) a new
        buffer is started.
        """
        buffer, stacked = self._stacks.get(name, (None, ()))
        done = len(stacked)
        reusable = (
            buffer is not None
            and done <= len(frames) <= len(buffer)
            and buffer.shape[1:] == np.shape(values[0])
            and all(a is b for a, b in zip(stacked, frames))
        )
        if not reusable:
            first = np.asarray(values[0])
            room = len(frames) if self._finished else min(max(2 * len(frames), 16), self.capacity + 1)
            buffer = np.empty((max(room, len(frames)), *first.shape), first.dtype)
            done = 0
        for i in range(done, len(frames)):
            buffer[i] = values[i]
        self._stacks[name] = (buffer, tuple(frames))
        return _readonly(buffer[: len(frames)])

    def timeline(self) -> Timeline:
        """The frames so far, stacked (read-only; later frames never change what it holds)."""
        frames = self._frames

        def stack(name):
            values = [getattr(f, name) for f in frames]
            if not values or any(v is None for v in values):
                return None
            return self._stacked(name, frames, values)

        return Timeline(
            self.layers.kernel_layer,
            self.layers.map_layer,
            _column([f.step for f in frames], np.int64),
            _column([f.examples_seen for f in frames], np.int64),
            _column([f.seconds for f in frames], np.float64),
            stack("kernels"),
            stack("maps"),
            stack("probabilities"),
            self.probe_image,
            self.probe_index,
            self.probe_label,
        )


def _probe(image) -> np.ndarray:
    a = np.asarray(image, dtype=np.float32)
    if a.size != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError(f"the probe must be a 28x28 image, got shape {a.shape}")
    return _readonly(np.clip(np.nan_to_num(a.reshape(IMAGE_SIZE, IMAGE_SIZE)), 0.0, 1.0))


# -- checking a record (used on save and on load) -------------------------------------------------------------
class _Bad(ValueError):
    """A reason a record is not valid; the caller adds the file's name."""


def _finite(a: np.ndarray, what: str) -> None:
    if a.dtype.kind == "f" and a.size and not np.isfinite(a).all():
        raise _Bad(f"{what} hold NaN or infinite values")


def _increasing(a: np.ndarray, what: str, strict: bool = True) -> None:
    if len(a) > 1:
        d = np.diff(a)
        if (d <= 0).any() if strict else (d < 0).any():
            raise _Bad(f"{what} are not {'increasing' if strict else 'in order'}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_record(record: RunRecord) -> None:
    """Raise _Bad (one line) unless every part of ``record`` fits every other; bounds included."""
    if record.version != FORMAT_VERSION:
        raise _Bad(f"format version {record.version} is not {FORMAT_VERSION}")
    try:
        if arch_name(record.arch) != record.arch:
            raise _Bad(f"architecture {record.arch!r} is not written canonically")
        config = TrainConfig.from_dict(dict(record.config)).validate()
    except (ConfigError, TypeError, ValueError) as exc:
        raise _Bad(str(exc)) from None
    if arch_name(config.arch) != record.arch:
        raise _Bad(f"the config's architecture {config.arch!r} is not the record's {record.arch!r}")
    if not (isinstance(record.train_size, int) and 1 <= record.train_size <= 60000):
        raise _Bad(f"train size {record.train_size!r} is not from 1 to 60000")
    if not (isinstance(record.total_steps, int) and 0 <= record.total_steps <= MAX_EPOCHS * 60000):
        raise _Bad(f"total steps {record.total_steps!r} out of range")
    if not isinstance(record.name, str) or len(record.name) > MAX_NAME or "\n" in record.name:
        raise _Bad(f"the run's name must be one line of at most {MAX_NAME} characters")
    if not (_is_number(record.started_at) and math.isfinite(record.started_at)):
        raise _Bad("the start time is not a finite number")

    curve = record.losses
    n = len(curve.steps)
    if n > MAX_LOSS_POINTS:
        raise _Bad(f"the loss curve has {n} points, more than {MAX_LOSS_POINTS}")
    for name, dtype in (
        ("steps", np.int64),
        ("examples_seen", np.int64),
        ("losses", np.float32),
        ("seconds", np.float64),
    ):
        a = getattr(curve, name)
        if a.dtype != dtype or a.ndim != 1 or len(a) != n:
            raise _Bad(f"the loss curve's {name} must be {n} {np.dtype(dtype).name} values, got {a.dtype} {a.shape}")
        _finite(a, f"the loss curve's {name}")
    if n and curve.steps[0] < 1:
        raise _Bad("the loss curve's steps count from 1")
    _increasing(curve.steps, "the loss curve's steps")
    _increasing(curve.examples_seen, "the loss curve's examples seen", strict=False)

    if len(record.epochs) > MAX_EPOCHS:
        raise _Bad(f"{len(record.epochs)} epochs, more than {MAX_EPOCHS}")
    for e in record.epochs:
        if not isinstance(e, EpochSummary):
            raise _Bad("an epoch is not an EpochSummary")
        values = (e.test_accuracy, e.train_loss, e.seconds, e.images_per_second)
        if not all(_is_number(v) and math.isfinite(v) for v in values):
            raise _Bad(f"epoch {e.epoch} holds NaN or infinite values")
        if not 0 <= e.test_accuracy <= 1:
            raise _Bad(f"epoch {e.epoch}'s test accuracy {e.test_accuracy} is not from 0 to 1")
    if [e.epoch for e in record.epochs] != list(range(len(record.epochs))):
        raise _Bad("the epochs are not numbered 0, 1, 2, ...")

    o = record.outcome
    if not isinstance(o, Outcome) or o.status not in STATUSES:
        raise _Bad(f"the outcome's status must be one of {', '.join(STATUSES)}")
    numbers = (o.train_seconds, o.wall_seconds, o.images_per_second)
    if not all(_is_number(v) and math.isfinite(v) and v >= 0 for v in numbers):
        raise _Bad("the outcome's times and speed must be finite numbers, 0 or more")
    if o.test_accuracy is not None and not (math.isfinite(o.test_accuracy) and 0 <= o.test_accuracy <= 1):
        raise _Bad(f"the outcome's test accuracy {o.test_accuracy} is not from 0 to 1")
    if not (isinstance(o.steps, int) and isinstance(o.examples_seen, int) and o.steps >= 0 and o.examples_seen >= 0):
        raise _Bad("the outcome's steps and examples must be whole numbers, 0 or more")
    if o.memory_bytes is not None and not (isinstance(o.memory_bytes, int) and 0 <= o.memory_bytes < 2**53):
        raise _Bad("the outcome's memory figure must be a whole number of bytes")
    if o.error is not None and (not isinstance(o.error, str) or len(o.error) > MAX_ERROR_TEXT or "\n" in o.error):
        raise _Bad(f"the outcome's error must be one line of at most {MAX_ERROR_TEXT} characters")

    if record.timeline is not None:
        _check_timeline(record.timeline, record.arch)
    if record.final_weights is not None:
        shapes = weight_shapes(record.arch)
        names = set(record.final_weights)
        if names != set(shapes):
            odd = sorted(names ^ set(shapes))
            raise _Bad(f"the final weights do not fit {record.arch}: {', '.join(odd[:4])}")
        for name, shape in shapes.items():
            a = record.final_weights[name]
            if a.dtype != np.float32 or tuple(a.shape) != shape:
                raise _Bad(f"final weight {name} is {a.dtype} {tuple(a.shape)}, {record.arch} needs float32 {shape}")
            _finite(a, f"final weight {name}")


def _check_timeline(t: Timeline, arch: str) -> None:
    lay = timeline_layers(arch)
    if (t.kernel_layer, t.map_layer) != (lay.kernel_layer, lay.map_layer):
        raise _Bad(f"the timeline shows {t.kernel_layer}/{t.map_layer}, {arch}'s is {lay.kernel_layer}/{lay.map_layer}")
    k = len(t.steps)
    if k > MAX_FRAMES:
        raise _Bad(f"the timeline has {k} frames, more than {MAX_FRAMES}")
    for name, dtype in (("steps", np.int64), ("examples_seen", np.int64), ("seconds", np.float64)):
        a = getattr(t, name)
        if a.dtype != dtype or a.ndim != 1 or len(a) != k:
            raise _Bad(f"the timeline's {name} must be {k} {np.dtype(dtype).name} values, got {a.dtype} {a.shape}")
        _finite(a, f"the timeline's {name}")
    if k and t.steps[0] < 0:
        raise _Bad("the timeline's steps must be 0 or more")
    _increasing(t.steps, "the timeline's steps")
    for name, shape in (("kernels", lay.kernel_shape), ("maps", lay.map_shape), ("probabilities", (NUM_CLASSES,))):
        a = getattr(t, name)
        if a is None:
            continue
        if shape is None or a.dtype != np.float16 or tuple(a.shape) != (k, *shape):
            raise _Bad(
                f"the timeline's {name} are {a.dtype} {tuple(a.shape)}, {arch} needs float16 {(k, *(shape or ()))}"
            )
        _finite(a, f"the timeline's {name}")
    if t.probabilities is not None and k and (t.probabilities.min() < 0 or t.probabilities.max() > 1.01):
        raise _Bad("the timeline's probabilities are not from 0 to 1")
    if t.probe_image is not None:
        p = t.probe_image
        if p.dtype != np.float32 or p.shape != (IMAGE_SIZE, IMAGE_SIZE):
            raise _Bad(f"the probe image is {p.dtype} {p.shape}, not float32 (28, 28)")
        _finite(p, "the probe image")
    for name in ("probe_index", "probe_label"):
        value = getattr(t, name)
        if value is not None and not (isinstance(value, int) and 0 <= value < (10 if name == "probe_label" else 10**6)):
            raise _Bad(f"the timeline's {name.replace('_', ' ')} {value!r} is out of range")


# -- the file ---------------------------------------------------------------------------------------------------
# Members: "meta" (uint8, the JSON below), the loss curve's four columns, the timeline's arrays, and one
# member per final weight ("weight.conv1.kernel"). Every member is a .npy array; none is an object array.
_LOSS_MEMBERS = {
    "loss_steps": ("steps", np.int64),
    "loss_examples": ("examples_seen", np.int64),
    "loss_values": ("losses", np.float32),
    "loss_seconds": ("seconds", np.float64),
}
_FRAME_MEMBERS = {
    "frame_steps": ("steps", np.int64),
    "frame_examples": ("examples_seen", np.int64),
    "frame_seconds": ("seconds", np.float64),
}
_FRAME_OPTIONAL = {"frame_kernels": "kernels", "frame_maps": "maps", "frame_probabilities": "probabilities"}
_WEIGHT_PREFIX = "weight."


def _weight_member(name: str) -> str:
    return _WEIGHT_PREFIX + name.replace("/", ".")


def _record_meta(record: RunRecord) -> dict:
    o = record.outcome
    t = record.timeline
    return {
        "format": FORMAT,
        "format_version": record.version,
        "arch": record.arch,
        "name": record.name,
        "config": dict(record.config),
        "train_size": record.train_size,
        "total_steps": record.total_steps,
        "started_at": record.started_at,
        "versions": dict(record.versions),
        "loss_points": len(record.losses),
        "epochs": [
            {
                "epoch": e.epoch,
                "examples_seen": e.examples_seen,
                "test_accuracy": e.test_accuracy,
                "train_loss": e.train_loss,
                "seconds": e.seconds,
                "images_per_second": e.images_per_second,
            }
            for e in record.epochs
        ],
        "outcome": {
            "status": o.status,
            "test_accuracy": o.test_accuracy,
            "steps": o.steps,
            "examples_seen": o.examples_seen,
            "train_seconds": o.train_seconds,
            "wall_seconds": o.wall_seconds,
            "images_per_second": o.images_per_second,
            "memory_bytes": o.memory_bytes,
            "error": o.error,
        },
        "timeline": None
        if t is None
        else {
            "kernel_layer": t.kernel_layer,
            "map_layer": t.map_layer,
            "frames": len(t),
            "kernels": t.kernels is not None,
            "maps": t.maps is not None,
            "probabilities": t.probabilities is not None,
            "probe": t.probe_image is not None,
            "probe_index": t.probe_index,
            "probe_label": t.probe_label,
        },
        "weights": None if record.final_weights is None else sorted(record.final_weights),
        "parameters": record.parameters,
        "best_accuracy": record.best_accuracy,
        "seconds_per_epoch": record.seconds_per_epoch,
    }


def _arrays(record: RunRecord) -> dict[str, np.ndarray]:
    arrays = {member: getattr(record.losses, attr) for member, (attr, _) in _LOSS_MEMBERS.items()}
    t = record.timeline
    if t is not None:
        arrays.update({member: getattr(t, attr) for member, (attr, _) in _FRAME_MEMBERS.items()})
        for member, attr in _FRAME_OPTIONAL.items():
            if getattr(t, attr) is not None:
                arrays[member] = getattr(t, attr)
        if t.probe_image is not None:
            arrays["probe_image"] = t.probe_image
    for name, value in (record.final_weights or {}).items():
        arrays[_weight_member(name)] = value
    return arrays


def save_record(record: RunRecord, path) -> Path:
    """Write ``record`` to ``path`` (one ``.npz``), checked first, atomically (a temporary sibling, then a rename).

    Raises RecordingError (one line naming ``path``): a record that is not valid, a folder that does
    not exist or takes no files, a full disk. An existing file at ``path`` is replaced whole or not at all.
    """
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot save the run to {path}"
    try:
        _check_record(record)
        text = json.dumps(_record_meta(record), allow_nan=False, sort_keys=True)
    except (_Bad, ValueError) as exc:
        raise RecordingError(f"{prefix}: {exc}") from None
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")
    arrays = {"meta": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}
    arrays.update(_arrays(record))
    size = sum(a.nbytes for a in arrays.values())
    if size > MAX_FILE_BYTES:
        raise RecordingError(f"{prefix}: its {size:,} bytes are more than a record may hold ({MAX_FILE_BYTES:,})")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=str(path.parent))
        with os.fdopen(fd, "wb") as f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                for key, value in arrays.items():
                    with archive.open(key + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, np.ascontiguousarray(value), allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, str(path))
        tmp = None
    except (OSError, ValueError, RuntimeError, zipfile.LargeZipFile) as exc:
        raise RecordingError(f"{prefix}: {_reason(exc)}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path


def check_record_target(path) -> Path:
    """Refuse, before a run starts, a record path that cannot be written: a folder, a missing folder, a
    folder that takes no new files. One-line RecordingError naming the path."""
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot record the run to {path}"
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".probe", dir=str(path.parent))
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RecordingError(f"{prefix}: {path.parent} takes no new files ({exc.strerror or exc})") from None
    return path


def _reason(exc: BaseException) -> str:
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__context__
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_depth(text: str) -> int:
    depth = deepest = 0
    for char in _JSON_STRING.sub('""', text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


class _Reader:
    """Reads one record file member by member; every size is checked before data is read."""

    def __init__(self, path: Path):
        self.path = path
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise _Bad(f"cannot be read ({exc.strerror or exc})") from None
        if not path.is_file():
            raise _Bad("is not a file")
        if size > MAX_FILE_BYTES:
            raise _Bad(f"has {size:,} bytes, more than a run record may ({MAX_FILE_BYTES:,})")
        try:
            self.archive = zipfile.ZipFile(str(path))
        except zipfile.BadZipFile:
            raise _Bad("is not a ConvViz run record (not a zip/.npz file, or truncated)") from None
        except OSError as exc:
            raise _Bad(f"cannot be read ({exc.strerror or exc})") from None
        infos = self.archive.infolist()
        if len(infos) > 16 + 2 * 40:  # the fixed members + two per weighted layer (a spec has <= 18 layers)
            raise _Bad(f"has {len(infos)} members, more than a run record")
        self.members = {}
        for info in infos:
            if not info.filename.endswith(".npy") or info.filename.count("/"):
                raise _Bad(f"holds {info.filename[:40]!r}, which is not an array of a run record")
            self.members[info.filename[:-4]] = info
        self.total = 0

    def close(self) -> None:
        self.archive.close()

    def has(self, name: str) -> bool:
        return name in self.members

    def array(self, name: str, dtype, shape: tuple | None = None, ndim: int | None = None, max_values: int = 0):
        """Member ``name``: exactly ``dtype``, and ``shape`` (or ``ndim`` dims of at most ``max_values`` values)."""
        info = self.members.get(name)
        if info is None:
            raise _Bad(f"lacks the array {name}")
        dtype = np.dtype(dtype)
        limit = int(np.prod(shape)) if shape is not None else max_values
        if info.file_size > MAX_NPY_HEADER + limit * dtype.itemsize:
            raise _Bad(f"array {name} declares {info.file_size:,} bytes, more than it may hold")
        self.total += info.file_size
        if self.total > 4 * MAX_FILE_BYTES:
            raise _Bad("its arrays unpack to more than a run record may hold")
        with self.archive.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                stored, fortran, stored_dtype = np.lib.format.read_array_header_1_0(f)
            elif version == (2, 0):
                stored, fortran, stored_dtype = np.lib.format.read_array_header_2_0(f)
            else:
                raise _Bad(f"array {name} has npy format {version}")
            stored = tuple(stored)
            if stored_dtype != dtype:  # object arrays (pickles) included: refused before anything is unpickled
                raise _Bad(f"array {name} holds {stored_dtype}, not {dtype.name}")
            if shape is not None and stored != tuple(shape):
                raise _Bad(f"array {name} has shape {stored}, expected {tuple(shape)}")
            if shape is None and (len(stored) != ndim or int(np.prod(stored)) > max_values):
                raise _Bad(f"array {name} has shape {stored}, not {ndim}-D of at most {max_values:,} values")
            count = int(np.prod(stored))
            data = f.read(count * dtype.itemsize)
        if len(data) != count * dtype.itemsize:
            raise _Bad(f"array {name} is truncated")
        a = np.frombuffer(data, dtype=dtype).reshape(stored, order="F" if fortran else "C")
        return _readonly(np.array(a, order="C"))  # a writable copy of the read-only buffer, then frozen

    def meta(self) -> dict:
        info = self.members.get("meta")
        if info is None:
            raise _Bad("is not a ConvViz run record (no metadata)")
        raw = self.array("meta", np.uint8, ndim=1, max_values=MAX_META_BYTES)
        try:
            text = raw.tobytes().decode("utf-8")
            if _json_depth(text) > MAX_META_DEPTH:
                raise ValueError(f"nested more than {MAX_META_DEPTH} deep")
            meta = json.loads(text, parse_constant=_no_constants)
        except (ValueError, RecursionError) as exc:
            raise _Bad(f"has unreadable metadata ({_reason(exc)})") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise _Bad("is not a ConvViz run record")
        version = meta.get("format_version")
        if version != FORMAT_VERSION:
            newer = isinstance(version, int) and version > FORMAT_VERSION
            hint = "; it was made by a newer ConvViz" if newer else ""
            raise _Bad(f"has format version {version!r}; this ConvViz reads version {FORMAT_VERSION}{hint}")
        return meta


def _get(d: Mapping, key: str, kinds, where: str, optional: bool = False):
    value = d.get(key) if isinstance(d, dict) else None
    if value is None and optional:
        return None
    ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in _tuple(kinds))
    if not ok:
        raise _Bad(f"{where}: {key} is missing or not {_kind_words(kinds)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad(f"{where}: {key} is not a finite number")
    return value


def _tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_words(kinds) -> str:
    names = {
        int: "a whole number",
        float: "a number",
        str: "text",
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kinds))


_NUMBER = (int, float)


def _number(d, key, where, optional=False):
    value = _get(d, key, _NUMBER, where, optional)
    return None if value is None else float(value)


def _outcome(d) -> Outcome:
    where = "the outcome"
    if not isinstance(d, dict):
        raise _Bad("the outcome is missing")
    return Outcome(
        _get(d, "status", str, where),
        _number(d, "test_accuracy", where, optional=True),
        _get(d, "steps", int, where),
        _get(d, "examples_seen", int, where),
        _number(d, "train_seconds", where),
        _number(d, "wall_seconds", where),
        _number(d, "images_per_second", where),
        _get(d, "memory_bytes", int, where, optional=True),
        _get(d, "error", str, where, optional=True),
    )


def _epochs(items) -> tuple:
    if not isinstance(items, list):
        raise _Bad("the epochs are missing")
    if len(items) > MAX_EPOCHS:
        raise _Bad(f"{len(items)} epochs, more than {MAX_EPOCHS}")
    out = []
    for i, d in enumerate(items):
        where = f"epoch {i}"
        out.append(
            EpochSummary(
                _get(d, "epoch", int, where),
                _get(d, "examples_seen", int, where),
                _number(d, "test_accuracy", where),
                _number(d, "train_loss", where),
                _number(d, "seconds", where),
                _number(d, "images_per_second", where),
            )
        )
    return tuple(out)


def _meta_fields(meta: dict) -> dict:
    """The scalar fields of a record from its JSON, type-checked."""
    where = "the metadata"
    config = _get(meta, "config", dict, where)
    versions = meta.get("versions") if isinstance(meta.get("versions"), dict) else {}
    return {
        "arch": _get(meta, "arch", str, where),
        "config": config,
        "train_size": _get(meta, "train_size", int, where),
        "total_steps": _get(meta, "total_steps", int, where),
        "epochs": _epochs(meta.get("epochs")),
        "outcome": _outcome(meta.get("outcome")),
        "started_at": _number(meta, "started_at", where),
        "name": _get(meta, "name", str, where),
        "versions": {str(k): str(v)[:100] for k, v in list(versions.items())[:8]},
    }


def _summary(meta: dict) -> RunSummary:
    fields = _meta_fields(meta)
    o: Outcome = fields["outcome"]
    t = meta.get("timeline")
    frames = t.get("frames") if isinstance(t, dict) else 0
    try:
        parameters = parameter_count(get_spec(fields["arch"]))
    except ConfigError as exc:
        raise _Bad(str(exc)) from None
    accuracies = [e.test_accuracy for e in fields["epochs"]]
    if o.test_accuracy is not None:
        accuracies.append(o.test_accuracy)
    per_epoch = None
    if o.examples_seen > 0 and o.train_seconds > 0:
        per_epoch = o.train_seconds * fields["train_size"] / o.examples_seen
    return RunSummary(
        arch=fields["arch"],
        name=fields["name"],
        config=fields["config"],
        status=o.status,
        started_at=fields["started_at"],
        train_size=fields["train_size"],
        steps=o.steps,
        examples_seen=o.examples_seen,
        epochs=len(fields["epochs"]),
        test_accuracy=o.test_accuracy,
        best_accuracy=max(accuracies) if accuracies else None,
        images_per_second=o.images_per_second,
        seconds_per_epoch=per_epoch,
        wall_seconds=o.wall_seconds,
        memory_bytes=o.memory_bytes,
        parameters=parameters,
        frames=frames if isinstance(frames, int) and not isinstance(frames, bool) else 0,
        has_weights=isinstance(meta.get("weights"), list),
        version=FORMAT_VERSION,
    )


def _open(path) -> tuple[Path, _Reader]:
    path = Path(os.path.expanduser(str(path)))
    if not path.exists():
        raise RecordingError(f"run record {path} does not exist")
    try:
        return path, _Reader(path)
    except _Bad as exc:
        raise RecordingError(f"{path} {exc}") from None


def read_summary(path) -> RunSummary:
    """The runs-table row of the record at ``path``, from its JSON member alone (cheap)."""
    path, reader = _open(path)
    try:
        return _summary(reader.meta())
    except _Bad as exc:
        raise RecordingError(f"{path}: {exc}") from None
    finally:
        reader.close()


def load_record(path) -> RunRecord:
    """The record at ``path``, checked; RecordingError with one line naming the file and the problem.

    Each array's dtype and shape are checked from its header before its data is read (object
    arrays, i.e. pickles, are refused there), every length against the others and against the
    network the record names, and NaN or infinite values anywhere are refused.
    """
    path, reader = _open(path)
    try:
        return _load(reader)
    except _Bad as exc:
        raise RecordingError(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise RecordingError(f"{path}: the file is damaged ({_reason(exc)})") from None
    finally:
        reader.close()


def _load(reader: _Reader) -> RunRecord:
    meta = reader.meta()
    fields = _meta_fields(meta)
    arch = fields["arch"]
    try:
        arch_name(arch)
        lay = timeline_layers(arch)
    except ConfigError as exc:
        raise _Bad(str(exc)) from None
    n = _get(meta, "loss_points", int, "the metadata")
    if not 0 <= n <= MAX_LOSS_POINTS:
        raise _Bad(f"the loss curve has {n} points, not 0 to {MAX_LOSS_POINTS}")
    columns = {attr: reader.array(member, dtype, (n,)) for member, (attr, dtype) in _LOSS_MEMBERS.items()}
    losses = LossCurve(**columns)
    timeline = None
    t = meta.get("timeline")
    if t is not None:
        if not isinstance(t, dict):
            raise _Bad("the timeline's description is not a mapping")
        k = _get(t, "frames", int, "the timeline")
        if not 0 <= k <= MAX_FRAMES:
            raise _Bad(f"the timeline has {k} frames, not 0 to {MAX_FRAMES}")
        parts = {attr: reader.array(member, dtype, (k,)) for member, (attr, dtype) in _FRAME_MEMBERS.items()}
        for member, attr in _FRAME_OPTIONAL.items():
            shape = {"kernels": lay.kernel_shape, "maps": lay.map_shape, "probabilities": (NUM_CLASSES,)}[attr]
            wanted = t.get(attr) is True
            if wanted != reader.has(member):
                raise _Bad(f"the timeline's {attr} are {'missing' if wanted else 'not described'}")
            if wanted:
                if shape is None:
                    raise _Bad(f"{arch} has no {attr} for a timeline")
                parts[attr] = reader.array(member, np.float16, (k, *shape))
        probe = None
        if t.get("probe") is True:
            probe = reader.array("probe_image", np.float32, (IMAGE_SIZE, IMAGE_SIZE))
        timeline = Timeline(
            t.get("kernel_layer"),
            t.get("map_layer"),
            probe_image=probe,
            probe_index=_get(t, "probe_index", int, "the timeline", optional=True),
            probe_label=_get(t, "probe_label", int, "the timeline", optional=True),
            **parts,
        )
    weights = None
    names = meta.get("weights")
    if names is not None:
        shapes = weight_shapes(arch)
        if not isinstance(names, list) or sorted(map(str, names)) != sorted(shapes):
            raise _Bad(f"the final weights listed do not fit {arch}")
        weights = {name: reader.array(_weight_member(name), np.float32, shape) for name, shape in shapes.items()}
    known = {"meta", *_LOSS_MEMBERS, *_FRAME_MEMBERS, *_FRAME_OPTIONAL, "probe_image"}
    known |= {_weight_member(name) for name in (weights or {})}
    extra = sorted(set(reader.members) - known)
    if extra:
        raise _Bad(f"holds an array that is not part of a run record: {extra[0][:40]}")
    record = RunRecord(losses=losses, timeline=timeline, final_weights=weights, version=FORMAT_VERSION, **fields)
    _check_record(record)
    return record


# -- the runs kept across restarts ------------------------------------------------------------------------------
MAX_STORED_RUNS = 50  # RunStore's default count bound
MAX_STORE_BYTES = 2 * 2**30  # ... and size bound (2 GiB: ~90 runs of the cnn with final weights and maps)
_RUN_ID = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}\Z")


def runs_dir() -> Path:
    """Where the window keeps its runs: ``$CONVVIZ_RUNS_DIR`` if set, else the user's data folder:
    ``$XDG_DATA_HOME/convviz/runs`` (else ``~/.local/share``), ``%APPDATA%\\convviz\\runs`` on Windows,
    ``~/Library/Application Support/convviz/runs`` on macOS (as convviz.classset's folder)."""
    configured = os.environ.get("CONVVIZ_RUNS_DIR", "")
    if configured:
        return Path(os.path.expanduser(configured))
    home = Path(os.path.expanduser("~"))
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "convviz" / "runs"


@dataclass(frozen=True)
class StoredRun:
    """A record in a :class:`RunStore`: its id (the file's name without the suffix), file and summary."""

    id: str
    path: Path
    size: int  # bytes on disk
    summary: RunSummary


class RunStore:
    """The runs kept in a folder (default :func:`runs_dir`), one record file each, bounded.

    :meth:`save` writes a new file and then removes the oldest runs (by start
    time) while more than ``max_runs`` are kept or they take more than
    ``max_bytes``, never the one just saved; it returns the removed ones so the
    window can say so. A single record larger than ``max_bytes`` is refused.
    :meth:`list` reads only each file's JSON member; files that do not read are
    left alone and not listed (:attr:`unreadable` names them).
    """

    def __init__(self, folder=None, max_runs: int = MAX_STORED_RUNS, max_bytes: int = MAX_STORE_BYTES):
        self.folder = Path(os.path.expanduser(str(folder))) if folder is not None else runs_dir()
        if max_runs < 1 or max_bytes < 1:
            raise ValueError("a run store keeps at least one run")
        self.max_runs = int(max_runs)
        self.max_bytes = int(max_bytes)
        self.unreadable: list[Path] = []

    def path_of(self, run_id: str) -> Path:
        if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
            raise RecordingError(f"{run_id!r} is not the id of a stored run")
        return self.folder / (run_id + SUFFIX)

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [
            self.folder / name
            for name in os.listdir(str(self.folder))
            if name.endswith(SUFFIX) and _RUN_ID.match(name[: -len(SUFFIX)])
        ]

    def list(self) -> list[StoredRun]:
        """The stored runs, newest first (metadata only)."""
        runs, self.unreadable = [], []
        for path in self._files():
            try:
                summary = read_summary(path)
                size = path.stat().st_size
            except (RecordingError, OSError) as exc:
                log.warning("skipping run record %s: %s", path, exc)
                self.unreadable.append(path)
                continue
            runs.append(StoredRun(path.name[: -len(SUFFIX)], path, size, summary))
        runs.sort(key=lambda r: (r.summary.started_at, r.id), reverse=True)
        return runs

    def total_bytes(self) -> int:
        total = 0
        for path in self._files():
            try:
                total += path.stat().st_size
            except OSError:
                pass
        return total

    def save(self, record: RunRecord) -> tuple[StoredRun, list[StoredRun]]:
        """Keep ``record``; return it as stored and the runs removed to stay within the bounds."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordingError(f"cannot keep runs in {self.folder}: {exc.strerror or exc}") from None
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(record.started_at or time.time()))
        while True:
            run_id = f"{stamp}-{secrets.token_hex(3)}"
            if not self.path_of(run_id).exists():
                break
        path = save_record(record, self.path_of(run_id))
        size = path.stat().st_size
        if size > self.max_bytes:
            path.unlink()
            raise RecordingError(
                f"cannot keep the run in {self.folder}: its {size:,} bytes are more than the store's {self.max_bytes:,}"
            )
        stored = StoredRun(run_id, path, size, read_summary(path))
        return stored, self._evict(keep=run_id)

    def _evict(self, keep: str) -> list[StoredRun]:
        runs = self.list()
        total = sum(r.size for r in runs) + sum(_size(p) for p in self.unreadable)
        removed = []
        for run in reversed(runs):  # oldest first
            if len(runs) - len(removed) <= self.max_runs and total <= self.max_bytes:
                break
            if run.id == keep:
                continue
            try:
                run.path.unlink()
            except OSError as exc:
                log.warning("could not remove the old run %s: %s", run.path, exc)
                continue
            total -= run.size
            removed.append(run)
        return removed

    def load(self, run_id: str) -> RunRecord:
        return load_record(self.path_of(run_id))

    def delete(self, run_id: str) -> None:
        path = self.path_of(run_id)
        try:
            path.unlink()
        except FileNotFoundError:
            raise RecordingError(f"run {run_id} is not stored in {self.folder}") from None
        except OSError as exc:
            raise RecordingError(f"cannot delete {path}: {exc.strerror or exc}") from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# -- the filter timeline as an animated GIF ---------------------------------------------------------------------
# The filters panel's colours (convviz.gui.common.theme.DIVERGING_COLORS: ColorBrewer RdBu reversed), repeated here
# because the core does not import the GUI package.
DIVERGING_COLORS = [(5, 48, 97), (67, 147, 195), (247, 247, 247), (214, 96, 77), (103, 0, 31)]
_LEVELS = 250  # palette entries 0..249: the colour map; then the fixed colours below
_BACKGROUND, _GAP, _INK = 250, 251, 252
MAX_GIF_FRAMES = 400
MAX_GIF_SIDE = 1024  # pixels of a GIF's longer side
CAPTION_PX = 14


def _palette() -> list[int]:
    positions = np.linspace(0.0, 1.0, len(DIVERGING_COLORS))
    x = np.linspace(0.0, 1.0, _LEVELS)
    colors = np.array(DIVERGING_COLORS, dtype=np.float64)
    lut = np.stack([np.interp(x, positions, colors[:, c]) for c in range(3)], axis=1).round().astype(int)
    rows = [*map(tuple, lut), (255, 255, 255), (110, 110, 110), (20, 20, 20)]
    rows += [(0, 0, 0)] * (256 - len(rows))
    return [v for row in rows for v in row]


def kernel_tiles(kernels: np.ndarray) -> np.ndarray:
    """One frame's kernels as tiles (n, h, w): a conv kernel's filters (mean over input channels), or a first
    dense layer's units as 28x28 images (as the filters panel shows them)."""
    k = np.asarray(kernels, dtype=np.float32)
    if k.ndim == 4:
        return k.mean(axis=2).transpose(2, 0, 1)
    if k.ndim == 2 and k.shape[0] == IMAGE_SIZE * IMAGE_SIZE:
        return k.T.reshape(k.shape[1], IMAGE_SIZE, IMAGE_SIZE)
    raise ValueError(f"kernels of shape {k.shape} cannot be shown as tiles")


def _grid(n: int) -> tuple[int, int]:
    cols = max(1, math.ceil(math.sqrt(n)))
    return math.ceil(n / cols), cols


def _mosaic(tiles: np.ndarray, scale: int, gap: int, fill: int) -> np.ndarray:
    """uint8 tiles (n, h, w), each enlarged ``scale`` times, in a near-square grid with ``gap`` pixels of ``fill``."""
    n, h, w = tiles.shape
    rows, cols = _grid(n)
    big = tiles.repeat(scale, axis=1).repeat(scale, axis=2)
    th, tw = h * scale + gap, w * scale + gap
    cells = np.full((rows * cols, th, tw), fill, dtype=np.uint8)
    cells[:n, : h * scale, : w * scale] = big
    out = cells.reshape(rows, cols, th, tw).transpose(0, 2, 1, 3).reshape(rows * th, cols * tw)
    return out[: out.shape[0] - gap, : out.shape[1] - gap]


def _even_indices(count: int, limit: int) -> list[int]:
    if count <= limit:
        return list(range(count))
    return sorted(set(np.linspace(0, count - 1, limit).round().astype(int).tolist()))


def filters_gif(
    source,
    path,
    *,
    train_size: int | None = None,
    fps: float = 10.0,
    scale: int | None = None,
    max_frames: int = 200,
    max_side: int = 512,
    hold_last: float = 2.0,
    shared_levels: bool = False,
) -> Path:
    """Write the timeline of ``source`` (a RunRecord, a Timeline or a live SnapshotLog) as an animated GIF.

    One GIF frame per timeline frame (at most ``max_frames``, thinned evenly; the first and last kept):
    the kernels as a mosaic in the filters panel's blue-white-red colours, zero white, with a range
    symmetric about zero per frame (``shared_levels``: one range for all frames, which shows the weights
    growing), and "step N  epoch E" above it (the epoch from ``train_size``, a record's own by default).
    ``scale`` (pixels per weight) is chosen so the longer side is at most ``max_side`` (<= 1024). The last
    frame is held ``hold_last`` seconds. Written atomically; RecordingError (one line) if it cannot be.
    """
    from PIL import Image, ImageDraw, ImageFont

    if isinstance(source, SnapshotLog):
        timeline = source.timeline()
    elif isinstance(source, RunRecord):
        timeline = source.timeline
        train_size = train_size if train_size is not None else source.train_size
    else:
        timeline = source
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot write the filter timeline to {path}"
    if not isinstance(timeline, Timeline) or timeline.kernels is None or len(timeline) == 0:
        raise RecordingError(f"{prefix}: the run has no filter timeline (no snapshots of a first layer's kernels)")
    if not 1 <= max_frames <= MAX_GIF_FRAMES:
        raise RecordingError(f"{prefix}: the number of frames must be from 1 to {MAX_GIF_FRAMES}, got {max_frames}")
    if not 16 <= max_side <= MAX_GIF_SIDE:
        raise RecordingError(f"{prefix}: the size must be from 16 to {MAX_GIF_SIDE} pixels, got {max_side}")
    if not (0 < fps <= 50):
        raise RecordingError(f"{prefix}: frames per second must be in (0, 50], got {fps}")
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")

    indices = _even_indices(len(timeline), max_frames)
    tiles = [kernel_tiles(timeline.kernels[i]) for i in indices]
    n, h, w = tiles[0].shape
    rows, cols = _grid(n)

    def fitting(gap: int) -> int:
        return max(1, min((max_side - (cols - 1) * gap) // (cols * w), (max_side - (rows - 1) * gap) // (rows * h)))

    scale = min(fitting(2), int(scale)) if scale is not None else fitting(2)
    gap = 1 if scale < 4 else max(2, scale // 4)  # a visible line between tiles, thin beside them
    scale = max(1, min(scale, fitting(gap)))
    if shared_levels:
        top = max(float(np.abs(t).max()) for t in tiles) or 1.0
    font = ImageFont.load_default()
    palette = _palette()
    images = []
    for i, t in zip(indices, tiles):
        t_top = top if shared_levels else (float(np.abs(t).max()) or 1.0)
        levels = np.clip(np.round((t / t_top + 1) / 2 * (_LEVELS - 1)), 0, _LEVELS - 1).astype(np.uint8)
        grid = _mosaic(levels, scale, gap, _GAP)
        pixels = np.full((grid.shape[0] + CAPTION_PX, max(grid.shape[1], 120)), _BACKGROUND, dtype=np.uint8)
        pixels[CAPTION_PX:, : grid.shape[1]] = grid
        image = Image.fromarray(pixels, mode="P")
        image.putpalette(palette)
        step, seen = int(timeline.steps[i]), int(timeline.examples_seen[i])
        caption = f"step {step:,}"
        if train_size:
            caption += f"  epoch {seen / train_size:.2f}"
        ImageDraw.Draw(image).text((2, 1), caption, fill=_INK, font=font)
        images.append(image)
    frame_ms = round(1000 / fps)
    durations = [frame_ms] * len(images)
    durations[-1] = max(frame_ms, int(hold_last * 1000))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=str(path.parent))
        with os.fdopen(fd, "wb") as f:
            images[0].save(
                f, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0, optimize=False
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, str(path))
        tmp = None
    except (OSError, ValueError) as exc:
        raise RecordingError(f"{prefix}: {_reason(exc)}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path


def frames_of(record: RunRecord) -> Iterable[Frame]:
    """The timeline's frames of ``record``, oldest first (none without a timeline)."""
    t = record.timeline
    return [] if t is None else [t.frame(i) for i in range(len(t))]
