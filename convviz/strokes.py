"""Digits drawn by a program the way the drawing pad draws them: pen strokes, rendered to 280 x 280.

The drawing pad (convviz/gui/panels/drawpad.py) paints with an anti-aliased round pen,
``BRUSH_WIDTH`` = 20 px wide, black ink on a white 280 x 280 canvas, and the
window reads the canvas through ``preprocess.to_mnist(canvas, invert=True)``.
:func:`render_strokes` paints polylines the same way (a pixel's ink is how much
of it the pen's disc covers, edges anti-aliased over one pixel; overlapping
strokes do not darken), and :data:`STYLES` holds stroke skeletons written by
hand for all ten digits, several styles each, among them the continental
European forms MNIST rarely shows (:data:`CONTINENTAL`): the crossed 7, the 1
with a long up-stroke, the 9 whose tail hooks to the left, the open 4.

:func:`draw_digit` varies what a hand varies: the size and position on the
pad, the slant, a slight rotation, the width-to-height ratio, the pen width,
and a small smooth wobble of every stroke; :func:`drawn_digits` makes a whole
benchmark or test set from one seed. No outside data: the skeletons are the
code below.

Only numpy; used by the drawn-digit benchmark (bench/drawn_digits.py), the
fine-tuning tests and the GUI tests. Python 3.7 compatible.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple, Sequence

import numpy as np

CANVAS_SIZE = 280  # the pad's canvas (convviz.gui.panels.drawpad.CANVAS_SIZE)
PEN_WIDTH = 20.0  # the pad's pen (convviz.gui.panels.drawpad.BRUSH_WIDTH)
PAPER = 255  # the pad's white paper and black ink (uint8)
INK = 0
MARGIN = 2.0  # pixels of paper a drawing keeps at the pad's edge
MAX_POINTS = 10_000  # points in one drawing: a skeleton has ~100-300; more is not a digit
MAX_DIGITS = 100_000  # drawn_digits(): at most this many drawings in one call (280x280 uint8 each: 7.8 GB)

Stroke = np.ndarray  # (n, 2) float: x to the right, y down
Strokes = Sequence[Stroke]


# -- rendering ---------------------------------------------------------------------------------------
def render_strokes(strokes: Strokes, pen_width: float = PEN_WIDTH, size: int = CANVAS_SIZE) -> np.ndarray:
    """Paint polylines (canvas pixels) with a round anti-aliased pen; (size, size) uint8, 255 paper, 0 ink.

    Each stroke is an (n, 2) array of points (x, y); one point is a dot. A pixel's ink is
    ``clip(r + 0.5 - d, 0, 1)``, ``d`` the distance from its centre to the nearest stroke,
    ``r`` half the pen width: the coverage of the pen's disc, anti-aliased over one pixel,
    as Qt's round pen with round caps and joins paints it. Overlaps do not darken.
    """
    if not (0 < pen_width <= size) or not math.isfinite(pen_width):
        raise ValueError(f"pen width must be in (0, {size}], got {pen_width}")
    if not 1 <= size <= 4096:
        raise ValueError(f"canvas size must be from 1 to 4096, got {size}")
    total = sum(len(s) for s in strokes)
    if total > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points in one drawing, got {total}")
    radius = pen_width / 2.0
    ink = np.zeros((size, size), dtype=np.float32)
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if not np.isfinite(points).all():
            raise ValueError("a stroke has NaN or infinite coordinates")
        if len(points) == 1:
            points = np.concatenate([points, points])
        for a, b in zip(points[:-1], points[1:]):
            _segment(ink, a, b, radius)
    return (PAPER - np.round(ink * (PAPER - INK))).astype(np.uint8)


def _segment(ink: np.ndarray, a: np.ndarray, b: np.ndarray, radius: float) -> None:
    """Max the coverage of the capsule around segment a-b into ``ink`` (only its bounding box is touched)."""
    size = ink.shape[0]
    reach = radius + 1.0
    x0 = max(math.floor(min(a[0], b[0]) - reach), 0)
    x1 = min(math.ceil(max(a[0], b[0]) + reach) + 1, size)
    y0 = max(math.floor(min(a[1], b[1]) - reach), 0)
    y1 = min(math.ceil(max(a[1], b[1]) + reach) + 1, size)
    if x0 >= x1 or y0 >= y1:
        return
    # pixel (x, y) covers [x, x + 1) x [y, y + 1): its centre is at +0.5, as in Qt
    px = np.arange(x0, x1, dtype=np.float64)[None, :] + 0.5
    py = np.arange(y0, y1, dtype=np.float64)[:, None] + 0.5
    d = b - a
    length2 = float(d @ d)
    if length2 > 0:
        t = np.clip(((px - a[0]) * d[0] + (py - a[1]) * d[1]) / length2, 0.0, 1.0)
    else:
        t = np.zeros((1, 1))
    dist = np.hypot(px - (a[0] + t * d[0]), py - (a[1] + t * d[1]))
    cover = np.clip(radius + 0.5 - dist, 0.0, 1.0).astype(np.float32)
    np.maximum(ink[y0:y1, x0:x1], cover, out=ink[y0:y1, x0:x1])


# -- skeleton helpers (unit box: x from 0 to 1 across the digit's width, y from 0 at the top to 1) -----
def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int = 0) -> np.ndarray:
    """Points on an ellipse from angle ``start`` to ``end`` (degrees; y down, so 90 is the bottom and an
    increasing angle turns clockwise on screen)."""
    n = n or max(8, int(abs(end - start) / 8))
    angles = np.radians(np.linspace(start, end, n))
    return np.stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)], axis=1)


def _bezier(p0, p1, p2, p3, n: int = 16) -> np.ndarray:
    """A cubic Bezier curve from p0 to p3 with control points p1, p2."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    p = [np.asarray(v, dtype=np.float64) for v in (p0, p1, p2, p3)]
    return (1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3]


