"""Fault table: the hostile inputs, run against the CLI and measured.

    PYTHONPATH=. python bench/faults.py                  # all cases -> bench/faults.md (~5 minutes, 2 cores)
    PYTHONPATH=. python bench/faults.py --only bomb,seed  # the cases whose id contains a word; prints only

Each case builds its input in a fresh scratch folder and runs the CLI's
``main()`` in a subprocess, as ``python main.py ...`` does, through a short
wrapper (WRAPPER) that, for the download cases, points ``convviz.download.MIRRORS``
at a fake mirror on 127.0.0.1 (and shortens ``DOWNLOAD_DEADLINE`` where the case
says so). The child writes its own peak resident set at exit (``VmHWM`` from
``/proc/self/status``: the whole process, Python and TensorFlow included, so
compare with the baseline rows; ``os.wait4``'s ``ru_maxrss`` where it was
killed), and the parent lists what the run left in the scratch folder
beyond what the case put there. Every loop of the fake mirrors is bounded.
The read-only and full-disk cases mount a small tmpfs (root only); where the
mount fails, the row says so instead of pretending.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Callable

import numpy as np

from bench.faults_harness import (
    BOMB_BYTES,
    LENET5,
    MAX_OBSERVED,
    OUT_FILE,
    RECORD_SUFFIX,
    ROOT,
    SHARED_MNIST,
    SHIPPED_RUN,
    SHORT_TRAIN,
    TRICKLE_DEADLINE,
    TRICKLE_PAUSE,
    WINDOW_WAIT,
    WINDOW_WRAPPER,
    Mirror,
    Row,
    digit_png,
    gzip_bomb,
    lenet5_model,
    mnist_copy,
    rewrite_weights,
    row_from,
    run_cli,
    snapshot,
    tmpfs,
)
from tests.oddrecords import ALL as ODD_RECORDS

# -- the cases ----------------------------------------------------------------------------------------

CASES: list[tuple[str, str, str, Callable]] = []  # (id, case, expected, function(scratch, mirror) -> Row)


def case(case_id: str, description: str, expected: str):
    def register(function):
        CASES.append((case_id, description, expected, function))
        return function

    return register


def _error_case(args_for: Callable[[Path], list], needle: str, before_training: bool = False, **run_kwargs):
    """A case that must end with exit 2 and one error line containing ``needle``."""

    def function(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
        args = args_for(scratch)
        before = snapshot(scratch)
        run = run_cli(args, scratch, **{k: (v(mirror) if callable(v) else v) for k, v in run_kwargs.items()})
        left = snapshot(scratch) - before
        ok = run.rc == 2 and needle in run.last_error and "Traceback" not in run.stderr and not left
        if before_training:
            ok = ok and run.stdout == "" and "training" not in run.stderr
        return row_from(description, expected, run, ok, left)

    return function


def _stored(damage: Callable[[Path], None]) -> Callable[[Path], list]:
    def args_for(scratch: Path) -> list:
        folder = mnist_copy(scratch / "mnist")
        damage(folder)
        return ["train", "--data-dir", str(folder), "--no-download", *SHORT_TRAIN]

    return args_for


def _bomb_images(folder: Path) -> None:
    gzip_bomb(folder / "train-images-idx3-ubyte.gz", np.array([2051, 60000, 28, 28], ">u4").tobytes())


def _sparse_raw(folder: Path) -> None:
    (folder / "train-images-idx3-ubyte.gz").unlink()
    with (folder / "train-images-idx3-ubyte").open("wb") as f:
        f.truncate(BOMB_BYTES)  # 1 GiB that takes no disk


def _truncate(folder: Path) -> None:
    path = folder / "train-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:1000])


def _swap(folder: Path) -> None:
    a, b = folder / "train-images-idx3-ubyte.gz", folder / "t10k-images-idx3-ubyte.gz"
    a.rename(folder / "swap")
    b.rename(a)
    (folder / "swap").rename(b)


case(
    "bomb-file",
    "MNIST file: gzip bomb, 1 MB -> 1 GiB (train-images; before: 2.1 GB RSS)",
    "exit 2, one line; no GiB in memory",
)(_error_case(_stored(_bomb_images), "decompresses to more than 47040016 bytes"))
case("huge-file", "MNIST file: 1 GiB (sparse) uncompressed train-images", "exit 2, 'too large'; not read")(
    _error_case(_stored(_sparse_raw), "is too large")
)
case("truncated-file", "MNIST file: truncated train-labels .gz", "exit 2, 'truncated'")(
    _error_case(_stored(_truncate), "truncated")
)
case("swapped-files", "MNIST files: train and test images swapped", "exit 2, 'unexpected content'")(
    _error_case(_stored(_swap), "unexpected content")
)


@case("hint-no-download", "damaged file with --no-download: the hint", "no advice to run `python main.py train`")
def _hint(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    folder = mnist_copy(scratch / "mnist")
    _truncate(folder)
    run = run_cli(["train", "--data-dir", str(folder), "--no-download", *SHORT_TRAIN], scratch)
    ok = run.rc == 2 and "python main.py" not in run.stderr and "replace it with a good copy" in run.last_error
    return row_from(description, expected, run, ok, set())


@case("env-is-a-file", "CONVVIZ_DATA_DIR names a file, download allowed", "exit 2, 'is a file'; nothing downloaded")
def _env_file(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    (scratch / "mnist.tar").write_bytes(b"")
    before = snapshot(scratch)
    run = run_cli(
        ["train", *SHORT_TRAIN], scratch, mirrors=[mirror.url + "/good/"], env={"CONVVIZ_DATA_DIR": "mnist.tar"}
    )
    left = snapshot(scratch) - before
    ok = run.rc == 2 and "is a file" in run.last_error and not left
    return row_from(description, expected, run, ok, left)


def _download(mode: str, needle: str, deadline: float = 600.0, modes: tuple = ()):
    def args_for(scratch: Path) -> list:
        return ["train", "--data-dir", str(scratch / "dl"), *SHORT_TRAIN]

    return _error_case(
        args_for, needle, mirrors=lambda m: [m.url + f"/{x}/" for x in (mode, *modes)], deadline=deadline
    )


case(
    "mirror-bomb",
    "mirror serves a gzip bomb, 1 MB -> 1 GiB (before: 2.1 GB RSS)",
    "exit 2, mirror failed; no .part left",
)(_download("bomb", "decompresses to more than"))
case(
    "mirror-endless",
    "mirror streams zeros without end, no length (before: 191 MB .part in 15 s, no cap)",
    "exit 2 after ~47 MB; no .part left",
)(_download("endless", "sent more than"))
case("mirror-huge", "mirror announces 10 GiB", "exit 2 at once, 'announces'")(_download("huge", "announces"))
case(
    "mirror-trickle",
    f"mirror sends a byte every {TRICKLE_PAUSE:g} s, DOWNLOAD_DEADLINE {TRICKLE_DEADLINE:g} s "
    "(before: still hanging after 300 s)",
    f"exit 2 after ~{TRICKLE_DEADLINE:g} s, 'gave up'",
)(_download("trickle", "gave up after", deadline=TRICKLE_DEADLINE))
case(
    "mirror-slowheaders",
    f"proxy sends its status line a byte every {TRICKLE_PAUSE:g} s",
    f"exit 2 after ~{TRICKLE_DEADLINE:g} s, 'gave up'",
)(_download("slowheaders", "gave up after", deadline=TRICKLE_DEADLINE))


@case("mirror-next", "trickling mirror first, a good one second", "the next mirror is used; training runs, exit 0")
def _next_mirror(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    run = run_cli(
        ["train", "--data-dir", str(scratch / "dl"), *SHORT_TRAIN, "--json"],
        scratch,
        mirrors=[mirror.url + "/trickle/", mirror.url + "/good/"],
        deadline=5.0,
    )
    files = sorted(p.name for p in (scratch / "dl").iterdir()) if (scratch / "dl").is_dir() else []
    ok = run.rc == 0 and len(files) == 4
    observed = f"exit {run.rc}: {len(files)} verified files, trained" if ok else None
    return row_from(description + " (DOWNLOAD_DEADLINE 5 s)", expected, run, ok, set(), observed)


case("mirror-folders", "download into new folders a/b/mnist fails", "exit 2; the folders it made are removed")(
    _error_case(
        lambda s: ["train", "--data-dir", str(s / "a" / "b" / "mnist"), *SHORT_TRAIN],
        "could not download",
        mirrors=lambda m: [m.url + "/missing/"],
    )
)


@case("mirror-full-disk", "download into a full disk (1 MB tmpfs)", "exit 2, 'No space left' naming the folder")
def _download_full(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    with tmpfs(scratch / "small", 1024) as error:
        if error:
            return Row(description, expected, f"not run: mount failed ({error})", None)
        before = snapshot(scratch)
        run = run_cli(
            ["train", "--data-dir", str(scratch / "small"), *SHORT_TRAIN], scratch, mirrors=[mirror.url + "/good/"]
        )
        left = snapshot(scratch) - before
        ok = run.rc == 2 and "No space left on device" in run.last_error and str(scratch / "small") in run.last_error
        ok = ok and not any(".part" in name for name in left)
        return row_from(description, expected, run, ok, left)


# models


def _model_args(change: Callable[[Path], None], command: str = "classify") -> Callable[[Path], list]:
    def args_for(scratch: Path) -> list:
        folder = lenet5_model(scratch / "model")
        change(folder)
        if command == "evaluate":
            return ["evaluate", "--model", str(folder), "--data-dir", str(SHARED_MNIST)]
        return ["classify", "--model", str(folder), str(digit_png(scratch / "digit.png"))]

    return args_for


@case(
    "npz-extra-key",
    "weights.npz (1.2 MB) with an extra 1 GiB key (before: 1.57 GB RSS)",
    "classified as usual: extra key never read",
)
def _extra_key(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    folder = lenet5_model(scratch / "model")
    rewrite_weights(folder, lambda a: a.update(junk=np.zeros(BOMB_BYTES, np.uint8)), compressed=True)
    run = run_cli(["classify", "--model", str(folder), str(digit_png(scratch / "digit.png"))], scratch)
    ok = run.rc == 0 and json.loads(run.stdout.splitlines()[0])["digit"] == 7
    return row_from(description, expected, run, ok, set(), f"exit {run.rc}: " + run.stdout.strip()[:60] + "...")


def _oversized(folder: Path) -> None:
    rewrite_weights(folder, lambda a: a.update({"fc1.kernel": np.zeros((120, 2_000_000), np.float32)}), True)


def _nan(folder: Path) -> None:
    def change(arrays):
        arrays["logits.kernel"] = arrays["logits.kernel"].copy()
        arrays["logits.kernel"][0, 0] = np.nan

    rewrite_weights(folder, change)


def _deep_json(folder: Path) -> None:
    (folder / "model.json").write_text("[" * 200_000 + "]" * 200_000)


def _big_json(folder: Path) -> None:
    (folder / "model.json").write_text(json.dumps({"pad": "x" * (10 << 20)}))


def _truncated_npz(folder: Path) -> None:
    path = folder / "weights.npz"
    path.write_bytes(path.read_bytes()[:50_000])


case("npz-oversized", "weights.npz: fc1 kernel 1 GB where 40 KB belong", "exit 2 before reading it")(
    _error_case(_model_args(_oversized), "more than lenet5's")
)
case("npz-nan", "weights.npz with a NaN weight: classify", "exit 2, 'NaN'; no NaN printed")(
    _error_case(_model_args(_nan), "NaN or infinite")
)
case("npz-nan-evaluate", "weights.npz with a NaN weight: evaluate", "exit 2, 'NaN'")(
    _error_case(_model_args(_nan, "evaluate"), "NaN or infinite")
)
case("json-deep", "model.json: 200,000 nested [", "exit 2, 'nested more than'")(
    _error_case(_model_args(_deep_json), "nested more than")
)
case("json-big", "model.json: 10 MB", "exit 2, 'larger than'")(_error_case(_model_args(_big_json), "larger than"))
case("npz-truncated", "weights.npz truncated", "exit 2, 'damaged'")(_error_case(_model_args(_truncated_npz), "damaged"))


# images


def _png_header_only(path: Path, width: int, height: int) -> Path:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )
    return path


@case("png-huge", "classify a real 12000 x 12000 PNG (before: 2.9 GB RSS, 9 s)", "exit 2 at once, 'too large'")
def _huge_png(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    from PIL import Image

    path = scratch / "huge.png"
    Image.new("L", (12000, 12000), 255).save(str(path))
    before = snapshot(scratch)
    run = run_cli(["classify", "--model", str(LENET5), str(path)], scratch)
    ok = run.rc == 2 and "too large: 12000 x 12000 pixels" in run.last_error
    return row_from(description, expected, run, ok, snapshot(scratch) - before)


case("png-header-bomb", "classify a PNG announcing 100000 x 100000", "exit 2 at once, 'too large'")(
    _error_case(
        lambda s: ["classify", "--model", str(LENET5), str(_png_header_only(s / "bomb.png", 100000, 100000))],
        "too large",
    )
)


@case("classify-mixed", "classify a.png white.png b.png", "2 JSON lines, 1 error naming white.png, exit 2")
def _mixed(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    from PIL import Image

    a, b = digit_png(scratch / "a.png", 0), digit_png(scratch / "b.png", 1)
    white = scratch / "white.png"
    Image.new("L", (100, 100), 255).save(str(white))
    run = run_cli(["classify", "--model", str(LENET5), str(a), str(white), str(b)], scratch)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    ok = run.rc == 2 and [x["file"] for x in lines] == [str(a), str(b)] and len(errors) == 1 and str(white) in errors[0]
    observed = f"exit {run.rc}: {len(lines)} JSON lines; stderr: {errors[0] if errors else ''}"
    return row_from(description, expected, run, ok, set(), observed)


def _truncated_png(scratch: Path) -> list:
    path = digit_png(scratch / "t.png")
    path.write_bytes(path.read_bytes()[:100])
    return ["classify", "--model", str(LENET5), str(path)]


def _text_png(scratch: Path) -> list:
    (scratch / "notes.png").write_text("not a picture\n")
    return ["classify", "--model", str(LENET5), str(scratch / "notes.png")]


case("png-truncated", "classify a truncated PNG", "exit 2, names the file")(_error_case(_truncated_png, "t.png"))
case("png-text", "classify a text file called .png", "exit 2, names the file")(_error_case(_text_png, "notes.png"))


# arguments

for _id, _args, _needle in (
    ("seed-huge", ["--seed", "100000000000000000000"], "seed must be between"),
    ("seed-dataset", ["--seed", "9300000000000000", "--batching", "dataset"], "seed must be between"),
    ("batch-huge", ["--batch-size", "1" + "0" * 30], "batch size must be between"),
    ("epochs-huge", ["--epochs", "1000000000"], "epochs must be between"),
    ("seed-digits", ["--seed", "9" * 5000], "is not a whole number"),
):
    case(_id, "train " + " ".join(a if len(a) < 25 else a[:10] + "..." for a in _args), "exit 2 before the graph")(
        _error_case(lambda s, a=_args: ["train", "--data-dir", str(SHARED_MNIST), *a], _needle, before_training=True)
    )


# the batch-size lab's inputs (python main.py sweep): refused before any network is built
for _id, _args, _needle in (
    ("sweep-batch-zero", ["--batch-sizes", "0,64"], "batch size must be between 1 and 60000"),
    ("sweep-batch-huge", ["--batch-sizes", "64,60001"], "batch size must be between 1 and 60000"),
    ("sweep-batch-list", ["--batch-sizes", "," * 5000], "batch size"),
    ("sweep-policy", ["--lr-policy", "cubic"], "unknown learning-rate policy"),
    ("sweep-target", ["--target", "1.5"], "target accuracy must be above 0 and at most 1"),
):
    case(_id, "sweep " + " ".join(a if len(a) < 25 else a[:10] + "..." for a in _args), "exit 2 before the graph")(
        _error_case(
            lambda s, a=_args: ["sweep", "--arch", "lenet5", "--data-dir", str(SHARED_MNIST), *a], _needle,
            before_training=True,
        )
    )


# saving


@case(
    "save-read-only",
    "train --save into a read-only folder, ro tmpfs (before: refused after training)",
    "exit 2 before training",
)
def _save_ro(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    with tmpfs(scratch / "ro", 64, read_only=True) as error:
        if error:
            return Row(description, expected, f"not run: mount failed ({error})", None)
        return _error_case(
            lambda s: ["train", "--data-dir", str(SHARED_MNIST), *SHORT_TRAIN, "--save", str(s / "ro" / "model")],
            "Read-only file system",
            before_training=True,
        )(scratch, mirror, description, expected)


def _under_a_file(scratch: Path) -> list:
    (scratch / "notes.txt").write_text("x")
    return ["train", "--data-dir", str(SHARED_MNIST), *SHORT_TRAIN, "--save", str(scratch / "notes.txt" / "m")]


def _foreign_folder(scratch: Path) -> list:
    (scratch / "documents").mkdir()
    (scratch / "documents" / "thesis.tex").write_text("x")
    return ["train", "--data-dir", str(SHARED_MNIST), *SHORT_TRAIN, "--save", str(scratch / "documents")]


case("save-under-file", "train --save under a path that is a file", "exit 2 before training")(
    _error_case(_under_a_file, "is a file, not a folder", before_training=True)
)
case("save-foreign", "train --save into a non-empty folder that is not a model", "exit 2 before training")(
    _error_case(_foreign_folder, "not a ConvViz model", before_training=True)
)


@case("save-over-model", "train --save over a model with an old train.log", "new model; old train.log gone")
def _save_over(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    folder = lenet5_model(scratch / "model")
    (folder / "notes.txt").write_text("mine")
    before = snapshot(scratch)
    old_meta = (folder / "model.json").read_text()
    run = run_cli(["train", "--data-dir", str(SHARED_MNIST), *SHORT_TRAIN, "--save", str(folder)], scratch)
    files = sorted(p.name for p in folder.iterdir())
    ok = run.rc == 0 and files == ["model.json", "notes.txt", "weights.npz"]
    ok = ok and (folder / "model.json").read_text() != old_meta
    observed = f"exit {run.rc}: folder holds {', '.join(files)}"
    return row_from(description, expected, run, ok, snapshot(scratch) - before, observed)


@case(
    "save-full-disk",
    "train --save over a model on a full disk, tmpfs (before: no path, a ZipFile traceback)",
    "exit 2 naming the folder; old model intact",
)
def _save_full(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    size_kb = sum(p.stat().st_size for p in LENET5.iterdir()) // 1024 + 64  # the old model, and not twice
    with tmpfs(scratch / "small", size_kb) as error:
        if error:
            return Row(description, expected, f"not run: mount failed ({error})", None)
        folder = scratch / "small" / "model"
        shutil.copytree(str(LENET5), str(folder))
        old = {p.name: p.read_bytes() for p in folder.iterdir()}
        before = snapshot(scratch)
        run = run_cli(["train", "--data-dir", str(SHARED_MNIST), *SHORT_TRAIN, "--save", str(folder)], scratch)
        intact = {p.name: p.read_bytes() for p in folder.iterdir()} == old
        left = snapshot(scratch) - before
        needle = f"cannot save the model to {folder}: No space left on device"
        ok = run.rc == 2 and needle in run.last_error and intact and not left and "Traceback" not in run.stderr
        row = row_from(description, expected, run, ok, left)
        row.observed += "; old model intact" if intact else "; OLD MODEL CHANGED"
        return row


# run records and class sets: what the window reads at start

_ODD_BEFORE = {  # what main did before (the CLI's replay; the window listed no run at all for the damaged ones)
    "encrypted member": "exit 1 'this is a bug'",
    "unknown compression method": "exit 1 'this is a bug'",
    "start time 1e300": "exit 0, and the window's table raised OverflowError",
    "start time negative": "exit 0",
}


def _odd_record(name: str) -> Callable[[Path], list]:
    def args_for(scratch: Path) -> list:
        path = scratch / ("odd" + RECORD_SUFFIX)
        path.write_bytes(ODD_RECORDS[name](SHIPPED_RUN.read_bytes()))
        return ["replay", str(path)]

    return args_for


for _name in ODD_RECORDS:
    _before = f" (before: {_ODD_BEFORE[_name]})" if _name in _ODD_BEFORE else ""
    _id = "record-" + _name.replace(" ", "-").replace("'", "").replace("/", "-per-")
    case(_id, f"replay a run record: {_name}{_before}", "exit 2, one line naming it")(
        _error_case(_odd_record(_name), "odd" + RECORD_SUFFIX)
    )


def hostile_class_set(folder: Path) -> int:
    """Six drawings from MNIST; one replaced by a FIFO, one by a PNG announcing 100,000 x 100,000 pixels,
    one by a link out of the folder. Returns how many must show no picture (3)."""
    from PIL import Image

    from convviz import classset

    for i in range(6):
        digit = np.asarray(Image.open(str(digit_png(folder.parent / f"d{i}.png", i))).convert("L"))
        classset.add_drawing(folder, digit, i % 10)
    files = [e.file for e in classset.read_labels(folder)]
    os.unlink(str(folder / files[1]))
    os.mkfifo(str(folder / files[1]))
    _png_header_only(folder / files[2], 100_000, 100_000)
    os.unlink(str(folder / files[3]))
    os.symlink(str(folder.parent / "d0.png"), str(folder / files[3]))
    return 3


@case(
    "window-odd-store-fifo",
    f"window: a run store of {len(ODD_RECORDS)} damaged or odd records beside a good one; a class set with a FIFO, "
    "a PNG announcing 100,000 x 100,000 pixels and a link out of its folder (before: 'Could not read the saved "
    "runs' and no run listed; 'Internal error' for the odd values; the FIFO kept the window from ever opening)",
    f"opens at once; 1 run, {len(ODD_RECORDS)} rows 'cannot read', 6 drawings of which 3 without a picture; no error",
)
def _window_odd(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    runs = scratch / "runs"
    runs.mkdir()
    good = SHIPPED_RUN.read_bytes()
    (runs / ("20240101-000000-abcdef" + RECORD_SUFFIX)).write_bytes(good)
    for i, make in enumerate(ODD_RECORDS.values()):
        (runs / f"2020{i // 9 + 1:02d}{i % 9 + 1:02d}-000000-abcdef{RECORD_SUFFIX}").write_bytes(make(good))
    refused = hostile_class_set(scratch / "classset")
    env = {
        "CONVVIZ_RUNS_DIR": str(runs),
        "CONVVIZ_CLASSSET_DIR": str(scratch / "classset"),
        "CONVVIZ_DATA_DIR": str(SHARED_MNIST),
        "QT_QPA_PLATFORM": "offscreen",
    }
    run = run_cli([], scratch, env=env, wrapper=WINDOW_WRAPPER, deadline=WINDOW_WAIT)
    try:
        shown = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return row_from(description, expected, run, False, set())
    ok = run.rc == 0 and shown["runs"] == 1 and len(shown["cannot_read"]) == len(ODD_RECORDS)
    ok = ok and shown["error"] == "" and shown["gallery"] == 6 and len(shown["no_picture"]) == refused
    ok = ok and not shown["gallery_loading"] and shown["opened_s"] < 10
    observed = (
        f"exit {run.rc}: opened in {shown['opened_s']} s; {shown['runs']} run, {len(shown['cannot_read'])} rows "
        f"'cannot read'; {shown['gallery']} drawings, {len(shown['no_picture'])} without a picture "
        f"({'; '.join(t.split(': ', 1)[-1] for t in shown['no_picture'])}); error: {shown['error'] or 'none'}"
    )
    return row_from(description, expected, run, ok, set(), observed)

# reading: hostile JSON, special files, links out of a class set, image headers (bench/faults_reading.py)

from bench import faults_reading  # noqa: E402  (it registers through this module's case())

faults_reading.register(sys.modules[__name__])


# baselines


@case("baseline-classify", "baseline: classify one good PNG", "exit 0 (RSS of a normal run)")
def _baseline_classify(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    run = run_cli(["classify", "--model", str(LENET5), str(digit_png(scratch / "digit.png"))], scratch)
    return row_from(
        description, expected, run, run.rc == 0, set(), f"exit {run.rc}: " + run.stdout.strip()[:60] + "..."
    )


@case("baseline-train-data", "baseline: train --no-download, a good MNIST copy", "exit 0 (RSS with MNIST loaded)")
def _baseline_train(scratch: Path, mirror: Mirror, description: str, expected: str) -> Row:
    run = run_cli(["train", "--data-dir", str(SHARED_MNIST), "--no-download", *SHORT_TRAIN], scratch)
    return row_from(description, expected, run, run.rc == 0, set(), f"exit {run.rc}: trained")


# The notebook bridge's listener (python main.py listen --headless): its cases live in a module of their own.
from bench.faults_listener import LISTENER_CASES  # noqa: E402

CASES.extend(LISTENER_CASES)

# outputs, memory, bounded arguments: in a file of their own (bench/faults_outputs.py)
from bench import faults_outputs  # noqa: E402

faults_outputs.register(sys.modules[__name__])


# -- the table ----------------------------------------------------------------------------------------


def _versions() -> str:
    probe = "import numpy, PIL, tensorflow as tf; print(numpy.__version__, PIL.__version__, tf.__version__)"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env).stdout.split()
    return f"Python {platform.python_version()}, numpy {out[0]}, Pillow {out[1]}, TensorFlow {out[2]}" if out else ""


def soak_row() -> Row | None:
    """The window's soak (bench/soak.py, run on its own: it needs the GUI) as the table's last row."""
    path = ROOT / "bench" / "results" / "soak.json"
    if not path.is_file():
        return None
    r = json.loads(path.read_text())
    base, final = r["baseline"], r["final"]
    observed = (
        f"{r['cycles']} cycles ({', '.join(f'{n} {s}' for s, n in sorted(r['statuses'].items()))}): RSS "
        f"{base['rss_mb']:.0f} -> {final['rss_mb']:.0f} MB ({100 * r['rss_growth']:+.1f} %) after a "
        f"{r['warmup']}-cycle warm-up, threads {base['threads']} -> {final['threads']}, file descriptors "
        f"{base['fds']} -> {final['fds']} ({r['machine']['date'][:10]})"
    )
    row = Row(
        case=f"soak: {r['cycles']} start/stop cycles of a LeNet-5 run in the window (`bench/soak.py`)",
        expected="RSS growth <= 10 %; threads and file descriptors flat; every run stopped cleanly",
        observed=observed,
        ok=bool(r["meets_goal"]),
        rss_mb=final["rss_mb"],
        seconds=r["seconds"],
        left="nothing",
    )
    return row


def write_table(rows: list[Row], path: Path) -> None:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    soak = soak_row()
    if soak is not None:
        rows = [*rows, soak]
    passed = sum(1 for r in rows if r.ok)
    not_run = sum(1 for r in rows if r.ok is None)
    lines = [
        "# Fault table",
        "",
        f"`PYTHONPATH=. python bench/faults.py`, {datetime.date.today().isoformat()}, {_versions()}, "
        f"{os.cpu_count()} cores. Each row runs the CLI's `main()` in a fresh process (the download rows with "
        "`convviz.download.MIRRORS` pointed at a fake mirror on 127.0.0.1); peak RSS is the child's own `VmHWM` "
        "(`/proc/self/status`, at exit): the whole process, Python and TensorFlow (where it is imported) "
        "included, so compare with the baseline rows; *left behind* lists what the run added to the case's "
        "scratch folder; `$CASE` is that folder, `$MIRROR` the fake mirror.",
        "",
        f"**{passed} of {len(rows)} as expected**" + (f", {not_run} not run" if not_run else "") + ".",
        "",
        "| # | case | expected | observed | as expected | peak RSS | time | left behind |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(rows, 1):
        verdict = "not run" if r.ok is None else "yes" if r.ok else "**NO**"
        rss = f"{r.rss_mb:.0f} MB" if r.rss_mb is not None else ""
        seconds = f"{r.seconds:.1f} s" if r.seconds is not None else ""
        observed = r.observed if len(r.observed) <= MAX_OBSERVED else r.observed[: MAX_OBSERVED - 3] + "..."
        lines.append(
            f"| {i} | {cell(r.case)} | {cell(r.expected)} | {cell(observed)} | {verdict} | {rss} | {seconds} "
            f"| {cell(r.left)} |"
        )
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated words; run the cases whose id contains one (no table)")
    parser.add_argument("--out", default=str(OUT_FILE), help="where the table goes (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (SHARED_MNIST / "t10k-images-idx3-ubyte.gz").is_file():
        print(f"faults: needs MNIST at {SHARED_MNIST}", file=sys.stderr)
        return 2
    words = args.only.split(",") if args.only else None
    selected = [c for c in CASES if words is None or any(w in c[0] for w in words)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="convviz-faults-") as base:
        mirror = Mirror(Path(base))
        try:
            for case_id, description, expected, function in selected:
                scratch = Path(base) / case_id
                scratch.mkdir()
                row = function(scratch, mirror, description, expected)
                for long, short in ((str(scratch), "$CASE"), (mirror.url, "$MIRROR")):  # readable rows
                    row.observed = row.observed.replace(long, short)
                rows.append(row)
                verdict = "not run" if row.ok is None else "ok" if row.ok else "UNEXPECTED"
                rss = f"{row.rss_mb:.0f} MB" if row.rss_mb is not None else "-"
                print(f"{verdict:10} {case_id:20} {rss:>8}  {row.observed[:110]}", flush=True)
        finally:
            mirror.close()
    if words is None:
        write_table(rows, Path(args.out))
        print(f"wrote {args.out}")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
