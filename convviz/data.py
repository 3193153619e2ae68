"""MNIST as numpy arrays: find it, read it, batch it.

The app looks for the four MNIST files in, in this order: the folder given with
``--data-dir`` (else ``$CONVVIZ_DATA_DIR``), the folder deep-teaching-commons
downloads to (``~/deep.TEACHING/data/MNIST``, so students who ran the course
notebooks need no second copy), and the app's own cache. Each file's content is
checked as it is read (convviz.mnistfiles); a missing or damaged copy is
downloaded (convviz.download) when the caller allows it.

Imports neither TensorFlow nor Qt; Python 3.7 compatible.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from convviz.constants import IMAGE_SIZE
from convviz.download import ProgressCallback, download_mnist
from convviz.mnistfiles import FIX_FILE, MNIST_FILES, DataError, PathLike, locate, read_file

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)  # eq=False: comparing or hashing arrays field by field makes no sense
class Mnist:
    """MNIST as float32 images in [0, 1] with shape (N, 28, 28, 1) and int64 labels.

    The image arrays are shared by every ``load_mnist`` call for the same folder
    and are read-only (``flags.writeable`` is False): copy them before changing
    them. The label arrays are fresh, writeable copies for each call.
    """

    train_images: np.ndarray  # (60000, 28, 28, 1) float32 in [0, 1], read-only
    train_labels: np.ndarray  # (60000,) int64, writeable copy
    test_images: np.ndarray  # (10000, 28, 28, 1) float32 in [0, 1], read-only
    test_labels: np.ndarray  # (10000,) int64, writeable copy
    source: str  # the folder the files were read from

    def subset(self, train_limit: int | None) -> Mnist:
        """The first ``train_limit`` training images and labels; the test set is unchanged.

        ``None`` (or a limit of at least the training set size) returns ``self``.
        """
        if train_limit is None or train_limit >= len(self.train_labels):
            return self
        if train_limit < 1:
            raise ValueError(f"train_limit must be at least 1, got {train_limit}")
        return Mnist(
            train_images=self.train_images[:train_limit],
            # A copy, so that changing the subset's labels leaves this object's alone.
            train_labels=self.train_labels[:train_limit].copy(),
            test_images=self.test_images,
            test_labels=self.test_labels,
            source=self.source,
        )

    def __repr__(self) -> str:
        return f"Mnist(train={self.train_images.shape[0]}, test={self.test_images.shape[0]}, source={self.source!r})"


# --------------------------------------------------------------------------- where


def dtc_data_dir() -> Path:
    """The folder deep-teaching-commons keeps MNIST in: ``~/deep.TEACHING/data/MNIST``.

    Mirrors ``deep_teaching_commons.config.BASE_DATA_DIR`` + ``"MNIST"`` without
    importing the package (it is optional), and expands ``~`` on each call
    rather than once at import.
    """
    return Path(os.path.expanduser("~/deep.TEACHING/data")) / "MNIST"


def cache_dir() -> Path:
    """The app's own download folder: ``$XDG_CACHE_HOME/convviz/mnist`` or ``~/.cache/convviz/mnist``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says to ignore a relative XDG_CACHE_HOME.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path(os.path.expanduser("~")) / ".cache"
    return base / "convviz" / "mnist"


def candidate_dirs(data_dir: PathLike | None = None) -> list[Path]:
    """The folders searched for MNIST, in order, without duplicates.

    ``data_dir`` if given, else ``$CONVVIZ_DATA_DIR`` if set; then
    :func:`dtc_data_dir`; then :func:`cache_dir`.
    """
    first = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    dirs = [] if first is None else [Path(os.path.expanduser(str(first)))]
    dirs += [dtc_data_dir(), cache_dir()]
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def find_mnist(data_dir: PathLike | None = None) -> Path | None:
    """The first of :func:`candidate_dirs` that holds all four MNIST files, else None.

    Only checks that the files exist; reading them (:func:`load_mnist`,
    :func:`verify_mnist_dir`) checks their content.
    """
    configured = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    for directory in candidate_dirs(data_dir):
        if all(path is not None for path in locate(directory).values()):
            if configured is not None and directory != candidate_dirs(data_dir)[0]:
                logger.warning("no MNIST in %s; using the copy in %s", configured, directory)
            return directory
    return None


def _missing_message(directory: Path, files: dict[str, Path | None]) -> str:
    missing = [MNIST_FILES[key] for key, path in files.items() if path is None]
    return f"{directory} lacks {', '.join(missing)}"


def _signature(directory: Path) -> tuple:
    """What identifies the folder's current files: the cache key, so a replaced file is read again."""
    files = locate(directory)
    if any(path is None for path in files.values()):
        raise DataError(f"MNIST not complete: {_missing_message(directory, files)}; {FIX_FILE}", directory)
    stats = []
    for path in files.values():
        try:
            st = path.stat()  # type: ignore[union-attr]
        except OSError as err:
            raise DataError(f"cannot read MNIST file {path}: {err.strerror or err}; {FIX_FILE}", path) from err
        stats.append((str(path), st.st_ino, st.st_size, st.st_mtime_ns))
    return (str(directory.resolve()), tuple(stats))


