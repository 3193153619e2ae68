"""What the evaluation view and the saliency overlay ask the inference service, and how it answers.

Both run in the :class:`~convviz.gui.jobs.inference.InferenceService`'s thread,
each with an ``Explainer`` per architecture of its own (built there, used only
there), and send frozen dataclasses (:mod:`convviz.events`) back. The newest
request of each kind wins: one still waiting is replaced; a confusion being
computed stops at its next batch when a newer request arrives, so the
evaluation never works for weights nobody shows any more. A saliency map being
computed is finished and sent: it is the most recent picture there is, and the
next request follows at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from convviz.events import EvaluationDone, SaliencyDone, SaliencyRequest
from convviz.gui.jobs.base import IMPORT_LOCK
from convviz.gui.jobs.inference import import_explain

log = logging.getLogger(__name__)

EVALUATION_BATCH = 500  # test images per run: a newer request stops the old one within ~50 ms (cnn)
EVALUATION = "evaluation"  # the service's kinds of request
SALIENCY = "saliency"


@dataclass(frozen=True)
class EvaluationRequest:
    request: int
    model: object  # state.ModelRef: arch and numpy weights
    images: np.ndarray  # (N, 28, 28, 1) test images
    labels: np.ndarray  # (N,)


def evaluate(service, request: EvaluationRequest, should_stop, progress=None) -> EvaluationDone | None:
    """The confusion matrix of the test set in batches (the service's thread); None when superseded."""
    started = time.perf_counter()
    model = request.model
    explainer = service.explainer(EVALUATION, model.arch, model.weights)
    confusion = import_explain().confusion(
        explainer, request.images, request.labels, batch_size=EVALUATION_BATCH, should_stop=should_stop
    )
    if confusion is None:
        log.debug("evaluation %d superseded", request.request)
        return None
    return EvaluationDone(request.request, model, confusion, time.perf_counter() - started)


def saliency(service, request: SaliencyRequest, should_stop=None, progress=None) -> SaliencyDone:
    """A saliency map of one image (the service's thread)."""
    started = time.perf_counter()
    explainer = service.explainer(SALIENCY, request.arch, request.weights)
    with IMPORT_LOCK:
        from convviz.saliency_methods import any_saliency  # explain's methods, Integrated Gradients, SmoothGrad
    result = any_saliency(explainer, request.image, request.method, cls=request.cls)
    return SaliencyDone(request, result, time.perf_counter() - started)
