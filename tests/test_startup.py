"""What start-up loads: the window shows before TensorFlow has loaded, the CLI starts without Qt.

The import contracts (tests/test_layering.py) say who may import what, wherever the
import statement is; this checks what actually gets loaded when a module is
imported: lazy imports inside functions are fine here, a module-level import is not.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT


def _loaded_after(imports: list, prefixes: tuple) -> list:
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        for name in {imports!r}:
            __import__(name)
        print(sorted({{m.split('.')[0] for m in sys.modules if m.startswith({prefixes!r})}}))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])


def test_the_cli_loads_neither_qt_nor_tensorflow_at_start():
    """`python main.py --help`, `memory` and the errors stay fast; `gui` imports the window when it runs."""
    assert _loaded_after(["convviz.cli"], ("PyQt5", "pyqtgraph", "tensorflow")) == []


def test_the_window_loads_no_tensorflow_at_start():
    """The window must appear before TensorFlow has loaded: the bridge imports it in its thread."""
    pytest.importorskip("PyQt5")
    modules = [
        "convviz.gui.window.launch",
        "convviz.gui.window.app",
        "convviz.gui.jobs.training",
        "convviz.gui.jobs.loading",
        "convviz.gui.controller",
    ]
    assert _loaded_after(modules, ("tensorflow",)) == []
