"""How the layers transform the data: each layer's activations of fixed test digits as a 2-D map.

For the input pixels and every layer with an activation (conv, pool, dense,
logits) the activations of about 2,000 test digits (the same ones every time:
:func:`stratified_sample`) are reduced to two dimensions, by PCA (numpy: a
randomised SVD of the centred matrix, fast enough for every training snapshot,
see bench/embedding_speed.py) or, on request, by t-SNE (scikit-learn). Each
map gets a separation number: the leave-one-out accuracy of a 5-nearest-neighbour
vote in the 2-D map (:func:`knn_accuracy`); it rises with depth and training.

A conv or pool layer's maps are averaged over small square patches until a
digit's activations take at most :data:`MAX_FEATURES` numbers (:func:`reduce_maps`):
the cnn's conv1 maps of 2,000 digits would otherwise take 400 MB.

No TensorFlow here: the activations come from a :class:`convviz.layerprobe.LayerProbe`
(or anything with ``batched_activations``); this module is numpy.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from convviz.constants import NUM_CLASSES
from convviz.errors import ConvVizError

SAMPLE_SIZE = 2000  # digits in every map: enough for ten clouds, few enough for 2-D k-NN and t-SNE
MAX_SAMPLE_SIZE = 10000  # the whole test set at most
SAMPLE_SEED = 0  # the same digits every time, so that maps of two snapshots compare point by point
KNN_K = 5
MAX_FEATURES = 2048  # numbers per digit and layer that a map works from (the conv maps are averaged down to it)
PCA_OVERSAMPLE = 8  # randomised SVD: extra directions and power iterations for two accurate components
PCA_POWER_STEPS = 2
PCA_WARM_EXTRA = 2  # ... and from the last snapshot's two directions: two more suffice
TSNE_DIMENSIONS = 50  # t-SNE starts from this many principal components (the usual practice; and faster)
TSNE_PERPLEXITY = 30.0
METHODS = ("pca", "tsne")
INPUT_LAYER = "input"
# One colour per digit (matplotlib's tab10: told apart also by most colour-blind viewers), as (r, g, b).
LABEL_COLOURS = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)
PNG_TILE = 260  # pixels per layer's map in embedding_png


class EmbeddingError(ConvVizError, ValueError):
    """A map cannot be made (an unknown layer, no t-SNE on this installation); one line for the user."""


def tsne_available() -> bool:
    """Whether scikit-learn (and so t-SNE) is installed here."""
    try:
        import sklearn.manifold  # noqa: F401
    except ImportError:
        return False
    return True


def stratified_sample(labels: np.ndarray, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> np.ndarray:
    """Indices of ``size`` digits, as equal a share of each label as the set allows, sorted; fixed by ``seed``."""
    labels = np.asarray(labels)
    size = int(min(max(size, 1), len(labels), MAX_SAMPLE_SIZE))
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(labels))
    # Each digit's rank among its class (in the shuffled order): taking the lowest ranks first
    # takes the classes in turn, so each gets an equal share while it has digits left.
    ranks = np.zeros(len(labels), np.int64)
    for c in np.unique(labels):
        members = order[labels[order] == c]
        ranks[members] = np.arange(len(members))
    chosen = order[np.argsort(ranks[order], kind="stable")[:size]]
    return np.sort(chosen).astype(np.int64)


def pool_factor(shape: Sequence[int], limit: int = MAX_FEATURES) -> int:
    """The smallest patch side that brings an (H, W, C) map to at most ``limit`` numbers (1: as it is)."""
    if len(shape) != 3:
        return 1
    h, w, c = (int(s) for s in shape)
    factor = 1
    while math.ceil(h / factor) * math.ceil(w / factor) * c > limit and factor < max(h, w):
        factor += 1
    return factor


def patch_counts(h: int, w: int, factor: int) -> np.ndarray:
    """(ceil(h/f), ceil(w/f)): how many pixels of an h x w map each f x f patch holds (fewer at the edges)."""
    hh, ww = math.ceil(h / factor), math.ceil(w / factor)
    counts = np.zeros((hh * factor, ww * factor), np.float32)
    counts[:h, :w] = 1
    return counts.reshape(hh, factor, ww, factor).sum(axis=(1, 3))


def reduce_maps(values: np.ndarray, factor: int) -> np.ndarray:
    """(n, H, W, C) -> (n, features): each ``factor`` x ``factor`` patch averaged (edge patches: what is there)."""
    x = np.asarray(values, np.float32)
    if x.ndim == 4 and factor > 1:
        n, h, w, c = x.shape
        hh, ww = math.ceil(h / factor), math.ceil(w / factor)
        padded = np.zeros((n, hh * factor, ww * factor, c), np.float32)
        padded[:, :h, :w] = x
        sums = padded.reshape(n, hh, factor, ww, factor, c).sum(axis=(2, 4))
        x = sums / patch_counts(h, w, factor)[None, :, :, None]
    return x.reshape(len(x), -1)


def layer_features(
    probe,
    images: np.ndarray,
    layers: Sequence[str] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[tuple[str, np.ndarray, int]] | None:
    """(layer, (n, features) float32, patch side) for ``input`` and each layer of ``probe`` (or those in
    ``layers``), in order; the patch side is what a conv layer's maps were averaged over (:func:`reduce_maps`).

    None when ``should_stop()`` ended it between batches.
    """
    x = np.asarray(images, np.float32)
    names = [INPUT_LAYER, *probe.layer_names]
    wanted = names if layers is None else [n for n in names if n in set(layers)]
    parts: dict[str, list] = {name: [] for name in wanted}
    factors: dict[str, int] = {}
    deeper = [n for n in wanted if n != INPUT_LAYER]
    in_graph = hasattr(probe, "batched_features")  # a LayerProbe averages the maps down in its graph
    if in_graph:
        factors.update({n: probe.factor(n) for n in deeper})
        batched = probe.batched_features(x, deeper, should_stop=should_stop) if deeper else iter([{}])
    else:
        batched = probe.batched_activations(x, should_stop=should_stop)
    batches = 0
    for batch in batched:
        count = len(next(iter(batch.values()))) if batch else len(x)
        values = {INPUT_LAYER: x[batches : batches + count], **batch}
        batches += count
        for name in wanted:
            value = values[name]
            if in_graph and name != INPUT_LAYER:
                parts[name].append(value)
                continue
            if name not in factors:
                factors[name] = pool_factor(value.shape[1:])
            parts[name].append(reduce_maps(value, factors[name]))
    if batches < len(x):
        return None
    return [(name, np.concatenate(parts[name]), factors.get(name, 1)) for name in wanted]


def check_layers(available: Sequence[str], asked: Sequence[str] | None) -> list[str] | None:
    """``asked`` in network order, or EmbeddingError naming the first unknown layer and the known ones."""
    if asked is None:
        return None
    for name in asked:
        if name not in available:
            shown = name if len(name) <= 40 else name[:37] + "..."
            raise EmbeddingError(f"unknown layer {shown!r}; this network has {', '.join(available)}")
    return [n for n in available if n in set(asked)]


@dataclass(frozen=True)
class Projection:
    """A fitted PCA: a point's coordinates are ``(features - mean) @ components.T``."""

    mean: np.ndarray  # (features,)
    components: np.ndarray  # (2, features), orthonormal rows
    factor: int = 1  # the patch side the layer's maps were averaged over first

    def transform(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, np.float32).reshape(-1, self.mean.shape[0])
        return (x - self.mean) @ self.components.T

    def project_activation(self, activation: np.ndarray) -> np.ndarray:
        """One digit's activation of the layer ((H, W, C), (units,) or the (28, 28) pixels) -> its (2,) point."""
        return self.transform(reduce_maps(np.asarray(activation, np.float32)[None], self.factor))[0]


