"""The class set: the class's own drawings, with their labels, that teach the network its handwriting.

On disk a class set is a folder of images plus ``labels.csv``::

    file,label,writer
    7-0001.png,7,Anna
    scans/seven.jpg,7,12

``file`` is relative to the folder (subfolders allowed, never outside it) and
may name any image :func:`convviz.preprocess.load_image` reads (any size,
dark-on-light or light-on-dark); ``label`` is a digit 0-9; ``writer`` (optional:
two-column files stay valid) names who drew it, a name or number of at most
:data:`MAX_WRITER` letters, digits, spaces and ``-_.``, empty when unknown. Further
columns are not read. ``labels.csv`` gets the writer column only when some drawing
has a writer, so a set without writers stays a two-column file. :func:`load_class_set` checks everything and reads every
image through the same MNIST-style preprocessing as ``classify``; anything
wrong is a :class:`ClassSetError` with one line that names the file, or the
row of ``labels.csv``.

Writes are atomic: :func:`add_drawing` writes the new PNG under a temporary
name and renames it, then replaces ``labels.csv`` as a whole (written beside
it, then renamed), so a crash leaves the old set or the new one, never a row
without its image. Only files listed in ``labels.csv`` are ever deleted.

The held-back part (:func:`held_back_split`) is chosen by a hash of each file
name and the seed, per digit: a drawing stays held back (or taught) when other
drawings are added, so the held-back accuracy of a second Teach is still
measured on drawings the network never trained on. Where two or more writers are
known, whole writers are held back instead (a hash of the writer's name): the
held-back score is then one on writers the network was not taught, what a class
needs to know about the next student.

No TensorFlow and no Qt: the window's gallery uses this module directly.
Python 3.7 compatible.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, NamedTuple, Sequence, Union

import numpy as np
from PIL import Image

from convviz.atomicfile import NEW_FILE_MODE, write_bytes
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConvVizError
from convviz.preprocess import PreprocessError, image_size, load_image, to_mnist
from convviz.safefile import UnsafeFileError, inside_folder, open_regular

LABELS_FILE = "labels.csv"
COLUMNS = ("file", "label")
WRITER_COLUMN = "writer"  # optional third column: who drew it
MAX_WRITER = 40  # characters of a writer's name or number
WRITER_PATTERN = re.compile(r"^[^\W_]([\w .\-]*[\w.])?$")  # letters (any script), digits, inner spaces, -_.
MAX_DRAWINGS = 5000  # a class of 30 writing 10 digits 15 times each: 4,500
MAX_LABELS_BYTES = 1 << 20  # 5,000 rows of ~30 bytes are 150 KB; anything past 1 MiB is not a class set's
MAX_SET_PIXELS = 2_000_000_000  # all drawings together: ~1 minute of decoding at ~40 megapixels a second
MAX_SET_BYTES = 2 * 2**30  # all drawings' files together
MAX_FILE_NAME = 255  # characters of a row's file name
MAX_SIDE = 4096  # add_drawing(): the longest side of a drawing saved (the pad's is 280)
HELD_BACK_FRACTION = 0.25  # the share of each digit's drawings held back from teaching
FILE_PATTERN = re.compile(r"^(\d)-(\d{4,})\.")  # the names add_drawing() gives: 7-0001.png
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
CASE_INSENSITIVE = sys.platform in ("win32", "darwin")  # A.png and a.png are one file there: a duplicate row

PathLike = Union[str, "os.PathLike[str]"]


class ClassSetError(ConvVizError, ValueError):
    """A class set folder or one of its drawings is wrong; one line for the user that names it."""


class Entry(NamedTuple):
    """One row of ``labels.csv``: the file (relative, '/'-separated), its digit, its line number and its
    writer ("" when unknown)."""

    file: str
    label: int
    row: int
    writer: str = ""


@dataclasses.dataclass(frozen=True, eq=False)
class ClassSet:
    """A loaded class set: every drawing preprocessed to what the network sees.

    ``images`` (N, 28, 28) float32 in [0, 1], white ink on black (``to_mnist``'s output);
    ``labels`` (N,) int64; ``files`` the names in ``labels.csv`` order; ``folder`` where they are;
    ``writers`` who drew each ("" unknown; an empty tuple: none known).
    """

    folder: Path
    files: tuple
    labels: np.ndarray
    images: np.ndarray
    writers: tuple = ()

    def __len__(self) -> int:
        return len(self.files)

    def path(self, index: int) -> Path:
        """The image file of drawing ``index`` (for a gallery that shows the drawing as drawn)."""
        return self.folder / self.files[index]

    def counts(self) -> np.ndarray:
        """Drawings per digit, (10,) int64."""
        return np.bincount(self.labels, minlength=NUM_CLASSES).astype(np.int64)

    def subset(self, index: Sequence[int]) -> ClassSet:
        index = np.asarray(index, dtype=np.int64)
        writers = tuple(self.writers[i] for i in index) if self.writers else ()
        files = tuple(self.files[i] for i in index)
        return ClassSet(self.folder, files, self.labels[index], self.images[index], writers)

    def writer_of(self, index: int) -> str:
        """Who drew drawing ``index`` ("" when unknown)."""
        return self.writers[index] if self.writers else ""

    def split(self, fraction: float = HELD_BACK_FRACTION, seed: int = 0) -> tuple[ClassSet, ClassSet]:
        """(taught, held back): see :func:`held_back_split`."""
        taught, held = held_back_split(self.files, self.labels, fraction, seed, self.writers or None)
        return self.subset(taught), self.subset(held)


def default_folder() -> Path:
    """The class set in the user's data folder: ``$XDG_DATA_HOME/convviz/classset`` (else
    ``~/.local/share``), ``%APPDATA%\\convviz\\classset`` on Windows, ``~/Library/Application
    Support/convviz/classset`` on macOS."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path(os.path.expanduser("~")) / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path(os.path.expanduser("~")) / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path(os.path.expanduser("~")) / ".local" / "share"
    return base / "convviz" / "classset"


