"""The embedding view's PCA per training snapshot against a full SVD of the same matrices, in the same run.

    PYTHONPATH=. python bench/embedding_speed.py                 # cnn, 5 rounds
    PYTHONPATH=. python bench/embedding_speed.py --arch lenet5 --rounds 3

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
window's. Writes bench/results/embedding_speed.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from convviz import embedding as emb
from convviz.data import load_mnist
from convviz.layerprobe import LayerProbe
from convviz.model import load_weights

GOAL_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="cnn", help="a model folder under assets/models (default: cnn)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    data = load_mnist(args.data_dir, download=False)
    indices = emb.stratified_sample(data.test_labels)
    arch, weights, _ = load_weights(Path("assets/models") / args.arch)
    with LayerProbe(arch, weights) as probe:
        started = time.perf_counter()
        features = emb.layer_features(probe, data.test_images[indices])
        forward = time.perf_counter() - started
    labels = data.test_labels[indices]
    first = emb.embed(features, labels, indices)
    timings = {"pca": [], "pca_cold": [], "svd": []}
    for _ in range(args.rounds):
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
    result = {
        "arch": arch,
        "digits": len(indices),
        "layers": [name for name, _, _ in features],
        "forward_ms": round(1000 * forward, 1),
        **{f"{k}_ms": round(1000 * statistics.median(v), 1) for k, v in timings.items()},
        "min_abs_cosine_to_svd": round(min(agreement), 5),
    }
    result["goal_met"] = result["pca_ms"] <= GOAL_MS and result["min_abs_cosine_to_svd"] > 0.99
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "embedding_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
