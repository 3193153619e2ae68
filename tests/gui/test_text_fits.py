"""No clipped text: every visible label, button, tab title, table cell and plot title fits its rectangle.

One window (shared_window), resized through the seven screen sizes the screen tests use, in both
languages, at zoom 0 and +2, with presenter mode on and off: not the whole product (that would
take minutes), but every size, every language, both zooms and both presenter states across the
run, each on every top-level tab. Elision counts as fitting only where it is deliberate: the text
ends in "…" and the whole of it is in the tooltip, and never for a number.
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common.zoom import current_factor
from tests.gui.test_zoom import fake_screen

SLACK_PX = 1  # rounding of scaled fonts
# (width, height, language, zoom steps, presenter): each of the seven sizes at least once, each
# language, zoom and presenter state at several sizes.
COMBINATIONS = (
    (1024, 768, "de", 0, False),
    (1280, 720, "en", 2, False),
    (1280, 800, "de", 0, True),
    (1366, 768, "en", 0, False),
    (1920, 1080, "en", 0, True),
    (2560, 1440, "de", 2, False),
    (3840, 2160, "en", 0, False),
    (1024, 768, "en", 2, False),
    (1920, 1080, "de", 0, False),
)


@pytest.fixture
def screen_size(monkeypatch):
    return fake_screen(monkeypatch)


NUMBER = re.compile(r"\d")
UNIT_BREAK = re.compile(r"\d[ \t\n](%|px|KB|MB|GB|s\b)")  # a plain space lets the line break there


def _plain(text: str) -> str:
    """A label's words as drawn: no mnemonic ampersand, no HTML tags."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return re.sub(r"<[^>]+>", "", text) if "<" in text else text


def _elided_on_purpose(text: str, tooltip: str) -> bool:
    if "…" not in text:
        return False
    shown = text.replace("…", "").strip()
    return bool(tooltip) and shown.split()[0] in tooltip and not NUMBER.search(text.split("…")[0][-1:] or "")


def _where(widget: QtWidgets.QWidget) -> str:
    names = []
    while widget is not None and len(names) < 3:
        names.append(type(widget).__name__)
        widget = widget.parentWidget()
    return "/".join(reversed(names))


def _label_problem(label: QtWidgets.QLabel) -> str | None:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    rect = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    metrics = QtGui.QFontMetrics(label.font())
    if label.wordWrap() or label.textFormat() == QtCore.Qt.RichText or "<" in text:
        if label.heightForWidth(rect.width()) > label.height() + SLACK_PX:
            return f"needs {label.heightForWidth(rect.width())} px of height, has {label.height()}"
        if label.wordWrap() and UNIT_BREAK.search(_plain(text)):
            return "a number and its unit may go on two lines (a breaking space before the unit)"
        if label.wordWrap():
            longest = max((metrics.horizontalAdvance(word) for word in _plain(text).split()), default=0)
            if longest > rect.width() + SLACK_PX:
                return f"a word needs {longest} px, the label is {rect.width()} px wide"
        return None
    widest = max(metrics.horizontalAdvance(line) for line in _plain(text).splitlines())
    if widest > rect.width() + SLACK_PX and not _elided_on_purpose(text, label.toolTip()):
        return f"needs {widest} px, has {rect.width()}"
    lines = _plain(text).splitlines()
    # the glyphs' own height: a "?" has no descender, and a label may be as low as its ink
    ink = metrics.tightBoundingRect(" ".join(lines)).height() if len(lines) == 1 else len(lines) * metrics.lineSpacing()
    if ink > rect.height() + 2 * SLACK_PX:
        return f"needs {ink} px of height, has {rect.height()}"
    return None


def _button_problem(button: QtWidgets.QAbstractButton) -> str | None:
    text = _plain(button.text())
    if not text.strip():
        return None
    if isinstance(button, (QtWidgets.QCheckBox, QtWidgets.QRadioButton)):
        need = button.sizeHint().width()
    else:
        metrics = QtGui.QFontMetrics(button.font())
        icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
        need = metrics.horizontalAdvance(text) + icon + 6
    if button.width() + SLACK_PX < need:
        return f"needs {need} px, has {button.width()}"
    return None


