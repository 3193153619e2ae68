"""Whether training is healthy, per layer: histograms, dead ReLU units and the update-to-weight ratio.

For one set of weights (a training snapshot, a saved model) and 1,000 fixed test
digits, :func:`diagnose` gives per layer with weights (conv, dense, logits):

- histograms of the kernel's weights, of the layer's activations and of the
  loss's gradient with respect to the kernel (on the first 250 digits);
- the share of dead ReLU units: conv channels or dense units that are zero on
  every position of every one of the digits (they learn nothing any more);
- log10 of the update-to-weight ratio ``|W(t+1) - W(t)| / |W(t)|`` of one
  training step (:func:`update_ratios`, measured by :class:`convviz.run.RunSession`
  at the step after each snapshot): about -3 is healthy; far above, the steps
  are too big (a learning rate too high); far below, the layer hardly learns.

numpy only; the activations and gradients come from a
:class:`convviz.layerprobe.LayerProbe` (anything with ``batched_activations``,
``kernel_gradients``, ``relu_layers`` and ``endpoints.kernels`` will do).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

DIAGNOSTIC_IMAGES = 1000  # a unit that is zero on all of these counts as dead
GRADIENT_IMAGES = 250  # the gradients are those of the mean loss over the first of them
HISTOGRAM_BINS = 40
HISTOGRAM_VALUES = 200_000  # values per layer a histogram is made from (an even sample of the rest)
HEALTHY_LOG10_RATIO = -3.0  # Karpathy's rule of thumb for the update-to-weight ratio


@dataclass(frozen=True)
class Histogram:
    counts: np.ndarray  # (bins,) int64
    edges: np.ndarray  # (bins + 1,) float64

    @classmethod
    def of(cls, values: np.ndarray, bins: int = HISTOGRAM_BINS) -> Histogram:
        """A histogram of the finite ``values`` over their own range (one bin around 0 if all are equal)."""
        x = np.asarray(values, np.float64).ravel()
        x = x[np.isfinite(x)]
        if len(x) > HISTOGRAM_VALUES:
            x = x[:: math.ceil(len(x) / HISTOGRAM_VALUES)]
        if len(x) == 0:
            return cls(np.zeros(bins, np.int64), np.linspace(-1, 1, bins + 1))
        low, high = float(x.min()), float(x.max())
        if high <= low:
            low, high = low - 0.5, high + 0.5
        counts, edges = np.histogram(x, bins=bins, range=(low, high))
        return cls(counts.astype(np.int64), edges)


@dataclass(frozen=True)
class LayerDiagnostics:
    layer: str
    weights: Histogram
    activations: Histogram
    gradients: Histogram | None  # None: no labels to take a loss of
    units: int  # channels (conv) or units (dense)
    dead_units: int | None  # None: no ReLU after the layer (the logits)
    update_log10: float | None  # None: not measured (a saved model, the first snapshot)

    @property
    def dead_share(self) -> float | None:
        return None if self.dead_units is None else self.dead_units / max(self.units, 1)


@dataclass(frozen=True)
class Diagnostics:
    """Every weighted layer's diagnostics under one set of weights, input to output."""

    arch: str
    step: int
    layers: tuple  # LayerDiagnostics
    images: int  # digits the dead units were counted on
    run_id: int | None = None

    def layer(self, name: str) -> LayerDiagnostics | None:
        return next((d for d in self.layers if d.layer == name), None)

    @property
    def dead_units(self) -> int:
        return sum(d.dead_units or 0 for d in self.layers)

    @property
    def relu_units(self) -> int:
        return sum(d.units for d in self.layers if d.dead_units is not None)

    @property
    def dead_share(self) -> float:
        """Dead units over all ReLU units of the network."""
        return self.dead_units / max(self.relu_units, 1)

    def to_json(self) -> dict:
        return {
            "arch": self.arch,
            "step": self.step,
            "images": self.images,
            "dead_share": round(self.dead_share, 6),
            "layers": [
                {
                    "layer": d.layer,
                    "units": d.units,
                    "dead_units": d.dead_units,
                    "update_log10": None if d.update_log10 is None else round(d.update_log10, 4),
                }
                for d in self.layers
            ],
        }


def update_ratios(before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Layer -> ``|K_after - K_before| / |K_before|`` of each kernel (``<layer>/kernel``) in both."""
    ratios = {}
    for name, old in before.items():
        layer, _, part = name.rpartition("/")
        if part != "kernel" or name not in after:
            continue
        # float32 dot products: this runs in the training thread at every snapshot, and float64 copies
        # and norms of the cnn's 0.6 M kernel numbers took it 3 ms (0.2 ms so), for a number shown as a log
        old = np.asarray(old, np.float32).ravel()
        change = np.asarray(after[name], np.float32).ravel() - old
        norm = math.sqrt(float(np.dot(old, old)))
        if norm > 0:
            ratios[layer] = math.sqrt(float(np.dot(change, change))) / norm
    return ratios


def log10_ratio(ratio: float | None) -> float | None:
    """log10 of ``ratio``; a step that changed nothing reads as -12 (a number JSON can hold)."""
    if ratio is None or not math.isfinite(ratio):
        return None
    return math.log10(max(ratio, 1e-12))


def alive_units(activation: np.ndarray) -> np.ndarray:
    """(units,) bool: which channels (N, H, W, C) or units (N, U) are above zero anywhere in the batch."""
    a = np.asarray(activation)
    return (a > 0).reshape(-1, a.shape[-1]).any(axis=0)


def diagnose(
    probe,
    images: np.ndarray,
    labels: np.ndarray | None = None,
    ratios: Mapping[str, float] | None = None,
    step: int = 0,
    run_id: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Diagnostics | None:
    """The diagnostics of ``probe``'s current weights on ``images`` (None when ``should_stop()`` ended it)."""
    kernels = list(probe.endpoints.kernels)
    relu = set(probe.relu_layers)
    alive: dict[str, np.ndarray] = {}
    samples: dict[str, list] = {name: [] for name in kernels}
    seen = 0
    for batch in probe.batched_activations(images, should_stop=should_stop):
        for name in kernels:
            value = batch[name]
            if name in relu:
                hit = alive_units(value)
                alive[name] = hit if name not in alive else alive[name] | hit
            # an even sample of about HISTOGRAM_VALUES over all batches: the conv maps would take 200 MB
            stride = max(1, math.ceil(value.size * len(images) / max(len(value), 1) / HISTOGRAM_VALUES))
            samples[name].append(value.ravel()[::stride])
        seen += len(batch[kernels[0]])
    if seen < len(images):
        return None
    weights = probe.kernels()
    gradients = None
    if labels is not None:
        count = min(GRADIENT_IMAGES, len(images))
        gradients = probe.kernel_gradients(images[:count], np.asarray(labels)[:count])
    layers = []
    for name in kernels:
        units = int(weights[name].shape[-1])
        dead = int(np.sum(~alive[name])) if name in alive else None
        ratio = None if ratios is None else ratios.get(name)
        layers.append(
            LayerDiagnostics(
                name,
                Histogram.of(weights[name]),
                Histogram.of(np.concatenate(samples[name])),
                None if gradients is None else Histogram.of(gradients[name]),
                units,
                dead,
                log10_ratio(ratio),
            )
        )
    return Diagnostics(probe.arch, int(step), tuple(layers), len(images), run_id)
