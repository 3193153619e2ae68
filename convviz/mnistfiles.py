"""MNIST's four files: their names, sizes and checksums, and the check that bytes are one of them.

Every file is checked by the SHA-256 of its *decompressed* content, so the
mirrors' archives, a re-compressed copy and uncompressed files all pass, and a
truncated download or an HTML error page saved under an MNIST name never does.
Nothing is ever decompressed or read past the size the real file has. Both the
reader (convviz.data) and the downloader (convviz.download) check files here.

Imports neither TensorFlow nor Qt; Python 3.7 compatible.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path
from typing import Union

import numpy as np

from convviz.constants import IMAGE_SIZE, NUM_TEST, NUM_TRAIN
from convviz.errors import ConvVizError
from convviz.safefile import UnsafeFileError, open_regular

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

# SHA-256 of the DECOMPRESSED files (shared/data/mnist/README.md): the .gz bytes
# differ between mirrors and re-compressed copies, the IDX content does not.
SHA256 = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

_IMAGES_MAGIC = 2051  # IDX: unsigned bytes, 3 dimensions
_LABELS_MAGIC = 2049  # IDX: unsigned bytes, 1 dimension

# Size of each file's DECOMPRESSED (IDX) content: header + one byte per pixel or label.
# No MNIST file is larger, so nothing is ever decompressed, read or downloaded past
# MAX_FILE_BYTES: a gzip bomb, an oversized file or an endless mirror stops there.
IDX_BYTES = {
    "train-images-idx3-ubyte.gz": 16 + NUM_TRAIN * IMAGE_SIZE * IMAGE_SIZE,  # 47,040,016
    "train-labels-idx1-ubyte.gz": 8 + NUM_TRAIN,
    "t10k-images-idx3-ubyte.gz": 16 + NUM_TEST * IMAGE_SIZE * IMAGE_SIZE,  # 7,840,016
    "t10k-labels-idx1-ubyte.gz": 8 + NUM_TEST,
}


def stored_limit(idx_bytes: int) -> int:
    """The largest a stored or downloaded file may be: its IDX size plus what gzip may
    add to incompressible data (5 bytes per 64 KiB stored block, header, trailer), with room."""
    return idx_bytes + idx_bytes // 1000 + 1024


MAX_FILE_BYTES = {name: stored_limit(size) for name, size in IDX_BYTES.items()}

_GZIP_MAGIC = b"\x1f\x8b"
# Hint appended to errors about a bad file. Neutral: the CLI (with or without
# --no-download) and the window both show it, and each has its own way to download.
FIX_FILE = "replace it with a good copy, or delete it and allow the download"

PathLike = Union[str, "os.PathLike[str]"]


class DataError(ConvVizError):
    """MNIST is missing, damaged or could not be downloaded.

    ``str(error)`` is one line for the user that names the file or folder and
    the fix; ``error.path`` is that file or folder when there is one.
    """

    def __init__(self, message: str, path: PathLike | None = None) -> None:
        # One line, always: the CLI prints it and the GUI shows it in a status bar.
        super().__init__(" ".join(str(message).splitlines()))
        self.path = None if path is None else Path(path)


class BadContent(Exception):
    """A file's bytes are not the expected MNIST file; the message says why (no path)."""


def locate(directory: Path) -> dict[str, Path | None]:
    """Key -> the file in ``directory`` holding it (``name.gz`` preferred, else ``name``), or None."""
    found: dict[str, Path | None] = {}
    for key, name in MNIST_FILES.items():
        found[key] = None
        # deep-teaching-commons and we keep the .gz; people who unpacked by hand have the bare name.
        for candidate in (directory / name, directory / name[: -len(".gz")]):
            if candidate.is_file():
                found[key] = candidate
                break
    return found


def _decompress(raw: bytes, limit: int) -> bytes:
    # Decide by content, not by name: a .gz that is really uncompressed, or an
    # unpacked file still called .gz, reads the same.
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return _gunzip(raw, limit)
    except zlib.error as err:
        raise BadContent(f"is a corrupt gzip file ({err})") from err


def _gunzip(raw: bytes, limit: int) -> bytes:
    """Decompress every gzip member of ``raw`` (as gzip.decompress does), never past ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    data = raw
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16: expect a gzip header and trailer
        while True:
            # At most one byte past the limit: enough to know the file is too large.
            chunk = inflater.decompress(data, limit + 1 - size)
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise BadContent(f"decompresses to more than {limit} bytes, more than any MNIST file holds")
            data = inflater.unconsumed_tail
            if inflater.eof or not data:
                break
        if not inflater.eof:
            raise BadContent("is a truncated gzip file")
        # gzip allows several members, and zero bytes as padding after the last one.
        data = inflater.unused_data.lstrip(b"\x00")
        if not data:
            return b"".join(parts)
        if not data.startswith(_GZIP_MAGIC):
            raise BadContent("is a corrupt gzip file (data after the end of the gzip stream)")


def check_content(raw: bytes, name: str) -> bytes:
    """Decompress and validate the bytes of MNIST file ``name``; return the IDX content.

    Raises BadContent with the first problem found: gzip errors, wrong magic or
    dimensions, wrong length, then a checksum mismatch (so a truncated file is
    reported as truncated, not merely as "wrong checksum").
    """
    content = _decompress(raw, IDX_BYTES[name])
    is_images = "images" in name
    magic, header = (_IMAGES_MAGIC, 16) if is_images else (_LABELS_MAGIC, 8)
    if len(content) < header:
        raise BadContent(f"is truncated ({len(content)} bytes, less than the {header}-byte IDX header)")
    dims = np.frombuffer(content, dtype=">u4", count=header // 4)
    if int(dims[0]) != magic:
        raise BadContent(
            f"is not an MNIST {'image' if is_images else 'label'} file "
            f"(starts with {content[:4]!r}, expected the IDX magic number {magic})"
        )
    if is_images and (int(dims[2]), int(dims[3])) != (IMAGE_SIZE, IMAGE_SIZE):
        raise BadContent(f"holds {int(dims[2])}x{int(dims[3])} images, expected {IMAGE_SIZE}x{IMAGE_SIZE}")
    count = int(dims[1])
    expected = header + count * (IMAGE_SIZE * IMAGE_SIZE if is_images else 1)
    if len(content) < expected:
        raise BadContent(f"is truncated ({len(content)} of {expected} bytes)")
    if len(content) > expected:
        raise BadContent(f"has {len(content) - expected} bytes after the {count} items its header announces")
    digest = hashlib.sha256(content).hexdigest()
    if digest != SHA256[name]:
        raise BadContent(f"has unexpected content (SHA-256 {digest[:12]}..., expected {SHA256[name][:12]}...)")
    return content


def read_file(path: Path, name: str) -> bytes:
    """The verified IDX content of ``path`` (the MNIST file ``name``), or DataError."""
    limit = MAX_FILE_BYTES[name]
    try:
        with open_regular(path) as f:  # a FIFO or device is refused before it can block
            raw = f.read(limit + 1)  # never more: a huge file is refused, not read
    except UnsafeFileError as err:
        raise DataError(f"MNIST file {err}; {FIX_FILE}", path) from None
    except OSError as err:
        raise DataError(f"cannot read MNIST file {path}: {err.strerror or err}; {FIX_FILE}", path) from err
    if len(raw) > limit:
        raise DataError(
            f"MNIST file {path} is too large (more than {limit} bytes, the most an MNIST file takes); {FIX_FILE}",
            path,
        )
    try:
        return check_content(raw, name)
    except BadContent as err:
        raise DataError(f"MNIST file {path} {err}; {FIX_FILE}", path) from err
