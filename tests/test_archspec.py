"""Spec strings: the grammar, its errors, the graphs it builds, and --arch end to end."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import numpy as np
import pytest

from convviz import architectures, netspec
from convviz.archspec import SpecError
from convviz.config import ARCHITECTURES, TrainConfig
from convviz.errors import ConfigError
from convviz.memory import memory_report
from convviz.model import Model, ModelError, load_meta
from convviz.netspec import (
    SPECS,
    Conv,
    Dense,
    Flatten,
    Pad,
    Pool,
    format_spec,
    get_spec,
    layer_shapes,
    parameter_count,
    parse_spec,
)
from convviz.pretrained import META_FILE, suggest_folder
from convviz.tf1 import tf
from convviz.training import EpochEvent, Trainer
from tests.conftest import ROOT, mnist_dir

# The README's table: each built-in network spelled in the grammar, and its parameter count.
BUILT_IN = {
    "dense": ("dense300", 238_510),
    "cnn": ("conv64@5x5-pool2-conv96@3x3-pool2-dense128", 660_586),
    "template": ("conv64@5x5-conv64@5x5v-dense128", 4_824_138),
    "lenet5": ("pad2-conv6@5x5v-pool2-conv16@5x5v-pool2-conv120@5x5v-dense84", 61_706),
}
LOGITS = Dense("logits", 10, relu=False)


# ---- the four built-in networks ------------------------------------------------------------------


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_built_in_network_is_spelled_in_the_grammar(arch):
    text, params = BUILT_IN[arch]
    assert format_spec(arch) == format_spec(SPECS[arch]) == text
    parsed = parse_spec(text)
    assert parsed.layers == SPECS[arch].layers  # the same layers, names included: the same graph and variables
    assert parsed.name == text and get_spec(text) == parsed and get_spec(parsed.name) is parsed
    assert parameter_count(parsed) == parameter_count(SPECS[arch]) == params
    assert layer_shapes(parsed)[1:] == layer_shapes(SPECS[arch])[1:]
    assert format_spec(parsed) == text


def test_the_readme_table_holds_the_four_spec_strings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for arch, (text, params) in BUILT_IN.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"  | `{arch}` |"))
        assert f"`{text}`" in row and f"{params:,}" in row, row


def test_a_built_in_network_built_from_its_spec_string_has_the_same_graph():
    """Same variables, shapes and op names as the built-in (the pretrained weights fit it)."""

    def graph_of(arch):
        graph = tf.Graph()
        with graph.as_default():
            architectures.inference(arch, architectures.input_placeholder())
            variables = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
        return variables, [op.name for op in graph.get_operations()]

    for arch in ("cnn", "lenet5"):
        assert graph_of(BUILT_IN[arch][0]) == graph_of(arch)


# ---- round trips -----------------------------------------------------------------------------------


def random_spec(rng: random.Random) -> str:
    """A spec string in canonical spelling; not every one makes a network (sizes may not fit)."""
    tokens = []
    if rng.random() < 0.2:
        tokens.append(f"pad{rng.randint(1, 8)}")
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.6:
            size, stride = rng.randint(1, 7), rng.choice([1, 1, 1, 2, 3, 4])
            valid = "v" if rng.random() < 0.4 else ""
            tokens.append(f"conv{rng.randint(1, 48)}@{size}x{size}{valid}{f'/{stride}' if stride > 1 else ''}")
        elif rng.random() < 0.8:
            tokens.append(f"pool{rng.randint(2, 4)}")
        else:
            tokens.append(f"pad{rng.randint(1, 3)}")
    for _ in range(rng.randint(0 if tokens else 1, 3)):
        tokens.append(f"dense{rng.choice([7, 11, 16, 64, 100, 300, 1024])}")
    return "-".join(tokens)


def test_random_specs_round_trip():
    rng = random.Random(10)
    valid = refused = 0
    for _ in range(400):
        text = random_spec(rng)
        try:
            spec = parse_spec(text)
        except SpecError as exc:  # a kernel larger than its input, a network too big: said in one line
            refused += 1
            assert "\n" not in str(exc) and exc.token and exc.token in text and exc.reason in str(exc)
            assert text[exc.position - 1 :].startswith(exc.token)
            continue
        valid += 1
        assert format_spec(spec) == spec.name == text
        again = parse_spec(format_spec(spec))
        assert again == spec and again.layers == spec.layers
        assert get_spec(text) == spec
        # the implied layers: one flatten before the first dense layer (or the logits), the logits last
        assert spec.layers[-1] == LOGITS
        assert sum(isinstance(layer, Flatten) for layer in spec.layers) == 1
        # other spellings of the same network
        assert parse_spec(" " + text.upper().replace("-", " - ") + " ") == spec
        assert parse_spec(re.sub(r"(x\d+)(?=(/\d+)?(-|$))", r"\1s", text)) == spec  # explicit same padding
        assert parse_spec(re.sub(r"v/(\d+)", r"/\1v", text)) == spec  # the padding after the stride
    assert valid >= 150 and refused >= 20, (valid, refused)


def test_a_spec_from_layers_round_trips_only_when_the_grammar_can_spell_it():
    strided = netspec.ArchSpec("mine", "x", (Conv("conv1", 8, 3, "SAME", 2), Pool("pool1", 3), Flatten(), LOGITS))
    assert format_spec(strided) == "conv8@3x3/2-pool3"
    assert parse_spec("conv8@3x3/2-pool3").layers == strided.layers
    for layers in (
        (Conv("edges", 8, 3), Flatten(), LOGITS),  # named otherwise
        (Flatten(), Dense("fc1", 10), LOGITS),  # a written 10-way layer the parser would refuse
        (Conv("conv1", 8, 3), Flatten(), Dense("fc1", 5), Dense("fc2", 5, relu=True), LOGITS, Flatten()),
    ):
        with pytest.raises(ConfigError, match="cannot be written as a spec string"):
            format_spec(netspec.ArchSpec("mine", "x", layers))


# ---- the grammar ------------------------------------------------------------------------------------


def test_what_each_token_means():
    spec = parse_spec("pad2-conv6@5x5v-pool2-conv16@3x3/2-pool3-pad1-conv8@1x1v/4-dense100-dense20")
    assert spec.layers == (
        Pad(2),
        Conv("conv1", 6, 5, "VALID"),
        Pool("pool1"),
        Conv("conv2", 16, 3, "SAME", 2),
        Pool("pool2", 3),
        Pad(1, "pad2"),
        Conv("conv3", 8, 1, "VALID", 4),
        Flatten(),
        Dense("fc1", 100),
        Dense("fc2", 20),
        LOGITS,
    )
    shapes = {row.name: row.shape for row in layer_shapes(spec)}
    # 28 +4 = 32, valid 5x5: 28, pool: 14, same /2: 7, pool3: 2, pad 1: 4, 1x1 valid /4: 1
    assert [shapes[n] for n in ("pad", "conv1", "pool1", "conv2", "pool2", "pad2", "conv3", "flatten")] == [
        (32, 32, 1),
        (28, 28, 6),
        (14, 14, 6),
        (7, 7, 16),
        (2, 2, 16),
        (4, 4, 16),
        (1, 1, 8),
        (8,),
    ]
    assert spec.description == (
        "pad 2, conv 6@5x5 valid, pool, conv 16@3x3 stride 2, pool 3x3, pad 1, conv 8@1x1 valid stride 4, "
        "dense 100, dense 20, dense 10"
    )
    # no dense layer: the flatten comes before the logits
    assert parse_spec("conv8@3x3-pool2").layers == (Conv("conv1", 8, 3), Pool("pool1"), Flatten(), LOGITS)


# (spec, the token named, its layer number, its character, why)
BAD_SPECS = [
    ("conv32@5x5-pool2-conv64@3x3v-pool2-conv64@7x7v", "conv64@7x7v", 5, 36, "the input is 6x6 here, smaller than"),
    ("conv32@5x5-pool2-pool2-pool2-conv8@5x5", "conv8@5x5", 5, 30, "the input is 3x3 here, smaller than the 5x5"),
    ("pool4-pool4-pool2", "pool2", 3, 13, "the input is 1x1 here, smaller than the 2x2 pool"),
    ("conv8@3x3-lstm64", "lstm64", 2, 11, "unknown layer; write pad<N>, conv<F>@<K>x<K>"),
    ("conv8@3x5", "conv8@3x5", 1, 1, "kernels are square"),
    ("conv8", "conv8", 1, 1, "write conv<filters>@<k>x<k>"),
    ("conv8@3x3v/2v", "conv8@3x3v/2v", 1, 1, "give the padding once"),
    ("pool", "pool", 1, 1, "write pool<size>"),
    ("dense64-densely", "densely", 2, 9, "write dense<units>"),  # (dense alone is the built-in network)
    ("padx", "padx", 1, 1, "write pad<pixels>"),
    ("conv8@3x3-flatten-dense64", "flatten", 2, 11, "is implied; leave it out"),
    ("dense64-logits", "logits", 2, 9, "output layer at the end is implied"),
    ("dense300-dense10", "dense10", 2, 10, "output layer at the end is implied"),
    ("dense128-conv8@3x3", "conv8@3x3", 2, 10, "cannot follow a dense layer"),
    ("conv8@3x3--dense64", "", 2, 11, "an empty layer"),
    ("conv8@3x3-", "", 2, 11, "an empty layer"),
    ("conv600@3x3", "conv600@3x3", 1, 1, "number of filters must be from 1 to 512, not 600"),
    ("conv8@13x13", "conv8@13x13", 1, 1, "kernel size must be from 1 to 11, not 13"),
    ("conv8@3x3/5", "conv8@3x3/5", 1, 1, "stride must be from 1 to 4, not 5"),
    ("conv8@3x3/0", "conv8@3x3/0", 1, 1, "stride must be from 1 to 4, not 0"),
    ("conv0@3x3", "conv0@3x3", 1, 1, "number of filters must be from 1"),
    ("pool1", "pool1", 1, 1, "pool size must be from 2 to 8, not 1"),
    ("pad9", "pad9", 1, 1, "padding must be from 1 to 8, not 9"),
    ("dense5000", "dense5000", 1, 1, "width must be from 1 to 4096, not 5000"),
    ("dense" + "9" * 60, "dense" + "9" * 60, 1, 1, "width must be from 1 to 4096"),
    ("dense4096-dense4096-dense4096", "dense4096", 3, 21, "36,777,984 parameters up to here, more than the limit of"),
    ("conv512@3x3-conv512@3x3", "conv512@3x3", 2, 13, "multiply-adds per image up to here"),
    ("-".join(["conv512@1x1"] * 5), "conv512@1x1", 5, 49, "numbers per image in the layer outputs"),
    ("conv512@1x1-pool2-dense4096", "dense4096", 3, 19, "parameters up to here"),
    ("dense4096-dense4090", "dense4090", 2, 11, "the 10-way output layer after it: 20,013,000 parameters"),
    ("-".join(["pad1"] * 17), "pad1", 17, 81, "more than 16 layers"),
]


@pytest.mark.parametrize("text, token, index, position, why", BAD_SPECS)
def test_a_bad_spec_gets_one_line_naming_the_token(text, token, index, position, why):
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    error = info.value
    assert isinstance(error, ConfigError)  # the CLI's exit 2, the window's error line
    message = str(error)
    assert "\n" not in message and why in message, message
    assert (error.token, error.index, error.position) == (token, index, position)
    assert message.startswith(f"{token or '(nothing)'} (layer {index}, character {position}): ")
    assert text[position - 1 :].startswith(token)
    with pytest.raises(SpecError):  # through the one gate too, and nothing cached
        get_spec(text)


def test_bad_specs_as_a_whole():
    with pytest.raises(SpecError, match=r"^the architecture spec has 201 characters, more than 200$"):
        parse_spec("dense1-" * 27 + "dense1234567")
    with pytest.raises(SpecError, match="more than 16 layers"):  # 200 characters are read
        parse_spec("dense1-" * 27 + "dense123456")
    with pytest.raises(SpecError, match="the architecture spec is empty"):
        parse_spec("   ")
    with pytest.raises(ConfigError, match="must be a string"):
        parse_spec(7)
    with pytest.raises(ConfigError, match="unknown architecture 'resnet'; choose one of dense, cnn, template, lenet5"):
        get_spec("resnet")
    with pytest.raises(ConfigError, match=r"unknown architecture 'a{37}\.\.\.'"):
        get_spec("a" * 5000)
    # a dict spec may not claim a spec string for a name that is not its own
    with pytest.raises(ConfigError, match="architecture name 'conv8@3x3'"):
        netspec.ArchSpec("conv8@3x3", "x", (Conv("conv1", 16, 3), Flatten(), LOGITS)).validate()
    netspec.ArchSpec("conv16@3x3", "x", (Conv("conv1", 16, 3), Flatten(), LOGITS)).validate()


def test_train_config_takes_a_spec():
    assert TrainConfig(arch="conv8@3x3-pool2-dense32").validate().arch == "conv8@3x3-pool2-dense32"
    with pytest.raises(SpecError, match=r"^conv8@3x3v/9 \(layer 1, character 1\): the stride must be"):
        TrainConfig(arch="conv8@3x3v/9").validate()
    with pytest.raises(ConfigError, match="must be a name or a spec string"):
        TrainConfig(arch=SPECS["cnn"]).validate()


# ---- the graph a spec builds -------------------------------------------------------------------------

CUSTOM = [
    "conv32@5x5/2-conv64@3x3v/2-dense128",
    "pad3-conv8@7x7v-pool3-conv16@3x3/3-dense20-dense11",
    "conv4@1x1-pool4-conv6@2x2v/4-pool2",
    "conv10@5x5s/4-conv12@3x3",
]


@pytest.mark.parametrize("text", CUSTOM)
def test_shapes_and_parameters_equal_the_built_graph(text):
    spec = parse_spec(text)
    rows = layer_shapes(spec)
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        images = architectures.input_placeholder()
        endpoints = architectures.inference(text, images)
        variables = {v.op.name: v.shape.as_list() for v in tf.trainable_variables()}
        init = tf.global_variables_initializer()
    assert sum(int(np.prod(shape)) for shape in variables.values()) == parameter_count(spec)
    for row in rows:
        in_graph = sum(int(np.prod(variables.get(f"{row.name}/{part}", [0]))) for part in ("kernel", "bias"))
        assert in_graph == row.params, row.name
    tensors = {"input": images}
    for row in rows[1:]:
        in_endpoints = row.name in endpoints.layers  # conv, pool, dense; pad and flatten by their op's name
        tensors[row.name] = endpoints.layers[row.name] if in_endpoints else graph.get_tensor_by_name(f"{row.name}:0")
    for row in rows:
        assert tuple(tensors[row.name].shape.as_list()[1:]) == row.shape, row.name
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        values = sess.run(tensors, {images: np.random.RandomState(0).rand(2, 28, 28, 1).astype(np.float32)})
    for row in rows:
        assert values[row.name].shape == (2, *row.shape), row.name
    assert tuple(endpoints.kernels) == netspec.kernel_layers(spec)
    assert tuple(endpoints.feature_layers) == netspec.feature_layers(spec)


def test_memory_takes_a_spec_string():
    text = "conv32@5x5/2-pool2-dense64"
    report = memory_report(text, 64)
    assert report.arch == text and [row.layer for row in report.rows] == [
        "input",
        "conv1",
        "pool1",
        "flatten",
        "fc1",
        "logits",
    ]
    assert [row.shape for row in report.rows][1:3] == [(14, 14, 32), (7, 7, 32)]
    assert report.rows[1].floats_per_image == 2 * 14 * 14 * 32
    assert report.weights_bytes == 4 * parameter_count(parse_spec(text))


# ---- models: save, load, train --------------------------------------------------------------------------


def test_a_custom_model_saves_and_loads(tmp_path):
    with Model("conv8@3x3S/2 - pool2 - Dense16") as model:  # any spelling; the model keeps the canonical one
        assert model.arch == "conv8@3x3/2-pool2-dense16"
        assert sorted(model.variable_names) == sorted(
            f"{layer}/{part}" for layer in ("conv1", "fc1", "logits") for part in ("kernel", "bias")
        )
        model.save(tmp_path / "m", {"note": "custom"})
        weights = model.get_weights()
    assert json.loads((tmp_path / "m" / META_FILE).read_text())["arch"] == "conv8@3x3/2-pool2-dense16"
    with Model.load(tmp_path / "m") as again:
        assert again.arch == "conv8@3x3/2-pool2-dense16" and again.meta["note"] == "custom"
        for name, value in weights.items():
            np.testing.assert_array_equal(again.get_weights()[name], value)
        assert again.feature_maps(np.zeros((28, 28), np.float32))[0][1].shape == (14, 14, 8)


def test_save_suggests_one_folder_for_a_strided_spec(tmp_path):
    folder = suggest_folder(tmp_path, "conv8@3x3/2-dense16", "trained")
    assert folder.parent == tmp_path and folder.name.startswith("conv8@3x3_2-dense16-trained-")


def test_a_model_folder_with_a_bad_spec_is_refused_in_one_line(tmp_path):
    with Model("conv8@3x3-dense16") as model:
        model.save(tmp_path / "m", {})
    meta_path = tmp_path / "m" / META_FILE
    meta = json.loads(meta_path.read_text())
    for arch, message in (
        ("conv8@3x3-conv64@29x29", "kernel size must be from 1 to 11"),
        ("resnet", "unknown architecture 'resnet'"),
        ("d" * 300 + "1", "more than 200"),
        (7, "not a ConvViz model description"),
    ):
        meta_path.write_text(json.dumps({**meta, "arch": arch}))
        with pytest.raises(ModelError, match=message) as info:
            load_meta(tmp_path / "m")
        assert "\n" not in str(info.value)
    with pytest.raises(ModelError, match=r"^dense16x \(layer 2, character 11\): write dense<units>"):
        Model("conv8@3x3-dense16x")


@pytest.mark.parametrize("batching", ["dataset", "estimator"])
def test_a_custom_network_trains_with_every_batching(tiny_mnist, batching):
    text = "conv8@3x3/2-pool2-dense16"
    config = TrainConfig(arch=text, batching=batching, batch_size=100, epochs=1, eval_batch_size=128)
    with Trainer(config, tiny_mnist) as trainer:
        events = list(trainer.run())
        weights = trainer.weights()
    assert isinstance(events[-1], EpochEvent) and 0 <= events[-1].test_accuracy <= 1
    with Model(text, weights) as model:
        assert sorted(weights) == sorted(model.variable_names)


def _main(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=str(ROOT), capture_output=True, text=True)


def test_the_cli_trains_saves_evaluates_and_classifies_a_custom_network(tmp_path, mnist):
    """One short epoch of a strided net on 1,000 images, then evaluate and classify the saved model."""
    model_dir = tmp_path / "strided"
    typed = "conv16@5x5S/2-Conv32@3x3v/2-dense64"
    text = "conv16@5x5/2-conv32@3x3v/2-dense64"
    proc = _main(
        "train",
        "--arch",
        typed,
        "--epochs",
        "1",
        "--train-limit",
        "1000",
        "--batch-size",
        "50",
        "--data-dir",
        str(mnist_dir()),
        "--save",
        str(model_dir),
        "--json",
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["arch"] == text and result["train_images"] == 1000
    assert 0.5 < result["test_accuracy"] <= 1, result  # it learned, on 1,000 images in one epoch
    meta = json.loads((model_dir / META_FILE).read_text())
    assert meta["arch"] == text

    proc = _main("evaluate", "--model", str(model_dir), "--data-dir", str(mnist_dir()), "--json")
    assert proc.returncode == 0, proc.stderr
    evaluated = json.loads(proc.stdout.strip().splitlines()[-1])
    assert evaluated["arch"] == text
    assert evaluated["test_accuracy"] == pytest.approx(result["test_accuracy"], abs=1e-6)

    from PIL import Image

    files = []
    for i in range(2):
        path = tmp_path / f"digit{i}.png"
        Image.fromarray((255 - mnist.test_images[i, :, :, 0] * 255).astype(np.uint8)).save(path)
        files.append(str(path))
    proc = _main("classify", "--model", str(model_dir), *files)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert [line["file"] for line in lines] == files
    assert all(abs(sum(line["probabilities"]) - 1) < 1e-4 for line in lines)
    with Model.load(model_dir) as model:  # the CLI's answers are the saved model's
        expected = model.predict(mnist.test_images[:2])
    assert [line["digit"] for line in lines] == [int(d) for d in expected]


def test_the_cli_memory_takes_a_spec_and_bad_specs_exit_2_in_one_line():
    text = "pad2-conv6@5x5v-pool2-dense84"
    proc = _main("memory", "--arch", text, "--batch-size", "32", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    expected = memory_report(text, 32)
    assert report["arch"] == text and report["total_full_bytes"] == expected.total_full_bytes
    assert report["total_batch_bytes"] == expected.total_batch_bytes
    for args in (
        ["memory", "--arch", "conv32@5x5-pool2-conv64@3x3v-pool2-conv64@7x7v"],
        ["train", "--arch", "conv32@5x5-pool2-conv64@3x3v-pool2-conv64@7x7v", "--data-dir", "/nonexistent"],
    ):
        proc = _main(*args)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.strip().splitlines() == [
            "convviz: error: conv64@7x7v (layer 5, character 36): the input is 6x6 here, smaller than the 7x7 kernel"
        ]
    for command in ("train", "memory"):
        assert "or a spec such as conv32@5x5-pool2-dense128" in " ".join(_main(command, "--help").stdout.split())
