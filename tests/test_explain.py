"""convviz.explain on the pretrained models and real MNIST: each test can fail if the explanation is wrong."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from convviz import explain, maximise
from convviz.convmath import ExplainError, conv_geometry, conv_step
from convviz.explain import (
    Explainer,
    activation_maximisation,
    confusion,
    conv_inputs,
    conv_layers_io,
    mistakes_sheet,
    saliency,
    saliency_png,
    start_noise,
)
from convviz.model import Model
from tests.conftest import ROOT

MODELS = ROOT / "assets" / "models"


# -- confusion matrix --------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ["cnn", "dense"])
def test_confusion_matrix_counts_the_test_set_and_its_diagonal_is_the_accuracy(arch, mnist, explainers):
    images, labels = mnist.test_images, mnist.test_labels
    table = confusion(explainers(arch), images, labels, batch_size=700)  # a last batch of another size
    assert table.matrix.shape == (10, 10) and table.matrix.dtype == np.int64
    assert table.total == table.matrix.sum() == 10000
    assert (table.matrix.sum(axis=1) == np.bincount(labels, minlength=10)).all()  # rows: true labels
    with Model.load(MODELS / arch) as plain:  # independently: the plain model's own accuracy
        accuracy = plain.accuracy(images, labels)
    assert np.trace(table.matrix) / 10000 == pytest.approx(accuracy, abs=1e-12)
    assert table.accuracy == pytest.approx(accuracy, abs=1e-12)
    expected = [np.mean(table.predictions[labels == d] == d) for d in range(10)]
    np.testing.assert_allclose(table.per_class_accuracy, expected)

    # a cell: exactly the images with that label and prediction, most confident first
    wrong = table.matrix.copy()
    np.fill_diagonal(wrong, 0)
    true, pred = np.unravel_index(wrong.argmax(), wrong.shape)
    cell = table.cell(int(true), int(pred))
    assert len(cell) == table.matrix[true, pred] >= 2
    assert set(cell) == set(np.flatnonzero((labels == true) & (table.predictions == pred)))
    confidence = table.probabilities[cell, pred]
    assert (np.diff(confidence) <= 0).all()
    mistakes = table.mistakes()
    assert len(mistakes) == 10000 - np.trace(table.matrix)
    assert (labels[mistakes] != table.predictions[mistakes]).all()
    assert (np.diff(table.confidences[mistakes]) <= 0).all()
    assert len(table.cell(int(true), int(true))) == table.matrix[true, true]


def test_confusion_stops_between_batches_when_asked(mnist, explainers):
    asked = []

    def should_stop():
        asked.append(1)
        return len(asked) > 2  # two batches run, the third is not started

    assert confusion(explainers("dense"), mnist.test_images[:500], mnist.test_labels[:500], 100, should_stop) is None
    assert len(asked) == 3
    with pytest.raises(ExplainError):
        confusion(explainers("dense"), mnist.test_images[:5], mnist.test_labels[:4])


# -- saliency ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ["cnn", "lenet5", "template"])
def test_occluding_the_ink_lowers_the_probability_more_than_occluding_the_background(arch, mnist, explainers):
    model = explainers(arch)
    for i in range(12):  # the first test digits, none left out
        image = mnist.test_images[i, :, :, 0]
        ink, background = image > 0.5, image == 0
        heat = model.occlusion(image)  # per pixel: the mean drop of p(label) under the patches covering it
        assert heat.shape == (28, 28) and heat.dtype == np.float32
        assert heat[ink].mean() > heat[background].mean(), f"digit {i}"


def _logit(model: Model, image: np.ndarray, cls: int) -> float:
    return float(model.activations(image)[-1][1][cls])  # the last layer's activation is the logits


@pytest.mark.parametrize("arch", ["cnn", "lenet5", "dense"])
def test_gradient_saliency_matches_finite_differences(arch, mnist, explainers):
    model = explainers(arch)
    image = mnist.test_images[3, :, :, 0].astype(np.float64)
    grad = model.saliency_gradient(image)
    cls = int(model.predict(image)[0])
    assert grad.shape == (28, 28) and np.abs(grad).max() > 0
    strongest = np.unravel_index(np.argsort(-np.abs(grad), axis=None)[:3], grad.shape)
    pixels = [*zip(*strongest), (14, 14)]
    # The network is piecewise linear: within a linear piece a difference quotient is the gradient exactly.
    # The pieces are small (a pixel feeds 64 x 25 conv1 units; at (14, 14) of this digit the slope changes
    # every ~0.002), so the step is small and may still cross a kink on one side: the gradient must equal
    # the forward or the backward quotient. A pixel can also sit on a kink (a ReLU at exactly 0, a max-pool
    # tie: the shipped cnn's (24, 11) here, whose one-sided slopes stay -1.057 and -1.15 down to a step of
    # 1e-4); there the gradient TensorFlow takes is a subgradient, between the two one-sided slopes.
    # Float32 logits of ~30 carry ~2e-6 rounding: 2e-3 over the step.
    eps = 2e-3
    for y, x in pixels:
        plus, minus = image.copy(), image.copy()
        plus[y, x] += eps
        minus[y, x] -= eps
        centre = _logit(model, image, cls)
        forward = (_logit(model, plus, cls) - centre) / eps
        backward = (centre - _logit(model, minus, cls)) / eps
        tolerance = 3e-3 + 0.02 * abs(grad[y, x])
        close = [abs(q - grad[y, x]) <= tolerance for q in (forward, backward)]
        between = min(forward, backward) - tolerance <= grad[y, x] <= max(forward, backward) + tolerance
        assert any(close) or between, (y, x, grad[y, x], forward, backward)
    np.testing.assert_allclose(model.saliency_gradient(image, times_input=True), grad * image, rtol=1e-6, atol=1e-7)
    # another class's gradient is another map
    assert not np.allclose(model.saliency_gradient(image, cls=(cls + 1) % 10), grad)


def test_saliency_records_method_class_and_probability(mnist, explainers):
    model = explainers("cnn")
    image = mnist.test_images[0]  # (28, 28, 1) is taken as one image too
    p = model.predict_proba(image[:, :, 0])[0]
    for method in explain.METHODS:
        result = saliency(model, image, method)
        assert result.method == method and result.cls == int(p.argmax())
        assert result.probability == pytest.approx(float(p.max()), abs=1e-6)
        assert result.map.shape == (28, 28) and result.map.dtype == np.float32
    other = saliency(model, image, "occlusion", cls=3)
    assert other.cls == 3 and other.probability == pytest.approx(float(p[3]), abs=1e-6)
    np.testing.assert_allclose(saliency(model, image, "occlusion").map, model.occlusion(image))
    with pytest.raises(ExplainError, match="unknown saliency method"):
        saliency(model, image, "lime")
    with pytest.raises(ExplainError):
        saliency(model, image, "gradient", cls=10)
    with pytest.raises(ExplainError):
        model.occlusion(image, patch=0)


# -- inside a convolution ----------------------------------------------------------------------------
POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right", "centre")


def _position(name: str, height: int, width: int) -> tuple[int, int]:
    return {
        "top-left": (0, 0),
        "top-right": (0, width - 1),
        "bottom-left": (height - 1, 0),
        "bottom-right": (height - 1, width - 1),
        "centre": (height // 2, width // 2),
    }[name]


@pytest.mark.parametrize("arch", ["cnn", "lenet5", "template"])
def test_conv_step_equals_the_graphs_feature_map(arch, mnist, explainers):
    model = explainers(arch)
    weights = model.get_weights()
    image = mnist.test_images[7, :, :, 0]
    io = conv_layers_io(model, image)
    for layer in ("conv1", "conv2"):
        layer_input, feature_map = io[layer]
        height, width, filters = feature_map.shape
        checked = 0
        for where in POSITIONS:
            y, x = _position(where, height, width)
            for out_channel in range(filters):
                step = conv_step(weights, arch, layer, layer_input, out_channel, y, x, feature_map=feature_map)
                graph = float(feature_map[y, x, out_channel])
                assert step.activation == pytest.approx(graph, abs=1e-5), (layer, where, out_channel)
                assert step.feature_value == graph
                assert step.pre_activation == pytest.approx(step.sum_all + step.bias)
                assert step.activation == max(step.pre_activation, 0.0)
                checked += graph > 0  # positions where the ReLU lets the sum through
        assert checked > 0, layer


STRIDED = "conv8@5x5/3-conv6@4x4/2-conv4@2x2v-pool2-dense16"  # strides 3 and 2, even kernels, SAME and VALID


def test_conv_step_follows_strides_and_even_kernels(mnist):
    """TensorFlow's SAME split: pad_total = (out - 1) * stride + k - n, the smaller half before."""
    rng = np.random.RandomState(0)
    with Explainer(STRIDED) as model:  # random weights and biases: the arithmetic, not the training
        model.set_weights({k: rng.normal(0, 0.3, v.shape).astype(np.float32) for k, v in model.get_weights().items()})
        weights = model.get_weights()
        io = conv_layers_io(model, mnist.test_images[4, :, :, 0])
    assert [(name, out.shape) for name, (_, out) in io.items()] == [
        ("conv1", (10, 10, 8)),
        ("conv2", (5, 5, 6)),
        ("conv3", (4, 4, 4)),
    ]
    geometry = conv_geometry(STRIDED, "conv1", (28, 28))
    assert (geometry.out_height, geometry.before_y, geometry.stride) == (10, 2, 3)  # 9 * 3 + 5 - 28 = 4: 2 before
    assert conv_geometry(STRIDED, "conv2", (10, 10, 8))[:4] == (5, 5, 1, 1)  # 4 * 2 + 4 - 10 = 2: 1 before
    for layer, (layer_input, feature_map) in io.items():
        height, width, filters = feature_map.shape
        for where in POSITIONS:
            y, x = _position(where, height, width)
            for out_channel in range(filters):
                step = conv_step(weights, STRIDED, layer, layer_input, out_channel, y, x)
                assert step.activation == pytest.approx(float(feature_map[y, x, out_channel]), abs=1e-5), (
                    layer,
                    where,
                    out_channel,
                )
    last = conv_step(weights, STRIDED, "conv1", io["conv1"][0], 0, 9, 9)
    assert last.origin == (25, 25) and last.padded[3:].all() and not last.padded[:3, :3].any()  # rows 28, 29: padding


