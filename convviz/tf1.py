"""The one place that imports TensorFlow.

Everything else does ``from convviz.tf1 import tf``. The first use of ``tf``
silences the C++ logger before TensorFlow is imported (the variable is read
once, at import time), picks the TF1 API (``tensorflow.compat.v1`` on TF 2.x,
plain ``tensorflow`` on TF 1.15) and switches off v2 behaviour, so the same
graph code runs on the course's original pin and on TF 2.15.

:func:`user_tensorflow` is for code that runs inside a student's own process
(``convviz.watch``): it hands back their ``tensorflow`` as it is, because
switching off v2 behaviour there would break their eager Keras notebook. That
is why ``tf`` is made on first use (a module ``__getattr__``), not on import.
"""

from __future__ import annotations

import logging
import os
import warnings
from types import ModuleType
from typing import Any

__all__ = ["TF_VERSION", "tf", "user_tensorflow"]  # noqa: F822 (tf and TF_VERSION: module __getattr__)


def _import_root() -> ModuleType:
    with warnings.catch_warnings():
        # TF 1.15 imports numpy aliases and h5py paths that newer libraries deprecate.
        warnings.simplefilter("ignore")
        import tensorflow as root
    return root


def user_tensorflow() -> ModuleType:
    """The process's plain ``tensorflow`` module, with its behaviour untouched (no v1 switch, no
    environment set): for hooks and callbacks that run in a student's own TensorFlow program."""
    return _import_root()


def _make_tf() -> tuple[Any, str]:
    # Level 3: TF 2.15 prints spurious "Unable to register cuDNN factory" errors on every CPU start.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Each session's CPU device gets an intra-op pool of its own (sized by its config), read once at the
    # first session: the window's pad network runs one digit with one thread (convviz.model's ``inline``)
    # beside a training run, and with one pool for the process the first session's size would be every one's.
    os.environ.setdefault("TF_OVERRIDE_GLOBAL_THREADPOOL", "1")
    root = _import_root()
    # TF's Python logger prints deprecation notices for the TF1 API we use on purpose.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if root.__version__.startswith("1."):
        v1 = root
    else:
        import tensorflow.compat.v1 as v1

        v1.disable_v2_behavior()
    v1.logging.set_verbosity(v1.logging.ERROR)
    return v1, root.__version__


def __getattr__(name: str) -> Any:
    """``tf`` and ``TF_VERSION``, made once on first use (see the module docstring)."""
    if name in ("tf", "TF_VERSION"):
        made, version = _make_tf()
        globals().update(tf=made, TF_VERSION=version)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
