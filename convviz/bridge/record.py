"""A notebook's stream as a ConvViz run: the network ConvViz names for it, its frames and its record.

The stream tells its first conv layer's kernels (k, k, 1, F) and the probe
digit's maps of that layer (h, w, F). :func:`stream_arch` names the one-layer
spec with the same first layer (``conv8@5x5``; ``v`` for valid padding), so
that the run's filter timeline (:class:`~convviz.recording.SnapshotLog`), its
record and the run history treat it like any of ConvViz's own networks. The
rest of the student's network is not known: a stream's record has no final
weights. No Qt, no TensorFlow.
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from convviz import __version__
from convviz.config import TrainConfig
from convviz.constants import IMAGE_SIZE
from convviz.netspec import arch_name
from convviz.recording import EpochSummary, LossCurve, Outcome, RunRecord, SnapshotLog
from convviz.recording.parts import MAX_TILES

MAX_TRAIN_SIZE = 60000  # what a record may say
STREAM_BATCHING = "numpy"  # what the record's config says; the student's own batching is not known


def stream_arch(kernel_shape: Sequence[int], map_shape: Sequence[int] | None = None) -> str | None:
    """The spec whose first layer has this kernel (and, if given, these maps); None if none fits."""
    if len(kernel_shape) != 4:
        return None
    k, k2, channels, filters = (int(n) for n in kernel_shape)
    if k != k2 or channels != 1 or not 1 <= filters <= MAX_TILES:
        return None
    padding = ""
    if map_shape is not None:
        size = int(map_shape[0])
        if size == IMAGE_SIZE - k + 1 and size != IMAGE_SIZE:
            padding = "v"
        elif size != IMAGE_SIZE:
            return None  # a stride: not a layer a spec without one has
    try:
        return arch_name(f"conv{filters}@{k}x{k}{padding}")
    except Exception:  # a size the spec grammar refuses
        return None


def stream_log(arch: str, probe: np.ndarray | None = None) -> SnapshotLog:
    return SnapshotLog(arch, probe_image=probe)


def stream_config(arch: str) -> TrainConfig:
    return TrainConfig(arch=arch, batching=STREAM_BATCHING, batch_size=1, epochs=1)


def stream_record(
    arch: str,
    name: str,
    columns: dict,
    epochs: Sequence,
    timeline,
    started_at: float,
    status: str = "completed",
) -> RunRecord:
    """The record of an ended stream: its curve (``state.Run.losses()`` columns), accuracies and timeline."""
    curve = LossCurve.from_columns(columns)
    steps = int(curve.steps[-1]) if len(curve.steps) else 0
    seconds = float(curve.seconds[-1]) if len(curve.seconds) else 0.0
    accuracy = float(epochs[-1].test_accuracy) if epochs else None
    return RunRecord(
        arch=arch,
        config=stream_config(arch).to_dict(),
        train_size=min(max(steps, 1), MAX_TRAIN_SIZE),  # a step counts as one image: the batch is not known
        total_steps=min(steps, MAX_TRAIN_SIZE),
        losses=curve,
        epochs=tuple(EpochSummary.from_report(e) for e in epochs),
        outcome=Outcome(
            status=status,
            test_accuracy=accuracy,
            steps=steps,
            examples_seen=steps,
            train_seconds=seconds,
            wall_seconds=max(time.time() - started_at, seconds),
            images_per_second=steps / seconds if seconds > 0 else 0.0,
        ),
        timeline=timeline,
        started_at=started_at,
        name=name[:64],
        versions={"convviz": __version__, "source": "notebook stream"},
    )
