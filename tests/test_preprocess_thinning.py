"""preprocess: a digit drawn small with a bold pen comes out with MNIST's stroke width; MNIST-like ones unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from convviz import preprocess, strokes
from convviz.preprocess import MAX_STROKE_WIDTH, stroke_width, to_mnist

_BILINEAR = getattr(Image, "Resampling", Image).BILINEAR
# A hurried digit in a corner of the pad: 90 px tall, drawn with a 32 px pen (the pad's is 20).
SMALL_BOLD = strokes.Variation(
    height=(90.0, 90.0), pen_width=(32.0, 32.0), slant=(0.2, 0.2), rotation=(0.0, 0.0), aspect=(1.0, 1.0), wobble=0.0
)


def _unthinned(image: np.ndarray, monkeypatch) -> np.ndarray:
    with monkeypatch.context() as patch:
        patch.setattr(preprocess, "MAX_STROKE_WIDTH", float("inf"))
        return to_mnist(image, invert=True)


@pytest.mark.parametrize("width", [2.0, 3.0, 6.0])
def test_stroke_width_measures_a_pen_stroke(width):
    lines = [np.array([[50.0, 20.0], [50.0, 250.0]]), np.array([[100.0, 20.0], [200.0, 250.0]])]
    ink = (255 - strokes.render_strokes(lines, pen_width=10 * width)) / 255.0
    assert stroke_width(ink) / 10 == pytest.approx(width, rel=0.1)
    assert stroke_width(np.zeros((28, 28))) == 0.0


@pytest.mark.parametrize("style", strokes.STYLES[8])
def test_a_small_bold_eight_comes_out_with_mnist_stroke_width(style, monkeypatch):
    canvas = strokes.draw_digit(8, style, np.random.RandomState(3), SMALL_BOLD)
    assert stroke_width(_unthinned(canvas, monkeypatch)) > 1.4 * MAX_STROKE_WIDTH  # scaled up, the pen is bold
    out = to_mnist(canvas, invert=True)
    assert 2.5 < stroke_width(out) <= MAX_STROKE_WIDTH + 0.05  # within MNIST's range: most of its digits 2-4 px
    assert out.shape == (28, 28) and out.max() <= 1.0
    rows, cols = np.flatnonzero(out.max(axis=1) > 0.05), np.flatnonzero(out.max(axis=0) > 0.05)
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (20, 21)  # still fills the 20 px box
    # the loops, nearly closed by the bold pen, are open again: more background inside the digit
    inside = out[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    before = _unthinned(canvas, monkeypatch)
    assert (inside < 0.5).sum() > (before[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] < 0.5).sum()


def test_drawings_in_mnist_range_are_unchanged(mnist, monkeypatch):
    pad = [
        strokes.draw_digit(d, strokes.style_names(d)[0], np.random.RandomState(d), strokes.PAD_LIKE) for d in range(10)
    ]
    digits = (mnist.test_images[:40, :, :, 0] * 255).astype(np.uint8)
    upscaled = [255 - np.asarray(Image.fromarray(d).resize((280, 280), _BILINEAR)) for d in digits]
    checked = 0
    for image in pad + upscaled:
        plain = _unthinned(image, monkeypatch)
        if stroke_width(plain) <= MAX_STROKE_WIDTH:
            np.testing.assert_array_equal(to_mnist(image, invert=True), plain)
            checked += 1
    assert checked >= 45  # nearly all of them: MNIST's strokes are mostly 2-4 px wide, the pad's pen too


def test_a_blob_is_left_a_blob(monkeypatch):
    rows, cols = np.mgrid[:280, :280]
    dot = np.where((rows - 140) ** 2 + (cols - 140) ** 2 <= 30**2, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(to_mnist(dot, invert=True), _unthinned(dot, monkeypatch))
