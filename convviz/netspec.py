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

Every size is bounded (``MAX_*`` here and in :mod:`convviz.archspec`): a spec is user input.

The single tokens of a spec string, their bounds and their errors are in
:mod:`convviz.archspec`; this module assembles them into a network.

Pure Python: no TensorFlow, Qt or numpy. It imports MNIST's shape from
``convviz.constants`` and ``ConfigError`` from ``convviz.errors``, so that
``convviz.config`` can import it (for ``ARCHITECTURES``) without a circle.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Union

from convviz.archspec import (
    EXAMPLE_SPEC,
    LIMITS,
    MAX_LAYERS,
    MAX_SPEC_LENGTH,
    SpecError,
    looks_like_spec,
    read_token,
    spell_token,
    split_tokens,
)
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConfigError

PADDINGS = ("SAME", "VALID")  # TensorFlow's spelling
POOL_SIZE = 2  # the usual pool: 2x2 max pooling with stride 2, VALID: an odd size rounds down
# Bounds on every network, built-in or the user's: sizes that still train on a laptop CPU (the template, the
# biggest built-in, has 4.8 million parameters, 0.13 million activations and 65 million multiply-adds per image).
# Each layer's own bounds are convviz.archspec's MAX_*.
MAX_PARAMETERS = 20_000_000  # 80 MB of float32 weights
MAX_ACTIVATIONS = 2_000_000  # numbers per image in all layer outputs together: 8 MB an image, 0.5 GB a batch of 64
MAX_MULTIPLY_ADDS = 1_000_000_000  # per image and forward pass: 15x the template, about an hour an epoch on 2 cores
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


def _layer_from_dict(arch: object, index: int, item: object) -> Layer:
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


def _check_fields(layer: Layer, where: str, index: int) -> None:
    if not isinstance(layer.name, str) or not _NAME.match(layer.name):
        raise LayerError(
            where,
            index,
            f"name {layer.name!r} must be a lower-case letter then up to 31 letters, digits or underscores",
        )
    if layer.name in RESERVED_NAMES:
        raise LayerError(where, index, f"the name {layer.name!r} is reserved; choose another")
    for field, (low, high, _) in LIMITS.get(layer.TYPE, {}).items():
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
    shape = tuple(input_shape) if input_shape is not None else (IMAGE_SIZE, IMAGE_SIZE, 1)
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
    if not (isinstance(final, Dense) and not final.relu and final.units == NUM_CLASSES):
        raise ConfigError(
            f"architecture {spec.name!r}: the last layer must be the logits, "
            f"a dense layer of {NUM_CLASSES} units without ReLU"
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


# -- spec strings: the tokens (convviz.archspec) assembled into a network, and a network spelled as one ----------
def _assemble(items: list) -> tuple[tuple[Layer, ...], list]:
    """The layers that ``items`` ((kind, values) per written layer) stand for, and the item each layer comes from.

    Names are numbered per kind as the built-in networks have them (pad, pad2; conv1, conv2; pool1;
    fc1), a Flatten goes before the first dense layer (else at the end), and the logits come last; their
    item is None. Checks nothing: :func:`layer_shapes` does.
    """
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
    layers.append(Dense("logits", NUM_CLASSES, relu=False))
    origins.append(None)
    return tuple(layers), origins


def _spell(layers: tuple) -> str | None:
    """The spec string of ``layers``, or None if the parser would not give exactly these layers back."""
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
    if not items or items[-1] == ("dense", (NUM_CLASSES,)):  # the parser refuses a written output layer
        return None
    if _assemble(items)[0] != tuple(layers):
        return None
    text = "-".join(spell_token(kind, values) for kind, values in items)
    return text if len(text) <= MAX_SPEC_LENGTH else None


def _is_spec_name(spec: ArchSpec) -> bool:
    """A spec string's network is called by its canonical string: ``get_spec(spec.name)`` gives it back."""
    return isinstance(spec.layers, tuple) and len(spec.name) <= MAX_SPEC_LENGTH and spec.name == _spell(spec.layers)


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
    tokens = split_tokens(text)  # (token as written, 1-based character where it starts)
    if len(tokens) > MAX_LAYERS:
        token, position = tokens[MAX_LAYERS]
        raise SpecError(f"more than {MAX_LAYERS} layers", token, MAX_LAYERS + 1, position)
    items = [read_token(token, index, position) for index, (token, position) in enumerate(tokens, 1)]
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
    if items[-1] == ("dense", (NUM_CLASSES,)):
        token, position = tokens[-1]
        raise SpecError(
            f"the {NUM_CLASSES}-way output layer at the end is implied; leave it out (or choose another width)",
            token,
            len(tokens),
            position,
        )
    layers, origins = _assemble(items)
    name = "-".join(spell_token(kind, values) for kind, values in items)
    spec = ArchSpec(name, "", layers)
    spec = dataclasses.replace(spec, description=spec.summary())
    try:
        layer_shapes(spec)
    except LayerError as exc:
        item = origins[exc.index - 1]
        reason = exc.reason
        if item is None:  # an implied layer: the flatten or the logits after the last written one
            item = len(tokens) - 1
            reason = f"the {NUM_CLASSES}-way output layer after it: {reason}"
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
        if looks_like_spec(arch):
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
