"""The jobs that load: an inference model, a snapshot copied into one, MNIST, the run store."""

from __future__ import annotations

import logging
import threading
from typing import NamedTuple

from PyQt5 import QtCore

from convviz.data import DataError, find_mnist, load_mnist  # numpy only, and imported here, not in a thread
from convviz.errors import ConvVizError
from convviz.events import (
    ErrorInfo,
)
from convviz.gui.common.i18n import translate
from convviz.gui.jobs.base import _error_text, _import_model

log = logging.getLogger(__name__)


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


