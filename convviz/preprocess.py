"""Turn a drawn or photographed digit into an MNIST-like 28 x 28 image.

MNIST was made from binary NIST scans (LeCun et al.): each digit was scaled so
that its longer side fits a 20 x 20 box, keeping the aspect ratio, with
anti-aliasing (hence the grey edges), then placed in a 28 x 28 field so that its
centre of mass sits at the centre. In pixel-index coordinates (row 0 at the
top, pixel centres at integers) the training images have their centre of mass
at (14.0, 14.0) +- 0.5, so the shift was the integer one that moves the
rounded centre of mass to (14, 14). :func:`to_mnist` repeats those steps for
any image, after two steps MNIST did not need because NIST was already clean:

1. polarity: the background is the majority colour (the median pixel); if the
   ink lies on its dark side the image is inverted, since MNIST is white ink
   on black;
2. levels: paper is never pure white and photos are noisy, so the background
   level (the median), the noise (from neighbour differences, so that smooth
   shading does not count) and the ink level (the median of the pixels above
   an Otsu threshold) are measured, and the image is stretched so that
   background -> 0 and ink -> 1. Everything less than
   ``max(5 sigma, 25 % of the contrast)`` above the background counts as
   paper (texture, noise, soft shadows), not ink. The digit's bounding box
   ignores rows and columns with under 2 % of the busiest one's ink, so a
   stray speck does not shrink the digit.

And one step after the scaling: NIST's writers filled a large box with a fine
pen, so MNIST's strokes are 1-4 px wide; a digit drawn small with a bold pen
(a hurried digit in a corner of the pad) comes out of the scaling with strokes
up to 9 px wide, loops nearly closed. Strokes wider than ``MAX_STROKE_WIDTH``
(:func:`stroke_width`) are eroded back to it, as if drawn with a finer pen
(:func:`_thinned`); a blob (a dot) is left as it is, and so is every digit
whose strokes are within MNIST's range.

Limits: a dark blotch (a deep shadow, a smudge) more than a quarter as dark as
the ink counts as ink, and so does anything at the image's edge that is not
the digit; crop photos to the digit.

Only numpy and Pillow: the drawing pad calls :func:`to_mnist` on every stroke,
and a 280 x 280 drawing takes about a millisecond (two when its strokes are thinned).

Judging a drawing (:func:`judge_drawing`): the network gives every input a
digit, a dot and a scribble too, so the pad asks first whether the drawing
can be a digit at all, then whether the network is sure:

* "not a digit": less than ``MIN_INK`` ink in the 28 x 28 image (MNIST's
  least-inked digit has 19), or a blob, not strokes: ``to_mnist`` scales any
  drawing to 20 px, so a dot becomes a filled disc whose ink survives more
  than ``MAX_STROKE_DEPTH`` erosions (a dot of the pad's pen: 9-10; MNIST's
  thickest digits: 7, one in 12,000; most: 2-3);
* "not sure": the network's highest probability is below ``MIN_CONFIDENCE``;
* "digit": otherwise.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import struct
import warnings
from typing import Union

import numpy as np
from PIL import Image, ImageOps

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConvVizError
from convviz.safefile import UnsafeFileError, open_regular

log = logging.getLogger(__name__)

DIGIT_BOX = 20  # MNIST digits are scaled so that the longer side is 20 px
CENTER = IMAGE_SIZE // 2  # rounded centre of mass goes to index (14, 14), as in MNIST
MIN_CONTRAST = 0.1  # ink must differ from the background by 10 % of full scale
NOISE_SIGMAS = 5.0  # paper noise within 5 sigma of the background is not ink
PAPER_FRACTION = 0.25  # nor is anything within 25 % of the way from paper to ink
BBOX_FRACTION = 0.02  # rows/columns with < 2 % of the busiest one's ink are specks, not digit
STATS_SAMPLES = 96  # levels are measured on at most ~96 x 96 sampled pixels (speed)
# Largest image taken, in pixels: a 40-megapixel photo is about 1 GB at its peak in to_mnist;
# Pillow itself only warns below 89 megapixels (a 144-megapixel PNG took 2.9 GB and 9 s).
MAX_IMAGE_PIXELS = 40_000_000
_ICON_MAGIC = (b"\0\0\1\0", b"\0\0\2\0")  # ICO, CUR
MAX_IMAGE_BYTES = 256 * 2**20  # an uncompressed 40-megapixel RGBA TIFF is 160 MB; a larger file is not read

# judge_drawing's rule (see the module docstring), measured on MNIST's 60,000 training
# digits through to_mnist and on dots of the pad's 20 px pen.
MIN_INK = 10.0  # total ink (sum of the 28x28 pixels in [0, 1]) below which nothing is drawn; MNIST's least: 19
INK_LEVEL = 0.5  # a pixel brighter than this is ink when counting erosions
MAX_STROKE_DEPTH = 7  # erosions a digit's ink survives; MNIST: at most 7, a dot of the pen: 9-10
# Stroke width (stroke_width, in pixels of the 28 x 28 image) of MNIST's 60,000 training digits:
# median 2.6, 95 % under 3.8, 99 % under 4.5. A small digit drawn with a bold pen and scaled up to
# the 20 px box comes out far bolder (a pad drawing 100 px tall with a 30 px pen: 6 px), and the
# network reads it worse; to_mnist thins strokes bolder than this (3 % of MNIST's) back to it.
MAX_STROKE_WIDTH = 4.0
THIN_SCALE = 4  # strokes are thinned at 4 px per pixel of the 20 px box
MIN_CONFIDENCE = 0.5  # the network is "not sure" when its best class has less than an even chance

# Pillow 9.1 moved the filters into Image.Resampling; older versions only have Image.LANCZOS.
_LANCZOS = getattr(Image, "Resampling", Image).LANCZOS

PathLike = Union[str, "os.PathLike[str]"]


class PreprocessError(ConvVizError, ValueError):
    """The image cannot be turned into a digit; the message is one line for the user."""


def load_image(path: PathLike) -> np.ndarray:
    """Read any image file as a 2-D float32 grayscale array in [0, 1].

    Transparent pixels are composited over white (how most viewers show them),
    and a photo's EXIF orientation is applied. Only a regular file is read (a FIFO
    or a device is refused before it is opened), and its size in pixels, every
    frame of an icon included, is checked from the headers before anything is decoded.

    Raises
    ------
    PreprocessError
        The file is missing, not a regular file, too large, or not an image Pillow can read.
    """
    name = os.fspath(path)
    with _checked_image(name) as image:
        try:
            with warnings.catch_warnings():
                # An image a container holds (an icon's frame) is checked by Pillow as it is opened in load().
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.load()
            if image.size[0] * image.size[1] > MAX_IMAGE_PIXELS:  # a frame larger than its header said
                raise PreprocessError(_too_large(f"image {name}", *image.size))
            image = ImageOps.exif_transpose(image)
            return _pil_to_gray(image)
        except PreprocessError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PreprocessError(_over_limit(name)) from None
        except (OSError, ValueError, SyntaxError, EOFError, struct.error) as exc:
            raise PreprocessError(f"cannot read image {name}: {_first_line(exc)}") from None


def image_size(path: PathLike) -> tuple[int, int]:
    """(width, height) of the image file ``path``, checked as :func:`load_image` checks it, nothing decoded."""
    with _checked_image(os.fspath(path)) as image:
        return image.size


@contextlib.contextmanager
def _checked_image(name: str):
    """The opened, not yet decoded, image ``name``: a regular file whose headers announce at most
    MAX_IMAGE_PIXELS in every frame that decoding it could touch. PreprocessError otherwise."""
    try:
        f = open_regular(name, MAX_IMAGE_BYTES)
    except FileNotFoundError:
        raise PreprocessError(f"cannot read image {name}: no such file") from None
    except UnsafeFileError as exc:
        raise PreprocessError(f"image {exc}") from None
    except OSError as exc:
        raise PreprocessError(f"cannot read image {name}: {exc.strerror or exc}") from None
    with f:
        if f.read(4) in _ICON_MAGIC:  # Pillow decodes an icon's largest frame while it opens it
            _check_icon_frames(f, name)
        f.seek(0)
        try:
            with warnings.catch_warnings():
                # Pillow warns about size at 89 megapixels; the limit below is lower and an error.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(f)
        except Image.DecompressionBombError:  # over twice Pillow's own limit: refused while opening
            raise PreprocessError(_over_limit(name)) from None
        except (OSError, ValueError, SyntaxError, EOFError, struct.error) as exc:
            # UnidentifiedImageError is an OSError; truncated files raise OSError or SyntaxError.
            raise PreprocessError(f"cannot read image {name}: {_first_line(exc)}") from None
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:  # checked before the pixels are decoded
                raise PreprocessError(_too_large(f"image {name}", width, height))
            yield image


def _check_icon_frames(f, name: str) -> None:
    """Refuse an icon (ICO, CUR) with a frame over MAX_IMAGE_PIXELS, from the frames' own headers:
    the directory's sizes stop at 256 x 256, but the PNG or BMP a frame holds may be of any size."""
    f.seek(0)
    head = f.read(6)
    count = struct.unpack("<H", head[4:6])[0] if len(head) == 6 else 0
    directory = f.read(16 * count)
    for i in range(len(directory) // 16):
        (offset,) = struct.unpack("<I", directory[16 * i + 12 : 16 * i + 16])
        f.seek(offset)
        frame = f.read(24)
        if frame[:8] == b"\x89PNG\r\n\x1a\n" and len(frame) == 24:
            width, height = struct.unpack(">II", frame[16:24])
        elif len(frame) >= 12:  # a BMP without its file header: the height counts the mask too
            width, height = struct.unpack("<ii", frame[4:12])
            width, height = abs(width), abs(height) // 2
        else:
            continue  # Pillow reports the truncated frame when it reads it
        if width * height > MAX_IMAGE_PIXELS:
            raise PreprocessError(_too_large(f"image {name} (icon frame {i + 1})", width, height))


def _over_limit(name: str) -> str:
    return f"image {name} is too large: over {MAX_IMAGE_PIXELS // 1_000_000} megapixels"


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__


def _too_large(what: str, width: int, height: int) -> str:
    return (
        f"{what} is too large: {width} x {height} pixels, over {MAX_IMAGE_PIXELS // 1_000_000} megapixels; "
        "scale it down or crop it to the digit"
    )


def _pil_to_gray(image: Image.Image) -> np.ndarray:
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # 16-bit and float images: Pillow's convert("L") would clip them.
        array = np.asarray(image, dtype=np.float32)
        top = 1.0 if image.mode == "F" and array.max() <= 1.0 else 255.0 if array.max() <= 255 else 65535.0
        return np.clip(array / top, 0.0, 1.0).astype(np.float32)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.asarray(image.convert("L"), dtype=np.float32) / np.float32(255.0)


def to_mnist(image: np.ndarray, invert: bool | None = None) -> np.ndarray:
    """Turn a digit image of any size into a 28 x 28 MNIST-like image.

    Parameters
    ----------
    image
        2-D grayscale (uint8 0-255, or float in [0, 1]; floats above 1 are read
        as 0-255), or H x W x 3 / H x W x 4 colour (alpha composited over white).
    invert
        ``True``: the input is dark ink on a light background; ``False``: light
        ink on dark, like MNIST; ``None`` (default): decide from the background,
        which is the majority colour.

    Returns
    -------
    numpy.ndarray
        float32, shape (28, 28), values in [0, 1], white ink on black, the
        digit's longer side 20 px and its rounded centre of mass at (14, 14)
        (unless that would push ink off the field; the shift is then clipped).

    Raises
    ------
    PreprocessError
        The array is not an image, contains NaN/inf, or holds no ink.
    """
    gray = _as_gray(image)
    small = _sample(gray)
    background = float(np.median(small))
    lowest, highest = float(gray.min()), float(gray.max())
    if invert is None:
        invert = background - lowest > highest - background
    if invert:
        gray = 1.0 - gray
        small = 1.0 - small
        background = 1.0 - background
    noise = _noise_sigma(small)

    ink_level = _ink_level(gray, background)
    contrast = ink_level - background
    if contrast < max(MIN_CONTRAST, NOISE_SIGMAS * noise):
        raise PreprocessError("the image is empty: draw a digit first")
    paper = background + max(NOISE_SIGMAS * noise, PAPER_FRACTION * contrast)
    log.debug(
        "levels: inverted=%s background=%.3f noise=%.3f paper=%.3f ink=%.3f",
        invert,
        background,
        noise,
        paper,
        ink_level,
    )
    if ink_level - paper < 1e-6:
        raise PreprocessError("the image is empty: draw a digit first")
    ink = np.clip((gray - np.float32(paper)) * np.float32(1.0 / (ink_level - paper)), 0.0, 1.0)

    rows, cols = _ink_span(ink.sum(axis=1)), _ink_span(ink.sum(axis=0))
    if rows is None or cols is None:
        raise PreprocessError("the image is empty: draw a digit first")
    digit = np.ascontiguousarray(ink[rows[0] : rows[1], cols[0] : cols[1]], dtype=np.float32)
    fitted = _fit_box(digit, DIGIT_BOX)
    width = stroke_width(fitted)
    if width > MAX_STROKE_WIDTH:  # a small digit drawn with a bold pen: its strokes thinned to MNIST's
        fitted = _fit_box(_thinned(digit, width), DIGIT_BOX)
    return _paste_centered(fitted)


class Verdict(str, enum.Enum):
    """What the drawing pad shows beside the network's answer (equal to its text)."""

    DIGIT = "digit"
    NOT_SURE = "not sure"
    NOT_A_DIGIT = "not a digit"


def judge_drawing(image28: np.ndarray, probabilities: np.ndarray) -> Verdict:
    """Whether a preprocessed drawing is a digit the network recognises (rule: module docstring).

    Parameters
    ----------
    image28
        The 28 x 28 image in [0, 1] that :func:`to_mnist` made (all zeros for an
        empty pad).
    probabilities
        The network's 10 class probabilities for it.

    Returns
    -------
    Verdict
        ``NOT_A_DIGIT`` (too little ink, or a blob such as a single dot),
        ``NOT_SURE`` (top probability below ``MIN_CONFIDENCE``) or ``DIGIT``.

    Raises
    ------
    ValueError
        Not a 28 x 28 image, not 10 probabilities, or NaN/infinite values.
    """
    image = np.asarray(image28, dtype=np.float32)
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    if image.shape != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(f"expected a {IMAGE_SIZE}x{IMAGE_SIZE} image, got shape {image.shape}")
    if p.shape != (NUM_CLASSES,):
        raise ValueError(f"expected {NUM_CLASSES} probabilities, got {p.size}")
    if not (np.isfinite(image).all() and np.isfinite(p).all()):
        raise ValueError("the image or the probabilities contain NaN or infinite values")
    if float(image.sum()) < MIN_INK or stroke_depth(image) > MAX_STROKE_DEPTH:
        return Verdict.NOT_A_DIGIT
    if float(p.max()) < MIN_CONFIDENCE:
        return Verdict.NOT_SURE
    return Verdict.DIGIT


def stroke_depth(image: np.ndarray, level: float = INK_LEVEL) -> int:
    """How many 4-neighbour erosions the ink (pixels above ``level``) survives: about half the
    thickest stroke's width (0 for no ink)."""
    ink = np.asarray(image) > level
    depth = 0
    while ink.any():
        core = np.zeros_like(ink)
        core[1:-1, 1:-1] = ink[1:-1, 1:-1] & ink[:-2, 1:-1] & ink[2:, 1:-1] & ink[1:-1, :-2] & ink[1:-1, 2:]
        ink = core
        depth += 1
    return depth


def stroke_width(image: np.ndarray) -> float:
    """The strokes' mean width in pixels: twice the ink over the length of its edges.

    A stroke of width ``w`` and length ``l`` has ``w * l`` ink and ``2 * l`` of edge; the ink
    is summed as it is (grey included) and the edge length is the sum of the ink's gradient
    magnitude, so anti-aliased strokes measure their width to a fraction of a pixel. A filled
    disc measures its radius. 0 for no ink.
    """
    ink = np.asarray(image, dtype=np.float64)
    padded = np.pad(ink, 1)
    dy = padded[2:, 1:-1] - padded[:-2, 1:-1]  # central differences: rises of 1 over 2 px
    dx = padded[1:-1, 2:] - padded[1:-1, :-2]
    edge = float(np.hypot(dx, dy).sum()) / 2.0
    return 2.0 * float(ink.sum()) / edge if edge > 0 else 0.0


def _thinned(digit: np.ndarray, width: float) -> np.ndarray:
    """``digit`` (the cropped ink, any size) eroded, as if drawn with a finer pen, until fitted to
    DIGIT_BOX its strokes are MAX_STROKE_WIDTH wide instead of ``width``; cropped to its ink again.
    ``digit`` itself if its ink is a blob, not strokes.

    A step takes the pen's edge in by a pixel on every side (of the digit at THIN_SCALE pixels per
    pixel of the box), which shrinks the box too, so the width is measured again after each step
    rather than foretold: where a thick pen had closed a loop, the loop opens as the strokes thin,
    and the strokes are then thinner than one measure of the whole says. A blob (a dot, a loop
    filled to the brim) shrinks as a whole and keeps its width relative to its box: a step that
    thins the ink by less than half of what it thins a stroke leaves the drawing as it was.
    """
    work = THIN_SCALE * DIGIT_BOX
    height, width_px = digit.shape
    scale = work / float(max(height, width_px))
    size = (max(1, round(width_px * scale)), max(1, round(height * scale)))
    image = np.clip(np.asarray(Image.fromarray(digit).resize(size, _LANCZOS), dtype=np.float32), 0.0, 1.0)
    image = np.pad(image, 1)
    current, before = width, _cropped(image)
    for step in range(int(width * THIN_SCALE) // 2 + 1):  # a step thins a stroke by 2 px of the work scale
        eroded = _erode_once(image, square=step % 2 == 1)  # crosses and squares in turn: about a disc
        crop = _cropped(eroded)
        if crop is None or before is None:
            break
        was = stroke_width(before) / max(before.shape)
        as_stroke = (stroke_width(before) - 2.0) / max(crop.shape)
        if was - stroke_width(crop) / max(crop.shape) < 0.5 * (was - as_stroke):
            break
        thinner = stroke_width(_fit_box(crop, DIGIT_BOX))  # measured as to_mnist measures it
        if thinner <= MAX_STROKE_WIDTH:  # between this step and the one before: blend the two
            blend = np.float32((current - MAX_STROKE_WIDTH) / (current - thinner))
            return _cropped((1 - blend) * image + blend * eroded)
        image, current, before = eroded, thinner, crop
    return digit


def _cropped(image: np.ndarray) -> np.ndarray | None:
    rows, cols = _ink_span(image.sum(axis=1)), _ink_span(image.sum(axis=0))
    if rows is None or cols is None:
        return None
    return np.ascontiguousarray(image[rows[0] : rows[1], cols[0] : cols[1]])


def _erode_once(image: np.ndarray, square: bool) -> np.ndarray:
    padded = np.pad(image, 1)
    out = np.minimum.reduce([image, padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]])
    if square:
        out = np.minimum.reduce([out, padded[:-2, :-2], padded[:-2, 2:], padded[2:, :-2], padded[2:, 2:]])
    return out


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Intensity-weighted centre (row, col) in pixel-index coordinates.

    Raises
    ------
    PreprocessError
        The image is not 2-D or has no mass (all zero).
    """
    array = np.asarray(image, dtype=np.float64)
    if array.ndim != 2:
        raise PreprocessError(f"expected a 2-D image, got shape {array.shape}")
    total = array.sum()
    if not total > 0:
        raise PreprocessError("the image is empty: it has no ink to take the centre of")
    row = float(array.sum(axis=1) @ np.arange(array.shape[0])) / total
    col = float(array.sum(axis=0) @ np.arange(array.shape[1])) / total
    return row, col


def _as_gray(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim in (2, 3) and array.shape[0] * array.shape[1] > MAX_IMAGE_PIXELS:
        raise PreprocessError(_too_large("the image", array.shape[1], array.shape[0]))
    if array.ndim == 3 and array.shape[2] in (3, 4):
        array = _rgb_to_gray(array)
    if array.ndim != 2:
        raise PreprocessError(f"expected a 2-D grayscale or H x W x 3/4 colour image, got shape {array.shape}")
    if array.size == 0:
        raise PreprocessError("the image is empty: it has no pixels")
    if array.dtype == np.bool_:
        return array.astype(np.float32)
    if array.dtype == np.uint16:
        return array.astype(np.float32) / np.float32(65535.0)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise PreprocessError(f"expected a numeric image, got dtype {array.dtype}")
    gray = array.astype(np.float32)
    if not np.isfinite(gray).all():
        raise PreprocessError("the image contains NaN or infinite values")
    if np.issubdtype(array.dtype, np.integer) or gray.max() > 1.0:
        gray *= np.float32(1.0 / 255.0)
    return gray


def _rgb_to_gray(array: np.ndarray) -> np.ndarray:
    scale = 255.0 if np.issubdtype(array.dtype, np.integer) else 1.0
    rgb = array[..., :3].astype(np.float32) / np.float32(scale)
    # ITU-R 601 luma, the weights Pillow's convert("L") uses.
    gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if array.shape[2] == 4:
        alpha = array[..., 3].astype(np.float32) / np.float32(scale)
        gray = gray * alpha + (1.0 - alpha)  # over white
    if scale == 255.0:
        gray *= np.float32(255.0)  # keep the 0-255 convention for _as_gray
    return gray


def _sample(gray: np.ndarray) -> np.ndarray:
    """A strided subsample: the median of 9000 pixels is as good as that of 78400."""
    step = max(1, max(gray.shape) // STATS_SAMPLES)
    return gray[::step, ::step]


def _noise_sigma(small: np.ndarray) -> float:
    """Pixel noise, from neighbour differences: blind to smooth shading, ink edges are outliers."""
    if small.shape[1] < 2:
        return 0.0
    steps = np.diff(small, axis=1)
    mad = float(np.median(np.abs(steps - np.median(steps))))
    return 1.4826 * mad / np.sqrt(2.0)  # MAD -> Gaussian sigma; a difference has twice the variance


def _ink_level(gray: np.ndarray, background: float) -> float:
    """Typical ink intensity: the median pixel above the Otsu threshold (ink brighter)."""
    # Rounded, not truncated, so that an image and its inverse fall into mirrored bins.
    levels_u8 = (np.clip(gray, 0.0, 1.0) * np.float32(255.0) + np.float32(0.5)).astype(np.uint8)
    counts = np.bincount(levels_u8.ravel(), minlength=256)
    counts = counts.astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(counts)
    mass = np.cumsum(counts * levels)
    total_weight, total_mass = weight[-1], mass[-1]
    upper = total_weight - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_low = mass / weight
        mean_high = (total_mass - mass) / upper
        between = weight * upper * (mean_low - mean_high) ** 2
    between[~np.isfinite(between)] = -1.0
    threshold = int(np.argmax(between))  # ink is the bins above this one
    # Only the ink side of the background counts (after inversion ink is bright).
    threshold = max(threshold, round(background * 255.0))
    above = counts[threshold + 1 :]
    if above.sum() == 0:
        return background
    # Median of the ink pixels, from the histogram.
    cumulative = np.cumsum(above)
    median_bin = threshold + 1 + int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return median_bin / 255.0


def _ink_span(profile: np.ndarray) -> tuple[int, int] | None:
    """[first, last + 1) of the rows (or columns) holding a real share of the ink."""
    peak = float(profile.max())
    if not peak > 0:
        return None
    busy = np.flatnonzero(profile > BBOX_FRACTION * peak)
    return int(busy[0]), int(busy[-1]) + 1


def _fit_box(digit: np.ndarray, box: int) -> np.ndarray:
    """Scale so the longer side is ``box`` px, keeping the aspect ratio (Lanczos anti-aliasing)."""
    height, width = digit.shape
    scale = box / float(max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # Pillow: (w, h)
    resized = np.asarray(Image.fromarray(digit).resize(size, _LANCZOS), dtype=np.float32)
    return np.clip(resized, 0.0, 1.0)  # Lanczos rings slightly below 0 and above 1


def _paste_centered(digit: np.ndarray) -> np.ndarray:
    """Put the digit in a 28 x 28 field with its rounded centre of mass at (14, 14).

    The shift is an integer, as in MNIST, and is clipped so that no ink falls off
    the field (which can only happen for very lopsided shapes).
    """
    height, width = digit.shape
    row, col = center_of_mass(digit)
    top = min(max(CENTER - int(np.floor(row + 0.5)), 0), IMAGE_SIZE - height)
    left = min(max(CENTER - int(np.floor(col + 0.5)), 0), IMAGE_SIZE - width)
    field = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    field[top : top + height, left : left + width] = digit
    return field
