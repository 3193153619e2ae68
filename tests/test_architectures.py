"""The four networks: shapes, names, parameter counts (tensorflow/models mnist_test.py style)."""

from __future__ import annotations

import numpy as np
import pytest

from convviz import memory
from convviz.architectures import inference, input_placeholder
from convviz.config import ARCHITECTURES
from convviz.errors import ConfigError
from convviz.tf1 import tf


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_shapes_and_names_match_the_exercise(arch):
    graph = tf.Graph()
    with graph.as_default():
        images = input_placeholder()
        ep = inference(arch, images)
        n_params = sum(int(np.prod(v.shape.as_list())) for v in tf.trainable_variables())
        # every kernel and activation is fetchable by name, as the GUI does
        for name in ep.kernels:
            assert graph.get_tensor_by_name(f"{name}/kernel:0") is not None
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            x = np.random.RandomState(0).rand(3, 28, 28, 1).astype(np.float32)
            values = sess.run(dict(ep.layers, logits=ep.logits), {images: x})
    assert values["logits"].shape == (3, 10)
    assert values["logits"].dtype == np.float32
    # the layer shapes are exactly those the memory arithmetic assumes
    expected = {layer.name: layer.shape for layer in memory.layers(arch)}
    for name, value in values.items():
        if name in expected:
            assert value.shape[1:] == tuple(expected[name]), name
    assert n_params == memory.parameter_count(arch)
    assert set(ep.feature_layers) <= set(expected)


def test_network_definitions():
    """Spot checks of the course's definitions."""
    shape = {}
    for arch in ARCHITECTURES:
        with tf.Graph().as_default():
            shape[arch] = {k: v.shape.as_list() for k, v in inference(arch, input_placeholder()).kernels.items()}
    assert shape["dense"] == {"fc1": [784, 300], "logits": [300, 10]}
    assert shape["cnn"]["conv1"] == [5, 5, 1, 64] and shape["cnn"]["conv2"] == [3, 3, 64, 96]
    assert shape["cnn"]["fc1"] == [7 * 7 * 96, 128]
    assert shape["template"]["conv2"] == [5, 5, 64, 64] and shape["template"]["fc1"] == [24 * 24 * 64, 128]
    assert [shape["lenet5"][k][3] for k in ("conv1", "conv2", "conv3")] == [6, 16, 120]
    assert shape["lenet5"]["fc1"] == [120, 84]


def test_unknown_architecture():
    with tf.Graph().as_default(), pytest.raises(ConfigError, match="unknown architecture"):
        inference("resnet", input_placeholder())
