"""Why mini-batches: the memory one training step needs, full batch against mini-batch.

The exercise's two figures, reproduced by one counting rule:

* a conv layer with 10 filters on all 60000 images outputs
  60000 x 10 x 784 floats = 1.88e9 bytes at float32, "about 2 GB"
  (:func:`conv_example_bytes`: that one output tensor, nothing else);
* the dense net 784-300-10 over all 60000 images needs about 335 MB
  (:func:`memory_report`: 335.5 MB, of which 334.6 MB data and activations).

The rule (:data:`RULE`): count every tensor that backpropagation keeps from
the forward pass, once per image, at ``bytes_per_float`` bytes per float:

* the input images (the data; the labels, 10 floats per image, are left out
  as in the exercise's figure);
* each layer followed by a ReLU: its pre-activation ``z = Wx + b`` *and* its
  activation ``a = relu(z)``, two tensors, as in the textbook derivation of
  backprop (``relu'(z)`` and ``a`` are both needed for the gradients);
* the logits: ``z`` only (softmax and loss are fused and tiny);
* padding and max-pooling outputs: one new tensor each;
* flatten: nothing, a reshape is a view of its input;
* weights and biases once (their gradients and optimizer slots would add one
  to three copies more; at this scale they barely matter).

For the dense net: data 60000 x 784 = 188.2 MB, fc1 z and a 2 x 60000 x 300 =
144.0 MB, logits 60000 x 10 = 2.4 MB, weights 238510 = 0.95 MB: 335.5 MB.
Sizes are decimal: 1 kB = 1e3, 1 MB = 1e6, 1 GB = 1e9 bytes.

Only the data and the activations grow with the batch; the weights do not.
Pure arithmetic: no TensorFlow, no Qt. The layers and their shapes (per image,
NHWC without the batch dimension) come from ``convviz.netspec``, the same spec
``convviz.architectures`` builds the graph from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from convviz import netspec
from convviz.constants import IMAGE_SIZE, NUM_TRAIN
from convviz.errors import ConfigError
from convviz.netspec import ArchSpec, LayerShape

MAX_IMAGES = 10**9  # a full batch of a billion images: far past any data set; the arithmetic stays in floats
RULE = (
    "counted: the input images; z = Wx+b and relu(z) for each ReLU layer; the logits; "
    "padding and pooling outputs; flatten is a view (0); weights once"
)



@dataclass(frozen=True)
class MemoryRow:
    layer: str
    shape: tuple[int, ...]
    floats_per_image: int  # floats this layer keeps per image under RULE
    full_bytes: int  # for all n_images at once
    batch_bytes: int  # for one mini-batch
    note: str = ""  # what was counted, e.g. "z + relu(z)"


@dataclass(frozen=True)
class MemoryReport:
    arch: str
    batch_size: int
    n_images: int
    rows: list[MemoryRow]
    weights_bytes: int
    data_full_bytes: int
    data_batch_bytes: int
    activations_full_bytes: int
    activations_batch_bytes: int
    total_full_bytes: int
    total_batch_bytes: int
    rule: str
    bytes_per_float: int = 4
    description: str = ""  # the network in one line (ArchSpec.description)


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for dim in shape:
        size *= dim
    return size


def layers(arch: str | ArchSpec) -> list[LayerShape]:
    """The layers of ``arch`` (a name or a spec) in order, from "input" (28, 28, 1) to "logits" (10,).

    Raises ConfigError (a ValueError) for an unknown name or a spec that makes no sense.
    """
    return list(netspec.layer_shapes(netspec.get_spec(arch)))


def parameter_count(arch: str | ArchSpec) -> int:
    """Weights plus biases of all layers of ``arch``."""
    return sum(layer.params for layer in layers(arch))


def _kept(layer: LayerShape) -> tuple[int, str]:
    """Floats per image that RULE counts for ``layer``, and a note saying which."""
    size = _size(layer.shape)
    if layer.kind == "input":
        return size, "data"
    if layer.kind == "flatten":
        return 0, "view, no copy"
    if layer.relu:
        return 2 * size, "z + relu(z)"
    return size, {"logits": "z", "pad": "padded copy", "pool": "max"}.get(layer.kind, "")


def memory_report(
    arch: str | ArchSpec, batch_size: int, n_images: int = NUM_TRAIN, bytes_per_float: int = 4
) -> MemoryReport:
    """Bytes one training step keeps for all ``n_images`` at once against one mini-batch.

    ``arch`` is a name in ``netspec.SPECS`` or a spec.

    Raises
    ------
    ValueError
        Unknown ``arch`` or a spec that makes no sense (ConfigError), or a count below 1, or a batch bigger
        than the data set.
    """
    spec = netspec.get_spec(arch)
    if not 1 <= n_images <= MAX_IMAGES:
        raise ValueError(f"number of images must be from 1 to {MAX_IMAGES}, got {str(n_images)[:30]}")
    if not 1 <= batch_size <= n_images:
        raise ValueError(f"batch size must be between 1 and {n_images}, got {batch_size}")
    if bytes_per_float < 1:
        raise ValueError(f"bytes per float must be at least 1, got {bytes_per_float}")
    rows = []
    shaped = layers(spec)
    for layer in shaped:
        floats, note = _kept(layer)
        per_image = floats * bytes_per_float
        rows.append(MemoryRow(layer.name, layer.shape, floats, per_image * n_images, per_image * batch_size, note))
    data, activations = rows[0], rows[1:]
    weights_bytes = sum(layer.params for layer in shaped) * bytes_per_float
    activations_full = sum(row.full_bytes for row in activations)
    activations_batch = sum(row.batch_bytes for row in activations)
    return MemoryReport(
        arch=spec.name,
        batch_size=batch_size,
        n_images=n_images,
        rows=rows,
        weights_bytes=weights_bytes,
        data_full_bytes=data.full_bytes,
        data_batch_bytes=data.batch_bytes,
        activations_full_bytes=activations_full,
        activations_batch_bytes=activations_batch,
        total_full_bytes=weights_bytes + data.full_bytes + activations_full,
        total_batch_bytes=weights_bytes + data.batch_bytes + activations_batch,
        rule=RULE,
        bytes_per_float=bytes_per_float,
        description=spec.description,
    )


def conv_example_bytes(
    n_images: int = NUM_TRAIN, filters: int = 10, image_pixels: int = IMAGE_SIZE * IMAGE_SIZE, bytes_per_float: int = 4
) -> int:
    """The exercise's example: one conv layer's output for the full batch, n x filters x pixels floats."""
    for name, value in (
        ("n_images", n_images),
        ("filters", filters),
        ("image_pixels", image_pixels),
        ("bytes_per_float", bytes_per_float),
    ):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    return n_images * filters * image_pixels * bytes_per_float


def human_bytes(n: int) -> str:
    """Decimal units: 999 B, 200.7 kB, 335.5 MB, 1.88 GB."""
    if n < 1000:
        return f"{n} B"
    value = float(n)
    for unit in ("kB", "MB", "GB", "TB", "PB"):
        value /= 1000.0
        if value < 1000.0 or unit == "PB":
            break
    return f"{value:.2f} {unit}" if value < 10 else f"{value:.1f} {unit}"


def _shape_text(shape: tuple[int, ...]) -> str:
    return "x".join(str(dim) for dim in shape)


def format_report(report: MemoryReport) -> str:
    """A table for ``main.py memory``: per layer, then totals, the ratio and the exercise's example."""
    full_head = f"all {report.n_images} images"
    batch_head = f"batch of {report.batch_size}"
    width = max(len(full_head), len(batch_head), 10)
    lines = [
        f"Memory for one training step of {report.arch}: {report.description}",
        f"float = {report.bytes_per_float} bytes; decimal units (1 MB = 1e6 bytes, 1 GB = 1e9 bytes)",
        f"Rule: {report.rule}",
        "",
        f"{'layer':<9} {'shape':<10} {'floats/image':>12}  {full_head:>{width}}  {batch_head:>{width}}  counted",
    ]
    for row in report.rows:
        lines.append(
            f"{row.layer:<9} {_shape_text(row.shape):<10} {row.floats_per_image:>12,}  "
            f"{human_bytes(row.full_bytes):>{width}}  {human_bytes(row.batch_bytes):>{width}}  {row.note}"
        )
    params = report.weights_bytes // report.bytes_per_float
    totals = (
        (f"weights ({params:,} parameters)", report.weights_bytes, report.weights_bytes),
        ("data (input images)", report.data_full_bytes, report.data_batch_bytes),
        ("activations", report.activations_full_bytes, report.activations_batch_bytes),
        ("total", report.total_full_bytes, report.total_batch_bytes),
    )
    lines.append("-" * (35 + 2 * width + 4))
    for label, full, batch in totals:
        lines.append(f"{label:<33}  {human_bytes(full):>{width}}  {human_bytes(batch):>{width}}")
    ratio = report.total_full_bytes / report.total_batch_bytes
    example = conv_example_bytes(bytes_per_float=report.bytes_per_float)
    lines += [
        "",
        f"The full batch needs {ratio:,.0f}x the memory of a mini-batch of {report.batch_size}.",
        f"The exercise's example: a conv layer with 10 filters on all {NUM_TRAIN} images outputs "
        f"{NUM_TRAIN} x 10 x {IMAGE_SIZE * IMAGE_SIZE} floats = {human_bytes(example)}"
        + (" (about 2 GB)." if report.bytes_per_float == 4 else "."),
    ]
    return "\n".join(lines)


