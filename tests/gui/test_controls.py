"""ControlsWidget: widgets -> TrainConfig, the requests it emits, and what is enabled when."""

from __future__ import annotations

import pytest
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.gui.panels import controls
from convviz.gui.panels.controls import ControlsWidget, LogSpinBox
from convviz.gui.state import AppState


@pytest.fixture
def widget(qtbot):
    w = ControlsWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def test_defaults_match_train_config(widget):
    assert widget.config() == TrainConfig()


def test_config_reflects_the_widgets(widget):
    widget.arch_combo.setCurrentIndex(widget.arch_combo.findData("lenet5"))
    widget.batching_combo.setCurrentIndex(widget.batching_combo.findData("dataset"))
    assert widget.batching_combo.currentText() == "tf.data"
    widget.batch_size_spin.setValue(128)
    widget.epochs_spin.setValue(3)
    widget.optimizer_combo.setCurrentIndex(widget.optimizer_combo.findData("sgd"))
    assert widget.lr_spin.value() == pytest.approx(0.05)  # suggested for SGD
    widget.lr_spin.setValue(0.1)
    widget.momentum_spin.setValue(0.9)
    widget.decay_spin.setValue(0.8)
    widget.seed_spin.setValue(42)
    widget.limit_spin.setValue(5000)
    assert widget.config() == TrainConfig(
        arch="lenet5",
        batching="dataset",
        batch_size=128,
        epochs=3,
        optimizer="sgd",
        learning_rate=0.1,
        momentum=0.9,
        lr_decay=0.8,
        seed=42,
        train_limit=5000,
    )
    widget.optimizer_combo.setCurrentIndex(widget.optimizer_combo.findData("adam"))
    assert widget.lr_spin.value() == pytest.approx(1e-3)
    assert widget.config().momentum == 0.0 and not widget.momentum_spin.isEnabled()
    widget.limit_spin.setValue(0)
    assert widget.config().train_limit is None and widget.limit_spin.text().startswith("all")


def test_set_config_round_trips(widget):
    config = TrainConfig(
        arch="dense",
        batching="estimator",
        batch_size=32,
        epochs=5,
        optimizer="sgd",
        learning_rate=0.02,
        momentum=0.5,
        lr_decay=0.9,
        seed=7,
        train_limit=1000,
        eval_batch_size=500,  # no widget: kept from the config shown
    )
    widget.set_config(config)
    assert widget.config() == config


def test_start_emits_the_config(widget, qtbot):
    widget.epochs_spin.setValue(2)
    with qtbot.waitSignal(widget.start_requested) as blocker:
        qtbot.mouseClick(widget.start_button, QtCore.Qt.LeftButton)
    assert blocker.args == [TrainConfig(epochs=2)]


def test_arch_change_emits_and_updates_info(widget, qtbot):
    with qtbot.waitSignal(widget.arch_changed) as blocker:
        widget.arch_combo.setCurrentIndex(widget.arch_combo.findData("dense"))
    assert blocker.args == ["dense"]
    assert widget.arch_info.text() == controls.describe_arch("dense", widget.batch_size_spin.value())
    widget.set_arch_info("300,010 parameters")
    assert widget.arch_info.text() == "300,010 parameters"


def test_set_running_toggles_enabled_state(widget, qtbot):
    settings = widget._setting_widgets()
    assert widget.start_button.isEnabled() and not widget.stop_button.isEnabled()
    assert not widget.pause_button.isEnabled()
    widget.set_running(True)
    assert not widget.start_button.isEnabled()
    assert widget.stop_button.isEnabled() and widget.pause_button.isEnabled()
    assert not any(w.isEnabled() for w in settings)
    assert not widget.load_button.isEnabled() and not widget.pretrained_button.isEnabled()
    assert not widget.save_button.isEnabled()

    with qtbot.waitSignal(widget.pause_requested):
        qtbot.mouseClick(widget.pause_button, QtCore.Qt.LeftButton)
    assert widget.pause_button.text() == "Resume" and widget.is_paused()
    assert widget.save_button.isEnabled()  # a paused run can be saved
    with qtbot.waitSignal(widget.resume_requested):
        qtbot.mouseClick(widget.pause_button, QtCore.Qt.LeftButton)
    assert widget.pause_button.text() == "Pause" and not widget.is_paused()

    with qtbot.waitSignal(widget.stop_requested):
        qtbot.mouseClick(widget.stop_button, QtCore.Qt.LeftButton)
    widget.set_running(False)
    assert widget.start_button.isEnabled() and not widget.stop_button.isEnabled()
    assert widget.arch_combo.isEnabled() and widget.load_button.isEnabled()


