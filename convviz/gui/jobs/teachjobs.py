"""The bridge of the Teach panel: fine-tuning in a worker thread, and its wiring into the window.

:class:`TeachJob` loads the class set and calls :func:`convviz.finetune.finetune`
on the numpy weights of the pad's model, in a thread of its own
(``controller.run_job``: closing the window waits for it). Its progress is
coalesced (at most every :data:`PROGRESS_INTERVAL` s); Cancel sets an event that
``finetune`` asks before every step. The result (a frozen
:class:`convviz.finetune.FinetuneResult`, numpy inside) crosses the signal as it is.

:class:`TeachPanel` (GUI thread) connects the panel of :mod:`convviz.gui.panels.teach`
to the window: a digit button adds the pad's drawing to the class set; Teach
starts a job (not while a run trains, not twice); the taught weights become the
pad's model through ``AppState.set_model``, and Undo puts back the exact
weights from before (``result.weights_before``).

Layering: this module imports :mod:`convviz.finetune` (TensorFlow) inside the
job, like :mod:`convviz.gui.jobs.insidejobs`: the import contracts list it as a bridge.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo
from convviz.gui.state import ModelRole

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds: at most 10 progress reports a second
SETTABLE_ROLES = (ModelRole.PRETRAINED, ModelRole.LOADED, ModelRole.UNTRAINED, ModelRole.TAUGHT)  # set_model takes


@dataclass(frozen=True)
class TeachRequest:
    arch: str
    weights: Mapping[str, np.ndarray]
    folder: Path
    steps: int | None = None  # None: FinetuneConfig's default (the Teach button's)
    seed: int = 0


@dataclass(frozen=True)
class TeachDone:
    result: object  # convviz.finetune.FinetuneResult
    files: tuple  # the class set's files, in the order of result.labels and of the scores' predictions


class TeachJob(QtCore.QObject):
    """One fine-tuning, in a thread of its own."""

    progressed = QtCore.pyqtSignal(object)  # convviz.finetune.FinetuneProgress
    done = QtCore.pyqtSignal(object)  # TeachDone
    cancelled = QtCore.pyqtSignal()
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, request: TeachRequest, data, closing: Callable[[], bool] = lambda: False):
        super().__init__()
        self.request = request
        self._data = data
        self._closing = closing
        self._stop = threading.Event()
        self._reported = 0.0

    def cancel(self) -> None:
        """Stop before the next step (any thread)."""
        self._stop.set()

    def _should_stop(self) -> bool:
        return self._stop.is_set() or self._closing()

    def _on_progress(self, progress) -> None:
        now = time.monotonic()
        last = progress.phase != "training" or progress.step in (0, progress.steps)
        if last or now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self.progressed.emit(progress)

    @QtCore.pyqtSlot()
    def work(self) -> None:
        request = self.request
        try:
            from convviz import classset
            from convviz.finetune import FinetuneCancelled, FinetuneConfig, finetune

            if self._should_stop():
                self.cancelled.emit()
                return
            class_set = classset.load_class_set(request.folder)
            config = FinetuneConfig(seed=request.seed)
            if request.steps is not None:
                config = dataclasses.replace(config, steps=request.steps)
            try:
                result = finetune(
                    request.arch,
                    dict(request.weights),
                    class_set,
                    self._data,
                    config=config,
                    progress=self._on_progress,
                    should_stop=self._should_stop,
                )
            except FinetuneCancelled:
                self.cancelled.emit()
                return
            self.done.emit(TeachDone(result, tuple(class_set.files)))
        except ConvVizError as exc:
            self.errored.emit(ErrorInfo.from_exception(exc, str(exc), True))
        except Exception as exc:  # a bug: logged with its traceback, reported in one line
            log.exception("teaching failed")
            self.errored.emit(ErrorInfo.from_exception(exc, f"{type(exc).__name__}: {exc}", False))
        finally:
            self.finished.emit()
