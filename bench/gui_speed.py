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


def run_cli_cpu(arch: str, train_limit: int, seed: int) -> float:
    """CPU milliseconds per trained image of the CLI's training loop (all its threads)."""
    cmd = [sys.executable, __file__, "--cli-cpu-child", arch, "--train-limit", str(train_limit), "--seed", str(seed)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=True, timeout=3600)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["cpu_ms_per_image"])


def run_window(arch: str, train_limit: int, seed: int, runs: int, platform: str) -> dict:
    cmd = [sys.executable, __file__, "--child", arch, "--train-limit", str(train_limit), "--seed", str(seed)]
    cmd += ["--runs", str(runs)]
    env = dict(child_env(), QT_QPA_PLATFORM=platform)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=1200)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cli_cpu_child(arch: str, train_limit: int, seed: int) -> None:
    """In a fresh process: the CLI's training loop (``Trainer.run``, as ``main.py train`` iterates it) with
    its CPU time; print one JSON line. The 6th batch to the last, as the window's chunks skip the first."""
    from convviz.config import TrainConfig
    from convviz.data import load_mnist
    from convviz.training import BatchEvent, Trainer

    config = TrainConfig(arch=arch, batching="numpy", batch_size=64, epochs=1, train_limit=train_limit, seed=seed)
    marks = []  # (examples seen, process CPU seconds, wall seconds) after each batch
    with Trainer(config, load_mnist(data_dir())) as trainer:
        for event in trainer.run():
            if isinstance(event, BatchEvent):
                marks.append((event.examples_seen, time.process_time(), time.perf_counter()))
    (e0, c0, w0), (e1, c1, w1) = marks[min(5, len(marks) - 2)], marks[-1]
    print(json.dumps({"cpu_ms_per_image": 1000 * (c1 - c0) / (e1 - e0), "cores": (c1 - c0) / (w1 - w0)}))


