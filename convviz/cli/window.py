"""``gui``: open the window; the only command module that imports the GUI, and only when it runs."""

from __future__ import annotations

import os
import sys

from convviz.cli.common import UsageError


def cmd_gui(args, listener=None) -> int:
    """Open the window (``listener``: a started bridge Listener whose streams it shows, for ``listen``)."""
    headless = sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    )
    if headless:  # Qt would abort with a page about platform plugins
        raise UsageError(
            "no display to open the window on: run it in a desktop session (or under xvfb-run), "
            "or use the command line: python main.py --help"
        )
    try:
        from convviz.gui.window.launch import main as gui_main
    except ImportError as exc:
        raise UsageError(f"the app needs PyQt5 and pyqtgraph ({exc}); run `pip install -r requirements.txt`") from None
    return gui_main([], listener=listener) if listener is not None else gui_main([])
