"""Training speed of our ``train`` against Keras ``model.fit`` on the identical network.

    PYTHONPATH=. python bench/speed.py                 # all networks and strategies, 3 rounds (10-15 min, 2 cores)
    PYTHONPATH=. python bench/speed.py --quick         # smoke test: tiny subsets, 1 round (~2 min), to bench/out/
    PYTHONPATH=. python bench/speed.py --archs cnn --strategies numpy --rounds 5 --images cnn=4000

Method (details in bench/worker.py):

* every measurement is a fresh ``python -m bench.worker`` process (isolation, and
  Keras must not share a process with ``convviz.tf1``'s ``disable_v2_behavior``);
* ours = the core ``Trainer`` (the code behind ``main.py train``) with each batching
  strategy; peer = ``tf.keras`` ``model.fit`` on the same layers, initialisers,
  optimizer (Adam lr 1e-3, epsilon 1e-8), loss, metric, batch size and the same
  first-N training images, under the same TensorFlow in the same run;
* each run trains ``--epochs`` (default 2) epochs and times only the last one:
  the first is warm-up (graph optimisation on the first step, Keras tracing),
  graph building, compile, data loading and test evaluation are never timed;
  ours by the Trainer's own clock (``EpochEvent.seconds``, which for the
  dataset strategy includes re-initialising its iterator at the epoch's start),
  Keras by a callback from ``on_epoch_begin`` to ``on_epoch_end`` (which includes
  creating its epoch iterator);
* per round, the runners of a network run back to back in a rotated order
  (ours and Keras interleaved); with ``--rounds`` R each (network, runner) has R
  samples and the table reports medians. Absolute images/s on a shared machine
  mean little; the ratio ours/Keras within one run is the result.

Writes ``--out`` (default bench/results/speed.json) after every measurement, so
an interrupted run keeps what it measured; ``bench/report.py`` turns it into
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OUT_DIR,
    RESULTS_DIR,
    WorkerError,
    command_line,
    log,
    machine_info,
    median,
    run_worker,
    write_json,
)
from convviz.config import ARCHITECTURES

STRATEGIES = ("numpy", "dataset", "estimator")
# Training images per network: the measured epoch takes roughly 3-10 s per runner on 2 busy cores.
# template needs ~65M multiply-adds per image forward (~6x cnn), so it gets the smallest subset.
DEFAULT_IMAGES = {"dense": 60000, "cnn": 8000, "template": 1920, "lenet5": 30000}
QUICK_IMAGES = {"dense": 4000, "cnn": 640, "template": 128, "lenet5": 2000}
GOAL_BEST = 1.0  # best strategy at least 1.0x Keras
GOAL_NUMPY = 0.8  # numpy feed path within 20% of Keras


def _images_option(text: str) -> dict[str, int]:
    """``N`` (every network) or ``arch=N,arch=N`` (the others keep their default)."""
    if "=" not in text:
        return dict.fromkeys(ARCHITECTURES, int(text))
    images = {}
    for part in text.split(","):
        arch, _, value = part.partition("=")
        if arch not in ARCHITECTURES:
            raise argparse.ArgumentTypeError(f"unknown network {arch!r}")
        images[arch] = int(value)
    return images


def _list_option(choices):
    def parse(text: str) -> list[str]:
        values = [v.strip() for v in text.split(",") if v.strip()]
        bad = [v for v in values if v not in choices]
        if bad or not values:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)} (comma-separated), got {text!r}")
        return values

    return parse


def summarise(runs: list[dict], strategies: list[str] | None = None) -> dict[str, dict]:
    """Per network: median images/s per runner, ratios ours/Keras, the best strategy, the goal checks."""
    summary: dict[str, dict] = {}
    archs = [a for a in ARCHITECTURES if any(r["arch"] == a for r in runs)]
    for arch in archs:
        mine = [r for r in runs if r["arch"] == arch]
        runners = ["keras", *[s for s in (strategies or STRATEGIES) if any(r["runner"] == s for r in mine)]]
        by_runner = {name: [r for r in mine if r["runner"] == name] for name in runners}
        med = {name: median([r["images_per_second"] for r in rs]) for name, rs in by_runner.items()}
        wall = {name: median([r.get("wall_images_per_second") for r in rs]) for name, rs in by_runner.items()}
        keras = med.get("keras")
        entry: dict = {
            "images": sorted({r["images"] for r in mine}),
            "batch_size": sorted({r["batch_size"] for r in mine}),
            "samples": {name: len(rs) for name, rs in by_runner.items()},
            "images_per_second": med,
            "wall_images_per_second": wall,
            "params": sorted({r["params"] for r in mine}),
            "train_loss": {name: median([r["train_loss"] for r in rs]) for name, rs in by_runner.items()},
            "ratio": {},
            "paired_ratios": {},
        }
        entry["params_match"] = len(entry["params"]) == 1
        if keras:
            for name in runners[1:]:
                if med[name] is None:
                    continue
                entry["ratio"][name] = med[name] / keras
                rounds = {}
                for r in by_runner[name]:
                    k = [x for x in by_runner["keras"] if x["round"] == r["round"]]
                    if k:
                        rounds[r["round"]] = r["images_per_second"] / k[0]["images_per_second"]
                entry["paired_ratios"][name] = [rounds[k] for k in sorted(rounds)]
        if entry["ratio"]:
            best = max(entry["ratio"], key=entry["ratio"].get)
            entry["best"] = best
            entry["best_ratio"] = entry["ratio"][best]
            entry["goal_best_met"] = entry["best_ratio"] >= GOAL_BEST
            if "numpy" in entry["ratio"]:
                entry["numpy_ratio"] = entry["ratio"]["numpy"]
                entry["numpy_vs_best"] = entry["ratio"]["numpy"] / entry["best_ratio"]
                entry["goal_numpy_met"] = entry["numpy_ratio"] >= GOAL_NUMPY
        summary[arch] = entry
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--archs", type=_list_option(ARCHITECTURES), default=list(ARCHITECTURES), help="networks (comma-separated)"
    )
    parser.add_argument("--strategies", type=_list_option(STRATEGIES), default=list(STRATEGIES),
                        help="our batching strategies (comma-separated); Keras always runs")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions; medians are reported (default 3)")
    parser.add_argument("--images", type=_images_option, default={},
                        help=f"training subset: N for all, or arch=N,... (default {DEFAULT_IMAGES})")
    parser.add_argument("--batch-size", type=int, default=64, help="(default 64, the app's default)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per run; only the last is timed (default 2)")
    parser.add_argument("--quick", action="store_true", help=f"smoke test: 1 round, subsets {QUICK_IMAGES}")
    parser.add_argument("--threads", default="", metavar="INTER,INTRA",
                        help="experiment: thread-pool sizes for ours (Session config) and Keras")
    parser.add_argument("--note", default="", help="a line on the conditions, shown in RESULTS.md")
    parser.add_argument("--out", type=Path, default=None,
                        help="(default bench/results/speed.json, with --quick bench/out/speed-quick.json; "
                        "bench/report.py also shows bench/results/speed-*.json)")
    args = parser.parse_args(argv)
    if args.quick:
        images = {**QUICK_IMAGES, **args.images}
        rounds = 1 if args.rounds == 3 else args.rounds
    else:
        images = {**DEFAULT_IMAGES, **args.images}
        rounds = args.rounds
    if args.out is None:
        args.out = OUT_DIR / "speed-quick.json" if args.quick else RESULTS_DIR / "speed.json"
    if rounds < 1 or args.epochs < 2:
        parser.error("--rounds must be >= 1 and --epochs >= 2 (the first epoch is the warm-up)")

    payload = {
        "benchmark": "speed",
        "command": command_line(),
        "note": args.note,
        "machine": machine_info(),
        "settings": {
            "archs": args.archs, "strategies": args.strategies, "rounds": rounds, "images": images,
            "batch_size": args.batch_size, "epochs": args.epochs, "timed": f"epoch {args.epochs} of {args.epochs}",
            "quick": args.quick, "threads": args.threads or "default",
            "goals": {"best_vs_keras": GOAL_BEST, "numpy_vs_keras": GOAL_NUMPY},
        },
        "runs": [],
        "errors": [],
        "summary": {},
    }
    runners = ["keras", *args.strategies]
    started = time.perf_counter()
    for rnd in range(rounds):
        for arch in args.archs:
            shift = rnd % len(runners)
            order = runners[shift:] + runners[:shift]  # rotate: no runner always goes first
            for runner in order:
                worker_args = ["keras"] if runner == "keras" else ["ours", "--batching", runner]
                worker_args += ["--arch", arch, "--images", str(images[arch]), "--batch-size", str(args.batch_size),
                                "--epochs", str(args.epochs)]
                if args.threads:
                    worker_args += ["--threads", args.threads]
                try:
                    result = run_worker(worker_args)
                except WorkerError as exc:
                    log(f"FAILED {arch} {runner}: {exc}")
                    payload["errors"].append({"round": rnd, "arch": arch, "runner": runner, "error": str(exc)})
                    continue
                result["round"] = rnd
                payload["runs"].append(result)
                log(f"round {rnd + 1}/{rounds} {arch:8s} {runner:9s} {result['images_per_second']:9.1f} images/s "
                    f"(process {result['process_seconds']:.0f} s, total {time.perf_counter() - started:.0f} s)")
                payload["summary"] = summarise(payload["runs"], args.strategies)
                payload["elapsed_seconds"] = round(time.perf_counter() - started, 1)
                write_json(args.out, payload)
    payload["finished"] = True
    payload["machine"]["loadavg_end"] = list(os.getloadavg())
    write_json(args.out, payload)
    for arch, entry in payload["summary"].items():
        ratios = ", ".join(f"{k} {v:.2f}x" for k, v in entry["ratio"].items())
        log(f"{arch:8s} keras {entry['images_per_second']['keras']:.0f} images/s; ours/keras: {ratios}")
    log(f"wrote {args.out}")
    return 1 if payload["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
