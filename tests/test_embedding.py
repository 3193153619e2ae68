"""The embedding view's core and CLI: fixed samples, PCA, k-NN separation, the maps of a shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz import embedding as emb
from convviz.layerprobe import LayerProbe
from convviz.model import load_weights

SAMPLE = 1000  # digits in the model tests: enough for ten clouds, fast on two cores


def test_the_sample_is_stratified_fixed_and_bounded():
    labels = np.repeat(np.arange(10), [50, 300, 300, 300, 300, 300, 300, 300, 300, 300])
    chosen = emb.stratified_sample(labels, 500)
    counts = np.bincount(labels[chosen], minlength=10)
    assert len(chosen) == 500 and len(set(chosen.tolist())) == 500
    assert counts.tolist() == [50] * 10  # each label an equal share
    assert np.array_equal(chosen, emb.stratified_sample(labels, 500))  # the same digits every time
    assert np.all(np.diff(chosen) > 0)
    few = emb.stratified_sample(labels, 1000)
    assert np.bincount(labels[few], minlength=10)[0] == 50  # a short class gives all it has, the rest fill up
    assert len(few) == 1000
    assert len(emb.stratified_sample(labels, 10**9)) == len(labels)


def test_pca_finds_the_two_main_directions_and_keeps_their_sign():
    rng = np.random.RandomState(1)
    x = rng.standard_normal((600, 40)).astype(np.float32) * np.linspace(0.1, 1, 40)[::-1]
    x[:, 0] *= 8
    x[:, 1] *= 5
    projection = emb.pca(x)
    _, _, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    assert np.allclose(np.abs(np.sum(projection.components * vt[:2], axis=1)), 1, atol=1e-3)
    assert projection.transform(x).shape == (600, 2)
    flipped = emb.Projection(projection.mean, -projection.components)
    again = emb.pca(x, previous=flipped)  # the next snapshot's map does not turn over
    assert np.all(np.sum(again.components * flipped.components, axis=1) > 0.99)


def test_knn_accuracy_tells_separated_from_mixed_and_leaves_each_point_out():
    rng = np.random.RandomState(0)
    labels = np.repeat(np.arange(10), 50)
    angles = labels * 2 * np.pi / 10
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1) * 30
    assert emb.knn_accuracy(centres + rng.standard_normal((500, 2)), labels) == 1.0
    mixed = emb.knn_accuracy(rng.standard_normal((500, 2)), labels)
    assert mixed < 0.25
    points = rng.standard_normal((300, 2))
    tree = emb.nearest_neighbours(points, 5)
    assert np.array_equal(tree, emb.nearest_neighbours(points, 5, use_tree=False))
    assert not np.any(tree == np.arange(300)[:, None])  # leave-one-out: nobody votes for itself


def test_conv_maps_are_averaged_down_to_the_bound():
    assert emb.pool_factor((28, 28, 64)) == 6  # 5 x 5 patches of 64 channels: 1,600 numbers, not 50,176
    for shape in ((28, 28, 64), (14, 14, 96), (24, 24, 64), (784,), (7, 7, 16)):
        factor = emb.pool_factor(shape)
        x = np.ones((2, *shape), np.float32)
        features = emb.reduce_maps(x, factor)
        assert features.shape[1] <= max(emb.MAX_FEATURES, int(np.prod(shape)) if len(shape) == 1 else 0)
        assert np.allclose(features, 1)  # an average, edge patches included


@pytest.fixture(scope="module")
def sample(mnist):
    indices = emb.stratified_sample(mnist.test_labels, SAMPLE)
    return indices, mnist.test_images[indices], mnist.test_labels[indices]


def _maps(arch_dir: str, sample, trained: bool):
    arch, weights, _ = load_weights(f"assets/models/{arch_dir}")
    indices, images, labels = sample
    with LayerProbe(arch, weights if trained else None) as probe:
        result = emb.embedding_of(probe, images, labels, indices)
        star = result.layer("fc1").projection.project_activation(
            dict(probe.activations(images[3].reshape(28, 28)))["fc1"]
        )
        pixels = result.layer("input").projection.project_activation(images[3].reshape(28, 28))
    assert np.allclose(star, result.layer("fc1").points[3], atol=1e-3)  # the pad's star: the same projection
    assert np.allclose(pixels, result.layer("input").points[3], atol=1e-3)
    return {m.layer: m.knn_accuracy for m in result.maps}


@pytest.mark.parametrize("arch_dir", ["cnn", "lenet5"])
def test_the_probe_averages_the_maps_down_in_its_graph_as_reduce_maps_does(arch_dir, sample):
    arch, weights, _ = load_weights(f"assets/models/{arch_dir}")
    images = sample[1][:300]  # two batches, the second short
    with LayerProbe(arch, weights) as probe:
        full = list(probe.batched_activations(images))
        reduced = list(probe.batched_features(images))
        only = list(probe.batched_features(images, ["conv1"]))
        factors = {name: probe.factor(name) for name in probe.layer_names}
    assert len(full) == len(reduced) == 2 and [list(b) for b in only] == [["conv1"], ["conv1"]]
    assert max(factors.values()) > 1
    if arch_dir == "cnn":
        assert factors["conv1"] == 6  # 28 = 4 x 6 + 4: the edge patches are smaller
    for whole, small in zip(full, reduced):
        for name, value in whole.items():
            assert factors[name] == emb.pool_factor(value.shape[1:])
            assert np.allclose(small[name], emb.reduce_maps(value, factors[name]), atol=1e-5), name


def test_separation_rises_with_depth_and_with_training(sample):
    trained = _maps("cnn", sample, trained=True)
    fresh = _maps("cnn", sample, trained=False)
    assert list(trained) == ["input", "conv1", "pool1", "conv2", "pool2", "fc1", "logits"]
    assert trained["fc1"] > trained["input"] + 0.2 and trained["logits"] > trained["input"] + 0.2
    assert trained["conv2"] > trained["conv1"] - 0.03  # the conv layers barely move it in two dimensions
    assert trained["logits"] > fresh["logits"] + 0.3 and trained["fc1"] > fresh["fc1"] + 0.3
    assert fresh["input"] == trained["input"]


def test_cli_json_lists_the_layers_from_input_to_logits(run_cli, tmp_path):
    png = tmp_path / "maps.png"
    done = run_cli("embedding", "--model", "assets/models/dense", "--images", "500", "--json", "--png", png, check_rc=0)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert [layer["layer"] for layer in result["layers"]] == ["input", "fc1", "logits"]
    assert result["layers"][-1]["knn_accuracy"] > result["layers"][0]["knn_accuracy"]
    assert result["images"] == 500 and png.stat().st_size > 1000
    done = run_cli(
        "embedding", "--model", "assets/models/dense", "--images", "200", "--layers", "logits,input", check_rc=0
    )
    assert "input" in done.stdout and "logits" in done.stdout and "fc1" not in done.stdout


def test_cli_tsne_runs_where_scikit_learn_is(run_cli):
    if not emb.tsne_available():
        done = run_cli("embedding", "--model", "assets/models/dense", "--method", "tsne", check_rc=2)
        assert "scikit-learn" in done.stderr
        return
    done = run_cli("embedding", "--model", "assets/models/dense", "--images", "100", "--method", "tsne", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["method"] == "tsne" and len(result["layers"]) == 3


@pytest.mark.parametrize(
    "args, words",
    [
        (["--method", "umap"], "unknown method 'umap'"),
        (["--layers", "conv9"], "unknown layer 'conv9'"),
        (["--images", "0"], "at least 1"),
        (["--images", "20000"], "more than the 10000"),
        (["--model", "no/such/folder"], "does not exist"),
        (["--png", "/no/such/folder/x.png"], "does not exist"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(run_cli, args, words):
    done = run_cli("embedding", *args)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
