"""Run records made by hand, for the recording tests (tests/test_recording*.py) and the tests of what reads
records (the fuzzers, the odd records, the window's runs table).

Records here have the shapes the real networks have (``weight_shapes`` is checked against the TF graphs
in tests/test_recording.py); tests/test_cli_record.py records real training runs.
"""

from __future__ import annotations

import time
import zipfile

import numpy as np

from convviz.config import TrainConfig
from convviz.recording import (
    EpochSummary,
    LossCurve,
    Outcome,
    RunRecord,
    SnapshotLog,
    timeline_layers,
    weight_shapes,
)

CUSTOM = "conv8@3x3v/2-pool2-dense32"


def random_weights(arch: str, rng: np.random.RandomState) -> dict:
    return {name: rng.normal(0, 0.1, shape).astype(np.float32) for name, shape in weight_shapes(arch).items()}


def random_maps(arch: str, rng: np.random.RandomState):
    lay = timeline_layers(arch)
    return None if lay.map_shape is None else rng.rand(*lay.map_shape).astype(np.float32) * 3


def make_record(arch="lenet5", steps=50, interval_steps=10, seed=0, weights=True, started_at=None, name=""):
    """A run of ``steps`` steps with a snapshot every ``interval_steps``: what a real one has, made by hand."""
    rng = np.random.RandomState(seed)
    config = TrainConfig(arch=arch, epochs=2, train_limit=steps * 32)
    train_size = steps * 32
    log = SnapshotLog(arch, probe_image=rng.rand(28, 28), probe_index=7, probe_label=3, interval=interval_steps)
    sources = []
    for step in range(steps + 1):
        if log.due(step):
            w, maps, p = random_weights(arch, rng), random_maps(arch, rng), rng.dirichlet(np.ones(10))
            log.add_weights(step, step * 64, step * 0.1, w, maps, p)
            sources.append((w, maps, p))
    losses = {
        "steps": np.arange(1, steps + 1),
        "examples_seen": np.arange(1, steps + 1) * 64,
        "losses": rng.rand(steps).astype(np.float32) + 0.1,
        "seconds": np.cumsum(rng.rand(steps)),
    }
    epochs = (EpochSummary(0, steps * 32, 0.91, 0.45, 2.5, 812.5), EpochSummary(1, steps * 64, 0.95, 0.2, 5.0, 830.0))
    outcome = Outcome("completed", 0.95, steps, steps * 64, 3.9, 6.2, 820.5, 1234567)
    record = RunRecord(
        arch=arch,
        config=config.to_dict(),
        train_size=train_size,
        total_steps=steps,
        losses=LossCurve.from_columns(losses),
        epochs=epochs,
        outcome=outcome,
        timeline=log.timeline(),
        final_weights=random_weights(arch, rng) if weights else None,
        started_at=time.time() if started_at is None else started_at,
        name=name,
    )
    return record, sources


def assert_same(a: RunRecord, b: RunRecord):
    for name in ("arch", "train_size", "total_steps", "epochs", "outcome", "started_at", "name", "version"):
        assert getattr(a, name) == getattr(b, name), name
    assert dict(a.config) == dict(b.config)
    assert dict(a.versions) == dict(b.versions)
    for column in ("steps", "examples_seen", "losses", "seconds"):
        x, y = getattr(a.losses, column), getattr(b.losses, column)
        assert x.dtype == y.dtype and np.array_equal(x, y), column
    ta, tb = a.timeline, b.timeline
    assert (ta is None) == (tb is None)
    if ta is not None:
        for name in ("kernel_layer", "map_layer", "probe_index", "probe_label"):
            assert getattr(ta, name) == getattr(tb, name), name
        for name in ("steps", "examples_seen", "seconds", "kernels", "maps", "probabilities", "probe_image"):
            x, y = getattr(ta, name), getattr(tb, name)
            assert (x is None) == (y is None), name
            if x is not None:
                assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert (a.final_weights is None) == (b.final_weights is None)
    if a.final_weights is not None:
        assert set(a.final_weights) == set(b.final_weights)
        for name, value in a.final_weights.items():
            assert b.final_weights[name].dtype == np.float32 and np.array_equal(value, b.final_weights[name])


# -- the members of a record file (a zip of .npy arrays)
def read_members(path):
    with zipfile.ZipFile(str(path)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def write_members(path, members):
    with zipfile.ZipFile(str(path), "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path
