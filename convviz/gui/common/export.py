"""Figures for slides: any panel's plot or image to PNG (at twice the screen's resolution) or SVG.

The writing goes through pyqtgraph's own exporters (``ImageExporter`` and
``SVGExporter``; the SVG tidied for other renderers by :func:`tidy_svg`).
:func:`export_figure` takes a path and needs no dialog, so it is tested on its own;
:class:`FigureMenu` adds what a user clicks: a right-click menu on the figure and a
small "Save figure…" button for the panel's header.
:func:`copy_to_clipboard` puts a whole widget (the window, for Ctrl+Shift+C) on
the clipboard as a picture.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters  # pg.exporters is not imported by pyqtgraph itself
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz import atomicfile
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, again, marked, translate

logger = logging.getLogger(__name__)

FIGURE_SCALE = 2.0  # a PNG has at least twice the figure's on-screen pixels in each direction
FORMATS = {  # the file dialog's filters
    "png": QT_TRANSLATE_NOOP("Export", "PNG image (*.png)"),
    "svg": QT_TRANSLATE_NOOP("Export", "SVG vector graphics (*.svg)"),
}
STATUS_MS = 10_000  # how long the window's status bar shows "Figure saved to …"

_last_folder: Path | None = None  # the folder of the last saved figure, offered again next time


class ExportError(OSError):
    """A figure could not be written; the message is one line for the user."""


def export_figure(source, path, scale: float = FIGURE_SCALE) -> Path:
    """Write ``source`` to ``path`` as PNG or SVG, chosen by the path's suffix; return the path.

    Parameters
    ----------
    source
        A ``pg.GraphicsView`` / ``GraphicsLayoutWidget`` / ``PlotWidget`` (its whole
        scene: every plot in it, a second axis' ViewBox included), a
        ``GraphicsScene``, or one graphics item (e.g. a ``PlotItem``).
    path
        Where to write; the suffix ``.png`` or ``.svg`` picks the format.
    scale
        PNG only: its size over the figure's size on screen, in device pixels (a
        high-DPI screen's pixels count). Lines and text scale with it.

    Raises
    ------
    ExportError
        With one line naming the path when the format is unknown or writing fails.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            translate("Export", "cannot save the figure as {name}: name a .png or .svg file").format(name=path.name)
        )
    item = _exportable(source)
    kind = atomicfile.special_kind(path)
    if kind is not None:  # a FIFO would block the window's thread, a device would take the bytes
        raise ExportError(_cannot_save(path, translate("Export", "it is not a regular file; name a file")))
    if not path.parent.is_dir():
        raise ExportError(_cannot_save(path, _why_not_writable(path)))
    # Drawn in memory, then written whole beside the target and renamed over it: a full disk or a
    # failed write leaves an old figure of that name as it was, never half a PNG.
    if fmt == "png":
        exporter = pg.exporters.ImageExporter(item)
        width, height = _png_size(exporter, item, scale)
        params = exporter.parameters()
        params["width"] = width  # pyqtgraph sets the height from the aspect ratio ...
        params.param("height").setValue(height, blockSignal=exporter.heightChanged)  # ... rounded down
        data = _png_bytes(exporter.export(toBytes=True))
    else:
        svg = pg.exporters.SVGExporter(item).export(toBytes=True)
        data = tidy_svg(bytes(svg).decode("utf-8")).encode("utf-8")
    try:
        atomicfile.write_bytes(path, data)
    except atomicfile.NotRegularFile:
        raise ExportError(_cannot_save(path, translate("Export", "it is not a regular file; name a file"))) from None
    except OSError as exc:
        raise ExportError(_cannot_save(path, atomicfile.reason(exc))) from None
    logger.info("figure saved to %s", path)
    return path


def _png_bytes(image: QtGui.QImage) -> bytes:
    """``image`` encoded as PNG, in memory."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError(translate("Export", "the figure could not be drawn as PNG"))
    return bytes(buffer.data())


_POLYLINE = re.compile(r'<polyline\b([^>]*?)\bpoints="([^"]*)"')
_VIEW_BOX = re.compile(r'<svg\b([^>]*?)\bviewBox\s*=\s*"\s*[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)\s*"')


def tidy_svg(text: str) -> str:
    """pyqtgraph's SVG, made for any renderer: each ``polyline`` a ``path`` (ImageMagick refused the
    curves as "non-conforming polyline"; a path of M and L is drawn the same everywhere), and the
    figure's size on the root (a viewBox alone leaves the size to the reader: 100 % of a slide)."""

    def as_path(match) -> str:
        numbers = re.split(r"[\s,]+", match.group(2).strip())
        points = [f"{x} {y}" for x, y in zip(numbers[0::2], numbers[1::2])]
        if not points:
            return f"<path{match.group(1)}d=\"\""
        return f"<path{match.group(1)}d=\"M {points[0]}" + "".join(f" L {p}" for p in points[1:]) + '"'

    text = _POLYLINE.sub(as_path, text).replace("</polyline>", "</path>")
    box = _VIEW_BOX.search(text)
    if box is not None and " width=" not in box.group(0):
        width, height = box.group(2), box.group(3)
        text = text.replace("<svg", f'<svg width="{width}" height="{height}"', 1)
    return text