def _line(*points) -> np.ndarray:
    return np.asarray(points, dtype=np.float64)


def _join(*parts: np.ndarray) -> np.ndarray:
    """One stroke from pieces that meet end to start (the repeated point is dropped)."""
    out = [parts[0]]
    for part in parts[1:]:
        out.append(part[1:] if np.allclose(part[0], out[-1][-1]) else part)
    return np.concatenate(out)


def _eight(top: float, bottom: float, n: int = 72) -> np.ndarray:
    """A figure eight in one stroke: x = 0.5 + w(y) sin 2t, y = (1 - cos t) / 2, from the top, right first."""
    t = np.linspace(0.0, 2.0 * np.pi, n)
    y = (1.0 - np.cos(t)) / 2.0
    width = top + (bottom - top) * y
    return np.stack([0.5 + width * np.sin(2.0 * t), y], axis=1)


class Style(NamedTuple):
    """One way to write a digit: its strokes in the unit box and its width relative to its height."""

    aspect: float  # width / height of the digit as drawn upright
    strokes: tuple  # tuple of (n, 2) arrays in the unit box


def _style(aspect: float, *strokes: np.ndarray) -> Style:
    return Style(aspect, tuple(np.asarray(s, dtype=np.float64) for s in strokes))


# Every digit in several styles. The continental forms (CONTINENTAL) are the ones a
# European class writes and MNIST (US Census staff and students) rarely has.
STYLES: dict[int, dict[str, Style]] = {
    0: {
        "oval": _style(0.62, _arc(0.5, 0.5, 0.5, 0.5, -95, 268)),
        "narrow": _style(0.45, _arc(0.5, 0.5, 0.5, 0.5, -70, -435)),
        "round": _style(0.8, _arc(0.5, 0.5, 0.5, 0.5, -120, 250)),
    },
    1: {
        "bar": _style(0.12, _line((0.5, 0.0), (0.5, 1.0))),
        "flag": _style(0.3, _line((0.05, 0.2), (0.75, 0.0), (0.75, 1.0))),
        # continental: a long up-stroke from half-way down, then the stem
        "flagged": _style(0.5, _line((0.0, 0.5), (0.8, 0.0), (0.8, 1.0))),
        "flagged_long": _style(0.7, _line((0.0, 0.45), (0.8, 0.0), (0.8, 1.0))),
        "flagged_base": _style(0.62, _line((0.05, 0.45), (0.6, 0.0), (0.6, 1.0)), _line((0.2, 1.0), (1.0, 1.0))),
    },
    2: {
        "curve": _style(
            0.7,
            _join(
                _bezier((0.05, 0.28), (0.12, -0.06), (0.95, -0.08), (0.9, 0.3)),
                _bezier((0.9, 0.3), (0.85, 0.55), (0.35, 0.78), (0.02, 1.0)),
                _line((0.02, 1.0), (1.0, 0.97)),
            ),
        ),
        "loop": _style(
            0.72,
            _join(
                _bezier((0.08, 0.25), (0.15, -0.05), (0.95, -0.05), (0.88, 0.3)),
                _bezier((0.88, 0.3), (0.8, 0.55), (0.3, 0.75), (0.1, 0.92)),
                _arc(0.2, 0.88, 0.12, 0.1, 160, -160),
                _line((0.09, 0.85), (1.0, 0.98)),
            ),
        ),
        "angular": _style(0.65, _line((0.0, 0.15), (0.35, 0.0), (0.85, 0.05), (0.9, 0.3), (0.0, 1.0), (1.0, 1.0))),
    },
    3: {
        "round": _style(
            0.62,
            _join(
                _bezier((0.05, 0.13), (0.4, -0.08), (1.02, 0.02), (0.85, 0.3)),
                _bezier((0.85, 0.3), (0.78, 0.45), (0.55, 0.48), (0.35, 0.48)),
                _bezier((0.35, 0.48), (1.1, 0.42), (1.1, 1.02), (0.45, 1.0)),
                _bezier((0.45, 1.0), (0.25, 1.0), (0.1, 0.95), (0.0, 0.85)),
            ),
        ),
        # continental: a flat top, a diagonal, then the bowl
        "flat_top": _style(
            0.62,
            _join(
                _line((0.05, 0.0), (0.92, 0.0), (0.35, 0.42)),
                _bezier((0.35, 0.42), (1.08, 0.36), (1.08, 1.02), (0.45, 1.0)),
                _bezier((0.45, 1.0), (0.25, 1.0), (0.1, 0.93), (0.0, 0.82)),
            ),
        ),
    },
    4: {
        "closed": _style(0.75, _line((0.68, 0.0), (0.0, 0.68), (1.0, 0.68)), _line((0.7, 0.0), (0.7, 1.0))),
        # continental: the top left open, the stem a separate stroke
        "open": _style(0.72, _line((0.12, 0.0), (0.04, 0.62), (1.0, 0.62)), _line((0.72, 0.08), (0.72, 1.0))),
        "open_slanted": _style(0.75, _line((0.3, 0.0), (0.0, 0.6), (1.0, 0.6)), _line((0.78, 0.0), (0.7, 1.0))),
    },
    5: {
        "hat": _style(
            0.65,
            _join(
                _line((0.2, 0.0), (0.12, 0.45)),
                _bezier((0.12, 0.45), (0.5, 0.3), (1.08, 0.42), (0.92, 0.75)),
                _bezier((0.92, 0.75), (0.8, 1.02), (0.25, 1.05), (0.0, 0.88)),
            ),
            _line((0.2, 0.0), (0.95, 0.0)),
        ),
        "one_stroke": _style(
            0.65,
            _join(
                _line((0.95, 0.0), (0.18, 0.0), (0.1, 0.45)),
                _bezier((0.1, 0.45), (0.5, 0.3), (1.08, 0.42), (0.92, 0.75)),
                _bezier((0.92, 0.75), (0.8, 1.02), (0.25, 1.05), (0.0, 0.88)),
            ),
        ),
    },
    6: {
        "loop": _style(
            0.62,
            _join(
                _bezier((0.85, 0.02), (0.3, 0.02), (0.0, 0.4), (0.05, 0.7)),
                _arc(0.5, 0.7, 0.45, 0.3, 180, -150),
            ),
        ),
        "straight": _style(
            0.6,
            _join(_line((0.72, 0.0), (0.08, 0.68)), _arc(0.5, 0.72, 0.44, 0.28, 190, -150)),
        ),
    },
    7: {
        "plain": _style(0.65, _line((0.0, 0.0), (1.0, 0.0), (0.35, 1.0))),
        # continental: a bar across the stem
        "crossed": _style(0.65, _line((0.0, 0.0), (1.0, 0.0), (0.35, 1.0)), _line((0.38, 0.52), (0.98, 0.5))),
        "crossed_serif": _style(
            0.7,
            _line((0.02, 0.16), (0.05, 0.0), (1.0, 0.02), (0.4, 1.0)),
            _line((0.35, 0.5), (0.95, 0.5)),
        ),
        "curved": _style(
            0.62, _join(_line((0.0, 0.02), (1.0, 0.0)), _bezier((1.0, 0.0), (0.7, 0.3), (0.45, 0.6), (0.42, 1.0)))
        ),
    },
    8: {
        "figure": _style(0.6, _eight(0.36, 0.48)),
        "snowman": _style(0.62, _arc(0.5, 0.24, 0.38, 0.24, -90, 270), _arc(0.5, 0.74, 0.5, 0.26, -90, 270)),
    },
    9: {
        "straight": _style(0.6, _join(_arc(0.5, 0.28, 0.45, 0.28, 0, -360), _line((0.95, 0.28), (0.9, 1.0)))),
        # continental: the tail curves back to the left
        "hooked": _style(
            0.6,
            _join(
                _arc(0.5, 0.28, 0.45, 0.28, 0, -360),
                _bezier((0.95, 0.28), (0.97, 0.8), (0.78, 1.0), (0.3, 0.95)),
            ),
        ),
        "curved_tail": _style(
            0.6,
            _join(
                _arc(0.5, 0.28, 0.45, 0.28, 10, -350),
                _bezier((0.94, 0.33), (0.9, 0.7), (0.65, 1.0), (0.35, 1.0)),
            ),
        ),
    },
}

