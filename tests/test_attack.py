"""convviz.attack and ``python main.py attack`` on the shipped models and real MNIST."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz.attack import accuracy_under_attack, attack, eps_key, magnified
from convviz.convmath import ExplainError
from convviz.explain import Explainer
from convviz.model import Model
from tests.conftest import ROOT

MODELS = ROOT / "assets" / "models"


def _losses(model: Explainer, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return model.loss_gradients(images, labels)[1].astype(np.float64)


@pytest.mark.parametrize("arch", ["cnn", "dense"])
def test_the_loss_rises_along_the_sign_of_the_gradient(arch, mnist, explainers):
    model = explainers(arch)
    x, y = mnist.test_images[:40, :, :, 0], mnist.test_labels[:40]
    other = (y + 1) % 10  # a wrong label's loss is large: a true one's is often below float32's resolution
    grads, losses, _ = model.loss_gradients(x, other)
    eps = 2e-4  # small: a step of all 784 pixels crosses ReLU kinks, and the loss bends
    up = np.clip(x + eps * np.sign(grads), 0, 1)
    down = np.clip(x - eps * np.sign(grads), 0, 1)
    # The first-order change is the gradient times the step actually taken (clipping at 0 and 1 shortens it).
    expected = ((up - x) * grads).sum(axis=(1, 2))
    rise = _losses(model, up, other) - losses
    fall = _losses(model, down, other) - losses
    assert (expected > 1e-3).all()  # a change far above float32 rounding of the loss (~1e-6)
    assert (rise > 0).all() and (fall < 0).all()
    np.testing.assert_allclose(rise, expected, rtol=0.3)
    # and FGSM is that step for the true label, at any eps: never a loss lower than the clean image's
    grads, losses, _ = model.loss_gradients(x, y)
    adversarial = attack(model, x, y, 0.1, "fgsm").images
    np.testing.assert_allclose(adversarial, np.clip(x + 0.1 * np.sign(grads), 0, 1), atol=1e-6)
    assert (_losses(model, adversarial, y) >= losses - 1e-6).all()


@pytest.mark.parametrize("arch", ["cnn", "lenet5"])
def test_the_loss_gradient_matches_finite_differences(arch, mnist, explainers):
    model = explainers(arch)
    image = mnist.test_images[3, :, :, 0].astype(np.float64)
    label = (mnist.test_labels[3:4] + 3) % 10  # a wrong label: a large loss, far above float32's rounding
    grad = model.loss_gradients(image, label)[0][0]
    # On the black background whole pool windows tie at 0, and the loss has a kink at every such pixel: the ink.
    ink = np.where(image > 0.05, np.abs(grad), 0)
    strongest = np.unravel_index(np.argsort(-ink, axis=None)[:8], grad.shape)
    # The logits are piecewise linear (see test_explain), the softmax curves. Where the two one-sided quotients
    # differ, the pixel sits on a kink (a ReLU at 0, or a max-pool tie between two pixels at 1.0): there the
    # gradient TF gives is one of several; elsewhere it must be the central quotient.
    eps = 1e-3  # float32 losses of ~16 round by ~2e-6: 2e-3 over the step
    checked = 0
    for y, x in zip(*strongest):
        plus, minus = image.copy(), image.copy()
        plus[y, x] += eps
        minus[y, x] -= eps
        centre = _losses(model, image, label)[0]
        forward = (_losses(model, plus, label)[0] - centre) / eps
        backward = (centre - _losses(model, minus, label)[0]) / eps
        if abs(forward - backward) > 0.05 * abs(forward) + 1e-2:
            continue
        checked += 1
        assert abs((forward + backward) / 2 - grad[y, x]) <= 1e-2 + 0.03 * abs(grad[y, x]), (y, x, grad[y, x], forward)
    assert checked >= 5


def test_the_dense_networks_gradient_equals_a_numpy_backpropagation(mnist, explainers):
    """A second implementation: the dense net's forward and backward pass written out in numpy."""
    model = explainers("dense")
    w = model.get_weights()
    x = mnist.test_images[:16].reshape(16, -1).astype(np.float64)
    y = mnist.test_labels[:16]
    hidden = x @ w["fc1/kernel"] + w["fc1/bias"]
    on = hidden > 0
    logits = np.where(on, hidden, 0) @ w["logits/kernel"] + w["logits/bias"]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d_logits = p - np.eye(10)[y]
    d_x = ((d_logits @ w["logits/kernel"].T) * on) @ w["fc1/kernel"].T
    grads, losses, tf_logits = model.loss_gradients(mnist.test_images[:16], y)
    np.testing.assert_allclose(tf_logits, logits, rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(losses, -np.log(p[np.arange(16), y]), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(grads.reshape(16, -1), d_x, rtol=1e-3, atol=1e-5)


def test_fgsm_and_pgd_stay_within_epsilon_and_pgd_is_the_stronger(mnist, explainers):
    model = explainers("lenet5")
    x, y = mnist.test_images[:200, :, :, 0], mnist.test_labels[:200]
    for method in ("fgsm", "pgd"):
        result = attack(model, x, y, 0.1, method)
        assert result.images.shape == (200, 28, 28) and result.images.dtype == np.float32
        assert result.images.min() >= 0 and result.images.max() <= 1
        assert np.abs(result.perturbation).max() <= 0.1 + 1e-6
        np.testing.assert_allclose(result.images - x, result.perturbation, atol=1e-6)
        np.testing.assert_array_equal(result.predictions, model.predict(result.images))
    curve = {m: accuracy_under_attack(model, x, y, [0, 0.1, 0.2], m, batch_size=64) for m in ("fgsm", "pgd")}
    assert curve["fgsm"][0.0] == curve["pgd"][0.0] == model.accuracy(x, y)
    assert curve["pgd"][0.1] < curve["fgsm"][0.1] < curve["fgsm"][0.0]
    assert curve["fgsm"][0.2] < curve["fgsm"][0.1]
    unchanged = attack(model, x[:5], y[:5], 0.0, "pgd")
    np.testing.assert_array_equal(unchanged.images, x[:5])


def test_a_targeted_attack_makes_the_digits_an_eight(mnist, explainers):
    model = explainers("lenet5")
    keep = mnist.test_labels[:100] != 8
    x, y = mnist.test_images[:100, :, :, 0][keep], mnist.test_labels[:100][keep]
    assert (model.predict(x) == 8).mean() < 0.05
    targeted = attack(model, x, y, 0.2, "pgd", target=8)
    assert (targeted.predictions == 8).mean() > 0.8
    untargeted = attack(model, x, y, 0.2, "pgd")
    assert (untargeted.predictions == 8).mean() < 0.5  # the target, not any mistake, is what the attack sought


def test_accuracy_under_attack_stops_when_asked_and_refuses_bad_input(mnist, explainers):
    model = explainers("dense")
    x, y = mnist.test_images[:300], mnist.test_labels[:300]
    asked = []

    def should_stop():
        asked.append(1)
        return len(asked) > 2

    assert accuracy_under_attack(model, x, y, [0, 0.1], "fgsm", batch_size=100, should_stop=should_stop) is None
    for eps in (-0.1, 1.5, float("nan"), "0.1", True):
        with pytest.raises(ExplainError):
            attack(model, x[:2], y[:2], eps)
    with pytest.raises(ExplainError):
        attack(model, x[:2], y[:2], 0.1, "bim")
    with pytest.raises(ExplainError):
        attack(model, x[:2], y[:2], 0.1, target=10)
    with pytest.raises(ExplainError):
        accuracy_under_attack(model, x, y, [], "fgsm")
    assert [eps_key(e) for e in (0, 0.05, 0.1, 0.3)] == ["0", "0.05", "0.1", "0.3"]
    picture = magnified(np.full((28, 28), -0.1, np.float32), 0.1)
    assert picture.min() == picture.max() == 0.0


# -- the command line --------------------------------------------------------------------------------


def _data(mnist_dir) -> tuple[str, str]:
    return ("--data-dir", str(mnist_dir), "--no-download")


def test_attack_cli_accuracy_at_zero_equals_evaluate(run_cli, mnist):
    from tests.conftest import mnist_dir

    data = _data(mnist_dir())
    done = run_cli("attack", "--model", "assets/models/dense", "--eps", "0", "--json", *data, check_rc=0)
    evaluated = run_cli("evaluate", "--model", "assets/models/dense", "--json", *data, check_rc=0)
    line, evaluation = json.loads(done.stdout), json.loads(evaluated.stdout)
    assert line["method"] == "fgsm" and line["test_images"] == 10000
    assert line["accuracy"] == {"0": evaluation["test_accuracy"]}

    done = run_cli(
        "attack", "--model", "assets/models/cnn", "--method", "pgd", "--eps", "0,0.05,0.1", "--limit", "60",
        "--json", *data, check_rc=0,
    )  # fmt: skip
    line = json.loads(done.stdout)
    assert list(line["accuracy"]) == ["0", "0.05", "0.1"] and line["test_images"] == 60
    with Model.load(MODELS / "cnn") as model:
        assert line["accuracy"]["0"] == model.accuracy(mnist.test_images[:60], mnist.test_labels[:60])
    assert line["accuracy"]["0.1"] < line["accuracy"]["0"]
    text = run_cli("attack", "--model", "assets/models/dense", "--eps", "0,0.3", "--limit", "20", *data).stdout
    assert "epsilon    0.3: accuracy" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--eps", "0,1.5"], "--eps values must be from 0 to 1, got 1.5"),
        (["--eps", "-0.1"], "--eps values must be from 0 to 1"),
        (["--eps", "0,abc"], "--eps values must be numbers from 0 to 1, got 'abc'"),
        (["--eps", "nan"], "--eps values must be from 0 to 1"),
        (["--method", "bim"], "unknown method 'bim'; choose one of fgsm, pgd"),
        (["--limit", "0"], "--limit must be from 1"),
        (["--limit", "-5"], "--limit must be from 1"),
        (["--limit", "many"], "--limit must be a whole number"),
    ],
)
def test_attack_cli_bad_input_is_one_line_and_exit_2(args, message, run_cli):
    done = run_cli("attack", "--model", "assets/models/dense", *args, "--data-dir", "/nonexistent", check_rc=2)
    assert done.stderr.strip().splitlines() == [f"convviz: error: {done.stderr.strip()[16:]}"]
    assert message in done.stderr
