"""convviz.forms: MNIST's own 1s get a flag on the left of their top, its 7s a crossbar through the stem."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.forms import continental_forms


@pytest.fixture(scope="module")
def digits(mnist):
    """The first 600 training images (about 60 ones and 60 sevens), (N, 28, 28, 1)."""
    return mnist.train_images[:600], mnist.train_labels[:600]


def _added(original: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The ink a stroke added: ``out`` minus the original moved by the whole-pixel shift that re-centred it."""
    best = None
    for dr in range(-4, 5):
        for dc in range(-4, 5):
            moved = np.zeros_like(original)
            moved[max(0, dr) : 28 + min(0, dr), max(0, dc) : 28 + min(0, dc)] = original[
                max(0, -dr) : 28 + min(0, -dr), max(0, -dc) : 28 + min(0, -dc)
            ]
            lost = np.clip(moved - out, 0, None).sum()  # the new image keeps every old pixel (a maximum)
            if best is None or lost < best[0]:
                best = (lost, out - moved)
    assert best[0] < 1e-4, "the stroke must be added to the digit, not replace it"
    return np.clip(best[1], 0, None)


def _centre(image: np.ndarray) -> tuple[float, float]:
    """Row and column of the ink's centre of mass."""
    total = image.sum()
    rows, cols = np.arange(image.shape[0]), np.arange(image.shape[1])
    return (image.sum(axis=1) * rows).sum() / total, (image.sum(axis=0) * cols).sum() / total


def test_only_ones_and_sevens_change_and_labels_stay(digits):
    x, y = digits
    labels = y.copy()
    out = continental_forms(x, labels, np.random.RandomState(0), p=1.0)
    assert out.shape == x.shape and out.dtype == np.float32
    assert np.array_equal(labels, y)  # the labels are not touched
    changed = np.abs(out - x).reshape(len(x), -1).max(axis=1) > 0.1
    assert not changed[(y != 1) & (y != 7)].any()  # every other digit is the same image
    assert changed[y == 1].mean() > 0.95 and changed[y == 7].mean() > 0.95
    assert out.min() >= 0.0 and out.max() <= 1.0
    half = continental_forms(x, y, np.random.RandomState(0), p=0.5)
    share = (np.abs(half - x).reshape(len(x), -1).max(axis=1) > 0.1)[(y == 1) | (y == 7)].mean()
    assert 0.3 < share < 0.7  # p is the share of 1s and 7s that get their stroke
    assert np.array_equal(continental_forms(x, y, np.random.RandomState(0), p=0.0), x)


def test_a_flag_goes_down_to_the_left_from_the_top_of_the_one(digits):
    x, y = digits
    out = continental_forms(x, y, np.random.RandomState(1), p=1.0)
    ones = np.flatnonzero(y == 1)
    left, above, length = [], [], []
    for i in ones:
        original, added = x[i, ..., 0], _added(x[i, ..., 0], out[i, ..., 0])
        if added.sum() < 1.0:
            continue
        rows = np.flatnonzero((original >= 0.3).any(axis=1))
        top, bottom = rows[0], rows[-1]
        stem_top_col = _centre(original[top : top + 3])[1]  # where the 1 begins
        added_row, added_col = _centre(added)
        left.append(added_col < stem_top_col - 1.0)  # on the left of the stem: a flag drawn right fails here
        above.append(added_row < (top + bottom) / 2.0)  # it hangs from the top, in the upper half
        cols = np.flatnonzero((added >= 0.3).any(axis=0))
        length.append(cols[-1] - cols[0] if len(cols) else 0)
    assert len(left) > 0.9 * len(ones)
    assert np.mean(left) > 0.95 and np.mean(above) > 0.95
    assert 3 <= np.median(length) <= 12  # a flag, not a dot nor a bar across the image


def test_a_crossbar_crosses_the_seven_at_mid_height(digits):
    x, y = digits
    out = continental_forms(x, y, np.random.RandomState(2), p=1.0)
    sevens = np.flatnonzero(y == 7)
    middle, across, level = [], [], []
    for i in sevens:
        original, added = x[i, ..., 0], _added(x[i, ..., 0], out[i, ..., 0])
        if added.sum() < 1.0:
            continue
        rows = np.flatnonzero((original >= 0.3).any(axis=1))
        top, bottom = rows[0], rows[-1]
        added_row, _ = _centre(added)
        middle.append(top + 0.3 * (bottom - top) < added_row < top + 0.75 * (bottom - top))
        row = int(np.round(added_row))
        stem = np.flatnonzero(original[row] >= 0.3)  # the 7's own ink at the bar's height
        cols = np.flatnonzero(added[max(0, row - 1) : row + 2].max(axis=0) >= 0.3)
        across.append(len(stem) > 0 and len(cols) > 0 and cols[0] < stem.mean() < cols[-1])
        bar_rows = np.flatnonzero((added >= 0.3).any(axis=1))
        level.append(bar_rows[-1] - bar_rows[0] <= 6 if len(bar_rows) else False)  # nearly horizontal
    assert len(middle) > 0.9 * len(sevens)
    assert np.mean(middle) > 0.95 and np.mean(across) > 0.9 and np.mean(level) > 0.95


def test_the_stroke_is_drawn_with_the_digits_own_pen(digits):
    x, y = digits
    dim = x * 0.6  # a digit drawn with grey ink gets a grey stroke
    out = continental_forms(dim, y, np.random.RandomState(3), p=1.0)
    picked = (y == 1) | (y == 7)
    assert out[picked].max() <= dim[picked].reshape(picked.sum(), -1).max() + 1e-6
    assert out[picked].max() > 0.55


def test_the_same_seed_gives_the_same_strokes(digits):
    x, y = digits
    a = continental_forms(x, y, np.random.RandomState(7))
    b = continental_forms(x, y, np.random.RandomState(7))
    c = continental_forms(x, y, np.random.RandomState(8))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    flat = continental_forms(x[..., 0], y, np.random.RandomState(7))  # without the channel axis: the same
    assert flat.shape == x.shape[:3] and np.array_equal(flat, a[..., 0])


def test_bad_input_is_refused():
    rng = np.random.RandomState(0)
    with pytest.raises(ValueError, match="28, 28"):
        continental_forms(np.zeros((2, 20, 20)), np.zeros(2), rng)
    with pytest.raises(ValueError, match="labels"):
        continental_forms(np.zeros((2, 28, 28)), np.zeros(3), rng)
    with pytest.raises(ValueError, match="p must"):
        continental_forms(np.zeros((2, 28, 28)), np.zeros(2), rng, p=1.5)
    with pytest.raises(ValueError, match="NaN"):
        continental_forms(np.full((1, 28, 28), np.nan), np.ones(1), rng)
    blank = continental_forms(np.zeros((3, 28, 28)), np.array([1, 7, 1]), rng, p=1.0)
    assert not blank.any()  # nothing to measure: nothing drawn
