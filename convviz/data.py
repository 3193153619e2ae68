"""MNIST as numpy arrays: find it, download it, verify it, batch it.

The app looks for the four MNIST files in, in this order: the folder given with
``--data-dir`` (else ``$CONVVIZ_DATA_DIR``), the folder deep-teaching-commons
downloads to (``~/deep.TEACHING/data/MNIST``, so students who ran the course
notebooks need no second copy), and the app's own cache. Every file is checked
by the SHA-256 of its *decompressed* content, so the mirrors' archives, a
re-compressed copy and uncompressed files all pass, and a truncated download or
an HTML error page saved under an MNIST name never does.

Imports neither TensorFlow nor Qt; Python 3.7 compatible.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import logging
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence, Union

import numpy as np

from convviz.errors import ConvVizError

logger = logging.getLogger(__name__)

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

# SHA-256 of the DECOMPRESSED files (shared/data/mnist/README.md): the .gz bytes
# differ between mirrors and re-compressed copies, the IDX content does not.
SHA256 = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Tried in order. deep-teaching-commons downloads from LeCun's page, which is
# also torchvision's second mirror (deduplicated here); torchvision's S3 copy
# and the bucket of TensorFlow's old MNIST tutorial reader are the ones that
# usually answer today.
MIRRORS = (
    "http://yann.lecun.com/exdb/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels (same value as config.IMAGE_SIZE)
_IMAGES_MAGIC = 2051  # IDX: unsigned bytes, 3 dimensions
_LABELS_MAGIC = 2049  # IDX: unsigned bytes, 1 dimension

# Size of each file's DECOMPRESSED (IDX) content: header + one byte per pixel or label.
# No MNIST file is larger, so nothing is ever decompressed, read or downloaded past
# MAX_FILE_BYTES: a gzip bomb, an oversized file or an endless mirror stops there.
IDX_BYTES = {
    "train-images-idx3-ubyte.gz": 16 + 60000 * IMAGE_SIZE * IMAGE_SIZE,  # 47,040,016
    "train-labels-idx1-ubyte.gz": 8 + 60000,
    "t10k-images-idx3-ubyte.gz": 16 + 10000 * IMAGE_SIZE * IMAGE_SIZE,  # 7,840,016
    "t10k-labels-idx1-ubyte.gz": 8 + 10000,
}


def _stored_limit(idx_bytes: int) -> int:
    """The largest a stored or downloaded file may be: its IDX size plus what gzip may
    add to incompressible data (5 bytes per 64 KiB stored block, header, trailer), with room."""
    return idx_bytes + idx_bytes // 1000 + 1024


MAX_FILE_BYTES = {name: _stored_limit(size) for name, size in IDX_BYTES.items()}

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_SIZE = 64 * 1024  # download read size: small enough for a smooth progress bar
_USER_AGENT = "convviz (MNIST download)"  # some mirrors refuse urllib's default agent
# Seconds one mirror may take for one file, however it trickles: the socket timeout only
# bounds each wait for a packet, so a byte every few seconds would never time out.
# 600 s lets the largest file (9.9 MB from the mirrors) through at 17 KB/s.
DOWNLOAD_DEADLINE = 600.0
# Hint appended to errors about a bad file. Neutral: the CLI (with or without
# --no-download) and the window both show it, and each has its own way to download.
_FIX_FILE = "replace it with a good copy, or delete it and allow the download"

PathLike = Union[str, "os.PathLike[str]"]
ProgressCallback = Callable[[str, int, Union[int, None]], None]


class DataError(ConvVizError):
    """MNIST is missing, damaged or could not be downloaded.

    ``str(error)`` is one line for the user that names the file or folder and
    the fix; ``error.path`` is that file or folder when there is one.
    """

    def __init__(self, message: str, path: PathLike | None = None) -> None:
        # One line, always: the CLI prints it and the GUI shows it in a status bar.
        super().__init__(" ".join(str(message).splitlines()))
        self.path = None if path is None else Path(path)


class _BadContent(Exception):
    """A file's bytes are not the expected MNIST file; the message says why (no path)."""


