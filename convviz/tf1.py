"""The one place that imports TensorFlow.

Everything else does ``from convviz.tf1 import tf``. This module silences the
C++ logger before TensorFlow is imported (the variable is read once, at import
time), picks the TF1 API (``tensorflow.compat.v1`` on TF 2.x, plain
``tensorflow`` on TF 1.15) and switches off v2 behaviour, so the same graph
code runs on the course's original pin and on TF 2.15.
"""

from __future__ import annotations

import logging
import os
import warnings

# Level 3: TF 2.15 prints spurious "Unable to register cuDNN factory" errors on every CPU start.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Each session's CPU device gets an intra-op pool of its own (sized by its config), read once at the
# first session: the window's pad network runs one digit with one thread (convviz.model's ``inline``)
# beside a training run, and with one pool for the process the first session's size would be every one's.
os.environ.setdefault("TF_OVERRIDE_GLOBAL_THREADPOOL", "1")

with warnings.catch_warnings():
    # TF 1.15 imports numpy aliases and h5py paths that newer libraries deprecate.
    warnings.simplefilter("ignore")
    import tensorflow as _tf_root

# TF's Python logger prints deprecation notices for the TF1 API we use on purpose.
logging.getLogger("tensorflow").setLevel(logging.ERROR)

if _tf_root.__version__.startswith("1."):
    tf = _tf_root
else:
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()

tf.logging.set_verbosity(tf.logging.ERROR)

TF_VERSION = _tf_root.__version__

__all__ = ["TF_VERSION", "tf"]
