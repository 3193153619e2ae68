"""tiles.py without Qt: mosaic layout, kernel and activation tiles, symmetric levels."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.gui.common import tiles


def test_mosaic_places_tiles_row_by_row_with_nan_padding():
    t = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    m = tiles.mosaic(t, ncols=3, pad=1)
    assert m.shape == (2 * 3 - 1, 3 * 4 - 1)
    np.testing.assert_array_equal(m[0:2, 0:3], t[0])
    np.testing.assert_array_equal(m[0:2, 4:7], t[1])
    np.testing.assert_array_equal(m[3:5, 4:7], t[4])  # row 1, col 1
    assert np.isnan(m[2]).all()  # padding row
    assert np.isnan(m[:, 3]).all()  # padding column
    assert np.isnan(m[3:5, 8:11]).all()  # unused sixth cell


def test_mosaic_default_grid_is_square_and_pad_zero_is_seamless():
    t = np.ones((10, 4, 4))
    assert tiles.mosaic(t).shape == (3 * 5 - 1, 4 * 5 - 1)
    m = tiles.mosaic(t, ncols=5, pad=0, fill=0.0)
    assert m.shape == (8, 20)
    assert (m == 1).all()


def test_mosaic_rejects_wrong_rank():
    with pytest.raises(ValueError):
        tiles.mosaic(np.zeros((4, 4)))


def test_tile_at_inverts_tile_origin():
    shape, ncols, n = (5, 5), 8, 64
    for index in (0, 7, 8, 63):
        r, c = tiles.tile_origin(index, shape, ncols)
        assert tiles.tile_at(r + 2, c + 4, shape, n, ncols) == index
    assert tiles.tile_at(5, 0, shape, n, ncols) is None  # padding row
    assert tiles.tile_at(0, 8 * 6, shape, n, ncols) is None  # right of the grid


def test_conv_tiles_picks_channel_or_mean():
    rng = np.random.default_rng(0)
    k = rng.normal(size=(5, 5, 3, 8))
    assert tiles.conv_tiles(k, None).shape == (8, 5, 5)
    np.testing.assert_allclose(tiles.conv_tiles(k, 2)[6], k[:, :, 2, 6])
    np.testing.assert_allclose(tiles.conv_tiles(k, None)[6], k[:, :, :, 6].mean(axis=2))
    with pytest.raises(IndexError):
        tiles.conv_tiles(k, 3)


def test_dense_tiles_are_the_units_input_weights_as_images():
    k = np.arange(784 * 3, dtype=float).reshape(784, 3)
    t = tiles.dense_tiles(k)
    assert t.shape == (3, 28, 28)
    np.testing.assert_array_equal(t[1].ravel(), k[:, 1])  # row-major: pixel (r, c) is input r*28+c
    assert t[2, 1, 0] == k[28, 2]
    with pytest.raises(ValueError):
        tiles.dense_tiles(np.zeros((300, 10)))


def test_map_tiles_and_symmetric_levels():
    a = np.zeros((4, 6, 2))
    a[1, 2, 1] = 3.0
    t = tiles.map_tiles(a)
    assert t.shape == (2, 4, 6) and t[1, 1, 2] == 3.0
    assert tiles.map_tiles(a[None]).shape == (2, 4, 6)
    assert tiles.symmetric_levels(np.array([-0.5, 0.2, np.nan])) == (-0.5, 0.5)
    assert tiles.symmetric_levels(np.zeros(3)) == (-1.0, 1.0)


def test_best_columns_fits_the_box():
    assert tiles.best_columns(64, (28, 28), (400, 400)) == 8  # square box: square grid
    assert tiles.best_columns(64, (28, 28), (100, 400)) in (4, 3)  # tall box: tall mosaic
    assert tiles.best_columns(6, (5, 5), (600, 100)) == 6  # wide box: one row
    assert tiles.best_columns(1, (7, 7), (10, 10)) == 1 and tiles.best_columns(0, (7, 7), (10, 10)) == 1
