"""PredictionWidget: what the network sees (28x28), the digit it predicts, and all ten probabilities."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.config import IMAGE_SIZE, NUM_CLASSES
from convviz.gui import theme

INPUT_DISPLAY_PX = 168  # the 28x28 input scaled 6x
INPUT_DISPLAY_STRIP_PX = 140  # 5x in the low strip of a small screen


class PredictionWidget(QtWidgets.QWidget):
    """Network input, predicted digit in large type, and a bar chart of the class probabilities.

    Attributes: ``input_item`` (ImageItem), ``bars`` (BarGraphItem, heights are the probabilities).
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._probabilities: np.ndarray | None = None

        self.input_graphics = pg.GraphicsLayoutWidget()
        self.input_graphics.setFixedSize(INPUT_DISPLAY_PX, INPUT_DISPLAY_PX)
        self.input_graphics.ci.setContentsMargins(0, 0, 0, 0)
        self.input_view, self.input_item = theme.image_view(self.input_graphics)
        self.input_item.setLookupTable(theme.grey_lut())
        input_title = QtWidgets.QLabel(f"the network sees\n(28{theme.TIMES}28)")
        input_title.setAlignment(QtCore.Qt.AlignCenter)

        self._digit = QtWidgets.QLabel("?")
        self._digit.setFont(theme.font(theme.HUGE_PT, bold=True))
        self._digit.setAlignment(QtCore.Qt.AlignCenter)
        self._digit.setMinimumWidth(140)
        self._confidence = QtWidgets.QLabel("")
        self._confidence.setFont(theme.font(theme.TITLE_PT, bold=True))
        self._confidence.setAlignment(QtCore.Qt.AlignCenter)
        self._message = QtWidgets.QLabel("")
        self._message.setAlignment(QtCore.Qt.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setStyleSheet(f"color: {theme.MUTED}; font-style: italic")

        self.plot_widget = pg.PlotWidget()
        plot = self.plot_widget.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setRange(xRange=(-0.6, NUM_CLASSES - 0.4), yRange=(0, 1), padding=0)
        plot.showGrid(y=True, alpha=0.25)
        theme.style_plot(plot)
        theme.set_axis_label(plot, "left", "probability")
        plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(NUM_CLASSES)]])
        plot.getAxis("left").setTicks([[(v, f"{v:.1f}") for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)]])
        self.bars = pg.BarGraphItem(
            x=np.arange(NUM_CLASSES), height=np.zeros(NUM_CLASSES), width=0.7, brush=theme.BAR, pen=None
        )
        plot.addItem(self.bars)
        self.plot = plot

        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.input_graphics, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(input_title)
        left.addStretch(1)
        middle = QtWidgets.QVBoxLayout()
        middle.addWidget(self._digit)
        middle.addWidget(self._confidence)
        middle.addWidget(self._message)
        middle.addStretch(1)
        top = QtWidgets.QHBoxLayout()
        top.addLayout(left)
        top.addLayout(middle, stretch=1)
        # Bar chart below (a column beside the drawing pad) or to the right (a strip under the panels).
        self._body = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.TopToBottom)
        self._body.addLayout(top)
        self._body.addWidget(self.plot_widget, stretch=1)
        # Which model predicts, under the title; hidden until set_model_text.
        self._model_label = QtWidgets.QLabel("")
        self._model_label.setWordWrap(True)
        self._model_label.setStyleSheet(f"color: {theme.SMOOTH_LOSS}")
        self._model_label.hide()
        title = QtWidgets.QLabel("prediction")
        title.setFont(theme.font(theme.TITLE_PT, bold=True))
        # Model name under the title in a column, beside it in a low strip (saves a row).
        self._header = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.TopToBottom)
        self._header.addWidget(title)
        self._header.addWidget(self._model_label, stretch=1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self._header)
        layout.addLayout(self._body, stretch=1)

        self.set_network_input(None)

    # ---- public API -------------------------------------------------------------------------

    def set_network_input(self, image28: np.ndarray | None) -> None:
        """The preprocessed 28x28 image (0 background, 1 ink) fed to the network; None blanks it."""
        if image28 is None:
            image = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
        else:
            image = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
        self.input_item.setImage(image, autoLevels=False, levels=(0.0, 1.0))
        self.input_view.autoRange(padding=0)

    def network_input(self) -> np.ndarray | None:
        return self.input_item.image

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Ten class probabilities; the most likely class is highlighted. None clears the chart."""
        if probabilities is None:
            self._probabilities = None
            self.bars.setOpts(height=np.zeros(NUM_CLASSES), brushes=[theme.BAR] * NUM_CLASSES)
            self._digit.setText("?")
            self._confidence.setText("")
            return
        p = np.asarray(probabilities, dtype=float).ravel()
        if p.shape != (NUM_CLASSES,):
            raise ValueError(f"expected {NUM_CLASSES} probabilities, got shape {p.shape}")
        self._probabilities = p
        winner = int(p.argmax())
        brushes = [theme.WINNER if i == winner else theme.BAR for i in range(NUM_CLASSES)]
        self.bars.setOpts(height=p, brushes=brushes)
        self._digit.setText(str(winner))
        self._confidence.setText(f"{100 * p[winner]:.1f} % sure")

    def set_verdict(self, verdict: str | None) -> None:
        """Instead of a confident guess, say "not a digit" or "not sure" (the probabilities stay shown).

        None: the network's answer stands (the digit and "% sure" of the last probabilities).
        """
        if verdict:
            self._digit.setText("?")
            self._confidence.setText(verdict)
        elif self._probabilities is not None:
            self.set_probabilities(self._probabilities)

    def probabilities(self) -> np.ndarray | None:
        return self._probabilities

    def predicted_digit(self) -> int | None:
        return None if self._probabilities is None else int(self._probabilities.argmax())

    def digit_text(self) -> str:
        return self._digit.text()

    def set_horizontal(self, horizontal: bool) -> None:
        """Put the bar chart right of the digit (a wide, low strip) instead of below it."""
        direction = QtWidgets.QBoxLayout.LeftToRight if horizontal else QtWidgets.QBoxLayout.TopToBottom
        self._body.setDirection(direction)
        self._header.setDirection(direction)
        self._model_label.setAlignment(
            QtCore.Qt.AlignLeft | (QtCore.Qt.AlignBottom if horizontal else QtCore.Qt.AlignTop)
        )
        side = INPUT_DISPLAY_STRIP_PX if horizontal else INPUT_DISPLAY_PX
        self.input_graphics.setFixedSize(side, side)
        self.layout().invalidate()  # the outer layout caches the old minimum size otherwise
        self.updateGeometry()

    def is_horizontal(self) -> bool:
        return self._body.direction() == QtWidgets.QBoxLayout.LeftToRight

    def set_model_text(self, text: str) -> None:
        """Name the model that predicts ("pretrained cnn · 99.3 % test accuracy"), beside the title."""
        self._model_label.setText(text)
        self._model_label.setToolTip(text)
        self._model_label.setVisible(bool(text))

    def model_text(self) -> str:
        return self._model_label.text()

    def set_message(self, text: str) -> None:
        """A short status line under the digit ("draw a digit", "model loading…"); empty hides it."""
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def message(self) -> str:
        return self._message.text()

    def clear(self) -> None:
        self.set_network_input(None)
        self.set_probabilities(None)
