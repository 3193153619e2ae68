"""netspec: one spec per network; shape inference, checks, dict round trip, and the TF graph built from it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from convviz import architectures, netspec
from convviz.config import ARCH_DESCRIPTIONS, ARCHITECTURES, TrainConfig
from convviz.errors import ConfigError
from convviz.netspec import SPECS, ArchSpec, Conv, Dense, Flatten, Pad, Pool, layer_shapes, parameter_count
from convviz.tf1 import tf
from tests.conftest import ROOT

# The README's table.
PARAMETERS = {"dense": 238_510, "cnn": 660_586, "template": 4_824_138, "lenet5": 61_706}
LOGITS = Dense("logits", 10, relu=False)


def _spec(*layers, name="mine") -> ArchSpec:
    return ArchSpec(name, "a test network", layers)


def _build(spec):
    """A fresh graph with ``spec`` built on the image placeholder: (graph, images, endpoints, init op)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        images = architectures.input_placeholder()
        endpoints = architectures.inference(spec, images)
        init = tf.global_variables_initializer()
    return graph, images, endpoints, init


def test_config_reads_the_specs():
    assert ARCHITECTURES == tuple(SPECS) == ("dense", "cnn", "template", "lenet5")
    assert ARCH_DESCRIPTIONS == {name: spec.description for name, spec in SPECS.items()}
    for name, spec in SPECS.items():
        assert spec.name == name
        assert spec.validate() is spec
    with pytest.raises(TypeError):
        SPECS["mine"] = _spec(Flatten(), LOGITS)  # read-only: a user's network is a new spec, not an edit


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_parameter_counts_match_the_readme_and_the_graph(arch):
    spec = SPECS[arch]
    assert parameter_count(spec) == PARAMETERS[arch]
    graph, _, endpoints, _ = _build(spec)
    with graph.as_default():
        variables = {v.op.name: v.shape.as_list() for v in tf.trainable_variables()}
    assert sum(int(np.prod(shape)) for shape in variables.values()) == PARAMETERS[arch]
    # per layer: the spec's count is the layer's kernel plus bias, and only conv and dense layers have weights
    for row in layer_shapes(spec):
        in_graph = sum(int(np.prod(variables.get(f"{row.name}/{part}", [0]))) for part in ("kernel", "bias"))
        assert in_graph == row.params, row.name
    assert tuple(endpoints.kernels) == netspec.kernel_layers(spec)
    assert tuple(endpoints.feature_layers) == netspec.feature_layers(spec)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_inferred_shapes_match_the_graph(arch):
    spec = SPECS[arch]
    rows = layer_shapes(spec)
    assert rows[0].name == "input" and rows[0].shape == (28, 28, 1)
    assert rows[-1].kind == "logits" and rows[-1].shape == (10,)
    assert [row.name for row in rows[1:]] == [layer.name for layer in spec.layers]
    graph, images, endpoints, init = _build(spec)
    tensors = {"input": images}
    for row in rows[1:]:
        # conv, pool and dense layers are endpoints; pad and flatten are fetched by their op's name
        if row.kind in ("pad", "flatten"):
            assert row.name not in endpoints.layers
            tensors[row.name] = graph.get_tensor_by_name(f"{row.name}:0")
        else:
            tensors[row.name] = endpoints.layers[row.name]
    for row in rows:
        assert tuple(tensors[row.name].shape.as_list()[1:]) == row.shape, row.name
    # and at run time, on a batch of three
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        x = np.random.RandomState(0).rand(3, 28, 28, 1).astype(np.float32)
        values = sess.run(tensors, {images: x})
    for row in rows:
        assert values[row.name].shape == (3, *row.shape), row.name


