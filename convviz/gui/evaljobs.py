"""The jobs behind the evaluation view and the saliency overlay: long-lived, the newest request wins.

Both are bridges like :mod:`convviz.gui.worker`: they import :mod:`convviz.explain`
(TensorFlow) in their own thread and send frozen dataclasses
(:mod:`convviz.gui.events`) back. Each keeps one ``Explainer`` per architecture,
built once in its thread and used only there; the weights of a request are
copied in only when they are other weights than last time (a ``ModelRef``'s
arrays are never changed, so identity says it).

A request replaces the one still waiting (the drawing moved on, the model
changed); a confusion being computed stops at its next batch when a newer
request arrives, so the evaluation never works for weights nobody shows any
more. A saliency map being computed is finished and sent: it is the most
recent picture there is, and the next request follows at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.gui.events import ErrorInfo, EvaluationDone, SaliencyDone, SaliencyRequest
from convviz.gui.worker import IMPORT_LOCK, error_text

log = logging.getLogger(__name__)

EVALUATION_BATCH = 500  # test images per run: a newer request stops the old one within ~50 ms (cnn)


def _import_explain():
    with IMPORT_LOCK:
        from convviz import explain
    return explain


@dataclass(frozen=True)
class EvaluationRequest:
    request: int
    model: object  # state.ModelRef: arch and numpy weights
    images: np.ndarray  # (N, 28, 28, 1) test images
    labels: np.ndarray  # (N,)


class LatestWinsJob(QtCore.QObject):
    """A job that runs until :meth:`stop`, computing the newest request :meth:`submit` gave it."""

    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self):
        super().__init__()
        self._condition = threading.Condition()
        self._pending = None
        self._submitted = 0  # how many requests were submitted: the newest has this number
        self._stopped = False
        self._explainers: dict = {}  # arch -> explain.Explainer, this job's thread only
        self._weights: dict = {}  # arch -> the weights mapping its explainer holds

    def submit(self, request) -> None:
        """Compute ``request`` next (any thread); a request still waiting is dropped."""
        with self._condition:
            self._pending = request
            self._submitted += 1
            self._condition.notify()

    def stop(self) -> None:
        """End the job: a computation in progress stops at its next batch (any thread)."""
        with self._condition:
            self._stopped = True
            self._condition.notify()

    def superseded(self, number: int) -> bool:
        """Whether request ``number`` is no longer the newest (or the job is stopping)."""
        return self._stopped or self._submitted != number

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            while True:
                with self._condition:
                    while self._pending is None and not self._stopped:
                        self._condition.wait()
                    if self._stopped:
                        break
                    request, number, self._pending = self._pending, self._submitted, None
                try:
                    self._handle(request, number)
                except Exception as exc:  # reported; the job goes on with the next request
                    user_error = isinstance(exc, (ConvVizError, ValueError))
                    if not user_error:
                        log.exception("%s failed", type(self).__name__)
                    self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))
        finally:
            for explainer in self._explainers.values():
                explainer.close()
            self._explainers.clear()
            self.finished.emit()

    def _handle(self, request, number: int) -> None:
        raise NotImplementedError

    def _explainer(self, arch: str, weights):
        """This thread's Explainer of ``arch``, holding ``weights``."""
        explain = _import_explain()
        explainer = self._explainers.get(arch)
        if explainer is None:
            explainer = self._explainers[arch] = explain.Explainer(arch)
        if self._weights.get(arch) is not weights:
            explainer.set_weights(dict(weights))
            self._weights[arch] = weights
        return explainer


class EvaluationJob(LatestWinsJob):
    """The confusion matrix of the test set, in batches, for the newest model asked for."""

    done = QtCore.pyqtSignal(object)  # EvaluationDone

    def _handle(self, request: EvaluationRequest, number: int) -> None:
        started = time.perf_counter()
        model = request.model
        explainer = self._explainer(model.arch, model.weights)
        confusion = _import_explain().confusion(
            explainer,
            request.images,
            request.labels,
            batch_size=EVALUATION_BATCH,
            should_stop=lambda: self.superseded(number),
        )
        if confusion is None:
            log.debug("evaluation %d superseded", request.request)
            return
        self.done.emit(EvaluationDone(request.request, model, confusion, time.perf_counter() - started))


class SaliencyJob(LatestWinsJob):
    """A saliency map of one image, for the newest request."""

    done = QtCore.pyqtSignal(object)  # SaliencyDone

    def _handle(self, request: SaliencyRequest, number: int) -> None:
        started = time.perf_counter()
        explain = _import_explain()
        explainer = self._explainer(request.arch, request.weights)
        saliency = explain.saliency(explainer, request.image, request.method, cls=request.cls)
        self.done.emit(SaliencyDone(request, saliency, time.perf_counter() - started))
