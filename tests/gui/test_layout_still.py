"""The layout keeps still: Start does not scroll the settings column, and the focus ring follows its
widget through scrolling and is drawn only where the widget shows (never over the status bar)."""

from __future__ import annotations

from PyQt5 import QtCore

from tests.gui.windows import RUN_MS, use_small_data


def window_rect(widget, window) -> QtCore.QRect:
    return QtCore.QRect(widget.mapTo(window, QtCore.QPoint(0, 0)), widget.size())


def test_start_and_the_run_s_end_leave_the_settings_column_where_it_was(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    window.resize(1024, 560)  # the column scrolls
    use_small_data(window, mnist, train=1280, test=200)
    scroll = window.panels._controls_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0 and scroll.isVisible(), timeout=5000)
    scroll.setValue(scroll.maximum() // 2)
    start = window.controls.start_button
    start.setFocus(QtCore.Qt.TabFocusReason)
    where = window_rect(window.controls, window)
    with qtbot.waitSignal(window.training_started, timeout=RUN_MS):
        qtbot.mouseClick(start, QtCore.Qt.LeftButton)
    QtCore.QCoreApplication.processEvents()
    assert (scroll.value(), window_rect(window.controls, window)) == (scroll.maximum() // 2, where)
    assert window.controls.pause_button.hasFocus()  # the focus moved beside Start, not down the column
    qtbot.waitUntil(lambda: not window.is_training(), timeout=RUN_MS)  # the run ends: Start comes back
    QtCore.QCoreApplication.processEvents()
    assert (scroll.value(), window_rect(window.controls, window)) == (scroll.maximum() // 2, where)
    assert start.hasFocus()


def test_the_focus_ring_follows_its_widget_through_scrolling(shared_window, qtbot):
    window = shared_window
    window.resize(1024, 560)
    scroll_area = window.panels._controls_scroll
    bar = scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    window.activateWindow()
    target = window.controls.limit_spin  # low in the column
    bar.setValue(bar.maximum())
    target.setFocus(QtCore.Qt.TabFocusReason)
    ring = window.zoom.focus_ring
    qtbot.waitUntil(lambda: ring.target() is target, timeout=5000)
    viewport = window_rect(scroll_area.viewport(), window)
    status = window_rect(window.statusBar(), window)
    seen = []
    for value in [*range(bar.maximum(), 0, -max(1, bar.maximum() // 8)), 0]:  # down to the top, whatever the step
        bar.setValue(value)  # the column moves; the spin box itself gets no Move event
        QtCore.QCoreApplication.processEvents()
        shown = window_rect(target, window).intersected(viewport)
        if shown.isEmpty():
            assert not ring.isVisible(), value  # scrolled out of sight: no ring
            continue
        seen.append(value)
        assert ring.isVisible() and viewport.contains(ring.geometry()), value
        assert not ring.geometry().intersects(status), value
        assert ring.geometry().contains(shown), value  # around the part that shows
        assert ring.geometry().height() <= shown.height() + 2 * (ring.width_px + 1), value
    assert seen and bar.value() == 0
    window.resize(1280, 800)
