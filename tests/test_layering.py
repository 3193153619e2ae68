"""napari's rule, enforced by a tool: the import-linter contracts in pyproject.toml.

The GUI is layered (window, controller, panels | jobs, shared widgets, state); the
core never imports the GUI or Qt; only convviz.tf1 imports TensorFlow, and no panel
reaches it through another module; the app state imports no widget. grimp, import-linter's engine, reads every
import statement, those inside functions included, and the contracts name packages
and wildcards, so a new module is checked without being listed anywhere.

The contracts are a static analysis of the source: the same on every Python and
TensorFlow, so they run on CI's leg 1 only (import-linter 2 needs Python 3.11; see
.ci/run). What actually loads at start-up is tests/test_startup.py, on both legs.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package and pyproject.toml in ``cwd``, in a fresh process (grimp must
    find ``cwd``'s convviz, not one this process has imported)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo"],
        cwd=str(cwd),
        capture_output=True,
        text=True,
        env=env,
    )


def test_the_contracts_are_kept():
    contracts = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Contracts: {contracts} kept, 0 broken." in proc.stdout


def _add(path: Path, code: str) -> None:
    with path.open("a") as f:
        f.write("\n\n" + code)


def test_the_contracts_catch_lazy_imports_in_new_modules(tmp_path):
    """The same contracts on a copy of the package with one lazy import across each line."""
    shutil.copytree(ROOT / "convviz", tmp_path / "convviz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    pkg = tmp_path / "convviz"
    (pkg / "newcore.py").write_text("def show():\n    from PyQt5 import QtWidgets\n")
    (pkg / "newtf.py").write_text("def train():\n    import tensorflow\n")
    (pkg / "gui" / "panels" / "newpanel.py").write_text("def classify():\n    from convviz.model import Model\n")
    _add(pkg / "gui" / "common" / "tiles.py", "def train():\n    from convviz.gui.jobs import training\n")
    _add(pkg / "gui" / "jobs" / "latest.py", "def plot():\n    from convviz.gui.panels import loss\n")
    _add(pkg / "gui" / "state" / "app.py", "def plot():\n    from convviz.gui.panels import loss\n")
    _add(pkg / "events.py", "def tick():\n    from PyQt5 import QtCore\n")
    _add(pkg / "cli" / "memory.py", "def draw():\n    from PyQt5 import QtWidgets\n")  # a sub-module of the core

    proc = lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Contracts: 0 kept, 5 broken." in proc.stdout
    report = " ".join(proc.stdout.split())  # the report wraps long lines
    for breach in [
        "convviz.newcore is not allowed to import PyQt5",
        "convviz.newtf -> tensorflow",
        "convviz.gui.panels is not allowed to import tensorflow",  # newpanel, through convviz.model
        "convviz.gui.panels.newpanel -> convviz.model",
        "convviz.gui.common is not allowed to import convviz.gui.jobs",
        "convviz.gui.jobs is not allowed to import convviz.gui.panels",
        "convviz.gui.state is not allowed to import convviz.gui.panels",
        "convviz.gui.state is not allowed to import pyqtgraph",  # through the panel
        "convviz.events is not allowed to import PyQt5",
        "convviz.cli.memory is not allowed to import PyQt5",
    ]:
        assert breach in report, proc.stdout


def imported_modules(source: str) -> set:
    """Every module an import statement in ``source`` names, inside functions too
    (``from PyQt5 import QtWidgets`` names PyQt5 and PyQt5.QtWidgets)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_state_imports_no_qt_widgets():
    """The one rule import-linter cannot say: it sees PyQt5 as one package, QtCore and QtWidgets alike."""
    assert "PyQt5.QtWidgets" in imported_modules("def f():\n    from PyQt5 import QtCore, QtWidgets\n")
    assert "PyQt5.QtWidgets" in imported_modules("def f():\n    import PyQt5.QtWidgets as w\n")
    state = set().union(*(imported_modules(p.read_text()) for p in (ROOT / "convviz" / "gui" / "state").glob("*.py")))
    assert "PyQt5.QtCore" in state  # the state is a QObject ...
    assert not {name for name in state if name.startswith("PyQt5.QtWidgets")}  # ... that knows no widget
