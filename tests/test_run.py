"""The one run pipeline without Qt: RunSession's events for every batching, its gate on a fake clock,
its coalescing, the record it grows, and a record replayed by RecordSession."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from convviz.config import BATCHINGS, TrainConfig
from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReached,
    FrameReady,
    LossChunk,
    Progress,
    RunOutcome,
    RunStatus,
    Snapshot,
    Stepped,
)
from convviz.gate import Gate
from convviz.playback import RecordSession
from convviz.recording import RecordingError, load_record, save_record
from convviz.run import BATCH_DONE, LOSS_INTERVAL, RunSession

TRAIN, BATCH = 256, 32
STEPS = TRAIN // BATCH


def _config(batching: str = "numpy", epochs: int = 1) -> TrainConfig:
    return TrainConfig(arch="dense", batching=batching, batch_size=BATCH, epochs=epochs, seed=0)


def _drain(session: RunSession) -> list:
    """Every event, each snapshot taken at once (as the window does once it has drawn one)."""
    events = []
    with session:
        for event in session:
            events.append(event)
            if isinstance(event, Snapshot):
                session.snapshot_taken()
    return events


def _losses(events) -> np.ndarray:
    return np.concatenate([e.losses for e in events if isinstance(e, LossChunk)])


class FakeTime:
    """The session's clock: it moves only when the session waits (or when told)."""

    def __init__(self, on_hold=None):
        self.now, self.waits, self.on_hold = 100.0, [], on_hold

    def clock(self) -> float:
        return self.now

    def wait(self, event: threading.Event, timeout) -> bool:
        self.waits.append(timeout)
        if timeout is None:
            assert self.on_hold is not None, "the session held though nothing paused it"
            self.on_hold()
        else:
            self.now += timeout
        return False


@pytest.mark.parametrize("batching", BATCHINGS)
def test_every_batching_yields_the_events_and_grows_the_record(tiny_mnist, batching):
    session = RunSession(_config(batching), tiny_mnist, run_id=7)
    events = _drain(session)
    kinds = {type(e) for e in events}
    assert {LossChunk, Progress, EpochReport, Snapshot, FrameReady, RunOutcome} <= kinds
    assert ErrorInfo not in kinds and Stepped not in kinds
    assert all(e.run_id == 7 for e in events)
    outcome = events[-1]
    assert isinstance(outcome, RunOutcome) and outcome.status is RunStatus.COMPLETED
    assert sum(isinstance(e, RunOutcome) for e in events) == 1
    # The record holds exactly what the events carried: every step once, in order.
    record = outcome.record
    assert record is session.record
    np.testing.assert_array_equal(record.losses.steps, np.arange(1, STEPS + 1))
    np.testing.assert_array_equal(record.losses.losses, _losses(events))
    steps = np.concatenate([e.steps for e in events if isinstance(e, LossChunk)])
    np.testing.assert_array_equal(steps, np.arange(1, STEPS + 1))
    report = next(e for e in events if isinstance(e, EpochReport))
    assert [(e.epoch, e.examples_seen, e.test_accuracy) for e in record.epochs] == [
        (report.epoch, report.examples_seen, report.test_accuracy)
    ]
    assert record.outcome.status == "completed" and record.outcome.steps == STEPS
    assert record.outcome.examples_seen == TRAIN and record.total_steps == STEPS
    # The timeline: the initial weights (where the strategy has them) up to the final ones.
    frames = [e.frame for e in events if isinstance(e, FrameReady)]
    assert list(record.timeline.steps) == sorted({f.step for f in frames})  # the final frame replaces its step's
    assert record.timeline.steps[-1] == STEPS and frames[-1].step == STEPS
    assert (record.timeline.steps[0] == 0) == (batching != "estimator")
    assert set(record.final_weights) == set(outcome.weights)


