"""App-wide zoom and presenter mode, for the back row of a lecture hall.

:class:`Zoom` scales, together and live, everything that carries a size:
widget fonts, plot tick labels and axis titles, plot line widths and symbols,
pyqtgraph text items, and the width of the focus ring (:class:`FocusRing`).
Each element's size at zoom 1 is remembered the first time it is seen, so
zooming in and out never compounds rounding; widgets created later (a dialog,
a new feature-map section) are zoomed as they are polished, and
:meth:`Zoom.refresh` catches plot items added since the last change.

Presenter mode is the zoom at which the smallest text of the window is at
least :data:`PRESENTER_MIN_PX` pixels high (from font metrics), with the
thicker focus ring and lines that come with it.
"""

from __future__ import annotations

import logging
import math

import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme

logger = logging.getLogger(__name__)

DESIGN_SCREEN = (1920, 1080)  # the logical screen size the layout is made for, at zoom 1
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.25, 2.5)
PRESENTER_MIN_PX = 24  # every text at least this high in presenter mode (1920x1080, the back row)
FOCUS_RING_PX = 3  # the focus ring's width at zoom 1: visible on a projector
AXIS_TEXT_START = (30, 18)  # pyqtgraph's AxisItem: the room for tick texts before it has measured any
_BASE = "_convviz_zoom_base"  # attribute holding a plot item's sizes at zoom 1
# A widget's font size at zoom 1 is a Qt property of the C++ object, not a Python attribute: the
# Python wrapper of a widget Qt made itself (a QTabWidget's tab bar, a table's header) is thrown
# away when no Python name holds it, and a base kept on it was lost with it. The next zoom then
# took the zoomed size for the base and compounded it (tab titles 14 -> 155 pt in six steps).
_BASE_PT = "convvizZoomBasePt"
_FACTOR = "convvizZoomFactor"  # on the window: the zoom its widgets' fonts are set for


def _remember(item, **sizes) -> dict:
    """The sizes of plot item ``item`` at zoom 1, remembered on first sight."""
    base = getattr(item, _BASE, None)
    if base is None:
        base = dict(sizes)
        setattr(item, _BASE, base)
    return base


def base_point_size(widget: QtWidgets.QWidget) -> float | None:
    """The font size ``widget`` has at zoom 1, once the zoom has seen it (None before)."""
    value = widget.property(_BASE_PT)
    return float(value) if value is not None else None


def current_factor(widget: QtWidgets.QWidget) -> float:
    """The zoom of ``widget``'s window (1 outside a zoomed window)."""
    window = widget.window()
    while window is not None:  # a dialog follows the zoom of the window it belongs to
        value = window.property(_FACTOR)
        if value is not None:
            return float(value)
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    return 1.0


def _set_base_point_size(widget: QtWidgets.QWidget, point_size: float) -> None:
    widget.setProperty(_BASE_PT, float(point_size))


def _point_size(size: str, default: float) -> float:
    """'14pt' -> 14.0 (pyqtgraph writes label sizes as CSS strings)."""
    try:
        return float(str(size).strip().lower().replace("pt", ""))
    except ValueError:
        return default


def rebase_font(widget: QtWidgets.QWidget, point_size: float, bold: bool | None = None) -> None:
    """Give ``widget`` a new font size *at zoom 1*; the window's zoom stays applied on top of it.

    For panels that change a font themselves (a compact layout): a plain setFont would be undone
    by the next zoom change, or be zoomed twice.
    """
    factor = current_factor(widget)
    _set_base_point_size(widget, point_size)
    font = widget.font()
    font.setPointSizeF(point_size * factor)
    if bold is not None:
        font.setBold(bold)
    widget.setFont(font)


def screen_zoom(screen: QtGui.QScreen | None, override: str | None = None) -> float:
    """The zoom a window starts at on ``screen``: the layout is made for 1920x1080 (logical pixels).

    Where the system scales (QT_SCALE_FACTOR, or Qt's high-DPI scaling from the screen's DPI) a 4K
    screen is 1920x1080 logical pixels and this is 1. Where it does not (an X server at 96 dpi, a
    projector), the text and the pad were a quarter of their size on 3840x2160: the zoom is the
    largest step at most as large as the screen against 1920x1080 (2 on 4K, 1.25 on 2560x1440).
    ``override`` ($CONVVIZ_ZOOM) chooses it: a number, e.g. 1.5; anything else is ignored with a warning.
    """
    if override:
        try:
            value = float(override)
        except ValueError:
            value = float("nan")
        if math.isfinite(value) and ZOOM_STEPS[0] <= value <= 4.0:
            return value
        logger.warning("CONVVIZ_ZOOM=%r is not a zoom from %s to 4; the screen's size decides", override, ZOOM_STEPS[0])
    if screen is None:
        return 1.0
    size = screen.geometry()  # the whole screen: a task bar must not cost a 4K screen its zoom of 2
    ratio = min(size.width() / DESIGN_SCREEN[0], size.height() / DESIGN_SCREEN[1])
    return max([step for step in ZOOM_STEPS if step <= ratio + 1e-6 and step >= 1.0], default=1.0)


