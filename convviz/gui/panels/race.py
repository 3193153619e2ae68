"""Race two runs: a dialog to choose the rival, and both runs' first-layer filters side by side.

:class:`convviz.gui.window.race.Race` gives the window a "Race…" menu entry and this panel beside the filters. The
dialog shows the current configuration on the left and a second one on the right (another
architecture, or the same with another batch size, optimizer or learning rate). "Start race" asks the
controller (``window.controller.start_race``) to train both in one worker thread, a batch of one, then
a batch of the other, with the same seed: the same examples in the same order. The main run (the
left) drives the pad, the live loss curve and the status bar, as any run does; the rival (the right)
is drawn live as an overlay of the same loss plot, and its filters sit beside the main run's here.
Under them, the race's summary: both accuracies, the time each took to a chosen accuracy (its own
training time), and the winner (:func:`convviz.gui.jobs.race.summarize`, handed in by the window).

A panel: no TensorFlow, no controller import; the window is used through its attributes.
"""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.config import ARCHITECTURES, OPTIMIZERS, TrainConfig
from convviz.gui.common import theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, count, decimal, percent, translate
from convviz.gui.panels.filters import FiltersWidget
from convviz.netspec import get_spec, kernel_layers

RACE_PANEL = QT_TRANSLATE_NOOP("PanelArea", "Race")


def kernels(arch: str, weights) -> dict:
    """The kernels the filters show, by layer (``conv1``, ``fc1`` ...), from a weights dict (``conv1/kernel`` ...)."""
    layers = kernel_layers(get_spec(arch))
    return {layer: weights[f"{layer}/kernel"] for layer in layers if f"{layer}/kernel" in weights}


def describe(config: TrainConfig) -> str:
    """One line for a configuration: architecture, batch size, optimizer, learning rate."""
    return f"{config.arch} · {count(config.batch_size)} · {config.optimizer} · {decimal(config.learning_rate)}"


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
    """Both racers' filters side by side, each under its run's name and speed; the summary under them.

    ``target_changed(float)``: the user chose another accuracy (0-1) for the summary.
    """

    target_changed = QtCore.pyqtSignal(float)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        outer = QtWidgets.QVBoxLayout(self)
        summary_row = QtWidgets.QHBoxLayout()  # on top: on a small screen the filters scroll, the verdict stays
        outer.addLayout(summary_row)
        layout = QtWidgets.QHBoxLayout()
        outer.addLayout(layout, stretch=1)
        self.headers = [QtWidgets.QLabel(), QtWidgets.QLabel()]
        self.results = [QtWidgets.QLabel(), QtWidgets.QLabel()]  # each racer's accuracy and time to the target
        self.filters = [FiltersWidget(), FiltersWidget()]
        self.save_buttons: list = []  # each racer's "Save figure…", beside its name
        for header, result, filters in zip(self.headers, self.results, self.filters):
            # Both columns share the panel's width: the filters' own minimum pushed the rival off the screen.
            filters.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Expanding)
            column = QtWidgets.QVBoxLayout()
            header.setWordWrap(True)
            result.setWordWrap(True)
            # Each column is half a panel (~300 px at 1024x768): beside the layer choice its "Save figure…"
            # was elided to "Sav…re…", and beside the run's name it pushed the rival's out of the page.
            # It has a line of its own, on the right above the filters.
            for button in filters.findChildren(QtWidgets.QToolButton):
                if button.menu() is filters.figure_menu.menu:
                    button.hide()
            save = filters.figure_menu.make_button()
            save.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Fixed)
            self.save_buttons.append(save)
            column.addWidget(header)
            column.addWidget(result)
            column.addWidget(save, alignment=QtCore.Qt.AlignRight)
            column.addWidget(filters, stretch=1)
            layout.addLayout(column, stretch=1)
        self.target_label = QtWidgets.QLabel()
        self.target_spin = QtWidgets.QDoubleSpinBox()  # percent; the window's locale gives it 97,0 in German
        self.target_spin.setRange(10.0, 99.9)
        self.target_spin.setDecimals(1)
        self.target_spin.setSingleStep(0.5)
        self.target_spin.setValue(97.0)
        self.target_spin.setSuffix("\u00a0%")
        self.target_spin.setKeyboardTracking(False)
        self.target_label.setBuddy(self.target_spin)
        self.winner_label = QtWidgets.QLabel()
        self.winner_label.setFont(theme.font(theme.TITLE_PT, bold=True))
        self.winner_label.setWordWrap(True)
        summary_row.addWidget(self.target_label)
        summary_row.addWidget(self.target_spin)
        summary_row.addWidget(self.winner_label, stretch=1)
        self.runs: tuple = ()  # (main Run, rival Run) of the last race
        self.rates = None  # the last RaceRates
        self.summary = None  # the last RaceSummary (convviz.gui.jobs.race)
        self.target_spin.valueChanged.connect(lambda value: self.target_changed.emit(value / 100.0))
        self.retranslate()

    def target(self) -> float:
        """The chosen accuracy, 0-1."""
        return self.target_spin.value() / 100.0

    def set_summary(self, summary) -> None:
        """Show ``summary`` (a RaceSummary, or None: no race yet)."""
        self.summary = summary
        self._show_summary()

    def _show_summary(self) -> None:
        summary = self.summary
        self.target_label.setText(translate("Race", "Time to"))
        self.target_spin.setToolTip(translate("Race", "The test accuracy the race summary times each run to"))
        if summary is None or not self.runs:
            for label in self.results:
                label.setText("")
            self.winner_label.setText("")
            return
        goal = percent(summary.target, 1)
        for label, racer in zip(self.results, summary.racers):
            if racer.accuracy is None:
                accuracy = translate("Race", "no test accuracy yet")
            elif racer.finished:
                accuracy = translate("Race", "final accuracy {accuracy}").format(accuracy=percent(racer.accuracy, 2))
            else:
                accuracy = translate("Race", "accuracy so far {accuracy}").format(accuracy=percent(racer.accuracy, 2))
            if racer.target_seconds is None:
                reached = translate("Race", "{target} not reached").format(target=goal)
            else:
                reached = translate("Race", "{target} after epoch {epoch}: {seconds} s of its own training").format(
                    target=goal, epoch=racer.target_epoch, seconds=decimal(racer.target_seconds, 1)
                )
            label.setText(f"{accuracy}\n{reached}")
        if summary.winner is None:
            words = translate("Race", "No winner yet") if not summary.decided else translate("Race", "A tie")
        else:
            run = self.runs[summary.winner]
            name = f"#{run.id} {run.config.arch}"
            if summary.racers[summary.winner].target_seconds is not None:
                words = translate("Race", "Winner: {run}, first to {target}").format(run=name, target=goal)
            else:
                words = translate("Race", "Winner: {run}, the higher accuracy").format(run=name)
            if not summary.decided:
                words = translate("Race", "{verdict} (so far)").format(verdict=words)
        self.winner_label.setText(words)

    def retranslate(self) -> None:
        if not self.runs:
            for header in self.headers:
                header.setText(translate("Race", "No race yet: Race two runs… in the Race menu"))
            self._show_summary()
            return
        for i, (header, run) in enumerate(zip(self.headers, self.runs)):
            line = f"#{run.id} {describe(run.config)}"
            if self.rates is not None:
                speed = translate("Race", "{speed} images/s").format(speed=count(self.rates.images_per_second[i]))
                line = f"{line}\n{speed}"
            header.setText(line)
        self._show_summary()
