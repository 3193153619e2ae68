"""Why the network answers what it does: errors, saliency, the arithmetic of a convolution, what a filter wants.

The core, no Qt. Everything here takes and returns numpy arrays (images are
(28, 28) floats in [0, 1], white ink on black as :func:`convviz.preprocess.to_mnist`
gives them) and works for every architecture of :mod:`convviz.netspec`, the dense
one included (it has no convolution to show, but errors and saliency work).

* :func:`confusion`: the 10 x 10 confusion matrix of a test set, in batches, with
  every image's probabilities, so the mistakes can be listed most confident first.
* :func:`saliency`: where the network looks. *Occlusion* slides a grey patch over
  the input (all positions in one batched run) and maps the drop in the class's
  probability; *gradient* is the class logit's gradient with respect to the input
  (Simonyan et al. 2013), also as gradient x input.
* :func:`conv_step` (from :mod:`convviz.convmath`, TF-free): one output value of a
  conv layer worked out by hand from the weights (patch, kernel, products, sum,
  bias, ReLU), so it can be shown step by step and checked against the graph.
* :func:`activation_maximisation` (from :mod:`convviz.maximise`, TF-free): gradient ascent on the input from grey noise
  for a filter's mean activation, regularised by L2 decay, jitter and blur (as in
  Yosinski et al. 2015, "Understanding Neural Networks Through Deep Visualization").

The gradients come from :class:`Explainer`, a :class:`~convviz.model.Model` whose
graph also holds ``tf.gradients`` ops (explicit graph, no eager mode, so TF 1.15
runs it too). Pictures for the command line (:func:`mistakes_sheet`,
:func:`saliency_png`) are drawn with Pillow; the window draws its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from convviz.atomicfile import write_atomically
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.convmath import (
    ExplainError,
    _is_int,
    conv_inputs_from_activations,
)
from convviz.maximise import activation_maximisation, gaussian_blur, start_noise  # re-exported (TF-free)
from convviz.model import Model, as_batch, owned
from convviz.netspec import ArchSpec, Conv, get_spec
from convviz.probes import Probes
from convviz.tf1 import tf

__all__ = [
    "METHODS",
    "Confusion",
    "Explainer",
    "Saliency",
    "activation_maximisation",
    "confusion",
    "conv_inputs",
    "conv_layers_io",
    "gaussian_blur",
    "mistakes_sheet",
    "saliency",
    "saliency_png",
    "start_noise",
]

log = logging.getLogger(__name__)

METHODS = ("occlusion", "gradient", "gradient_x_input")

# Occlusion: a 7 x 7 patch is about a stroke's width and a quarter of a digit's height;
# centres every 3 px give 100 occluded images for a 28 x 28 input (one batch, ~ms on a CPU).
OCCLUSION_PATCH = 7
OCCLUSION_STRIDE = 3
OCCLUSION_FILL = 0.13  # grey at MNIST's mean pixel (0.1307): Zeiler & Fergus' grey square is the data mean

MAX_SHEET = 500  # tiles on a mistakes sheet
SHEET_SCALE = 3  # a digit's pixels on the sheet
SHEET_PAD = 4  # pixels around a digit in its tile
SHEET_CAPTION = 16  # pixels of caption under a digit
TILE_WIDTH = IMAGE_SIZE * SHEET_SCALE + 2 * SHEET_PAD
TILE_HEIGHT = IMAGE_SIZE * SHEET_SCALE + SHEET_PAD + SHEET_CAPTION


def _image28(image: np.ndarray) -> np.ndarray:
    """One (28, 28) float32 image from (28, 28), (28, 28, 1) or (1, 28, 28[, 1])."""
    image = np.asarray(image)
    if image.shape == (IMAGE_SIZE, IMAGE_SIZE, 1):  # as_batch would read it as 28 images of 28x1
        image = image[:, :, 0]
    try:
        x = as_batch(image)
    except ValueError as exc:
        raise ExplainError(str(exc)) from None
    if len(x) != 1:
        raise ExplainError(f"expected one 28x28 image, got {len(x)}")
    return x[0, :, :, 0]


def _spec_of(model: Model) -> ArchSpec:
    spec = getattr(model, "spec", None)  # a model of a user-defined architecture may carry its spec
    return spec if isinstance(spec, ArchSpec) else get_spec(model.arch)


# -- the model with gradients ------------------------------------------------------------------------
class Explainer(Model):
    """A :class:`Model` whose graph also holds the gradients the explanations need.

    Same constructor as Model (``Explainer(arch, weights, meta)``, ``Explainer.load(folder)``);
    ``set_weights`` copies a trainer's weights in, so the explanations follow a
    running training. Like every Model it belongs to the thread that created it:
    its public methods refuse calls from any other (:class:`~convviz.model.WrongThreadError`).
    """

    def _build_extras(self) -> None:
        logits = self.endpoints.logits
        # The class per image; -1 means the predicted one, so the live pad needs one run, not two.
        self._target = tf.placeholder(tf.int32, [None], name="explain_class")
        predicted = tf.cast(tf.argmax(logits, axis=1), tf.int32)
        self._chosen_class = tf.where(self._target >= 0, self._target, predicted)
        class_logit = tf.reduce_sum(logits * tf.one_hot(self._chosen_class, NUM_CLASSES, dtype=logits.dtype), axis=1)
        # The images of a batch are independent, so the gradient of the batch's sum is each image's own.
        self._logit_gradient = tf.gradients(class_logit, self._images)[0]
        self._channel = tf.placeholder(tf.int32, [None], name="explain_channel")
        self._leak = tf.placeholder_with_default(tf.constant(0.0, tf.float32), [], name="explain_leak")
        self._channel_ops: dict[str, tuple[tf.Tensor, tf.Tensor, int]] = {}
        for name, out in self.endpoints.layers.items():
            if out.op.type == "Relu":  # conv and hidden dense: max(z, leak * z) is the ReLU at leak 0
                z = out.op.inputs[0]
                value = tf.maximum(z, self._leak * z)
            else:  # pool (of a ReLU), logits
                value = out
            per_channel = tf.reduce_mean(value, axis=[1, 2]) if out.shape.ndims == 4 else value
            count = int(per_channel.shape[-1])
            chosen = tf.reduce_sum(per_channel * tf.one_hot(self._channel, count, dtype=per_channel.dtype), axis=1)
            self._channel_ops[name] = (chosen, tf.gradients(chosen, self._images)[0], count)
        self._probes = Probes(self._images, logits, self.endpoints.layers)  # batched: attack, saliency_methods, topk

    @owned
    def loss_gradients(self, images: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per image: d cross-entropy(label) / d input (N, 28, 28), the loss (N,) and the logits (N, 10)."""
        x = as_batch(images)
        return _finite(self, self._probes.loss_gradients(self.session, x, _classes(labels, len(x))))

    @owned
    def logit_gradients(self, images: np.ndarray, classes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per image: d logit[class] / d input (N, 28, 28), that logit (N,) and all logits (N, 10)."""
        x = as_batch(images)
        return _finite(self, self._probes.logit_gradients(self.session, x, _classes(classes, len(x))))

    @owned
    def channel_peaks(self, images: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{conv layer: (each channel's largest activation (N, C), its flat position y * W + x (N, C))}."""
        return self._probes.channel_peaks(self.session, as_batch(images))

    @property
    def conv_shapes(self) -> dict[str, tuple[int, int, int]]:
        """{conv layer: its output's (H, W, C)}, in layer order."""
        return dict(self._probes.shapes)

    # -- what there is --------------------------------------------------------------------------------
    @property
    def conv_layers(self) -> list[str]:
        """The conv layers' names in order (``[]`` for the dense network)."""
        return [layer.name for layer in _spec_of(self).layers if isinstance(layer, Conv)]

    @owned
    def channel_count(self, layer: str) -> int:
        """Channels (conv, pool) or units (dense) of ``layer``; ExplainError for an unknown name."""
        if layer not in self._channel_ops:
            raise ExplainError(f"the {self.arch} network has no layer {layer!r}; it has {', '.join(self._channel_ops)}")
        return self._channel_ops[layer][2]

    # -- saliency -------------------------------------------------------------------------------------
    @owned
    def class_probability(self, image: np.ndarray, cls: int | None = None) -> tuple[int, float]:
        """(``cls``, or the predicted class when None; its probability) for one image."""
        p = self.predict_proba(_image28(image))[0]
        cls = int(p.argmax()) if cls is None else _check_class(cls)
        return cls, float(p[cls])

    @owned
    def _gradient(self, image: np.ndarray, cls: int | None) -> tuple[np.ndarray, int, float]:
        x = _image28(image)
        target = -1 if cls is None else _check_class(cls)
        p, chosen, grad = self.session.run(
            [self._probabilities, self._chosen_class, self._logit_gradient],
            {self._images: x[None, :, :, None], self._target: [target]},
        )
        if not np.isfinite(grad).all() or not np.isfinite(p).all():
            raise ExplainError(f"the {self.arch} model's outputs are not finite numbers: its weights are broken")
        cls = int(chosen[0])
        return grad[0, :, :, 0], cls, float(p[0, cls])

    @owned
    def saliency_gradient(self, image: np.ndarray, cls: int | None = None, times_input: bool = False) -> np.ndarray:
        """(28, 28) float32: d logit[cls] / d pixel, the logit before the softmax; cls None: the predicted class.

        ``times_input``: the gradient times the image, pixel by pixel (zero on MNIST's black background).
        """
        grad, _, _ = self._gradient(image, cls)
        return (grad * _image28(image) if times_input else grad).astype(np.float32)

    @owned
    def occlusion(
        self,
        image: np.ndarray,
        cls: int | None = None,
        patch: int = OCCLUSION_PATCH,
        stride: int = OCCLUSION_STRIDE,
        fill: float = OCCLUSION_FILL,
    ) -> np.ndarray:
        """(28, 28) float32: how much hiding each part lowers p(cls); cls None: the predicted class.

        A ``patch`` x ``patch`` square set to ``fill`` is centred on a grid of
        ``stride`` pixels (0, stride, 2 stride, ... and 27; clipped at the border);
        all these images and the original go through the network in one batch.
        Each pixel gets the mean of ``p(cls | image) - p(cls | occluded)`` over the
        patches that cover it: positive where the part mattered for the class,
        negative where hiding it made the class more likely.
        """
        _, _, drops, boxes = self._occlusion_drops(image, cls, patch, stride, fill)
        return _occlusion_map(drops, boxes)

    def _occlusion_drops(self, image, cls, patch, stride, fill):
        x = _image28(image)
        if not (_is_int(patch) and 1 <= patch <= IMAGE_SIZE):
            raise ExplainError(f"the occlusion patch must be 1 to {IMAGE_SIZE} pixels, got {patch!r}")
        if not (_is_int(stride) and 1 <= stride <= IMAGE_SIZE):
            raise ExplainError(f"the occlusion stride must be 1 to {IMAGE_SIZE} pixels, got {stride!r}")
        if not (isinstance(fill, (int, float)) and 0.0 <= fill <= 1.0):
            raise ExplainError(f"the occlusion fill must be between 0 and 1, got {fill!r}")
        centres = sorted(set(range(0, IMAGE_SIZE, stride)) | {IMAGE_SIZE - 1})
        half = patch // 2
        boxes = []
        for cy in centres:
            for cx in centres:
                top, left = max(cy - half, 0), max(cx - half, 0)
                boxes.append((top, min(cy - half + patch, IMAGE_SIZE), left, min(cx - half + patch, IMAGE_SIZE)))
        batch = np.repeat(x[None], len(boxes) + 1, axis=0)
        for i, (top, bottom, left, right) in enumerate(boxes, 1):
            batch[i, top:bottom, left:right] = fill
        p = _softmax64(self._logits(batch))
        cls = int(p[0].argmax()) if cls is None else _check_class(cls)
        return cls, float(p[0, cls]), p[0, cls] - p[1:, cls], boxes

    @owned
    def _logits(self, images: np.ndarray) -> np.ndarray:
        """Logits (N, 10) float32 of a batch, in one run."""
        logits = self.session.run(self.endpoints.logits, {self._images: as_batch(images)})
        if not np.isfinite(logits).all():
            raise ExplainError(f"the {self.arch} model's outputs are not finite numbers: its weights are broken")
        return logits

    # -- what a channel responds to -------------------------------------------------------------------
    @owned
    def activation_gradient(
        self, images: np.ndarray, layer: str, channels: Sequence[int], leak: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per image i: the mean activation of channel ``channels[i]`` of ``layer`` and its gradient.

        Returns ``(grads (N, 28, 28) float32, means (N,) float32)``: ``means[i]`` is
        the mean over positions of the layer's activation (after its ReLU) in that
        channel for ``images[i]``, ``grads[i]`` its gradient with respect to
        ``images[i]``. ``layer`` is any conv or pool layer (for a dense layer, a
        channel is a unit). ``leak`` > 0 replaces the ReLU by a leaky one
        (``max(z, leak z)``) for conv and hidden dense layers, so that a channel
        that is off everywhere still has a gradient.
        """
        count = self.channel_count(layer)
        x = as_batch(images)
        channels = np.asarray(channels, dtype=np.int64).reshape(-1)
        if len(channels) != len(x):
            raise ExplainError(f"{len(x)} images but {len(channels)} channels: one channel per image")
        if len(channels) and (channels.min() < 0 or channels.max() >= count):
            raise ExplainError(f"layer {layer} has channels 0 to {count - 1}, got {channels.min()}..{channels.max()}")
        chosen, gradient, _ = self._channel_ops[layer]
        means, grads = self.session.run(
            [chosen, gradient], {self._images: x, self._channel: channels, self._leak: float(leak)}
        )
        return grads[:, :, :, 0].astype(np.float32), means.astype(np.float32)


def _classes(classes, count: int) -> np.ndarray:
    classes = np.asarray(classes, np.int64).reshape(-1)
    if len(classes) != count:
        raise ExplainError(f"{count} images but {len(classes)} classes: one class per image")
    if len(classes) and (classes.min() < 0 or classes.max() >= NUM_CLASSES):
        raise ExplainError(f"classes must be digits 0 to {NUM_CLASSES - 1}")
    return classes


def _finite(model: Model, values):
    grads, chosen, logits = values
    if not (np.isfinite(grads).all() and np.isfinite(logits).all()):
        raise ExplainError(f"the {model.arch} model's outputs are not finite numbers: its weights are broken")
    return grads[:, :, :, 0], chosen, logits


def _softmax64(logits: np.ndarray) -> np.ndarray:
    """Softmax in float64: a confident digit's p = 1 - 1e-9 is 1.0 in float32, and its drops would vanish."""
    z = np.asarray(logits, np.float64)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _occlusion_map(drops: np.ndarray, boxes: list) -> np.ndarray:
    """Each pixel: the mean drop of the patches that cover it."""
    total = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float64)
    count = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float64)
    for drop, (top, bottom, left, right) in zip(drops, boxes):
        total[top:bottom, left:right] += drop
        count[top:bottom, left:right] += 1
    return (total / np.maximum(count, 1)).astype(np.float32)


