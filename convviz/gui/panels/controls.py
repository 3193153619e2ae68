"""ControlsWidget: choose architecture, batching and hyper-parameters; start, pause, step, stop, save, load.

The config being edited lives in :class:`~convviz.gui.state.AppState` (``state.config``): every
edit of a setting is written there at once, and the widgets show what the state says
(``config_changed``), napari style. The buttons emit requests; the main window acts on them.
"""

from __future__ import annotations

import logging
import math
import re

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.config import ARCH_DESCRIPTIONS, ARCHITECTURES, BATCHING_DESCRIPTIONS, OPTIMIZERS, ConfigError, TrainConfig
from convviz.constants import NUM_TRAIN
from convviz.gui.common import theme
from convviz.gui.common.i18n import (
    QT_TRANSLATE_NOOP,
    Retranslated,
    again,
    core,
    count,
    decimal,
    decimal_text,
    marked,
    number,
    read_decimal,
    translate,
)
from convviz.gui.common.text import BATCHING_NAMES, keep_units
from convviz.gui.state import AppState
from convviz.memory import human_bytes, memory_report, parameter_count
from convviz.netspec import format_spec, get_spec

logger = logging.getLogger(__name__)
SEED_MIN_PX = 100  # the seed box: seeds are small numbers in practice; larger ones scroll

BATCHING_LABELS = BATCHING_NAMES  # numpy, tf.data, tf.estimator: as the code names them
SUGGESTED_LEARNING_RATES = {"adam": 1e-3, "sgd": 0.05}
LEARNING_RATE_RANGE = (1e-5, 10.0)
# Batches a second, for a lecture: from one weight update a second up to as fast as it trains (None).
SPEEDS = (1.0, 2.0, 5.0, 10.0, 20.0, None)
CUSTOM = ""  # the data of the list's last entry, "your own…": it opens the architecture editor


# What each network is, in a student's words; its layers come from its spec (convviz.netspec).
ARCH_GLOSSES = {
    "dense": QT_TRANSLATE_NOOP("Controls", "the dense net of the previous exercise"),
    "cnn": QT_TRANSLATE_NOOP("Controls", "a compact CNN: two conv + pool stages"),
    "template": QT_TRANSLATE_NOOP("Controls", "the CNN in the exercise notebook's template"),
    "lenet5": QT_TRANSLATE_NOOP("Controls", "LeCun et al.'s LeNet-5 (1998)"),
}


def arch_label(arch: str) -> str:
    """An entry of the architecture list: "template — the CNN in the exercise notebook's template"."""
    return f"{arch} — {arch_description(arch)}"


def arch_description(arch: str) -> str:
    """The line under the list: what the selected network is (its name is in the box above)."""
    gloss = ARCH_GLOSSES.get(arch)
    if gloss:
        return marked("Controls", gloss)
    if arch in ARCH_DESCRIPTIONS:
        return core(ARCH_DESCRIPTIONS[arch])
    return translate("Controls", "your own network: {spec}").format(spec=arch)


def arch_layers(arch: str) -> str:
    """The selected network's layers, for the line's tooltip: "conv 64@5x5, pool, ..."."""
    try:
        return get_spec(arch).summary()
    except Exception:  # a panel must not die on a helper's bug; the name and gloss still help
        logger.exception("layer summary of %s failed", arch)
        return ""


class ArchCombo(QtWidgets.QComboBox):
    """The architecture list: open, each entry says what it is; closed, only the short name shows.

    The controls column is narrow (1024x768 must fit): the closed box is as wide as the
    longest name, the open list as wide as its longest entry, and a label under the
    box describes the selected network.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(max(len(arch) for arch in ARCHITECTURES) + 2)

    def display_text(self) -> str:
        """What the closed box shows: the selected network's short name (a long spec elided)."""
        text = self.currentData() or ""
        room = self.width() - self.iconSize().width() - 40  # the arrow and the frame
        return self.fontMetrics().elidedText(text, QtCore.Qt.ElideRight, max(room, 40))

    def paintEvent(self, event) -> None:
        painter = QtWidgets.QStylePainter(self)
        option = QtWidgets.QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.display_text()
        painter.drawComplexControl(QtWidgets.QStyle.CC_ComboBox, option)
        painter.drawControl(QtWidgets.QStyle.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)  # entries whole
        super().showPopup()


