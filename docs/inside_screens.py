"""The convolution panels in the real window: do they fit the screen, and what do they look like?

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/inside_screens.py --out docs
    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/inside_screens.py --check

Opens the window as ``python main.py`` does (the app's style, the language of
``$CONVVIZ_LANG``), with the pretrained cnn, picks test image 0 and a conv1
filter in the middle of its map, and shows the "Convolution" tab; then conv2
with one input channel; then computes what conv1's filters want to see and
shows the "What filters want" tab. On each it runs docs/screen_check.py's
checks (every widget on the screen and at least its minimum size, no labels
or sibling widgets over each other) and reports what they find there and not
on the Loss tab shown first (the window's own, such as a crowded tab bar, are
reported apart, as ``window_problems``). With ``--out`` it saves
``convolution.png`` and ``actmax.png`` (the whole screen) there. Prints one
JSON line; exit status 1 when the panels add a problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docs.screenshot_common import WAIT_S, check_arguments, open_checked_window, settle, wait_until


def pump(app, seconds: float) -> None:
    settle(app, seconds)


def wait_for(app, condition, what: str) -> None:
    wait_until(app, condition, WAIT_S, what)


def settled_problems(app, window, screen, baseline: set) -> list:
    """screen_check's problems that the window's own (``baseline``) do not explain, once the layout has settled:
    on a busy machine a resize can still be on its way, so a problem must still be there a moment later."""
    from docs.screen_check import problems

    found = []
    for _ in range(4):
        found = [p for p in problems(window, screen) if p not in baseline]
        if not found:
            break
        pump(app, 0.5)
    return found


def main(argv: list | None = None) -> int:
    args = check_arguments(__doc__.split("\n")[0], "folder for convolution.png and actmax.png (none if empty)", argv)
    app, window, screen, baseline = open_checked_window(args.arch)
    from convviz.gui.common import i18n
    from convviz.gui.panels import convolution, wishes

    panels = window.inside
    window.views.show_test_digit(0)  # a 7
    conv = panels.convolution
    window.show_panel(convolution.CONVOLUTION_TITLE)
    wait_for(app, lambda: conv.step() is not None, "the convolution")
    conv.set_layer("conv1")
    conv.set_filter(5)
    pump(app, 0.2)
    strongest = divmod(int(conv.shown_map().argmax()), conv.map_shape()[1])  # where filter 5 responds most
    conv.set_position(*strongest)
    pump(app, 0.5)
    found = [f"[convolution conv1] {p}" for p in settled_problems(app, window, screen, baseline)]
    shots = {}
    if args.out and not args.check:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        shots["convolution"] = Path(args.out) / "convolution.png"
        app.primaryScreen().grabWindow(0).save(str(shots["convolution"]))
    conv.set_layer("conv2")
    conv.set_filter(3)
    conv.set_channel(10)
    pump(app, 0.5)
    found += [f"[convolution conv2] {p}" for p in settled_problems(app, window, screen, baseline)]

    window.show_panel(wishes.WISHES_TITLE)
    wishes = panels.wishes
    wait_for(app, lambda: wishes.layer() is not None, "the filters")
    done = []
    panels.jobs.computed.connect(done.append)
    panels.jobs.failed.connect(lambda failure: done.append(failure))
    panels.compute_wishes("conv1")
    wait_for(app, lambda: bool(done), "activation maximisation")
    pump(app, 0.5)
    found += [f"[what filters want] {p}" for p in settled_problems(app, window, screen, baseline)]
    if args.out and not args.check:
        shots["actmax"] = Path(args.out) / "actmax.png"
        app.primaryScreen().grabWindow(0).save(str(shots["actmax"]))
    report = {
        "screen": [screen.width(), screen.height()],
        "language": i18n.language(),
        "layout": window.panel_layout(),
        "gain": wishes.gain(),
        "shots": [str(path) for path in shots.values()],
        "problems": found,
        "window_problems": sorted(baseline),
    }
    print(json.dumps(report))
    window.close()
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
