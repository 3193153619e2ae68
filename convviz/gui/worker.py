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
are numpy copies, never tensors or a Session. Stop, pause and resume are plain
methods backed by ``threading.Event``: the worker thread has no free event
loop while it trains.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.data import DataError, find_mnist, load_mnist  # numpy only, and imported here, not in a thread

log = logging.getLogger(__name__)

# One job imports at a time. Two threads importing TensorFlow's dependencies at once can
# deadlock: setuptools' distutils hack (which TensorFlow triggers) imports from inside a finder,
# where the import system's deadlock detection does not reach. Seen here: MNIST's reader
# importing http.client while TensorFlow imported setuptools.
_IMPORT_LOCK = threading.Lock()


def _import_model():
    with _IMPORT_LOCK:
        from convviz import model
    return model


def _import_training():
    with _IMPORT_LOCK:
        from convviz import model, training
    return model, training


LOSS_INTERVAL = 0.1  # seconds: at most ~10 loss chunks a second, however fast the batches are
SNAPSHOT_INTERVAL = 0.5  # seconds: at most ~2 filter/feature-map snapshots a second


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


def _error_text(exc: BaseException) -> str:
    """One line for the user: the first line that says what went wrong, shortened."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(_ERROR_NOISE)]
    text = (useful or lines or [type(exc).__name__])[0]
    if len(text) > ERROR_MAX_CHARS:
        text = text[: ERROR_MAX_CHARS - 1].rstrip() + "…"
    return text


class TrainingJob(QtCore.QObject):
    """Trains one configuration; reports losses, epochs, snapshots, progress and errors.

    Signals
    -------
    losses_ready(dict)
        ``examples_seen``, ``losses``, ``steps`` (numpy arrays) for the batches since the last chunk.
    epoch_finished(dict)
        ``epoch``, ``train_loss``, ``test_accuracy``, ``examples_seen``, ``images_per_second``.
    snapshot_ready(dict)
        ``kernels`` {layer: array}, ``weights`` {variable: array} (what a ``Model`` loads),
        ``step``, ``arch``; with a probe digit also ``probe`` (the 28x28 image the maps are for),
        ``feature_maps`` [(layer, (H, W, C))] and ``probabilities`` (10,). One also follows a
        pause, so what the window shows (and saves) while paused is the paused network.
    progress(dict)
        ``done`` and ``total`` batches, ``epoch``, ``images_per_second``, ``seconds_left``.
    model_built(Model)
        with ``share_model``: the inspection model the snapshots come from, once built. Its
        weights follow the snapshots (set in the job's thread; the Model's lock keeps each
        update atomic), so the window can classify and inspect with the network as it learns.
        The receiver owns it from then on and closes it.
    errored(str)
        one line for the user; ``finished`` follows.
    finished(dict)
        ``status`` ("completed", "stopped" or "failed"), and for a run that trained at all,
        ``weights`` and ``metadata`` (what a saved model records).
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    model_built = QtCore.pyqtSignal(object)
    progress = QtCore.pyqtSignal(object)
    errored = QtCore.pyqtSignal(str)
    finished = QtCore.pyqtSignal(object)

    def __init__(self, config: TrainConfig, data, probe_image: np.ndarray | None = None, share_model: bool = False):
        super().__init__()
        self.config = config
        self._share_model = share_model
        self._data = data
        self._probe_lock = threading.Lock()
        self._probe = None if probe_image is None else np.array(probe_image, np.float32)
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._trainer = None
        self._lock = threading.Lock()  # guards _trainer against stop() racing its creation

    # -- control, from the GUI thread ---------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            if self._trainer is not None:
                self._trainer.stop()

    def pause(self) -> None:
        self._paused.set()
        with self._lock:
            if self._trainer is not None:
                self._trainer.pause()

    def resume(self) -> None:
        self._paused.clear()
        with self._lock:
            if self._trainer is not None:
                self._trainer.resume()

    def set_probe_image(self, image: np.ndarray | None) -> None:
        """The digit whose feature maps the snapshots show (28x28 in [0, 1])."""
        with self._probe_lock:
            self._probe = None if image is None else np.array(image, np.float32)

    # -- the work, in the job's thread --------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        result: dict[str, object] = {"status": "failed"}
        trainer = model = None
        try:
            model_lib, training_lib = _import_training()
            Model, Trainer, BatchEvent = model_lib.Model, training_lib.Trainer, training_lib.BatchEvent
            trainer = Trainer(self.config, self._data)
            with self._lock:
                self._trainer = trainer
                if self._stop.is_set():
                    trainer.stop()
                if self._paused.is_set():
                    trainer.pause()
            model = Model(self.config.arch)
            if self._share_model:
                self.model_built.emit(model)
            result = self._train(trainer, model, BatchEvent)
        except Exception as exc:  # everything reaches the window as one line; the window stays usable
            log.exception("training failed")
            self.errored.emit(_error_text(exc))
            if trainer is not None and trainer.images_trained:
                result.update(self._outcome(trainer))
        finally:
            with self._lock:
                self._trainer = None
            if model is not None and not self._share_model:
                model.close()
            if trainer is not None:
                trainer.close()
            self.finished.emit(result)

    def _train(self, trainer, model, batch_event_type) -> dict:
        total = trainer.batches_per_epoch * self.config.epochs
        losses: list[float] = []
        seen: list[int] = []
        steps: list[int] = []
        loss_clock = Coalescer(LOSS_INTERVAL)
        snapshot_clock = Coalescer(SNAPSHOT_INTERVAL)
        self._snapshot(trainer, model, 0)
        snapshot_clock.due()  # that was this interval's snapshot: the next one comes after SNAPSHOT_INTERVAL
        step = 0
        pause_shown = False  # the state at the pause was sent; the trainer now blocks in run()
        for event in trainer.run():
            if isinstance(event, batch_event_type):
                step = event.step
                losses.append(event.loss)
                seen.append(event.examples_seen)
                steps.append(event.step)
                pausing = self._paused.is_set() and not self._stop.is_set()
                if loss_clock.due() or (pausing and not pause_shown):
                    self._flush(losses, seen, steps)
                    self._progress(trainer, event, total)
                if snapshot_clock.due() or (pausing and not pause_shown):
                    self._snapshot(trainer, model, event.step)
                pause_shown = pausing
            else:
                self._flush(losses, seen, steps)
                self.epoch_finished.emit(
                    {
                        "epoch": event.epoch,
                        "train_loss": event.train_loss,
                        "test_accuracy": event.test_accuracy,
                        "examples_seen": trainer.images_trained,
                        "images_per_second": event.images_per_second,
                    }
                )
        self._flush(losses, seen, steps)
        if trainer.images_trained == 0:
            return {"status": "stopped"}
        self._snapshot(trainer, model, step)  # the final weights
        status = "stopped" if trainer.stopped else "completed"
        return dict(self._outcome(trainer), status=status)

    def _progress(self, trainer, event, total: int) -> None:
        speed = trainer.images_per_second
        left = (total - event.step) * self.config.batch_size / speed if speed > 0 else None
        self.progress.emit(
            {
                "done": event.step,
                "total": total,
                "epoch": event.epoch,
                "images_per_second": speed,
                "seconds_left": left,
            }
        )

    def _outcome(self, trainer) -> dict:
        try:
            weights = trainer.weights()
        except Exception:  # a run that failed before its first checkpoint has no weights to keep
            log.debug("no weights after the run", exc_info=True)
            return {}
        return {"weights": weights, "metadata": trainer.metadata()}

    def _flush(self, losses: list, seen: list, steps: list) -> None:
        if losses:
            self.losses_ready.emit(
                {
                    "examples_seen": np.array(seen, np.int64),
                    "losses": np.array(losses, np.float32),
                    "steps": np.array(steps, np.int64),
                }
            )
            del losses[:], seen[:], steps[:]

    def _snapshot(self, trainer, model, step: int) -> None:
        weights = trainer.weights()
        model.set_weights(weights)
        with self._probe_lock:
            probe = self._probe
        # The kernels are among the weights just fetched: no second session run to read them back.
        kernels = {layer: weights[f"{layer}/kernel"] for layer in model.endpoints.kernels}
        snapshot = {"kernels": kernels, "weights": weights, "step": step, "arch": self.config.arch}
        if probe is not None:
            snapshot["probe"] = probe
            snapshot["feature_maps"] = model.feature_maps(probe)
            snapshot["probabilities"] = model.predict_proba(probe)[0]
        self.snapshot_ready.emit(snapshot)


