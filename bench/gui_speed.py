"""Training speed in the window against ``python main.py train`` on the same network, in the same run.

    PYTHONPATH=. python bench/gui_speed.py                       # lenet5 and cnn, 2 rounds each
    PYTHONPATH=. python bench/gui_speed.py --archs cnn --rounds 3 --train-limit 20000

Each round runs, in fresh processes and alternating which goes first (the window's
process runs ``--runs`` trainings one after another in the same window, as a
lecturer does: the second run is measured as well as the first):

cli
    ``python main.py train --arch A --batching numpy --batch-size 64 --epochs 1
    --train-limit N --json``; its ``images_per_second`` (the training loop alone:
    no graph building, no evaluation, no printing).
window
    ``MainWindow`` offscreen at 1920x1050 (the grid: loss, filters and feature
    maps all visible), a digit on the pad so it is classified at every snapshot,
    the same configuration started as the Start button does. Speed is
    wall-clock in the GUI thread: the images that reached the loss panel between
    its first and its last chunk before the epoch's evaluation, over the time
    between those arrivals. Snapshots, plots, the pad and the feature maps all
    count against it.

``--platform xcb`` runs the window under a real X server (start it with
``xvfb-run -s "-screen 0 1920x1080x24"``); the default is Qt's offscreen platform.

Goal: window / CLI >= 0.9 (median over rounds), for the first run in a window and for the later
ones. Writes bench/results/gui_speed.json and bench/results/gui_speed.md (gui_speed_xcb.* under
X), sections of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, ROOT, child_env, command_line, data_dir, log, machine_info, write_json
from convviz.config import ARCHITECTURES

GOAL_RATIO = 0.9
WINDOW_SIZE = (1920, 1050)


def run_cli(arch: str, train_limit: int, seed: int) -> float:
    cmd = [sys.executable, str(ROOT / "main.py"), "train", "--arch", arch, "--batching", "numpy"]
    cmd += ["--batch-size", "64", "--epochs", "1", "--train-limit", str(train_limit), "--seed", str(seed), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=True, timeout=3600)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["images_per_second"])


def run_window(arch: str, train_limit: int, seed: int, runs: int, platform: str) -> dict:
    cmd = [sys.executable, __file__, "--child", arch, "--train-limit", str(train_limit), "--seed", str(seed)]
    cmd += ["--runs", str(runs)]
    env = dict(child_env(), QT_QPA_PLATFORM=platform)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(arch: str, train_limit: int, seed: int, runs: int) -> None:
    """In a fresh process: ``runs`` runs, one after another, in the real window; print one JSON line."""
    import numpy as np
    from PyQt5 import QtWidgets

    from convviz.config import TrainConfig
    from convviz.gui.common import theme
    from convviz.gui.window.app import MainWindow

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    window = MainWindow(arch=arch, data_dir=data_dir())
    window.resize(*WINDOW_SIZE)
    window.show()

    def spin_until(condition, timeout: float) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.005)

    spin_until(lambda: window.model() is not None and window.data() is not None, 300)
    drawing = np.full((280, 280), 255, np.uint8)
    drawing[60:230, 130:150] = 0  # a "1": the pad is classified at every snapshot from now on
    window.views.set_drawing(drawing)
    snapshots: list = []
    window.snapshot_shown.connect(snapshots.append)
    finished: list = []
    window.training_finished.connect(finished.append)
    arrivals: list = []  # (time, examples seen) as each loss chunk reaches the window
    epoch_at: list = []
    window.state.losses_added.connect(lambda c: arrivals.append((time.perf_counter(), int(c.examples_seen[-1]))))
    window.state.epoch_added.connect(lambda _: epoch_at.append(len(arrivals)))
    results = []
    for index in range(runs):
        del arrivals[:], epoch_at[:], snapshots[:], finished[:]
        config = TrainConfig(
            arch=arch, batching="numpy", batch_size=64, epochs=1, train_limit=train_limit, seed=seed + index
        )
        window.start_training(config)
        spin_until(lambda: finished, 3600)
        # The chunk flushed with the epoch's end waited for the evaluation: leave it out.
        usable = arrivals[: epoch_at[0] - 1] if epoch_at and epoch_at[0] > 2 else arrivals
        (t0, e0), (t1, e1) = usable[0], usable[-1]
        run = finished[0]
        results.append(
            {
                "images_per_second": (e1 - e0) / (t1 - t0),
                "chunks": len(arrivals),
                "snapshots": len(snapshots),
                "status": run.outcome.status.value,
                "trainer_images_per_second": run.epochs[0].images_per_second if run.epochs else None,
            }
        )
        settle = time.monotonic() + 1.5  # the run's end (evaluation, saving to the store) settles first
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.005)
    print(json.dumps({"runs": results, "layout": window.panel_layout()}))
    window.close()


def render_markdown(result: dict) -> str:
    lines = [
        f"## Training speed in the window ({result['platform']})",
        "",
        f"`{result['command']}`: numpy batching, batch 64, one epoch of {result['train_limit']:,} images; "
        f"the window ({result['platform']}) at {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]} ({result['layout']} layout: "
        "every panel "
        "visible), a digit on the pad. Window speed is wall-clock in the GUI thread (images reaching the loss "
        "panel); CLI speed is `python main.py train`'s own images/s (the training loop alone). Fresh processes, "
        f"alternating order, medians over rounds; {result['runs_per_window']} runs one after another in each window "
        "(the later ones after the first run's evaluation and storing have settled).",
        "",
        "| network | run in the window | CLI images/s | window images/s | window / CLI | per round | goal >= 0.9 |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for arch, r in result["archs"].items():
        for index, ratio in enumerate(r["ratio"]):
            rounds = ", ".join(f"{x:.2f}" for x in r["ratios"][index])
            ok = "yes" if ratio >= GOAL_RATIO else "**no**"
            which = "first" if index == 0 else f"{index + 1}."
            lines.append(
                f"| {arch} | {which} | {r['cli']:,.0f} | {r['window'][index]:,.0f} | {ratio:.2f} | {rounds} | {ok} |"
            )
    m = result["machine"]
    lines += ["", f"Machine: {m.get('cpu_model', '?')}, {m.get('nproc', '?')} cores, load {m.get('loadavg', '?')}.", ""]
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archs", default="lenet5,cnn", help="networks (comma-separated)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--train-limit", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=2, help="trainings one after another in each window (default 2)")
    parser.add_argument("--platform", default="offscreen", choices=("offscreen", "xcb"), help="Qt platform")
    parser.add_argument("--child", metavar="ARCH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.train_limit, args.seed, args.runs)
        return 0
    archs = [a for a in args.archs.split(",") if a]
    unknown = [a for a in archs if a not in ARCHITECTURES]
    if unknown:
        parser.error(f"unknown network(s) {', '.join(unknown)}")
    result = {
        "benchmark": "gui_speed",
        "command": command_line(),
        "train_limit": args.train_limit,
        "platform": args.platform,
        "runs_per_window": args.runs,
        "archs": {},
    }
    for arch in archs:
        cli, window, ratios = [], [], []  # window and ratios: one list per run in the window
        for r in range(args.rounds):
            order = ("cli", "window") if r % 2 == 0 else ("window", "cli")
            got = {}
            for side in order:
                if side == "cli":
                    got["cli"] = run_cli(arch, args.train_limit, args.seed + r)
                else:
                    w = run_window(arch, args.train_limit, args.seed + r, args.runs, args.platform)
                    got["window"] = [x["images_per_second"] for x in w["runs"]]
                    result["layout"] = w["layout"]
            cli.append(got["cli"])
            window.append(got["window"])
            ratios.append([x / got["cli"] for x in got["window"]])
            shown = ", ".join(f"{x:.0f}" for x in got["window"])
            log(f"{arch} round {r + 1}: cli {got['cli']:.0f}, window {shown} images/s, {ratios[-1]}")
        per_run = list(zip(*ratios))  # per run in the window: its ratio in each round
        result["archs"][arch] = {
            "cli": statistics.median(cli),
            "window": [statistics.median(x) for x in zip(*window)],
            "ratio": [statistics.median(x) for x in per_run],
            "ratios": [list(x) for x in per_run],
            "cli_runs": cli,
            "window_runs": window,
        }
    result["machine"] = machine_info()
    result["machine"]["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    name = "gui_speed" if args.platform == "offscreen" else f"gui_speed_{args.platform}"
    write_json(RESULTS_DIR / f"{name}.json", result)
    (RESULTS_DIR / f"{name}.md").write_text(render_markdown(result), encoding="utf-8")
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
