"""convviz.augment: variants that vary, and stay the digit they were."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.augment import DEFAULT, augment
from convviz.model import Model
from convviz.preprocess import center_of_mass
from tests.conftest import ROOT

OFF = DEFAULT._replace(shift=0.0, scale=(1.0, 1.0), aspect=0.0, rotation=0.0, slant=0.0, elastic=0.0, stroke=0.0)


def test_the_pretrained_cnn_still_reads_the_variants(mnist):
    """The variants keep what makes the digit: the shipped cnn (99.3 % on MNIST's test set) reads
    at least 90 % of two variants of each of 2,000 test digits (measured: 96 %)."""
    x, y = mnist.test_images[:2000], mnist.test_labels[:2000]
    variants = augment(x, np.random.RandomState(0), 2)
    assert variants.shape == (4000, 28, 28, 1) and variants.dtype == np.float32
    assert variants.min() >= 0.0 and variants.max() <= 1.0
    with Model.load(ROOT / "assets" / "models" / "cnn") as model:
        assert model.accuracy(variants, np.repeat(y, 2)) >= 0.90


def test_variants_vary_and_stay_where_the_digit_is(mnist):
    x = mnist.test_images[:200, :, :, 0]
    v = augment(x, np.random.RandomState(1), 3)
    assert v.shape == (600, 28, 28)
    originals = np.repeat(x, 3, axis=0)
    change = np.abs(v - originals).mean(axis=(1, 2))
    assert (change > 0.01).all()  # every variant differs from its digit
    assert np.abs(v[0::3] - v[1::3]).mean(axis=(1, 2)).min() > 0.01  # and from its siblings
    ink = v.sum(axis=(1, 2)) / originals.sum(axis=(1, 2))
    # neither wiped out (a thinner pen at scale 0.85: 0.37) nor a blob (a 1-px dilation triples a 1-px stroke)
    assert 0.3 < ink.min() and ink.max() < 3.5
    shifts = [np.hypot(*np.subtract(center_of_mass(a), center_of_mass(b))) for a, b in zip(v, originals)]
    assert max(shifts) < 3.5  # at most a pixel of shift, plus what scale and rotation move the mass


def test_the_same_seed_gives_the_same_variants_in_image_order(mnist):
    x = mnist.test_images[:10]
    a = augment(x, np.random.RandomState(7), 4)
    b = augment(x, np.random.RandomState(7), 4)
    assert (a == b).all()
    assert not (a == augment(x, np.random.RandomState(8), 4)).all()
    # row i * 4 + k is a variant of image i: with a small shift only, nearest to its own digit
    small = augment(x, np.random.RandomState(7), 4, OFF._replace(shift=0.5))
    d = np.abs(small[:, None] - x[None]).mean(axis=(2, 3, 4))
    assert (d.argmin(axis=1) == np.repeat(np.arange(10), 4)).all()


@pytest.mark.parametrize(
    "name, settings",
    [
        ("shift", OFF._replace(shift=2.0)),
        ("scale", OFF._replace(scale=(0.8, 1.2))),
        ("rotation", OFF._replace(rotation=15.0)),
        ("slant", OFF._replace(slant=0.3)),
        ("elastic", OFF._replace(elastic=1.0)),
        ("stroke", OFF._replace(stroke=1.0)),
    ],
)
def test_each_kind_of_variation_changes_the_digit_alone(mnist, name, settings):
    x = mnist.test_images[:100, :, :, 0]
    same = augment(x, np.random.RandomState(0), 1, OFF)
    assert np.abs(same - x).max() < 1e-5  # everything off: the digit itself
    v = augment(x, np.random.RandomState(0), 1, settings)
    assert np.abs(v - x).mean() > 0.01, name
    if name == "stroke":  # the pen changes, the place does not: ink moves only at the edges of strokes
        ratio = v.sum(axis=(1, 2)) / x.sum(axis=(1, 2))
        assert ratio.max() > 1.15 and ratio.min() < 0.9


def test_bad_input_is_refused():
    rng = np.random.RandomState(0)
    with pytest.raises(ValueError):
        augment(np.zeros((2, 20, 20)), rng)
    with pytest.raises(ValueError):
        augment(np.zeros((2, 28, 28)), rng, 0)
    with pytest.raises(ValueError):
        augment(np.full((1, 28, 28), np.nan), rng)
    with pytest.raises(ValueError):
        augment(np.zeros((1001, 28, 28)), rng, 1000)
