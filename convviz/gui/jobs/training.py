"""The training job: a :class:`convviz.run.RunSession` pumped in a QThread, each event on its signal.

The session (superqt's ``GeneratorWorker`` pattern) trains, holds at its gate,
coalesces, takes the snapshots and the timeline's frames and grows the run's
record; the job only iterates it in its thread and emits what it yields.
Stop, pause, resume, step and the speed go to the session's gate: plain
methods backed by ``threading.Event``, for the worker thread has no free event
loop while it trains.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReady,
    LossChunk,
    Progress,
    RateChanged,
    RunOutcome,
    RunStatus,
    Snapshot,
    Stepped,
)
from convviz.gui.jobs.base import SessionControls, _import_training
from convviz.run import (
    RunSession,
)


def _imports() -> tuple:
    return _import_training()  # (model, training), under the jobs' one import lock


class TrainingJob(SessionControls, QtCore.QObject):
    """Trains one configuration in its own thread; reports typed events (:mod:`convviz.events`).

    ``session`` (a :class:`~convviz.run.RunSession`) does the work; see it for what each control
    call does, for the snapshots' back-pressure (:meth:`snapshot_taken`) and the timeline.

    Signals
    -------
    losses_ready(LossChunk), epoch_finished(EpochReport), progress(Progress), snapshot_ready(Snapshot)
    frame_ready(FrameReady)
        a filter-timeline frame.
    stepped(Progress)
        a step's batch and the weights after it have been sent; the job holds again.
    errored(ErrorInfo)
        the run ends with an error; ``finished`` follows.
    finished(RunOutcome)
        always, last; its ``record`` is the run's RunRecord.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    frame_ready = QtCore.pyqtSignal(object)
    progress = QtCore.pyqtSignal(object)
    stepped = QtCore.pyqtSignal(object)
    rate_changed = QtCore.pyqtSignal(object)  # RateChanged: the first batch with a new learning rate
    errored = QtCore.pyqtSignal(object)
    finished = QtCore.pyqtSignal(object)

    def __init__(
        self,
        config: TrainConfig,
        data,
        run_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[threading.Event, float | None], object] | None = None,
        timeline: bool = True,
        probe_index: int = 0,
    ):
        super().__init__()
        self.config = config
        self.session = RunSession(
            config, data, run_id, clock=clock, wait=wait, timeline=timeline, probe_index=probe_index, imports=_imports
        )

    @property
    def run_id(self) -> int:
        return self.session.run_id

    @run_id.setter
    def run_id(self, run_id: int) -> None:
        """Before the job starts: the id the state gave its run."""
        self.session.run_id = int(run_id)

    # -- control, from the GUI thread (stop, pause, resume, step: SessionControls) ---------------------
    def set_speed(self, batches_per_second: float | None) -> None:
        self.session.set_speed(batches_per_second)

    @property
    def speed(self) -> float | None:
        return self.session.speed

    def set_learning_rate(self, rate: float) -> float:
        """From the next batch on (ConfigError, one line, for a rate outside (0, 10])."""
        return self.session.set_learning_rate(rate)

    def snapshot_taken(self, cost: float = 0.0) -> None:
        self.session.snapshot_taken(cost)

    # -- the work, in the job's thread --------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        outcome = RunOutcome(self.run_id, RunStatus.FAILED)
        try:
            for event in self.session:
                if isinstance(event, RunOutcome):
                    outcome = event
                else:
                    emit(self, event)
        finally:
            self.session.close()
            self.finished.emit(outcome)


def emit(job: QtCore.QObject, event) -> None:
    """``event`` on ``job``'s signal for its type (one signal per type, as TrainingJob names them)."""
    if isinstance(event, LossChunk):
        job.losses_ready.emit(event)
    elif isinstance(event, Progress):
        job.progress.emit(event)
    elif isinstance(event, EpochReport):
        job.epoch_finished.emit(event)
    elif isinstance(event, Snapshot):
        job.snapshot_ready.emit(event)
    elif isinstance(event, FrameReady):
        job.frame_ready.emit(event)
    elif isinstance(event, Stepped):
        job.stepped.emit(event.progress)
    elif isinstance(event, ErrorInfo):
        job.errored.emit(event)
    elif isinstance(event, RateChanged):
        job.rate_changed.emit(event)
    else:
        raise TypeError(f"no signal for {type(event).__name__}")
