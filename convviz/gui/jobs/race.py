"""The race: two configurations trained in one thread, a batch of one, then a batch of the other."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.errors import ConvVizError
from convviz.events import (
    EpochReport,
    ErrorInfo,
    LossChunk,
    Progress,
    RaceRates,
    RunOutcome,
    RunStatus,
    Snapshot,
)
from convviz.gui.jobs.base import Coalescer, _error_text, _import_training
from convviz.gui.jobs.training import LOSS_INTERVAL, SNAPSHOT_INTERVAL

log = logging.getLogger(__name__)


class RaceJob(QtCore.QObject):
    """Two configurations trained in one thread, a batch of one, then a batch of the other.

    Numpy batching only: both trainers draw their batches from ``RandomState([seed, epoch])`` over the
    same images, so with the same seed (the rival takes the main run's seed, training images, epochs
    and augmentation) they see the same examples in the same order; with the same batch size, the same
    batches. Each run's images/s is its own: the trainer times only its own step (batch, session.run),
    never the other's. :attr:`rates` adds the shared rate, both runs' images over the race's wall clock.

    Pause holds both after a whole batch; Stop stops both. No Step and no slow motion in a race.

    Signals: as :class:`TrainingJob`'s, each event carrying its run's id (``losses_ready``,
    ``epoch_finished``, ``progress``, ``snapshot_ready``, ``errored``), plus ``rates(RaceRates)``;
    ``finished`` carries the tuple ``(main outcome, rival outcome)``, always, last.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    progress = QtCore.pyqtSignal(object)
    rates = QtCore.pyqtSignal(object)  # RaceRates
    errored = QtCore.pyqtSignal(object)  # ErrorInfo of one run (the other goes on)
    finished = QtCore.pyqtSignal(object)  # (RunOutcome, RunOutcome)

    def __init__(self, configs, data, run_ids, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.configs = tuple(race_configs(*configs))
        self.run_ids = tuple(int(i) for i in run_ids)
        self._data = data
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._lock = threading.Lock()
        self._trainers: list = []
        self._lanes: list = []
        self._snapshot_free = [threading.Event(), threading.Event()]
        for free in self._snapshot_free:
            free.set()
        self._started = clock()
        self.losses = ([], [])  # each run's every loss, in order (the training thread writes, read after the end)

    # -- control, from the GUI thread -------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for trainer in self._trainers:
                trainer.stop()
        self._wake.set()

    def pause(self) -> None:
        self._paused.set()
        self._wake.set()

    def resume(self) -> None:
        self._paused.clear()
        self._wake.set()

    def step(self) -> bool:
        return False  # a race has no Step

    def set_speed(self, batches_per_second: float | None) -> None:
        """A race runs at full speed: its point is the comparison of the speeds."""

    def snapshot_taken(self, run_id: int, cost: float = 0.0) -> None:
        self._snapshot_free[self.run_ids.index(run_id)].set()

    # -- the work, in the job's thread ------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        outcomes = [RunOutcome(i, RunStatus.FAILED) for i in self.run_ids]
        try:
            _, training_lib = _import_training()
            for config in self.configs:
                if self._stop.is_set():
                    break
                trainer = training_lib.Trainer(config, self._data)
                with self._lock:
                    self._trainers.append(trainer)
                    if self._stop.is_set():
                        trainer.stop()
            if len(self._trainers) == 2:
                outcomes = self._race(training_lib.BatchEvent)
            else:
                outcomes = [RunOutcome(i, RunStatus.STOPPED) for i in self.run_ids]
        except Exception as exc:  # building a graph failed: both runs end with the error
            user_error = isinstance(exc, ConvVizError)
            log.log(logging.INFO if user_error else logging.ERROR, "race failed: %s", exc, exc_info=not user_error)
            error = ErrorInfo.from_exception(exc, _error_text(exc), user_error)
            self.errored.emit(error)
            outcomes = [RunOutcome(i, RunStatus.FAILED, error=error) for i in self.run_ids]
        finally:
            with self._lock:
                trainers, self._trainers = self._trainers, []
            for trainer in trainers:
                trainer.close()
            self.finished.emit(tuple(outcomes))

    def _seconds(self) -> float:
        return self._clock() - self._started

    def _race(self, batch_event_type) -> list:
        trainers = self._trainers
        lanes = self._lanes = [_Lane(self, i, trainer) for i, trainer in enumerate(trainers)]
        self._started = self._clock()
        while any(lane.alive for lane in lanes):
            for lane in lanes:
                if not lane.alive:
                    continue
                self._gate(lanes)
                lane.advance(batch_event_type)
        for lane in lanes:
            lane.flush()
        self._emit_rates(lanes)
        return [lane.outcome() for lane in lanes]

    def _gate(self, lanes) -> None:
        """Return when the next batch may be trained: at once, or after a pause (the window gets what it
        has not seen first)."""
        while self._paused.is_set() and not self._stop.is_set():
            for lane in lanes:
                lane.flush()
            self._wake.wait()
            self._wake.clear()

    def _emit_rates(self, lanes) -> None:
        seconds = self._seconds()
        images = sum(lane.trainer.images_trained for lane in lanes)
        self.rates.emit(
            RaceRates(
                self.run_ids,
                tuple(lane.trainer.images_per_second for lane in lanes),
                images / seconds if seconds > 0 else 0.0,
            )
        )


def race_configs(main: TrainConfig, rival: TrainConfig) -> tuple:
    """The two configurations a race trains: numpy batching, and the rival takes the main run's seed,
    training images, epochs and augmentation, so both draw the same permutation of the same images."""
    main = main.replace(batching="numpy")
    rival = rival.replace(
        batching="numpy", seed=main.seed, train_limit=main.train_limit, epochs=main.epochs, augment=main.augment
    )
    return main, rival


class _Lane:
    """One run of a race: its trainer's events, coalesced into the job's signals as TrainingJob does."""

    def __init__(self, job: RaceJob, index: int, trainer):
        self.job, self.index, self.trainer = job, index, trainer
        self.run_id = job.run_ids[index]
        self.config = trainer.config
        self.events = trainer.run()
        self.alive = True
        self.error: ErrorInfo | None = None
        self.buffer: list = []
        self.last = None
        self.total = trainer.batches_per_epoch * self.config.epochs
        self.loss_clock = Coalescer(LOSS_INTERVAL, job._clock)
        self.snapshot_clock = Coalescer(SNAPSHOT_INTERVAL, job._clock)
        self.weights = None  # of the last snapshot
        self.snapshot_step = 0

    def advance(self, batch_event_type) -> None:
        job = self.job
        try:
            event = next(self.events, None)
        except Exception as exc:  # this run failed (a diverged loss, say): the other races on alone
            user_error = isinstance(exc, ConvVizError)
            self.error = ErrorInfo.from_exception(exc, _error_text(exc), user_error)
            job.errored.emit(self.error)
            self.alive = False
            return
        if event is None:
            self.alive = False
            return
        if isinstance(event, batch_event_type):
            self.last = event
            job.losses[self.index].append(event.loss)
            self.buffer.append((event.step, event.examples_seen, event.loss, job._seconds()))
            if self.loss_clock.due():
                self.flush()
                job._emit_rates(job._lanes)
            free = job._snapshot_free[self.index]
            if free.is_set() and self.snapshot_clock.due():
                self.snapshot()
        else:
            self.flush()
            job.epoch_finished.emit(
                EpochReport(
                    self.run_id,
                    event.epoch,
                    event.train_loss,
                    event.test_accuracy,
                    self.trainer.images_trained,
                    event.images_per_second,
                    job._seconds(),
                )
            )

    def flush(self) -> None:
        if not self.buffer:
            return
        steps, seen, losses, seconds = zip(*self.buffer)
        self.job.losses_ready.emit(
            LossChunk(
                self.run_id,
                np.array(steps, np.int64),
                np.array(seen, np.int64),
                np.array(losses, np.float32),
                np.array(seconds, np.float64),
            )
        )
        del self.buffer[:]
        event = self.last
        speed = self.trainer.images_per_second
        left = (self.total - event.step) * self.config.batch_size / speed if speed > 0 else None
        self.job.progress.emit(Progress(self.run_id, event.step, self.total, event.epoch, speed, left))

    def snapshot(self) -> None:
        self.job._snapshot_free[self.index].clear()
        self.snapshot_step = self.last.step
        self.weights = self.trainer.weights()
        self.job.snapshot_ready.emit(
            Snapshot(self.run_id, self.config.arch, self.last.step, self.last.examples_seen, self.weights)
        )

    def outcome(self) -> RunOutcome:
        trainer = self.trainer
        status = (
            RunStatus.FAILED
            if self.error is not None
            else (RunStatus.STOPPED if trainer.stopped else RunStatus.COMPLETED)
        )
        if trainer.images_trained == 0:
            return RunOutcome(self.run_id, status, error=self.error)
        if self.last is not None and self.snapshot_step != self.last.step and self.error is None:
            self.snapshot()  # the final weights, shown at once
        try:
            weights = self.weights if self.error is None and self.weights is not None else trainer.weights()
        except Exception:
            return RunOutcome(self.run_id, status, error=self.error)
        if not all(np.isfinite(w).all() for w in weights.values()):
            return RunOutcome(self.run_id, status, error=self.error)
        meta = trainer.metadata()
        accuracy = trainer.test_accuracy
        epochs_done = len(trainer.history)
        if self.error is None and (epochs_done == 0 or trainer.images_trained > epochs_done * trainer.train_size):
            accuracy = trainer.evaluate()  # stopped mid-epoch: measure the weights kept
        meta["test_accuracy"] = accuracy
        meta["images_trained"] = trainer.images_trained
        return RunOutcome(
            self.run_id,
            status,
            weights=weights,
            test_accuracy=accuracy,
            examples_seen=trainer.images_trained,
            train_seconds=trainer.train_seconds,
            metadata=meta,
            error=self.error,
        )
