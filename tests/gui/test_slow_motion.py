"""Slow motion and single steps in the training job: the delays it plans, what wakes it, one batch per Step.

The delays are checked on the job's own clock (a fake one that moves only when
the job waits), never on wall time; the wake-ups with a wait function that
ignores its timeout, so that a control call that failed to wake the job would
hang the test instead of passing it late.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PyQt5 import QtCore

from convviz.config import BATCHINGS, TrainConfig
from convviz.events import RunStatus
from convviz.gui.common.threads import start_job
from convviz.gui.jobs.training import TrainingJob
from convviz.run import SLOW_MOTION_SPEED

RUN_MS = 120_000


class FakeTime:
    """The job's clock; it moves only when the job waits, by exactly the time it asked for."""

    def __init__(self):
        self.now = 100.0
        self.waits: list = []

    def clock(self) -> float:
        return self.now

    def wait(self, event: threading.Event, timeout) -> bool:
        assert timeout is not None, "the job held without a deadline, though nothing paused it"
        self.waits.append(timeout)
        self.now += timeout
        return False


class Recorder:
    """What a job emits, and its outcome once it finished and its thread was deleted."""

    def __init__(self, job: TrainingJob, direct_snapshots: bool = False):
        self.chunks, self.snapshots, self.epochs, self.steps, self.outcomes = [], [], [], [], []
        self._deleted: list = []
        job.losses_ready.connect(self.chunks.append, QtCore.Qt.DirectConnection)
        job.epoch_finished.connect(self.epochs.append)
        job.stepped.connect(self.steps.append)
        job.finished.connect(self.outcomes.append)

        def take(snapshot):
            self.snapshots.append(snapshot)
            job.snapshot_taken()  # as the window does once it has drawn one

        job.snapshot_ready.connect(take, QtCore.Qt.DirectConnection if direct_snapshots else QtCore.Qt.AutoConnection)

    def start(self, job: TrainingJob) -> None:
        thread = start_job(job)
        thread.destroyed.connect(lambda *_: self._deleted.append(True))

    def wait_finished(self, qtbot):
        # Neither job nor thread is touched once they may be deleted.
        qtbot.waitUntil(lambda: bool(self.outcomes) and bool(self._deleted), timeout=RUN_MS)
        return self.outcomes[0]

    def losses(self) -> np.ndarray:
        return np.concatenate([c.steps for c in self.chunks]) if self.chunks else np.zeros(0, np.int64)

    def seconds(self) -> np.ndarray:
        return np.concatenate([c.seconds for c in self.chunks])


def test_at_five_batches_a_second_two_seconds_hold_ten_batches_each_shown(qtbot, tiny_mnist):
    fake = FakeTime()
    job = TrainingJob(TrainConfig(arch="dense", batch_size=8, epochs=1), tiny_mnist, clock=fake.clock, wait=fake.wait)
    job.set_speed(5)
    seen = Recorder(job, direct_snapshots=True)

    def change_speed(chunk):  # in the job's thread, between two batches: takes effect for the next one
        if chunk.steps[-1] == 10:
            job.set_speed(1)
        elif chunk.steps[-1] == 15:
            job.set_speed(None)

    job.losses_ready.connect(change_speed, QtCore.Qt.DirectConnection)
    seen.start(job)
    outcome = seen.wait_finished(qtbot)
    assert outcome.status is RunStatus.COMPLETED
    np.testing.assert_array_equal(seen.losses(), np.arange(1, 33))  # every batch once, in order
    seconds = seen.seconds()
    assert np.sum(seconds < 2.0) == 10  # 5 batches a second: ten in the first two seconds
    np.testing.assert_allclose(np.diff(seconds[:10]), 0.2)
    np.testing.assert_allclose(np.diff(seconds[9:15]), 1.0)  # 1 a second from the batch after the change
    np.testing.assert_allclose(np.diff(seconds[14:]), 0.0)  # full speed: no delay at all
    assert fake.waits == pytest.approx([0.2] * 9 + [1.0] * 5)
    # Slow motion: each of those batches reached the window on its own, loss and weights.
    assert [len(c.steps) for c in seen.chunks[:15]] == [1] * 15
    assert [s.step for s in seen.snapshots[:15]] == list(range(1, 16))
    assert len(seen.chunks) < 32  # at full speed the losses are coalesced again
    assert SLOW_MOTION_SPEED >= 5


def test_a_job_never_waits_out_a_delay_that_a_control_call_ended(qtbot, tiny_mnist):
    """The wait ignores its timeout: only a wake-up ends it. Speed, pause, step, resume and stop all wake it."""
    woken: list = []

    def wait_for_wake(event: threading.Event, timeout) -> None:
        woken.append(event.wait(60))  # no deadline of its own: a missed wake-up fails the test

    job = TrainingJob(TrainConfig(arch="dense", batch_size=16, epochs=1), tiny_mnist, wait=wait_for_wake)
    job.set_speed(1)
    seen = Recorder(job)
    actions = []

    def on_chunk(chunk):
        if chunk.steps[-1] == 1 and not actions:
            actions.append("pause+step")
            job.pause()
            assert job.step()
        elif chunk.steps[-1] >= 3 and len(actions) == 2:
            actions.append("stop")
            job.stop()

    def on_step(progress):
        actions.append("faster")
        assert progress.done == 2
        job.resume()
        assert not job.step()  # not paused: a step means nothing
        job.set_speed(1000)  # the 1 s wait for batch 3 ends at once

    job.losses_ready.connect(on_chunk, QtCore.Qt.QueuedConnection)
    job.stepped.connect(on_step)
    seen.start(job)
    outcome = seen.wait_finished(qtbot)
    assert actions == ["pause+step", "faster", "stop"]
    assert outcome.status is RunStatus.STOPPED and 3 <= outcome.examples_seen // 16 < 16
    assert woken and all(woken)


@pytest.mark.parametrize("batching", BATCHINGS)
def test_step_trains_exactly_one_batch_and_shows_it_whole(qtbot, tiny_mnist, batching):
    # 256 images in batches of 128: two batches an epoch, so the third step crosses an evaluation.
    config = TrainConfig(arch="lenet5", batching=batching, batch_size=128, epochs=2, seed=4)
    job = TrainingJob(config, tiny_mnist)
    job.pause()  # Step with no run: the run starts paused and steps
    seen = Recorder(job)
    seen.start(job)
    kernels = []
    for n in (1, 2, 3, 4):
        assert job.step()
        qtbot.waitUntil(lambda: len(seen.steps) == n, timeout=RUN_MS)  # noqa: B023
        assert seen.steps[-1].done == n and seen.steps[-1].total == 4
        np.testing.assert_array_equal(seen.losses(), np.arange(1, n + 1))  # exactly one more point
        assert seen.snapshots[-1].step == n  # the weights after that batch, for the filters and the pad
        kernels.append(seen.snapshots[-1].weights["conv1/kernel"])
        assert len(seen.epochs) == (n > 2)  # the third step went through epoch 1's evaluation
    qtbot.wait(300)
    assert len(seen.losses()) == 4 and len(seen.snapshots) == 4  # held: nothing trains between steps
    for before, after in zip(kernels, kernels[1:]):
        assert not np.allclose(before, after)  # every step moved the filters
    assert job.step()  # no batch is left: the step runs the last evaluation and the run ends
    outcome = seen.wait_finished(qtbot)
    assert outcome.status is RunStatus.COMPLETED and outcome.examples_seen == 512
    assert len(seen.epochs) == 2 and len(seen.steps) == 4
    np.testing.assert_array_equal(outcome.weights["conv1/kernel"], kernels[-1])
