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

from convviz.recording.fileformat import load_record, read_summary, save_record
from convviz.recording.parts import SUFFIX, RecordingError, RunRecord, RunSummary

log = logging.getLogger(__name__)



# -- the runs kept across restarts ------------------------------------------------------------------------------
MAX_STORED_RUNS = 50  # RunStore's default count bound
MAX_STORE_BYTES = 2 * 2**30  # ... and size bound (2 GiB: ~90 runs of the cnn with final weights and maps)
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


class RunStore:
    """The runs kept in a folder (default :func:`runs_dir`), one record file each, bounded.

    :meth:`save` writes a new file and then removes the oldest runs (by start
    time) while more than ``max_runs`` are kept or they take more than
    ``max_bytes``, never the one just saved; it returns the removed ones so the
    window can say so. A single record larger than ``max_bytes`` is refused.
    :meth:`list` reads only each file's JSON member; files that do not read are
    left alone and not listed (:attr:`unreadable` names them).
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
        runs, self.unreadable = [], []
        for path in self._files():
            try:
                summary = read_summary(path)
                size = path.stat().st_size
            except (RecordingError, OSError) as exc:
                log.warning("skipping run record %s: %s", path, exc)
                self.unreadable.append(path)
                continue
            runs.append(StoredRun(path.name[: -len(SUFFIX)], path, size, summary))
        runs.sort(key=lambda r: (r.summary.started_at, r.id), reverse=True)
        return runs

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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
