"""The window's menus: View (presenter mode, zoom, full screen) and Language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import i18n
from convviz.gui.common.i18n import translate


@dataclass(frozen=True)
class Menus:
    """What the window keeps of its menus: the presenter toggle and an action per language."""

    presenter_action: QtWidgets.QAction
    language_actions: dict  # language code -> its checkable QAction


def build_menus(window) -> Menus:
    """Add the View and Language menus to ``window`` (a MainWindow) and return what it keeps of them.

    Uses the window's public face only: ``menuBar()``, ``zoom``, ``reset_zoom``, ``toggle_full_screen``,
    ``set_language``, and ``retranslated`` (each menu text registered there is written again when the
    language changes).
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
