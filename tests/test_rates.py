"""Changing the learning rate mid-run: fed to the graph at the next step (every batching), marked by a
RateChanged, kept in the record (a file without it still loads) and replayed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz.config import BATCHINGS, TrainConfig
from convviz.errors import ConfigError
from convviz.events import LossChunk, RateChanged, RunOutcome
from convviz.playback import RecordSession
from convviz.recording import RateChange, load_record, save_record
from convviz.run import BATCH_DONE, RunSession
from convviz.training import Trainer

TRAIN, BATCH = 128, 32


def _config(batching: str = "numpy", optimizer: str = "sgd", rate: float = 0.1) -> TrainConfig:
    return TrainConfig(
        arch="dense",
        batching=batching,
        batch_size=BATCH,
        epochs=1,
        seed=3,
        optimizer=optimizer,
        learning_rate=rate,
        train_limit=TRAIN,
    )


@pytest.mark.parametrize("batching", BATCHINGS)
def test_the_optimizer_takes_the_new_rate_at_the_next_step(tiny_mnist, batching):
    with Trainer(_config(batching), tiny_mnist) as trainer:
        events = trainer.run()
        first = next(events)
        assert first.learning_rate == pytest.approx(0.1) and first.effective_rate == pytest.approx(0.1)
        trainer.set_learning_rate(0.025)
        second = next(events)
        assert second.learning_rate == pytest.approx(0.025)
        assert second.effective_rate == pytest.approx(0.025)  # the optimizer's own tensor, read in that step
        events.close()


def test_a_tiny_rate_makes_the_next_update_tiny(tiny_mnist):
    """Plain SGD moves the weights by rate x gradient: a 10^5 times smaller rate, a far smaller step."""
    moves = {}
    for rate in (0.1, 1e-6):
        with Trainer(_config(), tiny_mnist) as trainer:
            events = trainer.run()
            next(events)
            before = trainer.weights()["fc1/kernel"]
            trainer.set_learning_rate(rate)
            next(events)
            moves[rate] = float(np.abs(trainer.weights()["fc1/kernel"] - before).max())
            events.close()
    assert moves[0.1] > 0
    assert moves[1e-6] < moves[0.1] * 1e-3


def test_a_bad_rate_is_one_line(tiny_mnist):
    session = RunSession(_config(), tiny_mnist, timeline=False, snapshots=False)
    for bad in (0, -1, 11, float("nan"), "fast"):
        with pytest.raises(ConfigError) as err:
            session.set_learning_rate(bad)
        assert "\n" not in str(err.value)


def _run_with_change(data, batching: str = "numpy"):
    session = RunSession(_config(batching), data, timeline=False, snapshots=False)
    events, done = [], 0
    with session:
        for event in session.batches():
            if event is BATCH_DONE:
                done += 1
                if done == 2:  # after two steps
                    session.set_learning_rate(0.01)
            else:
                events.append(event)
    return session, events


@pytest.mark.parametrize("batching", BATCHINGS)
def test_the_change_is_an_event_and_in_the_record(tiny_mnist, batching):
    _, events = _run_with_change(tiny_mnist, batching)
    changes = [e for e in events if isinstance(e, RateChanged)]
    assert len(changes) == 1
    change = changes[0]
    assert change.learning_rate == pytest.approx(0.01)
    steps = np.concatenate([e.steps for e in events if isinstance(e, LossChunk)])
    assert change.step == 3 and change.step in steps
    record = next(e for e in events if isinstance(e, RunOutcome)).record
    assert record.rate_changes == (RateChange(change.step, change.examples_seen, change.seconds, change.learning_rate),)


def test_the_change_is_saved_and_replayed(tiny_mnist, tmp_path):
    session, _ = _run_with_change(tiny_mnist)
    path = save_record(session.record, tmp_path / "run.convviz-run.npz")
    loaded = load_record(path)
    assert loaded.rate_changes == session.record.rate_changes
    replayed = list(RecordSession(loaded, speed=50, tick=0.0))
    changes = [e for e in replayed if isinstance(e, RateChanged)]
    assert [(c.step, c.learning_rate) for c in changes] == [(c.step, c.learning_rate) for c in loaded.rate_changes]
    # the marker comes after the loss chunk that holds its step
    chunk_before = [e for e in replayed[: replayed.index(changes[0])] if isinstance(e, LossChunk)]
    assert chunk_before and chunk_before[-1].steps[-1] >= changes[0].step


def test_a_record_without_the_part_still_loads(tiny_mnist, tmp_path):
    """Records written before the rate changes existed have no "rate_changes" key in their JSON member."""
    session, _ = _run_with_change(tiny_mnist)
    path = save_record(session.record, tmp_path / "run.convviz-run.npz")
    with np.load(path, allow_pickle=False) as saved:
        arrays = {name: saved[name] for name in saved.files}
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    meta.pop("rate_changes")
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    old = tmp_path / "old.convviz-run.npz"
    np.savez(old, **arrays)
    loaded = load_record(old)
    assert loaded.rate_changes == () and len(loaded.losses) == len(session.record.losses)


def _curve(data, batching: str, seed: int) -> list:
    config = TrainConfig(
        arch="dense",
        batching=batching,
        batch_size=32,
        seed=seed,
        train_limit=TRAIN,
        epochs=1 if batching == "estimator" else 2,
    )
    with Trainer(config, data) as trainer:
        return [e.loss for e in trainer.run() if hasattr(e, "loss")]


def test_each_batching_gives_the_same_curve_for_the_same_seed(tiny_mnist):
    """What docs/lecture.md step 8 says: each strategy repeats its own curve exactly; the three draw their
    batches in different orders (numpy's RandomState, tf.data's shuffle), so their curves differ."""
    curves = {b: _curve(tiny_mnist, b, 7) for b in BATCHINGS}
    for batching in BATCHINGS:
        assert _curve(tiny_mnist, batching, 7) == curves[batching]
    assert curves["numpy"] != curves["dataset"]


def test_the_batchings_are_measured_side_by_side(tiny_mnist):
    from convviz.batchings import measure_batching

    for batching in ("numpy", "dataset"):  # the Estimator's same curve: test_each_batching_gives_the_same_curve...
        config = TrainConfig(arch="dense", batching=batching, batch_size=64, seed=2, train_limit=TRAIN)
        report = measure_batching(config, tiny_mnist)
        assert report.same_curve and report.steps == TRAIN // 64
        assert report.images_per_second > 0 and report.peak_bytes is not None and report.peak_bytes >= 0
