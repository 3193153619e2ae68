"""A small real recorded run for the timeline and replay tests: LeNet-5, 640 images, 2 epochs, through the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import mnist_dir

ROOT = Path(__file__).resolve().parents[2]


def record_small_run(folder: Path) -> Path:
    path = Path(folder) / "lenet5.convviz-run.npz"
    env = dict(os.environ, CONVVIZ_DATA_DIR=str(mnist_dir()))
    cmd = [sys.executable, str(ROOT / "main.py"), "train", "--arch", "lenet5", "--train-limit", "640",
           "--epochs", "2", "--record", str(path)]
    done = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return path
