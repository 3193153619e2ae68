"""The fault table's harness: constants, running a case in a child, the rows, the inputs it builds
and the fake mirror on 127.0.0.1 (bench/faults.py holds the cases and the table)."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT_FILE = ROOT / "bench" / "faults.md"
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"
LENET5 = ROOT / "assets" / "models" / "lenet5"
SHIPPED_RUN = ROOT / "assets" / "runs" / "template.convviz-run.npz"  # a good record to damage
RECORD_SUFFIX = ".convviz-run.npz"
GIB = 1 << 30

CHILD_TIMEOUT = 300  # seconds; a case still running then is killed and the row says so
BOMB_BYTES = GIB  # what the gzip bombs expand to
ENDLESS_LIMIT = 400 << 20  # the endless mirror stops after this many bytes, whatever the client does
TRICKLE_PAUSE = 10.0  # seconds between the trickling mirror's bytes (the proxy)
TRICKLE_LIMIT = 60  # bytes the trickling mirror sends at most (10 minutes)
TRICKLE_DEADLINE = 20.0  # DOWNLOAD_DEADLINE for the trickle cases (the default, 600 s, would take 10 minutes)
MAX_OBSERVED = 300  # characters of a run's last error line shown in the table
SHORT_TRAIN = ["--arch", "lenet5", "--train-limit", "200", "--epochs", "1", "--batch-size", "50", "--quiet"]

# What main.py does, plus: the process's own peak RSS (VmHWM, counted from exec, so not the
# parent's memory that a forked child inherits in ru_maxrss) written at exit, and for the
# download cases convviz.download.MIRRORS and DOWNLOAD_DEADLINE pointed at the fake mirror.
WRAPPER = """
import atexit, sys
hwm_file, mirrors, deadline, args = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
def write_hwm():
    with open("/proc/self/status") as status:
        kb = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    with open(hwm_file, "w") as out:
        out.write(kb[0] if kb else "")
atexit.register(write_hwm)
import convviz.download as d
if mirrors:
    d.MIRRORS = tuple(mirrors.split(","))
d.DOWNLOAD_DEADLINE = deadline
from convviz.cli import main
raise SystemExit(main(args))
"""


# The window, offscreen, as `python main.py` opens it, until the run store is listed and the Teach panel's
# gallery has loaded (or WINDOW_WAIT seconds); it prints what it shows as one JSON line and closes.
WINDOW_WAIT = 120.0
WINDOW_WRAPPER = """
import atexit, json, sys, time
hwm_file, wait = sys.argv[1], float(sys.argv[3])  # the deadline argument: how long to wait
def write_hwm():
    with open("/proc/self/status") as status:
        kb = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    with open(hwm_file, "w") as out:
        out.write(kb[0] if kb else "")
atexit.register(write_hwm)
from PyQt5 import QtCore, QtWidgets
app = QtWidgets.QApplication(["convviz"])
from convviz.gui.window.app import MainWindow
started = time.monotonic()
window = MainWindow()
window.resize(1024, 768)
window.show()
opened = time.monotonic() - started
panel = window.teach.widget
listed = lambda: bool(window.state.stored_runs or window.state.unreadable_runs)
while time.monotonic() - started < wait and (not listed() or panel.is_loading()):
    app.processEvents(QtCore.QEventLoop.AllEvents, 50)
