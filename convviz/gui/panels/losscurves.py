"""What the loss plot draws of one run: views of its loss series, and the display arrays derived from them.

A run's curve is kept once, in its :class:`convviz.recording.LossSeries` (the
app state's run owns it and appends each chunk); the plot draws views of its
columns and keeps only what it derives: x in the axis' unit and the smoothed
loss. Both grow in place, a chunk at a time, so a chunk costs the plot O(chunk)
work before its one ``setData`` per curve.
"""

from __future__ import annotations

import numpy as np

from convviz.recording import LossSeries

SMOOTHING = 0.98  # EMA weight of the previous value: about a 50-batch window
INITIAL_CAPACITY = 4096  # points of the derived arrays; they double when full


def ema(values: np.ndarray, alpha: float = SMOOTHING, initial: float | None = None) -> np.ndarray:
    """Exponential moving average ``s[t] = alpha * s[t-1] + (1 - alpha) * x[t]``.

    ``initial`` is ``s[-1]``; None starts from the first value, so that the smoothed
    line begins on the data instead of climbing from zero.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    if values.size == 0:
        return out
    s = float(values[0]) if initial is None else float(initial)
    beta = 1.0 - alpha
    for i, x in enumerate(values.tolist()):  # a chunk is small; a Python loop over floats is fast enough
        s = alpha * s + beta * x
        out[i] = s
    return out


def x_of(examples: np.ndarray, seconds: np.ndarray, mode: str, train_size: int) -> np.ndarray:
    """x values in the axis' unit: epochs of ``train_size`` images, examples seen, or seconds (a new array)."""
    if mode == "seconds":
        return np.array(seconds, dtype=np.float64)
    if mode == "epochs":
        return np.asarray(examples, dtype=np.float64) / train_size
    return np.array(examples, dtype=np.float64)


class CurveView:
    """One run's loss curve as the plot draws it.

    ``source``: the run's curve, grown by its owner (a ``LossSeries``) or whole (a record's
    ``LossCurve``); anything with ``len()`` and ``view(name)``. None: a series of the view's
    own, which :meth:`append` fills (a widget used on its own, a test).
    """

    def __init__(self, source=None, smoothing: float = SMOOTHING, capacity: int = INITIAL_CAPACITY):
        self.owned = source is None
        # Its own series keeps float64 losses: a plot fed numbers shows exactly those.
        self.source = LossSeries(capacity, losses_dtype=np.float64) if source is None else source
        self.smoothing = smoothing
        self._capacity = max(1, int(capacity))
        self._x = np.empty(self._capacity)
        self._smooth = np.empty(self._capacity)
        self.size = 0  # points derived so far
        self._unit: tuple | None = None  # (mode, train_size) that self._x is in

    def append(self, examples_seen: np.ndarray, losses: np.ndarray, seconds: np.ndarray | None) -> None:
        """More losses of a curve the view owns (steps count on from the last)."""
        if not self.owned:
            raise ValueError("this curve shows a run's series, which its owner grows: update it instead")
        n = len(losses)
        first = int(self.source.last("steps")) + 1
        seconds = np.full(n, np.nan) if seconds is None else seconds
        self.source.append(np.arange(first, first + n), examples_seen, losses, seconds)

    def sync(self, mode: str, train_size: int) -> bool:
        """Derive the display arrays of the points the source gained (all x values again in a new unit);
        True when anything changed."""
        n, done = len(self.source), self.size
        unit = (mode, int(train_size))
        if n == done and unit == self._unit:
            return False
        if n > len(self._x):
            capacity = max(n, 2 * len(self._x))
            smooth = np.empty(capacity)
            smooth[:done] = self._smooth[:done]
            self._smooth = smooth
            x = np.empty(capacity)
            x[:done] = self._x[:done]
            self._x = x
        if n > done:
            previous = self._smooth[done - 1] if done else None
            self._smooth[done:n] = ema(self.source.view("losses")[done:n], self.smoothing, previous)
        if unit != self._unit:
            # A new array, not the old one rewritten: the plot may still hold views of that one.
            self._x = np.empty(len(self._x))
            start, self._unit = 0, unit
        else:
            start = done
        examples, seconds = self.source.view("examples_seen"), self.source.view("seconds")
        self._x[start:n] = x_of(examples[start:n], seconds[start:n], mode, train_size)
        self.size = n
        return True

    def x(self) -> np.ndarray:
        """x of every derived point, in the unit of the last :meth:`sync` (a view)."""
        return self._x[: self.size]

    def raw(self) -> np.ndarray:
        """The losses, a view of the source's column (never copied)."""
        return self.source.view("losses")[: self.size]

    def smooth(self) -> np.ndarray:
        return self._smooth[: self.size]
