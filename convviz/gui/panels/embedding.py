"""How the layers transform the data: one 2-D map of fixed test digits per layer, coloured by label.

:class:`EmbeddingWidget` shows a :class:`convviz.embedding.Embedding` (computed in the
inference service, :mod:`convviz.gui.jobs.lookjobs`): a scatter per chosen layer with
its 5-nearest-neighbour accuracy, a legend of the ten colours, the pad's drawing as a
star (:meth:`set_star`), and a click on a point (``digit_clicked(index)``). A panel:
numpy in, no TensorFlow. :class:`convviz.gui.window.lookinside.LookInside` wires it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.embedding import LABEL_COLOURS
from convviz.gui.common import theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, count, decimal, marked, percent, translate

EMBEDDING_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Embedding")  # the tab's title
COLUMNS = 4  # maps per row
POINT_SIZE = 4
STAR_SIZE = 20


class _LayerMap(QtWidgets.QWidget):
    """One layer's scatter, its title and the star."""

    clicked = QtCore.pyqtSignal(int)  # the position of the clicked point in the sample

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel()
        self.title.setAlignment(QtCore.Qt.AlignCenter)
        self.plot = pg.PlotWidget()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        self.plot.setMinimumSize(150, 130)
        self.scatter = pg.ScatterPlotItem(size=POINT_SIZE, pen=None)
        self.scatter.sigClicked.connect(self._on_clicked)
        self.star = pg.ScatterPlotItem(size=STAR_SIZE, symbol="star", pen=pg.mkPen("k", width=1.5), brush="y")
        self.star.setZValue(10)
        self.plot.addItem(self.scatter)
        self.plot.addItem(self.star)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

    def show_map(self, points: np.ndarray, brushes: list, autorange: bool) -> None:
        self.scatter.setData(
            pos=np.asarray(points, np.float64), brush=brushes, data=np.arange(len(points)), size=POINT_SIZE
        )
        if autorange:
            self.plot.enableAutoRange()

    def _on_clicked(self, _item, points, *_event) -> None:
        if len(points):
            self.clicked.emit(int(points[0].data()))


