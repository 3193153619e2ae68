"""Files written whole or not at all, and only over regular files.

Every file ConvViz writes (a record, a GIF, a PNG, a class set's ``labels.csv``
and drawings, MNIST from the mirror) goes into a temporary sibling, is synced,
and is then renamed over the target: a reader sees the old file or the new one,
and a failure (a full disk, a read-only folder) leaves the old file as it was.

A rename replaces whatever the name points to, so a device node, a FIFO or a
socket given as the output would be replaced by a plain file (as root,
``--gif /dev/full`` would have replaced the device). The target is resolved
first (a symbolic link stays a link; the file it points to is replaced) and
anything but a regular file is refused, checked again right before the rename.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

from convviz.errors import ConvVizError

NEW_FILE_MODE = 0o644  # mkstemp makes 0600; a written file is for sharing


class OutputError(ConvVizError):
    """An output cannot be written where it was asked for; one line that names it."""


class NotRegularFile(OSError):
    """The target exists and is not a regular file (a folder, device, FIFO, socket): never replaced."""


def resolve(path) -> Path:
    """``path`` absolute, ``~`` expanded and symbolic links resolved: the name the rename replaces."""
    return Path(os.path.realpath(os.path.expanduser(str(path))))


def special_kind(path) -> str | None:
    """What ``path`` is when it exists and is not a regular file ("a folder", "a FIFO", ...), else None."""
    try:
        mode = os.stat(str(path)).st_mode
    except OSError:  # absent, or not ours to look at: the write itself then says why
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def refuse_special(path) -> None:
    """Raise NotRegularFile (an OSError whose strerror is one line) unless ``path`` is absent or a regular file."""
    kind = special_kind(path)
    if kind is not None:
        raise NotRegularFile(errno.EEXIST, f"it is {kind}, not a regular file; name a file")


def replace_file(path, write: Callable[[object], None], mode: int | None = None) -> Path:
    """``write(binary file)`` into a temporary sibling of ``path``, synced, then renamed over ``path``.

    Returns the path written (``path`` resolved). Raises what the write raised (OSError for a full disk),
    NotRegularFile for a target that is not a regular file; the old file is then untouched and no
    temporary is left. A new file gets ``mode`` (default 0644), a replaced one keeps its mode.
    """
    target = resolve(path)
    refuse_special(target)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(str(target)).st_mode)
        except OSError:
            mode = NEW_FILE_MODE
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=str(target.parent))
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        refuse_special(target)  # again: it may have been made while we wrote
        os.replace(tmp, str(target))
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    sync_folder(target.parent)
    return target


def write_bytes(path, data: bytes, mode: int | None = None) -> Path:
    """:func:`replace_file` for bytes already in memory."""
    return replace_file(path, lambda f: f.write(data), mode)


def sync_folder(folder) -> None:
    """Make a folder's entries durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def reason(exc: BaseException) -> str:
    """The OS's words for what went wrong (zipfile may raise its own error while handling the OSError)."""
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__context__
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def write_atomically(path, write: Callable[[object], None], prefix: str, error: type = OutputError) -> Path:
    """:func:`replace_file`, with any failure one line ``"{prefix}: {reason}"`` raised as ``error``.

    Returns ``path`` as given (``~`` expanded).
    """
    try:
        replace_file(path, write)
    except (OSError, ValueError, RuntimeError, zipfile.LargeZipFile) as exc:
        raise error(f"{prefix}: {reason(exc)}") from None
    return Path(os.path.expanduser(str(path)))