def _check_class(cls) -> int:
    if not (_is_int(cls) and 0 <= cls < NUM_CLASSES):
        raise ExplainError(f"the class must be a digit 0 to {NUM_CLASSES - 1}, got {cls!r}")
    return int(cls)


# -- saliency ----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Saliency:
    """Where the network looks for one image (see :meth:`Explainer.occlusion` and ``saliency_gradient``)."""

    map: np.ndarray  # (28, 28) float32, signed: occlusion in probability, gradient in logit per unit of pixel
    cls: int  # the class explained (the predicted one unless asked for another)
    method: str  # one of METHODS
    probability: float  # p(cls) for the unmodified image


def saliency(explainer: Explainer, image: np.ndarray, method: str, cls: int | None = None) -> Saliency:
    """The saliency map of ``image`` by ``method`` (one of :data:`METHODS`) for class ``cls``."""
    if method == "occlusion":
        cls, probability, drops, boxes = explainer._occlusion_drops(
            image, cls, OCCLUSION_PATCH, OCCLUSION_STRIDE, OCCLUSION_FILL
        )
        return Saliency(_occlusion_map(drops, boxes), cls, method, probability)
    if method in ("gradient", "gradient_x_input"):
        grad, cls, probability = explainer._gradient(image, cls)
        if method == "gradient_x_input":
            grad = grad * _image28(image)
        return Saliency(grad.astype(np.float32), cls, method, probability)
    raise ExplainError(f"unknown saliency method {method!r}; choose one of {', '.join(METHODS)}")


