"""The speed goal of the top-9 view: one pass over the 10,000 test digits for the cnn within 5 s.

    PYTHONPATH=. python bench/topk.py [--rounds 3] [--note "..."]

One process, the pretrained models of ``assets/models``, real MNIST. Per round,
interleaved: :func:`convviz.topk.top_activations` of the 10,000 test images (each
conv channel's 9 best digits, batches of ``TOPK_BATCH``) and its peer in the same
run, ``Model.predict_proba`` of the same images (a plain forward pass, what
``evaluate`` costs). Medians. Goal: the cnn's pass at most 5 s on an idle 2-core
machine; the ratio to the peer says how much the ranking adds to a forward pass.

Writes bench/results/topk.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, ROOT, command_line, data_dir, log, machine_info, median, write_json

GOAL_S = 5.0
ARCHS = ("cnn", "lenet5", "template")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)

    from convviz.data import load_mnist
    from convviz.explain import Explainer, _spec_of
    from convviz.topk import top_activations

    data = load_mnist(data_dir(), download=False)
    images = data.test_images
    rows = []
    for arch in ARCHS:
        with Explainer.load(ROOT / "assets" / "models" / arch) as model:
            model.predict_proba(images[:1000])  # warm-up
            times = {"top_activations": [], "predict_proba": []}
            for r in range(args.rounds):
                order = list(times) if r % 2 == 0 else list(reversed(times))
                for name in order:
                    start = time.perf_counter()
                    if name == "top_activations":
                        top_activations(model, _spec_of(model), images)
                    else:
                        model.predict_proba(images)
                    times[name].append(time.perf_counter() - start)
            row = {"arch": arch, **{f"{k}_s": round(median(v), 3) for k, v in times.items()}}
            row["ratio"] = round(row["top_activations_s"] / row["predict_proba_s"], 2)
            rows.append(row)
            log(f"{arch}: top-9 pass {row['top_activations_s']:.2f} s, forward pass {row['predict_proba_s']:.2f} s")
    cnn = rows[0]
    result = {
        "command": command_line(),
        "machine": machine_info(),
        "note": args.note,
        "goal_s": GOAL_S,
        "rows": rows,
        "cnn_within_goal": cnn["top_activations_s"] <= GOAL_S,
    }
    write_json(RESULTS_DIR / "topk.json", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
