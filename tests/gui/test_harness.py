"""The test harness itself: the dangling-QThread guard sees threads; convviz.gui imports no Qt by itself.

(tests/test_layering.py checks that the panels load no TensorFlow.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PyQt5 import QtCore

REPO = Path(__file__).resolve().parents[2]


def test_guard_reports_a_running_qthread(qtbot, _dangling_qthreads):
    thread = QtCore.QThread()
    thread.start()
    try:
        found = _dangling_qthreads.running()
        assert [t for t, _ in found] == [thread]
        assert "test_guard_reports_a_running_qthread" in found[0][1]
    finally:
        thread.quit()
        assert thread.wait(2000)
    assert _dangling_qthreads.running() == []


def test_gui_package_imports_no_qt():
    code = (
        "import sys, convviz.gui\n"
        "sys.exit(1 if any(m.startswith(('PyQt5', 'pyqtgraph')) for m in sys.modules) else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
