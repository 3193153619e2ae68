"""The trainer: one TF1 graph and Session per run, three batching strategies.

``Trainer.run()`` is a generator that yields a :class:`BatchEvent` after every
training step and an :class:`EpochEvent` after every epoch's (batched) test
evaluation. It knows nothing of Qt: the GUI's worker thread iterates it, the
CLI prints from it. ``stop()`` may be called from any thread; it takes effect
before the next batch. A pause is the consumer's: it stops pulling events (the
GUI's training job holds the generator at its gate).

The strategies are the exercise's three ways to feed mini-batches:

``numpy``
    a fresh permutation per epoch, each batch fancy-indexed at the last moment
    and fed through placeholders;
``dataset``
    ``tf.data.Dataset.from_tensor_slices`` + shuffle + batch behind an
    initializable iterator (fed from placeholders, so the arrays never become
    graph constants); the same iterator is re-initialised with the test set;
``estimator``
    a ``tf.estimator.Estimator`` whose ``model_fn`` returns an
    ``EstimatorSpec`` for TRAIN, EVAL and PREDICT; a ``SessionRunHook``
    reports each step's loss through the same BatchEvent and can stop the run.
"""

from __future__ import annotations

import math
import queue
import shutil
import tempfile
import threading
import time
from typing import Iterator, Union

import numpy as np

from convviz import architectures as arch_lib
from convviz.augment import augment
from convviz.config import TrainConfig
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.data import DataError, Mnist, batches_per_epoch, minibatches
from convviz.errors import ConvVizError
from convviz.forms import continental_forms
from convviz.rates import checked_learning_rate
from convviz.tf1 import tf


class TrainingError(ConvVizError, RuntimeError):
    """Training cannot go on (for example the loss became NaN); one line for the user."""


def _check_data(data: Mnist) -> None:
    """Reject arrays the graphs cannot take with one line, before TensorFlow sees them."""
    for name in ("train", "test"):
        images, labels = getattr(data, f"{name}_images"), getattr(data, f"{name}_labels")
        if images.ndim != 4 or images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 1) or len(images) != len(labels):
            raise DataError(f"{name} images must be (N, 28, 28, 1) with one label each, got {images.shape}")
        if len(labels) == 0:
            raise DataError(f"the {name} set is empty")
        if labels.min() < 0 or labels.max() >= NUM_CLASSES:
            raise DataError(f"{name} labels must be digits 0-9, found {labels.min()} to {labels.max()}")


class BatchEvent:
    """One training step: ``step`` counts from 1 over the run, ``epoch`` and ``batch`` from 0."""

    __slots__ = (
        "accuracy",
        "batch",
        "batches_per_epoch",
        "effective_rate",
        "epoch",
        "examples_seen",
        "learning_rate",
        "loss",
        "step",
    )

    def __init__(
        self,
        step,
        epoch,
        batch,
        batches_per_epoch,
        examples_seen,
        loss,
        accuracy,
        learning_rate=None,
        effective_rate=None,
    ):
        self.step = int(step)
        self.epoch = int(epoch)
        self.batch = int(batch)
        self.batches_per_epoch = int(batches_per_epoch)
        self.examples_seen = int(examples_seen)
        self.loss = float(loss)
        self.accuracy = float(accuracy)
        # the base rate fed to this step (what set_learning_rate sets) and the optimizer's rate after decay
        self.learning_rate = None if learning_rate is None else float(learning_rate)
        self.effective_rate = None if effective_rate is None else float(effective_rate)

    def __repr__(self) -> str:
        return f"BatchEvent(step={self.step}, epoch={self.epoch}, loss={self.loss:.4f})"


