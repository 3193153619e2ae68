"""What every job of the window shares: the one import lock and the emission clock.

A job runs in a QThread of its own (:func:`convviz.gui.common.threads.start_job`).
TensorFlow is imported inside the jobs, in their threads, so the window appears
before TensorFlow has loaded. Payloads are numpy copies, never tensors or a Session.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

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
