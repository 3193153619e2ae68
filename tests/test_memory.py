"""memory: the exercise's figures (335 MB dense, 2 GB conv) and the layer arithmetic."""

from __future__ import annotations

import json

import pytest

from convviz.config import ARCHITECTURES
from convviz.errors import ConfigError
from convviz.memory import (
    MemoryReport,
    conv_example_bytes,
    format_report,
    human_bytes,
    layers,
    memory_report,
    parameter_count,
    report_dict,
)
from convviz.netspec import ArchSpec, Conv, Dense, Flatten, LayerShape, Pool


def test_dense_full_set_is_about_335_mb():
    report = memory_report("dense", batch_size=64)
    # data 60000*784 + fc1 z and relu(z) 2*60000*300 + logits 60000*10 floats, + 238510 weights
    expected = (60000 * 784 + 2 * 60000 * 300 + 60000 * 10 + 238510) * 4
    assert report.total_full_bytes == expected == 335_514_040
    assert abs(report.total_full_bytes - 335e6) / 335e6 < 0.02
    assert report.data_full_bytes == 60000 * 784 * 4 == 188_160_000
    assert report.activations_full_bytes == (2 * 300 + 10) * 60000 * 4
    assert report.weights_bytes == 238510 * 4
    assert report.total_full_bytes == report.weights_bytes + report.data_full_bytes + report.activations_full_bytes


def test_conv_example_is_about_2_gb():
    assert conv_example_bytes() == 60000 * 10 * 784 * 4 == 1_881_600_000
    assert human_bytes(conv_example_bytes()) == "1.88 GB"
    assert conv_example_bytes(n_images=64) == 64 * 10 * 784 * 4
    assert conv_example_bytes(bytes_per_float=8) == 2 * conv_example_bytes()


def test_parameter_counts():
    assert parameter_count("dense") == 784 * 300 + 300 + 300 * 10 + 10 == 238510
    cnn = (5 * 5 * 1 * 64 + 64) + (3 * 3 * 64 * 96 + 96) + (7 * 7 * 96 * 128 + 128) + (128 * 10 + 10)
    assert parameter_count("cnn") == cnn == 660586
    template = (5 * 5 * 1 * 64 + 64) + (5 * 5 * 64 * 64 + 64) + (24 * 24 * 64 * 128 + 128) + (128 * 10 + 10)
    assert parameter_count("template") == template == 4824138
    lenet5 = (5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (5 * 5 * 16 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)
    assert parameter_count("lenet5") == lenet5 == 61706


EXPECTED_SHAPES = {
    "dense": [("input", (28, 28, 1)), ("flatten", (784,)), ("fc1", (300,)), ("logits", (10,))],
    "cnn": [
        ("input", (28, 28, 1)),
        ("conv1", (28, 28, 64)),
        ("pool1", (14, 14, 64)),
        ("conv2", (14, 14, 96)),
        ("pool2", (7, 7, 96)),
        ("flatten", (4704,)),
        ("fc1", (128,)),
        ("logits", (10,)),
    ],
    "template": [
        ("input", (28, 28, 1)),
        ("conv1", (28, 28, 64)),
        ("conv2", (24, 24, 64)),
        ("flatten", (36864,)),
        ("fc1", (128,)),
        ("logits", (10,)),
    ],
    "lenet5": [
        ("input", (28, 28, 1)),
        ("pad", (32, 32, 1)),
        ("conv1", (28, 28, 6)),
        ("pool1", (14, 14, 6)),
        ("conv2", (10, 10, 16)),
        ("pool2", (5, 5, 16)),
        ("conv3", (1, 1, 120)),
        ("flatten", (120,)),
        ("fc1", (84,)),
        ("logits", (10,)),
    ],
}


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_layer_shapes(arch):
    result = layers(arch)
    assert all(isinstance(layer, LayerShape) for layer in result)
    assert [(layer.name, layer.shape) for layer in result] == EXPECTED_SHAPES[arch]
    assert sum(layer.params for layer in result) == parameter_count(arch)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_batch_bytes_scale_linearly_weights_do_not(arch):
    one = memory_report(arch, batch_size=1)
    many = memory_report(arch, batch_size=100)
    assert isinstance(one, MemoryReport)
    assert many.weights_bytes == one.weights_bytes == parameter_count(arch) * 4
    assert many.data_batch_bytes == 100 * one.data_batch_bytes == 100 * 784 * 4
    assert many.activations_batch_bytes == 100 * one.activations_batch_bytes
    assert many.total_batch_bytes - many.weights_bytes == 100 * (one.total_batch_bytes - one.weights_bytes)
    for row_one, row_many in zip(one.rows, many.rows):
        assert row_many.batch_bytes == 100 * row_one.batch_bytes
        assert row_many.full_bytes == row_one.full_bytes == 60000 * row_one.floats_per_image * 4
    # The full batch does not depend on the mini-batch size.
    assert many.total_full_bytes == one.total_full_bytes
    assert one.total_full_bytes > many.total_batch_bytes


def test_counting_rule_per_layer():
    rows = {row.layer: row for row in memory_report("lenet5", batch_size=8).rows}
    assert rows["input"].floats_per_image == 784
    assert rows["pad"].floats_per_image == 32 * 32
    assert rows["conv1"].floats_per_image == 2 * 28 * 28 * 6  # z and relu(z)
    assert rows["pool1"].floats_per_image == 14 * 14 * 6
    assert rows["flatten"].floats_per_image == 0  # a reshape is a view
    assert rows["logits"].floats_per_image == 10  # z only


def test_cnn_full_batch_is_tens_of_gigabytes():
    report = memory_report("cnn", batch_size=64)
    per_image = 784 + 2 * 28 * 28 * 64 + 14 * 14 * 64 + 2 * 14 * 14 * 96 + 7 * 7 * 96 + 2 * 128 + 10
    assert report.total_full_bytes == per_image * 60000 * 4 + 660586 * 4
    assert report.total_full_bytes > 30e9
    assert report.total_batch_bytes < 50e6


def test_bytes_per_float_and_n_images():
    report = memory_report("dense", batch_size=10, n_images=1000, bytes_per_float=8)
    assert report.data_full_bytes == 1000 * 784 * 8
    assert report.data_batch_bytes == 10 * 784 * 8
    assert report.weights_bytes == 238510 * 8


def test_format_report_lists_layers_and_totals():
    report = memory_report("cnn", batch_size=64)
    text = format_report(report)
    for name in ("input", "conv1", "pool1", "conv2", "pool2", "flatten", "fc1", "logits"):
        assert name in text
    for label in ("weights", "data", "activations", "total", "Rule"):
        assert label in text
    assert "28x28x64" in text
    assert human_bytes(report.total_full_bytes) in text
    assert human_bytes(report.total_batch_bytes) in text
    assert "1.88 GB" in text and "about 2 GB" in text
    assert "1 MB = 1e6 bytes" in text
    assert "660,586 parameters" in text


def test_format_report_dense_shows_335_mb():
    assert "335.5 MB" in format_report(memory_report("dense", batch_size=64))


def test_report_dict_is_json():
    report = memory_report("lenet5", batch_size=32)
    data = json.loads(json.dumps(report_dict(report)))
    assert data["arch"] == "lenet5"
    assert data["total_full_bytes"] == report.total_full_bytes
    assert data["rows"][1]["shape"] == [32, 32, 1]
    assert data["conv_example_bytes"] == 1_881_600_000
    assert data["rule"] == report.rule


def test_human_bytes():
    assert human_bytes(0) == "0 B"
    assert human_bytes(999) == "999 B"
    assert human_bytes(200_704) == "200.7 kB"
    assert human_bytes(335_514_040) == "335.5 MB"
    assert human_bytes(2_400_000) == "2.40 MB"
    assert human_bytes(37_500_000_000) == "37.5 GB"


@pytest.mark.parametrize(
    "call",
    [
        lambda: layers("resnet"),
        lambda: parameter_count("resnet"),
        lambda: memory_report("resnet", 64),
        lambda: memory_report("dense", 0),
        lambda: memory_report("dense", -5),
        lambda: memory_report("dense", 61, n_images=60),
        lambda: memory_report("dense", 1, n_images=0),
        lambda: memory_report("dense", 1, bytes_per_float=0),
        lambda: conv_example_bytes(filters=0),
    ],
)
def test_bad_input_raises(call):
    with pytest.raises(ValueError) as info:
        call()
    assert "\n" not in str(info.value)


def test_a_user_defined_spec():
    spec = ArchSpec(
        "tiny", "conv 8@3x3, pool, dense 10", (Conv("c1", 8, 3), Pool("p1"), Flatten(), Dense("out", 10, relu=False))
    )
    report = memory_report(spec, batch_size=10, n_images=100)
    assert report.arch == "tiny" and report.description == spec.description
    assert [row.layer for row in report.rows] == ["input", "c1", "p1", "flatten", "out"]
    per_image = 784 + 2 * 28 * 28 * 8 + 14 * 14 * 8 + 0 + 10
    params = (3 * 3 * 8 + 8) + (14 * 14 * 8 * 10 + 10)
    assert parameter_count(spec) == params
    assert report.total_full_bytes == (per_image * 100 + params) * 4
    assert report.total_batch_bytes == (per_image * 10 + params) * 4
    assert format_report(report).startswith("Memory for one training step of tiny: conv 8@3x3, pool, dense 10\n")


def test_a_spec_that_makes_no_sense_is_refused():
    bad = ArchSpec("bad", "no flatten", (Conv("c1", 8, 3), Dense("out", 10, relu=False)))
    with pytest.raises(ConfigError, match="needs a flat input"):
        memory_report(bad, batch_size=10)


# -- what a run may use: the rule against the machine's free memory ----------------------------------------
PAD8 = "pad8-conv512@1x1-conv512@1x1-pool8"  # passes the parameter limit; 16 MB of activations per image
GB = 10**9


def test_available_bytes_reads_memavailable(tmp_path, monkeypatch):
    from convviz import memory

    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       32000000 kB\nMemFree:  100 kB\nMemAvailable:   22689768 kB\n")
    monkeypatch.setattr(memory, "MEMINFO", str(meminfo))
    assert memory.available_bytes() == 22689768 * 1024
    meminfo.write_text("MemTotal:       32000000 kB\n")  # a kernel without the line: nothing is checked
    assert memory.available_bytes() is None
    monkeypatch.setattr(memory, "MEMINFO", str(tmp_path / "absent"))
    assert memory.available_bytes() is None


def test_the_evaluation_batch_is_lowered_with_a_note():
    from convviz.memory import MEMORY_SHARE, evaluation_bytes, fit_batches

    available = int(evaluation_bytes("cnn", 100) / MEMORY_SHARE) + 1
    fit = fit_batches("cnn", 1000, 16, available=available)
    assert fit.eval_batch_size == 100
    assert fit.note.startswith("evaluating in batches of 100 images, not 1000") and "--eval-batch-size" in fit.note
    assert fit.note.count("\n") == 0
    assert fit_batches("cnn", 1000, 64, available=100 * GB).note is None


def test_nothing_is_checked_where_the_free_memory_is_unknown(monkeypatch):
    from convviz import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: None)
    assert memory.fit_batches(PAD8, 1000, 10000) == memory.BatchFit(1000)


