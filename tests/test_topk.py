"""convviz.topk: receptive fields from the specs, and each conv channel's top digits in one pass."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.convmath import ExplainError
from convviz.explain import Explainer, _spec_of
from convviz.netspec import get_spec, parse_spec
from convviz.topk import NO_CONV, ReceptiveField, receptive_fields, top_activations
from tests.conftest import ROOT

MODELS = ROOT / "assets" / "models"


def test_receptive_fields_follow_kernels_strides_pads_and_padding():
    assert receptive_fields(get_spec("cnn")) == {
        "conv1": ReceptiveField(5, 1, -2),  # 5x5 SAME: two pixels of padding on the top-left
        "conv2": ReceptiveField(10, 2, -4),  # 5 + pool 2 -> 6, jump 2; + (3 - 1) * 2 = 10; SAME 1 unit = 2 px more
    }
    assert receptive_fields(get_spec("lenet5")) == {
        "conv1": ReceptiveField(5, 1, -2),  # the pad of 2, VALID
        "conv2": ReceptiveField(14, 2, -2),
        "conv3": ReceptiveField(32, 4, -2),  # the whole padded 32 x 32 input
    }
    assert receptive_fields(get_spec("dense")) == {}
    # a stride and an even SAME kernel: TensorFlow puts the odd padding pixel at the bottom-right
    strided = receptive_fields(parse_spec("conv8@4x4/2-conv8@3x3v"))
    assert strided == {"conv1": ReceptiveField(4, 2, -1), "conv2": ReceptiveField(8, 2, -1)}


def _outputs(model: Explainer, layer: str, images: np.ndarray) -> np.ndarray:
    tensor = model.endpoints.layers[layer]  # the graph's own layer output, in batches
    return np.concatenate([model.session.run(tensor, {model._images: images[i : i + 200, :, :, None]}) for i in
                           range(0, len(images), 200)])  # fmt: skip


@pytest.mark.parametrize("arch", ["cnn", "lenet5"])
def test_the_field_holds_exactly_the_pixels_a_unit_depends_on(arch, explainers):
    """Independently of the arithmetic: a unit changes when a pixel inside its field changes, never outside."""
    model = explainers(arch)
    base = np.random.RandomState(0).uniform(0.2, 0.8, (28, 28)).astype(np.float32)
    batch = np.repeat(base[None], 784, axis=0)
    batch[np.arange(784), np.arange(784) // 28, np.arange(784) % 28] += 0.2  # one pixel brighter in each image
    fields = receptive_fields(_spec_of(model))
    for layer, field in fields.items():
        height = model.conv_shapes[layer][0]
        clean = _outputs(model, layer, base[None])[0]
        changed_all = np.abs(_outputs(model, layer, batch) - clean).max(axis=-1) > 0  # (784, H, W)
        for y, x in ((0, 0), (height // 2, height // 3), (height - 1, height - 1)):
            top, left = field.box(y, x)
            inside = np.zeros((28, 28), bool)
            inside[max(top, 0) : max(top + field.size, 0), max(left, 0) : max(left + field.size, 0)] = True
            changed = changed_all[:, y, x].reshape(28, 28)
            assert not (changed & ~inside).any(), (layer, y, x)
            assert changed[inside].mean() > 0.5, (layer, y, x)  # most of them matter (a ReLU may hide a few)


@pytest.mark.parametrize("arch", ["cnn", "lenet5"])
def test_the_top_digits_are_those_with_the_largest_peak(arch, mnist, explainers):
    model = explainers(arch)
    images = mnist.test_images[:700]
    top = top_activations(model, _spec_of(model), images, batch_size=300)  # a last batch of another size
    assert list(top) == list(model.conv_shapes)
    peaks = {}
    for start in range(0, 700, 100):
        for name, (values, _) in model.channel_peaks(images[start : start + 100]).items():
            peaks.setdefault(name, []).append(values)
    for name, result in top.items():
        every = np.concatenate(peaks[name])  # (700, C), the max of each channel over positions
        channels = model.conv_shapes[name][2]
        assert result.indices.shape == (channels, 9) and result.positions.shape == (channels, 9, 2)
        for c in (0, channels // 2, channels - 1):
            expected = np.lexsort((np.arange(700), -every[:, c].astype(np.float64)))[:9]
            np.testing.assert_array_equal(result.indices[c], expected)
            np.testing.assert_allclose(result.values[c], every[expected, c])
            # the position is where that image's map has its maximum
            index, (y, x) = result.indices[c, 0], result.positions[c, 0]
            layer_map = _outputs(model, name, images[index : index + 1, :, :, 0])[0, :, :, c]
            assert layer_map[y, x] == layer_map.max()
            assert layer_map[y, x] == pytest.approx(result.values[c, 0], rel=1e-5)  # TF 1.15: batch size rounds
            patches = result.patches(images, c)
            assert patches.shape == (9, result.field.size, result.field.size)
            top_, left = result.field.box(int(y), int(x))
            t0, l0 = max(top_, 0), max(left, 0)
            np.testing.assert_array_equal(
                patches[0, t0 - top_ : top_ + result.field.size - top_, l0 - left :][: 28 - t0, : 28 - l0],
                images[index, t0 : top_ + result.field.size, l0 : left + result.field.size, 0],
            )


def test_top_activations_of_the_dense_net_is_empty_and_bounds_hold(mnist, explainers):
    dense = explainers("dense")
    assert top_activations(dense, _spec_of(dense), mnist.test_images[:20]) == {}
    assert "no conv layers" in NO_CONV.format(arch="dense")
    cnn = explainers("cnn")
    with pytest.raises(ExplainError):
        top_activations(cnn, _spec_of(cnn), mnist.test_images[:5])  # fewer than 9 images
    with pytest.raises(ExplainError):
        top_activations(cnn, _spec_of(cnn), mnist.test_images[:20], k=0)
    asked = []
    stopped = top_activations(cnn, _spec_of(cnn), mnist.test_images[:300], batch_size=100,
                              should_stop=lambda: asked.append(1) or len(asked) > 1)  # fmt: skip
    assert stopped is None and len(asked) == 2
    top = top_activations(cnn, _spec_of(cnn), mnist.test_images[:20])
    with pytest.raises(ExplainError):
        top["conv1"].patches(mnist.test_images[:20], 64)
