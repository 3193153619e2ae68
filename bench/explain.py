"""The speed goals of errors and saliency: the confusion matrix, saliency on the drawing, activation maximisation.

    PYTHONPATH=. python bench/explain.py                 # about 2-3 minutes on the 2-core machine
    PYTHONPATH=. python bench/explain.py --rounds 3 --repeats 50 --note "a test run overlapped"

One process, the pretrained models of ``assets/models``, real MNIST:

confusion
    :func:`convviz.explain.confusion` of the 10,000 test images for the cnn, at
    several batch sizes, against its peer in the same run: plain
    ``Model.predict_proba`` of the same 10,000 images (what ``evaluate`` did
    before). Rounds interleave the two and rotate the order; medians. Goal: at
    most 1 s.
saliency
    The drawing pad's path: a 280 x 280 drawing (a real test digit drawn dark on
    white at 10x, as the pad's canvas holds it) -> ``preprocess.to_mnist`` ->
    ``saliency(explainer, image, method)`` for the cnn, timed end to end and the
    saliency alone, p50/p95 over ``--repeats`` different digits per method, after
    a warm-up. Peer: the pad's own prediction (``to_mnist`` + ``predict_proba``
    of one image) on the same drawings. Goal: p95 at most 100 ms.
activation maximisation
    :func:`convviz.explain.activation_maximisation` of every channel of every
    conv layer of each network, default settings, once each (seconds per layer).

Writes bench/results/explain.json and bench/results/explain.md (a section of bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.common import RESULTS_DIR, ROOT, command_line, data_dir, log, machine_info, median, read_json, write_json

GOAL_CONFUSION_S = 1.0
GOAL_SALIENCY_P95_MS = 100.0
BATCH_SIZES = (250, 500, 1000, 2000, 10000)
AM_ARCHS = ("cnn", "lenet5", "template")


def _percentile(values, q: float) -> float:
    return float(np.percentile(np.asarray(values, np.float64), q))


def bench_confusion(rounds: int, data) -> dict:
    from convviz.explain import Explainer, confusion

    images, labels = data.test_images, data.test_labels
    times: dict[str, list[float]] = {"predict_proba": [], **{f"confusion@{b}": [] for b in BATCH_SIZES}}
    with Explainer.load(ROOT / "assets" / "models" / "cnn") as model:
        model.predict_proba(images[:2000])  # warm-up: first runs allocate and pick kernels
        names = list(times)
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                started = time.perf_counter()
                if name == "predict_proba":
                    model.predict_proba(images)
                else:
                    table = confusion(model, images, labels, batch_size=int(name.split("@")[1]))
                    assert table.total == len(labels)
                times[name].append(time.perf_counter() - started)
            log(f"confusion round {r + 1}/{rounds}: " + ", ".join(f"{n} {times[n][-1]:.2f}s" for n in names))
    return {name: {"median_s": median(v), "runs_s": [round(x, 4) for x in v]} for name, v in times.items()}


def _drawings(data, count: int) -> list[np.ndarray]:
    """Real test digits as the pad holds a drawing: 280 x 280, dark ink on white paper."""
    from PIL import Image

    out = []
    for i in range(count):
        digit = (255 - data.test_images[i, :, :, 0] * 255).astype(np.uint8)
        big = Image.fromarray(digit).resize((280, 280), Image.BILINEAR)
        out.append(np.asarray(big, np.float32) / 255.0)
    return out


def bench_saliency(repeats: int, data) -> dict:
    from convviz.explain import Explainer, saliency
    from convviz.preprocess import to_mnist

    drawings = _drawings(data, repeats)
    result = {}
    with Explainer.load(ROOT / "assets" / "models" / "cnn") as model:
        for method in ("occlusion", "gradient", "gradient_x_input"):  # warm-up: the first run of each op
            saliency(model, to_mnist(drawings[0]), method)
        model.predict_proba(to_mnist(drawings[0]))
        for name in ("prediction (peer)", "occlusion", "gradient", "gradient_x_input"):
            total, alone = [], []
            for drawing in drawings:
                started = time.perf_counter()
                image = to_mnist(drawing)
                middle = time.perf_counter()
                if name == "prediction (peer)":
                    model.predict_proba(image)
                else:
                    saliency(model, image, name)
                end = time.perf_counter()
                total.append((end - started) * 1000)
                alone.append((end - middle) * 1000)
            result[name] = {
                "p50_ms": _percentile(total, 50),
                "p95_ms": _percentile(total, 95),
                "max_ms": max(total),
                "alone_p50_ms": _percentile(alone, 50),
                "alone_p95_ms": _percentile(alone, 95),
                "n": len(total),
            }
            log(f"saliency {name}: p50 {result[name]['p50_ms']:.1f} ms, p95 {result[name]['p95_ms']:.1f} ms")
    return result


def bench_maximisation() -> list[dict]:
    from convviz.explain import Explainer, activation_maximisation
    from convviz.maximise import AM_STEPS

    rows = []
    for arch in AM_ARCHS:
        with Explainer.load(ROOT / "assets" / "models" / arch) as model:
            activation_maximisation(model, model.conv_layers[0], channels=[0], steps=2)  # warm-up
            for layer in model.conv_layers:
                count = model.channel_count(layer)
                started = time.perf_counter()
                activation_maximisation(model, layer)
                seconds = time.perf_counter() - started
                rows.append({"arch": arch, "layer": layer, "channels": count, "steps": AM_STEPS, "seconds": seconds})
                log(f"activation maximisation {arch} {layer} ({count} channels): {seconds:.1f} s")
    return rows


def render_markdown(result: dict) -> str:
    conf = result["confusion"]
    peer = conf["predict_proba"]["median_s"]
    best = min((k for k in conf if k != "predict_proba"), key=lambda k: conf[k]["median_s"])
    machine = result["machine"]
    load = ", ".join(f"{v:.2f}" for v in machine.get("loadavg_start", []))
    load_end = ", ".join(f"{v:.2f}" for v in result.get("loadavg_end", []))
    command = result["command"].split(" --note ")[0]  # the note is shown below, once
    lines = [
        "## Learn from the errors: confusion matrix, saliency, activation maximisation",
        "",
        f"`{command}`: the pretrained models, real MNIST, one process; {result['rounds']} rounds "
        f"for the confusion matrix, {result['repeats']} drawings per saliency method. "
        f"Machine: {machine.get('cpu_model')}, {machine.get('nproc')} cores, TensorFlow {machine.get('tensorflow')}; "
        f"load average at start {load}, at end {load_end}.",
        "",
    ]
    if result.get("note"):
        lines += [f"Conditions: {result['note']}", ""]
    lines += [
        "### Confusion matrix of the 10,000 test images (cnn)",
        "",
        "Peer: plain `Model.predict_proba` of the same images (batches of 1000), interleaved in the same run. "
        f"Goal: at most {GOAL_CONFUSION_S:.0f} s. Best = the fastest run (the least disturbed by other jobs).",
        "",
        "| what | batch | median s | best s | runs s | median / peer's | goal <= 1 s (median) |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for name, entry in conf.items():
        batch = "1000" if name == "predict_proba" else name.split("@")[1]
        label = "predict_proba (peer)" if name == "predict_proba" else "confusion()"
        runs = ", ".join(f"{v:.2f}" for v in entry["runs_s"])
        ratio = entry["median_s"] / peer
        goal = "yes" if entry["median_s"] <= GOAL_CONFUSION_S else "NO"
        best_run = min(entry["runs_s"])
        lines.append(
            f"| {label} | {batch} | {entry['median_s']:.2f} | {best_run:.2f} | {runs} | {ratio:.2f} | {goal} |"
        )
    met = conf[best]["median_s"] <= GOAL_CONFUSION_S
    lines += [
        "",
        f"Fastest: {best.replace('confusion@', 'batch ')} at {conf[best]['median_s']:.2f} s "
        f"({conf[best]['median_s'] / peer:.2f}x the peer); goal {'met' if met else 'NOT met'}. "
        "The confusion matrix costs what the forward pass costs (the counting is one `np.bincount`): "
        "on this machine the cnn's forward pass of 10,000 images alone "
        f"takes {peer:.2f} s.",
        "",
        "### Saliency on the drawing (cnn)",
        "",
        "A 280x280 drawing -> `to_mnist` -> the map; p50/p95 over different real digits drawn at 10x. "
        f"Goal: p95 at most {GOAL_SALIENCY_P95_MS:.0f} ms.",
        "",
        "| method | p50 ms | p95 ms | max ms | map alone p50 / p95 ms | goal p95 <= 100 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, entry in result["saliency"].items():
        goal = "-" if "peer" in name else ("yes" if entry["p95_ms"] <= GOAL_SALIENCY_P95_MS else "NO")
        lines.append(
            f"| {name} | {entry['p50_ms']:.1f} | {entry['p95_ms']:.1f} | {entry['max_ms']:.1f} | "
            f"{entry['alone_p50_ms']:.1f} / {entry['alone_p95_ms']:.1f} | {goal} |"
        )
    lines += [
        "",
        "Occlusion runs 101 images (the drawing and 100 placements of a 7x7 patch every 3 px) in one batch; "
        "the gradients are one forward and backward pass of one image.",
        "",
        "### Activation maximisation (every channel of a layer, default settings)",
        "",
        "| network | layer | channels | steps | seconds |",
        "|---|---|---:|---:|---:|",
    ]
    for row in result["maximisation"]:
        lines.append(f"| {row['arch']} | {row['layer']} | {row['channels']} | {row['steps']} | {row['seconds']:.1f} |")
    lines += [
        "",
        "Runs in the worker with progress and cancel (checked before every step), so its length blocks nothing.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="confusion-matrix rounds (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=60, help="drawings per saliency method (default %(default)s)")
    parser.add_argument("--note", default="", help="conditions of the run, for the table")
    parser.add_argument("--skip-maximisation", action="store_true", help="leave activation maximisation out")
    parser.add_argument("--render", action="store_true", help="only rewrite explain.md from explain.json")
    args = parser.parse_args(argv)
    if args.render:
        result = read_json(RESULTS_DIR / "explain.json")
        (RESULTS_DIR / "explain.md").write_text(render_markdown(result), encoding="utf-8")
        return 0
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from convviz.data import load_mnist

    machine = machine_info()
    data = load_mnist(data_dir(), download=False)
    started = time.perf_counter()
    result = {
        "benchmark": "explain",
        "command": command_line(),
        "machine": machine,
        "rounds": args.rounds,
        "repeats": args.repeats,
        "note": args.note,
    }
    result["confusion"] = bench_confusion(args.rounds, data)
    result["saliency"] = bench_saliency(args.repeats, data)
    result["maximisation"] = [] if args.skip_maximisation else bench_maximisation()
    result["loadavg_end"] = list(os.getloadavg())
    result["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    write_json(RESULTS_DIR / "explain.json", result)
    (RESULTS_DIR / "explain.md").write_text(render_markdown(result), encoding="utf-8")
    log(f"wrote {RESULTS_DIR / 'explain.json'} and explain.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