class EpochEvent:
    """One finished epoch: mean training loss, test accuracy, training-loop time and speed."""

    __slots__ = ("epoch", "images_per_second", "seconds", "test_accuracy", "train_loss")

    def __init__(self, epoch, train_loss, test_accuracy, seconds, images_per_second):
        self.epoch = int(epoch)
        self.train_loss = float(train_loss)
        self.test_accuracy = float(test_accuracy)
        self.seconds = float(seconds)
        self.images_per_second = float(images_per_second)

    def __repr__(self) -> str:
        return f"EpochEvent(epoch={self.epoch}, loss={self.train_loss:.4f}, test_acc={self.test_accuracy:.4f})"


Event = Union[BatchEvent, EpochEvent]


def _diverged(loss: float, step: int) -> TrainingError:
    return TrainingError(
        f"the loss became {loss} at step {step}: the learning rate is too high for this network; "
        "lower it and start again"
    )


def _check_finite(loss: float, step: int) -> None:
    if not math.isfinite(loss):
        raise _diverged(loss, step)


class Trainer:
    """Train ``config.arch`` on ``data`` with ``config.batching``; iterate :meth:`run`.

    Parameters
    ----------
    config : TrainConfig
        Validated here; a bad value raises ``ConfigError``.
    data : Mnist
        Training and test arrays; ``config.train_limit`` takes the first N.
    """

    def __init__(self, config: TrainConfig, data: Mnist):
        self.config = config.validate()
        self.data = data.subset(config.train_limit)
        _check_data(self.data)
        self.train_size = len(self.data.train_labels)
        self.batches_per_epoch = batches_per_epoch(self.train_size, config.batch_size)
        self._stop = threading.Event()
        # The base rate the next step is fed (any thread may set it: one float, read once per step).
        self._learning_rate = float(self.config.learning_rate)
        self.history: list[EpochEvent] = []
        self.last_loss: float | None = None
        self.train_seconds = 0.0  # training loop only: no graph building, evaluation or consumer time
        self.images_trained = 0
        strategy = _STRATEGIES[config.batching]
        self._strategy = strategy(self)

    # -- control (any thread) ---------------------------------------------------------------------
    def stop(self) -> None:
        """Ask the run to end before its next batch (pausing is the consumer's: it stops pulling events)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def set_learning_rate(self, rate: float) -> float:
        """The base learning rate from the next step on (any thread); the graph is not rebuilt: the rate is
        a placeholder every step feeds. Returns the checked rate; ConfigError for one outside (0, 10]."""
        self._learning_rate = checked_learning_rate(rate)
        return self._learning_rate

    @property
    def learning_rate(self) -> float:
        """The base rate the next step is fed (before the per-epoch decay)."""
        return self._learning_rate

    # -- running ----------------------------------------------------------------------------------
    def run(self) -> Iterator[Event]:
        """Train ``config.epochs`` epochs, yielding events; returns early after :meth:`stop`."""
        for event in self._strategy.run():
            if isinstance(event, BatchEvent):
                self.last_loss = event.loss
            else:
                self.history.append(event)
            yield event

    def weights(self) -> dict[str, np.ndarray]:
        """Current weights by variable name (``conv1/kernel`` ...), as numpy copies.

        Call between events from the thread iterating :meth:`run`, or after it.
        """
        return self._strategy.weights()

    def evaluate(self) -> float:
        """Test accuracy of the current weights, streamed over the test set in batches."""
        return self._strategy.evaluate()

    @property
    def test_accuracy(self) -> float | None:
        return self.history[-1].test_accuracy if self.history else None

    @property
    def images_per_second(self) -> float:
        return self.images_trained / self.train_seconds if self.train_seconds > 0 else 0.0

    def metadata(self) -> dict:
        """What a saved model records beside its weights."""
        return {
            "config": self.config.to_dict(),
            "train_images": self.train_size,
            "epochs_completed": len(self.history),
            "test_accuracy": self.test_accuracy,
            "final_train_loss": self.history[-1].train_loss if self.history else self.last_loss,
        }

    def close(self) -> None:
        self.stop()
        self._strategy.close()

    def __enter__(self) -> Trainer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _EpochTally:
    """Counts one epoch's steps into events, and the run's totals into the trainer."""

    def __init__(self, trainer: Trainer, epoch: int, first_step: int):
        self.trainer = trainer
        self.epoch = epoch
        self.step = first_step  # the last step taken in the run so far
        self.losses: list[float] = []
        self.seconds = 0.0
        self.images = 0

    def batch(
        self, loss: float, accuracy: float, images: int, seconds: float, rate: float | None = None, effective=None
    ) -> BatchEvent:
        """Record one step (raises TrainingError if the loss is not finite) and describe it."""
        t = self.trainer
        loss, images = float(loss), int(images)
        self.step += 1
        self.seconds += seconds
        self.images += images
        t.train_seconds += seconds
        t.images_trained += images
        _check_finite(loss, self.step)
        self.losses.append(loss)
        return BatchEvent(
            self.step,
            self.epoch,
            len(self.losses) - 1,
            t.batches_per_epoch,
            t.images_trained,
            loss,
            accuracy,
            rate,
            effective,
        )

    def end(self, test_accuracy: float) -> EpochEvent:
        speed = self.images / max(self.seconds, 1e-9)
        return EpochEvent(self.epoch, np.mean(self.losses), test_accuracy, self.seconds, speed)


def _is_weight_name(name: str) -> bool:
    """``conv1/kernel`` and ``fc1/bias`` are weights; optimizer slots and counters are not."""
    parts = name.split("/")
    return len(parts) == 2 and parts[1] in ("kernel", "bias")


def _weight_variables() -> dict[str, tf.Variable]:
    """The network's weights in the current graph, by name (what a Model loads)."""
    return {v.op.name: v for v in tf.trainable_variables() if _is_weight_name(v.op.name)}


