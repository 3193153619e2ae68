"""Numpy-only helpers that turn kernels and activations into tiles and tiles into one mosaic.

No Qt here: the panels draw the mosaic with a single ImageItem (pyqtgraph's
VideoSpeedTest idea: one big image is far cheaper than many small ones), and these
functions are tested on their own.
"""

from __future__ import annotations

import math

import numpy as np

from convviz.constants import IMAGE_SIZE


def grid_shape(n: int, ncols: int | None = None) -> tuple:
    """Rows and columns of a grid for ``n`` tiles: ``ncols`` wide, or as square as possible."""
    if n <= 0:
        return 0, 0
    if ncols is None:
        ncols = math.ceil(math.sqrt(n))
    ncols = max(1, min(int(ncols), n))
    return math.ceil(n / ncols), ncols


def best_columns(n: int, tile_shape: tuple, box: tuple, pad: int = 1) -> int:
    """Columns that show ``n`` tiles of ``tile_shape`` (h, w) largest inside a ``box`` (width, height).

    A tall, narrow box gets a tall mosaic (few columns), a wide one a wide mosaic.
    """
    if n <= 0:
        return 1
    h, w = tile_shape
    box_w, box_h = box
    best, best_scale = 1, -1.0
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        scale = min(box_w / (cols * (w + pad) - pad), box_h / (rows * (h + pad) - pad))
        if scale > best_scale + 1e-9:
            best, best_scale = cols, scale
    return best


def mosaic(tiles: np.ndarray, ncols: int | None = None, pad: int = 1, fill: float = np.nan) -> np.ndarray:
    """Arrange ``n`` tiles of ``h x w`` row by row in one 2-D array.

    Parameters
    ----------
    tiles : array (n, h, w)
    ncols : tiles per row; default the smallest square grid that holds them all
    pad : pixels of ``fill`` between neighbouring tiles (none around the border)
    fill : value of the padding and of unused grid cells; NaN draws as transparent

    Returns
    -------
    array (rows * (h + pad) - pad, cols * (w + pad) - pad), float
    """
    tiles = np.asarray(tiles)
    if tiles.ndim != 3:
        raise ValueError(f"tiles must have shape (n, h, w), got {tiles.shape}")
    n, h, w = tiles.shape
    dtype = np.result_type(tiles.dtype, np.float32)
    if n == 0:
        return np.full((h, w), fill, dtype=dtype)
    rows, cols = grid_shape(n, ncols)
    cells = np.full((rows * cols, h + pad, w + pad), fill, dtype=dtype)
    cells[:n, :h, :w] = tiles
    out = cells.reshape(rows, cols, h + pad, w + pad).transpose(0, 2, 1, 3)
    out = out.reshape(rows * (h + pad), cols * (w + pad))
    return out[: out.shape[0] - pad, : out.shape[1] - pad]


def tile_origin(index: int, tile_shape: tuple, ncols: int, pad: int = 1) -> tuple:
    """(row, col) of the top-left pixel of tile ``index`` in a mosaic with ``ncols`` columns."""
    h, w = tile_shape
    r, c = divmod(index, ncols)
    return r * (h + pad), c * (w + pad)


def tile_at(row: float, col: float, tile_shape: tuple, n: int, ncols: int, pad: int = 1) -> int | None:
    """Index of the tile under mosaic pixel (row, col), or None over padding or outside."""
    h, w = tile_shape
    if row < 0 or col < 0:
        return None
    r, y = divmod(int(row), h + pad)
    c, x = divmod(int(col), w + pad)
    if y >= h or x >= w or c >= ncols:
        return None
    index = r * ncols + c
    return index if index < n else None


def conv_tiles(kernel: np.ndarray, channel: int | None = None) -> np.ndarray:
    """One tile per output channel of a TF conv kernel.

    Parameters
    ----------
    kernel : array (kh, kw, in_ch, out_ch), TensorFlow's layout
    channel : input channel to show, or None for the mean over input channels

    Returns
    -------
    array (out_ch, kh, kw)
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4:
        raise ValueError(f"a conv kernel has shape (kh, kw, in_ch, out_ch), got {kernel.shape}")
    if channel is None:
        per_out = kernel.mean(axis=2)
    else:
        if not 0 <= channel < kernel.shape[2]:
            raise IndexError(f"input channel {channel} out of range for {kernel.shape[2]} channels")
        per_out = kernel[:, :, channel, :]
    return np.ascontiguousarray(per_out.transpose(2, 0, 1))


def is_image_dense(kernel: np.ndarray) -> bool:
    """True for a dense kernel fed by the raw image, whose units can be shown as 28x28 images."""
    return np.ndim(kernel) == 2 and np.shape(kernel)[0] == IMAGE_SIZE * IMAGE_SIZE


def dense_tiles(kernel: np.ndarray) -> np.ndarray:
    """The weights of each hidden unit of a (784, units) dense kernel as a 28x28 image: (units, 28, 28)."""
    kernel = np.asarray(kernel)
    if not is_image_dense(kernel):
        raise ValueError(f"a first dense kernel has shape ({IMAGE_SIZE * IMAGE_SIZE}, units), got {kernel.shape}")
    return np.ascontiguousarray(kernel.T.reshape(kernel.shape[1], IMAGE_SIZE, IMAGE_SIZE))


def map_tiles(activation: np.ndarray) -> np.ndarray:
    """Activation maps (H, W, C) of one layer as tiles (C, H, W)."""
    activation = np.asarray(activation)
    if activation.ndim == 4 and activation.shape[0] == 1:
        activation = activation[0]  # a batch of one, as a session returns it
    if activation.ndim != 3:
        raise ValueError(f"activation maps have shape (H, W, C), got {activation.shape}")
    return np.ascontiguousarray(activation.transpose(2, 0, 1))


def symmetric_levels(values: np.ndarray) -> tuple:
    """(-m, +m) with m the largest finite magnitude, so that zero sits in the middle of the colour map."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    m = float(np.abs(finite).max()) if finite.size else 0.0
    if m == 0.0:
        m = 1.0
    return -m, m
