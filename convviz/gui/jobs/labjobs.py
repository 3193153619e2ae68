"""What the adversarial lab, the top-9 view and the saliency sanity check ask the inference service.

Four latest-wins kinds of request of the window's
:class:`~convviz.gui.jobs.inference.InferenceService`, each computed in its
thread with an :class:`~convviz.explain.Explainer` of its own per purpose and
architecture (built, fed and closed there; TF objects never leave it):

* ``attack``: FGSM or PGD on one digit (the drawing or a test digit), untargeted
  or toward a digit (:mod:`convviz.attack`);
* ``robustness``: accuracy against epsilon of the shipped dense, cnn and lenet5
  models on the first test digits (bounded by :data:`ROBUSTNESS_IMAGES`);
* ``topnine``: one pass over the test digits, each conv channel's 9 best
  (:mod:`convviz.topk`);
* ``sanity``: a saliency map of the trained and of a randomised network and
  their rank correlation (:mod:`convviz.saliency_methods`).

:class:`LabJobs` (GUI thread) sends one kind's requests and brings back only
the newest one's answer, like :class:`~convviz.gui.jobs.insidejobs.WishJobs`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text
from convviz.gui.jobs.base import IMPORT_LOCK

log = logging.getLogger(__name__)

ATTACK, ROBUSTNESS, TOPNINE, SANITY = "attack", "robustness", "topnine", "sanity"
KINDS = (ATTACK, SANITY, TOPNINE, ROBUSTNESS)  # the service serves them in this order
ROBUSTNESS_IMAGES = 1000  # test digits per curve: FGSM for three networks in ~10 s on 2 cores
ROBUSTNESS_EPS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
ROBUSTNESS_ARCHS = ("dense", "cnn", "lenet5")
RANDOM_SEED = 0  # the randomised network of the sanity check: the same for every request


def _lab():
    with IMPORT_LOCK:
        from convviz import attack, saliency_methods, topk
        from convviz.explain import _spec_of
        from convviz.model import load_weights
    return attack, saliency_methods, topk, _spec_of, load_weights


@dataclass(frozen=True)
class AttackRequest:
    request: int
    arch: str
    weights: Mapping[str, np.ndarray]
    image: np.ndarray  # (28, 28) in [0, 1]
    label: int | None  # the true digit; None: the network's answer on the clean image
    method: str  # fgsm | pgd
    eps: float
    target: int | None  # None: untargeted; a digit: make the network say it


@dataclass(frozen=True)
class AttackDone:
    request: AttackRequest
    adversarial: np.ndarray  # (28, 28)
    perturbation: np.ndarray  # (28, 28) in [-eps, eps]
    before: np.ndarray  # (10,) probabilities of the clean digit
    after: np.ndarray  # (10,) ... of the adversarial one
    seconds: float


@dataclass(frozen=True)
class RobustnessRequest:
    request: int
    folders: tuple  # ((arch, model folder), ...)
    images: np.ndarray
    labels: np.ndarray
    method: str
    eps: tuple = ROBUSTNESS_EPS


@dataclass(frozen=True)
class RobustnessDone:
    request: RobustnessRequest
    curves: dict  # arch -> (len(eps),) accuracies
    seconds: float


@dataclass(frozen=True)
class TopNineRequest:
    request: int
    arch: str
    weights: Mapping[str, np.ndarray]
    images: np.ndarray  # the test digits


@dataclass(frozen=True)
class TopNineDone:
    request: TopNineRequest
    layers: dict  # layer -> convviz.topk.TopImages (numpy inside)
    seconds: float


@dataclass(frozen=True)
class SanityRequest:
    request: int
    arch: str
    weights: Mapping[str, np.ndarray]
    image: np.ndarray
    method: str
    cls: int | None


@dataclass(frozen=True)
class SanityDone:
    request: SanityRequest
    check: object  # convviz.saliency_methods.SanityCheck (numpy inside)
    seconds: float


@dataclass(frozen=True)
class LabProgress:
    request: int
    done: int
    total: int


def attack_digit(service, request: AttackRequest, should_stop=None, progress=None) -> AttackDone:
    started = time.perf_counter()
    attack, *_ = _lab()
    explainer = service.explainer(ATTACK, request.arch, request.weights)
    before = explainer.predict_proba(request.image)[0]
    label = int(before.argmax()) if request.label is None else request.label
    result = attack.attack(explainer, request.image, label, request.eps, request.method, target=request.target)
    return AttackDone(
        request,
        result.images[0],
        result.perturbation[0],
        before,
        result.probabilities[0],
        time.perf_counter() - started,
    )


def robustness(service, request: RobustnessRequest, should_stop, progress) -> RobustnessDone | None:
    started = time.perf_counter()
    attack, _, _, _, load_weights = _lab()
    curves = {}
    total = len(request.folders)
    for n, (arch, folder) in enumerate(request.folders):
        _, weights, _ = load_weights(folder)
        explainer = service.explainer(ROBUSTNESS, arch, weights)

        def step(done: int, steps: int, n=n) -> None:
            progress(LabProgress(request.request, n * steps + done, total * steps))

        accuracy = attack.accuracy_under_attack(
            explainer, request.images, request.labels, request.eps, request.method, 250, should_stop, step
        )
        if accuracy is None:
            return None
        curves[arch] = np.array([accuracy[e] for e in request.eps])
    return RobustnessDone(request, curves, time.perf_counter() - started)


def top_nine(service, request: TopNineRequest, should_stop, progress) -> TopNineDone | None:
    started = time.perf_counter()
    _, _, topk, spec_of, _ = _lab()
    explainer = service.explainer(TOPNINE, request.arch, request.weights)
    layers = topk.top_activations(
        explainer,
        spec_of(explainer),
        request.images,
        should_stop=should_stop,
        progress=lambda done, total: progress(LabProgress(request.request, done, total)),
    )
    if layers is None:
        return None
    return TopNineDone(request, layers, time.perf_counter() - started)


def sanity(service, request: SanityRequest, should_stop=None, progress=None) -> SanityDone:
    started = time.perf_counter()
    _, methods, *_ = _lab()
    explainer = service.explainer(SANITY, request.arch, request.weights)
    fresh = service.explainer(SANITY + "-random", request.arch, methods.glorot_weights(request.weights, RANDOM_SEED))
    check = methods.sanity_check(explainer, fresh, request.image, request.method, request.cls)
    return SanityDone(request, check, time.perf_counter() - started)


HANDLERS: dict = {ATTACK: attack_digit, ROBUSTNESS: robustness, TOPNINE: top_nine, SANITY: sanity}


class LabJobs(QtCore.QObject):
    """One kind's requests through the inference service, the newest winning (GUI thread)."""

    started = QtCore.pyqtSignal(object)  # the request: the service starts computing it
    progressed = QtCore.pyqtSignal(object)  # LabProgress of the newest request
    computed = QtCore.pyqtSignal(object)  # the newest request's result
    cancelled = QtCore.pyqtSignal(object)  # the request, cancelled and not replaced
    failed = QtCore.pyqtSignal(object, object)  # the request, ErrorInfo

    def __init__(self, kind: str, service: Callable[[], object], closing: Callable[[], bool], parent=None):
        super().__init__(parent)
        self.kind = kind
        self._service_of = service
        self._service = None
        self._outer_closing = closing
        self._closed = False
        self._count = 0
        self._open: int | None = None

    def number(self) -> int:
        """The next request's number (requests carry it; only the newest one's answer comes back)."""
        self._count += 1
        return self._count

    def submit(self, request) -> None:
        if self._closed or self._outer_closing():
            return
        service = self._connect()
        self._open = request.request
        service.submit(self.kind, request)

    def cancel(self) -> None:
        if self._service is not None:
            self._service.cancel(self.kind)

    def busy(self) -> bool:
        return self._open is not None

    def close(self) -> None:
        self._closed = True
        self.cancel()

    def _connect(self):
        if self._service is None:
            service = self._service = self._service_of()
            service.began.connect(self._on_began)
            service.progressed.connect(self._on_progressed)
            service.computed.connect(self._on_computed)
            service.superseded_by.connect(self._on_superseded)
            service.failed.connect(self._on_failed)
        return self._service

    def _answered(self, request) -> bool:
        if request.request != self._count:
            return False
        self._open = None
        return True

    def _on_began(self, kind: str, request) -> None:
        if kind == self.kind and request.request == self._count:
            self.started.emit(request)

    def _on_progressed(self, kind: str, progress) -> None:
        if kind == self.kind and progress.request == self._count:
            self.progressed.emit(progress)

    def _on_computed(self, kind: str, result) -> None:
        if kind == self.kind and self._answered(result.request):
            self.computed.emit(result)

    def _on_superseded(self, kind: str, request) -> None:
        if kind == self.kind and self._answered(request):
            self.cancelled.emit(request)

    def _on_failed(self, kind: str, request, exc: Exception) -> None:
        if kind != self.kind or not self._answered(request):
            return
        user_error = isinstance(exc, (ConvVizError, ValueError))
        self.failed.emit(request, ErrorInfo.from_exception(exc, error_text(exc), user_error))
