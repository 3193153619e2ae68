"""The recorded full runs in assets/runs: made with assets/models/train.sh's settings, whole, small, valid."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from convviz.config import TrainConfig
from convviz.recording import load_record
from tests.conftest import ROOT

RUNS = ROOT / "assets" / "runs"
TARGETS = {"cnn": 0.993, "template": 0.990}  # the shipped models' MNIST test accuracy targets
MAX_BYTES = 10 * 2**20  # "keep them small"


def train_sh_settings(arch: str) -> dict:
    """The settings assets/models/train.sh trains ``arch`` with: epochs, batch size, lr, decay, whether it draws
    the continental forms or augments (and seed 0, numpy)."""
    text = (ROOT / "assets" / "models" / "train.sh").read_text()
    line = re.search(rf'\[{arch}\]="([^"]+)"', text).group(1)
    flags = dict(re.findall(r"--([a-z-]+) (?!--)(\S+)", line))
    return {
        "epochs": int(flags["epochs"]),
        "batch_size": int(flags["batch-size"]),
        "learning_rate": float(flags["lr"]),
        "lr_decay": float(flags["lr-decay"]),
        "forms": "--forms" in line.split(),
        "augment": "--augment" in line.split(),
    }


@pytest.mark.parametrize("arch", ["cnn", "lenet5", "dense", "template"])
def test_a_shipped_model_was_made_with_train_sh_s_settings(arch):
    """model.json of assets/models/<arch> records the settings train.sh names for it (AUGMENT=1 is not used)."""
    meta = json.loads((ROOT / "assets" / "models" / arch / "model.json").read_text())
    config = TrainConfig.from_dict(meta["config"])
    assert config.arch == arch and config.batching == "numpy" and config.seed == 0 and config.train_limit is None
    for name, value in train_sh_settings(arch).items():
        assert getattr(config, name) == pytest.approx(value), name


@pytest.mark.parametrize("arch", sorted(TARGETS))
def test_a_shipped_run_is_the_whole_training_with_train_sh_s_settings(arch):
    path = RUNS / f"{arch}.convviz-run.npz"
    assert path.stat().st_size <= MAX_BYTES
    record = load_record(path)  # validated: dtypes, shapes, lengths, finite values
    config = record.train_config()
    assert config.arch == arch and config.batching == "numpy" and config.seed == 0 and config.train_limit is None
    for name, value in train_sh_settings(arch).items():
        assert getattr(config, name) == pytest.approx(value), name
    assert record.train_size == 60_000 and len(record.epochs) == config.epochs
    steps_per_epoch = -(-60_000 // config.batch_size)
    assert len(record.losses) == record.total_steps == steps_per_epoch * config.epochs  # every step's loss
    assert record.outcome.status == "completed" and record.outcome.test_accuracy >= TARGETS[arch]
    timeline = record.timeline
    assert 100 <= len(timeline) <= 200 and timeline.steps[0] == 0 and timeline.steps[-1] == record.total_steps
    assert np.all(np.diff(timeline.steps) > 0)
    # noise first, the learned filters last: the first and the last frame differ
    assert not np.allclose(timeline.kernels[0], timeline.kernels[-1], atol=1e-2)