def apply_item(item, f: float) -> None:
    """Give pyqtgraph item ``item`` (an axis, a curve, a label, a text) its sizes at zoom ``f``."""
    if isinstance(item, pg.AxisItem):
        tick = (getattr(item, "style", None) or {}).get("tickFont") or getattr(item, "tickFont", None)
        tick_pt = tick.pointSizeF() if tick is not None else float(theme.TICK_PT)
        style = dict(getattr(item, "labelStyle", {}) or {})
        pen = item.pen()
        base = _remember(
            item,
            tick_pt=tick_pt,
            label_pt=_point_size(style.get("font-size", ""), theme.TITLE_PT - 2),
            pen=pen.widthF() or 1.0,
        )
        font = QtGui.QFont(tick) if tick is not None else theme.font(theme.TICK_PT)
        font.setPointSizeF(base["tick_pt"] * f)
        item.setTickFont(font)
        pen.setWidthF(base["pen"] * f)
        item.setPen(pen)  # before the label: setPen also recolours the label in the pen's colour
        if getattr(item, "labelText", ""):
            style["font-size"] = f"{base['label_pt'] * f:.1f}pt"
            item.setLabel(item.labelText, units=getattr(item, "labelUnits", "") or None, **style)
        # pyqtgraph widens an axis for longer tick texts but narrows it only when they are 10 px
        # shorter: back at a zoom it had, the axis takes the room for its texts it had there (else
        # pyqtgraph's first guess), or zooming in and back leaves the axis wider than it was.
        rooms = base.setdefault("text_room", {})
        last = base.get("zoom")
        if last is not None:
            rooms[last] = (item.textWidth, item.textHeight)
            item.textWidth, item.textHeight = rooms.get(f, AXIS_TEXT_START)
        base["zoom"] = f
        if item.orientation in ("left", "right"):
            item._updateWidth()
        else:
            item._updateHeight()
        item.resizeEvent()  # the title's place depends on its new font; pyqtgraph moves it only on a resize
        item.picture = None
        item.update()
    elif isinstance(item, pg.PlotDataItem):
        opts = item.opts
        pen = pg.mkPen(opts.get("pen"))
        base = _remember(item, pen=pen.widthF() or 1.0, symbol=opts.get("symbolSize") or 0)
        pen.setWidthF(base["pen"] * f)
        item.setPen(pen)
        if base["symbol"]:
            item.setSymbolSize(base["symbol"] * f)
    elif isinstance(item, pg.LabelItem):
        base = _remember(item, pt=_point_size(item.opts.get("size", ""), theme.FONT_PT))
        item.setText(item.text, size=f"{base['pt'] * f:.1f}pt")
    elif isinstance(item, pg.TextItem):
        font = item.textItem.font()
        base = _remember(item, pt=font.pointSizeF() if font.pointSizeF() > 0 else float(theme.FONT_PT))
        font.setPointSizeF(base["pt"] * f)
        item.setFont(font)


def follow_zoom(view: pg.GraphicsView, widget: QtWidgets.QWidget) -> None:
    """Zoom the items just added to ``view`` as the rest of ``widget``'s window is zoomed.

    The zoom sees new widgets as they are polished, but not new plot items: a panel that builds
    its plots when a model arrives (the feature maps' sections) calls this after building them.
    """
    factor = current_factor(widget)
    for item in view.scene().items():
        apply_item(item, factor)


def zoomed_size(point_size: float, widget: QtWidgets.QWidget) -> str:
    """A pyqtgraph label size ("16.0pt") for ``point_size`` at zoom 1 in ``widget``'s window."""
    return f"{point_size * current_factor(widget):.1f}pt"


