"""The Nearest digits panel in the window: the panel, its job, and what it follows.

The window builds one :class:`ShiftPanel` with what it needs (the state, the controller, the panel
area, the pad, the views' prediction, the evaluation's digits) and calls :meth:`ShiftPanel.stop` when
it closes.
"""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore

from convviz.constants import IMAGE_SIZE
from convviz.errors import ConvVizError
from convviz.events import ShiftResult
from convviz.gui.common.i18n import translate
from convviz.gui.controller import Controller
from convviz.gui.jobs.shiftjobs import PAPER, ShiftFailed, ShiftJob, ShiftRequest
from convviz.gui.panels.drawpad import DrawPadWidget
from convviz.gui.panels.evaluation import EvaluationWidget
from convviz.gui.panels.shift import SHIFT_TITLE, ShiftWidget
from convviz.gui.state import AppState
from convviz.gui.window.layout import PanelArea
from convviz.gui.window.views import ModelViews
from convviz.nearest import NearestIndex


class ShiftPanel(QtCore.QObject):
    """The "Nearest digits" panel beside "Evaluation", following the pad, the test digits and the model."""

    requested = QtCore.pyqtSignal(int)  # a request's number, as it goes to the job

    def __init__(
        self,
        state: AppState,
        controller: Controller,
        panels: PanelArea,
        drawpad: DrawPadWidget,
        views: ModelViews,
        evaluation: EvaluationWidget,
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self._state, self._controller, self._panels, self._views = state, controller, panels, views
        self.widget = ShiftWidget()
        self.job: ShiftJob | None = None
        self._index: NearestIndex | None = None
        self._data_problem: str | None = None  # why the training digits cannot be searched (bad data)
        self._canvas: np.ndarray | None = None  # the pad's newest drawing (None: blank)
        self._test: tuple | None = None  # (image, caption, predicted) of a clicked test digit
        self._source = "drawing"
        self._predicted: int | None = None  # the network's answer for the drawing
        self._number = 0  # the newest request's number
        self._shown_number = 0
        self._asked: tuple | None = None  # what the newest request was for (no second one for the same)
        self._version = 0  # counts the changes of the input (a drawing, a test digit, MNIST)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # coalesces: the drawing and its prediction arrive in one turn of the loop
        self._timer.timeout.connect(self.refresh)

        self._panels.add_panel(SHIFT_TITLE, self.widget, beside="Evaluation")
        drawpad.drawing_changed.connect(self._on_drawing)
        views.prediction_shown.connect(self._on_prediction)
        controller.prediction_answered.connect(self._schedule)  # also "no answer": the drawing goes without one
        evaluation.digit_clicked.connect(self.show_test_digit)
        self._state.data_changed.connect(self._on_data)
        self._panels.panel_shown.connect(self._schedule)
        self.widget.class_changed.connect(self._schedule)
        if self._state.data is not None:
            self._on_data(self._state.data)
        else:
            self.widget.set_message(translate("Shift", "Waiting for MNIST…"))

    # ---- what to show ------------------------------------------------------------------------------
    def _on_data(self, data) -> None:
        self._index, self._data_problem = None, None
        if data is not None:
            try:
                self._index = NearestIndex(data.train_images, data.train_labels)
            except ConvVizError as exc:  # data the index cannot take (a label 99): said in the panel, in one line
                self._data_problem = str(exc)
        self._version += 1
        self._asked = None
        self._schedule()

    def _on_drawing(self, canvas: np.ndarray) -> None:
        self._source = "drawing"
        blank = not (np.asarray(canvas) < PAPER).any()
        self._canvas = None if blank else np.array(canvas, copy=True)
        self._version += 1
        if blank:
            self._predicted = None
        self._schedule()

    def _on_prediction(self, probabilities) -> None:
        """The network's answer for the drawing (again after a model change or a training snapshot)."""
        if probabilities is None:
            return
        predicted = int(np.argmax(probabilities))
        if predicted != self._predicted:
            self._predicted = predicted
            self._schedule()

    def show_test_digit(self, index: int) -> None:
        """Test image ``index`` (a click in the evaluation view) instead of the drawing, until the next stroke."""
        data = self._state.data
        if data is None or not 0 <= int(index) < len(data.test_labels):
            return
        image = np.asarray(data.test_images[int(index)], np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
        probabilities = self._controller.predict_proba(image)  # one image, as the prediction panel does
        predicted = None if probabilities is None else int(np.argmax(probabilities))
        caption = translate("Shift", "test image {index}, label {label}").format(
            index=int(index), label=int(data.test_labels[int(index)])
        )
        self._test = (image, caption, predicted)
        self._version += 1
        self._source = "test"
        self._schedule()

    def _schedule(self, *_args) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> int | None:
        """Ask the job for the nearest digits of what the panel should show, if it can be seen; the request's number."""
        widget = self.widget
        if not self._panels.is_panel_visible(widget) or self._controller.closing:
            return None  # panel_shown brings it back
        if self._index is None:
            self._asked = None
            widget.clear()
            widget.set_predicted(None)
            if self._data_problem is not None:
                frame = translate("Shift", "No nearest digits: {message}")
                widget.set_message(frame.format(message=self._data_problem))
            else:
                widget.set_message(translate("Shift", "Waiting for MNIST…"))
            return None
        cls = widget.selected_class()
        if self._source == "test" and self._test is not None:
            image, caption, predicted = self._test
            key = ("test", self._version, cls, predicted)
            request = {"source": "test", "caption": caption, "image": image, "predicted": predicted}
        elif self._canvas is not None:
            if self._views.prediction_pending():
                return None  # the drawing's answer comes from the inference service, then this runs again
            predicted = self._predicted
            key = ("drawing", self._version, cls, predicted)
            caption = translate("Shift", "the drawing")
            request = {"source": "drawing", "caption": caption, "canvas": self._canvas, "predicted": predicted}
        else:
            self._asked = None
            widget.clear()
            widget.set_predicted(None)
            widget.set_message(
                translate("Shift", "Draw a digit on the pad: here it appears beside the MNIST digits nearest to it.")
            )
            return None
        widget.set_predicted(predicted)
        if key == self._asked:
            return None  # the same input, class and answer: the pictures shown are theirs
        self._asked = key
        self._number += 1
        job = self._job()
        job.submit(ShiftRequest(request=self._number, index=self._index, cls=cls, **request))
        self.requested.emit(self._number)
        return self._number

    def _job(self) -> ShiftJob:
        if self.job is None:
            job = ShiftJob()
            job.done.connect(self._on_done)
            job.failed.connect(self._on_failed)
            job.finished.connect(self._on_finished)
            self.job = job
            self._controller.run_job(job)
        return self.job

    def _on_done(self, result: ShiftResult) -> None:
        if result.request < self._shown_number:
            return  # older than the picture shown
        self._shown_number = result.request
        self.widget.show_result(result)

    def _on_failed(self, failed: ShiftFailed) -> None:
        if failed.request < self._shown_number:
            return
        self._shown_number = failed.request
        self._asked = None
        self.widget.clear()
        self.widget.set_message(translate("Shift", "No nearest digits: {message}").format(message=failed.message))

    def _on_finished(self) -> None:
        self.job = None

    # ---- closing -----------------------------------------------------------------------------------
    def stop(self) -> None:
        """The window closes: the job ends (before the window waits for its threads)."""
        if self.job is not None:
            self.job.stop()
