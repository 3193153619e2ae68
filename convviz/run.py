"""One training run, one pipeline: a generator that trains, holds, coalesces, records and yields typed events.

:class:`RunSession` owns a run's :class:`~convviz.training.Trainer` and
everything between its batches: the :class:`~convviz.gate.Gate` (pause, step, slow motion,
stop: plain thread-safe methods backed by ``threading.Event``, for the worker
thread has no free event loop while it trains), the coalescing of losses
(Orange's ``TaskState``: a :class:`~convviz.events.LossChunk` at most every
``LOSS_INTERVAL`` seconds), the weight snapshots (back-pressure: the next one
only once the consumer took the last, :meth:`RunSession.snapshot_taken`), the
filter timeline (a :class:`~convviz.recording.SnapshotLog` and a probe
:class:`~convviz.model.Model`) and the :class:`~convviz.recording.RunRecord`
it grows, which the final :class:`~convviz.events.RunOutcome` carries.

Iterating a session yields :mod:`convviz.events` objects: ``LossChunk``,
``EpochReport``, ``Progress``, ``Snapshot``, ``FrameReady``, ``Stepped`` (a
Step's batch is shown), ``ErrorInfo`` and, always last, ``RunOutcome``. The
CLI's ``train`` iterates one; the window's training job pumps one in a
QThread; a race interleaves two (:meth:`RunSession.batches`); a replay yields
the same events from a record (:mod:`convviz.playback`). No Qt here;
TensorFlow is imported when the run builds (``imports``), in the thread that
iterates.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable, Iterator

import numpy as np

from convviz.config import TrainConfig
from convviz.errors import ConvVizError
from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReady,
    LossChunk,
    Progress,
    RunOutcome,
    RunStatus,
    Snapshot,
    Stepped,
    error_text,
)
from convviz.gate import Coalescer, Gate, GateControls
from convviz.memory import fit_config
from convviz.rates import RateLog, checked_learning_rate
from convviz.recording import (
    MAX_SNAPSHOTS,
    EpochSummary,
    LossSeries,
    Outcome,
    RecordingError,
    RunRecord,
    SnapshotLog,
)

log = logging.getLogger(__name__)

# Measured (bench/gui_speed.py): on 2 cores every millisecond the GUI thread spends drawing is taken
# from the training step, so the window draws as often as a lecture needs, not as often as it could.
LOSS_INTERVAL = 0.25  # seconds: at most 4 loss chunks a second, however fast the batches are
SNAPSHOT_INTERVAL = 0.5  # seconds: at most 2 filter/feature-map snapshots a second
SNAPSHOT_BUDGET = 0.05  # the consumer may spend at most this share of the time on snapshots
# The training thread may spend at most this share of its time on filter-timeline frames (the weights
# fetched, the probe's maps computed: ~1.5 ms for lenet5, ~3 ms for the cnn while it trains). A log's
# grid asks for a frame every step or two in a short run (200 frames over 300 steps): taken at every due
# step they cost such a run a third of its speed. A due frame waits until it is affordable; the grid's
# later steps are due too. A window's first 20,000 lenet5 images (a second) get ~25 frames.
TIMELINE_BUDGET = 0.01
TIMELINE_FREE_FRAMES = 16  # ... except the first frames: the filters change most at the start, a tiny run keeps all
SLOW_MOTION_SPEED = 5.0  # batches a second: at this speed or slower every batch reaches the consumer

BATCH_DONE = object()  # what :meth:`RunSession.batches` yields after each of the trainer's events


def _import_training():
    from convviz import model, training

    return model, training


class RunSession(GateControls):
    """One training run as a generator of :mod:`convviz.events` objects (see the module docstring).

    Parameters
    ----------
    config, data
        What to train and on what (``data``: an ``Mnist``).
    run_id
        Every event carries it.
    clock, wait
        For tests: the session's clock and how the gate waits (see :class:`~convviz.gate.Gate`).
    timeline
        Keep a filter timeline (FrameReady events, the record's timeline); needs a probe model.
    probe_index
        The test image whose feature maps and probabilities the timeline keeps.
    snapshots
        Yield weight snapshots; each waits for :meth:`snapshot_taken` before the next (a consumer
        that draws them). False (the CLI): none, and nothing to wait for.
    timeline_budget
        The share of the time timeline frames may take (None: every due frame is taken).
    keep_weights
        The record keeps the final weights (float32).
    imports
        Returns the modules ``(convviz.model, convviz.training)``; the window's jobs import them under
        their one import lock.
    """

    def __init__(
        self,
        config: TrainConfig,
        data,
        run_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[threading.Event, float | None], object] | None = None,
        timeline: bool = True,
        probe_index: int = 0,
        snapshots: bool = True,
        timeline_budget: float | None = TIMELINE_BUDGET,
        keep_weights: bool = True,
        capacity: int = MAX_SNAPSHOTS,
        imports: Callable[[], tuple] = _import_training,
        gate: Gate | None = None,
    ):
        if not 0 <= probe_index < len(data.test_labels):
            raise RecordingError(
                f"the probe must be a test image from 0 to {len(data.test_labels) - 1}, got {probe_index}"
            )
        self.config = config
        self.memory_note: str | None = None  # what build() lowered to fit the machine's memory
        self.run_id = int(run_id)
        self.data = data
        self.gate = gate or Gate(clock, wait)
        self._clock = self.gate.clock
        self._timeline = timeline
        self._probe_index = int(probe_index)
        self._probe = np.asarray(data.test_images[probe_index], np.float32).reshape(28, 28)
        self._snapshots = snapshots
        self._timeline_budget = timeline_budget
        self._keep_weights = keep_weights
        self._capacity = capacity
        self._imports = imports
        self.trainer = None
        self._lock = threading.Lock()  # guards the trainer against a stop from another thread
        self.gate.on_stop(self._stop_trainer)
        self._log: SnapshotLog | None = None
        self._probe_model = None
        self._frame_cost = 0.0  # seconds the last timeline frame took
        self._frame_done_at = -math.inf  # when it was done (self._clock)
        self._snapshot_free = threading.Event()  # set: the consumer took the last snapshot
        self._snapshot_free.set()
        self._snapshot_interval = SNAPSHOT_INTERVAL
        self._started = self._clock()
        self.started_at = time.time()
        # The run's record as it grows: its loss curve (kept once, here) and its epochs.
        self.losses = LossSeries()
        self.epochs: list = []
        self.frame_seconds = 0.0  # time spent on timeline frames
        self.rates = RateLog(config.learning_rate, self.run_id)  # the rate changes, for events and the record
        self._pending_rate: float | None = None  # a rate set before the trainer was built
        self.record: RunRecord | None = None  # once the run ended
        self.exception: Exception | None = None  # what ended it, if anything did (the CLI raises it again)
        # The iterating thread's own bookkeeping (the gate's); no lock needed.
        self._sent = 0  # points of self.losses already in a LossChunk
        self._last = None  # the last BatchEvent
        self._total = 0
        self._in_step = False  # a step was let through and has not met its batch yet
        self._step_report: Progress | None = None  # a finished step, reported once its snapshot is out
        self._snapshot_step = 0  # the step of the last snapshot sent
        self._snapshot_weights: dict | None = None  # and its weights
        # The training diagnostics' update-to-weight ratio: the weights of the last snapshot, compared with
        # those one step later (one more fetch per snapshot), and the ratios the next snapshot carries.
        self._ratio_base: tuple | None = None
        self.update_ratios: dict | None = None

    # -- control, from any thread (stop, pause, resume, step: GateControls) ----------------------------
    def set_speed(self, batches_per_second: float | None) -> None:
        self.gate.set_speed(batches_per_second)

    @property
    def speed(self) -> float | None:
        return self.gate.speed

    def set_learning_rate(self, rate: float) -> float:
        """The base learning rate from the next batch on (any thread): fed to the graph, never rebuilt.
        The first batch trained with it yields a RateChanged and is kept in the record. ConfigError
        (one line) for a rate outside (0, 10]; returns the checked rate."""
        rate = checked_learning_rate(rate)
        with self._lock:
            self._pending_rate = rate
            trainer = self.trainer
        if trainer is not None:
            trainer.set_learning_rate(rate)
        return rate

    def snapshot_taken(self, cost: float = 0.0) -> None:
        """The consumer has shown the last snapshot, which took it ``cost`` seconds: the next may come.

        The next waits at least ``cost / SNAPSHOT_BUDGET`` seconds: a network whose panels are
        expensive to draw (the template's 64 feature maps) gets fewer snapshots, not a slower run.
        In slow motion and at a pause every batch's snapshot is sent, as soon as the consumer is free.
        """
        self._snapshot_interval = max(SNAPSHOT_INTERVAL, float(cost) / SNAPSHOT_BUDGET)
        self._snapshot_free.set()
        self.gate.wake.set()

    def _stop_trainer(self) -> None:
        with self._lock:
            if self.trainer is not None:
                self.trainer.stop()

    # -- the run, in the iterating thread -------------------------------------------------------------
    @property
    def total_steps(self) -> int:
        from convviz.data import batches_per_epoch

        train_size = min(self.config.train_limit or len(self.data.train_labels), len(self.data.train_labels))
        return batches_per_epoch(train_size, self.config.batch_size) * self.config.epochs

    def live_log(self) -> SnapshotLog:
        """A log with this run's timeline arguments, for the consumer's thread to fill from FrameReady events
        (the session's own log belongs to the iterating thread)."""
        return self._new_log(self.total_steps)

    def _new_log(self, total_steps: int) -> SnapshotLog:
        return SnapshotLog.for_run(
            self.config.arch,
            total_steps,
            probe_image=self._probe,
            probe_index=self._probe_index,
            probe_label=int(self.data.test_labels[self._probe_index]),
            capacity=self._capacity,
        )

    def build(self):
        """The trainer (built once, in the calling thread: its graph and session belong to it)."""
        if self.trainer is None:
            # Memory first: a network whose activations outgrow the machine crashes TensorFlow, not fails.
            self.config, self.memory_note = fit_config(self.config)
            if self.memory_note:
                log.warning("%s", self.memory_note)
            _, training_lib = self._imports()
            trainer = training_lib.Trainer(self.config, self.data)
            with self._lock:
                self.trainer = trainer
                if self._pending_rate is not None:
                    trainer.set_learning_rate(self._pending_rate)
            if self.gate.stopped.is_set():
                trainer.stop()
        return self.trainer

    def __iter__(self) -> Iterator:
        for event in self.batches():
            if event is not BATCH_DONE:
                yield event

    def batches(self) -> Iterator:
        """The run's events, with :data:`BATCH_DONE` after each trainer event: a race trains one batch of
        each run in turn. Ends with the RunOutcome (after an ErrorInfo if the run failed)."""
        self._started = self._clock()
        trainer = None
        try:
            trainer = self.build()
            if self._timeline:
                yield from self._start_timeline(trainer)
            outcome = yield from self._train(trainer)
        except Exception as exc:  # everything reaches the consumer, which stays usable
            self.exception = exc
            user_error = isinstance(exc, ConvVizError)
            if user_error:
                log.info("training stopped: %s", exc)
            else:
                log.exception("training failed")
            error = ErrorInfo.from_exception(exc, error_text(exc), user_error, run_id=self.run_id)
            yield error
            outcome = self._outcome(trainer, RunStatus.FAILED, error=error)
        yield outcome

    def close(self) -> None:
        """Close the trainer and the probe model (call from the iterating thread, after the run)."""
        with self._lock:
            trainer, self.trainer = self.trainer, None
        if trainer is not None:
            trainer.close()
        if self._probe_model is not None:
            self._probe_model.close()
            self._probe_model = None

    def __enter__(self) -> RunSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _seconds(self) -> float:
        return self._clock() - self._started

    def _train(self, trainer):
        self._total = total = trainer.batches_per_epoch * self.config.epochs
        loss_clock = Coalescer(LOSS_INTERVAL, self._clock)
        snapshot_clock = Coalescer(SNAPSHOT_INTERVAL, self._clock)
        _, training_lib = self._imports()
        batch_type = training_lib.BatchEvent
        events = trainer.run()
        released = -math.inf  # when the last batch was let through: the first one goes at once
        while True:
            yield from self._gate(trainer, released)
            released = self._clock()
            event = next(events, None)
            if event is None:
                break
            if isinstance(event, batch_type):
                self._last = event
                self._measure_update(trainer, event.step)
                seconds = self._seconds()
                self.losses.append([event.step], [event.examples_seen], [event.loss], [seconds])
                change = self.rates.observe(event, seconds)
                if change is not None:
                    yield change
                if self._in_step:  # the step's batch: the gate shows it whole, then holds
                    self._in_step = False
                    self._step_report = self._progress_of(trainer, event, total)
                elif self._every_batch_shown() or loss_clock.due():
                    yield from self._flush(trainer, progress=True)
                if self._log is not None and self._log.due(event.step) and self._frame_affordable():
                    yield from self._frame(trainer, event.step, event.examples_seen, final=False)
                snapshot_clock.interval = self._snapshot_interval
                if self._snapshots and self._snapshot_free.is_set() and snapshot_clock.due():
                    yield self._snapshot(trainer, event)
            else:
                yield from self._flush(trainer)
                report = EpochReport(
                    self.run_id,
                    event.epoch,
                    event.train_loss,
                    event.test_accuracy,
                    trainer.images_trained,
                    event.images_per_second,
                    self._seconds(),
                )
                self.epochs.append(EpochSummary.from_report(report))
                yield report
            yield BATCH_DONE
        yield from self._flush(trainer)
        status = RunStatus.STOPPED if trainer.stopped else RunStatus.COMPLETED
        last = self._last
        if trainer.images_trained == 0:
            return self._outcome(trainer, status)
        if self._snapshots and last is not None and self._snapshot_step != last.step:
            yield self._snapshot(trainer, last)  # the final weights, shown at once
        if last is not None and self._log is not None:
            weights = self._snapshot_weights if self._snapshots else None
            yield from self._frame(trainer, last.step, last.examples_seen, final=True, weights=weights)
        # The last snapshot holds the final weights already: the outcome does not fetch them again.
        weights = self._snapshot_weights if self._snapshots and last is not None else None
        return self._outcome(trainer, status, weights=weights)

    def _every_batch_shown(self) -> bool:
        """Slow motion: every batch's loss and weights reach the consumer."""
        speed = self.gate.speed
        return speed is not None and speed <= SLOW_MOTION_SPEED

    def _gate(self, trainer, released: float):
        """Return when the next batch may be trained: at once, after a slow-motion delay, or after a
        pause (a step lets one batch through). First, in slow motion, at a pause and after a step,
        the consumer gets everything up to the last batch: the losses, the progress and, once it has
        taken the previous one, the snapshot."""
        gate, last = self.gate, self._last
        while not gate.stopped.is_set():
            if self._in_step:
                return  # let the step through to its batch (past an epoch's evaluation, say)
            paused, step, speed = gate.flags()
            if last is not None and (paused or self._step_report is not None or self._every_batch_shown()):
                yield from self._flush(trainer, progress=True)
                if self._snapshots and self._snapshot_step != last.step:
                    if not self._snapshot_free.is_set():
                        gate.wait(None)  # snapshot_taken, or any control call, wakes it
                        continue
                    yield self._snapshot(trainer, last)
                if self._step_report is not None:
                    yield Stepped(self._step_report)
                    self._step_report = None
            if paused:
                if step:
                    gate.take_step()
                    self._in_step = True
                    return
                gate.wait(None)
                continue
            if speed is None:
                return
            left = released + 1.0 / speed - self._clock()
            if left <= 0:
                return
            gate.wait(left)

    def pending(self):
        """What the consumer has not seen yet (a loss chunk and the progress), now: a race's pause shows both runs."""
        if self.trainer is not None:
            yield from self._flush(self.trainer, progress=True)

    def _flush(self, trainer, progress: bool = False):
        if self._sent >= len(self.losses):
            return
        s, a = self.losses, self._sent
        self._sent = len(s)
        yield LossChunk(
            self.run_id,
            s.view("steps")[a:].astype(np.int64),
            s.view("examples_seen")[a:].astype(np.int64),
            s.view("losses")[a:].astype(np.float32),
            s.view("seconds")[a:].astype(np.float64),
        )
        if progress and self._last is not None:
            yield self._progress_of(trainer, self._last, self._total)

    def _progress_of(self, trainer, event, total: int) -> Progress:
        left_batches = total - event.step
        speed = trainer.images_per_second  # of the training loop alone
        left = left_batches * self.config.batch_size / speed if speed > 0 else None
        paced = self.gate.speed
        if paced is not None and left is not None:
            left = max(left, left_batches / paced)  # slow motion: the delays take longer than the batches
        return Progress(self.run_id, event.step, total, event.epoch, speed, left)

    def _snapshot(self, trainer, event) -> Snapshot:
        self._snapshot_free.clear()
        self._snapshot_step = event.step
        self._snapshot_weights = trainer.weights()
        self._ratio_base = (event.step, self._snapshot_weights)
        return Snapshot(
            self.run_id,
            self.config.arch,
            event.step,
            event.examples_seen,
            self._snapshot_weights,
            update_ratios=self.update_ratios,
        )

    def _measure_update(self, trainer, step: int) -> None:
        """One step after a snapshot: how much that step changed each kernel, relative to its size."""
        base, self._ratio_base = self._ratio_base, None
        if base is None or step != base[0] + 1:
            return
        try:
            from convviz.diagnostics import update_ratios

            self.update_ratios = update_ratios(base[1], trainer.weights())
        except Exception:  # a diagnostic is worth less than the run
            log.debug("no update ratio at step %d", step, exc_info=True)

    # -- the filter timeline --------------------------------------------------------------------------
    def _start_timeline(self, trainer):
        """A log sized for the run, a probe model, the initial weights as frame 0 (numpy and dataset
        batching have weights before the first step; the Estimator has not)."""
        model_lib, _ = self._imports()
        self._log = self._new_log(trainer.batches_per_epoch * self.config.epochs)
        # Inline: a frame's few one-image ops run in this thread. In a session of their own thread pools
        # they queued behind the training step's ops, and a lenet5 frame took 3 ms instead of 0.5.
        self._probe_model = model_lib.Model(self.config.arch, inline=True)
        if self.config.batching != "estimator":
            yield from self._frame(trainer, 0, 0, final=False)

    def _frame_affordable(self) -> bool:
        """Whether a timeline frame now keeps the frames within the budget of the training time."""
        if self._timeline_budget is None or len(self._log) < TIMELINE_FREE_FRAMES:
            return True
        return self._clock() - self._frame_done_at >= self._frame_cost / self._timeline_budget

    def _frame(self, trainer, step: int, examples_seen: int, final: bool, weights=None):
        """One frame of the timeline (kernels, the probe's maps and probabilities)."""
        started = self._clock()
        try:
            frame = self._make_frame(trainer, step, examples_seen, final, weights)
        finally:
            self._frame_done_at = self._clock()
            self._frame_cost = self._frame_done_at - started
            self.frame_seconds += self._frame_cost
        if frame is not None:
            yield FrameReady(self.run_id, frame, final)

    def _make_frame(self, trainer, step: int, examples_seen: int, final: bool, weights=None):
        try:
            weights = trainer.weights() if weights is None else weights
            model = self._probe_model
            model.set_weights(weights)
            maps, probabilities = model.probe(self._probe)
        except Exception:  # a timeline is worth less than the run: it goes on without this frame
            log.debug("no timeline frame at step %d", step, exc_info=True)
            return None
        frame = self._log.make_frame(step, examples_seen, self._seconds(), weights, maps, probabilities)
        if final:
            self._log.finish(frame)
        elif not self._log.add(frame):
            return None
        return frame

    # -- the end --------------------------------------------------------------------------------------
    def _outcome(self, trainer, status: RunStatus, error: ErrorInfo | None = None, weights=None) -> RunOutcome:
        """The run's final weights (``weights`` when the caller has them), the accuracy of exactly those,
        and the record of the run."""
        outcome = self._measured(trainer, status, error, weights)
        self.record = self._record(trainer, outcome)
        return RunOutcome(
            outcome.run_id,
            outcome.status,
            weights=outcome.weights,
            test_accuracy=outcome.test_accuracy,
            examples_seen=outcome.examples_seen,
            train_seconds=outcome.train_seconds,
            metadata=outcome.metadata,
            error=outcome.error,
            record=self.record,
        )

    def _measured(self, trainer, status: RunStatus, error: ErrorInfo | None, weights) -> RunOutcome:
        if trainer is None or trainer.images_trained == 0:
            return RunOutcome(self.run_id, status, error=error)
        try:
            weights = trainer.weights() if weights is None else weights
        except Exception:  # a run that failed before its first checkpoint has no weights to keep
            log.debug("no weights after the run", exc_info=True)
            return RunOutcome(self.run_id, status, error=error)
        if not all(np.isfinite(w).all() for w in weights.values()):
            return RunOutcome(self.run_id, status, error=error)  # a diverged run: nothing worth keeping
        meta = trainer.metadata()
        accuracy = trainer.test_accuracy
        epochs_done = len(trainer.history)
        if error is None and (epochs_done == 0 or trainer.images_trained > epochs_done * trainer.train_size):
            # Stopped mid-epoch: the last epoch's accuracy belongs to other weights; measure these.
            accuracy = trainer.evaluate()
        meta["test_accuracy"] = accuracy
        meta["images_trained"] = trainer.images_trained
        return RunOutcome(
            self.run_id,
            status,
            weights=weights,
            test_accuracy=accuracy,
            examples_seen=trainer.images_trained,
            train_seconds=trainer.train_seconds,
            metadata=meta,
            error=error,
        )

    def _record(self, trainer, outcome: RunOutcome) -> RunRecord | None:
        """The run's record: its curve, epochs, timeline, outcome and (``keep_weights``) final weights."""
        if trainer is None:
            return None
        try:
            from convviz import __version__
            from convviz.memory import memory_report
            from convviz.tf1 import TF_VERSION

            s = self.losses
            steps, examples = int(s.last("steps")), int(s.last("examples_seen"))
            memory = memory_report(self.config.arch, self.config.batch_size, n_images=trainer.train_size)
            weights = outcome.weights if self._keep_weights else None
            return RunRecord(
                arch=self.config.arch,
                config=self.config.to_dict(),
                train_size=trainer.train_size,
                total_steps=trainer.batches_per_epoch * self.config.epochs,
                losses=s.curve(),
                epochs=tuple(self.epochs),
                outcome=Outcome(
                    status=outcome.status.value,
                    test_accuracy=outcome.test_accuracy if outcome.weights is not None else trainer.test_accuracy,
                    steps=steps,
                    examples_seen=examples,
                    train_seconds=float(trainer.train_seconds),
                    wall_seconds=self._seconds(),
                    images_per_second=float(trainer.images_per_second),
                    memory_bytes=memory.total_batch_bytes,
                    error=None if outcome.error is None else outcome.error.message,
                ),
                timeline=self._log.timeline() if self._log is not None and len(self._log) else None,
                final_weights=None if weights is None else {k: np.asarray(v, np.float32) for k, v in weights.items()},
                started_at=self.started_at,
                rate_changes=tuple(self.rates.changes),
                versions={"convviz": __version__, "tensorflow": TF_VERSION},
            )
        except Exception:  # a record that would not be valid (a NaN loss, say): the run ends without one
            log.info("run %d has no record", self.run_id, exc_info=True)
            return None
