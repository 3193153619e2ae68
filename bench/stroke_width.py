"""Out of the box on the tuning writers: to_mnist's stroke thinning (MAX_STROKE_WIDTH) off and at a few widths.

    PYTHONPATH=. python bench/stroke_width.py           # about 5 minutes on 2 busy cores
    PYTHONPATH=. python bench/stroke_width.py --render  # only rewrite the .md from the .json

The shipped cnn reads every scored drawing of the *tuning* writers of bench/cross_writer.py
(roles 2-9, :data:`bench.cross_writer.PREPROCESS_ROLES`; never the benchmark's roles 0 and 1),
in their normal and their hard hand, through ``preprocess.to_mnist`` with the thinning off and
with each width tried, and MNIST's 10,000 test digits upscaled to the pad's 280 x 280, dark on
light, through the same ``to_mnist`` (a digit already like MNIST must not suffer). Also the
stroke width (:func:`convviz.preprocess.stroke_width`) of MNIST's training digits, the range
the thinning aims for. Counts and 95 % Wilson intervals beside every percentage.

Writes bench/results/stroke_width.{json,md}.
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
from bench.common import RESULTS_DIR, ROOT, command_line, data_dir, log, machine_info, read_json

WIDTHS = (None, 3.0, 3.5, 4.0, 4.5)  # None: no thinning (to_mnist before it)
CHOSEN = 4.0


def _upscaled_mnist(images: np.ndarray) -> list:
    from PIL import Image

    bilinear = getattr(Image, "Resampling", Image).BILINEAR
    return [255 - np.asarray(Image.fromarray((x * 255).astype(np.uint8)).resize((280, 280), bilinear)) for x in images]


def run(widths=WIDTHS) -> dict:
    from bench import cross_writer as cw
    from convviz import preprocess
    from convviz.data import load_mnist
    from convviz.model import Model, load_weights
    from convviz.scores import score

    mnist = load_mnist(data_dir(), download=False)
    train_widths = np.array([preprocess.stroke_width(x) for x in mnist.train_images.reshape(-1, 28, 28)])
    test_x, test_y = mnist.test_images.reshape(-1, 28, 28), mnist.test_labels
    big = _upscaled_mnist(test_x)
    arch, weights, _ = load_weights(ROOT / "assets" / "models" / "cnn")
    shipped = preprocess.MAX_STROKE_WIDTH
    rows = []
    try:
        with Model(arch, weights) as model:
            for width in widths:
                preprocess.MAX_STROKE_WIDTH = float("inf") if width is None else width
                started = time.perf_counter()
                row = {"max_stroke_width": width}
                predicted = model.predict(np.stack([preprocess.to_mnist(b) for b in big]))
                row["mnist_to_mnist"] = score(int((predicted == test_y).sum()), len(test_y)).to_dict()
                for hand in ("normal", "hard"):
                    correct = total = 0
                    for role in cw.PREPROCESS_ROLES:
                        drawn = cw.scored_set(role, hand == "hard")
                        correct += int((model.predict(drawn.x) == drawn.labels).sum())
                        total += len(drawn.labels)
                    row[hand] = score(correct, total).to_dict()
                log(
                    f"width {width}: normal {row['normal']['accuracy']:.4f} hard {row['hard']['accuracy']:.4f} "
                    f"MNIST {row['mnist_to_mnist']['accuracy']:.4f} ({time.perf_counter() - started:.0f} s)"
                )
                rows.append(row)
    finally:
        preprocess.MAX_STROKE_WIDTH = shipped
    percentiles = (50, 90, 95, 99, 99.9)
    return {
        "rows": rows,
        "ablation": ablation(model_arch=arch, weights=weights),
        "roles": list(cw.PREPROCESS_ROLES),
        "writers_per_role": cw.SCORED_WRITERS,
        "per_digit": cw.SCORED_PER_DIGIT,
        "mnist_train_width": {str(p): float(np.percentile(train_widths, p)) for p in percentiles},
        "mnist_train_over_chosen": float((train_widths > CHOSEN).mean()),
    }


ABLATION_ROLES = (2, 3, 4, 5)
FACTORS = ("height", "pen_width", "slant", "rotation", "aspect", "wobble")


def ablation(model_arch, weights) -> list:
    """The hard hand with one factor at the normal hand's value, through to_mnist as shipped: each factor's share."""
    from bench import cross_writer as cw
    from convviz import strokes
    from convviz.model import Model
    from convviz.preprocess import to_mnist
    from convviz.scores import score

    def hybrid(writer, normal_factor):
        normal, hard = cw.variation(writer, False)._asdict(), cw.variation(writer, True)._asdict()
        return strokes.Variation(**{f: normal[f] if f in normal_factor else hard[f] for f in FACTORS})

    rows = []
    with Model(model_arch, weights) as model:
        for factors in [(), *[(f,) for f in FACTORS], FACTORS]:
            x, labels = [], []
            for role in ABLATION_ROLES:
                for i in range(cw.SCORED_WRITERS):
                    writer = cw.make_writer(role, i)
                    for digit in range(10):
                        rng = np.random.RandomState([cw.WRITER_SEED, role, i, digit, 2])  # the hard hand's seed
                        variation = hybrid(writer, factors)
                        for _ in range(cw.SCORED_PER_DIGIT):
                            x.append(to_mnist(strokes.draw_digit(digit, writer.styles[digit], rng, variation), True))
                            labels.append(digit)
            right = int((model.predict(np.stack(x)) == np.array(labels)).sum())
            rows.append({"normal_factors": list(factors), "score": score(right, len(labels)).to_dict()})
    return rows


def render(result: dict) -> str:
    from bench.cross_writer import _pct

    widths = ", ".join(f"{k} %: {v:.2f}" for k, v in result["mnist_train_width"].items())
    lines = [
        "## Stroke thinning in to_mnist: out of the box on the tuning writers",
        "",
        f"`{result.get('command', 'python bench/stroke_width.py')}`. The shipped cnn, every scored drawing of the "
        f"tuning writers of bench/cross_writer.py (roles {', '.join(map(str, result['roles']))}, "
        f"{result['writers_per_role']} writers each, {result['per_digit']} drawings of each digit per writer and hand; "
        "never the benchmark's roles 0/1), through `to_mnist` with its stroke thinning off and at each width; MNIST's "
        "10,000 test digits upscaled to 280 x 280, dark on light, through the same `to_mnist`. Counts and 95 % Wilson "
        "intervals.",
        "",
        f"Stroke width (`preprocess.stroke_width`, pixels of the 28 x 28 image) of MNIST's 60,000 training digits, "
        f"percentiles: {widths}; {result['mnist_train_over_chosen']:.1%} are wider than {CHOSEN:g}.",
        "",
        "| thin strokes wider than | normal hand | hard hand | MNIST test through to_mnist |",
        "|---|---|---|---|",
    ]
    for row in result["rows"]:
        width = "off" if row["max_stroke_width"] is None else f"{row['max_stroke_width']:g} px"
        lines.append(f"| {width} | {_pct(row['normal'])} | {_pct(row['hard'])} | {_pct(row['mnist_to_mnist'])} |")
    lines += [
        "",
        f"Which of the hard hand's factors cost what (roles {', '.join(map(str, ABLATION_ROLES))}, through `to_mnist` "
        f"with thinning at {CHOSEN:g} px): the hard hand with one factor set back to the writer's normal hand, the "
        "same drawings otherwise (same seeds).",
        "",
        "| hard hand, but normal | accuracy |",
        "|---|---|",
    ]
    for row in result.get("ablation", []):
        factors = row["normal_factors"]
        name = factors[0] if len(factors) == 1 else "everything (the normal hand)" if factors else "nothing (hard)"
        lines.append(f"| {name} | {_pct(row['score'])} |")
    lines += ["", VERDICT]
    if result.get("note"):
        lines += ["", f"Note: {result['note']}"]
    return "\n".join(lines).rstrip() + "\n"


VERDICT = (
    f"Chosen: {CHOSEN:g} px (`preprocess.MAX_STROKE_WIDTH`), which thins the boldest 3 % of MNIST's own digits "
    "too. It was chosen with the cnn shipped before, which it lifted most on the hard hand, +0.9 points (38-39 of "
    "the same 4,480 drawings, as 4.5 px did; 3 px +0.5). The cnn now shipped was trained on bolder, more turned and "
    "slanted variants (bench/results/augment_strength.md), and the thinning matters less to it: 4 px +0.25 points "
    "(11 drawings), 4.5 px +0.3 (14), 3 px -0.3 (12 fewer); the normal hand and MNIST move by 3 drawings or fewer. "
    "4 px stays: within 3 drawings of the best here, and the round bound near MNIST's 97th percentile. What "
    "thinning does not fix: each of the hard hand's other factors alone still costs up to 0.7 points (shakiness and "
    "rotation most, aspect nothing), all of them together 0.8; the errors left are mostly forms read wrong in both "
    "hands (a long-flagged 1 read as 7, a 6 with a big loop read as 0 or 5), training data's or Teach's work."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--note", default="", help="conditions of the run, shown in the report")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = parser.parse_args(argv)
    json_path, md_path = RESULTS_DIR / "stroke_width.json", RESULTS_DIR / "stroke_width.md"
    if args.render:
        md_path.write_text(render(read_json(json_path)), encoding="utf-8")
        return 0
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    machine = machine_info()
    result = {"benchmark": "stroke_width", "command": command_line(), "note": args.note, "machine": machine}
    result.update(run())
    machine["loadavg_end"] = list(os.getloadavg())
    return common.write_results(json_path, md_path, result, render)


if __name__ == "__main__":
    sys.exit(main())
