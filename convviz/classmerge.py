"""Many students, one class set: several class sets (one per student) merged into one, writers kept.

Each source is a class set folder (``labels.csv`` and its images, see :mod:`convviz.classset`), or
a folder whose subfolders are class sets (a class's collected folders, one per student). Every
drawing keeps its writer: the ``writer`` column where the source has one, else the source
folder's name (made a valid writer name), so Teach holds back whole students and scores on
writers it was not taught.

Unlike :func:`convviz.classset.import_class_set` (all or nothing), a merge keeps what it can: a
source it cannot read, and each listed file that is missing or holds no digit, gets one line
in :attr:`MergeResult.problems` and is left out; the good drawings are copied under new names
and listed at once (``labels.csv`` replaced whole, as every write of a class set).

No TensorFlow, no Qt. Python 3.7 compatible.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Callable, NamedTuple, Sequence

from convviz import classset as cs

MAX_SOURCES = 200  # class sets in one merge: a school's year, not a file system walk
MAX_PROBLEMS = 1000  # lines kept about bad files (a count says how many more)


class MergeResult(NamedTuple):
    """What a merge did: drawings ``added``, per writer, and one line per file or source left out."""

    added: int
    writers: dict  # writer -> drawings added
    problems: tuple  # one line each: a source or file left out, and why
    skipped: int  # files left out (problems may be cut at MAX_PROBLEMS)


def writer_from_folder(folder: Path) -> str:
    """A folder's name as a writer: characters a writer may not hold become ``_``, cut to the bound."""
    name = re.sub(r"[^\w .\-]", "_", folder.name).strip(" ._-")[: cs.MAX_WRITER].strip(" ._-")
    return name if name and cs.WRITER_PATTERN.match(name) else "writer"


def class_set_sources(folder: cs.PathLike) -> list[Path]:
    """``folder`` itself when it is a class set (holds ``labels.csv``), else its subfolders that are, by name."""
    folder = Path(os.path.expanduser(str(folder)))
    if (folder / cs.LABELS_FILE).is_file() or not folder.is_dir():
        return [folder]
    try:
        names = sorted(os.listdir(str(folder)))
    except OSError as exc:
        raise cs.ClassSetError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None
    found = [folder / n for n in names if (folder / n / cs.LABELS_FILE).is_file()]
    if len(found) > MAX_SOURCES:
        raise cs.ClassSetError(f"{folder} holds more than {MAX_SOURCES} class sets; merge them in parts")
    return found or [folder]  # none inside: read folder itself, whose error then names it


def merge_class_sets(
    sources: Sequence[cs.PathLike],
    folder: cs.PathLike,
    progress: Callable[[int, int], None] | None = None,
) -> MergeResult:
    """Add the drawings of every class set in ``sources`` (see :func:`class_set_sources`) to ``folder``.

    Raises ClassSetError only when nothing can be merged at all: no sources, too many, the target
    unreadable or full, or a source that is the target; bad sources and files are left out with
    one line each in the result.
    """
    folder = Path(os.path.expanduser(str(folder)))
    expanded: list[Path] = []
    for source in sources:
        expanded.extend(class_set_sources(source))
    if not expanded:
        raise cs.ClassSetError("no class set to merge: name one or more folders")
    if len(expanded) > MAX_SOURCES:
        raise cs.ClassSetError(f"at most {MAX_SOURCES} class sets in one merge, got {len(expanded)}")
    target = Path(os.path.realpath(str(folder)))
    for source in expanded:
        if Path(os.path.realpath(str(source))) == target:
            raise cs.ClassSetError(f"cannot merge {source} into itself")
    entries = cs._existing_entries(folder)
    problems: list[str] = []
    skipped = 0

    def problem(line: str) -> None:
        nonlocal skipped
        skipped += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(line)

    wanted: list[tuple[Path, cs.Entry, str]] = []  # (source, row, writer): checked, to be copied
    for source in expanded:
        try:
            rows = cs.read_labels(source)
        except cs.ClassSetError as exc:
            problem(str(exc))
            continue
        fallback = writer_from_folder(source)
        inside = os.path.realpath(str(source))
        for entry in rows:
            real = os.path.realpath(str(source / entry.file))
            if os.path.commonpath([inside, real]) != inside:  # a link out of the set: never copy what it names
                problem(f"{source / entry.file} (row {entry.row} of {cs.LABELS_FILE}) points outside its class set")
                continue
            try:
                cs.read_drawing(source, entry)  # readable and a digit, as Teach will read it
            except cs.ClassSetError as exc:
                problem(str(exc))
                continue
            wanted.append((source, entry, entry.writer or fallback))
    if len(entries) + len(wanted) > cs.MAX_DRAWINGS:
        raise cs.ClassSetError(
            f"merging {len(wanted)} drawings would make the class set {folder} larger than {cs.MAX_DRAWINGS}"
        )
    added: list[Path] = []
    counts: dict = {}
    try:
        for i, (source, entry, writer) in enumerate(wanted):
            suffix = PurePosixPath(entry.file).suffix.lower() or ".png"
            name = cs._next_name(folder, entries, entry.label, suffix)
            shutil.copyfile(str(source / entry.file), str(folder / name))
            added.append(folder / name)
            entries.append(cs.Entry(name, entry.label, 0, writer))
            counts[writer] = counts.get(writer, 0) + 1
            if progress is not None:
                progress(i + 1, len(wanted))
        if added:
            cs._write_labels(folder, entries)
    except OSError as exc:
        for path in added:
            cs._unlink(path)
        raise cs.ClassSetError(f"cannot merge into {folder}: {exc.strerror or exc}") from None
    return MergeResult(len(added), counts, tuple(problems), skipped)
