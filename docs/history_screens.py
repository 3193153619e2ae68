"""Screenshots of the run history's views in the real window: the runs table with two runs overlaid, the filter
timeline half-way through a run, a race, and the architecture editor. Run under Xvfb, one process:

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/history_screens.py --out docs

Trains small runs on real MNIST ($CONVVIZ_DATA_DIR), so it takes a minute; the pictures are for docs/.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PyQt5 import QtWidgets


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    os.environ.setdefault("CONVVIZ_RUNS_DIR", tempfile.mkdtemp(prefix="convviz-runs-"))
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.config import TrainConfig
    from convviz.gui.common import i18n, theme
    from convviz.gui.window.app import MainWindow

    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())
    window = MainWindow(data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def wait(condition, timeout: float = 300) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("waited too long")
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str) -> None:
        spin(1.0)
        app.primaryScreen().grabWindow(0).save(str(out / name))
        print("wrote", out / name)

    def train(config: TrainConfig) -> None:
        done = []
        window.training_finished.connect(done.append)
        window.start_training(config)
        wait(lambda: done)
        window.training_finished.disconnect(done.append)

    wait(lambda: window.model() is not None)
    train(TrainConfig(arch="lenet5", batch_size=32, epochs=2, train_limit=3000, seed=0))
    train(TrainConfig(arch="lenet5", batch_size=256, epochs=2, train_limit=3000, seed=0))
    window.show_panel("Runs")
    shot("runs.png")
    window.show_panel("Filters")
    window.timeline.set_index(window.timeline.count() // 3)
    shot("timeline.png")
    race = window.race
    race.start(TrainConfig(arch="dense", batch_size=64, epochs=1, train_limit=3000, seed=0),
               TrainConfig(arch="lenet5", batch_size=64, epochs=1, train_limit=3000, seed=0))  # fmt: skip
    spin(1.0)
    wait(lambda: not race.racing)
    window.show_panel("Race")
    shot("race.png")
    from convviz.gui.panels.archeditor import ArchEditorDialog

    dialog = ArchEditorDialog("conv32@5x5/2-pool2-conv64@3x3-dense128", 64, window)
    dialog.show()
    shot("archeditor.png")
    dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
