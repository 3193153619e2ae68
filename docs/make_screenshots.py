"""Render the real window to PNG files: the README's screenshot and one picture per panel.

Run it under a virtual X server, from the repository root::

    xvfb-run -s "-screen 0 1600x1000x24" python docs/make_screenshots.py

It starts the app as ``python main.py`` would, prints how long the window took to
appear, draws a "3" on the pad with mouse events, trains LeNet-5 on 5,000 images
for one epoch and grabs the window and each panel during and after the run.
``--size 1280x800`` shows the tabbed layout of a small projector.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the Qt imports: they are part of the start-up time

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PyQt5 import QtCore, QtWidgets  # noqa: E402

from convviz.config import TrainConfig  # noqa: E402
from convviz.gui.common import theme  # noqa: E402
from convviz.gui.window.app import MainWindow  # noqa: E402
from docs.screenshot_common import grab, settle, wait_until  # noqa: E402
from tests.gui.strokes import THREE_STROKE, send_stroke  # noqa: E402


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1600x1000", help="window size WxH (default: %(default)s)")
    parser.add_argument("--out", default="/tmp/convviz-shots", help="folder for all pictures")
    parser.add_argument("--readme", default=None, help="also save the paused window here")
    parser.add_argument("--train-limit", type=int, default=5000)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tag = f"{width}x{height}"

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    window = MainWindow()
    window.resize(width, height)
    window.show()
    shown = []
    QtCore.QTimer.singleShot(0, lambda: shown.append(time.perf_counter() - STARTED))
    wait_until(app, lambda: shown, 10, "the window")
    print(f"window shown {shown[0]:.2f} s after the process started ({window.panel_layout()} layout)")

    models = []
    window.model_changed.connect(models.append)
    wait_until(app, lambda: models and window.data() is not None, 120, "the pretrained model and MNIST")
    print(f"model ready {time.perf_counter() - STARTED:.2f} s after start: {window.model_text()}")

    predictions = []
    window.prediction_shown.connect(predictions.append)
    send_stroke(window.drawpad.canvas, THREE_STROKE)
    wait_until(app, lambda: predictions, 10, "a prediction of the drawing")
    print(f"the pad's 3 is classified as {int(predictions[-1].argmax())}")
    window.featuremaps.set_index(18)  # a 3 from the test set
    settle(app, 0.3)
    grab(window, out / f"window-pretrained-{tag}.png")

    # Train LeNet-5 from scratch and catch it half-way.
    models.clear()
    window.controls.arch_combo.setCurrentIndex(window.controls.arch_combo.findData("lenet5"))
    wait_until(app, lambda: models, 60, "the pretrained LeNet-5")
    snapshots, finished = [], []
    window.snapshot_shown.connect(snapshots.append)
    window.training_finished.connect(finished.append)
    window.start_training(TrainConfig(arch="lenet5", epochs=1, train_limit=args.train_limit))
    wait_until(app, lambda: len(snapshots) >= 2, 60, "two snapshots")
    # A short run takes about a second: pause it half-way (as a lecturer would, to test the
    # half-trained network on the pad), take the pictures, and let it finish.
    half_way = window.progress_bar.maximum() // 2
    wait_until(app, lambda: finished or window.progress_bar.value() >= half_way > 0, 300, "50 %")
    count = len(snapshots)
    if not finished:
        window.controls.pause_button.click()
        wait_until(app, lambda: len(snapshots) > count or finished, 30, "the snapshot at the pause")
    if finished:  # a fast machine can finish a short run before the pause lands
        print("the run ended before it could be paused half-way: no paused pictures")
    else:
        settle(app, 0.3)
        grab(window, out / f"window-paused-{tag}.png")
        if args.readme:
            grab(window, Path(args.readme))
        window.controls.pause_button.click()  # resume
    wait_until(app, lambda: finished, 600, "the end of the run")
    print(f"training {finished[0].outcome.status.value}: {window.model_text()}")
    settle(app, 0.5)
    grab(window, out / f"window-trained-{tag}.png")
    for name, panel in (
        ("loss", window.loss),
        ("filters", window.filters),
        ("featuremaps", window.featuremaps),
        ("drawpad", window.drawpad),
        ("prediction", window.prediction),
        ("controls", window.controls),
    ):
        window.show_panel({"featuremaps": "feature maps"}.get(name, name))
        settle(app, 0.2)
        grab(panel, out / f"{name}-{tag}.png")
    window.filters.set_layer("conv2")
    settle(app, 0.2)
    grab(window.filters, out / f"filters-conv2-{tag}.png")

    window.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CONVVIZ_DATA_DIR", str(ROOT.parent / "shared" / "data" / "mnist"))
    raise SystemExit(main())
