"""The filter timeline: a slider under the filters that scrubs through a run's snapshots.

:class:`TimelineWidget` shows one frame of a :class:`~convviz.recording.Timeline`
(a finished or recorded run) or of a live :class:`~convviz.recording.SnapshotLog`
(a run that is training): that moment's first-layer kernels in the filters panel
(:meth:`FiltersWidget.show_frame`), the probe digit's probabilities in its label,
and the loss curve's cursor at that moment (``loss.set_cursor(x)`` where the loss
panel has one). Play animates from the first frame (noise) to the last; "Save GIF…"
writes the animation with :func:`convviz.recording.filters_gif` in a job, off the
GUI thread.

A live run's slider follows the newest frame while it sits at the right end: the
filters then show the model's newest weights (as without a timeline). Drag it back
and the filters show that frame until the slider is at the end again.

No TensorFlow and no controller here: the window hands a ``run_job`` (the
controller's) for the GIF job; without one the widget runs the job in a QThread
of its own.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.gui.common import theme, tiles
from convviz.gui.common.i18n import Retranslated, count, decimal, translate
from convviz.gui.common.i18n import percent as i18n_percent
from convviz.gui.common.threads import start_job
from convviz.recording import SnapshotLog, Timeline, filters_gif

log = logging.getLogger(__name__)

PLAY_FPS = 15  # frames a second while playing at 1x: ~200 frames in 13 s
PLAY_SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)  # Play's speeds: slow enough to talk over, fast enough to skim
LIVE_REFRESH_MS = 1000  # a live log is looked at this often (its frames are copied only when it grew)
MAPS_THUMB_PX = 64  # the probe digit's first-layer maps beside the slider, as one small mosaic


class GifJob(QtCore.QObject):
    """Writes a timeline's GIF in a worker thread: ``saved(Path)`` or ``failed(str)``, then ``finished``."""

    saved = QtCore.pyqtSignal(object)
    failed = QtCore.pyqtSignal(str)
    finished = QtCore.pyqtSignal()

    def __init__(self, source, path, train_size: int | None = None):
        super().__init__()
        self.source, self.path, self.train_size = source, Path(path), train_size

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            self.saved.emit(filters_gif(self.source, self.path, train_size=self.train_size))
        except Exception as exc:  # RecordingError (a bad path, no timeline), an OSError: one line
            log.info("GIF not written: %s", exc)
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        finally:
            self.finished.emit()


