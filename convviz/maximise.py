"""Activation maximisation: the input a filter wants, by gradient ascent from grey noise.

For each channel of a conv (or pool) layer, an image climbs the channel's mean
activation, regularised by L2 decay, jitter and blur (Yosinski et al. 2015,
"Understanding Neural Networks Through Deep Visualization"). The gradients come
from :meth:`convviz.explain.Explainer.activation_gradient`; this module itself is
numpy only. :mod:`convviz.explain` re-exports its functions.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from convviz.constants import IMAGE_SIZE
from convviz.convmath import ExplainError, _is_int

if TYPE_CHECKING:
    from convviz.explain import Explainer

# What each does: see activation_maximisation's docstring.
AM_STEPS = 64  # gradient steps per batch of channels
AM_LR = 0.2  # the largest change of a pixel in one step (the step is normalised by the largest gradient)
AM_L2 = 0.005  # decay of every pixel toward 0 (MNIST's background) per step
AM_JITTER = 2  # the image is shifted by up to this many pixels before each step (np.roll)
AM_BLUR_EVERY = 4  # a Gaussian blur every this many steps ...
AM_BLUR_SIGMA = 0.5  # ... of this width in pixels
AM_START = 0.13  # the start: grey at MNIST's mean pixel (as OCCLUSION_FILL) ...
AM_NOISE = 0.05  # ... plus uniform noise of this amplitude (clipped to [0, 1])
AM_LEAK = 0.1  # a conv channel's objective is its mean leaky ReLU while optimising (dead starts still move)
AM_BATCH = 128  # channels optimised together (one image each)
AM_SETTLE = 0.25  # the last quarter of the steps: no jitter, no blur (the image settles where the channel looks)
AM_RISE = 10.0  # a channel its image fires less than this many times as strongly as its start did ...
AM_RETRIES = 3  # ... climbs again from other noise (the next seeds) at half the rate each time; the best image is kept
MAX_AM_STEPS = 10_000
MAX_AM_RETRIES = 10  # climbs again per weak channel: more is a mistake
MAX_AM_RISE = 1e6  # a rise asked of a channel beyond this is a typo (the median channel rises 40-90x)


def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Blur (N, H, W) images with a Gaussian of ``sigma`` pixels (separable, edges reflected); numpy only."""
    radius = max(1, math.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = np.asarray(images, np.float64)
    for axis in (1, 2):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="reflect")
        size = out.shape[axis]
        out = sum(w * np.take(padded, np.arange(i, i + size), axis=axis) for i, w in enumerate(taps))
    return out.astype(np.float32)


def start_noise(count: int, seed: int = 0) -> np.ndarray:
    """(count, 28, 28) float32: activation maximisation's start, grey noise (AM_START +- AM_NOISE, in [0, 1])."""
    rng = np.random.RandomState(seed)
    noise = rng.uniform(-AM_NOISE, AM_NOISE, (count, IMAGE_SIZE, IMAGE_SIZE))
    return np.clip(AM_START + noise, 0.0, 1.0).astype(np.float32)


