"""The batch-size lab in the window: its menu, its panel, its job, and the learning-rate control.

The menu "Batch sizes" has "Batch-size lab" (shows the panel, where the sweep is set up and started)
and "Change learning rate…" (a running training run's or sweep's rate from the next batch on). The
live run's rate changes are marked on the loss curve.
"""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.errors import ConfigError
from convviz.gui.common.i18n import decimal, translate
from convviz.gui.jobs.sweep import SweepJob
from convviz.gui.panels.sweep import SWEEP_PANEL, SweepPanel


class Sweeper(QtCore.QObject):
    """The window's batch-size lab (``window``: the MainWindow, used through its public attributes)."""

    finished = QtCore.pyqtSignal(object)  # SweepResult or None: a sweep ended

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = SweepPanel()
        window.panels.add_panel(SWEEP_PANEL, self.view, beside="Loss")
        menu = window.menuBar().addMenu("")
        window.retranslated(menu.menuAction().setText, translate("MainWindow", "&Batch sizes"))
        self.show_action = menu.addAction("")
        window.retranslated(self.show_action.setText, translate("MainWindow", "Batch-size lab"))
        self.show_action.triggered.connect(lambda: window.panels.show_panel(SWEEP_PANEL))
        self.rate_action = menu.addAction("")
        window.retranslated(self.rate_action.setText, translate("MainWindow", "Change learning rate…"))
        self.rate_action.triggered.connect(self.ask_rate)
        self.view.start_requested.connect(self.start)
        self.view.stop_requested.connect(self.stop)
        self.view.rate_requested.connect(self.set_rate)
        window.controller.state.rate_changed.connect(self._on_rate_changed)
        self.job: SweepJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, plan) -> bool:
        """Start ``plan`` (a SweepPlan); False (with one line in the panel) while anything trains or MNIST is
        not loaded yet."""
        controller = self.window.controller
        if self.job is not None or controller.state.is_training():
            self.view.message.setText(str(translate("Sweeper", "A run is going on: stop it first")))
            return False
        data = controller.state.data
        if data is None:
            controller.load_data()
            self.view.message.setText(str(translate("Sweeper", "Waiting for MNIST to load… then press Start again")))
            return False
        try:
            job = SweepJob(plan, data)
        except ConfigError as exc:
            self.view.message.setText(str(exc).splitlines()[0])
            return False
        self.job = controller.sweep_job = job
        job.reported.connect(self.view.handle)
        job.errored.connect(lambda error: self.view.message.setText(error.message))
        job.finished.connect(self._on_finished)
        self.view.message.setText(
            str(translate("Sweeper", "Measuring one step's memory per batch size, then training…"))
        )
        self.view.set_running(True)
        self.window.panels.show_panel(SWEEP_PANEL)
        controller.run_job(job)
        return True

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def set_rate(self, rate: float) -> None:
        """The rate for the running run or sweep; one line in the status bar either way."""
        try:
            applied = self.window.controller.set_learning_rate(rate)
        except ConfigError as exc:
            self.window.statusBar().showMessage(str(exc).splitlines()[0], 8000)
            return
        if applied is None:
            line = translate("Sweeper", "Nothing is training: the learning rate applies to the next run's settings")
        else:
            line = translate("Sweeper", "Learning rate {rate} from the next batch on").format(rate=decimal(applied))
        self.window.statusBar().showMessage(line, 8000)

    def ask_rate(self) -> None:
        current = self.window.state.config.learning_rate
        title = translate("Sweeper", "Change learning rate")
        label = translate("Sweeper", "New learning rate (from the next batch on):")
        rate, ok = QtWidgets.QInputDialog.getDouble(self.window, title, label, current, 1e-5, 10.0, 5)
        if ok:
            self.set_rate(rate)

    def _on_rate_changed(self, change) -> None:
        if self.window.state.is_main(change.run_id):
            self.window.loss.add_rate_marker(change.examples_seen, change.seconds, change.learning_rate)

    def _on_finished(self, result) -> None:
        self.job = self.window.controller.sweep_job = None
        self.view.set_running(False)
        if result is not None:
            self.view.message.setText(str(translate("Sweeper", "Sweep finished")))
        self.finished.emit(result)
