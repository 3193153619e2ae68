"""The bridge of the Teach panel: the gallery's thumbnails and fine-tuning, each in a worker thread.

:class:`GalleryJob` reads the class set's ``labels.csv`` and makes the gallery's
thumbnails off the GUI thread, with the checks the CLI makes before it decodes
(a regular file inside the set's folder, opened without blocking; the image's
size from its header): a FIFO, a device or a huge image in the class set costs
the window nothing, and the window does not wait for it at start. It reports
progress and stops when asked (a newer reload, or the window closing).

:class:`TeachJob` loads the class set and calls :func:`convviz.finetune.finetune`
on the numpy weights of the pad's model, in a thread of its own
(``controller.run_job``: closing the window waits for it). Its progress is
coalesced (at most every :data:`PROGRESS_INTERVAL` s); Cancel sets an event that
``finetune`` asks before every step. The result (a frozen
:class:`convviz.finetune.FinetuneResult`, numpy inside) crosses the signal as it is.

:class:`TeachPanel` (GUI thread) connects the panel of :mod:`convviz.gui.panels.teach`
to the window: a digit button adds the pad's drawing to the class set; Teach
starts a job (not while a run trains, not twice); the taught weights become the
pad's model through ``AppState.set_model``, and Undo puts back the exact
weights from before (``result.weights_before``).

Layering: this module imports :mod:`convviz.finetune` (TensorFlow) inside the
job, like :mod:`convviz.gui.jobs.insidejobs`: the import contracts list it as a bridge.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo
from convviz.gui.state import ModelRole

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds: at most 10 progress reports a second
THUMB_PX = 56  # a thumbnail's longest side (the panel's THUMB)
SETTABLE_ROLES = (ModelRole.PRETRAINED, ModelRole.LOADED, ModelRole.UNTRAINED, ModelRole.TAUGHT)  # set_model takes


@dataclass(frozen=True)
class TeachRequest:
    arch: str
    weights: Mapping[str, np.ndarray]
    folder: Path
    steps: int | None = None  # None: FinetuneConfig's default (the Teach button's)
    seed: int = 0


@dataclass(frozen=True)
class TeachDone:
    result: object  # convviz.finetune.FinetuneResult
    files: tuple  # the class set's files, in the order of result.labels and of the scores' predictions


@dataclass(frozen=True)
class LoadProgress:
    """Reading the class set before teaching: ``step`` of ``steps`` drawings (as FinetuneProgress reads)."""

    phase: str  # "loading"
    step: int
    steps: int


class _LoadCancelled(Exception):
    """Raised from the class set's progress callback on Cancel: the load stops at the next drawing."""


class TeachJob(QtCore.QObject):
    """One fine-tuning, in a thread of its own."""

    progressed = QtCore.pyqtSignal(object)  # convviz.finetune.FinetuneProgress
    done = QtCore.pyqtSignal(object)  # TeachDone
    cancelled = QtCore.pyqtSignal()
    errored = QtCore.pyqtSignal(object)  # ErrorInfo
    finished = QtCore.pyqtSignal()

    def __init__(self, request: TeachRequest, data, closing: Callable[[], bool] = lambda: False):
        super().__init__()
        self.request = request
        self._data = data
        self._closing = closing
        self._stop = threading.Event()
        self._reported = 0.0

    def cancel(self) -> None:
        """Stop before the next step (any thread)."""
        self._stop.set()

    def _should_stop(self) -> bool:
        return self._stop.is_set() or self._closing()

    def _on_progress(self, progress) -> None:
        now = time.monotonic()
        last = progress.phase not in ("training", "loading") or progress.step in (0, progress.steps)
        if last or now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self.progressed.emit(progress)

    def _on_loading(self, done: int, total: int) -> None:
        if self._should_stop():
            raise _LoadCancelled()
        self._on_progress(LoadProgress("loading", int(done), int(total)))

    @QtCore.pyqtSlot()
    def work(self) -> None:
        request = self.request
        try:
            from convviz import classset
            from convviz.finetune import FinetuneCancelled, FinetuneConfig, finetune

            if self._should_stop():
                self.cancelled.emit()
                return
            try:
                class_set = classset.load_class_set(request.folder, progress=self._on_loading)
            except _LoadCancelled:
                self.cancelled.emit()
                return
            config = FinetuneConfig(seed=request.seed)
            if request.steps is not None:
                config = dataclasses.replace(config, steps=request.steps)
            try:
                result = finetune(
                    request.arch,
                    dict(request.weights),
                    class_set,
                    self._data,
                    config=config,
                    progress=self._on_progress,
                    should_stop=self._should_stop,
                )
            except FinetuneCancelled:
                self.cancelled.emit()
                return
            self.done.emit(TeachDone(result, tuple(class_set.files)))
        except ConvVizError as exc:
            self.errored.emit(ErrorInfo.from_exception(exc, str(exc), True))
        except Exception as exc:  # a bug: logged with its traceback, reported in one line
            log.exception("teaching failed")
            self.errored.emit(ErrorInfo.from_exception(exc, f"{type(exc).__name__}: {exc}", False))
        finally:
            self.finished.emit()