# -- confusion matrix --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Confusion:
    """A test set's confusion matrix and every image's prediction."""

    matrix: np.ndarray  # (10, 10) int64: rows the true label, columns the prediction
    labels: np.ndarray  # (N,) int64
    predictions: np.ndarray  # (N,) int64
    probabilities: np.ndarray  # (N, 10) float32

    @property
    def total(self) -> int:
        return int(self.matrix.sum())

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.matrix) / self.total) if self.total else float("nan")

    @property
    def per_class_accuracy(self) -> np.ndarray:
        """(10,) float64: the share of each true class predicted right (nan for a class with no images)."""
        rows = self.matrix.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rows > 0, np.diag(self.matrix) / np.maximum(rows, 1), np.nan)

    @property
    def confidences(self) -> np.ndarray:
        """(N,) float32: each image's probability of its predicted class."""
        return self.probabilities[np.arange(len(self.predictions)), self.predictions]

    def _most_confident_first(self, indices: np.ndarray) -> np.ndarray:
        # stable sort: equal confidences keep the lower index first
        order = np.argsort(-self.confidences[indices].astype(np.float64), kind="stable")
        return indices[order].astype(np.int64)

    def cell(self, true: int, pred: int) -> np.ndarray:
        """Indices of the images labelled ``true`` and predicted ``pred``, most confident first."""
        true, pred = _check_class(true), _check_class(pred)
        return self._most_confident_first(np.flatnonzero((self.labels == true) & (self.predictions == pred)))

    def mistakes(self) -> np.ndarray:
        """Indices of every wrongly predicted image, most confident first."""
        return self._most_confident_first(np.flatnonzero(self.labels != self.predictions))


