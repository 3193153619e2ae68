"""Reading the run store off the GUI thread: every record file on its own, with progress.

:class:`StoreListJob` reads each record's metadata (``RunStore.scan``) in a thread of its
own, so a slow disk or a store of many runs never freezes the window, and the window
does not wait for it at start: the runs table fills when ``listed`` arrives. A record
that does not read is in the listing as an ``UnreadableRun`` (the table marks it
"cannot read"); it does not keep the others from being listed.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds: at most 10 progress reports a second


class StoreListJob(QtCore.QObject):
    """Lists the run store in ``folder``: ``progressed(done, total)`` while it reads, then ``listed(StoreListing)``.

    A store that cannot be read at all (its folder unreadable) is ``errored(ErrorInfo)``, one line.
    """

    progressed = QtCore.pyqtSignal(int, int)
    listed = QtCore.pyqtSignal(object)  # recording.StoreListing
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, folder=None, closing: Callable[[], bool] = lambda: False):
        super().__init__()
        self._folder = folder
        self._closing = closing
        self._reported = 0.0

    def _on_progress(self, done: int, total: int) -> None:
        if self._closing():
            raise _Closing()
        now = time.monotonic()
        if done == total or now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self.progressed.emit(done, total)

    @QtCore.pyqtSlot()
    def work(self) -> None:
        from convviz.recording import RunStore

        try:
            listing = RunStore(self._folder).scan(progress=self._on_progress)
            self.listed.emit(listing)
        except _Closing:
            pass
        except Exception as exc:
            user_error = isinstance(exc, (ConvVizError, OSError))
            if not user_error:
                log.exception("listing the run store failed")
            self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))
        finally:
            self.finished.emit()


class _Closing(Exception):
    """Raised from the progress callback when the window closes: the listing stops at the next file."""
