"""The batch-size lab on real MNIST (few images, small batch sizes): the same seed gives the same
sweep, the gradient cosine rises with B, B_simple is finite and positive, one step's measured memory
is within the stated tolerance of convviz.memory's prediction, every batching runs it; the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from convviz.config import BATCHINGS
from convviz.errors import ConfigError
from convviz.events import LossChunk, RateChanged
from convviz.run import BATCH_DONE
from convviz.sweep import SweepSession
from convviz.sweepplan import (
    AccuracyPoint,
    NoiseMeasured,
    SweepDone,
    SweepPlan,
    parse_batch_sizes,
    rate_for,
)

MEMORY_TOLERANCE = 0.30  # measured within ±30 % of the prediction where activations dominate
SIZES = (16, 64, 256)


def _plan(**changes) -> SweepPlan:
    base = {
        "arch": "dense",
        "batch_sizes": SIZES,
        "target": 0.8,
        "max_examples": 1536,
        "train_limit": 2000,
        "eval_images": 500,
        "large_sample": 2000,
        "noise_batches": 20,
        "warmup": 512,
        "seed": 5,
    }
    base.update(changes)
    return SweepPlan(**base)


def _sweep(data, **changes):
    events = list(SweepSession(_plan(**changes), data))
    return events, events[-1].result


@pytest.fixture(scope="module")
def sweep(small_mnist):
    return _sweep(small_mnist)


def _losses(events, run_id):
    return np.concatenate([e.losses for e in events if isinstance(e, LossChunk) and e.run_id == run_id])


def test_the_same_seed_gives_the_same_sweep(small_mnist, sweep):
    events, result = sweep
    again, result2 = _sweep(small_mnist)
    for run_id in (1, 2, 3):
        np.testing.assert_array_equal(_losses(events, run_id), _losses(again, run_id))
    assert [r.steps_to_target for r in result.runs] == [r.steps_to_target for r in result2.runs]
    assert [r.gradient_cosine for r in result.runs] == pytest.approx([r.gradient_cosine for r in result2.runs])


def test_the_cosine_rises_with_the_batch_size_and_b_simple_is_finite(sweep):
    events, result = sweep
    readings = [e.reading for e in events if isinstance(e, NoiseMeasured)]
    assert [e.label for e in events if isinstance(e, NoiseMeasured)] == ["warm-up", "end"]
    for reading in readings:
        assert reading.batch_sizes == SIZES
        assert list(reading.cosines) == sorted(reading.cosines)
        assert reading.cosines[0] < reading.cosines[-1]
        assert math.isfinite(reading.b_simple) and reading.b_simple > 0
    assert result.noise_scale == readings[-1].b_simple


def test_measured_memory_is_near_the_prediction_at_the_largest_batch(sweep):
    _, result = sweep
    largest = result.runs[-1]
    assert largest.memory_measured_bytes > 0
    assert abs(largest.memory_measured_bytes / largest.memory_predicted_bytes - 1) <= MEMORY_TOLERANCE


def test_accuracy_points_and_the_budget(sweep):
    events, result = sweep
    points = [e for e in events if isinstance(e, AccuracyPoint)]
    assert {p.run_id for p in points} == {1, 2, 3}
    for run in result.runs:
        assert run.images_per_second > 0
        reached = [p for p in run.points if p.accuracy >= 0.8]
        assert run.steps_to_target == (reached[0].step if reached else None)
    assert result.knee in SIZES
    assert result.to_dict()["full_batch"]["memory_predicted_bytes"] > result.runs[-1].memory_predicted_bytes


@pytest.mark.parametrize("batching", [b for b in BATCHINGS if b != "numpy"])
def test_the_sweep_runs_with_every_batching(tiny_mnist, batching):
    _, result = _sweep(
        tiny_mnist,
        batching=batching,
        noise=False,
        measure_memory=False,
        batch_sizes=(32, 128),
        max_examples=256,
        train_limit=256,
        eval_images=100,
    )
    assert [r.batch_size for r in result.runs] == [32, 128]
    assert all(r.images_per_second > 0 and r.points for r in result.runs)


def test_a_rate_change_reaches_every_run_through_the_policy(tiny_mnist):
    session = SweepSession(
        _plan(
            noise=False,
            measure_memory=False,
            lr_policy="linear",
            max_examples=256,
            train_limit=256,
            eval_images=100,
            batch_sizes=(32, 128),
        ),
        tiny_mnist,
    )
    events = []
    for event in session:
        events.append(event)
        if (
            isinstance(event, AccuracyPoint)
            and event.run_id == 1
            and not any(isinstance(e, RateChanged) for e in events)
        ):
            session.set_learning_rate(0.002)
    changes = {e.run_id: e.learning_rate for e in events if isinstance(e, RateChanged)}
    assert changes[1] == pytest.approx(rate_for("linear", 0.002, 32))
    assert changes[2] == pytest.approx(rate_for("linear", 0.002, 128))
    assert isinstance(events[-1], SweepDone) and BATCH_DONE not in events


@pytest.mark.parametrize(
    "bad", [{"batch_sizes": (0,)}, {"batch_sizes": (60001,)}, {"lr_policy": "cubic"}, {"target": 1.5}]
)
def test_a_bad_plan_is_one_line(bad):
    with pytest.raises(ConfigError) as err:
        _plan(**bad).validate()
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError):
        parse_batch_sizes("16,16")


@pytest.mark.parametrize(
    "args, words",
    [
        (["--batch-sizes", "0"], "between 1 and 60000"),
        (["--batch-sizes", "16,60001"], "between 1 and 60000"),
        (["--lr-policy", "cubic"], "policy"),
        (["--target", "1.5"], "at most 1"),
    ],
)
def test_the_cli_refuses_bad_input_in_one_line(run_cli, args, words):
    done = run_cli("sweep", *args, check_rc=2)
    assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr


def test_the_cli_prints_json_last_and_writes_a_png(run_cli, tmp_path):
    png = tmp_path / "sweep.png"
    done = run_cli(
        "sweep",
        "--arch",
        "dense",
        "--batch-sizes",
        "32,128",
        "--target",
        "0.5",
        "--max-examples",
        "512",
        "--train-limit",
        "512",
        "--eval-images",
        "200",
        "--lr-policy",
        "sqrt",
        "--seed",
        "1",
        "--json",
        "--png",
        str(png),
        check_rc=0,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["arch"] == "dense" and result["lr_policy"] == "sqrt" and result["target"] == 0.5
    assert result["noise_scale"] is None or result["noise_scale"] > 0
    keys = {
        "batch_size",
        "steps_to_target",
        "examples_to_target",
        "seconds_to_target",
        "images_per_second",
        "memory_predicted_bytes",
        "memory_measured_bytes",
        "gradient_cosine",
    }
    assert [r["batch_size"] for r in result["runs"]] == [32, 128]
    assert all(keys <= set(r) for r in result["runs"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