def copy_to_clipboard(widget: QtWidgets.QWidget) -> QtGui.QImage:
    """Put a picture of ``widget`` (e.g. the whole window) on the clipboard, as it is on screen; return it."""
    image = widget.grab().toImage()
    QtWidgets.QApplication.clipboard().setImage(image)
    return image


def figure_size(source, scale: float = FIGURE_SCALE) -> tuple:
    """(width, height) in pixels of the PNG :func:`export_figure` writes for ``source``."""
    item = _exportable(source)
    return _png_size(pg.exporters.ImageExporter(item), item, scale)


def _exportable(source):
    """The scene of a view widget, or the scene / graphics item itself."""
    if isinstance(source, QtWidgets.QGraphicsView):
        return source.scene()
    if isinstance(source, (QtWidgets.QGraphicsScene, QtWidgets.QGraphicsItem)):
        return source
    raise TypeError(f"cannot export a {type(source).__name__}: give a pyqtgraph view, scene or item")


def _png_size(exporter, item, scale: float) -> tuple:
    rect = exporter.getSourceRect()
    scene = item if isinstance(item, QtWidgets.QGraphicsScene) else item.scene()
    views = scene.views() if scene is not None else []
    ratio = views[0].devicePixelRatioF() if views else 1.0
    factor = scale * max(ratio, 1.0)
    return max(1, math.ceil(rect.width() * factor)), max(1, math.ceil(rect.height() * factor))


def _cannot_save(path: Path, reason: str) -> str:
    return translate("Export", "cannot save the figure to {path}: {reason}").format(path=str(path), reason=reason)


def _why_not_writable(path: Path) -> str:
    folder = path.parent
    if not folder.is_dir():
        return translate("Export", "the folder {folder} does not exist").format(folder=str(folder))
    if path.is_dir():
        return translate("Export", "it is a folder")
    return translate("Export", "the file cannot be written there (permissions, or a full disk)")