# -- labels.csv ---------------------------------------------------------------------------------------
def _labels_path(folder: Path) -> Path:
    return folder / LABELS_FILE


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise ClassSetError(f"class set folder {folder} does not exist")
    if not folder.is_dir():
        raise ClassSetError(f"class set {folder} is a file, not a folder")


def read_labels(folder: PathLike, max_drawings: int = MAX_DRAWINGS) -> list[Entry]:
    """The rows of ``folder/labels.csv``, checked (names, labels, duplicates, count), images not read.

    Raises
    ------
    ClassSetError
        The folder is missing or empty, ``labels.csv`` is missing, too large, not UTF-8 CSV,
        lacks the ``file`` or ``label`` column, or a row is bad: its file empty, outside the
        folder or listed twice, its label not a digit 0-9; or there are more than
        ``max_drawings`` rows. The message names the row (its line in the file).
    """
    folder = Path(os.path.expanduser(str(folder)))
    _check_folder(folder)
    path = _labels_path(folder)
    if not path.exists():
        names = set(os.listdir(str(folder))) - OS_LITTER
        if not names:
            raise ClassSetError(f"class set folder {folder} is empty: add drawings first")
        raise ClassSetError(
            f"{folder} has no {LABELS_FILE}: a class set lists its images in a file with columns file,label"
        )
    try:
        with open_regular(path) as f:  # a FIFO or device is refused before it can block
            raw = f.read(MAX_LABELS_BYTES + 1)
    except UnsafeFileError as exc:
        raise ClassSetError(str(exc)) from None
    except OSError as exc:
        raise ClassSetError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_LABELS_BYTES:
        raise ClassSetError(f"{path} is larger than {MAX_LABELS_BYTES} bytes: not a class set's list")
    try:
        text = raw.decode("utf-8-sig")  # a spreadsheet's byte-order mark is fine
    except UnicodeDecodeError as exc:
        raise ClassSetError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    if "\0" in text:
        raise ClassSetError(f"{path} is not a text file")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ClassSetError(f"{path} is not readable CSV ({exc})") from None
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)  # blank lines before the header
    if not rows:
        raise ClassSetError(f"{path} is empty: it needs the header file,label and one row per drawing")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ClassSetError(
            f"{path}: the first line must name the columns file,label (found {','.join(rows[0])[:60]!r})"
        )
    file_col, label_col = header.index("file"), header.index("label")
    writer_col = header.index(WRITER_COLUMN) if WRITER_COLUMN in header else None
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    line = _header_line(text)
    for cells in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(file_col, label_col):
            raise ClassSetError(f"{path} row {line}: expected the columns file,label, got {','.join(cells)[:60]!r}")
        file = _clean_name(cells[file_col], path, line)
        label = _parse_label(cells[label_col], path, line)
        writer = ""
        if writer_col is not None and writer_col < len(cells):  # a short row: the writer is unknown
            writer = _parse_writer(cells[writer_col], f"{path} row {line}: ")
        key = file.lower() if CASE_INSENSITIVE else file
        if key in seen:
            raise ClassSetError(f"{path} row {line}: {file} is listed twice (also in row {seen[key]})")
        seen[key] = line
        entries.append(Entry(file, label, line, writer))
        if len(entries) > max_drawings:
            raise ClassSetError(f"{path} lists more than {max_drawings} drawings; split the class set")
    return entries