class EmbeddingWidget(Retranslated, QtWidgets.QWidget):
    """The maps of one embedding; asks for layers and t-SNE, reports a clicked digit."""

    layers_changed = QtCore.pyqtSignal(object)  # list of the chosen layer names
    method_changed = QtCore.pyqtSignal(str)  # "pca" or "tsne"
    digit_clicked = QtCore.pyqtSignal(int)  # a test-set index

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._layers: list = []  # every layer of the network, input to logits
        self._chosen: set = set()
        self._embedding = None
        self._brushes = None
        self._maps: dict = {}  # layer -> _LayerMap
        self._star: dict = {}  # layer -> (2,) the drawing's point
        self._tsne_available = True
        self._status = ("", {})
        self._note = ("", {})
        self.method_label = QtWidgets.QLabel()
        self.method_combo = QtWidgets.QComboBox()
        self.method_combo.addItems(["PCA", "t-SNE"])
        self.method_combo.currentIndexChanged.connect(self._on_method)
        self.layer_label = QtWidgets.QLabel()
        self.layer_boxes = QtWidgets.QHBoxLayout()
        self.legend = QtWidgets.QLabel()
        self.legend.setTextFormat(QtCore.Qt.RichText)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {theme.MUTED}")
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {theme.MUTED}")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.method_label)
        top.addWidget(self.method_combo)
        top.addSpacing(12)
        top.addWidget(self.layer_label)
        top.addLayout(self.layer_boxes)
        top.addStretch(1)
        self.grid = QtWidgets.QGridLayout()
        self.grid.setSpacing(4)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        self.retranslate()

    # ---- what the window sets ------------------------------------------------------------------
    def set_layers(self, layers: list, note: str = "") -> None:
        """The network's layers (input to logits); every one is chosen at first. ``note``: one line under the maps."""
        if list(layers) != self._layers:
            self._layers = list(layers)
            self._chosen = set(self._layers)
            self._embedding = None
            self._star = {}
            while self.layer_boxes.count():
                item = self.layer_boxes.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
            for name in self._layers:
                box = QtWidgets.QCheckBox(name)
                box.setChecked(True)
                box.toggled.connect(lambda on, n=name: self._on_layer_toggled(n, on))
                self.layer_boxes.addWidget(box)
            self._rebuild_maps()
        self.note.setText(note)

    def set_tsne_available(self, available: bool) -> None:
        """Without scikit-learn, t-SNE cannot be chosen and the panel says so in one line."""
        self._tsne_available = available
        self.method_combo.model().item(1).setEnabled(available)
        self.retranslate()

    def chosen_layers(self) -> list:
        return [n for n in self._layers if n in self._chosen]

    def method(self) -> str:
        return "tsne" if self.method_combo.currentIndex() == 1 else "pca"

    def set_embedding(self, embedding, step: int | None = None, seconds: float = 0.0) -> None:
        """Draw ``embedding``'s maps (a convviz.embedding.Embedding)."""
        first = self._embedding is None or self._embedding.method != embedding.method
        self._embedding = embedding
        if self._brushes is None:  # ten brushes shared by all points: 2,000 of their own take the GUI thread 20 ms
            self._brushes = [pg.mkBrush(*colour, 200) for colour in LABEL_COLOURS]
        brushes = [self._brushes[int(label) % 10] for label in embedding.labels]
        for m in embedding.maps:
            view = self._maps.get(m.layer)
            if view is None:
                continue
            view.show_map(m.points, brushes, autorange=first)
            view.title.setText(f"{m.layer}  ·  5-NN {percent(m.knn_accuracy, 0)}")
        if step is None:
            self._set_status(
                QT_TRANSLATE_NOOP("Embedding", "{method} of {count} test digits ({seconds} s)"),
                method=embedding.method.upper().replace("TSNE", "t-SNE"),
                count=count(len(embedding.indices)),
                seconds=decimal(seconds, 1),
            )
        else:
            self._set_status(
                QT_TRANSLATE_NOOP("Embedding", "{method} of {count} test digits after step {step} ({seconds} s)"),
                method=embedding.method.upper().replace("TSNE", "t-SNE"),
                count=count(len(embedding.indices)),
                step=count(step),
                seconds=decimal(seconds, 1),
            )
        self._draw_star()

    def set_waiting(self, text: str) -> None:
        self._status = (text, {})
        self.status.setText(text)

    def set_busy(self) -> None:
        self._set_status(QT_TRANSLATE_NOOP("Embedding", "Computing the maps ..."))

    def set_failed(self, message: str) -> None:
        self.status.setText(message)

    def set_star(self, points: dict) -> None:
        """The drawing's point per layer ({layer: (2,)}); empty: no drawing."""
        self._star = dict(points)
        self._draw_star()

    def knn_accuracies(self) -> dict:
        """What the titles show: layer -> 5-NN accuracy of the shown maps."""
        return {} if self._embedding is None else {m.layer: m.knn_accuracy for m in self._embedding.maps}

    def map_view(self, layer: str) -> _LayerMap | None:
        return self._maps.get(layer)

    @property
    def embedding(self):
        return self._embedding

    # ---- inside --------------------------------------------------------------------------------
    def _set_status(self, source: str, **values) -> None:
        self._status = (source, values)
        self.status.setText(str(marked("Embedding", source).format(**values)))

    def _draw_star(self) -> None:
        for layer, view in self._maps.items():
            point = self._star.get(layer) if self._embedding is not None and self._embedding.method == "pca" else None
            if point is None:
                view.star.setData([], [])
            else:
                view.star.setData([float(point[0])], [float(point[1])])

    def _rebuild_maps(self) -> None:
        for view in self._maps.values():
            self.grid.removeWidget(view)
            view.deleteLater()
        self._maps = {}
        for number, name in enumerate(self.chosen_layers()):
            view = _LayerMap()
            view.title.setText(name)
            view.clicked.connect(lambda position: self._on_point(position))
            self._maps[name] = view
            self.grid.addWidget(view, number // COLUMNS, number % COLUMNS)
        if self._embedding is not None:
            self.set_embedding(self._embedding)

    def _on_point(self, position: int) -> None:
        if self._embedding is not None and 0 <= position < len(self._embedding.indices):
            self.digit_clicked.emit(int(self._embedding.indices[position]))

    def _on_layer_toggled(self, name: str, on: bool) -> None:
        if on:
            self._chosen.add(name)
        else:
            self._chosen.discard(name)
        self._rebuild_maps()
        self.layers_changed.emit(self.chosen_layers())

    def _on_method(self, _index: int) -> None:
        self.method_changed.emit(self.method())

    def retranslate(self) -> None:
        self.method_label.setText(translate("Embedding", "Map:"))
        self.layer_label.setText(translate("Embedding", "Layers:"))
        swatches = " ".join(
            f'<span style="color: rgb{colour}; font-weight: bold">&#9632; {digit}</span>'
            for digit, colour in enumerate(LABEL_COLOURS)
        )
        self.legend.setText(swatches)
        source, values = self._status
        if source:
            self.status.setText(str(marked("Embedding", source).format(**values)))
        tip = translate("Embedding", "PCA follows every training snapshot; t-SNE is computed once, on request.")
        if not self._tsne_available:
            tip = translate("Embedding", "t-SNE needs scikit-learn, which is not installed here: PCA only.")
        self.method_combo.setToolTip(tip)
        self.setToolTip(translate("Embedding", "A point is a test digit, coloured by its label. Click: show it."))
