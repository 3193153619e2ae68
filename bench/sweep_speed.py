"""The batch-size sweep's cost in the window against ``python main.py sweep``, in the same run.

    PYTHONPATH=. python bench/sweep_speed.py                        # lenet5, B 32,128,512, 2 rounds
    PYTHONPATH=. python bench/sweep_speed.py --arch dense --batch-sizes 16,64,256 --examples 8000

Each round runs, in fresh processes and alternating which goes first:

cli
    ``python main.py sweep --arch A --batch-sizes ... --max-examples N --train-limit N --target 0.999
    --no-noise --json`` (the target is out of reach: every run trains its whole budget); each B's
    ``images_per_second`` (the training loop alone) and the command's wall-clock seconds.
window
    ``MainWindow`` offscreen at 1920x1050 with the batch-size lab shown, the same plan started as its
    Start button does; each B's images/s from the result and the wall-clock seconds from Start to
    the sweep's end. The panel's drawing (every run's curve, the table) counts against it.

Goal: window / CLI >= 0.9 for each B's images/s (median over rounds). Writes
bench/results/sweep_speed.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, ROOT, child_env, command_line, data_dir, log, machine_info, write_json

GOAL_RATIO = 0.9
WINDOW_SIZE = (1920, 1050)


def _cli_args(arch: str, sizes: str, examples: int, seed: int) -> list:
    return [
        "--arch", arch, "--batch-sizes", sizes, "--max-examples", str(examples), "--train-limit", str(examples),
        "--target", "0.999", "--seed", str(seed), "--no-noise",
    ]  # fmt: skip


def run_cli(arch: str, sizes: str, examples: int, seed: int) -> dict:
    cmd = [sys.executable, str(ROOT / "main.py"), "sweep", *_cli_args(arch, sizes, examples, seed), "--json"]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=True, timeout=3600)
    seconds = time.perf_counter() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "images_per_second": {str(r["batch_size"]): r["images_per_second"] for r in result["runs"]},
    }


def run_window(arch: str, sizes: str, examples: int, seed: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--arch", arch, "--batch-sizes", sizes]
    cmd += ["--examples", str(examples), "--seed", str(seed)]
    env = dict(child_env(), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(arch: str, sizes: str, examples: int, seed: int) -> None:
    """In a fresh process: the sweep in the real window; print one JSON line."""
    from PyQt5 import QtCore, QtWidgets

    from convviz.gui.common import theme
    from convviz.gui.window.app import MainWindow
    from convviz.sweepplan import SweepPlan, parse_batch_sizes

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    window = MainWindow(arch=arch, data_dir=data_dir())
    window.resize(*WINDOW_SIZE)
    window.show()

    def wait(seconds: float, condition) -> None:
        loop = QtCore.QEventLoop()
        end = time.monotonic() + seconds
        timer = QtCore.QTimer()
        timer.timeout.connect(lambda: loop.quit() if time.monotonic() > end or condition() else None)
        timer.start(50)
        loop.exec_()
        timer.stop()
        if not condition():
            raise SystemExit("timed out")

    wait(300, lambda: window.model() is not None and window.data() is not None)
    plan = SweepPlan(
        arch=arch, batch_sizes=parse_batch_sizes(sizes), target=0.999, max_examples=examples, train_limit=examples,
        seed=seed, noise=False,
    )  # fmt: skip
    done: list = []
    window.sweeper.finished.connect(done.append)
    started = time.perf_counter()
    assert window.sweeper.start(plan)
    wait(3600, lambda: bool(done))
    seconds = time.perf_counter() - started
    result = done[0]
    speeds = {str(r.batch_size): r.images_per_second for r in result.runs}
    print(json.dumps({"seconds": seconds, "images_per_second": speeds}))
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="lenet5")
    parser.add_argument("--batch-sizes", default="32,128,512")
    parser.add_argument("--examples", type=int, default=10_000, help="images each run trains on")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.arch, args.batch_sizes, args.examples, args.seed)
        return
    rounds = []
    for index in range(args.rounds):
        order = ("cli", "window") if index % 2 == 0 else ("window", "cli")
        got = {}
        for which in order:
            log(f"round {index + 1}: {which}")
            run = run_cli if which == "cli" else run_window
            got[which] = run(args.arch, args.batch_sizes, args.examples, args.seed)
        rounds.append(got)
    sizes = list(rounds[0]["cli"]["images_per_second"])
    ratios = {
        b: statistics.median(r["window"]["images_per_second"][b] / r["cli"]["images_per_second"][b] for r in rounds)
        for b in sizes
    }
    wall = statistics.median(r["window"]["seconds"] / r["cli"]["seconds"] for r in rounds)
    result = {
        "command": command_line(),
        "machine": machine_info(),
        "arch": args.arch,
        "batch_sizes": sizes,
        "examples": args.examples,
        "rounds": rounds,
        "window_over_cli_images_per_second": ratios,
        "window_over_cli_wall_seconds": wall,
        "goal": GOAL_RATIO,
        "met": all(v >= GOAL_RATIO for v in ratios.values()),
    }
    write_json(RESULTS_DIR / "sweep_speed.json", result)
    for b in sizes:
        print(f"B={b}: window/CLI images/s {ratios[b]:.2f}")
    print(f"wall clock window/CLI {wall:.2f} (the window's includes opening nothing: timed from Start)")
    print("goal met" if result["met"] else f"goal ({GOAL_RATIO}) not met")


if __name__ == "__main__":
    main()
