"""Shared fixtures: real MNIST, small slices of it for fast training tests.

The tests read real MNIST from ``$CONVVIZ_DATA_DIR`` when it is set (CI points it
at ``../shared/data/mnist``; missing files there fail the run), else from the
first of ``../shared/data/mnist``, deep-teaching-commons' folder and the app's
cache that holds it. When none does, the run downloads it once into the cache
with the app's own verified downloader; without a network it stops with one
line that says where to put the files. No test skips for want of MNIST.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from pathlib import Path
from typing import Sequence

import pytest

from convviz import data, download, mnistfiles

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MNIST = ROOT.parent / "shared" / "data" / "mnist"  # CI's copy, beside the repository
# Read once, at import: tests change HOME, XDG_CACHE_HOME and CONVVIZ_DATA_DIR for themselves.
ENV_MNIST = os.environ.get("CONVVIZ_DATA_DIR") or None
USER_MNIST_DIRS = (data.dtc_data_dir(), data.cache_dir())
MIRRORS = download.MIRRORS  # the real ones, before any test patches download.MIRRORS


class MnistUnavailable(Exception):
    """No MNIST for the tests, and none could be downloaded; the message says where to put it."""


def resolve_mnist_dir(env: str | None, folders: Sequence[Path], cache: Path, mirrors: Sequence[str]) -> Path:
    """The folder the tests read MNIST from.

    ``env`` (``$CONVVIZ_DATA_DIR``), when set, is the only place looked at: it
    was named on purpose, so a missing copy there is an error, not a download.
    Otherwise the first of ``folders`` and ``cache`` that holds the four files;
    if none does, they are downloaded into ``cache`` from ``mirrors`` (verified
    by their SHA-256, as in the app).
    """
    names = ", ".join(data.MNIST_FILES.values())
    if env is not None:
        if not _holds_mnist(Path(env)):
            raise MnistUnavailable(f"CONVVIZ_DATA_DIR={env} does not hold the four MNIST files ({names})")
        return Path(env)
    for folder in (*folders, cache):
        if _holds_mnist(Path(folder)):
            return Path(folder)
    try:
        return download.download_mnist(cache, mirrors=mirrors)
    except data.DataError as err:
        reason = str(err).split("; check the network")[0]  # the mirrors' answers, not the CLI's advice
        raise MnistUnavailable(
            f"the tests need MNIST, found none and could not download it ({reason}); put the four files "
            f"({names}) into {cache}, or set CONVVIZ_DATA_DIR to the folder that holds them"
        ) from None


def _holds_mnist(folder: Path) -> bool:
    """All four files are there (their content is checked when they are read)."""
    return all(path is not None for path in mnistfiles.locate(folder).values())


@functools.lru_cache(maxsize=None)
def _mnist_dir() -> Path | str:
    dtc, cache = USER_MNIST_DIRS
    try:
        return resolve_mnist_dir(ENV_MNIST, (DEFAULT_MNIST, dtc), cache, MIRRORS)
    except MnistUnavailable as err:
        return str(err)  # remembered: the download is tried once per run, not once per test


def mnist_dir() -> Path:
    """The folder holding real MNIST (see the module docstring); ends the run when there is none."""
    found = _mnist_dir()
    if isinstance(found, str):
        pytest.exit(found, returncode=1)
    return found


@pytest.fixture(scope="session")
def mnist():
    from convviz.data import load_mnist

    # No skip: a test that needs real MNIST fails when it is missing, so CI cannot go green without it.
    return load_mnist(mnist_dir(), download=False)


def _head(mnist, n_train: int, n_test: int):
    """The first ``n_train`` training and ``n_test`` test images of ``mnist``."""
    return dataclasses.replace(
        mnist,
        train_images=mnist.train_images[:n_train],
        train_labels=mnist.train_labels[:n_train],
        test_images=mnist.test_images[:n_test],
        test_labels=mnist.test_labels[:n_test],
    )


@pytest.fixture(scope="module")
def explainers():
    """``explainers(arch)``: the shipped pretrained ``arch`` as an Explainer, loaded once per test module."""
    from convviz.explain import Explainer

    made = {}

    def get(arch: str) -> Explainer:
        if arch not in made:
            made[arch] = Explainer.load(ROOT / "assets" / "models" / arch)
        return made[arch]

    yield get
    for model in made.values():
        model.close()


@pytest.fixture(scope="session")
def small_mnist(mnist):
    """2,000 training and 1,000 test images: a network trains on it in a few seconds."""
    return _head(mnist, 2000, 1000)


@pytest.fixture(scope="session")
def tiny_mnist(mnist):
    """256 training and 300 test images: enough to step every network with every strategy."""
    return _head(mnist, 256, 300)


@dataclasses.dataclass
class CliRun:
    """What one ``python main.py ARGS`` left behind: the fields of a ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


