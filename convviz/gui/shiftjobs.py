"""The bridge of the "Nearest digits" panel (issue 11, "show the shift"): its job and its wiring into the window.

:class:`ShiftJob` runs in a thread of its own for the window's lifetime
(``controller.run_job``, started with the first request): it turns the pad's
280x280 canvas into the network's 28x28 input with the pad's own preprocessing
(:func:`convviz.preprocess.to_mnist`), finds the nearest MNIST training digits
(:mod:`convviz.nearest`, about 35 ms for 60,000 digits) and sends a frozen
:class:`~convviz.gui.shift.ShiftResult` back. The newest request wins: one that
arrives while another waits replaces it, and a request overtaken while it is
computed is dropped; the GUI thread only hands over arrays and draws.

:class:`ShiftPanel` (GUI thread) follows the live drawing (the pad's
``drawing_changed``), a test digit clicked in the evaluation view, the
network's answer (``prediction_shown``, for "compare with: predicted") and
MNIST's arrival. It computes only while the panel can be seen; a change made
while it is hidden is shown when its tab comes to the front.

Numpy only: no TensorFlow here, so the import contracts treat it as a panel.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
from PyQt5 import QtCore, QtWidgets

from convviz.config import IMAGE_SIZE
from convviz.errors import ConvVizError
from convviz.gui.i18n import translate
from convviz.gui.latest import LatestWinsJob
from convviz.gui.shift import SHIFT_TITLE, K, ShiftResult, ShiftWidget
from convviz.nearest import NearestIndex
from convviz.preprocess import to_mnist

log = logging.getLogger(__name__)

PAPER = 255  # the pad's blank paper (convviz.gui.drawpad.PAPER)


@dataclass(frozen=True)
class ShiftRequest:
    request: int
    index: NearestIndex  # MNIST's training digits
    source: str  # "drawing" (``canvas`` is set) or "test" (``image`` is set)
    caption: object  # a translated Text
    canvas: np.ndarray | None = None  # (280, 280) uint8, 255 paper, 0 ink: the pad as it is
    image: np.ndarray | None = None  # (28, 28) float32 in [0, 1]: a test digit
    cls: int | None = None  # the class chosen to compare with; None: ``predicted``
    predicted: int | None = None  # the network's answer; None: not known (no model yet)
    k: int = K


@dataclass(frozen=True)
class ShiftFailed:
    request: int
    message: str  # one line


class ShiftJob(LatestWinsJob):
    """Nearest digits for the newest request, until :meth:`stop`; a failure is said as ``failed(ShiftFailed)``."""

    done = QtCore.pyqtSignal(object)  # ShiftResult
    failed = QtCore.pyqtSignal(object)  # ShiftFailed

    def _handle(self, request: ShiftRequest, number: int) -> None:
        result = compute(request, lambda: self.superseded(number))
        if result is not None:
            self.done.emit(result)

    def _failed(self, request: ShiftRequest, exc: Exception) -> None:
        if isinstance(exc, ConvVizError):
            self.failed.emit(ShiftFailed(request.request, str(exc)))
            return
        log.exception("nearest digits failed")  # a bug: logged with its traceback, reported in one line
        self.failed.emit(ShiftFailed(request.request, f"{type(exc).__name__}: {exc}"))


def compute(request: ShiftRequest, superseded=lambda: False) -> ShiftResult | None:
    """The nearest digits for ``request`` (None if ``superseded()`` says a newer one came meanwhile)."""
    started = time.perf_counter()
    if request.canvas is not None:
        image = to_mnist(request.canvas, invert=True)  # exactly what the pad feeds the network
    else:
        image = np.asarray(request.image, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    if superseded():
        return None
    index = request.index
    squared = index.squared_distances(image)
    if superseded():
        return None
    nearest = index.nearest_from(image, squared, request.k)
    if request.cls is not None:
        cls, is_predicted = int(request.cls), False
    elif request.predicted is not None:
        cls, is_predicted = int(request.predicted), True
    else:  # no network yet: the class of the nearest digit
        cls, is_predicted = int(nearest.labels[0]), False
    class_nearest = index.nearest_from(image, squared, request.k, label=cls)
    return ShiftResult(
        request=request.request,
        source=request.source,
        caption=request.caption,
        image=image,
        cls=cls,
        cls_is_predicted=is_predicted,
        nearest=nearest,
        nearest_images=index.images(nearest.indices),
        class_nearest=class_nearest,
        class_images=index.images(class_nearest.indices),
        mean=index.class_means()[cls],
        class_count=int(index.class_counts()[cls]),
        seconds=time.perf_counter() - started,
    )


class ShiftPanel(QtCore.QObject):
    """The "Nearest digits" panel of one window, following its pad, its test digits and its model."""

    requested = QtCore.pyqtSignal(int)  # a request's number, as it goes to the job

    def __init__(self, window: QtWidgets.QMainWindow):
        super().__init__(window)
        self._window = window
        self._state, self._controller, self._panels = window.state, window.controller, window.panels
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
        window.drawpad.drawing_changed.connect(self._on_drawing)
        window.prediction_shown.connect(self._on_prediction)
        window.evaluation.digit_clicked.connect(self.show_test_digit)
        self._state.data_changed.connect(self._on_data)
        self._panels.panel_shown.connect(self._schedule)
        self.widget.class_changed.connect(self._schedule)
        window.installEventFilter(self)
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
        if self.job is not None:
            self.job.stop()

    def eventFilter(self, watched, event) -> bool:
        if watched is self._window and event.type() == QtCore.QEvent.Close:
            self.stop()  # before the window waits for its threads
        return False


def attach_shift(window: QtWidgets.QMainWindow) -> ShiftPanel:
    """Add the "Nearest digits" panel beside "Evaluation"; the returned object is also ``window.shift``."""
    panel = ShiftPanel(window)
    window.shift = panel
    return panel
