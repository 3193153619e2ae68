"""convviz.saliency_methods (Integrated Gradients, SmoothGrad, the randomisation check) and explain's new methods."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from convviz import saliency_methods
from convviz.convmath import ExplainError
from convviz.explain import Explainer
from convviz.saliency_methods import (
    METHODS,
    any_saliency,
    glorot_weights,
    integrated_gradients,
    randomised_explainer,
    sanity_check,
    smoothgrad,
    spearman,
)
from tests.conftest import ROOT

MODELS = ROOT / "assets" / "models"


def _logit(model: Explainer, image: np.ndarray, cls: int) -> float:
    return float(model.activations(image)[-1][1][cls])


@pytest.mark.parametrize("arch", ["cnn", "lenet5", "dense"])
def test_integrated_gradients_add_up_to_the_logits_difference(arch, mnist, explainers):
    model = explainers(arch)
    for i in range(3):
        image = mnist.test_images[i, :, :, 0]
        result = integrated_gradients(model, image)
        assert result.map.shape == (28, 28) and result.method == "integrated_gradients"
        assert result.cls == int(model.predict(image)[0])
        difference = _logit(model, image, result.cls) - _logit(model, np.zeros((28, 28)), result.cls)
        assert abs(difference) > 1
        assert result.map.sum() == pytest.approx(difference, rel=0.03)
        assert (result.map[image == 0] == 0).all()  # the black baseline: no attribution where the input is black
    # another class, fewer steps: still complete, only less exactly
    other = integrated_gradients(model, image, cls=(result.cls + 1) % 10, steps=16)
    difference = _logit(model, image, other.cls) - _logit(model, np.zeros((28, 28)), other.cls)
    assert other.map.sum() == pytest.approx(difference, rel=0.1, abs=0.2)


def test_smoothgrad_with_sigma_0_is_the_gradient_and_otherwise_smoother(mnist, explainers):
    model = explainers("cnn")
    image = mnist.test_images[5, :, :, 0]
    gradient = model.saliency_gradient(image)
    plain = smoothgrad(model, image, sigma=0.0)
    np.testing.assert_allclose(plain.map, gradient, rtol=1e-5, atol=1e-6)
    smooth = smoothgrad(model, image)
    again = smoothgrad(model, image)
    np.testing.assert_array_equal(smooth.map, again.map)  # seeded
    assert not np.allclose(smooth.map, gradient)

    # smoother: neighbouring pixels differ less, relative to the map's size
    def roughness(m):
        return np.abs(np.diff(m, axis=0)).mean() / np.abs(m).mean()

    assert roughness(smooth.map) < roughness(gradient)
    with pytest.raises(ExplainError):
        smoothgrad(model, image, sigma=-0.1)
    with pytest.raises(ExplainError):
        integrated_gradients(model, image, steps=0)


def test_spearman_ranks_with_ties_as_scipy_does():
    a = np.array([1.0, 2.0, 2.0, 3.0, 0.0])
    b = np.array([10.0, 20.0, 30.0, 40.0, -5.0])
    # scipy.stats.spearmanr(a, b).correlation: ranks a = 2, 3.5, 3.5, 5, 1; b = 2, 3, 4, 5, 1
    ra, rb = np.array([2, 3.5, 3.5, 5, 1]), np.array([2, 3, 4, 5, 1.0])
    expected = np.corrcoef(ra, rb)[0, 1]
    assert spearman(a, b) == pytest.approx(expected, abs=1e-12)
    assert spearman(b, b) == pytest.approx(1.0)
    assert spearman(b, -b) == pytest.approx(-1.0)
    assert spearman(np.zeros(5), b) == 0.0


def test_glorot_weights_are_fresh_weights_of_the_same_shapes(explainers):
    weights = explainers("cnn").get_weights()
    fresh = glorot_weights(weights, seed=1)
    assert set(fresh) == set(weights)
    for name, value in weights.items():
        assert fresh[name].shape == value.shape and fresh[name].dtype == value.dtype
    kernel = fresh["conv1/kernel"]  # 5 x 5 x 1 x 64: fan in 25, fan out 1600
    assert np.abs(kernel).max() <= np.sqrt(6 / (25 + 1600)) and kernel.std() > 0
    assert (fresh["conv1/bias"] == 0).all()
    np.testing.assert_array_equal(glorot_weights(weights, seed=1)["fc1/kernel"], fresh["fc1/kernel"])


@pytest.mark.parametrize("arch", ["cnn", "dense"])
def test_the_gradient_map_of_a_randomised_network_ranks_far_from_the_trained_ones(arch, mnist, explainers):
    model = explainers(arch)
    with randomised_explainer(model) as random:
        rhos = []
        for i in range(4):
            image = mnist.test_images[i, :, :, 0]
            check = sanity_check(model, random, image, "gradient")
            assert check.cls == int(model.predict(image)[0])
            np.testing.assert_allclose(check.trained, model.saliency_gradient(image), rtol=1e-6)
            np.testing.assert_allclose(check.randomised, random.saliency_gradient(image, cls=check.cls), rtol=1e-6)
            rhos.append(check.correlation)
        assert max(rhos) < 0.6
        # the same network is perfectly correlated with itself: the number measures the weights' effect
        assert sanity_check(model, model, image, "gradient").correlation == pytest.approx(1.0)
        # multiplied by the input, both maps are zero on the background: rho over all pixels is high by
        # construction, over the ink alone it is not
        times_input = sanity_check(model, random, image, "gradient_x_input")
        assert times_input.correlation > 0.9 and times_input.ink_correlation < 0.8


def test_every_method_gives_a_map(mnist, explainers):
    model = explainers("lenet5")
    image = mnist.test_images[0, :, :, 0]
    for method in METHODS:
        result = any_saliency(model, image, method, cls=3)
        assert result.map.shape == (28, 28) and result.cls == 3 and result.method == method
        assert np.isfinite(result.map).all() and np.abs(result.map).max() > 0
    with pytest.raises(ExplainError):
        any_saliency(model, image, "lime")
    assert saliency_methods.METHODS[:3] == ("occlusion", "gradient", "gradient_x_input")


def _digit_png(mnist, index: int, path) -> str:
    Image.fromarray((mnist.test_images[index, :, :, 0] * 255).astype(np.uint8)).save(path)
    return str(path)


@pytest.mark.parametrize("method", ["integrated_gradients", "smoothgrad"])
def test_explain_cli_new_methods_and_the_sanity_check(method, tmp_path, mnist, run_cli):
    image = _digit_png(mnist, 0, tmp_path / "seven.png")
    out = tmp_path / "map.png"
    done = run_cli(
        "explain", "--model", "assets/models/dense", image, "--method", method, "--png", out, "--sanity", "--json",
        check_rc=0,
    )  # fmt: skip
    line = json.loads(done.stdout)
    assert line["method"] == method and line["digit"] == 7
    assert line["randomised_png"] == str(tmp_path / "map-randomised.png")
    assert -1 <= line["randomised_correlation"] <= 1 and -1 <= line["randomised_ink_correlation"] <= 1
    assert Image.open(out).size == Image.open(line["randomised_png"]).size
    text = run_cli("explain", "--model", "assets/models/dense", image, "--method", "gradient", "--png", out,
                   "--sanity", check_rc=0).stdout  # fmt: skip
    assert "sanity check: rank correlation with randomised weights" in text