def pca(features: np.ndarray, previous: Projection | None = None, seed: int = 0, factor: int = 1) -> Projection:
    """The two principal directions of ``features`` (n, d) by a randomised SVD of the centred matrix.

    ``previous`` (the same layer's last projection): the search starts from its directions (a
    snapshot later they have moved little, so one power step finds them) and each direction's
    sign is chosen to agree with it, so that a map does not flip over from one snapshot to the next.
    """
    return pca_map(features, previous, seed, factor)[0]


def pca_map(
    features: np.ndarray, previous: Projection | None = None, seed: int = 0, factor: int = 1
) -> tuple[Projection, np.ndarray]:
    """:func:`pca` and the (n, 2) map of ``features`` under it, from one pass over the data."""
    x = np.asarray(features, np.float32)
    n, d = x.shape
    mean = x.mean(axis=0)
    ones = np.ones(n, np.float32)

    # The centred matrix is never made (a 13 MB copy per layer): (x - mean) @ b = x @ b - mean @ b.
    def right(b: np.ndarray) -> np.ndarray:  # (x - mean) @ b, b: (d, k)
        return x @ b - np.outer(ones, mean @ b)

    def left(q: np.ndarray) -> np.ndarray:  # q.T @ (x - mean), q: (n, k)
        return q.T @ x - np.outer(q.sum(axis=0), mean)

    rng = np.random.RandomState(seed)
    warm = previous is not None and previous.components.shape == (2, d)
    k = min(2 + (PCA_WARM_EXTRA if warm else PCA_OVERSAMPLE), n, d)
    start = rng.standard_normal((d, k)).astype(np.float32)
    steps = PCA_POWER_STEPS
    if warm:
        # Rayleigh-Ritz on (x - mean) @ start is one power step already; each snapshot takes one more,
        # from where the last one ended, so the directions keep up with training at a third of the cost.
        start[:, :2] = previous.components.T
        steps = 0
    q = right(start)
    for _ in range(steps):  # orthonormalised each time: float32 would lose the smaller directions
        q, _ = np.linalg.qr(q)
        q = right(left(q).T)
    q, _ = np.linalg.qr(q)
    _, _, vt = np.linalg.svd(left(q), full_matrices=False)
    components = np.zeros((2, d), np.float32)
    components[: min(2, len(vt))] = vt[:2]
    if warm:
        signs = np.sign(np.sum(components * previous.components, axis=1))
        components *= np.where(signs == 0, 1, signs)[:, None]
    projection = Projection(mean.astype(np.float32), components, factor)
    return projection, right(components.T)