def test_a_training_batch_or_a_single_image_that_does_not_fit_is_refused():
    from convviz.memory import fit_batches

    with pytest.raises(ConfigError, match="a batch size of 21 would fit") as caught:
        fit_batches(PAD8, 1000, 64, available=GB)
    assert str(caught.value).count("\n") == 0 and "for each step" in str(caught.value)
    with pytest.raises(ConfigError, match="for a single image"):
        fit_batches(PAD8, 1000, available=10**7)
    with pytest.raises(ConfigError, match="choose a smaller network"):
        fit_batches(PAD8, 1000, 1, available=10**7)


def test_no_tensor_of_more_than_2_gib_even_with_memory_to_spare():
    from convviz.memory import MAX_TENSOR_BYTES, fit_batches, largest_tensor_bytes

    fit = fit_batches(PAD8, 1000, 64, available=1000 * GB)
    assert fit.eval_batch_size == MAX_TENSOR_BYTES // largest_tensor_bytes(PAD8) == 541
    assert "2 GiB" in fit.note
    with pytest.raises(ConfigError, match="2 GiB"):
        fit_batches(PAD8, 1000, 600, available=1000 * GB)


def test_fit_config_counts_a_batch_no_bigger_than_the_data(monkeypatch):
    from convviz import memory
    from convviz.config import TrainConfig

    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * GB)
    config, note = memory.fit_config(TrainConfig(arch="cnn", batch_size=60000, train_limit=64))
    assert note is None and config.eval_batch_size == 1000
    with pytest.raises(ConfigError):
        memory.fit_config(TrainConfig(arch="cnn", batch_size=60000))
    config, note = memory.fit_config(TrainConfig(arch=PAD8, eval_batch_size=1000, train_limit=64), available=20 * GB)
    assert config.eval_batch_size < 1000 and note