class ModelJob(QtCore.QObject):
    """Builds an inference ``Model`` off the GUI thread: from a folder, or from weights.

    ``loaded(model)`` hands the finished object to the GUI thread, which then only
    calls its thread-safe inference methods (a few milliseconds per digit).
    """

    loaded = QtCore.pyqtSignal(object)
    errored = QtCore.pyqtSignal(str)
    finished = QtCore.pyqtSignal()

    def __init__(self, directory=None, arch: str | None = None, weights=None, meta: dict | None = None):
        super().__init__()
        self._directory = directory
        self._arch = arch
        self._weights = weights
        self._meta = meta

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            Model = _import_model().Model
            if self._directory is not None:
                model = Model.load(self._directory)
                model.meta.setdefault("source", str(self._directory))
            else:
                model = Model(self._arch, self._weights, self._meta)
            self.loaded.emit(model)
        except Exception as exc:
            if isinstance(exc, (ValueError, OSError)):  # ModelError and friends: a bad folder, not a bug
                log.info("loading a model failed: %s", exc)
            else:
                log.exception("loading a model failed")
            self.errored.emit(_error_text(exc))
        finally:
            self.finished.emit()


class DownloadCancelled(Exception):
    """Raised from the download's progress callback after :meth:`DataJob.cancel`."""


class DataJob(QtCore.QObject):
    """Finds (and, when asked, downloads) MNIST; ``progress({"file", "done", "total"})`` in bytes.

    :meth:`cancel` (any thread) aborts a download at its next chunk; the core then
    leaves no partial file, and the job ends with ``errored("the MNIST download was cancelled")``.
    """

    loaded = QtCore.pyqtSignal(object)
    missing = QtCore.pyqtSignal(str)  # not found and download not allowed: offer it
    errored = QtCore.pyqtSignal(str)
    progress = QtCore.pyqtSignal(object)
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
                self.missing.emit("MNIST is not on this computer yet (about 11 MB to download).")
                return
            data = load_mnist(self._data_dir, download=self._download, progress=self._on_progress)
            self.loaded.emit(data)
        except DownloadCancelled:
            self.errored.emit("the MNIST download was cancelled")
        except DataError as exc:
            self.errored.emit(_error_text(exc))
        except Exception as exc:
            log.exception("loading MNIST failed")
            self.errored.emit(_error_text(exc))
        finally:
            self.finished.emit()

    def _on_progress(self, name: str, done: int, total: int | None) -> None:
        if self._cancelled.is_set():
            raise DownloadCancelled()
        self.progress.emit({"file": name, "done": done, "total": total})