def child(arch: str, train_limit: int, seed: int, runs: int) -> None:
    """In a fresh process: ``runs`` runs, one after another, in the real window; print one JSON line.

    The GUI thread waits in an event loop, as the app's ``exec_()`` does: a loop that polled
    (``processEvents`` and a 5 ms sleep) spent ~23 ms of CPU a second on its own, a third of what the
    window's GUI thread spends while it trains, and woke 200 times a second.
    """
    import numpy as np
    from PyQt5 import QtCore, QtWidgets

    from convviz.config import TrainConfig
    from convviz.gui.common import theme
    from convviz.gui.window.app import MainWindow

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    window = MainWindow(arch=arch, data_dir=data_dir())
    window.resize(*WINDOW_SIZE)
    window.show()

    def wait(seconds: float, condition=None) -> None:
        """Run the event loop until ``condition()`` holds (looked at 20 times a second) or ``seconds`` pass."""
        loop = QtCore.QEventLoop()
        end = time.monotonic() + seconds
        timer = QtCore.QTimer()
        timer.timeout.connect(lambda: loop.quit() if time.monotonic() > end or (condition and condition()) else None)
        timer.start(50)
        loop.exec_()
        timer.stop()
        if condition is not None and not condition():
            raise SystemExit("timed out")

    wait(300, lambda: window.model() is not None and window.data() is not None)
    drawing = np.full((280, 280), 255, np.uint8)
    drawing[60:230, 130:150] = 0  # a "1": the pad is classified at every snapshot from now on
    window.views.set_drawing(drawing)
    snapshots: list = []
    window.snapshot_shown.connect(snapshots.append)
    finished: list = []
    window.training_finished.connect(finished.append)
    # As each loss chunk reaches the window: (time, examples seen, the process's CPU, the GUI thread's CPU).
    arrivals: list = []
    epoch_at: list = []
    window.state.losses_added.connect(
        lambda c: arrivals.append(
            (time.perf_counter(), int(c.examples_seen[-1]), time.process_time(), time.thread_time())
        )
    )
    window.state.epoch_added.connect(lambda _: epoch_at.append(len(arrivals)))
    results = []
    for index in range(runs):
        del arrivals[:], epoch_at[:], snapshots[:], finished[:]
        config = TrainConfig(
            arch=arch, batching="numpy", batch_size=64, epochs=1, train_limit=train_limit, seed=seed + index
        )
        window.start_training(config)
        wait(3600, lambda: bool(finished))
        # The chunk flushed with the epoch's end waited for the evaluation: leave it out.
        usable = arrivals[: epoch_at[0] - 1] if epoch_at and epoch_at[0] > 2 else arrivals
        (t0, e0, c0, g0), (t1, e1, c1, g1) = usable[0], usable[-1]
        run = finished[0]
        results.append(
            {
                "images_per_second": (e1 - e0) / (t1 - t0),
                # CPU accounting, which a busy machine does not blur as it does the wall clock:
                "cpu_ms_per_image": 1000 * (c1 - c0) / (e1 - e0),  # every thread of the window's process
                "gui_ms_per_image": 1000 * (g1 - g0) / (e1 - e0),  # the GUI thread alone
                "gui_ms_per_second": 1000 * (g1 - g0) / (t1 - t0),
                "chunks": len(arrivals),
                "snapshots": len(snapshots),
                "status": run.outcome.status.value,
                "trainer_images_per_second": run.epochs[0].images_per_second if run.epochs else None,
            }
        )
        wait(1.5)  # the run's end (evaluation, saving to the store) settles first
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
        "(the later ones after the first run's evaluation and storing have settled). CPU: milliseconds of CPU "
        "(every thread of the process) per trained image, the CLI's training loop against the window's process; "
        "the window's GUI thread in CPU milliseconds per second of training. On a shared machine the wall clock "
        "follows the load; the CPU per image does not.",
        "",
        "| network | run in the window | CLI images/s | window images/s | window / CLI | per round | goal >= 0.9 "
        "| CLI CPU ms/image | window CPU ms/image | GUI thread ms/s |",
        "|---|---|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    for arch, r in result["archs"].items():
        for index, ratio in enumerate(r["ratio"]):
            rounds = ", ".join(f"{x:.2f}" for x in r["ratios"][index])
            ok = "yes" if ratio >= GOAL_RATIO else "**no**"
            which = "first" if index == 0 else f"{index + 1}."
            cpu = f"{r['cli_cpu_ms_per_image']:.3f} | {r['window_cpu_ms_per_image'][index]:.3f} "
            cpu += f"| {r['gui_ms_per_second'][index]:.0f}"
            lines.append(
                f"| {arch} | {which} | {r['cli']:,.0f} | {r['window'][index]:,.0f} | {ratio:.2f} | {rounds} | {ok} "
                f"| {cpu} |"
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
    parser.add_argument("--cli-cpu-child", metavar="ARCH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.train_limit, args.seed, args.runs)
        return 0
    if args.cli_cpu_child:
        cli_cpu_child(args.cli_cpu_child, args.train_limit, args.seed)
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
        cli_cpu, window_cpu, gui_cpu = [], [], []  # ms per image; the window's: one list per run in it
        for r in range(args.rounds):
            order = ("cli", "window") if r % 2 == 0 else ("window", "cli")
            got = {}
            for side in order:
                if side == "cli":
                    got["cli"] = run_cli(arch, args.train_limit, args.seed + r)
                    cli_cpu.append(run_cli_cpu(arch, args.train_limit, args.seed + r))
                else:
                    w = run_window(arch, args.train_limit, args.seed + r, args.runs, args.platform)
                    got["window"] = [x["images_per_second"] for x in w["runs"]]
                    window_cpu.append([x["cpu_ms_per_image"] for x in w["runs"]])
                    gui_cpu.append([x["gui_ms_per_second"] for x in w["runs"]])
                    result["layout"] = w["layout"]
            cli.append(got["cli"])
            window.append(got["window"])
            ratios.append([x / got["cli"] for x in got["window"]])
            shown = ", ".join(f"{x:.0f}" for x in got["window"])
            log(f"{arch} round {r + 1}: cli {got['cli']:.0f}, window {shown} images/s, {ratios[-1]}")
            cpu = ", ".join(f"{x:.3f}" for x in window_cpu[-1])
            gui = ", ".join(f"{x:.0f}" for x in gui_cpu[-1])
            log(f"{arch} round {r + 1}: CPU ms/image cli {cli_cpu[-1]:.3f}, window {cpu}; GUI thread ms/s {gui}")
        per_run = list(zip(*ratios))  # per run in the window: its ratio in each round
        result["archs"][arch] = {
            "cli": statistics.median(cli),
            "window": [statistics.median(x) for x in zip(*window)],
            "ratio": [statistics.median(x) for x in per_run],
            "ratios": [list(x) for x in per_run],
            "cli_runs": cli,
            "window_runs": window,
            "cli_cpu_ms_per_image": statistics.median(cli_cpu),
            "window_cpu_ms_per_image": [statistics.median(x) for x in zip(*window_cpu)],
            "gui_ms_per_second": [statistics.median(x) for x in zip(*gui_cpu)],
            "cli_cpu_runs": cli_cpu,
            "window_cpu_runs": window_cpu,
            "gui_cpu_runs": gui_cpu,
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
