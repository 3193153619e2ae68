"""Fault-table cases for the files ConvViz reads: hostile JSON, special files, links out of a class set,
image headers. Registered into bench/faults.py's table by :func:`register` (``--only`` selects them by id)."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

QUOTES = '"' + '\\"' * 500_000  # ~1 MiB of unterminated escaped quotes (before: hung replay and classify)
ICON_SIDE = 13_300  # an ICO frame of 177 megapixels (before: decoded to 1.17 GB, then refused)
HEADER_SIDE = 6_000  # 36 megapixels each, under the per-image limit; 60 of them are over the class set's


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _quotes_record(scratch: Path) -> list:
    meta = io.BytesIO()
    np.lib.format.write_array(meta, np.frombuffer(QUOTES.encode(), np.uint8))
    path = scratch / "quotes.npz"
    with zipfile.ZipFile(str(path), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.npy", meta.getvalue())
    return ["replay", str(path)]


def _icon(scratch: Path) -> Path:
    frame = _png_header(ICON_SIDE, ICON_SIDE)
    path = scratch / "big.ico"
    path.write_bytes(struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(frame), 22) + frame)
    return path


def register(faults) -> None:
    """Add this module's cases to ``faults.CASES`` (``faults`` is bench/faults.py's module, run or imported)."""
    case, error_case, lenet5, model_args, digit_png = (
        faults.case,
        faults._error_case,
        faults.LENET5,
        faults._model_args,
        faults.digit_png,
    )

    def quotes_json(folder: Path) -> None:
        (folder / "model.json").write_text(QUOTES)

    def fifo(scratch: Path, name: str) -> Path:
        path = scratch / name
        os.mkfifo(str(path))
        return path

    def class_set(scratch: Path, extra_row: str, make) -> list:
        folder = scratch / "drawings"
        folder.mkdir()
        digit_png(folder / "a.png", 0)
        make(folder)
        (folder / "labels.csv").write_text(f"file,label\na.png,7\n{extra_row}\n")
        return ["finetune", "--model", str(lenet5), "--drawings", str(folder), "--save", str(scratch / "out")]

    def outside_link(folder: Path) -> None:
        digit_png(folder.parent / "secret.png", 1)
        os.symlink(str(folder.parent / "secret.png"), str(folder / "b.png"))

    def huge_headers(scratch: Path) -> list:
        folder = scratch / "drawings"
        folder.mkdir()
        header = _png_header(HEADER_SIDE, HEADER_SIDE)
        rows = []
        for i in range(60):
            (folder / f"{i}.png").write_bytes(header)
            rows.append(f"{i}.png,{i % 10}")
        (folder / "labels.csv").write_text("file,label\n" + "\n".join(rows) + "\n")
        return ["finetune", "--model", str(lenet5), "--drawings", str(folder), "--save", str(scratch / "out")]

    case(
        "read-record-quotes",
        "replay a record whose JSON is 1 MiB of unterminated escaped quotes (before: hung)",
        "exit 2 at once, 'Unterminated string'",
    )(error_case(_quotes_record, "Unterminated string"))
    case(
        "read-json-quotes",
        "classify --model whose model.json is 1 MiB of unterminated escaped quotes (before: hung)",
        "exit 2 at once, 'not readable JSON'",
    )(error_case(model_args(quotes_json), "not readable JSON (Unterminated string"))
    case("read-fifo-classify", "classify a FIFO (before: waited forever)", "exit 2, 'named pipe'")(
        error_case(lambda s: ["classify", "--model", str(lenet5), str(fifo(s, "digit.png"))], "named pipe (FIFO)")
    )
    case("read-fifo-explain", "explain a FIFO (before: waited forever)", "exit 2, 'named pipe'")(
        error_case(
            lambda s: ["explain", "--model", str(lenet5), str(fifo(s, "d.png")), "--png", str(s / "o.png")],
            "named pipe (FIFO)",
        )
    )
    case("read-fifo-weights", "classify --model whose weights.npz is a FIFO", "exit 2, 'named pipe'")(
        error_case(
            model_args(lambda folder: ((folder / "weights.npz").unlink(), os.mkfifo(str(folder / "weights.npz")))),
            "named pipe (FIFO)",
        )
    )
    case("read-fifo-classset", "finetune with a FIFO in the class set", "exit 2 naming the row, 'named pipe'")(
        error_case(lambda s: class_set(s, "pipe.png,3", lambda f: os.mkfifo(str(f / "pipe.png"))), "row 3")
    )
    case(
        "read-link-outside",
        "finetune with a class set's symlink to a file outside it (before: followed)",
        "exit 2, 'leads outside'",
    )(error_case(lambda s: class_set(s, "b.png,1", outside_link), "leads outside the folder"))
    case(
        "read-link-folder",
        "finetune with a class set's symlink to a folder (before: followed)",
        "exit 2, 'leads outside'",
    )(
        error_case(
            lambda s: class_set(s, "sub,1", lambda f: os.symlink(str(f.parent), str(f / "sub"))),
            "leads outside the folder",
        )
    )
    case(
        "read-ico-huge",
        f"classify an ICO whose frame is {ICON_SIDE} x {ICON_SIDE} (before: decoded to 1.17 GB)",
        "exit 2 from the header, 'too large'; RSS as a plain classify",
    )(error_case(lambda s: ["classify", "--model", str(lenet5), str(_icon(s))], "too large"))
    case(
        "read-classset-pixels",
        f"finetune with 60 images of {HEADER_SIDE} x {HEADER_SIDE} (headers only; before: ~1 s each, silent)",
        "exit 2 from the headers, 'megapixels'",
    )(error_case(huge_headers, "megapixels"))
