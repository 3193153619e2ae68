"""EvaluationWidget: which test digits the network gets wrong: the confusion matrix and a gallery of them.

Left, the 10x10 confusion matrix of the test set (rows: the true label,
columns: the prediction) with its counts, the right answers in blue on the
diagonal and the mistakes in red, darker the more there are; beside it each
class's accuracy. A click on a cell fills the gallery on the right with those
test digits: mistakes most confident first (the network was sure and wrong),
the right answers of a diagonal cell least confident first (those it nearly
got wrong). A click on an accuracy shows every mistake of that class, the
button above the gallery every mistake of all. A click on a digit sends it to
the feature maps, the prediction and every other view (``digit_clicked``).

The panel only shows: a :class:`~convviz.events.EvaluationDone`'s
confusion (duck-typed: ``matrix``, ``predictions``, ``confidences``,
``cell()``, ``mistakes()``, ``per_class_accuracy``) computed elsewhere.
"""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.gui.common import theme
from convviz.gui.common.i18n import Retranslated, again, count, percent, translate
from convviz.gui.common.widgets import ElidedLabel
from convviz.gui.common.zoom import current_factor, rebase_font

GALLERY_MAX = 300  # digits in the gallery at most: enough for any lecture, quick to build
THUMB_PX = 56  # a digit in the gallery: 28x28 at 2x
CELL_FONT_PT = theme.FONT_PT - 2  # the matrix's counts and labels, where the panel has room for them
# Smaller where it has not (1024x768: a 640x410 panel): the largest of these that shows the whole matrix
# beside one column of the gallery; below the last, the table scrolls.
CELL_FONT_STEPS = (CELL_FONT_PT, CELL_FONT_PT - 1, CELL_FONT_PT - 2, CELL_FONT_PT - 3)  # 12 to 9 pt
PRESENTER_CELL_STEPS = (CELL_FONT_PT + 8, CELL_FONT_PT + 5, CELL_FONT_PT + 2)  # zoomed: as large as there is room
ZERO_COLOUR = "#b8b8b8"  # a count of 0, pale: the mistakes stand out
RIGHT_RGB = ((239, 243, 255), (8, 69, 148))  # the diagonal: pale to deep blue with the row's share
WRONG_RGB = ((255, 255, 255), (165, 15, 21))  # mistakes: white to deep red with the count
ACCURACY_COLUMN = NUM_CLASSES  # the 11th column: the class's accuracy


def _mix(colours: tuple, t: float) -> QtGui.QColor:
    (r0, g0, b0), (r1, g1, b1) = colours
    t = float(min(max(t, 0.0), 1.0))
    return QtGui.QColor(round(r0 + t * (r1 - r0)), round(g0 + t * (g1 - g0)), round(b0 + t * (b1 - b0)))


def cell_colour(matrix: np.ndarray, true: int, pred: int) -> QtGui.QColor:
    """The diagonal by the row's share of right answers; a mistake by its count against the largest mistake.

    The square root lifts the small counts: 1 of a maximum of 40 still shows as a pink, not white.
    """
    if true == pred:
        row = matrix[true].sum()
        share = matrix[true, true] / row if row else 0.0
        return _mix(RIGHT_RGB, 0.35 + 0.65 * share)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    top = off.max()
    value = matrix[true, pred]
    return _mix(WRONG_RGB, np.sqrt(value / top) if top and value else 0.0)


def text_colour(background: QtGui.QColor) -> QtGui.QColor:
    return QtGui.QColor("#ffffff") if background.lightnessF() < 0.55 else QtGui.QColor(theme.FOREGROUND)


def digit_pixmap(image: np.ndarray, size: int = THUMB_PX) -> QtGui.QPixmap:
    """A 28x28 image in [0, 1] (white ink on black, as MNIST) as a pixmap of ``size`` px."""
    grey = np.ascontiguousarray(np.clip(np.asarray(image, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE), 0, 1) * 255)
    grey = grey.astype(np.uint8)
    qimage = QtGui.QImage(grey.data, IMAGE_SIZE, IMAGE_SIZE, IMAGE_SIZE, QtGui.QImage.Format_Grayscale8).copy()
    return QtGui.QPixmap.fromImage(qimage.scaled(size, size, QtCore.Qt.KeepAspectRatio, QtCore.Qt.FastTransformation))


