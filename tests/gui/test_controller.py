"""The controller without a window: real jobs feed the app state, and the inference model follows it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz.config import TrainConfig
from convviz.events import RunStatus
from convviz.gui.controller import Controller
from convviz.gui.state import DataState, ModelRef, ModelRole, RunState
from convviz.pretrained import PRETRAINED_DIR
from tests.gui.windows import LOAD_MS, RUN_MS


@pytest.fixture
def controller(qtbot):
    made = Controller()
    yield made
    assert made.shutdown(20.0)


def test_pretrained_then_a_run_then_its_weights_in_the_inference_model(controller, qtbot, tiny_mnist):
    with qtbot.waitSignal(controller.inference_changed, timeout=LOAD_MS):
        controller.load_pretrained("lenet5")
    state = controller.state
    assert state.model.role is ModelRole.PRETRAINED and state.model.arch == "lenet5"
    recorded = json.loads((PRETRAINED_DIR / "lenet5" / "model.json").read_text())["test_accuracy"]
    assert state.model.test_accuracy == pytest.approx(recorded, abs=1e-6) and recorded > 0.99

    controller.set_data(tiny_mnist)
    assert state.data_state is DataState.READY
    roles = []
    state.model_changed.connect(lambda m: roles.append(m.role))
    with qtbot.waitSignal(state.run_state_changed, timeout=RUN_MS, check_params_cb=lambda r: not r.active):
        assert controller.start_training(TrainConfig(arch="dense", batch_size=64, epochs=1, seed=2))
        assert not controller.start_training(TrainConfig(arch="dense"))  # one run at a time
    run = state.run
    assert run.state is RunState.FINISHED and run.outcome.status is RunStatus.COMPLETED
    assert ModelRole.TRAINING in roles and roles[-1] is ModelRole.TRAINED
    qtbot.waitUntil(lambda: controller.inference_model() is not None, timeout=LOAD_MS)  # the dense net was built
    held = controller.inference_weights()  # read back from the network in the inference service
    for name, value in state.model.weights.items():
        np.testing.assert_array_equal(held[name], value)  # the pad classifies with exactly the trained weights
    probabilities = controller.predict_proba(tiny_mnist.test_images[0, :, :, 0])
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_start_without_data_waits_for_it(controller, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CONVVIZ_DATA_DIR", raising=False)
    controller.data_dir = tmp_path / "nothing-here"
    with qtbot.waitSignal(controller.data_missing, timeout=LOAD_MS):
        assert controller.start_training(TrainConfig(arch="dense"))
    assert controller.waiting_for_data() and controller.state.data_state is DataState.MISSING
    controller.forget_pending_start()  # the user declined the download
    assert not controller.waiting_for_data() and controller.state.run is None


def test_weights_gone_to_nan_give_no_answer_and_one_message_not_a_crash(controller, qtbot, tiny_mnist):
    with qtbot.waitSignal(controller.inference_changed, timeout=LOAD_MS):
        controller.load_pretrained("lenet5")
    good = controller.state.model
    broken = dict(good.weights)
    broken["logits/bias"] = np.full_like(broken["logits/bias"], np.nan)
    errors = []
    controller.state.error_raised.connect(errors.append)
    controller.state.set_model(ModelRef("lenet5", ModelRole.LOADED, broken, {}))
    image = tiny_mnist.test_images[0, :, :, 0]
    assert controller.predict_proba(image) is None
    assert controller.predict_proba(image) is None
    assert len(errors) == 1 and "no answer" in errors[0].message and errors[0].type_name == "ModelError"
    controller.state.set_model(good)  # a good model answers again
    assert controller.predict_proba(image).shape == (10,)


def test_training_snapshots_reach_the_inference_model_off_the_gui_thread(controller, qtbot, tiny_mnist, monkeypatch):
    """A snapshot's weights are copied, and the window's last questions answered, by the inference service:
    the GUI thread runs no TensorFlow for them, and its answers are those of the snapshot's weights."""
    import threading

    from convviz.gui.jobs import padinference
    from convviz.model import Model

    with qtbot.waitSignal(controller.inference_changed, timeout=LOAD_MS):
        controller.load_pretrained("lenet5")
    image = np.asarray(tiny_mnist.test_images[3, :, :, 0], np.float32)
    controller.predict_proba(image)  # the pad's question, asked of the pretrained weights
    copied_in = []
    real_set_weights = Model.set_weights

    def set_weights(model, weights):
        copied_in.append(threading.current_thread() is threading.main_thread())
        real_set_weights(model, weights)

    monkeypatch.setattr(Model, "set_weights", set_weights)
    monkeypatch.setattr(padinference, "QUESTION_KEPT_S", 600.0)  # a slow start must not age the question
    controller.set_data(tiny_mnist)
    shown = []

    def on_shown(model):
        if model.role is ModelRole.TRAINING:  # what the GUI thread answers now, without TensorFlow
            shown.append((model, controller.inference.answers.get(("predict_proba", image.tobytes()))))
            controller.predict_proba(image)  # asked again: the next snapshot's job answers it too

    controller.inference_changed.connect(on_shown)
    with qtbot.waitSignal(controller.state.run_state_changed, timeout=RUN_MS, check_params_cb=lambda r: not r.active):
        controller.set_speed(16.0)  # 32 batches in about 2 s: several snapshots, however busy the machine
        controller.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=8, seed=2))
    assert len(shown) >= 2 and copied_in and not any(copied_in)  # every snapshot copied in another thread
    fresh = Model("lenet5")
    try:
        for model, answer in shown:
            assert answer is not None  # answered by the job
            fresh.set_weights(model.weights)
            np.testing.assert_allclose(answer, fresh.predict_proba(image), atol=1e-5)
    finally:
        fresh.close()