def _header_line(text: str) -> int:
    """The line number of the header (blank lines before it are skipped)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip(" \t,"):
            return number
    return 1


def _clean_name(cell: str, path: Path, line: int) -> str:
    name = cell.strip()
    if not name:
        raise ClassSetError(f"{path} row {line}: the file name is empty")
    if len(name) > MAX_FILE_NAME:
        raise ClassSetError(f"{path} row {line}: the file name is longer than {MAX_FILE_NAME} characters")
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or re.match(r"^[A-Za-z]:", name):
        raise ClassSetError(f"{path} row {line}: {name} is not inside the class set folder; give it relative to it")
    if posix.name == LABELS_FILE and len(posix.parts) == 1:
        raise ClassSetError(f"{path} row {line}: {LABELS_FILE} is the list, not a drawing")
    return str(posix)


def _parse_label(cell: str, path: Path, line: int) -> int:
    value = cell.strip()
    if len(value) != 1 or value not in "0123456789":
        shown = value if len(value) <= 20 else value[:17] + "..."
        raise ClassSetError(f"{path} row {line}: label {shown!r} is not a digit 0-9")
    return int(value)


def _parse_writer(cell: str, where: str = "") -> str:
    """A writer's name or number, stripped; "" for none. ClassSetError (prefixed by ``where``) when too
    long or holding other characters than letters, digits, inner spaces and ``-_.``."""
    value = cell.strip() if isinstance(cell, str) else None
    if value is None:
        raise ClassSetError(f"{where}a writer is a name or number, got {type(cell).__name__}")
    if not value:
        return ""
    if len(value) > MAX_WRITER:
        raise ClassSetError(f"{where}the writer is longer than {MAX_WRITER} characters")
    if not WRITER_PATTERN.match(value):
        shown = value if len(value) <= 20 else value[:17] + "..."
        raise ClassSetError(
            f"{where}writer {shown!r} may hold only letters, digits, spaces and - _ . (and starts with a letter "
            "or digit)"
        )
    return value


def check_writer(writer: str) -> str:
    """``writer`` as it would be saved (stripped; "" for none), or a one-line ClassSetError."""
    return _parse_writer(writer)


def _check_label(label) -> int:
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise ClassSetError(f"a label is a digit 0-9, got {label!r}")
    return int(label)


def _write_labels(folder: Path, entries: Sequence[Entry]) -> None:
    """Replace ``labels.csv`` as a whole: written beside it, flushed, then renamed over it."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\n")
    if any(entry.writer for entry in entries):
        out.writerow((*COLUMNS, WRITER_COLUMN))
        for entry in entries:
            out.writerow((entry.file, entry.label, entry.writer))
    else:  # no writer known: the two-column file older versions read
        out.writerow(COLUMNS)
        for entry in entries:
            out.writerow((entry.file, entry.label))
    data = buffer.getvalue().encode("utf-8")
    _atomic_write(_labels_path(folder), data)