class SelectedCellDelegate(QtWidgets.QStyledItemDelegate):
    """Keeps the cell's own colour when selected and frames it instead (the colour is the information)."""

    def paint(self, painter: QtGui.QPainter, option: QtWidgets.QStyleOptionViewItem, index) -> None:
        selected = bool(option.state & QtWidgets.QStyle.State_Selected)
        option = QtWidgets.QStyleOptionViewItem(option)
        option.state &= ~QtWidgets.QStyle.State_Selected
        option.state &= ~QtWidgets.QStyle.State_HasFocus
        super().paint(painter, option, index)
        if selected:
            painter.save()
            painter.setPen(QtGui.QPen(QtGui.QColor(theme.ACCURACY), 4))
            painter.drawRect(option.rect.adjusted(2, 2, -2, -2))
            painter.restore()


class ConfusionTable(QtWidgets.QTableWidget):
    """The matrix and the accuracy column, sized to its numbers; it scrolls where the panel is smaller."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(NUM_CLASSES, NUM_CLASSES + 1, parent)
        self.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.setItemDelegate(SelectedCellDelegate(self))
        self.point_size = 0.0
        self.setCornerButtonEnabled(False)
        self.setShowGrid(True)
        self.setGridStyle(QtCore.Qt.SolidLine)
        self.setSizeAdjustPolicy(QtWidgets.QAbstractScrollArea.AdjustToContents)
        self.setSizePolicy(QtWidgets.QSizePolicy.Maximum, QtWidgets.QSizePolicy.Maximum)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QtWidgets.QHeaderView.Fixed)
            header.setDefaultAlignment(QtCore.Qt.AlignCenter)
            header.setHighlightSections(False)
        self.setVerticalHeaderLabels([str(i) for i in range(NUM_CLASSES)])
        for row in range(NUM_CLASSES):
            for col in range(NUM_CLASSES + 1):
                item = QtWidgets.QTableWidgetItem("")
                item.setTextAlignment(QtCore.Qt.AlignCenter)
                self.setItem(row, col, item)
        self.set_point_size(CELL_FONT_PT)

    def set_point_size(self, point_size: float) -> None:
        """The counts' and the labels' font size (at zoom 1: the window's zoom applies on top)."""
        if point_size == self.point_size:
            return
        self.point_size = point_size
        rebase_font(self, point_size, bold=False)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            rebase_font(header, point_size, bold=True)
        self.fit_sections()

    def fit_sections(self) -> None:
        """Columns as wide as "1135" and "99.9 %" need in the current font, rows a line high."""
        metrics = QtGui.QFontMetrics(self.font())
        count_px = metrics.horizontalAdvance("8888") + 8
        header = self.horizontalHeader()
        title_px = QtGui.QFontMetrics(header.font()).horizontalAdvance(self._accuracy_title())
        accuracy_px = max(metrics.horizontalAdvance(percent(1.0, 1)), title_px) + 8
        for col in range(NUM_CLASSES):
            header.resizeSection(col, count_px)
        header.resizeSection(ACCURACY_COLUMN, accuracy_px)
        row_px = metrics.height() + 4
        self.verticalHeader().setDefaultSectionSize(row_px)
        self.verticalHeader().setFixedWidth(QtGui.QFontMetrics(header.font()).horizontalAdvance("8") + 14)
        self.updateGeometries()

    @staticmethod
    def _accuracy_title() -> str:
        return translate("Evaluation", "right")

    def set_header_texts(self) -> None:
        self.setHorizontalHeaderLabels([*(str(i) for i in range(NUM_CLASSES)), self._accuracy_title()])
        self.fit_sections()

    def show_matrix(self, matrix: np.ndarray | None, per_class: np.ndarray | None) -> None:
        for row in range(NUM_CLASSES):
            for col in range(NUM_CLASSES):
                item = self.item(row, col)
                if matrix is None:
                    item.setText("")
                    item.setBackground(QtGui.QBrush(QtGui.QColor(theme.BACKGROUND)))
                    continue
                value = int(matrix[row, col])
                background = cell_colour(matrix, row, col)
                item.setText(str(value))
                item.setBackground(QtGui.QBrush(background))
                foreground = QtGui.QColor(ZERO_COLOUR) if value == 0 else text_colour(background)
                item.setForeground(QtGui.QBrush(foreground))
            item = self.item(row, ACCURACY_COLUMN)
            accuracy = None if per_class is None else per_class[row]
            item.setText("" if accuracy is None or not np.isfinite(accuracy) else percent(accuracy, 1))
            item.setBackground(QtGui.QBrush(QtGui.QColor("#f0f0f0")))
            item.setForeground(QtGui.QBrush(QtGui.QColor(theme.FOREGROUND)))

    def counts(self) -> np.ndarray | None:
        """The matrix as the table shows it (None while empty)."""
        texts = [[self.item(r, c).text() for c in range(NUM_CLASSES)] for r in range(NUM_CLASSES)]
        if not texts[0][0]:
            return None
        return np.array([[int(t) for t in row] for row in texts], np.int64)

    def sizeHint(self) -> QtCore.QSize:
        width = self.verticalHeader().width() + self.horizontalHeader().length() + 2 * self.frameWidth()
        height = self.horizontalHeader().height() + self.verticalHeader().length() + 2 * self.frameWidth()
        return QtCore.QSize(width, height)

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(160, 120)  # smaller: it scrolls


class Gallery(QtWidgets.QListWidget):
    """Test digits as thumbnails with their index, label, prediction and confidence; a click picks one."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QtWidgets.QListView.IconMode)
        self.setMovement(QtWidgets.QListView.Static)
        self.setResizeMode(QtWidgets.QListView.Adjust)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setIconSize(QtCore.QSize(THUMB_PX, THUMB_PX))
        self.setFont(theme.font(theme.FONT_PT - 4))
        self.setSpacing(2)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self._fit_grid()

    def _fit_grid(self) -> None:
        """Each digit's cell as wide as its widest caption in the font now: zoomed in, a fixed cell elided
        the confidence ("5→6 99…")."""
        metrics = QtGui.QFontMetrics(self.font())
        widest = max(metrics.horizontalAdvance(f"9→9 {percent(1.0, 0)}"), metrics.horizontalAdvance("#10000"))
        self.setGridSize(QtCore.QSize(max(THUMB_PX, widest) + 16, THUMB_PX + 2 * metrics.height() + 10))
        for row in range(self.count()):  # the digits shown: their text is laid out in the item's size
            self.item(row).setSizeHint(self.item_size())
        self.updateGeometry()

    def item_size(self) -> QtCore.QSize:
        """A digit's size: as wide as the widest caption ("100 %"), not as the first one."""
        return self.gridSize() - QtCore.QSize(6, 4)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.FontChange, QtCore.QEvent.LanguageChange):
            self._fit_grid()

    def minimumSizeHint(self) -> QtCore.QSize:
        """One column of digits and the scroll bar."""
        bar = self.style().pixelMetric(QtWidgets.QStyle.PM_ScrollBarExtent)
        return QtCore.QSize(self.gridSize().width() + bar + 2 * self.frameWidth() + 6, THUMB_PX + 40)


