"""Opening the main window in a test, drawing on its pad, giving it a small slice of MNIST."""

from __future__ import annotations

import dataclasses

from PyQt5 import QtCore, QtGui, QtWidgets
from PyQt5.QtTest import QTest

from convviz.gui.window.app import MainWindow
from tests.conftest import mnist_dir
from tests.gui.strokes import THREE_STROKE

LOAD_MS = 90_000  # the first window of the session imports TensorFlow in the background
RUN_MS = 120_000


def drag_to(canvas, pos) -> None:
    # As in test_drawpad: QTest.mouseMove carries no button state in Qt 5, so send the move itself.
    event = QtGui.QMouseEvent(
        QtCore.QEvent.MouseMove, QtCore.QPointF(pos), QtCore.Qt.NoButton, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier
    )
    QtWidgets.QApplication.sendEvent(canvas, event)


def draw(window: MainWindow, points=THREE_STROKE) -> None:
    canvas = window.drawpad.canvas
    QTest.mousePress(canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, canvas.to_widget(*points[0]))
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        for t in (0.25, 0.5, 0.75, 1.0):
            drag_to(canvas, canvas.to_widget(x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
    QTest.mouseRelease(canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, canvas.to_widget(*points[-1]))


def open_window(qtbot, arch: str = "lenet5", wait: bool = True, **kwargs) -> MainWindow:
    """A main window of ``arch`` at 1280x800, shown; with ``wait``, once its model and data have loaded."""
    kwargs.setdefault("data_dir", str(mnist_dir()))
    window = MainWindow(arch=arch, **kwargs)
    window.resize(1280, 800)
    if wait:
        with qtbot.waitSignals([window.model_changed, window.data_changed], timeout=LOAD_MS):
            window.show()
    else:
        window.show()
    qtbot.waitExposed(window)
    return window


def open_windows(qtbot):
    """The make_window fixture's body: yields a function that opens windows, closes them all afterwards."""
    windows = []

    def make(arch: str = "lenet5", wait: bool = True, **kwargs) -> MainWindow:
        window = open_window(qtbot, arch, wait, **kwargs)
        windows.append(window)
        return window

    yield make
    for window in windows:
        close_window(window)


def close_window(window: MainWindow) -> None:
    """Close ``window``: closing waits for its threads, so none may be left running."""
    window.close()
    assert window.running_threads() == []


class SharedWindow:
    """A LeNet-5 window opened outside any one test (a module's tests share it), and the threads it keeps.

    Open, the window keeps a worker waiting for requests (the evaluation's); those
    threads, running once it has loaded, are its idle state. Closed by :meth:`close`.
    """

    def __init__(self, arch: str = "lenet5"):
        self.window = MainWindow(arch=arch, data_dir=str(mnist_dir()))
        self.window.resize(1280, 800)
        loaded: set = set()
        self.window.model_changed.connect(lambda *_: loaded.add("model"))
        self.window.data_changed.connect(lambda *_: loaded.add("data"))
        self.window.show()
        self._wait_until(lambda: loaded == {"model", "data"}, LOAD_MS, "the model and the data to load")
        assert QTest.qWaitForWindowExposed(self.window)
        QTest.qWait(100)  # the load jobs' threads end just after their results
        self.idle_threads = set(self.window.running_threads())

    @staticmethod
    def _wait_until(done, timeout_ms: int, what: str) -> None:
        timer = QtCore.QElapsedTimer()
        timer.start()
        while not done():
            if timer.elapsed() > timeout_ms:
                raise TimeoutError(f"waited {timeout_ms} ms for {what}")
            QTest.qWait(10)

    def settle(self, qtbot) -> None:
        """After a test: no thread running but the idle ones (a closed window's check), zoom 1, 1280x800."""
        window = self.window
        qtbot.waitUntil(lambda: set(window.running_threads()) <= self.idle_threads, timeout=RUN_MS)
        if window.zoom.presenter:
            window.presenter_action.trigger()
        window.zoom.reset()
        window.resize(1280, 800)

    def close(self) -> None:
        close_window(self.window)


def use_small_data(window: MainWindow, mnist, train: int = 2000, test: int = 1000) -> None:
    window.set_data(
        dataclasses.replace(
            mnist,
            train_images=mnist.train_images[:train],
            train_labels=mnist.train_labels[:train],
            test_images=mnist.test_images[:test],
            test_labels=mnist.test_labels[:test],
        )
    )
