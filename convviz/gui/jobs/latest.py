"""A job that computes only the newest request: the base of the window's on-demand views' workers.

The confusion matrix, the saliency map and the nearest digits are asked for
again and again (a pen stroke, a new snapshot, a click): each job runs in a
thread of its own for the window's lifetime, and a request that arrives while
another waits replaces it. A computation in progress may ask
:meth:`LatestWinsJob.superseded` between its steps and stop early.

Qt and numpy only (no TensorFlow): panels' jobs and the bridges' jobs share it.
"""

from __future__ import annotations

import logging
import threading

from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text

log = logging.getLogger(__name__)


class LatestWinsJob(QtCore.QObject):
    """Runs until :meth:`stop`, computing the newest request :meth:`submit` gave it (:meth:`_handle`).

    ``errored(ErrorInfo)``: a request failed (one line; the job goes on with the next request);
    a subclass may say it otherwise (:meth:`_failed`). ``finished``: the job ended.
    """

    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self):
        super().__init__()
        self._condition = threading.Condition()
        self._pending = None
        self._submitted = 0  # how many requests were submitted: the newest has this number
        self._stopped = False

    def submit(self, request) -> None:
        """Compute ``request`` next (any thread); a request still waiting is dropped."""
        with self._condition:
            self._pending = request
            self._submitted += 1
            self._condition.notify()

    def stop(self) -> None:
        """End the job: a computation in progress stops at its next check (any thread)."""
        with self._condition:
            self._stopped = True
            self._condition.notify()

    def cancel(self) -> None:
        """Drop the waiting request and stop the one in progress at its next check (any thread)."""
        with self._condition:
            self._pending = None
            self._submitted += 1

    def superseded(self, number: int) -> bool:
        """Whether request ``number`` is no longer the newest (or the job is stopping)."""
        return self._stopped or self._submitted != number

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            while True:
                with self._condition:
                    while self._pending is None and not self._stopped:
                        self._condition.wait()
                    if self._stopped:
                        break
                    request, number, self._pending = self._pending, self._submitted, None
                try:
                    self._handle(request, number)
                except Exception as exc:  # reported; the job goes on with the next request
                    self._failed(request, exc)
        finally:
            try:
                self._close()
            finally:
                self.finished.emit()

    def _handle(self, request, number: int) -> None:
        """Compute ``request`` (this job's thread); ``number``: for :meth:`superseded`."""
        raise NotImplementedError

    def _failed(self, request, exc: Exception) -> None:
        """Say that ``request`` failed: a user's error (bad input) in one line, a bug logged in full."""
        user_error = isinstance(exc, (ConvVizError, ValueError))
        if not user_error:
            log.exception("%s failed", type(self).__name__)
        self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))

    def _close(self) -> None:
        """Free what the job's thread holds (called in that thread when the job ends)."""
