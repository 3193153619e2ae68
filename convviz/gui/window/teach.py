"""The Teach panel in the window: the panel, its job, and the model it teaches.

The window builds one :class:`TeachPanel` with what it needs (the state, the controller, the panel
area, the pad) and calls :meth:`TeachPanel.cancel` when it closes.
"""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore, sip

from convviz.events import ErrorInfo
from convviz.gui.common.i18n import translate
from convviz.gui.controller import Controller
from convviz.gui.jobs.teachjobs import SETTABLE_ROLES, GalleryJob, TeachDone, TeachJob, TeachRequest
from convviz.gui.panels.drawpad import DrawPadWidget
from convviz.gui.panels.teach import GALLERY_MAX, TEACH_TITLE, TeachWidget
from convviz.gui.state import AppState, ModelRef, ModelRole
from convviz.gui.window.layout import PanelArea


class TeachPanel(QtCore.QObject):
    """The "Teach" panel beside "Evaluation", wired to the pad, the model in use and the controller."""

    started = QtCore.pyqtSignal()
    taught = QtCore.pyqtSignal(object)  # FinetuneResult, now in the pad
    cancelled = QtCore.pyqtSignal()
    failed = QtCore.pyqtSignal(object)  # ErrorInfo
    undone = QtCore.pyqtSignal(object)  # ModelRef of the weights from before teaching

    def __init__(
        self,
        state: AppState,
        controller: Controller,
        panels: PanelArea,
        drawpad: DrawPadWidget,
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self._state, self._controller, self._drawpad = state, controller, drawpad
        self.widget = TeachWidget()
        self.job: TeachJob | None = None
        self.gallery_job: GalleryJob | None = None  # the gallery's newest reading, while it runs
        self._model_at_start: ModelRef | None = None
        self._taught_model: ModelRef | None = None
        self._before: ModelRef | None = None  # what Undo puts back
        self.result = None  # the last FinetuneResult

        panels.add_panel(TEACH_TITLE, self.widget, beside="Evaluation")
        self.widget.digit_clicked.connect(self.add_drawing)
        self.widget.teach_requested.connect(lambda: self.teach())
        self.widget.cancel_requested.connect(self.cancel)
        self.widget.undo_requested.connect(self.undo)
        self._state.model_changed.connect(self._on_model_changed)
        self._state.run_state_changed.connect(self._on_run_state_changed)
        # The gallery loads in a job: the window opens at once, whatever the class set holds.
        self.widget.gallery_requested.connect(self._load_gallery)
        self.widget.reload()

    # ---- the gallery ---------------------------------------------------------------------------
    def _load_gallery(self, generation: int, folder) -> None:
        """Read the class set in ``folder`` for the gallery in a job; a reading still running is stopped."""
        if self.gallery_job is not None:
            self.gallery_job.cancel()
        if self._controller.closing:
            return
        widget = self.widget
        job = GalleryJob(generation, folder, GALLERY_MAX, lambda: self._controller.closing)
        job.listed.connect(widget.show_listing)
        job.thumbnails.connect(widget.show_thumbnails)
        job.progressed.connect(widget.show_gallery_progress)
        job.finished.connect(lambda: self._on_gallery_finished(job, generation))
        self.gallery_job = job
        self._controller.run_job(job)

    def _on_gallery_finished(self, job: GalleryJob, generation: int) -> None:
        if self.gallery_job is job:
            self.gallery_job = None
        if not sip.isdeleted(self.widget):  # a reading may end after its window closed
            self.widget.gallery_done(generation)

    # ---- the class set -------------------------------------------------------------------------
    def add_drawing(self, digit: int):
        """The pad's drawing, labelled ``digit``, into the class set (the Entry, or None: the panel says why)."""
        pad = self._drawpad
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
        elif not self.widget.entries() and not self.widget.is_loading():  # still loading: the job finds out
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
        if self.gallery_job is not None:
            self.gallery_job.cancel()

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
        self.widget.show_scores(
            result.before, result.after, result.drawings, fixed, broken, result.seconds, result.split
        )
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
