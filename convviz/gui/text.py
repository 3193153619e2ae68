"""What the window says, as plain strings: no Qt, tested on its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from convviz.gui.events import Progress, RunStatus
from convviz.gui.state import ModelRef, ModelRole, Run

LOADING_TEXT = "loading TensorFlow…"
SOURCE_MAX_CHARS = 24  # a folder name in the narrow prediction panel


def format_seconds(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "…"
    if seconds < 1:
        return "< 1 s"
    seconds = round(float(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d} h"


def percent(accuracy: float | None) -> str:
    return "…" if accuracy is None else f"{100 * accuracy:.2f} %"


def describe_model(model: ModelRef | None) -> str:
    """One short line naming the model in use (it shares a narrow panel with the prediction)."""
    if model is None:
        return LOADING_TEXT
    accuracy = model.test_accuracy
    acc = f" · {percent(accuracy)} test accuracy" if accuracy is not None else ""
    role, arch = model.role, model.arch
    if role is ModelRole.PRETRAINED:
        return f"pretrained {arch}{acc}"
    if role is ModelRole.UNTRAINED:
        return f"untrained {arch}: random weights"
    if role is ModelRole.TRAINING:
        return f"{arch} in training · {model.examples_seen:,} images so far"
    if role is ModelRole.TRAINED:
        return f"trained {arch}{acc}" if acc else f"{arch} trained on {model.examples_seen:,} images"
    source = Path(str(model.meta.get("source", ""))).name
    if len(source) > SOURCE_MAX_CHARS:
        source = source[: SOURCE_MAX_CHARS - 1] + "…"
    return f"{arch} from {source}{acc}"


def run_started(run: Run) -> str:
    c = run.config
    return (
        f"Training {c.arch} on {run.train_size:,} images with {c.batching} batching, "
        f"batch size {c.batch_size}, {c.optimizer} lr {c.learning_rate:g}"
    )


def run_progress(progress: Progress, epochs: int) -> str:
    return (
        f"epoch {progress.epoch + 1}/{epochs} · {progress.images_per_second:,.0f} images/s · "
        f"{format_seconds(progress.seconds_left)} left"
    )


def run_ended(run: Run) -> str:
    """The status line after a run: how it ended and the test accuracy of the weights kept."""
    outcome = run.outcome
    status = outcome.status if outcome is not None else RunStatus.FAILED
    if status is RunStatus.COMPLETED:
        text = "Training finished"
    elif status is RunStatus.STOPPED:
        text = f"Training stopped after {run.steps_done:,} batches"
    else:
        text = "Training failed"
    if outcome is not None and outcome.test_accuracy is not None:
        text += f": test accuracy {percent(outcome.test_accuracy)}"
    elif status is RunStatus.STOPPED and run.steps_done == 0:
        text += ": nothing trained, the previous model is kept"
    return text
