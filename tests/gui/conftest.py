"""Shared fixtures for the panel tests: offscreen Qt, warnings as errors, no leaked QThreads."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import: no display needed
os.environ.setdefault("CONVVIZ_RUNS_DIR", __import__("tempfile").mkdtemp(prefix="convviz-test-runs-"))  # not ~/.local
# What the window remembers (hidden columns) goes to a file of the run's, not the user's ~/.config.
os.environ.setdefault(
    "CONVVIZ_SETTINGS", os.path.join(__import__("tempfile").mkdtemp(prefix="convviz-test-settings-"), "convviz.ini")
)

import traceback
import weakref
from contextlib import suppress

import pytest
from PyQt5 import QtCore


class StartedThreads:
    """QThreads started during a test, with the stack that started each."""

    def __init__(self):
        self._started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def record(self, thread: QtCore.QThread) -> None:
        self._started[thread] = "".join(traceback.format_stack(limit=8)[:-2])

    def running(self) -> list:
        """(thread, where it was started) for each recorded QThread still running."""
        running = []
        for thread, where in list(self._started.items()):
            try:
                if thread.isRunning():
                    running.append((thread, where))
            except RuntimeError as exc:  # the C++ object is gone: it is not running
                if "deleted" not in str(exc) and "C/C++ object" not in str(exc):
                    raise
        return running


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch: pytest.MonkeyPatch, qtbot):
    """Fail a test that leaves a QThread running (napari's fixture of the same name)."""
    base_start = QtCore.QThread.start
    started = StartedThreads()

    def start_and_record(self, *args):
        started.record(self)
        base_start(self, *args)

    monkeypatch.setattr(QtCore.QThread, "start", start_and_record)
    yield started
    dangling = started.running()
    for thread, _ in dangling:  # stop them so that later tests are not affected
        with suppress(RuntimeError):
            thread.quit()
            qtbot.waitUntil(thread.isFinished, timeout=2000)
    if dangling:
        where = "\n".join(f"{t!r} started at:\n{w}" for t, w in dangling)
        pytest.fail(f"a QThread was started in the test but not terminated:\n{where}")


@pytest.fixture(autouse=True)
def _own_runs_dir(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test saves and lists runs in a store of its own: a run another test saved is not in its table."""
    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))


@pytest.fixture(autouse=True)
def _own_settings(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test remembers view choices in a settings file of its own: a column hidden by one is not by the next."""
    monkeypatch.setenv("CONVVIZ_SETTINGS", str(tmp_path_factory.mktemp("settings") / "convviz.ini"))


@pytest.fixture
def make_window(qtbot):
    """Open main windows (data from the test MNIST folder), waiting for model and data; closed afterwards."""
    from tests.gui.windows import open_windows  # imports the window: only for the tests that use one

    yield from open_windows(qtbot)


@pytest.fixture(scope="module")
def _module_window(qapp):
    """The window one module's tests share (see shared_window): opened before the first test that asks
    (so the worker it keeps is no thread that test started), closed when the module ends."""
    from tests.gui.windows import SharedWindow

    shared = SharedWindow()
    yield shared
    shared.close()


@pytest.fixture
def shared_window(_module_window, qtbot):
    """A ready LeNet-5 window (as make_window opens it) shared by the tests of one module.

    For tests that look at the window but do not depend on a fresh one's state:
    opening a window costs about a second. Its run store is the session's, not the
    test's. After each test the window must be back to its idle threads (every
    thread the test started has ended, as closing checks) and is set back to zoom 1,
    presenter mode off, 1280x800.
    """
    yield _module_window.window
    _module_window.settle(qtbot)
