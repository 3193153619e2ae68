"""The bridge of the Teach panel (issue 11): fine-tuning in a worker thread, and its wiring into the window.

:class:`TeachJob` loads the class set and calls :func:`convviz.finetune.finetune`
on the numpy weights of the pad's model, in a thread of its own
(``controller.run_job``: closing the window waits for it). Its progress is
coalesced (at most every :data:`PROGRESS_INTERVAL` s); Cancel sets an event that
``finetune`` asks before every step. The result (a frozen
:class:`convviz.finetune.FinetuneResult`, numpy inside) crosses the signal as it is.

:class:`TeachPanel` (GUI thread) connects the panel of :mod:`convviz.gui.teach`
to the window: a digit button adds the pad's drawing to the class set; Teach
starts a job (not while a run trains, not twice); the taught weights become the
pad's model through ``AppState.set_model``, and Undo puts back the exact
weights from before (``result.weights_before``).

Layering: this module imports :mod:`convviz.finetune` (TensorFlow) inside the
job, like :mod:`convviz.gui.insidejobs`: the import contracts list it as a bridge.
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
from PyQt5 import QtCore, QtWidgets

from convviz.errors import ConvVizError
from convviz.gui.events import ErrorInfo
from convviz.gui.i18n import translate
from convviz.gui.state import ModelRef, ModelRole
from convviz.gui.teach import TEACH_TITLE, TeachWidget

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


class TeachPanel(QtCore.QObject):
    """The Teach panel of one window, wired to its pad, its model and its controller."""

    started = QtCore.pyqtSignal()
    taught = QtCore.pyqtSignal(object)  # FinetuneResult, now in the pad
    cancelled = QtCore.pyqtSignal()
    failed = QtCore.pyqtSignal(object)  # ErrorInfo
    undone = QtCore.pyqtSignal(object)  # ModelRef of the weights from before teaching

    def __init__(self, window: QtWidgets.QMainWindow):
        super().__init__(window)
        self._window = window
        self._state, self._controller = window.state, window.controller
        self.widget = TeachWidget()
        self.job: TeachJob | None = None
        self._model_at_start: ModelRef | None = None
        self._taught_model: ModelRef | None = None
        self._before: ModelRef | None = None  # what Undo puts back
        self.result = None  # the last FinetuneResult

        window.panels.add_panel(TEACH_TITLE, self.widget, beside="Evaluation")
        self.widget.digit_clicked.connect(self.add_drawing)
        self.widget.teach_requested.connect(lambda: self.teach())
        self.widget.cancel_requested.connect(self.cancel)
        self.widget.undo_requested.connect(self.undo)
        self._state.model_changed.connect(self._on_model_changed)
        self._state.run_state_changed.connect(self._on_run_state_changed)
        window.installEventFilter(self)

    # ---- the class set -------------------------------------------------------------------------
    def add_drawing(self, digit: int):
        """The pad's drawing, labelled ``digit``, into the class set (the Entry, or None: the panel says why)."""
        pad = self._window.drawpad
        if pad.is_empty():
            self.widget.set_status(translate("Teach", "Draw a digit on the pad first."))
            return None
        return self.widget.add_drawing(pad.image(), int(digit))

    # ---- teaching ------------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.job is not None

    def teach(self, steps: int | None = None) -> bool:
        """Fine-tune the pad's model on MNIST and the class set in a worker thread; False (and why) if it cannot."""
        model, data = self._state.model, self._state.data
        reason = None
        if self.job is not None or self._controller.closing:
            return False
        if model is None:
            reason = translate("Teach", "Teaching needs a network: load or train one first.")
        elif self._state.is_training():
            reason = translate("Teach", "Teaching waits until the training run has ended.")
        elif data is None:
            reason = translate("Teach", "Teaching needs MNIST: it is still loading.")
        elif not self.widget.entries():
            reason = translate("Teach", "The class set is empty: add misread drawings with the digit buttons.")
        if reason is not None:
            self.widget.set_status(reason)
            return False
        request = TeachRequest(model.arch, model.weights, self.widget.folder(), steps)
        job = TeachJob(request, data, lambda: self._controller.closing)
        job.progressed.connect(lambda p: self.widget.set_progress(p.phase, p.step, p.steps))
        job.done.connect(self._on_done)
        job.cancelled.connect(self._on_cancelled)
        job.errored.connect(self._on_errored)
        job.finished.connect(self._on_finished)
        self.job = job
        self._model_at_start = model
        self.widget.set_teaching(True)
        self.widget.set_status(translate("Teach", "Loading the class set…"))
        self.started.emit()
        self._controller.run_job(job)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_done(self, done: TeachDone) -> None:
        result = done.result
        start = self._model_at_start
        if self._state.model is not start or self._state.is_training():
            self.widget.set_status(translate("Teach", "The network changed while teaching: the result was dropped."))
            return
        meta = dict(start.meta)
        meta["test_accuracy"] = result.after.mnist_test
        meta["finetuned"] = result.summary()
        role = start.role if start.role in SETTABLE_ROLES else ModelRole.LOADED
        taught = ModelRef(result.arch, ModelRole.TAUGHT, result.weights, meta)  # the pad names it "taught"
        self._before = ModelRef(start.arch, role, result.weights_before, dict(start.meta))
        self._taught_model = taught
        self.result = result
        self._state.set_model(taught)
        before, after = result.before.predictions, result.after.predictions
        fixed = int(np.sum((before != result.labels) & (after == result.labels)))
        broken = int(np.sum((before == result.labels) & (after != result.labels)))
        self.widget.show_scores(result.before, result.after, result.drawings, fixed, broken, result.seconds)
        self.widget.mark_readings(done.files, result.labels, before, after, {int(i) for i in result.held})
        self.taught.emit(result)

    def _on_cancelled(self) -> None:
        self.widget.set_status(translate("Teach", "Teaching cancelled: the network is unchanged."))
        self.cancelled.emit()

    def _on_errored(self, error: ErrorInfo) -> None:
        self.widget.set_status(translate("Teach", "Teaching failed: {message}").format(message=error.message))
        self.failed.emit(error)

    def _on_finished(self) -> None:
        self.job = None
        self.widget.set_teaching(False)
        self.widget.teach_button.setEnabled(not self._state.is_training())
        self.widget.undo_button.setEnabled(self._before is not None and self._state.model is self._taught_model)

    def undo(self) -> bool:
        """The pad's model as it was before the last teaching (its exact weights)."""
        if self._before is None or self.job is not None or self._state.is_training():
            return False
        if self._state.model is not self._taught_model:
            return False
        before, self._before, self._taught_model = self._before, None, None
        self._state.set_model(before)
        self.widget.set_undone()
        self.undone.emit(before)
        return True

    def _on_model_changed(self, model) -> None:
        if self.job is None:
            self.widget.undo_button.setEnabled(self._before is not None and model is self._taught_model)

    def _on_run_state_changed(self, _run) -> None:
        """One TensorFlow job at a time on a small machine: no teaching while a run trains."""
        if self.job is None:
            self.widget.teach_button.setEnabled(not self._state.is_training())

    # ---- closing -------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self._window and event.type() == QtCore.QEvent.Close:
            self.cancel()
        return False


def attach_teach(window: QtWidgets.QMainWindow) -> TeachPanel:
    """Add the "Teach" panel beside "Evaluation" to ``window``; the returned object is also ``window.teach``."""
    panel = TeachPanel(window)
    window.teach = panel
    return panel
