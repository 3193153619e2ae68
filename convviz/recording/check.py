"""Checking a record: every part fits every other, bounds included (on save and on load)."""

from __future__ import annotations

import math

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


def _check_record(record: RunRecord) -> None:
    """Raise _Bad (one line) unless every part of ``record`` fits every other; bounds included."""
    if record.version != FORMAT_VERSION:
        raise _Bad(f"format version {record.version} is not {FORMAT_VERSION}")
    try:
        if arch_name(record.arch) != record.arch:
            raise _Bad(f"architecture {record.arch!r} is not written canonically")
        config = TrainConfig.from_dict(dict(record.config)).validate()
    except (ConfigError, TypeError, ValueError) as exc:
        raise _Bad(str(exc)) from None
    if arch_name(config.arch) != record.arch:
        raise _Bad(f"the config's architecture {config.arch!r} is not the record's {record.arch!r}")
    if not (isinstance(record.train_size, int) and 1 <= record.train_size <= 60000):
        raise _Bad(f"train size {record.train_size!r} is not from 1 to 60000")
    if not (isinstance(record.total_steps, int) and 0 <= record.total_steps <= MAX_EPOCHS * 60000):
        raise _Bad(f"total steps {record.total_steps!r} out of range")
    if not isinstance(record.name, str) or len(record.name) > MAX_NAME or "\n" in record.name:
        raise _Bad(f"the run's name must be one line of at most {MAX_NAME} characters")
    if not (_is_number(record.started_at) and math.isfinite(record.started_at)):
        raise _Bad("the start time is not a finite number")

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
    if len(record.epochs) > MAX_EPOCHS:
        raise _Bad(f"{len(record.epochs)} epochs, more than {MAX_EPOCHS}")
    for e in record.epochs:
        if not isinstance(e, EpochSummary):
            raise _Bad("an epoch is not an EpochSummary")
        values = (e.test_accuracy, e.train_loss, e.seconds, e.images_per_second)
        if not all(_is_number(v) and math.isfinite(v) for v in values):
            raise _Bad(f"epoch {e.epoch} holds NaN or infinite values")
        if not 0 <= e.test_accuracy <= 1:
            raise _Bad(f"epoch {e.epoch}'s test accuracy {e.test_accuracy} is not from 0 to 1")
    if [e.epoch for e in record.epochs] != list(range(len(record.epochs))):
        raise _Bad("the epochs are not numbered 0, 1, 2, ...")

    o = record.outcome
    if not isinstance(o, Outcome) or o.status not in STATUSES:
        raise _Bad(f"the outcome's status must be one of {', '.join(STATUSES)}")
    numbers = (o.train_seconds, o.wall_seconds, o.images_per_second)
    if not all(_is_number(v) and math.isfinite(v) and v >= 0 for v in numbers):
        raise _Bad("the outcome's times and speed must be finite numbers, 0 or more")
    if o.test_accuracy is not None and not (math.isfinite(o.test_accuracy) and 0 <= o.test_accuracy <= 1):
        raise _Bad(f"the outcome's test accuracy {o.test_accuracy} is not from 0 to 1")
    if not (isinstance(o.steps, int) and isinstance(o.examples_seen, int) and o.steps >= 0 and o.examples_seen >= 0):
        raise _Bad("the outcome's steps and examples must be whole numbers, 0 or more")
    if o.memory_bytes is not None and not (isinstance(o.memory_bytes, int) and 0 <= o.memory_bytes < 2**53):
        raise _Bad("the outcome's memory figure must be a whole number of bytes")
    if o.error is not None and (not isinstance(o.error, str) or len(o.error) > MAX_ERROR_TEXT or "\n" in o.error):
        raise _Bad(f"the outcome's error must be one line of at most {MAX_ERROR_TEXT} characters")

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
