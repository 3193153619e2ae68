"""The race: two configurations trained in one thread, a batch of one, then a batch of the other."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, LossChunk, RaceRates, RunOutcome, RunStatus, error_text
from convviz.gate import Gate
from convviz.gui.jobs.base import _import_training
from convviz.gui.jobs.training import emit
from convviz.run import BATCH_DONE, RunSession

log = logging.getLogger(__name__)


def _imports() -> tuple:
    return _import_training()


class RaceJob(QtCore.QObject):
    """Two configurations trained in one thread, a batch of one, then a batch of the other: two
    :class:`convviz.run.RunSession` s interleaved (:meth:`~convviz.run.RunSession.batches`).

    Numpy batching only: both trainers draw their batches from ``RandomState([seed, epoch])`` over the
    same images, so with the same seed (the rival takes the main run's seed, training images, epochs
    and augmentation) they see the same examples in the same order; with the same batch size, the same
    batches. Each run's images/s is its own: the trainer times only its own step (batch, session.run),
    never the other's. :attr:`rates` adds the shared rate, both runs' images over the race's wall clock.

    Pause holds both after a whole batch (each run's unseen losses are sent first); Stop stops both.
    No Step and no slow motion in a race: its point is the comparison of the speeds.

    Signals: as :class:`TrainingJob`'s, each event carrying its run's id (``losses_ready``,
    ``epoch_finished``, ``progress``, ``snapshot_ready``, ``errored``), plus ``rates(RaceRates)``;
    ``finished`` carries the tuple ``(main outcome, rival outcome)``, always, last.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    frame_ready = QtCore.pyqtSignal(object)  # (a race keeps no timeline)
    progress = QtCore.pyqtSignal(object)
    stepped = QtCore.pyqtSignal(object)  # (a race has no Step)
    rates = QtCore.pyqtSignal(object)  # RaceRates
    errored = QtCore.pyqtSignal(object)  # ErrorInfo of one run (the other goes on)
    finished = QtCore.pyqtSignal(object)  # (RunOutcome, RunOutcome)

    def __init__(self, configs, data, run_ids, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.configs = tuple(race_configs(*configs))
        self.run_ids = tuple(int(i) for i in run_ids)
        self._clock = clock
        self._gate = Gate(clock)  # the race's pause and stop; each session's own gate never holds
        self.sessions = tuple(
            RunSession(config, data, run_id, clock=clock, timeline=False, imports=_imports)
            for config, run_id in zip(self.configs, self.run_ids)
        )
        for session in self.sessions:
            self._gate.on_stop(session.stop)
        self._started = clock()

    @property
    def losses(self) -> tuple:
        """Each run's every loss, in order (read after the end)."""
        return tuple(list(session.losses.column("losses")) for session in self.sessions)

    # -- control, from the GUI thread -------------------------------------------------------------
    def stop(self) -> None:
        self._gate.stop()

    def pause(self) -> None:
        self._gate.pause()

    def resume(self) -> None:
        self._gate.resume()

    def snapshot_taken(self, run_id: int, cost: float = 0.0) -> None:
        self.sessions[self.run_ids.index(run_id)].snapshot_taken(cost)

    # -- the work, in the job's thread ------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        outcomes = [RunOutcome(i, RunStatus.FAILED) for i in self.run_ids]
        try:
            for session in self.sessions:
                if self._gate.stopped.is_set():
                    break
                session.build()
            if all(session.trainer is not None for session in self.sessions):
                outcomes = self._race()
            else:
                outcomes = [RunOutcome(i, RunStatus.STOPPED) for i in self.run_ids]
        except Exception as exc:  # building a graph failed: both runs end with the error
            user_error = isinstance(exc, ConvVizError)
            log.log(logging.INFO if user_error else logging.ERROR, "race failed: %s", exc, exc_info=not user_error)
            error = ErrorInfo.from_exception(exc, error_text(exc), user_error)
            self.errored.emit(error)
            outcomes = [RunOutcome(i, RunStatus.FAILED, error=error) for i in self.run_ids]
        finally:
            for session in self.sessions:
                session.close()
            self.finished.emit(tuple(outcomes))

    def _race(self) -> list:
        self._started = self._clock()
        lanes = [session.batches() for session in self.sessions]
        outcomes: list = [None, None]
        while any(outcome is None for outcome in outcomes):
            for index, lane in enumerate(lanes):
                if outcomes[index] is not None:
                    continue
                self._hold()
                for event in lane:  # up to the end of this run's next batch
                    if event is BATCH_DONE:
                        break
                    if isinstance(event, RunOutcome):
                        outcomes[index] = event
                        break
                    emit(self, event)
                    if isinstance(event, LossChunk):
                        self._emit_rates()
        self._emit_rates()
        return outcomes

    def _hold(self) -> None:
        """Return when the next batch may be trained: at once, or after a pause (the window gets what it
        has not seen of either run first)."""
        while self._gate.paused and not self._gate.stopped.is_set():
            for session in self.sessions:
                for event in session.pending():
                    emit(self, event)
            self._gate.wait(None)

    def _emit_rates(self) -> None:
        seconds = self._clock() - self._started
        trainers = [session.trainer for session in self.sessions if session.trainer is not None]
        images = sum(trainer.images_trained for trainer in trainers)
        self.rates.emit(
            RaceRates(
                self.run_ids,
                tuple(trainer.images_per_second for trainer in trainers),
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


DEFAULT_TARGET = 0.97  # the race summary's chosen accuracy at first: most networks here reach it in an epoch or two
TARGET_RANGE = (0.10, 0.999)  # a target the user may choose (10 % is chance; 100 % no run reaches)


@dataclass(frozen=True)
class Racer:
    """One racer's result so far: its final (or latest) test accuracy and when it first reached the target."""

    run_id: int
    accuracy: float | None  # the accuracy it ended with, else the newest epoch's; None before the first epoch
    finished: bool  # the run has ended (its accuracy is final)
    target_epoch: int | None  # the epoch (from 1) after which it first reached the target; None: not yet
    target_seconds: float | None  # its own training time to that epoch (its images over its own images/s)


@dataclass(frozen=True)
class RaceSummary:
    """Both racers at a chosen accuracy: who got there first, on its own training time.

    The winner is the racer that reached ``target`` in less of its own training time; if only one reached
    it, that one; if neither, the one with the higher accuracy; None for a tie or while there is nothing
    to compare.
    """

    target: float
    racers: tuple  # (main Racer, rival Racer)
    winner: int | None  # 0 (the main run), 1 (the rival) or None

    @property
    def decided(self) -> bool:
        """Both runs have ended: the summary is final."""
        return all(racer.finished for racer in self.racers)


def racer(run, target: float) -> Racer:
    """``run`` (a state Run: ``id``, ``epochs`` of EpochReports, ``final_accuracy``, ``active``) at ``target``."""
    own_seconds, seen, reached = 0.0, 0, None
    for report in run.epochs:
        if report.images_per_second > 0:
            own_seconds += (report.examples_seen - seen) / report.images_per_second
        seen = report.examples_seen
        if reached is None and report.test_accuracy >= target:
            reached = (report.epoch + 1, own_seconds)
    accuracy = run.final_accuracy
    if accuracy is None and run.epochs:
        accuracy = run.epochs[-1].test_accuracy
    epoch, seconds = reached if reached is not None else (None, None)
    return Racer(int(run.id), accuracy, not run.active, epoch, seconds)


def summarize(runs, target: float = DEFAULT_TARGET) -> RaceSummary:
    """The race summary of ``runs`` (main, rival) at the accuracy ``target`` (0-1)."""
    low, high = TARGET_RANGE
    if not low <= target <= high:
        raise ValueError(f"the target accuracy is from {low} to {high}, not {target}")
    a, b = (racer(run, target) for run in runs)
    return RaceSummary(float(target), (a, b), _winner(a, b))


def _winner(a: Racer, b: Racer) -> int | None:
    if a.target_seconds is not None and b.target_seconds is not None:
        if a.target_seconds == b.target_seconds:
            return None
        return 0 if a.target_seconds < b.target_seconds else 1
    if a.target_seconds is not None or b.target_seconds is not None:
        return 0 if a.target_seconds is not None else 1
    if a.accuracy is None or b.accuracy is None or a.accuracy == b.accuracy:
        return None
    return 0 if a.accuracy > b.accuracy else 1