class EvaluationWidget(Retranslated, QtWidgets.QWidget):
    """The confusion matrix of the test set, each class's accuracy, and a gallery of the digits of a cell.

    ``digit_clicked(index)``: the user picked test image ``index`` in the gallery.
    """

    digit_clicked = QtCore.pyqtSignal(int)
    refresh_requested = QtCore.pyqtSignal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._images = np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.float32)
        self._confusion = None
        self._selection: tuple = ("mistakes",)  # ("mistakes",), ("cell", true, pred) or ("class", true)
        self._indices = np.zeros(0, np.int64)  # the gallery's digits, in its order
        self._status = ""  # a note under the title (computing…, no MNIST…), rendered again on a language change
        self._model_text = ""

        self._title = QtWidgets.QLabel()
        self._title.setFont(theme.font(theme.TITLE_PT, bold=True))
        self._summary = QtWidgets.QLabel()
        self._summary.setFont(theme.font(theme.FONT_PT, bold=True))
        self._note = ElidedLabel()  # computing…, a failure; else which model the matrix is of ("…" if narrow)
        self._note.setStyleSheet(f"color: {theme.MUTED}")
        self._axes = QtWidgets.QLabel()
        self._axes.setStyleSheet(f"color: {theme.MUTED}")
        self._axes.setWordWrap(True)
        self._axes.setFont(theme.font(theme.FONT_PT - 2))
        self.table = ConfusionTable()
        self._legend = QtWidgets.QLabel()
        self._legend.setStyleSheet(f"color: {theme.MUTED}")
        self._legend.setWordWrap(True)
        self._legend.setFont(theme.font(theme.FONT_PT - 2))
        self.refresh_button = QtWidgets.QPushButton()

        self._gallery_title = QtWidgets.QLabel()
        self._gallery_title.setWordWrap(True)
        self._gallery_title.setFont(theme.font(theme.FONT_PT - 2))
        self.mistakes_button = QtWidgets.QPushButton()
        self.gallery = Gallery()

        left = QtWidgets.QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(4)
        left.addWidget(self.table, stretch=0, alignment=QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)
        below = QtWidgets.QHBoxLayout()
        legend = QtWidgets.QVBoxLayout()
        legend.setSpacing(0)
        legend.addWidget(self._axes)
        legend.addWidget(self._legend)
        below.addLayout(legend, stretch=1)
        below.addWidget(self.mistakes_button, alignment=QtCore.Qt.AlignTop)
        left.addLayout(below)
        left.addStretch(1)
        self._left_box = left_box = QtWidgets.QWidget()
        left_box.setLayout(left)

        right = QtWidgets.QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(4)
        right.addWidget(self._gallery_title)
        right.addWidget(self.gallery, stretch=1)
        self._right_box = right_box = QtWidgets.QWidget()
        right_box.setLayout(right)

        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self.splitter.addWidget(left_box)
        self.splitter.addWidget(right_box)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._fit_timer = QtCore.QTimer(self)  # fit once the layout has settled, not at every step of a resize
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_table)
        self.splitter.installEventFilter(self)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self._title)
        top.addSpacing(8)
        top.addWidget(self._note, stretch=1)
        top.addWidget(self.refresh_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self._summary)
        layout.addWidget(self.splitter, stretch=1)

        self.table.cellClicked.connect(self._on_cell_clicked)
        self.gallery.itemClicked.connect(self._on_item_clicked)
        self.gallery.itemActivated.connect(self._on_item_clicked)
        self.mistakes_button.clicked.connect(self.show_mistakes)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(translate("Evaluation", "Confusion matrix"))
        self._axes.setText(translate("Evaluation", "rows: true label, columns: prediction"))
        self._legend.setText(translate("Evaluation", "blue: right · red: wrong · click a cell"))
        self.mistakes_button.setText(translate("Evaluation", "all mistakes"))
        self.mistakes_button.setToolTip(translate("Evaluation", "Every misclassified test image, most confident first"))
        self.refresh_button.setText(translate("Evaluation", "Evaluate now"))
        self.refresh_button.setToolTip(
            translate("Evaluation", "Classify the test images again with the weights of this moment")
        )
        self.table.setToolTip(translate("Evaluation", "Click a cell to see its test images"))
        self.table.set_header_texts()
        self._fit_timer.start()  # the words of another language have another width
        self._status = again(self._status)
        self._model_text = again(self._model_text)
        self._show_summary()
        self._fill_gallery()

    # ---- public API -------------------------------------------------------------------------------
    def set_test_images(self, images: np.ndarray) -> None:
        """The test images the confusion's indices refer to: (N, 28, 28) or (N, 28, 28, 1) in [0, 1]."""
        images = np.asarray(images, np.float32)
        self._images = images.reshape(len(images), IMAGE_SIZE, IMAGE_SIZE)
        self._fill_gallery()

    def set_confusion(self, confusion, model_text: str = "") -> None:
        """Show a confusion (``matrix``, ``predictions``, ``confidences``, ``cell()``, ``mistakes()``, ...).

        The gallery keeps its choice (the same cell of the new matrix); None clears everything.
        """
        self._confusion = confusion
        self._model_text = model_text
        per_class = None if confusion is None else np.asarray(confusion.per_class_accuracy)
        self.table.show_matrix(None if confusion is None else np.asarray(confusion.matrix), per_class)
        self._show_summary()
        self._fill_gallery()
        self._fit_timer.start()

    def confusion(self):
        return self._confusion

    def set_status(self, text: str) -> None:
        """A line under the title: computing, waiting for MNIST, a failure ('' shows the matrix's model)."""
        self._status = text
        self._show_summary()

    def status(self) -> str:
        return self._status

    def matrix_shown(self) -> np.ndarray | None:
        """The counts the table shows, (10, 10) (None while it is empty)."""
        return self.table.counts()

    def accuracies_shown(self) -> list:
        return [self.table.item(row, ACCURACY_COLUMN).text() for row in range(NUM_CLASSES)]

    def show_cell(self, true: int, pred: int) -> None:
        """The gallery shows the test digits of label ``true`` predicted as ``pred`` (as a click on the cell)."""
        self._selection = ("cell", int(true), int(pred))
        self.table.setCurrentCell(int(true), int(pred))
        self._fill_gallery()

    def show_class(self, true: int) -> None:
        """Every mistake on the digits of label ``true`` (as a click on its accuracy)."""
        self._selection = ("class", int(true))
        self.table.setCurrentCell(int(true), ACCURACY_COLUMN)
        self._fill_gallery()

    def show_mistakes(self) -> None:
        """Every mistake on the test set, most confident first."""
        self._selection = ("mistakes",)
        self.table.clearSelection()
        self._fill_gallery()

    def gallery_indices(self) -> np.ndarray:
        """The test indices in the gallery, in its order (at most :data:`GALLERY_MAX`)."""
        return self._indices[:GALLERY_MAX].copy()

    def gallery_texts(self) -> list:
        return [self.gallery.item(i).text() for i in range(self.gallery.count())]

    def click_digit(self, position: int) -> None:
        """As a click on the gallery's ``position``-th digit."""
        self._on_item_clicked(self.gallery.item(position))

    def selection(self) -> tuple:
        return self._selection

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.FontChange:  # the zoom: fit the matrix again once it has settled
            self._fit_timer.start()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:
        # The splitter changes size without the panel (a summary that wraps, a page that gets a scroll bar).
        if watched is self.splitter and event.type() == QtCore.QEvent.Resize:
            self._fit_timer.start()
        return False

    def fit_table(self) -> None:
        """The largest font of :data:`CELL_FONT_STEPS` that shows the whole matrix beside the gallery's
        narrowest column; the table's column of the splitter as wide as the table."""
        splitter = self.splitter
        # The gallery's column at its narrowest: its title's longest word too, not the gallery alone, or
        # the matrix was given width the column then took back, and scrolled (German, 1024x768).
        gallery_w = max(self.gallery.minimumSizeHint().width(), self._right_box.minimumSizeHint().width())
        room_w = splitter.width() - gallery_w - splitter.handleWidth()
        if room_w <= 0:
            return
        layout = self._left_box.layout()
        # Zoomed (presenter mode), larger steps first: the matrix is what a lecturer points at, and the
        # gallery beside it took every pixel the 12 pt matrix left. At zoom 1 the desk view is as it was.
        factor = current_factor(self)
        steps = (*PRESENTER_CELL_STEPS, *CELL_FONT_STEPS) if factor > 1.0 else CELL_FONT_STEPS
        if factor > 1.0:  # last, the desk's smallest size as drawn (9 pt): zoomed on a small screen it scrolled
            steps = (*steps, CELL_FONT_STEPS[-1] / factor)
        self.table.point_size = 0.0  # the zoom changed the font under the same point size: measure again
        for point_size in steps:
            self.table.set_point_size(point_size)
            hint = self.table.sizeHint()
            width = min(max(hint.width(), 1), room_w)
            # The column's height at that width, less the table's: the titles and the legend, wrapped.
            chrome = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
            chrome -= hint.height()
            if hint.width() <= room_w and hint.height() <= splitter.height() - chrome:
                break
        table_w = min(max(hint.width(), self._left_box.minimumSizeHint().width()), room_w)
        splitter.setSizes([table_w, max(splitter.width() - table_w - splitter.handleWidth(), gallery_w)])

    def minimumSizeHint(self) -> QtCore.QSize:
        """Zoomed (presenter mode): the height the whole matrix needs at its zoomed desk size.

        The panel area gives the panel in front its minimum before the pad takes more; with only the
        table's scrolling minimum the pad took the height and the matrix stayed at its smallest step.
        """
        hint = super().minimumSizeHint()
        factor = current_factor(self)
        if factor <= 1.0:
            return hint
        font = QtGui.QFont(self.table.font())
        font.setPointSizeF(CELL_FONT_PT * factor)
        matrix = (QtGui.QFontMetrics(font).height() + 4) * (NUM_CLASSES + 1) + 2 * self.table.frameWidth() + 6
        words = (self._title, self._summary, self._axes, self._legend)
        margins = self.layout().contentsMargins()
        needed = matrix + sum(w.sizeHint().height() + 4 for w in words) + margins.top() + margins.bottom()
        return QtCore.QSize(hint.width(), max(hint.height(), needed))

    # ---- internals --------------------------------------------------------------------------------
    def _show_summary(self) -> None:
        c = self._confusion
        note = self._status or self._model_text
        self._note.setText(note)
        if c is None:
            self._summary.setText("")
            return
        mistakes = int(c.total - np.trace(np.asarray(c.matrix)))
        line = translate("Evaluation", "%n mistake(s) · {right} of {total} right ({accuracy})", None, mistakes)
        self._summary.setText(
            line.format(
                right=count(c.total - mistakes),
                total=count(c.total),
                accuracy=percent(c.accuracy, 2),
            )
        )

    def _selected_indices(self) -> np.ndarray:
        c = self._confusion
        if c is None:
            return np.zeros(0, np.int64)
        kind = self._selection[0]
        if kind == "cell":
            _, true, pred = self._selection
            indices = np.asarray(c.cell(true, pred))
            return indices[::-1] if true == pred else indices  # the right answers: the narrow escapes first
        mistakes = np.asarray(c.mistakes())
        if kind == "class":
            labels = np.asarray(c.labels)
            return mistakes[labels[mistakes] == self._selection[1]]
        return mistakes

    def _gallery_heading(self, shown: int, total: int) -> str:
        kind = self._selection[0]
        if kind == "cell":
            _, true, pred = self._selection
            if true == pred:
                heading = translate("Evaluation", "{label}→{label}: {count} right, the least sure first")
                heading = heading.format(label=true, count=count(total))
            else:
                heading = translate("Evaluation", "{label}→{pred}: %n mistake(s), the most confident first", None, total)  # noqa: E501
                heading = heading.format(label=true, pred=pred)
        elif kind == "class":
            heading = translate("Evaluation", "label {label}: %n mistake(s), the most confident first", None, total)
            heading = heading.format(label=self._selection[1])
        else:
            heading = translate("Evaluation", "all %n mistake(s), the most confident first", None, total)
        if shown < total:
            heading = translate("Evaluation", "{heading} (the first {shown})").format(heading=heading, shown=shown)
        return heading

    def _fill_gallery(self) -> None:
        self.gallery.clear()
        c = self._confusion
        if c is None:
            self._indices = np.zeros(0, np.int64)
            self._gallery_title.setText(translate("Evaluation", "the digits of a cell appear here"))
            return
        self._indices = self._selected_indices()
        shown = self._indices[:GALLERY_MAX]
        self._gallery_title.setText(self._gallery_heading(len(shown), len(self._indices)))
        predictions, confidences, labels = np.asarray(c.predictions), np.asarray(c.confidences), np.asarray(c.labels)
        have_images = len(self._images) >= len(labels)
        tip = translate("Evaluation", "test image {index}: label {label}, predicted {pred} ({sure} sure)")
        item_size = self.gallery.item_size()
        for index in shown:
            index = int(index)
            label, pred, sure = int(labels[index]), int(predictions[index]), float(confidences[index])
            item = QtWidgets.QListWidgetItem(f"#{index}\n{label}→{pred} {percent(sure, 0)}")
            if have_images:
                item.setIcon(QtGui.QIcon(digit_pixmap(self._images[index])))
            item.setData(QtCore.Qt.UserRole, index)
            item.setToolTip(tip.format(index=index, label=label, pred=pred, sure=percent(sure, 1)))
            item.setForeground(QtGui.QBrush(QtGui.QColor(theme.CORRECT if label == pred else theme.WRONG)))
            item.setTextAlignment(QtCore.Qt.AlignHCenter | QtCore.Qt.AlignTop)
            item.setSizeHint(item_size)
            self.gallery.addItem(item)

    def _on_cell_clicked(self, row: int, col: int) -> None:
        if self._confusion is None:
            return
        if col == ACCURACY_COLUMN:
            self.show_class(row)
        else:
            self.show_cell(row, col)

    def _on_item_clicked(self, item: QtWidgets.QListWidgetItem | None) -> None:
        if item is not None:
            self.digit_clicked.emit(int(item.data(QtCore.Qt.UserRole)))
