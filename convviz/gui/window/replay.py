"""Replay in the window: the replay menu, the timeline panel and the replay job, wired together."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common.i18n import translate
from convviz.gui.jobs.replay import (
    RUNS_DIR,
    FrameReached,
    LoadRecordJob,
    ReplayJob,
    base_weights,
    shipped_runs,
    weights_note,
)
from convviz.playback import DEFAULT_SPEED, SPEEDS
from convviz.pretrained import PRETRAINED_DIR
from convviz.recording import SUFFIX, RunRecord


class Replayer(QtCore.QObject):
    """The window's replays: open a record (in a job), start it through the controller, feed the timeline.

    ``window``: the MainWindow (duck-typed: controller, state, show_error, statusBar, menuBar, filters,
    loss, retranslated); it keeps the replayer and its ``timeline``.
    """

    started = QtCore.pyqtSignal(object)  # ReplayJob
    failed = QtCore.pyqtSignal(str)

    def __init__(self, window, runs_dir=RUNS_DIR):
        super().__init__(window)
        from convviz.gui.panels.timeline import TimelineWidget

        self.window, self.runs_dir = window, Path(runs_dir)
        self.speed = DEFAULT_SPEED
        self.job: ReplayJob | None = None
        self.record: RunRecord | None = None
        self.timeline = TimelineWidget(window.filters, window.loss, window.controller.run_job)
        window.filters.layout().addWidget(self.timeline)
        self.timeline.gif_failed.connect(window.show_error)
        self.timeline.gif_saved.connect(
            lambda path: window.statusBar().showMessage(
                translate("Replay", "GIF saved: {path}").format(path=path), 10000
            )
        )
        state = window.state
        state.run_added.connect(self._on_run_added)
        state.run_state_changed.connect(self._on_run_state_changed)
        self.failed.connect(window.show_error)
        self._build_menu()

    # -- the menu -----------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("")
        w.retranslated(menu.menuAction().setText, translate("Replay", "&Recorded runs"))
        self.menu = menu
        open_action = menu.addAction("")
        w.retranslated(open_action.setText, translate("Replay", "Open recorded run…"))
        open_action.triggered.connect(self.ask_open)
        self.shipped_menu = menu.addMenu("")
        w.retranslated(self.shipped_menu.menuAction().setText, translate("Replay", "Shipped recordings"))
        self.shipped_menu.aboutToShow.connect(self._fill_shipped)
        self.shipped_menu.installEventFilter(self)  # a new language: its entries written again
        self._fill_shipped()
        speed_menu = menu.addMenu("")
        w.retranslated(speed_menu.menuAction().setText, translate("Replay", "Replay speed"))
        group = QtWidgets.QActionGroup(self)
        self.speed_actions = {}
        for speed in SPEEDS:
            item = speed_menu.addAction(f"{speed}\u00d7")
            item.setCheckable(True)
            item.setChecked(speed == self.speed)
            group.addAction(item)
            item.triggered.connect(lambda _=False, s=speed: self.set_speed(s))
            self.speed_actions[speed] = item
        menu.addSeparator()
        reset = menu.addAction("")
        w.retranslated(reset.setText, translate("Replay", "Reset for class…"))
        tip = translate("Replay", "Clear the runs and the class set for the next class (nothing is deleted)")
        w.retranslated(reset.setToolTip, tip)
        reset.triggered.connect(lambda: w.class_reset.reset())
        self.reset_action = reset

    def eventFilter(self, watched, event) -> bool:
        if watched is self.shipped_menu and event.type() == QtCore.QEvent.LanguageChange:
            self._fill_shipped()
        return False

    def _fill_shipped(self) -> None:
        self.shipped_menu.clear()
        runs = shipped_runs(self.runs_dir)
        for path, label in runs:
            self.shipped_menu.addAction(label).triggered.connect(lambda _=False, p=path: self.open(p))
        if not runs:
            empty = self.shipped_menu.addAction(translate("Replay", "none in assets/runs"))
            empty.setEnabled(False)

    def ask_open(self) -> None:
        start = str(self.runs_dir) if self.runs_dir.is_dir() else ""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, translate("Replay", "Open a recorded run"), start,
            translate("Replay", "Recorded runs (*{suffix})").format(suffix=SUFFIX),
        )
        if path:
            self.open(path)

    # -- opening and playing --------------------------------------------------------------------------
    def open(self, path, speed: float | None = None) -> LoadRecordJob:
        """Read ``path`` in a job, then replay it (errors: one line in the window's banner)."""
        job = LoadRecordJob(path)
        job.loaded.connect(lambda record: self.play(record, speed))
        job.failed.connect(
            lambda problem: self.failed.emit(translate("Replay", "Cannot replay: {problem}").format(problem=problem))
        )
        self.window.controller.run_job(job)
        return job

    def play(self, record: RunRecord, speed: float | None = None) -> ReplayJob | None:
        """Replay ``record`` now (None, with a message, while a run is training)."""
        w = self.window
        speed = self.speed if speed is None else speed
        weights, source = base_weights(record, getattr(w.controller, "models_dir", PRETRAINED_DIR))
        job = w.controller.start_replay(record, speed, weights)
        if job is None:
            self.failed.emit(translate("Replay", "Cannot replay while a run is training: stop it first."))
            return None
        self.job, self.record = job, record
        job.frame_reached.connect(self._on_frame_reached)
        job.finished.connect(partial(self._on_finished, job))
        self.timeline.set_timeline(record.timeline, record.train_size, limit=0)
        w.statusBar().showMessage(weights_note(source), 15000)
        self.started.emit(job)
        return job

    def set_speed(self, speed: float) -> None:
        """The speed of this replay (at once) and of the next ones."""
        self.speed = speed
        if speed in getattr(self, "speed_actions", {}):
            self.speed_actions[speed].setChecked(True)
        if self.job is not None:
            self.job.set_replay_speed(speed)

    def _on_frame_reached(self, reached: FrameReached) -> None:
        if self.job is not None and reached.run_id == self.job.run_id:
            self.timeline.set_limit(reached.count)

    def _on_finished(self, job: ReplayJob, outcome) -> None:
        if self.job is job:
            self.job = None

    # -- live runs ----------------------------------------------------------------------------------
    def _on_run_added(self, run) -> None:
        log_ = getattr(run, "snapshots", None)  # empty at the start (falsy): not "or" it away
        if log_ is not None and hasattr(log_, "timeline"):
            self.timeline.set_log(log_, run.train_size)
        else:
            self.timeline.set_timeline(None)

    def _on_run_state_changed(self, run) -> None:
        if not run.active and self.timeline.live and self.window.state.is_main(run.id):
            self.timeline.finish_live()