def activation_maximisation(
    explainer: Explainer,
    layer: str,
    channels: Sequence[int] | None = None,
    steps: int = AM_STEPS,
    lr: float = AM_LR,
    l2: float = AM_L2,
    jitter: int = AM_JITTER,
    blur_every: int = AM_BLUR_EVERY,
    blur_sigma: float = AM_BLUR_SIGMA,
    batch_size: int = AM_BATCH,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    leak: float = AM_LEAK,
    settle: float = AM_SETTLE,
    rise: float = AM_RISE,
    retries: int = AM_RETRIES,
) -> np.ndarray | None:
    """Images (len(channels), 28, 28) in [0, 1] that make each channel of ``layer`` fire strongly.

    Each image starts as grey noise (0.5 + uniform noise of ``AM_NOISE``, seeded
    by ``seed``) and climbs its channel's mean activation (:meth:`Explainer.activation_gradient`,
    with a leaky ReLU of slope ``leak`` so that a channel off everywhere still
    moves): per step it is shifted by a random (dy, dx) of up to ``jitter``
    pixels (np.roll), its gradient is taken and shifted back, the image moves by
    ``lr`` times the gradient divided by its largest absolute value, decays by
    the factor (1 - ``l2``) toward 0 (MNIST's black background), is blurred by a
    Gaussian of ``blur_sigma`` every ``blur_every`` steps (0: never), and is
    clipped to [0, 1]. The last ``settle`` share of the steps goes without jitter
    and blur: they keep the picture smooth and whole while it forms, but held to
    the end they also hold a channel that wants a sharp pattern at one place to
    a fraction of what it can give (two conv2 channels of the cnn shipped before
    stopped at 4x and 6x the grey start; settled, every channel rose at least
    10x). ``channels`` None means every channel of the layer;
    they run in batches of ``batch_size``, one image per channel.

    A climb can still end where it began: a channel that hardly fires for grey
    noise may stay off, or its leaky climb may lead where its ReLU is off
    (conv2 channels 60 and 77 of the cnn retrained with bolder variants: 6.9x
    and 1.8x), often because the steps are too coarse for it. A channel its
    image fires less than ``rise`` times as strongly as its start did climbs
    again from the noise of the next seed at half the rate, then a quarter and
    an eighth, up to ``retries`` times, and keeps the image that fires it most
    (measured without the leak, as the picture will be read): those two rose
    15x and 9x, and the whole layer took no longer (bench/results/explain.md).

    ``progress(done, total)`` is called after every step (in the calling thread;
    ``total`` = steps x batches; the retries, a few channels at most, are not
    counted). ``should_stop()`` is asked before every step, retries included;
    when it answers True the work stops and None is returned (no exception).
    """
    count = explainer.channel_count(layer)
    chosen = np.arange(count) if channels is None else np.asarray(channels, np.int64).reshape(-1)
    if len(chosen) == 0:
        raise ExplainError("no channels to visualise")
    if chosen.min() < 0 or chosen.max() >= count:
        raise ExplainError(f"layer {layer} has channels 0 to {count - 1}")
    if not (_is_int(steps) and 1 <= steps <= MAX_AM_STEPS):
        raise ExplainError(f"steps must be 1 to {MAX_AM_STEPS}, got {steps!r}")
    if not (_is_int(batch_size) and batch_size >= 1):
        raise ExplainError(f"the batch size must be at least 1, got {batch_size!r}")
    if not (_is_int(jitter) and 0 <= jitter < IMAGE_SIZE):
        raise ExplainError(f"jitter must be 0 to {IMAGE_SIZE - 1} pixels, got {jitter!r}")
    if not 0.0 <= float(settle) <= 1.0:
        raise ExplainError(f"the settling share must be 0 to 1, got {settle!r}")
    if not (isinstance(rise, (int, float)) and 0.0 <= float(rise) <= MAX_AM_RISE):
        raise ExplainError(f"the rise must be a number from 0 to {MAX_AM_RISE:g}, got {rise!r}")
    if not (_is_int(retries) and 0 <= retries <= MAX_AM_RETRIES):
        raise ExplainError(f"retries must be 0 to {MAX_AM_RETRIES}, got {retries!r}")
    calm = steps - round(float(settle) * steps)  # the first step without jitter and blur

    def climb(x: np.ndarray, which: np.ndarray, rng: np.random.RandomState, rate: float, counted: bool):
        nonlocal done
        for step in range(steps):
            if should_stop is not None and should_stop():
                return None
            dy, dx = rng.randint(-jitter, jitter + 1, size=2) if jitter else (0, 0)
            if step >= calm:
                dy = dx = 0
            shifted = np.roll(x, (dy, dx), axis=(1, 2))
            grads, _ = explainer.activation_gradient(shifted, layer, which, leak=leak)
            grads = np.roll(grads, (-dy, -dx), axis=(1, 2))
            scale = np.abs(grads).max(axis=(1, 2), keepdims=True)
            x = x + rate * grads / np.maximum(scale, 1e-12)
            x = x * (1.0 - l2)
            if blur_every and (step + 1) % blur_every == 0 and step < calm:
                x = gaussian_blur(x, blur_sigma)
            x = np.clip(x, 0.0, 1.0).astype(np.float32)
            if counted:
                done += 1
                if progress is not None:
                    progress(done, total)
        return x

    start = start_noise(len(chosen), seed)
    images = start.copy()
    rng = np.random.RandomState([seed, 1])  # the jitter's shifts
    batches = [slice(first, first + batch_size) for first in range(0, len(chosen), batch_size)]
    total, done = steps * len(batches), 0
    for part in batches:
        x = climb(images[part], chosen[part], rng, lr, counted=True)
        if x is None:
            return None
        images[part] = x
    if not retries:
        return images
    begun = np.concatenate([explainer.activation_gradient(start[p], layer, chosen[p])[1] for p in batches])
    best = np.concatenate([explainer.activation_gradient(images[p], layer, chosen[p])[1] for p in batches])
    for retry in range(1, retries + 1):
        weak = np.flatnonzero(best < float(rise) * begun)[:batch_size]
        if len(weak) == 0:
            break
        shifts = np.random.RandomState([seed, 1, retry])
        again = climb(start_noise(len(weak), seed + retry), chosen[weak], shifts, lr / 2**retry, counted=False)
        if again is None:
            return None
        fires = explainer.activation_gradient(again, layer, chosen[weak])[1]
        better = fires > best[weak]
        images[weak[better]] = again[better]
        best[weak[better]] = fires[better]
    return images
