"""convviz.strokes paints what the pad paints: the same polylines through the pad's own Qt pen."""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore

from convviz import strokes
from convviz.gui.panels.drawpad import BRUSH_WIDTH, CANVAS_SIZE, DrawCanvas, qimage_to_array
from convviz.preprocess import to_mnist


def _paint_on_the_pad(lines) -> np.ndarray:
    canvas = DrawCanvas()
    for line in lines:
        points = [QtCore.QPointF(float(x), float(y)) for x, y in line]
        if len(points) == 1:
            canvas.draw_line(points[0], points[0])
        for a, b in zip(points, points[1:]):
            canvas.draw_line(a, b)
    return qimage_to_array(canvas.image)


def test_the_renderer_matches_the_pads_pen(qtbot):
    assert (strokes.CANVAS_SIZE, strokes.PEN_WIDTH) == (CANVAS_SIZE, BRUSH_WIDTH)
    rng = np.random.RandomState(4)
    seen = []
    for digit, style in [(7, "crossed"), (1, "flagged"), (9, "hooked"), (4, "open"), (8, "figure"), (0, "oval")]:
        lines, pen = strokes.digit_strokes(digit, style, rng, strokes.PAD_LIKE)
        assert pen == BRUSH_WIDTH
        ours = strokes.render_strokes(lines, pen).astype(np.float64) / 255.0
        pads = _paint_on_the_pad(lines).astype(np.float64) / 255.0
        ink_ours, ink_pads = (1 - ours).sum(), (1 - pads).sum()
        assert abs(ink_ours - ink_pads) < 0.03 * ink_pads, (digit, style, ink_ours, ink_pads)
        assert np.abs(ours - pads).mean() < 0.01, (digit, style)
        assert (np.abs(ours - pads) > 0.5).mean() < 0.002, (digit, style)  # they differ at most in the edges
        # and what the network sees is the same digit, up to the one-pixel steps to_mnist takes when the
        # centre of mass or the box's width sits near a half pixel (it rounds both, as MNIST did)
        seen.append(np.abs(to_mnist(ours, invert=True) - to_mnist(pads, invert=True)).mean())
    assert np.median(seen) < 0.005 and max(seen) < 0.06, seen