def test_shape_rules():
    rows = layer_shapes(
        _spec(
            Pad(3),  # 34
            Conv("a", 4, 3, "VALID"),  # 32
            Pool("b"),  # 16
            Conv("c", 5, 7, "SAME"),  # 16
            Pool("d"),  # 8
            Pool("e"),  # 4
            Conv("f", 2, 4, "VALID"),  # 1
            Flatten(),
            Dense("g", 7),
            LOGITS,
        )
    )
    shapes = {row.name: row.shape for row in rows}
    assert shapes == {
        "input": (28, 28, 1),
        "pad": (34, 34, 1),
        "a": (32, 32, 4),
        "b": (16, 16, 4),
        "c": (16, 16, 5),
        "d": (8, 8, 5),
        "e": (4, 4, 5),
        "f": (1, 1, 2),
        "flatten": (2,),
        "g": (7,),
        "logits": (10,),
    }
    params = {row.name: row.params for row in rows}
    assert params["a"] == 3 * 3 * 1 * 4 + 4 and params["c"] == 7 * 7 * 4 * 5 + 5 and params["f"] == 4 * 4 * 5 * 2 + 2
    assert params["g"] == 2 * 7 + 7 and params["logits"] == 7 * 10 + 10
    assert params["pad"] == params["b"] == params["flatten"] == 0
    assert [row.kind for row in rows][:4] == ["input", "pad", "conv", "pool"]
    assert [row.relu for row in rows[-3:]] == [False, True, False]
    # an odd size pools down: 7 -> 3
    odd = layer_shapes(_spec(Conv("a", 1, 11, "VALID"), Pool("b"), Pool("c"), Flatten(), LOGITS))
    assert [row.shape for row in odd[1:4]] == [(18, 18, 1), (9, 9, 1), (4, 4, 1)]


@pytest.mark.parametrize(
    "layers, message",
    [
        ((Pool("p1"), Pool("p2"), Conv("c", 4, 9, "VALID"), Flatten(), LOGITS), "input is 7x7 here, smaller than"),
        ((Pool("p1"), Pool("p2"), Conv("c", 4, 9, "SAME"), Flatten(), LOGITS), "the 9x9 kernel"),
        ((Pool("p1"), Pool("p2"), Pool("p3"), Pool("p4"), Pool("p5"), Flatten(), LOGITS), "the input is 1x1 here"),
        ((Pool("p1", 5), Pool("p2", 6), Flatten(), LOGITS), "5x5 here, smaller than the 6x6 pool"),
        ((Conv("c", 4, 12), Flatten(), LOGITS), "size must be a whole number from 1 to 11, got 12"),
        ((Conv("c", 513, 3), Flatten(), LOGITS), "filters must be a whole number from 1 to 512"),
        ((Conv("c", 4, 3, "SAME", 5), Flatten(), LOGITS), "stride must be a whole number from 1 to 4, got 5"),
        ((Conv("c", 4, 3, "SAME", 0), Flatten(), LOGITS), "stride must be a whole number"),
        ((Pool("p", 1), Flatten(), LOGITS), "size must be a whole number from 2 to 8, got 1"),
        ((Pad(9), Flatten(), LOGITS), "amount must be a whole number from 1 to 8"),
        ((Flatten(), Dense("fc", 4097), LOGITS), "units must be a whole number from 1 to 4096"),
        ((Flatten(), Dense("a", 4096), Dense("b", 4096), LOGITS), "20,000,000"),
        ((*(Conv(f"c{i}", 1, 1) for i in range(17)), Flatten(), LOGITS), "more than 18 layers"),
        ((*(Conv(f"c{i}", 512, 1) for i in range(5)), Flatten(), LOGITS), "2,007,040 numbers per image"),
        ((Conv("a", 128, 3), Conv("b", 512, 5), Flatten(), LOGITS), "multiply-adds per image up to here"),
        ((Flatten(), Conv("c", 4, 3), LOGITS), "already flat"),
        ((Flatten(), Pool("p"), LOGITS), "already flat"),
        ((Flatten(), Flatten("f2"), LOGITS), "already flat"),
        ((Conv("c", 4, 3), LOGITS), "needs a flat input"),
        ((Flatten(), Dense("fc", 10)), "last layer must be the logits"),
        ((Flatten(), Dense("logits", 9, relu=False)), "last layer must be the logits"),
        ((Flatten(), LOGITS, Dense("fc", 10)), "only the last layer"),
        ((Flatten(),), "last layer must be the logits"),
        ((), "last layer must be the logits"),
        ((Conv("c", 4, 3, "FULL"), Flatten(), LOGITS), "padding must be one of SAME, VALID"),
        ((Conv("c", 4, 3, "same"), Flatten(), LOGITS), "padding must be one of SAME, VALID"),
        ((Conv("c", 0, 3), Flatten(), LOGITS), "filters must be a whole number"),
        ((Conv("c", 4, 2.5), Flatten(), LOGITS), "size must be a whole number"),
        ((Conv("c", True, 3), Flatten(), LOGITS), "filters must be a whole number"),
        ((Pad(0), Flatten(), LOGITS), "amount must be a whole number"),
        ((Flatten(), Dense("fc", -1), LOGITS), "units must be a whole number"),
        ((Flatten(), Dense("fc", 5, relu="yes"), LOGITS), "relu must be true or false"),
        ((Conv("c", 4, 3), Conv("c", 4, 3), Flatten(), LOGITS), "used twice"),
        ((Conv("Conv 1", 4, 3), Flatten(), LOGITS), "must be a lower-case letter"),
        ((Conv("loss", 4, 3), Flatten(), LOGITS), "is reserved"),
        (("conv 8@3x3", Flatten(), LOGITS), "not a layer"),
    ],
)
def test_a_spec_that_makes_no_sense_is_refused(layers, message):
    spec = _spec(*layers)
    for check in (spec.validate, lambda: layer_shapes(spec), lambda: parameter_count(spec)):
        with pytest.raises(ConfigError, match=message) as info:
            check()
        assert "\n" not in str(info.value)
    # and the graph builder refuses it before creating a single layer
    graph = tf.Graph()
    with graph.as_default():
        images = architectures.input_placeholder()
        with pytest.raises(ConfigError, match=message):
            architectures.inference(spec, images)
        assert not tf.global_variables()
    assert [op.name for op in graph.get_operations()] == ["images"]


