"""A run's filter timeline as it trains: which layers a frame keeps, and the bounded :class:`SnapshotLog`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.netspec import Conv, Dense, Flatten, arch_name, get_spec, layer_shapes
from convviz.recording.parts import (
    FLOAT16_MAX,
    MAX_FRAMES,
    MAX_MAP_VALUES,
    MAX_SNAPSHOTS,
    MAX_TILES,
    MIN_SNAPSHOTS,
    SNAPSHOT_BUDGET,
    Frame,
    Timeline,
    _column,
    _readonly,
)


@dataclass(frozen=True)
class TimelineLayers:
    """What a timeline of ``arch`` keeps per frame: layer names and the (clipped) shapes."""

    kernel_layer: str | None
    kernel_shape: tuple | None  # per frame, after clipping to MAX_TILES
    map_layer: str | None
    map_shape: tuple | None  # per frame, after clipping to MAX_MAP_VALUES

    @property
    def frame_bytes(self) -> int:
        values = NUM_CLASSES
        for shape in (self.kernel_shape, self.map_shape):
            values += int(np.prod(shape)) if shape else 0
        return 2 * values + 24  # float16, plus step, examples and seconds


def timeline_layers(arch: str) -> TimelineLayers:
    """The first conv layer's kernels and feature maps; for a network without conv layers, the first
    dense layer's kernel if the raw image feeds it (the filters panel shows its units as 28x28 images)."""
    spec = get_spec(arch)
    rows = layer_shapes(spec)
    for index, layer in enumerate(spec.layers):
        if isinstance(layer, Conv):
            kernel = (layer.size, layer.size, rows[index].shape[-1], layer.filters)  # filters <= MAX_TILES
            h, w, c = rows[index + 1].shape
            channels = max(1, min(c, MAX_MAP_VALUES // (h * w)))
            return TimelineLayers(layer.name, kernel, layer.name, (h, w, channels))
    image = IMAGE_SIZE * IMAGE_SIZE
    for index, layer in enumerate(spec.layers):
        if isinstance(layer, Dense):
            if rows[index].shape == (image,) and isinstance(spec.layers[index - 1], Flatten) and index == 1:
                return TimelineLayers(layer.name, (image, min(layer.units, MAX_TILES)), None, None)
            break
    return TimelineLayers(None, None, None, None)


def _half(values, shape: tuple | None) -> np.ndarray | None:
    """``values`` clipped to ``shape`` (its leading part) as float16; NaN becomes 0, overflow the float16 limit."""
    if values is None or shape is None:
        return None
    a = np.asarray(values)
    if a.ndim == 4 and a.shape[0] == 1 and len(shape) == 3:
        a = a[0]  # a batch of one, as a session returns it
    if a.ndim != len(shape) or any(have < want for have, want in zip(a.shape, shape)):
        raise ValueError(f"expected an array of shape {shape}, got {a.shape}")
    a = a[tuple(slice(0, n) for n in shape)]
    a = np.clip(np.nan_to_num(a.astype(np.float32)), -FLOAT16_MAX, FLOAT16_MAX)
    return _readonly(a.astype(np.float16))


class SnapshotLog:
    """The bounded filter timeline of one run, filled as it trains.

    Ask :meth:`due` for each step; when it says yes, compute the snapshot (the
    weights, one forward pass of the probe) and :meth:`add` it. Frames are
    taken every ``interval`` steps counted from the first frame. When more than
    :attr:`capacity` frames are held, every other one is dropped and the
    interval doubles, so the kept frames stay evenly spaced over the whole run
    and the first and the newest are always kept. :meth:`finish` adds the
    run's last state even off that grid. :meth:`for_run` starts with the
    interval that fills about ``capacity`` frames over a run of known length,
    so a long run computes ~200 snapshots, not thousands.

    Memory: frames are float16. A frame of the cnn or the template is
    3.2 kB of conv1 kernels (5x5x1x64) + 100 kB of conv1 maps of the probe
    (28x28x64) + 20 B of probabilities, so 200 frames take 21 MB; LeNet-5's
    are 5.9 kB (200: 1.2 MB); the dense network's 470 kB of fc1 weight images
    (784x300). ``capacity`` is ``min(capacity, max_bytes // frame_bytes)``
    (even, at least :data:`MIN_SNAPSHOTS`), so a log stays within
    ``max_bytes`` (:data:`SNAPSHOT_BUDGET`, 32 MiB; the dense network keeps
    68 frames) unless 16 frames need more; a frame is at most 1.3 MB (512
    dense units of 784 weights, or the first conv layer's first 131,072
    map values), so no log exceeds 32 MiB.
    """

    def __init__(
        self,
        arch: str,
        probe_image: np.ndarray | None = None,
        probe_index: int | None = None,
        probe_label: int | None = None,
        interval: int = 1,
        capacity: int = MAX_SNAPSHOTS,
        max_bytes: int = SNAPSHOT_BUDGET,
    ):
        self.arch = arch_name(arch)
        self.layers = timeline_layers(self.arch)
        if not 1 <= int(interval):
            raise ValueError(f"the snapshot interval must be at least 1, got {interval}")
        capacity = min(int(capacity), int(max_bytes) // self.layers.frame_bytes, MAX_FRAMES)
        capacity -= capacity % 2  # even: a thinned log keeps its newest frame (see _thin)
        self.capacity = max(capacity, MIN_SNAPSHOTS)
        self.interval = int(interval)
        self.probe_image = None if probe_image is None else _probe(probe_image)
        self.probe_index = None if probe_index is None else int(probe_index)
        self.probe_label = None if probe_label is None else int(probe_label)
        self._frames: list[Frame] = []
        self._finished = False
        self._stacks: dict = {}  # name -> (buffer, frames stacked in it): timeline() grows it in place

    @classmethod
    def for_run(cls, arch: str, total_steps: int, **kwargs) -> SnapshotLog:
        """A log whose first interval spreads about ``capacity`` frames over ``total_steps`` (plus step 0)."""
        log_ = cls(arch, **kwargs)
        log_.interval = max(1, math.ceil(int(total_steps) / max(log_.capacity - 2, 1)))
        return log_

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def frames(self) -> list[Frame]:
        return list(self._frames)

    @property
    def nbytes(self) -> int:
        return sum(
            sum(a.nbytes for a in (f.kernels, f.maps, f.probabilities) if a is not None) + 24 for f in self._frames
        )

    @property
    def finished(self) -> bool:
        return self._finished

    def due(self, step: int) -> bool:
        """Whether a snapshot after ``step`` steps should be added (cheap: ask before computing one)."""
        if self._finished:
            return False
        if not self._frames:
            return True
        first, last = self._frames[0].step, self._frames[-1].step
        return step > last and (step - first) % self.interval == 0

    def add(self, frame: Frame) -> bool:
        """Keep ``frame`` if it is :meth:`due` (True), else ignore it (False). Thins when full."""
        if not self.due(frame.step):
            return False
        self._frames.append(self._checked(frame))
        if len(self._frames) > self.capacity:
            self._thin()
        return True

    def add_weights(
        self,
        step: int,
        examples_seen: int,
        seconds: float,
        weights: Mapping[str, np.ndarray] | None = None,
        maps=None,
        probabilities=None,
    ) -> bool:
        """:meth:`add` a frame made from a weights dict (by variable name) and the probe's maps and probabilities.

        ``maps`` is the map layer's activation (h, w, c) or the ``[(layer, array)]`` list of
        ``Model.feature_maps``/``activations``; the frame keeps the map layer's first channels.
        """
        if not self.due(step):
            return False
        return self.add(self.make_frame(step, examples_seen, seconds, weights, maps, probabilities))

    def make_frame(self, step, examples_seen, seconds, weights=None, maps=None, probabilities=None) -> Frame:
        """A frame in this log's layout (float16, clipped), not yet added."""
        lay = self.layers
        kernel = None
        if lay.kernel_layer is not None and weights is not None:
            kernel = weights.get(f"{lay.kernel_layer}/kernel")
        if isinstance(maps, (list, tuple)):
            maps = dict(maps).get(lay.map_layer)
        return Frame(
            int(step),
            int(examples_seen),
            float(seconds),
            _half(kernel, lay.kernel_shape),
            _half(maps, lay.map_shape),
            _half(probabilities, (NUM_CLASSES,)),
        )

    def finish(self, frame: Frame) -> None:
        """The run's last state: kept even off the grid (it replaces a frame of the same step); no frames after it."""
        if self._finished:
            return
        frame = self._checked(frame)
        if self._frames and self._frames[-1].step >= frame.step:
            if self._frames[-1].step == frame.step:
                self._frames[-1] = frame
        else:
            self._frames.append(frame)
        if len(self._frames) > self.capacity:
            self._thin()
        self._finished = True
        self._stacks = {}  # the growing buffers served the live view; a finished log is stacked once more

    def _checked(self, frame: Frame) -> Frame:
        """``frame`` in this log's layout: float16, of the log's shapes (ValueError if they do not fit)."""
        lay = self.layers
        parts = {}
        for name, shape in (("kernels", lay.kernel_shape), ("maps", lay.map_shape), ("probabilities", (NUM_CLASSES,))):
            value = getattr(frame, name)
            if value is not None and (shape is None or tuple(np.shape(value)) != tuple(shape)):
                raise ValueError(f"a frame's {name} have shape {np.shape(value)}, this log keeps {shape}")
            parts[name] = value if value is None or value.dtype == np.float16 else _half(value, shape)
        return Frame(int(frame.step), int(frame.examples_seen), float(frame.seconds), **parts)

    def _thin(self) -> None:
        """Drop every other frame of the grid and double the interval; the first and the newest stay."""
        while len(self._frames) > self.capacity:
            first, newest = self._frames[0], self._frames[-1]
            self.interval *= 2
            kept = [f for f in self._frames[1:-1] if (f.step - first.step) % self.interval == 0]
            self._frames = [first, *kept, newest]

    def _stacked(self, name: str, frames: list, values: list) -> np.ndarray:
        """``np.stack(values)``, read-only, without copying again the frames an earlier call stacked.

        The window looks at a live log once a second; stacking all of a cnn's 200 frames of maps
        (20 MB) each time cost the GUI thread 10-30 ms. A buffer with room for a full log takes
        each new frame once. Only rows past every length handed out are ever written, so a timeline
        returned before keeps its values; after a thinning (or a replaced newest frame) a new
        buffer is started.
        """
        buffer, stacked = self._stacks.get(name, (None, ()))
        done = len(stacked)
        reusable = (
            buffer is not None
            and done <= len(frames) <= len(buffer)
            and buffer.shape[1:] == np.shape(values[0])
            and all(a is b for a, b in zip(stacked, frames))
        )
        if not reusable:
            first = np.asarray(values[0])
            room = len(frames) if self._finished else min(max(2 * len(frames), 16), self.capacity + 1)
            buffer = np.empty((max(room, len(frames)), *first.shape), first.dtype)
            done = 0
        for i in range(done, len(frames)):
            buffer[i] = values[i]
        self._stacks[name] = (buffer, tuple(frames))
        return _readonly(buffer[: len(frames)])

    def timeline(self) -> Timeline:
        """The frames so far, stacked (read-only; later frames never change what it holds)."""
        frames = self._frames

        def stack(name):
            values = [getattr(f, name) for f in frames]
            if not values or any(v is None for v in values):
                return None
            return self._stacked(name, frames, values)

        return Timeline(
            self.layers.kernel_layer,
            self.layers.map_layer,
            _column([f.step for f in frames], np.int64),
            _column([f.examples_seen for f in frames], np.int64),
            _column([f.seconds for f in frames], np.float64),
            stack("kernels"),
            stack("maps"),
            stack("probabilities"),
            self.probe_image,
            self.probe_index,
            self.probe_label,
        )


def _probe(image) -> np.ndarray:
    a = np.asarray(image, dtype=np.float32)
    if a.size != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError(f"the probe must be a 28x28 image, got shape {a.shape}")
    return _readonly(np.clip(np.nan_to_num(a.reshape(IMAGE_SIZE, IMAGE_SIZE)), 0.0, 1.0))
