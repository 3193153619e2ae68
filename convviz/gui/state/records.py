"""The values the app state is made of: the lifecycle and its legal moves, models, runs, the chosen digit."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from convviz.config import TrainConfig
from convviz.events import (
    EpochReport,
    ErrorInfo,
    Progress,
    RunOutcome,
    Snapshot,
)
from convviz.recording.parts import LossSeries


class DataState(enum.Enum):
    NOT_LOADED = "not loaded"
    LOADING = "loading"
    DOWNLOADING = "downloading"
    READY = "ready"
    MISSING = "missing"  # not on this computer, and nobody asked to download it yet
    FAILED = "failed"  # reading or downloading failed


class ModelRole(enum.Enum):
    PRETRAINED = "pretrained"  # shipped in assets/models
    UNTRAINED = "untrained"  # random weights: no pretrained model for this architecture
    LOADED = "loaded"  # from a folder the user chose
    TAUGHT = "taught"  # fine-tuned on the class's drawings (the Teach panel); Undo returns to the one before
    TRAINING = "training"  # the weights of the run in progress, as of its last snapshot
    TRAINED = "trained"  # the final weights of a finished run


class RunState(enum.Enum):
    IDLE = "idle"  # no run yet
    BUILDING = "building"  # the graph is being built; no step taken
    RUNNING = "running"
    PAUSED = "paused"
    STEPPING = "stepping"  # paused, but training exactly one batch (Step); PAUSED again after it
    STOPPING = "stopping"  # Stop was pressed; the worker ends within a batch
    FINISHED = "finished"  # completed or stopped (see Run.outcome)
    FAILED = "failed"


_ACTIVE = (RunState.BUILDING, RunState.RUNNING, RunState.PAUSED, RunState.STEPPING, RunState.STOPPING)
_ENDED = (RunState.FINISHED, RunState.FAILED)

# The legal moves of the training lifecycle; anything else is refused.
TRANSITIONS: dict[RunState, frozenset] = {
    RunState.IDLE: frozenset({RunState.BUILDING}),
    # STEPPING from BUILDING: Step with no run starts one that takes a single batch, then pauses.
    RunState.BUILDING: frozenset({RunState.RUNNING, RunState.PAUSED, RunState.STEPPING, RunState.STOPPING, *_ENDED}),
    RunState.RUNNING: frozenset({RunState.PAUSED, RunState.STOPPING, *_ENDED}),
    # FINISHED from PAUSED: the last batch can end the run just as Pause is pressed.
    RunState.PAUSED: frozenset({RunState.RUNNING, RunState.STEPPING, RunState.STOPPING, *_ENDED}),
    # PAUSED: the batch is shown; RUNNING: Resume during the step; FINISHED: no batch was left,
    # the step ran the last evaluation and the run ended.
    RunState.STEPPING: frozenset({RunState.PAUSED, RunState.RUNNING, RunState.STOPPING, *_ENDED}),
    RunState.STOPPING: frozenset(_ENDED),
    RunState.FINISHED: frozenset({RunState.BUILDING}),
    RunState.FAILED: frozenset({RunState.BUILDING}),
}


class IllegalTransition(RuntimeError):
    """A lifecycle move that :data:`TRANSITIONS` does not allow (a bug in the caller)."""


@dataclass(frozen=True)
class ModelRef:
    """A model the pad, the filters and the feature maps can use: weights as numpy, and where they came from."""

    arch: str
    role: ModelRole
    weights: Mapping[str, np.ndarray]
    meta: Mapping = field(default_factory=dict)  # what model.json says (test_accuracy, config, ...)
    run_id: int | None = None  # the run that made it (TRAINING and TRAINED)
    step: int = 0  # TRAINING: the snapshot's step
    examples_seen: int = 0  # TRAINING and TRAINED: images trained on

    @property
    def test_accuracy(self) -> float | None:
        value = self.meta.get("test_accuracy")
        return float(value) if isinstance(value, (int, float)) else None


@dataclass
class Run:
    """One training run since the app started: its config, curve, epochs, timing and result."""

    id: int
    config: TrainConfig
    train_size: int  # images per epoch
    total_steps: int
    started_at: float = field(default_factory=time.time)  # wall clock, for the history
    state: RunState = RunState.BUILDING
    epochs: list[EpochReport] = field(default_factory=list)
    progress: Progress | None = None
    outcome: RunOutcome | None = None
    error: ErrorInfo | None = None
    last_snapshot: Snapshot | None = None
    ended_at: float | None = None
    snapshots: object = None  # convviz.recording.SnapshotLog: the filter timeline (GUI thread only)
    record_id: str | None = None  # the run store's id once the ended run is saved
    memory_bytes: int | None = None  # the exercise's memory figure for one batch of this config
    race: int | None = None  # the other racer's run id
    deleted: bool = False  # its stored file was deleted: it leaves the runs table
    replayed: bool = False  # a recorded run played back (convviz.gui.jobs.replay): shown, not saved again
    _series: LossSeries = field(default_factory=LossSeries, repr=False)  # the run's loss curve, kept once

    @property
    def series(self) -> LossSeries:
        """The run's loss curve, the one copy the window keeps: the loss plot draws views of it, and the
        ended run's record (``outcome.record``) holds it as its curve. Only :class:`AppState` appends."""
        return self._series

    @property
    def active(self) -> bool:
        return self.state in _ACTIVE

    @property
    def steps_done(self) -> int:
        return int(self._series.last("steps"))

    @property
    def examples_seen(self) -> int:
        return int(self._series.last("examples_seen"))

    def losses(self) -> dict[str, np.ndarray]:
        """The loss curve: ``steps``, ``examples_seen``, ``losses``, ``seconds`` (copies)."""
        return {name: self._series.column(name) for name in LossSeries.NAMES}

    @property
    def final_accuracy(self) -> float | None:
        """The test accuracy of the weights the run ended with (None before it ends, or if it never trained)."""
        return self.outcome.test_accuracy if self.outcome is not None else None

    @property
    def best_accuracy(self) -> float | None:
        values = [e.test_accuracy for e in self.epochs]
        if self.final_accuracy is not None:
            values.append(self.final_accuracy)
        return max(values) if values else None

    @property
    def wall_seconds(self) -> float:
        return (self.ended_at or time.time()) - self.started_at

    @property
    def images_per_second(self) -> float | None:
        """The training loop's speed: images over its own seconds (the last progress while it runs)."""
        if self.outcome is not None and self.outcome.train_seconds > 0:
            return self.outcome.examples_seen / self.outcome.train_seconds
        if self.progress is not None:
            return self.progress.images_per_second
        return None

    @property
    def seconds_per_epoch(self) -> float | None:
        speed = self.images_per_second
        return self.train_size / speed if speed else None

    @property
    def final_weights(self):
        """The weights the run ended with (None while it runs, or when it learned nothing)."""
        return self.outcome.weights if self.outcome is not None else None


@dataclass(frozen=True)
class DigitChoice:
    """The digit the views of the network use: test image ``index``, or the pad's drawing.

    The index is kept while the drawing is chosen: unticking "use drawing" goes back to it.
    """

    drawing: bool = False
    index: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.index, bool) or not isinstance(self.index, (int, np.integer)) or self.index < 0:
            raise ValueError(f"a test image's index is a whole number from 0, not {self.index!r}")
        object.__setattr__(self, "index", int(self.index))


