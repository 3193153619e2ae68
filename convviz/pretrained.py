"""The pretrained models shipped in ``assets/models``, the files of a model folder, and where Save… may write.

No TensorFlow and no Qt here: the window picks the architecture it starts with
before TensorFlow has loaded, and the CLI names its default model without
loading it. :mod:`convviz.model` reads and writes the files named here.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import NamedTuple

from convviz import safejson
from convviz.safefile import read_regular

PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "assets" / "models"  # one folder per architecture
WEIGHTS_FILE = "weights.npz"  # the weights of a model folder (no optimizer state)
META_FILE = "model.json"  # architecture, hyper-parameters, test accuracy, TensorFlow version
PREFERRED_ARCHS = ("cnn", "lenet5")  # the first with pretrained weights is shown at start
RUN_LOG_FILE = "train.log"  # convviz.model.RUN_LOG_FILE: the log of the run that made the weights
MODEL_FORMAT = "convviz-model"  # convviz.model.FORMAT: model.json's "format"
MODEL_FILES = frozenset({WEIGHTS_FILE, META_FILE, RUN_LOG_FILE})  # what a saved model folder holds
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})  # written by file browsers, not by anyone
META_MAX_BYTES = 1_000_000  # a model.json is a few kB; a bigger one is not ours
META_MAX_DEPTH = 16  # it nests 2 deep


def default_arch(models_dir: str | Path = PRETRAINED_DIR) -> str:
    """The architecture shown at start: the first of PREFERRED_ARCHS with pretrained weights."""
    for arch in PREFERRED_ARCHS:
        if (Path(models_dir) / arch / WEIGHTS_FILE).is_file():
            return arch
    return PREFERRED_ARCHS[-1]


class SaveVerdict(NamedTuple):
    """Whether Save… may write a model folder at a path, and what it would do there."""

    kind: str  # "new" (created), "empty" (used), "model" (a ConvViz model: replaced if the user agrees), "refused"
    reason: str = ""  # refused: why, one line naming the folder

    @property
    def refused(self) -> bool:
        return self.kind == "refused"


def judge_save_folder(folder: str | Path) -> SaveVerdict:
    """Save…'s rule: a model goes into a new or empty folder, or replaces a ConvViz model, nothing else.

    A folder that holds anything but a ConvViz model (``weights.npz``, a ``model.json``
    of this format and perhaps its ``train.log``; a file browser's ``.DS_Store`` is
    overlooked) is refused, so a save can never mix a model into a folder of other
    files, nor replace them. Reads the folder's listing and at most one small file.
    """
    path = Path(os.path.expanduser(str(folder)))
    name = str(path)
    if not path.exists():
        if path.is_symlink():
            return SaveVerdict("refused", f"{name} is a link to nothing; choose a new folder name")
        return SaveVerdict("new")
    if not path.is_dir():
        return SaveVerdict("refused", f"{name} is a file, not a folder; choose a new folder name")
    try:
        names = set(os.listdir(name)) - OS_LITTER
    except OSError as exc:
        return SaveVerdict("refused", f"{name} cannot be read ({exc.strerror or exc})")
    if not names:
        return SaveVerdict("empty")
    others = sorted(names - MODEL_FILES) or sorted(n for n in names if not (path / n).is_file())
    if not others and _is_model_description(path / META_FILE):
        return SaveVerdict("model")
    if not others:
        return SaveVerdict("refused", f"{name} holds files named like a model's that are not a ConvViz model")
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return SaveVerdict("refused", f"{name} already holds other files ({shown}); choose a new folder name")


def _is_model_description(path: Path) -> bool:
    try:  # bounded, and a FIFO or device is refused before it can block
        meta = safejson.loads(read_regular(path, META_MAX_BYTES), META_MAX_BYTES, META_MAX_DEPTH)
    except (OSError, ValueError):  # UnsafeFileError and JSONLimitError are ValueErrors
        return False
    return isinstance(meta, dict) and meta.get("format") == MODEL_FORMAT


def suggest_folder(parent: str | Path, arch: str, what: str, day: datetime.date | None = None) -> Path:
    """A new folder under ``parent`` for Save…: ``lenet5-trained-2026-11-29``, then ``…-2``, ``…-3``."""
    day = day or datetime.date.today()
    base = f"{arch.replace('/', '_')}-{what}-{day.isoformat()}"  # a spec's stride, conv8@3x3/2, is no subfolder
    candidate, n = Path(parent) / base, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = Path(parent) / f"{base}-{n}"
    return candidate


def trained_with(models_dir: str | Path, arch: str, config) -> bool:
    """True when the model of ``arch`` in ``models_dir`` was trained with ``config`` (its ``model.json`` says
    so). The models folder is the user's to fill: it is read like any outside file (regular, bounded)."""
    try:
        raw = read_regular(Path(models_dir) / arch / META_FILE, META_MAX_BYTES)
        meta = safejson.loads(raw, META_MAX_BYTES, META_MAX_DEPTH)
    except (OSError, ValueError):  # UnsafeFileError and JSONLimitError are ValueErrors
        return False
    return isinstance(meta, dict) and meta.get("config") == dict(config)
