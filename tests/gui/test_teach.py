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
from convviz.gui.panels.teach import FOLDER_ENV, TEACH_TITLE, held_back_text, score_text
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


def settled(panel, qtbot):
    """The gallery loads in a job: wait until its newest reading has arrived."""
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=LOAD_MS)
    return panel


def open_teach(make_window, qtbot):
    window = make_window(arch="cnn")
    window.show_panel(TEACH_TITLE)
    QtWidgets.QApplication.processEvents()
    settled(window.teach.widget, qtbot)
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
    assert settled(panel, qtbot).gallery_items() == [(file, "8")]
    assert panel.gallery.item(0).icon().availableSizes() != []  # a thumbnail, not an empty tile

    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)  # the same drawing, now as a 3
    assert [label for _, label in rows(set_folder)] == [8, 3]
    second = rows(set_folder)[1][0]
    assert settled(panel, qtbot).gallery_items() == [(second, "3"), (file, "8")]  # newest first

    # Relabel the first one: 8 -> 3.
    panel.select_files([file])
    panel.relabel_box.setCurrentIndex(3)
    qtbot.mouseClick(panel.relabel_button, QtCore.Qt.LeftButton)
    assert rows(set_folder) == [(file, 3), (second, 3)]
    assert dict(settled(panel, qtbot).gallery_items())[file] == "3"

    # Export, delete one, clear, import the export back.
    exported = panel.export_to(tmp_path / "export")
    assert sorted(label for _, label in rows(exported)) == [3, 3]
    panel.select_files([second])
    qtbot.mouseClick(panel.delete_button, QtCore.Qt.LeftButton)
    assert rows(set_folder) == [(file, 3)] and not (set_folder / second).exists()
    assert panel.clear_set() == 1
    assert rows(set_folder) == [] and not (set_folder / file).exists() and settled(panel, qtbot).gallery_items() == []
    assert panel.import_from(exported) == 2
    assert [label for _, label in rows(set_folder)] == [3, 3] and len(settled(panel, qtbot).gallery_items()) == 2
    assert {e.writer for e in cs.read_labels(set_folder)} == {"export"}  # no writer column: the folder's name
    # A bad import says why in one line and changes nothing.
    (tmp_path / "bad").mkdir()
    assert panel.import_from(tmp_path / "bad") == 0
    assert "Not imported" in panel.status_text() and "\n" not in panel.status_text()
    assert len(rows(set_folder)) == 2


def test_the_writer_field_names_each_drawing_and_import_merges_students_keeping_good_files(
    make_window, qtbot, set_folder, tmp_path
):
    window, teach = open_teach(make_window, qtbot)
    panel = teach.widget
    draw(window)
    panel.writer_edit.setText(" Anna ")
    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)
    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)  # the writer stays for the session
    assert [e.writer for e in cs.read_labels(set_folder)] == ["Anna", "Anna"]
    assert "drawn by Anna" in settled(panel, qtbot).gallery.item(0).toolTip()
    panel.writer_edit.setText("a/b")  # not a writer's name: one line, nothing added
    qtbot.mouseClick(panel.digit_buttons[3], QtCore.Qt.LeftButton)
    assert "Not added" in panel.status_text() and "\n" not in panel.status_text() and len(rows(set_folder)) == 2
    # Import a folder of two students' sets, one file of which is broken.
    for student, seed in (("ben", 1), ("carla", 2)):
        for image in strokes.drawn_digits(2, seed=seed, forms=[(7, "crossed")]).images:
            cs.add_drawing(tmp_path / "class" / student, image, 7)
    (tmp_path / "class" / "carla" / "7-0002.png").write_bytes(b"broken")
    assert panel.import_from(tmp_path / "class") == 3
    status = panel.status_text()
    assert "3 drawings imported; writers: 2; left out: 1" in status and "7-0002.png" in status
    assert [e.writer for e in cs.read_labels(set_folder)] == ["Anna", "Anna", "ben", "ben", "carla"]
    assert len(settled(panel, qtbot).gallery_items()) == 5


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
    n_taught, n_held, n_test = len(taught_idx), len(held_idx), len(mnist.test_labels)
    assert shown[0] == [score_text(round(b_set * n_taught), n_taught), score_text(round(a_set * n_taught), n_taught)]
    assert shown[1] == [held_back_text(round(b_held * n_held), n_held), held_back_text(round(a_held * n_held), n_held)]
    assert n_held < 10 and shown[1][1] == f"too few held back to say ({n_held})"  # no score from a handful
    assert shown[2] == [score_text(*result.before.counts[2]), score_text(*result.after.counts[2])]
    assert (
        shown[2][0]
        .replace(",", "")
        .startswith(  # count() groups thousands
            f"{100 * b_mnist:.1f} % ({round(b_mnist * n_test)}/{n_test})\n95 %: "
        )
    )
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
    settled(teach.widget, qtbot).reload()
    settled(teach.widget, qtbot)
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


