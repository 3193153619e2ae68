"""Race two runs (issue 10, part 4): a dialog to choose the rival, and both runs' first-layer filters side by side.

:func:`attach_race` gives the window a "Race…" menu entry and a "Race" panel beside the filters. The
dialog shows the current configuration on the left and a second one on the right (another
architecture, or the same with another batch size, optimizer or learning rate). "Start race" asks the
controller (``window.controller.start_race``) to train both in one worker thread, a batch of one, then
a batch of the other, with the same seed: the same examples in the same order. The main run (the
left) drives the pad, the live loss curve and the status bar, as any run does; the rival (the right)
is drawn live as an overlay of the same loss plot, and its filters sit beside the main run's here.

A panel: no TensorFlow, no controller import; the window is used through its attributes.
"""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.config import ARCHITECTURES, OPTIMIZERS, TrainConfig
from convviz.gui.filters import FiltersWidget
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslated, count, translate
from convviz.gui.state import ModelRole, RunState
from convviz.netspec import get_spec, kernel_layers

RACE_PANEL = QT_TRANSLATE_NOOP("PanelArea", "Race")


def kernels(arch: str, weights) -> dict:
    """The kernels the filters show, by layer (``conv1``, ``fc1`` ...), from a weights dict (``conv1/kernel`` ...)."""
    return {layer: weights[f"{layer}/kernel"] for layer in kernel_layers(get_spec(arch)) if f"{layer}/kernel" in weights}


def describe(config: TrainConfig) -> str:
    """One line for a configuration: architecture, batch size, optimizer, learning rate."""
    return f"{config.arch} · {config.batch_size} · {config.optimizer} · {config.learning_rate:g}"


class RaceDialog(Retranslated, QtWidgets.QDialog):
    """The current configuration (left) against a second one (right); :meth:`rival_config` is the right one."""

    def __init__(self, main: TrainConfig, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.main = main
        layout = QtWidgets.QVBoxLayout(self)
        columns = QtWidgets.QHBoxLayout()
        layout.addLayout(columns)
        self.left_box = QtWidgets.QGroupBox()
        left = QtWidgets.QVBoxLayout(self.left_box)
        self.left_text = QtWidgets.QLabel(describe(main))
        left.addWidget(self.left_text)
        left.addStretch(1)
        columns.addWidget(self.left_box)
        self.right_box = QtWidgets.QGroupBox()
        form = QtWidgets.QFormLayout(self.right_box)
        self.arch = QtWidgets.QComboBox()
        self.arch.addItems(list(ARCHITECTURES))
        others = [a for a in ARCHITECTURES if a != main.arch]
        self.arch.setCurrentText(others[0] if others else main.arch)
        self.batch_size = QtWidgets.QSpinBox()
        self.batch_size.setRange(1, 4096)
        self.batch_size.setValue(main.batch_size)
        self.optimizer = QtWidgets.QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.optimizer.setCurrentText(main.optimizer)
        self.learning_rate = QtWidgets.QDoubleSpinBox()
        self.learning_rate.setDecimals(5)
        self.learning_rate.setRange(1e-5, 10.0)
        self.learning_rate.setSingleStep(1e-4)
        self.learning_rate.setValue(main.learning_rate)
        self.labels = [QtWidgets.QLabel() for _ in range(4)]
        for label, field in zip(self.labels, (self.arch, self.batch_size, self.optimizer, self.learning_rate)):
            form.addRow(label, field)
        columns.addWidget(self.right_box)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QtWidgets.QDialogButtonBox()
        self.start_button = self.buttons.addButton("", QtWidgets.QDialogButtonBox.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QtWidgets.QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Race", "Race two runs"))
        self.left_box.setTitle(translate("Race", "This configuration"))
        self.right_box.setTitle(translate("Race", "Against"))
        texts = (
            translate("Race", "Network"),
            translate("Race", "Batch size"),
            translate("Race", "Optimizer"),
            translate("Race", "Learning rate"),
        )
        for label, text in zip(self.labels, texts):
            label.setText(text)
        self.note.setText(
            translate("Race", "Both runs train in one thread, a batch of one, then a batch of the other, with numpy batching and the same seed: they see the same images in the same order.")  # noqa: E501
        )
        self.start_button.setText(translate("Race", "Start race"))
        self.cancel_button.setText(translate("Race", "Cancel"))

    def rival_config(self) -> TrainConfig:
        return self.main.replace(
            arch=self.arch.currentText(),
            batch_size=int(self.batch_size.value()),
            optimizer=self.optimizer.currentText(),
            learning_rate=float(self.learning_rate.value()),
        )


class RaceView(Retranslated, QtWidgets.QWidget):
    """Both racers' filters side by side, each under its run's name and speed."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        layout = QtWidgets.QHBoxLayout(self)
        self.headers = [QtWidgets.QLabel(), QtWidgets.QLabel()]
        self.filters = [FiltersWidget(), FiltersWidget()]
        for header, filters in zip(self.headers, self.filters):
            column = QtWidgets.QVBoxLayout()
            header.setWordWrap(True)
            column.addWidget(header)
            column.addWidget(filters, stretch=1)
            layout.addLayout(column, stretch=1)
        self.runs: tuple = ()  # (main Run, rival Run) of the last race
        self.rates = None  # the last RaceRates
        self.retranslate()

    def retranslate(self) -> None:
        if not self.runs:
            for header in self.headers:
                header.setText(translate("Race", "No race yet: Race two runs… in the Race menu"))
            return
        for i, (header, run) in enumerate(zip(self.headers, self.runs)):
            line = f"#{run.id} {describe(run.config)}"
            if self.rates is not None:
                speed = translate("Race", "{speed} images/s").format(speed=count(self.rates.images_per_second[i]))
                line = f"{line}\n{speed}"
            header.setText(line)


class Race(QtCore.QObject):
    """The window's race: the menu entry, the dialog, the panel, the rival's live curve."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = RaceView()
        self.dialog: RaceDialog | None = None
        window.panels.add_panel(RACE_PANEL, self.view, beside="Filters")
        menu = window.menuBar().addMenu("")
        window._translated.append((menu.menuAction().setText, translate("MainWindow", "&Race")))
        self.action = menu.addAction("")
        window._translated.append((self.action.setText, translate("MainWindow", "Race two runs…")))
        self.action.triggered.connect(self.open_dialog)
        state = window.controller.state
        state.race_started.connect(self._on_started)
        state.model_changed.connect(self._on_model_changed)
        state.rival_losses_added.connect(self._on_rival_losses)
        state.rival_epoch_added.connect(self._on_rival_epoch)
        state.rival_snapshot_added.connect(self._on_rival_snapshot)
        state.rival_state_changed.connect(self._on_rival_state)
        state.rival_progress_changed.connect(lambda _progress: self.window._refresh_runs())
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
            self.window._refresh_runs()

    def _on_rival_snapshot(self, snapshot) -> None:
        self.view.filters[1].set_kernels(kernels(snapshot.arch, snapshot.weights))

    def _on_rival_state(self, run) -> None:
        if not self.view.runs or run.id != self.view.runs[1].id:
            return
        if run.state in (RunState.FINISHED, RunState.FAILED):
            self.window.loss.set_run_live(self._key(), False)
            if run.final_weights is not None:
                self.view.filters[1].set_kernels(kernels(run.config.arch, run.final_weights))
            self.window._refresh_runs()

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
