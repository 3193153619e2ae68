"""The networks as data: one declarative spec per architecture.

The graph builder (:mod:`convviz.architectures`), the memory arithmetic
(:mod:`convviz.memory`), the configuration (``config.ARCHITECTURES`` and
``config.ARCH_DESCRIPTIONS``) and the benchmarks all read the course's four
networks from :data:`SPECS`; nothing else writes a layer list out.

A spec is plain frozen data: a tuple of :class:`Pad`, :class:`Conv`,
:class:`Pool`, :class:`Flatten` and :class:`Dense` layers. A user-defined
network is one more :class:`ArchSpec`, e.g. from :meth:`ArchSpec.from_dict`
on user input; :func:`layer_shapes` is both the shape inference and the check
that the spec makes sense (it raises ``ConfigError`` with a one-line message).

A network can also be written as a spec string, a compact one-line grammar
(:func:`parse_spec`, :func:`format_spec`; the README has the table)::

    conv32@5x5-pool2-conv64@3x3v/2-dense128

layers separated by ``-``: ``pad<N>`` (N zeros on every side), ``conv<F>@<K>x<K>``
(F filters of K x K, SAME padding, stride 1; ``v`` after the kernel: VALID
padding, ``/<S>``: stride S), ``pool<K>`` (K x K max pooling, stride K) and
``dense<N>`` (N units, ReLU). The flatten before the first dense layer and the
final 10-way logits layer are implied. Such a spec's ``name`` is its canonical
string, so :func:`get_spec` takes a built-in name or a spec string alike and
``get_spec(spec.name) == spec`` for both.

Every size is bounded (``MAX_*`` below): a spec is user input.

Pure Python: no TensorFlow, Qt or numpy. ``convviz.config`` imports this module
for ``ARCHITECTURES``, so the names this module needs from config
(``IMAGE_SIZE``, ``NUM_CLASSES``) are imported inside the functions that use
them, never at module top; ``ConfigError`` lives in ``convviz.errors``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Union

from convviz.errors import ConfigError

PADDINGS = ("SAME", "VALID")  # TensorFlow's spelling
POOL_SIZE = 2  # the usual pool: 2x2 max pooling with stride 2, VALID: an odd size rounds down
# Bounds on every spec, built-in or the user's: sizes that still train on a laptop CPU (the template, the
# biggest built-in, has 4.8 million parameters, 0.13 million activations and 65 million multiply-adds per image).
MAX_SPEC_LENGTH = 200  # characters of a spec string
MAX_LAYERS = 16  # layers written in a spec string; a spec may have 2 more (the implied flatten and logits)
MAX_FILTERS = 512  # per conv layer
MAX_KERNEL = 11  # conv kernels are at most 11x11 (AlexNet's first layer)
MAX_STRIDE = 4  # conv strides
MAX_POOL = 8  # pool windows, 2x2 to 8x8
MAX_PAD = 8  # zeros on each side
MAX_UNITS = 4096  # per dense layer
MAX_PARAMETERS = 20_000_000  # 80 MB of float32 weights
MAX_ACTIVATIONS = 2_000_000  # numbers per image in all layer outputs together: 8 MB an image, 0.5 GB a batch of 64
MAX_MULTIPLY_ADDS = 1_000_000_000  # per image and forward pass: 15x the template, about an hour an epoch on 2 cores
EXAMPLE_SPEC = "conv32@5x5-pool2-dense128"  # for error messages and help texts
# Names other code puts into the same graph beside the layers, and memory's first row: a layer may not take them.
RESERVED_NAMES = frozenset(
    {"input", "images", "labels", "loss", "train", "global_step", "batch_accuracy", "accuracy", "probabilities"}
)
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")  # a TF variable scope and a readable label


@dataclass(frozen=True)
class Pad:
    """Zero padding of ``amount`` pixels on every side (LeNet-5: 28x28 -> 32x32)."""

    amount: int
    name: str = "pad"  # the tf.pad op's name
    TYPE: ClassVar[str] = "pad"


@dataclass(frozen=True)
class Conv:
    """A ``size`` x ``size`` convolution with ``filters`` output channels, bias and ReLU."""

    name: str  # variable scope: <name>/kernel, <name>/bias, activation <name>/relu
    filters: int
    size: int
    padding: str = "SAME"  # SAME keeps height and width (at stride 1); VALID shrinks them by size - 1
    stride: int = 1  # the same in both directions; SAME then gives ceil(n / stride), VALID (n - size) // stride + 1
    TYPE: ClassVar[str] = "conv"


@dataclass(frozen=True)
class Pool:
    """``size`` x ``size`` max pooling with stride ``size`` (windows side by side), VALID: n -> n // size."""

    name: str  # the max_pool op's name
    size: int = POOL_SIZE
    TYPE: ClassVar[str] = "pool"


