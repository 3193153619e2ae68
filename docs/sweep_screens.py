"""Screenshots of the batch-size lab in the real window, German or English. Run under Xvfb, one process a size:

    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/sweep_screens.py --out docs --name sweep-1024x768-de.png
    xvfb-run -a -s "-screen 0 1920x1080x24" python docs/sweep_screens.py --out docs --name sweep-1920x1080.png

Runs a small sweep (lenet5, B 16, 64, 256, 1024, 8,000 images each) on real MNIST ($CONVVIZ_DATA_DIR),
changes the learning rate once, half-way through the B=64 run, and grabs the screen when it has ended.
"""  # noqa: E501

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
    parser.add_argument("--out", default="docs", help="folder for the PNG")
    parser.add_argument("--name", default="sweep.png")
    parser.add_argument("--examples", type=int, default=8000)
    parser.add_argument("--layout", default="auto", help="the panels' layout: auto, grid or tabs")
    parser.add_argument("--scrolled", default=None, help="a second PNG with the panel scrolled to its table")
    args = parser.parse_args(argv)
    os.environ.setdefault("CONVVIZ_RUNS_DIR", tempfile.mkdtemp(prefix="convviz-runs-"))
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.gui.common import i18n, theme
    from convviz.gui.window.app import MainWindow
    from convviz.sweepplan import AccuracyPoint

    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())
    window = MainWindow(data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    window.panels.set_mode(args.layout)

    def wait(condition, timeout: float = 900) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("waited too long")
            app.processEvents()
            time.sleep(0.01)

    wait(lambda: window.model() is not None and window.data() is not None)
    view = window.sweeper.view  # set up as a lecturer does, in the panel
    view.arch.setCurrentText("lenet5")
    view.sizes.setText("16,64,256,1024")
    view.budget.setValue(args.examples)
    view.policy.setCurrentIndex(2)  # square root of B
    done, changed = [], []

    def maybe_change(event) -> None:
        # Half-way through the second run (B=64): every run still training takes the new rate at its next batch.
        if (
            isinstance(event, AccuracyPoint)
            and event.run_id == 2
            and not changed
            and event.examples_seen >= args.examples // 2
        ):
            changed.append(window.sweeper.view.rate.value())
            window.sweeper.set_rate(0.0005)

    window.sweeper.finished.connect(done.append)
    view.start_button.click()
    window.sweeper.job.reported.connect(maybe_change)
    wait(lambda: done)
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(out / args.name))
    print("wrote", out / args.name)
    if args.scrolled:  # the noise meter and the table, below the curves on a small screen
        page = view.parentWidget()
        while page is not None and not isinstance(page, QtWidgets.QScrollArea):
            page = page.parentWidget()
        if page is not None:
            page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        app.primaryScreen().grabWindow(0).save(str(out / args.scrolled))
        print("wrote", out / args.scrolled)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
