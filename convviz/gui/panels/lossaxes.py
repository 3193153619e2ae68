"""The loss plot's axes: image counts as 500, 20k, 1.5M, and a log loss axis with readable ticks."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtGui

from convviz.gui.common.i18n import decimal_text, number

LOG_MANTISSAS = ((1,), (2, 5), (3, 4, 6, 7, 8, 9))
LOG_TICK_GAP = 1.25  # labelled ticks on the log axis are at least this many text heights apart


def count_label(value: float) -> str:
    """Compact tick label for a count of images: 500, 20k, 1.5M."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{number(value / 1e6)}M"
    if magnitude >= 1e3:
        return f"{number(value / 1e3)}k"
    return number(value)


class DecimalAxis(pg.AxisItem):
    """pyqtgraph's axis, its numbers with the language's decimal separator (0,5 in German)."""

    def tickStrings(self, values, scale, spacing):
        return [decimal_text(text) for text in super().tickStrings(values, scale, spacing)]


class CountAxis(DecimalAxis):
    """Bottom axis that writes large counts as 20k / 1.5M instead of 2e+04 / 1.5e+06 when asked to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compact = False

    def tickStrings(self, values, scale, spacing):
        if not self.compact:
            return super().tickStrings(values, scale, spacing)
        return [count_label(v * scale) for v in values]


def log_ticks(low: float, high: float, length_px: float, gap_px: float) -> list:
    """Tick positions (log10 of the values) for a log axis from ``low`` to ``high`` (log10 units).

    Ticks are taken decades first, then 2 and 5, then the other mantissas, each only
    if it stays ``gap_px`` from every tick taken so far on an axis ``length_px`` long:
    the labels never overlap, however the log scale crowds them (1, 0.9, 0.8, 0.7 do
    at the top of a decade). None sits closer than half a gap to either end, where
    its label would be cut in half. An axis spanning less than the gap between two
    such values gets evenly spaced ones instead (0.30, 0.31, 0.32).
    """
    low, high = sorted((float(low), float(high)))
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low or length_px <= gap_px:
        return []
    per_unit = length_px / (high - low)
    margin = gap_px / 2 / per_unit
    low, high = low + margin, high - margin
    chosen: list = []
    for mantissas in LOG_MANTISSAS:
        for decade in range(math.floor(low), math.ceil(high) + 1):
            for m in mantissas:
                v = decade + math.log10(m)
                if low <= v <= high and all(abs(v - c) * per_unit >= gap_px for c in chosen):
                    chosen.append(v)
    if len(chosen) >= 2:
        return sorted(chosen)
    # Less than the step from one mantissa to the next: linear steps of 1, 2 or 5 x 10^k.
    vmin, vmax = 10.0**low, 10.0**high
    k = math.floor(math.log10(vmax - vmin)) - 1
    for step in (m * 10.0**e for e in range(k, k + 3) for m in (1, 2, 5)):
        values = np.arange(math.ceil(vmin / step) * step, vmax + step * 1e-9, step)
        values = values[(values >= vmin) & (values <= vmax)]
        logs = np.log10(values)
        if len(values) >= 2 and np.min(np.diff(logs)) * per_unit >= gap_px:
            return [float(v) for v in logs]
    return sorted(chosen)


def log_tick_label(log_value: float) -> str:
    """The number at a log-axis tick, plainly: 2, 0.5, 0.03, 0.32 (three significant digits at most)."""
    return number(10.0**log_value, ".3g")


class LossAxis(DecimalAxis):
    """Left axis whose log-scale labels never overlap (see :func:`log_ticks`); linear as pyqtgraph's."""

    def tickValues(self, minVal, maxVal, size):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        font = self.style.get("tickFont") or QtGui.QFont()
        gap = LOG_TICK_GAP * QtGui.QFontMetricsF(font).height()
        return [(None, log_ticks(minVal, maxVal, size, gap))]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [log_tick_label(v) for v in values]
