"""A recorded run played again: the events a :class:`~convviz.run.RunSession` yields, read from a RunRecord.

:class:`RecordSession` walks a :class:`~convviz.recording.RunRecord` on a
clock (record seconds = wall seconds x speed, 1x to 50x) and yields what the
run yielded as it trained: loss chunks, learning-rate changes, epoch reports, progress, the record's
weights as one snapshot, :class:`~convviz.events.FrameReached` as the clock
passes a timeline frame, ``Stepped`` after a Step, and the outcome. Pause,
resume, step (while paused: up to the next loss point) and stop are the same
:class:`~convviz.gate.Gate` a training run holds at. No Qt, no TensorFlow.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Callable, Iterator

import numpy as np

from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReached,
    LossChunk,
    Progress,
    RateChanged,
    RunOutcome,
    RunStatus,
    Snapshot,
    Stepped,
)
from convviz.gate import Gate, GateControls

log = logging.getLogger(__name__)

SPEEDS = (1, 2, 5, 10, 20, 50)  # the speeds offered: record seconds per wall second
DEFAULT_SPEED = 10
TICK_S = 0.25  # the replay looks at its clock this often: 4 loss chunks a second at most, as a training run sends


def checked_speed(speed) -> float:
    speed = float(speed)
    if not (math.isfinite(speed) and 0 < speed <= max(SPEEDS)):
        raise ValueError(f"a replay speed is between 0 and {max(SPEEDS)}, not {speed!r}")
    return speed


class RecordSession(GateControls):
    """Plays ``record`` at ``speed`` x its recorded pace; iterate it for the events (see the module docstring).

    ``weights``: sent as one Snapshot at the start (what the pad uses meanwhile); the outcome carries them.
    """

    def __init__(
        self,
        record,
        run_id: int = 1,
        speed: float = DEFAULT_SPEED,
        weights=None,
        clock: Callable[[], float] = time.monotonic,
        tick: float = TICK_S,
        gate: Gate | None = None,
    ):
        self.record, self.run_id, self.weights = record, int(run_id), weights
        self.gate = gate or Gate(clock)
        self._clock, self._tick = self.gate.clock, float(tick)
        self._speed = checked_speed(speed)
        self.position = 0.0  # record seconds replayed (the iterating thread writes it)
        self._sent, self._epochs_sent, self._frame, self._end = 0, 0, -1, 0.0
        self._rates_sent = 0  # the record's learning-rate changes replayed so far

    # -- control, from any thread (stop, pause, resume, step: GateControls) ----------------------------
    def set_replay_speed(self, speed: float) -> None:
        self._speed = checked_speed(speed)
        self.gate.wake.set()

    @property
    def replay_speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self.gate.paused

    # -- the replay, in the iterating thread ----------------------------------------------------------
    def __iter__(self) -> Iterator:
        status = RunStatus.FAILED
        try:
            status = yield from self._play()
        except Exception as exc:  # never leave the consumer with a run that does not end
            log.exception("replay failed")
            yield ErrorInfo.from_exception(exc, str(exc).splitlines()[0] if str(exc) else "", False, self.run_id)
        yield self._outcome(status)

    def _play(self):
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
            yield Snapshot(self.run_id, r.arch, 0, 0, self.weights)
        last = self._clock()
        gate = self.gate
        while True:
            paused = gate.paused
            step = gate.take_step()
            now = self._clock()
            if gate.stopped.is_set():
                return RunStatus.STOPPED
            if not paused:
                self.position = min(end, self.position + (now - last) * self._speed)
            elif step:
                self.position = self._next_moment()
            last = now
            yield from self._until(self.position)
            if step:
                yield Stepped(self._progress_now())
            if self._sent >= n and self._epochs_sent >= len(epochs) and self.position >= end:
                if timeline is not None and self._frame != len(timeline) - 1:
                    yield self._reach(len(timeline) - 1)
                return RunStatus.COMPLETED
            gate.wait(self._tick if not paused else None)

    def _next_moment(self) -> float:
        """Step: the record time of the next loss point (or the end)."""
        curve = self.record.losses
        if self._sent < len(curve):
            return max(self.position, float(curve.seconds[self._sent]))
        return self._end

    def _until(self, t: float):
        curve, epochs = self.record.losses, self.record.epochs
        upto = int(np.searchsorted(curve.seconds, t, side="right"))
        while self._epochs_sent < len(epochs) and epochs[self._epochs_sent].seconds <= t:
            e = epochs[self._epochs_sent]
            before = int(np.searchsorted(curve.examples_seen, e.examples_seen, side="right"))
            yield from self._losses(max(before, self._sent))  # the epoch's batches come before its report
            yield EpochReport(
                self.run_id, e.epoch, e.train_loss, e.test_accuracy, e.examples_seen, e.images_per_second, e.seconds
            )
            self._epochs_sent += 1
        yield from self._losses(upto)
        timeline = self.record.timeline
        if timeline is not None and len(timeline) and timeline.seconds[0] <= t:
            index = timeline.index_at_seconds(t)
            if index != self._frame:
                yield self._reach(index)

    def _reach(self, index: int) -> FrameReached:
        self._frame = index
        return FrameReached(self.run_id, index, index + 1)

    def _losses(self, upto: int):
        if upto <= self._sent:
            return
        curve, a = self.record.losses, self._sent
        yield LossChunk(
            self.run_id,
            np.array(curve.steps[a:upto], np.int64),
            np.array(curve.examples_seen[a:upto], np.int64),
            np.array(curve.losses[a:upto], np.float32),
            np.array(curve.seconds[a:upto], np.float64),
        )
        self._sent = upto
        yield from self._rate_changes(int(curve.steps[upto - 1]))
        yield self._progress_now()

    def _rate_changes(self, step: int):
        """The learning-rate changes up to ``step``, once each (after the loss chunk that holds their step)."""
        changes = getattr(self.record, "rate_changes", ())
        while self._rates_sent < len(changes) and changes[self._rates_sent].step <= step:
            c = changes[self._rates_sent]
            yield RateChanged(self.run_id, c.step, c.examples_seen, c.seconds, c.learning_rate)
            self._rates_sent += 1

    def _progress_now(self) -> Progress:
        r, curve = self.record, self.record.losses
        done = int(curve.steps[self._sent - 1]) if self._sent else 0
        epoch = (
            int(np.searchsorted([e.examples_seen for e in r.epochs], curve.examples_seen[self._sent - 1], side="left"))
            if self._sent
            else 0
        )
        left = max(0.0, self._end - self.position) / self._speed
        return Progress(
            self.run_id, done, max(int(r.total_steps), done, 1), epoch, float(r.outcome.images_per_second or 0.0), left
        )

    def _outcome(self, status: RunStatus) -> RunOutcome:
        r = self.record
        seen = int(r.losses.examples_seen[self._sent - 1]) if self._sent else 0
        if status is not RunStatus.COMPLETED or r.final_weights is None:
            return RunOutcome(self.run_id, status, examples_seen=seen)
        meta = {"config": dict(r.config), "replayed": r.name or r.arch, "test_accuracy": r.outcome.test_accuracy}
        return RunOutcome(
            self.run_id,
            status,
            weights=self.weights,
            test_accuracy=r.outcome.test_accuracy,
            examples_seen=seen,
            train_seconds=float(r.outcome.train_seconds or 0.0),
            metadata=meta,
        )