@dataclass(frozen=True, eq=False)  # eq=False: comparing or hashing arrays field by field makes no sense
class Mnist:
    """MNIST as float32 images in [0, 1] with shape (N, 28, 28, 1) and int64 labels.

    The image arrays are shared by every ``load_mnist`` call for the same folder
    and are read-only (``flags.writeable`` is False): copy them before changing
    them. The label arrays are fresh, writeable copies for each call.
    """

    train_images: np.ndarray  # (60000, 28, 28, 1) float32 in [0, 1], read-only
    train_labels: np.ndarray  # (60000,) int64, writeable copy
    test_images: np.ndarray  # (10000, 28, 28, 1) float32 in [0, 1], read-only
    test_labels: np.ndarray  # (10000,) int64, writeable copy
    source: str  # the folder the files were read from

    def subset(self, train_limit: int | None) -> Mnist:
        """The first ``train_limit`` training images and labels; the test set is unchanged.

        ``None`` (or a limit of at least the training set size) returns ``self``.
        """
        if train_limit is None or train_limit >= len(self.train_labels):
            return self
        if train_limit < 1:
            raise ValueError(f"train_limit must be at least 1, got {train_limit}")
        return Mnist(
            train_images=self.train_images[:train_limit],
            # A copy, so that changing the subset's labels leaves this object's alone.
            train_labels=self.train_labels[:train_limit].copy(),
            test_images=self.test_images,
            test_labels=self.test_labels,
            source=self.source,
        )

    def __repr__(self) -> str:
        return f"Mnist(train={self.train_images.shape[0]}, test={self.test_images.shape[0]}, source={self.source!r})"


# --------------------------------------------------------------------------- where


def dtc_data_dir() -> Path:
    """The folder deep-teaching-commons keeps MNIST in: ``~/deep.TEACHING/data/MNIST``.

    Mirrors ``deep_teaching_commons.config.BASE_DATA_DIR`` + ``"MNIST"`` without
    importing the package (it is optional), and expands ``~`` on each call
    rather than once at import.
    """
    return Path(os.path.expanduser("~/deep.TEACHING/data")) / "MNIST"


def cache_dir() -> Path:
    """The app's own download folder: ``$XDG_CACHE_HOME/convviz/mnist`` or ``~/.cache/convviz/mnist``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says to ignore a relative XDG_CACHE_HOME.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path(os.path.expanduser("~")) / ".cache"
    return base / "convviz" / "mnist"


def candidate_dirs(data_dir: PathLike | None = None) -> list[Path]:
    """The folders searched for MNIST, in order, without duplicates.

    ``data_dir`` if given, else ``$CONVVIZ_DATA_DIR`` if set; then
    :func:`dtc_data_dir`; then :func:`cache_dir`.
    """
    first = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    dirs = [] if first is None else [Path(os.path.expanduser(str(first)))]
    dirs += [dtc_data_dir(), cache_dir()]
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def _locate(directory: Path) -> dict[str, Path | None]:
    """Key -> the file in ``directory`` holding it (``name.gz`` preferred, else ``name``), or None."""
    found: dict[str, Path | None] = {}
    for key, name in MNIST_FILES.items():
        found[key] = None
        # deep-teaching-commons and we keep the .gz; people who unpacked by hand have the bare name.
        for candidate in (directory / name, directory / name[: -len(".gz")]):
            if candidate.is_file():
                found[key] = candidate
                break
    return found


def find_mnist(data_dir: PathLike | None = None) -> Path | None:
    """The first of :func:`candidate_dirs` that holds all four MNIST files, else None.

    Only checks that the files exist; reading them (:func:`load_mnist`,
    :func:`verify_mnist_dir`) checks their content.
    """
    configured = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    for directory in candidate_dirs(data_dir):
        if all(path is not None for path in _locate(directory).values()):
            if configured is not None and directory != candidate_dirs(data_dir)[0]:
                logger.warning("no MNIST in %s; using the copy in %s", configured, directory)
            return directory
    return None


# --------------------------------------------------------------------------- read


def _decompress(raw: bytes, limit: int) -> bytes:
    # Decide by content, not by name: a .gz that is really uncompressed, or an
    # unpacked file still called .gz, reads the same.
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return _gunzip(raw, limit)
    except zlib.error as err:
        raise _BadContent(f"is a corrupt gzip file ({err})") from err


def _gunzip(raw: bytes, limit: int) -> bytes:
    """Decompress every gzip member of ``raw`` (as gzip.decompress does), never past ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    data = raw
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16: expect a gzip header and trailer
        while True:
            # At most one byte past the limit: enough to know the file is too large.
            chunk = inflater.decompress(data, limit + 1 - size)
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _BadContent(f"decompresses to more than {limit} bytes, more than any MNIST file holds")
            data = inflater.unconsumed_tail
            if inflater.eof or not data:
                break
        if not inflater.eof:
            raise _BadContent("is a truncated gzip file")
        # gzip allows several members, and zero bytes as padding after the last one.
        data = inflater.unused_data.lstrip(b"\x00")
        if not data:
            return b"".join(parts)
        if not data.startswith(_GZIP_MAGIC):
            raise _BadContent("is a corrupt gzip file (data after the end of the gzip stream)")


