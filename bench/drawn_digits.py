"""The drawn-digit benchmark: the shipped models on digits drawn the way the pad draws them.

    PYTHONPATH=. python bench/drawn_digits.py                       # about 2 minutes on the 2-core machine
    PYTHONPATH=. python bench/drawn_digits.py --model cnn-aug=bench/out/cnn-aug --note "candidates"
    PYTHONPATH=. python bench/drawn_digits.py --render              # only rewrite the .md from the .json
    PYTHONPATH=. python bench/drawn_digits.py --before bench/results/drawn_digits_before.json  # after a retrain

No outside data: :mod:`convviz.strokes` draws every digit from stroke skeletons
written by hand (several styles per digit, among them the continental forms a
European class writes: the crossed 7, the 1 with a long up-stroke, the hooked
9, the open 4, the flat-topped 3) with the pad's round anti-aliased pen on its
280 x 280 canvas, varying the size and position on the pad, the slant, a
slight rotation, the width, the pen width (12-28 px; the pad's is 20) and a
smooth wobble of the strokes. Each drawing goes through what the pad does,
``preprocess.to_mnist(canvas, invert=True)``, and then through each model in
``assets/models`` (plus the models given with ``--model``), and through the
ensemble of cnn, lenet5 and template (mean probabilities).

Measured per model: accuracy per digit, per form (the confusions of the
continental forms), overall, on the MNIST test set (10,000 digits, the peer
that says the model is the one the recorded numbers describe), and for the
pen-width question the overall and continental accuracy at a fixed pen of 12,
20 and 28 px.

With ``--before FILE`` (an earlier run's .json, e.g. the one made before the
shipped models were retrained), the report also shows that run's per-digit
table and its forms beside this one's (kept in the .json, so ``--render``
shows them too). The drawings must be the same: same seed and count.

Writes bench/results/drawn_digits.json and drawn_digits.md (a section of bench/RESULTS.md).
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

from bench import common
from bench.common import RESULTS_DIR, ROOT, command_line, data_dir, log, machine_info, read_json, write_json

SHIPPED = ("cnn", "lenet5", "dense", "template")
ENSEMBLE = ("cnn", "lenet5", "template")
PEN_WIDTHS = (12.0, 20.0, 28.0)


def render(per_style: int, seed: int, variation=None) -> dict:
    """The benchmark's drawings through the pad's preprocessing: x (N, 28, 28), labels, styles."""
    from convviz import strokes
    from convviz.preprocess import to_mnist

    drawn = strokes.drawn_digits(per_style, seed=seed, variation=variation or strokes.VARIATION)
    x = np.stack([to_mnist(image, invert=True) for image in drawn.images])
    return {"x": x, "labels": drawn.labels, "styles": np.array(drawn.styles)}


def continental_mask(styles: np.ndarray) -> np.ndarray:
    from convviz import strokes

    names = {f"{d}/{s}" for d, s in strokes.CONTINENTAL}
    return np.array([s in names for s in styles])


def score(probabilities: np.ndarray, labels: np.ndarray, styles: np.ndarray) -> dict:
    """Accuracy overall, per digit, per form (with its misreadings), on the continental forms."""
    predicted = probabilities.argmax(axis=1)
    right = predicted == labels
    per_digit = [float(right[labels == d].mean()) for d in range(10)]
    forms = {}
    for form in dict.fromkeys(styles.tolist()):
        sel = styles == form
        wrong = np.bincount(predicted[sel][~right[sel]], minlength=10)
        forms[form] = {
            "n": int(sel.sum()),
            "accuracy": float(right[sel].mean()),
            "read_as": {str(d): int(c) for d, c in enumerate(wrong) if c},
        }
    mask = continental_mask(styles)
    return {
        "accuracy": float(right.mean()),
        "per_digit": per_digit,
        "continental": float(right[mask].mean()),
        "common": float(right[~mask].mean()),
        "forms": forms,
    }


def load_models(extra: list[tuple[str, str]]) -> list[tuple[str, Path]]:
    models = [(name, ROOT / "assets" / "models" / name) for name in SHIPPED]
    return models + [(label, Path(folder)) for label, folder in extra]


def measure(models, bench: dict, mnist, pen_sets: dict) -> dict:
    from convviz.model import Model

    out = {}
    probabilities = {}
    for label, folder in models:
        started = time.perf_counter()
        with Model.load(folder) as model:
            p = model.predict_proba(bench["x"])
            probabilities[label] = p
            entry = score(p, bench["labels"], bench["styles"])
            entry["folder"] = os.path.relpath(str(folder), str(ROOT))
            entry["mnist_test"] = model.accuracy(mnist.test_images, mnist.test_labels)
            entry["recorded_test_accuracy"] = model.meta.get("test_accuracy")
            config = model.meta.get("config") or {}
            entry["trained_with_augment"] = bool(config.get("augment", False))
            entry["config"] = {k: config.get(k) for k in ("epochs", "augment", "forms") if k in config}
            entry["pen"] = {}
            for width, pen_bench in pen_sets.items():
                pen_score = score(model.predict_proba(pen_bench["x"]), pen_bench["labels"], pen_bench["styles"])
                entry["pen"][f"{width:g}"] = {
                    "accuracy": pen_score["accuracy"],
                    "continental": pen_score["continental"],
                }
        out[label] = entry
        log(
            f"{label}: drawn {entry['accuracy']:.2%}, continental {entry['continental']:.2%}, "
            f"MNIST {entry['mnist_test']:.2%} ({time.perf_counter() - started:.0f} s)"
        )
    if all(name in probabilities for name in ENSEMBLE):
        mean = np.mean([probabilities[name] for name in ENSEMBLE], axis=0)
        entry = score(mean, bench["labels"], bench["styles"])
        entry["folder"] = "+".join(ENSEMBLE)
        out["ensemble"] = entry
    return out


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}"


def render_markdown(result: dict) -> str:
    s = result["settings"]
    machine = result["machine"]
    models = result["models"]
    lines = [
        "## Drawn digits: the shipped models on pen strokes like the pad's",
        "",
        f"`{result['command']}`: {result['drawings']} drawings ({s['per_style']} of each of {result['forms']} forms "
        f"of the ten digits, seed {s['seed']}), each through the pad's preprocessing (`to_mnist(canvas, "
        f"invert=True)`). Date {machine.get('date')}; TensorFlow {machine.get('tensorflow')}.",
        "",
        "How the drawings are made: `convviz/strokes.py` renders stroke skeletons written by hand in code with the "
        "pad's round anti-aliased pen on its 280 x 280 canvas (tests/gui/test_pad_strokes.py compares it with the "
        "pad's own Qt pen: the same ink within 3 %), varying the height on the pad (120-230 px), the position, the "
        "slant (-0.15 to 0.35), the rotation (+-8 deg), the width (0.85-1.2x), the pen (12-28 px) and a smooth "
        "wobble of each stroke. No outside data. *Continental* forms: "
        + ", ".join(f"`{f}`" for f in result["continental_forms"])
        + ".",
        "",
    ]
    if result.get("note"):
        lines += [f"Conditions: {result['note']}.", ""]
    lines += [
        "### Accuracy per digit (%)",
        "",
        "| model | " + " | ".join(str(d) for d in range(10)) + " | all | continental forms | other forms "
        "| MNIST test (measured) |",
        "|---|" + "---:|" * 14,
    ]
    for label, m in models.items():
        cells = [_pct(v) for v in m["per_digit"]]
        lines.append(
            f"| {label}{_trained(m)} | "
            + " | ".join(cells)
            + f" | **{_pct(m['accuracy'])}** | {_pct(m['continental'])} | {_pct(m['common'])} | "
            + f"{_pct(m.get('mnist_test'))} |"
        )
    lines += [
        "",
        "The ensemble averages the probabilities of cnn, lenet5 and template.",
        "",
        "### The continental forms: accuracy (%) and what they are read as",
        "",
        "| form | " + " | ".join(models) + " |",
        "|---|" + "---|" * len(models),
    ]
    for form in result["continental_forms"]:
        row = []
        for m in models.values():
            f = m["forms"][form]
            misread = sorted(f["read_as"].items(), key=lambda kv: -kv[1])[:2]
            extra = ", ".join(f"{d}: {c * 100 / f['n']:.0f} %" for d, c in misread)
            row.append(f"{_pct(f['accuracy'])}" + (f" ({extra})" if extra else ""))
        lines.append(f"| `{form}` | " + " | ".join(row) + " |")
    lines += [
        "",
        "### Every form below 100 % for some model (accuracy %)",
        "",
        "| form | " + " | ".join(models) + " |",
        "|---|" + "---:|" * len(models),
    ]
    every = next(iter(models.values()))["forms"]
    for form in every:
        values = [m["forms"][form]["accuracy"] for m in models.values()]
        if min(values) < 1.0 and form not in result["continental_forms"]:
            lines.append(f"| `{form}` | " + " | ".join(_pct(v) for v in values) + " |")
    if result.get("before"):
        lines += _before_and_after(result)
    lines += [
        "",
        "### Pen width: the same forms drawn with one fixed pen (overall % / continental %)",
        "",
        f"{s['pen_per_style']} drawings per form and width, seed {s['seed'] + 1}; the pad's pen is 20 px.",
        "",
        "| model | " + " | ".join(f"pen {w:g} px" for w in PEN_WIDTHS) + " |",
        "|---|" + "---|" * len(PEN_WIDTHS),
    ]
    for label, m in models.items():
        if "pen" not in m:
            continue
        cells = [
            f"{_pct(m['pen'][f'{w:g}']['accuracy'])} / {_pct(m['pen'][f'{w:g}']['continental'])}" for w in PEN_WIDTHS
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "### Reading", ""]
    lines += _findings(result)
    if result.get("reading"):
        lines += ["", result["reading"]]
    return "\n".join(lines).rstrip() + "\n"


def _trained(m: dict) -> str:
    config = m.get("config") or {}
    words = [w for key, w in (("forms", "forms"), ("augment", "augmented")) if config.get(key)]
    return f" ({', '.join(words)})" if words else ""


def _before_and_after(result: dict) -> list[str]:
    """The earlier run's (``--before``) table beside this one's: per digit, then the forms that moved."""
    before, after = result["before"], result["models"]
    lines = [
        "",
        f"### Before and after: {before['what']}",
        "",
        f"Before: `{before['command']}` ({before['date']}); after: this run. The same {result['drawings']} drawings "
        f"(seed {result['settings']['seed']}).",
        "",
        "| model | "
        + " | ".join(str(d) for d in range(10))
        + " | all | continental forms | other forms | MNIST test |",
        "|---|" + "---:|" * 14,
    ]
    for label, m in after.items():
        if label not in before["models"]:
            continue
        for when, entry in (("before", before["models"][label]), ("after", m)):
            lines.append(
                f"| {label}, {when}{_trained(entry)} | "
                + " | ".join(_pct(v) for v in entry["per_digit"])
                + f" | **{_pct(entry['accuracy'])}** | {_pct(entry['continental'])} | {_pct(entry['common'])} | "
                + f"{_pct(entry.get('mnist_test'))} |"
            )
    shared = [label for label in after if label in before["models"]]
    moved = []
    for form in after[shared[0]]["forms"] if shared else []:
        pairs = [(before["models"][k]["forms"][form]["accuracy"], after[k]["forms"][form]["accuracy"]) for k in shared]
        if any(b < 1.0 or a < 1.0 for b, a in pairs):
            moved.append((form, pairs))
    if moved:
        lines += [
            "",
            "Every form below 100 % before or after, accuracy % before -> after:",
            "",
            "| form | " + " | ".join(shared) + " |",
            "|---|" + "---|" * len(shared),
        ]
        for form, pairs in moved:
            lines.append(f"| `{form}` | " + " | ".join(f"{_pct(b)} -> {_pct(a)}" for b, a in pairs) + " |")
    return lines


def _load_before(path: str, settings: dict) -> dict:
    """The parts of an earlier run's .json the before-and-after section shows."""
    earlier = read_json(Path(path))
    if earlier.get("settings", {}).get("seed") != settings["seed"] or (
        earlier.get("settings", {}).get("per_style") != settings["per_style"]
    ):
        raise SystemExit(f"{path}: made with other drawings (seed, per form) than this run; not comparable")
    keep = ("per_digit", "accuracy", "continental", "common", "mnist_test", "forms", "config")
    return {
        "what": earlier.get("before_what") or "the shipped models before retraining",
        "command": earlier.get("command", "?"),
        "date": (earlier.get("machine") or {}).get("date", "?"),
        "models": {label: {k: m.get(k) for k in keep} for label, m in earlier["models"].items()},
    }


