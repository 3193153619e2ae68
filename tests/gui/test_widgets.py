"""The small widgets of gui/common/widgets.py."""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.widgets import RunningLine


class Requests(QtCore.QObject):
    """Counts the LayoutRequest events a widget receives."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QtCore.QEvent.LayoutRequest:
            self.count += 1
        return False


def test_a_running_line_grows_but_never_lays_its_neighbours_out_for_a_narrower_text(qtbot):
    """A run's speed line changes 4 times a second: a QLabel laid the status bar out (and repainted all of
    it) each time; the running line does only when it must grow, and it shows and reports its text."""
    bar = QtWidgets.QWidget()
    qtbot.addWidget(bar)
    layout = QtWidgets.QHBoxLayout(bar)
    line = RunningLine()
    line.setFont(theme.font(theme.FONT_PT, bold=True))
    neighbour = QtWidgets.QProgressBar()
    layout.addWidget(line)
    layout.addWidget(neighbour)
    bar.show()
    requests = Requests()
    bar.installEventFilter(requests)
    wide, narrow = "epoch 1/1 · 12,345 images/s · 8 min 20 s left", "epoch 1/1 · 111 images/s · 1 s left"
    line.setText(wide)
    qtbot.waitUntil(lambda: line.width() >= line.fontMetrics().horizontalAdvance(wide))
    assert isinstance(line, QtWidgets.QLabel) and line.text() == wide
    x, grown = neighbour.x(), requests.count
    assert grown >= 1
    for _ in range(5):
        line.setText(narrow)
        line.setText(wide)
    QtWidgets.QApplication.processEvents()
    assert requests.count == grown and neighbour.x() == x  # no layout, the bar beside it stays put
    assert line.text() == wide and line.sizeHint().width() >= line.fontMetrics().horizontalAdvance(wide)
    line.setText("")
    QtWidgets.QApplication.processEvents()
    assert line.text() == "" and line.sizeHint().width() == 0  # the run ended: no empty gap
    line.setText(narrow)
    assert line.sizeHint().width() < line.fontMetrics().horizontalAdvance(wide)