def call_main(capfd: pytest.CaptureFixture, args: Sequence[str]) -> CliRun:
    """``python main.py ARGS`` run by ``convviz.cli.main`` in this process, with what it wrote.

    A fresh process per call costs seconds (Python, then TensorFlow); where the
    process is not what a test checks, this gives the same exit code, stdout and
    stderr: an argparse error's ``SystemExit`` becomes the exit code as in
    ``main.py``, file descriptors 1 and 2 are captured (TensorFlow's C++ logs
    included), and the root logger starts bare, as in a new process, so that
    ``main``'s ``logging.basicConfig`` puts its records on stderr as it does there.
    An exception that escapes ``main`` fails the test instead of printing a traceback.
    """
    from convviz.cli import main

    capfd.readouterr()  # what the test printed before is not the command's
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers = []
    try:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
    finally:
        root.handlers = handlers
        root.setLevel(level)
    out, err = capfd.readouterr()
    if code is None:
        code = 0
    elif not isinstance(code, int):  # as the interpreter does with SystemExit("message")
        err += f"{code}\n"
        code = 1
    return CliRun(code, out, err)


@pytest.fixture
def run_cli(capfd: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch):
    """Runs ``python main.py ARGS`` in this process (see :func:`call_main`), from the repository root.

    ``run_cli(*args, check_rc=None)`` returns a :class:`CliRun`; with ``check_rc``
    it asserts the exit code first, showing stderr when it differs.
    """
    monkeypatch.chdir(ROOT)  # relative paths (assets/models/...) as from `cd repo && python main.py`

    def run(*args: str, check_rc: int | None = None) -> CliRun:
        done = call_main(capfd, [str(a) for a in args])
        if check_rc is not None:
            assert done.returncode == check_rc, done.stderr
        return done

    return run


def xvfb_run(size: str) -> list:
    """``xvfb-run`` with a screen of ``size`` ("1024x768"), on a display number of this test process's own
    range (pytest-xdist's workers, ``-n 2``, get one each): ``-a`` alone picks the lowest free number, and
    two processes starting at once could both pick it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    return ["xvfb-run", "-a", "-n", str(200 + 100 * index), "-s", f"-screen 0 {size}x24"]


def require_xvfb() -> None:
    """Real-window tests need xvfb-run: CI installs it (.ci/run) and fails without it; elsewhere they skip."""
    import shutil

    if shutil.which("xvfb-run") is None:
        if os.environ.get("CI"):
            pytest.fail("xvfb-run is missing: .ci/run must install the xvfb package")
        pytest.skip("xvfb-run is not installed (apt-get install xvfb): the real-window tests need it")


@pytest.fixture
def mnist_mirror():
    """Real MNIST served over HTTP from a server on 127.0.0.1 that lives for the test: a mirror the
    downloader accepts (it follows only http and https), with no network."""
    import http.server
    import threading

    folder = str(mnist_dir().resolve())

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, *args):  # keep test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
