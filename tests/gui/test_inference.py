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
    # Its ops run in its own thread: in TensorFlow's shared pools they would queue behind a training step's.
    assert network.session._config.inter_op_parallelism_threads < 0
    assert network.session._config.intra_op_parallelism_threads == 1
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


def test_the_pads_newest_question_goes_before_waiting_work_and_older_ones_are_dropped(qtbot):
    """While the service is busy, a weight copy and two pad questions wait: the newer question is
    answered first, the older is never run, the copy comes after."""
    release, busy = threading.Event(), threading.Event()

    def block(service, request, should_stop, progress):
        busy.set()
        release.wait(20)
        return "done"

    made = InferenceService({"evaluation": block})
    ended = []
    made.finished.connect(lambda: ended.append(True))
    start_job(made)
    try:
        order, ran = [], []
        made.answered.connect(lambda number, value, error: order.append(("answered", number, value, error)))
        made.show_failed.connect(lambda ref, error: order.append(("copy",)))
        made.submit("evaluation", object())
        assert busy.wait(20)
        made.show(ShowWeights(ModelRef("lenet5", ModelRole.LOADED, {}, {})))  # weights that do not fit: refused
        made.ask_later(lambda s: ran.append(1) or "old", 1)
        made.ask_later(lambda s: ran.append(2) or threading.current_thread(), 2)
        release.set()
        qtbot.waitUntil(lambda: len(order) == 2, timeout=LOAD_MS)
        assert ran == [2] and [entry[0] for entry in order] == ["answered", "copy"]
        _, number, value, error = order[0]
        assert number == 2 and error is None and value is not threading.main_thread()  # run in its thread

        def refuse(service):
            raise ValueError("no digit")

        with qtbot.waitSignal(made.answered, timeout=LOAD_MS) as failed:
            made.ask_later(refuse, 3)
        assert failed.args[0] == 3 and failed.args[1] is None and isinstance(failed.args[2], ValueError)
    finally:
        release.set()
        made.stop()
        qtbot.waitUntil(lambda: bool(ended), timeout=20_000)
