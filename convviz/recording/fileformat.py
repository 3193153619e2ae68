"""The record's file: one ``.npz`` of arrays with the metadata as a JSON member; writer and reader."""

from __future__ import annotations

import json
import math
import os
import tempfile
import tokenize
import zipfile
import zlib
from pathlib import Path
from typing import Mapping

import numpy as np

from convviz import atomicfile, safejson
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConfigError
from convviz.netspec import arch_name, get_spec, parameter_count
from convviz.recording.check import _Bad, _check_record, _is_number, check_fields
from convviz.recording.parts import (
    FORMAT,
    FORMAT_VERSION,
    MAX_EPOCHS,
    MAX_FRAMES,
    MAX_LOSS_POINTS,
    MAX_RATE_CHANGES,
    EpochSummary,
    LossCurve,
    Outcome,
    RateChange,
    RecordingError,
    RunRecord,
    RunSummary,
    Timeline,
    _readonly,
    weight_shapes,
)
from convviz.recording.timeline import timeline_layers
from convviz.safefile import UnsafeFileError, open_regular

MAX_FILE_BYTES = 256 * 2**20  # a record file: 20M float32 parameters (80 MB), frames and a long curve fit
MAX_META_BYTES = 4 * 2**20  # the JSON member (1,000 epochs are ~200 kB)
MAX_META_DEPTH = 8  # the JSON nests 3 deep
MAX_NPY_HEADER = 64 * 1024  # numpy writes at most this much header per array

# Members: "meta" (uint8, the JSON below), the loss curve's four columns, the timeline's arrays, and one
# member per final weight ("weight.conv1.kernel"). Every member is a .npy array; none is an object array.
_LOSS_MEMBERS = {
    "loss_steps": ("steps", np.int64),
    "loss_examples": ("examples_seen", np.int64),
    "loss_values": ("losses", np.float32),
    "loss_seconds": ("seconds", np.float64),
}
_FRAME_MEMBERS = {
    "frame_steps": ("steps", np.int64),
    "frame_examples": ("examples_seen", np.int64),
    "frame_seconds": ("seconds", np.float64),
}
_FRAME_OPTIONAL = {"frame_kernels": "kernels", "frame_maps": "maps", "frame_probabilities": "probabilities"}
_WEIGHT_PREFIX = "weight."
# What reading a member's bytes raises when they are damaged (RuntimeError: zipfile's own complaints).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)


def _weight_member(name: str) -> str:
    return _WEIGHT_PREFIX + name.replace("/", ".")


def _record_meta(record: RunRecord) -> dict:
    o = record.outcome
    t = record.timeline
    return {
        "format": FORMAT,
        "format_version": record.version,
        "arch": record.arch,
        "name": record.name,
        "config": dict(record.config),
        "train_size": record.train_size,
        "total_steps": record.total_steps,
        "started_at": record.started_at,
        "versions": dict(record.versions),
        "loss_points": len(record.losses),
        "epochs": [
            {
                "epoch": e.epoch,
                "examples_seen": e.examples_seen,
                "test_accuracy": e.test_accuracy,
                "train_loss": e.train_loss,
                "seconds": e.seconds,
                "images_per_second": e.images_per_second,
            }
            for e in record.epochs
        ],
        "outcome": {
            "status": o.status,
            "test_accuracy": o.test_accuracy,
            "steps": o.steps,
            "examples_seen": o.examples_seen,
            "train_seconds": o.train_seconds,
            "wall_seconds": o.wall_seconds,
            "images_per_second": o.images_per_second,
            "memory_bytes": o.memory_bytes,
            "error": o.error,
        },
        "timeline": None
        if t is None
        else {
            "kernel_layer": t.kernel_layer,
            "map_layer": t.map_layer,
            "frames": len(t),
            "kernels": t.kernels is not None,
            "maps": t.maps is not None,
            "probabilities": t.probabilities is not None,
            "probe": t.probe_image is not None,
            "probe_index": t.probe_index,
            "probe_label": t.probe_label,
        },
        "weights": None if record.final_weights is None else sorted(record.final_weights),
        "parameters": record.parameters,
        "best_accuracy": record.best_accuracy,
        "seconds_per_epoch": record.seconds_per_epoch,
        "rate_changes": [c.to_list() for c in record.rate_changes],
    }


