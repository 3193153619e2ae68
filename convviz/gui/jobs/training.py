"""The training job: one run in a QThread, coalesced where it is produced.

The trainer is a generator that yields per batch; the job coalesces what it
yields (Orange's ``TaskState``): loss chunks at most every ``LOSS_INTERVAL``
seconds, weight, filter and feature-map snapshots at most every
``SNAPSHOT_INTERVAL``. Stop, pause, resume, step and the speed are plain methods
backed by ``threading.Event``: the worker thread has no free event loop while it
trains. In slow motion (at most ``SLOW_MOTION_SPEED`` batches a second) every
batch reaches the panels.
"""

from __future__ import annotations

import logging
import math
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
    FrameReady,
    LossChunk,
    Progress,
    RunOutcome,
    RunStatus,
    Snapshot,
)
from convviz.gui.jobs.base import Coalescer, _error_text, _import_model, _import_training

log = logging.getLogger(__name__)


# Measured (bench/gui_speed.py): on 2 cores every millisecond the GUI thread spends drawing is taken
# from the training step, so the window draws as often as a lecture needs, not as often as it could.
LOSS_INTERVAL = 0.25  # seconds: at most 4 loss chunks a second, however fast the batches are
SNAPSHOT_INTERVAL = 0.5  # seconds: at most 2 filter/feature-map snapshots a second
SNAPSHOT_BUDGET = 0.05  # the window may spend at most this share of the time on snapshots
# The training thread may spend at most this share of its time on filter-timeline frames (the weights
# fetched, the probe's maps computed: ~15-30 ms for the cnn). A log's grid asks for a frame every step
# or two in a short run (200 frames over 300 steps): taken at every due step they cost such a run a
# third of its speed. A due frame waits until it is affordable; the grid's later steps are due too.
TIMELINE_BUDGET = 0.05
TIMELINE_FREE_FRAMES = 16  # ... except the first frames: the filters change most at the start, a tiny run keeps all
SLOW_MOTION_SPEED = 5.0  # batches a second: at this speed or slower every batch reaches the panels


