"""The jobs that load: a model's weights, MNIST, the run store."""

from __future__ import annotations

import logging
import threading
from typing import NamedTuple

from PyQt5 import QtCore

from convviz.data import DataError, find_mnist, load_mnist  # numpy only, and imported here, not in a thread
from convviz.errors import ConvVizError
from convviz.events import (
    ErrorInfo,
    error_text,
)
from convviz.gui.common.i18n import translate
from convviz.gui.jobs.base import _import_model

log = logging.getLogger(__name__)


class ModelJob(QtCore.QObject):
    """Reads a model's weights off the GUI thread: from a folder, or fresh random ones of an architecture.

    ``loaded(BuiltModel)`` brings numpy weights, never a TensorFlow object: the pad's
    network is built and fed by the inference service (:mod:`convviz.gui.jobs.inference`).
    Random weights come from a throwaway ``Model`` made, read and closed in this thread.
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
            model_lib = _import_model()
            if self._directory is not None:
                arch, weights, meta = model_lib.load_weights(self._directory)
                meta = dict(meta)
                meta.setdefault("source", str(self._directory))
            else:
                with model_lib.Model(self._arch) as model:
                    arch, weights, meta = model.arch, model.get_weights(), dict(model.meta)
            self.loaded.emit(BuiltModel(arch, weights, meta))
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, OSError))  # a bad folder, not a bug
            if user_error:
                log.info("loading a model failed: %s", exc)
            else:
                log.exception("loading a model failed")
            self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))
        finally:
            self.finished.emit()


class BuiltModel(NamedTuple):
    """A model read by a :class:`ModelJob`: its architecture, numpy weights and description."""

    arch: str
    weights: dict
    meta: dict


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
            self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))
        finally:
            self.finished.emit()

    def _on_progress(self, name: str, done: int, total: int | None) -> None:
        if self._cancelled.is_set():
            raise DownloadCancelled()
        self.progress.emit(DownloadProgress(name, int(done), None if total is None else int(total)))


class StoreJob(QtCore.QObject):
    """One task on the run store (convviz.recording.RunStore) off the GUI thread: save or load (listing
    is :class:`convviz.gui.jobs.store.StoreListJob`'s).

    ``done`` brings: for "save" a RunSaved, for "load" the RunRecord. A failure is ``errored(ErrorInfo)``
    (a save's failure also a RunSaved with its error), one line.
    """

    done = QtCore.pyqtSignal(object)
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, action: str, folder=None, record=None, record_id: str | None = None, run_id: int = 0):
        super().__init__()
        if action not in ("save", "load"):
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
            if self.action == "save":
                stored, evicted = store.save(self._record)
                self.done.emit(RunSaved(self._run_id, stored, tuple(evicted)))
            else:
                self.done.emit(store.load(self._record_id))
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, OSError))
            if not user_error:
                log.exception("the run store failed (%s)", self.action)
            error = ErrorInfo.from_exception(exc, error_text(exc), user_error)
            if self.action == "save":
                self.done.emit(RunSaved(self._run_id, error=error.message))
            self.errored.emit(error)
        finally:
            self.finished.emit()
