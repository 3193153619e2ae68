"""The worker bridge: coalescing, a real training job in a QThread, stop, errors, a cancelled download."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.events import (
    ERROR_MAX_CHARS,
    EpochReport,
    ErrorInfo,
    LossChunk,
    RunOutcome,
    RunStatus,
    Snapshot,
    error_text,
)
from convviz.gate import Coalescer
from convviz.gui.common.threads import start_job
from convviz.gui.jobs.loading import DataJob, ModelJob
from convviz.gui.jobs.training import TrainingJob


def test_coalescer_limits_the_rate():
    now = [0.0]
    clock = Coalescer(0.1, clock=lambda: now[0])
    due = []
    for _ in range(100):  # 100 batches in 0.5 s
        due.append(clock.due())
        now[0] += 0.005
    assert sum(due) == 5  # at most one emission per 0.1 s
    assert due[0]  # the first batch is shown at once


def _start(qtbot, job, timeout=60000):
    """Start ``job``; wait until it finished and start_job's deleteLater deleted its thread.

    Neither the thread nor the job's signals are touched once they may be deleted (qtbot.waitSignal
    would disconnect from a deleted job's signal, which can crash instead of raising).
    """
    results, deleted = [], []
    job.finished.connect(lambda *args: results.append(args))
    thread = start_job(job)
    # Deletion needs this (the main) thread's event loop, which has not run since start_job: no race.
    thread.destroyed.connect(lambda *_: deleted.append(True))
    qtbot.waitUntil(lambda: bool(results) and bool(deleted), timeout=timeout)
    return results[0]


def _run_job(qtbot, job, timeout=60000):
    return _start(qtbot, job, timeout)[0]


def test_training_job_streams_typed_losses_snapshots_and_weights(qtbot, small_mnist):
    config = TrainConfig(arch="lenet5", batch_size=50, epochs=1)
    job = TrainingJob(config, small_mnist, run_id=7)
    chunks, epochs, snapshots = [], [], []
    job.losses_ready.connect(chunks.append)
    job.epoch_finished.connect(epochs.append)

    def take(snapshot):
        snapshots.append(snapshot)
        job.snapshot_taken()  # as the window does once it has shown one

    job.snapshot_ready.connect(take)
    outcome = _run_job(qtbot, job)
    assert isinstance(outcome, RunOutcome) and outcome.status is RunStatus.COMPLETED and outcome.run_id == 7
    assert all(isinstance(c, LossChunk) and c.run_id == 7 for c in chunks)
    steps = np.concatenate([c.steps for c in chunks])
    np.testing.assert_array_equal(steps, np.arange(1, 41))  # every batch's loss arrives, in order, once
    seconds = np.concatenate([c.seconds for c in chunks])
    assert np.all(np.diff(seconds) >= 0) and seconds[0] > 0  # wall-clock, for a time axis
    assert len(chunks) < 40  # coalesced: fewer signals than batches
    assert chunks[-1].examples_seen[-1] == 2000
    assert len(epochs) == 1 and isinstance(epochs[0], EpochReport) and 0.5 < epochs[0].test_accuracy <= 1
    assert all(isinstance(s, Snapshot) for s in snapshots)
    first, last = snapshots[0], snapshots[-1]
    assert first.step >= 1  # no snapshot before the first step: the Estimator has no weights then
    assert last.step == 40 and last.examples_seen == 2000
    assert first.kernels(["conv1"])["conv1"].shape == (5, 5, 1, 6)
    assert not np.allclose(first.weights["conv1/kernel"], last.weights["conv1/kernel"])  # filters changed
    assert set(outcome.weights) >= {"conv1/kernel", "logits/bias"}
    for name, value in outcome.weights.items():
        np.testing.assert_array_equal(value, last.weights[name])  # the final snapshot is the final weights
    assert outcome.test_accuracy == epochs[0].test_accuracy == outcome.metadata["test_accuracy"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        last.step = 0  # events are immutable


def test_a_snapshot_waits_until_the_window_took_the_last_one(qtbot, small_mnist):
    """Backpressure: a busy GUI thread never builds a queue of stale weights."""
    job = TrainingJob(TrainConfig(arch="dense", batch_size=10, epochs=1), small_mnist)
    snapshots = []
    job.snapshot_ready.connect(snapshots.append)  # never acknowledged
    _run_job(qtbot, job)
    # The first one, then none until the final weights (always sent), though 200 batches took > 0.5 s.
    assert [s.step for s in snapshots] == [1, 200]


def test_stop_ends_the_job_early_and_measures_the_weights_kept(qtbot, small_mnist):
    job = TrainingJob(TrainConfig(arch="dense", batch_size=10, epochs=5), small_mnist)
    seen = []

    def on_chunk(chunk):
        seen.append(chunk)
        job.stop()  # from the GUI thread, as the Stop button does

    job.losses_ready.connect(on_chunk)
    outcome = _run_job(qtbot, job)
    assert outcome.status is RunStatus.STOPPED
    trained = sum(len(c.losses) for c in seen)
    assert trained < 5 * 200 and outcome.examples_seen == 10 * trained
    # No epoch ended, yet the outcome has the test accuracy of exactly the weights kept.
    assert outcome.test_accuracy is not None
    from convviz.model import Model

    with Model("dense", dict(outcome.weights)) as model:
        expected = model.accuracy(small_mnist.test_images, small_mnist.test_labels)
    assert outcome.test_accuracy == pytest.approx(expected, abs=1e-6)


def test_errors_reach_the_gui_thread_with_their_type(qtbot, tiny_mnist):
    images = np.array(tiny_mnist.train_images) * 1e30
    bad = dataclasses.replace(tiny_mnist, train_images=images)
    job = TrainingJob(TrainConfig(arch="dense", batch_size=64), bad)
    errors = []
    job.errored.connect(errors.append)
    outcome = _run_job(qtbot, job)
    assert outcome.status is RunStatus.FAILED and outcome.weights is None  # diverged weights are not kept
    assert len(errors) == 1 and isinstance(errors[0], ErrorInfo)
    assert errors[0].type_name == "TrainingError" and errors[0].user_error
    assert "lower" in errors[0].message and "\n" not in errors[0].message


def test_model_job_reports_a_bad_folder(qtbot, tmp_path):
    job = ModelJob(directory=tmp_path)
    errors = []
    job.errored.connect(errors.append)
    _start(qtbot, job)
    assert errors and "model.json is missing" in errors[0].message and errors[0].type_name == "ModelError"


def test_error_text_keeps_the_line_that_says_what_went_wrong():
    tf_style = (
        "Graph execution error:\n\nDetected at node 'xent' defined at (most recent call last):\n"
        "    File \"worker.py\", line 1, in work\nNode: 'xent'\n"
        "Received a label value of 99 which is outside the valid range of [0, 10).  Label values: 1 2\n"
        "\t [[{{node xent}}]]"
    )
    assert error_text(RuntimeError(tf_style)).startswith("Received a label value of 99")
    assert error_text(ValueError("one line")) == "one line"
    assert error_text(KeyError()) == "KeyError"  # no message: the type says it
    long = error_text(RuntimeError("x" * 1000))
    assert len(long) == ERROR_MAX_CHARS and long.endswith("…")


def test_a_cancelled_download_ends_with_a_message_and_no_files(qtbot, monkeypatch, tmp_path, mnist_mirror):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("convviz.download.MIRRORS", (mnist_mirror,))
    job = DataJob(tmp_path / "mnist", download=True)
    job.progress.connect(job.cancel, QtCore.Qt.DirectConnection)  # cancel at the first chunk, in its thread
    errors = []
    job.errored.connect(errors.append)
    # Not qtbot.waitSignal(job.finished) nor thread.isFinished(): job and thread delete themselves
    # when they finish, and touching them afterwards crashes or raises.
    done = []
    job.finished.connect(lambda: done.append(True))
    start_job(job)  # no reference kept: start_job keeps job and thread alive while they run
    del job
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    assert [e.message for e in errors] == ["the MNIST download was cancelled"]
    folder = tmp_path / "mnist"
    assert not folder.exists() or not any(p.name.endswith(".gz") for p in folder.iterdir())


class _QuickJob(QtCore.QObject):
    finished = QtCore.pyqtSignal()

    @QtCore.pyqtSlot()
    def work(self) -> None:
        self.finished.emit()


def test_a_finished_job_is_destroyed_without_calling_back_into_python_under_qts_lock(qtbot, monkeypatch):
    """Destroying a QObject, Qt calls each sender's disconnectNotify while it holds a signal-slot lock (a mutex
    shared by address through a pool), and a QThread made in Python answers that call only with the GIL.
    Were the thread's ``started`` connected to ``job.work``, the job's destruction would wait for the GIL
    under that lock while the GUI thread, holding the GIL in any connect or disconnect
    (QGraphicsTextItem.setHtml), waited for the same lock."""
    calls = []

    def disconnect_notify(thread, signal):  # a Python override: sip now calls it, in any thread
        calls.append((bytes(signal.name()).decode(), threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(QtCore.QThread, "disconnectNotify", disconnect_notify, raising=False)
    finished = []
    for _ in range(3):
        job = _QuickJob()
        job.destroyed.connect(lambda *_: finished.append(True), QtCore.Qt.DirectConnection)
        start_job(job)
        del job
    qtbot.waitUntil(lambda: len(finished) == 3, timeout=10000)
    assert [call for call in calls if not call[1]] == []  # none from a job's thread
    assert ("started", True) not in calls  # and nothing from the thread into the job at all


def test_a_job_is_destroyed_in_the_thread_that_started_it_never_in_its_own(qtbot):
    """Destroyed in its own thread, a job disconnects from its QThread's sip wrapper under a Qt mutex and
    waits there for the GIL, which the GUI thread may hold while it waits for a mutex of the same pool:
    the window froze. Every job must end its life at home."""
    destroyed_in = []
    for _ in range(5):
        job = _QuickJob()
        job.destroyed.connect(lambda *_: destroyed_in.append(threading.get_ident()), QtCore.Qt.DirectConnection)
        start_job(job)
        del job
    qtbot.waitUntil(lambda: len(destroyed_in) == 5, timeout=10000)
    assert destroyed_in == [threading.get_ident()] * 5