def confusion(
    model: Model,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int = 1000,
    should_stop: Callable[[], bool] | None = None,
) -> Confusion | None:
    """Predict ``images`` in batches of ``batch_size`` and count (label, prediction) pairs.

    ``should_stop()`` is asked before each batch; when it answers True the work
    stops and None is returned (no exception).
    """
    x = as_batch(images)
    labels = np.asarray(labels).astype(np.int64).reshape(-1)
    if len(labels) != len(x):
        raise ExplainError(f"{len(x)} images but {len(labels)} labels")
    if len(labels) and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise ExplainError(f"labels must be digits 0 to {NUM_CLASSES - 1}")
    if not (_is_int(batch_size) and batch_size >= 1):
        raise ExplainError(f"the batch size must be a whole number of at least 1, got {batch_size!r}")
    parts = []
    for start in range(0, len(x), batch_size):
        if should_stop is not None and should_stop():
            return None
        parts.append(model.predict_proba(x[start : start + batch_size], batch_size=batch_size))
    probabilities = np.concatenate(parts) if parts else np.zeros((0, NUM_CLASSES), np.float32)
    predictions = probabilities.argmax(axis=1).astype(np.int64)
    matrix = np.bincount(labels * NUM_CLASSES + predictions, minlength=NUM_CLASSES * NUM_CLASSES)
    return Confusion(
        matrix.reshape(NUM_CLASSES, NUM_CLASSES).astype(np.int64),
        labels,
        predictions,
        probabilities.astype(np.float32),
    )