def nearest_neighbours(points: np.ndarray, k: int, use_tree: bool = True) -> np.ndarray:
    """(n, k) indices of each point's ``k`` nearest others, nearest first.

    scipy's k-d tree (installed with scikit-learn) takes ~2 ms for 2,000 points; without it,
    all pairwise distances in numpy (~100 ms).
    """
    p = np.asarray(points, np.float64)
    if use_tree:
        try:
            from scipy.spatial import cKDTree
        except ImportError:
            pass
        else:
            _, found = cKDTree(p).query(p, k + 1)
            # the point itself is its own nearest (at 0); a duplicate point may come first instead
            own = found == np.arange(len(p))[:, None]
            keep = ~own
            keep[own.sum(axis=1) == 0, -1] = False
            return found[keep].reshape(len(p), k)
    p = p - p.mean(axis=0)  # centred: the squared norms below lose fewer digits
    squared = np.sum(p * p, axis=1)
    distances = squared[:, None] + squared[None, :] - 2 * (p @ p.T)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argpartition(distances, k, axis=1)[:, :k]
    order = np.argsort(np.take_along_axis(distances, nearest, axis=1), axis=1)
    return np.take_along_axis(nearest, order, axis=1)


def knn_accuracy(points: np.ndarray, labels: np.ndarray, k: int = KNN_K) -> float:
    """Leave-one-out accuracy of a ``k``-nearest-neighbour vote in the map; ties go to the nearer neighbours."""
    p = np.asarray(points, np.float64)
    y = np.asarray(labels, np.int64)
    n = len(p)
    if n <= k:
        return float("nan")
    neighbour_labels = y[nearest_neighbours(p, k)]  # (n, k), nearest first
    weights = 1.0 + 1e-3 * (k - np.arange(k))  # one vote each; among equal counts the nearer wins
    cells = (np.arange(n)[:, None] * NUM_CLASSES + neighbour_labels).ravel()
    votes = np.bincount(cells, np.tile(weights, n), minlength=n * NUM_CLASSES).reshape(n, NUM_CLASSES)
    return float(np.mean(votes.argmax(axis=1) == y))


@dataclass(frozen=True)
class LayerMap:
    """One layer's 2-D map of the sample."""

    layer: str
    points: np.ndarray  # (n, 2) float32
    knn_accuracy: float
    method: str
    projection: Projection | None = None  # PCA: how to place a new digit (the pad's star)
    features: int = 0  # numbers per digit the map was made from


@dataclass(frozen=True)
class Embedding:
    """Every chosen layer's map of one sample under one set of weights."""

    indices: np.ndarray  # (n,) test-set indices of the sample
    labels: np.ndarray  # (n,) their labels
    maps: tuple  # LayerMap, input to logits
    method: str = "pca"

    def layer(self, name: str) -> LayerMap | None:
        return next((m for m in self.maps if m.layer == name), None)

    def to_json(self) -> dict:
        return {
            "method": self.method,
            "images": len(self.indices),
            "layers": [{"layer": m.layer, "knn_accuracy": round(m.knn_accuracy, 6)} for m in self.maps],
        }