# The continental European forms: (digit, style).
CONTINENTAL = (
    (1, "flagged"),
    (1, "flagged_long"),
    (1, "flagged_base"),
    (3, "flat_top"),
    (4, "open"),
    (4, "open_slanted"),
    (7, "crossed"),
    (7, "crossed_serif"),
    (9, "hooked"),
    (9, "curved_tail"),
)


def style_names(digit: int) -> tuple[str, ...]:
    return tuple(STYLES[_digit(digit)])


def _digit(digit: int) -> int:
    if isinstance(digit, bool) or int(digit) != digit or not 0 <= int(digit) <= 9:
        raise ValueError(f"a digit is 0 to 9, got {digit!r}")
    return int(digit)


# -- a hand's variation ---------------------------------------------------------------------------------
class Variation(NamedTuple):
    """How a drawing varies (ranges of uniform draws): what :func:`draw_digit` picks from."""

    height: tuple = (120.0, 230.0)  # pixels on the 280 px pad
    pen_width: tuple = (12.0, 28.0)  # the pad's pen is 20
    slant: tuple = (-0.15, 0.35)  # shear: x moves by slant * height per height upwards (right-leaning > 0)
    rotation: tuple = (-8.0, 8.0)  # degrees
    aspect: tuple = (0.85, 1.2)  # times the style's width-to-height ratio
    wobble: float = 0.025  # smooth displacement of the strokes, in digit heights


