"""The race in the window: the Race… menu entry, the dialog, the race panel and the two runs' job."""

from __future__ import annotations

from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.gui.common.i18n import count, translate
from convviz.gui.jobs.race import summarize
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
        window.retranslated(menu.menuAction().setText, translate("MainWindow", "R&ace"))
        self.action = menu.addAction("")
        window.retranslated(self.action.setText, translate("MainWindow", "Race two runs…"))
        self.action.triggered.connect(self.open_dialog)
        state = window.controller.state
        state.race_started.connect(self._on_started)
        state.model_changed.connect(self._on_model_changed)
        # The state's run events, every run's: the panel keeps its rival's (the main run's go to the window).
        state.losses_added.connect(self._on_losses)
        state.epoch_added.connect(self._on_epoch)
        state.snapshot_added.connect(self._on_snapshot)
        state.run_state_changed.connect(self._on_state)
        state.progress_changed.connect(self._on_progress)
        window.controller.race_rates.connect(self._on_rates)
        self.view.target_changed.connect(lambda _target: self.update_summary())

    def update_summary(self) -> None:
        """The race summary again, from both runs' epochs and results, at the view's chosen accuracy."""
        runs = self.view.runs
        self.view.set_summary(summarize(runs, self.view.target()) if runs else None)

    # ---- starting --------------------------------------------------------------------------------
    def open_dialog(self) -> RaceDialog:
        """Show the dialog (not modal: tests and the user go on); "Start race" starts it."""
        self.dialog = RaceDialog(self.window.state.config, self.window)
        self.dialog.accepted.connect(lambda: self.start(self.dialog.rival_config()))
        self.dialog.show()
        return self.dialog

    def start(self, rival: TrainConfig, main: TrainConfig | None = None) -> bool:
        """Race ``main`` (default: the config being edited, the state's) against ``rival``."""
        main = self.window.state.config if main is None else main
        started = self.window.controller.start_race(main, rival)
        if not started and not self.window.controller.state.is_training():
            waiting = translate("Race", "The race starts once MNIST is loaded: choose Race two runs… again")
            self.window.statusBar().showMessage(waiting, 8000)
        return started

    @property
    def racing(self) -> bool:
        return bool(self.view.runs) and any(run.active for run in self.view.runs)

    # ---- following it ----------------------------------------------------------------------------
    def _key(self):
        return ("run", self.view.runs[1].id)

    def _is_rival(self, run_id: int) -> bool:
        return bool(self.view.runs) and run_id == self.view.runs[1].id

    def _on_started(self, runs) -> None:
        main, rival = runs
        self.view.runs, self.view.rates = (main, rival), None
        self.update_summary()
        self.view.retranslate()
        label = f"#{rival.id} {rival.config.arch}"
        self.window.loss.add_run(self._key(), label, rival.train_size, live=True, series=rival.series)
        self.window.state.overlay(self._key())
        self.window.panels.show_panel(RACE_PANEL)

    def _on_model_changed(self, model) -> None:
        if not self.view.runs or model is None or model.run_id != self.view.runs[0].id:
            return
        if model.role in (ModelRole.TRAINING, ModelRole.TRAINED):
            self.view.filters[0].set_kernels(kernels(model.arch, model.weights))

    def _on_losses(self, chunk) -> None:
        if self._is_rival(chunk.run_id):
            self.window.loss.update_run(self._key())  # the chunk is in the rival's series, which the plot shows

    def _on_epoch(self, report) -> None:
        if self.view.runs and report.run_id in (run.id for run in self.view.runs):
            self.update_summary()
        if self._is_rival(report.run_id):
            key, accuracy = self._key(), report.test_accuracy
            self.window.loss.add_run_accuracy(key, report.epoch + 1, report.examples_seen, accuracy, report.seconds)
            self.window.refresh_runs()

    def _on_snapshot(self, snapshot) -> None:
        if self._is_rival(snapshot.run_id):
            self.view.filters[1].set_kernels(kernels(snapshot.arch, snapshot.weights))

    def _on_progress(self, progress) -> None:
        if self._is_rival(progress.run_id):
            self.window.refresh_runs()

    def _on_state(self, run) -> None:
        if self.view.runs and run.id in (r.id for r in self.view.runs) and not run.active:
            self.update_summary()
        if not self._is_rival(run.id):
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
        shared = translate("Race", "Race: {a} and {b} images/s, each on its own training time; {total} images/s together")  # noqa: E501
        self.window.statusBar().showMessage(
            shared.format(
                a=count(rates.images_per_second[0]),
                b=count(rates.images_per_second[1]),
                total=count(rates.shared_images_per_second),
            ),
            15000,
        )