def test_conv_step_shows_the_patch_kernel_products_and_padding(mnist, explainers):
    model = explainers("cnn")
    weights = model.get_weights()
    image = mnist.test_images[0, :, :, 0]
    inputs = conv_inputs(model, image)
    # conv1 (SAME, 5x5) at the corner: two rows and columns of zero padding
    step = conv_step(weights, "cnn", "conv1", inputs["conv1"], 5, 0, 0)
    assert step.patch.shape == step.kernel.shape == step.products.shape == (5, 5)
    assert step.origin == (-2, -2) and step.in_channel is None
    assert step.padded[:2].all() and step.padded[:, :2].all() and not step.padded[2:, 2:].any()
    assert (step.patch[step.padded] == 0).all()
    np.testing.assert_array_equal(step.patch[2:, 2:], image[:3, :3])
    np.testing.assert_allclose(step.kernel, weights["conv1/kernel"][:, :, 0, 5])
    np.testing.assert_allclose(step.products, step.patch * step.kernel)
    assert step.total == pytest.approx(step.products.sum()) == pytest.approx(step.sum_all)
    # conv2: one input channel's 3x3 products, and the sum over the 64 channels
    centre = conv_step(weights, "cnn", "conv2", inputs["conv2"], 7, 7, 7)
    one = conv_step(weights, "cnn", "conv2", inputs["conv2"], 7, 7, 7, in_channel=11)
    assert centre.patch.shape == (3, 3, 64) and one.patch.shape == (3, 3) and not one.padded.any()
    np.testing.assert_array_equal(one.patch, inputs["conv2"][6:9, 6:9, 11])
    assert one.total == pytest.approx(centre.channel_sums[11])
    assert one.sum_all == pytest.approx(centre.sum_all) == pytest.approx(centre.channel_sums.sum())
    assert one.activation == centre.activation
    with pytest.raises(ExplainError, match="outside"):
        conv_step(weights, "cnn", "conv1", inputs["conv1"], 0, 28, 0)
    with pytest.raises(ExplainError, match="no conv layer"):
        conv_step(weights, "cnn", "fc1", inputs["conv1"], 0, 0, 0)
    with pytest.raises(ExplainError, match="input channels"):
        conv_step(weights, "cnn", "conv2", inputs["conv2"], 0, 0, 0, in_channel=64)