@pytest.mark.parametrize(
    ("button", "signal"),
    [
        ("save_button", "save_requested"),
        ("load_button", "load_requested"),
        ("pretrained_button", "pretrained_requested"),
    ],
)
def test_file_buttons_emit(widget, qtbot, button, signal):
    with qtbot.waitSignal(getattr(widget, signal)):
        qtbot.mouseClick(getattr(widget, button), QtCore.Qt.LeftButton)


def test_learning_rate_steps_on_a_log_ladder(qtbot):
    spin = LogSpinBox()
    qtbot.addWidget(spin)
    spin.setValue(1e-3)
    seen = []
    for _ in range(4):
        spin.stepBy(1)
        seen.append(spin.value())
    assert seen == pytest.approx([2e-3, 5e-3, 1e-2, 2e-2])
    spin.stepBy(-5)
    assert spin.value() == pytest.approx(5e-4)
    assert spin.textFromValue(5e-4) == "0.0005" and spin.valueFromText("3e-4") == pytest.approx(3e-4)
    spin.setValue(0.0007)  # off the ladder: the next step lands on it
    spin.stepBy(1)
    assert spin.value() == pytest.approx(1e-3)


def test_arch_info_from_the_memory_module():
    text = controls.describe_arch("dense", 64)
    assert "238,510 parameters" in text and "mini-batch (64)" in text  # 784*300+300 + 300*10+10


def test_step_is_offered_while_idle_or_paused_and_says_what_to_step(widget, qtbot):
    assert widget.step_button.isEnabled()  # with no run, Step starts one that steps
    widget.epochs_spin.setValue(3)
    with qtbot.waitSignal(widget.step_requested) as idle:
        qtbot.mouseClick(widget.step_button, QtCore.Qt.LeftButton)
    assert idle.args == [TrainConfig(epochs=3)]
    widget.set_running(True)
    assert not widget.step_button.isEnabled()  # a running run: pause first
    widget.set_running(True, paused=True)
    assert widget.step_button.isEnabled()
    with qtbot.waitSignal(widget.step_requested) as paused:
        qtbot.mouseClick(widget.step_button, QtCore.Qt.LeftButton)
    assert paused.args == [None]  # the paused run takes the step
    widget.set_running(True, paused=True, stepping=True)
    assert not widget.step_button.isEnabled() and widget.pause_button.text() == "Resume"
    widget.set_running(False)
    assert widget.step_button.isEnabled()


def test_step_with_a_bad_setting_says_why_and_asks_for_nothing(widget, qtbot):
    widget.set_config(TrainConfig(eval_batch_size=0))  # no widget can make a bad config; a config shown can
    requests = []
    widget.step_requested.connect(requests.append)
    qtbot.mouseClick(widget.step_button, QtCore.Qt.LeftButton)
    assert requests == [] and widget._status.isVisible() and widget._status.text()


def test_the_speed_is_always_free_and_says_batches_a_second(widget, qtbot):
    assert widget.speed() is None and widget.speed_combo.currentText() == "full speed"
    assert [widget.speed_combo.itemText(i) for i in range(widget.speed_combo.count())] == [
        "1 batch/s",
        "2 batches/s",
        "5 batches/s",
        "10 batches/s",
        "20 batches/s",
        "full speed",
    ]
    for running, paused in ((False, False), (True, False), (True, True)):
        widget.set_running(running, paused=paused)
        assert widget.speed_combo.isEnabled()
    with qtbot.waitSignal(widget.speed_changed) as changed:
        widget.speed_combo.setCurrentIndex(widget.speed_combo.findData(5.0))
    assert changed.args == [5.0] and widget.speed() == 5.0
    with qtbot.waitSignal(widget.speed_changed) as changed:
        widget.set_speed(None)
    assert changed.args == [None]
    with pytest.raises(ValueError):
        widget.set_speed(3.0)


