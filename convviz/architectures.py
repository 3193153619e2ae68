"""Pure TF1 graph builder for the networks described in :mod:`convviz.netspec`.

The inference / loss / training split follows TensorFlow's own
``tutorials/mnist/mnist.py``: ``inference`` returns the logits (and every
layer), ``loss`` the loss, ``training`` the train op; none of them touches a
Session or the data. Layers are raw ``tf.nn`` ops with ``tf.get_variable``
under one variable scope per layer (as in ``mnist_deep.py``), so each kernel is
fetchable as ``<layer>/kernel`` and each activation as ``<layer>/<op>``, and
the same code runs unchanged on TF 1.15 and TF 2.15.

One builder walks a spec's layers; the layer list itself lives only in
``convviz.netspec.SPECS`` (or in a user's :class:`~convviz.netspec.ArchSpec`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from convviz.config import TrainConfig
from convviz.constants import IMAGE_SIZE
from convviz.errors import ConfigError
from convviz.netspec import ArchSpec, Conv, Dense, Flatten, Pad, Pool, get_spec, layer_shapes
from convviz.tf1 import tf


class Endpoints(NamedTuple):
    """What a builder returns: logits plus every layer, in order, for inspection."""

    logits: tf.Tensor
    layers: dict[str, tf.Tensor]  # layer name -> activation (conv/pool/fc), in order
    kernels: dict[str, tf.Variable]  # layer name -> kernel variable (conv and dense)

    @property
    def feature_layers(self) -> list[str]:
        """Names of the conv and pool layers (the ones with 2-D feature maps)."""
        return [name for name, out in self.layers.items() if out.shape.ndims == 4]


def _conv(x: tf.Tensor, name: str, filters: int, size: int, padding: str, ep: _Builder, stride: int = 1) -> tf.Tensor:
    with tf.variable_scope(name):
        in_channels = int(x.shape[-1])
        kernel = tf.get_variable(
            "kernel", [size, size, in_channels, filters], initializer=tf.glorot_uniform_initializer()
        )
        bias = tf.get_variable("bias", [filters], initializer=tf.zeros_initializer())
        z = tf.nn.bias_add(tf.nn.conv2d(x, kernel, strides=[1, stride, stride, 1], padding=padding), bias)
        out = tf.nn.relu(z, name="relu")
    ep.layers[name] = out
    ep.kernels[name] = kernel
    return out


def _pool(x: tf.Tensor, name: str, ep: _Builder, size: int = 2) -> tf.Tensor:
    out = tf.nn.max_pool(x, ksize=[1, size, size, 1], strides=[1, size, size, 1], padding="VALID", name=name)
    ep.layers[name] = out
    return out


def _dense(x: tf.Tensor, name: str, units: int, ep: _Builder, relu: bool = True) -> tf.Tensor:
    with tf.variable_scope(name):
        in_units = int(x.shape[-1])
        kernel = tf.get_variable("kernel", [in_units, units], initializer=tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        z = tf.nn.bias_add(tf.matmul(x, kernel), bias)
        out = tf.nn.relu(z, name="relu") if relu else tf.identity(z, name="logits")
    ep.layers[name] = out
    ep.kernels[name] = kernel
    return out


def _flatten(x: tf.Tensor, name: str = "flatten") -> tf.Tensor:
    size = 1
    for dim in x.shape[1:]:
        size *= int(dim)
    return tf.reshape(x, [-1, size], name=name)


def _pad(x: tf.Tensor, amount: int, name: str = "pad") -> tf.Tensor:
    return tf.pad(x, [[0, 0], [amount, amount], [amount, amount], [0, 0]], name=name)


class _Builder:
    def __init__(self) -> None:
        self.layers: dict[str, tf.Tensor] = OrderedDict()
        self.kernels: dict[str, tf.Variable] = OrderedDict()


def _build(spec: ArchSpec, images: tf.Tensor, ep: _Builder) -> tf.Tensor:
    """Create ``spec``'s layers in order; the ops, their names and their order are the spec's alone."""
    x = images
    for layer in spec.layers:
        if isinstance(layer, Pad):
            x = _pad(x, layer.amount, layer.name)
        elif isinstance(layer, Conv):
            x = _conv(x, layer.name, layer.filters, layer.size, layer.padding, ep, layer.stride)
        elif isinstance(layer, Pool):
            x = _pool(x, layer.name, ep, layer.size)
        elif isinstance(layer, Flatten):
            x = _flatten(x, layer.name)
        elif isinstance(layer, Dense):
            x = _dense(x, layer.name, layer.units, ep, relu=layer.relu)
        else:  # layer_shapes refuses anything else first
            raise ConfigError(f"not a layer: {layer!r}")
    return x


def inference(arch: str | ArchSpec, images: tf.Tensor) -> Endpoints:
    """Build ``arch`` (a name in ``netspec.SPECS``, a spec string or a spec) on ``images``; return its endpoints.

    The spec is checked first (``netspec.layer_shapes``: ConfigError, one
    line). Variables are created with ``tf.get_variable`` under
    ``tf.AUTO_REUSE``, so calling it twice in one graph shares the weights (a
    second tower).
    """
    spec = get_spec(arch)
    dims = images.shape[1:].as_list()
    layer_shapes(spec, None if None in dims else tuple(dims))
    ep = _Builder()
    with tf.variable_scope("", reuse=tf.AUTO_REUSE):
        logits = _build(spec, images, ep)
    return Endpoints(logits=logits, layers=ep.layers, kernels=ep.kernels)


def loss(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Mean softmax cross-entropy of integer ``labels``."""
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(xent, name="loss")


