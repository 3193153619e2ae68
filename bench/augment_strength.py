"""How long a flag, how strong an augmentation? The shipped cnn's training settings, chosen on tuning writers.

    PYTHONPATH=. python bench/augment_strength.py                 # trains 5 cnn variants, 15 epochs each (~45 min busy)
    PYTHONPATH=. python bench/augment_strength.py --score-only    # scores the variants already in bench/out/strength-*
    PYTHONPATH=. python bench/augment_strength.py --render

Each variant is assets/models/train.sh's cnn run (numpy batching, 15 epochs,
batch 64, Adam 0.001 with decay 0.8, ``--forms --augment``, seed 0) with the
settings of ``convviz.forms`` (how long and how flat a 1's up-stroke may be)
and of ``convviz.augment`` (how far a training image is turned, slanted and
made bolder) named below instead of the defaults: a fresh process per variant
runs ``python main.py train`` with ``convviz.training``'s two functions bound to
those settings. Every variant is scored out of the box on the drawings of the
*tuning* writers of bench/cross_writer.py (roles 2-9, 4 drawings of each digit
by each of 112 writers, in their normal and their hard hand: 4,480 each), never
on the benchmark's writers (roles 0/1), and on the MNIST test set. The counts of
the errors per style say which forms each setting reads.

Writes bench/results/augment_strength.json and .md (a section of bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

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
    write_results,
)

OLD_FORMS = {"flag_length": (0.25, 0.6), "flag_steepness": (20.0, 55.0)}
LONG_FLAGS = {"flag_length": (0.25, 0.75), "flag_steepness": (20.0, 60.0)}
OLD_AUGMENT = {"rotation": 10.0, "slant": 0.2, "stroke": 0.8, "thicker": 1.0}
TEACH_AUGMENT = {"rotation": 15.0, "slant": 0.3, "stroke": 0.9, "thicker": 1.6}  # Teach's since bench/cross_writer.py
STRONGER = {"rotation": 20.0, "slant": 0.4, "stroke": 0.9, "thicker": 1.6}
VARIANTS = {  # name: (forms settings, augmentation settings, label)
    "before": (OLD_FORMS, OLD_AUGMENT, "flags to 0.6 / 55 degrees, rotation 10, slant 0.2, pen 1.0 (shipped before)"),
    "long_flags": (LONG_FLAGS, OLD_AUGMENT, "flags to 0.75 / 60 degrees; augmentation as before"),
    "teach_augment": (OLD_FORMS, TEACH_AUGMENT, "flags as before; rotation 15, slant 0.3, pen 1.6 (Teach's)"),
    "both": (LONG_FLAGS, TEACH_AUGMENT, "flags to 0.75 / 60 degrees; rotation 15, slant 0.3, pen 1.6"),
    "stronger": (LONG_FLAGS, STRONGER, "flags to 0.75 / 60 degrees; rotation 20, slant 0.4, pen 1.6"),
}
CHOSEN = "both"
TRAIN_ARGS = [
    "--arch", "cnn", "--batching", "numpy", "--epochs", "15", "--batch-size", "64", "--lr", "0.001",
    "--lr-decay", "0.8", "--forms", "--augment", "--seed", "0",
]  # fmt: skip
SHOWN_STYLES = ("1/flagged_long", "1/flagged", "1/flag", "6/loop", "6/straight", "7/plain", "7/curved", "9/hooked")


def folder_of(name: str) -> Path:
    return OUT_DIR / f"strength-{name}"


def train_one(name: str) -> int:
    """In this process: train variant ``name`` into its folder (the CLI's JSON line on stdout)."""
    import functools

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from convviz import augment, forms, training
    from convviz.cli import main

    form_settings, augment_settings, _ = VARIANTS[name]
    fs = forms.DEFAULT._replace(**form_settings)
    aug = augment.DEFAULT._replace(**augment_settings)
    training.continental_forms = functools.partial(forms.continental_forms, settings=fs)
    training.augment = functools.partial(augment.augment, settings=aug)
    return main(["train", *TRAIN_ARGS, "--data-dir", data_dir(), "--save", str(folder_of(name)), "--quiet", "--json"])


def train(names: list, parallel: int) -> None:
    """Train ``names``, ``parallel`` processes at a time; each one's output goes to bench/out/strength-NAME.log
    (a file, not a pipe: a pipe nobody reads while the process runs can fill and stop it)."""
    pending = list(names)
    running = []
    while pending or running:
        while pending and len(running) < parallel:
            name = pending.pop(0)
            if folder_of(name).exists():
                shutil.rmtree(str(folder_of(name)))
            log(f"training {name}")
            command = [sys.executable, str(Path(__file__).resolve()), "--train-one", name]
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            output = (OUT_DIR / f"strength-{name}.log").open("w")
            proc = subprocess.Popen(command, cwd=str(ROOT), env=child_env(), stdout=output, stderr=subprocess.STDOUT)
            running.append((name, proc, output))
        time.sleep(5)
        for entry in list(running):
            name, proc, output = entry
            if proc.poll() is not None:
                output.close()
                lines = Path(output.name).read_text(errors="replace").strip().splitlines() or [""]
                if proc.returncode != 0:
                    raise RuntimeError(f"training {name} failed: " + "\n".join(lines[-15:]))
                log(f"trained {name}: {lines[-1][:200]}")
                running.remove(entry)


def score_models(names: list) -> dict:
    from bench import cross_writer as cw
    from convviz.data import load_mnist
    from convviz.model import Model, load_weights
    from convviz.scores import score

    started = time.perf_counter()
    sets = {
        hand: cw.joined([cw.scored_set(r, hand == "hard") for r in cw.PREPROCESS_ROLES]) for hand in ("normal", "hard")
    }
    log(f"drew {sum(len(d.labels) for d in sets.values())} tuning drawings in {time.perf_counter() - started:.0f} s")
    mnist = load_mnist(data_dir(), download=False)
    out = {}
    for name in names:
        arch, weights, meta = load_weights(folder_of(name))
        entry = {"label": VARIANTS[name][2], "forms": VARIANTS[name][0], "augment": VARIANTS[name][1]}
        with Model(arch, weights) as model:
            for hand, drawn in sets.items():
                predictions = model.predict(drawn.x)
                right = predictions == drawn.labels
                styles = {}
                for style in sorted(set(drawn.forms.tolist())):
                    mask = drawn.forms == style
                    wrong = np.bincount(predictions[mask & ~right], minlength=10)
                    styles[style] = {"errors": int(wrong.sum()), "total": int(mask.sum()),
                                     "read_as": {str(d): int(c) for d, c in enumerate(wrong) if c}}  # fmt: skip
                entry[hand] = {"score": score(int(right.sum()), len(right)).to_dict(), "styles": styles}
            predicted = model.predict(mnist.test_images)
        labels = mnist.test_labels
        entry["mnist_test"] = score(int((predicted == labels).sum()), len(labels)).to_dict()
        entry["mnist_7_as_1"] = int(((labels == 7) & (predicted == 1)).sum())
        entry["mnist_1_as_7"] = int(((labels == 1) & (predicted == 7)).sum())
        entry["recorded_test_accuracy"] = meta.get("test_accuracy")
        out[name] = entry
        log(f"{name}: hard {entry['hard']['score']['correct']}/{entry['hard']['score']['total']}")
    return out


def _errors(entry: dict) -> str:
    s = entry["score"]
    wrong = s["total"] - s["correct"]
    low, high = s["ci95"]
    return f"{wrong} ({s['accuracy'] * 100:.1f} %, 95 % CI {low * 100:.1f}-{high * 100:.1f} %)"


def render_markdown(result: dict) -> str:
    machine = result["machine"]
    models = result["models"]
    lines = [
        "## Training settings for drawn digits: the flag's length and the augmentation's strength (tuning writers)",
        "",
        f"`{result['command']}`; TensorFlow {machine.get('tensorflow')}, {machine.get('date')}. The cnn as "
        "assets/models/train.sh trains it (15 epochs, `--forms --augment`, seed 0), once per setting; scored out "
        "of the box on the tuning writers of bench/cross_writer.py (roles 2-9: 112 synthetic writers, 4,480 "
        "drawings in each hand), never on its benchmark's writers (roles 0/1). Errors, then accuracy with its "
        "95 % Wilson interval.",
        "",
        "| setting | normal hand, errors | hard hand, errors | MNIST test | MNIST 7s read as 1 / 1s as 7 |",
        "|---|---|---|---|---|",
    ]
    for name, m in models.items():
        mark = " **(chosen, the default now)**" if name == result.get("chosen") else ""
        mn = m["mnist_test"]
        lines.append(
            f"| `{name}`: {m['label']}{mark} | {_errors(m['normal'])} | {_errors(m['hard'])} | "
            f"{mn['accuracy'] * 100:.2f} % ({mn['correct']}/{mn['total']}) | "
            f"{m['mnist_7_as_1']} / {m['mnist_1_as_7']} |"
        )
    lines += ["", "Errors per style, normal + hard hand (of the drawings of that style in both hands):", ""]
    lines += ["| style | " + " | ".join(f"`{n}`" for n in models) + " |", "|---|" + "---:|" * len(models)]
    for style in SHOWN_STYLES:
        cells = []
        for m in models.values():
            n, h = m["normal"]["styles"].get(style), m["hard"]["styles"].get(style)
            cells.append("-" if n is None else f"{n['errors'] + h['errors']} / {n['total'] + h['total']}")
        lines.append(f"| `{style}` | " + " | ".join(cells) + " |")
    others = []
    for m in models.values():
        shown = sum(
            m[h]["styles"][s]["errors"] for h in ("normal", "hard") for s in SHOWN_STYLES if s in m[h]["styles"]
        )
        total = sum(m[h]["score"]["total"] - m[h]["score"]["correct"] for h in ("normal", "hard"))
        others.append(str(total - shown))
    lines.append("| every other style | " + " | ".join(others) + " |")
    if result.get("note"):
        lines += ["", f"Conditions: {result['note']}."]
    if result.get("reading"):
        lines += ["", result["reading"]]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names (default: all)")
    parser.add_argument("--parallel", type=int, default=2, help="trainings at a time (default %(default)s)")
    parser.add_argument("--score-only", action="store_true", help="score the variants already trained")
    parser.add_argument("--train-one", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--note", default="")
    parser.add_argument("--reading", default="", help="a closing paragraph for the .md (kept in the .json)")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = parser.parse_args(argv)
    json_path, md_path = RESULTS_DIR / "augment_strength.json", RESULTS_DIR / "augment_strength.md"
    if args.train_one:
        return train_one(args.train_one)
    if args.render:
        md_path.write_text(render_markdown(read_json(json_path)), encoding="utf-8")
        return 0
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown or not 1 <= args.parallel <= 8:
        parser.error(f"unknown variants {unknown}" if unknown else "--parallel must be from 1 to 8")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from convviz.tf1 import TF_VERSION

    machine = machine_info()
    machine["tensorflow"] = TF_VERSION
    load = os.getloadavg()
    if not args.score_only:
        train(names, args.parallel)
    result = {
        "command": command_line(),
        "machine": machine,
        "loadavg_start": load,
        "chosen": CHOSEN,
        "models": score_models(names),
        "note": args.note,
        "reading": args.reading,
    }
    return write_results(json_path, md_path, result, render_markdown)


if __name__ == "__main__":
    raise SystemExit(main())
