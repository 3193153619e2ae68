"""The bridge of the "Nearest digits" panel: its job and its wiring into the window.

:class:`ShiftJob` runs in a thread of its own for the window's lifetime
(``controller.run_job``, started with the first request): it turns the pad's
280x280 canvas into the network's 28x28 input with the pad's own preprocessing
(:func:`convviz.preprocess.to_mnist`), finds the nearest MNIST training digits
(:mod:`convviz.nearest`, about 35 ms for 60,000 digits) and sends a frozen
:class:`~convviz.gui.panels.shift.ShiftResult` back. The newest request wins: one that
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
from PyQt5 import QtCore

from convviz.constants import IMAGE_SIZE
from convviz.errors import ConvVizError
from convviz.events import ShiftResult
from convviz.gui.jobs.latest import LatestWinsJob
from convviz.nearest import K, NearestIndex
from convviz.preprocess import to_mnist

log = logging.getLogger(__name__)

PAPER = 255  # the pad's blank paper (convviz.gui.panels.drawpad.PAPER)


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