def batch_accuracy(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Fraction of ``labels`` the logits get right (one batch, not streaming)."""
    correct = tf.equal(tf.argmax(logits, axis=1), tf.cast(labels, tf.int64))
    return tf.reduce_mean(tf.cast(correct, tf.float32), name="batch_accuracy")


LEARNING_RATE = "learning_rate"  # the name of the rate's placeholder in every training graph


def learning_rate_input(config: TrainConfig) -> tf.Tensor:
    """The base learning rate as a scalar placeholder whose default is ``config.learning_rate``.

    Feeding it changes the rate from the next step on without touching the graph (no rebuild, no
    assign op): a run's rate can be changed while it trains.
    """
    return tf.placeholder_with_default(tf.constant(config.learning_rate, tf.float32), [], name=LEARNING_RATE)


def training(
    loss_op: tf.Tensor,
    config: TrainConfig,
    global_step: tf.Variable,
    steps_per_epoch: int = 1,
    rate: tf.Tensor | None = None,
) -> tf.Operation:
    """The train op for ``config.optimizer``; the learning rate decays by ``config.lr_decay`` per epoch.

    ``rate``: the base rate as a tensor (:func:`learning_rate_input`); None: ``config.learning_rate``, fixed.
    The effective rate of a step is the tensor ``<train>/effective_learning_rate`` of the graph.
    """
    rate = config.learning_rate if rate is None else rate
    if config.lr_decay < 1:
        rate = tf.train.exponential_decay(rate, global_step, steps_per_epoch, config.lr_decay, staircase=True)
    if config.optimizer == "adam":
        optimizer = tf.train.AdamOptimizer(rate)
    elif config.optimizer == "sgd" and config.momentum > 0:
        optimizer = tf.train.MomentumOptimizer(rate, config.momentum)
    elif config.optimizer == "sgd":
        optimizer = tf.train.GradientDescentOptimizer(rate)
    else:
        raise ConfigError(f"unknown optimizer {config.optimizer!r}")
    tf.identity(rate, name="effective_learning_rate")
    return optimizer.minimize(loss_op, global_step=global_step, name="train")


def input_placeholder(name: str = "images") -> tf.Tensor:
    """The (N, 28, 28, 1) float32 image placeholder every graph feeds."""
    return tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 1], name=name)
