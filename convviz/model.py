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

import errno
import functools
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np

from convviz import __version__, safejson
from convviz.architectures import inference, input_placeholder
from convviz.atomicfile import special_kind
from convviz.constants import IMAGE_SIZE
from convviz.errors import ConfigError, ConvVizError
from convviz.netspec import arch_name
from convviz.pretrained import META_FILE, WEIGHTS_FILE
from convviz.safefile import UnsafeFileError, open_regular
from convviz.tf1 import TF_VERSION, tf

log = logging.getLogger(__name__)

FORMAT = "convviz-model"
FORMAT_VERSION = 1


class ModelError(ConvVizError, ValueError):
    """A model folder is missing, incomplete or does not fit; one line for the user."""


class WrongThreadError(RuntimeError):
    """A model was called from a thread other than the one that created it (a bug, not the user's)."""


def owned(method):
    """Make ``method`` refuse (WrongThreadError) unless called in the thread that created the model.

    A Graph and its Session belong to the thread that made them: a second thread using
    them is a mistake that would otherwise show as a rare hang, not as an error in a test.
    """

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        if threading.current_thread() is not self._owner:
            self._refuse(method.__name__)
        return method(self, *args, **kwargs)

    return checked


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
    """Inference graph of one architecture; weights come from a trainer or a folder.

    A model belongs to the thread that created it: every public method called from
    another thread raises :class:`WrongThreadError` (:func:`owned`). Threads that need
    its answers ask that thread (numpy in, numpy out), e.g. the window's
    ``convviz.gui.jobs.inference.InferenceService``.
    """

    def __init__(
        self,
        arch: str,
        weights: dict[str, np.ndarray] | None = None,
        meta: dict | None = None,
        *,
        inline: bool = False,
    ):
        """``inline``: run every op in the calling thread, one thread per op. For one digit at a time
        beside a training run: otherwise a digit's ops queue behind the training step's in
        TensorFlow's thread pools (p99 50-150 ms instead of 2-12 ms on two busy cores). The intra-op
        pool is the session's own (convviz.tf1 sets TF_OVERRIDE_GLOBAL_THREADPOOL), so the training
        run keeps its threads."""
        if not isinstance(arch, str):  # the name is what model.json keeps
            raise ModelError(f"the architecture must be a name or a spec string, got {type(arch).__name__}")
        try:
            arch = arch_name(arch)  # a built-in's name, or a spec string in its canonical spelling
        except ConfigError as exc:
            raise ModelError(str(exc)) from None
        self.arch = arch
        self.meta: dict = dict(meta or {})
        self._owner = threading.current_thread()  # the only thread that may use the graph and session
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
            self._build_extras()
            init = tf.global_variables_initializer()
        self.graph.finalize()
        config = None
        if inline:  # a negative inter-op count runs the ops in the caller's thread
            config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=-1)
        self.session = tf.Session(graph=self.graph, config=config)
        self.session.run(init)
        if weights is not None:
            self.set_weights(weights)

    def _build_extras(self) -> None:
        """Add ops to the graph before it is finalized; a subclass's hook (convviz.explain's gradients)."""

    # -- weights ---------------------------------------------------------------------------------
    @property
    def variable_names(self) -> list[str]:
        return list(self._variables)

    @owned
    def get_weights(self) -> dict[str, np.ndarray]:
        return dict(self.session.run(self._variables))

    @owned
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
        self.session.run(self._assign, feed)

    # -- inference -------------------------------------------------------------------------------
    @owned
    def predict_proba(self, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Class probabilities (N, 10) for images in [0, 1], evaluated in batches."""
        x = as_batch(images)
        out = []
        for start in range(0, len(x), batch_size):
            out.append(self.session.run(self._probabilities, {self._images: x[start : start + batch_size]}))
        probabilities = np.concatenate(out) if out else np.zeros((0, 10), np.float32)
        if not np.isfinite(probabilities).all():
            # NaN in, NaN out: a wrong answer that looks like an answer (and is not valid JSON).
            raise ModelError(f"the {self.arch} model's outputs are not finite numbers: its weights are broken")
        return probabilities

    @owned
    def predict(self, images: np.ndarray) -> np.ndarray:
        return self.predict_proba(images).argmax(axis=1)

    @owned
    def accuracy(self, images: np.ndarray, labels: np.ndarray) -> float:
        return float(np.mean(self.predict(images) == np.asarray(labels)))

    @owned
    def feature_maps(self, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Activations (H, W, C) of every conv and pool layer for one 28x28 image, in order."""
        return self._one_image(image, self.endpoints.feature_layers)[0]

    @owned
    def probe(self, image: np.ndarray) -> tuple[list[tuple[str, np.ndarray]], np.ndarray]:
        """:meth:`feature_maps` and the class probabilities (10,) of one 28x28 image, in one run."""
        maps, (probabilities,) = self._one_image(image, self.endpoints.feature_layers, [self._probabilities])
        return maps, probabilities

    @owned
    def activations(self, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
        """Every layer's activation for one 28x28 image, in order, in one run.

        Conv and pool layers give (H, W, C), dense layers (units,) after their ReLU, and
        the last layer its logits (10,), before the softmax.
        """
        return self._one_image(image, list(self.endpoints.layers))[0]

    def _one_image(self, image: np.ndarray, names: list, extra: list = ()) -> tuple[list, list]:
        """Layers ``names`` of one 28x28 image as (name, value) pairs, and ``extra`` tensors' values, in one run."""
        tensors = [self.endpoints.layers[n] for n in names] + list(extra)
        values = [v[0] for v in self.session.run(tensors, {self._images: as_batch(image)[:1]})]
        return list(zip(names, values[: len(names)])), values[len(names) :]

    @owned
    def kernels(self) -> dict[str, np.ndarray]:
        """Kernels by layer: conv (kh, kw, in, out) and dense (in, out), in layer order."""
        values = self.session.run(dict(self.endpoints.kernels))
        return {name: values[name] for name in self.endpoints.kernels}

    # -- files -----------------------------------------------------------------------------------
    @owned
    def save(self, directory, meta: dict | None = None, run_started: float | None = None) -> Path:
        """Write the model folder ``directory`` as a whole (see :func:`save_weights`)."""
        if meta is not None:
            self.meta = dict(meta)
        return save_weights(directory, self.arch, self.get_weights(), self.meta, run_started=run_started)

    @classmethod
    def load(cls, directory) -> Model:
        arch, weights, meta = load_weights(directory)
        return cls(arch, weights, meta)

    @property
    def owner(self) -> threading.Thread:
        """The thread that created the model: the only one that may call it."""
        return self._owner

    def _refuse(self, what: str) -> None:
        raise WrongThreadError(
            f"the {self.arch} model belongs to thread {self._owner.name!r}, which created it; "
            f"thread {threading.current_thread().name!r} may not call its {what}(): ask the owner thread"
        )

    def close(self) -> None:
        """Close the session: in the owner thread, or in any thread once the owner has ended (nobody else can)."""
        if threading.current_thread() is not self._owner and self._owner.is_alive():
            self._refuse("close")
        self.session.close()

    def __enter__(self) -> Model:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _key(name: str) -> str:
    return name.replace("/", ".")


# -- saving ------------------------------------------------------------------------------------------
# A model folder is written whole: into a temporary sibling folder, which is then swapped
# in, so that a reader (the window, `evaluate`, a second save) sees the old model or the
# new one, never new weights beside an old description, and a failure (a full disk, a
# crash) leaves the old model as it was.

RUN_LOG_FILE = "train.log"  # assets/models/train.sh tees the CLI's output into the model folder
_TEMP_PREFIX = ".convviz-"  # temporary sibling folders: .convviz-<name>-XXXX.saving / .probe
_OLD_TEMP_SUFFIX = ".tmp"  # the per-file temporaries of earlier versions; never carried over


def check_save_target(directory) -> Path:
    """Raise ModelError (one line naming the path) unless a model can be saved at ``directory``.

    Cheap, and done before training by the CLI, so a run is not lost to a typo:
    the target must be a folder or not exist yet; the nearest existing folder
    above it must take new folders (tried, not guessed from permission bits);
    an existing folder must be a model folder or empty (a save replaces the
    folder as a whole) and must not hold the current working folder.
    Returns the target as an absolute path, symbolic links resolved.
    """
    # realpath: a link to a model folder stays a link; the folder it points to is replaced.
    target = Path(os.path.realpath(os.path.expanduser(str(directory))))
    prefix = f"cannot save the model to {directory}"
    if target.exists() and not target.is_dir():
        kind = special_kind(target) or "a file"
        raise ModelError(f"{prefix}: it is {kind}, not a folder")
    if target == target.parent:
        raise ModelError(f"{prefix}: name a folder for the model, not the root of the file system")
    cwd = Path(os.getcwd())
    if target == cwd or target in cwd.parents:
        raise ModelError(f"{prefix}: it holds the current folder; name a folder for the model")
    if target.is_dir():
        names = set(os.listdir(str(target)))
        if names and not names & {WEIGHTS_FILE, META_FILE, RUN_LOG_FILE}:
            raise ModelError(
                f"{prefix}: the folder exists and is not a ConvViz model; name a new or empty folder, or a model's"
            )
    existing = target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ModelError(f"{prefix}: {existing} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=_TEMP_PREFIX, suffix=".probe", dir=str(existing)))
    except OSError as exc:
        raise ModelError(f"{prefix}: {existing} does not take new folders ({exc.strerror or exc})") from None
    return target


def save_weights(
    directory, arch: str, weights: dict[str, np.ndarray], meta: dict, run_started: float | None = None
) -> Path:
    """Save a model folder (``weights.npz`` and ``model.json``) as a whole; return its path.

    An existing folder is replaced at once (see :func:`check_save_target`); the
    files in it that are not the model's are carried over (hard links, so a log
    still being written keeps going into the new folder). ``train.log``, the
    record of the run that made the weights, is carried over only when it was
    written after ``run_started`` (a ``time.time()``), i.e. by the run being
    saved; an older one describes the old weights and is dropped.

    Raises ModelError with one line naming ``directory`` on any failure (a full
    disk, a read-only folder); the old model, if any, is then left as it was.
    """
    target = check_save_target(directory)
    arrays = {_key(k): np.asarray(v, np.float32) for k, v in weights.items()}
    broken = sorted(k for k, v in weights.items() if not np.isfinite(np.asarray(v, np.float32)).all())
    if broken:
        raise ModelError(f"cannot save the model to {directory}: {', '.join(broken)} hold NaN or infinite values")
    info = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "arch": arch,
        "tensorflow_version": TF_VERSION,
        "convviz_version": __version__,
    }
    info.update({k: v for k, v in meta.items() if k not in info})
    try:
        text = json.dumps(info, indent=2, sort_keys=True, allow_nan=False) + "\n"
    except ValueError as exc:  # NaN in the metadata: it could not be read back
        raise ModelError(f"cannot save the model to {directory}: its description {exc}") from None
    staging = None
    created = [d for d in target.parents if not d.exists()]  # deepest first; removed again on failure
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _temp_sibling(target, ".saving")
        _write_file(staging / WEIGHTS_FILE, lambda f: _write_npz(f, arrays))
        _write_file(staging / META_FILE, lambda f: f.write(text.encode("utf-8")))
        if target.is_dir():
            _carry_over(target, staging, run_started)
            os.chmod(str(staging), target.stat().st_mode & 0o7777)
        else:
            os.chmod(str(staging), 0o755)  # mkdtemp makes 0700; a saved model is for sharing
        _fsync(staging)
        if os.path.lexists(str(target)) and not target.is_dir():  # made while we wrote: never swapped out
            raise OSError(errno.EEXIST, f"it is {special_kind(target) or 'a file'}, not a folder")
        _swap_in(staging, target)  # from here on, staging holds the old folder (or nothing)
        _fsync(target.parent)
    except (OSError, ValueError, RuntimeError) as exc:  # zipfile turns a full disk into more than OSError
        if staging is not None:
            shutil.rmtree(str(staging), ignore_errors=True)
            staging = None
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                break
        raise ModelError(f"cannot save the model to {directory}: {_reason(exc)}") from None
    finally:
        if staging is not None:
            shutil.rmtree(str(staging), ignore_errors=True)
    log.info("saved %s model to %s", arch, directory)
    return Path(directory)


def _reason(exc: BaseException) -> str:
    """The OS's words for what went wrong, without the temporary file's name."""
    seen = exc
    while seen is not None:  # zipfile may raise its own error while handling the OSError
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__context__
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _temp_sibling(target: Path, suffix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{target.name}-", suffix=suffix, dir=str(target.parent)))


def _write_npz(f, arrays: dict[str, np.ndarray]) -> None:
    """What ``np.savez`` writes, but with the archive closed on failure too: numpy leaves it to
    the garbage collector, which then prints a ZipFile traceback after a full disk."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, value in arrays.items():
            with archive.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, value, allow_pickle=False)


def _write_file(path: Path, write) -> None:
    with open(str(path), "xb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())


def _fsync(folder: Path) -> None:
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


def _carry_over(old: Path, new: Path, run_started) -> None:
    """Hard-link (else copy) the old folder's files that are not the model's into the new one."""
    for entry in os.scandir(str(old)):
        name = entry.name
        if name in (WEIGHTS_FILE, META_FILE):
            continue
        if name.startswith(".") and name.endswith(_OLD_TEMP_SUFFIX) and name[1:].startswith((WEIGHTS_FILE, META_FILE)):
            continue  # an earlier version's leftover temporary
        if name == RUN_LOG_FILE and (run_started is None or entry.stat().st_mtime < run_started):
            continue  # the old run's log: it would describe weights that are gone
        source, dest = os.path.join(str(old), name), os.path.join(str(new), name)
        if entry.is_symlink():
            os.symlink(os.readlink(source), dest)
        elif entry.is_dir():
            shutil.copytree(source, dest, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, dest)


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:
        if special_kind(source) is not None:  # a FIFO or device: copying would read it, maybe forever
            log.warning("not carried over to the new model folder: %s is not a regular file", source)
            return
        shutil.copy2(source, dest)


def _swap_in(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``; afterwards ``new`` holds the old folder, or does not exist."""
    if not target.exists():
        os.rename(str(new), str(target))
        return
    if _exchange(new, target):
        return
    # No atomic exchange here: two renames, with the old folder put back if the second fails.
    aside = _temp_sibling(target, ".old")
    os.rename(str(target), str(aside / "old"))
    try:
        os.rename(str(new), str(target))
    except OSError:
        os.rename(str(aside / "old"), str(target))
        os.rmdir(str(aside))
        raise
    os.rename(str(aside / "old"), str(new))
    os.rmdir(str(aside))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2  # <fcntl.h>, <linux/fs.h>
    if renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system or kernel without it
        return False
    raise OSError(err, os.strerror(err), str(b))


# -- loading -----------------------------------------------------------------------------------------
MAX_META_BYTES = 1 << 20  # model.json is about 1 KB; anything past 1 MiB is not ours and is not parsed
MAX_META_DEPTH = 16  # our model.json nests 2 deep; json's parser would recurse until RecursionError
MAX_NPY_HEADER = 64 * 1024  # an array's header in weights.npz is ~128 bytes; numpy writes at most 64 KiB


def load_meta(directory) -> dict:
    directory = Path(directory)
    meta_path = directory / META_FILE
    if not directory.is_dir():
        raise ModelError(f"model folder {directory} does not exist")
    if not meta_path.exists():
        raise ModelError(f"{directory} is not a ConvViz model: {META_FILE} is missing")
    try:
        with open_regular(meta_path) as f:  # a FIFO or device is refused before it can block
            raw = f.read(MAX_META_BYTES + 1)
    except UnsafeFileError as exc:
        raise ModelError(f"{exc}: not a ConvViz model description") from None
    except OSError as exc:
        raise ModelError(f"cannot read {meta_path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_META_BYTES:
        raise ModelError(f"{meta_path} is larger than {MAX_META_BYTES} bytes: not a ConvViz model description")
    try:
        meta = safejson.loads(raw, MAX_META_BYTES, MAX_META_DEPTH)  # NaN and Infinity are not JSON
    except safejson.JSONLimitError as exc:
        raise ModelError(f"{meta_path} is not readable JSON ({exc}); save the model again") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or not isinstance(meta.get("arch"), str):
        raise ModelError(f"{meta_path} is not a ConvViz model description")
    if not meta["arch"].isprintable():  # a newline would split the one line an error is
        raise ModelError(f"{meta_path}: the architecture holds a control character; save the model again")
    try:
        arch_name(meta["arch"])  # a built-in's name or a spec string (bounded and checked there)
    except ConfigError as exc:
        raise ModelError(f"{meta_path}: {exc}") from None
    return meta


@functools.lru_cache(maxsize=64)  # spec strings are user input: bounded
def expected_shapes(arch: str) -> dict[str, tuple[int, ...]]:
    """Variable name -> shape of ``arch``'s weights, from its graph (built once, never run)."""
    with tf.Graph().as_default():
        inference(arch, input_placeholder())
        return {v.op.name: tuple(v.shape.as_list()) for v in tf.global_variables()}


def load_weights(directory) -> tuple[str, dict[str, np.ndarray], dict]:
    """(arch, weights, meta) from a model folder; ModelError with one line if anything is off.

    Reads only the arrays the architecture needs (others in ``weights.npz`` are
    ignored, unread), checks each array's shape from its header before reading
    its data, and refuses NaN or infinite weights.
    """
    directory = Path(directory)
    meta = load_meta(directory)
    arch = meta["arch"]
    weights_path = directory / WEIGHTS_FILE
    if not weights_path.exists():
        raise ModelError(f"{directory} lacks {WEIGHTS_FILE}; save or download the model again")
    shapes = expected_shapes(arch)
    try:
        weights_file = open_regular(weights_path)  # a FIFO or device is refused before it can block
    except UnsafeFileError as exc:
        raise ModelError(f"{exc}; save or download the model again") from None
    except OSError as exc:
        raise ModelError(f"cannot read {weights_path}: {exc.strerror or exc}") from None
    try:
        with weights_file, zipfile.ZipFile(weights_file) as archive:
            members = {info.filename: info for info in archive.infolist()}
            missing = [name for name in shapes if _key(name) + ".npy" not in members]
            if missing:
                raise ModelError(f"{weights_path} lacks the {arch} weights {', '.join(missing)}; save the model again")
            weights = {
                name: _read_array(archive, members[_key(name) + ".npy"], name, shape, weights_path, arch)
                for name, shape in shapes.items()
            }
    except ModelError:
        raise
    except Exception as exc:  # zipfile, zlib, npy header and value errors all mean a damaged file
        raise ModelError(f"{weights_path} is damaged ({type(exc).__name__}); save the model again") from None
    broken = [name for name, value in weights.items() if not np.isfinite(value).all()]
    if broken:
        raise ModelError(
            f"{weights_path}: {', '.join(broken)} hold NaN or infinite values; the model is broken, train it again"
        )
    return arch, weights, meta


def _read_array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, shape, path: Path, arch: str) -> np.ndarray:
    """One float array of ``shape`` from ``archive``, its size checked before its data is read."""
    count = int(np.prod(shape))
    if info.file_size > MAX_NPY_HEADER + count * 8:  # float64 at most
        raise ModelError(
            f"{path}: {name} takes {info.file_size} bytes, more than {arch}'s {shape} weights can; save the model again"
        )
    with archive.open(info) as f:  # zipfile stops at the member's stated size, however it inflates
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            stored_shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            stored_shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"npy format {version}")
        if tuple(stored_shape) != tuple(shape):
            raise ModelError(f"{path}: weight {name} has shape {tuple(stored_shape)}, {arch} needs {tuple(shape)}")
        if dtype.kind != "f":
            raise ModelError(f"{path}: weight {name} holds {dtype}, not floating-point numbers; save the model again")
        data = f.read(count * dtype.itemsize)
    if len(data) != count * dtype.itemsize:
        raise ValueError("truncated array")
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")
    return array.astype(np.float32)
