"""What every job of the window shares: how it runs in a QThread, the one import lock, the emission clock.

The pattern is superqt's ``new_worker_qthread``: a ``QObject`` job is moved to
a ``QThread``, ``thread.started`` runs ``job.work``, ``job.finished`` quits the
thread, and both are deleted later. TensorFlow is imported inside the jobs, in
their threads, so the window appears before TensorFlow has loaded. Payloads are
numpy copies, never tensors or a Session.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from PyQt5 import QtCore

log = logging.getLogger(__name__)


# One job imports at a time. Two threads importing TensorFlow's dependencies at once can
# deadlock: setuptools' distutils hack (which TensorFlow triggers) imports from inside a finder,
# where the import system's deadlock detection does not reach. Seen here: MNIST's reader
# importing http.client while TensorFlow imported setuptools.
IMPORT_LOCK = threading.Lock()  # for every job that imports TensorFlow: the same one lock


def _import_model():
    with IMPORT_LOCK:
        from convviz import model
    return model


def _import_training():
    with IMPORT_LOCK:
        from convviz import model, training
    return model, training


class Coalescer:
    """Says when enough time has passed since the last emission; the clock is injectable for tests."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self._clock = clock
        self._last: float | None = None

    def due(self) -> bool:
        now = self._clock()
        if self._last is None or now - self._last >= self.interval:
            self._last = now
            return True
        return False


# Python owns a job (and a thread without a parent): dropped by the caller while it runs, it would be
# destroyed under the running thread ("QThread: Destroyed while thread is still running", abort).
_RUNNING: set = set()


def start_job(job: QtCore.QObject, parent: QtCore.QObject | None = None) -> QtCore.QThread:
    """Run ``job.work`` in a new QThread that quits and is deleted when the job finishes.

    Job and thread are kept alive until then, whether or not the caller keeps a reference;
    do not touch either after the job's ``finished``: both are deleted soon after.
    """
    thread = QtCore.QThread(parent)
    running = (job, thread)
    _RUNNING.add(running)
    thread.finished.connect(lambda: _RUNNING.discard(running))
    job.moveToThread(thread)
    thread.started.connect(job.work)
    # Direct: QThread.quit is thread-safe, and a queued quit would wait for the GUI thread's event
    # loop, which is blocked in thread.wait() when the window closes: a deadlock until the timeout.
    job.finished.connect(thread.quit, QtCore.Qt.DirectConnection)
    job.finished.connect(job.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread

