"""Tests for downloading MNIST (convviz.download, and convviz.data's load with download allowed) and for
how the test suite finds or fetches its own MNIST (tests/conftest.py's resolve_mnist_dir).

Downloads run against an http.server on 127.0.0.1 (tests/mnistfakes.py's ``server``), serving small
fake-but-valid IDX files whose checksums are patched into mnistfiles.SHA256.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from convviz import data, download
from convviz.data import MNIST_FILES, DataError
from tests import mnistfakes
from tests.conftest import MnistUnavailable, resolve_mnist_dir
from tests.mnistfakes import N_FAKE_TRAIN, assert_no_mnist_left, damage_gzip, damage_truncated, write_dir

# The fixtures this module uses, bound here so that pytest finds them (isolated_home is autouse).
isolated_home = mnistfakes.isolated_home
fake = mnistfakes.fake
server = mnistfakes.server
tight_limits = mnistfakes.tight_limits


# --------------------------------------------------------------------------- download


def test_download_good(tmp_path, server, fake):
    dest = tmp_path / "dest"
    calls = []
    assert download.download_mnist(dest, mirrors=[server.url + "/good/"], progress=lambda *a: calls.append(a)) == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(MNIST_FILES.values())  # no temporary files
    for name, content in fake.items():
        assert gzip.decompress((dest / name).read_bytes()) == content
    m = data.load_mnist(dest)
    assert m.train_images.shape == (N_FAKE_TRAIN, 28, 28, 1)
    assert {c[0] for c in calls} == set(MNIST_FILES.values())
    for name in MNIST_FILES.values():
        done = [c[1] for c in calls if c[0] == name]
        total = {c[2] for c in calls if c[0] == name}
        assert done[0] == 0 and done == sorted(done) and len(set(done)) == len(done)
        assert total == {len(server.gz[name])} and done[-1] == len(server.gz[name])
    # Everything present and valid: nothing is fetched again.
    server.requests.clear()
    download.download_mnist(dest, mirrors=[server.url + "/good/"])
    assert server.requests == []


def test_download_progress_in_chunks(tmp_path, server, monkeypatch):
    monkeypatch.setattr(download, "_CHUNK_SIZE", 1024)
    calls = []
    download.download_mnist(tmp_path / "dest", mirrors=[server.url + "/good"], progress=lambda *a: calls.append(a))
    name = MNIST_FILES["train_images"]
    done = [c[1] for c in calls if c[0] == name]
    assert len(done) > 5 and all(b > a for a, b in zip(done, done[1:]))
    assert done[-1] == len(server.gz[name])


def test_download_skips_a_missing_mirror(tmp_path, server):
    dest = tmp_path / "dest"
    download.download_mnist(dest, mirrors=[server.url + "/missing/", server.url + "/good/"])
    assert data.find_mnist(dest) == dest
    data.verify_mnist_dir(dest)
    name = MNIST_FILES["train_images"]
    assert server.requests[:2] == [f"/missing/{name}", f"/good/{name}"]


@pytest.mark.parametrize("mode", ["short", "cut", "wrong", "html"])
def test_download_bad_mirror_then_good(tmp_path, server, mode):
    dest = tmp_path / "dest"
    download.download_mnist(dest, mirrors=[server.url + f"/{mode}/", server.url + "/good/"])
    assert sorted(p.name for p in dest.iterdir()) == sorted(MNIST_FILES.values())
    data.verify_mnist_dir(dest)


@pytest.mark.parametrize("mode", ["short", "cut", "wrong", "html", "missing"])
def test_download_bad_mirror_only(tmp_path, server, mode):
    dest = tmp_path / "dest"
    with pytest.raises(DataError) as info:
        download.download_mnist(dest, mirrors=[server.url + f"/{mode}/"])
    message = str(info.value)
    assert "\n" not in message
    assert MNIST_FILES["train_images"] in message and f"{server.url}/{mode}/" in message
    assert_no_mnist_left(dest)


def test_download_all_mirrors_fail(tmp_path, server):
    dest = tmp_path / "dest"
    mirrors = [server.url + "/missing/", server.url + "/short/", server.url + "/wrong/", "http://127.0.0.1:1/"]
    with pytest.raises(DataError) as info:
        download.download_mnist(dest, mirrors=mirrors, timeout=5)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"could not download {MNIST_FILES['train_images']} into {dest}")
    assert "HTTP 404" in message and "truncated" in message and "unexpected content" in message
    assert all(m in message for m in mirrors)
    assert_no_mnist_left(dest)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("bomb", "decompresses to more than"),
        ("huge", "announces"),
        ("endless", "sent more than"),
    ],
)
def test_download_size_is_capped_then_next_mirror(tmp_path, server, tight_limits, mode, reason):
    dest = tmp_path / "dest"
    with pytest.raises(DataError, match=reason):
        download.download_mnist(dest, mirrors=[server.url + f"/{mode}/"])
    assert_no_mnist_left(dest)
    download.download_mnist(dest, mirrors=[server.url + f"/{mode}/", server.url + "/good/"])
    data.verify_mnist_dir(dest)


@pytest.mark.parametrize("mode", ["trickle", "slowheaders"])
def test_download_deadline_per_mirror(tmp_path, server, mode, monkeypatch):
    # A byte every 50 ms never trips the 5 s socket timeout; the 0.5 s deadline does.
    dest = tmp_path / "dest"
    with pytest.raises(DataError) as info:
        download.download_mnist(dest, mirrors=[server.url + f"/{mode}/"], timeout=5, deadline=0.5)
    assert "gave up after 0.5 s" in str(info.value) and f"/{mode}/" in str(info.value)
    assert_no_mnist_left(dest)
    monkeypatch.setattr(download, "DOWNLOAD_DEADLINE", 0.5)  # the default, looked up at the call
    download.download_mnist(dest, mirrors=[server.url + f"/{mode}/", server.url + "/good/"], timeout=5)
    data.verify_mnist_dir(dest)


def test_failed_download_removes_the_folders_it_made(tmp_path, server):
    base = tmp_path / "base"
    base.mkdir()
    dest = base / "a" / "b" / "mnist"
    with pytest.raises(DataError):
        download.download_mnist(dest, mirrors=[server.url + "/missing/"])
    assert list(base.iterdir()) == []  # a, a/b and a/b/mnist are gone; base was there before
    existing = base / "kept"
    existing.mkdir()
    with pytest.raises(DataError):
        download.download_mnist(existing, mirrors=[server.url + "/missing/"])
    assert existing.is_dir()  # a folder the user made stays


def test_download_replaces_a_damaged_file(tmp_path, server, fake):
    dest = write_dir(tmp_path / "dest", fake)
    path = dest / MNIST_FILES["test_images"]
    damage_truncated(path)
    server.requests.clear()
    download.download_mnist(dest, mirrors=[server.url + "/good/"])
    assert server.requests == ["/good/" + MNIST_FILES["test_images"]]
    data.verify_mnist_dir(dest)


def test_download_cancelled_by_progress(tmp_path, server):
    class Cancelled(Exception):
        pass

    def progress(name, done, total):
        if done > 0:
            raise Cancelled

    dest = tmp_path / "dest"
    with pytest.raises(Cancelled):
        download.download_mnist(dest, mirrors=[server.url + "/good/"], progress=progress)
    assert_no_mnist_left(dest)


def test_download_into_unwritable_dest(tmp_path, server):
    dest = tmp_path / "file"
    dest.write_bytes(b"")  # a file where the folder should be
    with pytest.raises(DataError, match="cannot create the MNIST folder"):
        download.download_mnist(dest, mirrors=[server.url + "/good/"])


def test_load_downloads_into_cache(server, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/good/",))
    with pytest.raises(DataError):
        data.load_mnist()
    m = data.load_mnist(download=True)
    assert m.source == str(data.cache_dir())
    assert data.find_mnist() == data.cache_dir()


def test_load_downloads_into_the_env_folder(tmp_path, server, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/good/",))
    env = tmp_path / "env"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(env))
    m = data.load_mnist(download=True)
    assert m.source == str(env)
    assert not data.cache_dir().exists()  # not silently somewhere else


def test_env_folder_that_is_a_file(tmp_path, server, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/good/",))
    not_a_folder = tmp_path / "mnist.tar"
    not_a_folder.write_bytes(b"")
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(not_a_folder))
    for allowed in (False, True):
        with pytest.raises(DataError) as info:
            data.load_mnist(download=allowed)
        message = str(info.value)
        assert str(not_a_folder) in message and "CONVVIZ_DATA_DIR" in message and "is a file" in message
    assert server.requests == [] and not data.cache_dir().exists()


def test_load_downloads_into_explicit_dir(tmp_path, server, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/missing/", server.url + "/good/"))
    explicit = tmp_path / "explicit"
    calls = []
    m = data.load_mnist(explicit, download=True, progress=lambda *a: calls.append(a))
    assert m.source == str(explicit) and calls
    assert not data.cache_dir().exists()


def test_load_repairs_a_damaged_file_when_download_allowed(tmp_path, server, fake, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/missing/", server.url + "/good/"))
    d = write_dir(tmp_path / "d", fake)
    damage_gzip(d / MNIST_FILES["train_labels"])
    with pytest.raises(DataError, match="gzip file"):
        data.load_mnist(d)
    m = data.load_mnist(d, download=True)
    assert np.array_equal(m.train_labels, np.frombuffer(fake[MNIST_FILES["train_labels"]], np.uint8, offset=8))


def test_load_reports_the_damage_when_the_repair_fails(tmp_path, server, fake, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/missing/",))
    d = write_dir(tmp_path / "d", fake)
    path = d / MNIST_FILES["test_images"]
    damage_truncated(path)
    with pytest.raises(DataError) as info:
        data.load_mnist(d, download=True)
    message = str(info.value)
    assert "\n" not in message and info.value.path == path
    assert message.startswith(f"MNIST file {path} is a truncated gzip file")
    assert "downloading a fresh copy failed: could not download" in message and "HTTP 404" in message


# --------------------------------------------------------------------------- the test suite's own MNIST


def test_tests_download_mnist_once_when_none_is_found(tmp_path, server):
    cache, nowhere = tmp_path / "cache", tmp_path / "nowhere"
    assert resolve_mnist_dir(None, [nowhere], cache, [server.url + "/good/"]) == cache
    data.verify_mnist_dir(cache)  # through the verified downloader
    server.requests.clear()
    assert resolve_mnist_dir(None, [nowhere], cache, [server.url + "/good/"]) == cache
    assert server.requests == []  # once: the next run finds it


def test_tests_prefer_a_copy_they_find(tmp_path, server, fake):
    shared = write_dir(tmp_path / "shared", fake)
    assert (
        resolve_mnist_dir(None, [tmp_path / "nowhere", shared], tmp_path / "cache", [server.url + "/good/"]) == shared
    )
    assert server.requests == [] and not (tmp_path / "cache").exists()


def test_tests_without_network_say_where_to_put_mnist(tmp_path, server):
    cache = tmp_path / "cache"
    with pytest.raises(MnistUnavailable) as info:
        resolve_mnist_dir(None, [tmp_path / "nowhere"], cache, [server.url + "/missing/"])
    message = str(info.value)
    assert "\n" not in message
    assert f"into {cache}," in message and "CONVVIZ_DATA_DIR" in message
    assert all(name in message for name in MNIST_FILES.values())
    assert not cache.exists()  # no empty folder left either


def test_tests_take_a_set_env_folder_at_its_word(tmp_path, server, fake):
    env = tmp_path / "env"
    with pytest.raises(MnistUnavailable, match=f"CONVVIZ_DATA_DIR={env} does not hold"):
        resolve_mnist_dir(str(env), [], tmp_path / "cache", [server.url + "/good/"])
    assert server.requests == []  # named on purpose: no download instead
    write_dir(env, fake)
    assert resolve_mnist_dir(str(env), [], tmp_path / "cache", [server.url + "/good/"]) == env


def test_tqdm_progress(tmp_path, server):
    import io

    out = io.StringIO()
    progress = download.tqdm_progress(file=out)
    download.download_mnist(tmp_path / "dest", mirrors=[server.url + "/good/"], progress=progress)
    progress.close()
    text = out.getvalue()
    assert all(name in text for name in MNIST_FILES.values())
