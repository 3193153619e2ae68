"""convviz.strokes: the pad's pen drawn by numpy, and the hand-written digit skeletons.

The comparison with the pad's own Qt pen is in tests/gui/test_pad_strokes.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz import strokes
from convviz.model import Model
from convviz.preprocess import MAX_STROKE_DEPTH, stroke_depth, to_mnist
from tests.conftest import ROOT


def test_a_line_is_as_wide_as_the_pen_with_round_ends_and_soft_edges():
    image = strokes.render_strokes([np.array([[60.0, 140.25], [220.0, 140.25]])], pen_width=20)
    assert image.shape == (280, 280) and image.dtype == np.uint8
    ink = 1.0 - image / 255.0
    column = ink[:, 140]
    assert column[140] == 1.0 and column[100] == 0.0
    assert abs(column.sum() - 20.0) < 0.6  # the pen's width, anti-aliasing included
    assert ((column > 0) & (column < 1)).sum() >= 2  # soft edges, not a hard threshold
    row = ink[140]
    # a round cap: the ink reaches half a pen width past each end, and the cap's corners stay clean
    assert row[60 - 9] > 0.9 and row[220 + 9] > 0.9 and row[60 - 12] == 0.0
    assert ink[140 - 9, 60 - 8] == 0.0  # outside the disc around the end point
    aligned = 1.0 - strokes.render_strokes([np.array([[60.0, 140.0], [220.0, 140.0]])]) / 255.0
    assert aligned[:, 140].sum() == 20.0 and set(np.unique(aligned[:, 140])) == {0.0, 1.0}  # on the pixel grid
    assert image[0, 0] == strokes.PAPER


def test_a_dot_is_a_disc_of_the_pen():
    ink = 1.0 - strokes.render_strokes([np.array([[140.0, 140.0]])], pen_width=20) / 255.0
    assert abs(ink.sum() - np.pi * 10**2) < 0.02 * np.pi * 10**2


def test_overlapping_strokes_do_not_darken_and_bad_input_is_refused():
    a = strokes.render_strokes([np.array([[50.0, 50.0], [200.0, 200.0]])])
    twice = strokes.render_strokes([np.array([[50.0, 50.0], [200.0, 200.0]])] * 2)
    assert (a == twice).all()
    with pytest.raises(ValueError):
        strokes.render_strokes([np.array([[0.0, np.nan]])])
    with pytest.raises(ValueError):
        strokes.render_strokes([np.zeros((2, 2))], pen_width=0)
    with pytest.raises(ValueError):
        strokes.render_strokes([np.zeros((strokes.MAX_POINTS + 1, 2))])


def test_every_style_of_every_digit_is_a_pen_drawing_the_pad_would_accept():
    rng = np.random.RandomState(0)
    for digit, styles in strokes.STYLES.items():
        for style in styles:
            for _ in range(3):
                image = strokes.draw_digit(digit, style, rng)
                assert image.shape == (280, 280) and image.min() == 0
                x = to_mnist(image, invert=True)
                assert x.sum() > 20, (digit, style)
                assert stroke_depth(x) <= MAX_STROKE_DEPTH, (digit, style)  # strokes, not a blob
    assert {d for d, _ in strokes.CONTINENTAL} == {1, 3, 4, 7, 9}
    assert all(s in strokes.STYLES[d] for d, s in strokes.CONTINENTAL)


def test_the_whole_digit_stays_on_the_pad():
    rng = np.random.RandomState(1)
    for _ in range(40):
        digit = int(rng.randint(10))
        style = strokes.style_names(digit)[rng.randint(len(strokes.STYLES[digit]))]
        image = strokes.draw_digit(digit, style, rng)
        border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
        assert border.min() >= 200, (digit, style)  # no stroke cut by the edge


def test_drawings_depend_on_the_seed_and_the_form_only():
    forms = [(7, "crossed"), (1, "flagged")]
    a = strokes.drawn_digits(3, seed=5, forms=forms)
    b = strokes.drawn_digits(3, seed=5, forms=forms[1:])
    c = strokes.drawn_digits(3, seed=6, forms=forms)
    assert (a.images[3:] == b.images).all()  # the flagged 1s, with or without the 7s
    assert a.styles == ("7/crossed",) * 3 + ("1/flagged",) * 3 and list(a.labels) == [7, 7, 7, 1, 1, 1]
    assert not (a.images == c.images).all()
    assert len({im.tobytes() for im in a.images}) == 6  # every drawing differs
    with pytest.raises(ValueError):
        strokes.draw_digit(7, "no such style", np.random.RandomState(0))
    with pytest.raises(ValueError):
        strokes.draw_digit(10, "plain", np.random.RandomState(0))


def test_the_pretrained_cnn_reads_the_common_forms():
    """The renderer makes digits, not scribbles: the shipped cnn reads the forms MNIST knows (all but
    the continental ones) nearly always (bench/drawn_digits.py has the whole table)."""
    forms = [(d, s) for d in strokes.STYLES for s in strokes.STYLES[d] if (d, s) not in strokes.CONTINENTAL]
    drawn = strokes.drawn_digits(6, seed=3, forms=forms)
    x = np.stack([to_mnist(im, invert=True) for im in drawn.images])
    with Model.load(ROOT / "assets" / "models" / "cnn") as model:
        accuracy = model.accuracy(x, drawn.labels)
    assert accuracy >= 0.95
