"""AdversarialWidget: how little it takes to fool the network (FGSM and PGD), and accuracy against epsilon.

Top: the chosen digit (a test digit or the drawing), the perturbation magnified
(grey is no change, white +epsilon, black -epsilon) and the adversarial digit,
each with the network's answer. Controls: the attack (FGSM: one step along the
sign of the loss's gradient; PGD: ten smaller projected steps), epsilon (the
largest change of a pixel, 0 to 0.3 of the ink's range) and the goal (any
mistake, or "make it an 8"). Bottom: the accuracy of the shipped dense, cnn and
LeNet-5 networks on 1,000 test digits against epsilon, computed on request.

A panel: numpy in, no TensorFlow; :mod:`convviz.gui.window.lab` wires it to the
inference service (:mod:`convviz.gui.jobs.labjobs`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.gui.common import theme
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, decimal, translate

ADVERSARIAL_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Adversarial")  # the tab's title
EPS_STEPS = 30  # the slider: 0 to 0.30 in steps of 0.01
EPS_MAX = 0.3
DEFAULT_EPS = 0.1
CURVE_COLOURS = {"dense": theme.SMOOTH_LOSS, "cnn": theme.ACCURACY, "lenet5": theme.CORRECT}
CURVE_NAMES = {"dense": "dense", "cnn": "cnn", "lenet5": "LeNet-5"}


def magnified(perturbation: np.ndarray, eps: float) -> np.ndarray:
    """(28, 28) in [0, 1]: 0.5 is no change, 1 is +eps, 0 is -eps (the change made visible)."""
    p = np.asarray(perturbation, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    return np.clip(0.5 + 0.5 * p / eps, 0.0, 1.0) if eps > 0 else np.full_like(p, 0.5)


class AdversarialWidget(Retranslated, QtWidgets.QWidget):
    """The attack on one digit and the robustness curves; asks with ``settings_changed`` and ``curves_requested``."""

    settings_changed = QtCore.pyqtSignal()  # method, epsilon or goal changed: attack again
    curves_requested = QtCore.pyqtSignal(str)  # the method: accuracy against epsilon for the shipped models
    use_drawing_toggled = QtCore.pyqtSignal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._answers: tuple = ()  # (before (10,), after (10,), label or None) last shown
        self._curves: dict = {}
        self._status = ""
        self._message = ""

        self._title = QtWidgets.QLabel()
        self._title.setFont(theme.font(theme.TITLE_PT, bold=True))
        self.method_combo = QtWidgets.QComboBox()
        self.method_combo.addItem("FGSM", "fgsm")
        self.method_combo.addItem("PGD", "pgd")
        self.eps_slider = QtWidgets.QSlider(QtCore.Qt.Horizontal)
        self.eps_slider.setRange(0, EPS_STEPS)
        self.eps_slider.setValue(round(DEFAULT_EPS / EPS_MAX * EPS_STEPS))
        self.eps_slider.setMinimumWidth(120)
        self._eps_label = QtWidgets.QLabel()
        self._eps_label.setMinimumWidth(60)
        self.target_combo = QtWidgets.QComboBox()
        self.target_combo.addItem("", None)
        for digit in range(NUM_CLASSES):
            self.target_combo.addItem("", digit)
        self.drawing_check = QtWidgets.QCheckBox()
        controls = QtWidgets.QHBoxLayout()
        controls.addWidget(self._title)
        controls.addSpacing(8)
        controls.addWidget(self.method_combo)
        self._eps_name = QtWidgets.QLabel("ε")
        controls.addWidget(self._eps_name)
        controls.addWidget(self.eps_slider, stretch=1)
        controls.addWidget(self._eps_label)
        goal = QtWidgets.QHBoxLayout()
        goal.addWidget(self.target_combo)
        goal.addWidget(self.drawing_check)
        goal.addStretch(1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(330, 130)  # three pictures and their captions before the plot
        self._picture_titles = []
        self._views = []
        for col in range(3):
            label = pg.LabelItem("", size=f"{theme.FONT_PT - 4}pt")
            self.graphics.addItem(label, row=0, col=col)
            self._picture_titles.append(label)
            view, item = theme.image_view(self.graphics, row=1, col=col)
            view.setRange(xRange=(0, IMAGE_SIZE), yRange=(0, IMAGE_SIZE), padding=0.02)
            self._views.append((view, item))
        self.original_item, self.perturbation_item, self.adversarial_item = (item for _, item in self._views)
        self._captions = []
        for col in range(3):
            label = pg.LabelItem("", size=f"{theme.FONT_PT - 4}pt")
            self.graphics.addItem(label, row=2, col=col)
            self._captions.append(label)

        self.curves_button = QtWidgets.QPushButton()
        self._curves_status = QtWidgets.QLabel()
        self._curves_status.setStyleSheet(f"color: {theme.MUTED}")
        self._curves_status.setFont(theme.font(theme.FONT_PT - 3))  # no word wrap: the page's height stays its own
        self.plot = pg.PlotWidget()
        self.plot.setMinimumSize(100, 140)
        item = self.plot.getPlotItem()
        theme.style_plot(item)
        for name in ("bottom", "left"):
            item.getAxis(name).enableAutoSIPrefix(False)  # epsilon 0.05, not 50 (x0.001)
        item.setXRange(0, EPS_MAX, padding=0.02)
        item.setYRange(0, 1, padding=0.02)
        item.showGrid(x=True, y=True, alpha=0.2)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self._legend = item.addLegend(offset=(-10, 10))
        self.figure_menu = FigureMenu(self.graphics, "convviz-adversarial")
        self.curves_menu = FigureMenu(self.plot, "convviz-robustness")
        goal.addWidget(self.curves_button)
        curves_column = QtWidgets.QVBoxLayout()
        curves_column.addWidget(self._curves_status)
        curves_column.addWidget(self.plot, stretch=1)
        body = QtWidgets.QHBoxLayout()
        body.addWidget(self.graphics, stretch=2)
        body.addLayout(curves_column, stretch=1)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(goal)
        layout.addLayout(body, stretch=1)

        self.method_combo.currentIndexChanged.connect(lambda _i: self.settings_changed.emit())
        self.eps_slider.valueChanged.connect(self._on_eps_changed)
        self.target_combo.currentIndexChanged.connect(lambda _i: self.settings_changed.emit())
        self.drawing_check.toggled.connect(self.use_drawing_toggled)
        self.curves_button.clicked.connect(lambda: self.curves_requested.emit(self.method()))
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(translate("Adversarial", "Fool the network"))
        self.method_combo.setToolTip(
            translate("Adversarial", "FGSM: one step along the sign of the gradient; PGD: 10 smaller steps")
        )
        self.eps_slider.setToolTip(translate("Adversarial", "ε: the most any pixel may change"))
        self.target_combo.setItemText(0, translate("Adversarial", "any mistake"))
        for digit in range(NUM_CLASSES):
            self.target_combo.setItemText(digit + 1, translate("Adversarial", "make it a {digit}").format(digit=digit))
        self.target_combo.setToolTip(translate("Adversarial", "Untargeted, or push the network toward one digit"))
        self.drawing_check.setText(translate("Adversarial", "use drawing"))
        titles = (
            translate("Adversarial", "original"),
            translate("Adversarial", "change ×1/ε"),
            translate("Adversarial", "adversarial"),
        )
        for label, text in zip(self._picture_titles, titles):
            label.setText(text)
        self.curves_button.setText(translate("Adversarial", "Accuracy against ε"))
        self.curves_button.setToolTip(
            translate(
                "Adversarial", "Attack 1,000 test digits with the shipped dense, cnn and LeNet-5 at ε from 0 to 0.3"
            )
        )
        item = self.plot.getPlotItem()
        theme.set_axis_label(item, "bottom", translate("Adversarial", "ε"))
        theme.set_axis_label(item, "left", translate("Adversarial", "accuracy"))
        self._on_eps_changed(self.eps_slider.value(), emit=False)
        self._status = again(self._status)
        if self._message:
            self._message = again(self._message)
            self._captions[0].setText(self._message)
        self._show_answers()
        self._show_curve_status()

    # ---- what the user chose ------------------------------------------------------------------
    def method(self) -> str:
        return self.method_combo.currentData()

    def set_method(self, method: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))

    def eps(self) -> float:
        return round(self.eps_slider.value() * EPS_MAX / EPS_STEPS, 4)

    def set_eps(self, eps: float) -> None:
        self.eps_slider.setValue(round(float(eps) / EPS_MAX * EPS_STEPS))

    def target(self) -> int | None:
        return self.target_combo.currentData()

    def set_target(self, digit: int | None) -> None:
        self.target_combo.setCurrentIndex(0 if digit is None else digit + 1)

    def set_use_drawing(self, on: bool) -> None:
        self.drawing_check.blockSignals(True)
        self.drawing_check.setChecked(on)
        self.drawing_check.blockSignals(False)

    # ---- what the panel shows -----------------------------------------------------------------
    def show_attack(self, image, adversarial, perturbation, eps: float, before, after, label) -> None:
        """The digit, the change (magnified by 1/eps), the adversarial digit and both answers."""
        levels = (0.0, 1.0)
        self.original_item.setImage(np.asarray(image, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE), levels=levels)
        self.perturbation_item.setImage(magnified(perturbation, eps), levels=levels)
        self.adversarial_item.setImage(
            np.asarray(adversarial, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE), levels=levels
        )
        self._answers = (np.asarray(before), np.asarray(after), label, eps)
        self._message = ""
        self._show_answers()

    def set_message(self, text: str) -> None:
        """One line in place of the answers (no model yet, a failure)."""
        self._answers = ()
        self._message = text
        for item in (self.original_item, self.perturbation_item, self.adversarial_item):
            item.clear()
        self._captions[0].setText(text)
        for label in self._captions[1:]:
            label.setText("")

    def set_curves_busy(self, done: int, total: int) -> None:
        self.curves_button.setEnabled(False)
        self._status = translate("Adversarial", "attacking … {percent} %").format(
            percent=round(100 * done / max(total, 1))
        )
        self._curves_status.setText(self._status)

    def set_curves_failed(self, text: str) -> None:
        self.curves_button.setEnabled(True)
        self._status = text
        self._curves_status.setText(text)

    def show_curves(self, eps: np.ndarray, curves: dict, method: str, images: int, seconds: float) -> None:
        """Accuracy (one curve per network) against ``eps``."""
        self.curves_button.setEnabled(True)
        item = self.plot.getPlotItem()
        item.clear()
        self._legend.clear()
        for arch, accuracy in curves.items():
            pen = pg.mkPen(CURVE_COLOURS.get(arch, theme.FOREGROUND), width=3)
            brush = CURVE_COLOURS.get(arch, theme.FOREGROUND)
            name = CURVE_NAMES.get(arch, arch)
            item.plot(
                np.asarray(eps), np.asarray(accuracy), pen=pen, symbol="o", symbolSize=7, symbolBrush=brush, name=name
            )
        self._curves = {"eps": np.asarray(eps), "curves": dict(curves), "method": method, "images": images}
        self._curves["seconds"] = seconds
        self._status = ""
        self._show_curve_status()

    def curves(self) -> dict:
        """What the plot shows: eps, curves {arch: accuracies}, method, images ({} before the first)."""
        return dict(self._curves)

    # ---- internals -----------------------------------------------------------------------------
    def _on_eps_changed(self, _value: int, emit: bool = True) -> None:
        self._eps_label.setText(decimal(self.eps(), 2))
        if emit:
            self.settings_changed.emit()

    def _show_answers(self) -> None:
        if not self._answers:
            return
        before, after, _label, eps = self._answers
        line = translate("Adversarial", "says {digit} ({p} %)")
        first, second = int(before.argmax()), int(after.argmax())
        self._captions[0].setText(line.format(digit=first, p=decimal(100 * before[first], 0)))
        change = translate("Adversarial", "±{eps} (±{levels}/255)")
        self._captions[1].setText(change.format(eps=decimal(eps, 2), levels=round(eps * 255)))
        colour = theme.WRONG if second != first else theme.CORRECT
        text = line.format(digit=second, p=decimal(100 * after[second], 0))
        self._captions[2].setText(f"<span style='color: {colour}'>{text}</span>")

    def _show_curve_status(self) -> None:
        if self._status or not self._curves:
            self._curves_status.setText(self._status)
            return
        c = self._curves
        line = translate("Adversarial", "{method} on {images} test digits, {seconds} s")
        self._curves_status.setText(
            line.format(method=c["method"].upper(), images=c["images"], seconds=decimal(c["seconds"], 0))
        )
