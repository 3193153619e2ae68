"""Teach a trained network the class's handwriting: fine-tune it on MNIST mixed with the class set.

:func:`finetune` starts from a model's weights and takes ``steps`` steps of
SGD with momentum. Every batch is mostly MNIST training digits, so the network
keeps what it knew, plus a few of the class's drawings, each a fresh random
variant (:mod:`convviz.augment`: shift, scale, rotation, slant, elastic
distortion, stroke width), so that a handful of drawings generalise to other
writers instead of being memorised. The MNIST part is chosen, not drawn
blindly: two MNIST digits of the class each drawing is (or nearly is) taken for
(a flagged 1, read as 7, beside real 7s), then enough of every other digit to keep
the batch balanced (:func:`_mnist_counts`); without that, a class set of
flagged 1s turned 7 % of MNIST's 7s into 1s. The weights returned are the mean
of snapshots over the second half of the steps, which steadies the result.

Before and after, it measures the same three numbers (:class:`Scores`): the
accuracy on the drawings it was taught, on a held-back part of the class set
it never trains on (:func:`convviz.classset.held_back_split`: whole writers
where the class set names two or more, so that score is on writers the network
was not taught), and on the 10,000 MNIST test digits; the class sees that the
network learnt their digits and did not forget MNIST. Each comes with its count
and 95 % interval (:mod:`convviz.scores`); a held-back part of fewer than ten
drawings gets no score in the summary ("too few held back to say").

The graph is built explicitly (``tf.Graph()``, inference / loss / training from
:mod:`convviz.architectures`, finalized); nothing here knows Qt. The window's
worker runs it in its thread with ``progress`` and ``should_stop`` callbacks;
the CLI runs it with a progress bar (``python main.py finetune``).
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Callable, Mapping

import numpy as np

from convviz import architectures as arch_lib
from convviz.augment import AugmentSettings, augment
from convviz.classset import HELD_BACK_FRACTION, ClassSet, held_back_split, split_kind
from convviz.config import SEED_MAX, TrainConfig
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.data import Mnist
from convviz.errors import ConvVizError
from convviz.scores import held_back_score, score
from convviz.tf1 import tf

# Default steps: the default Teach of the cnn takes at most 30 s on a 2-core laptop CPU, evaluation
# before and after included (bench/teach.py measures it against a plain training step in the same run).
# The defaults below were checked against Adam (1e-4, 2e-4; 16 drawings a batch, batches of 64 and 128),
# SGD at 0.02, 8/12/16 drawings a batch, 100/150/250 steps and no augmentation, on synthetic writers it
# was not taught (bench/cross_writer.py --tune, bench/results/teach_tuning.md): none beat them by more
# than the 95 % interval, and two seeds of one setting differed more than the settings did (the
# augmentation, TEACH_AUGMENT below, was then tried over four seeds).
DEFAULT_STEPS = 150
AVERAGE_EVERY = 5  # steps between the snapshots that are averaged (FinetuneConfig.average_last)
RIVALS = 2  # MNIST digits of its rival class shown per drawing in a batch (see _mnist_counts)
MAX_STEPS = 100_000  # a typo, not a Teach (the shipped cnn trained 14,000 steps)
PHASES = ("before", "training", "after")
# How Teach varies a drawing: turned and slanted further than MNIST varies, and often with a bolder pen (more
# than one pixel's dilation, then clipped): the next student's hurried digit, small and thick. Chosen for Teach
# first: on the tuning writers of bench/cross_writer.py over four seeds the hard hand read 97.6 % on average
# (98.6, 97.1, 97.5, 97.3) against 97.3 % with training's settings then (rotation 10, slant 0.2, thicker 1.0,
# stroke 0.8: 98.0, 96.8, 97.7, 96.6), the normal hand 99.0 against 98.9 %, MNIST unchanged. Training's
# augmentation took the same settings later (convviz.augment.DEFAULT), so Teach varies drawings as training did.
TEACH_AUGMENT = AugmentSettings()


class FinetuneError(ConvVizError, ValueError):
    """The fine-tuning cannot start: a bad setting, an empty class set, weights that do not fit."""


class FinetuneCancelled(Exception):
    """``should_stop()`` returned True: the run ended early and produced no new weights."""


@dataclasses.dataclass(frozen=True)
class FinetuneConfig:
    """How a Teach runs; the defaults are the window's Teach button and ``main.py finetune``'s."""

    steps: int = DEFAULT_STEPS  # see DEFAULT_STEPS for why this many
    batch_size: int = 64  # images per step, as in training
    # of which this many are (varied) drawings of the class, the rest MNIST: 16 learnt the drawings as
    # well and cost MNIST 0.4 points with the continental class set of bench/teach.py (8: 0.1)
    drawn_per_batch: int = 8
    # SGD, not Adam: a fresh Adam moves every weight by about the learning rate whatever its gradient,
    # and cost MNIST 0.1 points with a class set the network already read right (SGD: 0.01); SGD moves
    # the weights only where the loss is, i.e. for the drawings and the digits they are confused with.
    optimizer: str = "sgd"
    learning_rate: float = 0.01  # 0.003 learnt the drawings as well but forgot more MNIST in 150 steps
    momentum: float = 0.9
    held_back: float = HELD_BACK_FRACTION  # share of each digit's drawings kept out of the teaching
    augment: bool = True  # a fresh random variant of a drawing each time it is shown
    balance: bool = True  # MNIST fills in the digits the drawings lack, and the digits they are taken for
    # The weights returned are the mean of snapshots (every AVERAGE_EVERY steps) over this last share of the
    # steps: SGD's last step is noisy; with the flagged 1s of tests/test_finetune.py the MNIST test accuracy
    # after the last step was -0.34, -0.13, -0.11 points over three seeds, after the mean -0.13, -0.17, -0.10.
    average_last: float = 0.5
    seed: int = 0  # batch order, variants, the held-back split and the graph seed
    eval_batch_size: int = 1000  # images per evaluation run

    def validate(self) -> FinetuneConfig:
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or not 1 <= self.steps <= MAX_STEPS:
            raise FinetuneError(f"steps must be a whole number from 1 to {MAX_STEPS}, got {self.steps!r}")
        if not 2 <= self.batch_size <= 4096:
            raise FinetuneError(f"batch size must be from 2 to 4096, got {self.batch_size}")
        if not 1 <= self.drawn_per_batch < self.batch_size:
            raise FinetuneError(
                f"drawings per batch must be from 1 to {self.batch_size - 1} (the rest is MNIST), "
                f"got {self.drawn_per_batch}"
            )
        if self.optimizer not in ("sgd", "adam"):
            raise FinetuneError(f"optimizer must be sgd or adam, got {self.optimizer!r}")
        if not (0 < self.learning_rate <= 1):
            raise FinetuneError(f"learning rate must be in (0, 1], got {self.learning_rate}")
        if not 0 <= self.momentum < 1:
            raise FinetuneError(f"momentum must be in [0, 1), got {self.momentum}")
        if not 0 <= self.average_last <= 1:
            raise FinetuneError(f"the averaged share of the steps must be in [0, 1], got {self.average_last}")
        if not 0 <= self.held_back < 1:
            raise FinetuneError(f"the held-back share must be in [0, 1), got {self.held_back}")
        if not 0 <= self.seed <= SEED_MAX:
            raise FinetuneError(f"seed must be from 0 to {SEED_MAX}, got {self.seed}")
        if not 1 <= self.eval_batch_size <= 10000:
            raise FinetuneError(f"eval batch size must be from 1 to 10000, got {self.eval_batch_size}")
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, eq=False)
class Scores:
    """Accuracies of one set of weights (None where there was nothing to measure)."""

    class_set: float | None  # the taught drawings (as drawn, not varied)
    held_back: float | None  # the held-back drawings; None when no digit had two drawings
    mnist_test: float  # the 10,000 MNIST test digits
    predictions: np.ndarray  # (N,) int64: the digit read for every drawing of the class set, in its order
    probabilities: np.ndarray  # (N, 10) float32: the network's probabilities for every drawing
    counts: tuple = ((0, 0), (0, 0), (0, 0))  # (correct, total) of class_set, held_back, mnist_test

    def to_dict(self) -> dict:
        return {"class_set": self.class_set, "held_back": self.held_back, "mnist_test": self.mnist_test}

    def honest(self) -> dict:
        """Each score with its count and 95 % interval (:meth:`convviz.scores.Score.to_dict`); the held-back
        one None when fewer than ten drawings were held back (too few to say)."""
        (c_ok, c_n), (h_ok, h_n), (m_ok, m_n) = self.counts
        held = held_back_score(h_ok, h_n)
        return {
            "class_set": score(c_ok, c_n).to_dict() if c_n else None,
            "held_back": None if held is None else held.to_dict(),
            "held_back_drawings": h_n,
            "mnist_test": score(m_ok, m_n).to_dict(),
        }


@dataclasses.dataclass(frozen=True)
class FinetuneProgress:
    """What ``progress`` gets: the phase (PHASES), the step (0 outside training) and the batch loss."""

    phase: str
    step: int
    steps: int
    loss: float | None = None


@dataclasses.dataclass(frozen=True, eq=False)
class FinetuneResult:
    """The new weights, the old ones (for Undo: the exact arrays passed in) and the before/after scores."""

    arch: str
    weights: dict  # name -> float32 array: the fine-tuned weights
    weights_before: dict  # the weights passed in, copied
    before: Scores
    after: Scores
    taught: np.ndarray  # indices into the class set of the drawings taught
    held: np.ndarray  # indices of the held-back drawings
    split: str  # "writers" (whole writers held back) or "drawings" (per digit, writers unknown)
    labels: np.ndarray  # the class set's labels (N,)
    config: FinetuneConfig
    train_seconds: float  # the training steps only
    seconds: float  # everything: graph, evaluation before and after, training

    @property
    def drawings(self) -> int:
        return len(self.labels)

    def summary(self) -> dict:
        """Plain numbers for JSON and model.json (no arrays)."""
        return {
            "drawings": self.drawings,
            "taught": len(self.taught),
            "held_back": len(self.held),
            "split": self.split,
            "steps": self.config.steps,
            "seed": self.config.seed,
            "optimizer": self.config.optimizer,
            "learning_rate": self.config.learning_rate,
            "momentum": self.config.momentum,
            "drawn_per_batch": self.config.drawn_per_batch,
            "batch_size": self.config.batch_size,
            "augment": self.config.augment,
            "balance": self.config.balance,
            "average_last": self.config.average_last,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "scores_before": self.before.honest(),
            "scores_after": self.after.honest(),
            "train_seconds": round(self.train_seconds, 3),
            "seconds": round(self.seconds, 3),
        }


ProgressCallback = Callable[[FinetuneProgress], None]


def _weight_name(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[1] in ("kernel", "bias")


class _Graph:
    """The fine-tuning graph: inference, loss, the optimizer, weight assignment, predictions; finalized."""

    def __init__(self, arch: str, config: FinetuneConfig):
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(config.seed)
            self.images = arch_lib.input_placeholder()
            self.labels = tf.placeholder(tf.int64, [None], name="labels")
            endpoints = arch_lib.inference(arch, self.images)
            self.loss = arch_lib.loss(endpoints.logits, self.labels)
            step = tf.train.get_or_create_global_step()
            # a constant rate: decaying it to 5 % by the last step forgot more MNIST (0.11 points, not 0.02),
            # as the network had less time to mend the first steps' overshoot
            optimizer = TrainConfig(
                arch=arch, optimizer=config.optimizer, learning_rate=config.learning_rate, momentum=config.momentum
            )
            self.train_op = arch_lib.training(self.loss, optimizer, step)
            self.predictions = tf.argmax(endpoints.logits, axis=1, name="predictions")
            self.probabilities = tf.nn.softmax(endpoints.logits, name="probabilities")
            self.variables = {v.op.name: v for v in tf.trainable_variables() if _weight_name(v.op.name)}
            self.inputs = {}
            assigns = []
            for name, var in self.variables.items():
                ph = tf.placeholder(var.dtype.base_dtype, var.shape, name=name.replace("/", "_") + "_value")
                self.inputs[name] = ph
                assigns.append(tf.assign(var, ph))
            self.assign = tf.group(*assigns, name="set_weights")
            init = tf.global_variables_initializer()
        self.graph.finalize()
        self.session = tf.Session(graph=self.graph)
        self.session.run(init)

    def set_weights(self, weights: Mapping[str, np.ndarray], arch: str) -> None:
        missing = sorted(set(self.variables) - set(weights))
        if missing:
            raise FinetuneError(f"the weights do not fit {arch}: they lack {', '.join(missing)}")
        feed = {}
        for name, ph in self.inputs.items():
            value = np.asarray(weights[name], dtype=np.float32)
            shape = tuple(ph.shape.as_list())
            if value.shape != shape:
                raise FinetuneError(f"weight {name} has shape {value.shape}, {arch} needs {shape}")
            if not np.isfinite(value).all():
                raise FinetuneError(f"weight {name} holds NaN or infinite values")
            feed[ph] = value
        self.session.run(self.assign, feed)

    def weights(self) -> dict:
        return {k: np.asarray(v, dtype=np.float32) for k, v in self.session.run(self.variables).items()}

    def predict(self, images: np.ndarray, batch: int) -> np.ndarray:
        out = [
            self.session.run(self.predictions, {self.images: images[start : start + batch]})
            for start in range(0, len(images), batch)
        ]
        return np.concatenate(out).astype(np.int64) if out else np.zeros(0, np.int64)

    def probabilities_of(self, images: np.ndarray, batch: int) -> np.ndarray:
        out = [
            self.session.run(self.probabilities, {self.images: images[start : start + batch]})
            for start in range(0, len(images), batch)
        ]
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, NUM_CLASSES), np.float32)

    def step(self, images: np.ndarray, labels: np.ndarray) -> float:
        _, loss = self.session.run([self.train_op, self.loss], {self.images: images, self.labels: labels})
        return float(loss)

    def close(self) -> None:
        self.session.close()


def _accuracy(predictions: np.ndarray, labels: np.ndarray) -> float | None:
    return float(np.mean(predictions == labels)) if len(labels) else None


def finetune(
    arch: str,
    weights: Mapping[str, np.ndarray],
    class_set: ClassSet,
    mnist: Mnist,
    config: FinetuneConfig | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    augment_settings: AugmentSettings = TEACH_AUGMENT,
) -> FinetuneResult:
    """Fine-tune ``arch`` with ``weights`` on MNIST's training set mixed with ``class_set``'s taught part.

    Parameters
    ----------
    arch, weights
        The model to start from (``Model.arch``, ``Model.get_weights()``); not changed.
    class_set
        From :func:`convviz.classset.load_class_set`; split by ``config.held_back`` and ``config.seed``.
    mnist
        Training digits for the batches, test digits for the before/after score.
    progress
        Called with a :class:`FinetuneProgress` when a phase starts and after every step (from the
        calling thread; the window's worker coalesces them).
    should_stop
        Asked before every step and between the phases; True raises :class:`FinetuneCancelled`.

    Raises
    ------
    FinetuneError
        A bad setting, an empty class set, or weights that do not fit ``arch``.
    FinetuneCancelled
        ``should_stop()`` said so.
    """
    config = (config or FinetuneConfig()).validate()
    if len(class_set) == 0:
        raise FinetuneError("the class set is empty: add drawings first")
    images = np.asarray(class_set.images, dtype=np.float32).reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1)
    labels = np.asarray(class_set.labels, dtype=np.int64)
    if labels.min() < 0 or labels.max() >= NUM_CLASSES:
        raise FinetuneError("the class set's labels must be digits 0-9")
    if len(mnist.train_labels) == 0 or len(mnist.test_labels) == 0:
        raise FinetuneError("MNIST's training or test set is empty")
    writers = tuple(class_set.writers) or None
    taught_index, held_index = held_back_split(class_set.files, labels, config.held_back, config.seed, writers)
    weights_before = {k: np.array(v, dtype=np.float32, copy=True) for k, v in weights.items()}

    def report(phase: str, step: int = 0, loss: float | None = None) -> None:
        if progress is not None:
            progress(FinetuneProgress(phase, step, config.steps, loss))

    def check_stop() -> None:
        if should_stop is not None and should_stop():
            raise FinetuneCancelled("teaching was cancelled; the model is unchanged")

    started = time.perf_counter()
    graph = _Graph(arch, config)
    try:
        graph.set_weights(weights_before, arch)
        report("before")
        before = _scores(graph, images, labels, taught_index, held_index, mnist, config.eval_batch_size)
        check_stop()
        report("training")
        rng = np.random.RandomState([config.seed, 1])
        n_mnist = config.batch_size - config.drawn_per_batch
        train_x, train_y = mnist.train_images, mnist.train_labels
        drawn_x, drawn_y = images[taught_index], labels[taught_index]
        by_class = [np.flatnonzero(train_y == c) for c in range(NUM_CLASSES)]
        balance = config.balance and all(len(index) for index in by_class)  # a tiny MNIST subset may lack a digit
        rival = _rivals(before.probabilities[taught_index], drawn_y)  # the digit each drawing is closest to being
        train_started = time.perf_counter()
        total, count = None, 0
        for step in range(1, config.steps + 1):
            check_stop()
            mine = rng.randint(0, len(drawn_y), config.drawn_per_batch)
            if balance:
                counts = _mnist_counts(
                    np.bincount(drawn_y[mine], minlength=NUM_CLASSES),
                    RIVALS * np.bincount(rival[mine], minlength=NUM_CLASSES),
                    config.batch_size,
                    rng,
                )
                pick = np.concatenate([by_class[c][rng.randint(0, len(by_class[c]), n)] for c, n in enumerate(counts)])
            else:
                pick = rng.randint(0, len(train_y), n_mnist)
            shown = drawn_x[mine]
            if config.augment:
                shown = augment(shown, rng, 1, augment_settings)
            x = np.concatenate([train_x[pick], shown])
            y = np.concatenate([train_y[pick], drawn_y[mine]])
            loss = graph.step(x, y)
            if not math.isfinite(loss):
                raise FinetuneError(f"the loss became {loss} at step {step}: lower the learning rate")
            report("training", step, loss)
            if step > (1.0 - config.average_last) * config.steps and (config.steps - step) % AVERAGE_EVERY == 0:
                snapshot = graph.weights()
                total = snapshot if total is None else {k: total[k] + v for k, v in snapshot.items()}
                count += 1
        train_seconds = time.perf_counter() - train_started
        if total is not None:
            graph.set_weights({k: v / count for k, v in total.items()}, arch)
        check_stop()
        report("after", config.steps)
        after = _scores(graph, images, labels, taught_index, held_index, mnist, config.eval_batch_size)
        new_weights = graph.weights()
    finally:
        graph.close()
    return FinetuneResult(
        arch=arch,
        weights=new_weights,
        weights_before=weights_before,
        before=before,
        after=after,
        taught=taught_index,
        held=held_index,
        split=split_kind(writers) if config.held_back > 0 else "drawings",
        labels=labels,
        config=config,
        train_seconds=train_seconds,
        seconds=time.perf_counter() - started,
    )


def _rivals(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For each drawing the digit, other than its own, the network found most likely: what it is
    taken for when misread, and what it is closest to being taken for when read right."""
    others = np.array(probabilities, dtype=np.float64, copy=True)
    others[np.arange(len(labels)), labels] = -1.0
    return others.argmax(axis=1).astype(np.int64)


def _mnist_counts(drawn: np.ndarray, contrast: np.ndarray, batch_size: int, rng: np.random.RandomState) -> np.ndarray:
    """How many MNIST digits of each class a batch takes, given the drawings' counts per class.

    First RIVALS MNIST digits of each drawing's rival (``contrast``, :func:`_rivals`): a flagged
    1, read as 7 or nearly, is shown beside real 7s, so the network learns the difference instead
    of moving all such shapes to 1. Then the batch as a whole is kept as balanced as it can be:
    each digit gets batch_size / 10, the drawings and the rivals count towards theirs, MNIST
    makes up the rest, but every digit keeps at least a quarter of its share (a class set of 1s
    must not crowd out MNIST's own 1s). Measured with 20 flagged 1s (the cnn read 29 % of them;
    16 drawings a batch): blind MNIST batches turned 7 % of MNIST's 7s into 1s (test accuracy
    -1.1 points), balanced -0.3, with one rival per drawing -0.2; with the continental class set
    of bench/teach.py, 8 drawings a batch: one rival -0.05 to -0.28 over three seeds, two -0.11
    to -0.12.
    """
    contrast = np.minimum(contrast, batch_size - int(drawn.sum()))
    n_mnist = batch_size - int(drawn.sum()) - int(contrast.sum())
    fair = batch_size / NUM_CLASSES
    want = np.clip(fair - drawn - contrast, fair / 4, None)  # MNIST keeps some of every digit: its own 1s too
    if want.sum() <= 0:
        want = np.ones(NUM_CLASSES)
    share = want / want.sum() * n_mnist
    counts = np.floor(share).astype(np.int64)
    rest = n_mnist - int(counts.sum())
    if rest > 0:  # the remainders, by chance in proportion to the fractions left
        fractions = share - counts
        extra = rng.choice(NUM_CLASSES, rest, replace=False, p=fractions / fractions.sum())
        counts[extra] += 1
    return counts + contrast


def _scores(
    graph: _Graph,
    images: np.ndarray,
    labels: np.ndarray,
    taught: np.ndarray,
    held: np.ndarray,
    mnist: Mnist,
    batch: int,
) -> Scores:
    probabilities = graph.probabilities_of(images, batch)
    predictions = probabilities.argmax(axis=1).astype(np.int64)
    test = graph.predict(mnist.test_images, batch)
    right = predictions == labels
    return Scores(
        class_set=_accuracy(predictions[taught], labels[taught]),
        held_back=_accuracy(predictions[held], labels[held]),
        mnist_test=float(np.mean(test == mnist.test_labels)),
        predictions=predictions,
        probabilities=probabilities,
        counts=(
            (int(right[taught].sum()), len(taught)),
            (int(right[held].sum()), len(held)),
            (int(np.sum(test == mnist.test_labels)), len(mnist.test_labels)),
        ),
    )