# -- inside a convolution ----------------------------------------------------------------------------
def conv_layers_io(model: Model, image: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{conv layer: ((H, W, C) input, (H', W', F) output after ReLU)} for one image, in layer order, one run."""
    x = _image28(image)
    activations = dict(model.activations(x))
    inputs = conv_inputs_from_activations(_spec_of(model), x, activations)
    return {name: (value, activations[name]) for name, value in inputs.items()}


def conv_inputs(model: Model, image: np.ndarray) -> dict[str, np.ndarray]:
    """{conv layer: its (H, W, C) input} for one image: conv1 the image (lenet5: padded to 32x32), conv2 ..."""
    return {name: io[0] for name, io in conv_layers_io(model, image).items()}


# -- pictures ----------------------------------------------------------------------------------------
def _font():
    from PIL import ImageFont

    return ImageFont.load_default()


def _gray_u8(image: np.ndarray) -> np.ndarray:
    return (np.clip(np.asarray(image, np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)


def _save_png(picture, path) -> Path:
    """Written atomically, over a regular file only: a full disk keeps the old picture whole."""
    path = Path(path)
    return write_atomically(path, lambda f: picture.save(f, format="PNG"), f"cannot write {path}", error=ExplainError)


def mistakes_sheet(
    images: np.ndarray,
    indices: Sequence[int],
    labels: np.ndarray,
    predictions: np.ndarray,
    probabilities: np.ndarray,
    path,
    columns: int = 10,
) -> Path:
    """Write a PNG of the digits ``images[indices]``, in that order, ``columns`` to a row; return its path.

    Each tile (``TILE_WIDTH`` x ``TILE_HEIGHT`` pixels) shows the digit at
    ``SHEET_SCALE`` times its size, white on black, ``SHEET_PAD`` pixels from the
    tile's top-left corner, above the caption "index true->predicted confidence%".
    ``probabilities`` is (N, 10) (the confidence is the predicted class's) or (N,)
    confidences. 1 to ``MAX_SHEET`` tiles.
    """
    from PIL import Image, ImageDraw

    indices = np.asarray(indices, np.int64).reshape(-1)
    if not 1 <= len(indices) <= MAX_SHEET:
        raise ExplainError(f"a sheet holds 1 to {MAX_SHEET} digits, got {len(indices)}")
    if not (_is_int(columns) and 1 <= columns <= MAX_SHEET):
        raise ExplainError(f"columns must be 1 to {MAX_SHEET}, got {columns!r}")
    x = as_batch(images)
    if indices.min() < 0 or indices.max() >= len(x):
        raise ExplainError(f"indices must be 0 to {len(x) - 1}")
    probabilities = np.asarray(probabilities, np.float64)
    columns = min(columns, len(indices))
    rows = -(-len(indices) // columns)
    sheet = Image.new("L", (columns * TILE_WIDTH, rows * TILE_HEIGHT), 0)
    draw = ImageDraw.Draw(sheet)
    font = _font()
    side = IMAGE_SIZE * SHEET_SCALE
    for n, i in enumerate(indices):
        left, top = (n % columns) * TILE_WIDTH, (n // columns) * TILE_HEIGHT
        digit = np.kron(_gray_u8(x[i, :, :, 0]), np.ones((SHEET_SCALE, SHEET_SCALE), np.uint8))
        sheet.paste(Image.fromarray(digit, "L"), (left + SHEET_PAD, top + SHEET_PAD))
        pred = int(predictions[i])
        confidence = probabilities[i, pred] if probabilities.ndim == 2 else probabilities[i]
        caption = f"{i} {int(labels[i])}->{pred} {confidence * 100:.0f}%"
        draw.text((left + SHEET_PAD, top + SHEET_PAD + side + 2), caption, fill=255, font=font)
    return _save_png(sheet, path)


def _heat(values: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Colours (..., 3) and opacities (...) of signed values: red positive, blue negative, |v|/limit."""
    strength = np.clip(np.abs(values) / limit, 0, 1) if limit > 0 else np.zeros_like(values)
    colour = np.where((values >= 0)[..., None], np.array([255.0, 48.0, 32.0]), np.array([40.0, 120.0, 255.0]))
    return colour, strength


def saliency_png(image: np.ndarray, saliency_map: np.ndarray, path, scale: int = 10, title: str | None = None) -> Path:
    """Write the digit (grey) with ``saliency_map`` over it as a heat map, and a colour scale bar; return the path.

    Red is positive, blue negative, the opacity |value| / the map's largest
    absolute value (symmetric scale, 0 transparent); the bar beside the digit
    shows the colours from +max (top) through 0 to -max with those numbers.
    """
    from PIL import Image, ImageDraw

    x = _image28(image).astype(np.float64)
    values = np.asarray(saliency_map, np.float64)
    if values.shape != (IMAGE_SIZE, IMAGE_SIZE) or not np.isfinite(values).all():
        raise ExplainError(f"a saliency map is 28x28 finite numbers, got shape {values.shape}")
    if not (_is_int(scale) and 1 <= scale <= 40):
        raise ExplainError(f"scale must be 1 to 40, got {scale!r}")
    limit = float(np.abs(values).max())
    colour, strength = _heat(values, limit)
    grey = (x * 0.6)[..., None] * 255.0  # the digit dimmed, so the colours stand out over the ink
    blended = grey * (1 - strength[..., None]) + colour * strength[..., None]
    blended = np.kron(blended, np.ones((scale, scale, 1)))
    side = IMAGE_SIZE * scale
    font = _font()
    header = 18 if title else 6
    bar_x, bar_w, label_w = side + 12, 14, 64
    picture = Image.new("RGB", (bar_x + bar_w + label_w, side + header + 6), (255, 255, 255))
    picture.paste(Image.fromarray((blended + 0.5).clip(0, 255).astype(np.uint8), "RGB"), (0, header))
    ramp = np.linspace(limit, -limit, side)[:, None].repeat(bar_w, axis=1)
    bar_colour, bar_strength = _heat(ramp, limit)
    bar = bar_colour * bar_strength[..., None]  # over black, like the digit's background
    picture.paste(Image.fromarray((bar + 0.5).clip(0, 255).astype(np.uint8), "RGB"), (bar_x, header))
    draw = ImageDraw.Draw(picture)
    if title:
        draw.text((2, 3), title, fill=(0, 0, 0), font=font)
    for text, row in ((f"+{limit:.3g}", 0), ("0", side // 2 - 5), (f"-{limit:.3g}", side - 11)):
        draw.text((bar_x + bar_w + 4, header + row), text, fill=(0, 0, 0), font=font)
    return _save_png(picture, path)
