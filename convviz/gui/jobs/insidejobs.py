"""The bridge of the convolution panels: activation maximisation in a worker thread, and their wiring.

:class:`WishJobs` (GUI thread) runs one :class:`WishJob` at a time through the
window's controller (``controller.run_job``: closing the window waits for it).
A newer request cancels the one running (its ``should_stop`` is asked before
every gradient step) and starts when it has stopped: the latest request wins.
The jobs share an :class:`ExplainerCache`, one :class:`convviz.explain.Explainer`
per architecture, built in the first job's thread and fed the numpy weights of
the request. TensorFlow is imported there, never at start-up: by the time a
request comes the window has loaded a model, so TensorFlow is in already.

:func:`attach_inside` adds the two panels (:mod:`convviz.gui.panels.convolution`,
:mod:`convviz.gui.panels.wishes`) to a window as tabs and connects them to its
state: the model in use (its weights, live during training), the chosen digit,
the end of each epoch.

Layering: this module sees both sides (it imports :mod:`convviz.explain`, which
imports TensorFlow, inside the job), like :mod:`convviz.gui.jobs.training`: the import
contracts in pyproject.toml list it as a bridge.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import partial
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


class ExplainerCache:
    """One Explainer per architecture, built by the job that first needs it and reused by the later ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._explainers: dict = {}
        self._closed = False

    def get(self, arch: str):
        with self._lock:
            if self._closed:
                raise RuntimeError("the explainers are closed")
            explainer = self._explainers.get(arch)
            if explainer is None:
                from convviz.explain import Explainer  # TensorFlow: loaded by the window's model already

                explainer = self._explainers[arch] = Explainer(arch)
            return explainer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for explainer in self._explainers.values():
                explainer.close()
            self._explainers.clear()

    def __len__(self) -> int:
        return len(self._explainers)


class WishJob(QtCore.QObject):
    """One activation maximisation, in a thread of its own (``controller.run_job``)."""

    progressed = QtCore.pyqtSignal(object)  # WishProgress
    done = QtCore.pyqtSignal(object)  # WishResult
    cancelled = QtCore.pyqtSignal(object)  # WishRequest
    errored = QtCore.pyqtSignal(object)  # WishFailure
    finished = QtCore.pyqtSignal()

    def __init__(self, request: WishRequest, cache: ExplainerCache, closing: Callable[[], bool]):
        super().__init__()
        self.request = request
        self._cache = cache
        self._closing = closing
        self._stop = threading.Event()
        self._reported = 0.0

    def cancel(self) -> None:
        """Stop before the next gradient step (any thread)."""
        self._stop.set()

    def _should_stop(self) -> bool:
        return self._stop.is_set() or self._closing()

    def _on_progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self.progressed.emit(WishProgress(self.request.request, done, total))

    @QtCore.pyqtSlot()
    def work(self) -> None:
        request = self.request
        started = time.perf_counter()
        try:
            from convviz import explain

            if self._should_stop():
                self.cancelled.emit(request)
                return
            explainer = self._cache.get(request.arch)
            explainer.set_weights(dict(request.weights))
            count = explainer.channel_count(request.layer)
            channels = np.arange(count) if request.channels is None else np.asarray(request.channels, np.int64)
            options = {} if request.steps is None else {"steps": request.steps}
            images = explain.activation_maximisation(
                explainer,
                request.layer,
                channels,
                seed=WISH_SEED,
                should_stop=self._should_stop,
                progress=self._on_progress,
                **options,
            )
            if images is None:
                self.cancelled.emit(request)
                return
            noise = explain.start_noise(len(channels), WISH_SEED)
            _, before = explainer.activation_gradient(noise, request.layer, channels)
            _, after = explainer.activation_gradient(images, request.layer, channels)
            self.done.emit(WishResult(request, channels, images, before, after, time.perf_counter() - started))
        except ConvVizError as exc:
            self.errored.emit(WishFailure(request, ErrorInfo.from_exception(exc, str(exc), True)))
        except Exception as exc:  # a bug: logged with its traceback, reported in one line
            log.exception("activation maximisation failed")
            self.errored.emit(
                WishFailure(request, ErrorInfo.from_exception(exc, f"{type(exc).__name__}: {exc}", False))
            )
        finally:
            if self._closing():
                self._cache.close()  # the window is going: nobody else will close the sessions
            self.finished.emit()


class WishJobs(QtCore.QObject):
    """Activation maximisation on request, one job at a time, the newest request winning (GUI thread)."""

    started = QtCore.pyqtSignal(object)  # WishRequest: its job starts
    progressed = QtCore.pyqtSignal(object)  # WishProgress of the newest request
    computed = QtCore.pyqtSignal(object)  # WishResult of the newest request
    cancelled = QtCore.pyqtSignal(object)  # WishRequest, cancelled and not replaced by a newer one
    failed = QtCore.pyqtSignal(object)  # WishFailure

    def __init__(
        self,
        run_job: Callable[[QtCore.QObject], QtCore.QThread],
        closing: Callable[[], bool] = lambda: False,
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self._run_job = run_job
        self._outer_closing = closing
        self._closed = False
        self.cache = ExplainerCache()
        self._count = 0
        self._job: WishJob | None = None
        self._pending: WishRequest | None = None

    def request(self, arch: str, weights: Mapping, layer: str, channels=None, steps: int | None = None) -> WishRequest:
        """Compute ``layer``'s images under ``weights``; a job running for an older request is cancelled."""
        self._count += 1
        request = WishRequest(self._count, arch, weights, layer, None if channels is None else tuple(channels), steps)
        if self._job is not None:
            self._job.cancel()
            self._pending = request  # starts once the running job has stopped
        else:
            self._start(request)
        return request

    def cancel(self) -> None:
        """Stop the running job and drop a waiting request."""
        self._pending = None
        if self._job is not None:
            self._job.cancel()

    def busy(self) -> bool:
        return self._job is not None or self._pending is not None

    def latest(self) -> int:
        return self._count

    def close(self) -> None:
        """The window closes: stop, and close the explainers now if no job will (a running one does)."""
        self._closed = True
        self.cancel()
        if self._job is None:
            self.cache.close()

    def _closing(self) -> bool:
        """Asked by the jobs, in their threads: no more work, the explainers are to be closed."""
        return self._closed or self._outer_closing()

    def _start(self, request: WishRequest) -> None:
        job = WishJob(request, self.cache, self._closing)
        job.progressed.connect(self._on_progressed)
        job.done.connect(self._on_done)
        job.cancelled.connect(self._on_cancelled)
        job.errored.connect(self._on_errored)
        job.finished.connect(partial(self._on_finished, job))
        self._job = job
        self.started.emit(request)
        self._run_job(job)

    def _on_progressed(self, progress: WishProgress) -> None:
        if progress.request == self._count:
            self.progressed.emit(progress)

    def _on_done(self, result: WishResult) -> None:
        if result.request.request == self._count:
            self.computed.emit(result)

    def _on_cancelled(self, request: WishRequest) -> None:
        if request.request == self._count:  # not replaced: the user cancelled
            self.cancelled.emit(request)

    def _on_errored(self, failure: WishFailure) -> None:
        if failure.request.request == self._count:
            self.failed.emit(failure)

    def _on_finished(self, job: WishJob) -> None:
        if job is not self._job:
            return
        self._job = None
        pending, self._pending = self._pending, None
        if pending is not None and not self._closing():
            self._start(pending)
        elif pending is not None:
            self.cache.close()