@dataclass(frozen=True)
class Flatten:
    """(height, width, channels) -> (height * width * channels,): a reshape, no weights."""

    name: str = "flatten"  # the reshape op's name
    TYPE: ClassVar[str] = "flatten"


@dataclass(frozen=True)
class Dense:
    """A fully connected layer; ``relu=False`` only for the last one, the logits."""

    name: str  # variable scope: <name>/kernel, <name>/bias, activation <name>/relu or <name>/logits
    units: int
    relu: bool = True
    TYPE: ClassVar[str] = "dense"


Layer = Union[Pad, Conv, Pool, Flatten, Dense]
LAYER_TYPES: Mapping[str, type] = types.MappingProxyType({cls.TYPE: cls for cls in (Pad, Conv, Pool, Flatten, Dense)})


@dataclass(frozen=True)
class LayerShape:
    """One layer's per-image output shape and its parameter count (weights + biases)."""

    name: str
    shape: tuple[int, ...]  # per image, NHWC without the batch dimension
    params: int
    kind: str = ""  # input, pad, conv, pool, flatten, fc, logits
    relu: bool = False  # followed by a ReLU (conv and hidden dense layers)


@dataclass(frozen=True)
class ArchSpec:
    """A network: its name (the ``--arch`` value), a one-line description and its layers in order.

    Construction does not check anything (the built-in specs are made while
    ``convviz.config`` is still importing); :meth:`validate`, :meth:`from_dict`,
    :func:`layer_shapes` and the graph builder do.
    """

    name: str
    description: str
    layers: tuple[Layer, ...]

    def __post_init__(self) -> None:
        if isinstance(self.layers, list):  # a list from user code: keep the spec immutable and hashable
            object.__setattr__(self, "layers", tuple(self.layers))

    def validate(self) -> ArchSpec:
        """Raise ConfigError with a one-line message if the spec makes no sense; return it otherwise."""
        layer_shapes(self)
        return self

    def summary(self) -> str:
        """The layers in words, e.g. "conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10"."""
        words = []
        for layer in self.layers:
            if isinstance(layer, Pad):
                words.append(f"pad {layer.amount}")
            elif isinstance(layer, Conv):
                valid = " valid" if layer.padding == "VALID" else ""
                stride = f" stride {layer.stride}" if layer.stride != 1 else ""
                words.append(f"conv {layer.filters}@{layer.size}x{layer.size}{valid}{stride}")
            elif isinstance(layer, Dense):
                words.append(f"dense {layer.units}")
            elif isinstance(layer, Pool):
                words.append("pool" if layer.size == POOL_SIZE else f"pool {layer.size}x{layer.size}")
        return ", ".join(words)

    def to_dict(self) -> dict:
        """Plain JSON types: ``{"name", "description", "layers": [{"type": "conv", "name": ..., ...}, ...]}``."""
        return {
            "name": self.name,
            "description": self.description,
            "layers": [{"type": layer.TYPE, **dataclasses.asdict(layer)} for layer in self.layers],
        }

    @classmethod
    def from_dict(cls, values: Mapping) -> ArchSpec:
        """Build and validate a spec from :meth:`to_dict`'s form (user input: every key is checked).

        ``description`` may be left out (the layer summary is used); a conv's
        ``padding`` may be written in lower case. Raises ConfigError.
        """
        _, ConfigError, _ = _config()
        if not isinstance(values, Mapping):
            raise ConfigError(f"an architecture must be a mapping, got {type(values).__name__}")
        unknown = sorted(set(values) - {"name", "description", "layers"})
        if unknown:
            raise ConfigError(f"unknown architecture key(s) {', '.join(map(str, unknown))}")
        name = values.get("name")
        layer_list = values.get("layers")
        if not isinstance(layer_list, (list, tuple)):
            raise ConfigError(f"architecture {name!r}: 'layers' must be a list of layers")
        spec = cls(name, "", tuple(_layer_from_dict(name, index, item) for index, item in enumerate(layer_list, 1)))
        description = values.get("description")
        if description is None:
            description = spec.summary()
        if not isinstance(description, str) or "\n" in description:
            raise ConfigError(f"architecture {name!r}: the description must be one line of text")
        return dataclasses.replace(spec, description=description).validate()


