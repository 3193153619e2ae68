"""The notebook bridge's wire format: small length-prefixed frames over a local TCP socket.

One frame is ``>I`` (the bytes that follow), ``>I`` (the header's bytes), a
UTF-8 JSON object (the header), then the raw bytes of at most one array whose
``dtype`` (``float32`` or ``uint8``) and ``shape`` the header names. No pickle,
no ``np.load``: an array is ``np.frombuffer`` of exactly the bytes its shape
needs. Every size is bounded before it is read, the header's JSON by its bytes
and its nesting, and every message kind by :func:`check_message`, so that a
hostile or broken client costs at most one bounded read and one line.

Pure Python and numpy: the watch client (in the student's process, Python 3.7
and TF 1.15 included) and the listener both use it.
"""

from __future__ import annotations

import json
import socket
import struct

import numpy as np

VERSION = 1
MAX_FRAME_BYTES = 8 * 1024 * 1024  # one message: 8 MiB (1,024 maps of 32x32 float32 fit twice over)
MAX_HELLO_BYTES = 4096  # the first message, read before the token is checked
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_DEPTH = 3  # an object holding a list (a shape) is 2
MAX_FILTERS = 1024  # output channels of a kernel, channels of a map
MAX_IN_CHANNELS = 1024
MAX_KERNEL_SIZE = 11
MAX_MAP_SIZE = 64
MAX_LOSSES = 4096  # losses in one message
MAX_NAME = 64  # characters of a layer or stream name
DTYPES = {"float32": np.float32, "uint8": np.uint8}
_LENGTHS = struct.Struct(">II")

CLIENT_KINDS = ("hello", "losses", "accuracy", "kernels", "maps", "close")  # what a listener accepts
SERVER_KINDS = ("welcome", "refused")  # its only answers, to the hello
KINDS = CLIENT_KINDS + SERVER_KINDS


class ProtocolError(ValueError):
    """A message that breaks the protocol: the connection closes with this one line."""


class Message:
    """One decoded message: its header (a dict) and its array (or None)."""

    __slots__ = ("array", "header")

    def __init__(self, header: dict, array: np.ndarray | None = None):
        self.header, self.array = header, array

    @property
    def kind(self) -> str:
        return self.header["type"]

    def __repr__(self) -> str:
        shape = None if self.array is None else self.array.shape
        return f"Message({self.header!r}, array={shape})"


