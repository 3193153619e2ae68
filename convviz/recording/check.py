"""Checking a record: every part fits every other, bounds included (on save and on load)."""

from __future__ import annotations

import dataclasses
import math
from typing import Mapping

import numpy as np

from convviz.config import TrainConfig
from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.errors import ConfigError
from convviz.netspec import arch_name
from convviz.recording.parts import (
    FORMAT_VERSION,
    MAX_EPOCHS,
    MAX_ERROR_TEXT,
    MAX_FRAMES,
    MAX_LOSS_POINTS,
    MAX_NAME,
    MAX_RATE_CHANGES,
    STATUSES,
    EpochSummary,
    Outcome,
    RunRecord,
    Timeline,
    weight_shapes,
)
from convviz.recording.timeline import timeline_layers


# -- checking a record (used on save and on load) -------------------------------------------------------------
class _Bad(ValueError):
    """A reason a record is not valid; the caller adds the file's name."""


def _finite(a: np.ndarray, what: str) -> None:
    if a.dtype.kind == "f" and a.size and not np.isfinite(a).all():
        raise _Bad(f"{what} hold NaN or infinite values")


def _increasing(a: np.ndarray, what: str, strict: bool = True) -> None:
    if len(a) > 1:
        d = np.diff(a)
        if (d <= 0).any() if strict else (d < 0).any():
            raise _Bad(f"{what} are not {'increasing' if strict else 'in order'}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


MAX_START_TIME = 32503680000.0  # 3000-01-01: a start time past it is no clock's (and beyond what localtime takes)
_RUN_FIELDS = ("arch", "config", "train_size", "total_steps", "epochs", "outcome", "started_at", "name")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_config(config) -> TrainConfig:
    """The TrainConfig a record's ``config`` mapping describes, every field of the type its default has and
    in range; _Bad (one line) otherwise."""
    if not isinstance(config, Mapping):
        raise _Bad("the config is not a mapping")
    try:
        parsed = TrainConfig.from_dict(dict(config))
    except TypeError as exc:
        raise _Bad(f"the config does not fit this ConvViz ({exc})") from None
    for f in dataclasses.fields(TrainConfig):
        value, default = getattr(parsed, f.name), f.default
        if isinstance(default, bool):
            ok, kind = isinstance(value, bool), "true or false"
        elif isinstance(default, int):
            ok, kind = isinstance(value, int) and not isinstance(value, bool), "a whole number"
        elif isinstance(default, float):
            ok, kind = _is_number(value) and math.isfinite(value), "a finite number"
        elif isinstance(default, str):
            ok, kind = isinstance(value, str), "text"
        else:  # None: an optional whole number (train_limit)
            ok, kind = value is None or (isinstance(value, int) and not isinstance(value, bool)), "a whole number"
        if not ok:
            raise _Bad(f"the config's {f.name} {_short(value)} is not {kind}")
    try:
        return parsed.validate()
    except (ConfigError, TypeError, ValueError) as exc:
        raise _Bad(str(exc)) from None


def check_fields(fields) -> None:
    """Raise _Bad (one line) unless a record's scalar fields are of their types and in range: the config
    (types and ranges), the times, accuracies from 0 to 1, counts and speeds 0 or more.

    ``fields``: a mapping with RunRecord's ``arch``, ``config``, ``train_size``, ``total_steps``,
    ``epochs``, ``outcome``, ``started_at`` and ``name``. The one check of these values: what a
    record's file says (read_summary: the runs table) and a whole record (load_record, save_record:
    ``replay``, ``train --record``) both pass through it.
    """
    arch = fields["arch"]
    if not isinstance(arch, str):
        raise _Bad(f"the architecture {_short(arch)} is not text")
    try:
        if arch_name(arch) != arch:
            raise _Bad(f"architecture {arch!r} is not written canonically")
    except (ConfigError, TypeError, ValueError) as exc:
        raise _Bad(str(exc)) from None
    config = check_config(fields["config"])
    if arch_name(config.arch) != arch:
        raise _Bad(f"the config's architecture {config.arch!r} is not the record's {arch!r}")
    train_size, total_steps = fields["train_size"], fields["total_steps"]
    if not (_is_int(train_size) and 1 <= train_size <= 60000):
        raise _Bad(f"train size {_short(train_size)} is not from 1 to 60000")
    if not (_is_int(total_steps) and 0 <= total_steps <= MAX_EPOCHS * 60000):
        raise _Bad(f"total steps {_short(total_steps)} out of range")
    name = fields["name"]
    if not isinstance(name, str) or len(name) > MAX_NAME or "\n" in name:
        raise _Bad(f"the run's name must be one line of at most {MAX_NAME} characters")
    started = fields["started_at"]
    if not (_is_number(started) and math.isfinite(started)):
        raise _Bad("the start time is not a finite number")
    if not 0 <= started <= MAX_START_TIME:
        raise _Bad(f"the start time {started:g} is not a date from 1970 to 3000")

    epochs = fields["epochs"]
    if len(epochs) > MAX_EPOCHS:
        raise _Bad(f"{len(epochs)} epochs, more than {MAX_EPOCHS}")
    for i, e in enumerate(epochs):
        if not isinstance(e, EpochSummary):
            raise _Bad("an epoch is not an EpochSummary")
        if e.epoch != i:
            raise _Bad("the epochs are not numbered 0, 1, 2, ...")
        values = (e.test_accuracy, e.train_loss, e.seconds, e.images_per_second)
        if not all(_is_number(v) and math.isfinite(v) for v in values):
            raise _Bad(f"epoch {i} holds NaN or infinite values")
        if not 0 <= e.test_accuracy <= 1:
            raise _Bad(f"epoch {i}'s test accuracy {e.test_accuracy:g} is not from 0 to 1")
        if not (_is_int(e.examples_seen) and e.examples_seen >= 0 and e.seconds >= 0 and e.images_per_second >= 0):
            raise _Bad(f"epoch {i}'s images, seconds and speed must be 0 or more")

    o = fields["outcome"]
    if not isinstance(o, Outcome) or o.status not in STATUSES:
        raise _Bad(f"the outcome's status must be one of {', '.join(STATUSES)}")
    numbers = (o.train_seconds, o.wall_seconds, o.images_per_second)
    if not all(_is_number(v) and math.isfinite(v) and v >= 0 for v in numbers):
        raise _Bad("the outcome's times and speed must be finite numbers, 0 or more")
    accuracy = o.test_accuracy
    if accuracy is not None and not (_is_number(accuracy) and math.isfinite(accuracy) and 0 <= accuracy <= 1):
        raise _Bad(f"the outcome's test accuracy {_short(accuracy)} is not from 0 to 1")
    if not (_is_int(o.steps) and _is_int(o.examples_seen) and o.steps >= 0 and o.examples_seen >= 0):
        raise _Bad("the outcome's steps and examples must be whole numbers, 0 or more")
    if o.memory_bytes is not None and not (_is_int(o.memory_bytes) and 0 <= o.memory_bytes < 2**53):
        raise _Bad("the outcome's memory figure must be a whole number of bytes")
    if o.error is not None and (not isinstance(o.error, str) or len(o.error) > MAX_ERROR_TEXT or "\n" in o.error):
        raise _Bad(f"the outcome's error must be one line of at most {MAX_ERROR_TEXT} characters")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_record(record: RunRecord) -> None:
    """Raise _Bad (one line) unless every part of ``record`` fits every other; bounds included."""
    if record.version != FORMAT_VERSION:
        raise _Bad(f"format version {record.version} is not {FORMAT_VERSION}")
    check_fields({name: getattr(record, name) for name in _RUN_FIELDS})

    curve = record.losses
    n = len(curve.steps)
    if n > MAX_LOSS_POINTS:
        raise _Bad(f"the loss curve has {n} points, more than {MAX_LOSS_POINTS}")
    for name, dtype in (
        ("steps", np.int64),
        ("examples_seen", np.int64),
        ("losses", np.float32),
        ("seconds", np.float64),
    ):
        a = getattr(curve, name)
        if a.dtype != dtype or a.ndim != 1 or len(a) != n:
            raise _Bad(f"the loss curve's {name} must be {n} {np.dtype(dtype).name} values, got {a.dtype} {a.shape}")
        _finite(a, f"the loss curve's {name}")
    if n and curve.steps[0] < 1:
        raise _Bad("the loss curve's steps count from 1")
    _increasing(curve.steps, "the loss curve's steps")
    _increasing(curve.examples_seen, "the loss curve's examples seen", strict=False)

    if len(record.rate_changes) > MAX_RATE_CHANGES:
        raise _Bad(f"{len(record.rate_changes)} learning-rate changes, more than {MAX_RATE_CHANGES}")

    if record.timeline is not None:
        _check_timeline(record.timeline, record.arch)
    if record.final_weights is not None:
        shapes = weight_shapes(record.arch)
        names = set(record.final_weights)
        if names != set(shapes):
            odd = sorted(names ^ set(shapes))
            raise _Bad(f"the final weights do not fit {record.arch}: {', '.join(odd[:4])}")
        for name, shape in shapes.items():
            a = record.final_weights[name]
            if a.dtype != np.float32 or tuple(a.shape) != shape:
                raise _Bad(f"final weight {name} is {a.dtype} {tuple(a.shape)}, {record.arch} needs float32 {shape}")
            _finite(a, f"final weight {name}")


def _check_timeline(t: Timeline, arch: str) -> None:
    lay = timeline_layers(arch)
    if (t.kernel_layer, t.map_layer) != (lay.kernel_layer, lay.map_layer):
        raise _Bad(f"the timeline shows {t.kernel_layer}/{t.map_layer}, {arch}'s is {lay.kernel_layer}/{lay.map_layer}")
    k = len(t.steps)
    if k > MAX_FRAMES:
        raise _Bad(f"the timeline has {k} frames, more than {MAX_FRAMES}")
    for name, dtype in (("steps", np.int64), ("examples_seen", np.int64), ("seconds", np.float64)):
        a = getattr(t, name)
        if a.dtype != dtype or a.ndim != 1 or len(a) != k:
            raise _Bad(f"the timeline's {name} must be {k} {np.dtype(dtype).name} values, got {a.dtype} {a.shape}")
        _finite(a, f"the timeline's {name}")
    if k and t.steps[0] < 0:
        raise _Bad("the timeline's steps must be 0 or more")
    _increasing(t.steps, "the timeline's steps")
    for name, shape in (("kernels", lay.kernel_shape), ("maps", lay.map_shape), ("probabilities", (NUM_CLASSES,))):
        a = getattr(t, name)
        if a is None:
            continue
        if shape is None or a.dtype != np.float16 or tuple(a.shape) != (k, *shape):
            raise _Bad(
                f"the timeline's {name} are {a.dtype} {tuple(a.shape)}, {arch} needs float16 {(k, *(shape or ()))}"
            )
        _finite(a, f"the timeline's {name}")
    if t.probabilities is not None and k and (t.probabilities.min() < 0 or t.probabilities.max() > 1.01):
        raise _Bad("the timeline's probabilities are not from 0 to 1")
    if t.probe_image is not None:
        p = t.probe_image
        if p.dtype != np.float32 or p.shape != (IMAGE_SIZE, IMAGE_SIZE):
            raise _Bad(f"the probe image is {p.dtype} {p.shape}, not float32 (28, 28)")
        _finite(p, "the probe image")
    for name in ("probe_index", "probe_label"):
        value = getattr(t, name)
        if value is not None and not (isinstance(value, int) and 0 <= value < (10 if name == "probe_label" else 10**6)):
            raise _Bad(f"the timeline's {name.replace('_', ' ')} {value!r} is out of range")


# -- the file ---------------------------------------------------------------------------------------------------
# Members: "meta" (uint8, the JSON below), the loss curve's four columns, the timeline's arrays, and one
