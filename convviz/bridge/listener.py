"""The listening side of the notebook bridge: 127.0.0.1 only, one token, bounded in every way.

:class:`Listener` binds a local port, accepts up to ``max_streams`` streams at
once (a thread each, plus one accepting), checks each connection's first
message against the session's token (``hmac.compare_digest``) and turns what
the stream sends into typed events on one bounded queue, each keyed by the
stream's run id: :class:`StreamOpened`, :class:`~convviz.events.LossChunk`,
:class:`~convviz.events.EpochReport` (one per accuracy), :class:`StreamKernels`,
:class:`StreamMaps`, :class:`StreamClosed` with what arrived, and
:class:`Refused` (one line) for a connection or a message turned away.

Hostile input costs one bounded read: a message over :data:`~.protocol.MAX_FRAME_BYTES`
(4 KiB before the token is checked), a bad header, shape or value closes that
connection with one line, and the listener goes on. A connection that floods
is thinned by a token bucket (messages and bytes per second): the excess is
dropped, said once per stream. The queue is bounded too: a consumer that
falls behind slows the sockets, which the watch client absorbs by dropping its
oldest messages. No Qt, no TensorFlow.
"""

from __future__ import annotations

import hmac
import logging
import queue
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from convviz.bridge import protocol
from convviz.bridge.protocol import ProtocolError
from convviz.events import EpochReport, LossChunk

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never another interface: the token is the only other guard
DEFAULT_PORT = 7787
MAX_STREAMS = 4  # streams open at once
MAX_PENDING = 8  # connections not yet past the token check
HELLO_TIMEOUT_S = 5.0
ACCEPT_TICK_S = 0.1
QUEUE_SIZE = 2000  # events waiting for the window or the CLI
RATE_MESSAGES = 100.0  # messages a second a stream may send, on average ...
BURST_MESSAGES = 400  # ... and at once
RATE_BYTES = 16 * 1024 * 1024  # bytes a second
BURST_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class StreamOpened:
    run_id: int
    name: str  # what the notebook called itself ("" when it did not)
    peer: str


@dataclass(frozen=True)
class StreamKernels:
    """The stream's first conv layer's kernels after ``step`` steps: float32 (k, k, in, out)."""

    run_id: int
    step: int
    layer: str
    kernels: np.ndarray
    seconds: float


@dataclass(frozen=True)
class StreamMaps:
    """The probe digit's feature maps of ``layer`` after ``step`` steps: float32 (h, w, c)."""

    run_id: int
    step: int
    layer: str
    maps: np.ndarray
    seconds: float


@dataclass(frozen=True)
class StreamClosed:
    run_id: int
    counts: dict  # steps, losses, accuracies, kernels, feature_maps
    reason: str = ""  # "" for a clean close; else the one line that ended it


@dataclass(frozen=True)
class Refused:
    """A connection or message turned away, or a note about one: the one line to show."""

    line: str
    run_id: int | None = None


