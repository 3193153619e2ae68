"""A trained network for inference and inspection, and its on-disk format.

``Model`` owns its own ``tf.Graph`` and ``Session`` with a placeholder input, so
the GUI can classify a drawing or show feature maps at any moment, also while
a ``Trainer`` runs in another graph: the worker copies the trainer's weights in
with :meth:`Model.set_weights`. All results are numpy arrays.

A saved model is a folder with ``weights.npz`` (weights only, no optimizer
state, so it is small and loads on TF 1.15 and 2.15 alike) and ``model.json``
(architecture, hyper-parameters, test accuracy, TensorFlow version).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from convviz import __version__
from convviz.architectures import inference, input_placeholder
from convviz.config import ARCHITECTURES, IMAGE_SIZE
from convviz.errors import ConvVizError
from convviz.pretrained import META_FILE, WEIGHTS_FILE
from convviz.tf1 import TF_VERSION, tf

log = logging.getLogger(__name__)

FORMAT = "convviz-model"
FORMAT_VERSION = 1


class ModelError(ConvVizError, ValueError):
    """A model folder is missing, incomplete or does not fit; one line for the user."""


def as_batch(images: np.ndarray) -> np.ndarray:
    """(28, 28), (N, 28, 28) or (N, 28, 28, 1) -> (N, 28, 28, 1) float32."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 1):
        raise ValueError(f"expected 28x28 images, got an array of shape {np.shape(images)}")
    return x


