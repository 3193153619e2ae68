"""Training speed in the window against ``python main.py train`` on the same network, in the same run.

    PYTHONPATH=. python bench/gui_speed.py                       # lenet5 and cnn, 2 rounds each
    PYTHONPATH=. python bench/gui_speed.py --archs cnn --rounds 3 --train-limit 20000

Each round runs, in fresh processes and alternating which goes first:

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

Goal: window / CLI >= 0.9 (median over rounds). Writes bench/results/gui_speed.json and
bench/results/gui_speed.md (a section of bench/RESULTS.md).
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


def run_window(arch: str, train_limit: int, seed: int) -> dict:
    cmd = [sys.executable, __file__, "--child", arch, "--train-limit", str(train_limit), "--seed", str(seed)]
    env = dict(child_env(), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(arch: str, train_limit: int, seed: int) -> None:
    """In a fresh process: one run in the real window; print one JSON line."""
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
    arrivals: list = []  # (time, examples seen) as each loss chunk reaches the window
    epoch_at: list = []
    window.state.losses_added.connect(lambda c: arrivals.append((time.perf_counter(), int(c.examples_seen[-1]))))
    window.state.epoch_added.connect(lambda _: epoch_at.append(len(arrivals)))
    snapshots: list = []
    window.snapshot_shown.connect(snapshots.append)
    finished: list = []
    window.training_finished.connect(finished.append)
    config = TrainConfig(arch=arch, batching="numpy", batch_size=64, epochs=1, train_limit=train_limit, seed=seed)
    window.start_training(config)
    spin_until(lambda: finished, 3600)
    # The chunk flushed with the epoch's end waited for the evaluation: leave it out.
    usable = arrivals[: epoch_at[0] - 1] if epoch_at and epoch_at[0] > 2 else arrivals
    (t0, e0), (t1, e1) = usable[0], usable[-1]
    run = finished[0]
    print(
        json.dumps(
            {
                "images_per_second": (e1 - e0) / (t1 - t0),
                "chunks": len(arrivals),
                "snapshots": len(snapshots),
                "layout": window.panel_layout(),
                "status": run.outcome.status.value,
                "trainer_images_per_second": run.epochs[0].images_per_second if run.epochs else None,
            }
        )
    )
    window.close()


def render_markdown(result: dict) -> str:
    lines = [
        "## Training speed in the window",
        "",
        f"`{result['command']}`: numpy batching, batch 64, one epoch of {result['train_limit']:,} images; "
        f"the window offscreen at {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]} ({result['layout']} layout: every panel "
        "visible), a digit on the pad. Window speed is wall-clock in the GUI thread (images reaching the loss "
        "panel); CLI speed is `python main.py train`'s own images/s (the training loop alone). Fresh processes, "
        "alternating order, medians over rounds.",
        "",
        "| network | CLI images/s | window images/s | window / CLI | per round | goal >= 0.9 |",
        "|---|---:|---:|---:|---|---|",
    ]
    for arch, r in result["archs"].items():
        rounds = ", ".join(f"{x:.2f}" for x in r["ratios"])
        ok = "yes" if r["ratio"] >= GOAL_RATIO else "**no**"
        lines.append(f"| {arch} | {r['cli']:,.0f} | {r['window']:,.0f} | {r['ratio']:.2f} | {rounds} | {ok} |")
    m = result["machine"]
    lines += ["", f"Machine: {m.get('cpu_model', '?')}, {m.get('nproc', '?')} cores, load {m.get('loadavg', '?')}.", ""]
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archs", default="lenet5,cnn", help="networks (comma-separated)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--train-limit", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", metavar="ARCH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.train_limit, args.seed)
        return 0
    archs = [a for a in args.archs.split(",") if a]
    unknown = [a for a in archs if a not in ARCHITECTURES]
    if unknown:
        parser.error(f"unknown network(s) {', '.join(unknown)}")
    result = {"benchmark": "gui_speed", "command": command_line(), "train_limit": args.train_limit, "archs": {}}
    for arch in archs:
        cli, window, ratios = [], [], []
        for r in range(args.rounds):
            order = ("cli", "window") if r % 2 == 0 else ("window", "cli")
            got = {}
            for side in order:
                if side == "cli":
                    got["cli"] = run_cli(arch, args.train_limit, args.seed + r)
                else:
                    w = run_window(arch, args.train_limit, args.seed + r)
                    got["window"] = w["images_per_second"]
                    result["layout"] = w["layout"]
            cli.append(got["cli"])
            window.append(got["window"])
            ratios.append(got["window"] / got["cli"])
            log(f"{arch} round {r + 1}: cli {got['cli']:.0f}, window {got['window']:.0f} images/s, {ratios[-1]:.2f}")
        result["archs"][arch] = {
            "cli": statistics.median(cli),
            "window": statistics.median(window),
            "ratio": statistics.median(ratios),
            "ratios": ratios,
            "cli_runs": cli,
            "window_runs": window,
        }
    result["machine"] = machine_info()
    result["machine"]["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    write_json(RESULTS_DIR / "gui_speed.json", result)
    (RESULTS_DIR / "gui_speed.md").write_text(render_markdown(result), encoding="utf-8")
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
