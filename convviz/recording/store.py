"""The runs kept across restarts: the run store in the user's data folder, bounded in count and bytes."""

from __future__ import annotations

import logging
import os
import re
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from convviz.recording.fileformat import load_record, read_summary, save_record
from convviz.recording.parts import SUFFIX, RecordingError, RunRecord, RunSummary

log = logging.getLogger(__name__)


# -- the runs kept across restarts ------------------------------------------------------------------------------
MAX_STORED_RUNS = 50  # RunStore's default count bound
MAX_STORE_BYTES = 2 * 2**30  # ... and size bound (2 GiB: ~90 runs of the cnn with final weights and maps)
MAX_LISTED = 1000  # record files a listing reads at most (the newest by name): a store holds MAX_STORED_RUNS
_RUN_ID = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}\Z")


def runs_dir() -> Path:
    """Where the window keeps its runs: ``$CONVVIZ_RUNS_DIR`` if set, else the user's data folder:
    ``$XDG_DATA_HOME/convviz/runs`` (else ``~/.local/share``), ``%APPDATA%\\convviz\\runs`` on Windows,
    ``~/Library/Application Support/convviz/runs`` on macOS (as convviz.classset's folder)."""
    configured = os.environ.get("CONVVIZ_RUNS_DIR", "")
    if configured:
        return Path(os.path.expanduser(configured))
    home = Path(os.path.expanduser("~"))
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".local" / "share"
    return base / "convviz" / "runs"


@dataclass(frozen=True)
class StoredRun:
    """A record in a :class:`RunStore`: its id (the file's name without the suffix), file and summary."""

    id: str
    path: Path
    size: int  # bytes on disk
    summary: RunSummary


@dataclass(frozen=True)
class UnreadableRun:
    """A file in a :class:`RunStore` that is not a valid record: listed as such, so that it can be deleted."""

    id: str
    path: Path
    size: int
    reason: str  # one line naming the file and what is wrong with it


@dataclass(frozen=True)
class StoreListing:
    """What :meth:`RunStore.scan` found: the valid runs (newest first) and the files that did not read."""

    runs: tuple  # of StoredRun
    unreadable: tuple  # of UnreadableRun, newest first


class RunStore:
    """The runs kept in a folder (default :func:`runs_dir`), one record file each, bounded.

    :meth:`save` writes a new file and then removes the oldest runs (by start
    time) while more than ``max_runs`` are kept or they take more than
    ``max_bytes``, never the one just saved; it returns the removed ones so the
    window can say so. A single record larger than ``max_bytes`` is refused.
    :meth:`list` reads only each file's JSON member, record by record: a file that
    does not read, or whose values are odd (the checks of ``load_record``), is
    skipped with one logged line naming it and left alone (:attr:`unreadable`
    names them; :meth:`scan` returns them with their reasons), and every other
    run is listed.
    """

    def __init__(self, folder=None, max_runs: int = MAX_STORED_RUNS, max_bytes: int = MAX_STORE_BYTES):
        self.folder = Path(os.path.expanduser(str(folder))) if folder is not None else runs_dir()
        if max_runs < 1 or max_bytes < 1:
            raise ValueError("a run store keeps at least one run")
        self.max_runs = int(max_runs)
        self.max_bytes = int(max_bytes)
        self.unreadable: list[Path] = []

    def path_of(self, run_id: str) -> Path:
        if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
            raise RecordingError(f"{run_id!r} is not the id of a stored run")
        return self.folder / (run_id + SUFFIX)

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [
            self.folder / name
            for name in os.listdir(str(self.folder))
            if name.endswith(SUFFIX) and _RUN_ID.match(name[: -len(SUFFIX)])
        ]

    def list(self) -> list[StoredRun]:
        """The stored runs, newest first (metadata only)."""
        return list(self.scan().runs)

    def scan(self, progress: Callable[[int, int], None] | None = None) -> StoreListing:
        """Every record file read on its own (metadata only): the valid runs and the unreadable files.

        ``progress(done, total)`` after each file. At most :data:`MAX_LISTED` files are read, the newest
        by name; a listing that leaves some out logs how many.
        """
        runs, unreadable = [], []
        files = sorted(self._files(), key=lambda p: p.name, reverse=True)
        if len(files) > MAX_LISTED:
            log.warning(
                "the run store %s holds %d records; the newest %d are listed", self.folder, len(files), MAX_LISTED
            )
            files = files[:MAX_LISTED]
        for i, path in enumerate(files):
            run_id = path.name[: -len(SUFFIX)]
            try:
                summary = read_summary(path)
                size = path.stat().st_size
            except (RecordingError, OSError) as exc:
                reason = _one_line(exc, path)
                log.warning("skipping run record %s", reason)
                unreadable.append(UnreadableRun(run_id, path, _size(path), reason))
            except Exception as exc:  # a reader's bug must not hide every other run: logged with its traceback
                log.exception("skipping run record %s", path)
                reason = f"{path}: cannot be read ({type(exc).__name__}: {_one_line(exc, path)})"
                unreadable.append(UnreadableRun(run_id, path, _size(path), reason))
            else:
                runs.append(StoredRun(run_id, path, size, summary))
            if progress is not None:
                progress(i + 1, len(files))
        runs.sort(key=lambda r: (r.summary.started_at, r.id), reverse=True)
        self.unreadable = [u.path for u in unreadable]
        return StoreListing(tuple(runs), tuple(unreadable))

    def total_bytes(self) -> int:
        total = 0
        for path in self._files():
            try:
                total += path.stat().st_size
            except OSError:
                pass
        return total

    def save(self, record: RunRecord) -> tuple[StoredRun, list[StoredRun]]:
        """Keep ``record``; return it as stored and the runs removed to stay within the bounds."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordingError(f"cannot keep runs in {self.folder}: {exc.strerror or exc}") from None
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(record.started_at or time.time()))
        while True:
            run_id = f"{stamp}-{secrets.token_hex(3)}"
            if not self.path_of(run_id).exists():
                break
        path = save_record(record, self.path_of(run_id))
        size = path.stat().st_size
        if size > self.max_bytes:
            path.unlink()
            raise RecordingError(
                f"cannot keep the run in {self.folder}: its {size:,} bytes are more than the store's {self.max_bytes:,}"
            )
        stored = StoredRun(run_id, path, size, read_summary(path))
        return stored, self._evict(keep=run_id)

    def _evict(self, keep: str) -> list[StoredRun]:
        runs = self.list()
        total = sum(r.size for r in runs) + sum(_size(p) for p in self.unreadable)
        removed = []
        for run in reversed(runs):  # oldest first
            if len(runs) - len(removed) <= self.max_runs and total <= self.max_bytes:
                break
            if run.id == keep:
                continue
            try:
                run.path.unlink()
            except OSError as exc:
                log.warning("could not remove the old run %s: %s", run.path, exc)
                continue
            total -= run.size
            removed.append(run)
        return removed

    def load(self, run_id: str) -> RunRecord:
        return load_record(self.path_of(run_id))

    def delete(self, run_id: str) -> None:
        path = self.path_of(run_id)
        try:
            path.unlink()
        except FileNotFoundError:
            raise RecordingError(f"run {run_id} is not stored in {self.folder}") from None
        except OSError as exc:
            raise RecordingError(f"cannot delete {path}: {exc.strerror or exc}") from None


def _one_line(exc: BaseException, path: Path) -> str:
    """``exc``'s first line, naming ``path`` (a RecordingError does already)."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if str(path) in text else f"{path}: {text}"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
