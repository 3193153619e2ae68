"""A model that answers for many digits at once: every layer's activations and the loss's weight gradients.

The embedding view (:mod:`convviz.embedding`) and the training diagnostics
(:mod:`convviz.diagnostics`) look at 1,000-2,000 test digits per snapshot;
:class:`LayerProbe` runs them through in batches and hands back numpy. Like
every :class:`~convviz.model.Model` it belongs to the thread that made it.
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from convviz.architectures import loss as loss_op
from convviz.embedding import patch_counts, pool_factor
from convviz.model import Model, as_batch, owned
from convviz.tf1 import tf

BATCH_SIZE = 250  # digits per run: the cnn's conv1 maps of a batch take 50 MB


class LayerProbe(Model):
    """Inference plus the loss's gradients with respect to each kernel, for batches of labelled digits."""

    def _build_extras(self) -> None:
        self._labels = tf.placeholder(tf.int64, [None], name="probe_labels")
        self._loss = loss_op(self.endpoints.logits, self._labels)
        kernels = dict(self.endpoints.kernels)
        grads = tf.gradients(self._loss, list(kernels.values()))
        self._kernel_gradients = dict(zip(kernels, grads))
        # The embedding's features: each map averaged down in the graph (on every core, and 50 MB of the
        # cnn's conv1 maps per batch never reach numpy); equal to convviz.embedding.reduce_maps.
        self._features: dict[str, tf.Tensor] = {}
        self._factors: dict[str, int] = {}
        with tf.name_scope("features"):
            for name, tensor in self.endpoints.layers.items():
                shape = [int(d) for d in tensor.shape[1:]]
                factor = pool_factor(shape)
                self._factors[name] = factor
                self._features[name] = _averaged_down(tensor, shape, factor)

    @property
    def layer_names(self) -> list[str]:
        """Every layer with an activation (conv, pool, dense, logits), input to output."""
        return list(self.endpoints.layers)

    @property
    def relu_layers(self) -> list[str]:
        """The layers followed by a ReLU: conv and hidden dense layers (the logits have none, pools only pass it on)."""
        return [name for name, t in self.endpoints.layers.items() if t.op.type == "Relu"]

    @owned
    def batched_activations(
        self, images: np.ndarray, batch_size: int = BATCH_SIZE, should_stop: Callable[[], bool] | None = None
    ) -> Iterator[dict[str, np.ndarray]]:
        """For each batch of ``images``: layer name -> activations (n, ...) in layer order.

        A generator, so the caller may reduce each batch before the next one exists (the
        conv maps of 2,000 digits would take 400 MB). ``should_stop()`` between batches ends it.
        """
        names = self.layer_names
        yield from self._batched({n: self.endpoints.layers[n] for n in names}, images, batch_size, should_stop)

    @owned
    def batched_features(
        self,
        images: np.ndarray,
        layers: list[str] | None = None,
        batch_size: int = BATCH_SIZE,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[dict[str, np.ndarray]]:
        """For each batch of ``images``: layer name -> (n, features), each conv map averaged over
        :meth:`factor` x :meth:`factor` patches (:func:`convviz.embedding.reduce_maps`), for ``layers``
        (default: all) in layer order. ``should_stop()`` between batches ends it."""
        names = [n for n in self.layer_names if layers is None or n in layers]
        yield from self._batched({n: self._features[n] for n in names}, images, batch_size, should_stop)

    def _batched(self, tensors: dict, images: np.ndarray, batch_size: int, should_stop) -> Iterator[dict]:
        """``tensors`` (name -> tensor) evaluated for each batch of ``images``; ``should_stop()`` between
        batches ends it."""
        x = as_batch(images)
        for start in range(0, len(x), batch_size):
            if should_stop is not None and start and should_stop():
                return
            yield dict(
                zip(tensors, self.session.run(list(tensors.values()), {self._images: x[start : start + batch_size]}))
            )

    def factor(self, layer: str) -> int:
        """The patch side :meth:`batched_features` averages ``layer``'s maps over (1: as they are)."""
        return self._factors[layer]

    @owned
    def kernel_gradients(self, images: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
        """The mean loss's gradient with respect to each kernel over ``images`` (one batch), by layer."""
        x = as_batch(images)
        feed = {self._images: x, self._labels: np.asarray(labels, np.int64)}
        return dict(self.session.run(self._kernel_gradients, feed))


def _averaged_down(tensor, shape: list[int], factor: int):
    """(n, H, W, C) -> (n, ceil(H/f) * ceil(W/f) * C): the mean of each f x f patch, edge patches over what
    is there (padding at the bottom and right only, as reduce_maps does); other shapes flattened."""
    if len(shape) != 3 or factor <= 1:
        return tf.reshape(tensor, [-1, int(np.prod(shape))])
    h, w, c = shape
    hh, ww = -(-h // factor), -(-w // factor)
    padded = tf.pad(tensor, [[0, 0], [0, hh * factor - h], [0, ww * factor - w], [0, 0]])
    sums = tf.nn.avg_pool(padded, [1, factor, factor, 1], [1, factor, factor, 1], "VALID") * float(factor * factor)
    counts = patch_counts(h, w, factor)
    return tf.reshape(sums / tf.constant(counts[None, :, :, None]), [-1, hh * ww * c])
