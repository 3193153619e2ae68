"""Teach: how long the default fine-tuning of the cnn takes, and what it changes.

    PYTHONPATH=. python bench/teach.py                 # about 4-6 minutes on the busy 2-core machine
    PYTHONPATH=. python bench/teach.py --rounds 3 --note "a test run overlapped"
    PYTHONPATH=. python bench/teach.py --render

One process, the shipped cnn, real MNIST. The class set is what a class would
teach: 4 drawings of each continental form of :mod:`convviz.strokes` (crossed
7, flagged 1, hooked 9, open 4, flat-topped 3; seed 11), saved as a class set
folder and loaded back (``classset.load_class_set``, timed).

time
    Each round runs, in a rotated order, (a) the default Teach,
    ``finetune(arch, weights, class_set, mnist)`` with ``FinetuneConfig()``:
    graph, MNIST test before, the steps, MNIST test after; and (b) its peer:
    the plain ``Trainer`` of the same cnn, numpy batching, batch 64, for the
    same number of steps (``train_limit`` = 64 x steps, one epoch), which builds
    a graph, takes the steps and evaluates the test set once. Wall time of the
    whole call and of the steps alone, and process CPU time; medians over the
    rounds. Goal: the default Teach at most 30 s on a 2-core laptop CPU.
effect
    The drawn-digit benchmark (bench/drawn_digits.py's drawings, another seed
    than the class set's) read by the cnn before and after the first round's
    Teach, per digit and on the continental forms, and the MNIST test accuracy
    before and after.

Writes bench/results/teach.json and bench/results/teach.md (a section of bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench import common
from bench.common import RESULTS_DIR, ROOT, command_line, data_dir, log, machine_info, median, read_json

GOAL_SECONDS = 30.0
CLASS_SEED = 11
PER_FORM = 4


def make_class_set(folder: Path):
    from convviz import classset, strokes

    drawn = strokes.drawn_digits(PER_FORM, seed=CLASS_SEED, forms=list(strokes.CONTINENTAL))
    for image, label in zip(drawn.images, drawn.labels):
        classset.add_drawing(folder, image, int(label))
    started = time.perf_counter()
    loaded = classset.load_class_set(folder)
    return loaded, time.perf_counter() - started


def run_teach(weights, class_set, mnist) -> dict:
    from convviz.finetune import FinetuneConfig, finetune

    config = FinetuneConfig()
    cpu, wall = time.process_time(), time.perf_counter()
    result = finetune("cnn", weights, class_set, mnist, config)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "train_seconds": result.train_seconds,
        "step_ms": 1000 * result.train_seconds / config.steps,
        "steps": config.steps,
        "summary": result.summary(),
        "_result": result,
    }


def run_plain(steps: int, mnist) -> dict:
    from convviz.config import TrainConfig
    from convviz.training import EpochEvent, Trainer

    config = TrainConfig(arch="cnn", batching="numpy", batch_size=64, epochs=1, train_limit=64 * steps)
    cpu, wall = time.process_time(), time.perf_counter()
    with Trainer(config, mnist) as trainer:
        seconds = None
        for event in trainer.run():
            if isinstance(event, EpochEvent):
                seconds = event.seconds
    return {
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "train_seconds": seconds,
        "step_ms": 1000 * seconds / steps,
        "steps": steps,
    }


def effect(weights_before, weights_after, mnist, per_style: int, seed: int) -> dict:
    from bench.drawn_digits import render, score
    from convviz.model import Model

    bench = render(per_style, seed)
    out = {"drawings": len(bench["labels"]), "per_style": per_style, "seed": seed}
    with Model("cnn", weights_before) as model:
        for name, weights in (("before", weights_before), ("after", weights_after)):
            model.set_weights(weights)
            s = score(model.predict_proba(bench["x"]), bench["labels"], bench["styles"])
            s["mnist_test"] = model.accuracy(mnist.test_images, mnist.test_labels)
            out[name] = s
    return out


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}"


def _held(summary: dict, when: str) -> str:
    """The held-back score with its count and interval; none from fewer than ten drawings (older runs: as kept)."""
    from convviz.scores import MIN_HELD_BACK, format_held_back

    honest = summary.get(f"scores_{when}")
    if honest is None:  # a run from before scores had counts
        return f"{_pct(summary[when]['held_back'])} %"
    n = honest["held_back_drawings"]
    if n < MIN_HELD_BACK:
        return format_held_back(0, n)
    return format_held_back(honest["held_back"]["correct"], n)


def render_markdown(result: dict) -> str:
    machine = result["machine"]
    load = ", ".join(f"{v:.2f}" for v in machine.get("loadavg_start", []))
    end = ", ".join(f"{v:.2f}" for v in machine.get("loadavg_end", []))
    teach, plain = result["teach"], result["plain"]
    t_med = median([r["seconds"] for r in teach])
    p_med = median([r["seconds"] for r in plain])
    t_cpu = median([r["cpu_seconds"] for r in teach])
    t_step = median([r["step_ms"] for r in teach])
    p_step = median([r["step_ms"] for r in plain])
    verdict = "met" if t_med <= GOAL_SECONDS else "NOT met on this machine"
    lines = [
        f"## Teach: the default fine-tuning of the cnn, TensorFlow {machine.get('tensorflow')}",
        "",
        f"`{result['command']}`: the shipped cnn, real MNIST, a class set of {result['class_set']['drawings']} "
        f"drawings ({PER_FORM} of each continental form of `convviz/strokes.py`, seed {CLASS_SEED}; held back "
        f"{result['class_set']['held_back']}), loaded in {result['class_set']['load_seconds']:.2f} s. "
        f"{len(teach)} rounds; Machine: {machine.get('cpu_model')}, {machine.get('nproc')} cores, Python "
        f"{machine.get('python')}, TensorFlow {machine.get('tensorflow')}; load average at start {load}, at end {end}.",
        "",
    ]
    if result.get("note"):
        lines += [f"Conditions: {result['note']}.", ""]
    lines += [
        "### Time",
        "",
        "Peer: the plain Trainer of the same cnn for the same number of steps (numpy batching, batch 64), in the "
        "same rounds. The Teach also measures the MNIST test set twice (before and after) and the peer once.",
        "",
        "| run | steps | whole call s (median; runs) | CPU s (median) | the steps alone s | ms per step | goal |",
        "|---|---:|---|---:|---:|---:|---|",
        f"| default Teach (finetune) | {teach[0]['steps']} | **{t_med:.1f}**; "
        + ", ".join(f"{r['seconds']:.1f}" for r in teach)
        + f" | {t_cpu:.1f} | {median([r['train_seconds'] for r in teach]):.1f} | {t_step:.0f} | "
        + f"<= {GOAL_SECONDS:g} s: {verdict} |",
        f"| plain training (peer) | {plain[0]['steps']} | {p_med:.1f}; "
        + ", ".join(f"{r['seconds']:.1f}" for r in plain)
        + f" | {median([r['cpu_seconds'] for r in plain]):.1f} | {median([r['train_seconds'] for r in plain]):.1f} "
        + f"| {p_step:.0f} | - |",
        "",
        f"A Teach step costs {t_step / p_step:.2f}x a plain training step (it adds the augmentation of "
        f"{teach[0]['summary']['drawn_per_batch']} drawings and the balanced MNIST picks); the whole Teach "
        f"{t_med / p_med:.2f}x the peer's whole call (it measures the MNIST test set once more).",
        "",
        "### Effect on the drawn-digit benchmark (cnn)",
        "",
    ]
    e = result["effect"]
    lines += [
        f"{e['drawings']} drawings ({e['per_style']} per form, seed {e['seed']}: other drawings than the class "
        "set's), before and after the first round's Teach.",
        "",
        "| cnn | " + " | ".join(str(d) for d in range(10)) + " | all | continental | other forms | MNIST test |",
        "|---|" + "---:|" * 14,
    ]
    for name in ("before", "after"):
        s = e[name]
        lines.append(
            f"| {name} | "
            + " | ".join(_pct(v) for v in s["per_digit"])
            + f" | **{_pct(s['accuracy'])}** | {_pct(s['continental'])} | {_pct(s['common'])} | "
            + f"{s['mnist_test'] * 100:.2f} |"
        )
    first = teach[0]["summary"]
    lines += [
        "",
        "The Teach's own before/after report (first round): taught drawings "
        f"{_pct(first['before']['class_set'])} -> {_pct(first['after']['class_set'])} %, held-back drawings "
        f"{_held(first, 'before')} -> {_held(first, 'after')}, MNIST test "
        f"{first['before']['mnist_test'] * 100:.2f} -> {first['after']['mnist_test'] * 100:.2f} %; over the rounds "
        "MNIST after: " + ", ".join(f"{r['summary']['after']['mnist_test'] * 100:.2f}" for r in teach) + " %.",
    ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="(default %(default)s)")
    parser.add_argument("--per-style", type=int, default=20, help="benchmark drawings per form (default %(default)s)")
    parser.add_argument("--note", default="", help="conditions of the run, shown in the report")
    parser.add_argument("--out", default="teach", help="results file stem in bench/results (default %(default)s)")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = parser.parse_args(argv)
    json_path, md_path = RESULTS_DIR / f"{args.out}.json", RESULTS_DIR / f"{args.out}.md"
    if args.render:
        md_path.write_text(render_markdown(read_json(json_path)), encoding="utf-8")
        return 0
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from convviz.classset import held_back_split
    from convviz.data import load_mnist
    from convviz.model import load_weights
    from convviz.tf1 import TF_VERSION

    machine = machine_info()
    machine["tensorflow"] = TF_VERSION  # the one this process runs (machine_info asks a subprocess that needs Keras)
    mnist = load_mnist(data_dir(), download=False)
    _, weights, _ = load_weights(ROOT / "assets" / "models" / "cnn")
    with tempfile.TemporaryDirectory(prefix="convviz-teach-") as folder:
        class_set, load_seconds = make_class_set(Path(folder) / "classset")
    held = len(held_back_split(class_set.files, class_set.labels)[1])
    teach, plain, first = [], [], None
    for r in range(args.rounds):
        order = ("teach", "plain") if r % 2 == 0 else ("plain", "teach")
        for what in order:
            if what == "teach":
                t = run_teach(weights, class_set, mnist)
                first = first or t.pop("_result")
                t.pop("_result", None)
                teach.append(t)
                log(
                    f"round {r + 1}: teach {t['seconds']:.1f} s (steps {t['train_seconds']:.1f} s), "
                    f"MNIST {t['summary']['after']['mnist_test']:.4f}"
                )
            else:
                p = run_plain(teach[0]["steps"] if teach else 150, mnist)
                plain.append(p)
                log(f"round {r + 1}: plain {p['seconds']:.1f} s (steps {p['train_seconds']:.1f} s)")
    log("the benchmark before and after")
    changed = effect(weights, first.weights, mnist, args.per_style, 2026)
    machine["loadavg_end"] = list(os.getloadavg())
    result = {
        "benchmark": "teach",
        "label": "teach",
        "command": command_line(),
        "note": args.note,
        "machine": machine,
        "class_set": {"drawings": len(class_set), "held_back": held, "load_seconds": load_seconds},
        "teach": teach,
        "plain": plain,
        "effect": changed,
    }
    return common.write_results(json_path, md_path, result, render_markdown)


if __name__ == "__main__":
    sys.exit(main())
