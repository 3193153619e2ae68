"""The bridge between the headless core and the window: jobs that run in a QThread.

Only this module and ``app.py`` see both Qt and the core. TensorFlow is
imported inside the jobs, in their threads, so the window appears before
TensorFlow has loaded.

The pattern is superqt's ``new_worker_qthread``: a ``QObject`` job is moved to
a ``QThread``, ``thread.started`` runs ``job.work``, ``job.finished`` quits the
thread, and both are deleted later. The trainer is a generator that yields per
batch; the job coalesces what it yields where it is produced (Orange's
``TaskState``): loss chunks at most every ``LOSS_INTERVAL`` seconds, weight,
filter and feature-map snapshots at most every ``SNAPSHOT_INTERVAL``. Payloads
are numpy copies, never tensors or a Session. Stop, pause, resume, step and
the speed are plain methods backed by ``threading.Event``: the worker thread
has no free event loop while it trains. In slow motion (at most
``SLOW_MOTION_SPEED`` batches a second) every batch reaches the panels.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable, NamedTuple

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.data import DataError, find_mnist, load_mnist  # numpy only, and imported here, not in a thread
from convviz.errors import ConvVizError
from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReady,
    LossChunk,
    Progress,
    RaceRates,
    RunOutcome,
    RunStatus,
    Snapshot,
    error_text,
)
from convviz.gui.common.i18n import translate

log = logging.getLogger(__name__)

# One job imports at a time. Two threads importing TensorFlow's dependencies at once can
# deadlock: setuptools' distutils hack (which TensorFlow triggers) imports from inside a finder,
# where the import system's deadlock detection does not reach. Seen here: MNIST's reader
# importing http.client while TensorFlow imported setuptools.
_IMPORT_LOCK = threading.Lock()
IMPORT_LOCK = _IMPORT_LOCK  # for the other bridges' jobs (convviz.gui.jobs.evaljobs): the same one lock


def _import_model():
    with _IMPORT_LOCK:
        from convviz import model
    return model


def _import_training():
    with _IMPORT_LOCK:
        from convviz import model, training
    return model, training


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


class Coalescer:
    """Says when enough time has passed since the last emission; the clock is injectable for tests."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self._clock = clock
        self._last: float | None = None

    def due(self) -> bool:
        now = self._clock()
        if self._last is None or now - self._last >= self.interval:
            self._last = now
            return True
        return False


# Python owns a job (and a thread without a parent): dropped by the caller while it runs, it would be
# destroyed under the running thread ("QThread: Destroyed while thread is still running", abort).
_RUNNING: set = set()


def start_job(job: QtCore.QObject, parent: QtCore.QObject | None = None) -> QtCore.QThread:
    """Run ``job.work`` in a new QThread that quits and is deleted when the job finishes.

    Job and thread are kept alive until then, whether or not the caller keeps a reference;
    do not touch either after the job's ``finished``: both are deleted soon after.
    """
    thread = QtCore.QThread(parent)
    running = (job, thread)
    _RUNNING.add(running)
    thread.finished.connect(lambda: _RUNNING.discard(running))
    job.moveToThread(thread)
    thread.started.connect(job.work)
    # Direct: QThread.quit is thread-safe, and a queued quit would wait for the GUI thread's event
    # loop, which is blocked in thread.wait() when the window closes: a deadlock until the timeout.
    job.finished.connect(thread.quit, QtCore.Qt.DirectConnection)
    job.finished.connect(job.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread


_error_text = error_text  # (convviz.events) the one line a job's failure shows


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


class ModelJob(QtCore.QObject):
    """Builds an inference ``Model`` off the GUI thread: from a folder, or with fresh random weights.

    ``loaded(BuiltModel)`` hands the finished model over to the GUI thread, which
    from then on owns it (a :class:`PrepareJob` it starts may use it meanwhile).
    """

    loaded = QtCore.pyqtSignal(object)  # BuiltModel
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, directory=None, arch: str | None = None):
        super().__init__()
        self._directory = directory
        self._arch = arch

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            Model = _import_model().Model
            if self._directory is not None:
                model = Model.load(self._directory)
                model.meta.setdefault("source", str(self._directory))
            else:
                model = Model(self._arch)
            self.loaded.emit(BuiltModel(model.arch, model.get_weights(), dict(model.meta), model))
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, OSError))  # a bad folder, not a bug
            if user_error:
                log.info("loading a model failed: %s", exc)
            else:
                log.exception("loading a model failed")
            self.errored.emit(ErrorInfo.from_exception(exc, _error_text(exc), user_error))
        finally:
            self.finished.emit()