def _without_autotune(dataset):
    """Switch tf.data's autotuning off: this pipeline has nothing to tune (fixed prefetch, no
    parallel map), and with it on, re-initialising the iterator each epoch could stall ~2 s
    (measured in bench/probe_input.py)."""
    options = tf.data.Options()
    try:
        options.autotune.enabled = False  # TF 2.x
    except AttributeError:
        options.experimental_optimization.autotune = False  # TF 1.15
    return dataset.with_options(options)


class _GraphStrategy:
    """numpy and dataset: the trainer's own graph and Session, stepped by hand."""

    def __init__(self, trainer: Trainer):
        self.trainer = trainer
        self.config = trainer.config
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(self.config.seed)
            self._build_input()
            self.endpoints = arch_lib.inference(self.config.arch, self.images)
            logits = self.endpoints.logits
            self.loss = arch_lib.loss(logits, self.labels)
            self.batch_accuracy = arch_lib.batch_accuracy(logits, self.labels)
            self.global_step = tf.train.get_or_create_global_step()
            self.rate = arch_lib.learning_rate_input(self.config)
            self.train_op = arch_lib.training(
                self.loss, self.config, self.global_step, trainer.batches_per_epoch, rate=self.rate
            )
            self.effective_rate = self.graph.get_tensor_by_name("effective_learning_rate:0")
            with tf.variable_scope("test"):
                # the update op runs per test batch, the value op once after the last one
                self.acc_value, self.acc_update = tf.metrics.accuracy(self.labels, tf.argmax(logits, axis=1))
                self.acc_vars = tf.local_variables(scope="test")
            self.model_vars = _weight_variables()
            init = tf.global_variables_initializer()
            self.reset_metrics = tf.variables_initializer(self.acc_vars)
        self.graph.finalize()  # an op created by accident in the loop now fails loudly
        self.session = tf.Session(graph=self.graph)
        self.session.run(init)

    def _build_input(self) -> None:
        raise NotImplementedError

    def _epoch_steps(self, epoch: int) -> Iterator[tuple]:
        """Yield (loss, batch accuracy, batch size, base rate, effective rate) for each step of one epoch."""
        raise NotImplementedError

    def run(self) -> Iterator[Event]:
        t = self.trainer
        step = 0
        for epoch in range(self.config.epochs):
            tally = _EpochTally(t, epoch, step)
            steps = self._epoch_steps(epoch)
            for _ in range(t.batches_per_epoch):
                if t.stopped:
                    return
                start = time.perf_counter()
                loss, acc, n, rate, effective = next(steps)
                yield tally.batch(loss, acc, n, time.perf_counter() - start, rate, effective)
            step = tally.step
            yield tally.end(self.evaluate())

    def weights(self) -> dict[str, np.ndarray]:
        return dict(self.session.run(self.model_vars))

    def close(self) -> None:
        self.session.close()