def _config():
    """(IMAGE_SIZE, ConfigError, NUM_CLASSES) from convviz.config, which imports this module at its top."""
    from convviz.config import IMAGE_SIZE, NUM_CLASSES, ConfigError

    return IMAGE_SIZE, ConfigError, NUM_CLASSES


def _layer_from_dict(arch: object, index: int, item: object) -> Layer:
    _, ConfigError, _ = _config()
    where = f"architecture {arch!r}, layer {index}"
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where}: a layer must be a mapping with a 'type', got {type(item).__name__}")
    values = dict(item)
    kind = values.pop("type", None)
    if kind not in LAYER_TYPES:
        raise ConfigError(f"{where}: unknown layer type {kind!r}; choose one of {', '.join(LAYER_TYPES)}")
    cls = LAYER_TYPES[kind]
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields), key=str)
    if unknown:
        raise ConfigError(f"{where}: a {kind} layer has no {', '.join(map(str, unknown))}; it has {', '.join(fields)}")
    missing = [
        name
        for name, field in fields.items()
        if name not in values and field.default is dataclasses.MISSING  # no default_factory in layers
    ]
    if missing:
        raise ConfigError(f"{where}: a {kind} layer needs {', '.join(missing)}")
    if cls is Conv and isinstance(values.get("padding"), str):
        values["padding"] = values["padding"].upper()
    return cls(**values)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class LayerError(ConfigError):
    """:func:`layer_shapes` refused one layer: ``index`` is its 1-based place in ``spec.layers``, ``reason`` why.

    ``str(error)`` is the whole one-line message, ``"architecture 'mine', layer 3 (conv2): <reason>"``;
    the spec-string parser re-words it with the token the layer came from (:class:`SpecError`).
    """

    def __init__(self, where: str, index: int, reason: str):
        super().__init__(f"{where}: {reason}")
        self.index = index
        self.reason = reason


# Each counted field's range, and how a spec string's reader calls it.
_LIMITS = {
    Pad: {"amount": (1, MAX_PAD, "padding")},
    Conv: {
        "filters": (1, MAX_FILTERS, "number of filters"),
        "size": (1, MAX_KERNEL, "kernel size"),
        "stride": (1, MAX_STRIDE, "stride"),
    },
    Pool: {"size": (2, MAX_POOL, "pool size")},
    Dense: {"units": (1, MAX_UNITS, "width")},
}


def _check_fields(layer: Layer, where: str, index: int) -> None:
    if not isinstance(layer.name, str) or not _NAME.match(layer.name):
        raise LayerError(
            where,
            index,
            f"name {layer.name!r} must be a lower-case letter then up to 31 letters, digits or underscores",
        )
    if layer.name in RESERVED_NAMES:
        raise LayerError(where, index, f"the name {layer.name!r} is reserved; choose another")
    for field, (low, high, _) in _LIMITS.get(type(layer), {}).items():
        value = getattr(layer, field)
        if not _is_int(value) or not low <= value <= high:
            raise LayerError(where, index, f"{field} must be a whole number from {low} to {high}, got {value!r}")
    if isinstance(layer, Conv) and layer.padding not in PADDINGS:
        raise LayerError(where, index, f"padding must be one of {', '.join(PADDINGS)}, got {layer.padding!r}")
    if isinstance(layer, Dense) and not isinstance(layer.relu, bool):
        raise LayerError(where, index, f"relu must be true or false, got {layer.relu!r}")


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for dim in shape:
        size *= dim
    return size