def _arrays(record: RunRecord) -> dict[str, np.ndarray]:
    arrays = {member: getattr(record.losses, attr) for member, (attr, _) in _LOSS_MEMBERS.items()}
    t = record.timeline
    if t is not None:
        arrays.update({member: getattr(t, attr) for member, (attr, _) in _FRAME_MEMBERS.items()})
        for member, attr in _FRAME_OPTIONAL.items():
            if getattr(t, attr) is not None:
                arrays[member] = getattr(t, attr)
        if t.probe_image is not None:
            arrays["probe_image"] = t.probe_image
    for name, value in (record.final_weights or {}).items():
        arrays[_weight_member(name)] = value
    return arrays


def save_record(record: RunRecord, path) -> Path:
    """Write ``record`` to ``path`` (one ``.npz``), checked first, atomically (a temporary sibling, then a rename).

    Raises RecordingError (one line naming ``path``): a record that is not valid, a folder that does
    not exist or takes no files, a full disk. An existing file at ``path`` is replaced whole or not at all.
    """
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot save the run to {path}"
    try:
        _check_record(record)
        text = json.dumps(_record_meta(record), allow_nan=False, sort_keys=True)
    except (_Bad, ValueError) as exc:
        raise RecordingError(f"{prefix}: {exc}") from None
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")
    arrays = {"meta": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}
    arrays.update(_arrays(record))
    size = sum(a.nbytes for a in arrays.values())
    if size > MAX_FILE_BYTES:
        raise RecordingError(f"{prefix}: its {size:,} bytes are more than a record may hold ({MAX_FILE_BYTES:,})")

    def write(f) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for key, value in arrays.items():
                with archive.open(key + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.ascontiguousarray(value), allow_pickle=False)

    return write_atomically(path, write, prefix)


def write_atomically(path: Path, write, prefix: str) -> Path:
    """``write(file)`` into a temporary sibling of ``path``, synced, then renamed over it (only over a
    regular file): ``path`` is replaced whole or not at all, and a failure leaves no temporary file.
    One-line RecordingError starting with ``prefix``."""
    return atomicfile.write_atomically(path, write, prefix, error=RecordingError)


def check_record_target(path) -> Path:
    """Refuse, before a run starts, a record path that cannot be written: a folder, a missing folder, a
    folder that takes no new files. One-line RecordingError naming the path."""
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot record the run to {path}"
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")
    kind = atomicfile.special_kind(path)
    if kind is not None:  # the rename would replace a device or FIFO with the record
        raise RecordingError(f"{prefix}: it is {kind}, not a regular file; name a file")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".probe", dir=str(path.parent))
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RecordingError(f"{prefix}: {path.parent} takes no new files ({exc.strerror or exc})") from None
    return path