class FocusRing(QtWidgets.QWidget):
    """A thick ring drawn around the widget that has the keyboard focus (styles draw a 1 px line).

    It follows its widget through scrolling and re-layout: it watches the widget and every parent up to
    the window (a scroll area moves the column, not the widget), and it is drawn only where the widget
    can be seen (a widget scrolled half out of its panel gets a ring around the half that shows; one
    scrolled out of sight none), so it never lands on the status bar or a neighbouring panel.
    """

    def __init__(self, window: QtWidgets.QWidget):
        super().__init__(window)
        self.setAttribute(QtCore.Qt.WA_TransparentForMouseEvents)
        self.setAttribute(QtCore.Qt.WA_NoSystemBackground)
        self.setFocusPolicy(QtCore.Qt.NoFocus)
        self.width_px = FOCUS_RING_PX
        self._target: QtWidgets.QWidget | None = None
        self._watched: list = []  # the target and its parents, whose moves and resizes move the ring
        QtWidgets.QApplication.instance().focusChanged.connect(self._on_focus_changed)
        self.hide()

    def target(self) -> QtWidgets.QWidget | None:
        return self._target

    def _on_focus_changed(self, _old, new) -> None:
        try:
            # Not the window itself (Qt counts a widget its own ancestor): a ring around the whole window
            # marks nothing, and it does not follow the window's own resizes.
            inside = new is not None and new is not self.window() and self.window().isAncestorOf(new)
        except RuntimeError:  # the window is being deleted
            return
        for watched in self._watched:
            try:
                watched.removeEventFilter(self)
            except RuntimeError:
                pass
        self._target = new if inside else None
        self._watched = []
        widget = self._target
        while widget is not None and widget is not self.window():
            widget.installEventFilter(self)  # follows it when it, or a parent, moves or resizes
            self._watched.append(widget)
            widget = widget.parentWidget()
        self.follow()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QtCore.QEvent.Move, QtCore.QEvent.Resize, QtCore.QEvent.Show, QtCore.QEvent.Hide):
            self.follow()
        return False

    def visible_rect(self) -> QtCore.QRect:
        """The part of the target that can be seen, in the window's coordinates (empty: none)."""
        target, window = self._target, self.window()
        if target is None:
            return QtCore.QRect()
        return QtCore.QRect(target.mapTo(window, QtCore.QPoint(0, 0)), target.size()).intersected(self._clip())

    def _clip(self) -> QtCore.QRect:
        """Where the target's parents show it: the intersection of their rectangles, in the window's terms."""
        window = self.window()
        clip = window.rect()
        widget = self._target.parentWidget() if self._target is not None else None
        while widget is not None and widget is not window:
            clip = clip.intersected(QtCore.QRect(widget.mapTo(window, QtCore.QPoint(0, 0)), widget.size()))
            widget = widget.parentWidget()
        return clip

    def follow(self) -> None:
        target = self._target
        seen = self.visible_rect()
        if target is None or not target.isVisible() or seen.isEmpty():
            self.hide()
            return
        margin = self.width_px + 1
        self.setGeometry(seen.adjusted(-margin, -margin, margin, margin).intersected(self._clip()))
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.Antialiasing)
        pen = QtGui.QPen(QtGui.QColor(theme.ACCURACY), self.width_px)
        painter.setPen(pen)
        half = self.width_px / 2
        painter.drawRoundedRect(QtCore.QRectF(self.rect()).adjusted(half, half, -half, -half), 4, 4)