class Model:
    """Inference graph of one architecture; weights come from a trainer or a folder."""

    def __init__(self, arch: str, weights: dict[str, np.ndarray] | None = None, meta: dict | None = None):
        if arch not in ARCHITECTURES:
            raise ModelError(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")
        self.arch = arch
        self.meta: dict = dict(meta or {})
        self._lock = threading.Lock()  # one session.run at a time keeps weight updates atomic
        self.graph = tf.Graph()
        with self.graph.as_default():
            self._images = input_placeholder()
            self.endpoints = inference(arch, self._images)
            self._probabilities = tf.nn.softmax(self.endpoints.logits, name="probabilities")
            self._variables = {v.op.name: v for v in tf.global_variables()}
            self._assign_inputs = {}
            assigns = []
            for name, var in self._variables.items():
                ph = tf.placeholder(var.dtype.base_dtype, var.shape, name=name.replace("/", "_") + "_value")
                self._assign_inputs[name] = ph
                assigns.append(tf.assign(var, ph))
            self._assign = tf.group(*assigns, name="set_weights")
            init = tf.global_variables_initializer()
        self.graph.finalize()
        self.session = tf.Session(graph=self.graph)
        self.session.run(init)
        if weights is not None:
            self.set_weights(weights)

    # -- weights ---------------------------------------------------------------------------------
    @property
    def variable_names(self) -> list[str]:
        return list(self._variables)

    def get_weights(self) -> dict[str, np.ndarray]:
        with self._lock:
            values = self.session.run(self._variables)
        return dict(values)

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Replace all weights at once; names and shapes must match this architecture."""
        missing = sorted(set(self._variables) - set(weights))
        if missing:
            raise ModelError(f"weights for {self.arch} lack {', '.join(missing)}")
        feed = {}
        for name, ph in self._assign_inputs.items():
            value = np.asarray(weights[name])
            if value.shape != tuple(ph.shape.as_list()):
                raise ModelError(
                    f"weight {name} has shape {value.shape}, {self.arch} needs {tuple(ph.shape.as_list())}"
                )
            feed[ph] = value
        with self._lock:
            self.session.run(self._assign, feed)

    # -- inference -------------------------------------------------------------------------------
    def predict_proba(self, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Class probabilities (N, 10) for images in [0, 1], evaluated in batches."""
        x = as_batch(images)
        out = []
        for start in range(0, len(x), batch_size):
            with self._lock:
                out.append(self.session.run(self._probabilities, {self._images: x[start : start + batch_size]}))
        return np.concatenate(out) if out else np.zeros((0, 10), np.float32)

    def predict(self, images: np.ndarray) -> np.ndarray:
        return self.predict_proba(images).argmax(axis=1)

    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        return float(np.mean(self.predict(images) == np.asarray(labels)))

    def feature_maps(self, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Activations (H, W, C) of every conv and pool layer for one 28x28 image, in order."""
        names = self.endpoints.feature_layers
        tensors = [self.endpoints.layers[n] for n in names]
        with self._lock:
            values = self.session.run(tensors, {self._images: as_batch(image)[:1]})
        return [(n, v[0]) for n, v in zip(names, values)]

    def kernels(self) -> dict[str, np.ndarray]:
        """Kernels by layer: conv (kh, kw, in, out) and dense (in, out), in layer order."""
        with self._lock:
            values = self.session.run(dict(self.endpoints.kernels))
        return {name: values[name] for name in self.endpoints.kernels}

    # -- files -----------------------------------------------------------------------------------
    def save(self, directory, meta: dict | None = None) -> Path:
        """Write ``weights.npz`` and ``model.json`` into ``directory`` (created if needed)."""
        if meta is not None:
            self.meta = dict(meta)
        return save_weights(directory, self.arch, self.get_weights(), self.meta)

    @classmethod
    def load(cls, directory) -> Model:
        arch, weights, meta = load_weights(directory)
        return cls(arch, weights, meta)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Model:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _key(name: str) -> str:
    return name.replace("/", ".")


def _write_atomically(path: Path, write) -> None:
    """``write(binary_file)`` into a temporary file beside ``path``, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a saved model is for sharing
        os.replace(tmp, str(path))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_weights(directory, arch: str, weights: dict[str, np.ndarray], meta: dict) -> Path:
    """Save atomically: a half-written model folder never loads as a model."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create model folder {directory}: {exc.strerror}") from None
    info = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "arch": arch,
        "tensorflow_version": TF_VERSION,
        "convviz_version": __version__,
    }
    info.update({k: v for k, v in meta.items() if k not in info})
    arrays = {_key(k): np.asarray(v, np.float32) for k, v in weights.items()}
    # Weights first: a folder whose model.json is new but whose weights are old cannot arise.
    _write_atomically(directory / WEIGHTS_FILE, lambda f: np.savez(f, **arrays))
    text = json.dumps(info, indent=2, sort_keys=True) + "\n"
    _write_atomically(directory / META_FILE, lambda f: f.write(text.encode("utf-8")))
    log.info("saved %s model to %s", arch, directory)
    return directory


def load_meta(directory) -> dict:
    directory = Path(directory)
    meta_path = directory / META_FILE
    if not directory.is_dir():
        raise ModelError(f"model folder {directory} does not exist")
    if not meta_path.is_file():
        raise ModelError(f"{directory} is not a ConvViz model: {META_FILE} is missing")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise ModelError(f"{meta_path} is not readable JSON ({exc}); save the model again") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("arch") not in ARCHITECTURES:
        raise ModelError(f"{meta_path} is not a ConvViz model description")
    return meta


def load_weights(directory) -> tuple[str, dict[str, np.ndarray], dict]:
    """(arch, weights, meta) from a model folder; ModelError with one line if anything is off."""
    directory = Path(directory)
    meta = load_meta(directory)
    weights_path = directory / WEIGHTS_FILE
    if not weights_path.is_file():
        raise ModelError(f"{directory} lacks {WEIGHTS_FILE}; save or download the model again")
    try:
        with np.load(str(weights_path)) as npz:
            weights = {k.replace(".", "/"): npz[k] for k in npz.files}
    except Exception as exc:  # zipfile, pickle and value errors all mean a damaged file
        raise ModelError(f"{weights_path} is damaged ({type(exc).__name__}); save the model again") from None
    return meta["arch"], weights, meta