@pytest.mark.parametrize(
    "name, description, message",
    [("", "x", "architecture name"), ("My Net", "x", "architecture name"), ("mine", "two\nlines", "one line")],
)
def test_bad_name_or_description(name, description, message):
    with pytest.raises(ConfigError, match=message):
        ArchSpec(name, description, (Flatten(), LOGITS)).validate()


def test_unknown_name():
    with pytest.raises(ConfigError, match="unknown architecture 'resnet'; choose one of dense, cnn, template, lenet5"):
        netspec.get_spec("resnet")
    assert netspec.get_spec("cnn") is SPECS["cnn"]
    mine = _spec(Flatten(), LOGITS)
    assert netspec.get_spec(mine) is mine


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_dict_round_trip(arch):
    spec = SPECS[arch]
    data = json.loads(json.dumps(spec.to_dict()))
    assert data["name"] == arch and data["description"] == spec.description
    assert data["layers"][-1] == {"type": "dense", "name": "logits", "units": 10, "relu": False}
    again = ArchSpec.from_dict(data)
    assert again == spec and hash(again) == hash(spec)
    assert again.layers == spec.layers and isinstance(again.layers, tuple)


def test_from_dict_user_input():
    spec = ArchSpec.from_dict(
        {
            "name": "small",
            "layers": [
                {"type": "conv", "name": "c1", "filters": 8, "size": 3, "padding": "valid"},
                {"type": "pool", "name": "p1"},
                {"type": "flatten"},
                {"type": "dense", "name": "logits", "units": 10, "relu": False},
            ],
        }
    )
    assert spec.layers == (Conv("c1", 8, 3, "VALID"), Pool("p1"), Flatten(), LOGITS)
    assert spec.description == spec.summary() == "conv 8@3x3 valid, pool, dense 10"
    assert parameter_count(spec) == (3 * 3 * 8 + 8) + (13 * 13 * 8 * 10 + 10)
    assert ArchSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "must be a mapping"),
        ({"name": "x", "layers": "conv"}, "'layers' must be a list"),
        ({"name": "x"}, "'layers' must be a list"),
        ({"name": "x", "layers": [], "colour": "red"}, "unknown architecture key"),
        ({"name": "x", "layers": [{"type": "lstm", "name": "l"}]}, "unknown layer type 'lstm'"),
        ({"name": "x", "layers": [{"name": "l"}]}, "unknown layer type None"),
        ({"name": "x", "layers": ["conv"]}, "a layer must be a mapping"),
        ({"name": "x", "layers": [{"type": "conv", "name": "c", "filters": 8}]}, "a conv layer needs size"),
        ({"name": "x", "layers": [{"type": "pool", "name": "p", "stride": 3}]}, "a pool layer has no stride"),
        ({"name": "x", "description": 5, "layers": [{"type": "flatten"}]}, "one line"),
        ({"name": "x", "layers": [{"type": "flatten"}]}, "last layer must be the logits"),
        ({"name": 7, "layers": [{"type": "flatten"}]}, "architecture name 7"),
    ],
)
def test_from_dict_refuses_bad_input(data, message):
    with pytest.raises(ConfigError, match=message) as info:
        ArchSpec.from_dict(data)
    assert "\n" not in str(info.value)


