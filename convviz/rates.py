"""Changing a run's learning rate while it trains: the check, and the log of changes a run keeps.

The rate is a placeholder each training step feeds (``architectures.learning_rate_input``), so a
change needs no new graph: :meth:`convviz.training.Trainer.set_learning_rate` sets the float the
next step feeds. :class:`RateLog` watches the steps a :class:`~convviz.run.RunSession` trains and
turns the first step with a new rate into a :class:`~convviz.events.RateChanged` event and a
:class:`~convviz.recording.RateChange` of the run's record (the loss curve's marker, the replay's).
No TensorFlow and no Qt here.
"""

from __future__ import annotations

import math

from convviz.errors import ConfigError
from convviz.events import RateChanged
from convviz.recording import MAX_RATE_CHANGES, RateChange

MAX_RATE = 10.0  # TrainConfig's bound


def checked_learning_rate(rate) -> float:
    """``rate`` as a float in (0, 10] (TrainConfig's bounds), or ConfigError with one line."""
    try:
        value = float(rate)
    except (TypeError, ValueError):
        raise ConfigError(f"a learning rate is a number, not {rate!r}") from None
    if not (math.isfinite(value) and 0 < value <= MAX_RATE):
        raise ConfigError(f"learning rate must be in (0, {MAX_RATE:g}], got {rate}")
    return value


class RateLog:
    """The base rate each step was fed; a change becomes an event and a record part (at most
    ``MAX_RATE_CHANGES`` kept: later ones still take effect, the record marks the first ones)."""

    def __init__(self, initial: float, run_id: int = 1):
        self.run_id = int(run_id)
        self.current = float(initial)
        self.changes: list[RateChange] = []

    def observe(self, event, seconds: float) -> RateChanged | None:
        """A trainer's BatchEvent, trained ``seconds`` into the run: the change it brings, if any."""
        rate = getattr(event, "learning_rate", None)
        if rate is None or rate == self.current:
            return None
        self.current = float(rate)
        change = RateChange(int(event.step), int(event.examples_seen), float(seconds), self.current)
        if len(self.changes) < MAX_RATE_CHANGES:
            self.changes.append(change)
        return RateChanged(self.run_id, change.step, change.examples_seen, change.seconds, change.learning_rate)
