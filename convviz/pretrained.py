"""The pretrained models shipped in ``assets/models`` and the files of a model folder.

No TensorFlow and no Qt here: the window picks the architecture it starts with
before TensorFlow has loaded, and the CLI names its default model without
loading it. :mod:`convviz.model` reads and writes the files named here.
"""

from __future__ import annotations

from pathlib import Path

PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "assets" / "models"  # one folder per architecture
WEIGHTS_FILE = "weights.npz"  # the weights of a model folder (no optimizer state)
META_FILE = "model.json"  # architecture, hyper-parameters, test accuracy, TensorFlow version
PREFERRED_ARCHS = ("cnn", "lenet5")  # the first with pretrained weights is shown at start


def default_arch(models_dir: str | Path = PRETRAINED_DIR) -> str:
    """The architecture shown at start: the first of PREFERRED_ARCHS with pretrained weights."""
    for arch in PREFERRED_ARCHS:
        if (Path(models_dir) / arch / WEIGHTS_FILE).is_file():
            return arch
    return PREFERRED_ARCHS[-1]