class _NumpyStrategy(_GraphStrategy):
    def _build_input(self) -> None:
        self.images = arch_lib.input_placeholder()
        self.labels = tf.placeholder(tf.int64, [None], name="labels")

    def _epoch_steps(self, epoch: int) -> Iterator[tuple]:
        data = self.trainer.data
        rng = np.random.RandomState([self.config.seed, epoch])
        fetches = [self.train_op, self.loss, self.batch_accuracy, self.effective_rate]
        for x, y in minibatches(data.train_images, data.train_labels, self.config.batch_size, rng):
            if self.config.forms:  # before augment, so that the new strokes are varied with the digit
                x = continental_forms(x, y, rng)
            if self.config.augment:  # after the permutation: runs without it draw the same batches as before
                x = augment(x, rng, 1)
            rate = self.trainer.learning_rate
            _, loss, acc, effective = self.session.run(fetches, {self.images: x, self.labels: y, self.rate: rate})
            yield loss, acc, len(y), rate, effective

    def evaluate(self) -> float:
        data, size = self.trainer.data, self.config.eval_batch_size
        self.session.run(self.reset_metrics)
        for start in range(0, len(data.test_labels), size):
            feed = {
                self.images: data.test_images[start : start + size],
                self.labels: data.test_labels[start : start + size],
            }
            self.session.run(self.acc_update, feed)
        return float(self.session.run(self.acc_value))


class _DatasetStrategy(_GraphStrategy):
    def _build_input(self) -> None:
        with tf.name_scope("input"):
            self._x = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 1], name="x")
            self._y = tf.placeholder(tf.int64, [None], name="y")
            self._batch = tf.placeholder(tf.int64, [], name="batch_size")
            self._buffer = tf.placeholder(tf.int64, [], name="shuffle_buffer")
            self._seed = tf.placeholder(tf.int64, [], name="shuffle_seed")
            dataset = (
                tf.data.Dataset.from_tensor_slices((self._x, self._y))
                .shuffle(self._buffer, seed=self._seed)
                .batch(self._batch)
                .prefetch(1)
            )
            self._iterator = tf.data.make_initializable_iterator(_without_autotune(dataset))
            next_x, next_y = self._iterator.get_next()
        # Feedable, so the same graph can also show the activations of any image.
        self.images = tf.placeholder_with_default(next_x, [None, IMAGE_SIZE, IMAGE_SIZE, 1], name="images")
        self.labels = next_y
        self._batch_len = tf.shape(next_y)[0]

    def _start(self, images, labels, batch_size: int, shuffle: bool, seed: int) -> None:
        feed = {
            self._x: images,
            self._y: labels,
            self._batch: batch_size,
            self._buffer: len(labels) if shuffle else 1,
            self._seed: seed,
        }
        self.session.run(self._iterator.initializer, feed)

    def _epoch_steps(self, epoch: int) -> Iterator[tuple]:
        data = self.trainer.data
        self._start(data.train_images, data.train_labels, self.config.batch_size, True, self.config.seed * 1000 + epoch)
        fetches = [self.train_op, self.loss, self.batch_accuracy, self._batch_len, self.effective_rate]
        while True:
            rate = self.trainer.learning_rate
            _, loss, acc, n, effective = self.session.run(fetches, {self.rate: rate})
            yield loss, acc, n, rate, effective

    def evaluate(self) -> float:
        data = self.trainer.data
        self._start(data.test_images, data.test_labels, self.config.eval_batch_size, False, 0)
        self.session.run(self.reset_metrics)
        while True:
            try:
                self.session.run(self.acc_update)
            except tf.errors.OutOfRangeError:
                break
        return float(self.session.run(self.acc_value))


