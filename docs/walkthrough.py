"""The lecture's walk-through in pictures: every panel of the real window, after a short run and a drawn digit.

Run it under a virtual X server, from the repository root::

    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/walkthrough.py --prefix de-1024
    xvfb-run -a -s "-screen 0 1920x1080x24" python docs/walkthrough.py --presenter --prefix en-1920-presenter

It starts the window at the screen's size, waits for the pretrained model and MNIST, trains
LeNet-5 on a few thousand images for one epoch, draws a "3" on the pad with mouse events and
grabs the window once per panel (``<prefix>-<panel>.png`` in ``docs/screens``), plus the
feature maps shown alone (``<prefix>-alone.png``). Each PNG is reduced to a palette so that it
stays under 300 KB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PyQt5 import QtWidgets  # noqa: E402

from convviz.config import TrainConfig  # noqa: E402
from convviz.gui.common import i18n, theme  # noqa: E402
from convviz.gui.window.app import MainWindow  # noqa: E402
from docs.screenshot_common import grab, settle, wait_until  # noqa: E402
from tests.gui.strokes import THREE_STROKE, send_stroke  # noqa: E402

MAX_BYTES = 300 * 1024


def save(widget: QtWidgets.QWidget, path: Path) -> None:
    """The widget's picture as a PNG; with more than 256 colours, quantized to a palette (< 300 KB)."""
    grab(widget, path, max_bytes=MAX_BYTES)


def slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", required=True, help="the pictures' names begin with this")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--presenter", action="store_true", help="presenter mode (F5)")
    parser.add_argument("--train-limit", type=int, default=3000)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())  # $CONVVIZ_LANG, as python main.py reads it
    window = MainWindow()
    screen = app.primaryScreen().availableGeometry()
    window.resize(screen.width(), screen.height())  # maximized: Xvfb has no window manager to do it
    window.show()
    models = []
    window.model_changed.connect(models.append)
    wait_until(app, lambda: models and window.data() is not None, 180, "the pretrained model and MNIST")

    models.clear()
    window.controls.arch_combo.setCurrentIndex(window.controls.arch_combo.findData("lenet5"))
    wait_until(app, lambda: models, 60, "LeNet-5")
    finished = []
    window.training_finished.connect(finished.append)
    window.start_training(TrainConfig(arch="lenet5", epochs=1, train_limit=args.train_limit))
    wait_until(app, lambda: finished, 600, "the end of the run")
    print(f"training {finished[0].outcome.status.value}: {window.model_text()}")

    predictions = []
    window.prediction_shown.connect(predictions.append)
    send_stroke(window.drawpad.canvas, THREE_STROKE)
    wait_until(app, lambda: predictions, 30, "a prediction of the drawing")
    window.featuremaps.set_index(18)  # a 3 from the test set
    if args.presenter:
        window.presenter_action.trigger()
    settle(app, 1.0)
    for title in window.panels.panel_titles():
        window.panels.show_panel(title)
        settle(app, 1.5)  # a panel shown the first time computes its view (the evaluation, saliency)
        save(window, out / f"{args.prefix}-{slug(title)}.png")
    window.panels.show_full_panel("Feature maps")
    settle(app, 1.0)
    save(window, out / f"{args.prefix}-alone.png")
    window.panels.leave_full_panel()
    window.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CONVVIZ_DATA_DIR", str(ROOT.parent / "shared" / "data" / "mnist"))
    # A store of its own: the runs table shows this walk-through's run, not every run of the machine.
    os.environ.setdefault("CONVVIZ_RUNS_DIR", tempfile.mkdtemp(prefix="convviz-walkthrough-"))
    raise SystemExit(main())