def _tab_problems(bar: QtWidgets.QTabBar) -> list:
    found = []
    metrics = QtGui.QFontMetrics(bar.font())
    for i in range(bar.count()):
        text = _plain(bar.tabText(i))
        need = metrics.horizontalAdvance(text)
        if bar.tabRect(i).width() < need + 2:
            found.append(f"tab {text!r} needs {need} px, has {bar.tabRect(i).width()}")
    return found


def _table_problems(table: QtWidgets.QTableView) -> list:
    found = []
    model = table.model()
    if model is None:
        return found
    metrics = QtGui.QFontMetrics(table.font())
    for row in range(model.rowCount()):
        if table.isRowHidden(row):
            continue
        for col in range(model.columnCount()):
            if table.isColumnHidden(col):
                continue
            text = model.data(model.index(row, col), QtCore.Qt.DisplayRole)
            if text is None or not str(text).strip():
                continue
            need = metrics.horizontalAdvance(str(text)) + 4
            if table.columnWidth(col) < need:
                found.append(f"cell ({row}, {col}) {str(text)[:20]!r} needs {need} px, has {table.columnWidth(col)}")
    for header, orientation in ((table.horizontalHeader(), QtCore.Qt.Horizontal),):
        if header is None or not header.isVisible():
            continue
        hm = QtGui.QFontMetrics(header.font())
        for col in range(model.columnCount()):
            if table.isColumnHidden(col):
                continue
            text = model.headerData(col, orientation, QtCore.Qt.DisplayRole)
            if text is None:
                continue
            widest = max(hm.horizontalAdvance(line) for line in str(text).splitlines() or [""])
            if header.sectionSize(col) < widest + 4:
                found.append(f"header {str(text)[:20]!r} needs {widest + 4} px, has {header.sectionSize(col)}")
    return found


def _white_text_off_its_colour(view: pg.GraphicsView, item: pg.TextItem, rect: QtCore.QRectF) -> bool:
    """A white value written on a bar, wider than the bar and with no colour of its own behind it."""
    if item.textItem.defaultTextColor().lightnessF() < 0.9 or item.fill.style() != QtCore.Qt.NoBrush:
        return False
    inner = rect.adjusted(1, 1, -1, -1)
    bars = [b for b in view.scene().items() if isinstance(b, pg.BarGraphItem) and b.isVisible()]
    return not any(bar.mapToScene(bar.shape()).contains(inner) for bar in bars)


def _plot_title_problems(view: pg.GraphicsView) -> list:
    found = []
    texts = []
    shown = QtCore.QRectF(view.mapToScene(view.viewport().rect()).boundingRect())
    # What the screen shows of the view: a page that scrolls or a parent that clips hides its lower part.
    seen = view.viewport().visibleRegion().boundingRect()
    in_sight = QtCore.QRectF(view.mapToScene(seen).boundingRect()).adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX)
    for item in view.scene().items():
        if isinstance(item, pg.LabelItem) and item.isVisible() and item.text:
            need = item.item.mapRectToParent(item.item.boundingRect()).width()  # as drawn (a title may shrink)
            has = item.boundingRect().width()
            if has > 0 and need > has + SLACK_PX:
                found.append(f"plot title {_plain(item.text)[:30]!r} needs {need:.0f} px, has {has:.0f}")
            elif has > 0 and shown.contains(item.sceneBoundingRect()) and not in_sight.contains(
                item.sceneBoundingRect()
            ):
                found.append(f"plot title {_plain(item.text)[:30]!r} is out of sight (its page scrolls)")
        elif isinstance(item, pg.TextItem) and item.isVisible() and item.toPlainText().strip():
            margin = item.textItem.document().documentMargin()  # blank: only the glyphs count
            glyphs = item.textItem.boundingRect().adjusted(margin, margin, -margin, -margin)
            rect = item.textItem.mapRectToScene(glyphs)  # turned texts too
            texts.append((item.toPlainText(), rect))
            if _white_text_off_its_colour(view, item, rect):
                found.append(f"plot text {item.toPlainText()!r} is white past its bar's edge (cut)")
            if not shown.adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX).contains(rect):
                found.append(f"plot text {item.toPlainText()!r} lies outside its plot")
    for i, (text_a, a) in enumerate(texts):  # values written over each other (bars too narrow for them)
        for text_b, b in texts[i + 1 :]:
            overlap = a.intersected(b)
            if overlap.width() > 2 and overlap.height() > 2:
                found.append(f"plot texts {text_a!r} and {text_b!r} overlap")
    return found


