"""One panel alone in the window and back: by a double-click on its tab's title, or Shift+F11 and Esc.

The tests share one window (shared_window). The round trip must leave every visible widget's font
and geometry, and the window's, as they were (the zoom tests' measure).
"""

from __future__ import annotations

from PyQt5 import QtCore, QtGui
from PyQt5.QtTest import QTest

from tests.gui.test_zoom import fonts_and_sizes, settle, steady_picture
from tests.gui.windows import LOAD_MS


def steady_sizes(window, qtbot) -> dict:
    """fonts_and_sizes once they stop changing: pages fit themselves in later turns of the event loop,
    and a panel shown again may ask for its view (the saliency map) and show it a moment later."""
    views = window.explain_views  # a saliency map asked for when its panel is shown: its answer first
    qtbot.waitUntil(lambda: views._saliency_shown >= views._saliency_newest, timeout=LOAD_MS)
    steady_picture(window, qtbot)
    found, same = fonts_and_sizes(window), 0
    for _ in range(100):
        qtbot.wait(50)
        again = fonts_and_sizes(window)
        same = same + 1 if again == found else 0
        if same >= 4:
            break
        found = again
    return found


def changes(before: dict, after: dict) -> dict:
    """What differs, by the end of each widget's path."""
    return {k[-80:]: (before.get(k), after.get(k)) for k in {*before, *after} if before.get(k) != after.get(k)}


def _alone(window, title: str) -> None:
    """``title``'s panel is the only one shown, with no settings, no pad and no tab bar over it."""
    panels = window.panels
    page = panels._pages[title]
    assert panels.full_panel() == title
    assert page.isVisible() and not panels.controls_scroll.isVisible()
    assert not window.drawpad.isVisible() and not window.prediction.isVisible()
    others = [t for t, p in panels._pages.items() if t != title and p.isVisible() and not p.visibleRegion().isEmpty()]
    assert others == []
    assert not panels.tabs.tabBar().isVisible()
    # The page has (nearly) all of the panel area: only margins around it.
    assert page.width() >= panels.width() - 12 and page.height() >= panels.height() - 12, (title, page.size())


def test_every_panel_goes_alone_and_back_to_the_same_geometry_and_fonts(shared_window, qtbot):
    window = shared_window
    panels = window.panels
    window.resize(1024, 768)
    panels.set_mode("tabs")
    try:
        for title in panels.panel_titles():
            panels.show_panel(title)
            settle(qtbot)
            before = steady_sizes(window, qtbot)
            assert panels.show_full_panel(title)
            settle(qtbot)
            _alone(window, title)
            assert panels.leave_full_panel()
            settle(qtbot)
            after = steady_sizes(window, qtbot)
            assert changes(before, after) == {}, title
            assert panels.full_panel() is None and not panels.leave_full_panel()
    finally:
        panels.set_mode("auto")


def test_the_grid_shows_one_of_its_panels_alone_and_back(shared_window, qtbot):
    window = shared_window
    panels = window.panels
    panels.set_mode("grid")
    try:
        settle(qtbot)
        before = steady_sizes(window, qtbot)
        assert panels.show_full_panel("Filters")
        settle(qtbot)
        assert panels.full_panel() == "Filters"
        assert not panels._pages["Loss"].isVisible() and not panels._pages["Feature maps"].isVisible()
        assert not window.drawpad.isVisible()
        panels.leave_full_panel()
        settle(qtbot)
        after = steady_sizes(window, qtbot)
        assert changes(before, after) == {}
    finally:
        panels.set_mode("auto")


def test_a_double_click_on_a_tab_title_shows_its_panel_alone_and_another_puts_it_back(shared_window, qtbot):
    window = shared_window
    panels = window.panels
    panels.set_mode("tabs")
    try:
        panels.show_panel("Feature maps")  # in front in its place (the second-level tab in front goes alone)
        bar = panels.tabs.tabBar()
        index = next(i for i in range(panels.tabs.count()) if panels.tabs.tabText(i) == "Feature maps")
        QTest.mouseDClick(bar, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, bar.tabRect(index).center())
        settle(qtbot)
        _alone(window, "Feature maps")
        # The tab bar is hidden now: the key, or the View menu, brings everything back.
        window.activateWindow()
        QTest.keyClick(window, QtCore.Qt.Key_Escape)
        settle(qtbot)
        assert panels.full_panel() is None and bar.isVisible() and window.drawpad.isVisible()
        # Shift+F11 shows the panel with the focus (none under the mouse), Shift+F11 again puts it back.
        panels.show_panel("Loss")
        window.loss.setFocus()
        QtGui.QCursor.setPos(window.mapToGlobal(QtCore.QPoint(-50, -50)))  # off the window
        QTest.keyClick(window, QtCore.Qt.Key_F11, QtCore.Qt.ShiftModifier)
        settle(qtbot)
        assert panels.full_panel() == "Loss"
        QTest.keyClick(window, QtCore.Qt.Key_F11, QtCore.Qt.ShiftModifier)
        settle(qtbot)
        assert panels.full_panel() is None and panels.controls_scroll.isVisible()
    finally:
        panels.leave_full_panel()
        panels.set_mode("auto")


def test_zoom_while_a_panel_is_alone_keeps_the_settings_hidden_and_ctrl_0_then_esc_round_trips(shared_window, qtbot):
    window = shared_window
    panels = window.panels
    panels.set_mode("tabs")
    try:
        before = steady_sizes(window, qtbot)
        panels.show_full_panel("Loss")
        window.presenter_action.trigger()
        settle(qtbot)
        assert panels.full_panel() == "Loss" and not panels.controls_scroll.isVisible()
        window.presenter_action.trigger()
        settle(qtbot)
        assert not panels.controls_scroll.isVisible()  # still alone
        panels.leave_full_panel()
        settle(qtbot)
        after = steady_sizes(window, qtbot)
        assert changes(before, after) == {}
    finally:
        panels.leave_full_panel()
        panels.set_mode("auto")
