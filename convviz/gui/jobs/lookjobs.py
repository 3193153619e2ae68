"""The bridge of the embedding and diagnostics panels: their work in the inference service.

Both views look at many test digits under one set of weights (a training
snapshot, a loaded model): :func:`embed` maps each layer's activations of the
fixed sample to 2-D (:mod:`convviz.embedding`), :func:`diagnose` counts dead
units and makes the histograms (:mod:`convviz.diagnostics`). They run in the
window's inference service with a :class:`convviz.layerprobe.LayerProbe` per
architecture of its own (built, fed and closed in the service's thread); the
newest request of each kind wins. :class:`LatestJobs` is the GUI thread's side.

Layering: this module sees both sides (it imports the core's TensorFlow modules
inside the handlers), like :mod:`convviz.gui.jobs.insidejobs`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo

EMBEDDING = "embedding"  # the inference service's kinds of request
DIAGNOSTICS = "diagnostics"


@dataclass(frozen=True)
class EmbeddingRequest:
    """The maps of ``images`` (test digits ``indices``) under ``weights``."""

    request: int
    arch: str
    weights: Mapping[str, np.ndarray]
    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray
    method: str = "pca"
    layers: tuple | None = None
    previous: object = None  # the last convviz.embedding.Embedding: its PCA directions keep their sign
    step: int | None = None


@dataclass(frozen=True)
class DiagnosticsEntry:
    """One run's weights to diagnose: ``key`` names it in the panel."""

    key: object
    title: str
    arch: str
    weights: Mapping[str, np.ndarray]
    step: int
    update_ratios: Mapping[str, float] | None = None


@dataclass(frozen=True)
class DiagnosticsRequest:
    request: int
    entries: tuple  # DiagnosticsEntry
    images: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class LookResult:
    request: object
    value: object  # an Embedding, or a tuple of (entry, Diagnostics)
    seconds: float


def _probe(service, arch: str, weights):
    from convviz.layerprobe import LayerProbe

    probe = service.keep(("layerprobe", arch), lambda: LayerProbe(arch))
    probe.set_weights(dict(weights))
    return probe


def embed(service, request: EmbeddingRequest, should_stop: Callable[[], bool], progress: Callable):
    """The maps of ``request`` (the inference service's thread); None when a newer request stopped it."""
    from convviz import embedding

    started = time.perf_counter()
    probe = _probe(service, request.arch, request.weights)
    result = embedding.embedding_of(
        probe,
        request.images,
        request.labels,
        request.indices,
        request.layers,
        request.method,
        request.previous,
        should_stop,
    )
    return None if result is None else LookResult(request, result, time.perf_counter() - started)


def diagnose(service, request: DiagnosticsRequest, should_stop: Callable[[], bool], progress: Callable):
    """The diagnostics of each entry of ``request`` (the inference service's thread); None when stopped."""
    from convviz import diagnostics

    started = time.perf_counter()
    results = []
    for entry in request.entries:
        probe = _probe(service, entry.arch, entry.weights)
        value = diagnostics.diagnose(
            probe, request.images, request.labels, entry.update_ratios, entry.step, should_stop=should_stop
        )
        if value is None:
            return None
        results.append((entry, value))
    return LookResult(request, tuple(results), time.perf_counter() - started)


class LatestJobs(QtCore.QObject):
    """Requests of one kind through the inference service, the newest winning (GUI thread)."""

    computed = QtCore.pyqtSignal(object)  # LookResult of the newest request
    failed = QtCore.pyqtSignal(object)  # ErrorInfo of the newest request

    def __init__(self, kind: str, service: Callable[[], object], closing: Callable[[], bool], parent=None):
        super().__init__(parent)
        self._kind = kind
        self._service_of = service
        self._service = None
        self._closing = closing
        self._closed = False
        self._count = 0
        self._open: int | None = None

    def next_number(self) -> int:
        self._count += 1
        return self._count

    def submit(self, request) -> None:
        """Compute ``request`` (numbered by :meth:`next_number`); an older one still running stops."""
        if self._closed or self._closing():
            return
        service = self._connect()
        self._open = request.request
        service.submit(self._kind, request)

    def busy(self) -> bool:
        return self._open is not None

    def close(self) -> None:
        self._closed = True
        if self._service is not None:
            self._service.cancel(self._kind)

    def _connect(self):
        if self._service is None:
            service = self._service = self._service_of()
            service.computed.connect(self._on_computed)
            service.superseded_by.connect(self._on_superseded)
            service.failed.connect(self._on_failed)
        return self._service

    def _newest(self, kind: str, request) -> bool:
        if kind != self._kind or request.request != self._count:
            return False
        self._open = None
        return True

    def _on_computed(self, kind: str, result) -> None:
        if self._newest(kind, result.request):
            self.computed.emit(result)

    def _on_superseded(self, kind: str, request) -> None:
        self._newest(kind, request)

    def _on_failed(self, kind: str, request, exc: Exception) -> None:
        if not self._newest(kind, request):
            return
        user_error = isinstance(exc, ConvVizError)
        message = str(exc) if user_error else f"{type(exc).__name__}: {exc}"
        self.failed.emit(ErrorInfo.from_exception(exc, message.splitlines()[0] if message else "", user_error))