class PrepareJob(QtCore.QObject):
    """Copies a training snapshot's weights into the GUI's inference model off the GUI thread.

    Then it answers, with the new weights, the questions the window asked the last
    weights (the pad's digit, the feature maps' digit: :meth:`Controller._infer`), so
    that redrawing the panels for the snapshot runs no TensorFlow in the GUI thread.
    Copying (~7 ms for the cnn) and the answers (~15-25 ms) in the GUI thread made a
    10 ms timer run up to 70 ms late under load. The model's lock keeps a prediction
    the GUI thread makes meanwhile (the pad) whole: it sees the old weights or the new.

    ``prepared(ModelRef, answers)``: ``answers`` maps each question's key to its result;
    a question the model refused (NaN weights) is left out, so the GUI thread asks it
    itself and reports the refusal. ``errored(ModelRef, ErrorInfo)``: the weights did
    not fit.
    """

    prepared = QtCore.pyqtSignal(object, object)  # ModelRef, {key: result}
    errored = QtCore.pyqtSignal(object, object)  # ModelRef, ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, model_ref, inference, questions: dict):
        super().__init__()
        self._ref = model_ref
        self._inference = inference
        self._questions = dict(questions)  # key -> (method name, image): copies, never changed

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            self._inference.set_weights(self._ref.weights)
            answers = {}
            for key, (method, image) in self._questions.items():
                try:
                    answers[key] = getattr(self._inference, method)(image)
                except ConvVizError:
                    continue  # asked again in the GUI thread, which says why once
            self.prepared.emit(self._ref, answers)
        except Exception as exc:
            user_error = isinstance(exc, ConvVizError)  # weights that do not fit this architecture
            if not user_error:
                log.exception("copying a snapshot into the inference model failed")
            self.errored.emit(self._ref, ErrorInfo.from_exception(exc, _error_text(exc), user_error))
        finally:
            self.finished.emit()


class BuiltModel(NamedTuple):
    """A model built by a :class:`ModelJob`: its weights as numpy, and the TensorFlow model itself."""

    arch: str
    weights: dict
    meta: dict
    model: object  # convviz.model.Model; its owner closes it


class DownloadCancelled(Exception):
    """Raised from the download's progress callback after :meth:`DataJob.cancel`."""


class DownloadProgress(NamedTuple):
    file: str
    done: int  # bytes
    total: int | None  # bytes; None when the server does not say


class DataJob(QtCore.QObject):
    """Finds (and, when asked, downloads) MNIST; ``progress(DownloadProgress)`` while downloading.

    :meth:`cancel` (any thread) aborts a download at its next chunk; the core then
    leaves no partial file, and the job ends with an ``errored`` that says so.
    """

    loaded = QtCore.pyqtSignal(object)  # Mnist
    missing = QtCore.pyqtSignal(object)  # an i18n.Text: not found and download not allowed, offer it
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    progress = QtCore.pyqtSignal(object)  # DownloadProgress
    finished = QtCore.pyqtSignal()

    def __init__(self, data_dir=None, download: bool = False):
        super().__init__()
        self._data_dir = data_dir
        self._download = download
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            if not self._download and find_mnist(self._data_dir) is None:
                self.missing.emit(translate("DataJob", "MNIST is not on this computer yet (about 11 MB to download)."))
                return
            data = load_mnist(self._data_dir, download=self._download, progress=self._on_progress)
            self.loaded.emit(data)
        except DownloadCancelled as exc:
            cancelled = translate("DataJob", "the MNIST download was cancelled")
            self.errored.emit(ErrorInfo.from_exception(exc, cancelled, True))
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, DataError, OSError))
            if not user_error:
                log.exception("loading MNIST failed")
            self.errored.emit(ErrorInfo.from_exception(exc, _error_text(exc), user_error))
        finally:
            self.finished.emit()

    def _on_progress(self, name: str, done: int, total: int | None) -> None:
        if self._cancelled.is_set():
            raise DownloadCancelled()
        self.progress.emit(DownloadProgress(name, int(done), None if total is None else int(total)))


class StoreJob(QtCore.QObject):
    """One task on the run store (convviz.recording.RunStore) off the GUI thread: list, save or load.

    ``done`` brings: for "list" the StoredRun list (newest first), for "save" a RunSaved,
    for "load" the RunRecord. A failure is ``errored(ErrorInfo)`` (a save's failure also a RunSaved
    with its error), one line.
    """

    done = QtCore.pyqtSignal(object)
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, action: str, folder=None, record=None, record_id: str | None = None, run_id: int = 0):
        super().__init__()
        if action not in ("list", "save", "load"):
            raise ValueError(f"unknown run-store action {action!r}")
        self.action, self._folder, self._record, self._record_id, self._run_id = (
            action,
            folder,
            record,
            record_id,
            run_id,
        )

    @QtCore.pyqtSlot()
    def work(self) -> None:
        from convviz.events import RunSaved
        from convviz.recording import RunStore

        try:
            store = RunStore(self._folder)
            if self.action == "list":
                self.done.emit(store.list())
            elif self.action == "save":
                stored, evicted = store.save(self._record)
                self.done.emit(RunSaved(self._run_id, stored, tuple(evicted)))
            else:
                self.done.emit(store.load(self._record_id))
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, OSError))
            if not user_error:
                log.exception("the run store failed (%s)", self.action)
            error = ErrorInfo.from_exception(exc, _error_text(exc), user_error)
            if self.action == "save":
                self.done.emit(RunSaved(self._run_id, error=error.message))
            self.errored.emit(error)
        finally:
            self.finished.emit()


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
