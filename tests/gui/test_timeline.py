"""The filter timeline: scrubbing, Play, a live log, the GIF; on a real recorded run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PyQt5 import QtCore, QtWidgets

from convviz.gui.panels.filters import FiltersWidget
from convviz.gui.panels.loss import LossWidget
from convviz.gui.panels.timeline import PLAY_SPEEDS, TimelineWidget, cursor_x, media_folder, play_interval_ms
from convviz.recording import SnapshotLog, load_record
from tests.gui.recorded import record_small_run


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    return load_record(record_small_run(tmp_path_factory.mktemp("rec")))


class CursorLoss(LossWidget):
    """The real loss panel; remembers the cursor positions it was given (set_cursor may be the panel's own)."""

    def __init__(self):
        super().__init__()
        self.cursors = []
        self._own = getattr(LossWidget, "set_cursor", None)

    def set_cursor(self, x):
        self.cursors.append(x)
        if self._own is not None:
            self._own(self, x)


def make(qtbot, record=None):
    filters, loss = FiltersWidget(), CursorLoss()
    for w in (filters, loss):
        qtbot.addWidget(w)
    if record is not None:
        filters.set_kernels({k.split("/")[0]: v for k, v in record.final_weights.items() if k.endswith("/kernel")})
        loss.set_train_size(record.train_size)
    timeline = TimelineWidget(filters, loss)
    qtbot.addWidget(timeline)
    return timeline, filters, loss


def test_the_slider_scrubs_a_finished_run_and_the_filters_show_that_frame(qtbot, record):
    timeline, filters, loss = make(qtbot, record)
    t = record.timeline
    assert len(t) == 21 and t.kernel_layer == "conv1"
    loss.set_x_mode("examples")
    timeline.set_timeline(t, record.train_size)
    assert timeline.count() == len(t) and timeline.at_end()
    np.testing.assert_array_equal(filters.shown_kernels("conv1"), t.kernels[-1].astype(np.float32))
    for i in (0, 7, 13):
        timeline.slider.setValue(i)  # as a drag does
        np.testing.assert_array_equal(filters.shown_kernels("conv1"), t.kernels[i].astype(np.float32))
        assert not np.array_equal(filters.shown_kernels("conv1"), record.final_weights["conv1/kernel"])
        assert loss.cursors[-1] == pytest.approx(float(t.examples_seen[i]))  # x: examples seen
        if hasattr(loss, "cursor"):
            assert loss.cursor() == pytest.approx(float(t.examples_seen[i]))
        assert str(t.steps[i]) in timeline.label.text()
        np.testing.assert_array_equal(timeline.shown_maps(), t.maps[i].astype(np.float32))  # the probe's maps too
        assert not timeline.maps_graphics.isHidden() and timeline.maps_image.image is not None
    # The other layers stay the model's; epochs as the x unit moves the cursor in epochs.
    np.testing.assert_array_equal(filters._kernels["conv2"], record.final_weights["conv2/kernel"])
    timeline.set_index(10)
    loss.set_x_mode("epochs")  # the cursor follows the unit
    assert loss.cursors[-1] == pytest.approx(t.examples_seen[10] / record.train_size)
    assert cursor_x(loss, t.examples_seen[10], record.train_size, t.seconds[10]) == loss.cursors[-1]
    timeline.set_timeline(None)
    assert filters.frame_layer() is None and loss.cursors[-1] is None
    np.testing.assert_array_equal(filters.shown_kernels("conv1"), record.final_weights["conv1/kernel"])


def test_play_goes_from_noise_to_the_final_filters_and_stops(qtbot, record):
    timeline, filters, _ = make(qtbot, record)
    timeline.set_timeline(record.timeline, record.train_size)
    shown = []
    timeline.frame_shown.connect(shown.append)
    timeline.play()
    assert timeline.is_playing() and shown[0] == 0
    qtbot.waitUntil(lambda: not timeline.is_playing(), timeout=10000)
    assert shown == list(range(len(record.timeline)))
    np.testing.assert_array_equal(filters.shown_kernels("conv1"), record.timeline.kernels[-1].astype(np.float32))
    assert timeline.play_button.text() == "Play"


def test_a_live_log_grows_and_stays_bounded(qtbot, record):
    timeline, filters, _ = make(qtbot, record)
    w = dict(record.final_weights)
    log = SnapshotLog.for_run("lenet5", 1000)
    timeline.set_log(log, record.train_size)
    assert timeline.count() == 0 and "no snapshots" in timeline.label.text()
    counts = []
    rng = np.random.default_rng(0)
    for step in range(0, 3000):  # three times longer than planned: the log thins
        if log.due(step):
            w["conv1/kernel"] = rng.normal(size=w["conv1/kernel"].shape).astype(np.float32)
            log.add_weights(step, 64 * step, 0.01 * step, w)
        if step % 250 == 0:
            timeline.refresh()
            counts.append(timeline.count())
    timeline.refresh()
    assert counts[1] > counts[0] and max(counts) <= 200 and timeline.count() <= 200
    assert timeline.at_end() and filters.frame_layer() is None  # live at the end: the model's own weights
    timeline.set_index(3)
    np.testing.assert_array_equal(filters.shown_kernels("conv1"), timeline.timeline().kernels[3].astype(np.float32))
    timeline.finish_live()
    assert not timeline._live_timer.isActive()


def test_save_gif_writes_one_frame_per_snapshot(qtbot, record, tmp_path):
    timeline, _, _ = make(qtbot, record)
    timeline.set_timeline(record.timeline, record.train_size)
    path = tmp_path / "filters.gif"
    with qtbot.waitSignal(timeline.gif_saved, timeout=30000):
        timeline.save_gif(path)
    timeline.wait_jobs()
    with Image.open(path) as gif:
        assert gif.n_frames == len(record.timeline)
    failed = []
    timeline.gif_failed.connect(failed.append)
    with qtbot.waitSignal(timeline.gif_failed, timeout=30000):
        timeline.save_gif(tmp_path / "no-such-folder" / "x.gif")
    timeline.wait_jobs()
    assert len(failed) == 1 and "\n" not in failed[0]


def test_play_has_a_speed_the_user_can_choose(qtbot, record):
    timeline, _, _ = make(qtbot, record)
    timeline.set_timeline(record.timeline, record.train_size)
    assert timeline.play_speed() == 1.0 and timeline._play_timer.interval() == play_interval_ms(1.0)
    texts = [timeline.speed_combo.itemText(i) for i in range(timeline.speed_combo.count())]
    assert texts == [f"{s:g}\u00d7" for s in PLAY_SPEEDS]
    timeline.speed_combo.setCurrentIndex(PLAY_SPEEDS.index(4.0))  # as the user picks it
    assert timeline.play_speed() == 4.0 and timeline._play_timer.interval() == play_interval_ms(4.0)
    assert play_interval_ms(4.0) * 4 == pytest.approx(play_interval_ms(1.0), abs=4)
    timeline.set_play_speed(0.25)  # slower than ever before: four times the time per frame
    assert timeline.speed_combo.currentData() == 0.25 and timeline._play_timer.interval() == play_interval_ms(0.25)
    with pytest.raises(ValueError):
        timeline.set_play_speed(3.0)
    timeline.set_play_speed(4.0)
    shown = []
    timeline.frame_shown.connect(shown.append)
    timeline.play()
    qtbot.waitUntil(lambda: not timeline.is_playing(), timeout=10000)
    assert shown == list(range(len(record.timeline)))  # every frame, faster


def test_the_speeds_are_written_with_a_decimal_comma_in_german(qtbot, record):
    from convviz.gui.common import i18n

    timeline, _, _ = make(qtbot, record)
    i18n.set_language("de")
    QtWidgets.QApplication.processEvents()  # the LanguageChange event
    try:
        texts = [timeline.speed_combo.itemText(i) for i in range(timeline.speed_combo.count())]
        assert texts[:2] == ["0,25\u00d7", "0,5\u00d7"]
    finally:
        i18n.set_language("en")


def test_save_gif_suggests_the_pictures_or_the_home_folder(qtbot, record, monkeypatch, tmp_path):
    timeline, _, _ = make(qtbot, record)
    timeline.set_timeline(record.timeline, record.train_size)
    asked = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *args, **kw: asked.append(args) or ("", ""))
    monkeypatch.chdir(tmp_path)  # the program's folder: never suggested
    timeline.ask_save_gif()
    suggested = Path(asked[0][2])
    assert suggested.name == "convviz-filters.gif" and suggested.is_absolute()
    assert suggested.parent == media_folder() and suggested.parent != tmp_path
    pictures = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.PicturesLocation)
    assert suggested.parent in {Path(pictures), Path.home()}
    monkeypatch.setattr(QtCore.QStandardPaths, "writableLocation", lambda _kind: str(tmp_path / "no-such"))
    assert media_folder() == Path.home()  # no pictures folder: the home folder