# ---- hostile class sets: the gallery reads them in a job, with the CLI's checks ------------------------


def _png_header_only(path, width: int, height: int):
    """A PNG whose header announces ``width`` x ``height`` pixels and whose data is empty."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def hostile_set(folder) -> dict:
    """Six drawings, among them a FIFO, a PNG announcing 100,000 x 100,000 pixels and a link out of the set."""
    import os

    fill_set(folder, per_style=2)
    good, fifo, bomb, link = (e.file for e in cs.read_labels(folder)[:4])
    os.unlink(folder / fifo)
    os.mkfifo(str(folder / fifo))
    _png_header_only(folder / bomb, 100_000, 100_000)
    outside = folder.parent / "outside.png"
    outside.write_bytes((folder / good).read_bytes())
    os.unlink(folder / link)
    os.symlink(str(outside), str(folder / link))
    return {"good": good, "fifo": fifo, "bomb": bomb, "link": link}


def test_thumbnails_are_checked_before_decoding(tmp_path):
    from convviz.gui.jobs.teachjobs import THUMB_PX, _Refused, thumbnail
    from convviz.preprocess import MAX_IMAGE_PIXELS

    folder = tmp_path / "set"
    files = hostile_set(folder)
    pixels = thumbnail(folder, files["good"], MAX_IMAGE_PIXELS)
    assert pixels.dtype == np.uint8 and pixels.shape[2] == 4 and max(pixels.shape[:2]) <= THUMB_PX
    for kind, reason in (("fifo", "named pipe"), ("bomb", "too large"), ("link", "leads outside the folder")):
        with pytest.raises(_Refused, match=reason):
            thumbnail(folder, files[kind], MAX_IMAGE_PIXELS)
    with pytest.raises(_Refused, match="does not exist"):
        thumbnail(folder, "9-9999.png", MAX_IMAGE_PIXELS)


def test_a_fifo_in_the_class_set_does_not_stop_the_window_and_teaching_refuses_it(make_window, qtbot, set_folder):
    files = hostile_set(set_folder)
    window = make_window(arch="lenet5")  # opens: the gallery's job, not the constructor, meets the FIFO
    panel = settled(window.teach.widget, qtbot)
    items = {
        panel.gallery.item(r).data(QtCore.Qt.UserRole): panel.gallery.item(r) for r in range(panel.gallery.count())
    }
    assert set(files.values()) <= set(items)
    assert "named pipe" in items[files["fifo"]].toolTip()
    assert "too large" in items[files["bomb"]].toolTip()
    assert "leads outside the folder" in items[files["link"]].toolTip()
    assert items[files["good"]].toolTip() == files["good"] and not panel.gallery_progress.isVisible()
    # Teaching reads the set with the CLI's reader: the FIFO is refused in one line, nothing waits on it.
    with qtbot.waitSignal(window.teach.failed, timeout=RUN_MS) as failed:
        assert window.teach.teach(steps=1)
    message = failed.args[0].message
    assert "\n" not in message and any(name in message for name in files.values())
    qtbot.waitUntil(lambda: not window.teach.busy(), timeout=5000)


def test_the_gallery_shows_its_progress_and_a_newer_reload_wins(make_window, qtbot, set_folder):
    fill_set(set_folder, per_style=2)
    _window, teach = open_teach(make_window, qtbot)
    panel = teach.widget
    generations = []
    panel.gallery_requested.connect(lambda generation, _folder: generations.append(generation))
    panel.reload()
    first = teach.gallery_job
    panel.reload()  # the first reading is cancelled, and whatever it still sends is dropped
    assert panel.is_loading() and teach.gallery_job is not first and generations[1] == generations[0] + 1
    settled(panel, qtbot)
    assert len(panel.gallery_items()) == 6 and not panel.gallery_progress.isVisible()
    # The progress line, as the job reports it: shown while drawings remain, gone when the last has come.
    panel.reload()
    current = generations[-1]
    panel.show_gallery_progress(current - 1, 1, 6)  # an old reading's: ignored
    assert not panel.gallery_progress.isVisible()
    panel.show_gallery_progress(current, 3, 6)
    assert panel.gallery_progress.isVisible() and "3 of 6" in panel.gallery_progress.text()
    settled(panel, qtbot)
    assert not panel.gallery_progress.isVisible()