def test_conv_inputs_follow_each_network(mnist, explainers):
    image = mnist.test_images[1, :, :, 0]
    lenet = conv_inputs(explainers("lenet5"), image)
    assert list(lenet) == ["conv1", "conv2", "conv3"]
    assert lenet["conv1"].shape == (32, 32, 1)  # padded by 2 before its VALID conv1
    np.testing.assert_array_equal(lenet["conv1"][2:30, 2:30, 0], image)
    assert not lenet["conv1"][:2].any() and not lenet["conv1"][:, -2:].any()
    cnn_model = explainers("cnn")
    cnn = conv_inputs(cnn_model, image)
    pool1 = dict(cnn_model.activations(image))["pool1"]
    assert cnn["conv2"].shape == (14, 14, 64)
    np.testing.assert_array_equal(cnn["conv2"], pool1)
    assert list(conv_inputs(explainers("template"), image)) == ["conv1", "conv2"]
    dense = explainers("dense")
    assert conv_inputs(dense, image) == {} and dense.conv_layers == []
    assert saliency(dense, image, "gradient").map.shape == (28, 28)  # saliency works without convolutions


# -- activation maximisation -------------------------------------------------------------------------
def test_activation_maximisation_raises_each_filters_mean_activation_tenfold(explainers):
    model = explainers("cnn")
    for layer in ("conv1", "conv2"):
        count = model.channel_count(layer)
        channels = np.arange(count)
        steps: list = []
        images = activation_maximisation(
            model, layer, progress=lambda done, total, seen=steps: seen.append((done, total))
        )
        assert images.shape == (count, 28, 28) and images.dtype == np.float32
        assert images.min() >= 0 and images.max() <= 1
        assert steps[-1] == (maximise.AM_STEPS, maximise.AM_STEPS) and len(steps) == maximise.AM_STEPS
        _, before = model.activation_gradient(start_noise(count), layer, channels)
        _, after = model.activation_gradient(images, layer, channels)
        ratio = after / np.maximum(before, 1e-9)
        # Measured with the shipped cnn: every channel of both layers rises at least 10x (conv2's weakest
        # 10.2x); a little room for TensorFlow 1.15's arithmetic, none for a channel left behind.
        assert np.mean(ratio >= 10) >= 0.95 and ratio.min() >= 8, np.sort(ratio)[:5]
        assert np.median(ratio) >= 20


