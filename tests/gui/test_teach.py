"""The Teach panel: the class set from the pad, its gallery, teaching in the worker.

Offscreen, in the real window, with the pretrained cnn of assets/models and real MNIST.
The class set lives in a temporary folder ($CONVVIZ_CLASSSET_DIR). The before/after
numbers the panel shows are checked against an independent evaluation of the weights
with :class:`convviz.model.Model`; Undo must give back the exact previous weights.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PyQt5 import QtCore, QtWidgets

from convviz import classset as cs
from convviz import strokes
from convviz.gui.common import i18n
from convviz.gui.common.text import percent
from convviz.gui.panels.teach import FOLDER_ENV, TEACH_TITLE
from convviz.gui.state import ModelRole
from tests.gui.test_i18n import english_words, left_over
from tests.gui.windows import LOAD_MS, RUN_MS, draw


@pytest.fixture
def set_folder(tmp_path, monkeypatch):
    folder = tmp_path / "classset"
    monkeypatch.setenv(FOLDER_ENV, str(folder))
    return folder


@pytest.fixture
def back_to_english():
    yield
    if i18n.language() != "en" and QtWidgets.QApplication.instance() is not None:
        i18n.set_language("en")


def rows(folder) -> list:
    with open(folder / "labels.csv", newline="") as f:
        return [(row["file"], int(row["label"])) for row in csv.DictReader(f)]


def open_teach(make_window, qtbot):
    window = make_window(arch="cnn")
    window.show_panel(TEACH_TITLE)
    QtWidgets.QApplication.processEvents()
    return window, window.teach


def test_a_click_on_a_digit_adds_the_drawing_and_the_gallery_can_edit_clear_export_import(
    make_window, qtbot, set_folder, tmp_path
):
    window, teach = open_teach(make_window, qtbot)
    panel = teach.widget
    assert panel.folder() == set_folder and panel.gallery_items() == []

    # Nothing drawn: nothing added, and the panel says so.
    window.drawpad.clear()
    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)
    assert not (set_folder / "labels.csv").exists() and "Draw a digit" in panel.status_text()

    draw(window)  # a 3
    canvas = window.drawpad.image().copy()
    qtbot.mouseClick(panel.digit_buttons[8], QtCore.Qt.LeftButton)  # "it is an 8" (the set keeps what it is told)
    ((file, label),) = rows(set_folder)
    assert label == 8 and (set_folder / file).is_file()
    # The PNG is the pad's drawing: read back as the network sees it, it equals the canvas's 28x28 input.
    entry = cs.read_labels(set_folder)[0]
    from convviz.preprocess import to_mnist

    np.testing.assert_allclose(cs.read_drawing(set_folder, entry), to_mnist(canvas), atol=1 / 255 + 1e-6)
    assert panel.gallery_items() == [(file, "8")]
    assert panel.gallery.item(0).icon().availableSizes() != []  # a thumbnail, not an empty tile

    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)  # the same drawing, now as a 3
    assert [label for _, label in rows(set_folder)] == [8, 3]
    second = rows(set_folder)[1][0]
    assert panel.gallery_items() == [(second, "3"), (file, "8")]  # newest first

    # Relabel the first one: 8 -> 3.
    panel.select_files([file])
    panel.relabel_box.setCurrentIndex(3)
    qtbot.mouseClick(panel.relabel_button, QtCore.Qt.LeftButton)
    assert rows(set_folder) == [(file, 3), (second, 3)]
    assert dict(panel.gallery_items())[file] == "3"

    # Export, delete one, clear, import the export back.
    exported = panel.export_to(tmp_path / "export")
    assert sorted(label for _, label in rows(exported)) == [3, 3]
    panel.select_files([second])
    qtbot.mouseClick(panel.delete_button, QtCore.Qt.LeftButton)
    assert rows(set_folder) == [(file, 3)] and not (set_folder / second).exists()
    assert panel.clear_set() == 1
    assert rows(set_folder) == [] and not (set_folder / file).exists() and panel.gallery_items() == []
    assert panel.import_from(exported) == 2
    assert [label for _, label in rows(set_folder)] == [3, 3] and len(panel.gallery_items()) == 2
    # A bad import says why in one line and changes nothing.
    (tmp_path / "bad").mkdir()
    assert panel.import_from(tmp_path / "bad") == 0
    assert "Not imported" in panel.status_text() and "\n" not in panel.status_text()
    assert len(rows(set_folder)) == 2


def fill_set(folder, per_style: int = 4) -> None:
    """Continental forms the cnn misreads, rendered as the pad draws them."""
    rng = np.random.RandomState(3)
    for digit, style in ((7, "crossed"), (1, "flagged"), (9, "hooked")):
        for _ in range(per_style):
            cs.add_drawing(folder, strokes.draw_digit(digit, style, rng), digit)


def accuracy(model, images, labels):
    return None if len(labels) == 0 else model.accuracy(images, labels)


def test_teach_runs_in_the_worker_shows_true_before_and_after_and_undo_restores_the_weights(
    make_window, qtbot, set_folder, mnist
):
    from convviz.model import Model

    fill_set(set_folder)
    window, teach = open_teach(make_window, qtbot)
    panel = teach.widget
    assert len(panel.gallery_items()) == 12
    before_ref = window.state.model
    before_weights = {k: np.array(v, copy=True) for k, v in before_ref.weights.items()}
    from convviz.preprocess import to_mnist

    probe = to_mnist(strokes.draw_digit(7, "crossed", np.random.RandomState(11)))
    qtbot.waitUntil(lambda: window.controller.predict_proba(probe) is not None, timeout=LOAD_MS)
    proba_before = window.controller.predict_proba(probe)

    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    teach_job_progress = []
    teach.started.connect(lambda: teach.job.progressed.connect(lambda p: teach_job_progress.append((p.phase, p.step))))
    with qtbot.waitSignal(teach.taught, timeout=RUN_MS) as taught:
        assert teach.teach(steps=8)
        assert not panel.teach_button.isEnabled() and panel.cancel_button.isEnabled()
    timer.stop()
    result = taught.args[0]
    phases = [phase for phase, _ in teach_job_progress]
    assert "training" in phases and phases[-1] == "after" and panel.progress() == 100
    assert len(ticks) >= 5  # the GUI thread kept running while the worker taught
    qtbot.waitUntil(lambda: not teach.busy(), timeout=5000)
    assert panel.teach_button.isEnabled() and panel.undo_button.isEnabled()

    # The pad's model is the taught one.
    model = window.state.model
    assert model.weights is result.weights and model.arch == "cnn"
    assert any(not np.array_equal(result.weights[k], before_weights[k]) for k in before_weights)
    for k in before_weights:
        np.testing.assert_array_equal(result.weights_before[k], before_weights[k])
    qtbot.waitUntil(lambda: not np.allclose(window.controller.predict_proba(probe), proba_before), timeout=LOAD_MS)
    assert model.role is ModelRole.TAUGHT and "taught" in window.prediction.model_text()
    # Save… writes the taught network as a normal model folder: the CLI and the app load exactly it.
    saved = window.save_model(set_folder.parent / "taught-cnn")
    with Model.load(saved) as reloaded:
        for k, value in reloaded.get_weights().items():
            np.testing.assert_array_equal(value, result.weights[k])
        assert reloaded.meta["finetuned"]["drawings"] == len(result.labels)

    # The numbers shown equal an independent evaluation of the weights before and after.
    class_set = cs.load_class_set(set_folder)
    taught_idx, held_idx = result.taught, result.held
    assert len(taught_idx) + len(held_idx) == 12 and len(held_idx) > 0
    expected = []
    for weights in (before_weights, result.weights):
        with Model("cnn", weights) as independent:
            expected.append(
                (
                    accuracy(independent, class_set.images[taught_idx], class_set.labels[taught_idx]),
                    accuracy(independent, class_set.images[held_idx], class_set.labels[held_idx]),
                    independent.accuracy(mnist.test_images, mnist.test_labels),
                )
            )
    (b_set, b_held, b_mnist), (a_set, a_held, a_mnist) = expected
    assert result.before.class_set == pytest.approx(b_set) and result.after.class_set == pytest.approx(a_set)
    assert result.before.held_back == pytest.approx(b_held) and result.after.held_back == pytest.approx(a_held)
    assert result.before.mnist_test == pytest.approx(b_mnist, abs=2e-4)
    assert result.after.mnist_test == pytest.approx(a_mnist, abs=2e-4)
    shown = panel.score_texts()
    assert shown[0] == [percent(b_set), percent(a_set)]
    assert shown[1] == [percent(b_held), percent(a_held)]
    assert shown[2] == [percent(result.before.mnist_test), percent(result.after.mnist_test)]
    assert abs(float(shown[2][0].split()[0]) - 100 * b_mnist) <= 0.02
    assert model.meta["test_accuracy"] == result.after.mnist_test
    # Each thumbnail says what was read before and after teaching, held-back ones marked.
    shown_items = dict(panel.gallery_items())
    for i, file in enumerate(class_set.files):
        label, b, a = class_set.labels[i], result.before.predictions[i], result.after.predictions[i]
        assert shown_items[file] == (str(label) if b == a == label else f"{label} ({b}→{a})")
    tips = {panel.gallery.item(r).data(QtCore.Qt.UserRole): panel.gallery.item(r).toolTip() for r in range(12)}
    assert sorted(f for f, tip in tips.items() if "held back" in tip) == sorted(class_set.files[i] for i in held_idx)

    # Undo: the exact weights from before, in the pad too.
    with qtbot.waitSignal(teach.undone, timeout=5000):
        qtbot.mouseClick(panel.undo_button, QtCore.Qt.LeftButton)
    restored = window.state.model.weights
    assert sorted(restored) == sorted(before_weights)
    for k in before_weights:
        assert restored[k].dtype == before_weights[k].dtype
        np.testing.assert_array_equal(restored[k], before_weights[k])
    qtbot.waitUntil(
        lambda: np.allclose(window.controller.predict_proba(probe), proba_before, atol=1e-6), timeout=LOAD_MS
    )
    assert not panel.undo_button.isEnabled() and "Undone" in panel.status_text()


def test_cancel_stops_teaching_and_leaves_the_network_unchanged(make_window, qtbot, set_folder):
    fill_set(set_folder, per_style=2)
    window, teach = open_teach(make_window, qtbot)
    panel = teach.widget
    model = window.state.model
    training = []
    teach.started.connect(
        lambda: teach.job.progressed.connect(lambda p: training.append(p) if p.phase == "training" else None)
    )
    with qtbot.waitSignal(teach.cancelled, timeout=RUN_MS):
        assert teach.teach(steps=5000)
        assert not teach.teach(steps=5)  # one at a time
        qtbot.waitUntil(lambda: bool(training), timeout=RUN_MS)
        qtbot.mouseClick(panel.cancel_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: not teach.busy(), timeout=10000)
    assert window.state.model is model and teach.result is None
    assert training[-1].step < 5000 and "cancelled" in panel.status_text()
    assert panel.teach_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert not panel.undo_button.isEnabled()


def test_an_empty_set_is_refused_in_one_line_and_no_teaching_while_a_run_trains(make_window, qtbot, set_folder, mnist):
    from convviz.config import TrainConfig
    from convviz.gui.state import RunState
    from tests.gui.windows import use_small_data

    window, teach = open_teach(make_window, qtbot)
    assert not teach.teach(steps=5) and teach.job is None
    assert "empty" in teach.widget.status_text()

    fill_set(set_folder, per_style=1)
    teach.widget.reload()
    use_small_data(window, mnist, train=640, test=200)
    window.step(TrainConfig(arch="cnn", batch_size=64, epochs=1, seed=3))
    qtbot.waitUntil(lambda: window.state.run_state is RunState.PAUSED, timeout=RUN_MS)
    assert not teach.widget.teach_button.isEnabled()
    assert not teach.teach(steps=5) and teach.job is None and "training run" in teach.widget.status_text()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.stop()
    qtbot.waitUntil(lambda: teach.widget.teach_button.isEnabled(), timeout=5000)


def test_the_panel_speaks_german(make_window, qtbot, set_folder, back_to_english):
    fill_set(set_folder, per_style=1)
    window, teach = open_teach(make_window, qtbot)
    window.set_language("de")
    QtWidgets.QApplication.processEvents()
    problems = left_over(teach.widget, english_words())
    assert problems == [], "\n".join(map(str, problems))
    assert teach.widget.teach_button.text() == "Lehren"
    tab_texts = [
        tabs.tabText(i) for tabs in window.panels.findChildren(QtWidgets.QTabWidget) for i in range(tabs.count())
    ]
    assert "Lehren" in tab_texts
