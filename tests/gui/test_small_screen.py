"""What a lecturer needs stays in sight without scrolling, at 1024x768 in German and in presenter mode.

The text-fits walk (test_text_fits.py) checks that each text fits its own rectangle; a widget
scrolled out of its page, or a matrix left small beside an ever-wider gallery, passes it. These
tests look at the widgets a lecturer uses most, in the window's real layout (shared_window).
"""

from __future__ import annotations

from PyQt5 import QtCore, QtGui

from tests.gui.test_zoom import fake_screen, settle, steady_picture


def fully_in_sight(widget) -> bool:
    """The whole widget can be seen: shown, and not clipped by a scroll area's viewport or the window."""
    if not widget.isVisible():
        return False
    seen = widget.visibleRegion().boundingRect()
    window = widget.window()
    top_left = widget.mapTo(window, QtCore.QPoint(0, 0))
    inside_window = window.rect().contains(QtCore.QRect(top_left, widget.size()))
    return seen.contains(widget.rect()) and inside_window


def at_1024_in_german(window, qtbot, monkeypatch) -> None:
    fake_screen(monkeypatch)(1024, 768)
    window.set_language("de")
    window.resize(1024, 768)
    window.panels.set_mode("auto")
    settle(qtbot)


def test_the_run_controls_are_in_sight_without_scrolling_at_1024x768(shared_window, qtbot, monkeypatch):
    window = shared_window
    try:
        at_1024_in_german(window, qtbot, monkeypatch)
        c = window.controls
        buttons = (c.start_button, c.pause_button, c.stop_button, c.step_button)
        # The column scrolls at 1024x768 on a real screen (Xvfb's fonts); offscreen fonts are smaller,
        # so the window is made lower until it scrolls here too.
        bar = window.panels.controls_scroll.verticalScrollBar()
        for height in (768, 700, 640, 600, 560):
            window.resize(1024, height)
            settle(qtbot)
            if bar.maximum() > 0:
                break
        assert bar.maximum() > 0
        steady_picture(window, qtbot)
        for value in (0, bar.maximum() // 2, bar.maximum()):  # the column at its top, half-way, at its bottom
            bar.setValue(value)
            settle(qtbot)
            hidden = [type(w).__name__ for w in (*buttons, c.speed_combo) if not fully_in_sight(w)]
            assert hidden == [], value
    finally:
        window.set_language("en")


def test_the_feature_maps_answer_is_in_sight_without_scrolling_at_1024x768(shared_window, qtbot, monkeypatch):
    window = shared_window
    try:
        at_1024_in_german(window, qtbot, monkeypatch)
        window.show_panel("Feature maps")
        window.featuremaps.set_index(18)
        steady_picture(window, qtbot)
        page = window.panels._pages["Feature maps"]
        page.verticalScrollBar().setValue(0)
        settle(qtbot)
        answer = window.featuremaps._prediction
        assert answer.text()  # the network's answer is shown
        assert fully_in_sight(answer) and fully_in_sight(window.featuremaps._says)
    finally:
        window.set_language("en")


def test_the_race_panel_s_save_buttons_are_not_elided_at_1024x768(shared_window, qtbot, monkeypatch):
    window = shared_window
    try:
        at_1024_in_german(window, qtbot, monkeypatch)
        window.show_panel("Race")
        steady_picture(window, qtbot)
        buttons = window.race.view.save_buttons
        assert len(buttons) == 2
        for button in buttons:
            assert button.isVisible() and button.text() == "Bild speichern…"
            needed = QtGui.QFontMetrics(button.font()).horizontalAdvance(button.text())
            assert button.width() >= needed + 8, (button.width(), needed)  # the menu arrow and the margins
            assert button.width() >= button.sizeHint().width()
            assert fully_in_sight(button)  # not pushed out of the page either
    finally:
        window.set_language("en")


def test_the_confusion_matrix_grows_in_presenter_mode_and_its_accuracies_fit(shared_window, qtbot, monkeypatch):
    window = shared_window
    fake_screen(monkeypatch)(1920, 1080)
    window.resize(1920, 1080)
    window.show_panel("Evaluation")
    settle(qtbot)
    table = window.evaluation.table
    desk = table.font().pointSizeF()
    window.presenter_action.trigger()
    steady_picture(window, qtbot)
    factor = window.zoom.factor
    assert factor > 1
    # At least the desk's matrix zoomed (not a smaller step), and a third of the panel's width.
    assert table.font().pointSizeF() >= desk * factor - 0.01
    assert table.width() >= window.evaluation.splitter.width() // 3
    metrics = QtGui.QFontMetrics(table.font())
    header = table.horizontalHeader()
    assert header.sectionSize(10) >= metrics.horizontalAdvance("100.0 %")  # the accuracy column: no "94.1…"
    assert header.sectionSize(0) >= metrics.horizontalAdvance("1135")
    window.presenter_action.trigger()
    steady_picture(window, qtbot)
    assert table.font().pointSizeF() == desk


def test_zoomed_in_at_1024x768_the_probability_chart_keeps_its_bars_and_zooming_back_returns(
    shared_window, qtbot, monkeypatch
):
    """Ctrl++ twice on a 1024x768 projector: the strip under the panels is narrower than all it holds, and
    the chart had been squeezed to its axis (8 px for ten bars). Now the chart keeps its bars and numbers,
    and zooming back out gives the same strip as before."""
    from convviz.constants import NUM_CLASSES
    from convviz.gui.panels.prediction import BAR_MIN_PX
    from tests.gui.test_featuremaps import tick_text_rects

    window = shared_window
    prediction = window.prediction

    def strip() -> dict:
        parts = (prediction.input_graphics, prediction.plot_widget, prediction._digit, prediction._confidence)
        return {i: (w.isVisible(), w.geometry()) for i, w in enumerate(parts)}

    try:
        at_1024_in_german(window, qtbot, monkeypatch)
        window.show_panel("Evaluation")
        steady_picture(window, qtbot)
        before, level = strip(), prediction.strip_level()
        for _ in range(2):
            window.zoom.zoom_in()
            settle(qtbot)
        steady_picture(window, qtbot)
        view = prediction.plot.getViewBox()
        assert view.width() >= NUM_CLASSES * BAR_MIN_PX * window.zoom.factor, prediction.strip_level()
        numbers = tick_text_rects(prediction.plot.getAxis("left"))
        assert len(numbers) >= 3  # 0.2 ... 0.8 at least
        assert view.height() >= sum(r.height() for r in numbers)  # the chart as high as its numbers
        for i, a in enumerate(numbers):
            for b in numbers[i + 1 :]:
                assert a.intersected(b).height() < 1
        for _ in range(2):
            window.zoom.zoom_out()
            settle(qtbot)
        steady_picture(window, qtbot)
        assert (prediction.strip_level(), strip()) == (level, before)
    finally:
        window.zoom.reset()
        window.set_language("en")
