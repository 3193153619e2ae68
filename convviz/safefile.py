"""Reading files from outside: regular files only, and links that stay inside the folder that lists them.

A FIFO blocks ``open()`` until a writer comes (forever, in a lecture); a device
such as ``/dev/zero`` or ``/dev/urandom`` never ends; a socket cannot be read.
:func:`open_regular` refuses them from ``stat`` before opening, opens with
``O_NONBLOCK`` (so a FIFO swapped in after the check does not block either) and
checks again on the open descriptor, so what is read is the file that was checked.
:func:`inside_folder` resolves a name listed in a folder (a class set's
``labels.csv``) and refuses a link that leads out of that folder or to a folder.

Every refusal is an :class:`UnsafeFileError` with one line that names the path;
callers wrap it in their own error type. Python 3.7 compatible, no numpy.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Union

from convviz.errors import ConvVizError

PathLike = Union[str, "os.PathLike[str]"]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafeFileError(ConvVizError, ValueError):
    """A path that is not a regular file, or leads outside its folder; ``str()`` is one line naming it.

    ``reason`` is the same line without the path (``"is not a file: it is a named pipe (FIFO)"``).
    """

    def __init__(self, path, reason: str):
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


def kind_of(mode: int) -> str:
    """What a ``st_mode`` is, in words: ``"a named pipe (FIFO)"``; ``"a file"`` for a regular file."""
    if stat.S_ISREG(mode):
        return "a file"
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def _refuse_special(path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise UnsafeFileError(path, f"is not a file: it is {kind_of(mode)}")


def check_regular(path: PathLike) -> os.stat_result:
    """``os.stat(path)`` (links followed); UnsafeFileError unless it is a regular file.

    A missing file raises FileNotFoundError, as ``open()`` would.
    """
    info = os.stat(os.fspath(path))
    _refuse_special(path, info.st_mode)
    return info


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: PathLike, max_bytes: int | None = None) -> BinaryIO:
    """Open the regular file ``path`` for reading (binary); refuse anything else before it can block.

    ``max_bytes``: a file whose size is larger is refused from ``fstat`` (UnsafeFileError), unread.
    Callers that read should still read at most ``max_bytes + 1``: a file may grow after the check.
    Raises OSError as ``open()`` does (missing, no permission).
    """
    check_regular(path)
    fd = os.open(os.fspath(path), _OPEN_FLAGS | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)  # replaced between the stat and the open
        if max_bytes is not None and info.st_size > max_bytes:
            raise UnsafeFileError(path, f"has {info.st_size:,} bytes, more than {max_bytes:,}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file never blocks; reads behave as usual
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: PathLike, max_bytes: int) -> bytes:
    """The whole regular file ``path``, at most ``max_bytes``; UnsafeFileError if it is larger or not a file."""
    with open_regular(path, max_bytes) as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeFileError(path, f"has more than {max_bytes:,} bytes")
    return data


def inside_folder(folder: PathLike, name: str) -> Path:
    """``folder / name`` with its links resolved; UnsafeFileError if that leads out of ``folder``.

    ``name`` is relative (``scans/seven.png``). A link to a file inside ``folder`` is fine (a
    drawing kept once and listed twice); a link to a file elsewhere, or a name that resolves to
    a folder, a FIFO, a device or a socket is refused, naming ``folder / name``. A missing file
    raises FileNotFoundError.
    """
    path = Path(folder) / name
    root = os.path.realpath(os.fspath(folder))
    real = os.path.realpath(os.fspath(path))
    try:
        outside = os.path.commonpath([root, real]) != root or real == root
    except ValueError:  # another drive (Windows)
        outside = True
    if outside:
        raise UnsafeFileError(path, f"leads outside the folder {folder} (to {real})")
    _refuse_special(path, os.stat(real).st_mode)
    return Path(real)