@dataclass
class _Bucket:
    """A token bucket: ``rate`` a second, at most ``burst`` held."""

    rate: float
    burst: float
    level: float = -1.0
    at: float = field(default_factory=time.monotonic)

    def take(self, amount: float) -> bool:
        now = time.monotonic()
        if self.level < 0:
            self.level = self.burst
        self.level = min(self.burst, self.level + (now - self.at) * self.rate)
        self.at = now
        if amount > self.level:
            return False
        self.level -= amount
        return True


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Listener:
    """Listens on 127.0.0.1:``port`` (0: any free one) for watch streams; see the module docstring.

    ``start()`` binds (``OSError`` when the port is taken); :meth:`events` yields what arrives;
    :meth:`close` ends every connection and the accepting thread.
    """

    def __init__(
        self,
        port: int = DEFAULT_PORT,
        token: str | None = None,
        max_streams: int = MAX_STREAMS,
        rate: float = RATE_MESSAGES,
        burst: int = BURST_MESSAGES,
    ):
        self.token = token or new_token()
        self.max_streams, self.rate, self.burst = int(max_streams), float(rate), int(burst)
        self._requested_port = int(port)
        self._server: socket.socket | None = None
        self._events: queue.Queue = queue.Queue(QUEUE_SIZE)
        self._lock = threading.Lock()
        self._open: set = set()  # sockets of live connections
        self._streams = 0  # authenticated streams open now
        self._pending = 0
        self._next_run = 0
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []

    # ---- life ------------------------------------------------------------------------------------
    def start(self) -> Listener:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            server.bind((HOST, self._requested_port))
            server.listen(16)
            server.settimeout(ACCEPT_TICK_S)  # accept() wakes to see close(): closing alone does not wake it
        except OSError:
            server.close()
            raise
        self._server = server
        thread = threading.Thread(target=self._accept_loop, name="convviz-listen", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    @property
    def port(self) -> int:
        return self._server.getsockname()[1] if self._server is not None else self._requested_port

    @property
    def address(self) -> tuple:
        return self._server.getsockname()

    def paste_line(self) -> str:
        """The one line a notebook runs to stream here."""
        return f'from convviz import watch; w = watch.connect(port={self.port}, token="{self.token}")'

    def close(self) -> None:
        self._stopped.set()
        if self._server is not None:
            _quietly(self._server.close)
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            _quietly(conn.shutdown, socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=2.0)

    def __enter__(self) -> Listener:
        return self.start() if self._server is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- what arrives ----------------------------------------------------------------------------
    def poll(self, timeout: float | None = None):
        """The next event, or None after ``timeout`` seconds without one."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def events(self, tick: float = 0.1) -> Iterator:
        """Every event until :meth:`close`; None every ``tick`` seconds without one (a caller's chance to stop)."""
        while not (self._stopped.is_set() and self._events.empty()):
            yield self.poll(tick)

    def _emit(self, event) -> None:
        while not self._stopped.is_set():
            try:
                self._events.put(event, timeout=0.2)
                return
            except queue.Full:  # the consumer is behind: this connection waits, its client drops
                continue

    # ---- the threads -----------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, peer = self._server.accept()
            except socket.timeout:
                continue
            except OSError:
                return  # closed
            with self._lock:
                busy = self._pending >= MAX_PENDING
                if not busy:
                    self._pending += 1
                    self._open.add(conn)
            if busy:
                self._emit(Refused(f"refused a connection from port {peer[1]}: too many waiting"))
                _quietly(conn.close)
                continue
            thread = threading.Thread(target=self._serve, args=(conn, peer), name="convviz-stream", daemon=True)
            thread.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _serve(self, conn: socket.socket, peer) -> None:
        run_id = None
        try:
            run_id = self._greet(conn, peer)
            if run_id is not None:
                self._stream(conn, run_id)
        finally:
            with self._lock:
                self._open.discard(conn)
                if run_id is None:
                    self._pending -= 1
            _quietly(conn.close)

    def _greet(self, conn: socket.socket, peer) -> int | None:
        """The token check: the run id of a new stream, or None (refused, said in one line)."""
        where = f"port {peer[1]}"
        conn.settimeout(HELLO_TIMEOUT_S)
        try:
            hello = protocol.read_message(conn, protocol.MAX_HELLO_BYTES)
            if hello.kind != "hello":
                raise ProtocolError("the first message is not a hello")
        except (ProtocolError, EOFError, OSError) as exc:
            self._refuse(conn, f"refused a connection from {where}: {_reason(exc)}")
            return None
        if not hmac.compare_digest(hello.header["token"].encode("utf-8"), self.token.encode("utf-8")):
            self._refuse(conn, f"refused a connection from {where}: wrong token")
            return None
        with self._lock:
            if self._streams >= self.max_streams:
                full = True
            else:
                full = False
                self._streams += 1
                self._pending -= 1
                self._next_run += 1
                run_id = self._next_run
        if full:
            self._refuse(conn, f"refused a stream from {where}: {self.max_streams} streams are open already")
            return None
        try:
            conn.sendall(protocol.encode({"type": "welcome", "run": run_id}))
        except OSError:
            pass  # it will read as a closed stream below
        conn.settimeout(None)
        self._emit(StreamOpened(run_id, hello.header.get("name", ""), where))
        return run_id

    def _refuse(self, conn: socket.socket, line: str) -> None:
        log.info("%s", line)
        self._emit(Refused(line))
        try:
            conn.settimeout(1.0)
            conn.sendall(protocol.encode({"type": "refused", "reason": line[:300]}))
        except OSError:
            pass

    def _stream(self, conn: socket.socket, run_id: int) -> None:
        counts = {"steps": 0, "losses": 0, "accuracies": 0, "kernels": 0, "feature_maps": 0}
        messages = _Bucket(self.rate, self.burst)
        volume = _Bucket(RATE_BYTES, BURST_BYTES)
        started = time.monotonic()
        dropped = 0
        epoch_losses: list = []
        reason = ""
        while True:
            try:
                msg = protocol.read_message(conn)
            except EOFError:
                if not self._stopped.is_set():
                    reason = "the notebook went away without closing"
                break
            except (ProtocolError, OSError) as exc:
                if self._stopped.is_set():
                    break
                reason = f"stream {run_id} closed: {_reason(exc)}"
                self._emit(Refused(reason, run_id))
                break
            if msg.kind == "close":
                break
            size = 0 if msg.array is None else msg.array.nbytes
            if msg.kind == "hello" or not (messages.take(1) and volume.take(size)):
                if msg.kind == "hello":
                    reason = f"stream {run_id} closed: a second hello"
                    self._emit(Refused(reason, run_id))
                    break
                dropped += 1
                if dropped == 1:
                    self._emit(Refused(f"stream {run_id} sends too fast: dropping the excess", run_id))
                continue
            seconds = time.monotonic() - started
            self._emit(self._event(run_id, msg, seconds, counts, epoch_losses))
        if dropped:
            log.info("stream %d: dropped %d messages sent too fast", run_id, dropped)
        with self._lock:  # before it is said closed: the notebook's next stream may follow at once
            self._streams -= 1
        self._emit(StreamClosed(run_id, counts, reason))

    def _event(self, run_id: int, msg, seconds: float, counts: dict, epoch_losses: list):
        h = msg.header
        if msg.kind == "losses":
            losses = np.array(msg.array, dtype=np.float32)
            steps = np.arange(h["first"], h["first"] + len(losses), dtype=np.int64)
            counts["losses"] += len(losses)
            counts["steps"] = max(counts["steps"], int(steps[-1]))
            epoch_losses.append(losses)
            return LossChunk(run_id, steps, steps.copy(), losses, np.full(len(losses), seconds))
        if msg.kind == "accuracy":
            joined = np.concatenate(epoch_losses) if epoch_losses else np.zeros(0, np.float32)
            finite = joined[np.isfinite(joined)]
            epoch_losses.clear()
            report = EpochReport(
                run_id,
                counts["accuracies"],
                float(finite.mean()) if finite.size else float("nan"),
                float(h["value"]),
                int(h["step"]),
                0.0,
                seconds,
            )
            counts["accuracies"] += 1
            return report
        if msg.kind == "kernels":
            counts["kernels"] += 1
            return StreamKernels(run_id, int(h["step"]), h["layer"], np.array(msg.array), seconds)
        counts["feature_maps"] += 1
        return StreamMaps(run_id, int(h["step"]), h["layer"], np.array(msg.array), seconds)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "no hello in time"
    if isinstance(exc, EOFError):
        return "closed before its hello"
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _quietly(fn, *args) -> None:
    try:
        fn(*args)
    except OSError:
        pass