VARIATION = Variation()
PAD_LIKE = Variation(pen_width=(PEN_WIDTH, PEN_WIDTH))  # the pad's own pen, everything else varied


def _wobble(points: np.ndarray, rng: np.random.RandomState, amount: float) -> np.ndarray:
    """A smooth random displacement along the stroke (three sine waves per axis)."""
    if amount <= 0 or len(points) < 2:
        return points
    steps = np.hypot(*np.diff(points, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(steps)])
    s = s / max(s[-1], 1e-9)
    out = points.copy()
    for axis in range(2):
        for k in (1, 2, 3):
            out[:, axis] += rng.uniform(-amount, amount) / k * np.sin(k * np.pi * s + rng.uniform(0, 2 * np.pi))
    return out


def draw_digit(
    digit: int,
    style: str,
    rng: np.random.RandomState,
    variation: Variation = VARIATION,
    size: int = CANVAS_SIZE,
) -> np.ndarray:
    """One drawing of ``digit`` in ``style``, varied by ``rng``: (size, size) uint8, 255 paper, 0 ink."""
    strokes, pen = digit_strokes(digit, style, rng, variation, size)
    return render_strokes(strokes, pen, size)


def digit_strokes(
    digit: int,
    style: str,
    rng: np.random.RandomState,
    variation: Variation = VARIATION,
    size: int = CANVAS_SIZE,
) -> tuple[list[np.ndarray], float]:
    """The strokes (canvas pixels) and the pen width :func:`draw_digit` paints; for driving the pad's mouse too."""
    styles = STYLES[_digit(digit)]
    if style not in styles:
        raise ValueError(f"digit {digit} has no style {style!r}; choose one of {', '.join(styles)}")
    shape = styles[style]
    uniform = rng.uniform
    height = uniform(*variation.height) * size / CANVAS_SIZE
    pen = uniform(*variation.pen_width) * size / CANVAS_SIZE
    width = shape.aspect * uniform(*variation.aspect)
    slant = uniform(*variation.slant)
    angle = math.radians(uniform(*variation.rotation))
    cos, sin = math.cos(angle), math.sin(angle)
    placed = []
    for stroke in shape.strokes:
        p = _wobble(stroke, rng, variation.wobble)
        x = (p[:, 0] - 0.5) * width + slant * (0.5 - p[:, 1])
        y = p[:, 1] - 0.5
        placed.append(np.stack([cos * x - sin * y, sin * x + cos * y], axis=1) * height)
    every = np.concatenate(placed)
    span = float((every.max(axis=0) - every.min(axis=0)).max())
    fits = size - 2 * MARGIN - pen
    if span > fits:  # a tall, slanted, rotated digit: shrunk so that it stays on the pad, as a hand would
        placed = [p * (fits / span) for p in placed]
        every = np.concatenate(placed)
    low, high = every.min(axis=0) - pen / 2 - MARGIN, every.max(axis=0) + pen / 2 + MARGIN
    # anywhere on the pad where the whole digit fits
    room = np.maximum(size - (high - low), 0.0)
    offset = -low + np.array([uniform(0, room[0]), uniform(0, room[1])])
    return [p + offset for p in placed], pen


