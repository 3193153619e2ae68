"""The filter timeline as an animated GIF (Pillow, imported lazily)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from convviz import atomicfile
from convviz.constants import IMAGE_SIZE
from convviz.recording.fileformat import write_atomically
from convviz.recording.parts import RecordingError, RunRecord, Timeline
from convviz.recording.timeline import SnapshotLog

# -- the filter timeline as an animated GIF ---------------------------------------------------------------------
# The filters panel's colours (convviz.gui.common.theme.DIVERGING_COLORS: ColorBrewer RdBu reversed), repeated here
# because the core does not import the GUI package.
DIVERGING_COLORS = [(5, 48, 97), (67, 147, 195), (247, 247, 247), (214, 96, 77), (103, 0, 31)]
_LEVELS = 250  # palette entries 0..249: the colour map; then the fixed colours below
_BACKGROUND, _GAP, _INK = 250, 251, 252
MAX_GIF_FRAMES = 400
MAX_GIF_SIDE = 1024  # pixels of a GIF's longer side
# A GIF frame's delay is 16 bits of centiseconds (at most 655 s): below 0.1 frames per second the delay
# no longer fits, and above 50 viewers slow the frames down anyway.
MIN_FPS, MAX_FPS = 0.1, 50.0
MAX_HOLD_SECONDS = 60.0  # the last frame's delay, within the same 16 bits
CAPTION_PX = 14


def _palette() -> list[int]:
    positions = np.linspace(0.0, 1.0, len(DIVERGING_COLORS))
    x = np.linspace(0.0, 1.0, _LEVELS)
    colors = np.array(DIVERGING_COLORS, dtype=np.float64)
    lut = np.stack([np.interp(x, positions, colors[:, c]) for c in range(3)], axis=1).round().astype(int)
    rows = [*map(tuple, lut), (255, 255, 255), (110, 110, 110), (20, 20, 20)]
    rows += [(0, 0, 0)] * (256 - len(rows))
    return [v for row in rows for v in row]


def kernel_tiles(kernels: np.ndarray) -> np.ndarray:
    """One frame's kernels as tiles (n, h, w): a conv kernel's filters (mean over input channels), or a first
    dense layer's units as 28x28 images (as the filters panel shows them)."""
    k = np.asarray(kernels, dtype=np.float32)
    if k.ndim == 4:
        return k.mean(axis=2).transpose(2, 0, 1)
    if k.ndim == 2 and k.shape[0] == IMAGE_SIZE * IMAGE_SIZE:
        return k.T.reshape(k.shape[1], IMAGE_SIZE, IMAGE_SIZE)
    raise ValueError(f"kernels of shape {k.shape} cannot be shown as tiles")


def _grid(n: int) -> tuple[int, int]:
    cols = max(1, math.ceil(math.sqrt(n)))
    return math.ceil(n / cols), cols


def _mosaic(tiles: np.ndarray, scale: int, gap: int, fill: int) -> np.ndarray:
    """uint8 tiles (n, h, w), each enlarged ``scale`` times, in a near-square grid with ``gap`` pixels of ``fill``."""
    n, h, w = tiles.shape
    rows, cols = _grid(n)
    big = tiles.repeat(scale, axis=1).repeat(scale, axis=2)
    th, tw = h * scale + gap, w * scale + gap
    cells = np.full((rows * cols, th, tw), fill, dtype=np.uint8)
    cells[:n, : h * scale, : w * scale] = big
    out = cells.reshape(rows, cols, th, tw).transpose(0, 2, 1, 3).reshape(rows * th, cols * tw)
    return out[: out.shape[0] - gap, : out.shape[1] - gap]


def _even_indices(count: int, limit: int) -> list[int]:
    if count <= limit:
        return list(range(count))
    return sorted(set(np.linspace(0, count - 1, limit).round().astype(int).tolist()))


