"""What crosses a signal between the training thread and the window: typed, frozen, numpy inside.

No Qt and no TensorFlow here: the worker builds these in its thread, the
application state (:mod:`convviz.gui.state`) stores them, and tests make them
by hand. Arrays are copies that nobody writes to afterwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np


class RunStatus(enum.Enum):
    """How a run ended."""

    COMPLETED = "completed"  # every epoch trained
    STOPPED = "stopped"  # the user pressed Stop (or closed the window)
    FAILED = "failed"  # an error ended it


@dataclass(frozen=True)
class LossChunk:
    """The batches since the last chunk: one entry per training step."""

    run_id: int
    steps: np.ndarray  # int64, counting from 1 over the run
    examples_seen: np.ndarray  # int64, images trained on after each step
    losses: np.ndarray  # float32, the training loss of each step's batch
    seconds: np.ndarray  # float64, wall-clock seconds since the run started, at each step


@dataclass(frozen=True)
class EpochReport:
    """One finished epoch and the test accuracy after it."""

    run_id: int
    epoch: int  # counts from 0
    train_loss: float  # mean over the epoch's batches
    test_accuracy: float  # 0-1, over the whole (batched) test set
    examples_seen: int
    images_per_second: float  # the training loop's speed in this epoch
    seconds: float  # wall-clock seconds since the run started


@dataclass(frozen=True)
class Progress:
    """Where the run is: batches done of the total, speed and time left."""

    run_id: int
    done: int
    total: int
    epoch: int  # counts from 0
    images_per_second: float
    seconds_left: float | None


@dataclass(frozen=True)
class Snapshot:
    """The network's weights after ``step`` steps: every panel can be drawn from them."""

    run_id: int
    arch: str
    step: int
    examples_seen: int
    weights: Mapping[str, np.ndarray]  # by variable name, what a Model loads
    # layer -> |dK| / |K| of one training step, measured at the step after the previous snapshot (None: not yet)
    update_ratios: Mapping[str, float] | None = None

    def kernels(self, layers) -> dict[str, np.ndarray]:
        """The kernels of ``layers`` (names such as ``conv1``), in that order."""
        return {layer: self.weights[f"{layer}/kernel"] for layer in layers if f"{layer}/kernel" in self.weights}


@dataclass(frozen=True)
class ErrorInfo:
    """An exception as the window needs it: its type's name and its one-line message."""

    type_name: str
    message: str
    user_error: bool = True  # a ConvVizError (bad input); False: a bug, logged with its traceback
    run_id: int | None = None  # the run it ended, when it came from one

    @classmethod
    def from_exception(
        cls, exc: BaseException, message: str, user_error: bool, run_id: int | None = None
    ) -> ErrorInfo:
        return cls(type(exc).__name__, message, user_error, run_id)


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, with its final weights when it trained at all."""

    run_id: int
    status: RunStatus
    weights: Mapping[str, np.ndarray] | None = None
    test_accuracy: float | None = None  # of exactly these weights (measured again after a Stop)
    examples_seen: int = 0
    train_seconds: float = 0.0  # the training loop alone
    metadata: Mapping = field(default_factory=dict)  # what a saved model records
    error: ErrorInfo | None = None
    record: object = None  # convviz.recording.RunRecord the run grew (None: a replay, or no valid record)


@dataclass(frozen=True)
class Stepped:
    """A Step's batch, its loss, progress and weights have been sent; the run holds again."""

    progress: Progress

    @property
    def run_id(self) -> int:
        return self.progress.run_id


@dataclass(frozen=True)
class FrameReady:
    """A filter-timeline snapshot of a run: a ``convviz.recording.Frame``; ``final``: the last one."""

    run_id: int
    frame: object  # convviz.recording.Frame (float16 kernels, probe maps, probabilities)
    final: bool = False


@dataclass(frozen=True)
class FrameReached:
    """A replay reached frame ``index`` of the record's timeline (``count`` frames are reachable now)."""

    run_id: int
    index: int
    count: int


@dataclass(frozen=True)
class RunSaved:
    """A run's record reached the run store (or failed to: ``error``)."""

    run_id: int
    stored: object = None  # convviz.recording.StoredRun
    evicted: tuple = ()  # StoredRuns the store removed to make room
    error: str | None = None


