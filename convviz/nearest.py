"""The MNIST training digits nearest to a drawing, and each class's average digit.

A network knows only the data it was shown. :class:`NearestIndex` makes that
visible: it finds the training images closest to the 28x28 input the network
gets (Euclidean distance on the same [0, 1] pixels), across all classes or
within one, and averages each class's training digits. A crossed 7 whose
nearest 7s are all plain ones, far away, says why the network reads a 2.

The distances come from one matrix-vector product over the training set,
``||X_i - x||^2 = ||X_i||^2 - 2 X_i.x + ||x||^2`` with the ``||X_i||^2``
computed once, in row chunks so that no temporary is larger than
:data:`CHUNK_ROWS` images; the best candidates are then measured again
directly, so the distances returned are exact (a training digit's distance to
itself is 0) and their order is that of the exact distances.

Numpy only: the GUI computes it in a thread of its own (:mod:`convviz.gui.panels.shift`).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConvVizError

K = 8  # neighbours the Nearest digits panel shows in each row

PIXELS = IMAGE_SIZE * IMAGE_SIZE
CHUNK_ROWS = 8192  # images per chunk of the products: a float32 copy of one chunk is 25 MB at most
MAX_K = 100  # neighbours one query may ask for
MAX_IMAGES = 1_000_000  # training images an index may hold (MNIST has 60,000)
REFINE_EXTRA = 32  # candidates measured again directly beyond the k asked for (rounding can swap close ones)


class NearestError(ConvVizError, ValueError):
    """A query or a training set the index cannot take; one line for the user."""


class Neighbours(NamedTuple):
    """The nearest training digits, nearest first: their ``indices`` into the training set,
    their ``labels`` and their Euclidean ``distances`` to the query (float64)."""

    indices: np.ndarray
    labels: np.ndarray
    distances: np.ndarray


def as_query(image) -> np.ndarray:
    """A 28x28 image ((28, 28), (28, 28, 1), (1, 28, 28, 1) or (784,) values) as float64 (784,)."""
    try:
        array = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        raise NearestError("the image is not an array of numbers") from None
    squeezed = array.reshape([n for n in array.shape if n != 1]) if array.size == PIXELS else array
    if squeezed.shape not in ((IMAGE_SIZE, IMAGE_SIZE), (PIXELS,)):
        raise NearestError(f"the image must be {IMAGE_SIZE}x{IMAGE_SIZE}, got shape {tuple(array.shape)}")
    if not np.isfinite(squeezed).all():
        raise NearestError("the image holds NaN or infinite values")
    return squeezed.reshape(PIXELS)


class NearestIndex:
    """Nearest-neighbour search over training images, and the class means.

    Parameters
    ----------
    images
        (N, 28, 28), (N, 28, 28, 1) or (N, 784) pixels, float in [0, 1] as the network sees them
        (MNIST's ``train_images``); not copied when it is float32 and C-contiguous.
    labels
        (N,) integers 0-9.

    The squared norms are computed on the first query (or by :meth:`prepare`), the class means
    on the first call of :meth:`class_means`; both are kept. Thread-safe.
    """

    def __init__(self, images, labels):
        images = np.asarray(images)
        labels = np.asarray(labels)
        n = images.shape[0] if images.ndim else 0
        if not 1 <= n <= MAX_IMAGES:
            raise NearestError(f"an index holds 1 to {MAX_IMAGES:,} images, got {n:,}")
        if not np.issubdtype(images.dtype, np.floating):
            raise NearestError(f"training images must be floats in [0, 1], got {images.dtype}")
        if images.size != n * PIXELS:
            raise NearestError(f"training images must be {IMAGE_SIZE}x{IMAGE_SIZE}, got shape {tuple(images.shape)}")
        if labels.shape != (n,):
            raise NearestError(f"{n:,} images need {n:,} labels, got shape {tuple(labels.shape)}")
        if not np.issubdtype(labels.dtype, np.integer) or (n and (labels.min() < 0 or labels.max() >= NUM_CLASSES)):
            raise NearestError(f"labels must be integers from 0 to {NUM_CLASSES - 1}")
        self._images = images.reshape(n, PIXELS)  # a view for MNIST's contiguous float32 arrays
        self._labels = labels.astype(np.int64, copy=False)
        self._lock = threading.Lock()
        self._norms: np.ndarray | None = None  # (N,) float64 squared norms
        self._means: np.ndarray | None = None  # (10, 28, 28) float32

    def __len__(self) -> int:
        return self._images.shape[0]

    @property
    def labels(self) -> np.ndarray:
        return self._labels

    def image(self, index: int) -> np.ndarray:
        """Training image ``index`` as (28, 28) float32."""
        return np.asarray(self._images[int(index)], np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)

    def images(self, indices) -> np.ndarray:
        """Training images ``indices`` as (k, 28, 28) float32."""
        picked = self._images[np.asarray(indices, np.int64)]
        return np.asarray(picked, np.float32).reshape(-1, IMAGE_SIZE, IMAGE_SIZE)

    def prepare(self) -> None:
        """Compute the training images' squared norms now (about 50 ms for MNIST) rather than on the first query."""
        self._squared_norms()

    def _chunks(self):
        for start in range(0, len(self), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(self))
            yield start, stop, np.asarray(self._images[start:stop], np.float32)

    def _squared_norms(self) -> np.ndarray:
        with self._lock:
            if self._norms is None:
                norms = np.empty(len(self), np.float64)
                for start, stop, chunk in self._chunks():
                    norms[start:stop] = np.einsum("ij,ij->i", chunk, chunk, dtype=np.float64)
                self._norms = norms
            return self._norms

    def squared_distances(self, image) -> np.ndarray:
        """(N,) squared Euclidean distances from ``image`` to every training image, by the fast formula.

        Exact up to float32 rounding of the products (about 1e-4 for MNIST's values); :meth:`nearest`
        measures its answers again directly.
        """
        x = as_query(image)
        x32 = x.astype(np.float32)
        dots = np.empty(len(self), np.float64)
        for start, stop, chunk in self._chunks():
            dots[start:stop] = chunk @ x32
        squared = self._squared_norms() - 2.0 * dots + float(x @ x)
        return np.maximum(squared, 0.0, out=squared)

    def nearest(self, image, k: int = 8, label: int | None = None) -> Neighbours:
        """The ``k`` training images nearest to ``image`` (28x28, [0, 1]), nearest first; only class ``label`` if given.

        Fewer than ``k`` when the class has fewer images. Ties keep the training set's order.
        """
        return self.nearest_from(image, self.squared_distances(image), k, label)

    def nearest_from(self, image, squared: np.ndarray, k: int = 8, label: int | None = None) -> Neighbours:
        """:meth:`nearest`, given ``squared`` = :meth:`squared_distances` of ``image`` (to ask for several classes)."""
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_K:
            raise NearestError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
        squared = np.asarray(squared, np.float64)
        if squared.shape != (len(self),):
            raise NearestError(f"{len(self):,} squared distances expected, got shape {squared.shape}")
        if label is None:
            pool = np.arange(len(self))
        else:
            if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < NUM_CLASSES:
                raise NearestError(f"a class is a digit from 0 to {NUM_CLASSES - 1}, got {label!r}")
            pool = np.flatnonzero(self._labels == int(label))
        if pool.size == 0:
            empty = np.zeros(0, np.int64)
            return Neighbours(empty, empty.copy(), np.zeros(0, np.float64))
        wanted = min(int(k) + REFINE_EXTRA, pool.size)
        scores = squared[pool]
        candidates = pool[np.argpartition(scores, wanted - 1)[:wanted]] if wanted < pool.size else pool
        x = as_query(image)
        exact = np.empty(candidates.size, np.float64)
        for i in range(0, candidates.size, CHUNK_ROWS):
            part = np.asarray(self._images[candidates[i : i + CHUNK_ROWS]], np.float64) - x
            exact[i : i + CHUNK_ROWS] = np.einsum("ij,ij->i", part, part)
        order = np.lexsort((candidates, exact))[: min(int(k), candidates.size)]
        chosen = candidates[order]
        return Neighbours(chosen.astype(np.int64), self._labels[chosen], np.sqrt(exact[order]))

    def class_means(self) -> np.ndarray:
        """(10, 28, 28) float32: the average training image of each class (zeros for a class with none)."""
        with self._lock:
            if self._means is None:
                sums = np.zeros((NUM_CLASSES, PIXELS), np.float64)
                for start, stop, chunk in self._chunks():
                    onehot = np.zeros((NUM_CLASSES, stop - start), np.float64)
                    onehot[self._labels[start:stop], np.arange(stop - start)] = 1.0
                    sums += onehot @ chunk.astype(np.float64)
                counts = np.bincount(self._labels, minlength=NUM_CLASSES).astype(np.float64)
                means = sums / np.maximum(counts, 1.0)[:, None]
                self._means = means.astype(np.float32).reshape(NUM_CLASSES, IMAGE_SIZE, IMAGE_SIZE)
                self._means.setflags(write=False)
            return self._means

    def class_counts(self) -> np.ndarray:
        """(10,) how many training images each class has."""
        return np.bincount(self._labels, minlength=NUM_CLASSES)
