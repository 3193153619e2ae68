"""The jobs behind the evaluation view and the saliency overlay: long-lived, the newest request wins.

Both are bridges like :mod:`convviz.gui.jobs.training`: they import :mod:`convviz.explain`
(TensorFlow) in their own thread and send frozen dataclasses
(:mod:`convviz.events`) back. Each keeps one ``Explainer`` per architecture,
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
import time
from dataclasses import dataclass

import numpy as np
from PyQt5 import QtCore

from convviz.events import EvaluationDone, SaliencyDone, SaliencyRequest
from convviz.gui.jobs.base import IMPORT_LOCK
from convviz.gui.jobs.latest import LatestWinsJob

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


class ExplainerJob(LatestWinsJob):
    """A latest-wins job that keeps one Explainer per architecture in its thread."""

    def __init__(self):
        super().__init__()
        self._explainers: dict = {}  # arch -> explain.Explainer, this job's thread only
        self._weights: dict = {}  # arch -> the weights mapping its explainer holds

    def _close(self) -> None:
        for explainer in self._explainers.values():
            explainer.close()
        self._explainers.clear()

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


class EvaluationJob(ExplainerJob):
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


class SaliencyJob(ExplainerJob):
    """A saliency map of one image, for the newest request."""

    done = QtCore.pyqtSignal(object)  # SaliencyDone

    def _handle(self, request: SaliencyRequest, number: int) -> None:
        started = time.perf_counter()
        explain = _import_explain()
        explainer = self._explainer(request.arch, request.weights)
        saliency = explain.saliency(explainer, request.image, request.method, cls=request.cls)
        self.done.emit(SaliencyDone(request, saliency, time.perf_counter() - started))
