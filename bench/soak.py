"""Soak: start and stop training in the window 100 times; memory, threads and open files stay flat.

    PYTHONPATH=. python bench/soak.py                 # 100 cycles, offscreen
    PYTHONPATH=. python bench/soak.py --cycles 20

Each cycle starts a LeNet-5 run in the real ``MainWindow`` (offscreen), waits for
its first losses, presses Stop and waits until the run has ended (the weights
kept, their test accuracy measured, the thread gone). After ``--warmup`` cycles
(TensorFlow's one-time allocations) the process's RSS, thread count and open
file descriptors are the baseline; at the end, RSS may have grown by at most
10 % and threads and descriptors not at all.

Writes bench/results/soak.json; bench/faults.py puts its rows into bench/faults.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, command_line, data_dir, log, machine_info, write_json

RSS_GROWTH_LIMIT = 0.10  # the goal: at most 10 % more memory after the soak than after the warm-up


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def counts() -> dict:
    return {
        "rss_mb": round(rss_bytes() / 1e6, 1),
        "threads": len(os.listdir("/proc/self/task")),
        "fds": len(os.listdir("/proc/self/fd")),
    }


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args(argv)
    if not 1 <= args.warmup < args.cycles <= 10_000:
        parser.error("need 1 <= --warmup < --cycles <= 10000")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt5 import QtWidgets

    from convviz.config import TrainConfig
    from convviz.gui.common import theme
    from convviz.gui.window.app import MainWindow

    app = QtWidgets.QApplication([sys.argv[0]])
    theme.apply_app_style(app)
    window = MainWindow(arch="lenet5", data_dir=data_dir())
    window.resize(1280, 800)
    window.show()

    def spin_until(condition, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.002)

    spin_until(lambda: window.model() is not None and window.data() is not None, 300, "the model and MNIST")
    data = window.data()
    window.set_data(
        dataclasses.replace(
            data,
            train_images=data.train_images[:5000],
            train_labels=data.train_labels[:5000],
            test_images=data.test_images[:1000],
            test_labels=data.test_labels[:1000],
        )
    )
    finished: list = []
    window.training_finished.connect(finished.append)
    samples, statuses = [], {}
    baseline = None
    started = time.monotonic()
    for cycle in range(1, args.cycles + 1):
        finished.clear()
        window.start_training(TrainConfig(arch="lenet5", batch_size=32, epochs=1, seed=cycle))
        spin_until(lambda: window.loss.point_count() > 0 or finished, 120, "the first losses")
        window.stop()
        spin_until(lambda: finished and not window.running_threads(), 120, "the end of the run")
        status = finished[0].outcome.status.value
        statuses[status] = statuses.get(status, 0) + 1
        if cycle == args.warmup:
            baseline = counts()
        if cycle % 10 == 0 or cycle == args.cycles:
            sample = dict(counts(), cycle=cycle)
            samples.append(sample)
            log(f"cycle {cycle}: {sample}")
    final = counts()
    window.close()
    growth = final["rss_mb"] / baseline["rss_mb"] - 1
    result = {
        "benchmark": "soak",
        "command": command_line(),
        "cycles": args.cycles,
        "warmup": args.warmup,
        "seconds": round(time.monotonic() - started, 1),
        "statuses": statuses,
        "baseline": baseline,
        "final": final,
        "samples": samples,
        "rss_growth": round(growth, 4),
        "rss_goal": RSS_GROWTH_LIMIT,
        "meets_goal": growth <= RSS_GROWTH_LIMIT
        and final["threads"] <= baseline["threads"]
        and final["fds"] <= baseline["fds"],
        "runs_in_history": len(window.state.runs),
        "machine": machine_info(),
    }
    write_json(RESULTS_DIR / "soak.json", result)
    log(
        f"soak: RSS {baseline['rss_mb']} -> {final['rss_mb']} MB ({100 * growth:+.1f} %), threads "
        f"{baseline['threads']} -> {final['threads']}, fds {baseline['fds']} -> {final['fds']}; "
        f"meets the goal: {result['meets_goal']}"
    )
    return 0 if result["meets_goal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
