"""``train --record`` records a real run; ``replay`` reads it back; bad files are one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from convviz import cli
from convviz.cli import main
from convviz.recording import SUFFIX, load_record
from tests.conftest import ROOT, mnist_dir

STEPS = 10  # 640 images, batch 64, one epoch


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A lenet5 run of 10 steps recorded by the CLI as a user runs it (a fresh process)."""
    path = tmp_path_factory.mktemp("record") / f"lenet5{SUFFIX}"
    args = ["train", "--arch", "lenet5", "--train-limit", "640", "--epochs", "1", "--record", str(path)]
    args += ["--record-probe", "3", "--data-dir", str(mnist_dir()), "--quiet", "--json"]
    proc = subprocess.run([sys.executable, "main.py", *args], cwd=str(ROOT), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return path, result


def test_train_record_writes_a_record_of_every_step(recorded, mnist):
    path, result = recorded
    assert result["recorded"] == str(path)
    record = load_record(path)
    assert record.arch == "lenet5" and record.train_size == 640 and record.total_steps == STEPS
    assert record.config["train_limit"] == 640 and record.config["arch"] == "lenet5"
    # the loss curve: one point per step, the epoch's mean is the epoch's reported train loss
    curve = record.losses
    assert list(curve.steps) == list(range(1, STEPS + 1))
    assert list(curve.examples_seen) == [64 * s for s in range(1, STEPS + 1)]
    assert np.all(np.diff(curve.seconds) > 0) and np.isfinite(curve.losses).all()
    assert len(record.epochs) == 1
    assert np.mean(curve.losses.astype(np.float64)) == pytest.approx(record.epochs[0].train_loss, rel=1e-6)
    assert record.epochs[0].train_loss == pytest.approx(result["final_train_loss"], rel=1e-9)
    o = record.outcome
    assert o.status == "completed" and o.steps == STEPS and o.examples_seen == 640
    assert o.test_accuracy == result["test_accuracy"] and o.images_per_second == pytest.approx(
        result["images_per_second"], rel=0.01
    )
    assert o.memory_bytes > 0 and o.wall_seconds >= o.train_seconds > 0


def test_the_snapshots_changed_from_noise_to_the_final_weights(recorded, mnist):
    from convviz.model import Model

    record = load_record(recorded[0])
    t = record.timeline
    assert t.kernel_layer == "conv1" and t.map_layer == "conv1"
    assert list(t.steps) == list(range(STEPS + 1))  # step 0 (the initial weights) and every step of a short run
    assert t.probe_index == 3 and t.probe_label == int(mnist.test_labels[3])
    np.testing.assert_array_equal(t.probe_image, mnist.test_images[3].reshape(28, 28))
    first, last = t.kernels[0].astype(np.float32), t.kernels[-1].astype(np.float32)
    assert np.abs(last - first).max() > 1e-3  # the filters moved away from their random start
    # the last frame is the final weights, and the final weights are the run's result exactly
    final = record.final_weights
    np.testing.assert_array_equal(t.kernels[-1], final["conv1/kernel"].astype(np.float16))
    with Model("lenet5", final) as model:
        accuracy = model.accuracy(mnist.test_images, mnist.test_labels)
        maps = dict(model.feature_maps(t.probe_image))["conv1"]
        probabilities = model.predict_proba(t.probe_image)[0]
    assert accuracy == pytest.approx(record.outcome.test_accuracy, abs=1e-6)
    np.testing.assert_allclose(t.maps[-1].astype(np.float32), maps, rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(t.probabilities[-1].astype(np.float32), probabilities, atol=1e-3)
    assert not np.allclose(t.probabilities[0], t.probabilities[-1], atol=1e-3)


def test_replay_writes_a_gif_and_a_json_summary(recorded, tmp_path, capsys):
    path = recorded[0]
    gif = tmp_path / "timeline.gif"
    assert main(["replay", str(path), "--gif", str(gif), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["arch"] == "lenet5" and summary["steps"] == STEPS and summary["frames"] == STEPS + 1
    assert summary["loss_points"] == STEPS and summary["gif"] == str(gif) and summary["has_weights"]
    with Image.open(str(gif)) as im:
        assert im.format == "GIF" and im.n_frames == STEPS + 1
    assert main(["replay", str(path)]) == 0
    assert "lenet5, completed after 10 steps" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a record"), "is not a ConvViz run record"),
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 40), "not a ConvViz run record"),
    ],
)
def test_replay_of_a_bad_file_exits_2_in_one_line(tmp_path, capsys, make, message):
    path = tmp_path / "bad.npz"
    make(path)
    assert main(["replay", str(path)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: error: ") and message in err and str(path) in err


def test_replay_gif_into_a_missing_folder_exits_2(recorded, tmp_path, capsys):
    assert main(["replay", str(recorded[0]), "--gif", str(tmp_path / "no" / "t.gif")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


@pytest.mark.parametrize(("where", "message"), [("missing/run.npz", "does not exist"), (".", "is a folder")])
def test_record_target_is_checked_before_training(tmp_path, capsys, monkeypatch, where, message):
    def no_data(args):
        raise AssertionError("the data were loaded before the record target was checked")

    monkeypatch.setattr(cli.train, "load_data", no_data)
    assert main(["train", "--record", str(tmp_path / where), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_probe_outside_the_test_set_exits_2(tmp_path, capsys):
    args = ["train", "--arch", "dense", "--train-limit", "64", "--record", str(tmp_path / "r.npz")]
    args += ["--record-probe", "10000", "--data-dir", str(mnist_dir()), "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the probe must be a test image from 0 to 9999" in err
    assert not (tmp_path / "r.npz").exists()


def test_replay_help():
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", "--help"])
    assert exit_info.value.code == 0


def test_record_without_weights(tmp_path, capsys):
    path = tmp_path / "dense.npz"
    args = ["train", "--arch", "dense", "--train-limit", "128", "--batch-size", "32", "--record", str(path)]
    args += ["--record-no-weights", "--data-dir", str(mnist_dir()), "--quiet", "--json"]
    assert main(args) == 0
    record = load_record(path)
    assert record.final_weights is None and record.outcome.steps == 4
    t = record.timeline  # the dense network's filters are its first layer's units, as 28x28 weight images
    assert t.kernel_layer == "fc1" and t.map_layer is None and t.maps is None
    assert t.kernels.shape == (5, 784, 300) and list(t.steps) == [0, 1, 2, 3, 4]
