"""preprocess: drawings and photos of digits come out like MNIST.

Real MNIST digits are upscaled to the drawing pad's 280 x 280 and inverted to
dark ink on light paper; to_mnist must give the original back. The data come
from $CONVVIZ_DATA_DIR (the test fails if that is set and the files are
missing) or /work/shared/data/mnist (skipped if absent).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from convviz.preprocess import PreprocessError, center_of_mass, load_image, to_mnist

_BILINEAR = getattr(Image, "Resampling", Image).BILINEAR
_IMAGES = "t10k-images-idx3-ubyte.gz"
N_DIGITS = 20


def _data_dir() -> Path:
    configured = os.environ.get("CONVVIZ_DATA_DIR")
    if configured:
        path = Path(configured)
        assert (path / _IMAGES).is_file(), f"CONVVIZ_DATA_DIR={configured} has no {_IMAGES}"
        return path
    path = Path("/work/shared/data/mnist")
    if not (path / _IMAGES).is_file():
        pytest.skip("MNIST not found; set CONVVIZ_DATA_DIR")
    return path


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    """The first N_DIGITS MNIST test images, uint8 (N, 28, 28), read straight from the IDX file."""
    with gzip.open(str(_data_dir() / _IMAGES), "rb") as f:
        header = np.frombuffer(f.read(16), dtype=">u4")
        assert header[0] == 2051 and header[2] == header[3] == 28
        data = f.read(N_DIGITS * 28 * 28)
    return np.frombuffer(data, dtype=np.uint8).reshape(N_DIGITS, 28, 28)


def _upscale(digit: np.ndarray, size: int = 280) -> np.ndarray:
    return np.asarray(Image.fromarray(digit).resize((size, size), _BILINEAR))


def _bbox(image: np.ndarray, level: float = 0.0):
    rows = np.flatnonzero((image > level).any(axis=1))
    cols = np.flatnonzero((image > level).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def _check_mnist_like(out: np.ndarray) -> None:
    assert out.shape == (28, 28)
    assert out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    height, width = _bbox(out)
    assert max(height, width) <= 20
    row, col = center_of_mass(out)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1


def test_mnist_digit_drawn_dark_on_light_comes_back(digits):
    diffs = []
    for digit in digits:
        out = to_mnist(255 - _upscale(digit))
        _check_mnist_like(out)
        assert max(_bbox(out)) >= 18  # the longer side is scaled to 20 px
        original = digit / np.float32(255.0)
        diffs.append(float(np.abs(out - original).mean()))
        assert np.corrcoef(out.ravel(), original.ravel())[0, 1] > 0.85
    # Measured: mean 0.022, worst 0.042 (a one-pixel difference in the rounded shift).
    assert np.mean(diffs) < 0.04
    assert max(diffs) < 0.08


def test_light_on_dark_float_and_colour_inputs_agree(digits):
    big = _upscale(digits[0])
    reference = to_mnist(255 - big)
    variants = {
        "light on dark": to_mnist(big),
        "forced invert": to_mnist(255 - big, invert=True),
        "forced no invert": to_mnist(big, invert=False),
        "float in [0, 1]": to_mnist((255 - big) / 255.0),
        "float in [0, 255]": to_mnist((255 - big).astype(np.float64)),
        "RGB": to_mnist(np.stack([255 - big] * 3, axis=-1)),
        "RGBA opaque": to_mnist(np.dstack([255 - big] * 3 + [np.full_like(big, 255)])),
    }
    for name, out in variants.items():
        np.testing.assert_allclose(out, reference, atol=1e-4, err_msg=name)


def test_mnist_sized_input_is_nearly_unchanged(digits):
    out = to_mnist(digits[1])
    _check_mnist_like(out)
    assert np.abs(out - digits[1] / 255.0).mean() < 0.06


def test_aspect_ratio_is_kept_for_a_thin_one():
    pad = np.full((280, 280), 255, dtype=np.uint8)
    pad[40:240, 130:150] = 0  # a 200 x 20 upright stroke
    out = to_mnist(pad)
    height, width = _bbox(out, level=0.05)
    assert height == 20
    assert width <= 4
    _check_mnist_like(out)


def test_wide_digit_fills_the_width():
    pad = np.zeros((280, 280), dtype=np.uint8)
    pad[130:160, 20:260] = 255  # a 30 x 240 bar, light on dark
    height, width = _bbox(to_mnist(pad), level=0.05)
    assert width == 20
    assert height <= 4


def test_digit_in_a_corner_is_centred(digits):
    centred = to_mnist(255 - _upscale(digits[2]))
    pad = np.full((280, 280), 255, dtype=np.uint8)
    pad[:100, 180:] = 255 - _upscale(digits[2], size=100)  # small, top right
    out = to_mnist(pad)
    _check_mnist_like(out)
    assert np.abs(out - centred).mean() < 0.05


def test_noisy_photo_with_a_shadow(digits):
    rng = np.random.RandomState(0)
    ink = _upscale(digits[3], size=300) / 255.0
    shadow = np.linspace(0.0, 0.12, 300)[None, :]  # paper gets darker towards the right
    photo = 0.8 - shadow - 0.6 * ink + rng.normal(0.0, 0.03, size=(300, 300))
    photo = np.clip(photo, 0.0, 1.0)
    out = to_mnist(photo)
    _check_mnist_like(out)
    clean = to_mnist(255 - _upscale(digits[3]))
    assert np.abs(out - clean).mean() < 0.04
    # Paper texture and the shadow are not ink: the background stays black.
    assert (out[clean == 0] > 0.2).mean() < 0.02


def test_photo_as_uint8_rgb_works(digits):
    rng = np.random.RandomState(1)
    gray = 200 - 150 * (_upscale(digits[4]) / 255.0) + rng.normal(0, 6, size=(280, 280))
    rgb = np.clip(np.stack([gray, gray * 0.95, gray * 0.9], axis=-1), 0, 255).astype(np.uint8)
    _check_mnist_like(to_mnist(rgb))


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((280, 280), dtype=np.uint8),
        np.full((280, 280), 255, dtype=np.uint8),
        np.full((50, 80), 0.5),
        np.clip(0.8 + np.random.RandomState(2).normal(0, 0.03, size=(280, 280)), 0, 1),  # blank paper
    ],
    ids=["all zero", "all white", "uniform grey", "blank noisy paper"],
)
def test_empty_image_is_refused(image):
    with pytest.raises(PreprocessError, match="empty: draw a digit first"):
        to_mnist(image)


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros(784), "2-D"),
        (np.zeros((28, 28, 2)), "2-D"),
        (np.zeros((0, 0)), "no pixels"),
        (np.full((28, 28), np.nan), "NaN"),
        (np.array([["a", "b"], ["c", "d"]]), "numeric"),
    ],
    ids=["1-D", "two channels", "no pixels", "NaN", "strings"],
)
def test_bad_array_is_refused(image, message):
    with pytest.raises(PreprocessError, match=message) as info:
        to_mnist(image)
    assert "\n" not in str(info.value)


def test_nan_among_ink_is_refused(digits):
    image = (255 - _upscale(digits[0])).astype(np.float32)
    image[5, 5] = np.nan
    with pytest.raises(PreprocessError, match="NaN"):
        to_mnist(image)


def test_center_of_mass():
    image = np.zeros((5, 7))
    image[1, 2] = 1.0
    image[3, 6] = 3.0
    assert center_of_mass(image) == pytest.approx((2.5, 5.0))
    with pytest.raises(PreprocessError):
        center_of_mass(np.zeros((5, 5)))


def test_load_image_reads_a_png(tmp_path, digits):
    path = tmp_path / "digit.png"
    Image.fromarray(255 - _upscale(digits[0])).save(str(path))
    image = load_image(path)
    assert image.dtype == np.float32 and image.shape == (280, 280)
    np.testing.assert_allclose(image, (255 - _upscale(digits[0])) / 255.0, atol=1e-6)
    np.testing.assert_allclose(to_mnist(image), to_mnist(255 - _upscale(digits[0])), atol=1e-4)


def test_load_image_puts_transparency_on_white(tmp_path):
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)  # transparent black everywhere
    rgba[10:30, 18:22] = (0, 0, 0, 255)  # an opaque black stroke
    path = tmp_path / "stroke.png"
    Image.fromarray(rgba).save(str(path))  # mode inferred from the 4 channels
    image = load_image(str(path))
    assert image.shape == (40, 40)
    assert image[0, 0] == pytest.approx(1.0)
    assert image[20, 20] == pytest.approx(0.0)


def test_load_image_missing_file(tmp_path):
    path = tmp_path / "nothing.png"
    with pytest.raises(PreprocessError, match=r"nothing\.png") as info:
        load_image(path)
    assert "\n" not in str(info.value)


def test_load_image_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture\n")
    with pytest.raises(PreprocessError, match=r"notes\.png") as info:
        load_image(path)
    assert "\n" not in str(info.value)