def test_activation_maximisation_is_seeded_cancellable_and_bounded(explainers):
    model = explainers("cnn")
    first = activation_maximisation(model, "conv1", channels=[3, 9], steps=6)
    again = activation_maximisation(model, "conv1", channels=[3, 9], steps=6)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, activation_maximisation(model, "conv1", channels=[3, 9], steps=6, seed=1))
    asked = []
    stopped = activation_maximisation(
        model, "conv2", channels=[0, 1], steps=50, should_stop=lambda: (asked.append(1), len(asked) > 3)[1]
    )
    assert stopped is None and len(asked) == 4
    bad_calls = ({"layer": "conv7"}, {"layer": "conv1", "channels": [64]}, {"layer": "conv1", "steps": 0})
    retries = ({"layer": "conv1", "retries": -1}, {"layer": "conv1", "retries": maximise.MAX_AM_RETRIES + 1})
    retries += tuple({"layer": "conv1", "rise": bad} for bad in (-1.0, float("nan"), "x"))
    for bad in (*bad_calls, {"layer": "conv1", "settle": 1.5}, *retries):
        with pytest.raises(ExplainError):
            activation_maximisation(model, **bad)
    with pytest.raises(ExplainError):
        model.activation_gradient(start_noise(2), "conv1", [0])  # one channel per image


