"""What every job of the window shares: the one lock under which jobs import TensorFlow.

A job runs in a QThread of its own (:func:`convviz.gui.common.threads.start_job`).
TensorFlow is imported inside the jobs, in their threads, so the window appears
before TensorFlow has loaded. Payloads are numpy copies, never tensors or a Session.
"""

from __future__ import annotations

import logging
import threading

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


class SessionControls:
    """A job's controls, from the GUI thread: passed on to the session it pumps (``self.session``)."""

    def stop(self) -> None:
        self.session.stop()

    def pause(self) -> None:
        self.session.pause()

    def resume(self) -> None:
        self.session.resume()

    def step(self) -> bool:
        return self.session.step()