def tsne(features: np.ndarray, seed: int = 0) -> np.ndarray:
    """A t-SNE map (n, 2) of ``features``, from their first :data:`TSNE_DIMENSIONS` principal components."""
    try:
        from sklearn.decomposition import PCA
        from sklearn.manifold import TSNE
    except ImportError:
        raise EmbeddingError("t-SNE needs scikit-learn, which is not installed here; use PCA") from None
    x = np.asarray(features, np.float32)
    dims = min(TSNE_DIMENSIONS, x.shape[0], x.shape[1])
    if x.shape[1] > dims:
        x = PCA(dims, random_state=seed).fit_transform(x)
    perplexity = min(TSNE_PERPLEXITY, max(2.0, (len(x) - 1) / 3.0))
    options = {"n_components": 2, "perplexity": perplexity, "init": "pca", "random_state": seed}
    try:
        model = TSNE(learning_rate="auto", **options)
    except TypeError:  # scikit-learn < 1.0 knows no "auto"
        model = TSNE(learning_rate=200.0, **options)
    from threadpoolctl import threadpool_limits

    # One thread: with one per core, OpenMP's threads wait for each other and for the window's and
    # training's threads (measured: 2,000 digits took 200 s with them, 37 s with one, on 2 busy cores).
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scikit-learn 1.0's notes on its coming defaults
        return model.fit_transform(x.astype(np.float64)).astype(np.float32)


def embed(
    features: Sequence[tuple[str, np.ndarray, int]],
    labels: np.ndarray,
    indices: np.ndarray,
    method: str = "pca",
    previous: Embedding | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Embedding | None:
    """The maps of ``features`` (from :func:`layer_features`) by ``method``; None if ``should_stop()`` ended it."""
    if method not in METHODS:
        raise EmbeddingError(f"unknown method {method[:40]!r}; choose one of {', '.join(METHODS)}")
    maps = []
    for name, x, factor in features:
        if should_stop is not None and maps and should_stop():
            return None
        if method == "pca":
            old = previous.layer(name) if previous is not None else None
            projection, points = pca_map(x, old.projection if old is not None else None, factor=factor)
        else:
            projection = None
            points = tsne(x)
        accuracy = knn_accuracy(points, labels)
        maps.append(LayerMap(name, points.astype(np.float32), accuracy, method, projection, x.shape[1]))
    return Embedding(np.asarray(indices), np.asarray(labels), tuple(maps), method)


def embedding_of(
    probe,
    images: np.ndarray,
    labels: np.ndarray,
    indices: np.ndarray,
    layers: Sequence[str] | None = None,
    method: str = "pca",
    previous: Embedding | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Embedding | None:
    """The maps of ``images`` (the sample at ``indices``) under ``probe``'s weights; None if stopped."""
    features = layer_features(probe, images, layers, should_stop)
    if features is None:
        return None
    return embed(features, labels, indices, method, previous, should_stop)


def embedding_png(result: Embedding, path, title: str = "") -> Path:
    """Write the maps side by side (one tile per layer, a dot per digit coloured by its label) to a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default()
    tile, head = PNG_TILE, 34
    columns = min(4, max(1, len(result.maps)))
    rows = math.ceil(len(result.maps) / columns)
    legend = 22
    picture = Image.new("RGB", (columns * tile, rows * (tile + head) + legend + (16 if title else 0)), "white")
    draw = ImageDraw.Draw(picture)
    top = 0
    if title:
        draw.text((6, 2), title, fill="black", font=font)
        top = 16
    for number, m in enumerate(result.maps):
        x0, y0 = (number % columns) * tile, top + (number // columns) * (tile + head)
        draw.text((x0 + 6, y0 + 4), m.layer, fill="black", font=font)
        draw.text((x0 + 6, y0 + 18), f"5-NN {m.knn_accuracy:.1%}", fill="black", font=font)
        p = np.asarray(m.points, np.float64)
        low, high = np.percentile(p, 1, axis=0), np.percentile(p, 99, axis=0)  # a few far points do not squash the map
        span = np.where(high - low > 0, high - low, 1.0)
        xy = (np.clip((p - low) / span, 0, 1) * (tile - 16) + 8).astype(int)
        for (x, y), label in zip(xy, result.labels):
            colour = LABEL_COLOURS[int(label) % len(LABEL_COLOURS)]
            draw.rectangle(
                (x0 + x - 1, y0 + head + (tile - 16) - y + 7, x0 + x + 1, y0 + head + (tile - 16) - y + 9), fill=colour
            )
    y = picture.height - legend + 4
    for digit, colour in enumerate(LABEL_COLOURS):
        draw.rectangle((8 + digit * 40, y + 2, 18 + digit * 40, y + 12), fill=colour)
        draw.text((22 + digit * 40, y), str(digit), fill="black", font=font)
    from convviz.atomicfile import write_atomically

    path = Path(path)  # a temporary sibling renamed over it: a failed write leaves the old file whole
    write_atomically(path, lambda f: picture.save(f, format="PNG"), f"cannot write {path}", error=EmbeddingError)
    return path
