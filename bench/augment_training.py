"""Does training with ``--augment`` or ``--forms`` read drawn digits better? A small run before retraining.

    PYTHONPATH=. python bench/augment_training.py                     # cnn, 2 epochs each: ~10 min busy
    PYTHONPATH=. python bench/augment_training.py --arch lenet5 --epochs 3 --variants plain,forms
    PYTHONPATH=. python bench/augment_training.py --render

Trains the same network several times with ``python main.py train`` (numpy
batching, assets/models/train.sh's learning rate and decay, seed 0, the full
60,000 images, but fewer epochs than the shipped models): plain, with
``--augment`` (TrainConfig.augment: a fresh variant of every image in every
batch) and with ``--forms`` (TrainConfig.forms: convviz.forms draws an
up-stroke onto a quarter of the 1s and a crossbar onto a quarter of the 7s of every batch,
made from MNIST's own digits, not from the benchmark's skeletons), into
bench/out/, then reads the drawn-digit benchmark (bench/drawn_digits.py's
drawings) and the MNIST test set with each, and with the shipped model of that
architecture. The plain run is the peer: same epochs, same seed, same machine,
back to back; the training speed of each comes from the CLI's JSON line (the
training loop only).

Writes bench/results/augment_training.json and .md (a section of bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import (
    OUT_DIR,
    RESULTS_DIR,
    ROOT,
    child_env,
    command_line,
    data_dir,
    log,
    machine_info,
    read_json,
    write_json,
)

RECIPES = {  # assets/models/train.sh's learning rate and decay per network
    "cnn": ("0.001", "0.8"),
    "lenet5": ("0.001", "0.8"),
    "dense": ("0.001", "0.85"),
    "template": ("0.001", "0.5"),
}


VARIANTS = {  # name: (train flags, label in the tables)
    "plain": ([], "plain"),
    "augment": (["--augment"], "augmented"),
    "forms": (["--forms"], "continental forms"),
    "forms+augment": (["--forms", "--augment"], "forms + augmented"),
}


def train(arch: str, epochs: int, variant: str) -> tuple[Path, dict]:
    folder = OUT_DIR / f"{arch}-{epochs}ep-{variant}"
    if folder.exists():
        shutil.rmtree(str(folder))
    lr, decay = RECIPES[arch]
    command = [
        sys.executable, "main.py", "train", "--arch", arch, "--batching", "numpy", "--epochs", str(epochs),
        "--batch-size", "64", "--lr", lr, "--lr-decay", decay, "--seed", "0", "--save", str(folder),
        "--quiet", "--json", "--data-dir", data_dir(),
    ] + VARIANTS[variant][0]  # fmt: skip
    log(" ".join(command[1:]))
    proc = subprocess.run(command, cwd=str(ROOT), env=child_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"training failed: {proc.stderr[-2000:]}")
    return folder, json.loads(proc.stdout.strip().splitlines()[-1])


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}"


def render_markdown(result: dict) -> str:
    machine = result["machine"]
    lines = [
        "## Training with augmentation or continental forms: a small run before retraining the shipped models",
        "",
        f"`{result['command']}`: {result['arch']}, {result['epochs']} epochs on the 60,000 training images, "
        "numpy batching, batch 64, assets/models/train.sh's learning rate and decay, seed 0; "
        + ", ".join(f"`{' '.join(VARIANTS[v][0]) or 'plain'}`" for v in result.get("variants", ["plain", "augment"]))
        + " back to back; the shipped model beside them (as `train.sh` made it). `--forms` draws an up-stroke "
        "onto a quarter of the 1s and a crossbar onto a quarter of the 7s of each batch, from MNIST's own digits "
        "(convviz/forms.py; nothing from the benchmark's skeletons in convviz/strokes.py). Drawn digits: "
        f"{result['drawings']} drawings of bench/drawn_digits.py (seed {result['seed']}). Date "
        f"{machine.get('date')}, TensorFlow {machine.get('tensorflow')}.",
        "",
    ]
    if result.get("note"):
        lines += [f"Conditions: {result['note']}.", ""]
    lines += [
        "| model | " + " | ".join(str(d) for d in range(10)) + " | drawn, all | continental | other forms "
        "| MNIST test | training img/s |",
        "|---|" + "---:|" * 15,
    ]
    for label, m in result["models"].items():
        speed = m.get("images_per_second")
        lines.append(
            f"| {label} | "
            + " | ".join(_pct(v) for v in m["per_digit"])
            + f" | **{_pct(m['accuracy'])}** | {_pct(m['continental'])} | {_pct(m['common'])} | "
            + f"{m['mnist_test'] * 100:.2f} | {'-' if speed is None else f'{speed:,.0f}'} |"
        )
    models = result["models"]
    lines += ["", "Continental forms (and every other form below 100 % for some model), accuracy %:", ""]
    lines += ["| form | " + " | ".join(models) + " |", "|---|" + "---:|" * len(models)]
    every = next(iter(models.values()))["forms"]
    shown = list(result["continental_forms"]) + [
        f
        for f in every
        if f not in result["continental_forms"] and min(m["forms"][f]["accuracy"] for m in models.values()) < 1.0
    ]
    for form in shown:
        lines.append(f"| `{form}` | " + " | ".join(_pct(m["forms"][form]["accuracy"]) for m in models.values()) + " |")
    labels = list(models)
    plain = models[labels[1]]
    lines += ["", "Reading, each against the plain run of the same epochs and seed:", ""]
    for label in labels[2:]:
        m = models[label]
        lines.append(
            f"- {label}: MNIST test {(m['mnist_test'] - plain['mnist_test']) * 100:+.2f} points, drawn digits "
            f"{(m['accuracy'] - plain['accuracy']) * 100:+.1f}, continental forms "
            f"{(m['continental'] - plain['continental']) * 100:+.1f}, other forms "
            f"{(m['common'] - plain['common']) * 100:+.1f}, the 1s "
            f"{(m['per_digit'][1] - plain['per_digit'][1]) * 100:+.1f}; "
            f"training at {m['images_per_second'] / plain['images_per_second']:.2f}x the plain speed."
        )
    if result.get("reading"):
        lines += ["", result["reading"]]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="cnn", choices=sorted(RECIPES))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--per-style", type=int, default=30, help="drawn digits per form (default %(default)s)")
    parser.add_argument("--seed", type=int, default=2026, help="drawn digits' seed (default %(default)s)")
    parser.add_argument(
        "--variants",
        default="plain,augment,forms",
        help="comma-separated, the first is the peer: " + ", ".join(VARIANTS) + " (default %(default)s)",
    )
    parser.add_argument("--note", default="")
    parser.add_argument("--reading", default="", help="a closing paragraph for the .md (kept in the .json)")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = parser.parse_args(argv)
    json_path, md_path = RESULTS_DIR / "augment_training.json", RESULTS_DIR / "augment_training.md"
    if args.render:
        result = read_json(json_path)
        if args.reading:
            result["reading"] = args.reading
            write_json(json_path, result)
        md_path.write_text(render_markdown(result), encoding="utf-8")
        return 0
    variants = args.variants.split(",")
    if not variants or any(v not in VARIANTS for v in variants) or variants[0] != "plain":
        parser.error(f"--variants: plain first, then any of {', '.join(VARIANTS)}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    machine = machine_info()
    started = time.perf_counter()
    runs = {}
    for variant in variants:
        folder, info = train(args.arch, args.epochs, variant)
        runs[f"{args.arch} {args.epochs} ep, {VARIANTS[variant][1]}"] = (folder, info)

    from bench.drawn_digits import render, score
    from convviz import strokes
    from convviz.data import load_mnist
    from convviz.model import Model

    mnist = load_mnist(data_dir(), download=False)
    bench = render(args.per_style, args.seed)
    models = {}
    shipped = ROOT / "assets" / "models" / args.arch
    with Model.load(shipped) as model:
        config = model.meta.get("config") or {}
    made = f"{config.get('epochs')} ep" + "".join(
        f", {word}" for key, word in (("forms", "forms"), ("augment", "augmented")) if config.get(key)
    )
    for label, (folder, info) in [(f"{args.arch} shipped ({made})", (shipped, {})), *runs.items()]:
        with Model.load(folder) as model:
            entry = score(model.predict_proba(bench["x"]), bench["labels"], bench["styles"])
            entry["mnist_test"] = model.accuracy(mnist.test_images, mnist.test_labels)
        entry["images_per_second"] = info.get("images_per_second")
        entry["train_seconds"] = info.get("seconds")
        models[label] = entry
        log(f"{label}: drawn {entry['accuracy']:.2%}, MNIST {entry['mnist_test']:.2%}")
    machine["loadavg_end"] = list(os.getloadavg())
    result = {
        "benchmark": "augment_training",
        "label": "augment training",
        "command": command_line(),
        "note": args.note,
        "machine": machine,
        "arch": args.arch,
        "epochs": args.epochs,
        "variants": variants,
        "reading": args.reading,
        "seed": args.seed,
        "drawings": len(bench["labels"]),
        "continental_forms": [f"{d}/{s}" for d, s in strokes.CONTINENTAL],
        "models": models,
        "elapsed_seconds": round(time.perf_counter() - started, 1),
    }
    return common.write_results(json_path, md_path, result, render_markdown)


if __name__ == "__main__":
    sys.exit(main())