def _status_problem(bar: QtWidgets.QStatusBar) -> str | None:
    if not hasattr(bar, "shown_message") or not bar.currentMessage():
        return None
    shown, rect = bar.shown_message(), bar.message_rect()
    if QtGui.QFontMetrics(bar.font()).horizontalAdvance(shown) > rect.width() + SLACK_PX:
        return f"the message {shown[:30]!r} is wider than its {rect.width()} px"
    if shown != bar.currentMessage() and not shown.endswith("…"):
        return f"the message {shown[:30]!r} is cut without an ellipsis"
    return None


def clipped_texts(window: QtWidgets.QWidget) -> list:
    """Every visible text of ``window`` that does not fit its rectangle, one line each."""
    found = []
    for widget in window.findChildren(QtWidgets.QWidget):
        # A scroll area's (a plot's, a table's) own region is empty: its viewport child covers all of it.
        seen = widget.viewport() if isinstance(widget, QtWidgets.QAbstractScrollArea) else widget
        if not widget.isVisible() or seen.visibleRegion().isEmpty() or widget.objectName().startswith("qt_"):
            continue
        if isinstance(widget, QtWidgets.QLabel):
            problem = _label_problem(widget)
            if problem:
                found.append(f"{_where(widget)} {widget.text()[:40]!r}: {problem}")
        elif isinstance(widget, QtWidgets.QAbstractButton):
            problem = _button_problem(widget)
            if problem:
                found.append(f"{_where(widget)} {widget.text()[:40]!r}: {problem}")
        elif isinstance(widget, QtWidgets.QTabBar):
            found += [f"{_where(widget)} {p}" for p in _tab_problems(widget)]
        elif isinstance(widget, QtWidgets.QTableView):
            found += [f"{_where(widget)} {p}" for p in _table_problems(widget)]
            # The whole matrix, never a row or column scrolled away; at the desk's zoom (zoomed on a 1024 px
            # screen, its 9 pt floor leaves it scrolling).
            if type(widget).__name__ == "ConfusionTable" and current_factor(widget) <= 1.0:
                bars = (widget.horizontalScrollBar(), widget.verticalScrollBar())
                if any(bar.isVisible() and bar.maximum() > 0 for bar in bars):
                    found.append(f"{_where(widget)} the confusion matrix scrolls")
        elif isinstance(widget, QtWidgets.QStatusBar):
            problem = _status_problem(widget)
            if problem:
                found.append(f"status bar: {problem}")
        elif isinstance(widget, pg.GraphicsView):
            found += [f"{_where(widget)} {p}" for p in _plot_title_problems(widget)]
    return found


def test_every_text_fits_at_every_screen_size_language_zoom_and_presenter_mode(shared_window, qtbot, screen_size):
    window = shared_window
    found = []
    # What a lecture shows: a drawn digit's probabilities, a run's message and its progress beside it.
    window.prediction.set_probabilities(np.array([0.02, 0.0, 0.05, 0.9, 0.0, 0.01, 0.0, 0.02, 0.0, 0.0]))
    window.statusBar().showMessage(
        "Training cnn on 60 000 images with dataset batching, batch size 64, adam lr 0.001 (a long message)"
    )
    window.speed_label.setText("epoch 1/1 · 5 000 images/s · 1:20 min left")
    window.speed_label.show()
    window.progress_bar.show()
    try:
        for width, height, language, steps, presenter in COMBINATIONS:
            window.set_language(language)
            screen_size(width, height)
            window.resize(width, height)
            window.zoom.reset()
            for _ in range(steps):
                window.zoom.zoom_in()
            if presenter:
                window.presenter_action.trigger()
            qtbot.wait(200)  # the panel area lays out again in the next turns of the event loop
            tabs = window.panels.tabs
            for index in range(max(tabs.count(), 1)):
                if tabs.count():
                    tabs.setCurrentIndex(index)
                qtbot.wait(60)
                where = f"{width}x{height} {language} zoom+{steps}{' presenter' if presenter else ''}"
                found += [f"[{where}] {line}" for line in clipped_texts(window)]
            if presenter:
                window.presenter_action.trigger()
    finally:
        window.set_language("en")
        window.statusBar().clearMessage()
        window.speed_label.setText("")
        window.speed_label.hide()
        window.progress_bar.hide()
    assert found == [], f"{len(found)} clipped texts:\n" + "\n".join(dict.fromkeys(found))


