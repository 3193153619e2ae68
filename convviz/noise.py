"""What a batch size does to the gradient and to memory, measured at given weights.

:class:`GradientProbe` holds one graph of a network (no optimizer) and computes the mean gradient
of the loss over any images, flattened to one vector. From it :func:`noise_reading` measures, at
the same weights for every batch size:

* the cosine between a mini-batch gradient and the gradient of a large sample (10,000 images),
  averaged over ``n_batches`` mini-batches per B: how well one step points where the whole data
  set wants to go;
* the simple noise scale ``B_simple = tr(Sigma) / |G|^2`` of McCandlish et al. 2018 ("An Empirical
  Model of Large-Batch Training", arXiv:1812.06162), estimated as in their appendix A.1 from the
  squared norms of gradients at two batch sizes: ``E|G_B|^2 = |G|^2 + tr(Sigma) / B``, so with
  ``B_small`` (the mini-batches) and ``B_big`` (the large sample)

      |G|^2    ~ (B_big |G_big|^2 - B_small |G_small|^2) / (B_big - B_small)
      tr(Sigma) ~ (|G_small|^2 - |G_big|^2) / (1 / B_small - 1 / B_big)

  each averaged over the mini-batches before the ratio is taken (the ratio of two noisy estimates
  is biased; their means are not).

:func:`step_memory` traces one training step and reads TensorFlow's allocation records: the peak of
the running sum of what the step allocated (activations, their gradients, temporaries), plus the fed
batch and the weights, which live outside the step's allocations. Where the activations dominate (a
conv net, a large B) it lands within 30 % of :mod:`convviz.memory`'s prediction (TensorFlow frees a
layer's tensors once their gradients are taken, so it tends to lie below). Where the weights dominate
(the dense net at a small B) it lies above it: the step also allocates the weights' gradients and the
optimizer's update temporaries, which the exercise's rule (weights once) leaves out. TensorFlow only,
no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz import architectures as arch_lib
from convviz.config import TrainConfig
from convviz.memory import parameter_count
from convviz.tf1 import tf

LARGE_SAMPLE = 10_000  # images whose mean gradient stands for the whole data set's
NOISE_BATCHES = 20  # mini-batches per batch size the cosine and |G_B|^2 are averaged over
CHUNK = 1000  # images per run when a gradient is taken over many
PAPER_MNIST_B_SIMPLE = 20.0  # McCandlish et al. 2018, fig. 4 / table 1: MNIST's noise scale, order of magnitude


class GradientProbe:
    """One network's loss gradient (and accuracy) at weights set by :meth:`set_weights` (its own graph and session)."""

    def __init__(self, arch: str):
        self.arch = arch
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.images = arch_lib.input_placeholder()
            self.labels = tf.placeholder(tf.int64, [None], name="labels")
            endpoints = arch_lib.inference(arch, self.images)
            loss = arch_lib.loss(endpoints.logits, self.labels)
            self.correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(endpoints.logits, axis=1), self.labels), tf.int64))
            self.variables = {v.op.name: v for v in tf.trainable_variables()}
            grads = tf.gradients(loss, list(self.variables.values()))
            self.gradient_op = tf.concat([tf.reshape(g, [-1]) for g in grads], axis=0)
            self._inputs = {n: tf.placeholder(v.dtype.base_dtype, v.shape) for n, v in self.variables.items()}
            self._assign = tf.group(*[v.assign(self._inputs[n]) for n, v in self.variables.items()])
            init = tf.global_variables_initializer()
        self.graph.finalize()
        self.session = tf.Session(graph=self.graph)
        self.session.run(init)

    def set_weights(self, weights) -> None:
        feed = {self._inputs[n]: np.asarray(weights[n], np.float32) for n in self.variables}
        self.session.run(self._assign, feed)

    def gradient(self, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """The mean gradient over ``images`` (in chunks of CHUNK), float64."""
        total, n = None, len(labels)
        for start in range(0, n, CHUNK):
            x, y = images[start : start + CHUNK], labels[start : start + CHUNK]
            g = self.session.run(self.gradient_op, {self.images: x, self.labels: y}).astype(np.float64) * len(y)
            total = g if total is None else total + g
        return total / n

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        """The share of ``images`` the weights set classify right (in chunks of CHUNK)."""
        right = 0
        for start in range(0, len(labels), CHUNK):
            feed = {self.images: images[start : start + CHUNK], self.labels: labels[start : start + CHUNK]}
            right += int(self.session.run(self.correct, feed))
        return right / max(len(labels), 1)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> GradientProbe:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class NoiseReading:
    """The meter at one set of weights."""

    step: int  # the steps the shared weights had trained (their label)
    batch_sizes: tuple  # the B measured
    cosines: tuple  # per B: mean cosine between a mini-batch gradient and the large sample's
    cosine_spread: tuple  # per B: the standard deviation of those cosines
    norms: tuple  # per B: mean |G_B|^2
    large_norm: float  # |G_big|^2 of the large sample
    large_size: int
    gradient_norm: float  # |G|^2 estimated (appendix A.1)
    trace_sigma: float  # tr(Sigma) estimated
    b_simple: float  # tr(Sigma) / |G|^2 (inf when |G|^2 came out <= 0: the gradient is lost in the noise)

    def to_dict(self) -> dict:
        return {
            "step": self.step,
            "b_simple": self.b_simple if np.isfinite(self.b_simple) else None,
            "gradient_norm": self.gradient_norm,
            "trace_sigma": self.trace_sigma,
            "large_sample": self.large_size,
            "cosines": dict(zip(map(str, self.batch_sizes), self.cosines)),
        }


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / denominator if denominator > 0 else 0.0


def noise_reading(
    probe: GradientProbe,
    weights,
    images: np.ndarray,
    labels: np.ndarray,
    batch_sizes,
    seed: int = 0,
    n_batches: int = NOISE_BATCHES,
    large: int = LARGE_SAMPLE,
    step: int = 0,
) -> NoiseReading:
    """The meter at ``weights`` over the training ``images``; the same ``seed``, the same mini-batches."""
    probe.set_weights(weights)
    rng = np.random.RandomState(seed)
    n = len(labels)
    large = min(int(large), n)
    sample = rng.choice(n, large, replace=False) if large < n else np.arange(n)
    g_big = probe.gradient(images[sample], labels[sample])
    big_norm = float(g_big @ g_big)
    cosines, spreads, norms = [], [], []
    for b in batch_sizes:
        b = min(int(b), n)
        values, squares = [], []
        for _ in range(int(n_batches)):
            index = rng.choice(n, b, replace=False)
            g = probe.gradient(images[index], labels[index])
            values.append(_cosine(g, g_big))
            squares.append(float(g @ g))
        cosines.append(float(np.mean(values)))
        spreads.append(float(np.std(values)))
        norms.append(float(np.mean(squares)))
    b_small = min(int(b) for b in batch_sizes)
    small_norm = norms[[int(b) for b in batch_sizes].index(b_small)]
    if large > b_small:
        g2 = (large * big_norm - b_small * small_norm) / (large - b_small)
        trace = (small_norm - big_norm) / (1.0 / b_small - 1.0 / large)
    else:  # no larger sample than the mini-batch: nothing to compare
        g2, trace = big_norm, 0.0
    b_simple = trace / g2 if g2 > 0 else float("inf")
    return NoiseReading(
        int(step),
        tuple(int(b) for b in batch_sizes),
        tuple(cosines),
        tuple(spreads),
        tuple(norms),
        big_norm,
        large,
        float(g2),
        float(trace),
        float(b_simple),
    )


def step_memory(config: TrainConfig, images: np.ndarray, labels: np.ndarray) -> int:
    """Bytes one training step of ``config`` on this batch needs, measured (see the module docstring)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(config.seed)
        x = arch_lib.input_placeholder()
        y = tf.placeholder(tf.int64, [None], name="labels")
        loss = arch_lib.loss(arch_lib.inference(config.arch, x).logits, y)
        step = tf.train.get_or_create_global_step()
        train = arch_lib.training(loss, config, step, rate=arch_lib.learning_rate_input(config))
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as session:
        session.run(init)
        feed = {x: images, y: labels}
        session.run(train, feed)  # the first step allocates once-only buffers: not the step's own
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        metadata = tf.RunMetadata()
        session.run(train, feed, options=options, run_metadata=metadata)
    records = []
    for device in metadata.step_stats.dev_stats:
        for node in device.node_stats:
            for memory in node.memory:
                records.extend((r.alloc_micros, r.alloc_bytes) for r in memory.allocation_records)
    records.sort()
    peak = int(max(np.cumsum([b for _, b in records]).max(), 0)) if records else 0
    fed = int(np.asarray(images, np.float32).nbytes)  # the labels (8 bytes an image) are left out, as memory does
    return peak + fed + 4 * parameter_count(config.arch)