def _no_data(*_args, **_kwargs):
    raise AssertionError("the run was refused: MNIST must not be loaded")


def test_train_pad8_on_a_small_machine_exits_2_in_one_line(run_cli, monkeypatch):
    from convviz import memory
    from convviz.cli import train

    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * GB)
    monkeypatch.setattr(train, "load_data", _no_data)
    proc = run_cli("train", "--arch", PAD8, "--epochs", "1", check_rc=2)
    assert proc.stderr.startswith("convviz: error: ") and proc.stderr.count("\n") == 1
    assert "for each step" in proc.stderr and "would fit" in proc.stderr


def test_train_pad8_notes_the_lowered_evaluation_batch(run_cli, monkeypatch):
    from convviz import memory
    from convviz.cli import train
    from convviz.errors import ConvVizError

    def stop(*_args, **_kwargs):
        raise ConvVizError("stopped before loading MNIST")

    monkeypatch.setattr(memory, "available_bytes", lambda: 1000 * GB)
    monkeypatch.setattr(train, "load_data", stop)  # the note is the point, not a slow network's training
    proc = run_cli("train", "--arch", PAD8, "--epochs", "1", check_rc=2)
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("convviz: note: evaluating in batches of 541 images, not 1000")
    assert lines[1:] == ["convviz: error: stopped before loading MNIST"]


def test_the_window_s_run_is_refused_in_one_line_by_the_same_check(tiny_mnist, monkeypatch):
    from convviz import memory
    from convviz.config import TrainConfig
    from convviz.events import ErrorInfo
    from convviz.run import RunSession

    def no_trainer():
        raise AssertionError("the run was refused: no trainer may be built")

    monkeypatch.setattr(memory, "available_bytes", lambda: 2 * GB)
    session = RunSession(TrainConfig(arch=PAD8), tiny_mnist, timeline=False, imports=no_trainer)
    with session:
        events = list(session)
    errors = [e for e in events if isinstance(e, ErrorInfo)]
    assert len(errors) == 1 and errors[0].user_error and "for each step" in str(session.exception)


def test_evaluate_lowers_its_batch_and_explain_refuses_occlusion_on_a_small_machine(run_cli, monkeypatch, tmp_path):
    from convviz import memory
    from tests.conftest import mnist_dir

    available = int(memory.evaluation_bytes("cnn", 50) / memory.MEMORY_SHARE) + 1
    monkeypatch.setattr(memory, "available_bytes", lambda: available)
    proc = run_cli("evaluate", "--data-dir", str(mnist_dir()), "--json", check_rc=0)
    assert proc.stderr.startswith("convviz: note: evaluating in batches of 50 images, not 1000")
    assert 0.9 < json.loads(proc.stdout.strip().splitlines()[-1])["test_accuracy"] <= 1

    from PIL import Image

    digit = tmp_path / "digit.png"
    picture = Image.new("L", (28, 28), 0)  # a 1
    picture.paste(255, (12, 4, 16, 24))
    picture.save(str(digit))
    proc = run_cli("explain", str(digit), "--png", str(tmp_path / "out.png"), check_rc=2)
    assert "use --method gradient" in proc.stderr and proc.stderr.count("\n") == 2  # the note, then the error
    assert not (tmp_path / "out.png").exists()
