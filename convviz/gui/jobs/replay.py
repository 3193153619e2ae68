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

:func:`attach_replay` adds the window's menu "Recorded runs": "Open recorded
run…", the runs shipped in ``assets/runs/``, and the replay speed; and the
timeline under the filters. No TensorFlow, no controller import here.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PyQt5 import QtCore

from convviz.events import EpochReport, ErrorInfo, LossChunk, Progress, RunOutcome, RunStatus, Snapshot
from convviz.gui.common.i18n import translate
from convviz.pretrained import PRETRAINED_DIR, WEIGHTS_FILE
from convviz.recording import SUFFIX, RunRecord, load_record, read_summary, weight_shapes

log = logging.getLogger(__name__)

SPEEDS = (1, 2, 5, 10, 20, 50)  # the speeds offered: record seconds per wall second
DEFAULT_SPEED = 10
TICK_S = 0.25  # the replay looks at its clock this often: 4 loss chunks a second at most, as a training run sends
RUNS_DIR = Path(__file__).resolve().parents[3] / "assets" / "runs"  # the recorded runs shipped


@dataclass(frozen=True)
class FrameReached:
    """The replay reached frame ``index`` of the record's timeline (``count`` frames are reachable now)."""

    run_id: int
    index: int
    count: int


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
        with np.load(path, allow_pickle=False) as npz:
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
        return translate(
            "Replay", "Replay: the filters follow the recording; the pad uses the pretrained model (no weights recorded)."
        )
    return translate("Replay", "Replay: the filters follow the recording; the pad keeps the model in use.")


