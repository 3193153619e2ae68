"""The adversarial lab, the top-9 view and the saliency sanity check in the real window (offscreen).

Each result the window shows is checked against the core computed here, in the
test's own thread, on the same shipped LeNet-5 and real MNIST.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz.explain import Explainer
from convviz.gui.jobs import labjobs
from convviz.gui.panels.adversarial import ADVERSARIAL_TITLE, magnified
from convviz.gui.panels.topnine import TOPNINE_TITLE
from convviz.model import Model
from tests.conftest import ROOT
from tests.gui.windows import LOAD_MS

MODELS = ROOT / "assets" / "models"


def _chosen(window, qtbot, index: int):
    window.views.show_test_digit(index)
    qtbot.waitUntil(lambda: window.views.chosen_image().index == index, timeout=5000)
    return window.views.chosen_image()


def test_the_adversarial_panel_attacks_the_chosen_digit(shared_window, qtbot):
    window = shared_window
    lab, panel = window.lab, window.lab.adversarial
    chosen = _chosen(window, qtbot, 0)  # a 7
    done = []
    lab.jobs[labjobs.ATTACK].computed.connect(done.append)
    window.show_panel(ADVERSARIAL_TITLE)
    panel.set_method("pgd")
    panel.set_target(8)
    panel.set_eps(0.2)

    def arrived():
        r = done[-1].request if done else None
        return r is not None and (r.method, r.target, r.eps) == ("pgd", 8, 0.2)

    qtbot.waitUntil(arrived, timeout=LOAD_MS)
    result = done[-1]
    assert result.request.label == chosen.label == 7
    np.testing.assert_array_equal(result.request.image, chosen.image)
    assert np.abs(result.adversarial - chosen.image).max() <= 0.2 + 1e-6
    assert result.adversarial.min() >= 0 and result.adversarial.max() <= 1
    # the network the window uses says 8 for the adversarial digit (asked independently of the job)
    logits = dict(window.controller.activations(result.adversarial))["logits"]
    assert int(np.argmax(logits)) == int(result.after.argmax()) == 8
    np.testing.assert_allclose(panel.perturbation_item.image, magnified(result.perturbation, 0.2))
    assert "8" in panel._captions[2].text and "7" in panel._captions[0].text
    # epsilon 0: nothing changes
    panel.set_eps(0.0)
    qtbot.waitUntil(lambda: done[-1].request.eps == 0.0, timeout=LOAD_MS)
    np.testing.assert_array_equal(done[-1].adversarial, chosen.image)


def test_accuracy_against_epsilon_of_the_shipped_networks(shared_window, qtbot, monkeypatch, mnist):
    monkeypatch.setattr(labjobs, "ROBUSTNESS_IMAGES", 100)
    monkeypatch.setattr("convviz.gui.window.lab.ROBUSTNESS_IMAGES", 100)
    lab = shared_window.lab
    done = []
    lab.jobs[labjobs.ROBUSTNESS].computed.connect(done.append)
    shared_window.show_panel(ADVERSARIAL_TITLE)
    lab.adversarial.curves_button.click()
    qtbot.waitUntil(lambda: bool(done), timeout=LOAD_MS)
    curves = lab.adversarial.curves()
    assert list(curves["curves"]) == ["dense", "cnn", "lenet5"] and curves["images"] == 100
    np.testing.assert_array_equal(curves["eps"], labjobs.ROBUSTNESS_EPS)
    with Model.load(MODELS / "dense") as dense:
        assert curves["curves"]["dense"][0] == dense.accuracy(mnist.test_images[:100], mnist.test_labels[:100])
    for accuracy in curves["curves"].values():
        assert accuracy[-1] < accuracy[0] and (np.diff(accuracy) <= 1e-9).all()
    assert lab.adversarial.curves_button.isEnabled()


def test_the_top_nine_view_ranks_the_test_digits_beside_what_the_filters_want(shared_window, qtbot, mnist):
    window, lab = shared_window, shared_window.lab
    ranked = []
    lab.jobs[labjobs.TOPNINE].computed.connect(ranked.append)
    window.show_panel(TOPNINE_TITLE)
    lab.topnine.compute_button.click()
    qtbot.waitUntil(lambda: bool(ranked), timeout=LOAD_MS)
    lab.topnine.show_channel("conv2", 3)
    shown = lab.topnine.shown()
    assert shown["layer"] == "conv2" and shown["channel"] == 3
    # independently: the channel's max over positions, for every test digit, from the test's own explainer
    with Explainer.load(MODELS / "lenet5") as explainer:
        peaks = np.concatenate(
            [explainer.channel_peaks(mnist.test_images[i : i + 2000])["conv2"][0][:, 3] for i in range(0, 10000, 2000)]
        )
    best = np.sort(peaks)[::-1][:9]
    np.testing.assert_allclose(peaks[shown["indices"]], best, rtol=1e-5)
    assert lab.topnine.patches_item.image is not None
    # what the filters want, computed in its own tab, appears beside the digits
    wished = []
    window.inside.jobs.computed.connect(wished.append)
    window.inside.compute_wishes("conv2", steps=2)
    qtbot.waitUntil(lambda: bool(wished), timeout=LOAD_MS)
    np.testing.assert_array_equal(lab.topnine.wish_item.image, wished[-1].images[3])


def test_the_sanity_check_compares_with_randomised_weights(shared_window, qtbot):
    window, lab, saliency = shared_window, shared_window.lab, shared_window.saliency
    chosen = _chosen(window, qtbot, 1)
    checked = []
    lab.jobs[labjobs.SANITY].computed.connect(checked.append)
    window.show_panel("Saliency")
    saliency.set_method("gradient")
    saliency.sanity_button.click()
    qtbot.waitUntil(lambda: bool(checked), timeout=LOAD_MS)
    rho, ink, method = saliency.sanity()
    assert method == "gradient" and rho < 0.8
    from convviz.saliency_methods import randomised_explainer, sanity_check

    with Explainer.load(MODELS / "lenet5") as explainer, randomised_explainer(explainer) as random:
        expected = sanity_check(explainer, random, chosen.image, "gradient")
    assert rho == pytest.approx(expected.correlation, abs=1e-6) and ink == pytest.approx(
        expected.ink_correlation, abs=1e-6
    )
    np.testing.assert_allclose(saliency.map_item.image, expected.trained, rtol=1e-5, atol=1e-6)


def test_the_saliency_panel_offers_the_trusted_methods(shared_window, qtbot):
    window, saliency = shared_window, shared_window.saliency
    _chosen(window, qtbot, 2)
    window.show_panel("Saliency")
    for method in ("integrated_gradients", "smoothgrad"):
        saliency.set_method(method)
        qtbot.waitUntil(lambda m=method: saliency.shown() is not None and saliency.shown()[4] == m, timeout=LOAD_MS)


def test_the_attack_and_the_ranking_follow_a_training_run(make_window, qtbot, mnist):
    from convviz.config import TrainConfig
    from tests.gui.windows import RUN_MS, use_small_data

    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=256, test=100)
    lab = window.lab
    _chosen(window, qtbot, 0)
    before = window.model()
    done = []
    lab.jobs[labjobs.ATTACK].computed.connect(done.append)
    window.show_panel(ADVERSARIAL_TITLE)
    qtbot.waitUntil(lambda: bool(done), timeout=LOAD_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=1, seed=1))
    # the weights of the run, not the pretrained ones, were attacked
    qtbot.waitUntil(lambda: done[-1].request.weights is window.model().weights, timeout=RUN_MS)
    assert window.model().weights is not before.weights
    window.show_panel(TOPNINE_TITLE)
    assert lab.topnine.compute_button.isEnabled()


def test_the_dense_network_is_attacked_but_has_no_filters_to_rank(make_window, qtbot):
    window = make_window(arch="dense")
    window.show_panel(TOPNINE_TITLE)
    assert "no conv layers" in window.lab.topnine._status_label.text()
    assert not window.lab.topnine.compute_button.isEnabled()
    done = []
    window.lab.jobs[labjobs.ATTACK].computed.connect(done.append)
    _chosen(window, qtbot, 0)
    window.show_panel(ADVERSARIAL_TITLE)
    qtbot.waitUntil(lambda: bool(done), timeout=LOAD_MS)
    assert done[-1].request.arch == "dense" and np.abs(done[-1].perturbation).max() <= 0.1 + 1e-6
