"""The embedding view's PCA per training snapshot against a full SVD of the same matrices, in the same run.

    PYTHONPATH=. python bench/embedding_speed.py                 # cnn and lenet5
    PYTHONPATH=. python bench/embedding_speed.py --arch cnn --rounds 3 --busy-rounds 0

The activations of the 2,000 fixed test digits (convviz.embedding.stratified_sample) under
the shipped model are computed once; then each round times, for every layer together:

pca
    what a snapshot costs the view after the first: ``convviz.embedding.pca`` started
    from the last snapshot's directions, the projection and the 5-NN number
    (``embed`` with ``previous``);
pca_cold
    the first snapshot: the same without a previous map;
svd
    the peer: numpy's full SVD of each centred matrix (what a textbook PCA does).

Goal: the per-snapshot PCA (median) within 100 ms, and the directions equal to the SVD's
(|cosine| > 0.99). The forward pass of the digits (the inference service's share, timed
once as ``forward``) is reported beside it: it runs in the service's thread, not the
window's. Then the whole map (forward pass and PCA) is timed while ``python main.py train``
trains the same network in another process, against the snapshot interval. Writes
bench/results/embedding_speed.json and .md.
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

import numpy as np

from convviz import embedding as emb
from convviz.data import load_mnist
from convviz.layerprobe import LayerProbe
from convviz.model import load_weights
from convviz.run import SNAPSHOT_INTERVAL

GOAL_MS = 100.0
WARM_UP_S = 8.0
LIVE_DIGITS = (2000, 1000, 500)
LIVE_BUDGET = 0.8  # convviz.gui.window.lookinside.LIVE_BUDGET (the bench does not import the GUI)


def measure(arch_dir: str, data, rounds: int) -> dict:
    """The quiet-machine numbers of one shipped model (see the module docstring)."""
    indices = emb.stratified_sample(data.test_labels)
    arch, weights, _ = load_weights(Path("assets/models") / arch_dir)
    with LayerProbe(arch, weights) as probe:
        emb.layer_features(probe, data.test_images[indices[:10]])  # the session's first run sets up its kernels
        started = time.perf_counter()
        features = emb.layer_features(probe, data.test_images[indices])
        forward = time.perf_counter() - started
    labels = data.test_labels[indices]
    first = emb.embed(features, labels, indices)
    timings = {"pca": [], "pca_cold": [], "svd": []}
    for _ in range(rounds):
        started = time.perf_counter()
        emb.embed(features, labels, indices, previous=first)
        timings["pca"].append(time.perf_counter() - started)
        started = time.perf_counter()
        emb.embed(features, labels, indices)
        timings["pca_cold"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for _name, x, _factor in features:
            np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
        timings["svd"].append(time.perf_counter() - started)
    agreement = []
    for (_name, x, _factor), layer in zip(features, first.maps):
        _, _, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
        agreement.append(float(np.abs(np.sum(layer.projection.components * vt[:2], axis=1)).min()))
    return {
        "arch": arch,
        "digits": len(indices),
        "layers": [name for name, _, _ in features],
        "forward_ms": round(1000 * forward, 1),
        **{f"{k}_ms": round(1000 * statistics.median(v), 1) for k, v in timings.items()},
        "min_abs_cosine_to_svd": round(min(agreement), 5),
    }


def during_training(arch_dir: str, data, data_dir: str | None, rounds: int) -> list[dict]:
    """A whole snapshot's map (forward pass + PCA from the last map) of 2,000, 1,000 and 500 digits while
    ``python main.py train`` trains the same network in another process: what the window's map costs when
    the inference service shares the cores with a run (the window makes it of fewer digits when it is slow:
    convviz.gui.window.lookinside.LIVE_BUDGET)."""
    arch, weights, _ = load_weights(Path("assets/models") / arch_dir)
    command = [sys.executable, "main.py", "train", "--arch", arch, "--epochs", "50", "--quiet", "--no-download"]
    if data_dir:
        command += ["--data-dir", data_dir]
    trainer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        with LayerProbe(arch, weights) as probe:
            samples = [emb.stratified_sample(data.test_labels, n) for n in LIVE_DIGITS]
            lasts = [emb.embedding_of(probe, data.test_images[i], data.test_labels[i], i) for i in samples]
            time.sleep(WARM_UP_S)  # TensorFlow loaded and the run training
            if trainer.poll() is not None:
                raise SystemExit(f"the training run ended early (exit {trainer.returncode})")
            seconds: list[list[float]] = [[] for _ in samples]
            for _ in range(rounds):  # the sizes in turn, so that each sees the same training
                for k, indices in enumerate(samples):
                    started = time.perf_counter()
                    images, labels = data.test_images[indices], data.test_labels[indices]
                    lasts[k] = emb.embedding_of(probe, images, labels, indices, previous=lasts[k])
                    seconds[k].append(time.perf_counter() - started)
    finally:
        trainer.kill()
        trainer.wait()
    for n, values in zip(LIVE_DIGITS, seconds):
        ms = sorted(1000 * s for s in values)
        rows.append(
            {
                "arch": arch,
                "digits": n,
                "rounds": rounds,
                "map_ms_median": round(statistics.median(ms), 1),
                "map_ms_p90": round(ms[min(len(ms) - 1, int(0.9 * len(ms)))], 1),
                "snapshot_interval_ms": 1000 * SNAPSHOT_INTERVAL,
            }
        )
    return rows


def markdown(quiet: list[dict], busy: list[dict], load: tuple) -> str:
    lines = [
        "## Embedding view: a map per snapshot",
        "",
        "`PYTHONPATH=. python bench/embedding_speed.py` (2,000 test digits, every layer; the shipped models). "
        f"Load average at the start {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on {os.cpu_count()} cores. "
        "The forward pass averages each conv layer's maps down in the probe's graph "
        "(`LayerProbe.batched_features`).",
        "",
        "| network | forward pass, 2,000 digits | PCA per snapshot (goal <= 100 ms) | PCA, first map | "
        "peer: full SVD | directions vs SVD (abs cosine) |",
        "|---|---|---|---|---|---|",
    ]
    for r in quiet:
        lines.append(
            f"| {r['arch']} | {r['forward_ms']:.0f} ms | {r['pca_ms']:.0f} ms | {r['pca_cold_ms']:.0f} ms | "
            f"{r['svd_ms']:.0f} ms | {r['min_abs_cosine_to_svd']:.4f} |"
        )
    lines += [
        "",
        "While `python main.py train` trains the same network in another process (the window's case: the map is "
        "made in the inference service's thread beside the run); the window asks for the next map once the "
        "last one is shown, at most every snapshot:",
        "",
        "| network | digits | whole map (forward + PCA), median | p90 | snapshot interval | follows every snapshot |",
        "|---|---|---|---|---|---|",
    ]
    for r in busy:
        follows = "yes" if r["map_ms_p90"] <= r["snapshot_interval_ms"] else "no (every other one or less)"
        lines.append(
            f"| {r['arch']} | {r['digits']:,} | {r['map_ms_median']:.0f} ms | {r['map_ms_p90']:.0f} ms | "
            f"{r['snapshot_interval_ms']:.0f} ms | {follows} |"
        )
    lines += [
        "",
        "The window makes the next map of half the digits (down to 500) when the last one took more than "
        f"{LIVE_BUDGET:.0%} of the snapshot interval, and of twice as many (up to 2,000) when it took under a third "
        "of that; when the run ends, the map is made of all 2,000 again.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", nargs="+", default=["cnn", "lenet5"], help="model folders under assets/models")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--busy-rounds", type=int, default=10, help="maps timed during training (0: none)")
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    load = os.getloadavg()
    data = load_mnist(args.data_dir, download=False)
    quiet = [measure(a, data, args.rounds) for a in args.arch]
    busy = []
    if args.busy_rounds > 0:
        busy = [row for a in args.arch for row in during_training(a, data, args.data_dir, args.busy_rounds)]
    goal_met = all(r["pca_ms"] <= GOAL_MS and r["min_abs_cosine_to_svd"] > 0.99 for r in quiet)
    result = {"load_average": load, "quiet": quiet, "during_training": busy, "goal_met": goal_met}
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "embedding_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "embedding_speed.md").write_text(markdown(quiet, busy, load))
    print(json.dumps(result))
    return 0 if goal_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
