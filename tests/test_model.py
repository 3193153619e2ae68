"""Inference Model: save/load round trip, bad folders, inspection, pretrained models."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz.config import ARCHITECTURES, TrainConfig
from convviz.model import META_FILE, WEIGHTS_FILE, Model, ModelError
from convviz.training import Trainer

ROOT_MODELS = __import__("pathlib").Path(__file__).resolve().parent.parent / "assets" / "models"
# The targets for the pretrained models, on the full 10,000 test images.
TARGETS = {"cnn": 0.993, "lenet5": 0.990, "dense": 0.980, "template": 0.990}


def test_checkpoint_round_trip_gives_identical_predictions(tmp_path, small_mnist):
    config = TrainConfig(arch="cnn", batch_size=100, train_limit=500)
    with Trainer(config, small_mnist) as trainer:
        list(trainer.run())
        weights = trainer.weights()
        meta = trainer.metadata()
    with Model("cnn", weights) as model:
        model.save(tmp_path / "m", meta)
        before = model.predict_proba(small_mnist.test_images[:200])
    saved = json.loads((tmp_path / "m" / META_FILE).read_text())
    assert saved["arch"] == "cnn" and saved["config"]["batch_size"] == 100
    assert saved["test_accuracy"] == pytest.approx(meta["test_accuracy"])
    assert saved["tensorflow_version"] and saved["train_images"] == 500
    with Model.load(tmp_path / "m") as loaded:
        after = loaded.predict_proba(small_mnist.test_images[:200])
        assert loaded.meta["test_accuracy"] == saved["test_accuracy"]
    np.testing.assert_array_equal(before, after)
    assert not list(tmp_path.glob("m/*.tmp"))  # atomic writes leave no temporaries


def test_inspection_shapes():
    with Model("lenet5") as model:
        maps = model.feature_maps(np.zeros((28, 28), np.float32))
        assert [(n, m.shape) for n, m in maps] == [
            ("conv1", (28, 28, 6)),
            ("pool1", (14, 14, 6)),
            ("conv2", (10, 10, 16)),
            ("pool2", (5, 5, 16)),
            ("conv3", (1, 1, 120)),
        ]
        kernels = model.kernels()
        assert list(kernels) == ["conv1", "conv2", "conv3", "fc1", "logits"]
        assert kernels["conv1"].shape == (5, 5, 1, 6)
        p = model.predict_proba(np.random.RandomState(0).rand(4, 28, 28))
        assert p.shape == (4, 10) and np.allclose(p.sum(axis=1), 1, atol=1e-5)
        with pytest.raises(ValueError, match="28x28"):
            model.predict_proba(np.zeros((4, 32, 32)))


def test_bad_model_folders(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        Model.load(tmp_path / "nope")
    with pytest.raises(ModelError, match=f"{META_FILE} is missing"):
        Model.load(tmp_path)
    with Model("dense") as model:
        model.save(tmp_path / "d", {})
    (tmp_path / "d" / WEIGHTS_FILE).write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="damaged"):
        Model.load(tmp_path / "d")
    (tmp_path / "d" / META_FILE).write_text("{")
    with pytest.raises(ModelError, match="not readable JSON"):
        Model.load(tmp_path / "d")
    with Model("dense") as dense, Model("lenet5") as lenet:
        with pytest.raises(ModelError, match="lack"):
            lenet.set_weights(dense.get_weights())
        weights = dense.get_weights()
        weights["fc1/kernel"] = np.zeros((10, 10), np.float32)
        with pytest.raises(ModelError, match="shape"):
            dense.set_weights(weights)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_pretrained_model_loads_and_meets_its_target(arch, mnist):
    with Model.load(ROOT_MODELS / arch) as model:
        assert model.arch == arch
        assert model.meta["train_images"] == 60000
        # the recorded accuracy is the real one: recompute it on the full test set
        accuracy = model.accuracy(mnist.test_images, mnist.test_labels)
    assert accuracy == pytest.approx(model.meta["test_accuracy"], abs=2e-4)
    assert accuracy >= TARGETS[arch]