def _spatial(height: int, width: int, layer: Layer) -> tuple[int, int, int]:
    """(height, width, multiply-adds per output number) after a conv or pool layer; ``reason`` if it does not fit."""
    window = layer.size
    if window > height or window > width:
        what = "kernel" if isinstance(layer, Conv) else "pool"
        raise ValueError(f"the input is {height}x{width} here, smaller than the {window}x{window} {what}")
    if isinstance(layer, Pool):
        return height // window, width // window, 0
    stride = layer.stride
    if layer.padding == "SAME":  # TensorFlow: ceil(n / stride), zeros around the input as needed
        return -(-height // stride), -(-width // stride), window * window
    return (height - window) // stride + 1, (width - window) // stride + 1, window * window


def layer_shapes(spec: ArchSpec, input_shape: tuple[int, int, int] | None = None) -> tuple[LayerShape, ...]:
    """Every layer's per-image output shape and parameter count, first the input, last the logits.

    ``input_shape`` defaults to MNIST's (28, 28, 1). This is also the spec's
    check: it raises ConfigError (one line, naming the layer; a
    :class:`LayerError` for a layer's own fault) for a layer type it does not
    know, a bad or repeated name, a count out of its range (``MAX_*``), an
    unknown padding, a kernel or pool window larger than its input, a 2-D
    layer after the flatten, a dense layer before it, too many layers,
    parameters, activations or multiply-adds, or a last layer that is not a
    linear dense layer with one unit per class.
    """
    image_size, _, num_classes = _config()
    if not isinstance(spec, ArchSpec):
        raise ConfigError(f"expected an architecture spec, got {type(spec).__name__}")
    if not isinstance(spec.name, str) or not (_NAME.match(spec.name) or _is_spec_name(spec)):
        raise ConfigError(
            f"architecture name {spec.name!r} must be a lower-case letter then up to 31 letters, digits or "
            "underscores, or the spec string of its layers"
        )
    if not isinstance(spec.description, str) or "\n" in spec.description:
        raise ConfigError(f"architecture {spec.name!r}: the description must be one line of text")
    if not isinstance(spec.layers, tuple):
        raise ConfigError(f"architecture {spec.name!r}: the layers must be a tuple or list")
    shape = tuple(input_shape) if input_shape is not None else (image_size, image_size, 1)
    rows = [LayerShape("input", shape, 0, "input")]
    seen = set()
    params_total = activations_total = multiply_adds_total = 0
    for index, layer in enumerate(spec.layers, 1):
        where = f"architecture {spec.name!r}, layer {index} ({getattr(layer, 'name', '?')})"
        if index > MAX_LAYERS + 2:
            raise LayerError(where, index, f"more than {MAX_LAYERS + 2} layers")
        if type(layer) not in LAYER_TYPES.values():
            raise LayerError(where, index, f"not a layer: {type(layer).__name__}")
        _check_fields(layer, where, index)
        if layer.name in seen:
            raise LayerError(where, index, f"the name {layer.name!r} is used twice")
        seen.add(layer.name)
        last = index == len(spec.layers)
        multiply_adds = 0
        if isinstance(layer, Dense):
            if len(shape) != 1:
                raise LayerError(where, index, "a dense layer needs a flat input; put a flatten before it")
            if not layer.relu and not last:
                raise LayerError(where, index, "only the last layer (the logits) can be without ReLU")
            kind = "fc" if layer.relu else "logits"
            multiply_adds = shape[0] * layer.units
            shape = (layer.units,)
            row = LayerShape(layer.name, shape, rows[-1].shape[0] * layer.units + layer.units, kind, layer.relu)
        elif len(shape) != 3:
            raise LayerError(
                where, index, f"a {layer.TYPE} layer needs a 2-D feature map, but the input is already flat"
            )
        elif isinstance(layer, Flatten):
            shape = (_size(shape),)
            row = LayerShape(layer.name, shape, 0, "flatten")
        elif isinstance(layer, Pad):
            height, width, channels = shape
            shape = (height + 2 * layer.amount, width + 2 * layer.amount, channels)
            row = LayerShape(layer.name, shape, 0, "pad")
        else:  # Conv or Pool
            height, width, channels = shape
            try:
                height, width, per_output = _spatial(height, width, layer)
            except ValueError as exc:
                raise LayerError(where, index, str(exc)) from None
            if isinstance(layer, Pool):
                shape = (height, width, channels)
                row = LayerShape(layer.name, shape, 0, "pool")
            else:
                shape = (height, width, layer.filters)
                multiply_adds = _size(shape) * per_output * channels
                params = layer.size * layer.size * channels * layer.filters + layer.filters
                row = LayerShape(layer.name, shape, params, "conv", True)
        rows.append(row)
        params_total += row.params
        activations_total += 0 if row.kind == "flatten" else _size(row.shape)  # a reshape is a view
        multiply_adds_total += multiply_adds
        for total, limit, what in (
            (params_total, MAX_PARAMETERS, "parameters"),
            (activations_total, MAX_ACTIVATIONS, "numbers per image in the layer outputs"),
            (multiply_adds_total, MAX_MULTIPLY_ADDS, "multiply-adds per image"),
        ):
            if total > limit:
                raise LayerError(where, index, f"{total:,} {what} up to here, more than the limit of {limit:,}")
    final = spec.layers[-1] if spec.layers else None
    if not (isinstance(final, Dense) and not final.relu and final.units == num_classes):
        raise ConfigError(
            f"architecture {spec.name!r}: the last layer must be the logits, "
            f"a dense layer of {num_classes} units without ReLU"
        )
    return tuple(rows)


def parameter_count(spec: ArchSpec) -> int:
    """Weights plus biases of all layers (validates the spec)."""
    return sum(row.params for row in layer_shapes(spec))


def kernel_layers(spec: ArchSpec) -> tuple[str, ...]:
    """Names of the layers with weights (conv and dense), in order: the graph's ``Endpoints.kernels``."""
    return tuple(layer.name for layer in spec.layers if isinstance(layer, (Conv, Dense)))


def feature_layers(spec: ArchSpec) -> tuple[str, ...]:
    """Names of the conv and pool layers (the ones with 2-D feature maps), in order."""
    return tuple(layer.name for layer in spec.layers if isinstance(layer, (Conv, Pool)))


# -- spec strings ----------------------------------------------------------------------------------
# conv32@5x5-pool2-conv64@3x3v/2-dense128: the grammar is in the module docstring and the README.
_PAD_TOKEN = re.compile(r"pad(\d+)\Z")
_CONV_TOKEN = re.compile(r"conv(\d+)@(\d+)x(\d+)([sv])?(?:/(\d+))?([sv])?\Z")
_POOL_TOKEN = re.compile(r"pool(\d+)\Z")
_DENSE_TOKEN = re.compile(r"dense(\d+)\Z")
# A string with a digit, @ or -, or starting as a layer does, is read as a spec, not as a network's name.
_SPEC_LIKE = re.compile(r"[\d@\-]|^\s*(?:pad|conv|pool|dense|flatten|logits)", re.IGNORECASE)
TOKEN_FORMS = "pad<N>, conv<F>@<K>x<K> (then v for valid padding, /<S> for a stride), pool<K> or dense<N>"


class SpecError(ConfigError):
    """A spec string that does not describe a network: one line naming the token, its place and why.

    ``token`` is the offending layer as written (None when the spec as a whole is wrong: empty or too
    long), ``index`` its 1-based number among the written layers, ``position`` the 1-based character
    where it starts, ``reason`` why it is refused, e.g. ``"conv64@7x7 (layer 3, character 18): the input
    is 5x5 here, smaller than the 7x7 kernel"``.
    """

    def __init__(self, reason: str, token: str | None = None, index: int = 0, position: int = 0):
        message = reason if token is None else f"{token or '(nothing)'} (layer {index}, character {position}): {reason}"
        super().__init__(message)
        self.reason, self.token, self.index, self.position = reason, token, index, position


def _token(kind: str, values: tuple) -> str:
    """One layer's canonical spelling."""
    if kind == "conv":
        filters, size, padding, stride = values
        return f"conv{filters}@{size}x{size}{'v' if padding == 'VALID' else ''}{f'/{stride}' if stride != 1 else ''}"
    return f"{kind}{values[0]}"


def _assemble(items: list) -> tuple[tuple[Layer, ...], list]:
    """The layers that ``items`` ((kind, values) per written layer) stand for, and the item each layer comes from.

    Names are numbered per kind as the built-in networks have them (pad, pad2; conv1, conv2; pool1;
    fc1), a Flatten goes before the first dense layer (else at the end), and the logits come last; their
    item is None. Checks nothing: :func:`layer_shapes` does.
    """
    _, _, num_classes = _config()
    layers, origins, counts = [], [], {}
    flat = False
    for item, (kind, values) in enumerate(items):
        counts[kind] = number = counts.get(kind, 0) + 1
        if kind == "dense" and not flat:
            layers.append(Flatten())
            origins.append(item)
            flat = True
        if kind == "pad":
            layers.append(Pad(values[0], "pad" if number == 1 else f"pad{number}"))
        elif kind == "conv":
            filters, size, padding, stride = values
            layers.append(Conv(f"conv{number}", filters, size, padding, stride))
        elif kind == "pool":
            layers.append(Pool(f"pool{number}", values[0]))
        else:
            layers.append(Dense(f"fc{number}", values[0]))
        origins.append(item)
    if not flat:
        layers.append(Flatten())
        origins.append(None)
    layers.append(Dense("logits", num_classes, relu=False))
    origins.append(None)
    return tuple(layers), origins


def _spell(layers: tuple) -> str | None:
    """The spec string of ``layers``, or None if the parser would not give exactly these layers back."""
    _, _, num_classes = _config()
    items = []
    for index, layer in enumerate(layers):
        if isinstance(layer, Flatten):
            continue
        if isinstance(layer, Dense) and (not layer.relu or index == len(layers) - 1):
            if index != len(layers) - 1:
                return None
            continue  # the logits, implied
        if isinstance(layer, Pad):
            items.append(("pad", (layer.amount,)))
        elif isinstance(layer, Conv):
            items.append(("conv", (layer.filters, layer.size, layer.padding, layer.stride)))
        elif isinstance(layer, Pool):
            items.append(("pool", (layer.size,)))
        elif isinstance(layer, Dense):
            items.append(("dense", (layer.units,)))
        else:
            return None
    if not items or items[-1] == ("dense", (num_classes,)):  # the parser refuses a written output layer
        return None
    if _assemble(items)[0] != tuple(layers):
        return None
    text = "-".join(_token(kind, values) for kind, values in items)
    return text if len(text) <= MAX_SPEC_LENGTH else None


def _is_spec_name(spec: ArchSpec) -> bool:
    """A spec string's network is called by its canonical string: ``get_spec(spec.name)`` gives it back."""
    return isinstance(spec.layers, tuple) and len(spec.name) <= MAX_SPEC_LENGTH and spec.name == _spell(spec.layers)


def _read_token(token: str, index: int, position: int) -> tuple[str, tuple]:
    """(kind, values) of one written layer; SpecError naming it if it is not one."""

    def refuse(reason: str) -> SpecError:
        return SpecError(reason, token, index, position)

    def bounded(kind: type, field: str, text: str) -> int:
        low, high, words = _LIMITS[kind][field]
        value = int(text)
        if not low <= value <= high:
            raise refuse(f"the {words} must be from {low} to {high}, not {value}")
        return value

    word = token.lower()
    match = _PAD_TOKEN.match(word)
    if match:
        return "pad", (bounded(Pad, "amount", match.group(1)),)
    match = _CONV_TOKEN.match(word)
    if match:
        filters, size, other, before, stride, after = match.groups()
        if size != other:
            raise refuse(f"kernels are square: write {size}x{size} or {other}x{other}")
        if before and after:
            raise refuse("give the padding once: v for valid, nothing (or s) for same")
        padding = "VALID" if "v" in (before, after) else "SAME"
        return "conv", (
            bounded(Conv, "filters", filters),
            bounded(Conv, "size", size),
            padding,
            bounded(Conv, "stride", stride) if stride is not None else 1,
        )
    match = _POOL_TOKEN.match(word)
    if match:
        return "pool", (bounded(Pool, "size", match.group(1)),)
    match = _DENSE_TOKEN.match(word)
    if match:
        return "dense", (bounded(Dense, "units", match.group(1)),)
    if not word:
        raise refuse("an empty layer: two dashes in a row, or a dash at an end")
    if word == "flatten":
        raise refuse("the flatten before the first dense layer is implied; leave it out")
    if word in ("logits", "softmax", "output", "out"):
        raise refuse("the 10-way output layer at the end is implied; leave it out")
    hints = {
        "conv": "write conv<filters>@<k>x<k>, e.g. conv32@5x5, conv32@5x5v (valid padding) or conv32@5x5/2 (stride 2)",
        "pool": "write pool<size>, e.g. pool2",
        "dense": "write dense<units>, e.g. dense128",
        "pad": "write pad<pixels>, e.g. pad2",
    }
    for prefix, hint in hints.items():
        if word.startswith(prefix):
            raise refuse(hint)
    raise refuse(f"unknown layer; write {TOKEN_FORMS}")


def parse_spec(text: str) -> ArchSpec:
    """The network a spec string such as ``conv32@5x5-pool2-dense128`` describes, checked.

    Its ``name`` is the canonical spelling (:func:`format_spec`), its description its layer summary.
    Upper case and spaces around the dashes are allowed; ``s`` after a kernel (same padding, the
    default) is dropped. Raises :class:`SpecError` (a ConfigError) with one line naming the token.
    """
    if not isinstance(text, str):
        raise ConfigError(f"an architecture spec must be a string, got {type(text).__name__}")
    if len(text) > MAX_SPEC_LENGTH:
        raise SpecError(f"the architecture spec has {len(text)} characters, more than {MAX_SPEC_LENGTH}")
    return _parse(text)


@functools.lru_cache(maxsize=256)  # frozen results; parsing again on every get_spec would be waste, not harm
def _parse(text: str) -> ArchSpec:
    if not text.strip():
        raise SpecError(f"the architecture spec is empty; write layers such as {EXAMPLE_SPEC}")
    tokens = []  # (token as written, 1-based character where it starts)
    start = 0
    for piece in text.split("-"):
        stripped = piece.strip()
        offset = piece.index(stripped) if stripped else 0
        tokens.append((stripped, start + offset + 1))
        start += len(piece) + 1
    if len(tokens) > MAX_LAYERS:
        token, position = tokens[MAX_LAYERS]
        raise SpecError(f"more than {MAX_LAYERS} layers", token, MAX_LAYERS + 1, position)
    items = [_read_token(token, index, position) for index, (token, position) in enumerate(tokens, 1)]
    kinds = [kind for kind, _ in items]
    if "dense" in kinds:
        late = next((i for i in range(kinds.index("dense"), len(kinds)) if kinds[i] != "dense"), None)
        if late is not None:
            token, position = tokens[late]
            raise SpecError(
                f"a {kinds[late]} layer cannot follow a dense layer: pad, conv and pool layers come first",
                token,
                late + 1,
                position,
            )
    _, _, num_classes = _config()
    if items[-1] == ("dense", (num_classes,)):
        token, position = tokens[-1]
        raise SpecError(
            f"the {num_classes}-way output layer at the end is implied; leave it out (or choose another width)",
            token,
            len(tokens),
            position,
        )
    layers, origins = _assemble(items)
    name = "-".join(_token(kind, values) for kind, values in items)
    spec = ArchSpec(name, "", layers)
    spec = dataclasses.replace(spec, description=spec.summary())
    try:
        layer_shapes(spec)
    except LayerError as exc:
        item = origins[exc.index - 1]
        reason = exc.reason
        if item is None:  # an implied layer: the flatten or the logits after the last written one
            item = len(tokens) - 1
            reason = f"the {num_classes}-way output layer after it: {reason}"
        token, position = tokens[item]
        raise SpecError(reason, token, item + 1, position) from None
    return spec


def format_spec(arch: str | ArchSpec) -> str:
    """The canonical spec string of a network (a built-in name, a spec string or an :class:`ArchSpec`).

    ``parse_spec(format_spec(spec)).layers == spec.layers``. Raises ConfigError for a spec the grammar
    cannot spell (layers named otherwise than the parser names them, a flatten elsewhere than before
    the first dense layer, no logits at the end).
    """
    spec = get_spec(arch)
    text = _spell(spec.layers)
    if text is None:
        raise ConfigError(
            f"architecture {spec.name!r} cannot be written as a spec string: its layers are named or ordered "
            "otherwise than a spec's"
        )
    return text


def get_spec(arch: str | ArchSpec) -> ArchSpec:
    """The network ``arch`` names: a built-in's name, a spec string, or a spec (returned as it is).

    The one gate for ``--arch`` values, ``TrainConfig.arch``, ``Model`` and ``model.json``. Raises
    ConfigError: an unknown name, or a :class:`SpecError` for a bad spec string.
    """
    if isinstance(arch, ArchSpec):
        return arch
    if isinstance(arch, str):
        if arch in SPECS:
            return SPECS[arch]
        if _SPEC_LIKE.search(arch):
            return parse_spec(arch)
    shown = repr(arch) if not isinstance(arch, str) or len(arch) <= 40 else repr(arch[:37] + "...")
    raise ConfigError(
        f"unknown architecture {shown}; choose one of {', '.join(SPECS)}, or write a spec such as {EXAMPLE_SPEC}"
    )


def arch_name(arch: str | ArchSpec) -> str:
    """``arch``'s canonical name: a built-in's name as it is, a spec string spelled as :func:`format_spec` does."""
    return get_spec(arch).name


SPECS: Mapping[str, ArchSpec] = types.MappingProxyType(
    {
        spec.name: spec
        for spec in (
            ArchSpec(
                "dense",
                "Dense net 784-300-10 (the previous exercise)",
                (Flatten(), Dense("fc1", 300), Dense("logits", 10, relu=False)),
            ),
            ArchSpec(
                "cnn",
                "CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10",
                (
                    Conv("conv1", 64, 5, "SAME"),
                    Pool("pool1"),
                    Conv("conv2", 96, 3, "SAME"),
                    Pool("pool2"),
                    Flatten(),
                    Dense("fc1", 128),
                    Dense("logits", 10, relu=False),
                ),
            ),
            ArchSpec(
                "template",
                "Template CNN: conv 64@5x5, conv 64@5x5, dense 128, dense 10",
                (
                    Conv("conv1", 64, 5, "SAME"),
                    Conv("conv2", 64, 5, "VALID"),
                    Flatten(),
                    Dense("fc1", 128),
                    Dense("logits", 10, relu=False),
                ),
            ),
            # LeCun et al. 1998 pad 28x28 digits to 32x32 so strokes reach the centre of conv1's receptive
            # fields. ReLU and max-pooling replace the paper's scaled tanh and trainable subsampling.
            ArchSpec(
                "lenet5",
                "LeNet-5: pad to 32x32, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84",
                (
                    Pad(2),
                    Conv("conv1", 6, 5, "VALID"),
                    Pool("pool1"),
                    Conv("conv2", 16, 5, "VALID"),
                    Pool("pool2"),
                    Conv("conv3", 120, 5, "VALID"),
                    Flatten(),
                    Dense("fc1", 84),
                    Dense("logits", 10, relu=False),
                ),
            ),
        )
    }
)
"""The course's four networks by name, in the order the GUI and CLI list them."""
