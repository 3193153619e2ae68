"""Replay a recorded run in the window as if it were training, at 1x to 50x (issue 10, part 3).

:class:`ReplayJob` has the signals of :class:`convviz.gui.worker.TrainingJob`
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
from functools import partial
from pathlib import Path

import numpy as np
from PyQt5 import QtCore, QtWidgets

from convviz.gui.events import EpochReport, ErrorInfo, LossChunk, Progress, RunOutcome, RunStatus, Snapshot
from convviz.gui.i18n import translate
from convviz.pretrained import PRETRAINED_DIR, WEIGHTS_FILE
from convviz.recording import SUFFIX, RunRecord, load_record, read_summary, weight_shapes

log = logging.getLogger(__name__)

SPEEDS = (1, 2, 5, 10, 20, 50)  # the speeds offered: record seconds per wall second
DEFAULT_SPEED = 10
TICK_S = 0.25  # the replay looks at its clock this often: 4 loss chunks a second at most, as a training run sends
RUNS_DIR = Path(__file__).resolve().parents[2] / "assets" / "runs"  # the recorded runs shipped


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


class Replayer(QtCore.QObject):
    """The window's replays: open a record (in a job), start it through the controller, feed the timeline.

    ``window``: the MainWindow (duck-typed: controller, state, show_error, statusBar, menuBar, filters,
    loss, _translated). Sets ``window.timeline`` and ``window.replayer``.
    """

    started = QtCore.pyqtSignal(object)  # ReplayJob
    failed = QtCore.pyqtSignal(str)

    def __init__(self, window, runs_dir=RUNS_DIR):
        super().__init__(window)
        from convviz.gui.timeline import TimelineWidget

        self.window, self.runs_dir = window, Path(runs_dir)
        self.speed = DEFAULT_SPEED
        self.job: ReplayJob | None = None
        self.record: RunRecord | None = None
        self.timeline = TimelineWidget(window.filters, window.loss, window.controller.run_job)
        window.filters.layout().addWidget(self.timeline)
        self.timeline.gif_failed.connect(window.show_error)
        self.timeline.gif_saved.connect(
            lambda path: window.statusBar().showMessage(translate("Replay", "GIF saved: {path}").format(path=path), 10000)
        )
        state = window.state
        state.run_added.connect(self._on_run_added)
        state.run_state_changed.connect(self._on_run_state_changed)
        self.failed.connect(window.show_error)
        self._build_menu()

    # -- the menu -----------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("")
        w._translated.append((menu.menuAction().setText, translate("Replay", "&Recorded runs")))
        self.menu = menu
        open_action = menu.addAction("")
        w._translated.append((open_action.setText, translate("Replay", "Open recorded run…")))
        open_action.triggered.connect(self.ask_open)
        self.shipped_menu = menu.addMenu("")
        w._translated.append((self.shipped_menu.menuAction().setText, translate("Replay", "Shipped recordings")))
        self.shipped_menu.aboutToShow.connect(self._fill_shipped)
        self.shipped_menu.installEventFilter(self)  # a new language: its entries written again
        self._fill_shipped()
        speed_menu = menu.addMenu("")
        w._translated.append((speed_menu.menuAction().setText, translate("Replay", "Replay speed")))
        group = QtWidgets.QActionGroup(self)
        self.speed_actions = {}
        for speed in SPEEDS:
            item = speed_menu.addAction(f"{speed}\u00d7")
            item.setCheckable(True)
            item.setChecked(speed == self.speed)
            group.addAction(item)
            item.triggered.connect(lambda _=False, s=speed: self.set_speed(s))
            self.speed_actions[speed] = item

    def eventFilter(self, watched, event) -> bool:
        if watched is self.shipped_menu and event.type() == QtCore.QEvent.LanguageChange:
            self._fill_shipped()
        return False

    def _fill_shipped(self) -> None:
        self.shipped_menu.clear()
        runs = shipped_runs(self.runs_dir)
        for path, label in runs:
            self.shipped_menu.addAction(label).triggered.connect(lambda _=False, p=path: self.open(p))
        if not runs:
            empty = self.shipped_menu.addAction(translate("Replay", "none in assets/runs"))
            empty.setEnabled(False)

    def ask_open(self) -> None:
        start = str(self.runs_dir) if self.runs_dir.is_dir() else ""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, translate("Replay", "Open a recorded run"), start,
            translate("Replay", "Recorded runs (*{suffix})").format(suffix=SUFFIX),
        )
        if path:
            self.open(path)

    # -- opening and playing --------------------------------------------------------------------------
    def open(self, path, speed: float | None = None) -> LoadRecordJob:
        """Read ``path`` in a job, then replay it (errors: one line in the window's banner)."""
        job = LoadRecordJob(path)
        job.loaded.connect(lambda record: self.play(record, speed))
        job.failed.connect(
            lambda problem: self.failed.emit(translate("Replay", "Cannot replay: {problem}").format(problem=problem))
        )
        self.window.controller.run_job(job)
        return job

    def play(self, record: RunRecord, speed: float | None = None) -> ReplayJob | None:
        """Replay ``record`` now (None, with a message, while a run is training)."""
        w = self.window
        speed = self.speed if speed is None else speed
        weights, source = base_weights(record, getattr(w.controller, "models_dir", PRETRAINED_DIR))
        job = w.controller.start_replay(record, speed, weights)
        if job is None:
            self.failed.emit(translate("Replay", "Cannot replay while a run is training: stop it first."))
            return None
        self.job, self.record = job, record
        job.frame_reached.connect(self._on_frame_reached)
        job.finished.connect(partial(self._on_finished, job))
        self.timeline.set_timeline(record.timeline, record.train_size, limit=0)
        w.statusBar().showMessage(weights_note(source), 15000)
        self.started.emit(job)
        return job

    def set_speed(self, speed: float) -> None:
        """The speed of this replay (at once) and of the next ones."""
        self.speed = speed
        if speed in getattr(self, "speed_actions", {}):
            self.speed_actions[speed].setChecked(True)
        if self.job is not None:
            self.job.set_replay_speed(speed)

    def _on_frame_reached(self, reached: FrameReached) -> None:
        if self.job is not None and reached.run_id == self.job.run_id:
            self.timeline.set_limit(reached.count)

    def _on_finished(self, job: ReplayJob, outcome) -> None:
        if self.job is job:
            self.job = None

    # -- live runs ----------------------------------------------------------------------------------
    def _on_run_added(self, run) -> None:
        log_ = getattr(run, "snapshots", None)  # empty at the start (falsy): not "or" it away
        if log_ is not None and hasattr(log_, "timeline"):
            self.timeline.set_log(log_, run.train_size)
        else:
            self.timeline.set_timeline(None)

    def _on_run_state_changed(self, run) -> None:
        if not run.active and self.timeline._live:
            self.timeline.finish_live()


def attach_replay(window) -> Replayer:
    """Add the filter timeline and the replay menu to ``window`` (call at the end of MainWindow._build_ui)."""
    window.replayer = Replayer(window)
    window.timeline = window.replayer.timeline
    return window.replayer
