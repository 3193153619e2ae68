"""napari's rule, made small: the core never loads Qt, the panels never load TensorFlow."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

CORE = ["config", "data", "preprocess", "memory", "tf1", "architectures", "model", "training", "cli"]
PANELS = ["theme", "tiles", "loss", "filters", "featuremaps", "drawpad", "prediction", "controls"]


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


def test_core_imports_no_qt():
    assert _loaded_after([f"convviz.{m}" for m in CORE], ("PyQt5", "pyqtgraph")) == []


def test_panels_import_no_tensorflow():
    pytest.importorskip("PyQt5")
    assert _loaded_after([f"convviz.gui.{m}" for m in PANELS], ("tensorflow",)) == []


def test_the_app_module_imports_no_tensorflow_at_start():
    """The window must appear before TensorFlow has loaded: app.py imports it lazily."""
    pytest.importorskip("PyQt5")
    assert _loaded_after(["convviz.gui.app", "convviz.gui.worker", "convviz.cli"], ("tensorflow",)) == []
