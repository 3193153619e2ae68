"""Test accuracy after every epoch for each network, against the targets.

    PYTHONPATH=. python bench/accuracy.py                  # read assets/models/<arch>/train.log (train.sh's logs)
    PYTHONPATH=. python bench/accuracy.py --verify         # ... and re-evaluate the saved weights (main.py evaluate)
    PYTHONPATH=. python bench/accuracy.py --run --archs cnn   # train it now, with train.sh's settings (hours for all)

By default nothing is trained: ``assets/models/train.sh`` trains the shipped
models on all 60,000 images and writes ``assets/models/<arch>/train.log``, one
line per epoch (``epoch k/N: train loss ..., test accuracy ...%, ...``) and,
when the run has finished, the CLI's JSON result as the last line (its
``test_accuracy_per_epoch`` has full precision). A log without that line is a
run still in progress (or killed): its epochs so far are reported as such.

``--run`` trains with exactly the settings train.sh uses (read from train.sh
itself), via ``python main.py train ... --json``, logging to
``--log-dir``/<arch>/train.log (default bench/out/accuracy, git-ignored); it does
not touch assets/models unless ``--log-dir assets/models --save`` is given.

The verdict uses the final epoch's accuracy: the weights that are saved and
shipped are the last epoch's, not the best one's.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT_DIR, RESULTS_DIR, ROOT, child_env, command_line, log, machine_info, write_json
from convviz.config import ARCHITECTURES

TARGETS = {"cnn": 0.993, "lenet5": 0.990, "dense": 0.980, "template": 0.990}
MODELS_DIR = ROOT / "assets" / "models"
TRAIN_SH = MODELS_DIR / "train.sh"
# Used only when train.sh cannot be read; keep in step with it.
FALLBACK_ARGS = {
    "dense": "--epochs 20 --batch-size 64 --lr 0.001 --lr-decay 0.85",
    "lenet5": "--epochs 15 --batch-size 64 --lr 0.001 --lr-decay 0.8",
    "cnn": "--epochs 15 --batch-size 64 --lr 0.001 --lr-decay 0.8",
    "template": "--epochs 4 --batch-size 64 --lr 0.001 --lr-decay 0.5",
}
EPOCH_LINE = re.compile(
    r"^epoch (\d+)/(\d+): train loss ([0-9.eE+-]+|nan), test accuracy ([0-9.]+)%, ([0-9.]+) images/s"
)


def train_sh_args() -> dict[str, list[str]]:
    """Per network, the ``main.py train`` options train.sh passes besides arch/batching/seed/save."""
    try:
        text = TRAIN_SH.read_text()
    except OSError:
        text = ""
    found = {m.group(1): m.group(2) for m in re.finditer(r'^\s*\[(\w+)\]="([^"]*)"', text, re.MULTILINE)}
    return {arch: shlex.split(found.get(arch, FALLBACK_ARGS[arch])) for arch in ARCHITECTURES}


def train_command(arch: str, extra: list[str], save: Path | None = None, train_limit: int | None = None) -> list[str]:
    """The CLI call train.sh makes for ``arch`` (numpy batching, seed 0, JSON result)."""
    cmd = [sys.executable, "main.py", "train", "--arch", arch, "--batching", "numpy", *extra, "--seed", "0",
           "--quiet", "--json"]
    if train_limit is not None:
        cmd += ["--train-limit", str(train_limit)]
    if save is not None:
        cmd += ["--save", str(save)]
    return cmd


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def parse_log(path: Path) -> dict:
    """Epochs and (if finished) the JSON result of one ``main.py train --json`` log."""
    entry: dict = {"log": _relative(path)}
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        entry["status"] = "missing"
        entry["epochs"] = []
        return entry
    epochs = []
    result = None
    header = None
    for line in lines:
        line = line.strip()
        if line.startswith("training "):
            header = line
        match = EPOCH_LINE.match(line)
        if match:
            k, n, loss, acc, speed = match.groups()
            epochs.append({"epoch": int(k), "of": int(n), "train_loss": float(loss),
                           "test_accuracy": float(acc) / 100, "images_per_second": float(speed)})
        elif line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
    entry["header"] = header
    entry["epochs"] = epochs
    if result is not None:
        precise = result.get("test_accuracy_per_epoch") or []
        for e, acc in zip(epochs, precise):
            e["test_accuracy"] = acc
        entry["result"] = {k: v for k, v in result.items() if k != "test_accuracy_per_epoch"}
        entry["status"] = "complete"
    elif epochs:
        entry["status"] = f"in progress ({len(epochs)}/{epochs[-1]['of']} epochs)"
    elif lines:
        entry["status"] = "started (no epoch yet)"
    else:
        entry["status"] = "empty log"
    return entry


def check(arch: str, entry: dict, expected_args: list[str]) -> dict:
    """Add final/best accuracy, the first epoch that reaches the target, the verdict and settings checks."""
    target = TARGETS[arch]
    epochs = entry.get("epochs", [])
    entry["target"] = target
    if epochs:
        final = epochs[-1]["test_accuracy"]
        best = max(epochs, key=lambda e: e["test_accuracy"])
        reached = next((e["epoch"] for e in epochs if e["test_accuracy"] >= target), None)
        complete = entry.get("status") == "complete"
        # An unfinished run has no final accuracy yet: its latest epoch is reported, the verdict waits.
        entry.update(final_accuracy=final if complete else None, latest_accuracy=final,
                     best_accuracy=best["test_accuracy"], best_epoch=best["epoch"],
                     first_epoch_at_target=reached, final_met=(final >= target) if complete else None)
    else:
        entry.update(final_accuracy=None, latest_accuracy=None, best_accuracy=None, best_epoch=None,
                     first_epoch_at_target=None, final_met=None)
    result = entry.get("result")
    mismatches = []
    if result:
        for option, key in (("--epochs", "epochs"), ("--batch-size", "batch_size"), ("--lr", "learning_rate"),
                            ("--lr-decay", "lr_decay")):
            want = _option(expected_args, option)
            if want is not None and result.get(key) is not None and float(want) != float(result[key]):
                mismatches.append(f"{key} {result[key]} (train.sh: {want})")
        if result.get("train_size") not in (None, 60000):
            mismatches.append(f"trained on {result['train_size']} images, not 60000")
        if result.get("batching") not in (None, "numpy"):
            mismatches.append(f"batching {result['batching']}")
    entry["settings_mismatch"] = mismatches
    return entry


def model_json(arch: str, models_dir: Path) -> dict | None:
    try:
        return json.loads((models_dir / arch / "model.json").read_text())
    except (OSError, ValueError):
        return None


def verify(arch: str, models_dir: Path) -> dict | None:
    """``main.py evaluate --json`` on the saved model: do the shipped weights give the logged accuracy?"""
    if model_json(arch, models_dir) is None:
        return None
    cmd = [sys.executable, "main.py", "evaluate", "--model", str(models_dir / arch), "--json", "--no-download"]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=child_env(), capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_training(arch: str, extra: list[str], log_dir: Path, save: bool, train_limit: int | None = None) -> Path:
    """Train ``arch`` like train.sh does, teeing the CLI's output into ``log_dir/arch/train.log``."""
    target_dir = log_dir / arch
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "train.log"
    cmd = train_command(arch, extra, target_dir if save else None, train_limit)
    log(f"training {arch}: {' '.join(shlex.quote(c) for c in cmd[1:])} > {path}")
    started = time.perf_counter()
    with open(path, "w") as out:
        out.write(f"== {arch}: python {' '.join(shlex.quote(c) for c in cmd[1:])}\n")
        out.flush()
        proc = subprocess.Popen(cmd, cwd=str(ROOT), env=child_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            out.write(line)
            out.flush()
            if line.startswith("epoch "):
                log(f"{arch}: {line.strip()}")
        proc.wait()
    log(f"{arch}: exit {proc.returncode} after {time.perf_counter() - started:.0f} s")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archs", default=",".join(ARCHITECTURES), help="networks (comma-separated, default all)")
    parser.add_argument("--run", action="store_true", help="train now (train.sh's settings) instead of reading logs")
    parser.add_argument("--log-dir", type=Path, default=None,
                        help="where the train.log files are (default: assets/models; with --run: bench/out/accuracy)")
    parser.add_argument("--save", action="store_true", help="with --run: also save the models into --log-dir/<arch>")
    parser.add_argument("--train-limit", type=int, default=None, metavar="N",
                        help="with --run: smoke test on the first N images (flagged as a settings mismatch)")
    parser.add_argument("--verify", action="store_true", help="re-evaluate the saved models with main.py evaluate")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "accuracy.json", help="(default %(default)s)")
    args = parser.parse_args(argv)
    archs = [a.strip() for a in args.archs.split(",") if a.strip()]
    unknown = [a for a in archs if a not in ARCHITECTURES]
    if unknown:
        parser.error(f"unknown network(s) {', '.join(unknown)}; choose from {', '.join(ARCHITECTURES)}")
    log_dir = args.log_dir or (OUT_DIR / "accuracy" if args.run else MODELS_DIR)
    settings = train_sh_args()
    if args.run:
        for arch in archs:
            run_training(arch, settings[arch], log_dir, args.save, args.train_limit)

    networks = {}
    for arch in archs:
        entry = check(arch, parse_log(log_dir / arch / "train.log"), settings[arch])
        entry["train_command"] = "python " + " ".join(shlex.quote(c) for c in train_command(arch, settings[arch])[1:])
        meta = model_json(arch, log_dir)
        if meta is not None:
            entry["model_json_test_accuracy"] = meta.get("test_accuracy")
            entry["model_json_epochs"] = meta.get("epochs_completed")
        if args.verify:
            entry["verified"] = verify(arch, log_dir)
        networks[arch] = entry
        latest = entry["latest_accuracy"]
        verdict = {True: "met", False: "NOT met", None: "pending"}[entry["final_met"]]
        log(f"{arch:8s} {entry['status']:26s} latest {'-' if latest is None else f'{latest:.2%}'} "
            f"target {entry['target']:.1%} -> {verdict}")
    payload = {
        "benchmark": "accuracy",
        "command": command_line(),
        "machine": machine_info(),
        "source": "trained now (--run)" if args.run else f"logs in {log_dir}",
        "log_dir": str(log_dir),
        "targets": TARGETS,
        "networks": networks,
    }
    write_json(args.out, payload)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
