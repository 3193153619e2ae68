"""Replay a recorded run in the window as if it were training, at 1x to 50x.

:class:`ReplayJob` has the signals of :class:`convviz.gui.jobs.training.TrainingJob`
(loss chunks, epoch reports, progress, a snapshot, stepped, errored, finished), so
the controller starts it like a training run (``Controller.start_replay``) and the
same panels update: the loss curve grows point by point, the epochs' accuracies
appear, the filter timeline (``frame_reached``) reveals that moment's kernels. The
job runs in its own thread on a clock: record seconds = wall seconds x speed; it
sleeps between ticks on a ``threading.Event`` that pause, resume, stop, step and a
new speed wake, so it never blocks the GUI thread and answers at once.

A record holds the first layer's kernels per frame, not all weights: the pad,
the prediction and the feature maps use the record's final weights (or, without
them, the shipped pretrained model of the same network) for the whole replay.

:class:`convviz.gui.window.replay.Replayer` adds the window's menu "Recorded runs":
"Open recorded run…", the runs shipped in ``assets/runs/``, and the replay speed;
and the timeline under the filters. No TensorFlow, no controller import here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from PyQt5 import QtCore

from convviz.events import FrameReached, RunOutcome, RunStatus
from convviz.gui.common.i18n import percent, translate
from convviz.gui.jobs.base import SessionControls
from convviz.gui.jobs.training import emit
from convviz.playback import DEFAULT_SPEED, TICK_S, RecordSession
from convviz.pretrained import PRETRAINED_DIR, WEIGHTS_FILE
from convviz.recording import SUFFIX, RunRecord, load_record, read_summary, weight_shapes
from convviz.safefile import open_regular

log = logging.getLogger(__name__)

RUNS_DIR = Path(__file__).resolve().parents[3] / "assets" / "runs"  # the recorded runs shipped


def base_weights(record: RunRecord, models_dir=PRETRAINED_DIR) -> tuple:
    """The weights the pad uses during a replay and where they come from: ("record" | "pretrained" | None).

    The record's final weights if it has them; else the shipped model of the same network if its
    weights have the network's shapes; else (None, None) and the model in use stays.
    """
    if record.final_weights is not None:
        return dict(record.final_weights), "record"
    path = Path(models_dir) / record.arch / WEIGHTS_FILE
    try:
        shapes = weight_shapes(record.arch)
        with open_regular(path) as f, np.load(f, allow_pickle=False) as npz:  # a FIFO would block the job
            weights = {name: np.asarray(npz[name], np.float32) for name in npz.files}
        if set(weights) == set(shapes) and all(weights[n].shape == tuple(shapes[n]) for n in shapes):
            return weights, "pretrained"
    except Exception:  # no shipped model for this network, or another one: keep the model in use
        log.debug("no pretrained weights for the replay of %s", record.arch, exc_info=True)
    return None, None


def weights_note(source: str | None) -> str:
    """What the status bar says about the pad's weights during a replay."""
    if source == "record":
        return translate("Replay", "Replay: the filters follow the recording; the pad uses the run's final weights.")
    if source == "pretrained":
        return translate("Replay", "Replay: the filters follow the recording; the pad uses the pretrained model (no weights recorded).")  # noqa: E501
    return translate("Replay", "Replay: the filters follow the recording; the pad keeps the model in use.")


class ReplayJob(SessionControls, QtCore.QObject):
    """Plays a :class:`RunRecord` at ``speed`` x its recorded pace, with TrainingJob's signals: a
    :class:`convviz.playback.RecordSession` pumped in the job's thread.

    Control (any thread): :meth:`pause`, :meth:`resume`, :meth:`step` (while paused: the next loss
    point), :meth:`stop`, :meth:`set_replay_speed` (1-50, any time). :meth:`set_speed` (the
    controls' slow motion, batches a second) does not apply to a replay and is ignored.

    Extra signal: ``frame_reached(FrameReached)`` when the clock passes a timeline frame.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    frame_ready = QtCore.pyqtSignal(object)  # (a replay sends FrameReached instead)
    progress = QtCore.pyqtSignal(object)
    stepped = QtCore.pyqtSignal(object)
    rate_changed = QtCore.pyqtSignal(object)  # RateChanged: the record's learning-rate changes, replayed
    errored = QtCore.pyqtSignal(object)
    finished = QtCore.pyqtSignal(object)
    frame_reached = QtCore.pyqtSignal(object)

    def __init__(self, record: RunRecord, run_id: int = 1, speed: float = DEFAULT_SPEED, weights=None,
                 clock=time.monotonic, tick: float = TICK_S):
        super().__init__()
        self.record, self.weights = record, weights
        self.session = RecordSession(record, run_id, speed, weights, clock=clock, tick=tick)

    @property
    def run_id(self) -> int:
        return self.session.run_id

    @property
    def position(self) -> float:
        return self.session.position

    # -- control, from the GUI thread (stop, pause, resume, step: SessionControls) ---------------------
    def set_replay_speed(self, speed: float) -> None:
        self.session.set_replay_speed(speed)

    @property
    def replay_speed(self) -> float:
        return self.session.replay_speed

    @property
    def paused(self) -> bool:
        return self.session.paused

    def set_speed(self, batches_per_second) -> None:
        """The controls' slow motion: not for a replay (its pace is :meth:`set_replay_speed`)."""

    def snapshot_taken(self, cost: float = 0.0) -> None:
        """The window took the snapshot (a replay sends one, at the start)."""

    # -- the work, in the job's thread --------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        outcome = RunOutcome(self.run_id, RunStatus.FAILED)
        try:
            for event in self.session:
                if isinstance(event, RunOutcome):
                    outcome = event
                elif isinstance(event, FrameReached):
                    self.frame_reached.emit(event)
                else:
                    emit(self, event)
        finally:
            self.finished.emit(outcome)


class LoadRecordJob(QtCore.QObject):
    """Reads a record file off the GUI thread: ``loaded(RunRecord)`` or ``failed(str)``, then ``finished``."""

    loaded = QtCore.pyqtSignal(object)
    failed = QtCore.pyqtSignal(str)
    finished = QtCore.pyqtSignal()

    def __init__(self, path):
        super().__init__()
        self.path = Path(path)

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            self.loaded.emit(load_record(self.path))
        except Exception as exc:  # RecordingError: one line naming the file; anything else: the same
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.failed.emit(text)
        finally:
            self.finished.emit()


def shipped_runs(folder=RUNS_DIR) -> list:
    """[(path, label)] of the recorded runs in ``folder`` (assets/runs), by name; unreadable ones are left out."""
    runs = []
    for path in sorted(Path(folder).glob("*" + SUFFIX)) if Path(folder).is_dir() else []:
        try:
            s = read_summary(path)
        except Exception:
            log.info("not a recorded run: %s", path)
            continue
        epochs = s.epochs  # a plain name: pylupdate5 reads no attribute as a plural's number
        words = translate("Replay", "{arch}: %n epoch(s), test accuracy {accuracy}", None, epochs)
        accuracy = "–" if s.test_accuracy is None else percent(s.test_accuracy, 2)
        runs.append((path, words.format(arch=s.arch, accuracy=accuracy)))
    return runs
