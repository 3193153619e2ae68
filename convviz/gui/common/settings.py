"""What the window remembers between sessions (which columns of the runs table are hidden), in an INI file.

The file is ``$CONVVIZ_SETTINGS`` when that is set (the tests give each test its own), else
``convviz/convviz.ini`` in the user's configuration folder. What is read back is bounded: a file over
:data:`MAX_SETTINGS_BYTES` is not read (nor written), and a list keeps only the names the caller knows,
each once. A file that cannot be written costs the memory of the choice, never the window.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Iterable

from PyQt5 import QtCore

log = logging.getLogger(__name__)

SETTINGS_ENV = "CONVVIZ_SETTINGS"
MAX_SETTINGS_BYTES = 64 * 1024  # a few view choices take a few hundred bytes
RUNS_HIDDEN_COLUMNS = "runs/hidden_columns"


def settings_path() -> Path:
    """The settings file: ``$CONVVIZ_SETTINGS``, else ``<the user's configuration folder>/convviz/convviz.ini``."""
    named = os.environ.get(SETTINGS_ENV)
    if named:
        return Path(named)
    folder = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.GenericConfigLocation)
    return Path(folder or Path.home() / ".config") / "convviz" / "convviz.ini"


def _open() -> QtCore.QSettings | None:
    """The settings, or None where the file is too large to be one of ours (it is left alone)."""
    path = settings_path()
    try:
        info = path.stat()
    except OSError:  # not there yet: QSettings makes it
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):  # a FIFO would block the GUI thread's read
        log.warning("%s is not a regular file: the settings are neither read nor written", path)
        return None
    size = info.st_size if info is not None else 0
    if size > MAX_SETTINGS_BYTES:
        log.warning("%s holds %d bytes, more than a settings file of ConvViz: not read", path, size)
        return None
    return QtCore.QSettings(str(path), QtCore.QSettings.IniFormat)


def read_names(key: str, known: Iterable[str]) -> list:
    """The list stored under ``key``, less any name not in ``known`` (and repeats): [] when none is stored."""
    settings = _open()
    if settings is None:
        return []
    value = settings.value(key)
    if isinstance(value, str):  # an INI file gives a list of one back as its one string
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    allowed = set(known)
    return [name for name in dict.fromkeys(v for v in value if isinstance(v, str)) if name in allowed]


def write_names(key: str, names: Iterable[str]) -> bool:
    """Store the list ``names`` under ``key``; False (and a warning in the log) where it cannot be stored."""
    settings = _open()
    if settings is None:
        return False
    settings.setValue(key, [str(name) for name in names])
    settings.sync()
    if settings.status() != QtCore.QSettings.NoError:
        log.warning("could not write the settings to %s", settings_path())
        return False
    return True