def _check_content(raw: bytes, name: str) -> bytes:
    """Decompress and validate the bytes of MNIST file ``name``; return the IDX content.

    Raises _BadContent with the first problem found: gzip errors, wrong magic or
    dimensions, wrong length, then a checksum mismatch (so a truncated file is
    reported as truncated, not merely as "wrong checksum").
    """
    content = _decompress(raw, IDX_BYTES[name])
    is_images = "images" in name
    magic, header = (_IMAGES_MAGIC, 16) if is_images else (_LABELS_MAGIC, 8)
    if len(content) < header:
        raise _BadContent(f"is truncated ({len(content)} bytes, less than the {header}-byte IDX header)")
    dims = np.frombuffer(content, dtype=">u4", count=header // 4)
    if int(dims[0]) != magic:
        raise _BadContent(
            f"is not an MNIST {'image' if is_images else 'label'} file "
            f"(starts with {content[:4]!r}, expected the IDX magic number {magic})"
        )
    if is_images and (int(dims[2]), int(dims[3])) != (IMAGE_SIZE, IMAGE_SIZE):
        raise _BadContent(f"holds {int(dims[2])}x{int(dims[3])} images, expected {IMAGE_SIZE}x{IMAGE_SIZE}")
    count = int(dims[1])
    expected = header + count * (IMAGE_SIZE * IMAGE_SIZE if is_images else 1)
    if len(content) < expected:
        raise _BadContent(f"is truncated ({len(content)} of {expected} bytes)")
    if len(content) > expected:
        raise _BadContent(f"has {len(content) - expected} bytes after the {count} items its header announces")
    digest = hashlib.sha256(content).hexdigest()
    if digest != SHA256[name]:
        raise _BadContent(f"has unexpected content (SHA-256 {digest[:12]}..., expected {SHA256[name][:12]}...)")
    return content


def _read_file(path: Path, name: str) -> bytes:
    """The verified IDX content of ``path`` (the MNIST file ``name``), or DataError."""
    limit = MAX_FILE_BYTES[name]
    try:
        with path.open("rb") as f:
            raw = f.read(limit + 1)  # never more: a huge file is refused, not read
    except OSError as err:
        raise DataError(f"cannot read MNIST file {path}: {err.strerror or err}; {_FIX_FILE}", path) from err
    if len(raw) > limit:
        raise DataError(
            f"MNIST file {path} is too large (more than {limit} bytes, the most an MNIST file takes); {_FIX_FILE}",
            path,
        )
    try:
        return _check_content(raw, name)
    except _BadContent as err:
        raise DataError(f"MNIST file {path} {err}; {_FIX_FILE}", path) from err


def _missing_message(directory: Path, files: dict[str, Path | None]) -> str:
    missing = [MNIST_FILES[key] for key, path in files.items() if path is None]
    return f"{directory} lacks {', '.join(missing)}"


def _signature(directory: Path) -> tuple:
    """What identifies the folder's current files: the cache key, so a replaced file is read again."""
    files = _locate(directory)
    if any(path is None for path in files.values()):
        raise DataError(f"MNIST not complete: {_missing_message(directory, files)}; {_FIX_FILE}", directory)
    stats = []
    for path in files.values():
        try:
            st = path.stat()  # type: ignore[union-attr]
        except OSError as err:
            raise DataError(f"cannot read MNIST file {path}: {err.strerror or err}; {_FIX_FILE}", path) from err
        stats.append((str(path), st.st_ino, st.st_size, st.st_mtime_ns))
    return (str(directory.resolve()), tuple(stats))


# Two entries: the real MNIST plus one other folder (tests, a second --data-dir);
# each holds ~220 MB of float32 images.
@functools.lru_cache(maxsize=2)
def _load_cached(signature: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    source, stats = signature
    arrays = {}
    for key, (path, *_) in zip(MNIST_FILES, stats):
        content = _read_file(Path(path), MNIST_FILES[key])
        if key.endswith("images"):
            pixels = np.frombuffer(content, dtype=np.uint8, offset=16)
            images = pixels.reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1).astype(np.float32)
            images /= 255  # in place: one 190 MB float32 array, not two
            arrays[key] = images
        else:
            arrays[key] = np.frombuffer(content, dtype=np.uint8, offset=8).astype(np.int64)
    for prefix in ("train", "test"):
        n_images, n_labels = len(arrays[prefix + "_images"]), len(arrays[prefix + "_labels"])
        if n_images != n_labels:
            raise DataError(
                f"MNIST in {source} has {n_images} {prefix} images but {n_labels} labels; {_FIX_FILE}", source
            )
    for array in arrays.values():
        array.setflags(write=False)  # shared by every caller: nobody may change them
    logger.info("read MNIST from %s", source)
    return arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"]


def _load_dir(directory: Path) -> Mnist:
    train_images, train_labels, test_images, test_labels = _load_cached(_signature(directory))
    return Mnist(
        train_images=train_images,
        train_labels=train_labels.copy(),
        test_images=test_images,
        test_labels=test_labels.copy(),
        source=str(directory),
    )


def verify_mnist_dir(path: PathLike) -> None:
    """Raise DataError unless ``path`` holds all four MNIST files with the right content.

    Reads the files completely (and keeps the result for :func:`load_mnist`).
    """
    _load_dir(Path(os.path.expanduser(str(path))))


def load_mnist(
    data_dir: PathLike | None = None,
    download: bool = False,
    progress: ProgressCallback | None = None,
) -> Mnist:
    """Find, verify and read MNIST; download it first if allowed and needed.

    Parameters
    ----------
    data_dir
        Folder searched first (see :func:`candidate_dirs`); a download goes
        here when it is given, else into ``$CONVVIZ_DATA_DIR`` when that is
        set, else into :func:`cache_dir`. A configured folder that is a file
        is an error, not a reason to download elsewhere.
    download
        Download the files when no folder holds all four, or when the found
        folder's files are damaged (they are replaced atomically).
    progress
        Passed to :func:`download_mnist`.

    Returns a :class:`Mnist`; a second call for the same unchanged folder
    returns the same (read-only) image arrays without reading the files again.

    Raises
    ------
    DataError
        MNIST not found (and ``download`` False), damaged, or not downloadable.
    """
    found = find_mnist(data_dir)
    if found is not None:
        try:
            return _load_dir(found)
        except DataError as err:
            if not download:
                raise
            logger.warning("%s; downloading a fresh copy", err)
            try:
                download_mnist(found, mirrors=MIRRORS, progress=progress)
            except DataError as download_err:
                # The damaged file is the news; a read-only folder or no network only explains why it stays.
                raise DataError(f"{err} (downloading a fresh copy failed: {download_err})", err.path) from download_err
            return _load_dir(found)
    configured = data_dir if data_dir is not None else os.environ.get("CONVVIZ_DATA_DIR") or None
    target = Path(os.path.expanduser(str(configured))) if configured is not None else cache_dir()
    if target.exists() and not target.is_dir():
        source = "" if data_dir is not None else " (CONVVIZ_DATA_DIR)"
        raise DataError(
            f"the MNIST folder {target}{source} is a file, not a folder; point it at the folder that holds "
            "(or is to hold) the four MNIST files",
            target,
        )
    if download:
        # MIRRORS looked up now, not at definition, so that it can be patched (tests, a local mirror).
        return _load_dir(download_mnist(target, mirrors=MIRRORS, progress=progress))
    looked = []
    for directory in candidate_dirs(data_dir):
        files = _locate(directory)
        if any(path is not None for path in files.values()):
            looked.append(_missing_message(directory, files))
        else:
            looked.append(str(directory))
    raise DataError(
        f"MNIST not found (looked in {'; '.join(looked)}); pass --data-dir with a folder holding the four "
        f"MNIST files ({', '.join(MNIST_FILES.values())}), set CONVVIZ_DATA_DIR, or allow the download",
        target,
    )


# --------------------------------------------------------------------------- download


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

        return urllib.request.build_opener(Handler, SecureHandler)


def _fetch(url: str, name: str, dest: Path, timeout: float, deadline: float, progress: ProgressCallback | None) -> None:
    """Download ``url`` into ``dest/name`` via a temporary file; raise on any failure.

    The file appears under its final name only after its content was verified,
    so an interrupted or wrong download never leaves a file that looks like MNIST.
    At most ``MAX_FILE_BYTES[name]`` bytes are taken, within ``deadline`` seconds.
    """
    limit = MAX_FILE_BYTES[name]

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
                raise _BadContent(f"truncated: got {done} of {total} bytes")
            try:
                out.flush()
                os.fsync(out.fileno())
            except OSError as err:
                raise _DestError(err.strerror or str(err)) from err
        _check_content(tmp.read_bytes(), name)
        try:
            os.chmod(str(tmp), 0o644)  # mkstemp makes it 0600; a shared --data-dir wants it readable
            os.replace(str(tmp), str(dest / name))
        except OSError as err:
            raise _DestError(err.strerror or str(err)) from err
    finally:
        if tmp.exists():
            tmp.unlink()


def _transfer(url: str, out, limit: int, timeout: float, watchdog: _Watchdog, report) -> int | None:
    """Copy the body of ``url`` into ``out`` (at most ``limit`` bytes); return its Content-Length or None."""
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
            raise _BadContent(f"announces {total} bytes, more than the {limit} an MNIST file can take")
        done = 0
        report(done, total)
        while not watchdog.expired:
            # read1: whatever has arrived (read() would wait for a whole chunk of a trickle).
            chunk = response.read1(_CHUNK_SIZE)
            if not chunk:
                break
            if done + len(chunk) > limit:
                raise _BadContent(f"sent more than {limit} bytes, more than an MNIST file can take")
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
    dest: PathLike | None = None,
    mirrors: Sequence[str] = MIRRORS,
    progress: ProgressCallback | None = None,
    timeout: float = 30.0,
    deadline: float | None = None,
) -> Path:
    """Download the MNIST files that are missing or damaged in ``dest``; return ``dest``.

    Parameters
    ----------
    dest
        Target folder (created if needed); default :func:`cache_dir`.
    mirrors
        Base URLs, tried in order for each file until one delivers it intact.
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
    dest = cache_dir() if dest is None else Path(os.path.expanduser(str(dest)))
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
    present = _locate(dest)
    for key, name in MNIST_FILES.items():
        existing = present[key]
        if existing is not None:
            try:
                _read_file(existing, name)
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
            except (_BadContent, _TooSlow, OSError, http.client.HTTPException, ValueError) as err:
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


# --------------------------------------------------------------------------- batches


def batches_per_epoch(n: int, batch_size: int) -> int:
    """How many batches :func:`minibatches` yields for ``n`` samples (the last may be smaller)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    return -(-n // batch_size)


def minibatches(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    rng: np.random.RandomState,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of shuffled minibatches, the course's numpy strategy done right.

    Draws one fresh permutation per call, then yields every batch, the last
    one smaller when ``batch_size`` does not divide the sample count, so each
    sample is seen exactly once per epoch. Each batch is fancy-indexed only
    when it is asked for: a fresh writeable copy, and no shuffled copy of the
    whole data set.
    """
    n = len(images)
    if len(labels) != n:
        raise ValueError(f"{n} images but {len(labels)} labels")
    batches_per_epoch(n, batch_size)  # validates batch_size
    # Drawn now, not at the first next(): the epoch's order depends only on the
    # rng's state at the call.
    order = rng.permutation(n)
    return _batches(images, labels, order, batch_size)


def _batches(
    images: np.ndarray, labels: np.ndarray, order: np.ndarray, batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        yield images[index], labels[index]