def test_a_long_status_message_ends_in_an_ellipsis_before_the_progress(shared_window, qtbot, screen_size):
    window = shared_window
    screen_size(1024, 768)
    window.resize(1024, 768)
    window.set_language("de")
    try:
        message = "Training cnn mit 60 000 Bildern, dataset-Stapeln, Stapelgröße 64, adam Lernrate 0,001"
        window.statusBar().showMessage(message)
        window.speed_label.setText("Epoche 1/1 · 5 000 Bilder/s · noch 1:20 min")
        window.speed_label.show()
        window.progress_bar.show()
        qtbot.wait(50)
        bar = window.statusBar()
        shown = bar.shown_message()
        assert shown.endswith("…") and shown[:-1] in message
        assert bar.message_rect().right() < window.speed_label.x() - 4  # a gap, not "BilderEpoche"
        window.grab()  # painted: the whole message is the tooltip
        assert bar.toolTip() == message
    finally:
        window.set_language("en")
        window.statusBar().clearMessage()
        window.speed_label.setText("")
        window.speed_label.hide()
        window.progress_bar.hide()


def test_the_checker_finds_a_clipped_label_a_cut_number_and_allows_a_deliberate_elision(qtbot):
    box = QtWidgets.QWidget()
    qtbot.addWidget(box)
    cut = QtWidgets.QLabel("a long sentence that cannot fit", box)
    cut.setGeometry(0, 0, 40, 30)
    number = QtWidgets.QLabel("99.8…", box)
    number.setToolTip("99.83 %")
    number.setGeometry(0, 40, 10, 30)
    elided = QtWidgets.QLabel("a long sentence…", box)
    elided.setToolTip("a long sentence that was elided")
    elided.setGeometry(0, 80, 400, 30)
    box.resize(500, 200)
    box.show()
    problems = clipped_texts(box)
    assert len(problems) == 2 and "a long sentence that" in problems[0] and "99.8" in problems[1]


def test_the_feature_maps_dense_row_is_in_sight_and_its_titles_whole_at_1024x768_german(
    shared_window, qtbot, screen_size
):
    """The chooser's column made the page scroll: the dense layers' row went below the screen, and the
    fc1 title, cut at both ends, read ": 84 Neuronen (Re"."""
    window = shared_window
    screen_size(1024, 768)
    window.resize(1024, 768)
    window.set_language("de")
    try:
        window.panels.show_panel("Feature maps")
        maps = window.featuremaps
        qtbot.waitUntil(lambda: bool(maps.bar_sections))
        qtbot.wait(200)
        view = maps.maps_graphics
        seen = view.viewport().visibleRegion().boundingRect().adjusted(-1, -1, 1, 1)
        for section in maps.bar_sections:
            for item in (section.title, section.plot):
                where = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
                assert seen.contains(where), f"{section.name} at {where} out of sight {seen}"
            text = section.title.item
            drawn = text.document().idealWidth() * text.scale()  # wrapped, the lines' width
            assert drawn <= section.title.boundingRect().width() + 1, f"{section.name}'s title is cut"
            height = text.mapRectToParent(text.boundingRect()).height()
            assert height <= section.title.boundingRect().height() + 1, f"{section.name}'s title is cut below"
    finally:
        window.set_language("en")