def filters_gif(
    source,
    path,
    *,
    train_size: int | None = None,
    fps: float = 10.0,
    scale: int | None = None,
    max_frames: int = 200,
    max_side: int = 512,
    hold_last: float = 2.0,
    shared_levels: bool = False,
) -> Path:
    """Write the timeline of ``source`` (a RunRecord, a Timeline or a live SnapshotLog) as an animated GIF.

    One GIF frame per timeline frame (at most ``max_frames``, thinned evenly; the first and last kept):
    the kernels as a mosaic in the filters panel's blue-white-red colours, zero white, with a range
    symmetric about zero per frame (``shared_levels``: one range for all frames, which shows the weights
    growing), and "step N  epoch E" above it (the epoch from ``train_size``, a record's own by default).
    ``scale`` (pixels per weight) is chosen so the longer side is at most ``max_side`` (<= 1024). The last
    frame is held ``hold_last`` seconds. Written atomically; RecordingError (one line) if it cannot be.
    """
    from PIL import Image, ImageDraw, ImageFont

    if isinstance(source, SnapshotLog):
        timeline = source.timeline()
    elif isinstance(source, RunRecord):
        timeline = source.timeline
        train_size = train_size if train_size is not None else source.train_size
    else:
        timeline = source
    path = Path(os.path.expanduser(str(path)))
    prefix = f"cannot write the filter timeline to {path}"
    if not isinstance(timeline, Timeline) or timeline.kernels is None or len(timeline) == 0:
        raise RecordingError(f"{prefix}: the run has no filter timeline (no snapshots of a first layer's kernels)")
    if not 1 <= max_frames <= MAX_GIF_FRAMES:
        raise RecordingError(f"{prefix}: the number of frames must be from 1 to {MAX_GIF_FRAMES}, got {max_frames}")
    if not 16 <= max_side <= MAX_GIF_SIDE:
        raise RecordingError(f"{prefix}: the size must be from 16 to {MAX_GIF_SIDE} pixels, got {max_side}")
    if not (MIN_FPS <= fps <= MAX_FPS):
        raise RecordingError(f"{prefix}: frames per second must be from {MIN_FPS:g} to {MAX_FPS:g}, got {fps:g}")
    if not (0 <= hold_last <= MAX_HOLD_SECONDS):
        raise RecordingError(f"{prefix}: the last frame is held 0 to {MAX_HOLD_SECONDS:g} s, got {hold_last:g}")
    if path.is_dir():
        raise RecordingError(f"{prefix}: it is a folder; name a file")
    if not path.parent.is_dir():
        raise RecordingError(f"{prefix}: the folder {path.parent} does not exist")
    kind = atomicfile.special_kind(path)
    if kind is not None:  # before the frames are drawn; write_atomically checks again before the rename
        raise RecordingError(f"{prefix}: it is {kind}, not a regular file; name a file")

    indices = _even_indices(len(timeline), max_frames)
    tiles = [kernel_tiles(timeline.kernels[i]) for i in indices]
    n, h, w = tiles[0].shape
    rows, cols = _grid(n)

    def fitting(gap: int) -> int:
        return max(1, min((max_side - (cols - 1) * gap) // (cols * w), (max_side - (rows - 1) * gap) // (rows * h)))

    scale = min(fitting(2), int(scale)) if scale is not None else fitting(2)
    gap = 1 if scale < 4 else max(2, scale // 4)  # a visible line between tiles, thin beside them
    scale = max(1, min(scale, fitting(gap)))
    if shared_levels:
        top = max(float(np.abs(t).max()) for t in tiles) or 1.0
    font = ImageFont.load_default()
    palette = _palette()
    images = []
    for i, t in zip(indices, tiles):
        t_top = top if shared_levels else (float(np.abs(t).max()) or 1.0)
        levels = np.clip(np.round((t / t_top + 1) / 2 * (_LEVELS - 1)), 0, _LEVELS - 1).astype(np.uint8)
        grid = _mosaic(levels, scale, gap, _GAP)
        pixels = np.full((grid.shape[0] + CAPTION_PX, max(grid.shape[1], 120)), _BACKGROUND, dtype=np.uint8)
        pixels[CAPTION_PX:, : grid.shape[1]] = grid
        image = Image.fromarray(pixels, mode="P")
        image.putpalette(palette)
        step, seen = int(timeline.steps[i]), int(timeline.examples_seen[i])
        caption = f"step {step:,}"
        if train_size:
            caption += f"  epoch {seen / train_size:.2f}"
        ImageDraw.Draw(image).text((2, 1), caption, fill=_INK, font=font)
        images.append(image)
    frame_ms = round(1000 / fps)
    durations = [frame_ms] * len(images)
    durations[-1] = max(frame_ms, int(hold_last * 1000))

    def write(f) -> None:
        images[0].save(
            f, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0, optimize=False
        )

    return write_atomically(path, write, prefix)
