"""The window's menus: View (presenter mode, zoom, full screen), Language, and Help (the shortcuts' cheat-sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import i18n
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, marked, translate


@dataclass(frozen=True)
class Menus:
    """What the window keeps of its menus: the presenter toggle and an action per language."""

    presenter_action: QtWidgets.QAction
    language_actions: dict  # language code -> its checkable QAction


def build_menus(window) -> Menus:
    """Add the View and Language menus to ``window`` (a MainWindow) and return what it keeps of them.

    Uses the window's public face only: ``menuBar()``, ``zoom``, ``reset_zoom``, ``toggle_full_screen``,
    ``toggle_full_panel``, ``set_language``, and ``retranslated`` (each menu text registered there is
    written again when the language changes).
    """
    view = window.menuBar().addMenu("")
    window.retranslated(view.menuAction().setText, translate("MainWindow", "&View"))

    def action(text: str, keys, slot, checkable: bool = False) -> QtWidgets.QAction:
        item = view.addAction(text)
        window.retranslated(item.setText, text)
        item.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        item.setShortcutContext(QtCore.Qt.WindowShortcut)
        item.setCheckable(checkable)
        (item.toggled if checkable else item.triggered).connect(slot)
        return item

    presenter = translate("MainWindow", "Presenter mode (large type)")
    presenter_action = action(presenter, ["F5"], window.zoom.set_presenter, True)
    view.addSeparator()
    action(translate("MainWindow", "Zoom in"), [QtGui.QKeySequence.ZoomIn, "Ctrl+="], lambda: window.zoom.zoom_in())
    action(translate("MainWindow", "Zoom out"), [QtGui.QKeySequence.ZoomOut], lambda: window.zoom.zoom_out())
    action(translate("MainWindow", "Actual size"), ["Ctrl+0"], lambda: window.reset_zoom())
    view.addSeparator()
    action(translate("MainWindow", "Full screen"), ["F11"], lambda: window.toggle_full_screen())
    panel_alone = translate("MainWindow", "Panel alone (the one under the mouse; Esc: back)")
    action(panel_alone, ["Shift+F11"], lambda: window.toggle_full_panel())

    # Each language by its own name; the choice applies at once, to every text of the window.
    language = window.menuBar().addMenu("")
    window.retranslated(language.menuAction().setText, translate("MainWindow", "&Language"))
    group = QtWidgets.QActionGroup(window)
    language_actions = {}
    for code, name in i18n.LANGUAGES.items():
        item = language.addAction(name)
        item.setCheckable(True)
        group.addAction(item)
        item.triggered.connect(partial(window.set_language, code))
        language_actions[code] = item
    return Menus(presenter_action, language_actions)


# The cheat-sheet: (keys as Qt writes them, or BUTTON / MOUSE for a click; what it does). The keys are
# shown in the language's words through Qt's own catalogue (Strg, Leertaste).
BUTTON, MOUSE = QT_TRANSLATE_NOOP("Help", "button"), QT_TRANSLATE_NOOP("Help", "mouse")
SHORTCUTS = (
    ("Space", QT_TRANSLATE_NOOP("Help", "Pause or resume the training (anywhere but a text field)")),
    (BUTTON, QT_TRANSLATE_NOOP("Help", "Step: train one batch while paused, then pause again")),
    ("F5", QT_TRANSLATE_NOOP("Help", "Presenter mode: large type for the lecture hall, on and off")),
    ("Ctrl++", QT_TRANSLATE_NOOP("Help", "Zoom in")),
    ("Ctrl+-", QT_TRANSLATE_NOOP("Help", "Zoom out")),
    ("Ctrl+0", QT_TRANSLATE_NOOP("Help", "Actual size: zoom and presenter mode off")),
    ("F11", QT_TRANSLATE_NOOP("Help", "Full screen, on and off")),
    ("Shift+F11", QT_TRANSLATE_NOOP("Help", "One panel alone in the window (the one under the mouse); Esc: back")),
    (MOUSE, QT_TRANSLATE_NOOP("Help", "Double-click on a tab's title: that panel alone, and back")),
    (MOUSE, QT_TRANSLATE_NOOP("Help", "Right-click on the drawing pad: clear it")),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("Help", "On the drawing pad: take back the last stroke")),
    (MOUSE, QT_TRANSLATE_NOOP("Help", "Right-click on a plot: save it as PNG or SVG for slides")),
    ("Ctrl+Shift+C", QT_TRANSLATE_NOOP("Help", "Copy the whole window to the clipboard")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("Help", "Quit")),
)


def key_text(keys: str) -> str:
    """``keys`` as the user's keyboard labels them, in the current language (Ctrl+0 or Strg+0)."""
    return QtGui.QKeySequence(keys).toString(QtGui.QKeySequence.NativeText)


class CheatSheet(Retranslated, QtWidgets.QDialog):
    """Help ▸ Keyboard shortcuts: every key and click a lecturer uses, in one table."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(len(SHORTCUTS), 2)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.table.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Help", "Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([translate("Help", "Key"), translate("Help", "What it does")])
        for row, (keys, words) in enumerate(SHORTCUTS):
            click = keys in (BUTTON, MOUSE)
            key = QtWidgets.QTableWidgetItem(marked("Help", keys) if click else key_text(keys))
            key.setFont(QtGui.QFont(key.font().family(), key.font().pointSize(), QtGui.QFont.Bold))
            self.table.setItem(row, 0, key)
            self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(marked("Help", words)))
        self.table.resizeColumnToContents(0)
        self.table.resizeRowsToContents()
        width = sum(self.table.columnWidth(c) for c in range(2)) + self.table.horizontalHeader().length() // 4
        height = self.table.horizontalHeader().height() + sum(self.table.rowHeight(r) for r in range(len(SHORTCUTS)))
        screen = self.screen().availableGeometry() if self.screen() is not None else QtCore.QRect(0, 0, 1024, 768)
        self.resize(min(max(width, 560), screen.width() - 40), min(height + 90, screen.height() - 40))

    def texts(self) -> list:
        """(key, what it does) of every row, as shown."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]


def build_help_menu(window) -> QtWidgets.QMenu:
    """The Help menu, last in the menu bar: the cheat-sheet of the shortcuts (F1)."""
    menu = window.menuBar().addMenu("")
    window.retranslated(menu.menuAction().setText, translate("MainWindow", "&Help"))
    item = menu.addAction("")
    window.retranslated(item.setText, translate("MainWindow", "&Keyboard shortcuts…"))
    item.setShortcut(QtGui.QKeySequence.HelpContents)
    item.setShortcutContext(QtCore.Qt.WindowShortcut)

    def show() -> CheatSheet:
        sheet = getattr(window, "cheat_sheet", None)
        if sheet is None:
            sheet = window.cheat_sheet = CheatSheet(window)
        sheet.show()
        sheet.raise_()
        return sheet

    item.triggered.connect(show)
    window.show_cheat_sheet = show
    return menu