def report_dict(report: MemoryReport) -> dict:
    """The report as JSON-serialisable plain types (for ``main.py memory --json``)."""
    result = dataclasses.asdict(report)
    for row in result["rows"]:
        row["shape"] = list(row["shape"])
    result["ratio"] = report.total_full_bytes / report.total_batch_bytes
    result["conv_example_bytes"] = conv_example_bytes(bytes_per_float=report.bytes_per_float)
    result["units"] = "bytes"
    return result


# -- what a run may use: the rule's bytes against the memory this machine has free ----------------------
# TensorFlow on a CPU does not fail cleanly when memory runs out: the process grows until the kernel kills it
# or it dies with SIGSEGV. So the rule above is applied before a run, with room to spare.
MEMORY_SHARE = 0.7  # of the available memory a run plans for: MNIST in numpy, TensorFlow, the window need the rest
TRAIN_ACTIVATION_COPIES = 2  # a training step keeps the forward pass's tensors and their gradients
TRAIN_WEIGHT_COPIES = 4  # weights, their gradients and an optimizer's two slots (Adam)
MEMINFO = "/proc/meminfo"
# TensorFlow's CPU kernels index tensors with 32 bits in places: past 2 GiB in one tensor a crash, not an
# error, waits (pad8-conv512@1x1-conv512@1x1-pool8 died with SIGSEGV evaluating 1000 images at once).
MAX_TENSOR_BYTES = 2**31


