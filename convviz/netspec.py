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

Pure Python: no TensorFlow, Qt or numpy. ``convviz.config`` imports this module
for ``ARCHITECTURES``, so the names this module needs from config
(``ConfigError``, ``IMAGE_SIZE``, ``NUM_CLASSES``) are imported inside the
functions that use them, never at module top.
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Union

PADDINGS = ("SAME", "VALID")  # TensorFlow's spelling; stride 1 throughout
POOL_SIZE = 2  # every pool is 2x2 max pooling with stride 2, VALID: an odd size rounds down
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
    """A ``size`` x ``size`` convolution with ``filters`` output channels, bias and ReLU, stride 1."""

    name: str  # variable scope: <name>/kernel, <name>/bias, activation <name>/relu
    filters: int
    size: int
    padding: str = "SAME"  # SAME keeps height and width; VALID shrinks them by size - 1
    TYPE: ClassVar[str] = "conv"


@dataclass(frozen=True)
class Pool:
    """2x2 max pooling with stride 2."""

    name: str  # the max_pool op's name
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
                words.append(f"conv {layer.filters}@{layer.size}x{layer.size}{valid}")
            elif isinstance(layer, Dense):
                words.append(f"dense {layer.units}")
            elif isinstance(layer, Pool):
                words.append("pool")
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


def _check_fields(layer: Layer, where: str) -> None:
    _, ConfigError, _ = _config()
    if not isinstance(layer.name, str) or not _NAME.match(layer.name):
        raise ConfigError(
            f"{where}: name {layer.name!r} must be a lower-case letter then up to 31 letters, digits or underscores"
        )
    if layer.name in RESERVED_NAMES:
        raise ConfigError(f"{where}: the name {layer.name!r} is reserved; choose another")
    limits = {Pad: ("amount",), Conv: ("filters", "size"), Dense: ("units",)}.get(type(layer), ())
    for field in limits:
        value = getattr(layer, field)
        if not _is_int(value) or value < 1:
            raise ConfigError(f"{where}: {field} must be a whole number of at least 1, got {value!r}")
    if isinstance(layer, Conv) and layer.padding not in PADDINGS:
        raise ConfigError(f"{where}: padding must be one of {', '.join(PADDINGS)}, got {layer.padding!r}")
    if isinstance(layer, Dense) and not isinstance(layer.relu, bool):
        raise ConfigError(f"{where}: relu must be true or false, got {layer.relu!r}")


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for dim in shape:
        size *= dim
    return size


def layer_shapes(spec: ArchSpec, input_shape: tuple[int, int, int] | None = None) -> tuple[LayerShape, ...]:
    """Every layer's per-image output shape and parameter count, first the input, last the logits.

    ``input_shape`` defaults to MNIST's (28, 28, 1). This is also the spec's
    check: it raises ConfigError (one line, naming the layer) for a layer
    type it does not know, a bad or repeated name, a count below 1, an
    unknown padding, a feature map shrunk to nothing, a 2-D layer after the
    flatten, a dense layer before it, or a last layer that is not a linear
    dense layer with one unit per class.
    """
    image_size, ConfigError, num_classes = _config()
    if not isinstance(spec, ArchSpec):
        raise ConfigError(f"expected an architecture spec, got {type(spec).__name__}")
    if not isinstance(spec.name, str) or not _NAME.match(spec.name):
        raise ConfigError(
            f"architecture name {spec.name!r} must be a lower-case letter then up to 31 letters, digits or underscores"
        )
    if not isinstance(spec.description, str) or "\n" in spec.description:
        raise ConfigError(f"architecture {spec.name!r}: the description must be one line of text")
    if not isinstance(spec.layers, tuple):
        raise ConfigError(f"architecture {spec.name!r}: the layers must be a tuple or list")
    shape = tuple(input_shape) if input_shape is not None else (image_size, image_size, 1)
    rows = [LayerShape("input", shape, 0, "input")]
    seen = set()
    for index, layer in enumerate(spec.layers, 1):
        where = f"architecture {spec.name!r}, layer {index} ({getattr(layer, 'name', '?')})"
        if type(layer) not in LAYER_TYPES.values():
            raise ConfigError(f"{where}: not a layer: {type(layer).__name__}")
        _check_fields(layer, where)
        if layer.name in seen:
            raise ConfigError(f"{where}: the name {layer.name!r} is used twice")
        seen.add(layer.name)
        last = index == len(spec.layers)
        if isinstance(layer, Dense):
            if len(shape) != 1:
                raise ConfigError(f"{where}: a dense layer needs a flat input; put a flatten before it")
            if not layer.relu and not last:
                raise ConfigError(f"{where}: only the last layer (the logits) can be without ReLU")
            kind = "fc" if layer.relu else "logits"
            shape = (layer.units,)
            rows.append(LayerShape(layer.name, shape, rows[-1].shape[0] * layer.units + layer.units, kind, layer.relu))
            continue
        if len(shape) != 3:
            raise ConfigError(f"{where}: a {layer.TYPE} layer needs a 2-D feature map, but the input is already flat")
        height, width, channels = shape
        if isinstance(layer, Flatten):
            shape = (height * width * channels,)
            rows.append(LayerShape(layer.name, shape, 0, "flatten"))
            continue
        if isinstance(layer, Pad):
            shape = (height + 2 * layer.amount, width + 2 * layer.amount, channels)
            rows.append(LayerShape(layer.name, shape, 0, "pad"))
            continue
        if isinstance(layer, Pool):
            shape = (height // POOL_SIZE, width // POOL_SIZE, channels)
            params, relu = 0, False
        else:  # Conv
            if layer.padding == "VALID":
                height, width = height - layer.size + 1, width - layer.size + 1
            shape = (height, width, layer.filters)
            params, relu = layer.size * layer.size * channels * layer.filters + layer.filters, True
        if shape[0] < 1 or shape[1] < 1:
            before = "x".join(map(str, rows[-1].shape[:2]))
            raise ConfigError(f"{where}: a {before} feature map is too small for this {layer.TYPE} layer")
        rows.append(LayerShape(layer.name, shape, params, layer.TYPE, relu))
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


def get_spec(arch: str | ArchSpec) -> ArchSpec:
    """The built-in spec called ``arch``; a spec is returned as it is. Raises ConfigError for an unknown name."""
    if isinstance(arch, ArchSpec):
        return arch
    try:
        return SPECS[arch]
    except (KeyError, TypeError):
        _, ConfigError, _ = _config()
        raise ConfigError(f"unknown architecture {arch!r}; choose one of {', '.join(SPECS)}") from None


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
