"""Random variants of 28 x 28 digits: shift, scale, rotation, slant, elastic distortion, stroke width.

A handful of drawings teach a network little by themselves: it learns those
pixels. Varied the way handwriting varies (Simard, Steinkraus and Platt 2003:
affine transforms plus an *elastic distortion*, a random displacement field
smoothed by a Gaussian; plus a thicker or thinner pen), they generalise to
other writers. :func:`augment` makes ``n_per_image`` variants of each image in
one vectorised pass: every pixel of a variant is read (bilinearly) from

    source = centre + A^-1 (pixel - centre - shift) + elastic(pixel)

where ``A`` = rotation x slant x scale is drawn per variant, and the stroke
width is changed first by blending the image with its grey-level dilation (a
thicker pen) or erosion (a thinner one; skipped where it would wipe out half
of a thin digit's ink).

Only numpy: the fine-tuning draws a fresh variant of every drawing in every
batch, and ``TrainConfig.augment`` every training image; 10,000 variants take
well under a second. Python 3.7 / numpy 1.18 compatible.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

SIZE = 28  # MNIST's image side (convviz.config.IMAGE_SIZE; not imported, to keep this module numpy-only)
CHUNK = 2048  # variants computed at once: bounds the temporaries to a few tens of MB
MAX_VARIANTS = 1_000_000  # a call that would make more is a mistake (each variant is 3 KB)


class AugmentSettings(NamedTuple):
    """How far variants go; each value is drawn uniformly per variant within its range."""

    shift: float = 1.0  # pixels, +-, each axis: to_mnist centres to the nearest pixel; +-2 cost the cnn 4 points
    scale: tuple = (0.85, 1.12)  # to_mnist fits the longer side to 20 px; a digit's other side varies
    aspect: float = 0.1  # the width scaled by up to +-10 % more than the height
    rotation: float = 15.0  # degrees, +-
    slant: float = 0.3  # shear: x += slant * (centre_y - y)
    elastic: float = 0.8  # RMS displacement of the elastic field, in pixels (1.2 px at sigma 3: wobbly, unreadable)
    elastic_sigma: float = 4.0  # smoothness of the field (Gaussian sigma, pixels); Simard et al.: 4 on 29 px
    stroke: float = 0.9  # share of variants whose pen width changes
    thicker: float = 1.6  # a 1-pixel dilation blended in up to 1.6 times (over 1: a bolder pen, clipped to 1)
    thinner: float = 0.6  # at most 60 % of a 1-pixel erosion blended in
    min_ink: float = 0.5  # a thinner pen may keep no less than half of the ink


# The defaults are Teach's (convviz.finetune.TEACH_AUGMENT, chosen on tuning writers first) and training's:
# the shipped cnn trained with them (--augment, cnn, 15 epochs) misread 77 of 4,480 hard-hand drawings of the
# tuning writers of bench/cross_writer.py (roles 2-9) where it misread 138 with rotation 10, slant 0.2, stroke
# 0.8, thicker 1.0; normal hand 33 against 43, MNIST test 99.48 against 99.52 % (bench/results/augment_strength.md).
DEFAULT = AugmentSettings()


def digit_stack(images) -> tuple:
    """``images`` as a float32 (N, 28, 28) stack, and whether they came with a trailing channel of 1."""
    x = np.asarray(images, dtype=np.float32)
    channel = x.ndim == 4
    if channel:
        if x.shape[3] != 1:
            raise ValueError(f"expected (N, 28, 28) or (N, 28, 28, 1) images, got shape {x.shape}")
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (SIZE, SIZE):
        raise ValueError(f"expected (N, 28, 28) or (N, 28, 28, 1) images, got shape {np.shape(images)}")
    return x, channel


def augment(
    images: np.ndarray,
    rng: np.random.RandomState,
    n_per_image: int = 1,
    settings: AugmentSettings = DEFAULT,
) -> np.ndarray:
    """``n_per_image`` random variants of every image, image by image: variants of image i are rows
    ``i * n_per_image`` to ``(i + 1) * n_per_image - 1`` (labels: ``np.repeat(labels, n_per_image)``).

    Parameters
    ----------
    images
        (N, 28, 28) or (N, 28, 28, 1), values in [0, 1], white ink on black (MNIST's and
        ``preprocess.to_mnist``'s polarity).
    rng
        ``np.random.RandomState``; the same state gives the same variants.
    n_per_image
        Variants per image, at least 1.

    Returns
    -------
    numpy.ndarray
        float32 in [0, 1], shape (N * n_per_image, 28, 28) (plus the trailing 1 if the input had it).
    """
    x, channel = digit_stack(images)
    n = int(n_per_image)
    if n < 1 or n != n_per_image:
        raise ValueError(f"n_per_image must be a whole number of at least 1, got {n_per_image}")
    if len(x) * n > MAX_VARIANTS:
        raise ValueError(f"at most {MAX_VARIANTS} variants in one call, asked for {len(x)} x {n}")
    if not np.isfinite(x).all():
        raise ValueError("the images contain NaN or infinite values")
    out = np.empty((len(x) * n, SIZE, SIZE), dtype=np.float32)
    source = np.repeat(np.arange(len(x)), n)
    for start in range(0, len(out), CHUNK):
        index = source[start : start + CHUNK]
        out[start : start + len(index)] = _variants(x[index], rng, settings)
    return out[..., None] if channel else out


def _variants(x: np.ndarray, rng: np.random.RandomState, s: AugmentSettings) -> np.ndarray:
    x = _stroke_width(x, rng, s)
    rows, cols = _source_coordinates(len(x), rng, s)
    return np.clip(_bilinear(x, rows, cols), 0.0, 1.0)


def _stroke_width(x: np.ndarray, rng: np.random.RandomState, s: AugmentSettings) -> np.ndarray:
    """Blend each image towards its dilation (thicker) or erosion (thinner) by a random amount."""
    m = len(x)
    amount = rng.uniform(-1.0, 1.0, m) * (rng.uniform(size=m) < s.stroke)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="constant")
    centre = padded[:, 1:-1, 1:-1]
    neighbours = (padded[:, :-2, 1:-1], padded[:, 2:, 1:-1], padded[:, 1:-1, :-2], padded[:, 1:-1, 2:])
    dilated = np.maximum.reduce((centre, *neighbours))
    eroded = np.minimum.reduce((centre, *neighbours))
    thick = np.clip(amount, 0, None)[:, None, None] * s.thicker
    thin = np.clip(-amount, 0, None)[:, None, None] * s.thinner
    out = x + thick * (dilated - x) + thin * (eroded - x)
    ink_before, ink_after = x.sum(axis=(1, 2)), out.sum(axis=(1, 2))
    wiped = ink_after < s.min_ink * ink_before  # a thin digit would vanish: keep its pen
    out[wiped] = x[wiped]
    return out


def _source_coordinates(m: int, rng: np.random.RandomState, s: AugmentSettings) -> tuple[np.ndarray, np.ndarray]:
    """Where each output pixel of m variants reads from: (m, 28, 28) rows and columns."""
    uniform = rng.uniform
    angle = np.radians(uniform(-s.rotation, s.rotation, m))
    scale = uniform(s.scale[0], s.scale[1], m)
    sx = scale * (1.0 + uniform(-s.aspect, s.aspect, m))
    sy = scale
    slant = uniform(-s.slant, s.slant, m)
    cos, sin = np.cos(angle), np.sin(angle)
    # forward map on (x, y) = (col, row) about the centre: rotate(shear(scale(p))), shear x += -slant * y
    a = np.empty((m, 2, 2))
    a[:, 0, 0] = cos * sx
    a[:, 0, 1] = (cos * -slant - sin) * sy
    a[:, 1, 0] = sin * sx
    a[:, 1, 1] = (sin * -slant + cos) * sy
    inverse = np.linalg.inv(a)
    shift = uniform(-s.shift, s.shift, (m, 2))
    centre = (SIZE - 1) / 2.0
    grid = np.arange(SIZE, dtype=np.float64) - centre
    px = grid[None, None, :] - shift[:, 0, None, None]  # (m, 1, 28): output x about the centre
    py = grid[None, :, None] - shift[:, 1, None, None]  # (m, 28, 1)
    cols = inverse[:, 0, 0, None, None] * px + inverse[:, 0, 1, None, None] * py + centre
    rows = inverse[:, 1, 0, None, None] * px + inverse[:, 1, 1, None, None] * py + centre
    if s.elastic > 0:
        dx, dy = _elastic_field(m, rng, s.elastic, s.elastic_sigma)
        cols = cols + dx
        rows = rows + dy
    return rows, cols


def _gaussian_matrix(sigma: float) -> np.ndarray:
    """G with G @ f = f blurred along its first axis (zero outside, rows normalised)."""
    index = np.arange(SIZE, dtype=np.float64)
    g = np.exp(-0.5 * ((index[:, None] - index[None, :]) / max(sigma, 1e-3)) ** 2)
    return (g / g.sum(axis=1, keepdims=True)).astype(np.float32)


def _elastic_field(m: int, rng: np.random.RandomState, rms: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Two smooth random (m, 28, 28) displacement fields with RMS ``rms`` pixels each."""
    g = _gaussian_matrix(sigma)
    fields = []
    for _ in range(2):
        noise = rng.uniform(-1.0, 1.0, (m, SIZE, SIZE)).astype(np.float32)
        smooth = np.matmul(np.matmul(g, noise), g.T)
        norm = np.sqrt((smooth**2).mean(axis=(1, 2), keepdims=True))
        fields.append(smooth * (rms / np.maximum(norm, 1e-12)))
    return fields[0], fields[1]


def _bilinear(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Sample each image at (rows, cols), bilinearly; black outside the image."""
    m = len(x)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="constant").reshape(m, -1)
    side = SIZE + 2
    r = np.clip(rows + 1.0, 0.0, side - 1.000001)  # in the padded frame; the border is black
    c = np.clip(cols + 1.0, 0.0, side - 1.000001)
    r0, c0 = np.floor(r).astype(np.int64), np.floor(c).astype(np.int64)
    fr, fc = (r - r0).astype(np.float32), (c - c0).astype(np.float32)
    base = r0 * side + c0
    flat = base.reshape(m, -1)

    def take(offset: int) -> np.ndarray:
        return np.take_along_axis(padded, flat + offset, axis=1).reshape(rows.shape)

    top = take(0) * (1 - fc) + take(1) * fc
    bottom = take(side) * (1 - fc) + take(side + 1) * fc
    return (top * (1 - fr) + bottom * fr).astype(np.float32)


def describe(settings: AugmentSettings = DEFAULT) -> str:
    """One line for logs and model.json: what the variants vary."""
    s = settings
    return (
        f"shift +-{s.shift:g} px, scale {s.scale[0]:g}-{s.scale[1]:g}, rotation +-{s.rotation:g} deg, "
        f"slant +-{s.slant:g}, elastic {s.elastic:g} px (sigma {s.elastic_sigma:g}), "
        f"stroke width {s.stroke:.0%} of variants"
    )
