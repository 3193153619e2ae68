"""Batched gradient and activation ops that the adversarial lab, the trusted saliency and the top-9 view share.

:class:`Probes` adds, to an :class:`~convviz.explain.Explainer`'s graph before it is
finalized, the ops that take a whole batch at once:

* the cross-entropy loss of each image for a given label and its gradient with
  respect to the input (FGSM and PGD climb it, or descend it toward a target);
* each image's logit of a given class and its gradient (Integrated Gradients and
  SmoothGrad average it over many images of one digit);
* per conv channel, the largest activation over all positions and where it is
  (the top-9 view's one pass over the test set; the max is taken in the graph,
  so only (N, C) numbers leave the session per layer).

The Explainer runs them in its owner thread (its methods are ``owned``); nothing
here keeps a session.
"""

from __future__ import annotations

import numpy as np

from convviz.constants import NUM_CLASSES
from convviz.tf1 import tf


class Probes:
    """The ops; build inside the graph (``with graph.as_default()``), before ``finalize``."""

    def __init__(self, images, logits, layers: dict):
        self.images = images
        self.logits = logits
        self.labels = tf.placeholder(tf.int32, [None], name="probe_labels")
        self.losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.labels, logits=logits)
        # The images of a batch are independent: the gradient of the batch's sum is each image's own.
        self.loss_gradient = tf.gradients(tf.reduce_sum(self.losses), images)[0]
        self.classes = tf.placeholder(tf.int32, [None], name="probe_classes")
        chosen = tf.reduce_sum(logits * tf.one_hot(self.classes, NUM_CLASSES, dtype=logits.dtype), axis=1)
        self.class_logits = chosen
        self.logit_gradient = tf.gradients(chosen, images)[0]
        # Conv channels: the layer outputs that are a ReLU of a 4-D tensor (pools and dense layers are not).
        self.conv_names = [n for n, out in layers.items() if out.op.type == "Relu" and out.shape.ndims == 4]
        self.peaks = {}
        for name in self.conv_names:
            out = layers[name]
            height, width, channels = (int(d) for d in out.shape[1:])
            flat = tf.reshape(out, [-1, height * width, channels])
            self.peaks[name] = (tf.reduce_max(flat, axis=1), tf.argmax(flat, axis=1, output_type=tf.int32))
        self.shapes = {n: tuple(int(d) for d in layers[n].shape[1:]) for n in self.conv_names}

    def loss_gradients(self, session, x: np.ndarray, labels: np.ndarray):
        """(gradients (N, 28, 28, 1), losses (N,), logits (N, 10)) for batch ``x`` and its ``labels``."""
        return session.run(
            [self.loss_gradient, self.losses, self.logits], {self.images: x, self.labels: labels.astype(np.int32)}
        )

    def logit_gradients(self, session, x: np.ndarray, classes: np.ndarray):
        """(gradients (N, 28, 28, 1), the chosen logits (N,), logits (N, 10)) for batch ``x`` and ``classes``."""
        return session.run(
            [self.logit_gradient, self.class_logits, self.logits],
            {self.images: x, self.classes: classes.astype(np.int32)},
        )

    def channel_peaks(self, session, x: np.ndarray) -> dict:
        """{conv layer: (max over positions (N, C), flat position of that max (N, C))} for batch ``x``."""
        return session.run(self.peaks, {self.images: x})
