"""TrainConfig.augment and .forms (``train --augment``, ``train --forms``): the retraining options."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz import cli
from convviz.config import TrainConfig
from convviz.errors import ConfigError
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


def test_training_with_continental_forms_changes_the_ones_and_sevens_and_still_learns(small_mnist):
    plain = TrainConfig(arch="dense", batch_size=50, epochs=1, seed=4)
    w_plain, _ = _train(plain, small_mnist)
    w_forms, acc_forms = _train(plain.replace(forms=True), small_mnist)
    w_again, _ = _train(plain.replace(forms=True), small_mnist)
    assert not all(np.array_equal(w_plain[k], w_forms[k]) for k in w_plain)  # on, the batches differ
    assert all(np.array_equal(w_forms[k], w_again[k]) for k in w_forms)  # and the same seed repeats them
    assert acc_forms > 0.75
    _, acc_both = _train(plain.replace(forms=True, augment=True), small_mnist)
    assert acc_both > 0.7


def test_continental_forms_need_numpy_batching_and_are_recorded(capsys, tmp_path):
    with pytest.raises(ConfigError, match="continental forms need numpy batching"):
        TrainConfig(batching="dataset", forms=True).validate()
    with pytest.raises(ConfigError, match="true or false"):
        TrainConfig(forms="yes").validate()
    assert TrainConfig.from_dict({"arch": "cnn"}).forms is False  # the models saved before the option
    code = cli.main(["train", "--forms", "--batching", "estimator", "--data-dir", str(mnist_dir())])
    err = capsys.readouterr().err.strip()
    assert code == cli.EXIT_USAGE and err == "convviz: error: continental forms need numpy batching, not estimator"
    folder = tmp_path / "m"
    args = ["train", "--arch", "dense", "--train-limit", "500", "--forms", "--quiet", "--json", "--save", str(folder)]
    assert cli.main([*args, "--data-dir", str(mnist_dir())]) == cli.common.EXIT_OK
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["forms"] is True and line["augment"] is False
    saved = json.loads((folder / "model.json").read_text())
    assert saved["config"]["forms"] is True
