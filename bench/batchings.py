"""The three batching strategies at one batch size: images/s, peak memory, the same curve for the same seed.

    PYTHONPATH=. python bench/batchings.py                      # lenet5, B=64, 10,000 images
    PYTHONPATH=. python bench/batchings.py --arch dense --batch-size 256 --train-limit 60000

Each strategy runs in a fresh process (:func:`convviz.batchings.measure_batching`: one epoch
twice with the same seed; the first one's speed and memory). Writes bench/results/batchings.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, child_env, command_line, data_dir, log, machine_info, write_json
from convviz.config import BATCHINGS


def child(arch: str, batching: str, batch_size: int, train_limit: int, seed: int) -> None:
    import dataclasses

    from convviz.batchings import measure_batching
    from convviz.config import TrainConfig
    from convviz.data import load_mnist

    data = load_mnist(data_dir(), download=False)
    data = dataclasses.replace(data, test_images=data.test_images[:1000], test_labels=data.test_labels[:1000])
    config = TrainConfig(arch=arch, batching=batching, batch_size=batch_size, train_limit=train_limit, seed=seed)
    print(json.dumps(dataclasses.asdict(measure_batching(config, data))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="lenet5")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--train-limit", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.arch, args.child, args.batch_size, args.train_limit, args.seed)
        return
    reports = []
    for batching in BATCHINGS:
        log(f"{batching}")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", batching, "--arch", args.arch]
        cmd += ["--batch-size", str(args.batch_size), "--train-limit", str(args.train_limit), "--seed", str(args.seed)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=True, timeout=3600)
        reports.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in reports:
        peak = "-" if r["peak_bytes"] is None else f"{r['peak_bytes'] / 1e6:.0f} MB"
        print(
            f"{r['batching']:>9}: {r['images_per_second']:8.0f} images/s, peak {peak:>7}, same curve: {r['same_curve']}"
        )
    write_json(
        RESULTS_DIR / "batchings.json",
        {"command": command_line(), "machine": machine_info(), "arch": args.arch, "reports": reports},
    )


if __name__ == "__main__":
    main()