def _findings(result: dict) -> list[str]:
    models = result["models"]
    out = []
    for label, m in models.items():
        worst = sorted(m["forms"].items(), key=lambda kv: kv[1]["accuracy"])[:3]
        worst = [(form, f) for form, f in worst if f["accuracy"] < 0.95]
        if not worst:
            out.append(f"- {label}: every form at least 95 %.")
            continue
        parts = []
        for form, f in worst:
            misread = sorted(f["read_as"].items(), key=lambda kv: -kv[1])[:2]
            parts.append(
                f"`{form}` {_pct(f['accuracy'])} % (read as "
                + ", ".join(f"{d} {c * 100 / f['n']:.0f} %" for d, c in misread)
                + ")"
            )
        out.append(f"- {label}: weakest forms " + "; ".join(parts) + ".")
    solid = [f for f in result["continental_forms"] if all(m["forms"][f]["accuracy"] >= 0.99 for m in models.values())]
    if solid:
        out.append(
            "- Continental forms every model reads right (at least 99 %): "
            + ", ".join(f"`{f}`" for f in solid)
            + ". Forms that are read right here may still be misread when real hands draw them differently."
        )
    weak = sorted(
        {f for m in models.values() for f, entry in m["forms"].items() if entry["accuracy"] < 0.9},
        key=lambda f: min(m["forms"][f]["accuracy"] for m in models.values()),
    )
    if weak:
        out.append(
            "- Below 90 % for some model: "
            + ", ".join(
                f"`{f}` (worst {_pct(min(m['forms'][f]['accuracy'] for m in models.values()))} %)" for f in weak
            )
            + "."
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-style", type=int, default=40, help="drawings per form (default %(default)s)")
    parser.add_argument("--pen-per-style", type=int, default=15, help="per form and pen width (default %(default)s)")
    parser.add_argument("--seed", type=int, default=2026, help="(default %(default)s)")
    parser.add_argument(
        "--model", action="append", default=[], metavar="LABEL=DIR", help="also measure this model folder"
    )
    parser.add_argument("--note", default="", help="conditions of the run, shown in the report")
    parser.add_argument(
        "--out", default="drawn_digits", help="results file stem in bench/results (default %(default)s)"
    )
    parser.add_argument(
        "--before", metavar="FILE", help="an earlier run's .json: show its tables beside this run's (before/after)"
    )
    parser.add_argument("--reading", default="", help="a closing paragraph for the Reading (kept in the .json)")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = parser.parse_args(argv)
    json_path, md_path = RESULTS_DIR / f"{args.out}.json", RESULTS_DIR / f"{args.out}.md"
    if args.render:
        result = read_json(json_path)
        if args.reading:
            result["reading"] = args.reading
            write_json(json_path, result)
        md_path.write_text(render_markdown(result), encoding="utf-8")
        return 0
    settings = {"per_style": args.per_style, "pen_per_style": args.pen_per_style, "seed": args.seed}
    before = _load_before(args.before, settings) if args.before else None
    extra = []
    for item in args.model:
        label, _, folder = item.partition("=")
        if not folder:
            parser.error(f"--model wants LABEL=DIR, got {item!r}")
        extra.append((label, folder))

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from convviz import strokes
    from convviz.data import load_mnist

    machine = machine_info()
    started = time.perf_counter()
    log("rendering the drawings")
    bench = render(args.per_style, args.seed)
    pen_sets = {
        width: render(args.pen_per_style, args.seed + 1, strokes.VARIATION._replace(pen_width=(width, width)))
        for width in PEN_WIDTHS
    }
    log(
        f"{len(bench['labels'])} drawings + {3 * len(pen_sets[PEN_WIDTHS[0]]['labels'])} at fixed pens in "
        f"{time.perf_counter() - started:.0f} s"
    )
    mnist = load_mnist(data_dir(), download=False)
    models = measure(load_models(extra), bench, mnist, pen_sets)
    machine["loadavg_end"] = list(os.getloadavg())
    result = {
        "benchmark": "drawn_digits",
        "label": "drawn digits",
        "command": command_line(),
        "note": args.note,
        "machine": machine,
        "settings": settings,
        "drawings": len(bench["labels"]),
        "forms": len(dict.fromkeys(bench["styles"].tolist())),
        "continental_forms": [f"{d}/{s}" for d, s in strokes.CONTINENTAL],
        "models": models,
        "before": before,
        "reading": args.reading,
        "elapsed_seconds": round(time.perf_counter() - started, 1),
    }
    return common.write_results(json_path, md_path, result, render_markdown)


if __name__ == "__main__":
    sys.exit(main())