def available_bytes() -> int | None:
    """The memory the kernel could give a new process without swapping (``MemAvailable``), or None where
    that is unknown (not Linux, an old kernel): the check is then skipped."""
    try:
        with open(MEMINFO, "rb") as f:
            text = f.read(64 * 1024).decode("ascii", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "MemAvailable:" and parts[1].isdigit():
            scale = 1024 if len(parts) < 3 or parts[2].lower() == "kb" else 1
            return int(parts[1]) * scale
    return None


def image_bytes(arch: str | ArchSpec, bytes_per_float: int = 4) -> int:
    """Bytes one image keeps under :data:`RULE` (its data and every activation counted)."""
    report = memory_report(arch, 1, n_images=1, bytes_per_float=bytes_per_float)
    return report.data_batch_bytes + report.activations_batch_bytes


def training_bytes(arch: str | ArchSpec, batch_size: int) -> int:
    """What one training step of ``batch_size`` images needs: activations and their gradients, weights and
    their optimizer copies."""
    report = memory_report(arch, 1, n_images=1)
    return TRAIN_WEIGHT_COPIES * report.weights_bytes + TRAIN_ACTIVATION_COPIES * image_bytes(arch) * batch_size


def largest_tensor_bytes(arch: str | ArchSpec, bytes_per_float: int = 4) -> int:
    """Bytes of the largest single tensor (a layer's output) one image makes."""
    return max(_size(layer.shape) for layer in layers(arch)) * bytes_per_float


def evaluation_bytes(arch: str | ArchSpec, batch_size: int) -> int:
    """What one forward pass over ``batch_size`` images needs (evaluating, classifying, explaining)."""
    report = memory_report(arch, 1, n_images=1)
    return report.weights_bytes + image_bytes(arch) * batch_size


@dataclass(frozen=True)
class BatchFit:
    """The batch sizes a run gets, and the one-line note saying what was lowered (None: nothing)."""

    eval_batch_size: int
    note: str | None = None


def _budget(available: int | None) -> int | None:
    if available is None:
        available = available_bytes()
    return None if available is None else int(available * MEMORY_SHARE)


def fit_batches(
    arch: str | ArchSpec,
    eval_batch_size: int,
    train_batch_size: int | None = None,
    available: int | None = None,
    eval_option: str | None = "--eval-batch-size",
) -> BatchFit:
    """The evaluation batch lowered to what the available memory holds, and the training batch checked.

    ``available`` defaults to :func:`available_bytes` (None there: nothing is checked). The training batch is
    the experiment's and is never changed: when it does not fit, or not even a single test image does, this
    raises ConfigError with one line that says how much it needs and how much there is.
    """
    budget = _budget(available)
    if budget is None:
        return BatchFit(eval_batch_size)
    name = netspec.get_spec(arch).name
    free = human_bytes(int(budget / MEMORY_SHARE))
    tensor_cap = MAX_TENSOR_BYTES // largest_tensor_bytes(arch)  # images per batch below the 2 GiB tensor
    if train_batch_size is not None and train_batch_size > tensor_cap:
        raise ConfigError(
            f"{name} with batch size {train_batch_size} makes a single tensor of more than 2 GiB, which "
            f"TensorFlow cannot be trusted with; a batch size of {tensor_cap} would fit"
        )
    if train_batch_size is not None:
        need = training_bytes(arch, train_batch_size)
        if need > budget:
            per_image = TRAIN_ACTIVATION_COPIES * image_bytes(arch)
            fits = (budget - TRAIN_WEIGHT_COPIES * memory_report(arch, 1, n_images=1).weights_bytes) // per_image
            hint = f"; a batch size of {fits} would fit" if fits >= 1 else "; choose a smaller network"
            raise ConfigError(
                f"{name} with batch size {train_batch_size} needs about {human_bytes(need)} for each step, "
                f"more than this machine can spare ({free} free){hint}"
            )
    need = evaluation_bytes(arch, eval_batch_size)
    if need <= budget and eval_batch_size <= tensor_cap:
        return BatchFit(eval_batch_size)
    fits = min(tensor_cap, (budget - memory_report(arch, 1, n_images=1).weights_bytes) // image_bytes(arch))
    if fits < 1:
        raise ConfigError(
            f"{name} needs about {human_bytes(evaluation_bytes(arch, 1))} for a single image, more than this "
            f"machine can spare ({free} free); choose a smaller network"
        )
    if need <= budget:
        why = "one of its tensors would hold more than 2 GiB"
    else:
        why = f"{name} needs about {human_bytes(need)} for {eval_batch_size}, more than the {free} free allow"
    hint = f" ({eval_option} sets it)" if eval_option else ""
    note = f"evaluating in batches of {fits} images, not {eval_batch_size}: {why}{hint}"
    return BatchFit(int(fits), note)


def fit_config(config, available: int | None = None):
    """``config`` (a TrainConfig) with its evaluation batch lowered to fit the available memory, and the note
    (None when nothing changed); ConfigError (one line) when its training batch does not fit.

    The one check before every training run: the CLI's and the window's (through RunSession).
    """
    train_batch = config.batch_size
    if config.train_limit:
        train_batch = min(train_batch, config.train_limit)  # a batch never holds more images than the data
    fit = fit_batches(config.arch, config.eval_batch_size, train_batch, available)
    if fit.eval_batch_size == config.eval_batch_size:
        return config, None
    return config.replace(eval_batch_size=fit.eval_batch_size), fit.note
