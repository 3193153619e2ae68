"""The bridge of the "What filters want" panel: activation maximisation in the inference service.

:class:`WishJobs` (GUI thread) sends each request to the window's inference
service. A newer request stops the one running (its ``should_stop`` is asked
before every gradient step) and replaces one still waiting: the latest wins.
The work is done by :func:`wish` in the window's inference service
(:mod:`convviz.gui.jobs.inference`), with an :class:`convviz.explain.Explainer`
of its own per architecture, built, fed and closed in the service's thread.

Layering: this module sees both sides (it imports :mod:`convviz.explain`, which
imports TensorFlow, inside :func:`wish`), like :mod:`convviz.gui.jobs.training`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds: at most 10 progress reports a second
WISH_SEED = 0  # the starting noise of activation maximisation: the same for every request
RUNNING_REFRESH_S = 0.5  # during a run, the convolution is worked out again at most this often
CHOSEN_DELAY_MS = 30  # the digit changes many times a second while drawing: the newest one wins


@dataclass(frozen=True)
class WishRequest:
    """Activation maximisation for ``layer`` of ``arch`` under ``weights``."""

    request: int  # counts the requests; only the newest one's result is shown
    arch: str
    weights: Mapping[str, np.ndarray]
    layer: str
    channels: tuple | None = None  # None: every filter of the layer
    steps: int | None = None  # gradient steps; None: convviz.explain's default


@dataclass(frozen=True)
class WishProgress:
    request: int
    done: int  # gradient steps taken
    total: int


@dataclass(frozen=True)
class WishResult:
    request: WishRequest
    channels: np.ndarray  # (C,) the filters, in the order of ``images``
    images: np.ndarray  # (C, 28, 28) float32 in [0, 1]: the input each filter responds to most
    before: np.ndarray  # (C,) each filter's mean activation on the starting noise
    after: np.ndarray  # (C,) ... and on its image
    seconds: float


@dataclass(frozen=True)
class WishFailure:
    request: WishRequest
    error: ErrorInfo


WISH = "wish"  # the inference service's kind of request


def wish(service, request: WishRequest, should_stop: Callable[[], bool], progress: Callable) -> WishResult | None:
    """Activation maximisation for ``request`` (the inference service's thread); None when stopped.

    ``progress(WishProgress)`` at most every :data:`PROGRESS_INTERVAL` s, and at the last step.
    """
    from convviz import explain  # loaded by the service already

    started = time.perf_counter()
    reported = [0.0]

    def on_progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - reported[0] >= PROGRESS_INTERVAL:
            reported[0] = now
            progress(WishProgress(request.request, done, total))

    explainer = service.explainer(WISH, request.arch, request.weights)
    count = explainer.channel_count(request.layer)
    channels = np.arange(count) if request.channels is None else np.asarray(request.channels, np.int64)
    options = {} if request.steps is None else {"steps": request.steps}
    images = explain.activation_maximisation(
        explainer,
        request.layer,
        channels,
        seed=WISH_SEED,
        should_stop=should_stop,
        progress=on_progress,
        **options,
    )
    if images is None:
        return None
    noise = explain.start_noise(len(channels), WISH_SEED)
    _, before = explainer.activation_gradient(noise, request.layer, channels)
    _, after = explainer.activation_gradient(images, request.layer, channels)
    return WishResult(request, channels, images, before, after, time.perf_counter() - started)


class WishJobs(QtCore.QObject):
    """Activation maximisation on request through the inference service, the newest request winning (GUI thread)."""

    started = QtCore.pyqtSignal(object)  # WishRequest: the service starts computing it
    progressed = QtCore.pyqtSignal(object)  # WishProgress of the newest request
    computed = QtCore.pyqtSignal(object)  # WishResult of the newest request
    cancelled = QtCore.pyqtSignal(object)  # WishRequest, cancelled and not replaced by a newer one
    failed = QtCore.pyqtSignal(object)  # WishFailure

    def __init__(
        self,
        service: Callable[[], object],
        closing: Callable[[], bool] = lambda: False,
        parent: QtCore.QObject | None = None,
    ):
        """``service()``: the window's running InferenceService (the controller's ``inference_service``)."""
        super().__init__(parent)
        self._service_of = service
        self._service = None
        self._outer_closing = closing
        self._closed = False
        self._count = 0
        self._open: int | None = None  # the newest request's number while no answer came for it

    def request(self, arch: str, weights: Mapping, layer: str, channels=None, steps: int | None = None) -> WishRequest:
        """Compute ``layer``'s images under ``weights``; an older request still running stops at its next step."""
        self._count += 1
        request = WishRequest(self._count, arch, weights, layer, None if channels is None else tuple(channels), steps)
        if self._closing():
            return request
        service = self._connect()
        self._open = request.request
        service.submit(WISH, request)
        return request

    def cancel(self) -> None:
        """Stop the request running and drop one waiting."""
        if self._service is not None:
            self._service.cancel(WISH)

    def busy(self) -> bool:
        return self._open is not None

    def latest(self) -> int:
        return self._count

    def close(self) -> None:
        """The window closes: stop (the service closes the explainers when it ends)."""
        self._closed = True
        self.cancel()

    def _closing(self) -> bool:
        return self._closed or self._outer_closing()

    def _connect(self):
        if self._service is None:
            service = self._service = self._service_of()
            service.began.connect(self._on_began)
            service.progressed.connect(self._on_progressed)
            service.computed.connect(self._on_computed)
            service.superseded_by.connect(self._on_superseded)
            service.failed.connect(self._on_failed)
        return self._service

    def _answered(self, request: WishRequest) -> bool:
        """Whether ``request`` is the newest; it is then answered."""
        if request.request != self._count:
            return False
        self._open = None
        return True

    def _on_began(self, kind: str, request) -> None:
        if kind == WISH and request.request == self._count:
            self.started.emit(request)

    def _on_progressed(self, kind: str, progress) -> None:
        if kind == WISH and progress.request == self._count:
            self.progressed.emit(progress)

    def _on_computed(self, kind: str, result) -> None:
        if kind == WISH and self._answered(result.request):
            self.computed.emit(result)

    def _on_superseded(self, kind: str, request) -> None:
        if kind == WISH and self._answered(request):  # not replaced: the user cancelled
            self.cancelled.emit(request)

    def _on_failed(self, kind: str, request, exc: Exception) -> None:
        if kind != WISH or not self._answered(request):
            return
        if isinstance(exc, ConvVizError):
            error = ErrorInfo.from_exception(exc, str(exc), True)
        else:
            error = ErrorInfo.from_exception(exc, f"{type(exc).__name__}: {exc}", False)
        self.failed.emit(WishFailure(request, error))