def test_every_architecture_says_what_it_is(widget):
    from convviz.config import ARCHITECTURES

    combo = widget.arch_combo
    entries = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert entries.pop(controls.CUSTOM) == "your own…"  # the last entry opens the editor
    assert list(entries) == list(ARCHITECTURES)
    for arch, text in entries.items():
        name, _, gloss = text.partition(" — ")
        assert name == arch and len(gloss) > 10  # the short name, then what it is
    assert "exercise" in entries["template"] and "template" in entries["template"].split(" — ")[1]
    assert "previous exercise" in entries["dense"] and "LeNet-5" in entries["lenet5"]
    for arch in ARCHITECTURES:  # the line under the box follows the choice, with the layers
        combo.setCurrentIndex(combo.findData(arch))
        assert combo.display_text() == arch
        assert widget.arch_description.text() == controls.ARCH_GLOSSES[arch]
        assert widget.arch_description.toolTip().startswith(f"{arch}: ")  # and its layers
    combo.setCurrentIndex(combo.findData("template"))
    assert "exercise" in widget.arch_description.text()
    assert widget.arch_description.toolTip() == "template: conv 64@5x5, conv 64@5x5 valid, dense 128, dense 10"


def test_the_architecture_box_stays_narrow(widget):
    combo = widget.arch_combo
    longest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.sizeHint().width() < longest / 2  # closed: the short name only
    assert widget.minimumSizeHint().width() <= 0.4 * 1024  # the column leaves room at 1024x768
    combo.showPopup()
    try:
        assert combo.view().width() >= longest  # open: every entry whole
    finally:
        combo.hidePopup()


def _in_the_dialog(action) -> None:
    """Run ``action(dialog)`` once the architecture editor's dialog is open (it runs modal)."""
    from PyQt5 import QtWidgets

    def later():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(50, later)
            return
        action(dialog)

    QtCore.QTimer.singleShot(50, later)


def test_your_own_opens_the_editor_and_its_network_becomes_the_config(widget, qtbot):
    spec = "conv8@3x3-pool2-dense32"
    custom = widget.arch_combo.findData(controls.CUSTOM)
    assert custom == widget.arch_combo.count() - 1 and widget.arch_combo.itemText(custom) == "your own…"

    def use(dialog):
        assert dialog.editor.text() == "conv64@5x5-pool2-conv96@3x3-pool2-dense128"  # starts from the cnn
        dialog.editor.set_spec(spec)
        dialog.editor.accept_spec()

    _in_the_dialog(use)
    with qtbot.waitSignal(widget.arch_changed, timeout=10_000) as changed:
        widget.arch_combo.setCurrentIndex(custom)
    assert changed.args == [spec] and widget.config().arch == spec
    assert widget.arch_combo.currentData() == spec and widget.arch_combo.findData(controls.CUSTOM) == custom + 1
    assert "your own network" in widget.arch_description.text() and "parameters" in widget.arch_info.text()

    _in_the_dialog(lambda dialog: dialog.reject())  # cancelled: the network stays what it was
    widget.arch_combo.setCurrentIndex(widget.arch_combo.findData(controls.CUSTOM))
    qtbot.waitUntil(lambda: widget.arch_combo.currentData() == spec, timeout=10_000)
    qtbot.wait(100)
    assert widget.config().arch == spec and widget.arch_combo.currentData() == spec

    other = "pad2-conv6@5x5v-pool2-dense16"  # a loaded model's own network gets an entry of its own
    widget.set_config(TrainConfig(arch=other))
    assert widget.config().arch == other and widget.arch_combo.findData(spec) >= 0


def test_every_edit_goes_into_the_state(qtbot):
    state = AppState()
    widget = ControlsWidget(state)
    qtbot.addWidget(widget)
    seen = []
    state.config_changed.connect(seen.append)
    widget.epochs_spin.setValue(4)
    assert state.config == TrainConfig(epochs=4) and seen == [state.config]
    widget.arch_combo.setCurrentIndex(widget.arch_combo.findData("dense"))
    widget.optimizer_combo.setCurrentIndex(widget.optimizer_combo.findData("sgd"))  # and the rate it suggests
    assert state.config == TrainConfig(arch="dense", epochs=4, optimizer="sgd", learning_rate=0.05)
    assert len(seen) == 3  # one signal per edit
    assert widget.arch_info.text() == controls.describe_arch("dense", 64)
    widget.batch_size_spin.setValue(32)
    assert state.config.batch_size == 32
    assert widget.arch_info.text() == controls.describe_arch("dense", 32)  # the memory follows the batch size
    widget.limit_spin.setValue(0)
    widget.seed_spin.setValue(9)
    assert state.config.train_limit is None and state.config.seed == 9


