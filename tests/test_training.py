"""The Trainer on small slices of real MNIST: learning, events, control, errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from convviz.config import ARCHITECTURES, BATCHINGS, SEED_MAX, TrainConfig
from convviz.data import DataError
from convviz.errors import ConfigError
from convviz.model import Model
from convviz.training import BatchEvent, EpochEvent, Trainer, TrainingError


def _batches(events):
    return [e for e in events if isinstance(e, BatchEvent)]


def _epochs(events):
    return [e for e in events if isinstance(e, EpochEvent)]


@pytest.mark.parametrize("batching", BATCHINGS)
def test_dense_learns(small_mnist, batching):
    config = TrainConfig(arch="dense", batching=batching, batch_size=50, epochs=3, seed=0)
    with Trainer(config, small_mnist) as trainer:
        events = list(trainer.run())
    losses = np.array([e.loss for e in _batches(events)])
    epochs = _epochs(events)
    assert len(losses) == 3 * 40
    assert losses[:10].mean() > 1.5  # chance level is ln(10) = 2.3
    assert losses[-10:].mean() < 0.6 * losses[:10].mean()
    assert [e.epoch for e in epochs] == [0, 1, 2]
    assert epochs[-1].train_loss < epochs[0].train_loss
    assert epochs[-1].test_accuracy > 0.82  # 2,000 images, 3 epochs; chance is 0.1
    assert trainer.test_accuracy == epochs[-1].test_accuracy


def test_cnn_learns(small_mnist):
    config = TrainConfig(arch="cnn", batching="numpy", batch_size=64, epochs=1, seed=0)
    with Trainer(config, small_mnist) as trainer:
        events = list(trainer.run())
    assert _epochs(events)[0].test_accuracy > 0.7
    assert trainer.images_trained == 2000
    assert trainer.images_per_second > 0


@pytest.mark.parametrize("batching", BATCHINGS)
@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_network_steps_with_every_strategy(tiny_mnist, arch, batching):
    config = TrainConfig(arch=arch, batching=batching, batch_size=100, epochs=1, eval_batch_size=128)
    with Trainer(config, tiny_mnist) as trainer:
        events = list(trainer.run())
        weights = trainer.weights()
    batches = _batches(events)
    assert [e.batch for e in batches] == [0, 1, 2]  # 256 images in batches of 100: 100, 100, 56
    assert [e.examples_seen for e in batches] == [100, 200, 256]
    assert all(e.batches_per_epoch == 3 and np.isfinite(e.loss) for e in batches)
    assert isinstance(events[-1], EpochEvent) and 0 <= events[-1].test_accuracy <= 1
    with Model(arch) as model:
        assert sorted(weights) == sorted(model.variable_names)


@pytest.mark.parametrize("batching", BATCHINGS)
def test_streaming_evaluation_matches_the_model(small_mnist, batching):
    """Batched test accuracy (1,000 images in batches of 300: the last one short) equals a direct count."""
    config = TrainConfig(arch="lenet5", batching=batching, batch_size=100, epochs=1, eval_batch_size=300)
    with Trainer(config, small_mnist) as trainer:
        accuracy = list(trainer.run())[-1].test_accuracy
        weights = trainer.weights()
    with Model("lenet5", weights) as model:
        direct = model.accuracy(small_mnist.test_images, small_mnist.test_labels)
    assert accuracy == pytest.approx(direct, abs=1e-6)
    assert 0.5 < accuracy


@pytest.mark.parametrize("batching", BATCHINGS)
def test_stop_takes_effect_within_one_batch(small_mnist, batching):
    config = TrainConfig(arch="dense", batching=batching, batch_size=20, epochs=2)
    with Trainer(config, small_mnist) as trainer:
        seen = []
        for event in trainer.run():
            seen.append(event)
            if len(seen) == 3:
                trainer.stop()
                before = trainer.weights()
        after = trainer.weights()
    assert len(seen) == 3  # not one more batch
    assert all(np.array_equal(before[k], after[k]) for k in before)  # and no more training


@pytest.mark.parametrize("batching", BATCHINGS)
def test_nan_loss_stops_with_a_clear_error(tiny_mnist, batching):
    images = np.array(tiny_mnist.train_images)
    images *= 1e30  # logits overflow to inf, the loss to nan (NaN pixels would be clipped by ReLU)
    bad = dataclasses.replace(tiny_mnist, train_images=images)
    with Trainer(TrainConfig(arch="dense", batching=batching, batch_size=64), bad) as trainer:
        with pytest.raises(TrainingError, match=r"loss became (nan|inf) at step \d+.*lower"):
            list(trainer.run())


def test_bad_labels_are_rejected_before_training(tiny_mnist):
    labels = np.array(tiny_mnist.train_labels)
    labels[3] = 99
    with pytest.raises(DataError, match="labels must be digits 0-9, found 0 to 99"):
        Trainer(TrainConfig(arch="dense"), dataclasses.replace(tiny_mnist, train_labels=labels))


def test_seed_makes_runs_reproducible(small_mnist):
    def first_losses(seed, batching="numpy"):
        config = TrainConfig(arch="lenet5", batching=batching, batch_size=32, seed=seed, train_limit=320)
        with Trainer(config, small_mnist) as trainer:
            return [e.loss for e in _batches(trainer.run())][:8]

    a, b, c = first_losses(1), first_losses(1), first_losses(2)
    assert np.allclose(a, b, rtol=1e-4)
    assert not np.allclose(a, c, rtol=1e-2)
    assert np.allclose(first_losses(3, "dataset"), first_losses(3, "dataset"), rtol=1e-4)


def test_weights_change_while_training(tiny_mnist):
    """The GUI reads weights between events: they must be the live ones."""
    with Trainer(TrainConfig(arch="lenet5", batching="estimator", batch_size=32), tiny_mnist) as trainer:
        snapshots = []
        for event in trainer.run():
            if isinstance(event, BatchEvent) and event.batch in (0, 5):
                snapshots.append(trainer.weights()["conv1/kernel"])
        final = trainer.weights()["conv1/kernel"]
    assert snapshots[0].shape == (5, 5, 1, 6)
    assert not np.allclose(snapshots[0], snapshots[1])
    assert not np.allclose(snapshots[1], final)


@pytest.mark.parametrize("batching", BATCHINGS)
def test_the_largest_seed_trains(tiny_mnist, batching):
    # numpy seeds its RandomState with [seed, epoch] (32 bits each); tf.data shuffles with seed * 1000 + epoch.
    config = TrainConfig(arch="dense", batching=batching, batch_size=64, seed=SEED_MAX)
    with Trainer(config, tiny_mnist) as trainer:
        assert len(_epochs(list(trainer.run()))) == 1
    with pytest.raises(ConfigError, match="seed must be between 0 and 4294967295"):
        TrainConfig(seed=SEED_MAX + 1).validate()