def speed_text(speed: float | None) -> str:
    if speed is None:
        return translate("Controls", "full speed")
    if speed == 1:
        return translate("Controls", "{speed} batch/s").format(speed=decimal(speed))
    return translate("Controls", "{speed} batches/s").format(speed=decimal(speed))


def describe_arch(arch: str, batch_size: int) -> str:
    """Parameter count and memory, full batch vs mini-batch, from ``convviz.memory`` (numpy only)."""
    try:
        params = parameter_count(arch)
        report = memory_report(arch, batch_size)
        # the label wraps: 3.94 and GB stay together, the number written the language's way
        full = keep_units(decimal_text(human_bytes(report.total_full_bytes)))
        batch = keep_units(decimal_text(human_bytes(report.total_batch_bytes)))
    except Exception:  # a panel must not die on a helper's bug; log it and show what we know
        logger.exception("memory report for %s failed", arch)
        return core(ARCH_DESCRIPTIONS.get(arch, arch))
    line = translate(
        "Controls", "{params} parameters · memory: full batch ({images}) {full}, mini-batch ({size}) {batch}"
    )
    return line.format(params=count(params), images=count(NUM_TRAIN), full=full, size=batch_size, batch=batch)


class LogSpinBox(QtWidgets.QDoubleSpinBox):
    """A spin box for rates: arrows step through 1-2-5 per decade; the text is compact (1e-05, 0.001, 0.05)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(*LEARNING_RATE_RANGE)
        self.setKeyboardTracking(False)

    def stepBy(self, steps: int) -> None:
        value = self.value()
        for _ in range(abs(steps)):
            value = self._next(value, up=steps > 0)
        self.setValue(value)

    @staticmethod
    def _next(value: float, up: bool) -> float:
        decade = math.floor(math.log10(value) + 1e-9)
        ladder = [m * 10.0**d for d in (decade - 1, decade, decade + 1) for m in (1, 2, 5)]
        if up:
            return next(v for v in ladder if v > value * (1 + 1e-9))
        return next(v for v in reversed(ladder) if v < value * (1 - 1e-9))

    def textFromValue(self, value: float) -> str:
        return decimal(value)  # 0.001 in English, 0,001 in German, as every number the window shows

    def valueFromText(self, text: str) -> float:
        try:
            return read_decimal(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple:
        try:
            value = read_decimal(text)
        except ValueError:
            # Partial input ("1e-", "0.", "0,") is fine while typing.
            ok = all(ch in "0123456789.,eE-+" for ch in text)
            return (QtGui.QValidator.Intermediate if ok else QtGui.QValidator.Invalid), text, pos
        low, high = LEARNING_RATE_RANGE
        state = QtGui.QValidator.Acceptable if low <= value <= high else QtGui.QValidator.Intermediate
        return state, text, pos


# A count as typed: plain digits, or groups of three after the first 1-3 digits, split by a space
# (narrow or not), a comma or a point: 3000, 3 000, 3,000 and 3.000 all read 3000; 2,5 reads as nothing.
_COUNT_TEXT = re.compile(r"^(\d+|\d{1,3}([ \u202f\u00a0,.]\d{3})+)$")


def read_count(text: str) -> int:
    """A whole number typed with or without either language's grouping; ValueError if it is none."""
    text = text.strip()
    if not _COUNT_TEXT.match(text):
        raise ValueError(f"not a whole number: {text!r}")
    return int(re.sub(r"\D", "", text))


class CountSpinBox(QtWidgets.QSpinBox):
    """A spin box for counts, written as every count in the window (3,000 in English, 3 000 in German),
    and read back from either form."""

    def textFromValue(self, value: int) -> str:
        return number(value, ",")

    def _number_part(self, text: str) -> str:
        text = text.strip()
        for affix, cut in ((self.prefix().strip(), text.startswith), (self.suffix().strip(), text.endswith)):
            if affix and cut(affix):
                text = text[len(affix) :] if cut == text.startswith else text[: -len(affix)]
        return text.strip()

    def valueFromText(self, text: str) -> int:
        if self.specialValueText() and text == self.specialValueText():
            return self.minimum()
        try:
            return read_count(self._number_part(text))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple:
        if self.specialValueText() and text == self.specialValueText():
            return QtGui.QValidator.Acceptable, text, pos
        part = self._number_part(text)
        try:
            value = read_count(part)
        except ValueError:
            # Partial input ("3 0", "", "3,") is fine while typing.
            ok = all(ch.isdigit() or ch in " \u202f\u00a0,." for ch in part)
            return (QtGui.QValidator.Intermediate if ok else QtGui.QValidator.Invalid), text, pos
        inside = self.minimum() <= value <= self.maximum()
        return (QtGui.QValidator.Acceptable if inside else QtGui.QValidator.Intermediate), text, pos


