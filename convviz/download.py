"""The MNIST download: mirrors tried in order, each file verified before it appears, every transfer bounded.

A file is fetched into a temporary file, checked by the SHA-256 of its content
(convviz.mnistfiles) and only then moved to its name; no mirror can send more
bytes than the real file has, or take longer than a deadline, however it trickles.

Imports neither TensorFlow nor Qt; Python 3.7 compatible.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Sequence, Union

from convviz import mnistfiles
from convviz.atomicfile import refuse_special
from convviz.mnistfiles import (
    MNIST_FILES,
    BadContent,
    DataError,
    PathLike,
    check_content,
    locate,
    read_file,
)

logger = logging.getLogger(__name__)

# Tried in order. deep-teaching-commons downloads from LeCun's page, which is
# also torchvision's second mirror (deduplicated here); torchvision's S3 copy
# and the bucket of TensorFlow's old MNIST tutorial reader are the ones that
# usually answer today.
MIRRORS = (
    "http://yann.lecun.com/exdb/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

_CHUNK_SIZE = 64 * 1024  # download read size: small enough for a smooth progress bar
_USER_AGENT = "convviz (MNIST download)"  # some mirrors refuse urllib's default agent
# Seconds one mirror may take for one file, however it trickles: the socket timeout only
# bounds each wait for a packet, so a byte every few seconds would never time out.
# 600 s lets the largest file (9.9 MB from the mirrors) through at 17 KB/s.
DOWNLOAD_DEADLINE = 600.0
WEB_SCHEMES = ("http", "https")  # the only ones the watchdog can cut; a mirror or redirect elsewhere fails

ProgressCallback = Callable[[str, int, Union[int, None]], None]


class _Aborted(Exception):
    """The progress callback raised; ``__cause__`` is its exception, re-raised as is."""


class _DestError(Exception):
    """The target folder cannot take a file; no mirror can help."""


class _TooSlow(Exception):
    """A mirror did not deliver a file within its deadline."""


class _Watchdog:
    """Shuts a download's connection down when its deadline passes, whatever it is waiting for.

    A socket timeout bounds one wait for a packet; a mirror (or proxy) that sends a
    byte now and then, in the headers or the body, never trips it. The timer does.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self._sock = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def watch(self, sock) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shutdown()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is None:
            return
        try:
            # socket.socket's own shutdown, also for an SSL socket: SSLSocket.shutdown
            # would drop its SSL state under the thread that is reading from it.
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener (proxies from the environment included) whose connections this watchdog can cut."""
        watchdog = self

        def watched(connection_class):
            class Watched(connection_class):
                def connect(self):
                    super().connect()
                    watchdog.watch(self.sock)

            return Watched

        class Handler(urllib.request.HTTPHandler):
            def do_open(self, http_class, req, **kwargs):
                return super().do_open(watched(http_class), req, **kwargs)

        class SecureHandler(urllib.request.HTTPSHandler):
            def do_open(self, http_class, req, **kwargs):
                return super().do_open(watched(http_class), req, **kwargs)

        return urllib.request.build_opener(Handler, SecureHandler, _HttpOnlyRedirects)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only: urllib would also follow one to ``ftp://``, whose
    connection the watchdog cannot cut, so a trickling FTP greeting would outlive the deadline."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in WEB_SCHEMES:
            shown = newurl if len(newurl) <= 80 else newurl[:77] + "..."
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirected to {shown}; only http and https are followed", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, name: str, dest: Path, timeout: float, deadline: float, progress: ProgressCallback | None) -> None:
    """Download ``url`` into ``dest/name`` via a temporary file; raise on any failure.

    The file appears under its final name only after its content was verified,
    so an interrupted or wrong download never leaves a file that looks like MNIST.
    At most ``MAX_FILE_BYTES[name]`` bytes are taken, within ``deadline`` seconds.
    """
    limit = mnistfiles.MAX_FILE_BYTES[name]  # looked up at the call, as the reader does: tests shrink it

    def report(done: int, total: int | None) -> None:
        if progress is not None:
            try:
                progress(name, done, total)
            except BaseException as err:
                raise _Aborted() from err

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=str(dest))
    except OSError as err:
        raise _DestError(err.strerror or str(err)) from err
    tmp = Path(tmp_name)
    done = 0
    try:
        with os.fdopen(fd, "wb") as out, _Watchdog(deadline) as watchdog:
            try:
                total = _transfer(url, out, limit, min(timeout, deadline), watchdog, report)
                done = out.tell()
            except (_Aborted, _DestError):
                raise
            except Exception as err:
                if watchdog.expired:  # whatever the cut connection raised, the deadline is the news
                    raise _TooSlow(f"gave up after {deadline:g} s ({out.tell()} bytes received)") from err
                raise
            if watchdog.expired:
                raise _TooSlow(f"gave up after {deadline:g} s ({done} bytes received)")
            # http.client returns a short body silently when the connection drops early.
            if total is not None and done != total:
                raise BadContent(f"truncated: got {done} of {total} bytes")
            try:
                out.flush()
                os.fsync(out.fileno())
            except OSError as err:
                raise _DestError(err.strerror or str(err)) from err
        check_content(tmp.read_bytes(), name)
        try:
            os.chmod(str(tmp), 0o644)  # mkstemp makes it 0600; a shared --data-dir wants it readable
            refuse_special(dest / name)  # a FIFO or device of that name is never replaced
            os.replace(str(tmp), str(dest / name))
        except OSError as err:
            raise _DestError(err.strerror or str(err)) from err
    finally:
        if tmp.exists():
            tmp.unlink()


def _transfer(url: str, out, limit: int, timeout: float, watchdog: _Watchdog, report) -> int | None:
    """Copy the body of ``url`` into ``out`` (at most ``limit`` bytes); return its Content-Length or None."""
    if urllib.parse.urlsplit(url).scheme.lower() not in WEB_SCHEMES:
        raise ValueError("not an http or https address")
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        response = watchdog.opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        err.close()  # it holds the error page's socket
        raise
    with response:
        length = response.headers.get("Content-Length")
        total = int(length) if length is not None and length.isdigit() else None
        if total is not None and total > limit:
            raise BadContent(f"announces {total} bytes, more than the {limit} an MNIST file can take")
        done = 0
        report(done, total)
        while not watchdog.expired:
            # read1: whatever has arrived (read() would wait for a whole chunk of a trickle).
            chunk = response.read1(_CHUNK_SIZE)
            if not chunk:
                break
            if done + len(chunk) > limit:
                raise BadContent(f"sent more than {limit} bytes, more than an MNIST file can take")
            try:
                out.write(chunk)
            except OSError as err:
                raise _DestError(err.strerror or str(err)) from err
            done += len(chunk)
            report(done, total)
    return total


def _describe(err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        return str(err.reason)
    if isinstance(err, http.client.IncompleteRead):
        return "truncated"
    return str(err) or type(err).__name__


def download_mnist(
    dest: PathLike,
    mirrors: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 30.0,
    deadline: float | None = None,
) -> Path:
    """Download the MNIST files that are missing or damaged in ``dest``; return ``dest``.

    Parameters
    ----------
    dest
        Target folder (created if needed): the caller decides where MNIST
        lives (convviz.data.load_mnist: the given folder, else the app's cache).
    mirrors
        Base URLs, tried in order for each file until one delivers it intact.
        Default :data:`MIRRORS`, looked up at the call (so it can be patched: tests, a local mirror).
    progress
        ``progress(file_name, done_bytes, total_bytes_or_None)``, called with 0
        when a transfer starts and after every chunk. An exception raised by it
        aborts the download (the GUI's cancel) and leaves no partial file.
    timeout
        Seconds a connection may stay silent before the mirror counts as failed.
    deadline
        Seconds one mirror may take for one file in all (connecting, headers,
        body); a mirror that trickles counts as failed when it passes.
        Default :data:`DOWNLOAD_DEADLINE`, looked up at the call (so it can be patched).

    A mirror that announces or sends more bytes than the file can have
    (:data:`MAX_FILE_BYTES`) fails at once, so an endless stream fills no disk.
    Folders created for the download are removed again when it fails and
    leaves them empty.

    Each file is checked by the SHA-256 of its decompressed content before it
    is moved (atomically) to its final name; a mirror that answers with an
    error, a truncated file or wrong content is logged and the next is tried.

    Raises
    ------
    DataError
        A file could not be downloaded from any mirror (the one-line message
        lists what each mirror answered), or ``dest`` is not writable.
    """
    dest = Path(os.path.expanduser(str(dest)))
    mirrors = MIRRORS if mirrors is None else mirrors
    deadline = DOWNLOAD_DEADLINE if deadline is None else deadline
    if dest.exists() and not dest.is_dir():
        raise DataError(f"cannot create the MNIST folder {dest}: it is a file; pass --data-dir", dest)
    created = [d for d in (dest, *dest.parents) if not d.exists()]  # deepest first
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(f"cannot create the MNIST folder {dest}: {err.strerror or err}; pass --data-dir", dest) from err
    try:
        _download_missing(dest, mirrors, progress, timeout, deadline)
    except BaseException:
        for folder in created:  # what the failed download made and left empty
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (an earlier file arrived) or not ours to remove
        raise
    return dest


def _download_missing(
    dest: Path, mirrors: Sequence[str], progress: ProgressCallback | None, timeout: float, deadline: float
) -> None:
    present = locate(dest)
    for key, name in MNIST_FILES.items():
        existing = present[key]
        if existing is not None:
            try:
                read_file(existing, name)
                continue
            except DataError as err:
                logger.warning("%s; downloading it again", err)
        failures = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + name
            logger.info("downloading %s", url)
            try:
                _fetch(url, name, dest, timeout, deadline, progress)
            except _Aborted as aborted:
                # The callback's own exception (e.g. the GUI's cancel), re-raised unchanged.
                raise aborted.__cause__  # type: ignore[misc]  # noqa: B904
            except _DestError as err:
                # Every mirror would fail the same way: the folder does not take files.
                raise DataError(f"cannot write MNIST into {dest}: {err}; pass --data-dir", dest) from err
            except (BadContent, _TooSlow, OSError, http.client.HTTPException, ValueError) as err:
                # OSError covers URLError/HTTPError, timeouts and dropped connections.
                reason = " ".join(_describe(err).split())
                logger.warning("MNIST mirror failed: %s: %s", url, reason)
                failures.append(f"{url} ({reason})")
                continue
            if existing is not None and existing != dest / name:
                # A damaged uncompressed copy would shadow nothing (.gz wins), but it wastes space.
                existing.unlink()
            logger.info("saved %s", dest / name)
            break
        else:
            tried = "; ".join(failures) if failures else "no mirrors given"
            raise DataError(
                f"could not download {name} into {dest}: tried {tried}; check the network connection, or "
                "download the four MNIST files by hand and pass --data-dir",
                dest,
            )


class _TqdmProgress:
    """A download progress callback drawing one tqdm bar per file (see :func:`tqdm_progress`)."""

    def __init__(self, **tqdm_kwargs) -> None:
        from tqdm import tqdm  # lazy: only the CLI needs it

        self._tqdm = tqdm
        self._kwargs = tqdm_kwargs
        self._bar = None
        self._name: str | None = None
        self._done = 0

    def __call__(self, file_name: str, done: int, total: int | None) -> None:
        # A new file, or a retry from another mirror (done restarts at 0): a fresh bar.
        if self._bar is None or file_name != self._name or done < self._done:
            self.close()
            self._bar = self._tqdm(
                total=total, desc=file_name, unit="B", unit_scale=True, unit_divisor=1024, **self._kwargs
            )
            self._name, self._done = file_name, 0
        self._bar.update(done - self._done)
        self._done = done
        if total is not None and done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar, self._name, self._done = None, None, 0


def tqdm_progress(**tqdm_kwargs) -> _TqdmProgress:
    """A ``progress`` callback for :func:`download_mnist` that shows tqdm bars (for the CLI).

    Keyword arguments go to ``tqdm`` (e.g. ``file=sys.stderr``, ``disable=True``).
    Call ``.close()`` on it after an aborted download.
    """
    return _TqdmProgress(**tqdm_kwargs)