def _atomic_write(path: Path, data: bytes) -> None:
    """Written beside ``path``, synced, renamed over it; never over a device or FIFO (an OSError then)."""
    write_bytes(path, data, mode=NEW_FILE_MODE)


# -- loading ------------------------------------------------------------------------------------------
def load_class_set(
    folder: PathLike,
    max_drawings: int = MAX_DRAWINGS,
    progress: Callable[[int, int], None] | None = None,
) -> ClassSet:
    """Read and check a class set; every image goes through ``load_image`` + ``to_mnist`` as in ``classify``.

    First every listed file is checked without decoding it (a regular file inside the folder, its
    size in pixels from its header), and the set as a whole is bounded: at most
    ``MAX_SET_PIXELS`` pixels and ``MAX_SET_BYTES`` bytes of files. Then the images are decoded
    and ``progress(done, total)`` is called after each (``done`` of ``total`` drawings; the window's
    job shows it). An exception raised by ``progress`` stops the load and is passed on (a cancel).

    Raises
    ------
    ClassSetError
        Everything :func:`read_labels` refuses, a listed file that is missing, not a regular file or
        a link out of the folder, an image that cannot be read or holds no digit (one line naming the
        file and its row), and a set over the bounds.
    """
    folder = Path(os.path.expanduser(str(folder)))
    entries = read_labels(folder, max_drawings)
    if not entries:
        raise ClassSetError(f"{_labels_path(folder)} lists no drawings: add drawings first")
    _check_totals(folder, entries)
    images = np.empty((len(entries), IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    for i, entry in enumerate(entries):
        images[i] = read_drawing(folder, entry)
        if progress is not None:
            progress(i + 1, len(entries))
    labels = np.array([e.label for e in entries], dtype=np.int64)
    writers = tuple(e.writer for e in entries) if any(e.writer for e in entries) else ()
    return ClassSet(folder, tuple(e.file for e in entries), labels, images, writers)


def _check_totals(folder: Path, entries: Sequence[Entry]) -> None:
    """Every drawing's file and header checked, nothing decoded; the set's pixels and bytes bounded."""
    pixels = size = 0
    for entry in entries:
        path, where = drawing_path(folder, entry)
        try:
            width, height = image_size(path)
            size += os.stat(str(path)).st_size
        except (PreprocessError, OSError) as exc:
            raise ClassSetError(f"{where}: {_image_reason(exc, path)}") from None
        pixels += width * height
        if pixels > MAX_SET_PIXELS:
            raise ClassSetError(
                f"the drawings of {folder} up to {entry.file} (row {entry.row}) hold more than "
                f"{MAX_SET_PIXELS // 1_000_000:,} megapixels; scale the images down or split the class set"
            )
        if size > MAX_SET_BYTES:
            raise ClassSetError(
                f"the drawings of {folder} up to {entry.file} (row {entry.row}) take more than "
                f"{MAX_SET_BYTES >> 20:,} MiB; scale the images down or split the class set"
            )


def drawing_path(folder: PathLike, entry: Entry) -> tuple[Path, str]:
    """(the file of ``entry``, links resolved; the words that name it) or ClassSetError naming it.

    The file must be a regular file inside ``folder``: a link may lead to another file of the set,
    never out of it or to a folder; FIFOs, devices and sockets are refused.
    """
    folder = Path(folder)
    listed = folder / entry.file
    where = f"{listed} (row {entry.row} of {LABELS_FILE})"
    try:
        return inside_folder(folder, entry.file), where
    except FileNotFoundError:
        raise ClassSetError(f"{where} does not exist") from None
    except UnsafeFileError as exc:
        raise ClassSetError(f"{where} {exc.reason}") from None
    except OSError as exc:
        raise ClassSetError(f"{where} cannot be read ({exc.strerror or exc})") from None


def _image_reason(exc: BaseException, path: Path) -> str:
    reason = str(exc).splitlines()[0] if str(exc) else "unreadable"
    reason = reason.replace(f"image {path}", "image").replace(str(path), "it")
    if reason.startswith("the image is empty"):
        reason = "the image holds no digit (it is empty)"
    return reason


def read_drawing(folder: PathLike, entry: Entry) -> np.ndarray:
    """One listed drawing as the network sees it (28 x 28, white on black); ClassSetError naming it."""
    path, where = drawing_path(folder, entry)
    try:
        return to_mnist(load_image(path))
    except PreprocessError as exc:
        raise ClassSetError(f"{where}: {_image_reason(exc, path)}") from None


def held_back_split(
    files: Sequence[str],
    labels: np.ndarray,
    fraction: float = HELD_BACK_FRACTION,
    seed: int = 0,
    writers: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (taught, held back).

    With ``writers`` naming two or more writers: whole writers are held back, those whose hash of
    (seed, writer) falls below ``fraction`` (at least one writer held back, at least one taught), so
    the held-back score is on writers the network was not taught; drawings of no known writer ("")
    are split as below. Otherwise per digit: the drawings whose hash of (seed, file) falls below
    ``fraction``; at least one of a digit's drawings is held back when it has two or more, and at
    least one is taught. A digit with one drawing is taught only. Deterministic, and stable when
    drawings are added (a drawing's side depends on its name, or its writer's, and the seed).
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"the held-back fraction must be in [0, 1), got {fraction}")
    labels = np.asarray(labels)
    if len(files) != len(labels):
        raise ValueError(f"{len(files)} files but {len(labels)} labels")
    if writers is not None and len(writers) != len(labels):
        raise ValueError(f"{len(writers)} writers but {len(labels)} labels")
    known = sorted({w for w in writers or () if w})
    if len(known) >= 2 and fraction > 0.0:
        return _writer_split(files, labels, fraction, seed, list(writers), known)
    return _drawing_split(files, labels, fraction, seed)


def split_kind(writers: Sequence[str] | None) -> str:
    """How :func:`held_back_split` splits: "writers" (two or more known) or "drawings"."""
    return "writers" if len({w for w in writers or () if w}) >= 2 else "drawings"


def _writer_split(
    files: Sequence[str], labels: np.ndarray, fraction: float, seed: int, writers: list, known: list
) -> tuple[np.ndarray, np.ndarray]:
    ordered = sorted(known, key=lambda w: (_score(seed, "writer:" + w), w))
    held_writers = {w for w in ordered if _score(seed, "writer:" + w) < fraction}
    held_writers.add(ordered[0])  # at least one writer held back
    held_writers.discard(ordered[-1])  # and at least one taught
    held = np.array([w in held_writers for w in writers], dtype=bool)
    unknown = np.flatnonzero(np.array([not w for w in writers], dtype=bool))
    if len(unknown):
        _, held_unknown = _drawing_split([files[i] for i in unknown], labels[unknown], fraction, seed)
        held[unknown[held_unknown]] = True
    return np.flatnonzero(~held), np.flatnonzero(held)


def _drawing_split(
    files: Sequence[str], labels: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    scores = np.array([_score(seed, f) for f in files], dtype=np.float64)
    held = np.zeros(len(files), dtype=bool)
    for digit in np.unique(labels):
        index = np.flatnonzero(labels == digit)
        if len(index) < 2 or fraction == 0.0:
            continue
        ordered = index[np.argsort(scores[index], kind="mergesort")]
        chosen = scores[ordered] < fraction
        chosen[0] = True  # at least one held back
        chosen[-1] = False  # at least one taught
        held[ordered[chosen]] = True
    return np.flatnonzero(~held), np.flatnonzero(held)


def _score(seed: int, file: str) -> float:
    digest = hashlib.sha256(f"{seed}:{file}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


# -- writing ------------------------------------------------------------------------------------------
def _existing_entries(folder: Path) -> list[Entry]:
    """The rows of an existing set, or none for a new or empty folder (created if missing)."""
    if folder.exists() and not folder.is_dir():
        raise ClassSetError(f"class set {folder} is a file, not a folder")
    if not _labels_path(folder).exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ClassSetError(f"cannot create the class set folder {folder}: {exc.strerror or exc}") from None
        return []
    return read_labels(folder)


def _next_name(folder: Path, entries: Sequence[Entry], label: int, suffix: str) -> str:
    used = [int(m.group(2)) for m in (FILE_PATTERN.match(e.file) for e in entries) if m]
    number = max(used, default=0) + 1
    while True:
        name = f"{label}-{number:04d}{suffix}"
        if not (folder / name).exists():
            return name
        number += 1


def _as_uint8(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim != 2:
        raise ClassSetError(f"a drawing is a 2-D grayscale image, got shape {array.shape}")
    if not (1 <= array.shape[0] <= MAX_SIDE and 1 <= array.shape[1] <= MAX_SIDE):
        raise ClassSetError(f"a drawing may be at most {MAX_SIDE} x {MAX_SIDE} pixels, got {array.shape}")
    if array.dtype == np.uint8:
        return array
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ClassSetError(f"a drawing holds numbers, got {array.dtype}")
    values = array.astype(np.float64)
    if not np.isfinite(values).all():
        raise ClassSetError("the drawing contains NaN or infinite values")
    if np.issubdtype(array.dtype, np.floating) and values.max() <= 1.0:
        values = values * 255.0  # [0, 1] floats, as to_mnist returns
    return np.clip(np.round(values), 0, 255).astype(np.uint8)


def add_drawing(folder: PathLike, image: np.ndarray, label: int, writer: str = "") -> Entry:
    """Save ``image`` as a PNG in the class set at ``folder`` (created if needed) and list it with ``label``.

    ``image``: the pad's (280, 280) uint8 canvas (dark ink on white) or a (28, 28) image in [0, 1]
    (white ink on black, as ``to_mnist`` returns it), or any 2-D grayscale up to 4096 px a side,
    either polarity. It is saved as it is, under a new name ``<label>-NNNN.png``; a blank image
    (no digit for ``to_mnist``) is refused. ``writer``: who drew it ("" unknown; see :data:`MAX_WRITER`).
    Returns the new row.
    """
    label = _check_label(label)
    writer = _parse_writer(writer)
    pixels = _as_uint8(image)
    try:
        to_mnist(pixels)
    except PreprocessError:
        raise ClassSetError("the drawing is empty: draw a digit first") from None
    folder = Path(os.path.expanduser(str(folder)))
    entries = _existing_entries(folder)
    if len(entries) >= MAX_DRAWINGS:
        raise ClassSetError(f"the class set {folder} is full ({MAX_DRAWINGS} drawings); remove some first")
    name = _next_name(folder, entries, label, ".png")
    try:
        buffer = io.BytesIO()
        Image.fromarray(pixels, mode="L").save(buffer, format="PNG")
        _atomic_write(folder / name, buffer.getvalue())
        _write_labels(folder, [*entries, Entry(name, label, 0, writer)])
    except OSError as exc:
        if (folder / name).exists():
            (folder / name).unlink()
        raise ClassSetError(f"cannot save the drawing in {folder}: {exc.strerror or exc}") from None
    return Entry(name, label, len(entries) + 2, writer)  # _write_labels: the header on line 1, one row per line


def _find(entries: Sequence[Entry], file: str, folder: Path) -> int:
    wanted = str(PurePosixPath(str(file).replace("\\", "/")))
    for i, entry in enumerate(entries):
        if entry.file == wanted:
            return i
    raise ClassSetError(f"{wanted} is not in the class set {folder}")


def remove_drawing(folder: PathLike, file: str) -> None:
    """Unlist ``file`` (a name from ``labels.csv``) and delete its image."""
    folder = Path(os.path.expanduser(str(folder)))
    entries = read_labels(folder)
    index = _find(entries, file, folder)
    removed = entries.pop(index)
    _write_labels(folder, entries)
    _unlink(folder / removed.file)


def relabel_drawing(folder: PathLike, file: str, label: int) -> None:
    """Give ``file`` another label (a drawing added under the wrong digit)."""
    label = _check_label(label)
    folder = Path(os.path.expanduser(str(folder)))
    entries = read_labels(folder)
    index = _find(entries, file, folder)
    entries[index] = entries[index]._replace(label=label)
    _write_labels(folder, entries)


def clear_class_set(folder: PathLike) -> int:
    """Delete every listed drawing and leave an empty ``labels.csv``; other files stay. Returns how many."""
    folder = Path(os.path.expanduser(str(folder)))
    entries = read_labels(folder)
    _write_labels(folder, [])
    for entry in entries:
        _unlink(folder / entry.file)
    return len(entries)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ClassSetError(f"cannot delete {path}: {exc.strerror or exc}") from None


def export_class_set(folder: PathLike, dest: PathLike) -> Path:
    """Copy the class set (``labels.csv`` and the files it lists, nothing else) to ``dest``, a new or
    empty folder; it appears whole or not at all. Returns ``dest``."""
    folder = Path(os.path.expanduser(str(folder)))
    target = Path(os.path.expanduser(str(dest)))
    entries = read_labels(folder)
    if target.exists():
        if not target.is_dir():
            raise ClassSetError(f"cannot export to {target}: it is a file")
        if set(os.listdir(str(target))) - OS_LITTER:
            raise ClassSetError(f"cannot export to {target}: the folder is not empty; name a new folder")
    if Path(os.path.realpath(str(target))) == Path(os.path.realpath(str(folder))):
        raise ClassSetError(f"cannot export {folder} onto itself")
    sources = [drawing_path(folder, entry)[0] for entry in entries]  # regular files inside the set
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".export", dir=str(target.parent)))
    except OSError as exc:
        raise ClassSetError(f"cannot export to {target}: {exc.strerror or exc}") from None
    try:
        for entry, source in zip(entries, sources):
            out = staging / entry.file
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(str(source), str(out))
        _write_labels(staging, [Entry(e.file, e.label, 0, e.writer) for e in entries])
        os.chmod(str(staging), 0o755)
        if target.exists():
            target.rmdir()  # empty (litter aside, which goes too)
        os.rename(str(staging), str(target))
    except OSError as exc:
        shutil.rmtree(str(staging), ignore_errors=True)
        raise ClassSetError(f"cannot export to {target}: {exc.strerror or exc}") from None
    return target


def import_class_set(source: PathLike, folder: PathLike) -> int:
    """Add every drawing of the class set ``source`` to the one at ``folder`` (created if needed), under
    new names; ``source`` is checked whole first (every image read), so a bad one adds nothing.
    Returns how many were added."""
    source = Path(os.path.expanduser(str(source)))
    folder = Path(os.path.expanduser(str(folder)))
    incoming = read_labels(source)
    load_class_set(source)  # every image readable and a digit, before anything is copied
    if Path(os.path.realpath(str(source))) == Path(os.path.realpath(str(folder))):
        raise ClassSetError(f"cannot import {source} into itself")
    entries = _existing_entries(folder)
    if len(entries) + len(incoming) > MAX_DRAWINGS:
        raise ClassSetError(
            f"importing {len(incoming)} drawings would make the class set {folder} larger than {MAX_DRAWINGS}"
        )
    added: list[Path] = []
    try:
        for entry in incoming:
            suffix = PurePosixPath(entry.file).suffix.lower() or ".png"
            name = _next_name(folder, entries, entry.label, suffix)
            shutil.copyfile(str(drawing_path(source, entry)[0]), str(folder / name))
            added.append(folder / name)
            entries.append(Entry(name, entry.label, 0, entry.writer))
        _write_labels(folder, entries)
    except OSError as exc:
        for path in added:
            _unlink(path)
        raise ClassSetError(f"cannot import into {folder}: {exc.strerror or exc}") from None
    return len(incoming)
