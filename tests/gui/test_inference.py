"""The inference service: it owns its models (other threads get numpy), and its answers are a model's own."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from convviz.gui.common.threads import start_job
from convviz.gui.jobs.inference import InferenceService, ShowWeights, ask
from convviz.gui.state import ModelRef, ModelRole
from convviz.model import Model, WrongThreadError
from convviz.pretrained import PRETRAINED_DIR
from tests.gui.windows import LOAD_MS


@pytest.fixture
def service(qtbot):
    made = InferenceService()
    ended = []
    made.finished.connect(lambda: ended.append(True))
    start_job(made)
    yield made
    made.stop()
    qtbot.waitUntil(lambda: bool(ended), timeout=20_000)  # its thread closed its models and ended


def test_the_service_answers_what_a_model_of_the_same_weights_answers_and_keeps_its_models(service, qtbot, mnist):
    with Model.load(PRETRAINED_DIR / "lenet5") as direct:
        weights = direct.get_weights()
        images = np.asarray(mnist.test_images[:3, :, :, 0], np.float32)
        expected = [(direct.predict_proba(image), direct.activations(image)) for image in images]
    ref = ModelRef("lenet5", ModelRole.PRETRAINED, weights, {})
    questions = tuple((("predict_proba", i), "predict_proba", image) for i, image in enumerate(images))
    with qtbot.waitSignal(service.shown, timeout=LOAD_MS) as shown:
        service.show(ShowWeights(ref, questions))
    model, answers = shown.args
    assert model is ref
    for i, (probabilities, activations) in enumerate(expected):
        np.testing.assert_allclose(answers[("predict_proba", i)], probabilities, atol=1e-6)
        np.testing.assert_allclose(service.call(ask("lenet5", "predict_proba", images[i])), probabilities, atol=1e-6)
        for (name, value), (name_direct, value_direct) in zip(
            service.call(ask("lenet5", "activations", images[i])), activations
        ):
            assert name == name_direct
            np.testing.assert_allclose(value, value_direct, atol=1e-5)

    # The network lives in the service's thread: this thread may ask the service, not the model.
    network = service.call(lambda s: s.model("lenet5"))
    assert network.owner is not threading.current_thread()
    with pytest.raises(WrongThreadError, match="predict_proba"):
        network.predict_proba(images[0])
    held = service.call(lambda s: s.model("lenet5").get_weights())
    assert all(np.array_equal(held[name], value) for name, value in weights.items())


def test_weights_that_do_not_fit_are_refused_and_a_stopped_service_answers_no_more(service, qtbot):
    ref = ModelRef("lenet5", ModelRole.LOADED, {"conv1/kernel": np.zeros((1, 1, 1, 1), np.float32)}, {})
    with qtbot.waitSignal(service.show_failed, timeout=LOAD_MS) as failed:
        service.show(ShowWeights(ref))
    assert failed.args[0] is ref and failed.args[1].user_error and "lack" in failed.args[1].message
    service.stop()
    from convviz.gui.jobs.inference import ServiceStopped

    with pytest.raises(ServiceStopped):
        service.call(ask("lenet5", "predict_proba", np.zeros((28, 28), np.float32)))