def test_the_pads_question_does_not_wait_and_only_the_newest_answer_comes(controller, qtbot, tiny_mnist, monkeypatch):
    from convviz.gui.jobs import padinference

    with qtbot.waitSignal(controller.inference_changed, timeout=LOAD_MS):
        controller.load_pretrained("lenet5")
    monkeypatch.setattr(padinference, "PAD_WAIT_S", 0.0)  # as when the service is busy: the answer comes later
    answers = []
    controller.prediction_answered.connect(lambda number, p: answers.append((number, p)))
    first = np.asarray(tiny_mnist.test_images[1, :, :, 0], np.float32)
    second = np.asarray(tiny_mnist.test_images[2, :, :, 0], np.float32)
    older = controller.predict_proba_later(first)
    newest = controller.predict_proba_later(second)
    assert answers == []  # the GUI thread goes on; the service answers later
    qtbot.waitUntil(lambda: bool(answers), timeout=LOAD_MS)
    qtbot.wait(200)  # the older question's answer, had it been sent, would be here by now
    assert [number for number, _ in answers] == [newest] and newest > older
    np.testing.assert_allclose(answers[0][1], controller.predict_proba(second), atol=1e-6)
    # Asked again, the kept answer comes at once, and a question still open is answered no more.
    third = np.asarray(tiny_mnist.test_images[3, :, :, 0], np.float32)
    controller.predict_proba_later(third)
    again = controller.predict_proba_later(second)
    assert answers[-1][0] == again
    np.testing.assert_allclose(answers[-1][1], answers[0][1])
    qtbot.wait(200)
    assert [number for number, _ in answers] == [newest, again]
    # A quick answer is taken at once, before the call returns (not behind the GUI thread's other work).
    monkeypatch.setattr(padinference, "PAD_WAIT_S", 10.0)
    fourth = np.asarray(tiny_mnist.test_images[4, :, :, 0], np.float32)
    quick = controller.predict_proba_later(fourth)
    assert answers[-1][0] == quick
    np.testing.assert_allclose(answers[-1][1], controller.predict_proba(fourth), atol=1e-6)
    qtbot.wait(200)
    assert [number for number, _ in answers] == [newest, again, quick]  # its queued copy is not sent again