class _IteratorInitHook(tf.train.SessionRunHook):
    """Runs an initializable iterator's initializer, feeding numpy arrays, once the session exists.

    Feeding placeholders keeps the 188 MB training set out of the graph (and out
    of the graph.pbtxt the Estimator writes).
    """

    def __init__(self) -> None:
        self.initializer = None
        self.feed: dict = {}

    def after_create_session(self, session, coord) -> None:
        session.run(self.initializer, self.feed)


def _input_fn(images, labels, batch_size: int, shuffle_seed: int | None, hook: _IteratorInitHook):
    def input_fn():
        x = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 1], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")
        dataset = tf.data.Dataset.from_tensor_slices((x, y))
        if shuffle_seed is not None:
            dataset = dataset.shuffle(len(labels), seed=shuffle_seed)
        iterator = tf.data.make_initializable_iterator(_without_autotune(dataset.batch(batch_size).prefetch(1)))
        hook.initializer = iterator.initializer
        hook.feed = {x: images, y: labels}
        return iterator.get_next()

    return input_fn


class _ReportHook(tf.train.SessionRunHook):
    """Hands each step's loss to the trainer's generator and waits for its go-ahead.

    The estimator trains in its own thread; this hook makes it move in
    lockstep with the consumer, so a stop takes effect within one batch and the
    consumer can read the weights while the step is held.
    """

    def __init__(self, strategy: _EstimatorStrategy, loss, accuracy, batch_len, rate, effective_rate) -> None:
        self._strategy = strategy
        self._rate = rate  # the base rate's placeholder: fed each step, so a change applies to the next one
        self._fed = None
        self._fetches = {"loss": loss, "accuracy": accuracy, "n": batch_len, "rate": effective_rate}

    def begin(self) -> None:
        self._variables = _weight_variables()

    def after_create_session(self, session, coord) -> None:
        self._strategy.session = session
        self._strategy.session_variables = self._variables
        self._resumed = time.perf_counter()

    def before_run(self, run_context):
        self._fed = self._strategy.trainer.learning_rate
        return tf.train.SessionRunArgs(self._fetches, feed_dict={self._rate: self._fed})

    def after_run(self, run_context, run_values) -> None:
        values = run_values.results
        elapsed = time.perf_counter() - self._resumed
        rates = (self._fed, values["rate"])
        self._strategy.events.put(("step", values["loss"], values["accuracy"], values["n"], elapsed, rates))
        if self._strategy.acks.get() == "stop":
            run_context.request_stop()
        self._resumed = time.perf_counter()

    def end(self, session) -> None:
        self._strategy.session = None


