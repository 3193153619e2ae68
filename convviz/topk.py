"""What each filter responds to in real data: per conv channel, the test digits that excite it most.

The core, no Qt (the deep-visualization-toolbox's "top 9 images per unit",
Yosinski et al. 2015). One pass over a test set in batches
(:func:`top_activations`): each conv channel's score for an image is its
largest activation over all positions (the max is taken in the graph,
:meth:`convviz.explain.Explainer.channel_peaks`), and the best ``k`` images per
channel are kept with the position of that maximum. :func:`receptive_fields`
works out, from the spec's layers (pads, kernel sizes, strides, SAME or VALID
padding), which input pixels a conv unit sees, so :meth:`TopImages.patches` can
cut out the part of each digit that made the channel fire. The dense network
has no conv layer: its result is empty (:data:`NO_CONV`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from convviz.constants import IMAGE_SIZE
from convviz.convmath import ExplainError, _is_int
from convviz.model import as_batch
from convviz.netspec import ArchSpec, Conv, Pad, Pool

__all__ = ["NO_CONV", "TOP_K", "ReceptiveField", "TopImages", "receptive_fields", "top_activations"]

TOP_K = 9
MAX_K = 100
TOPK_BATCH = 500  # images per run: the cnn's conv1 output is 500 x 28 x 28 x 64 floats = 100 MB
NO_CONV = "the {arch} network has no conv layers: there are no filters to rank digits by"


@dataclass(frozen=True)
class ReceptiveField:
    """The input pixels a conv layer's unit (y, x) sees: rows first + y * jump .. + size - 1, columns alike."""

    size: int  # side of the square, in input pixels
    jump: int  # input pixels between neighbouring units
    first: int  # input row (and column) of unit (0, 0)'s top-left pixel; negative: it starts in the padding

    def box(self, y: int, x: int) -> tuple[int, int]:
        """(top, left) of unit (y, x)'s field in input pixels (may lie partly outside the image)."""
        return self.first + y * self.jump, self.first + x * self.jump


def receptive_fields(spec: ArchSpec) -> dict[str, ReceptiveField]:
    """{conv layer: its units' receptive field in the 28 x 28 input}, in layer order.

    Each layer widens the field by (kernel - 1) x the jump so far and multiplies
    the jump by its stride; its padding on the top-left (SAME: TensorFlow puts
    the odd pixel at the bottom-right) and an explicit Pad move the first pixel
    up and left.
    """
    size, jump, first, n = 1, 1, 0, IMAGE_SIZE
    fields = {}
    for layer in spec.layers:
        if isinstance(layer, Pad):
            first -= layer.amount * jump
            n += 2 * layer.amount
        elif isinstance(layer, (Conv, Pool)):
            k = layer.size
            s = layer.stride if isinstance(layer, Conv) else layer.size
            if isinstance(layer, Conv) and layer.padding == "SAME":
                out = math.ceil(n / s)
                left = max((out - 1) * s + k - n, 0) // 2
            else:
                out, left = (n - k) // s + 1, 0
            first -= left * jump
            size += (k - 1) * jump
            jump *= s
            n = out
            if isinstance(layer, Conv):
                fields[layer.name] = ReceptiveField(size, jump, first)
    return fields


@dataclass(frozen=True, eq=False)
class TopImages:
    """One conv layer's best ``k`` images per channel, best first."""

    layer: str
    indices: np.ndarray  # (C, k) int64: test image indices
    values: np.ndarray  # (C, k) float32: the channel's largest activation in that image
    positions: np.ndarray  # (C, k, 2) int64: (y, x) of that activation in the layer's output
    field: ReceptiveField

    @property
    def channels(self) -> int:
        return len(self.indices)

    def patches(self, images: np.ndarray, channel: int) -> np.ndarray:
        """(k, size, size) float32: each top image's receptive field around the peak (zeros outside the image)."""
        if not (_is_int(channel) and 0 <= channel < self.channels):
            raise ExplainError(f"layer {self.layer} has channels 0 to {self.channels - 1}, got {channel!r}")
        x = as_batch(images)[:, :, :, 0]
        size = self.field.size
        out = np.zeros((self.indices.shape[1], size, size), np.float32)
        for n, (index, (y, xx)) in enumerate(zip(self.indices[channel], self.positions[channel])):
            top, left = self.field.box(int(y), int(xx))
            t0, l0 = max(top, 0), max(left, 0)
            t1, l1 = min(top + size, IMAGE_SIZE), min(left + size, IMAGE_SIZE)
            if t1 > t0 and l1 > l0:
                out[n, t0 - top : t1 - top, l0 - left : l1 - left] = x[index, t0:t1, l0:l1]
        return out


def top_activations(
    explainer,
    spec: ArchSpec,
    images: np.ndarray,
    k: int = TOP_K,
    batch_size: int = TOPK_BATCH,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, TopImages] | None:
    """{conv layer: its :class:`TopImages`} over ``images`` in one batched pass; ``{}`` for no conv layers.

    Ties keep the lower image index first. ``should_stop()`` is asked before each
    batch (None then); ``progress(done, total)`` follows each batch.
    """
    if not (_is_int(k) and 1 <= k <= MAX_K):
        raise ExplainError(f"k must be 1 to {MAX_K}, got {k!r}")
    if not (_is_int(batch_size) and batch_size >= 1):
        raise ExplainError(f"the batch size must be at least 1, got {batch_size!r}")
    x = as_batch(images)
    shapes = explainer.conv_shapes
    if not shapes:
        return {}
    if len(x) < k:
        raise ExplainError(f"ranking the top {k} needs at least {k} images, got {len(x)}")
    best = dict.fromkeys(shapes)
    starts = range(0, len(x), batch_size)
    for done, start in enumerate(starts, 1):
        if should_stop is not None and should_stop():
            return None
        peaks = explainer.channel_peaks(x[start : start + batch_size])
        for name, (values, where) in peaks.items():
            index = np.arange(start, start + len(values))[:, None].repeat(values.shape[1], axis=1)
            batch = (values.T, index.T, where.T)  # (C, B) each
            if best[name] is not None:
                batch = tuple(np.concatenate([a, b], axis=1) for a, b in zip(best[name], batch))
            order = np.lexsort((batch[1], -batch[0].astype(np.float64)), axis=1)[:, :k]  # value down, index up
            best[name] = tuple(np.take_along_axis(a, order, axis=1) for a in batch)
        if progress is not None:
            progress(done, len(starts))
    fields = receptive_fields(spec)
    result = {}
    for name, (_, width, _) in shapes.items():
        values, index, where = best[name]
        positions = np.stack([where // width, where % width], axis=-1).astype(np.int64)
        result[name] = TopImages(name, index.astype(np.int64), values.astype(np.float32), positions, fields[name])
    return result