# -- the gallery --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GalleryListed:
    """The class set's rows as ``labels.csv`` lists them (``error``: why it could not be read, one line)."""

    generation: int
    entries: tuple  # of classset.Entry
    error: str | None = None


@dataclass(frozen=True)
class Thumbnail:
    """One drawing's thumbnail: RGBA pixels (h, w, 4) at most THUMB_PX a side, or why there is none."""

    file: str
    pixels: np.ndarray | None
    reason: str | None = None


class _Refused(Exception):
    """A drawing that gets no thumbnail; the message says why (one line)."""


def thumbnail(folder: Path, file: str, max_pixels: int) -> np.ndarray:
    """The drawing ``file`` of the class set in ``folder`` as RGBA pixels, THUMB_PX a side at most.

    Checked before anything is decoded, with the checks the CLI's class-set reader makes
    (:func:`convviz.classset.drawing_path`, :func:`convviz.preprocess.image_size`): the file, links
    resolved, is inside ``folder``; it is opened without blocking and must be a regular file (a FIFO,
    device or socket is refused, never waited on); every frame's size in pixels comes from its header
    and must be at most ``max_pixels``. _Refused otherwise, with the reason.
    """
    from PIL import Image

    from convviz.preprocess import MAX_IMAGE_BYTES, image_size
    from convviz.safefile import UnsafeFileError, inside_folder, open_regular

    try:
        path = inside_folder(folder, file)
        width, height = image_size(path)
        if width * height > max_pixels:
            raise _Refused(f"it is too large: {width} x {height} pixels")
        f = open_regular(path, MAX_IMAGE_BYTES)
    except FileNotFoundError:
        raise _Refused("it does not exist") from None
    except UnsafeFileError as exc:
        raise _Refused(f"it {exc.reason}") from None
    except ConvVizError as exc:  # the image's own check: too large, not an image, unreadable
        raise _Refused(str(exc).splitlines()[0].replace(f"image {path}", "it")) from None
    except OSError as exc:
        raise _Refused(f"it cannot be read ({exc.strerror or exc})") from None
    with f:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(f)
            with image:
                image.draft("RGB", (THUMB_PX, THUMB_PX))  # JPEG: decoded at a fraction of its size
                image.thumbnail((THUMB_PX, THUMB_PX))
                return np.array(image.convert("RGBA"), dtype=np.uint8)
        except Image.DecompressionBombError:
            raise _Refused("it is too large") from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise _Refused(f"it is not an image ({text})") from None


class GalleryJob(QtCore.QObject):
    """Reads the class set in ``folder`` for the gallery: ``listed(GalleryListed)``, then thumbnails of the
    newest ``limit`` drawings in chunks (``thumbnails(generation, tuple of Thumbnail)``) with
    ``progressed(generation, done, total)``; :meth:`cancel` stops it before the next drawing."""

    listed = QtCore.pyqtSignal(object)  # GalleryListed
    thumbnails = QtCore.pyqtSignal(int, object)  # generation, tuple of Thumbnail
    progressed = QtCore.pyqtSignal(int, int, int)  # generation, done, total
    finished = QtCore.pyqtSignal()

    def __init__(self, generation: int, folder, limit: int, closing: Callable[[], bool] = lambda: False):
        super().__init__()
        self.generation, self._folder, self._limit = int(generation), Path(folder), int(limit)
        self._closing = closing
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Stop before the next drawing (any thread)."""
        self._stop.set()

    def _should_stop(self) -> bool:
        return self._stop.is_set() or self._closing()

    @QtCore.pyqtSlot()
    def work(self) -> None:
        try:
            self._work()
        except Exception:  # a bug: logged with its traceback; the gallery stays as it is
            log.exception("the class set's gallery could not be read")
        finally:
            self.finished.emit()

    def _work(self) -> None:
        from convviz import classset
        from convviz.preprocess import MAX_IMAGE_PIXELS

        entries, error = [], None
        if os.path.lexists(str(self._folder / classset.LABELS_FILE)):  # else: a set not made yet, empty
            try:
                entries = classset.read_labels(self._folder)
            except ConvVizError as exc:
                error = str(exc)
        self.listed.emit(GalleryListed(self.generation, tuple(entries), error))
        shown = entries[-self._limit :][::-1] if self._limit > 0 else []  # newest first
        chunk, reported = [], time.monotonic()
        for i, entry in enumerate(shown):
            if self._should_stop():
                return
            try:
                chunk.append(Thumbnail(entry.file, thumbnail(self._folder, entry.file, MAX_IMAGE_PIXELS)))
            except _Refused as exc:
                chunk.append(Thumbnail(entry.file, None, str(exc)))
            now = time.monotonic()
            if i + 1 == len(shown) or now - reported >= PROGRESS_INTERVAL:
                reported = now
                self.thumbnails.emit(self.generation, tuple(chunk))
                self.progressed.emit(self.generation, i + 1, len(shown))
                chunk = []
