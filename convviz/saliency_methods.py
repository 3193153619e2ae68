"""Saliency that can be trusted: Integrated Gradients, SmoothGrad and the randomised-weights sanity check.

The core, no Qt; beside :func:`convviz.explain.saliency` (occlusion, gradient, gradient x input).

* :func:`integrated_gradients` (Sundararajan et al. 2017): the input minus a black
  baseline, times the mean gradient of the class logit along the straight path
  from the baseline to the input (``steps`` points at the middles of equal
  intervals, one batched run). Its attributions add up to logit(x) - logit(baseline)
  (completeness), up to the error of the sum.
* :func:`smoothgrad` (Smilkov et al. 2017): the mean gradient of the class logit
  over ``samples`` copies of the input with Gaussian noise of ``sigma`` (in
  pixel units, the pixels being in [0, 1]); sigma 0 is the plain gradient.
* :func:`sanity_check` (Adebayo et al. 2018, "Sanity Checks for Saliency Maps"):
  the same method's map for the trained network and for the same network with
  its weights re-initialised as training starts them (Glorot-uniform kernels,
  zero biases), and the Spearman rank correlation of their absolute values. A
  map that explains the network changes when the network is destroyed: the
  correlation is far below 1. A map that stays (near 1) shows the input, not
  the network. Maps multiplied by the input (gradient x input, Integrated
  Gradients) are zero on the whole black background for any weights, so their
  correlation over all pixels is near 1 by construction; the correlation over
  the ink's pixels alone says whether they depend on the weights there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz import explain
from convviz.constants import IMAGE_SIZE
from convviz.convmath import ExplainError, _is_int
from convviz.explain import METHODS as BASIC_METHODS
from convviz.explain import Explainer, Saliency, _image28

__all__ = [
    "METHODS",
    "SanityCheck",
    "any_saliency",
    "glorot_weights",
    "integrated_gradients",
    "sanity_check",
    "smoothgrad",
    "spearman",
]

METHODS = (*BASIC_METHODS, "integrated_gradients", "smoothgrad")
IG_STEPS = 48  # points on the path: completeness within ~1 % on the shipped networks
SMOOTH_SAMPLES = 25
SMOOTH_SIGMA = 0.15  # Smilkov et al.'s 10-20 % of the input's range
MAX_STEPS = 1000
MAX_SIGMA = 1.0


def _predicted(explainer: Explainer, x: np.ndarray, cls) -> tuple[int, float]:
    return explainer.class_probability(x, cls)


def integrated_gradients(
    explainer: Explainer, image: np.ndarray, cls: int | None = None, steps: int = IG_STEPS, baseline=None
) -> Saliency:
    """Integrated Gradients of class ``cls`` (None: the predicted one) from ``baseline`` (None: black)."""
    if not (_is_int(steps) and 1 <= steps <= MAX_STEPS):
        raise ExplainError(f"Integrated Gradients takes 1 to {MAX_STEPS} steps, got {steps!r}")
    x = _image28(image)
    base = np.zeros_like(x) if baseline is None else _image28(baseline)
    cls, probability = _predicted(explainer, x, cls)
    alphas = (np.arange(steps, dtype=np.float32) + 0.5) / steps  # the middle of each interval
    path = base[None] + alphas[:, None, None] * (x - base)[None]
    grads, _, _ = explainer.logit_gradients(path, [cls] * steps)
    attribution = (x - base) * grads.mean(axis=0)
    return Saliency(attribution.astype(np.float32), cls, "integrated_gradients", probability)


def smoothgrad(
    explainer: Explainer,
    image: np.ndarray,
    cls: int | None = None,
    samples: int = SMOOTH_SAMPLES,
    sigma: float = SMOOTH_SIGMA,
    seed: int = 0,
) -> Saliency:
    """SmoothGrad of class ``cls`` (None: the predicted one of the clean image); the noise is seeded by ``seed``."""
    if not (_is_int(samples) and 1 <= samples <= MAX_STEPS):
        raise ExplainError(f"SmoothGrad takes 1 to {MAX_STEPS} samples, got {samples!r}")
    if not (isinstance(sigma, (int, float)) and 0.0 <= sigma <= MAX_SIGMA):
        raise ExplainError(f"the noise must be 0 to {MAX_SIGMA}, got {sigma!r}")
    x = _image28(image)
    cls, probability = _predicted(explainer, x, cls)
    noise = np.random.RandomState(seed).normal(0.0, 1.0, (samples, IMAGE_SIZE, IMAGE_SIZE)).astype(np.float32)
    grads, _, _ = explainer.logit_gradients(x[None] + float(sigma) * noise, [cls] * samples)
    return Saliency(grads.mean(axis=0).astype(np.float32), cls, "smoothgrad", probability)


def any_saliency(explainer: Explainer, image: np.ndarray, method: str, cls: int | None = None) -> Saliency:
    """The saliency map of ``image`` by any of :data:`METHODS`."""
    if method == "integrated_gradients":
        return integrated_gradients(explainer, image, cls)
    if method == "smoothgrad":
        return smoothgrad(explainer, image, cls)
    if method not in BASIC_METHODS:
        raise ExplainError(f"unknown saliency method {str(method)[:30]!r}; choose one of {', '.join(METHODS)}")
    return explain.saliency(explainer, image, method, cls)  # looked up now: the window's test watches it


# -- the sanity check --------------------------------------------------------------------------------
def glorot_weights(weights: dict[str, np.ndarray], seed: int = 0) -> dict[str, np.ndarray]:
    """Fresh weights of the same shapes, as training starts them: Glorot-uniform kernels, zero biases."""
    rng = np.random.RandomState(seed)
    fresh = {}
    for name in sorted(weights):
        value = np.asarray(weights[name])
        if value.ndim >= 2:  # conv (kh, kw, in, out) or dense (in, out) kernels
            receptive = int(np.prod(value.shape[:-2])) if value.ndim > 2 else 1
            fan_in, fan_out = value.shape[-2] * receptive, value.shape[-1] * receptive
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            fresh[name] = rng.uniform(-limit, limit, value.shape).astype(value.dtype)
        else:
            fresh[name] = np.zeros_like(value)
    return fresh


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``values``, ties sharing their mean rank (as scipy.stats.rankdata)."""
    v = np.asarray(values, np.float64).reshape(-1)
    order = np.argsort(v, kind="mergesort")
    sorted_v = v[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_v)) + 1]
    ends = np.r_[starts[1:], len(v)]
    mean_rank = (starts + ends + 1) / 2.0  # ranks start+1 .. end, their mean
    ranks = np.empty(len(v), np.float64)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two arrays of equal size (0 when either is constant)."""
    ra, rb = _ranks(a), _ranks(b)
    if ra.shape != rb.shape:
        raise ExplainError(f"two maps of different sizes: {np.size(a)} and {np.size(b)}")
    ra, rb = ra - ra.mean(), rb - rb.mean()
    norm = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / norm) if norm > 0 else 0.0


@dataclass(frozen=True, eq=False)
class SanityCheck:
    """One method's map for the trained and for the randomised network, and how alike they rank."""

    method: str
    cls: int
    trained: np.ndarray  # (28, 28) float32
    randomised: np.ndarray  # (28, 28) float32
    correlation: float  # Spearman's rho of the absolute maps: near 1, the map does not depend on the weights
    ink_correlation: float  # the same over the ink's pixels only (x * gradient is 0 on all the background in both)


def sanity_check(
    explainer: Explainer, randomised: Explainer, image: np.ndarray, method: str, cls: int | None = None
) -> SanityCheck:
    """Compare ``method``'s map of ``image`` on ``explainer`` and on ``randomised`` (same architecture,
    weights from :func:`glorot_weights`), for the class the trained network predicts (or ``cls``)."""
    if randomised.arch != explainer.arch:
        raise ExplainError(f"the randomised network is a {randomised.arch}, not a {explainer.arch}")
    trained = any_saliency(explainer, image, method, cls)
    other = any_saliency(randomised, image, method, trained.cls)
    a, b = np.abs(trained.map), np.abs(other.map)
    ink = _image28(image) > 0
    rho_ink = spearman(a[ink], b[ink]) if ink.sum() > 1 else 0.0
    return SanityCheck(method, trained.cls, trained.map, other.map, spearman(a, b), rho_ink)


def randomised_explainer(explainer: Explainer, seed: int = 0) -> Explainer:
    """A new Explainer of ``explainer``'s architecture with :func:`glorot_weights` (this thread owns it)."""
    fresh = Explainer(explainer.arch)
    fresh.set_weights(glorot_weights(explainer.get_weights(), seed))
    return fresh
