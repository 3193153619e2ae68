"""The batch-size sweep in a thread of its own: pumps a :class:`convviz.sweep.SweepSession`.

Every event the sweep yields (its runs' loss chunks, rate changes, epochs and outcomes, and its own
SweepStarted, StepMemory, AccuracyPoint, NoiseMeasured, SweepDone) goes to the GUI thread on one
signal, ``reported``; ``finished`` carries the SweepResult (None when the sweep failed or was stopped
before its end). TensorFlow is imported under the jobs' one import lock.
"""

from __future__ import annotations

import logging

from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text
from convviz.gui.jobs.base import IMPORT_LOCK, _import_training
from convviz.sweep import SweepSession
from convviz.sweepplan import SweepDone, SweepPlan

log = logging.getLogger(__name__)


def _import_noise():
    with IMPORT_LOCK:
        from convviz import noise
    return noise


class SweepJob(QtCore.QObject):
    """One sweep; ``stop()`` and ``set_learning_rate()`` from the GUI thread (see SweepSession)."""

    reported = QtCore.pyqtSignal(object)  # every event of the sweep, in order
    errored = QtCore.pyqtSignal(object)  # ErrorInfo: the sweep could not go on
    finished = QtCore.pyqtSignal(object)  # SweepResult or None

    def __init__(self, plan: SweepPlan, data):
        super().__init__()
        self.session = SweepSession(plan, data, noise_imports=_import_noise, imports=_import_training)

    def stop(self) -> None:
        self.session.stop()

    def set_learning_rate(self, rate: float) -> float:
        return self.session.set_learning_rate(rate)

    @QtCore.pyqtSlot()
    def work(self) -> None:
        result = None
        try:
            for event in self.session:
                if isinstance(event, SweepDone):
                    result = event.result
                self.reported.emit(event)
        except Exception as exc:  # one line for the window, which keeps running
            user_error = isinstance(exc, ConvVizError)
            log.log(logging.INFO if user_error else logging.ERROR, "sweep failed: %s", exc, exc_info=not user_error)
            self.errored.emit(ErrorInfo.from_exception(exc, error_text(exc), user_error))
        finally:
            self.finished.emit(result)
