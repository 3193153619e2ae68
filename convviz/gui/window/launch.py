"""``python main.py``: the application object, the window, and a clean exit on Ctrl+C."""

from __future__ import annotations

import logging
import os
import signal
import sys

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common import i18n, theme
from convviz.gui.common.i18n import translate
from convviz.gui.window.app import MainWindow

log = logging.getLogger(__name__)

SIGNAL_POLL_MS = 250  # how often Python gets a chance to see Ctrl+C


def keep_every_mouse_move() -> None:
    """Deliver every mouse move, however late, instead of only the newest.

    Qt on X11 merges the moves queued while the GUI thread is busy (the default
    of ``AA_CompressHighFrequencyEvents``, set when the QApplication is made, so
    this comes after it). While TensorFlow loads in the background, its C code
    holds the interpreter for up to half a second at a time; merged moves then
    become straight lines across a stroke (the corner of a 7 was lost in 2 of 6
    strokes, and half the moves never arrived: bench/gui_responsiveness.py, on
    Xvfb). Kept, they arrive late but whole. A move costs the pad 0.01 ms, a
    plot under the pointer at most 0.2 ms.
    """
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_CompressHighFrequencyEvents, False)


def main(argv: list | None = None, listener=None) -> int:
    """Open the window and run the event loop; the exit status of the application.

    ``listener``: a started convviz.bridge Listener (``python main.py listen``): the window shows its streams.
    """
    argv = list(argv or [])
    app = QtWidgets.QApplication.instance()
    if app is None:
        # Sharp text on high-DPI laptops and projectors.
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_UseHighDpiPixmaps, True)
        app = QtWidgets.QApplication([sys.argv[0], *argv])
    keep_every_mouse_move()
    app.setApplicationName("ConvViz")
    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())  # the system's language, or $CONVVIZ_LANG; the menu switches it
    window = MainWindow()
    if listener is not None:
        from convviz.gui.window.bridge import StreamShow

        window.bridge = StreamShow(window, listener)

    # A bug in a slot must not end the lecture: PyQt5 aborts on an unhandled exception unless a hook
    # takes it. Log it with its traceback, say so in the window, and carry on.
    def on_bug(kind, value, tb) -> None:
        log.error("a bug in ConvViz", exc_info=(kind, value, tb))
        bug = translate("Launch", "Internal error ({error}); the details are in the terminal")
        window.show_error(bug.format(error=f"{kind.__name__}: {value}"))

    sys.excepthook = on_bug
    window.showMaximized()  # a lecture wants the whole screen; F11 goes full screen
    # Ctrl+C in the terminal closes the window cleanly. Python runs its signal handlers only
    # between bytecodes, so a timer wakes the interpreter now and then while Qt waits for events.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QtCore.QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)
    code = app.exec_()
    wake.stop()
    if not window.shutdown():  # closed already; a thread that outlived the wait would crash the exit
        sys.stderr.flush()
        os._exit(code)
    return code
