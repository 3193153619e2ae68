"""Tests for convviz.data: reading real MNIST, where it is looked for, damaged files, batching.

Real MNIST comes from tests/conftest.py's mnist_dir() (CONVVIZ_DATA_DIR, else
../shared/data/mnist or the user's folders, else downloaded once; never skipped).
The small fake-but-valid IDX files and the ways to damage them are in tests/mnistfakes.py;
downloading is tested in tests/test_data_download.py.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from convviz import data, download, mnistfiles
from convviz.data import MNIST_FILES, DataError
from tests import mnistfakes
from tests.conftest import mnist_dir
from tests.mnistfakes import (
    N_FAKE_TEST,
    N_FAKE_TRAIN,
    damage_content,
    damage_gzip,
    damage_html,
    damage_magic,
    damage_truncated,
    fake_contents,
    idx_labels,
    write_dir,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]

# The fixtures this module uses, bound here so that pytest finds them (isolated_home is autouse).
isolated_home = mnistfakes.isolated_home
fake = mnistfakes.fake
tight_limits = mnistfakes.tight_limits


@pytest.fixture(scope="module")
def real_dir() -> Path:
    return mnist_dir()


# --------------------------------------------------------------------------- constants


def test_constants():
    assert set(MNIST_FILES) == {"train_images", "train_labels", "test_images", "test_labels"}
    assert set(mnistfiles.SHA256) == set(MNIST_FILES.values())
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in mnistfiles.SHA256.values())
    assert download.MIRRORS[0] == "http://yann.lecun.com/exdb/mnist/"  # deep-teaching-commons' page first
    assert "https://ossci-datasets.s3.amazonaws.com/mnist/" in download.MIRRORS
    assert download.MIRRORS[-1] == "https://storage.googleapis.com/cvdf-datasets/mnist/"
    assert len(set(download.MIRRORS)) == len(download.MIRRORS)


def test_data_error_is_one_line():
    err = DataError("first\nsecond", "/x")
    assert str(err) == "first second"
    assert err.path == Path("/x")


# --------------------------------------------------------------------------- real MNIST


def test_real_mnist(real_dir):
    m = data.load_mnist(real_dir)
    assert m.source == str(real_dir)
    assert m.train_images.shape == (60000, 28, 28, 1)
    assert m.test_images.shape == (10000, 28, 28, 1)
    assert m.train_images.dtype == np.float32 and m.test_images.dtype == np.float32
    assert m.train_labels.shape == (60000,) and m.test_labels.shape == (10000,)
    assert m.train_labels.dtype == np.int64 and m.test_labels.dtype == np.int64
    for images in (m.train_images, m.test_images):
        assert images.min() == 0.0 and images.max() == 1.0
    assert m.train_labels[:10].tolist() == FIRST_TRAIN_LABELS
    assert np.bincount(m.train_labels, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(m.test_labels, minlength=10).tolist() == TEST_COUNTS
    # uint8 / 255: every value is an exact multiple of 1/255 in float32.
    sample = m.train_images[:100]
    assert np.array_equal(sample, (np.round(sample * 255).astype(np.uint8) / np.float32(255)).astype(np.float32))


def test_real_mnist_second_load_is_cached(real_dir):
    first = data.load_mnist(real_dir)
    second = data.load_mnist(real_dir)
    assert second.train_images is first.train_images  # not read again
    assert not first.train_images.flags.writeable
    with pytest.raises(ValueError):
        first.train_images[0, 0, 0, 0] = 1.0
    # Labels are per-call copies: writeable, and changing one leaves the next load alone.
    assert first.train_labels.flags.writeable
    first.train_labels[0] = 7
    assert data.load_mnist(real_dir).train_labels[0] == 5


def test_real_mnist_found_through_env(real_dir, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(real_dir))
    assert data.find_mnist() == real_dir
    assert data.load_mnist().source == str(real_dir)
    data.verify_mnist_dir(real_dir)


def test_subset(real_dir):
    m = data.load_mnist(real_dir)
    small = m.subset(100)
    assert small.train_images.shape == (100, 28, 28, 1) and small.train_labels.shape == (100,)
    assert np.array_equal(small.train_images, m.train_images[:100])
    assert small.test_images is m.test_images and small.test_labels is m.test_labels
    small.train_labels[0] = 9
    assert m.train_labels[0] == 5
    assert m.subset(None) is m and m.subset(60000) is m
    with pytest.raises(ValueError):
        m.subset(0)


def test_agrees_with_deep_teaching_commons(real_dir):
    dtc_mnist = pytest.importorskip("deep_teaching_commons.data.fundamentals.mnist")
    reader = dtc_mnist.Mnist(data_dir=str(real_dir), auto_download=False, verbose=False)
    train_x, train_y, test_x, test_y = reader.get_all_data(flatten=False)  # uint8, not normalized
    m = data.load_mnist(real_dir)
    for ours, theirs in ((m.train_images, train_x), (m.test_images, test_x)):
        assert np.array_equal(np.round(ours[..., 0] * 255).astype(np.uint8), theirs)
    assert np.array_equal(m.train_labels, train_y)
    assert np.array_equal(m.test_labels, test_y)


# --------------------------------------------------------------------------- where to look


def test_default_dirs(isolated_home, monkeypatch):
    assert data.dtc_data_dir() == isolated_home / "deep.TEACHING" / "data" / "MNIST"
    assert data.cache_dir() == isolated_home / "xdg-cache" / "convviz" / "mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data.cache_dir() == isolated_home / ".cache" / "convviz" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert data.cache_dir() == isolated_home / ".cache" / "convviz" / "mnist"


def test_dtc_dir_matches_deep_teaching_commons(isolated_home):
    config = pytest.importorskip("deep_teaching_commons.config")
    # dtc expands "~" at import time; compare the same expression at call time.
    assert config.BASE_DATA_DIR.endswith(os.path.join("deep.TEACHING", "data"))
    assert data.dtc_data_dir() == Path(os.path.expanduser("~/deep.TEACHING/data")) / "MNIST"


def test_candidate_dirs_order(tmp_path, monkeypatch):
    explicit, env = tmp_path / "explicit", tmp_path / "env"
    assert data.candidate_dirs() == [data.dtc_data_dir(), data.cache_dir()]
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(env))
    assert data.candidate_dirs() == [env, data.dtc_data_dir(), data.cache_dir()]
    assert data.candidate_dirs(explicit) == [explicit, data.dtc_data_dir(), data.cache_dir()]
    assert data.candidate_dirs(str(explicit)) == [explicit, data.dtc_data_dir(), data.cache_dir()]
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data.cache_dir()))  # no duplicates
    assert data.candidate_dirs() == [data.cache_dir(), data.dtc_data_dir()]


def test_find_order(tmp_path, monkeypatch, fake):
    explicit, env = tmp_path / "explicit", tmp_path / "env"
    assert data.find_mnist() is None
    write_dir(data.cache_dir(), fake)
    assert data.find_mnist() == data.cache_dir()
    write_dir(data.dtc_data_dir(), fake)
    assert data.find_mnist() == data.dtc_data_dir()
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(env))
    assert data.find_mnist() == data.dtc_data_dir()  # env folder still empty
    write_dir(env, fake)
    assert data.find_mnist() == env
    assert data.find_mnist(explicit) == data.dtc_data_dir()  # explicit folder empty: next candidate
    write_dir(explicit, fake)
    assert data.find_mnist(explicit) == explicit
    assert data.load_mnist(explicit).source == str(explicit)


def test_find_needs_all_four_files(tmp_path, fake):
    d = write_dir(tmp_path / "d", fake)
    (d / MNIST_FILES["test_labels"]).unlink()
    assert data.find_mnist(d) is None


def test_uncompressed_files(tmp_path, fake):
    d = write_dir(tmp_path / "raw", fake, compress=False)
    assert data.find_mnist(d) == d
    m = data.load_mnist(d)
    assert m.train_images.shape == (N_FAKE_TRAIN, 28, 28, 1) and m.test_labels.shape == (N_FAKE_TEST,)
    pixels = np.frombuffer(fake[MNIST_FILES["train_images"]], np.uint8, offset=16).reshape(-1, 28, 28, 1)
    assert np.array_equal(m.train_images, pixels.astype(np.float32) / 255)
    labels = np.frombuffer(fake[MNIST_FILES["test_labels"]], np.uint8, offset=8)
    assert np.array_equal(m.test_labels, labels)


def test_replaced_file_is_read_again(tmp_path, fake, monkeypatch):
    d = write_dir(tmp_path / "d", fake)
    before = data.load_mnist(d)
    name = MNIST_FILES["train_labels"]
    new = idx_labels(N_FAKE_TRAIN, seed=42)
    monkeypatch.setitem(mnistfiles.SHA256, name, hashlib.sha256(new).hexdigest())
    tmp = d / "new.tmp"
    tmp.write_bytes(gzip.compress(new))
    os.replace(str(tmp), str(d / name))
    after = data.load_mnist(d)
    assert np.array_equal(after.train_labels, np.frombuffer(new, np.uint8, offset=8))
    assert not np.array_equal(after.train_labels, before.train_labels)


def test_not_found_message(tmp_path, fake):
    partial = write_dir(tmp_path / "partial", fake)
    (partial / MNIST_FILES["test_images"]).unlink()
    with pytest.raises(DataError) as info:
        data.load_mnist(partial)
    message = str(info.value)
    assert "\n" not in message
    assert str(partial) in message and MNIST_FILES["test_images"] in message
    assert str(data.dtc_data_dir()) in message and str(data.cache_dir()) in message
    assert "--data-dir" in message and "CONVVIZ_DATA_DIR" in message and "download" in message
    with pytest.raises(DataError, match=r"lacks t10k-images-idx3-ubyte\.gz"):
        data.verify_mnist_dir(partial)


# --------------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (damage_truncated, "truncated"),
        (damage_magic, "magic"),
        (damage_gzip, "gzip file"),  # "corrupt" or "truncated": zlib decides
        (damage_content, "unexpected content"),
        (damage_html, "not an MNIST"),
    ],
)
@pytest.mark.parametrize("key", ["train_images", "test_labels"])
def test_damaged_file(tmp_path, fake, damage, expected, key):
    d = write_dir(tmp_path / "d", fake)
    path = d / MNIST_FILES[key]
    damage(path)
    for call in (data.load_mnist, data.verify_mnist_dir):
        with pytest.raises(DataError) as info:
            call(d)
        message = str(info.value)
        assert "\n" not in message
        assert str(path) in message and expected in message
        # The fix, in words the CLI (with or without --no-download) and the window share.
        assert message.endswith("replace it with a good copy, or delete it and allow the download")
        assert "python main.py" not in message
        assert info.value.path == path


def test_truncated_uncompressed_file(tmp_path, fake):
    d = write_dir(tmp_path / "d", fake, compress=False)
    path = d / MNIST_FILES["train_images"][: -len(".gz")]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"truncated \(15596 of 15696 bytes\)"):
        data.load_mnist(d)


def test_limits_fit_real_mnist(real_dir):
    for name, size in mnistfiles.IDX_BYTES.items():
        with gzip.open(str(real_dir / name)) as f:
            assert len(f.read()) == size  # the real files are exactly this large
        assert (real_dir / name).stat().st_size <= mnistfiles.MAX_FILE_BYTES[name]
    # gzip of incompressible data fits: the limit is not only right for the files we have.
    noise = np.random.RandomState(0).bytes(200_000)
    assert len(gzip.compress(noise, compresslevel=9)) <= mnistfiles.stored_limit(len(noise))


def _peak_bytes(call) -> int:
    """Peak memory Python allocates while ``call()`` runs (zlib's output buffers are Python bytes)."""
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_gzip_bomb_is_refused_without_being_expanded(tmp_path, fake, tight_limits):
    d = write_dir(tmp_path / "d", fake)
    name = MNIST_FILES["train_images"]
    bomb = gzip.compress(fake[name][:16] + bytes(15_000_000))  # a header and 15 MB of zeros in ~15 KB
    assert len(bomb) < mnistfiles.MAX_FILE_BYTES[name]  # small enough to be read: the inflation is what must stop
    (d / name).write_bytes(bomb)

    def load():
        with pytest.raises(DataError, match=rf"decompresses to more than {len(fake[name])} bytes"):
            data.load_mnist(d)

    assert _peak_bytes(load) < 5_000_000  # gzip.decompress would hold all 50 MB


def test_oversized_file_is_refused_without_being_read(tmp_path, fake, tight_limits):
    d = write_dir(tmp_path / "d", fake, compress=False)
    path = d / MNIST_FILES["test_images"][: -len(".gz")]
    with path.open("ab") as f:
        f.truncate(50_000_000)  # sparse: 50 MB that take no disk

    def load():
        with pytest.raises(DataError, match="is too large") as info:
            data.load_mnist(d)
        assert info.value.path == path and str(path) in str(info.value)

    assert _peak_bytes(load) < 5_000_000


def test_gzip_members_and_padding(tmp_path, fake):
    d = write_dir(tmp_path / "d", fake)
    name = MNIST_FILES["test_images"]
    content = fake[name]
    # Two members, then zero padding: gzip reads it, so must we.
    (d / name).write_bytes(gzip.compress(content[:1000]) + gzip.compress(content[1000:]) + bytes(10))
    assert data.load_mnist(d).test_images.shape == (N_FAKE_TEST, 28, 28, 1)
    (d / name).write_bytes(gzip.compress(content) + b"trailing junk")
    with pytest.raises(DataError, match="corrupt gzip file"):
        data.load_mnist(d)


def test_image_and_label_counts_must_match(tmp_path, monkeypatch):
    contents = fake_contents()
    contents[MNIST_FILES["train_labels"]] = idx_labels(N_FAKE_TRAIN - 1)
    monkeypatch.setattr(mnistfiles, "SHA256", {name: hashlib.sha256(c).hexdigest() for name, c in contents.items()})
    d = write_dir(tmp_path / "d", contents)
    with pytest.raises(DataError, match="20 train images but 19 labels"):
        data.load_mnist(d)


# --------------------------------------------------------------------------- batching


@pytest.mark.parametrize(("n", "batch_size"), [(100, 10), (103, 10), (7, 10), (10, 1), (64, 64)])
def test_minibatches_cover_every_sample_once(n, batch_size):
    images = np.arange(n, dtype=np.float32).reshape(n, 1, 1, 1) * np.ones((1, 28, 28, 1), np.float32)
    labels = np.arange(n, dtype=np.int64)
    batches = list(data.minibatches(images, labels, batch_size, np.random.RandomState(0)))
    assert len(batches) == data.batches_per_epoch(n, batch_size)
    sizes = [len(y) for _, y in batches]
    assert sizes[:-1] == [batch_size] * (len(batches) - 1)
    assert sizes[-1] == n - batch_size * (len(batches) - 1)
    seen = np.concatenate([y for _, y in batches])
    assert sorted(seen.tolist()) == list(range(n))
    for x, y in batches:
        assert x.shape == (len(y), 28, 28, 1)
        assert np.array_equal(x[:, 0, 0, 0], y.astype(np.float32))  # images stay with their labels


def test_minibatches_order():
    n = 50
    images, labels = np.zeros((n, 28, 28, 1), np.float32), np.arange(n)
    rng = np.random.RandomState(1)
    epoch1 = np.concatenate([y for _, y in data.minibatches(images, labels, 8, rng)])
    epoch2 = np.concatenate([y for _, y in data.minibatches(images, labels, 8, rng)])
    assert not np.array_equal(epoch1, epoch2)  # a fresh permutation per epoch
    assert not np.array_equal(epoch1, labels)  # shuffled at all
    rng = np.random.RandomState(1)
    again = np.concatenate([y for _, y in data.minibatches(images, labels, 8, rng)])
    assert np.array_equal(again, epoch1)  # same seed, same order


def test_minibatches_from_read_only_arrays_are_writeable_copies(tmp_path, fake):
    m = data.load_mnist(write_dir(tmp_path / "d", fake))
    x, _ = next(data.minibatches(m.train_images, m.train_labels, 4, np.random.RandomState(0)))
    assert x.flags.writeable and x.shape == (4, 28, 28, 1)
    x[...] = 0  # does not touch the shared arrays
    assert m.train_images.max() > 0


def test_minibatches_validate_eagerly():
    with pytest.raises(ValueError):
        data.minibatches(np.zeros((3, 28, 28, 1)), np.zeros(4), 2, np.random.RandomState(0))
    with pytest.raises(ValueError):
        data.minibatches(np.zeros((3, 28, 28, 1)), np.zeros(3), 0, np.random.RandomState(0))


def test_batches_per_epoch():
    assert data.batches_per_epoch(60000, 64) == 938
    assert data.batches_per_epoch(60000, 60000) == 1
    assert data.batches_per_epoch(100, 10) == 10
    assert data.batches_per_epoch(101, 10) == 11
    assert data.batches_per_epoch(0, 10) == 0
    with pytest.raises(ValueError):
        data.batches_per_epoch(10, 0)
