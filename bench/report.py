"""Write bench/RESULTS.md from the JSON files in bench/results/ (speed, accuracy, memory).

    PYTHONPATH=. python bench/report.py                 # after bench/speed.py, accuracy.py, memory.py
    PYTHONPATH=. python bench/report.py --results bench/results --out bench/RESULTS.md

A missing results file gives a section that says how to produce it. The
numbers are not edited by hand: rerun the benchmark and this script. The
"likely cause" notes are this script's reading of the measured pattern (which
strategy is slow for which network) and name the evidence they rest on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, ROOT, read_json
from convviz.config import ARCHITECTURES

STRATEGIES = ("numpy", "dataset", "estimator")
# bench/drawn_digits.py, teach.py, augment_training.py, augment_strength.py
DRAWN_DIGITS = ("drawn_digits.md", "teach.md", "teach_tf115.md", "augment_training.md", "augment_strength.md")
CROSS_WRITER = ("cross_writer.md", "teach_tuning.md")  # bench/cross_writer.py: Teach scored on other writers
LOOK_INSIDE = ("embedding_speed.md",)  # bench/embedding_speed.py: a map per training snapshot

# Why a strategy falls behind, as measured in this project (see the Findings section and bench/speed.py --help).
CAUSES = {
    "numpy": (
        "a fixed cost per step (numpy fancy-indexing of the batch, the feed_dict copy, one Python-to-C++ "
        "Session.run round trip) that only matters for the small networks; for the conv-heavy ones the step "
        "is the same kernels as Keras', and run-to-run noise on the shared machine dominates"
    ),
    "dataset": (
        "not the per-step cost (bench/probe_input.py: median step time equal to the numpy feed's) but the "
        "iterator re-initialisation the Trainer runs at the start of every epoch (inside its epoch clock). "
        "In runs made before the core switched tf.data autotuning off (speed-busy.json) it intermittently "
        "blocked for up to ~2 s on the busy 2-core machine and cost a short bench epoch up to 40-50%; with "
        "autotuning off, as the core runs now, it costs about one step (34-75 ms), so a dip in a later run "
        "has a cause not measured here; see Findings"
    ),
    "estimator": (
        "each epoch is a new Estimator.train() call with a new graph and Session, so the first step of every "
        "epoch pays graph optimisation again (inside the Trainer's epoch clock), plus the MonitoredSession "
        "hooks on every step; short bench epochs magnify it"
    ),
}


def _fmt_rate(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _fmt_pct(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f} MB"


def _machine_section(payloads: list[dict]) -> list[str]:
    machine = next((p["machine"] for p in payloads if p and p.get("machine")), None)
    if machine is None:
        return ["## Machine", "", "No results yet.", ""]
    flags = ", ".join(machine.get("cpu_flags", [])) or "-"
    lines = [
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {machine.get('cpu_model')} (`nproc` {machine.get('nproc')}; {flags}) |",
        f"| memory | {machine.get('mem_total_gb', '-')} GB |",
        f"| software | TensorFlow {machine.get('tensorflow')}, Keras {machine.get('keras')}, numpy "
        f"{machine.get('numpy')}, Python {machine.get('python')}, oneDNN {machine.get('onednn')} |",
        f"| platform | {machine.get('platform')} |",
    ]
    for p in payloads:
        if p and p.get("machine"):
            m = p["machine"]
            load = ", ".join(f"{v:.2f}" for v in m.get("loadavg_start", []))
            end = m.get("loadavg_end")
            load += f" (end: {', '.join(f'{v:.2f}' for v in end)})" if end else ""
            lines.append(f"| {p.get('label', p['benchmark'])} run | {m.get('date')}; load average at start {load} |")
    lines += [
        "",
        "The machine is shared: other jobs (the pretrained models' training, tests) ran at the same time. "
        "An absolute time is not a result here; the ratios measured within one run, interleaved and "
        "repeated, are.",
        "",
    ]
    return lines


def _speed_section(speed: dict | None, title: str, level: str = "##") -> list[str]:
    lines = [f"{level} {title}", ""]
    if not speed:
        return [*lines, "No results: run `PYTHONPATH=. python bench/speed.py`.", ""]
    from bench.speed import GOAL_BEST, GOAL_NUMPY, summarise

    settings = speed["settings"]
    if speed.get("note"):
        lines += [f"Conditions: {speed['note']}.", ""]
    strategies = [s for s in STRATEGIES if s in settings["strategies"]]
    summary = summarise(speed["runs"], strategies)
    lines += [
        f"Command: `{speed['command']}`  ",
        f"Date: {speed['machine'].get('date')}; {len(speed['runs'])} measurements in "
        f"{speed.get('elapsed_seconds', 0) / 60:.0f} min{'' if speed.get('finished') else ' (INCOMPLETE run)'}"
        f"{'; QUICK smoke settings, not a result' if settings.get('quick') else ''}.",
        "",
        f"Method: each measurement is a fresh process that trains {settings['epochs']} epochs on the first N "
        f"training images (batch size {settings['batch_size']}, Adam lr 1e-3) and times only the last epoch "
        "(the first is warm-up; graph building, compile, data loading and test evaluation are never timed): "
        "ours with the Trainer's own clock (`EpochEvent.seconds`, the training loop; for the dataset strategy it "
        "includes re-initialising the iterator), Keras from `on_epoch_begin` to `on_epoch_end` (it includes "
        "creating the epoch's iterator). Per round the runners of a network run back to back in a "
        f"rotated order; {settings['rounds']} round(s); the table shows medians, ratio = median(ours) / "
        "median(Keras). Same TensorFlow in the same run; default thread pools for both "
        f"(threads: {settings.get('threads', 'default')}).",
        "",
        "| network | images | Keras img/s | " + " | ".join(f"{s} img/s (x Keras)" for s in strategies)
        + " | best | params (ours = Keras) |",
        "|---|---:|---:|" + "---:|" * len(strategies) + "---|---|",
    ]
    for arch, e in summary.items():
        rate = e["images_per_second"]
        cells = [f"{_fmt_rate(rate.get(s))} ({_fmt_ratio(e['ratio'].get(s))})" for s in strategies]
        params = f"{e['params'][0]:,} {'yes' if e['params_match'] else 'NO: ' + str(e['params'])}"
        images = ", ".join(f"{n:,}" for n in e["images"])
        lines.append(f"| {arch} | {images} | {_fmt_rate(rate.get('keras'))} | " + " | ".join(cells)
                     + f" | {e.get('best', '-')} {_fmt_ratio(e.get('best_ratio'))} | {params} |")
    lines += [
        "",
        "Spread: ours/Keras per round (each pair measured back to back), and the last epoch's mean training "
        "loss (a check that both train the same network the same way; the numbers differ by the random "
        "initialisation and batch order):",
        "",
        "| network | " + " | ".join(f"{s}: per-round ratios" for s in strategies) + " | train loss Keras / "
        + " / ".join(strategies) + " |",
        "|---|" + "---|" * len(strategies) + "---|",
    ]
    for arch, e in summary.items():
        cells = [", ".join(f"{r:.2f}" for r in e["paired_ratios"].get(s, [])) or "-" for s in strategies]
        losses = " / ".join(f"{e['train_loss'].get(n):.3f}" if e["train_loss"].get(n) is not None else "-"
                            for n in ["keras", *strategies])
        lines.append(f"| {arch} | " + " | ".join(cells) + f" | {losses} |")
    lines += ["", f"{level}# Verdicts", ""]
    lines += _speed_verdicts(summary, GOAL_BEST, GOAL_NUMPY)
    if speed.get("errors"):
        lines += ["", f"{len(speed['errors'])} measurement(s) failed: "
                  + "; ".join(f"{x['arch']} {x['runner']}" for x in speed["errors"])]
    lines.append("")
    return lines


def _spread_note(e: dict, name: str, threshold: float) -> str:
    per_round = e["paired_ratios"].get(name) or []
    if len(per_round) > 1 and min(per_round) < threshold <= max(per_round):
        return f" (per-round ratios {min(per_round):.2f}-{max(per_round):.2f} straddle {threshold:.1f}: within noise)"
    return ""


def _speed_verdicts(summary: dict, goal_best: float, goal_numpy: float) -> list[str]:
    lines = []
    missed = {a: e for a, e in summary.items() if e.get("goal_best_met") is False}
    judged = [a for a, e in summary.items() if e.get("goal_best_met") is not None]
    verdict = "met" if judged and not missed else "NOT met" if missed else "not measured"
    lines.append(f"- **Goal 1: best strategy at least {goal_best:.1f}x Keras for every network: {verdict}.** "
                 + "; ".join(f"{a}: {summary[a]['best']} {summary[a]['best_ratio']:.2f}x"
                             + _spread_note(summary[a], summary[a]["best"], goal_best) for a in judged) + ".")
    for arch, e in missed.items():
        lines.append(f"  - {arch}: gap {(goal_best - e['best_ratio']) * 100:.0f}% "
                     f"(best is {e['best']}); likely cause: {CAUSES[e['best']]}.")
    judged = [a for a, e in summary.items() if e.get("goal_numpy_met") is not None]
    missed = {a: e for a, e in summary.items() if e.get("goal_numpy_met") is False}
    verdict = "met" if judged and not missed else "NOT met" if missed else "not measured"
    lines.append(
        f"- **Goal 2: numpy feed path within 20% of Keras (at least {goal_numpy:.1f}x): {verdict}.** "
        + "; ".join(f"{a}: numpy {summary[a]['numpy_ratio']:.2f}x Keras, {summary[a]['numpy_vs_best']:.2f}x our best"
                    + _spread_note(summary[a], "numpy", goal_numpy) for a in judged) + "."
    )
    for arch, e in missed.items():
        lines.append(f"  - {arch}: gap {(goal_numpy - e['numpy_ratio']) * 100:.0f}%; likely cause: {CAUSES['numpy']}.")
    slow = sorted({s for e in summary.values() for s, r in e["ratio"].items() if r < 1.0 and s != "numpy"})
    for s in slow:
        archs = ", ".join(f"{a} {e['ratio'][s]:.2f}x" for a, e in summary.items() if e["ratio"].get(s, 9) < 1.0)
        lines.append(f"- Below Keras with {s} ({archs}); likely cause: {CAUSES[s]}.")
    return lines


def _accuracy_section(acc: dict | None) -> list[str]:
    lines = ["## Test accuracy per epoch", ""]
    if not acc:
        return [*lines, "No results: run `PYTHONPATH=. python bench/accuracy.py`.", ""]
    nets = acc["networks"]
    archs = [a for a in ARCHITECTURES if a in nets]
    lines += [
        f"Command: `{acc['command']}`  ",
        f"Date: {acc['machine'].get('date')}; source: {acc['source']}. Training settings (those of "
        "`assets/models/train.sh`, all 60,000 training images, numpy batching, test set of 10,000 images):",
        "",
    ]
    lines += [f"- {a}: `{nets[a]['train_command']}`" for a in archs]
    most = max((len(nets[a]["epochs"]) for a in archs), default=0)
    lines += ["", "| epoch | " + " | ".join(archs) + " |", "|---:|" + "---:|" * len(archs)]
    for k in range(most):
        row = []
        for a in archs:
            eps = nets[a]["epochs"]
            row.append(_fmt_pct(eps[k]["test_accuracy"]) if k < len(eps) else "")
        lines.append(f"| {k + 1} | " + " | ".join(row) + " |")
    if not most:
        lines.append("| - | " + " | ".join("-" for _ in archs) + " |")
    lines += [
        "",
        "| network | status | final | best (epoch) | first epoch at target | target | margin (test images) "
        "| verdict | saved model re-evaluated |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for a in archs:
        e = nets[a]
        verdict = {True: "**met**", False: "**NOT met**", None: "pending"}[e["final_met"]]
        if e["final_met"] is None and e.get("latest_accuracy") is not None:
            verdict += f" (latest {_fmt_pct(e['latest_accuracy'])})"
        best = f"{_fmt_pct(e['best_accuracy'])} ({e['best_epoch']})" if e["best_accuracy"] is not None else "-"
        verified = e.get("verified")
        verified = _fmt_pct(verified.get("test_accuracy")) if isinstance(verified, dict) and "test_accuracy" in \
            verified else ("error" if verified else "not run")
        if e.get("settings_mismatch"):
            verdict += " (settings differ from train.sh: " + "; ".join(e["settings_mismatch"]) + ")"
        margin = "-"
        if e["final_accuracy"] is not None:
            margin = f"{round((e['final_accuracy'] - e['target']) * 10000):+d}"  # of the 10,000 test images
        lines.append(f"| {a} | {e['status']} | {_fmt_pct(e['final_accuracy'])} | {best} | "
                     f"{e['first_epoch_at_target'] or '-'} | {_fmt_pct(e['target'], 1)} | {margin} | {verdict} "
                     f"| {verified} |")
    pending = [a for a in archs if nets[a]["final_met"] is None]
    missed = [a for a in archs if nets[a]["final_met"] is False]
    met = [a for a in archs if nets[a]["final_met"]]
    lines += ["", "### Verdicts", ""]
    lines.append(
        "- **Accuracy targets (final epoch; cnn >= 99.3%, lenet5 >= 99.0%, dense >= 98.0%, template >= 99.0%): "
        + ("met" if met and not missed and not pending else "NOT met" if missed else "pending")
        + ".** " + "; ".join(
            f"{a} {'met' if nets[a]['final_met'] else 'NOT met' if nets[a]['final_met'] is False else 'pending'}"
            for a in archs) + "."
    )
    for a in missed:
        e = nets[a]
        lines.append(f"  - {a}: final {_fmt_pct(e['final_accuracy'])}, {(e['target'] - e['final_accuracy']) * 100:.2f} "
                     f"points short (best epoch {e['best_epoch']}: {_fmt_pct(e['best_accuracy'])}).")
    if pending:
        lines.append(f"  - pending ({', '.join(pending)}): the training run had not finished when the logs were read; "
                     "rerun `PYTHONPATH=. python bench/accuracy.py && PYTHONPATH=. python bench/report.py` when "
                     "`assets/models/train.sh` is done.")
    lines.append("")
    return lines


def _memory_section(mem: dict | None) -> list[str]:
    lines = ["## Memory: measured peak RSS of training beside the exercise's arithmetic", ""]
    if not mem:
        return [*lines, "No results: run `PYTHONPATH=. python bench/memory.py`.", ""]
    s = mem["settings"]
    lines += [
        f"Command: `{mem['command']}`  ",
        f"Date: {mem['machine'].get('date')}. One epoch of numpy batching on the first {s['images']:,} training "
        "images, each row a fresh process. Baseline = RSS after importing TensorFlow and loading MNIST (all 70,000 "
        "images as float32, ~220 MB); built = after graph, Session and variable initialisation; peak = VmHWM "
        "during the training steps (reset just before them"
        + ("" if all(r.get("hwm_reset") for r in mem["rows"]) else "; NOTE: the reset failed on some rows")
        + "); growth = peak - baseline; ru_maxrss = the kernel's peak RSS of the child, from `os.wait4` (a "
        "cross-check: the VmHWM reset lowers it too). "
        f"Arithmetic = `convviz.memory.memory_report(arch, batch)` mini-batch total ({mem['rule']}).",
        "",
        "| network | batch | TF imported | baseline (TF + data) | built | peak in training | growth | "
        "arithmetic (memory.py) | ru_maxrss |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in mem["rows"]:
        lines.append(
            f"| {r['arch']} | {r['batch_size']} | {_mb(r.get('rss_tf_bytes'))} | {_mb(r['rss_baseline_bytes'])} | "
            f"{_mb(r['rss_built_bytes'])} | "
            f"{_mb(r['peak_training_bytes'])} | {_mb(r['growth_bytes'])} | "
            f"{r['arithmetic_batch_bytes'] / 1e6:,.1f} MB | {_mb(r.get('ru_maxrss_bytes'))} |"
        )
    sizes = sorted({r["batch_size"] for r in mem["rows"]})
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        lines += [
            "",
            f"Slope, batch {hi} minus batch {lo} (what grows with the batch; the fixed costs cancel):",
            "",
            "| network | measured peak difference | arithmetic difference | measured / arithmetic |",
            "|---|---:|---:|---:|",
        ]
        for arch in ARCHITECTURES:
            rows = {r["batch_size"]: r for r in mem["rows"] if r["arch"] == arch}
            if lo in rows and hi in rows:
                measured = rows[hi]["peak_training_bytes"] - rows[lo]["peak_training_bytes"]
                arith = rows[hi]["arithmetic_batch_bytes"] - rows[lo]["arithmetic_batch_bytes"]
                lines.append(f"| {arch} | {_mb(measured)} | {arith / 1e6:,.1f} MB | "
                             f"{measured / arith if arith else float('nan'):.1f}x |")
        lines += [
            "",
            "Reading: at batch 64 the fixed costs dominate: TensorFlow itself (the 'TF imported' column), the "
            "70,000 MNIST images as float32 (~220 MB), then the weights with Adam's two slots ('built'). What "
            "grows with the batch is what the arithmetic is about; measured and counted agree within a small "
            "factor either way, because the arithmetic counts z and relu(z) as two tensors while TensorFlow's "
            "fused conv/matmul + bias + ReLU keeps one (backprop of a ReLU needs only its output), and training "
            "adds what the forward count leaves out (the gradient tensors, conv workspaces, allocator slack). "
            "For dense the growth is a few MB and within allocator noise.",
        ]
    if mem.get("errors"):
        lines += ["", f"{len(mem['errors'])} run(s) failed: "
                  + "; ".join(f"{x['arch']} {x['batch_size']}" for x in mem["errors"])]
    lines.append("")
    return lines


def render(results: Path, findings: Path | None = None) -> str:
    speed = read_json(results / "speed.json")
    extra_speed = [(path, read_json(path)) for path in sorted(results.glob("speed-*.json"))]
    for path, extra in extra_speed:
        if extra:
            extra["label"] = f"speed ({path.name})"
    acc = read_json(results / "accuracy.json")
    mem = read_json(results / "memory.json")
    try:
        results_rel = results.resolve().relative_to(ROOT)
    except ValueError:
        results_rel = results
    lines = [
        "# ConvViz benchmark results",
        "",
        f"Generated by `PYTHONPATH=. python bench/report.py` from `{results_rel}/*.json`; do not edit by hand: "
        "rerun the benchmarks and the report. How each number is measured: the docstrings of bench/speed.py, "
        "bench/accuracy.py, bench/memory.py and bench/worker.py.",
        "",
    ]
    lines += _machine_section([speed, *(e for _, e in extra_speed), acc, mem])
    lines += _speed_section(speed, "Speed: our `train` against Keras `model.fit` on the identical network")
    for path, extra in extra_speed:
        lines += _speed_section(extra, f"Speed, another run: `{path.name}`", level="###")
    lines += _accuracy_section(acc)
    lines += _memory_section(mem)
    # bench/gui_responsiveness.py (xcb, then offscreen), bench/gui_speed.py, bench/explain.py and
    # bench/gui_saliency.py (the same in the window)
    gui_sections = ("gui.md", "gui_offscreen.md", "gui_speed.md", "gui_speed_xcb.md", "explain.md", "gui_saliency.md")
    for name in (*gui_sections, *DRAWN_DIGITS, *CROSS_WRITER, *LOOK_INSIDE):
        gui = results / name
        if not gui.exists():
            continue
        text = gui.read_text().strip()
        if name == "gui_offscreen.md":  # the same measures on the platform the goals were first set on
            text = text.split("\n### Strokes while TensorFlow loads")[0].strip()  # those are xcb-only: above
            text = text.replace(
                "## GUI responsiveness", "## GUI responsiveness, offscreen (the platform of the earlier results)", 1
            )
        lines += [text, ""]
    if findings is not None and findings.exists():
        lines += ["## Findings", "", findings.read_text().strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="(default %(default)s)")
    parser.add_argument("--findings", type=Path, default=None,
                        help="hand-written analysis appended as 'Findings' when present (default RESULTS/findings.md)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="(default %(default)s)")
    args = parser.parse_args(argv)
    text = render(args.results, args.findings or args.results / "findings.md")
    args.out.write_text(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