def test_netspec_is_pure_python():
    code = (
        "import sys, convviz.netspec as n; n.parameter_count(n.SPECS['cnn']); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'tensorflow', 'PyQt5', 'pyqtgraph'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_a_custom_spec_builds_and_trains(small_mnist):
    """conv 8@3x3, pool, dense 10: built from the spec alone, it learns MNIST in a few seconds."""
    spec = _spec(Conv("edges", 8, 3), Pool("shrink"), Flatten(), LOGITS, name="tiny")
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        images = architectures.input_placeholder()
        labels = tf.placeholder(tf.int64, [None], name="labels")
        endpoints = architectures.inference(spec, images)
        loss = architectures.loss(endpoints.logits, labels)
        accuracy = architectures.batch_accuracy(endpoints.logits, labels)
        step = tf.train.get_or_create_global_step()
        train = architectures.training(loss, TrainConfig(learning_rate=3e-3), step)
        init = tf.global_variables_initializer()
    graph.finalize()
    assert list(endpoints.layers) == ["edges", "shrink", "logits"]
    assert list(endpoints.kernels) == ["edges", "logits"]
    assert endpoints.feature_layers == ["edges", "shrink"]  # by shape, not by name
    assert endpoints.kernels["edges"].shape.as_list() == [3, 3, 1, 8]
    assert endpoints.kernels["logits"].shape.as_list() == [14 * 14 * 8, 10]
    x, y = small_mnist.train_images, small_mnist.train_labels
    test = {images: small_mnist.test_images, labels: small_mnist.test_labels}
    rng = np.random.RandomState(0)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        before = sess.run([loss, accuracy], test)
        for _ in range(3):
            for batch in np.array_split(rng.permutation(len(y)), len(y) // 50):
                sess.run(train, {images: x[batch], labels: y[batch]})
        after = sess.run([loss, accuracy], test)
        assert sess.run(step) == 120
    assert before[1] < 0.3 and before[0] > 2.0
    assert after[0] < 0.6 * before[0]
    assert after[1] > 0.8, after


def _imports_of(module: str) -> set:
    """The convviz modules that ``module``'s source names in an import statement, inside functions too."""
    from tests.test_layering import imported_modules

    path = ROOT.joinpath(*module.split("."))
    source = (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text()
    found = set()
    for name in imported_modules(source):
        parts = name.split(".")
        while parts and not (ROOT.joinpath(*parts).with_suffix(".py").exists() or ROOT.joinpath(*parts).is_dir()):
            parts.pop()  # `from convviz.netspec import SPECS` names convviz.netspec.SPECS: the module is the prefix
        if len(parts) > 1 and parts[0] == "convviz":
            found.add(".".join(parts))
    return found - {module}


def _reaches(start: str, target: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == target:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(_imports_of(module))
    return False


def test_config_and_netspec_import_each_other_in_one_direction_only():
    """config reads the networks from netspec; netspec needs nothing of config (MNIST's shape is in constants).

    Every import statement counts, lazy ones too: a circle hidden in a function still makes the first
    import's result depend on which of the two was imported first.
    """
    assert _reaches("convviz.config", "convviz.netspec")
    assert not _reaches("convviz.netspec", "convviz.config")


@pytest.mark.parametrize("first", ["convviz.config", "convviz.netspec"])
def test_config_and_netspec_each_import_first_in_a_fresh_interpreter(first):
    code = (
        f"import sys, {first}; import convviz.config as c, convviz.constants as k, convviz.netspec as n; "
        "assert c.ARCHITECTURES == tuple(n.SPECS) and n.get_spec('cnn').layers[-1].units == k.NUM_CLASSES; "
        "print(sorted(m for m in sys.modules if m in ('convviz.config', 'convviz.netspec')))"
    )
    alone = f"import sys, {first}; print('convviz.config' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-c", alone], cwd=str(ROOT), capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == str(first == "convviz.config")  # netspec alone loads no config