class RunBar(QtWidgets.QWidget):
    """Start, Pause, Stop, Step and the speed; the window may show it outside the controls' column,
    where the column's rule for a disabled focus widget (see ControlsWidget.focusNextPrevChild) still holds."""

    def __init__(self, controls: ControlsWidget):
        super().__init__()
        self._controls = controls

    def focusNextPrevChild(self, next: bool) -> bool:
        moved = self._controls.keep_focus_on_run_buttons()
        return super().focusNextPrevChild(next) if moved is None else moved


class ControlsWidget(Retranslated, QtWidgets.QWidget):
    """Training settings and the buttons that start, pause, step, stop, save and load.

    ``state``: the app's state, whose ``config`` the settings edit (default: one of its own, for a
    widget on its own).
    """

    start_requested = QtCore.pyqtSignal(object)  # TrainConfig
    pause_requested = QtCore.pyqtSignal()
    resume_requested = QtCore.pyqtSignal()
    step_requested = QtCore.pyqtSignal(object)  # None: step the paused run; a TrainConfig: start one to step
    speed_changed = QtCore.pyqtSignal(object)  # batches a second, None: full speed
    stop_requested = QtCore.pyqtSignal()
    save_requested = QtCore.pyqtSignal()
    load_requested = QtCore.pyqtSignal()
    pretrained_requested = QtCore.pyqtSignal()
    arch_changed = QtCore.pyqtSignal(str)

    def __init__(self, state: AppState | None = None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.state = state if state is not None else AppState(self)
        self._running = False
        self._paused = False
        self._writing = False  # an edit is being written to the state: its echo changes no widget

        self.arch_combo = ArchCombo()
        for arch in ARCHITECTURES:
            self.arch_combo.addItem(arch, arch)  # its text and tooltip: retranslate()
        self.arch_combo.addItem("", CUSTOM)  # "your own…": opens the editor (_on_arch_selected)
        self._arch_index = 0  # the entry before "your own…" was chosen: back to it when the editor is cancelled
        self.arch_description = QtWidgets.QLabel()  # what the selected network is, under the list
        self.arch_description.setWordWrap(True)  # one line, two for the template's on a narrow column
        self.arch_description.setStyleSheet("font-style: italic")
        self.arch_info = QtWidgets.QLabel()
        self.arch_info.setWordWrap(True)
        self.arch_info.setStyleSheet(f"color: {theme.MUTED}")
        self.arch_info.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)

        self.batching_combo = QtWidgets.QComboBox()
        for key, label in BATCHING_LABELS.items():
            self.batching_combo.addItem(label, key)  # its tooltip: retranslate()
        self.batch_size_spin = CountSpinBox()
        self.batch_size_spin.setRange(1, NUM_TRAIN)
        self.batch_size_spin.setKeyboardTracking(False)
        self.epochs_spin = CountSpinBox()
        self.epochs_spin.setRange(1, 1000)
        self.optimizer_combo = QtWidgets.QComboBox()
        for opt in OPTIMIZERS:
            self.optimizer_combo.addItem(opt, opt)
        self.lr_spin = LogSpinBox()
        self.momentum_spin = QtWidgets.QDoubleSpinBox()
        self.momentum_spin.setRange(0.0, 0.99)
        self.momentum_spin.setSingleStep(0.1)
        self.momentum_spin.setDecimals(2)
        self.decay_spin = QtWidgets.QDoubleSpinBox()
        self.decay_spin.setRange(0.05, 1.0)
        self.decay_spin.setSingleStep(0.05)
        self.decay_spin.setDecimals(2)
        self.seed_spin = QtWidgets.QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setMinimumWidth(SEED_MIN_PX)  # room for 10 digits would widen the column on 1024 px
        self.limit_spin = CountSpinBox()
        self.limit_spin.setRange(0, NUM_TRAIN)  # 0 shows as "all", i.e. no limit
        self.limit_spin.setSingleStep(1000)

        self.start_button = QtWidgets.QPushButton()
        self.pause_button = QtWidgets.QPushButton()
        self.stop_button = QtWidgets.QPushButton()
        self.step_button = QtWidgets.QPushButton()
        self.speed_combo = QtWidgets.QComboBox()
        for speed in SPEEDS:
            self.speed_combo.addItem(speed_text(speed), speed)
        self.speed_combo.setCurrentIndex(len(SPEEDS) - 1)
        # Short texts: they sit in the "Model" box, and the column must leave room on a 1280 px screen.
        self.save_button = QtWidgets.QPushButton()
        self.load_button = QtWidgets.QPushButton()
        self.pretrained_button = QtWidgets.QPushButton()
        self.start_button.setStyleSheet("font-weight: bold")
        self._status_text = ""  # the problem shown under the buttons
        self._status = QtWidgets.QLabel("")
        self._status.setWordWrap(True)
        self._status.setStyleSheet(f"color: {theme.WRONG}")
        self._status.setVisible(False)

        self._model_box = model_box = QtWidgets.QGroupBox()
        self._model_form = model_form = QtWidgets.QFormLayout(model_box)
        model_form.addRow(QtWidgets.QLabel(), self.arch_combo)
        model_form.addRow(self.arch_description)
        model_form.addRow(self.arch_info)
        file_row = QtWidgets.QHBoxLayout()
        for b in (self.save_button, self.load_button, self.pretrained_button):
            file_row.addWidget(b)
        model_form.addRow(file_row)

        self._train_box = train_box = QtWidgets.QGroupBox()
        self._train_form = form = QtWidgets.QFormLayout(train_box)
        for field in (self.batching_combo, self.batch_size_spin, self.epochs_spin, self.optimizer_combo):
            form.addRow(QtWidgets.QLabel(), field)  # the labels: retranslate()
        for field in (self.lr_spin, self.momentum_spin, self.decay_spin, self.seed_spin, self.limit_spin):
            form.addRow(QtWidgets.QLabel(), field)

        run_row = QtWidgets.QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button):
            run_row.addWidget(b)
        speed_row = QtWidgets.QHBoxLayout()  # a second row: the column must leave room on a 1280 px screen
        speed_row.addWidget(self.step_button)
        self._speed_label = QtWidgets.QLabel()
        speed_row.addWidget(self._speed_label)
        speed_row.addWidget(self.speed_combo, stretch=1)

        # Start, Pause, Stop, Step and the speed: one bar the window may put below the scrolled column,
        # always in sight (at 1024x768 the column scrolls, and the speed row was cut off at its bottom).
        self.run_bar = RunBar(self)
        bar = QtWidgets.QVBoxLayout(self.run_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addLayout(run_row)
        bar.addLayout(speed_row)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(model_box)
        layout.addWidget(train_box)
        layout.addWidget(self.run_bar)
        layout.addWidget(self._status)
        layout.addStretch(1)

        self._show_config(self.state.config)
        self.state.config_changed.connect(self._on_config_changed)
        self.arch_combo.currentIndexChanged.connect(self._on_arch_selected)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_selected)
        self.batching_combo.currentIndexChanged.connect(self._write_config)
        for spin in (self.batch_size_spin, self.epochs_spin, self.lr_spin, self.momentum_spin):
            spin.valueChanged.connect(self._write_config)
        for spin in (self.decay_spin, self.seed_spin, self.limit_spin):
            spin.valueChanged.connect(self._write_config)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self.stop_requested)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_selected)
        self.save_button.clicked.connect(self.save_requested)
        self.load_button.clicked.connect(self.load_requested)
        self.pretrained_button.clicked.connect(self.pretrained_requested)
        self.retranslate()
        self.set_running(False)

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self._model_box.setTitle(translate("Controls", "Model"))
        self._model_form.labelForField(self.arch_combo).setText(translate("Controls", "architecture"))
        self._train_box.setTitle(translate("Controls", "Training"))
        labels = (
            (self.batching_combo, translate("Controls", "batching")),
            (self.batch_size_spin, translate("Controls", "batch size")),
            (self.epochs_spin, translate("Controls", "epochs")),
            (self.optimizer_combo, translate("Controls", "optimizer")),
            (self.lr_spin, translate("Controls", "learning rate")),
            (self.momentum_spin, translate("Controls", "momentum")),
            (self.decay_spin, translate("Controls", "rate decay")),
            (self.seed_spin, translate("Controls", "seed")),
            (self.limit_spin, translate("Controls", "train on")),
        )
        for field, label in labels:
            self._train_form.labelForField(field).setText(label)
        for index in range(self.arch_combo.count()):
            arch = self.arch_combo.itemData(index)
            if arch == CUSTOM:
                self.arch_combo.setItemText(index, translate("Controls", "your own…"))
                tip = translate(
                    "Controls", "Write your own network, e.g. conv32@5x5-pool2-dense128, and see its shapes"
                )
                self.arch_combo.setItemData(index, tip, QtCore.Qt.ToolTipRole)
            elif arch in ARCHITECTURES:
                self.arch_combo.setItemText(index, arch_label(arch))
                self.arch_combo.setItemData(index, core(ARCH_DESCRIPTIONS.get(arch, "")), QtCore.Qt.ToolTipRole)
        for index, key in enumerate(BATCHING_LABELS):
            self.batching_combo.setItemData(index, core(BATCHING_DESCRIPTIONS.get(key, "")), QtCore.Qt.ToolTipRole)
        for index, speed in enumerate(SPEEDS):
            self.speed_combo.setItemText(index, speed_text(speed))
        self.lr_spin.setToolTip(
            translate("Controls", "Arrows step 1-2-5 per decade; switching optimizer suggests a rate")
        )
        self.momentum_spin.setToolTip(translate("Controls", "SGD only; 0 is plain gradient descent"))
        self.decay_spin.setSuffix(translate("Controls", " {times} per epoch").format(times=theme.TIMES))
        self.decay_spin.setToolTip(
            translate("Controls", "Multiply the learning rate by this after every epoch; 1 keeps it constant")
        )
        self.limit_spin.setSuffix(translate("Controls", " images"))
        self.limit_spin.setSpecialValueText(translate("Controls", "all {images}").format(images=count(NUM_TRAIN)))
        self.limit_spin.setToolTip(translate("Controls", "Train on the first N images only: quick demos"))
        self.start_button.setText(translate("Controls", "▶ Start"))
        self.stop_button.setText(translate("Controls", "■ Stop"))
        self.step_button.setText(translate("Controls", "Step"))
        step_tip = translate(
            "Controls", "Train exactly one batch, then pause: one weight update at a time (with no run, starts one)"
        )
        self.step_button.setToolTip(step_tip)
        self.pause_button.setToolTip(translate("Controls", "Pause or resume the run (space bar)"))
        self._update_pause_text()
        self._speed_label.setText(translate("Controls", "speed"))
        speed_tip = translate(
            "Controls", "Batches a second, also during a run; slow speeds show every batch's loss and weights"
        )
        self.speed_combo.setToolTip(speed_tip)
        self.save_button.setText(translate("Controls", "Save…"))
        self.save_button.setToolTip(
            translate("Controls", "Save the model in use (weights.npz + model.json) into a folder")
        )
        self.load_button.setText(translate("Controls", "Load…"))
        self.load_button.setToolTip(translate("Controls", "Load a saved model folder"))
        self.pretrained_button.setText(translate("Controls", "Pretrained"))
        self.pretrained_button.setToolTip(
            translate("Controls", "Load the shipped, fully trained weights for this architecture")
        )
        self.show_error(again(self._status_text))
        self._update_arch_info()

    # ---- public API -------------------------------------------------------------------------

    def config(self) -> TrainConfig:
        """The config being edited: the state's (not validated; Start validates)."""
        return self.state.config

    def set_config(self, config: TrainConfig) -> None:
        """Edit ``config`` from now on (e.g. the one saved with a loaded model): into the state, which the
        widgets show. Emits no requests."""
        self.state.set_config(config)

    def _widgets_config(self) -> TrainConfig:
        """The state's config with what the widgets say; fields without a widget (eval_batch_size, ...) kept."""
        limit = self.limit_spin.value()
        optimizer = self.optimizer_combo.currentData()
        return self.state.config.replace(
            arch=self.arch_combo.itemData(self._arch_index),  # never "your own…" while the editor is open
            batching=self.batching_combo.currentData(),
            batch_size=self.batch_size_spin.value(),
            epochs=self.epochs_spin.value(),
            optimizer=optimizer,
            learning_rate=float(self.lr_spin.value()),
            momentum=float(self.momentum_spin.value()) if optimizer == "sgd" else 0.0,
            lr_decay=float(self.decay_spin.value()),
            seed=self.seed_spin.value(),
            train_limit=limit or None,
        )

    def _write_config(self, *_args) -> None:
        """A setting was edited: the state's config follows (its echo leaves the widgets as they are)."""
        before, config = self.state.config, self._widgets_config()
        self._writing = True
        try:
            self.state.set_config(config)
        finally:
            self._writing = False
        if (config.arch, config.batch_size) != (before.arch, before.batch_size):
            self._update_arch_info()  # the parameters and memory of this network at this batch size

    def _on_config_changed(self, config: TrainConfig) -> None:
        if not self._writing:
            self._show_config(config)

    def _show_config(self, config: TrainConfig) -> None:
        """The widgets say what ``config`` says (their signals blocked: showing is not editing)."""
        for w in self._setting_widgets():
            w.blockSignals(True)
        try:
            self.arch_combo.setCurrentIndex(self._arch_entry(config.arch))
            self._arch_index = self.arch_combo.currentIndex()
            self.batching_combo.setCurrentIndex(self.batching_combo.findData(config.batching))
            self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(config.optimizer))
            self.batch_size_spin.setValue(config.batch_size)
            self.epochs_spin.setValue(config.epochs)
            self.lr_spin.setValue(config.learning_rate)
            self.momentum_spin.setValue(config.momentum)
            self.decay_spin.setValue(config.lr_decay)
            self.seed_spin.setValue(config.seed)
            self.limit_spin.setValue(config.train_limit or 0)
        finally:
            for w in self._setting_widgets():
                w.blockSignals(False)
        self._update_momentum_enabled()
        self._update_arch_info()

    def set_arch_info(self, text: str) -> None:
        """Text beside the architecture: parameter count and memory (full batch vs mini-batch)."""
        self.arch_info.setText(text)

    def set_running(self, running: bool, paused: bool = False, stepping: bool = False) -> None:
        """Enable what makes sense: settings and files while idle, Pause/Stop while training,
        Step while idle or paused (not while a step is training). The speed is always free."""
        self._running = running
        self._paused = running and paused
        buttons = {
            self.pause_button: running,
            self.stop_button: running,
            self.start_button: not running,
            self.step_button: not running or (self._paused and not stepping),
        }
        # What comes on first: the focus of a button that goes off moves to one that is on (focusNextPrevChild).
        for button, on in sorted(buttons.items(), key=lambda item: not item[1]):
            button.setEnabled(on)
        for w in self._setting_widgets():
            w.setEnabled(not running)
        self._update_momentum_enabled()
        self._update_pause_text()
        self.save_button.setEnabled(not running or self._paused)
        self.load_button.setEnabled(not running)
        self.pretrained_button.setEnabled(not running)

    def focusNextPrevChild(self, next: bool) -> bool:
        """A widget with the focus was just disabled (Start, once pressed): Qt would move the focus to the
        next widget in the tab order, and the scroll area around this column would scroll to it (the column
        jumped). The focus goes to a run button that is on, without scrolling; the column keeps still."""
        moved = self.keep_focus_on_run_buttons()
        return super().focusNextPrevChild(next) if moved is None else moved

    def keep_focus_on_run_buttons(self) -> bool | None:
        """If the focus widget here was just disabled: the focus to a run button that is on (True), or
        nowhere (False, Qt clears it); None where the focus is elsewhere or still enabled."""
        focus = QtWidgets.QApplication.focusWidget()
        here = focus is not None and (self.isAncestorOf(focus) or self.run_bar.isAncestorOf(focus))
        if here and not focus.isEnabled():
            for button in (self.pause_button, self.stop_button, self.start_button, self.step_button):
                if button.isEnabled() and button.isVisible():
                    button.setFocus(QtCore.Qt.OtherFocusReason)
                    return True
            return False  # Qt clears the focus: nothing scrolls
        return None

    def is_running(self) -> bool:
        return self._running

    def is_paused(self) -> bool:
        return self._paused

    def speed(self) -> float | None:
        """Batches a second (None: full speed)."""
        return self.speed_combo.currentData()

    def set_speed(self, speed: float | None) -> None:
        """Select ``speed`` (one of SPEEDS); emits ``speed_changed`` when it changes."""
        index = self.speed_combo.findData(speed)
        if index < 0:
            raise ValueError(f"the speed is one of {', '.join(speed_text(s) for s in SPEEDS)}, not {speed!r}")
        self.speed_combo.setCurrentIndex(index)

    def show_error(self, text: str) -> None:
        """A one-line problem under the buttons; empty hides it."""
        self._status_text = text
        self._status.setText(text)
        self._status.setVisible(bool(text))

    # ---- internals --------------------------------------------------------------------------

    def _setting_widgets(self) -> tuple:
        return (
            self.arch_combo,
            self.batching_combo,
            self.batch_size_spin,
            self.epochs_spin,
            self.optimizer_combo,
            self.lr_spin,
            self.momentum_spin,
            self.decay_spin,
            self.seed_spin,
            self.limit_spin,
        )

    def _update_pause_text(self) -> None:
        self.pause_button.setText(translate("Controls", "Resume") if self._paused else translate("Controls", "Pause"))

    def _update_momentum_enabled(self) -> None:
        self.momentum_spin.setEnabled(not self._running and self.optimizer_combo.currentData() == "sgd")

    def _update_arch_info(self) -> None:
        arch = self.arch_combo.currentData()
        self.arch_description.setText(arch_description(arch))
        self.arch_description.setToolTip(f"{arch}: {arch_layers(arch)}")  # the layers' technical names
        self.set_arch_info(describe_arch(arch, self.batch_size_spin.value()))

    def _arch_entry(self, arch: str) -> int:
        """The list's entry for ``arch``: a built-in's, or one for a custom spec (added before "your own…")."""
        index = self.arch_combo.findData(arch)
        if index < 0:
            index = self.arch_combo.count() - 1  # just before "your own…"
            self.arch_combo.insertItem(index, arch, arch)
            self.arch_combo.setItemData(index, arch, QtCore.Qt.ToolTipRole)
        return index

    def edit_architecture(self) -> str | None:
        """Open the architecture editor on the selected network; select what it accepts. Returns that spec."""
        from convviz.gui.panels.archeditor import ArchEditorDialog  # the editor's table is built on demand

        current = self.arch_combo.itemData(self._arch_index) or ARCHITECTURES[0]
        dialog = ArchEditorDialog(format_spec(current), self.batch_size_spin.value(), self)
        chosen = dialog.chosen() if dialog.exec_() == QtWidgets.QDialog.Accepted else None
        self.arch_combo.blockSignals(True)
        self.arch_combo.setCurrentIndex(self._arch_entry(chosen) if chosen else self._arch_index)
        self.arch_combo.blockSignals(False)
        if chosen:
            self._arch_index = self.arch_combo.currentIndex()
            self._write_config()
            self.arch_changed.emit(chosen)
        return chosen

    def _on_arch_selected(self, index: int) -> None:
        if self.arch_combo.itemData(index) == CUSTOM:
            QtCore.QTimer.singleShot(0, self.edit_architecture)  # after the list has closed
            return
        self._arch_index = index
        self._write_config()
        self.arch_changed.emit(self.arch_combo.itemData(index))

    def _on_optimizer_selected(self, index: int) -> None:
        optimizer = self.optimizer_combo.itemData(index)
        self.lr_spin.blockSignals(True)  # one edit: the optimizer and the rate it suggests
        self.lr_spin.setValue(SUGGESTED_LEARNING_RATES.get(optimizer, self.lr_spin.value()))
        self.lr_spin.blockSignals(False)
        self._update_momentum_enabled()
        self._write_config()

    def _validated_config(self) -> TrainConfig | None:
        try:
            config = self.state.config.validate()
        except ConfigError as exc:
            self.show_error(translate("Controls", "Not started: {problem}").format(problem=str(exc)))
            return None
        self.show_error("")
        return config

    def _on_start_clicked(self) -> None:
        config = self._validated_config()
        if config is not None:
            self.start_requested.emit(config)

    def _on_step_clicked(self) -> None:
        if self._running:
            self.step_requested.emit(None)
            return
        config = self._validated_config()
        if config is not None:
            self.step_requested.emit(config)

    def _on_speed_selected(self, index: int) -> None:
        self.speed_changed.emit(self.speed_combo.itemData(index))

    def _on_pause_clicked(self) -> None:
        if self._paused:
            self.set_running(True, paused=False)
            self.resume_requested.emit()
        else:
            self.set_running(True, paused=True)
            self.pause_requested.emit()
