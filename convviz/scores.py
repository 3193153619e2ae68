"""Honest scores: a percentage always with its count and a 95 % interval, never from a handful.

An accuracy of "100.00 %" from one held-back drawing says nothing; "100.0 % (1/1)" with its
interval (20.7-100 %) says how little. :func:`wilson` is the Wilson score interval for a
binomial proportion (it stays inside [0, 1] and is sensible at 0 and n, unlike the normal
approximation); :class:`Score` carries the count and the interval; :func:`format_score` is the
one English line the CLI and the benchmarks print. A held-back score from fewer than
:data:`MIN_HELD_BACK` drawings is not shown at all (:func:`held_back_score`).

Only the standard library and numpy; no TensorFlow, no Qt (the window formats the same
numbers through its own translated text). Python 3.7 compatible.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

Z95 = 1.959963984540054  # the standard normal quantile of 0.975: a two-sided 95 % interval
MIN_HELD_BACK = 10  # fewer held-back drawings than this: "too few held back to say"
TOO_FEW = "too few held back to say"


class Score(NamedTuple):
    """``correct`` of ``total`` right, with the 95 % Wilson interval (``low``, ``high``) in [0, 1]."""

    correct: int
    total: int
    low: float
    high: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    def to_dict(self) -> dict:
        """Plain numbers for JSON: accuracy, correct, total, ci95 [low, high]."""
        return {
            "accuracy": round(self.accuracy, 6) if self.total else None,
            "correct": self.correct,
            "total": self.total,
            "ci95": [round(self.low, 6), round(self.high, 6)],
        }


def wilson(correct: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``correct`` successes in ``total`` trials; (0, 1) for no trials."""
    correct, total = int(correct), int(total)
    if total < 0 or not 0 <= correct <= max(total, 0):
        raise ValueError(f"need 0 <= correct <= total, got {correct} of {total}")
    if total == 0:
        return 0.0, 1.0
    p = correct / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # at p = 0 or 1 the bound is exactly 0 or 1 (rounding must not leave 0.9999999)
    if correct == 0:
        low = 0.0
    if correct == total:
        high = 1.0
    return low, high


def score(correct: int, total: int) -> Score:
    """A :class:`Score` from counts."""
    low, high = wilson(correct, total)
    return Score(int(correct), int(total), low, high)


def score_of(predictions: np.ndarray, labels: np.ndarray) -> Score:
    """How many of ``predictions`` equal ``labels``, as a :class:`Score`."""
    predictions, labels = np.asarray(predictions), np.asarray(labels)
    if predictions.shape != labels.shape:
        raise ValueError(f"{predictions.shape} predictions for {labels.shape} labels")
    return score(int(np.sum(predictions == labels)), int(labels.size))


def held_back_score(correct: int, total: int, minimum: int = MIN_HELD_BACK) -> Score | None:
    """The held-back :class:`Score`, or None when fewer than ``minimum`` drawings were held back."""
    return score(correct, total) if total >= minimum else None


def format_score(correct: int, total: int, digits: int = 1) -> str:
    """``97.0 % (97/100, 95 % CI 93.0-98.9 %)``; ``- (0/0)`` when there was nothing to score."""
    if total == 0:
        return "- (0/0)"
    low, high = wilson(correct, total)
    return (
        f"{100 * correct / total:.{digits}f} % ({correct}/{total}, "
        f"95 % CI {100 * low:.{digits}f}-{100 * high:.{digits}f} %)"
    )


def format_held_back(correct: int, total: int, minimum: int = MIN_HELD_BACK, digits: int = 1) -> str:
    """:func:`format_score`, or ``too few held back to say (3 drawings)`` below ``minimum``."""
    if total < minimum:
        return f"{TOO_FEW} ({total} drawing{'' if total == 1 else 's'})"
    return format_score(correct, total, digits)
