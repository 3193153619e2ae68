"""What a command writes, checked before any work: against each other, against what it reads, and for
being a place a file can go.

A collision found after an hour of training costs the hour; one found after
the write costs the data (``train --save m --record m/weights.npz`` wrote the
record over the model it had just saved). Paths are compared resolved
(``~``, relative parts and symbolic links), and existing files also by their
device and inode, so two spellings of one file are one file.

Imports neither TensorFlow nor Qt.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from convviz.atomicfile import OutputError, resolve, special_kind
from convviz.pretrained import META_FILE, MODEL_FILES, WEIGHTS_FILE


@dataclass(frozen=True)
class Output:
    """A path a command will write: a file, or a model folder (``folder``), which a save replaces whole."""

    option: str  # as the user typed it: "--record"
    path: str
    folder: bool = False


@dataclass(frozen=True)
class Input:
    """A file a command reads; ``what`` names it in the error ("the image", "the model")."""

    what: str
    path: str


def model_inputs(folder, what: str = "the model") -> list[Input]:
    """The files a model folder is read from."""
    return [Input(what, os.path.join(str(folder), name)) for name in (WEIGHTS_FILE, META_FILE)]


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samestat(os.stat(str(a)), os.stat(str(b)))
    except OSError:  # one of them does not exist yet: the resolved names decide
        return False


def check_output_file(option: str, path) -> Path:
    """Raise OutputError (one line) unless a file can be written at ``path``: not a folder, device, FIFO or
    socket, in a folder that exists and takes new files. Returns the resolved path."""
    target = resolve(path)
    prefix = f"{option} {path}"
    if target.is_dir():
        raise OutputError(f"{prefix} is a folder; name a file")
    kind = special_kind(target)
    if kind is not None:
        raise OutputError(f"{prefix} is {kind}, not a regular file; ConvViz replaces only regular files")
    if not target.parent.is_dir():
        raise OutputError(f"{prefix}: the folder {target.parent} does not exist")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".probe", dir=str(target.parent))
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{prefix}: {target.parent} takes no new files ({exc.strerror or exc})") from None
    return target


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.parents


def check_outputs(outputs: Iterable[Output], inputs: Iterable[Input] = ()) -> None:
    """Raise OutputError (one line naming both) when two outputs, or an output and an input, collide.

    Outputs given as None paths are left out. A file output collides with another output of the same
    file, with a model file (``weights.npz``, ``model.json``, ``train.log``) of a folder output, and with
    any input file; a path below a file output collides with it. File outputs are also checked with
    :func:`check_output_file`. A folder output may hold the inputs: they are read before it is saved.
    """
    chosen = [o for o in outputs if o.path is not None]
    resolved = [(out, resolve(out.path)) for out in chosen]
    for i, (a, pa) in enumerate(resolved):  # first: a collision is the news, not a folder still to be made
        for b, pb in resolved[i + 1 :]:
            _check_pair(a, pa, b, pb)
            _check_pair(b, pb, a, pa)
    for out in chosen:
        if not out.folder:
            check_output_file(out.option, out.path)
    files = [(o, p) for o, p in resolved if not o.folder]
    for source in inputs:
        if source.path is None:
            continue
        ps = resolve(source.path)
        for out, po in files:
            if _same(po, ps):
                raise OutputError(
                    f"{out.option} {out.path} is {source.what} it reads ({source.path}); name another file"
                )


def _check_pair(a: Output, pa: Path, b: Output, pb: Path) -> None:
    """``a`` against ``b``; called both ways round."""
    if _same(pa, pb):
        raise OutputError(f"{a.option} {a.path} and {b.option} {b.path} are the same path; name two different ones")
    if a.folder and not b.folder and pb.parent == pa and pb.name in MODEL_FILES:
        raise OutputError(
            f"{b.option} {b.path} would overwrite the {pb.name} of the model saved to {a.option} {a.path}; "
            "name a file outside the model's files"
        )
    if not a.folder and _inside(pb, pa):
        raise OutputError(f"{b.option} {b.path} is inside {a.option} {a.path}, which is written as a file")

