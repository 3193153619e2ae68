"""Recorded runs: a run's history and its filter timeline, in memory and in one file.

What a finished (or live) training run leaves behind, so that runs can be
compared, replayed and kept across restarts:

:class:`RunRecord`
    one run: its architecture and config, the loss of every step
    (:class:`LossCurve`), every epoch (:class:`EpochSummary`), how it ended
    (:class:`Outcome`), its filter timeline (:class:`Timeline`) and, optionally,
    its final weights (float32), which the window loads into the pad.
:class:`SnapshotLog`
    the live, bounded timeline of a run: the first conv layer's kernels, the
    probe digit's feature maps of that layer and its probabilities, every N
    steps, float16, at most about 200 frames, thinned evenly as the run grows.
:func:`save_record` / :func:`load_record`
    one ``.npz`` file (arrays only, read with ``allow_pickle=False``) with the
    metadata as a JSON member, versioned and checked member by member on load;
    :class:`RecordingError` (one line naming the file) for anything off.
:class:`RunStore`
    the runs kept in the user's data folder, bounded in count and bytes.
:func:`filters_gif`
    the kernels' timeline as an animated GIF (Pillow).

numpy, Pillow (lazily, for the GIF) and the pure-Python network specs only: no
TensorFlow and no Qt, so the window's panels, the app state and the CLI can all
use it. A live run grows its record in :class:`convviz.run.RunSession`.
Python 3.7 / numpy 1.18 compatible.

One concern per module: :mod:`.parts` (the record's parts), :mod:`.timeline`
(the live SnapshotLog), :mod:`.check` (validation), :mod:`.fileformat` (writer
and reader), :mod:`.store` (the run store), :mod:`.gif` (the animation).
"""

from __future__ import annotations

from convviz.recording.fileformat import (
    MAX_FILE_BYTES,
    MAX_META_BYTES,
    MAX_META_DEPTH,
    MAX_NPY_HEADER,
    check_record_target,
    load_record,
    read_summary,
    save_record,
)
from convviz.recording.gif import (
    CAPTION_PX,
    DIVERGING_COLORS,
    MAX_GIF_FRAMES,
    MAX_GIF_SIDE,
    filters_gif,
    kernel_tiles,
)
from convviz.recording.parts import (
    FLOAT16_MAX,
    FORMAT,
    FORMAT_VERSION,
    MAX_EPOCHS,
    MAX_ERROR_TEXT,
    MAX_FRAMES,
    MAX_LOSS_POINTS,
    MAX_MAP_VALUES,
    MAX_NAME,
    MAX_RATE_CHANGES,
    MAX_SNAPSHOTS,
    MAX_TILES,
    MIN_SNAPSHOTS,
    RUN_FIELDS,
    SNAPSHOT_BUDGET,
    STATUSES,
    SUFFIX,
    EpochSummary,
    Frame,
    LossCurve,
    LossSeries,
    Outcome,
    RateChange,
    RecordingError,
    RunRecord,
    RunSummary,
    Timeline,
    record_from_run,
    weight_shapes,
)
from convviz.recording.store import (
    MAX_STORE_BYTES,
    MAX_STORED_RUNS,
    RunStore,
    StoredRun,
    StoreListing,
    UnreadableRun,
    runs_dir,
)
from convviz.recording.timeline import (
    SnapshotLog,
    TimelineLayers,
    timeline_layers,
)

__all__ = [
    "CAPTION_PX",
    "DIVERGING_COLORS",
    "FLOAT16_MAX",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_EPOCHS",
    "MAX_ERROR_TEXT",
    "MAX_FILE_BYTES",
    "MAX_FRAMES",
    "MAX_GIF_FRAMES",
    "MAX_GIF_SIDE",
    "MAX_LOSS_POINTS",
    "MAX_MAP_VALUES",
    "MAX_META_BYTES",
    "MAX_META_DEPTH",
    "MAX_NAME",
    "MAX_NPY_HEADER",
    "MAX_RATE_CHANGES",
    "MAX_SNAPSHOTS",
    "MAX_STORED_RUNS",
    "MAX_STORE_BYTES",
    "MAX_TILES",
    "MIN_SNAPSHOTS",
    "RUN_FIELDS",
    "SNAPSHOT_BUDGET",
    "STATUSES",
    "SUFFIX",
    "EpochSummary",
    "Frame",
    "LossCurve",
    "LossSeries",
    "Outcome",
    "RateChange",
    "RecordingError",
    "RunRecord",
    "RunStore",
    "RunSummary",
    "SnapshotLog",
    "StoreListing",
    "StoredRun",
    "Timeline",
    "TimelineLayers",
    "UnreadableRun",
    "check_record_target",
    "filters_gif",
    "kernel_tiles",
    "load_record",
    "read_summary",
    "record_from_run",
    "runs_dir",
    "save_record",
    "timeline_layers",
    "weight_shapes",
]
