"""Fake MNIST for the data tests (tests/test_data.py, tests/test_data_download.py): small valid IDX files,
ways to damage them, and an http.server on 127.0.0.1 whose routes play good and bad mirrors.

The fixtures are bound by name in each module that uses them (``fake = mnistfakes.fake``), so that the
autouse ``isolated_home`` applies to exactly those modules' tests.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from convviz import data, mnistfiles
from convviz.data import MNIST_FILES

N_FAKE_TRAIN, N_FAKE_TEST = 20, 8
TRICKLE_SECONDS = 0.05  # the trickling mirror's pause between bytes
MAX_STREAM_WRITES = 2000  # bounds every loop of the never-ending mirrors (2000 x 64 KiB, or 100 s of trickle)


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


# --------------------------------------------------------------------------- ways to damage a file


def damage_truncated(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def damage_magic(path: Path) -> None:
    # 2052: neither the image (2051) nor the label (2049) magic number.
    path.write_bytes(gzip.compress(b"\x00\x00\x08\x04" + gzip.decompress(path.read_bytes())[4:]))


def damage_gzip(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2  # inside the deflate stream, header and trailer intact
    raw[middle - 4 : middle + 4] = b"\xff" * 8
    path.write_bytes(bytes(raw))


def damage_content(path: Path) -> None:
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[-1] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(content)))


def damage_html(path: Path) -> None:
    path.write_bytes(b"<html><body>403 Forbidden</body></html>")