class FigureMenu(QtCore.QObject):
    """The menu "Save figure as PNG…", "…as SVG…", "Copy figure" for one panel's figure.

    The same menu opens on a right-click on the figure (a click, not a drag: a
    right-drag still zooms a plot) and from :meth:`make_button`, a small button
    for the panel's header. pyqtgraph's own context menus stay off: its
    "Export…" dialog offers more than a lecturer needs.

    Parameters
    ----------
    view
        The ``pg.GraphicsView`` (PlotWidget, GraphicsLayoutWidget) whose scene is the figure.
    name
        Suggested file name without suffix ("convviz-loss").
    labels
        Optional: a callable returning a context manager during which the figure carries what the
        panel shows in Qt labels around it (a title, a legend), so a saved or copied figure explains
        itself on a slide; the screen stays as it was afterwards.
    """

    saved = QtCore.pyqtSignal(str)  # the path written
    failed = QtCore.pyqtSignal(str)  # one line for the user

    def __init__(self, view: pg.GraphicsView, name: str, labels=None):
        super().__init__(view)
        self.view = view
        self.name = name
        self._labels = labels or contextlib.nullcontext
        self._last_error = ""
        self.menu = QtWidgets.QMenu(view)
        self.png_action = self.menu.addAction("")
        self.svg_action = self.menu.addAction("")
        self.menu.addSeparator()
        self.copy_action = self.menu.addAction("")
        self._buttons: list = []  # (button, its own tooltip or None) made by make_button, retranslated with the menu
        self.menu.installEventFilter(self)  # the menu is told when the language changes
        self.retranslate()
        self.png_action.triggered.connect(lambda: self.ask_and_save("png"))
        self.svg_action.triggered.connect(lambda: self.ask_and_save("svg"))
        self.copy_action.triggered.connect(self.copy)
        view.scene().sigMouseClicked.connect(self._on_scene_clicked)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.menu and event.type() == QtCore.QEvent.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        """The menu's and the buttons' texts in the current language."""
        self.png_action.setText(translate("Export", "Save figure as PNG…"))
        self.svg_action.setText(translate("Export", "Save figure as SVG…"))
        self.copy_action.setText(translate("Export", "Copy figure"))
        for button, tip in self._buttons:
            button.setText(translate("Export", "Save figure…"))
            button.setToolTip(again(tip) if tip else self._button_tip())

    @staticmethod
    def _button_tip() -> str:
        return translate("Export", "Save this figure as PNG or SVG for slides (or right-click the figure)")

    def make_button(self, tooltip: str | None = None) -> QtWidgets.QToolButton:
        """A small "Save figure…" button that opens the menu; ``tooltip`` (a translated Text) replaces its own."""
        button = QtWidgets.QToolButton()
        self._buttons.append((button, tooltip))
        button.setText(translate("Export", "Save figure…"))
        button.setToolTip(tooltip or self._button_tip())
        button.setMenu(self.menu)
        button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        button.setToolButtonStyle(QtCore.Qt.ToolButtonTextOnly)
        return button

    def save(self, path) -> Path | None:
        """Write the figure to ``path`` (.png or .svg); None, and ``failed``, when that fails."""
        try:
            with self._labels():
                written = export_figure(self.view, path)
        except ExportError as exc:
            message = self._last_error = str(exc)
            logger.warning("%s", message)
            _show_status(self.view, message)
            self.failed.emit(message)
            return None
        _show_status(self.view, translate("Export", "Figure saved to {path}").format(path=str(written)))
        self.saved.emit(str(written))
        return written

    def ask_and_save(self, fmt: str) -> Path | None:
        """Ask for a file name (PNG or SVG), then :meth:`save`."""
        global _last_folder
        folder = _last_folder or Path.home()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.view.window(),
            translate("Export", "Save the figure"),
            str(folder / f"{self.name}.{fmt}"),
            marked("Export", FORMATS[fmt]),
        )
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        _last_folder = path.parent
        written = self.save(path)
        if written is None and not isinstance(self.view.window(), QtWidgets.QMainWindow):
            QtWidgets.QMessageBox.warning(self.view.window(), translate("Export", "Figure not saved"), self._last_error)
        return written

    def copy(self) -> QtGui.QImage:
        """The figure at twice the screen's resolution, onto the clipboard."""
        with self._labels():
            exporter = pg.exporters.ImageExporter(self.view.scene())
            width, height = _png_size(exporter, self.view.scene(), FIGURE_SCALE)
            exporter.parameters()["width"] = width
            exporter.parameters().param("height").setValue(height, blockSignal=exporter.heightChanged)
            image = exporter.export(toBytes=True)
        QtWidgets.QApplication.clipboard().setImage(image)
        _show_status(self.view, translate("Export", "Figure copied to the clipboard"))
        return image

    def _on_scene_clicked(self, event) -> None:
        if event.button() == QtCore.Qt.RightButton and not event.isAccepted():
            event.accept()
            self.menu.popup(event.screenPos().toPoint())


def titled(view: pg.GraphicsView, text):
    """``labels`` for :class:`FigureMenu`: the panel's title (``text()``, a Qt label on screen) in the figure.

    A plot gets it as its title; a ``GraphicsLayoutWidget`` (a mosaic with its colour bar) as a
    caption under everything in it. Both leave once the figure is written.
    """
    from convviz.gui.common import theme  # theme imports nothing of this module; kept local for clarity

    @contextlib.contextmanager
    def labels():
        words = text()
        if not words:
            yield
            return
        style = {"size": f"{theme.FONT_PT}pt", "color": theme.FOREGROUND}
        if isinstance(view, pg.PlotWidget):
            plot = view.getPlotItem()
            plot.setTitle(words, **style)
            plot.layout.activate()  # laid out now: the export draws before the next event
            try:
                yield
            finally:
                plot.setTitle(None)
                plot.layout.activate()
            return
        layout = view.ci
        grid = layout.layout
        caption = pg.LabelItem(words, **style)
        layout.addItem(caption, row=grid.rowCount(), col=0, colspan=max(grid.columnCount(), 1))
        grid.activate()
        try:
            yield
        finally:
            layout.removeItem(caption)
            grid.activate()

    return labels


def _show_status(widget: QtWidgets.QWidget, message: str) -> None:
    """One line in the window's status bar, where there is one."""
    window = widget.window()
    if isinstance(window, QtWidgets.QMainWindow):
        window.statusBar().showMessage(message, STATUS_MS)
