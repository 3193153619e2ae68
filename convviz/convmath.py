"""One output value of a convolution worked out by hand: numpy and the network's spec only, no TensorFlow.

The "inside a convolution" view recomputes a step on every click and every
animation tick in the GUI thread, where TensorFlow may not be imported (the
panels' layering contract), so this lives apart from :mod:`convviz.explain`,
which re-exports it. :func:`conv_step` reads the weights from the dict
:meth:`convviz.model.Model.get_weights` returns and the layer's input from
:func:`conv_inputs_from_activations` (or ``explain.conv_inputs``), and follows
TensorFlow's arithmetic exactly: 'SAME' padding with zeros split as
``tf.nn.conv2d`` splits them, 'VALID' none, the layer's stride; the tests
check it against the graph's own feature maps to 1e-5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from convviz.constants import IMAGE_SIZE
from convviz.errors import ConvVizError
from convviz.netspec import ArchSpec, Conv, Pad, Pool, get_spec


class ExplainError(ConvVizError, ValueError):
    """A bad argument to an explanation (a layer, a channel, a position, a method); one line.

    Defined here so that this module needs no TensorFlow; :mod:`convviz.explain` re-exports it.
    """


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


class ConvGeometry(NamedTuple):
    """Where a conv layer's output positions read its input (TensorFlow's rule)."""

    out_height: int
    out_width: int
    before_y: int  # zero rows added above the input ('SAME'; 0 for 'VALID')
    before_x: int  # zero columns added left of it
    stride: int
    size: int  # the kernel is size x size


def conv_layers(arch: str | ArchSpec) -> list:
    """The conv layers of ``arch`` (a name, a spec string or an ArchSpec), in order."""
    return [layer for layer in get_spec(arch).layers if isinstance(layer, Conv)]


def _conv_layer(spec: ArchSpec, layer: str) -> Conv:
    for item in spec.layers:
        if isinstance(item, Conv) and item.name == layer:
            return item
    convs = [item.name for item in spec.layers if isinstance(item, Conv)]
    raise ExplainError(
        f"the {spec.name} network has no conv layer {layer!r}"
        + (f"; it has {', '.join(convs)}" if convs else "; it has none")
    )


def _geometry(conv: Conv, height: int, width: int) -> ConvGeometry:
    k, stride = conv.size, int(getattr(conv, "stride", 1))
    if conv.padding == "SAME":
        out_h, out_w = math.ceil(height / stride), math.ceil(width / stride)
        before_y = max((out_h - 1) * stride + k - height, 0) // 2
        before_x = max((out_w - 1) * stride + k - width, 0) // 2
    else:
        out_h, out_w = (height - k) // stride + 1, (width - k) // stride + 1
        before_y = before_x = 0
    return ConvGeometry(out_h, out_w, before_y, before_x, stride, k)


def conv_geometry(arch: str | ArchSpec, layer: str, input_shape: tuple) -> ConvGeometry:
    """The output size and padding of conv ``layer`` for an input of ``input_shape`` (H, W[, C])."""
    return _geometry(_conv_layer(get_spec(arch), layer), int(input_shape[0]), int(input_shape[1]))


@dataclass(frozen=True, eq=False)
class ConvStep:
    """One output value of a conv layer, worked out from its weights step by step."""

    layer: str
    out_channel: int
    y: int  # the output position in the layer's feature map
    x: int
    in_channel: int | None  # the input channel shown; None: all of them (or the only one)
    origin: tuple  # (row, column) of the patch's top-left corner in the layer input (negative in SAME padding)
    patch: np.ndarray  # (k, k) for one input channel, else (k, k, C); zeros in the padding
    kernel: np.ndarray  # the same shape: the kernel's weights for out_channel (and in_channel)
    products: np.ndarray  # patch * kernel
    total: float  # the sum of ``products`` (the channel(s) shown)
    channel_sums: np.ndarray  # (C,) float64: the sum of the products of each input channel
    sum_all: float  # the sum over all input channels
    bias: float
    pre_activation: float  # sum_all + bias
    activation: float  # max(0, pre_activation): the feature-map value
    feature_value: float | None  # the graph's value at (y, x, out_channel) when a feature map was given
    padded: np.ndarray  # (k, k) bool: True where the patch lies in the zero padding
    stride: int = 1  # the layer's stride: output (y, x) reads from input (y * stride, x * stride) - padding


def conv_step(
    weights: dict,
    arch: str | ArchSpec,
    layer: str,
    layer_input: np.ndarray,
    out_channel: int,
    y: int,
    x: int,
    in_channel: int | None = None,
    feature_map: np.ndarray | None = None,
) -> ConvStep:
    """Work out ``layer``'s output at (``y``, ``x``, ``out_channel``) from ``weights`` by hand (numpy, float64).

    ``weights`` is :meth:`Model.get_weights`'s dict (``<layer>/kernel`` (k, k, C, F),
    ``<layer>/bias`` (F,)); ``layer_input`` the layer's (H, W, C) input, as
    :func:`conv_inputs_from_activations` gives it. 'SAME' padding reads zeros
    outside the input, split as TensorFlow does (the ``padded`` mask marks them;
    the patch holds the zeros), 'VALID' reads none; output (y, x) reads the
    k x k window at input (y * stride, x * stride) minus the padding before.
    ``in_channel`` picks the one input channel whose k x k products are shown;
    the sum over all channels is always there. ``feature_map`` (the layer's
    (H', W', F) output from the graph) fills in ``feature_value``.
    """
    conv = _conv_layer(get_spec(arch), layer)
    try:
        kernel = np.asarray(weights[f"{layer}/kernel"], np.float64)
        bias = np.asarray(weights[f"{layer}/bias"], np.float64)
    except KeyError as exc:
        raise ExplainError(f"the weights lack {exc.args[0]}") from None
    inp = np.asarray(layer_input, np.float64)
    if inp.ndim == 2:
        inp = inp[:, :, None]
    k = conv.size
    channels, filters = kernel.shape[2], kernel.shape[3]
    if inp.ndim != 3 or inp.shape[2] != channels or kernel.shape[:2] != (k, k):
        raise ExplainError(
            f"{layer} takes (H, W, {channels}) inputs and a {k}x{k} kernel, got {inp.shape} and {kernel.shape}"
        )
    height, width = inp.shape[:2]
    geometry = _geometry(conv, height, width)
    if not (_is_int(y) and _is_int(x) and 0 <= y < geometry.out_height and 0 <= x < geometry.out_width):
        raise ExplainError(
            f"{layer}'s feature map is {geometry.out_height}x{geometry.out_width}; position ({y}, {x}) is outside it"
        )
    if not (_is_int(out_channel) and 0 <= out_channel < filters):
        raise ExplainError(f"{layer} has filters 0 to {filters - 1}, got {out_channel!r}")
    if in_channel is not None and not (_is_int(in_channel) and 0 <= in_channel < channels):
        raise ExplainError(f"{layer} has input channels 0 to {channels - 1}, got {in_channel!r}")
    top = int(y) * geometry.stride - geometry.before_y
    left = int(x) * geometry.stride - geometry.before_x
    patch = np.zeros((k, k, channels), np.float64)
    rows = slice(max(top, 0), min(top + k, height))
    cols = slice(max(left, 0), min(left + k, width))
    inside = (slice(rows.start - top, rows.stop - top), slice(cols.start - left, cols.stop - left))
    patch[inside] = inp[rows, cols]
    padded = np.ones((k, k), bool)
    padded[inside] = False
    weights_k = kernel[:, :, :, out_channel]
    products = patch * weights_k
    channel_sums = products.sum(axis=(0, 1))
    sum_all = float(channel_sums.sum())
    pre = sum_all + float(bias[out_channel])
    if in_channel is not None or channels == 1:
        shown = 0 if in_channel is None else int(in_channel)
        patch, weights_k, products = patch[:, :, shown], weights_k[:, :, shown], products[:, :, shown]
    value = None if feature_map is None else float(np.asarray(feature_map)[y, x, out_channel])
    return ConvStep(
        layer=layer,
        out_channel=int(out_channel),
        y=int(y),
        x=int(x),
        in_channel=None if in_channel is None else int(in_channel),
        origin=(top, left),
        patch=patch,
        kernel=weights_k,
        products=products,
        total=float(products.sum()),
        channel_sums=channel_sums,
        sum_all=sum_all,
        bias=float(bias[out_channel]),
        pre_activation=pre,
        activation=max(pre, 0.0),
        feature_value=value,
        padded=padded,
        stride=geometry.stride,
    )


def conv_inputs_from_activations(arch: str | ArchSpec, image: np.ndarray, activations) -> dict:
    """{conv layer: its (H, W, C) float32 input}, in layer order, from one image and its layers' activations.

    ``activations`` is :meth:`Model.activations`' list of (name, value) (or a dict).
    conv1 reads the image (28, 28, 1), zero-padded first where the spec pads
    (LeNet-5: 32, 32, 1); a later conv reads the previous conv's or pool's output.
    """
    acts = dict(activations)
    current = np.asarray(image, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)[:, :, None]
    result = {}
    for layer in get_spec(arch).layers:
        if isinstance(layer, Pad):
            amount = layer.amount
            current = np.pad(current, ((amount, amount), (amount, amount), (0, 0)))
        elif isinstance(layer, Conv):
            result[layer.name] = current
            current = np.asarray(acts[layer.name])
        elif isinstance(layer, Pool):
            current = np.asarray(acts[layer.name])
        else:  # flatten, dense: no conv after them
            break
    return result