class ReplayJob(QtCore.QObject):
    """Plays a :class:`RunRecord` at ``speed`` x its recorded pace, with TrainingJob's signals.

    Control (any thread): :meth:`pause`, :meth:`resume`, :meth:`step` (while paused: the next loss
    point), :meth:`stop`, :meth:`set_replay_speed` (1-50, any time). :meth:`set_speed` (the
    controls' slow motion, batches a second) does not apply to a replay and is ignored.

    Extra signal: ``frame_reached(FrameReached)`` when the clock passes a timeline frame.
    """

    losses_ready = QtCore.pyqtSignal(object)
    epoch_finished = QtCore.pyqtSignal(object)
    snapshot_ready = QtCore.pyqtSignal(object)
    progress = QtCore.pyqtSignal(object)
    stepped = QtCore.pyqtSignal(object)
    errored = QtCore.pyqtSignal(object)
    finished = QtCore.pyqtSignal(object)
    frame_reached = QtCore.pyqtSignal(object)

    def __init__(self, record: RunRecord, run_id: int = 1, speed: float = DEFAULT_SPEED, weights=None,
                 clock=time.monotonic, tick: float = TICK_S):
        super().__init__()
        self.record, self.run_id, self.weights = record, int(run_id), weights
        self._clock, self._tick = clock, float(tick)
        self._speed = self._checked(speed)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._step_pending = False
        self._lock = threading.Lock()
        self.position = 0.0  # record seconds replayed (the job's thread writes it)

    @staticmethod
    def _checked(speed) -> float:
        speed = float(speed)
        if not (math.isfinite(speed) and 0 < speed <= max(SPEEDS)):
            raise ValueError(f"a replay speed is between 0 and {max(SPEEDS)}, not {speed!r}")
        return speed

    # -- control, from the GUI thread ---------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def pause(self) -> None:
        self._paused.set()
        self._wake.set()

    def resume(self) -> None:
        with self._lock:
            self._paused.clear()
            self._step_pending = False
        self._wake.set()

    def step(self) -> bool:
        with self._lock:
            if not self._paused.is_set():
                return False
            self._step_pending = True
        self._wake.set()
        return True

    def set_replay_speed(self, speed: float) -> None:
        self._speed = self._checked(speed)
        self._wake.set()

    @property
    def replay_speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def set_speed(self, batches_per_second) -> None:
        """The controls' slow motion: not for a replay (its pace is :meth:`set_replay_speed`)."""

    def snapshot_taken(self, cost: float = 0.0) -> None:
        """The window took the snapshot (a replay sends one, at the start)."""

    # -- the work, in the job's thread --------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        status = RunStatus.FAILED
        try:
            status = self._play()
        except Exception as exc:  # never leave the window with a run that does not end
            log.exception("replay failed")
            self.errored.emit(ErrorInfo.from_exception(exc, str(exc).splitlines()[0] if str(exc) else "", False))
        finally:
            self.finished.emit(self._outcome(status))

    def _play(self) -> RunStatus:
        r = self.record
        curve = r.losses
        timeline = r.timeline if r.timeline is not None and len(r.timeline) else None
        n, epochs = len(curve), list(r.epochs)
        ends = [0.0]
        if n:
            ends.append(float(curve.seconds[-1]))
        if epochs:
            ends.append(float(epochs[-1].seconds))
        if timeline is not None:
            ends.append(float(timeline.seconds[-1]))
        self._end = end = max(ends)
        if self.weights is not None:
            self.snapshot_ready.emit(Snapshot(self.run_id, r.arch, 0, 0, self.weights))
        self._sent, self._epochs_sent, self._frame = 0, 0, -1
        last = self._clock()
        while True:
            with self._lock:
                paused, step = self._paused.is_set(), self._step_pending
                self._step_pending = False
            now = self._clock()
            if self._stop.is_set():
                return RunStatus.STOPPED
            if not paused:
                self.position = min(end, self.position + (now - last) * self._speed)
            elif step:
                self.position = self._next_moment()
            last = now
            self._emit_until(self.position)
            if step:
                self.stepped.emit(self._progress_now())
            if self._sent >= n and self._epochs_sent >= len(epochs) and self.position >= end:
                if timeline is not None and self._frame != len(timeline) - 1:
                    self._reach(len(timeline) - 1)
                return RunStatus.COMPLETED
            self._wake.wait(self._tick if not paused else None)
            self._wake.clear()

    def _next_moment(self) -> float:
        """Step: the record time of the next loss point (or the end)."""
        curve = self.record.losses
        if self._sent < len(curve):
            return max(self.position, float(curve.seconds[self._sent]))
        return self._end

    def _emit_until(self, t: float) -> None:
        curve, epochs = self.record.losses, self.record.epochs
        upto = int(np.searchsorted(curve.seconds, t, side="right"))
        while self._epochs_sent < len(epochs) and epochs[self._epochs_sent].seconds <= t:
            e = epochs[self._epochs_sent]
            before = int(np.searchsorted(curve.examples_seen, e.examples_seen, side="right"))
            self._losses(max(before, self._sent))  # the epoch's batches come before its report
            self.epoch_finished.emit(
                EpochReport(self.run_id, e.epoch, e.train_loss, e.test_accuracy, e.examples_seen,
                            e.images_per_second, e.seconds)
            )
            self._epochs_sent += 1
        if upto > self._sent:
            self._losses(upto)
        timeline = self.record.timeline
        if timeline is not None and len(timeline) and timeline.seconds[0] <= t:
            index = timeline.index_at_seconds(t)
            if index != self._frame:
                self._reach(index)

    def _reach(self, index: int) -> None:
        self._frame = index
        self.frame_reached.emit(FrameReached(self.run_id, index, index + 1))

    def _losses(self, upto: int) -> None:
        if upto <= self._sent:
            return
        curve, a = self.record.losses, self._sent
        self.losses_ready.emit(
            LossChunk(self.run_id, np.array(curve.steps[a:upto], np.int64), np.array(curve.examples_seen[a:upto], np.int64),
                      np.array(curve.losses[a:upto], np.float32), np.array(curve.seconds[a:upto], np.float64))
        )
        self._sent = upto
        self.progress.emit(self._progress_now())

    def _progress_now(self) -> Progress:
        r, curve = self.record, self.record.losses
        done = int(curve.steps[self._sent - 1]) if self._sent else 0
        epoch = int(np.searchsorted([e.examples_seen for e in r.epochs], curve.examples_seen[self._sent - 1], side="left")) if self._sent else 0
        left = max(0.0, getattr(self, "_end", 0.0) - self.position) / self._speed
        return Progress(self.run_id, done, max(int(r.total_steps), done, 1), epoch,
                        float(r.outcome.images_per_second or 0.0), left)

    def _outcome(self, status: RunStatus) -> RunOutcome:
        r = self.record
        seen = int(r.losses.examples_seen[self._sent - 1]) if getattr(self, "_sent", 0) else 0
        if status is not RunStatus.COMPLETED or r.final_weights is None:
            return RunOutcome(self.run_id, status, examples_seen=seen)
        meta = {"config": dict(r.config), "replayed": r.name or r.arch, "test_accuracy": r.outcome.test_accuracy}
        return RunOutcome(self.run_id, status, weights=self.weights, test_accuracy=r.outcome.test_accuracy,
                          examples_seen=seen, train_seconds=float(r.outcome.train_seconds or 0.0), metadata=meta)


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
        words = translate("Replay", "{arch}: {epochs} epochs, test accuracy {accuracy}")
        accuracy = "–" if s.test_accuracy is None else f"{100 * s.test_accuracy:.2f} %"
        runs.append((path, words.format(arch=s.arch, epochs=s.epochs, accuracy=accuracy)))
    return runs
