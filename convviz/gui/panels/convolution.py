"""Inside a convolution: one output value of a conv layer worked out step by step.

:class:`ConvolutionWidget` takes one conv layer of the network in use, one of its
filters and one output position, and shows every step of the arithmetic for the
chosen digit (or the drawing): the input patch under the kernel, the kernel, the
products, their sum with the bias, the ReLU, and the value that lands in the
feature map, highlighted there beside the value the network itself computed.
Play slides the kernel over the input and fills the map as it goes. The numbers
are those of the weights in use: during training, of the last snapshot. For a
layer with several input channels, the grids show one channel at a time and the
sum runs over all of them.

A panel: numpy in, no TensorFlow. The arithmetic is
:func:`convviz.convmath.conv_step` (numpy only, cheap enough for every
animation frame); the layer inputs and the graph's feature maps come from the
inference model's activations (:func:`convviz.convmath.conv_inputs_from_activations`),
which the window's controller computes. :class:`convviz.gui.window.inside.InsidePanels`
adds it to the window (beside :class:`~convviz.gui.panels.wishes.FilterWishesWidget`)
and wires it to the state.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.convmath import conv_geometry, conv_inputs_from_activations, conv_layers, conv_step
from convviz.gui.common import theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, decimal, marked, translate
from convviz.gui.panels.numbergrid import NumberGrid
from convviz.netspec import Conv, Pool, get_spec

CONVOLUTION_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Convolution")  # the tab's title
IMAGE_MIN_PX = 112  # the input and the feature map: 4 px a pixel, enough to see the window and the cell
TICK_MS = 40  # the animation's frame interval
# The animation's speeds, in kernel positions a second: slow enough to read each step, fast enough to watch
# a 28x28 map fill in a few seconds.
SPEEDS = (
    (QT_TRANSLATE_NOOP("Convolution", "slow"), 2.0),
    (QT_TRANSLATE_NOOP("Convolution", "medium"), 10.0),
    (QT_TRANSLATE_NOOP("Convolution", "fast"), 60.0),
    (QT_TRANSLATE_NOOP("Convolution", "very fast"), 300.0),
)
DEFAULT_SPEED = 1
HIGHLIGHT = theme.ACCURACY  # the window on the input and the cell in the map
HIGHLIGHT_PX = 3


def value_text(value: float) -> str:
    """A number of the sum: four decimals (the cells' two would hide the agreement to 1e-5)."""
    text = decimal(value, 4)
    return "0.0000" if text == "-0.0000" else text


def _titled(title: QtWidgets.QLabel, widget: QtWidgets.QWidget, caption: QtWidgets.QLabel | None = None):
    box = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(title)
    layout.addWidget(widget, stretch=1)
    if caption is not None:
        layout.addWidget(caption)
    return box


def _operator(symbol: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(symbol)
    label.setFont(theme.font(theme.TITLE_PT, bold=True))
    label.setAlignment(QtCore.Qt.AlignCenter)
    return label


def _image_graphics() -> tuple:
    """A square, fixed view of one image with a grey backdrop and an orange rectangle over it."""
    graphics = pg.GraphicsLayoutWidget()
    graphics.setMinimumSize(IMAGE_MIN_PX, IMAGE_MIN_PX)
    graphics.ci.setContentsMargins(0, 0, 0, 0)
    graphics.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Expanding)
    view, item = theme.image_view(graphics)
    backdrop = theme.add_backdrop(view)
    rect = QtWidgets.QGraphicsRectItem()
    pen = pg.mkPen(HIGHLIGHT, width=HIGHLIGHT_PX)
    pen.setCosmetic(True)
    rect.setPen(pen)
    rect.setZValue(10)
    view.addItem(rect, ignoreBounds=True)
    return graphics, view, item, backdrop, rect


class ConvolutionWidget(Retranslated, QtWidgets.QWidget):
    """One output value of a conv layer, worked out step by step, and the kernel sliding over the input.

    Feed it :meth:`set_model` (the architecture and its numpy weights) and :meth:`set_image`
    (the digit and every layer's activation for it, as ``Model.activations`` gives them). The
    user picks a layer, a filter, an input channel (deeper layers) and a position (spin boxes,
    or a click on the input or the feature map); :meth:`play` animates.
    """

    step_shown = QtCore.pyqtSignal(object)  # the ConvStep now on screen
    playing_changed = QtCore.pyqtSignal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._arch: str | None = None
        self._convs: list = []  # the network's Conv layers
        self._weights: Mapping = {}
        self._image: np.ndarray | None = None
        self._inputs: dict = {}  # conv layer -> (H, W, C) input
        self._outputs: dict = {}  # conv layer -> (H', W', F) output of the graph
        self._position = (0, 0)
        self._filled: int | None = None  # positions filled by the animation (row by row); None: the whole map
        self._carry = 0.0  # fractional positions the animation owes
        self._step = None  # the ConvStep shown
        self._note_texts: tuple = ()
        self._source_text = ""
        self._recentre = False  # a new layer or network: the position goes to the middle once its map is known

        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

        # -- the choices
        self.layer_combo = QtWidgets.QComboBox()
        self.filter_spin = QtWidgets.QSpinBox()
        self.filter_spin.setKeyboardTracking(False)
        self.channel_spin = QtWidgets.QSpinBox()
        self.channel_spin.setKeyboardTracking(False)
        self.row_spin = QtWidgets.QSpinBox()
        self.row_spin.setKeyboardTracking(False)
        self.col_spin = QtWidgets.QSpinBox()
        self.col_spin.setKeyboardTracking(False)
        self.play_button = QtWidgets.QPushButton()
        self.play_button.setCheckable(True)
        self.speed_combo = QtWidgets.QComboBox()
        for name, speed in SPEEDS:
            self.speed_combo.addItem(marked("Convolution", name), speed)
        self.speed_combo.setCurrentIndex(DEFAULT_SPEED)
        self._layer_label = QtWidgets.QLabel()
        self._filter_label = QtWidgets.QLabel()
        self._channel_label = QtWidgets.QLabel()
        self._position_label = QtWidgets.QLabel()
        self._speed_label = QtWidgets.QLabel()

        first = QtWidgets.QHBoxLayout()
        for widget in (self._layer_label, self.layer_combo, self._filter_label, self.filter_spin):
            first.addWidget(widget)
        first.addWidget(self._channel_label)
        first.addWidget(self.channel_spin)
        first.addStretch(1)
        second = QtWidgets.QHBoxLayout()
        for widget in (self._position_label, self.row_spin, self.col_spin, self.play_button, self._speed_label):
            second.addWidget(widget)
        second.addWidget(self.speed_combo)
        second.addStretch(1)

        # -- the input and the feature map
        self.input_graphics, self.input_view, self.input_item, self._input_backdrop, self.window_rect = (
            _image_graphics()
        )
        self.map_graphics, self.map_view, self.map_item, self._map_backdrop, self.cell_rect = _image_graphics()
        self.map_item.setLookupTable(theme.sequential_lut())
        self._input_title, self._map_title = QtWidgets.QLabel(), QtWidgets.QLabel()

        # -- the arithmetic
        self.patch_grid, self.kernel_grid, self.products_grid = NumberGrid(), NumberGrid(), NumberGrid()
        self._patch_title, self._kernel_title, self._products_title = (
            QtWidgets.QLabel(),
            QtWidgets.QLabel(),
            QtWidgets.QLabel(),
        )
        for label in (self._input_title, self._map_title, self._patch_title, self._kernel_title, self._products_title):
            label.setFont(theme.font(theme.FONT_PT, bold=True))
        self.equation = QtWidgets.QLabel()
        self.equation.setFont(theme.font(theme.FONT_PT))  # the result: as large as the window's text, whatever the app
        self.equation.setTextFormat(QtCore.Qt.RichText)
        self.equation.setAlignment(QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)

        body = QtWidgets.QGridLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setHorizontalSpacing(8)
        body.addWidget(_titled(self._input_title, self.input_graphics), 0, 0)
        body.addWidget(_titled(self._patch_title, self.patch_grid), 0, 1, QtCore.Qt.AlignTop)
        body.addWidget(_operator("⊙"), 0, 2)
        body.addWidget(_titled(self._kernel_title, self.kernel_grid), 0, 3, QtCore.Qt.AlignTop)
        body.addWidget(_titled(self._map_title, self.map_graphics), 1, 0)
        body.addWidget(_titled(self._products_title, self.products_grid), 1, 1, QtCore.Qt.AlignTop)
        body.addWidget(_operator("→"), 1, 2)
        body.addWidget(self.equation, 1, 3, QtCore.Qt.AlignTop)
        body.setColumnStretch(0, 1)
        body.setColumnStretch(4, 1)
        self._body = QtWidgets.QWidget()
        self._body.setLayout(body)

        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.setFont(theme.font(theme.FONT_PT + 1))
        self.note.setAlignment(QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.note)
        layout.addWidget(self._body, stretch=1)

        self.layer_combo.currentIndexChanged.connect(self._on_layer_chosen)
        self.filter_spin.valueChanged.connect(lambda _value: self._show())
        self.channel_spin.valueChanged.connect(lambda _value: self._show())
        self.row_spin.valueChanged.connect(self._on_position_spun)
        self.col_spin.valueChanged.connect(self._on_position_spun)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.input_graphics.scene().sigMouseClicked.connect(self._on_input_clicked)
        self.map_graphics.scene().sigMouseClicked.connect(self._on_map_clicked)
        self._set_note(translate("Convolution", "The convolution appears once a model is ready."))
        self.retranslate()

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self._layer_label.setText(translate("Convolution", "layer:"))
        self._filter_label.setText(translate("Convolution", "filter:"))
        self._channel_label.setText(translate("Convolution", "input channel:"))
        self.channel_spin.setToolTip(
            translate("Convolution", "The grids show one input channel; the sum runs over all of them")
        )
        self._position_label.setText(translate("Convolution", "position (row, column):"))
        self.row_spin.setToolTip(translate("Convolution", "row of the output position"))
        self.col_spin.setToolTip(translate("Convolution", "column of the output position"))
        self._speed_label.setText(translate("Convolution", "speed:"))
        self.speed_combo.setToolTip(translate("Convolution", "kernel positions a second"))
        for index, (name, _) in enumerate(SPEEDS):
            self.speed_combo.setItemText(index, marked("Convolution", name))
        self._update_play_text()
        self._products_title.setText(translate("Convolution", "products"))
        self.equation.setToolTip(
            translate("Convolution", "The ReLU turns a negative sum into 0; the last line is the network's own value")
        )
        self._note_texts = tuple(again(text) for text in self._note_texts)
        self.note.setText(" ".join(self._note_texts))
        self._source_text = again(self._source_text)
        self._show()

    def _update_play_text(self) -> None:
        if self.is_playing():
            self.play_button.setText(translate("Convolution", "❚❚ Pause"))
            self.play_button.setToolTip(translate("Convolution", "Stop the kernel where it is"))
        else:
            self.play_button.setText(translate("Convolution", "▶ Slide"))
            self.play_button.setToolTip(
                translate("Convolution", "Slide the kernel over the input and fill the feature map")
            )

    def _set_note(self, *texts: str) -> None:
        """Say ``texts`` (sentences, each a translated Text) instead of showing the convolution."""
        self._note_texts = texts
        self.note.setText(" ".join(texts))
        self.note.show()
        self._body.hide()

    def note_text(self) -> str:
        return self.note.text() if self.note.isVisibleTo(self) else ""

    # ---- the model and the digit ---------------------------------------------------------------
    def set_model(self, arch: str, weights: Mapping) -> None:
        """The network in use: its architecture (a name in netspec.SPECS) and its numpy weights."""
        convs = conv_layers(arch)
        changed = arch != self._arch or [c.name for c in convs] != [c.name for c in self._convs]
        self._arch, self._convs, self._weights = arch, convs, weights
        if changed:
            self._inputs, self._outputs = {}, {}
            self.pause()
            self._filled = None
            current = self.layer_combo.currentText()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems([c.name for c in convs])
            names = [c.name for c in convs]
            self.layer_combo.setCurrentIndex(names.index(current) if current in names else 0)
            self.layer_combo.blockSignals(False)
            self._configure_layer(reset_position=True)
        if not convs:
            self.pause()
            reason = translate(
                "Convolution", "The {arch} network has no convolution: its first layer weighs each pixel on its own."
            )
            self._set_note(
                reason.format(arch=arch),
                translate("Convolution", "Choose cnn, template or lenet5 to look inside a convolution."),
            )
            for widget in (self.layer_combo, self.filter_spin, self.channel_spin, self.row_spin, self.col_spin):
                widget.setEnabled(False)
            self.play_button.setEnabled(False)
            return
        for widget in (self.layer_combo, self.filter_spin, self.channel_spin, self.row_spin, self.col_spin):
            widget.setEnabled(True)
        self.play_button.setEnabled(True)
        self._show()

    def set_image(self, image: np.ndarray, activations, source: str = "") -> None:
        """The digit (28, 28) and every layer's activation for it (``[(name, array), ...]``) under the weights of
        :meth:`set_model`; ``source`` says where the digit comes from (a line under the input)."""
        if self._arch is None:
            raise RuntimeError("set_model first: the panel needs the architecture to read the activations")
        self._image = np.asarray(image, np.float32).reshape(28, 28)
        acts = dict(activations)
        self._inputs = conv_inputs_from_activations(self._arch, self._image, activations)
        self._outputs = {c.name: np.asarray(acts[c.name]).reshape(acts[c.name].shape[-3:]) for c in self._convs}
        self._source_text = source
        self._configure_layer(reset_position=False)
        self._show()

    def set_waiting(self, text: str) -> None:
        """Nothing to compute yet (no model, no digit): say why."""
        self.pause()
        self._set_note(text)

    # ---- choices -------------------------------------------------------------------------------
    def arch(self) -> str | None:
        """The network shown (a name in netspec.SPECS or a spec string)."""
        return self._arch

    def layer(self) -> str | None:
        return self.layer_combo.currentText() or None

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findText(name)
        if index < 0:
            raise KeyError(f"no conv layer {name!r}; the network has {[c.name for c in self._convs]}")
        self.layer_combo.setCurrentIndex(index)

    def filter_index(self) -> int:
        return self.filter_spin.value()

    def set_filter(self, index: int) -> None:
        if not 0 <= index <= self.filter_spin.maximum():
            raise IndexError(f"no filter {index}: {self.layer()} has {self.filter_spin.maximum() + 1}")
        self.filter_spin.setValue(index)

    def channel(self) -> int | None:
        """The input channel the grids show; None when the layer has one input channel."""
        return self.channel_spin.value() if self._in_channels() > 1 else None

    def set_channel(self, channel: int) -> None:
        if not 0 <= channel < self._in_channels():
            raise IndexError(f"no input channel {channel}: {self.layer()} has {self._in_channels()}")
        self.channel_spin.setValue(channel)

    def position(self) -> tuple:
        """(row, column) of the output position shown."""
        return self._position

    def set_position(self, row: int, col: int) -> None:
        """Show the output at (row, col); during an animation the kernel continues from there."""
        height, width = self.map_shape()
        row, col = min(max(int(row), 0), height - 1), min(max(int(col), 0), width - 1)
        self._position = (row, col)
        if self._filled is not None:
            self._filled = row * width + col + 1
        self._set_spins(row, col)
        self._show()

    def map_shape(self) -> tuple:
        """(H', W') of the chosen layer's feature map."""
        geometry = self._geometry()
        return (1, 1) if geometry is None else (geometry.out_height, geometry.out_width)

    def _geometry(self):
        """The chosen layer's ConvGeometry (output size, padding, stride) for its input; None before there is one."""
        name = self.layer()
        inp = self._inputs.get(name or "")
        return None if inp is None or self._conv() is None else conv_geometry(self._arch, name, inp.shape)

    def step(self):
        """The ConvStep on screen (None before there is one)."""
        return self._step

    # ---- the animation -------------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        """Slide the kernel from where the last slide stopped (from the start once the map is full)."""
        if self.is_playing() or self._step is None:
            return
        height, width = self.map_shape()
        if self._filled is None or self._filled >= height * width:
            self._filled = 0
            self._position = (0, 0)
        self._carry = 0.0
        self._timer.start()
        self._sync_play_button()
        self._show()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if not self.is_playing():
            return
        self._timer.stop()
        self._sync_play_button()
        self.playing_changed.emit(False)

    def _sync_play_button(self) -> None:
        self.play_button.blockSignals(True)
        self.play_button.setChecked(self.is_playing())
        self.play_button.blockSignals(False)
        self._update_play_text()

    def advance(self, count: int = 1) -> None:
        """Move the kernel ``count`` positions on (row by row), filling the map; the end stops the animation."""
        height, width = self.map_shape()
        total = height * width
        if self._filled is None:
            self._filled = 0
        self._filled = min(self._filled + max(int(count), 1), total)
        self._position = divmod(self._filled - 1, width)
        self._set_spins(*self._position)
        self._show()
        if self._filled >= total:
            self.pause()

    def filled(self) -> int | None:
        """Positions the animation has filled so far, row by row; None: the whole map is shown."""
        return self._filled

    def speed(self) -> float:
        return float(self.speed_combo.currentData())

    def _on_tick(self) -> None:
        self._carry += self.speed() * TICK_MS / 1000.0
        steps = int(self._carry)
        if steps >= 1:
            self._carry -= steps
            self.advance(steps)

    def _on_play_toggled(self, on: bool) -> None:
        self.play() if on else self.pause()
        self._sync_play_button()

    # ---- what is shown -------------------------------------------------------------------------
    def shown_map(self) -> np.ndarray | None:
        """The feature map as drawn: the graph's values, NaN where the animation has not been yet."""
        image = self.map_item.image
        return None if image is None else np.array(image)

    def cell_rectangle(self) -> QtCore.QRectF:
        """The highlighted cell, in feature-map coordinates (x = column, y = row)."""
        return self.cell_rect.rect()

    def window_rectangle(self) -> QtCore.QRectF:
        """The kernel's window on the input, in input coordinates (x = column, y = row)."""
        return self.window_rect.rect()

    def equation_text(self) -> str:
        return self.equation.text()

    def _conv(self) -> Conv | None:
        return next((c for c in self._convs if c.name == self.layer()), None)

    def _kernel(self) -> np.ndarray | None:
        name = self.layer()
        return None if name is None else self._weights.get(f"{name}/kernel")

    def _in_channels(self) -> int:
        kernel = self._kernel()
        return int(kernel.shape[2]) if kernel is not None else 1

    def _set_spins(self, row: int, col: int) -> None:
        for spin, value in ((self.row_spin, row), (self.col_spin, col)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _configure_layer(self, reset_position: bool) -> None:
        """Ranges of the spin boxes for the chosen layer; the position stays where it can."""
        kernel = self._kernel()
        if kernel is None:
            return
        filters, channels = int(kernel.shape[3]), int(kernel.shape[2])
        for spin, top in ((self.filter_spin, filters - 1), (self.channel_spin, channels - 1)):
            spin.blockSignals(True)
            spin.setRange(0, max(top, 0))
            spin.blockSignals(False)
        self.channel_spin.setVisible(channels > 1)
        self._channel_label.setVisible(channels > 1)
        if self.layer() not in self._inputs:
            self._recentre = self._recentre or reset_position  # once the input is known
            return
        reset_position, self._recentre = reset_position or self._recentre, False
        height, width = self.map_shape()
        for spin, top in ((self.row_spin, height - 1), (self.col_spin, width - 1)):
            spin.blockSignals(True)
            spin.setRange(0, top)
            spin.blockSignals(False)
        row, col = self._position
        if reset_position or row >= height or col >= width:
            self._position = (height // 2, width // 2)  # the middle of a digit has ink
        self._set_spins(*self._position)

    def _on_layer_chosen(self, _index: int) -> None:
        self.pause()
        self._filled = None
        self._configure_layer(reset_position=True)
        self._show()

    def _on_position_spun(self, _value: int) -> None:
        self.set_position(self.row_spin.value(), self.col_spin.value())

    def _on_input_clicked(self, event) -> None:
        conv = self._conv()
        if event.button() != QtCore.Qt.LeftButton or conv is None or self._step is None:
            return
        if not self.input_view.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.input_view.mapSceneToView(event.scenePos())
        # The output whose window is centred nearest the clicked pixel (clipped to the map): its window reads input
        # rows y * stride - before ... + size - 1, so its centre is y * stride - before + (size - 1) / 2.
        g = self._geometry()
        centre = (g.size - 1) / 2
        row = math.floor((math.floor(p.y()) + g.before_y - centre) / g.stride + 0.5)
        col = math.floor((math.floor(p.x()) + g.before_x - centre) / g.stride + 0.5)
        event.accept()
        self.set_position(row, col)

    def _on_map_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.LeftButton or self._step is None:
            return
        if not self.map_view.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.map_view.mapSceneToView(event.scenePos())
        height, width = self.map_shape()
        row, col = math.floor(p.y()), math.floor(p.x())
        if 0 <= row < height and 0 <= col < width:
            event.accept()
            self.set_position(row, col)

    def _show(self) -> None:
        """Work out the step at the chosen layer, filter, channel and position, and draw every part of it."""
        name, conv = self.layer(), self._conv()
        if conv is None or name not in self._inputs or self._image is None:
            self._step = None
            if self._convs and self._arch is not None and self._image is None:
                self._set_note(translate("Convolution", "Choose a digit (feature maps) or draw one."))
            return
        inp, out = self._inputs[name], self._outputs[name]
        f = self.filter_spin.value()
        row, col = self._position
        step = conv_step(self._weights, self._arch, name, inp, f, row, col, self.channel(), feature_map=out)
        self._step = step
        self.note.hide()
        self._body.show()
        channels = inp.shape[2]
        shown = 0 if step.in_channel is None else step.in_channel
        k = conv.size

        # the input, its zero padding grey, the kernel's window on it
        plane = np.asarray(inp[:, :, shown], np.float64)
        first = name == self._convs[0].name
        lut, levels = (theme.grey_lut(), (0.0, 1.0)) if first else (theme.sequential_lut(), self._levels(plane))
        # SAME: the zeros around the input (TensorFlow's split) are NaN here, so the grey backdrop shows them.
        g = conv_geometry(self._arch, name, inp.shape)
        in_h, in_w = plane.shape
        after_y = max((g.out_height - 1) * g.stride + k - in_h - g.before_y, 0)
        after_x = max((g.out_width - 1) * g.stride + k - in_w - g.before_x, 0)
        shown_input = np.pad(plane, ((g.before_y, after_y), (g.before_x, after_x)), constant_values=np.nan)
        self.input_item.setImage(shown_input, autoLevels=False, levels=levels)
        self.input_item.setLookupTable(lut)
        area = QtCore.QRectF(-g.before_x, -g.before_y, shown_input.shape[1], shown_input.shape[0])
        self.input_item.setRect(area)
        self._input_backdrop.setRect(area.adjusted(-0.5, -0.5, 0.5, 0.5))
        top, left = step.origin
        self.window_rect.setRect(QtCore.QRectF(left, top, k, k))
        self.input_view.setRange(area.adjusted(-0.5, -0.5, 0.5, 0.5), padding=0)

        # the feature map: the graph's values, filled as far as the kernel has come
        fmap = np.asarray(out[:, :, f], np.float64)
        height, width = fmap.shape
        drawn = fmap.copy()
        if self._filled is not None:
            drawn.ravel()[self._filled :] = np.nan
        self.map_item.setImage(drawn, autoLevels=False, levels=self._levels(fmap))
        theme.fit_backdrop(self._map_backdrop, drawn.shape, frame=0.5)
        self.cell_rect.setRect(QtCore.QRectF(col, row, 1, 1))
        self.map_view.setRange(QtCore.QRectF(-0.5, -0.5, width + 1, height + 1), padding=0)

        # the arithmetic
        size = f"{k}{theme.TIMES}{k}"
        self.patch_grid.set_values(step.patch, lut, levels, step.padded)
        kernel = self._kernel()[:, :, :, f]
        m = float(np.abs(kernel).max()) or 1.0
        self.kernel_grid.set_values(step.kernel, theme.diverging_lut(), (-m, m))
        p = float(np.abs(step.products).max()) or 1.0
        self.products_grid.set_values(step.products, theme.diverging_lut(), (-p, p), step.padded)
        self._patch_title.setText(translate("Convolution", "input patch ({size})").format(size=size))
        self._kernel_title.setText(translate("Convolution", "kernel of filter {index}").format(index=f))
        # Short titles: the column is as narrow as the images, so that a 1024x768 screen holds the panel.
        if first and channels == 1:
            in_h, in_w = inp.shape[:2]
            self._input_title.setText(
                translate("Convolution", "input {size}").format(size=f"{in_h}{theme.TIMES}{in_w}")
            )
        else:
            source = self._input_source(name)
            self._input_title.setText(
                translate("Convolution", "{layer}, channel {channel}").format(channel=shown, layer=source)
            )
        tips = [self._source_text] if self._source_text else []
        if g.before_y or g.before_x or after_y or after_x:
            tips.append(translate("Convolution", "grey: zeros around the edge"))
        tips.append(translate("Convolution", "click: move the kernel there"))
        self.input_graphics.setToolTip("\n".join(tips))
        self._map_title.setText(translate("Convolution", "feature map {index}").format(index=f))
        self.map_graphics.setToolTip(
            translate("Convolution", "{layer}'s map {index} as the network computed it; click: pick a position").format(
                layer=name, index=f
            )
        )
        self.equation.setText(self._equation(step, channels, k))
        self.step_shown.emit(step)

    def _input_source(self, name: str) -> str:
        """The layer whose output feeds conv layer ``name`` (the image for the first)."""
        previous = None
        for layer in get_spec(self._arch).layers:
            if layer.name == name:
                break
            if isinstance(layer, (Conv, Pool)):
                previous = layer.name
        return previous or "input"

    @staticmethod
    def _levels(values: np.ndarray) -> tuple:
        finite = values[np.isfinite(values)]
        high = float(finite.max()) if finite.size else 0.0
        return (0.0, high if high > 0 else 1.0)

    def _equation(self, step, channels: int, k: int) -> str:
        """The sum, the bias, the ReLU and the network's own value, one row each (short: 1024x768 holds it)."""
        rows = []
        if channels > 1:
            line = translate("Convolution", "channel {channel}")
            rows.append(("Σ " + line.format(channel=step.in_channel), value_text(step.total)))
            line = translate("Convolution", "all %n channel(s)", None, channels)
            rows.append(("Σ " + line, value_text(step.sum_all)))
        else:
            products = k * k
            line = translate("Convolution", "%n product(s)", None, products)
            rows.append(("Σ " + line, value_text(step.sum_all)))
        rows.append(("+ " + translate("Convolution", "bias"), value_text(step.bias)))
        rows.append(("= " + translate("Convolution", "before the ReLU"), value_text(step.pre_activation)))
        where = translate("Convolution", "ReLU → map ({row}, {col})").format(row=step.y, col=step.x)
        rows.append((where, f"<b>{value_text(step.activation)}</b>"))
        if step.feature_value is not None:
            agree = abs(step.feature_value - step.activation) <= 1e-4 * max(1.0, abs(step.activation))
            mark = f"<span style='color:{theme.CORRECT if agree else theme.WRONG}'>{'✓' if agree else '✗'}</span>"
            rows.append((translate("Convolution", "the network computed"), f"{value_text(step.feature_value)} {mark}"))
        cells = "".join(
            f"<tr><td style='padding-right:12px'>{label}</td><td align='right'>{value}</td></tr>"
            for label, value in rows
        )
        return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"