# Two entries: the real MNIST plus one other folder (tests, a second --data-dir);
# each holds ~220 MB of float32 images.
@functools.lru_cache(maxsize=2)
def _load_cached(signature: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    source, stats = signature
    arrays = {}
    for key, (path, *_) in zip(MNIST_FILES, stats):
        content = read_file(Path(path), MNIST_FILES[key])
        if key.endswith("images"):
            pixels = np.frombuffer(content, dtype=np.uint8, offset=16)
            images = pixels.reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1).astype(np.float32)
            images /= 255  # in place: one 190 MB float32 array, not two
            arrays[key] = images
        else:
            arrays[key] = np.frombuffer(content, dtype=np.uint8, offset=8).astype(np.int64)
    for prefix in ("train", "test"):
        n_images, n_labels = len(arrays[prefix + "_images"]), len(arrays[prefix + "_labels"])
        if n_images != n_labels:
            raise DataError(
                f"MNIST in {source} has {n_images} {prefix} images but {n_labels} labels; {FIX_FILE}", source
            )
    for array in arrays.values():
        array.setflags(write=False)  # shared by every caller: nobody may change them
    logger.info("read MNIST from %s", source)
    return arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"]


def _load_dir(directory: Path) -> Mnist:
    train_images, train_labels, test_images, test_labels = _load_cached(_signature(directory))
    return Mnist(
        train_images=train_images,
        train_labels=train_labels.copy(),
        test_images=test_images,
        test_labels=test_labels.copy(),
        source=str(directory),
    )


def verify_mnist_dir(path: PathLike) -> None:
    """Raise DataError unless ``path`` holds all four MNIST files with the right content.

    Reads the files completely (and keeps the result for :func:`load_mnist`).
    """
    _load_dir(Path(os.path.expanduser(str(path))))


def load_mnist(
    data_dir: PathLike | None = None,
    download: bool = False,
    progress: ProgressCallback | None = None,
) -> Mnist:
    """Find, verify and read MNIST; download it first if allowed and needed.

    Parameters
    ----------
    data_dir
        Folder searched first (see :func:`candidate_dirs`); a download goes
        here when it is given, else into ``$CONVVIZ_DATA_DIR`` when that is
        set, else into :func:`cache_dir`. A configured folder that is a file
        is an error, not a reason to download elsewhere.
    download
        Download the files when no folder holds all four, or when the found
        folder's files are damaged (they are replaced atomically).
    progress
        Passed to :func:`download_mnist`.

    Returns a :class:`Mnist`; a second call for the same unchanged folder
    returns the same (read-only) image arrays without reading the files again.

    Raises
    ------
    DataError
        MNIST not found (and ``download`` False), damaged, or not downloadable.
    """
    found = find_mnist(data_dir)
    if found is not None:
        try:
            return _load_dir(found)
        except DataError as err:
            if not download:
                raise
            logger.warning("%s; downloading a fresh copy", err)
            try:
                download_mnist(found, progress=progress)
            except DataError as download_err:
                # The damaged file is the news; a read-only folder or no network only explains why it stays.
                raise DataError(f"{err} (downloading a fresh copy failed: {download_err})", err.path) from download_err
            return _load_dir(found)
    configured = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    target = Path(os.path.expanduser(str(configured))) if configured is not None else cache_dir()
    if target.exists() and not target.is_dir():
        source = "" if data_dir is not None else " (CONVVIZ_DATA_DIR)"
        raise DataError(
            f"the MNIST folder {target}{source} is a file, not a folder; point it at the folder that holds "
            "(or is to hold) the four MNIST files",
            target,
        )
    if download:
        return _load_dir(download_mnist(target, progress=progress))
    looked = []
    for directory in candidate_dirs(data_dir):
        files = locate(directory)
        if any(path is not None for path in files.values()):
            looked.append(_missing_message(directory, files))
        else:
            looked.append(str(directory))
    raise DataError(
        f"MNIST not found (looked in {'; '.join(looked)}); pass --data-dir with a folder holding the four "
        f"MNIST files ({', '.join(MNIST_FILES.values())}), set CONVVIZ_DATA_DIR, or allow the download",
        target,
    )


# --------------------------------------------------------------------------- batches


def batches_per_epoch(n: int, batch_size: int) -> int:
    """How many batches :func:`minibatches` yields for ``n`` samples (the last may be smaller)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    return -(-n // batch_size)


def minibatches(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    rng: np.random.RandomState,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of shuffled minibatches, the course's numpy strategy done right.

    Draws one fresh permutation per call, then yields every batch, the last
    one smaller when ``batch_size`` does not divide the sample count, so each
    sample is seen exactly once per epoch. Each batch is fancy-indexed only
    when it is asked for: a fresh writeable copy, and no shuffled copy of the
    whole data set.
    """
    n = len(images)
    if len(labels) != n:
        raise ValueError(f"{n} images but {len(labels)} labels")
    batches_per_epoch(n, batch_size)  # validates batch_size
    # Drawn now, not at the first next(): the epoch's order depends only on the
    # rng's state at the call.
    order = rng.permutation(n)
    return _batches(images, labels, order, batch_size)


def _batches(
    images: np.ndarray, labels: np.ndarray, order: np.ndarray, batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        yield images[index], labels[index]