def test_a_channel_that_hardly_rises_climbs_again_and_keeps_its_best_image(explainers):
    """conv2's channels 60 and 77 of the shipped cnn hardly rise in one climb of all its channels (6.9x and 1.8x
    their start); the climbs again at gentler rates lift both, and the channels that rose enough the first time
    are left as they were."""
    model = explainers("cnn")
    channels = np.arange(model.channel_count("conv2"))
    once = activation_maximisation(model, "conv2", retries=0)
    kept = activation_maximisation(model, "conv2")
    _, start = model.activation_gradient(start_noise(len(channels)), "conv2", channels)
    _, fired_once = model.activation_gradient(once, "conv2", channels)
    _, fired = model.activation_gradient(kept, "conv2", channels)
    weak = fired_once < maximise.AM_RISE * start
    assert list(np.flatnonzero(weak)) == [60, 77], fired_once[weak] / start[weak]  # the premise
    assert np.all(fired[weak] >= 8 * start[weak]) and np.all(fired[weak] > fired_once[weak]), fired / start
    np.testing.assert_array_equal(kept[~weak], once[~weak])  # no retry for a channel that rose enough


# -- pictures ----------------------------------------------------------------------------------------
def test_mistakes_sheet_has_one_tile_per_mistake_in_order(tmp_path, mnist):
    images = mnist.test_images[:40]
    labels = mnist.test_labels[:40]
    rng = np.random.RandomState(0)
    probabilities = rng.dirichlet(np.ones(10), size=40).astype(np.float32)
    predictions = probabilities.argmax(axis=1)
    indices = [31, 2, 17, 5, 0, 39, 8, 12, 20, 1, 3, 33, 7]  # 13 tiles: two rows of 10, the second short
    path = mistakes_sheet(images, indices, labels, predictions, probabilities, tmp_path / "sheet.png")
    with Image.open(str(path)) as picture:
        sheet = np.asarray(picture.convert("L"))
    assert sheet.shape == (2 * explain.TILE_HEIGHT, 10 * explain.TILE_WIDTH)
    side, pad = 28 * explain.SHEET_SCALE, explain.SHEET_PAD
    shown = 0
    for n in range(20):
        top, left = (n // 10) * explain.TILE_HEIGHT, (n % 10) * explain.TILE_WIDTH
        tile = sheet[top : top + explain.TILE_HEIGHT, left : left + explain.TILE_WIDTH]
        if n < len(indices):
            digit = tile[pad : pad + side, pad : pad + side][:: explain.SHEET_SCALE, :: explain.SHEET_SCALE]
            expected = (images[indices[n], :, :, 0] * 255 + 0.5).astype(np.uint8)
            np.testing.assert_array_equal(digit, expected)
            assert tile[pad + side :].max() > 0  # a caption
            shown += 1
        else:
            assert tile.max() == 0  # nothing in the empty places
    assert shown == len(indices)
    with pytest.raises(ExplainError):
        mistakes_sheet(images, np.zeros(explain.MAX_SHEET + 1, int), labels, predictions, probabilities, path)
    with pytest.raises(ExplainError):
        mistakes_sheet(images, [], labels, predictions, probabilities, path)


def test_saliency_png_overlays_the_map_with_a_colour_scale(tmp_path, mnist):
    image = mnist.test_images[0, :, :, 0]
    heat = np.zeros((28, 28), np.float32)
    heat[5, 5], heat[20, 20] = 2.0, -1.0
    path = saliency_png(image, heat, tmp_path / "overlay.png", scale=10, title="gradient: 7 (99%)")
    with Image.open(str(path)) as picture:
        rgb = np.asarray(picture.convert("RGB")).astype(int)
    header = 18
    hot = rgb[header + 55, 55]  # the centre of pixel (5, 5): full red
    cold = rgb[header + 205, 205]  # pixel (20, 20): half-strength blue
    assert hot[0] > 200 and hot[2] < 60
    assert cold[2] > cold[0] and cold[2] > 80
    bar = rgb[header : header + 280, 280 + 12 + 7]  # the scale bar's middle column, top to bottom
    assert bar[0, 0] > 200 and bar[-1, 2] > 200 and bar[140].max() < 20  # +max red, -max blue, 0 black
    with pytest.raises(ExplainError):
        saliency_png(image, np.full((28, 28), np.nan), tmp_path / "bad.png")
