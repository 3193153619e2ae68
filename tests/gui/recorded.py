"""A small real recorded run for the timeline and replay tests: LeNet-5, 640 images, 2 epochs, through the CLI.

Recorded once a session (a CLI process: Python, TensorFlow, the training); each
later caller gets a copy of that file in its own folder, free to change or truncate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import mnist_dir

ROOT = Path(__file__).resolve().parents[2]
_RECORDED: list = []  # the session's record, in the folder of the first caller (pytest keeps it)


def record_small_run(folder: Path) -> Path:
    """``folder``/lenet5.convviz-run.npz: the session's small record, recorded by the first call."""
    path = Path(folder) / "lenet5.convviz-run.npz"
    if _RECORDED and _RECORDED[0].is_file():
        shutil.copyfile(str(_RECORDED[0]), str(path))
        return path
    env = dict(os.environ, CONVVIZ_DATA_DIR=str(mnist_dir()))
    cmd = [sys.executable, str(ROOT / "main.py"), "train", "--arch", "lenet5", "--train-limit", "640",
           "--epochs", "2", "--record", str(path)]  # fmt: skip
    done = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    _RECORDED[:] = [path]
    return path
