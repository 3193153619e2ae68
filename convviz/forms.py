"""Continental digit forms made from MNIST's own training images: the flagged 1 and the crossed 7.

MNIST's writers (US Census employees and high-school students) write a 1 as a
bare stem and a 7 without a crossbar; a European class writes the 1 with an
up-stroke (a *flag*) from the top down to the left, and crosses its 7. A
network trained on MNIST reads a flagged 1 as a 7 or a 4 (bench/drawn_digits.py
measured it), and varying MNIST's images (:mod:`convviz.augment`) does not help:
it makes more of what MNIST has, never a form it lacks. :func:`continental_forms`
adds the missing strokes to MNIST's own 1s and 7s, so the network learns the
forms on the writers' own stems, pens and slants:

* a **1** gets a flag: from its topmost ink, a straight or slightly bent stroke
  going down to the left, at 35-65 degrees from the digit's own stem direction
  (so it follows the digit's slant) but never flatter than 60 degrees from the
  vertical (flatter, it is a 7's bar), 25-75 % of the digit's height long (a
  continental 1's up-stroke often starts half-way down its stem);
* a **7** gets a crossbar through its stem at 42-62 % of its height, 35-75 %
  of the digit's width long, tilted up to +-12 degrees, a little off centre.

Each stroke is anti-aliased and drawn with the digit's own pen: its width is
the digit's own stroke width (the median ink of a row across the lower half of
the digit, which for a stem is its width), its brightness the digit's own
brightest ink, its edges soft over 1.5 pixels like MNIST's. The new ink joins
the old by a maximum, then the image is shifted by whole pixels so that its
centre of mass is where the original's was (MNIST centres digits by mass, and
so does ``preprocess.to_mnist``). The label stays the same.

Independent of the benchmark: nothing here comes from :mod:`convviz.strokes`
(the hand-written skeletons bench/drawn_digits.py measures with); the geometry
is measured on each MNIST image, and the ranges above are general descriptions
of the forms, not fitted to the benchmark's skeletons. Training on the
benchmark's own drawings would make its numbers circular.

Only numpy, vectorised over the images a batch changes (about 1 in 20 of an
MNIST batch at the default ``p=0.25``); Python 3.7 / numpy 1.18 compatible.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from convviz.augment import digit_stack

SIZE = 28  # MNIST's image side (convviz.config.IMAGE_SIZE; not imported, to keep this module numpy-only)
INK = 0.3  # a pixel at least this bright is ink when the digit's extent is measured
SEGMENTS = 6  # a bent stroke is drawn as this many straight pieces
SOFT = 1.5  # the width of a stroke's anti-aliased edge, pixels


class FormSettings(NamedTuple):
    """The ranges each stroke is drawn from (uniformly, per image)."""

    flag_angle: tuple = (35.0, 65.0)  # degrees between the stem (downwards) and the flag; 90 would be a 7's bar
    flag_steepness: tuple = (20.0, 60.0)  # the flag's angle from straight down on the page is kept in this range:
    # on a 1 slanted to the right, 65 degrees off the stem would be nearly a horizontal bar: a 7
    flag_length: tuple = (0.25, 0.75)  # share of the digit's height; up to 0.6 and 55 degrees before: the cnn
    # trained with those read long-flagged 1s as 7s (bench/results/augment_strength.md)
    flag_bend: float = 0.12  # the middle of the flag moves up to this share of its length sideways
    bar_height: tuple = (0.42, 0.62)  # where the crossbar crosses the 7, share of its height from the top
    bar_length: tuple = (0.35, 0.75)  # share of the digit's width
    bar_offset: float = 0.15  # the bar's centre moves up to this share of its length off the stem
    bar_tilt: float = 12.0  # degrees, +-
    width: tuple = (0.85, 1.15)  # the digit's own stroke width times this
    width_limits: tuple = (1.0, 5.0)  # full stroke width in pixels, clipped to this


DEFAULT = FormSettings()
# The share of 1s and of 7s that get their stroke. cnn, 2 epochs, seed 0 (bench/augment_training.py and a
# probe beside it): at 0.5, MNIST test 7s began to be read as 1s (8-9 of them, none without the forms) and
# the MNIST accuracy fell 0.2 points; at 0.25 that confusion was gone, the flagged 1s were still learned.
P = 0.25


def continental_forms(
    images: np.ndarray,
    labels: np.ndarray,
    rng: np.random.RandomState,
    p: float = P,
    settings: FormSettings = DEFAULT,
) -> np.ndarray:
    """A copy of ``images`` in which each 1 gets a flag and each 7 a crossbar with probability ``p``.

    Parameters
    ----------
    images
        (N, 28, 28) or (N, 28, 28, 1), values in [0, 1], white ink on black (MNIST's polarity).
    labels
        (N,) digits; only the images of 1s and 7s change, and the labels stay what they were.
    rng
        ``np.random.RandomState``; the same state gives the same strokes.
    p
        Probability, per 1 and per 7, that it gets its continental stroke.

    Returns
    -------
    numpy.ndarray
        float32 in [0, 1], the shape of ``images``.
    """
    x, channel = digit_stack(images)
    y = np.asarray(labels).reshape(-1)
    if len(y) != len(x):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not np.isfinite(x).all():
        raise ValueError("the images contain NaN or infinite values")
    out = x.copy()
    chosen = rng.uniform(size=len(x)) < p  # drawn for every image: the stream does not depend on the labels
    for digit, draw in ((1, _flags), (7, _crossbars)):
        index = np.flatnonzero(chosen & (y == digit))
        if len(index):
            out[index] = draw(out[index], rng, settings)
    np.clip(out, 0.0, 1.0, out=out)
    return out[..., None] if channel else out


class _Extent(NamedTuple):
    top: np.ndarray  # (k,) first row with ink
    bottom: np.ndarray  # (k,) last row with ink
    left: np.ndarray  # (k,) first column with ink
    right: np.ndarray  # (k,) last column with ink
    peak: np.ndarray  # (k,) the brightest ink
    width: np.ndarray  # (k,) stroke width, pixels
    ok: np.ndarray  # (k,) bool: enough ink to measure


def _extent(x: np.ndarray) -> _Extent:
    ink = x >= INK
    rows, cols = ink.any(axis=2), ink.any(axis=1)
    ok = rows.sum(axis=1) >= 4
    top = rows.argmax(axis=1)
    bottom = SIZE - 1 - rows[:, ::-1].argmax(axis=1)
    left = cols.argmax(axis=1)
    right = SIZE - 1 - cols[:, ::-1].argmax(axis=1)
    peak = x.reshape(len(x), -1).max(axis=1)
    # the median ink of a row across the lower half: a stem's (or a 7's diagonal's) width in pixels
    index = np.arange(SIZE)[None, :]
    lower = (index >= ((top + bottom) / 2.0)[:, None]) & (index <= bottom[:, None]) & rows
    row_ink = np.where(lower, x.sum(axis=2) / np.maximum(peak, 1e-6)[:, None], np.nan)
    with np.errstate(all="ignore"):
        width = np.nanmedian(np.where(lower.any(axis=1)[:, None], row_ink, 2.0), axis=1)
    width = np.where(np.isfinite(width), width, 2.0)
    return _Extent(top, bottom, left, right, peak, width, ok)


def _weighted_column(x: np.ndarray, rows_from: np.ndarray, rows_to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ink-weighted mean column of rows ``rows_from``..``rows_to`` (inclusive) of each image, and its ink."""
    index = np.arange(SIZE)
    band = (index[None, :] >= rows_from[:, None]) & (index[None, :] <= rows_to[:, None])  # (k, 28)
    weights = (x * band[:, :, None]).sum(axis=1)  # (k, 28): ink per column in the band
    total = weights.sum(axis=1)
    column = (weights * index[None, :]).sum(axis=1) / np.maximum(total, 1e-6)
    return column, total


def _flags(x: np.ndarray, rng: np.random.RandomState, s: FormSettings) -> np.ndarray:
    k = len(x)
    e = _extent(x)
    height = (e.bottom - e.top + 1).astype(np.float64)
    quarter = np.maximum(np.round(height / 4.0), 1).astype(np.int64)
    # the stem: from the ink of the top quarter to the ink of the bottom quarter (so the flag follows the slant)
    top_col, _ = _weighted_column(x, e.top, e.top + quarter - 1)
    bottom_col, _ = _weighted_column(x, e.bottom - quarter + 1, e.bottom)
    top_row = e.top + (quarter - 1) / 2.0
    bottom_row = e.bottom - (quarter - 1) / 2.0
    stem = np.stack([bottom_col - top_col, bottom_row - top_row], axis=1)  # (x, y), pointing down
    stem /= np.maximum(np.linalg.norm(stem, axis=1, keepdims=True), 1e-6)
    # start at the top of the ink, at the column of the topmost two rows' ink
    start_col, _ = _weighted_column(x, e.top, e.top + 1)
    start = np.stack([start_col, e.top + 0.5], axis=1)
    # turn the stem's direction towards the left (clockwise on screen, where y points down) by the flag's angle
    angle = np.radians(rng.uniform(s.flag_angle[0], s.flag_angle[1], k))
    cos, sin = np.cos(angle), np.sin(angle)
    direction = np.stack([stem[:, 0] * cos - stem[:, 1] * sin, stem[:, 0] * sin + stem[:, 1] * cos], axis=1)
    steep = np.clip(np.arctan2(-direction[:, 0], direction[:, 1]), *np.radians(s.flag_steepness))
    direction = np.stack([-np.sin(steep), np.cos(steep)], axis=1)  # down and to the left, never a 7's bar
    length = rng.uniform(s.flag_length[0], s.flag_length[1], k) * height
    end = start + direction * length[:, None]
    bend = rng.uniform(-s.flag_bend, s.flag_bend, k) * length
    width = _pen(e, rng, s)
    strokes = _bent(start, end, bend)
    return _draw(x, strokes, width, e.peak, e.ok)


def _crossbars(x: np.ndarray, rng: np.random.RandomState, s: FormSettings) -> np.ndarray:
    k = len(x)
    e = _extent(x)
    height = (e.bottom - e.top + 1).astype(np.float64)
    digit_width = (e.right - e.left + 1).astype(np.float64)
    row = e.top + rng.uniform(s.bar_height[0], s.bar_height[1], k) * (height - 1)
    near = np.round(row).astype(np.int64)
    column, ink = _weighted_column(x, near - 1, near + 1)  # where the stem crosses that height
    length = np.maximum(rng.uniform(s.bar_length[0], s.bar_length[1], k) * digit_width, 4.0)
    tilt = np.radians(rng.uniform(-s.bar_tilt, s.bar_tilt, k))
    centre = np.stack([column + rng.uniform(-s.bar_offset, s.bar_offset, k) * length, row], axis=1)
    half = np.stack([np.cos(tilt), np.sin(tilt)], axis=1) * (length / 2.0)[:, None]
    width = _pen(e, rng, s)
    strokes = _bent(centre - half, centre + half, np.zeros(k))
    return _draw(x, strokes, width, e.peak, e.ok & (ink > 0))


def _pen(e: _Extent, rng: np.random.RandomState, s: FormSettings) -> np.ndarray:
    width = e.width * rng.uniform(s.width[0], s.width[1], len(e.width))
    return np.clip(width, s.width_limits[0], s.width_limits[1])


def _bent(start: np.ndarray, end: np.ndarray, bend: np.ndarray) -> np.ndarray:
    """(k, SEGMENTS + 1, 2) points of a quadratic curve from start to end whose middle is ``bend`` off the chord."""
    chord = end - start
    normal = np.stack([-chord[:, 1], chord[:, 0]], axis=1) / np.maximum(
        np.linalg.norm(chord, axis=1, keepdims=True), 1e-6
    )
    control = (start + end) / 2.0 + normal * (2.0 * bend)[:, None]  # a quadratic's middle is half its control's offset
    t = np.linspace(0.0, 1.0, SEGMENTS + 1)[None, :, None]
    return (1 - t) ** 2 * start[:, None, :] + 2 * (1 - t) * t * control[:, None, :] + t**2 * end[:, None, :]


def _draw(x: np.ndarray, points: np.ndarray, width: np.ndarray, peak: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Draw the polylines onto the images (anti-aliased, joined by a maximum) and re-centre them by mass."""
    grid = np.arange(SIZE, dtype=np.float64)
    px = grid[None, None, None, :]  # columns
    py = grid[None, None, :, None]  # rows
    a, b = points[:, :-1], points[:, 1:]  # (k, S, 2)
    ax, ay = a[..., 0][..., None, None], a[..., 1][..., None, None]
    dx, dy = (b - a)[..., 0][..., None, None], (b - a)[..., 1][..., None, None]
    t = ((px - ax) * dx + (py - ay) * dy) / np.maximum(dx * dx + dy * dy, 1e-9)
    t = np.clip(t, 0.0, 1.0)
    distance = np.sqrt((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2).min(axis=1)  # (k, 28, 28)
    half = (width / 2.0)[:, None, None]
    # a plateau and a linear edge SOFT wide: the profile's integral across the stroke is the width
    stroke = np.clip((half + SOFT / 2.0 - distance) / SOFT, 0.0, 1.0) * peak[:, None, None]
    drawn = np.maximum(x, stroke.astype(np.float32))
    drawn = _recentre(drawn, x)
    return np.where(ok[:, None, None], drawn, x)


def _centre_of_mass(x: np.ndarray) -> np.ndarray:
    grid = np.arange(SIZE, dtype=np.float64)
    total = np.maximum(x.sum(axis=(1, 2)), 1e-6)
    rows = (x.sum(axis=2) * grid).sum(axis=1) / total
    cols = (x.sum(axis=1) * grid).sum(axis=1) / total
    return np.stack([rows, cols], axis=1)


def _recentre(drawn: np.ndarray, original: np.ndarray) -> np.ndarray:
    """Shift each drawn image by whole pixels so that its centre of mass is where the original's was."""
    shift = np.round(_centre_of_mass(original) - _centre_of_mass(drawn)).astype(np.int64)
    out = np.zeros_like(drawn)
    for i, (dr, dc) in enumerate(shift):
        src_r = slice(max(0, -dr), SIZE - max(0, dr))
        dst_r = slice(max(0, dr), SIZE - max(0, -dr))
        src_c = slice(max(0, -dc), SIZE - max(0, dc))
        dst_c = slice(max(0, dc), SIZE - max(0, -dc))
        out[i, dst_r, dst_c] = drawn[i, src_r, src_c]
    return out


def describe(p: float = P, settings: FormSettings = DEFAULT) -> str:
    """One line for logs: what the forms add."""
    s = settings
    return (
        f"{p:.0%} of 1s flagged ({s.flag_angle[0]:g}-{s.flag_angle[1]:g} deg off the stem, "
        f"{s.flag_length[0]:.0%}-{s.flag_length[1]:.0%} of the height), {p:.0%} of 7s crossed "
        f"({s.bar_length[0]:.0%}-{s.bar_length[1]:.0%} of the width, at {s.bar_height[0]:.0%}-{s.bar_height[1]:.0%} "
        "of the height)"
    )