def _reason(exc: BaseException) -> str:
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__context__
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _Reader:
    """Reads one record file member by member; every size is checked before data is read."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.file = open_regular(path)  # a FIFO or device is refused before it can block
        except UnsafeFileError as exc:
            raise _Bad(exc.reason) from None
        except OSError as exc:
            raise _Bad(f"cannot be read ({exc.strerror or exc})") from None
        size = os.fstat(self.file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            self.file.close()
            raise _Bad(f"has {size:,} bytes, more than a run record may ({MAX_FILE_BYTES:,})")
        try:
            self.archive = zipfile.ZipFile(self.file)
        except zipfile.BadZipFile:
            self.file.close()
            raise _Bad("is not a ConvViz run record (not a zip/.npz file, or truncated)") from None
        except (OSError, ValueError, EOFError, RuntimeError) as exc:  # Python 3.7: NotImplementedError for a
            self.file.close()  # member that claims a zip version from the future (found by tests/test_fuzz.py)
            raise _Bad(f"cannot be read ({_reason(exc)})") from None
        try:
            self.members = self._members()
        except _Bad:
            self.close()
            raise
        self.total = 0

    def _members(self) -> dict:
        infos = self.archive.infolist()
        if len(infos) > 16 + 2 * 40:  # the fixed members + two per weighted layer (a spec has <= 18 layers)
            raise _Bad(f"has {len(infos)} members, more than a run record")
        members = {}
        for info in infos:
            if not info.filename.endswith(".npy") or info.filename.count("/"):
                raise _Bad(f"holds {info.filename[:40]!r}, which is not an array of a run record")
            members[info.filename[:-4]] = info
        return members

    def close(self) -> None:
        self.archive.close()
        self.file.close()

    def has(self, name: str) -> bool:
        return name in self.members

    def array(self, name: str, dtype, shape: tuple | None = None, ndim: int | None = None, max_values: int = 0):
        """Member ``name``: exactly ``dtype``, and ``shape`` (or ``ndim`` dims of at most ``max_values`` values)."""
        info = self.members.get(name)
        if info is None:
            raise _Bad(f"lacks the array {name}")
        dtype = np.dtype(dtype)
        limit = int(np.prod(shape)) if shape is not None else max_values
        if info.file_size > MAX_NPY_HEADER + limit * dtype.itemsize:
            raise _Bad(f"array {name} declares {info.file_size:,} bytes, more than it may hold")
        self.total += info.file_size
        if self.total > 4 * MAX_FILE_BYTES:
            raise _Bad("its arrays unpack to more than a run record may hold")
        if info.flag_bits & 0x1:
            raise _Bad(f"holds the encrypted member {info.filename[:40]!r}; a run record is never encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Bad(
                f"holds {info.filename[:40]!r} compressed with method {info.compress_type}, "
                "which a run record never uses"
            )
        try:
            return self._read_array(info, name, dtype, shape, ndim, max_values)
        except _Bad:
            raise
        except _DAMAGED as exc:  # a bad CRC, a cut deflate stream, a header numpy cannot parse
            raise _Bad(f"the file is damaged: its array {name} cannot be read ({_reason(exc)})") from None

    def _read_array(self, info, name: str, dtype, shape, ndim, max_values) -> np.ndarray:
        with self.archive.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                stored, fortran, stored_dtype = np.lib.format.read_array_header_1_0(f)
            elif version == (2, 0):
                stored, fortran, stored_dtype = np.lib.format.read_array_header_2_0(f)
            else:
                raise _Bad(f"array {name} has npy format {version}")
            stored = tuple(stored)
            if stored_dtype != dtype:  # object arrays (pickles) included: refused before anything is unpickled
                raise _Bad(f"array {name} holds {stored_dtype}, not {dtype.name}")
            if shape is not None and stored != tuple(shape):
                raise _Bad(f"array {name} has shape {stored}, expected {tuple(shape)}")
            if shape is None and (len(stored) != ndim or int(np.prod(stored)) > max_values):
                raise _Bad(f"array {name} has shape {stored}, not {ndim}-D of at most {max_values:,} values")
            count = int(np.prod(stored))
            data = f.read(count * dtype.itemsize)
        if len(data) != count * dtype.itemsize:
            raise _Bad(f"array {name} is truncated")
        a = np.frombuffer(data, dtype=dtype).reshape(stored, order="F" if fortran else "C")
        return _readonly(np.array(a, order="C"))  # a writable copy of the read-only buffer, then frozen

    def meta(self) -> dict:
        info = self.members.get("meta")
        if info is None:
            raise _Bad("is not a ConvViz run record (no metadata)")
        raw = self.array("meta", np.uint8, ndim=1, max_values=MAX_META_BYTES)
        try:
            meta = safejson.loads(raw.tobytes(), MAX_META_BYTES, MAX_META_DEPTH)
        except safejson.JSONLimitError as exc:
            raise _Bad(f"has unreadable metadata ({exc})") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise _Bad("is not a ConvViz run record")
        version = meta.get("format_version")
        if version != FORMAT_VERSION:
            newer = isinstance(version, int) and version > FORMAT_VERSION
            hint = "; it was made by a newer ConvViz" if newer else ""
            raise _Bad(f"has format version {version!r}; this ConvViz reads version {FORMAT_VERSION}{hint}")
        return meta


def _get(d: Mapping, key: str, kinds, where: str, optional: bool = False):
    value = d.get(key) if isinstance(d, dict) else None
    if value is None and optional:
        return None
    ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in _tuple(kinds))
    if not ok:
        raise _Bad(f"{where}: {key} is missing or not {_kind_words(kinds)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad(f"{where}: {key} is not a finite number")
    return value


def _tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_words(kinds) -> str:
    names = {
        int: "a whole number",
        float: "a number",
        str: "text",
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kinds))


_NUMBER = (int, float)


def _number(d, key, where, optional=False):
    value = _get(d, key, _NUMBER, where, optional)
    return None if value is None else float(value)


def _outcome(d) -> Outcome:
    where = "the outcome"
    if not isinstance(d, dict):
        raise _Bad("the outcome is missing")
    return Outcome(
        _get(d, "status", str, where),
        _number(d, "test_accuracy", where, optional=True),
        _get(d, "steps", int, where),
        _get(d, "examples_seen", int, where),
        _number(d, "train_seconds", where),
        _number(d, "wall_seconds", where),
        _number(d, "images_per_second", where),
        _get(d, "memory_bytes", int, where, optional=True),
        _get(d, "error", str, where, optional=True),
    )


def _epochs(items) -> tuple:
    if not isinstance(items, list):
        raise _Bad("the epochs are missing")
    if len(items) > MAX_EPOCHS:
        raise _Bad(f"{len(items)} epochs, more than {MAX_EPOCHS}")
    out = []
    for i, d in enumerate(items):
        where = f"epoch {i}"
        out.append(
            EpochSummary(
                _get(d, "epoch", int, where),
                _get(d, "examples_seen", int, where),
                _number(d, "test_accuracy", where),
                _number(d, "train_loss", where),
                _number(d, "seconds", where),
                _number(d, "images_per_second", where),
            )
        )
    return tuple(out)


def _meta_fields(meta: dict) -> dict:
    """The scalar fields of a record from its JSON, type-checked."""
    where = "the metadata"
    config = _get(meta, "config", dict, where)
    versions = meta.get("versions") if isinstance(meta.get("versions"), dict) else {}
    return {
        "arch": _get(meta, "arch", str, where),
        "config": config,
        "train_size": _get(meta, "train_size", int, where),
        "total_steps": _get(meta, "total_steps", int, where),
        "epochs": _epochs(meta.get("epochs")),
        "outcome": _outcome(meta.get("outcome")),
        "started_at": _number(meta, "started_at", where),
        "name": _get(meta, "name", str, where),
        "versions": {str(k): str(v)[:100] for k, v in list(versions.items())[:8]},
        "rate_changes": _rate_changes(meta.get("rate_changes")),
    }


def _rate_changes(items) -> tuple:
    """The optional list of [step, examples_seen, seconds, learning rate] (absent: a record without changes)."""
    if items is None:
        return ()
    if not isinstance(items, list) or len(items) > MAX_RATE_CHANGES:
        raise _Bad(f"the learning-rate changes are not a list of at most {MAX_RATE_CHANGES}")
    out = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 4 and all(_is_number(v) for v in item)):
            raise _Bad("a learning-rate change is not [step, examples, seconds, rate]")
        step, seen, seconds, rate = item
        if not (int(step) == step >= 1 and int(seen) == seen >= 0 and math.isfinite(seconds) and 0 < rate <= 10):
            raise _Bad(f"a learning-rate change is out of range: {item}")
        out.append(RateChange(int(step), int(seen), float(seconds), float(rate)))
    if any(b.step <= a.step for a, b in zip(out, out[1:])):
        raise _Bad("the learning-rate changes are not in step order")
    return tuple(out)


def _summary(meta: dict) -> RunSummary:
    fields = _meta_fields(meta)
    check_fields(fields)  # what the runs table shows is what load_record accepts
    o: Outcome = fields["outcome"]
    t = meta.get("timeline")
    frames = t.get("frames") if isinstance(t, dict) else 0
    try:
        parameters = parameter_count(get_spec(fields["arch"]))
    except ConfigError as exc:
        raise _Bad(str(exc)) from None
    accuracies = [e.test_accuracy for e in fields["epochs"]]
    if o.test_accuracy is not None:
        accuracies.append(o.test_accuracy)
    per_epoch = None
    if o.examples_seen > 0 and o.train_seconds > 0:
        per_epoch = o.train_seconds * fields["train_size"] / o.examples_seen
    return RunSummary(
        arch=fields["arch"],
        name=fields["name"],
        config=fields["config"],
        status=o.status,
        started_at=fields["started_at"],
        train_size=fields["train_size"],
        steps=o.steps,
        examples_seen=o.examples_seen,
        epochs=len(fields["epochs"]),
        test_accuracy=o.test_accuracy,
        best_accuracy=max(accuracies) if accuracies else None,
        images_per_second=o.images_per_second,
        seconds_per_epoch=per_epoch,
        wall_seconds=o.wall_seconds,
        memory_bytes=o.memory_bytes,
        parameters=parameters,
        frames=frames if isinstance(frames, int) and not isinstance(frames, bool) else 0,
        has_weights=isinstance(meta.get("weights"), list),
        version=FORMAT_VERSION,
    )


# What zipfile, zlib and numpy's .npy header parser raise on a damaged file (a header numpy cannot tokenize
# raises TokenError or SyntaxError; zipfile raises RuntimeError for an encrypted member): one line, not a bug.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    SyntaxError,
    tokenize.TokenError,
)


def _open(path) -> tuple[Path, _Reader]:
    path = Path(os.path.expanduser(str(path)))
    if not path.exists():
        raise RecordingError(f"run record {path} does not exist")
    try:
        return path, _Reader(path)
    except _Bad as exc:
        raise RecordingError(f"{path} {exc}") from None


def read_summary(path) -> RunSummary:
    """The runs-table row of the record at ``path``, from its JSON member alone (cheap)."""
    path, reader = _open(path)
    try:
        return _summary(reader.meta())
    except _Bad as exc:
        raise RecordingError(f"{path}: {exc}") from None
    except _UNREADABLE as exc:
        raise RecordingError(f"{path}: the file is damaged ({_reason(exc)})") from None
    finally:
        reader.close()


def load_record(path) -> RunRecord:
    """The record at ``path``, checked; RecordingError with one line naming the file and the problem.

    Each array's dtype and shape are checked from its header before its data is read (object
    arrays, i.e. pickles, are refused there), every length against the others and against the
    network the record names, and NaN or infinite values anywhere are refused.
    """
    path, reader = _open(path)
    try:
        return _load(reader)
    except _Bad as exc:
        raise RecordingError(f"{path}: {exc}") from None
    except _UNREADABLE as exc:
        raise RecordingError(f"{path}: the file is damaged ({_reason(exc)})") from None
    finally:
        reader.close()


def _load(reader: _Reader) -> RunRecord:
    meta = reader.meta()
    fields = _meta_fields(meta)
    arch = fields["arch"]
    try:
        arch_name(arch)
        lay = timeline_layers(arch)
    except ConfigError as exc:
        raise _Bad(str(exc)) from None
    n = _get(meta, "loss_points", int, "the metadata")
    if not 0 <= n <= MAX_LOSS_POINTS:
        raise _Bad(f"the loss curve has {n} points, not 0 to {MAX_LOSS_POINTS}")
    columns = {attr: reader.array(member, dtype, (n,)) for member, (attr, dtype) in _LOSS_MEMBERS.items()}
    losses = LossCurve(**columns)
    timeline = None
    t = meta.get("timeline")
    if t is not None:
        if not isinstance(t, dict):
            raise _Bad("the timeline's description is not a mapping")
        k = _get(t, "frames", int, "the timeline")
        if not 0 <= k <= MAX_FRAMES:
            raise _Bad(f"the timeline has {k} frames, not 0 to {MAX_FRAMES}")
        parts = {attr: reader.array(member, dtype, (k,)) for member, (attr, dtype) in _FRAME_MEMBERS.items()}
        for member, attr in _FRAME_OPTIONAL.items():
            shape = {"kernels": lay.kernel_shape, "maps": lay.map_shape, "probabilities": (NUM_CLASSES,)}[attr]
            wanted = t.get(attr) is True
            if wanted != reader.has(member):
                raise _Bad(f"the timeline's {attr} are {'missing' if wanted else 'not described'}")
            if wanted:
                if shape is None:
                    raise _Bad(f"{arch} has no {attr} for a timeline")
                parts[attr] = reader.array(member, np.float16, (k, *shape))
        probe = None
        if t.get("probe") is True:
            probe = reader.array("probe_image", np.float32, (IMAGE_SIZE, IMAGE_SIZE))
        timeline = Timeline(
            t.get("kernel_layer"),
            t.get("map_layer"),
            probe_image=probe,
            probe_index=_get(t, "probe_index", int, "the timeline", optional=True),
            probe_label=_get(t, "probe_label", int, "the timeline", optional=True),
            **parts,
        )
    weights = None
    names = meta.get("weights")
    if names is not None:
        shapes = weight_shapes(arch)
        if not isinstance(names, list) or sorted(map(str, names)) != sorted(shapes):
            raise _Bad(f"the final weights listed do not fit {arch}")
        weights = {name: reader.array(_weight_member(name), np.float32, shape) for name, shape in shapes.items()}
    known = {"meta", *_LOSS_MEMBERS, *_FRAME_MEMBERS, *_FRAME_OPTIONAL, "probe_image"}
    known |= {_weight_member(name) for name in (weights or {})}
    extra = sorted(set(reader.members) - known)
    if extra:
        raise _Bad(f"holds an array that is not part of a run record: {extra[0][:40]}")
    record = RunRecord(losses=losses, timeline=timeline, final_weights=weights, version=FORMAT_VERSION, **fields)
    _check_record(record)
    return record