# ---- the chosen digit, the evaluation and saliency ------------------------------------------


@dataclass(frozen=True)
class ChosenImage:
    """The digit every view of the network uses now: a test image or the drawing."""

    image: np.ndarray  # (28, 28) float32 in [0, 1], white ink on black: what the network sees
    source: str  # "test" or "drawing"
    index: int | None = None  # the test image's index
    label: int | None = None  # its true label

    @property
    def from_drawing(self) -> bool:
        return self.source == "drawing"


@dataclass(frozen=True)
class EvaluationDone:
    """The confusion of the test set under one model's weights, computed in the evaluation job."""

    request: int  # counts the requests; a result of an older one than the newest is stale
    model: object  # the state.ModelRef the weights came from (compare by identity)
    confusion: object  # convviz.explain.Confusion: matrix (10, 10), predictions, probabilities, cell(), mistakes()
    seconds: float  # the job's time for the whole test set, weights copied in included


@dataclass(frozen=True)
class SaliencyRequest:
    """Where does the network look for ``cls`` in ``image``: one of explain.METHODS."""

    request: int
    arch: str
    weights: Mapping[str, np.ndarray]
    image: np.ndarray  # (28, 28) float32
    method: str  # "occlusion", "gradient" or "gradient_x_input"
    cls: int | None = None  # None: the predicted class
    asked_at: float = 0.0  # time.perf_counter() when it was asked for, to measure the latency


@dataclass(frozen=True)
class SaliencyDone:
    """A saliency map for a request (the newest one at the time the job took it)."""

    request: SaliencyRequest
    saliency: object  # convviz.explain.Saliency: map (28, 28) signed, cls, method, probability
    seconds: float  # the job's time for it


@dataclass(frozen=True)
class RaceRates:
    """A race's speeds: each run's images over its own training seconds, and both
    together over the wall clock they shared (one thread steps them in turn)."""

    run_ids: tuple  # (main, rival)
    images_per_second: tuple  # (main, rival): each over its own session.run time
    shared_images_per_second: float  # both runs' images over the race's wall-clock seconds


# Lines of a TensorFlow op error that say where, not what.
_ERROR_NOISE = (
    "Graph execution error",
    "Detected at node",
    "Node:",
    "File ",
    "[[",
    "Original stack",
    "Errors may have",
)
ERROR_MAX_CHARS = 200  # one line in a banner, not a screenful


def error_text(exc: BaseException) -> str:
    """One line for the user: the first line that says what went wrong, shortened."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(_ERROR_NOISE)]
    text = (useful or lines or [type(exc).__name__])[0]
    if len(text) > ERROR_MAX_CHARS:
        text = text[: ERROR_MAX_CHARS - 1].rstrip() + "…"
    return text


@dataclass(frozen=True)
class ShiftResult:
    """What the panel shows for one input: computed by :class:`convviz.gui.jobs.shiftjobs.ShiftJob`."""

    request: int  # the request's number: a newer one replaces an older picture, never the reverse
    source: str  # "drawing" or "test"
    caption: object  # a translated Text: "the drawing", "test image 12, label 7"
    image: np.ndarray  # (28, 28) float32: the network's input
    cls: int  # the class compared with
    cls_is_predicted: bool  # the class is the network's answer (not one the user chose)
    nearest: object  # a convviz.nearest.Neighbours: in all of MNIST's training digits
    nearest_images: np.ndarray  # (k, 28, 28) float32
    class_nearest: object  # a convviz.nearest.Neighbours: among the training digits of ``cls``
    class_images: np.ndarray  # (k, 28, 28) float32
    mean: np.ndarray  # (28, 28) float32: the average training digit of ``cls``
    class_count: int  # training digits of ``cls``
    seconds: float = 0.0


@dataclass(frozen=True)
class RateChanged:
    """The run's base learning rate changed: ``step`` is the first step trained with ``learning_rate``."""

    run_id: int
    step: int
    examples_seen: int  # images trained on after that step (its loss point)
    seconds: float  # since the run started
    learning_rate: float