def test_the_widgets_show_what_the_state_says(qtbot):
    state = AppState()
    state.set_config(TrainConfig(arch="lenet5", epochs=3))
    widget = ControlsWidget(state)  # built on a state that has a config: it shows that one
    qtbot.addWidget(widget)
    assert widget.arch_combo.currentData() == "lenet5" and widget.epochs_spin.value() == 3
    config = TrainConfig(
        arch="dense", batching="dataset", batch_size=16, epochs=2, optimizer="sgd", learning_rate=0.2,
        momentum=0.5, lr_decay=0.9, seed=5, train_limit=3000, eval_batch_size=250,
    )
    with qtbot.assertNotEmitted(widget.arch_changed), qtbot.assertNotEmitted(widget.start_requested):
        state.set_config(config)  # showing a config is not an edit
    assert state.config == config  # no widget wrote anything back
    assert widget.arch_combo.currentData() == "dense" and widget.batching_combo.currentData() == "dataset"
    assert widget.batch_size_spin.value() == 16 and widget.epochs_spin.value() == 2
    assert widget.optimizer_combo.currentData() == "sgd" and widget.lr_spin.value() == pytest.approx(0.2)
    assert widget.momentum_spin.value() == pytest.approx(0.5) and widget.momentum_spin.isEnabled()
    assert widget.decay_spin.value() == pytest.approx(0.9) and widget.seed_spin.value() == 5
    assert widget.limit_spin.value() == 3000
    assert widget.arch_info.text() == controls.describe_arch("dense", 16)
    state.set_config(config.replace(arch="conv8@3x3-dense10"))  # a custom spec gets an entry of its own
    assert widget.arch_combo.currentData() == "conv8@3x3-dense10"
    assert widget.config() == state.config


def test_start_validates_the_state_s_config(qtbot):
    state = AppState()
    widget = ControlsWidget(state)
    qtbot.addWidget(widget)
    state.set_config(TrainConfig(eval_batch_size=0))  # no widget says it: only the state can
    with qtbot.assertNotEmitted(widget.start_requested):
        qtbot.mouseClick(widget.start_button, QtCore.Qt.LeftButton)
    assert "Not started" in widget._status.text()


def test_count_spin_boxes_group_as_the_window_does_and_read_either_form(widget, qtbot):
    """German writes 3 000 in every label; its spin boxes did show 3000. Typing 3000, 3 000, 3.000 or
    3,000 all mean three thousand; 2,5 is no count."""
    from PyQt5 import QtGui

    from convviz.gui.common import i18n

    i18n.set_language("de")
    try:
        widget.limit_spin.setValue(3000)
        qtbot.waitUntil(lambda: widget.limit_spin.suffix() == " Bildern")  # LanguageChange is an event
        assert widget.limit_spin.text() == "3\u202f000 Bildern"
        for typed in ("3000", "3 000", "3\u202f000", "3.000", "3,000"):
            widget.limit_spin.lineEdit().setText(f"{typed} Bildern")
            widget.limit_spin.interpretText()
            assert widget.limit_spin.value() == 3000, typed
        widget.limit_spin.setValue(1000)
        widget.limit_spin.lineEdit().setText("12 500 Bildern")
        widget.limit_spin.interpretText()
        assert widget.limit_spin.value() == 12500
        assert widget.batch_size_spin.validate("2,5", 0)[0] != QtGui.QValidator.Acceptable
        assert controls.read_count("60\u202f000") == 60000
        with pytest.raises(ValueError):
            controls.read_count("2,5")
    finally:
        i18n.set_language("en")
    qtbot.waitUntil(lambda: widget.limit_spin.suffix() == " images")
    widget.limit_spin.setValue(3000)
    assert widget.limit_spin.text() == "3,000 images"
