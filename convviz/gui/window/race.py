"""The race in the window: the Race… menu entry, the dialog, the race panel and the two runs' job."""

from __future__ import annotations

from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.gui.common.i18n import count, translate
from convviz.gui.panels.race import RACE_PANEL, RaceDialog, RaceView, kernels
from convviz.gui.state import ModelRole, RunState


class Race(QtCore.QObject):
    """The window's race: the menu entry, the dialog, the panel, the rival's live curve."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = RaceView()
        self.dialog: RaceDialog | None = None
        window.panels.add_panel(RACE_PANEL, self.view, beside="Filters")
        menu = window.menuBar().addMenu("")
        window.add_translated(menu.menuAction().setText, translate("MainWindow", "&Race"))
        self.action = menu.addAction("")
        window.add_translated(self.action.setText, translate("MainWindow", "Race two runs…"))
        self.action.triggered.connect(self.open_dialog)
        state = window.controller.state
        state.race_started.connect(self._on_started)
        state.model_changed.connect(self._on_model_changed)
        state.rival_losses_added.connect(self._on_rival_losses)
        state.rival_epoch_added.connect(self._on_rival_epoch)
        state.rival_snapshot_added.connect(self._on_rival_snapshot)
        state.rival_state_changed.connect(self._on_rival_state)
        state.rival_progress_changed.connect(lambda _progress: self.window.refresh_runs())
        window.controller.race_rates.connect(self._on_rates)

    # ---- starting --------------------------------------------------------------------------------
    def open_dialog(self) -> RaceDialog:
        """Show the dialog (not modal: tests and the user go on); "Start race" starts it."""
        self.dialog = RaceDialog(self.window.controls.config(), self.window)
        self.dialog.accepted.connect(lambda: self.start(self.dialog.rival_config()))
        self.dialog.show()
        return self.dialog

    def start(self, rival: TrainConfig, main: TrainConfig | None = None) -> bool:
        """Race ``main`` (default: the controls' configuration) against ``rival``."""
        main = self.window.controls.config() if main is None else main
        started = self.window.controller.start_race(main, rival)
        if not started and not self.window.controller.state.is_training():
            self.window.statusBar().showMessage(translate("Race", "The race starts once MNIST is loaded: choose Race two runs… again"), 8000)
        return started

    @property
    def racing(self) -> bool:
        return bool(self.view.runs) and any(run.active for run in self.view.runs)

    # ---- following it ----------------------------------------------------------------------------
    def _key(self):
        return ("run", self.view.runs[1].id)

    def _on_started(self, runs) -> None:
        main, rival = runs
        self.view.runs, self.view.rates = (main, rival), None
        self.view.retranslate()
        self.window.loss.add_run(self._key(), f"#{rival.id} {rival.config.arch}", rival.train_size, live=True)
        self.window.panels.show_panel(RACE_PANEL)

    def _on_model_changed(self, model) -> None:
        if not self.view.runs or model is None or model.run_id != self.view.runs[0].id:
            return
        if model.role in (ModelRole.TRAINING, ModelRole.TRAINED):
            self.view.filters[0].set_kernels(kernels(model.arch, model.weights))

    def _on_rival_losses(self, chunk) -> None:
        if self.view.runs and chunk.run_id == self.view.runs[1].id:
            self.window.loss.append_run(self._key(), chunk.examples_seen, chunk.losses, chunk.seconds)

    def _on_rival_epoch(self, report) -> None:
        if self.view.runs and report.run_id == self.view.runs[1].id:
            key = self._key()
            self.window.loss.add_run_accuracy(key, report.epoch + 1, report.examples_seen, report.test_accuracy, report.seconds)
            self.window.refresh_runs()

    def _on_rival_snapshot(self, snapshot) -> None:
        self.view.filters[1].set_kernels(kernels(snapshot.arch, snapshot.weights))

    def _on_rival_state(self, run) -> None:
        if not self.view.runs or run.id != self.view.runs[1].id:
            return
        if run.state in (RunState.FINISHED, RunState.FAILED):
            self.window.loss.set_run_live(self._key(), False)
            if run.final_weights is not None:
                self.view.filters[1].set_kernels(kernels(run.config.arch, run.final_weights))
            self.window.refresh_runs()

    def _on_rates(self, rates) -> None:
        self.view.rates = rates
        self.view.retranslate()
        if self.view.runs and not any(run.active for run in self.view.runs):
            return
        shared = translate("Race", "Race: {a} and {b} images/s, each on its own training time; {total} images/s together")
        self.window.statusBar().showMessage(
            shared.format(
                a=count(rates.images_per_second[0]),
                b=count(rates.images_per_second[1]),
                total=count(rates.shared_images_per_second),
            ),
            15000,
        )


def attach_race(window) -> Race:
    """Add the race menu and panel to ``window`` (call at the end of MainWindow._build_ui)."""
    window.race = Race(window)
    return window.race