class DrawnDigits(NamedTuple):
    """A set of drawings: ``images`` (N, size, size) uint8 (255 paper), ``labels`` (N,), ``styles`` (N,) names."""

    images: np.ndarray
    labels: np.ndarray
    styles: tuple


def drawn_digits(
    per_style: int,
    seed: int = 0,
    forms: Sequence[tuple[int, str]] | None = None,
    variation: Variation = VARIATION,
    size: int = CANVAS_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> DrawnDigits:
    """``per_style`` drawings of every (digit, style) in ``forms`` (default: all of STYLES), from ``seed``.

    The drawings of one form depend only on ``seed`` and the form, not on which other
    forms are asked for, so a subset is the same drawings as in the whole set.
    """
    forms = [(d, s) for d in sorted(STYLES) for s in STYLES[d]] if forms is None else list(forms)
    if not 0 <= per_style or len(forms) * per_style > MAX_DIGITS:
        raise ValueError(f"at most {MAX_DIGITS} drawings, asked for {len(forms)} x {per_style}")
    images = np.empty((len(forms) * per_style, size, size), dtype=np.uint8)
    labels, names = [], []
    for i, (digit, style) in enumerate(forms):
        index = list(STYLES[_digit(digit)]).index(style) if style in STYLES[digit] else -1
        rng = np.random.RandomState([seed % 2**32, digit, index + 1])
        for j in range(per_style):
            images[i * per_style + j] = draw_digit(digit, style, rng, variation, size)
            labels.append(digit)
            names.append(f"{digit}/{style}")
        if progress is not None:
            progress(i + 1, len(forms))
    return DrawnDigits(images, np.asarray(labels, dtype=np.int64), tuple(names))
