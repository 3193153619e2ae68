"""docs/notebook_bridge.ipynb runs top to bottom against a listening ConvViz (a headless ``listen``).

nbformat and nbclient are not among ConvViz's dependencies: the notebook's code
cells are read from its JSON and run in order, in one fresh Python process,
as a kernel would run them. Each of its three trainings (numpy, ``tf.data``,
Estimator) must arrive as a stream with its losses, kernels and feature maps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.bridge_helpers import HeadlessListen
from tests.conftest import ROOT, mnist_dir

NOTEBOOK = ROOT / "docs" / "notebook_bridge.ipynb"
IMAGES = 256  # 4 steps of 64 per training: plumbing, not learning


def notebook_code() -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_the_notebook_streams_its_three_trainings(tmp_path):
    script = tmp_path / "notebook.py"
    script.write_text(notebook_code(), encoding="utf-8")
    listen = HeadlessListen(streams=3)
    try:
        env = dict(
            os.environ,
            CONVVIZ_PORT=str(listen.port),
            CONVVIZ_TOKEN=listen.token,
            CONVVIZ_HOME=str(ROOT),
            CONVVIZ_DATA_DIR=str(mnist_dir()),
            NOTEBOOK_IMAGES=str(IMAGES),
            TF_CPP_MIN_LOG_LEVEL="3",
        )
        done = subprocess.run(
            [sys.executable, str(script)], cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "convviz.watch:" not in done.stderr, done.stderr[-3000:]  # no warning: every stream got through
        lines, err = listen.results()
    finally:
        listen.kill()
    assert len(lines) == 3, err
    steps = IMAGES // 64
    for line in lines:
        assert line["steps"] == line["losses"] == steps, lines
        assert line["kernels"] >= 1 and line["feature_maps"] >= 1, lines
    assert [line["accuracies"] for line in lines] == [1, 0, 1]