def encode(header: dict, array: np.ndarray | None = None) -> bytes:
    """One frame: ``header`` (a flat JSON object) and ``array``'s bytes, its dtype and shape added."""
    header = dict(header)
    payload = b""
    if array is not None:
        array = np.ascontiguousarray(array)
        name = str(array.dtype)
        if name not in DTYPES:
            array, name = np.ascontiguousarray(array, dtype=np.float32), "float32"
        header["dtype"], header["shape"] = name, [int(n) for n in array.shape]
        payload = array.tobytes()
    text = json.dumps(header, separators=(",", ":"), allow_nan=True).encode("utf-8")
    if len(text) > MAX_HEADER_BYTES:
        raise ProtocolError(f"a header of {len(text)} bytes is over the limit of {MAX_HEADER_BYTES}")
    body = len(text) + len(payload)
    if body + 4 > MAX_FRAME_BYTES:
        raise ProtocolError(f"a message of {body} bytes is over the limit of {MAX_FRAME_BYTES}")
    return _LENGTHS.pack(body + 4, len(text)) + text + payload


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("the peer closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_message(sock: socket.socket, max_bytes: int = MAX_FRAME_BYTES) -> Message:
    """The next frame from ``sock``, checked; :class:`EOFError` at a clean end, :class:`ProtocolError` else."""
    first = sock.recv(4)
    if not first:
        raise EOFError("the peer closed the connection")
    if len(first) < 4:
        first += _recv_exactly(sock, 4 - len(first))
    (length,) = struct.unpack(">I", first)
    if length > max_bytes:
        raise ProtocolError(f"a message of {length} bytes is over the limit of {max_bytes}")
    if length < 4:
        raise ProtocolError(f"a message of {length} bytes is too short")
    body = _recv_exactly(sock, length)
    return decode_body(body)


def decode_body(body: bytes) -> Message:
    """A frame's bytes after its length: the header length, the header and the array."""
    (header_len,) = struct.unpack(">I", body[:4])
    if header_len > MAX_HEADER_BYTES or header_len > len(body) - 4:
        raise ProtocolError(f"a header of {header_len} bytes does not fit the message or the limit")
    header = _parse_header(body[4 : 4 + header_len])
    payload = body[4 + header_len :]
    array = _array(header, payload)
    check_message(header, array)
    return Message(header, array)


def _parse_header(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("the header is not UTF-8") from None
    if _depth(text) > MAX_HEADER_DEPTH:
        raise ProtocolError(f"the header nests deeper than {MAX_HEADER_DEPTH} levels")
    try:
        header = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError("the header is not JSON") from None
    if not isinstance(header, dict):
        raise ProtocolError("the header is not a JSON object")
    kind = header.get("type")
    if kind not in KINDS:
        raise ProtocolError(f"unknown message type {_shown(kind)}")
    return header


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (checked before the parser recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _array(header: dict, payload: bytes) -> np.ndarray | None:
    if "dtype" not in header and "shape" not in header:
        if payload:
            raise ProtocolError("the message carries bytes but names no array")
        return None
    name, shape = header.get("dtype"), header.get("shape")
    if name not in DTYPES:
        raise ProtocolError(f"dtype {_shown(name)} is not float32 or uint8")
    if not (isinstance(shape, list) and 1 <= len(shape) <= 4):
        raise ProtocolError("the shape is not a list of 1 to 4 sizes")
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_FRAME_BYTES for n in shape):
        raise ProtocolError(f"shape {_shown(shape)} holds something other than sizes")
    dtype = np.dtype(DTYPES[name])
    need = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if need != len(payload):
        raise ProtocolError(f"shape {shape} needs {need} bytes, the message carries {len(payload)}")
    return np.frombuffer(payload, dtype=dtype).reshape(shape)


def _int(header: dict, key: str, low: int = 0, high: int = 2**53) -> int:
    value = header.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ProtocolError(f"{key} must be a whole number from {low} to {high}, got {_shown(value)}")
    return value


def _name(header: dict, key: str) -> str:
    value = header.get(key, "")
    if not isinstance(value, str) or len(value) > MAX_NAME or not value.isprintable():
        raise ProtocolError(f"{key} must be printable text of at most {MAX_NAME} characters")
    return value


def check_message(header: dict, array: np.ndarray | None) -> None:
    """Each kind's fields and array bounds (see the module docstring); :class:`ProtocolError` if off."""
    kind = header["type"]
    if kind == "hello":
        if not isinstance(header.get("token"), str) or len(header["token"]) > 256:
            raise ProtocolError("the hello carries no token")
        _name(header, "name")
        _int(header, "version", 1, 1000)
    elif kind == "losses":
        _int(header, "first", 1)
        if array is None or array.dtype != np.float32 or array.ndim != 1 or not 1 <= array.size <= MAX_LOSSES:
            raise ProtocolError(f"losses are a float32 vector of 1 to {MAX_LOSSES} values")
    elif kind == "accuracy":
        value = header.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0.0 <= value <= 1.0):
            raise ProtocolError(f"an accuracy is a number from 0 to 1, got {_shown(value)}")
        _int(header, "step", 0)
    elif kind == "kernels":
        _int(header, "step", 0)
        _name(header, "layer")
        ok = array is not None and array.dtype == np.float32 and array.ndim == 4
        if not ok or not (
            1 <= array.shape[0] <= MAX_KERNEL_SIZE
            and 1 <= array.shape[1] <= MAX_KERNEL_SIZE
            and 1 <= array.shape[2] <= MAX_IN_CHANNELS
            and 1 <= array.shape[3] <= MAX_FILTERS
        ):
            raise ProtocolError(
                f"kernels are float32 (k, k, in, out) with k <= {MAX_KERNEL_SIZE} and out <= {MAX_FILTERS}"
            )
    elif kind == "maps":
        _int(header, "step", 0)
        _name(header, "layer")
        ok = array is not None and array.dtype == np.float32 and array.ndim == 3
        if not ok or not (
            1 <= array.shape[0] <= MAX_MAP_SIZE
            and 1 <= array.shape[1] <= MAX_MAP_SIZE
            and 1 <= array.shape[2] <= MAX_FILTERS
        ):
            raise ProtocolError(f"feature maps are float32 (h, w, c) with h, w <= {MAX_MAP_SIZE}, c <= {MAX_FILTERS}")
    if kind in ("kernels", "maps") and not np.all(np.isfinite(array)):
        raise ProtocolError(f"{kind} hold NaN or infinity")
    elif kind == "welcome":
        _int(header, "run", 1)
    elif kind == "refused":
        reason = header.get("reason")
        if not isinstance(reason, str) or len(reason) > 300:
            raise ProtocolError("a refusal says why in at most 300 characters")
    if kind not in ("losses", "kernels", "maps") and array is not None:
        raise ProtocolError(f"a {kind} message carries no array")
