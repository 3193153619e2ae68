"""The adversarial lab, the top-9 view and the saliency sanity check in the real window: fit and pictures.

    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/lab_screens.py --out docs/screens
    xvfb-run -a -s "-screen 0 1920x1080x24" python docs/lab_screens.py --check

Opens the window as ``python main.py`` does with the pretrained cnn, picks test
image 0 and shows, in turn: the "Adversarial" tab (PGD at epsilon 0.1, "make it
an 8", then the accuracy-against-epsilon curves of the three shipped networks),
the "Top 9 digits" tab (conv1 filter 5 after the ranking and what it wants) and
the "Saliency" tab with Integrated Gradients and the sanity check. On each it
runs docs/screen_check.py's checks like docs/inside_screens.py and saves
``adversarial.png``, ``topnine.png`` and ``sanity.png`` (the whole screen,
reduced to a 64-colour palette to stay small) with ``--out``. One JSON line; exit 1 on a problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docs.inside_screens import pump, settled_problems, wait_for
from docs.screenshot_common import check_arguments, open_checked_window


def _save(app, path: Path) -> None:
    from PIL import Image

    app.primaryScreen().grabWindow(0).save(str(path))
    Image.open(path).convert("RGB").quantize(64).save(path, optimize=True)


def main(argv: list | None = None) -> int:
    args = check_arguments(__doc__.split("\n")[0], "folder for the pictures (none if empty)", argv)
    app, window, screen, baseline = open_checked_window(args.arch)
    from convviz.gui.common import i18n
    from convviz.gui.panels import adversarial, topnine

    lab = window.lab
    window.views.show_test_digit(0)  # a 7
    shots, found, report = {}, [], {}
    out = Path(args.out) if args.out and not args.check else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)

    # the adversarial lab
    attacked, curves = [], []
    lab.jobs["attack"].computed.connect(attacked.append)
    lab.jobs["robustness"].computed.connect(curves.append)
    lab.jobs["robustness"].failed.connect(lambda _r, e: curves.append(e))
    panel = lab.adversarial
    window.show_panel(adversarial.ADVERSARIAL_TITLE)
    panel.set_method("pgd")
    panel.set_target(8)
    panel.set_eps(0.1)
    wait_for(app, lambda: bool(attacked) and attacked[-1].request.target == 8 and attacked[-1].request.eps == 0.1
             and attacked[-1].request.method == "pgd", "the attack")  # fmt: skip
    report["attack_says"] = int(attacked[-1].after.argmax())
    panel.curves_requested.emit("fgsm")
    wait_for(app, lambda: bool(curves), "the accuracy curves")
    report["curves"] = {k: [round(float(v), 3) for v in c] for k, c in getattr(curves[-1], "curves", {}).items()}
    pump(app, 0.5)
    found += [f"[adversarial] {p}" for p in settled_problems(app, window, screen, baseline)]
    if out is not None:
        shots["adversarial"] = out / "adversarial.png"
        _save(app, shots["adversarial"])

    # what filters want, then the top 9 beside it
    done = []
    window.inside.jobs.computed.connect(done.append)
    window.inside.compute_wishes("conv1")
    ranked = []
    lab.jobs["topnine"].computed.connect(ranked.append)
    window.show_panel(topnine.TOPNINE_TITLE)
    lab.compute_topnine()
    wait_for(app, lambda: bool(ranked) and bool(done), "the ranking and what the filters want")
    lab.topnine.show_channel("conv1", 5)
    report["topnine_seconds"] = round(ranked[-1].seconds, 2)
    pump(app, 0.5)
    found += [f"[top 9] {p}" for p in settled_problems(app, window, screen, baseline)]
    if out is not None:
        shots["topnine"] = out / "topnine.png"
        _save(app, shots["topnine"])

    # saliency: Integrated Gradients and the sanity check
    checked = []
    lab.jobs["sanity"].computed.connect(checked.append)
    window.show_panel("Saliency")
    window.saliency.set_method("integrated_gradients")
    pump(app, 1.0)
    window.saliency.sanity_requested.emit()
    wait_for(app, lambda: bool(checked), "the sanity check")
    report["sanity"] = round(checked[-1].check.correlation, 3)
    pump(app, 1.0)
    found += [f"[saliency] {p}" for p in settled_problems(app, window, screen, baseline)]
    if out is not None:
        shots["sanity"] = out / "sanity.png"
        _save(app, shots["sanity"])
    report.update({"screen": [screen.width(), screen.height()], "language": i18n.language(),
                   "shots": [str(p) for p in shots.values()], "problems": found})  # fmt: skip
    print(json.dumps(report))
    window.close()
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
