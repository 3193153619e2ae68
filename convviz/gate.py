"""The controls a run is held by, from any thread: the :class:`Gate` (pause, one step, slow motion, stop),
:class:`GateControls` (what a session offers its caller) and the :class:`Coalescer` that spaces emissions.

Plain thread-safe methods backed by ``threading.Event``: the worker thread that trains has no free event
loop. Shared by a training run (:class:`convviz.run.RunSession`) and a replay
(:class:`convviz.playback.RecordSession`). No Qt, no TensorFlow.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class Coalescer:
    """Says when enough time has passed since the last emission; the clock is injectable for tests."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self._clock = clock
        self._last: float | None = None

    def due(self) -> bool:
        now = self._clock()
        if self._last is None or now - self._last >= self.interval:
            self._last = now
            return True
        return False


class Gate:
    """Pause, resume, step, the speed and stop of a run: thread-safe, for any thread to call.

    Every control call sets one ``threading.Event`` (``wake``), so whatever the run waits for, a
    control call makes it look at every flag again at once. ``clock`` and ``wait(event, timeout)``
    (``timeout=None``: until woken) are injectable for tests.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[threading.Event, float | None], object] | None = None,
    ):
        self.clock = clock
        self._waiter = wait or (lambda event, timeout: event.wait(timeout))
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self._paused = threading.Event()
        self._step_pending = False
        self._speed: float | None = None
        self._lock = threading.Lock()
        self._on_stop: list = []

    def on_stop(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on :meth:`stop` (at once if stopped already)."""
        with self._lock:
            self._on_stop.append(callback)
            stopped = self.stopped.is_set()
        if stopped:
            callback()

    def stop(self) -> None:
        self.stopped.set()
        with self._lock:
            callbacks = list(self._on_stop)
        for callback in callbacks:
            callback()
        self.wake.set()

    def pause(self) -> None:
        """Hold after the batch being trained (or before the first one)."""
        with self._lock:
            self._paused.set()
        self.wake.set()

    def resume(self) -> None:
        with self._lock:
            self._paused.clear()
            self._step_pending = False
        self.wake.set()

    def step(self) -> bool:
        """While paused: let exactly one more batch through. False when not paused."""
        with self._lock:
            if not self._paused.is_set():
                return False
            self._step_pending = True
        self.wake.set()
        return True

    def set_speed(self, batches_per_second: float | None) -> None:
        """At most this many batches a second from the next one on (None: full speed); any time."""
        if batches_per_second is not None and not batches_per_second > 0:
            raise ValueError(f"a speed is a positive number of batches a second, not {batches_per_second!r}")
        with self._lock:
            self._speed = None if batches_per_second is None else float(batches_per_second)
        self.wake.set()

    @property
    def speed(self) -> float | None:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def flags(self) -> tuple:
        """(paused, step pending, speed), read together."""
        with self._lock:
            return self._paused.is_set(), self._step_pending, self._speed

    def take_step(self) -> bool:
        """The pending step, consumed: True once per :meth:`step`."""
        with self._lock:
            pending, self._step_pending = self._step_pending, False
        return pending

    def wait(self, timeout: float | None) -> None:
        """Until ``timeout`` passes or a control call wakes the gate, which then looks at every flag again."""
        self._waiter(self.wake, timeout)
        self.wake.clear()


class GateControls:
    """Stop, pause, resume and step through ``self.gate``, from any thread: what a session offers its caller."""

    gate: Gate

    def stop(self) -> None:
        self.gate.stop()

    def pause(self) -> None:
        self.gate.pause()

    def resume(self) -> None:
        self.gate.resume()

    def step(self) -> bool:
        """While paused: one more step, sent whole, then hold again. False when not paused."""
        return self.gate.step()