class TimelineWidget(Retranslated, QtWidgets.QWidget):
    """Slider, Play/Pause and Save GIF… for the snapshots of the run shown.

    Parameters
    ----------
    filters
        The FiltersWidget whose first layer shows the chosen frame (``show_frame``/``clear_frame``).
    loss
        The loss panel; its ``set_cursor(x or None)`` marks the frame's moment (skipped if it has none).
    run_job
        ``run_job(job) -> QThread`` for the GIF job (the controller's); None: a thread of its own.

    Signals: ``frame_shown(int)`` (the index shown), ``gif_saved(Path)``, ``gif_failed(str)``,
    ``playing_changed(bool)``.
    """

    frame_shown = QtCore.pyqtSignal(int)
    gif_saved = QtCore.pyqtSignal(object)
    gif_failed = QtCore.pyqtSignal(str)
    playing_changed = QtCore.pyqtSignal(bool)

    def __init__(self, filters=None, loss=None, run_job=None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._filters, self._loss, self._run_job = filters, loss, run_job
        self._timeline: Timeline | None = None
        self._log: SnapshotLog | None = None
        self._log_length = -1
        self._limit: int | None = None  # frames reached so far (a replay reveals them as it goes)
        self._train_size: int | None = None
        self._live = False
        self._shown: int | None = None
        self._jobs: set = set()
        self._threads: set = set()

        self.play_button = QtWidgets.QPushButton()
        self.play_button.setCheckable(True)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Horizontal)
        self.slider.setMinimum(0)
        self.slider.setPageStep(10)
        self.label = QtWidgets.QLabel()
        self.label.setStyleSheet(f"color: {theme.MUTED}")
        self.gif_button = QtWidgets.QPushButton()
        self.speed_combo = QtWidgets.QComboBox()  # Play's speed; its texts: retranslate() (a decimal comma in German)
        for speed in PLAY_SPEEDS:
            self.speed_combo.addItem("", speed)
        self.speed_combo.setCurrentIndex(PLAY_SPEEDS.index(1.0))
        # The probe digit's feature maps of the frame's moment: they sharpen from noise as the filters form.
        self.maps_graphics = pg.GraphicsLayoutWidget()
        self.maps_graphics.setFixedSize(MAPS_THUMB_PX, MAPS_THUMB_PX)
        self.maps_graphics.ci.setContentsMargins(0, 0, 0, 0)
        self._maps_view, self.maps_image = theme.image_view(self.maps_graphics)
        self.maps_image.setLookupTable(theme.sequential_lut())
        self.maps_graphics.hide()
        # The probe's maps on the left; Play, the slider and Save GIF on top, the moment's words under them
        # (in one row the words took the slider's room: in the 1920x1080 grid it shrank to a dot).
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.maps_graphics, 0, 0, 2, 1)
        grid.addWidget(self.play_button, 0, 1)
        grid.addWidget(self.slider, 0, 2)
        grid.addWidget(self.speed_combo, 0, 3)
        grid.addWidget(self.gif_button, 0, 4)
        grid.addWidget(self.label, 1, 1, 1, 4)
        grid.setColumnStretch(2, 1)

        self._play_timer = QtCore.QTimer(self)
        self._play_timer.setInterval(play_interval_ms(1.0))
        self._play_timer.timeout.connect(self._on_play_tick)
        self._live_timer = QtCore.QTimer(self)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self.refresh)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.speed_combo.currentIndexChanged.connect(lambda _: self.set_play_speed(self.speed_combo.currentData()))
        self.gif_button.clicked.connect(self.ask_save_gif)
        if hasattr(loss, "x_mode_changed"):
            loss.x_mode_changed.connect(self._on_x_mode_changed)  # the cursor in the new unit
        self._sync()
        self.retranslate()

    # ---- sources ----------------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None, train_size: int | None = None, limit: int | None = None) -> None:
        """Scrub ``timeline`` (a finished or recorded run; None: nothing). ``limit``: frames reachable so far."""
        self._stop_live()
        self._log = None
        self._live = False
        self._timeline = timeline if timeline is not None and len(timeline) else None
        self._train_size = train_size
        self._limit = limit
        self._shown = None
        self._sync(to_end=True)

    def set_log(self, snapshot_log: SnapshotLog | None, train_size: int | None = None) -> None:
        """Follow a live run's log: it is looked at every second; the slider follows the newest frame."""
        self._stop_live()
        self._log, self._log_length = snapshot_log, -1
        self._live = snapshot_log is not None
        self._timeline, self._limit, self._train_size, self._shown = None, None, train_size, None
        if snapshot_log is not None:
            self._live_timer.start()
        self.refresh()

    @property
    def live(self) -> bool:
        """The timeline follows a run as it trains (a SnapshotLog that still grows)."""
        return self._live

    def finish_live(self) -> None:
        """The live run ended: its timeline is final; the slider keeps its place."""
        at_end = self.at_end()
        self.refresh()
        self._stop_live()
        self._live = False
        if at_end or self._shown is None:
            self._sync(to_end=True)
        else:
            self._show(self.slider.value())

    def set_limit(self, limit: int | None) -> None:
        """A replay reached ``limit`` frames: the slider reaches that far (and follows if it was at the end)."""
        follow = self.at_end()
        self._limit = limit
        self._sync(to_end=follow)

    def refresh(self) -> None:
        """Look at the live log again (at most once a second while it trains)."""
        if self._log is None:
            return
        length = len(self._log)
        if length == self._log_length:
            return
        follow = self.at_end() or self._log_length <= 0
        self._log_length = length
        keep = None if follow or self._timeline is None else int(self._timeline.steps[self.slider.value()])
        self._timeline = self._log.timeline() if length else None
        if keep is not None and self._timeline is not None:
            self.slider.blockSignals(True)
            self.slider.setMaximum(len(self._timeline) - 1)
            self.slider.setValue(self._timeline.index_at(keep))  # the same moment, after a thinning too
            self.slider.blockSignals(False)
        self._sync(to_end=follow)

    def _stop_live(self) -> None:
        self._live_timer.stop()

    # ---- state ------------------------------------------------------------------------------
    def timeline(self) -> Timeline | None:
        return self._timeline

    def count(self) -> int:
        """Frames the slider reaches."""
        if self._timeline is None:
            return 0
        n = len(self._timeline)
        return n if self._limit is None else max(0, min(n, int(self._limit)))

    def index(self) -> int | None:
        return None if self._timeline is None or not self.count() else self.slider.value()

    def frame(self):
        i = self.index()
        return None if i is None else self._timeline.frame(i)

    def at_end(self) -> bool:
        return self.count() == 0 or self.slider.value() >= self.count() - 1

    def set_index(self, index: int) -> None:
        """Show frame ``index`` (clipped to the frames reachable)."""
        if self.count():
            self.slider.setValue(int(np.clip(index, 0, self.count() - 1)))

    def show_step(self, step: float) -> None:
        """Show the newest frame at or before training step ``step`` (a click on the loss curve, say)."""
        if self._timeline is not None:
            self.set_index(self._timeline.index_at(step))

    # ---- play -------------------------------------------------------------------------------
    def play(self) -> None:
        """From the first frame (if at the end) to the last, PLAY_FPS frames a second; stops there."""
        if self.count() < 2:
            return
        if self.at_end():
            self.set_index(0)
        self.play_button.setChecked(True)

    def pause(self) -> None:
        self.play_button.setChecked(False)

    def is_playing(self) -> bool:
        return self._play_timer.isActive()

    def play_speed(self) -> float:
        """Play's speed: 1 is PLAY_FPS frames a second."""
        return float(self.speed_combo.currentData())

    def set_play_speed(self, speed: float) -> None:
        """Play at ``speed`` times PLAY_FPS (one of PLAY_SPEEDS), at once if playing."""
        if speed not in PLAY_SPEEDS:
            raise ValueError(f"the speed is one of {PLAY_SPEEDS}, not {speed!r}")
        if self.speed_combo.currentData() != speed:
            self.speed_combo.setCurrentIndex(PLAY_SPEEDS.index(speed))  # comes back here through the signal
            return
        self._play_timer.setInterval(play_interval_ms(speed))

    def _on_play_toggled(self, checked: bool) -> None:
        if checked and self.count() >= 2:
            if self.at_end():
                self.set_index(0)
            self._play_timer.start()
        else:
            self._play_timer.stop()
            if self.play_button.isChecked():
                self.play_button.setChecked(False)
        self._retranslate_play()
        self.playing_changed.emit(self.is_playing())

    def _on_play_tick(self) -> None:
        if self.at_end():
            self.pause()
            return
        self.set_index(self.slider.value() + 1)
        if self.at_end():
            self.pause()

    # ---- the GIF ------------------------------------------------------------------------------
    def ask_save_gif(self) -> None:
        if self._timeline is None:
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, translate("Timeline", "Save the filter animation"), str(media_folder() / "convviz-filters.gif"),
            translate("Timeline", "GIF animation (*.gif)"),
        )
        if path:
            self.save_gif(path)

    def save_gif(self, path) -> GifJob | None:
        """Write the timeline's GIF to ``path`` in a job; ``gif_saved``/``gif_failed`` say how it went."""
        source = self._log if self._log is not None else self._timeline
        if source is None:
            self.gif_failed.emit(translate("Timeline", "There are no snapshots to animate yet."))
            return None
        if isinstance(source, SnapshotLog):
            source = source.timeline()  # a copy: the run goes on meanwhile
        job = GifJob(source, path, self._train_size)
        job.saved.connect(self.gif_saved)
        job.failed.connect(self._on_gif_failed)
        self._jobs.add(job)
        job.finished.connect(lambda: self._jobs.discard(job))
        self.gif_button.setEnabled(False)
        job.finished.connect(lambda: self.gif_button.setEnabled(self._timeline is not None))
        if self._run_job is not None:
            self._run_job(job)
        else:
            thread = start_job(job, self)
            self._threads.add(thread)
            thread.finished.connect(lambda: self._threads.discard(thread))
        return job

    def _on_gif_failed(self, message: str) -> None:
        self.gif_failed.emit(translate("Timeline", "Could not save the GIF: {problem}").format(problem=message))

    def wait_jobs(self, ms: int = 10000) -> None:
        """Wait for the widget's own GIF threads (tests; closing)."""
        for thread in list(self._threads):
            try:
                thread.wait(ms)
            except RuntimeError:  # deleted already
                pass

    # ---- showing a frame ----------------------------------------------------------------------
    def _sync(self, to_end: bool = False) -> None:
        n = self.count()
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(n - 1, 0))
        if to_end and n:
            self.slider.setValue(n - 1)
        self.slider.blockSignals(False)
        for widget in (self.slider, self.play_button):
            widget.setEnabled(n >= 2)
        self.gif_button.setEnabled(self._timeline is not None)
        if n:
            self._show(self.slider.value())
        else:
            self._shown = None
            self._clear_shown()
        self._retranslate_label()

    def _on_slider_moved(self, value: int) -> None:
        self._show(value)

    def _show(self, index: int) -> None:
        if self._timeline is None or not self.count():
            return
        index = int(np.clip(index, 0, self.count() - 1))
        self._shown = index
        frame = self._timeline.frame(index)
        if self._filters is not None:
            if self._live and index == self.count() - 1:
                self._filters.clear_frame()  # the newest weights of the run, newer than its last frame
            elif frame.kernels is not None and self._timeline.kernel_layer:
                self._filters.show_frame(self._timeline.kernel_layer, frame.kernels)
        self._set_cursor(frame)
        self._show_maps(frame.maps)
        self._retranslate_label()
        self.frame_shown.emit(index)

    def _show_maps(self, maps) -> None:
        if maps is None:
            self.maps_graphics.hide()
            return
        a = np.asarray(maps, np.float32)
        t = tiles.map_tiles(a)
        grid = tiles.mosaic(t, pad=1)
        high = float(np.nanmax(t)) if t.size and np.isfinite(t).any() else 0.0
        self.maps_image.setImage(grid, autoLevels=False, levels=(0.0, max(high, 1e-6)))
        self._maps_view.autoRange(padding=0.0)
        self.maps_graphics.show()

    def shown_maps(self):
        """The probe's feature maps shown now (h, w, c), or None."""
        if self._timeline is None or self._shown is None or self._timeline.maps is None:
            return None
        return np.asarray(self._timeline.maps[self._shown], np.float32)

    def _clear_shown(self) -> None:
        self.maps_graphics.hide()
        if self._filters is not None:
            self._filters.clear_frame()
        self._set_cursor(None)

    def _set_cursor(self, frame) -> None:
        set_cursor = getattr(self._loss, "set_cursor", None)
        if set_cursor is None:
            return
        if frame is None:
            set_cursor(None)
            return
        set_cursor(cursor_x(self._loss, frame.examples_seen, self._train_size, frame.seconds))

    def _on_x_mode_changed(self, mode) -> None:
        self._set_cursor(self.frame())

    # ---- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.gif_button.setText(translate("Timeline", "Save GIF…"))
        self.gif_button.setToolTip(translate("Timeline", "Save the filters' timeline as an animated GIF"))
        self.slider.setToolTip(translate("Timeline", "Drag to see the filters at any moment of the run"))
        tip = translate("Timeline", "The probe digit's first-layer feature maps at that moment")
        self.maps_graphics.setToolTip(tip)
        self.speed_combo.setToolTip(translate("Timeline", "How fast Play goes through the snapshots"))
        for index, speed in enumerate(PLAY_SPEEDS):
            self.speed_combo.setItemText(index, f"{decimal(speed)}\u00d7")
        self._retranslate_play()
        self._retranslate_label()

    def _retranslate_play(self) -> None:
        playing = self.is_playing()
        self.play_button.setText(translate("Timeline", "Pause") if playing else translate("Timeline", "Play"))
        self.play_button.setToolTip(translate("Timeline", "Animate the filters from the first snapshot to the last"))

    def _retranslate_label(self) -> None:
        frame = self.frame()
        if frame is None:
            self.label.setText(translate("Timeline", "no snapshots yet"))
            return
        words = translate("Timeline", "step {step} · snapshot {index} of {count}")
        line = words.format(step=count(frame.step), index=self.slider.value() + 1, count=self.count())
        t = self._timeline
        if frame.probabilities is not None:
            p = np.asarray(frame.probabilities, np.float64)
            digit = int(np.argmax(p))
            percent = i18n_percent(p[digit], 0)
            probe = translate("Timeline", "probe: {digit} ({percent})").format(digit=digit, percent=percent)
            if t is not None and t.probe_label is not None:
                probe += " " + translate("Timeline", "(is {label})").format(label=t.probe_label)
            line += " · " + probe
        self.label.setText(line)


def play_interval_ms(speed: float) -> int:
    """The time between two frames while playing at ``speed``."""
    return max(1, round(1000 / (PLAY_FPS * speed)))


def media_folder() -> Path:
    """Where Save GIF… starts: the user's pictures folder where there is one, else the home folder
    (never the folder the program was started in, which may be read-only or the course's checkout)."""
    pictures = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.PicturesLocation)
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.home()


def cursor_x(loss, examples_seen: float, train_size: int | None, seconds: float = 0.0) -> float:
    """The loss panel's x for a frame, in its current unit (epochs, examples seen or seconds since the start)."""
    mode = loss.x_mode() if hasattr(loss, "x_mode") else "examples"
    if mode == "seconds":
        return float(seconds)
    if mode == "epochs":
        size = train_size or getattr(loss, "_train_size", None) or 1
        return float(examples_seen) / float(size)
    return float(examples_seen)
