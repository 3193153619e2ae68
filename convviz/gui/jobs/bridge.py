"""The notebook bridge's job: a :class:`convviz.bridge.listener.Listener` pumped in a QThread.

The listener's threads read the sockets; this job takes its typed events off
its queue and emits each on the signal for its kind, in the GUI thread's turn.
It stops when :meth:`stop` is called (the window closes) and closes the
listener on its way out. No TensorFlow.
"""

from __future__ import annotations

import threading

from PyQt5 import QtCore

from convviz.bridge.listener import Refused, StreamClosed, StreamKernels, StreamMaps, StreamOpened
from convviz.events import EpochReport, LossChunk


class BridgeJob(QtCore.QObject):
    """Emits what notebooks stream to ``listener``: one signal per kind of event, each keyed by its stream."""

    opened = QtCore.pyqtSignal(object)  # StreamOpened
    losses_ready = QtCore.pyqtSignal(object)  # LossChunk
    epoch_finished = QtCore.pyqtSignal(object)  # EpochReport (one per accuracy the notebook sent)
    kernels_ready = QtCore.pyqtSignal(object)  # StreamKernels
    maps_ready = QtCore.pyqtSignal(object)  # StreamMaps
    closed = QtCore.pyqtSignal(object)  # StreamClosed
    refused = QtCore.pyqtSignal(str)  # one line
    finished = QtCore.pyqtSignal()

    def __init__(self, listener, closing=lambda: False):
        super().__init__()
        self.listener, self._closing = listener, closing  # closing(): the window closes, the job ends
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @QtCore.pyqtSlot()
    def work(self) -> None:
        signals = {
            StreamOpened: self.opened,
            LossChunk: self.losses_ready,
            EpochReport: self.epoch_finished,
            StreamKernels: self.kernels_ready,
            StreamMaps: self.maps_ready,
            StreamClosed: self.closed,
        }
        try:
            for event in self.listener.events():
                if self._stop.is_set() or self._closing():
                    break
                if isinstance(event, Refused):
                    self.refused.emit(event.line)
                elif event is not None:
                    signals[type(event)].emit(event)
        finally:
            self.listener.close()
            self.finished.emit()
