"""The worker bridge: coalescing, a real training job in a QThread, stop, errors, a cancelled download."""

from __future__ import annotations

import dataclasses

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.gui.worker import ERROR_MAX_CHARS, Coalescer, DataJob, ModelJob, TrainingJob, _error_text, start_job
from tests.conftest import mnist_dir


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


def test_training_job_streams_losses_snapshots_and_weights(qtbot, small_mnist):
    config = TrainConfig(arch="lenet5", batch_size=50, epochs=1)
    job = TrainingJob(config, small_mnist, probe_image=small_mnist.test_images[0, :, :, 0])
    chunks, epochs, snapshots = [], [], []
    job.losses_ready.connect(chunks.append)
    job.epoch_finished.connect(epochs.append)
    job.snapshot_ready.connect(snapshots.append)
    result = _run_job(qtbot, job)
    assert result["status"] == "completed"
    steps = np.concatenate([c["steps"] for c in chunks])
    np.testing.assert_array_equal(steps, np.arange(1, 41))  # every batch's loss arrives, in order, once
    assert len(chunks) < 40  # coalesced: fewer signals than batches
    assert chunks[-1]["examples_seen"][-1] == 2000
    assert len(epochs) == 1 and 0.5 < epochs[0]["test_accuracy"] <= 1
    first, last = snapshots[0], snapshots[-1]
    assert first["kernels"]["conv1"].shape == (5, 5, 1, 6)
    assert not np.allclose(first["kernels"]["conv1"], last["kernels"]["conv1"])  # filters changed
    assert [name for name, _ in last["feature_maps"]] == ["conv1", "pool1", "conv2", "pool2", "conv3"]
    assert last["probabilities"].shape == (10,)
    assert set(result["weights"]) >= {"conv1/kernel", "logits/bias"}
    assert result["metadata"]["test_accuracy"] == epochs[0]["test_accuracy"]


def test_stop_ends_the_job_early(qtbot, small_mnist):
    job = TrainingJob(TrainConfig(arch="dense", batch_size=10, epochs=5), small_mnist)
    seen = []

    def on_chunk(chunk):
        seen.append(chunk)
        job.stop()  # from the GUI thread, as the Stop button does

    job.losses_ready.connect(on_chunk)
    result = _run_job(qtbot, job)
    assert result["status"] == "stopped"
    assert sum(len(c["losses"]) for c in seen) < 5 * 200


def test_errors_reach_the_gui_thread(qtbot, tiny_mnist):
    images = np.array(tiny_mnist.train_images) * 1e30
    bad = dataclasses.replace(tiny_mnist, train_images=images)
    job = TrainingJob(TrainConfig(arch="dense", batch_size=64), bad)
    errors = []
    job.errored.connect(errors.append)
    result = _run_job(qtbot, job)
    assert result["status"] == "failed"
    assert len(errors) == 1 and "lower" in errors[0] and "\n" not in errors[0]


def test_model_job_reports_a_bad_folder(qtbot, tmp_path):
    job = ModelJob(directory=tmp_path)
    errors = []
    job.errored.connect(errors.append)
    _start(qtbot, job)
    assert errors and "model.json is missing" in errors[0]


def test_error_text_keeps_the_line_that_says_what_went_wrong():
    tf_style = (
        "Graph execution error:\n\nDetected at node 'xent' defined at (most recent call last):\n"
        "    File \"worker.py\", line 1, in work\nNode: 'xent'\n"
        "Received a label value of 99 which is outside the valid range of [0, 10).  Label values: 1 2\n"
        "\t [[{{node xent}}]]"
    )
    assert _error_text(RuntimeError(tf_style)).startswith("Received a label value of 99")
    assert _error_text(ValueError("one line")) == "one line"
    assert _error_text(KeyError()) == "KeyError"  # no message: the type says it
    long = _error_text(RuntimeError("x" * 1000))
    assert len(long) == ERROR_MAX_CHARS and long.endswith("…")


def test_a_cancelled_download_ends_with_a_message_and_no_files(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("convviz.data.MIRRORS", (mnist_dir().resolve().as_uri() + "/",))
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
    assert errors == ["the MNIST download was cancelled"]
    assert not any(p.name.endswith(".gz") for p in (tmp_path / "mnist").iterdir())