class TrainingJob(QtCore.QObject):
    """Trains one configuration in its own thread; reports typed events (:mod:`convviz.events`).

    The job touches no inference model: a :class:`~convviz.events.Snapshot`
    carries the numpy weights, and the GUI thread feeds them to its own model.
    So every strategy, the Estimator's included, works the same from its first
    step (there is no snapshot before it: the Estimator has no weights yet).

    Snapshots wait for the window: a new one is sent only once the last one was
    taken (:meth:`snapshot_taken`), so a busy GUI thread never builds a queue of
    stale weights, and the training thread spends no time on panels.

    Pause, Step and slow motion happen at one place, the gate between two
    batches: the job does not ask the trainer for its next batch until it may.
    The trainer's generator then waits at its ``yield`` (the Estimator's training
    thread in its hook), so a pause always falls after a whole batch, and before
    it holds, the job sends what the window has not seen yet (the losses, the
    progress, the weights). :meth:`step` lets exactly one more batch through;
    :meth:`set_speed` spaces the batches out. The gate waits on one
    ``threading.Event`` that every control method sets, so stop, pause, resume,
    step and a new speed take effect at once, whatever it waits for.

    Parameters
    ----------
    clock, wait
        For tests: the job's clock (seconds) and how it waits, ``wait(event, timeout)``
        with ``timeout=None`` for "until woken"; ``event`` is set by every control call.

    Signals
    -------
    losses_ready(LossChunk), epoch_finished(EpochReport), progress(Progress), snapshot_ready(Snapshot)
    stepped(Progress)
        a step's batch and the weights after it have been sent; the job holds again.
    errored(ErrorInfo)
        the run ends with an error; ``finished`` follows.
    finished(RunOutcome)
        always, last.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    frame_ready = QtCore.pyqtSignal(object)  # FrameReady: a filter-timeline snapshot
    progress = QtCore.pyqtSignal(object)
    stepped = QtCore.pyqtSignal(object)
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
        # The filter timeline: a SnapshotLog of the job's own says when a frame is due (the state's log,
        # made with the same arguments, keeps the same frames); a probe model of its own computes the maps.
        self._timeline = timeline
        self._probe_index = probe_index
        self._log = None
        self._probe_model = None
        self._frame_cost = 0.0  # seconds the last timeline frame took
        self._frame_done_at = -math.inf  # when it was done (self._clock)
        self.run_id = run_id
        self._data = data
        self._clock = clock
        self._waiter = wait or (lambda event, timeout: event.wait(timeout))
        self._wake = threading.Event()  # set by every control call: the gate looks again
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._step_pending = False  # Step was pressed while paused; guarded by _lock
        self._speed: float | None = None  # batches a second; None: as fast as it trains
        self._snapshot_free = threading.Event()  # set: the window took the last snapshot
        self._snapshot_free.set()
        self._snapshot_interval = SNAPSHOT_INTERVAL
        self._trainer = None
        self._lock = threading.Lock()  # guards the trainer and the control flags against the GUI thread
        self._started = clock()
        # The training thread's own bookkeeping (the gate's); no lock needed.
        self._in_step = False  # a step was let through and has not met its batch yet
        self._step_report: Progress | None = None  # a finished step, reported once its snapshot is out
        self._snapshot_step = 0  # the step of the last snapshot sent
        self._snapshot_weights: dict | None = None  # and its weights

    # -- control, from the GUI thread ---------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._trainer is not None:
                self._trainer.stop()
        self._wake.set()

    def pause(self) -> None:
        """Hold after the batch being trained (or before the first one)."""
        with self._lock:
            self._paused.set()
        self._wake.set()

    def resume(self) -> None:
        with self._lock:
            self._paused.clear()
            self._step_pending = False
        self._wake.set()

    def step(self) -> bool:
        """While paused: train exactly one more batch, send it, and hold again. False when not paused."""
        with self._lock:
            if not self._paused.is_set():
                return False
            self._step_pending = True
        self._wake.set()
        return True

    def set_speed(self, batches_per_second: float | None) -> None:
        """At most this many batches a second from the next one on (None: full speed); any time."""
        if batches_per_second is not None and not batches_per_second > 0:
            raise ValueError(f"a speed is a positive number of batches a second, not {batches_per_second!r}")
        with self._lock:
            self._speed = None if batches_per_second is None else float(batches_per_second)
        self._wake.set()

    @property
    def speed(self) -> float | None:
        return self._speed

    def snapshot_taken(self, cost: float = 0.0) -> None:
        """The window has shown the last snapshot, which took it ``cost`` seconds: the next may come.

        The next waits at least ``cost / SNAPSHOT_BUDGET`` seconds: a network whose panels are
        expensive to draw (the template's 64 feature maps) gets fewer snapshots, not a slower run.
        In slow motion and at a pause every batch's snapshot is sent, as soon as the window is free.
        """
        self._snapshot_interval = max(SNAPSHOT_INTERVAL, float(cost) / SNAPSHOT_BUDGET)
        self._snapshot_free.set()
        self._wake.set()

    # -- the work, in the job's thread --------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        outcome = RunOutcome(self.run_id, RunStatus.FAILED)
        trainer = None
        self._started = self._clock()
        try:
            _, training_lib = _import_training()
            trainer = training_lib.Trainer(self.config, self._data)
            with self._lock:
                self._trainer = trainer
                if self._stop.is_set():
                    trainer.stop()
            if self._timeline:
                self._start_timeline(trainer)
            outcome = self._train(trainer, training_lib.BatchEvent)
        except Exception as exc:  # everything reaches the window; the window stays usable
            user_error = isinstance(exc, ConvVizError)
            if user_error:
                log.info("training stopped: %s", exc)
            else:
                log.exception("training failed")
            error = ErrorInfo.from_exception(exc, _error_text(exc), user_error)
            self.errored.emit(error)
            outcome = self._outcome(trainer, RunStatus.FAILED, error=error)
        finally:
            with self._lock:
                self._trainer = None
            if trainer is not None:
                trainer.close()
            if self._probe_model is not None:
                self._probe_model.close()
                self._probe_model = None
            self.finished.emit(outcome)

    def _seconds(self) -> float:
        return self._clock() - self._started

    def _train(self, trainer, batch_event_type) -> RunOutcome:
        total = trainer.batches_per_epoch * self.config.epochs
        buffer: list = []  # (step, examples_seen, loss, seconds) since the last chunk
        loss_clock = Coalescer(LOSS_INTERVAL, self._clock)
        snapshot_clock = Coalescer(SNAPSHOT_INTERVAL, self._clock)
        events = trainer.run()
        last = None
        released = -math.inf  # when the last batch was let through: the first one goes at once
        while True:
            self._gate(trainer, last, released, total, buffer)
            released = self._clock()
            event = next(events, None)
            if event is None:
                break
            if isinstance(event, batch_event_type):
                last = event
                buffer.append((event.step, event.examples_seen, event.loss, self._seconds()))
                if self._in_step:  # the step's batch: the gate shows it whole, then holds
                    self._in_step = False
                    self._step_report = self._progress_of(trainer, event, total)
                elif self._every_batch_shown() or loss_clock.due():
                    self._flush(buffer)
                    self._progress(trainer, event, total)
                if self._log is not None and self._log.due(event.step) and self._frame_affordable():
                    self._frame(trainer, event.step, event.examples_seen, final=False)
                snapshot_clock.interval = self._snapshot_interval
                if self._snapshot_free.is_set() and snapshot_clock.due():
                    self._snapshot(trainer, event)
            else:
                self._flush(buffer)
                self.epoch_finished.emit(
                    EpochReport(
                        self.run_id,
                        event.epoch,
                        event.train_loss,
                        event.test_accuracy,
                        trainer.images_trained,
                        event.images_per_second,
                        self._seconds(),
                    )
                )
        self._flush(buffer)
        status = RunStatus.STOPPED if trainer.stopped else RunStatus.COMPLETED
        if trainer.images_trained == 0:
            return RunOutcome(self.run_id, status)
        if last is not None and self._snapshot_step != last.step:
            self._snapshot(trainer, last)  # the final weights, shown at once
        if last is not None and self._log is not None:
            self._frame(trainer, last.step, last.examples_seen, final=True, weights=self._snapshot_weights)
        # The last snapshot holds the final weights already: the outcome does not fetch them again.
        return self._outcome(trainer, status, weights=self._snapshot_weights if last is not None else None)

    def _every_batch_shown(self) -> bool:
        """Slow motion: every batch's loss and weights reach the panels."""
        speed = self._speed
        return speed is not None and speed <= SLOW_MOTION_SPEED

    def _gate(self, trainer, last, released: float, total: int, buffer: list) -> None:
        """Return when the next batch may be trained: at once, after a slow-motion delay, or after a
        pause (a step lets one batch through). First, in slow motion, at a pause and after a step,
        the window gets everything up to ``last``: the losses, the progress and, once it has taken
        the previous one, the snapshot."""
        while not self._stop.is_set():
            if self._in_step:
                return  # let the step through to its batch (past an epoch's evaluation, say)
            with self._lock:
                paused, step, speed = self._paused.is_set(), self._step_pending, self._speed
            if last is not None and (paused or self._step_report is not None or self._every_batch_shown()):
                if buffer:
                    self._flush(buffer)
                    self._progress(trainer, last, total)
                if self._snapshot_step != last.step:
                    if not self._snapshot_free.is_set():
                        self._wait(None)  # snapshot_taken, or any control call, wakes it
                        continue
                    self._snapshot(trainer, last)
                if self._step_report is not None:
                    self.stepped.emit(self._step_report)
                    self._step_report = None
            if paused:
                if step:
                    with self._lock:
                        self._step_pending = False
                    self._in_step = True
                    return
                self._wait(None)
                continue
            if speed is None:
                return
            left = released + 1.0 / speed - self._clock()
            if left <= 0:
                return
            self._wait(left)

    def _wait(self, timeout: float | None) -> None:
        """Until ``timeout`` passes or a control call wakes the gate, which then looks at every flag again."""
        self._waiter(self._wake, timeout)
        self._wake.clear()

    def _outcome(self, trainer, status: RunStatus, error: ErrorInfo | None = None, weights=None) -> RunOutcome:
        """The run's final weights (``weights`` when the caller has them) and the accuracy of exactly those."""
        if trainer is None or trainer.images_trained == 0:
            return RunOutcome(self.run_id, status, error=error)
        try:
            weights = trainer.weights() if weights is None else weights
        except Exception:  # a run that failed before its first checkpoint has no weights to keep
            log.debug("no weights after the run", exc_info=True)
            return RunOutcome(self.run_id, status, error=error)
        if not all(np.isfinite(w).all() for w in weights.values()):
            return RunOutcome(self.run_id, status, error=error)  # a diverged run: nothing worth keeping
        meta = trainer.metadata()
        accuracy = trainer.test_accuracy
        epochs_done = len(trainer.history)
        if error is None and (epochs_done == 0 or trainer.images_trained > epochs_done * trainer.train_size):
            # Stopped mid-epoch: the last epoch's accuracy belongs to other weights; measure these.
            accuracy = trainer.evaluate()
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
            error=error,
        )

    def _progress_of(self, trainer, event, total: int) -> Progress:
        left_batches = total - event.step
        speed = trainer.images_per_second  # of the training loop alone
        left = left_batches * self.config.batch_size / speed if speed > 0 else None
        paced = self._speed
        if paced is not None and left is not None:
            left = max(left, left_batches / paced)  # slow motion: the delays take longer than the batches
        return Progress(self.run_id, event.step, total, event.epoch, speed, left)

    def _progress(self, trainer, event, total: int) -> None:
        self.progress.emit(self._progress_of(trainer, event, total))

    def _flush(self, buffer: list) -> None:
        if buffer:
            steps, seen, losses, seconds = zip(*buffer)
            self.losses_ready.emit(
                LossChunk(
                    self.run_id,
                    np.array(steps, np.int64),
                    np.array(seen, np.int64),
                    np.array(losses, np.float32),
                    np.array(seconds, np.float64),
                )
            )
            del buffer[:]

    def _start_timeline(self, trainer) -> None:
        """The run's filter timeline: a log sized for the run, a probe model, the initial weights as frame 0
        (numpy and dataset batching have weights before the first step; the Estimator has not)."""
        from convviz.recording import SnapshotLog

        model_lib = _import_model()
        data = self._data
        probe = np.asarray(data.test_images[self._probe_index], np.float32).reshape(28, 28)
        self._log = SnapshotLog.for_run(
            self.config.arch,
            trainer.batches_per_epoch * self.config.epochs,
            probe_image=probe,
            probe_index=self._probe_index,
            probe_label=int(data.test_labels[self._probe_index]),
        )
        self._probe = probe
        self._probe_model = model_lib.Model(self.config.arch)
        if self.config.batching != "estimator":
            self._frame(trainer, 0, 0, final=False)

    def _frame_affordable(self) -> bool:
        """Whether a timeline frame now keeps the frames within TIMELINE_BUDGET of the training time."""
        if len(self._log) < TIMELINE_FREE_FRAMES:
            return True
        return self._clock() - self._frame_done_at >= self._frame_cost / TIMELINE_BUDGET

    def _frame(self, trainer, step: int, examples_seen: int, final: bool, weights=None) -> None:
        """One frame of the timeline (kernels, the probe's maps and probabilities) to the window."""
        started = self._clock()
        try:
            self._make_frame(trainer, step, examples_seen, final, weights)
        finally:
            self._frame_done_at = self._clock()
            self._frame_cost = self._frame_done_at - started

    def _make_frame(self, trainer, step: int, examples_seen: int, final: bool, weights=None) -> None:
        try:
            weights = trainer.weights() if weights is None else weights
            model = self._probe_model
            model.set_weights(weights)
            maps = model.feature_maps(self._probe)
            probabilities = model.predict_proba(self._probe)[0]
        except Exception:  # a timeline is worth less than the run: it goes on without this frame
            log.debug("no timeline frame at step %d", step, exc_info=True)
            return
        frame = self._log.make_frame(step, examples_seen, self._seconds(), weights, maps, probabilities)
        if final:
            self._log.finish(frame)
        elif not self._log.add(frame):
            return
        self.frame_ready.emit(FrameReady(self.run_id, frame, final))

    def _snapshot(self, trainer, event) -> None:
        self._snapshot_free.clear()
        self._snapshot_step = event.step
        self._snapshot_weights = trainer.weights()
        self.snapshot_ready.emit(
            Snapshot(self.run_id, self.config.arch, event.step, event.examples_seen, self._snapshot_weights)
        )


