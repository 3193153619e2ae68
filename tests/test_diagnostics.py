"""Training diagnostics: the update-to-weight ratio a run measures, dead ReLU units, histograms."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from convviz import diagnostics as diag
from convviz.config import TrainConfig
from convviz.events import RunOutcome, Snapshot
from convviz.layerprobe import LayerProbe
from convviz.run import RunSession


def test_update_ratio_is_the_kernel_change_over_its_size():
    f32 = np.float32  # the networks' weights
    before = {
        "fc1/kernel": np.full((2, 2), 2.0, f32),
        "fc1/bias": np.zeros(2, f32),
        "logits/kernel": np.ones((2, 1), f32),
    }
    after = {
        "fc1/kernel": np.full((2, 2), 2.002, f32),
        "fc1/bias": np.ones(2, f32),
        "logits/kernel": np.ones((2, 1), f32),
    }
    ratios = diag.update_ratios(before, after)
    assert set(ratios) == {"fc1", "logits"}  # kernels only
    assert ratios["fc1"] == pytest.approx(float(f32(2.002) - f32(2.0)) / 2.0, rel=1e-6)
    assert ratios["fc1"] == pytest.approx(1e-3, rel=1e-4)
    assert diag.log10_ratio(ratios["fc1"]) == pytest.approx(-3, abs=1e-4)
    assert diag.log10_ratio(ratios["logits"]) == -12  # no change: a number, not -inf
    assert diag.log10_ratio(None) is None


def test_a_unit_is_dead_when_it_never_fires_anywhere():
    maps = np.zeros((3, 4, 4, 3), np.float32)
    maps[2, 3, 1, 0] = 0.5  # channel 0 fires once, on one digit, in one place
    maps[:, :, :, 2] = -1
    assert diag.alive_units(maps).tolist() == [True, False, False]
    assert diag.alive_units(np.array([[0.0, 1.0], [0.0, 0.0]])).tolist() == [False, True]


def test_histogram_ignores_non_finite_values_and_bounds_its_input():
    h = diag.Histogram.of(np.array([0.0, 1.0, np.nan, np.inf, 1.0]), bins=4)
    assert h.counts.sum() == 3 and h.edges[0] == 0 and h.edges[-1] == 1
    flat = diag.Histogram.of(np.ones(10))
    assert flat.counts.sum() == 10
    big = diag.Histogram.of(np.arange(10**6, dtype=np.float32))
    assert big.counts.sum() <= diag.HISTOGRAM_VALUES


@pytest.fixture(scope="module")
def few(mnist):
    """640 training images (ten steps of 64) and 1,000 test digits."""
    return dataclasses.replace(
        mnist,
        train_images=mnist.train_images[:640],
        train_labels=mnist.train_labels[:640],
        test_images=mnist.test_images[: diag.DIAGNOSTIC_IMAGES],
        test_labels=mnist.test_labels[: diag.DIAGNOSTIC_IMAGES],
    )


def _diagnose_run(few, learning_rate: float) -> diag.Diagnostics:
    config = TrainConfig(arch="dense", learning_rate=learning_rate, batch_size=64)
    snapshots = []
    with RunSession(config, few, timeline=False, snapshots=True) as session:
        for event in session:
            if isinstance(event, Snapshot):
                snapshots.append(event)
                session.snapshot_taken()
            assert not isinstance(event, RunOutcome) or event.error is None
    measured = [s for s in snapshots if s.update_ratios]
    assert measured, "a run measures the update ratio one step after a snapshot and sends it with the next"
    last = measured[-1]
    with LayerProbe("dense", dict(last.weights)) as probe:
        result = diag.diagnose(probe, few.test_images, few.test_labels, last.update_ratios, last.step)
    assert [d.layer for d in result.layers] == ["fc1", "logits"]
    assert result.layer("logits").dead_units is None  # no ReLU after the logits
    assert result.layer("fc1").gradients.counts.sum() > 0
    assert result.images == diag.DIAGNOSTIC_IMAGES
    return result


def test_a_too_high_learning_rate_shows_dead_units_and_big_updates(few):
    calm = _diagnose_run(few, 0.001)
    wild = _diagnose_run(few, 0.5)
    assert wild.dead_share > calm.dead_share + 0.3
    assert wild.layer("fc1").dead_units > calm.layer("fc1").dead_units
    assert wild.layer("fc1").update_log10 > -1 > calm.layer("fc1").update_log10
    json_line = wild.to_json()
    assert json_line["layers"][0]["dead_units"] == wild.layer("fc1").dead_units
