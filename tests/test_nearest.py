"""The nearest MNIST training digits and the class means (convviz.nearest), on real MNIST.

Every answer is compared with a brute-force computation in float64: the distances of the
query to each image of a subset, sorted; the class means as plain numpy means.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz import nearest
from convviz.errors import ConvVizError
from convviz.nearest import NearestError, NearestIndex
from convviz.preprocess import to_mnist
from convviz.strokes import draw_digit


@pytest.fixture(scope="module")
def index(mnist):
    return NearestIndex(mnist.train_images, mnist.train_labels)


def brute_force(images, labels, query, k, label=None):
    flat = np.asarray(images, np.float64).reshape(len(images), -1)
    distances = np.sqrt(((flat - np.asarray(query, np.float64).reshape(1, -1)) ** 2).sum(axis=1))
    pool = np.arange(len(flat)) if label is None else np.flatnonzero(np.asarray(labels) == label)
    order = pool[np.lexsort((pool, distances[pool]))][:k]
    return order, distances[order]


def test_a_training_digit_is_its_own_nearest_neighbour(index, mnist):
    for i in (0, 1, 12345, 59999):
        found = index.nearest(mnist.train_images[i], k=3)
        assert found.indices[0] == i
        assert found.distances[0] == 0.0
        assert found.labels[0] == mnist.train_labels[i]
        assert found.distances[1] > 0.0
        assert np.all(np.diff(found.distances) >= 0)


def test_the_nearest_equal_brute_force_on_a_subset(mnist):
    images, labels = mnist.train_images[:3000], mnist.train_labels[:3000]
    small = NearestIndex(images, labels)
    rng = np.random.RandomState(0)
    queries = [mnist.test_images[j] for j in rng.randint(0, 10000, 5)]
    queries.append(to_mnist(draw_digit(7, "crossed", rng), invert=True))  # a drawing, not an MNIST digit
    queries.append(np.zeros((28, 28), np.float32))
    for query in queries:
        for label in (None, 7, 1):
            found = small.nearest(query, k=10, label=label)
            expected, distances = brute_force(images, labels, query, 10, label)
            np.testing.assert_array_equal(found.indices, expected)
            np.testing.assert_allclose(found.distances, distances, rtol=1e-12, atol=1e-12)
            np.testing.assert_array_equal(found.labels, labels[expected])


def test_the_fast_distances_are_the_exact_ones_up_to_float32_rounding(index, mnist):
    query = mnist.test_images[7]
    squared = index.squared_distances(query)
    flat = mnist.train_images[:5000].reshape(5000, -1).astype(np.float64)
    exact = ((flat - query.reshape(1, -1).astype(np.float64)) ** 2).sum(axis=1)
    np.testing.assert_allclose(squared[:5000], exact, atol=1e-3)


def test_class_restriction(index, mnist):
    drawing = to_mnist(draw_digit(7, "crossed", np.random.RandomState(3)), invert=True)
    squared = index.squared_distances(drawing)
    overall = index.nearest_from(drawing, squared, k=8)
    for label in range(10):
        found = index.nearest_from(drawing, squared, k=8, label=label)
        assert len(found.indices) == 8
        assert np.all(mnist.train_labels[found.indices] == label)
        assert np.all(found.labels == label)
        assert found.distances[0] >= overall.distances[0]  # the overall nearest is at least as near
        same = index.nearest(drawing, k=8, label=label)  # the same without the shared distances
        np.testing.assert_array_equal(same.indices, found.indices)
    mask = mnist.train_labels == 7
    sevens = np.flatnonzero(mask)
    expected, _ = brute_force(mnist.train_images[mask], mnist.train_labels[mask], drawing, 8)
    np.testing.assert_array_equal(index.nearest(drawing, k=8, label=7).indices, sevens[expected])


def test_class_means_equal_the_direct_mean(index, mnist):
    means = index.class_means()
    assert means.shape == (10, 28, 28) and means.dtype == np.float32
    for label in range(10):
        direct = mnist.train_images[mnist.train_labels == label].astype(np.float64).mean(axis=0)[..., 0]
        np.testing.assert_allclose(means[label], direct, atol=1e-6)
    assert index.class_means() is means  # computed once
    np.testing.assert_array_equal(index.class_counts(), np.bincount(mnist.train_labels, minlength=10))


def test_a_class_with_few_images_gives_fewer_neighbours(mnist):
    labels = np.zeros(50, np.int64)
    labels[:3] = 4
    small = NearestIndex(mnist.train_images[:50], labels)
    found = small.nearest(mnist.train_images[0], k=8, label=4)
    assert sorted(found.indices.tolist()) == [0, 1, 2]
    assert len(small.nearest(mnist.train_images[0], k=8, label=5).indices) == 0
    assert not small.class_means()[5].any()


@pytest.mark.parametrize(
    "query, match",
    [
        (np.zeros((27, 28)), "28x28"),
        (np.zeros((28, 28, 3)), "28x28"),
        (np.zeros((2, 392)), "28x28"),
        (np.full((28, 28), np.nan), "NaN"),
        (np.full((28, 28), np.inf), "NaN"),
        ("seven", "not an array"),
    ],
)
def test_a_bad_image_gets_one_line(index, query, match):
    with pytest.raises(ConvVizError, match=match) as info:
        index.nearest(query)
    assert isinstance(info.value, NearestError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("k", [0, -1, nearest.MAX_K + 1, 2.5, True])
def test_a_bad_k_gets_one_line(index, mnist, k):
    with pytest.raises(NearestError, match="k must be") as info:
        index.nearest(mnist.train_images[0], k=k)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("label", [-1, 10, 3.0, "7"])
def test_a_bad_class_gets_one_line(index, mnist, label):
    with pytest.raises(NearestError, match="class"):
        index.nearest(mnist.train_images[0], label=label)


def test_a_bad_training_set_gets_one_line(mnist):
    images = mnist.train_images[:10]
    for args, match in (
        ((images, mnist.train_labels[:9]), "labels"),
        ((images, mnist.train_labels[:10] + 10), "0 to 9"),
        ((images[:, :20], mnist.train_labels[:10]), "28x28"),
        ((images[:0], mnist.train_labels[:0]), "1 to"),
        (((images * 255).astype(np.uint8), mnist.train_labels[:10]), "floats"),
    ):
        with pytest.raises(NearestError, match=match):
            NearestIndex(*args)
