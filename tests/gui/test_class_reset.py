"""Reset for class: the runs table, the plot's runs and the class set are cleared after a question that
says what goes where; the stored runs and the drawings move to a dated folder, nothing is deleted."""

from __future__ import annotations

import csv

import pytest
from PyQt5 import QtWidgets

from convviz.config import TrainConfig
from convviz.gui.panels.teach import FOLDER_ENV
from convviz.recording import SUFFIX
from tests.gui.windows import RUN_MS, draw, use_small_data


@pytest.fixture
def set_folder(tmp_path, monkeypatch):
    folder = tmp_path / "classset"
    monkeypatch.setenv(FOLDER_ENV, str(folder))
    return folder


def test_reset_for_class_asks_then_puts_runs_and_drawings_aside(make_window, qtbot, mnist, set_folder, monkeypatch):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=128, test=200)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=1, seed=1))
    run = finished.args[0]
    qtbot.waitUntil(lambda: run.record_id is not None and bool(window.state.stored_runs), timeout=RUN_MS)
    draw(window)
    assert window.teach.add_drawing(7) is not None
    assert len(window.runs.rows()) == 1 and window.loss.point_count() > 0
    stored = window.state.stored_runs[0].path
    questions = []

    def answer(reply):
        def question(parent, title, text, *args):
            questions.append((title, text))
            return reply

        return question

    # "No": nothing changes.
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", answer(QtWidgets.QMessageBox.No))
    assert window.replayer.reset_action.text() == "Reset for class…"
    window.replayer.reset_action.trigger()
    assert len(questions) == 1 and stored.is_file() and len(window.runs.rows()) == 1
    title, text = questions[0]
    assert title == "Reset for class"
    assert "1 run leaves the runs table" in text and "1 drawing leaves the class set" in text
    assert "Nothing is deleted" in text

    # "Yes": cleared, and everything is in the folder the question named.
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", answer(QtWidgets.QMessageBox.Yes))
    folder = window.class_reset.reset()
    assert folder is not None and str(folder) in questions[-1][1]
    assert window.runs.rows() == [] and window.state.stored_runs == []
    assert window.loss.point_count() == 0 and window.loss.run_keys() == [] and window.state.overlays == {}
    assert not stored.exists() and (folder / "runs" / stored.name).is_file()
    assert list((folder / "runs").glob("*" + SUFFIX)) == [folder / "runs" / stored.name]
    with open(folder / "classset" / "labels.csv", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["label"] == "7" and (folder / "classset" / row["file"]).is_file()
    assert not (set_folder / row["file"]).exists() and window.teach.widget.gallery_items() == []
    assert str(folder) in window.statusBar().currentMessage()
    # A second reset with nothing left asks again (0 runs, 0 drawings) and makes a folder of its own.
    second = window.class_reset.reset()
    assert second is not None and second != folder and "0 runs leave" in questions[-1][1]


def test_no_reset_while_a_run_trains(make_window, qtbot, mnist, monkeypatch):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=20000, test=200)
    asked = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *args: asked.append(args))
    window.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=1, seed=1))
    qtbot.waitUntil(lambda: window.is_training(), timeout=RUN_MS)
    assert window.class_reset.reset() is None and asked == []
    assert "a run is training" in window.error_text()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.stop()
