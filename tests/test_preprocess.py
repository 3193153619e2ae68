"""preprocess: drawings and photos of digits come out like MNIST.

Real MNIST digits are upscaled to the drawing pad's 280 x 280 and inverted to
dark ink on light paper; to_mnist must give the original back. The data come
from tests/conftest.py's mnist_dir() (never skipped).
"""

from __future__ import annotations

import gzip
import struct
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from convviz import preprocess
from convviz.preprocess import (
    MAX_STROKE_DEPTH,
    PreprocessError,
    Verdict,
    center_of_mass,
    judge_drawing,
    load_image,
    stroke_depth,
    to_mnist,
)
from tests.conftest import mnist_dir

_BILINEAR = getattr(Image, "Resampling", Image).BILINEAR
_IMAGES = "t10k-images-idx3-ubyte.gz"
N_DIGITS = 20


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    """The first N_DIGITS MNIST test images, uint8 (N, 28, 28), read straight from the IDX file."""
    with gzip.open(str(mnist_dir() / _IMAGES), "rb") as f:
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


# -- size limit ------------------------------------------------------------------------------------


def _png_header_only(path, width: int, height: int) -> None:
    """A PNG that announces ``width`` x ``height`` grey pixels and holds almost none: a few bytes on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (8000, 6000, "8000 x 6000 pixels, over 40 megapixels"),  # under Pillow's own limit: no warning at all
        (10000, 9500, "10000 x 9500 pixels, over 40 megapixels"),  # Pillow only warns
        (20000, 20000, "over 40 megapixels"),  # Pillow refuses while opening
    ],
)
def test_huge_image_is_refused_before_it_is_decoded(tmp_path, width, height, message):
    path = tmp_path / "huge.png"
    _png_header_only(path, width, height)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning must not escape
        with pytest.raises(PreprocessError) as info:
            load_image(path)
    assert str(info.value).startswith(f"image {path} is too large: ") and message in str(info.value)


def test_image_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(preprocess, "MAX_IMAGE_PIXELS", 100 * 80)
    path = tmp_path / "ok.png"
    Image.fromarray(np.full((80, 100), 255, np.uint8)).save(str(path))
    assert load_image(path).shape == (80, 100)
    Image.fromarray(np.full((80, 101), 255, np.uint8)).save(str(path))
    with pytest.raises(PreprocessError, match="101 x 80 pixels"):
        load_image(path)


def test_huge_array_is_refused():
    huge = np.broadcast_to(np.uint8(255), (8000, 6000, 3))  # 144 MB that take no memory
    with pytest.raises(PreprocessError, match="the image is too large: 6000 x 8000 pixels"):
        to_mnist(huge)


# -- judging a drawing -------------------------------------------------------------------------------

SURE = np.eye(10)[3]  # the network is certain it is a 3


def _pen_dot(radius: int) -> np.ndarray:
    """The drawing pad (280 x 280, dark ink on white) after one click of a round pen."""
    rows, cols = np.mgrid[:280, :280]
    return np.where((rows - 140) ** 2 + (cols - 140) ** 2 <= radius * radius, 0, 255).astype(np.uint8)


def test_every_mnist_digit_is_a_digit(mnist):
    images = (mnist.test_images[:2000, :, :, 0] * 255).astype(np.uint8)
    verdicts = [judge_drawing(to_mnist(image), SURE) for image in images]
    assert verdicts.count(Verdict.DIGIT) == len(images)


def test_drawn_digits_are_digits(digits):
    for digit in digits:
        assert judge_drawing(to_mnist(255 - _upscale(digit)), SURE) is Verdict.DIGIT


@pytest.mark.parametrize("radius", [10, 3, 40])  # the pad's 20 px pen, a fine pen, a fat blot
def test_a_single_dot_is_not_a_digit(radius):
    image = to_mnist(_pen_dot(radius))
    assert stroke_depth(image) > MAX_STROKE_DEPTH
    assert judge_drawing(image, SURE) is Verdict.NOT_A_DIGIT


def test_an_empty_pad_is_not_a_digit():
    assert judge_drawing(np.zeros((28, 28), np.float32), SURE) is Verdict.NOT_A_DIGIT


def test_an_unsure_network_is_not_sure(digits):
    image = to_mnist(255 - _upscale(digits[0]))
    assert judge_drawing(image, np.full(10, 0.1)) is Verdict.NOT_SURE
    assert judge_drawing(image, [0.45, 0.4] + [0.15 / 8] * 8) is Verdict.NOT_SURE
    assert judge_drawing(image, [0.5, 0.4] + [0.1 / 8] * 8) is Verdict.DIGIT
    assert Verdict.NOT_SURE == "not sure" and Verdict.NOT_A_DIGIT == "not a digit"  # the text to show


@pytest.mark.parametrize(
    ("image", "probabilities", "message"),
    [
        (np.zeros((280, 280)), SURE, "28x28"),
        (np.zeros((28, 28)), np.ones(9) / 9, "10 probabilities"),
        (np.zeros((28, 28)), np.full(10, np.nan), "NaN"),
        (np.full((28, 28), np.inf), SURE, "NaN"),
    ],
)
def test_judge_drawing_refuses_bad_input(image, probabilities, message):
    with pytest.raises(ValueError, match=message):
        judge_drawing(image, probabilities)
