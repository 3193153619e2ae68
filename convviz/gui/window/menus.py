"""The window's menus: View (presenter mode, zoom, full screen) and Language."""

from __future__ import annotations

from functools import partial

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import i18n
from convviz.gui.common.i18n import translate


def build_menus(window) -> None:
    """Add the View and Language menus to ``window`` (a MainWindow with a ``zoom``).

    Sets ``window.presenter_action`` and ``window.language_actions``; each menu text is kept in
    ``window._translated`` so that a language change writes it again.
    """
    view = window.menuBar().addMenu("")
    window._translated.append((view.menuAction().setText, translate("MainWindow", "&View")))

    def action(text: str, keys, slot, checkable: bool = False) -> QtWidgets.QAction:
        item = view.addAction(text)
        window._translated.append((item.setText, text))
        item.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        item.setShortcutContext(QtCore.Qt.WindowShortcut)
        item.setCheckable(checkable)
        (item.toggled if checkable else item.triggered).connect(slot)
        return item

    presenter = translate("MainWindow", "Presenter mode (large type)")
    window.presenter_action = action(presenter, ["F5"], window.zoom.set_presenter, True)
    view.addSeparator()
    action(translate("MainWindow", "Zoom in"), [QtGui.QKeySequence.ZoomIn, "Ctrl+="], lambda: window.zoom.zoom_in())
    action(translate("MainWindow", "Zoom out"), [QtGui.QKeySequence.ZoomOut], lambda: window.zoom.zoom_out())
    action(translate("MainWindow", "Actual size"), ["Ctrl+0"], window._on_zoom_reset)
    view.addSeparator()
    action(translate("MainWindow", "Full screen"), ["F11"], lambda: window._on_full_screen_toggled())

    # Each language by its own name; the choice applies at once, to every text of the window.
    language = window.menuBar().addMenu("")
    window._translated.append((language.menuAction().setText, translate("MainWindow", "&Language")))
    group = QtWidgets.QActionGroup(window)
    window.language_actions = {}
    for code, name in i18n.LANGUAGES.items():
        item = language.addAction(name)
        item.setCheckable(True)
        group.addAction(item)
        item.triggered.connect(partial(window.set_language, code))
        window.language_actions[code] = item