def test_the_record_saves_and_loads_as_the_cli_writes_it(tiny_mnist, tmp_path):
    session = RunSession(_config(), tiny_mnist, snapshots=False, timeline_budget=None, keep_weights=False)
    events = _drain(session)
    assert not any(isinstance(e, Snapshot) for e in events)
    path = save_record(session.record, tmp_path / "run.convviz-run.npz")
    loaded = load_record(path)
    np.testing.assert_array_equal(loaded.losses.losses, session.record.losses.losses)
    assert loaded.final_weights is None and len(loaded.timeline) == len(session.record.timeline)


def test_a_bad_probe_is_refused_before_training(tiny_mnist):
    with pytest.raises(RecordingError, match="the probe must be a test image from 0 to 299, got 300"):
        RunSession(_config(), tiny_mnist, probe_index=300)


def test_losses_are_coalesced_on_the_clock(tiny_mnist):
    time = FakeTime()  # never moves: only the first batch is due, the rest waits for the epoch's end
    session = RunSession(_config(), tiny_mnist, clock=time.clock, wait=time.wait, timeline=False)
    events = _drain(session)
    chunks = [e for e in events if isinstance(e, LossChunk)]
    assert [len(c.steps) for c in chunks] == [1, STEPS - 1]
    assert time.waits == []  # full speed: the gate never waited


def test_slow_motion_sends_every_batch_and_spaces_them(tiny_mnist):
    time = FakeTime()
    session = RunSession(_config(), tiny_mnist, clock=time.clock, wait=time.wait, timeline=False)
    session.set_speed(2.0)
    events = _drain(session)
    chunks = [e for e in events if isinstance(e, LossChunk)]
    assert [len(c.steps) for c in chunks] == [1] * STEPS
    assert len(time.waits) >= STEPS - 1 and all(w == pytest.approx(0.5) for w in time.waits)
    assert LOSS_INTERVAL < 0.5


def test_pause_step_and_stop(tiny_mnist):
    session = None

    def held():  # the user presses Stop while the run holds after its step
        session.stop()

    time = FakeTime(on_hold=held)
    session = RunSession(_config(), tiny_mnist, clock=time.clock, wait=time.wait, timeline=False)
    session.pause()
    assert session.step()
    events = _drain(session)
    stepped = [e for e in events if isinstance(e, Stepped)]
    assert len(stepped) == 1 and stepped[0].progress.done == 1
    # The step's batch, its progress and its weights come before the report that it is done.
    order = [type(e) for e in events]
    assert order.index(LossChunk) < order.index(Stepped) and order.index(Snapshot) < order.index(Stepped)
    assert events[-1].status is RunStatus.STOPPED and session.record.outcome.steps == 1
    assert time.waits == [None]


def test_a_race_interleaves_two_sessions_batch_by_batch(tiny_mnist):
    sessions = [RunSession(_config(), tiny_mnist, run_id=i, timeline=False, snapshots=False) for i in (1, 2)]
    lanes = [s.batches() for s in sessions]
    order = []
    done = [False, False]
    while not all(done):
        for i, lane in enumerate(lanes):
            for event in lane:
                if event is BATCH_DONE:
                    order.append(i)
                    break
                if isinstance(event, RunOutcome):
                    done[i] = True
                    break
    assert order[: 2 * STEPS] == [0, 1] * STEPS
    for s in sessions:
        s.close()
    np.testing.assert_allclose(sessions[0].record.losses.losses, sessions[1].record.losses.losses, atol=1e-5)


def test_a_replayed_record_yields_the_same_losses(tiny_mnist):
    session = RunSession(_config(epochs=2), tiny_mnist)
    events = _drain(session)
    time = FakeTime()
    gate = Gate(time.clock, time.wait)
    replay = RecordSession(session.record, run_id=3, speed=50, weights=events[-1].weights, gate=gate)
    replayed = list(replay)
    np.testing.assert_array_equal(_losses(replayed), _losses(events))
    assert [e.epoch for e in replayed if isinstance(e, EpochReport)] == [0, 1]
    assert isinstance(replayed[0], Snapshot) and isinstance(replayed[-1], RunOutcome)
    assert replayed[-1].status is RunStatus.COMPLETED and all(e.run_id == 3 for e in replayed)
    reached = [e for e in replayed if isinstance(e, FrameReached)]
    assert reached[-1].index == len(session.record.timeline) - 1
