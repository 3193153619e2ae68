"""The main window: it wires the app's state to the panels, and the panels' requests to the controller.

The window holds widgets only. What the app *is* (data, models, the run and
its history) lives in :class:`~convviz.gui.state.AppState`; what it *does*
(jobs, inference models) in :class:`~convviz.gui.controller.Controller`. The
window reflects the state's signals and turns clicks into controller calls.

Start-up is fast because nothing here imports TensorFlow: once the window has
been painted, a loader thread imports it and builds the pretrained model while
another reads MNIST; the window says "Loading TensorFlow…" meanwhile.

Errors (bad data, a NaN loss, no MNIST, a folder that is not a model) appear
in a red banner and the status bar; nothing here is modal except the
questions a user asked for (file dialogs, the download offer, replacing a
saved model).

Every text is English or German (:mod:`convviz.gui.common.i18n`): the system's language at start, the
Language menu live; the window, each panel, the banner and the status bar write their texts again
when Qt tells them the language changed.

The space bar pauses and resumes (not while a spin box or text field has the
focus: there it types). The menus are built in :mod:`convviz.gui.window.menus`, the
Save… and Load… dialogs live in :mod:`convviz.gui.window.files`.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from PyQt5 import QtCore, QtGui, QtWidgets, sip

from convviz.config import TrainConfig
from convviz.events import ErrorInfo
from convviz.gui.common import export, i18n, settings, text, theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, translate
from convviz.gui.common.widgets import Banner, RunningLine, StatusBar
from convviz.gui.common.zoom import Zoom, screen_zoom
from convviz.gui.controller import Controller
from convviz.gui.panels.controls import ControlsWidget
from convviz.gui.panels.drawpad import DrawPadWidget
from convviz.gui.panels.evaluation import EvaluationWidget
from convviz.gui.panels.featuremaps import FeatureMapsWidget
from convviz.gui.panels.filters import FiltersWidget
from convviz.gui.panels.loss import LossWidget
from convviz.gui.panels.prediction import PredictionWidget
from convviz.gui.panels.runs import COLUMNS as RUN_COLUMNS
from convviz.gui.panels.runs import RunsWidget, rows_from
from convviz.gui.panels.saliency import SaliencyWidget
from convviz.gui.state import DataState, ModelRef, ModelRole, Run, RunState
from convviz.gui.window.download import DownloadOffer
from convviz.gui.window.files import ClassReset, ModelFiles
from convviz.gui.window.inside import InsidePanels
from convviz.gui.window.lab import LabPanels
from convviz.gui.window.layout import PanelArea
from convviz.gui.window.lookinside import LookInside
from convviz.gui.window.menus import build_help_menu, build_menus
from convviz.gui.window.race import Race
from convviz.gui.window.replay import Replayer
from convviz.gui.window.shift import ShiftPanel
from convviz.gui.window.sweep import Sweeper
from convviz.gui.window.teach import TeachPanel
from convviz.gui.window.views import ExplainViews, ModelViews
from convviz.pretrained import PRETRAINED_DIR, default_arch

log = logging.getLogger(__name__)

LOADING_DELAY_MS = 50  # start the background jobs once the window has been painted
SHUTDOWN_WAIT_S = 20.0  # closing waits this long for the threads (a TensorFlow import cannot be interrupted)
SMOOTHING_PER_RUN = 25  # the smoothed loss averages over 1/25 of the run (5 to 50 batches)

__all__ = ["PRETRAINED_DIR", "MainWindow"]


class MainWindow(Retranslated, QtWidgets.QMainWindow):
    """ConvViz's window. Public methods mirror the buttons, for tests, demos and the benchmark.

    Parameters
    ----------
    arch
        Architecture selected at start (default: :func:`convviz.pretrained.default_arch`).
    data_dir
        Folder searched first for MNIST (default: ``$CONVVIZ_DATA_DIR``, then the usual places).
    models_dir
        Folder of the pretrained models, one sub-folder per architecture.
    """

    model_changed = QtCore.pyqtSignal(str)  # the pad now uses this model (its description)
    data_changed = QtCore.pyqtSignal(object)  # MNIST became available (the Mnist object)
    training_started = QtCore.pyqtSignal(object)  # TrainConfig
    training_finished = QtCore.pyqtSignal(object)  # the Run, ended
    prediction_shown = QtCore.pyqtSignal(object)  # probabilities (10,) for the drawing, after they are drawn
    snapshot_shown = QtCore.pyqtSignal(int)  # a training snapshot reached the panels (its step)
    error_shown = QtCore.pyqtSignal(str)

    def __init__(self, arch: str | None = None, data_dir=None, models_dir=None, parent=None, runs_dir=None):
        super().__init__(parent)
        self.controller = Controller(models_dir=models_dir, data_dir=data_dir, parent=self, runs_dir=runs_dir)
        self.state = self.controller.state
        self._loading_started = False
        self._closing = False
        self._translated: list = []  # (setter, i18n.Text) of the menus and actions: see retranslated
        self._speed_text = ""  # the status bar's progress line
        self._build_ui()
        self._connect()
        self._add_space_key()
        self.state.set_config(self.state.config.replace(arch=arch or default_arch(self.controller.models_dir)))
        self.prediction.set_message(text.loading())
        self.prediction.set_model_text(text.loading())
        self.retranslate()
        self.statusBar().showMessage(
            translate("MainWindow", "Loading TensorFlow and the pretrained model in the background…")
        )
        self._fit_to_screen()
        # A 4K screen that Qt does not scale (no QT_SCALE_FACTOR, 96 dpi): zoomed to the size of 1920x1080.
        self.zoom.set_home(screen_zoom(self.screen(), os.environ.get("CONVVIZ_ZOOM")))

    # ---- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.controls = ControlsWidget(self.state)
        self.loss = LossWidget()
        self.filters = FiltersWidget()
        self.featuremaps = FeatureMapsWidget(self.state)
        self.drawpad = DrawPadWidget()
        self.prediction = PredictionWidget()
        self.error_banner = Banner()  # under the Start button, where eyes are after a click
        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.error_banner)
        left_layout.addStretch(1)
        self.controls.layout().setContentsMargins(4, 4, 4, 4)
        panels = (  # the tabs' titles, translated by the panel area
            (QT_TRANSLATE_NOOP("PanelArea", "Loss"), self.loss),
            (QT_TRANSLATE_NOOP("PanelArea", "Filters"), self.filters),
            (QT_TRANSLATE_NOOP("PanelArea", "Feature maps"), self.featuremaps),
        )
        self.panels = PanelArea(left, panels, self.drawpad, self.prediction)
        self.panels.set_footer(self.controls.run_bar)  # Start ... speed stay in sight when the column scrolls
        self.views = ModelViews(self.controller, self.panels, self.filters, self.featuremaps, self.prediction)
        self.views.prediction_shown.connect(self.prediction_shown)
        self.views.snapshot_shown.connect(self.snapshot_shown)
        self.drawpad.drawing_changed.connect(self.views.set_drawing)
        # which digits it gets wrong, and where it looks; each a tab after the feature maps.
        self.evaluation = EvaluationWidget()
        self.saliency = SaliencyWidget()
        self.panels.add_panel(QT_TRANSLATE_NOOP("PanelArea", "Evaluation"), self.evaluation)
        self.panels.add_panel(QT_TRANSLATE_NOOP("PanelArea", "Saliency"), self.saliency, beside="Evaluation")
        self.explain_views = ExplainViews(
            self.controller, self.views, self.panels, self.featuremaps, self.evaluation, self.saliency
        )
        # every run of this session and the stored ones, beside the loss plot that overlays them.
        self.runs = RunsWidget()
        # The columns a lecturer hid stay hidden in the next session.
        self.runs.set_hidden_columns(settings.read_names(settings.RUNS_HIDDEN_COLUMNS, RUN_COLUMNS))
        self.runs.columns_changed.connect(lambda names: settings.write_names(settings.RUNS_HIDDEN_COLUMNS, names))
        self.panels.add_panel(QT_TRANSLATE_NOOP("PanelArea", "Runs"), self.runs, beside="Loss")

        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.panels, stretch=1)
        self.setCentralWidget(central)

        self.setStatusBar(StatusBar())  # says its message again in a new language
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setFixedWidth(260)
        self.progress_bar.setFormat("%p %")
        self.progress_bar.setAutoFillBackground(True)  # opaque: a new value repaints the bar, not the status bar
        self.progress_bar.hide()
        self.speed_label = RunningLine()  # 4 new texts a second while a run trains
        self.speed_label.setFont(theme.font(theme.FONT_PT, bold=True))
        self.data_label = QtWidgets.QLabel("")  # stays while MNIST is missing: messages come and go
        self.data_label.setStyleSheet(f"color: {theme.WRONG}")
        self.data_label.hide()
        status.addPermanentWidget(self.data_label)
        status.addPermanentWidget(self.speed_label)
        status.addPermanentWidget(self.progress_bar)
        self.download_offer = DownloadOffer(self.controller, self)

        self.files = ModelFiles(self)
        self.class_reset = ClassReset(self)  # the Recorded runs menu's "Reset for class…"
        self.zoom = Zoom(self)
        self.zoom.changed.connect(lambda factor: QtCore.QTimer.singleShot(0, partial(self._zoomed, factor)))
        # The panels' minimum sizes grow with the zoom; the window must not grow with them past the
        # screen (1024 px wide at zoom 1, 1716 px at zoom 2): the pages scroll instead.
        self.layout().setSizeConstraint(QtWidgets.QLayout.SetNoConstraint)
        menus = build_menus(self)
        self.presenter_action, self.language_actions = menus.presenter_action, menus.language_actions
        copy_window = QtWidgets.QShortcut(QtGui.QKeySequence("Ctrl+Shift+C"), self)  # the window, for a slide
        copy_window.activated.connect(lambda: export.copy_to_clipboard(self))
        quit_key = QtWidgets.QShortcut(QtGui.QKeySequence.Quit, self)
        quit_key.activated.connect(self.close)
        back = QtWidgets.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Escape), self)  # from a panel shown alone
        back.activated.connect(self.panels.leave_full_panel)
        back.setEnabled(False)  # Esc is the others' (a table's editor, a dialog) while no panel is alone
        self.panels.panel_shown.connect(lambda: back.setEnabled(self.panels.full_panel() is not None))
        s, c = self.state, self.controller
        # "Convolution" and "What filters want" (convviz.gui.jobs.insidejobs)
        self.inside = InsidePanels(s, c, self.views, self.panels, parent=self)
        # "Adversarial", "Top 9 digits" and the saliency sanity check (convviz.gui.jobs.labjobs)
        self.lab = LabPanels(s, c, self.views, self.panels, self.saliency, self.inside, parent=self)
        # the filter timeline under the filters, the "Recorded runs" menu
        self.replayer = Replayer(self)
        self.timeline = self.replayer.timeline
        self.race = Race(self)  # the Race menu, both racers' filters beside the filters
        self.sweeper = Sweeper(self)  # the Batch sizes menu, the batch-size lab beside the loss
        # the Teach panel beside Evaluation (convviz.gui.jobs.teachjobs)
        self.teach = TeachPanel(s, c, self.panels, self.drawpad, parent=self)
        # the drawing beside its nearest MNIST digits (convviz.gui.jobs.shiftjobs)
        self.shift = ShiftPanel(s, c, self.panels, self.drawpad, self.views, self.evaluation, parent=self)
        # the layers' 2-D maps and the training diagnostics (convviz.gui.jobs.lookjobs)
        self.lookinside = LookInside(s, c, self.views, self.panels, self.drawpad, parent=self)
        self.help_menu = build_help_menu(self)  # last in the menu bar: the shortcuts' cheat-sheet

    def set_language(self, code: str) -> None:
        """Speak 'en' or 'de' from now on (as the Language menu does); every text follows at once."""
        i18n.set_language(code)

    def language(self) -> str:
        return i18n.language()

    def retranslate(self) -> None:
        """The window's own texts in the current language; the panels, the banner and the status bar
        retranslate themselves on the same LanguageChange event."""
        self.setWindowTitle(translate("MainWindow", "ConvViz — watch a convolutional network learn MNIST"))
        self.setLocale(i18n.locale())  # the spin boxes' decimal separator is the language's
        for setter, words in self._translated:
            setter(again(words))
        for code, item in self.language_actions.items():
            item.setChecked(code == i18n.language())
        self._on_data_state_changed(self.state.data_state)
        self._set_speed_text(again(self._speed_text))
        self.download_offer.retranslate()

    def _set_speed_text(self, line: str) -> None:
        self._speed_text = line
        self.speed_label.setText(line)

    def retranslated(self, setter, words: i18n.Text) -> None:
        """``setter(words)`` now and again whenever the language changes (a menu's or an action's text)."""
        self._translated.append((setter, words))
        setter(again(words))

    def _zoomed(self, factor: float) -> None:
        """The layout follows a zoom once the event loop is back; by then the window may have closed."""
        if not sip.isdeleted(self):
            self.panels.set_zoom(factor, self.zoom.presenter)

    def reset_zoom(self) -> None:
        """Actual size: presenter mode off, the zoom back to 100 %."""
        self.presenter_action.setChecked(False)
        self.zoom.reset()

    def _connect(self) -> None:
        c, s = self.controls, self.state
        c.start_requested.connect(self._on_start_requested)
        c.pause_requested.connect(self.controller.pause)
        c.resume_requested.connect(self.controller.resume)
        c.stop_requested.connect(self.controller.stop)
        c.step_requested.connect(self._on_step_requested)
        c.speed_changed.connect(self.controller.set_speed)
        c.save_requested.connect(self.files.ask_save)
        c.load_requested.connect(self.files.ask_load)
        c.pretrained_requested.connect(lambda: self.load_pretrained())
        c.arch_changed.connect(self._on_arch_changed)
        s.data_changed.connect(self._on_data_changed)
        s.data_state_changed.connect(self._on_data_state_changed)
        s.model_changed.connect(self._on_model_changed)
        s.run_added.connect(self._on_run_added)
        s.run_state_changed.connect(self._on_run_state_changed)
        s.losses_added.connect(self._on_losses_added)
        s.epoch_added.connect(self._on_epoch_added)
        s.progress_changed.connect(self._on_progress)
        s.error_raised.connect(self._on_error)
        s.stored_runs_changed.connect(self.refresh_runs)
        s.run_saved.connect(self.refresh_runs)
        s.overlays_changed.connect(self._on_overlays_changed)
        self.loss.run_visibility_chosen.connect(self.state.overlay)
        self.runs.run_chosen.connect(self._on_run_chosen)
        self.runs.delete_requested.connect(lambda row: self.delete_run(row.record_id))
        self.controller.record_loaded.connect(self._on_record_loaded)
        self.controller.data_missing.connect(self._on_data_missing)
        self.controller.model_failed.connect(self._on_model_failed)
        self.controller.message.connect(lambda line: self.statusBar().showMessage(line, 8000))
        self.download_offer.declined.connect(
            lambda: self.statusBar().showMessage(
                translate("MainWindow", "MNIST not downloaded: training needs it"), 8000
            )
        )

    def _add_space_key(self) -> None:
        """Space pauses and resumes, wherever the focus is, except where it types (a spin box, a text field):
        those take the key first (Qt's ShortcutOverride), so the shortcut does not fire there."""
        space = QtWidgets.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Space), self)
        space.setContext(QtCore.Qt.WindowShortcut)
        space.activated.connect(self.controller.toggle_pause)
        self.space_shortcut = space

    def _fit_to_screen(self) -> None:
        """The whole screen's free area (showMaximized does this where a window manager runs)."""
        screen = QtWidgets.QApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1280, 800)
        self.setGeometry(available)

    # ---- layout -------------------------------------------------------------------------------
    def panel_layout(self) -> str:
        return self.panels.layout_mode()

    def show_panel(self, name: str) -> None:
        self.panels.show_panel(name)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.panels.update_layout()
        if not self.isFullScreen() and self._larger_than_screen():
            # Laid out before the compact layout applied: fit the screen once the new minimum is known.
            QtCore.QTimer.singleShot(0, self._refit)

    def _larger_than_screen(self) -> bool:
        screen = self.screen()
        free = screen.availableGeometry() if screen is not None else None
        return free is not None and (self.width() > free.width() or self.height() > free.height())

    def _refit(self) -> None:
        screen = self.screen()
        if screen is None or not self._larger_than_screen():
            return
        free, minimum = screen.availableGeometry(), self.minimumSizeHint()
        if minimum.width() <= free.width() and minimum.height() <= free.height():  # else it cannot fit
            self._fit_to_screen()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        QtCore.QTimer.singleShot(0, self.panels.size_columns)
        if not self._loading_started:
            # After the first paint: importing TensorFlow holds the interpreter for seconds.
            QtCore.QTimer.singleShot(LOADING_DELAY_MS, self.start_loading)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def toggle_full_panel(self) -> None:
        """One panel alone in the window (the one under the mouse or with the focus), or back (Esc too)."""
        self.panels.leave_full_panel() or self.panels.show_full_panel()

    # ---- the state, reflected -----------------------------------------------------------------
    def start_loading(self) -> None:
        """Load the pretrained model and MNIST in background threads (once; showing the window does it)."""
        if self._loading_started or self._closing:
            return
        self._loading_started = True
        self.load_pretrained()
        self.controller.load_data()
        # metadata only, in a job (the table fills when it arrives); a run's record loads when its row is clicked
        self.controller.list_stored_runs(progress=self.runs.show_reading)

    def _on_data_changed(self, data) -> None:
        self.data_label.hide()
        self.featuremaps.set_digit_source(data.test_images, data.test_labels)
        self.data_changed.emit(data)

    def _on_data_state_changed(self, state: DataState) -> None:
        if state is DataState.MISSING:
            self.data_label.setText(translate("MainWindow", "MNIST missing: Start offers the download"))
        elif state is DataState.FAILED:
            self.data_label.setText(translate("MainWindow", "no MNIST: Start tries the download again"))
        else:
            return
        self.data_label.setToolTip(again(self.state.data_message))
        self.data_label.show()

    def _on_data_missing(self, message: str) -> None:
        if self.controller.waiting_for_data():
            self.download_offer.offer()
        else:
            offer = translate("MainWindow", "{message} Start offers the download.").format(message=message)
            self.statusBar().showMessage(offer, 15000)

    def _describe_model(self, model: ModelRef | None) -> i18n.Text:
        run = self.state.run_by_id(model.run_id) if model is not None and model.run_id is not None else None
        return text.describe_model(model, replayed=run is not None and run.replayed)

    def _on_model_failed(self) -> None:
        """A failed Load…: the pad's header names the model in use again, not "loading a model…"."""
        if self.state.model is not None:
            self.prediction.set_model_text(self._describe_model(self.state.model))
        else:
            self.prediction.set_model_text(translate("MainWindow", "no model: Load… or Pretrained"))

    def _on_model_changed(self, model: ModelRef | None) -> None:
        self.prediction.set_model_text(self._describe_model(model))
        if model is not None and model.role in (ModelRole.PRETRAINED, ModelRole.LOADED, ModelRole.TAUGHT):
            if model.arch != self.state.config.arch:
                self.state.set_config(self.state.config.replace(arch=model.arch))
            self._retire_live_curve()
            self.loss.clear()  # a curve beside a model that has nothing to do with it would mislead
            ready = translate("MainWindow", "Model ready: {model}").format(model=text.describe_model(model))
            self.statusBar().showMessage(ready, 8000)
        if model is not None:
            self.model_changed.emit(self._describe_model(model))

    def _on_run_added(self, run: Run) -> None:
        self.error_banner.hide()
        runs = self.state.runs
        self._retire_live_curve(runs[-2] if len(runs) > 1 else None)
        self.loss.clear(run.series)  # the plot draws the run's own series, which the state grows
        self.loss.set_live_label(self._run_label(run))
        self.loss.set_train_size(run.train_size)
        self.loss.set_run_length(run.train_size * run.config.epochs)
        window = min(max(run.total_steps / SMOOTHING_PER_RUN, 5.0), 50.0)
        self.loss.set_smoothing(1.0 - 1.0 / window)
        self.statusBar().showMessage(text.run_started(run))
        self.training_started.emit(run.config)

    def _on_run_state_changed(self, run: Run) -> None:
        if not self.state.is_main(run.id):
            return  # a race's rival: the race's panel follows it
        state = run.state
        held = state in (RunState.PAUSED, RunState.STEPPING)
        self.controls.set_running(run.active, paused=held, stepping=state is RunState.STEPPING)
        if state is RunState.BUILDING:
            self.progress_bar.setRange(0, 0)
            self.progress_bar.show()
            self._set_speed_text(translate("MainWindow", "building the graph…"))
        elif state is RunState.PAUSED:
            done = run.steps_done
            paused = translate("MainWindow", "Paused after %n batch(es) · Step: one more · space: resume", None, done)
            self.statusBar().showMessage(paused)
        elif state is RunState.STEPPING:
            self.statusBar().showMessage(translate("MainWindow", "Step: training one batch…"))
        elif state is RunState.RUNNING:
            self.statusBar().showMessage(text.run_started(run))
        elif state is RunState.STOPPING:
            self.statusBar().showMessage(
                translate("MainWindow", "Stopping… then the test accuracy of the weights kept is measured")
            )
        else:
            self.progress_bar.hide()
            self._set_speed_text("")
            self.views.refresh_hidden()  # the panels skipped while hidden show the final weights
            self.statusBar().showMessage(text.run_ended(run))
            self.refresh_runs()
            self.training_finished.emit(run)

    def _on_losses_added(self, chunk) -> None:
        if self.state.is_main(chunk.run_id):
            self.loss.update_losses()  # the chunk is in the run's series already, which the plot shows

    def _on_epoch_added(self, report) -> None:
        if not self.state.is_main(report.run_id):
            return
        self.loss.add_accuracy(report.epoch + 1, report.examples_seen, report.test_accuracy, report.seconds)
        self.refresh_runs()
        done = translate("MainWindow", "Epoch {epoch} done: test accuracy {accuracy}, mean training loss {loss}")
        accuracy, loss = text.percent(report.test_accuracy), i18n.decimal(report.train_loss, 3)
        self.statusBar().showMessage(done.format(epoch=report.epoch + 1, accuracy=accuracy, loss=loss), 15000)

    def _on_progress(self, progress) -> None:
        if not self.state.is_main(progress.run_id):
            return
        if self.progress_bar.maximum() != max(progress.total, 1) or self.progress_bar.minimum() != 0:
            self.progress_bar.setRange(0, max(progress.total, 1))  # even the same range repaints the bar
        self.progress_bar.setValue(progress.done)
        run = self.state.run
        self._set_speed_text(text.run_progress(progress, run.config.epochs if run else 1))

    def _on_error(self, error: ErrorInfo) -> None:
        self.show_error(error.message)

    # ---- run history ----------------------------------------------------------------
    @staticmethod
    def _run_label(run: Run) -> str:
        return f"#{run.id} {run.config.arch}"

    def _retire_live_curve(self, run: Run | None = None) -> None:
        """The live curves' run (default the newest) leaves them for an overlay of its own (kept in the plot)."""
        run = self.state.run if run is None else run
        key = ("run", run.id) if run is not None else None
        if run is None or run.deleted or run.steps_done == 0 or key in self.state.overlays:
            self.loss.set_live_label(None)
            return
        self._overlay_run(key, self._run_label(run), run.train_size, run.series, run.epochs)
        self.state.overlay(key, self.loss.run_visible("live"))
        self.loss.set_live_label(None)

    def _on_overlays_changed(self, overlays: dict) -> None:
        """The state says which overlaid runs are shown: the plot follows (its legend boxes too)."""
        for key, visible in overlays.items():
            if key in self.loss.run_keys() and self.loss.run_visible(key) != visible:
                self.loss.set_run_visible(key, visible)

    def _overlay_run(self, key, label: str, train_size: int, curve, epochs) -> None:
        """``curve``: the run's LossSeries or the record's LossCurve, drawn from views of it (not copied)."""
        self.loss.add_run(key, label, train_size, series=curve)
        for e in epochs:
            self.loss.add_run_accuracy(key, e.epoch + 1, e.examples_seen, e.test_accuracy, e.seconds)

    def refresh_runs(self, *_args) -> None:
        """The runs table again, from the state's runs of this session and the stored ones."""
        self.runs.set_rows(rows_from(self.state.runs, self.state.stored_runs, self.state.unreadable_runs))

    def _on_run_chosen(self, row) -> None:
        """A click in the runs table: that run's final weights into the pad, its curve into the plot."""
        if self.state.is_training():
            self.statusBar().showMessage(translate("MainWindow", "A run is training: its weights are in the pad"), 8000)
            return
        if row.run_id is not None and self.state.run_by_id(row.run_id).final_weights is not None:
            run = self.state.run_by_id(row.run_id)
            self.controller.open_run(row.run_id)
            if run.snapshots is not None and len(run.snapshots):  # its filters' timeline under the filters
                self.timeline.set_timeline(run.snapshots.timeline(), run.train_size)
        elif row.record_id is not None:
            self.controller.open_stored(row.record_id)

    def _on_record_loaded(self, record_id: str, record) -> None:
        if record.timeline is not None:  # a stored run's filters, from noise to the end, under the filters
            self.timeline.set_timeline(record.timeline, record.train_size)
        if any(r.record_id == record_id for r in self.state.runs):
            return  # a run of this session: its curve is in the plot already
        key = ("stored", record_id)
        if key not in self.state.overlays:
            label = f"{record.arch} {record.train_config().optimizer} {record.train_config().batch_size}"
            self._overlay_run(key, label, record.train_size, record.losses, record.epochs)
            self.state.overlay(key)

    def delete_run(self, record_id: str | None) -> None:
        """Delete a stored run's file at once (no undo): it leaves the table and the plot."""
        if record_id is None:
            return
        runs = [r for r in self.state.runs if r.record_id == record_id]
        self.controller.delete_stored(record_id)
        for key in [("stored", record_id)] + [("run", r.id) for r in runs]:
            if self.state.drop_overlay(key):
                self.loss.remove_run(key)
        self.refresh_runs()
        self.statusBar().showMessage(translate("MainWindow", "Run deleted"), 8000)

    # ---- actions ------------------------------------------------------------------------------
    def data(self):
        return self.state.data

    def data_state(self) -> str:
        """'not loaded', 'loading', 'ready', 'missing', 'downloading' or 'failed'."""
        return self.state.data_state.value

    def set_data(self, data) -> None:
        """Use this Mnist (e.g. a subset) for training and the feature-map digits."""
        self.controller.set_data(data)

    def model(self) -> ModelRef | None:
        """The model the drawing pad and the feature maps use (None while loading)."""
        return self.state.model

    def model_role(self) -> str:
        model = self.state.model
        return model.role.value if model is not None else ""

    def model_text(self) -> str:
        return self.prediction.model_text()

    def load_pretrained(self, arch: str | None = None) -> None:
        """Load the shipped model of ``arch`` (default: the selected one); untrained weights if there is none."""
        self.prediction.set_model_text(
            translate("MainWindow", "loading a model…") if self._loading_started else text.loading()
        )
        self.controller.load_pretrained(arch or self.state.config.arch)

    def load_model(self, directory) -> None:
        self.prediction.set_model_text(translate("MainWindow", "loading a model…"))
        self.controller.load_model(directory)

    def save_model(self, directory) -> Path | None:
        """Save the model in use into ``directory``; None and an error if it fails."""
        try:
            path = self.controller.save_model(directory)
        except Exception as exc:  # ModelError, OSError, no model yet: the message is for the user
            log.debug("saving failed", exc_info=True)
            self.show_error(translate("MainWindow", "Could not save the model: {problem}").format(problem=str(exc)))
            return None
        self.statusBar().showMessage(translate("MainWindow", "Model saved to {path}").format(path=str(path)), 10000)
        return path

    def is_training(self) -> bool:
        return self.state.is_training()

    def start_training(self, config: TrainConfig | None = None) -> None:
        """Start as the Start button does, with ``config`` (edited from now on, so the controls show it) or
        the config being edited."""
        if config is not None:
            self.state.set_config(config)
        self._on_start_requested()

    def pause(self) -> None:
        self.controller.pause()

    def resume(self) -> None:
        self.controller.resume()

    def stop(self) -> None:
        self.controller.stop()

    def step(self, config: TrainConfig | None = None) -> None:
        """As the Step button: one batch of the paused run; with no run, one that starts from ``config``
        (shown in the controls) or the controls' settings, takes a single batch and waits paused."""
        if config is not None:
            self.state.set_config(config)
        self._on_step_requested(None if self.state.is_training() else self.state.config)

    def _on_step_requested(self, config: TrainConfig | None) -> None:
        if self._closing:
            return
        if config is not None and not self.state.is_training():
            self.error_banner.hide()
        self.controller.step(config)

    def _on_start_requested(self, _config: TrainConfig | None = None) -> None:
        if self._closing:
            return
        self.error_banner.hide()
        self.controller.start_training()  # the state's config, the one the controls show

    def _on_arch_changed(self, arch: str) -> None:
        if not self.state.is_training() and self._loading_started:
            self.load_pretrained(arch)

    def offer_download(self) -> None:
        self.download_offer.offer()

    def download_mnist(self) -> None:
        self.download_offer.download()

    # ---- errors -------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        """A red banner across the window and the status bar; the window stays usable."""
        log.warning("%s", message)
        self.error_banner.show_text(message)
        self.statusBar().showMessage(message, 15000)
        self.error_shown.emit(message)

    def error_text(self) -> str:
        return self.error_banner.text()

    # ---- shutdown -----------------------------------------------------------------------------
    def running_threads(self) -> list:
        return self.controller.running_threads()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.shutdown()
        event.accept()

    def shutdown(self, timeout: float = SHUTDOWN_WAIT_S) -> bool:
        """Stop training and downloads, wait (bounded) for every thread; True when none is left running."""
        self._closing = True
        self.zoom.detach()
        self.inside.close()  # their jobs end before the controller waits for the threads
        self.lab.close()
        self.lookinside.close()
        self.teach.cancel()
        self.shift.stop()
        self.download_offer.close_dialogs()
        return self.controller.shutdown(timeout)
