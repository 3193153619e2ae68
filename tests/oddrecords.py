"""Damaged and odd run records, made from a good one: for the run store's, the reader's and replay's tests
and for bench/faults.py.

Each maker takes a good record file's bytes and returns the bytes of a bad one. The damaged ones break the
zip container (a bad CRC, a cut deflate stream, an encrypted member, an unknown compression method, junk);
the odd ones are readable files whose metadata holds values nobody should believe.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import numpy as np

_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"


def _central_offset(data: bytes, member: str) -> int:
    """Where ``member``'s central-directory header starts."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = z.getinfo(member).filename.encode()
    at = data.index(_CENTRAL + b"", data.rindex(b"PK\x05\x06") - 4096 if len(data) > 4096 else 0)
    while True:
        at = data.index(_CENTRAL, at)
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length] == name:
            return at
        at += 4


def _local_offset(data: bytes, member: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.getinfo(member).header_offset


def _patch(data: bytes, at: int, fmt: str, value) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


def bad_crc(data: bytes) -> bytes:
    """The metadata member's CRC-32 in the central directory is wrong: zipfile notices once it has read it."""
    at = _central_offset(data, "meta.npy")
    crc = struct.unpack("<I", data[at + 16 : at + 20])[0]
    return _patch(data, at + 16, "<I", crc ^ 0xFFFFFFFF)


def encrypted(data: bytes) -> bytes:
    """The metadata member says it is encrypted (flag bit 0), in both its headers."""
    data = _patch(data, _local_offset(data, "meta.npy") + 6, "<H", 1)
    at = _central_offset(data, "meta.npy")
    return _patch(data, at + 8, "<H", struct.unpack("<H", data[at + 8 : at + 10])[0] | 1)


def unknown_compression(data: bytes) -> bytes:
    """The metadata member is compressed with method 99 (AES), which zipfile does not read."""
    data = _patch(data, _local_offset(data, "meta.npy") + 8, "<H", 99)
    return _patch(data, _central_offset(data, "meta.npy") + 10, "<H", 99)


def truncated_deflate(data: bytes) -> bytes:
    """The same members, but the metadata's deflate stream is cut after its first bytes (the zip's sizes
    say so: the container is whole, the stream inside it is not)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            members[info.filename] = z.read(info)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, raw in members.items():
            if name == "meta.npy":
                compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
                stream = compressor.compress(raw) + compressor.flush()
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_STORED
                z.writestr(info, stream[: max(8, len(stream) // 3)])
            else:
                z.writestr(name, raw)
    cut = out.getvalue()
    # mark the cut stream as deflated, with the whole member's size and CRC (what the writer had promised)
    raw = members["meta.npy"]
    local = _local_offset(cut, "meta.npy")
    cut = _patch(cut, local + 8, "<H", zipfile.ZIP_DEFLATED)
    cut = _patch(cut, local + 14, "<I", zlib.crc32(raw) & 0xFFFFFFFF)
    cut = _patch(cut, local + 22, "<I", len(raw))
    central = _central_offset(cut, "meta.npy")
    cut = _patch(cut, central + 10, "<H", zipfile.ZIP_DEFLATED)
    cut = _patch(cut, central + 16, "<I", zlib.crc32(raw) & 0xFFFFFFFF)
    return _patch(cut, central + 24, "<I", len(raw))


def junk(data: bytes) -> bytes:
    """As many random bytes as the record has."""
    return np.random.RandomState(0).randint(0, 256, len(data)).astype(np.uint8).tobytes()


DAMAGED = {
    "bad CRC": bad_crc,
    "truncated deflate stream": truncated_deflate,
    "encrypted member": encrypted,
    "unknown compression method": unknown_compression,
    "junk bytes": junk,
}


def with_meta(data: bytes, change) -> bytes:
    """The record with its metadata JSON replaced by ``change(meta)``'s text (a dict is dumped; a str is
    taken as it is, for values json.dumps will not write, such as 1e999)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            members[info.filename] = z.read(info)
    meta = json.loads(np.load(io.BytesIO(members["meta.npy"])).tobytes().decode("utf-8"))
    text = change(meta)
    text = text if isinstance(text, str) else json.dumps(text)
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.frombuffer(text.encode("utf-8"), np.uint8), allow_pickle=False)
    members["meta.npy"] = buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, raw in members.items():
            z.writestr(name, raw)
    return out.getvalue()


def _config(**values):
    return lambda m: {**m, "config": {**m["config"], **values}}


def _outcome(**values):
    return lambda m: {**m, "outcome": {**m["outcome"], **values}}


ODD = {
    "batch size 'sixty-four'": _config(batch_size="sixty-four"),
    "learning rate infinite": lambda m: json.dumps({**m, "config": {**m["config"], "learning_rate": "INF"}}).replace(
        '"INF"', "1e999"
    ),
    "learning rate a list": _config(learning_rate=[0.001]),
    "start time 1e300": lambda m: {**m, "started_at": 1e300},
    "start time negative": lambda m: {**m, "started_at": -86400.0},
    "test accuracy 12.5": _outcome(test_accuracy=12.5),
    "negative images/s": _outcome(images_per_second=-5.0),
}

ALL = {**DAMAGED, **{name: (lambda data, c=change: with_meta(data, c)) for name, change in ODD.items()}}