class _EstimatorStrategy:
    """tf.estimator: the Estimator owns graph and Session; each epoch is one ``train`` call."""

    def __init__(self, trainer: Trainer):
        self.trainer = trainer
        self.config = trainer.config
        self.model_dir = tempfile.mkdtemp(prefix="convviz-estimator-")
        self.events: queue.Queue = queue.Queue()
        self.acks: queue.Queue = queue.Queue()
        self.session = None  # the live training session while an epoch runs
        self.session_variables: dict[str, tf.Variable] = {}
        run_config = tf.estimator.RunConfig(
            model_dir=self.model_dir,
            tf_random_seed=self.config.seed,
            save_summary_steps=None,  # no TensorBoard event files: nobody reads them here
            save_checkpoints_steps=10**9,  # only the checkpoint at the end of each train() call
            save_checkpoints_secs=None,
            keep_checkpoint_max=1,
            log_step_count_steps=None,
        )
        self.estimator = tf.estimator.Estimator(model_fn=self._model_fn, config=run_config)

    def _model_fn(self, features, labels, mode, params=None):
        endpoints = arch_lib.inference(self.config.arch, features)
        logits = endpoints.logits
        classes = tf.argmax(logits, axis=1)
        predictions = {"classes": classes, "probabilities": tf.nn.softmax(logits)}
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions=predictions)
        loss = arch_lib.loss(logits, labels)
        if mode == tf.estimator.ModeKeys.EVAL:
            metrics = {"accuracy": tf.metrics.accuracy(labels, classes)}
            return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
        step = tf.train.get_or_create_global_step()
        rate = arch_lib.learning_rate_input(self.config)
        train_op = arch_lib.training(loss, self.config, step, self.trainer.batches_per_epoch, rate=rate)
        effective = tf.get_default_graph().get_tensor_by_name("effective_learning_rate:0")
        hook = _ReportHook(self, loss, arch_lib.batch_accuracy(logits, labels), tf.shape(labels)[0], rate, effective)
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, training_hooks=[hook])

    def _train_epoch(self, epoch: int) -> None:
        data = self.trainer.data
        init = _IteratorInitHook()
        fn = _input_fn(
            data.train_images, data.train_labels, self.config.batch_size, self.config.seed * 1000 + epoch, init
        )
        try:
            self.estimator.train(fn, hooks=[init])
        except BaseException as exc:  # delivered to the consumer, which re-raises it
            self.events.put(("error", exc))
        else:
            self.events.put(("done",))

    def run(self) -> Iterator[Event]:
        t = self.trainer
        step = 0
        for epoch in range(self.config.epochs):
            if t.stopped:
                return
            thread = threading.Thread(target=self._train_epoch, args=(epoch,), name="convviz-estimator", daemon=True)
            thread.start()
            tally = _EpochTally(t, epoch, step)
            stopped = False
            try:
                while True:
                    message = self.events.get()
                    if message[0] == "done":
                        break
                    if message[0] == "error":
                        if isinstance(message[1], tf.train.NanLossDuringTrainingError):
                            # the Estimator's own NanTensorHook may see it before our hook does
                            raise _diverged(float("nan"), tally.step + 1) from None
                        raise message[1]
                    _, loss, acc, n, elapsed, (rate, effective) = message
                    try:
                        yield tally.batch(loss, acc, n, elapsed, rate, effective)
                        go_on = not t.stopped
                    except BaseException:
                        self.acks.put("stop")
                        raise
                    self.acks.put("go" if go_on else "stop")
                    stopped = stopped or not go_on
            finally:
                # However the consumer left (stop, error, closed generator), let the thread finish.
                while thread.is_alive():
                    try:
                        message = self.events.get(timeout=0.1)
                    except queue.Empty:
                        continue
                    if message[0] == "step":
                        self.acks.put("stop")
                thread.join()
                while not self.events.empty():  # a "done" or "error" the loop above did not take
                    self.events.get_nowait()
            if stopped:
                return
            step = tally.step
            yield tally.end(self.evaluate())

    def evaluate(self) -> float:
        data = self.trainer.data
        init = _IteratorInitHook()
        fn = _input_fn(data.test_images, data.test_labels, self.config.eval_batch_size, None, init)
        results = self.estimator.evaluate(fn, hooks=[init])
        return float(results["accuracy"])

    def weights(self) -> dict[str, np.ndarray]:
        session = self.session
        if session is not None:
            return dict(session.run(self.session_variables))
        if not tf.train.latest_checkpoint(self.model_dir):
            raise TrainingError("the estimator has no weights yet: train at least one step first")
        names = self.estimator.get_variable_names()
        return {n: self.estimator.get_variable_value(n) for n in names if _is_weight_name(n)}

    def close(self) -> None:
        shutil.rmtree(self.model_dir, ignore_errors=True)


_STRATEGIES = {"numpy": _NumpyStrategy, "dataset": _DatasetStrategy, "estimator": _EstimatorStrategy}
