"""TrainConfig.augment / ``train --augment``: the shipped models' retraining option of issue 11."""

from __future__ import annotations

import numpy as np
import pytest

from convviz import cli
from convviz.config import ConfigError, TrainConfig
from convviz.training import Trainer
from tests.conftest import mnist_dir


def _train(config: TrainConfig, data) -> tuple[dict, float]:
    with Trainer(config, data) as trainer:
        for _ in trainer.run():
            pass
        return trainer.weights(), trainer.test_accuracy


def test_augmented_training_sees_other_images_and_still_learns(small_mnist):
    plain = TrainConfig(arch="dense", batch_size=50, epochs=1, seed=4)
    w_plain, acc_plain = _train(plain, small_mnist)
    w_again, _ = _train(plain, small_mnist)
    w_aug, acc_aug = _train(plain.replace(augment=True), small_mnist)
    assert all(np.array_equal(w_plain[k], w_again[k]) for k in w_plain)  # the option off changes nothing
    assert not all(np.array_equal(w_plain[k], w_aug[k]) for k in w_plain)  # on, the batches differ
    assert acc_aug > 0.75 and acc_plain > 0.75  # 2,000 images, one epoch: both learn


def test_augmentation_needs_numpy_batching(capsys):
    for batching in ("dataset", "estimator"):
        with pytest.raises(ConfigError, match="numpy batching"):
            TrainConfig(batching=batching, augment=True).validate()
    with pytest.raises(ConfigError, match="true or false"):
        TrainConfig(augment=1).validate()
    code = cli.main(["train", "--augment", "--batching", "dataset", "--data-dir", str(mnist_dir())])
    err = capsys.readouterr().err.strip()
    assert code == cli.EXIT_USAGE and err == "convviz: error: augmentation needs numpy batching, not dataset"


def test_old_model_descriptions_load_without_the_field():
    config = TrainConfig.from_dict({"arch": "cnn", "epochs": 15})
    assert config.augment is False and config.to_dict()["augment"] is False