items = [panel.gallery.item(r) for r in range(panel.gallery.count())]
print(json.dumps({
    "opened_s": round(opened, 2),
    "runs": len(window.state.stored_runs),
    "cannot_read": [window.runs.row_text(i, "run") for i, r in enumerate(window.runs.rows()) if r.problem],
    "error": window.error_text(),
    "gallery": len(items),
    "no_picture": [item.toolTip() for item in items if "no picture" in item.toolTip()],
    "gallery_loading": panel.is_loading(),
}))
window.close()
"""


# -- running a case ------------------------------------------------------------------------------------


@dataclass
class Run:
    rc: int | None  # None: killed after CHILD_TIMEOUT
    stdout: str
    stderr: str
    rss_mb: float
    seconds: float

    @property
    def last_error(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_cli(
    args: list[str], home: Path, mirrors: list[str] | None = None, deadline: float = 600.0, env=None, wrapper=WRAPPER
) -> Run:
    """``main(ARGS)`` as ``python main.py ARGS`` runs it, in a child; its peak RSS (see WRAPPER).
    ``wrapper``: another child program with WRAPPER's arguments (WINDOW_WRAPPER: the window)."""
    hwm_file = home.parent / f".hwm-{home.name}"
    command = [sys.executable, "-c", wrapper, str(hwm_file), ",".join(mirrors or []), str(deadline), *args]
    child_env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), TF_CPP_MIN_LOG_LEVEL="3")
    child_env["PYTHONPATH"] = str(ROOT)
    child_env["KERAS_HOME"] = str(home.parent / ".keras")  # TensorFlow writes keras.json there, not in the case
    child_env.pop("CONVVIZ_DATA_DIR", None)
    child_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=str(home), stdout=out, stderr=err, env=child_env)
        timer = threading.Timer(CHILD_TIMEOUT, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
        out.seek(0)
        err.seek(0)
        killed = os.WIFSIGNALED(status)
        return Run(
            rc=None if killed else proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            rss_mb=_peak_kb(hwm_file, usage.ru_maxrss) / 1024,
            seconds=seconds,
        )


def _peak_kb(hwm_file: Path, ru_maxrss_kb: int) -> int:
    """The child's VmHWM; os.wait4's ru_maxrss (an upper bound) when it died before writing it."""
    try:
        text = hwm_file.read_text().strip()
        hwm_file.unlink()
        return int(text)
    except (OSError, ValueError):
        return ru_maxrss_kb


def snapshot(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, relative."""
    return {str(p.relative_to(folder)) + ("/" if p.is_dir() else "") for p in folder.rglob("*")}


@dataclass
class Row:
    case: str
    expected: str
    observed: str
    ok: bool | None  # None: not run
    rss_mb: float | None = None
    seconds: float | None = None
    left: str = ""


def row_from(case: str, expected: str, run: Run, ok: bool, left: set[str], observed: str | None = None) -> Row:
    if observed is None:
        observed = f"exit {run.rc if run.rc is not None else 'killed'}: {run.last_error or '(no error)'}"
    shown = sorted(left)
    left_text = "nothing" if not shown else ", ".join(shown[:4]) + (f" (+{len(shown) - 4})" if len(shown) > 4 else "")
    return Row(case, expected, observed, ok, run.rss_mb, run.seconds, left_text)


# -- inputs -------------------------------------------------------------------------------------------


def gzip_bomb(path: Path, header: bytes, size: int = BOMB_BYTES) -> None:
    """``header`` then zeros up to ``size`` bytes, gzipped as a stream (~1 MB per GiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    with path.open("wb") as f:
        f.write(compressor.compress(header))
        for _ in range((size - len(header)) // len(zeros)):
            f.write(compressor.compress(zeros))
        f.write(compressor.flush())


def mnist_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for source in SHARED_MNIST.glob("*.gz"):
        shutil.copy(str(source), str(folder / source.name))
    return folder


def digit_png(path: Path, index: int = 0) -> Path:
    with gzip.open(str(SHARED_MNIST / "t10k-images-idx3-ubyte.gz")) as f:
        f.read(16 + index * 784)
        digit = np.frombuffer(f.read(784), np.uint8).reshape(28, 28)
    from PIL import Image

    Image.fromarray(255 - digit).resize((140, 140)).save(str(path))
    return path


def lenet5_model(folder: Path) -> Path:
    shutil.copytree(str(LENET5), str(folder))
    return folder


def rewrite_weights(folder: Path, change: Callable[[dict], None], compressed: bool = False) -> None:
    with np.load(str(folder / "weights.npz")) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    (np.savez_compressed if compressed else np.savez)(str(folder / "weights.npz"), **arrays)


@contextlib.contextmanager
def tmpfs(folder: Path, size_kb: int, read_only: bool = False):
    """A small tmpfs at ``folder``; yields None when it cannot be mounted (the reason in .error)."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size_kb}k" + (",ro" if read_only else "")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if proc.returncode != 0:
        yield (proc.stderr.strip() or f"mount exited {proc.returncode}")
        return
    try:
        yield None
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# -- the fake mirror ------------------------------------------------------------------------------------


class Mirror:
    """Routes /<mode>/<file name> on 127.0.0.1; every loop bounded."""

    def __init__(self, scratch: Path):
        self.files = {p.name: p.read_bytes() for p in SHARED_MNIST.glob("*.gz")}
        self.bomb = scratch / "mirror-bomb.gz"
        gzip_bomb(self.bomb, np.array([2051, 60000, 28, 28], ">u4").tobytes())
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                try:
                    mirror.respond(self)
                except OSError:  # the client gave up: what several modes are for
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def respond(self, handler):
        _, mode, name = handler.path.split("/", 2)
        handler.close_connection = True
        if mode == "missing" or name not in self.files:
            handler.send_error(404)
            return
        if mode == "slowheaders":
            for byte in b"HTTP/1.0 200 OK\r\n"[:TRICKLE_LIMIT]:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(TRICKLE_PAUSE)
            return
        handler.send_response(200)
        body = self.files[name]
        if mode == "bomb":
            body = self.bomb.read_bytes()
        if mode == "huge":
            handler.send_header("Content-Length", str(10 * GIB))
        elif mode != "endless":
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if mode == "endless":
            chunk = bytes(1 << 16)
            for _ in range(ENDLESS_LIMIT // len(chunk)):
                handler.wfile.write(chunk)
        elif mode == "trickle":
            for byte in body[:TRICKLE_LIMIT]:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(TRICKLE_PAUSE)
        else:
            handler.wfile.write(body)