class Zoom(QtCore.QObject):
    """The zoom of one window; ``changed(factor)`` after every change."""

    changed = QtCore.pyqtSignal(float)

    def __init__(self, window: QtWidgets.QWidget):
        super().__init__(window)
        self._window = window
        self._factor = 1.0
        self._home = 1.0  # what Ctrl+0 and presenter mode off return to
        self._applied = 1.0  # the zoom the widgets' fonts were last set for
        self._presenter = False
        self.focus_ring = FocusRing(window)
        self._app = QtWidgets.QApplication.instance()
        self._app.installEventFilter(self)  # Polish events go to each new widget, not to the window
        self._attached = True

    def detach(self) -> None:
        """Stop watching the application (the window closes): no filter may outlive its window."""
        if self._attached:
            self._attached = False
            self._app.removeEventFilter(self)
            try:
                self._app.focusChanged.disconnect(self.focus_ring._on_focus_changed)
            except (RuntimeError, TypeError):
                pass

    # ---- public --------------------------------------------------------------------------------
    @property
    def factor(self) -> float:
        return self._factor

    @property
    def presenter(self) -> bool:
        return self._presenter

    def set_factor(self, factor: float) -> None:
        factor = float(min(max(factor, ZOOM_STEPS[0]), 4.0))
        self._factor = factor
        self.refresh()
        self.changed.emit(factor)

    def zoom_in(self) -> None:
        self.set_factor(next((s for s in ZOOM_STEPS if s > self._factor + 1e-6), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_factor(next((s for s in reversed(ZOOM_STEPS) if s < self._factor - 1e-6), ZOOM_STEPS[0]))

    @property
    def home(self) -> float:
        """The zoom Ctrl+0 returns to: 1, or larger on a large screen that Qt does not scale (see screen_zoom)."""
        return self._home

    def set_home(self, factor: float) -> None:
        self._home = float(min(max(factor, ZOOM_STEPS[0]), 4.0))
        if not self._presenter:
            self.set_factor(self._home)

    def reset(self) -> None:
        self._presenter = False
        self.set_factor(self._home)

    def set_presenter(self, on: bool) -> None:
        """Presenter mode: every text at least PRESENTER_MIN_PX high (times the home zoom: as high, measured
        against the screen, as on 1920x1080); off returns to the home zoom."""
        self._presenter = bool(on)
        if not on:
            self.set_factor(self._home)
            return
        self.set_factor(self._home)
        least = PRESENTER_MIN_PX * self._home
        for _ in range(12):  # font heights grow in whole pixels, not in proportion: measure, then nudge
            smallest = min((h for _, h in self._text_heights(visible_only=False)), default=least)
            if smallest >= least:
                break
            step = max(1.02, least / smallest)
            self.set_factor(math.ceil(100 * self._factor * step) / 100)

    def text_heights(self) -> list:
        """(element, pixel height of its font) for every visible text of the window, as zoomed now."""
        return list(self._text_heights(visible_only=True))

    def refresh(self) -> None:
        """Apply the zoom to every widget and plot item of the window (new ones included)."""
        widgets = [self._window, *self._window.findChildren(QtWidgets.QWidget)]
        for widget in widgets:  # first remember every base: setting a parent's font changes its children's
            self._widget_base(widget)
        for widget in widgets:
            self._apply_widget(widget)
        for view in self._window.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                apply_item(item, self._factor)
        self._applied = self._factor
        self._window.setProperty(_FACTOR, self._factor)
        self.focus_ring.width_px = max(2, round(FOCUS_RING_PX * self._factor))
        self.focus_ring.follow()

    # ---- internals -----------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        # A widget created after a zoom change gets the zoom as it is polished, before it is shown.
        if event.type() == QtCore.QEvent.Polish and isinstance(watched, QtWidgets.QWidget):
            if watched is not self.focus_ring and self._applied != 1.0:
                try:
                    if self._window.isAncestorOf(watched) or watched.window() is not self._window:
                        self._apply_widget(watched)
                except RuntimeError:
                    pass
        return False

    def _widget_base(self, widget: QtWidgets.QWidget) -> float:
        """A widget's font size at zoom 1. A font set in code is at zoom 1; an inherited one is zoomed."""
        base = base_point_size(widget)
        if base is None:
            if isinstance(widget, QtWidgets.QComboBox) and (
                widget.sizeAdjustPolicy() == QtWidgets.QComboBox.AdjustToContentsOnFirstShow
            ):
                # Qt's default keeps the width of the first words shown: after a change of language the
                # box kept the German width in English until a zoom measured it again.
                widget.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToContents)
            pt = widget.font().pointSizeF()
            pt = pt if pt > 0 else float(theme.FONT_PT)
            if not widget.testAttribute(QtCore.Qt.WA_SetFont):
                pt /= self._applied
            _set_base_point_size(widget, pt)
            base = pt
        return base

    def _apply_widget(self, widget: QtWidgets.QWidget) -> None:
        size = self._widget_base(widget) * self._factor
        font = widget.font()
        if abs(font.pointSizeF() - size) > 1e-3:
            font.setPointSizeF(size)
            widget.setFont(font)

    def _text_heights(self, visible_only: bool):
        """(element, font pixel height) for the window's texts (only those shown, with ``visible_only``)."""

        def height(font: QtGui.QFont) -> float:
            return QtGui.QFontMetricsF(font).height()

        for widget in self._window.findChildren(QtWidgets.QWidget):
            if (widget.isVisible() or not visible_only) and _shows_text(widget):
                yield widget, height(widget.font())
        for view in self._window.findChildren(pg.GraphicsView):
            if visible_only and not view.isVisible():
                continue
            for item in view.scene().items():
                if visible_only and not item.isVisible():
                    continue
                if isinstance(item, pg.AxisItem) and item.style.get("showValues", True):
                    tick = (getattr(item, "style", None) or {}).get("tickFont") or getattr(item, "tickFont", None)
                    if tick is not None:
                        yield item, height(tick)
                    if getattr(item, "labelText", "") and item.label.isVisible():
                        # the label's size is in its HTML style, not in the text item's font
                        size = _point_size((item.labelStyle or {}).get("font-size", ""), theme.TITLE_PT - 2)
                        yield item.label, height(theme.font(size))
                elif isinstance(item, pg.LabelItem) and item.text:
                    yield item, height(theme.font(_point_size(item.opts.get("size", ""), theme.FONT_PT)))
                elif isinstance(item, pg.TextItem):
                    yield item, height(item.textItem.font())


def _shows_text(widget: QtWidgets.QWidget) -> bool:
    """Whether ``widget`` draws text of its own (labels, buttons, fields, tabs)."""
    if isinstance(widget, QtWidgets.QLabel):
        pixmap = widget.pixmap()
        return bool(widget.text().strip()) and (pixmap is None or pixmap.isNull())
    if isinstance(widget, QtWidgets.QAbstractButton):
        return bool(widget.text().strip())
    return isinstance(widget, (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox, QtWidgets.QTabBar, QtWidgets.QLineEdit))
