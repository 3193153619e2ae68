"""Tests for convviz.data: reading, verifying, finding and downloading MNIST; batching.

Real MNIST comes from tests/conftest.py's mnist_dir() (CONVVIZ_DATA_DIR, else
../shared/data/mnist or the user's folders, else downloaded once; never skipped).
Downloads run against an http.server on 127.0.0.1 started here, serving small
fake-but-valid IDX files whose checksums are patched into mnistfiles.SHA256.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from convviz import data, download, mnistfiles
from convviz.data import MNIST_FILES, DataError
from tests.conftest import MnistUnavailable, mnist_dir, resolve_mnist_dir

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]

N_FAKE_TRAIN, N_FAKE_TEST = 20, 8
TRICKLE_SECONDS = 0.05  # the trickling mirror's pause between bytes
MAX_STREAM_WRITES = 2000  # bounds every loop of the never-ending mirrors (2000 x 64 KiB, or 100 s of trickle)


# --------------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Point HOME and XDG_CACHE_HOME at empty folders, so no test sees (or fills) the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.delenv("CONVVIZ_DATA_DIR", raising=False)
    # A proxy from the environment must not get the requests meant for 127.0.0.1.
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    return home


@pytest.fixture(scope="module")
def real_dir() -> Path:
    return mnist_dir()


def idx_images(n: int, seed: int = 0) -> bytes:
    pixels = np.random.RandomState(seed).randint(0, 256, size=(n, 28, 28)).astype(np.uint8)
    return np.array([2051, n, 28, 28], dtype=">u4").tobytes() + pixels.tobytes()


def idx_labels(n: int, seed: int = 0) -> bytes:
    labels = np.random.RandomState(seed + 1).randint(0, 10, size=n).astype(np.uint8)
    return np.array([2049, n], dtype=">u4").tobytes() + labels.tobytes()


def fake_contents(seed: int = 0) -> dict[str, bytes]:
    """File name -> uncompressed IDX bytes of a small MNIST look-alike."""
    return {
        MNIST_FILES["train_images"]: idx_images(N_FAKE_TRAIN, seed),
        MNIST_FILES["train_labels"]: idx_labels(N_FAKE_TRAIN, seed),
        MNIST_FILES["test_images"]: idx_images(N_FAKE_TEST, seed + 2),
        MNIST_FILES["test_labels"]: idx_labels(N_FAKE_TEST, seed + 2),
    }


@pytest.fixture
def fake(monkeypatch) -> dict[str, bytes]:
    """The fake files' contents, with mnistfiles.SHA256 patched to accept exactly them."""
    contents = fake_contents()
    monkeypatch.setattr(mnistfiles, "SHA256", {name: hashlib.sha256(c).hexdigest() for name, c in contents.items()})
    return contents


def write_dir(directory: Path, contents: dict[str, bytes], compress: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        if compress:
            (directory / name).write_bytes(gzip.compress(content))
        else:
            (directory / name[: -len(".gz")]).write_bytes(content)
    return directory


def assert_no_mnist_left(dest: Path) -> None:
    """Nothing find_mnist could take for MNIST, and no temporary files."""
    leftovers = sorted(p.name for p in dest.iterdir()) if dest.exists() else []
    assert leftovers == []
    assert data.find_mnist(dest) is None


class FakeMirrors:
    """Routes of the test server: /<mode>/<file name>."""

    def __init__(self, gz: dict[str, bytes]):
        self.gz = gz  # file name -> .gz bytes served by the "good" route
        self.plain = {name: gzip.decompress(body) for name, body in gz.items()}
        self.requests: list[str] = []

    def respond(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        self.requests.append(handler.path)
        _, mode, name = handler.path.split("/", 2)
        if mode == "missing" or name not in self.gz:
            handler.send_error(404)
            return
        body = self.gz[name]
        length = len(body)
        if mode in ("endless", "trickle", "slowheaders"):
            self.stream(handler, mode, name)
            return
        if mode == "short":  # announces the whole file, sends half, hangs up
            body = body[: len(body) // 2]
        elif mode == "cut":  # a consistent Content-Length, but the gzip stream stops midway
            body = body[: len(body) // 2]
            length = len(body)
        elif mode == "wrong":  # a valid IDX file, just not the expected one
            body = gzip.compress(fake_contents(seed=99)[name])
            length = len(body)
        elif mode == "html":  # an error page answered with 200
            body = b"<!DOCTYPE html><html><body>moved</body></html>"
            length = len(body)
        elif mode == "bomb":  # a small gzip that expands far past the file's size
            body = gzip.compress(self.plain[name] + bytes(mnistfiles.IDX_BYTES[name] * 10))
            length = len(body)
        elif mode == "huge":  # announces more than any MNIST file, then sends the real one
            length = mnistfiles.MAX_FILE_BYTES[name] + 1
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    def stream(self, handler: http.server.BaseHTTPRequestHandler, mode: str, name: str) -> None:
        """Modes that never finish by themselves; each loop is bounded and ends when the client leaves."""
        handler.close_connection = True
        try:
            if mode == "slowheaders":  # a proxy that sends its status line a byte at a time
                for byte in b"HTTP/1.0 200 OK\r\n":
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(TRICKLE_SECONDS)
                return
            handler.send_response(200)
            if mode == "trickle":  # the right length, a byte at a time
                handler.send_header("Content-Length", str(len(self.gz[name])))
            handler.end_headers()
            if mode == "trickle":
                for byte in self.gz[name][:MAX_STREAM_WRITES]:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(TRICKLE_SECONDS)
            else:  # endless: no length, zeros until the client hangs up
                chunk = bytes(64 * 1024)
                for _ in range(MAX_STREAM_WRITES):
                    handler.wfile.write(chunk)
        except OSError:  # the client gave up: what these modes are for
            pass


@pytest.fixture
def tight_limits(fake, monkeypatch) -> None:
    """IDX_BYTES and MAX_FILE_BYTES as they would be if the fake files were MNIST."""
    monkeypatch.setattr(mnistfiles, "IDX_BYTES", {name: len(c) for name, c in fake.items()})
    limits = {name: mnistfiles.stored_limit(len(c)) for name, c in fake.items()}
    monkeypatch.setattr(mnistfiles, "MAX_FILE_BYTES", limits)


@pytest.fixture
def server(fake):
    mirrors = FakeMirrors({name: gzip.compress(content) for name, content in fake.items()})

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            mirrors.respond(self)

        def log_message(self, *args):  # keep test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    mirrors.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield mirrors
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


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


def _damage_truncated(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def _damage_magic(path: Path) -> None:
    # 2052: neither the image (2051) nor the label (2049) magic number.
    path.write_bytes(gzip.compress(b"\x00\x00\x08\x04" + gzip.decompress(path.read_bytes())[4:]))


def _damage_gzip(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2  # inside the deflate stream, header and trailer intact
    raw[middle - 4 : middle + 4] = b"\xff" * 8
    path.write_bytes(bytes(raw))


def _damage_content(path: Path) -> None:
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[-1] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(content)))


def _damage_html(path: Path) -> None:
    path.write_bytes(b"<html><body>403 Forbidden</body></html>")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_damage_truncated, "truncated"),
        (_damage_magic, "magic"),
        (_damage_gzip, "gzip file"),  # "corrupt" or "truncated": zlib decides
        (_damage_content, "unexpected content"),
        (_damage_html, "not an MNIST"),
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
    _damage_truncated(path)
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
    _damage_gzip(d / MNIST_FILES["train_labels"])
    with pytest.raises(DataError, match="gzip file"):
        data.load_mnist(d)
    m = data.load_mnist(d, download=True)
    assert np.array_equal(m.train_labels, np.frombuffer(fake[MNIST_FILES["train_labels"]], np.uint8, offset=8))


def test_load_reports_the_damage_when_the_repair_fails(tmp_path, server, fake, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (server.url + "/missing/",))
    d = write_dir(tmp_path / "d", fake)
    path = d / MNIST_FILES["test_images"]
    _damage_truncated(path)
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
