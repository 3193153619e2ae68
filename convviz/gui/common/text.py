"""What the window says about the app's state, as translated strings (:mod:`convviz.gui.common.i18n`), no widget."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from convviz.events import Progress, RunStatus
from convviz.gui.common import i18n
from convviz.gui.common.i18n import Text, count, translate
from convviz.gui.state import ModelRef, ModelRole, Run

SOURCE_MAX_CHARS = 24  # a folder name in the narrow prediction panel
# The batchings by the names the course uses for them (the settings' list, the status line, the runs):
# tf.data and tf.estimator are TensorFlow's APIs, named as the code calls them; their tooltips explain them.
BATCHING_NAMES = {"numpy": "numpy", "dataset": "tf.data", "estimator": "tf.estimator"}


def batching_name(key: str) -> str:
    """The name a batching (``TrainConfig.batching``) is shown by: numpy, tf.data, tf.estimator."""
    return BATCHING_NAMES.get(key, key)


def loading() -> Text:
    return translate("Status", "loading TensorFlow…")


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
    return "…" if accuracy is None else i18n.percent(accuracy, 2)


def describe_model(model: ModelRef | None, replayed: bool = False) -> Text:
    """One short line naming the model in use (it shares a narrow panel with the prediction).

    ``replayed``: the model is a recorded run's, played back (no training happens: the line says so).
    """
    if model is None:
        return loading()
    accuracy = model.test_accuracy
    acc = percent(accuracy)
    role, arch = model.role, model.arch
    if role is ModelRole.PRETRAINED:
        if accuracy is None:
            return translate("Status", "pretrained {arch}").format(arch=arch)
        return translate("Status", "pretrained {arch} · {accuracy} test accuracy").format(arch=arch, accuracy=acc)
    if role is ModelRole.TAUGHT:
        return translate("Status", "{arch} taught the class's digits · {accuracy} test accuracy").format(
            arch=arch, accuracy=acc
        )
    if role is ModelRole.UNTRAINED:
        return translate("Status", "untrained {arch}: random weights").format(arch=arch)
    if replayed and role in (ModelRole.TRAINING, ModelRole.TRAINED):
        images = count(model.examples_seen)
        if role is ModelRole.TRAINING:
            return translate("Status", "replay of {arch} · {images} images so far").format(arch=arch, images=images)
        return translate("Status", "replay of {arch} · trained on {images} images").format(arch=arch, images=images)
    if role is ModelRole.TRAINING:
        images = count(model.examples_seen)
        return translate("Status", "{arch} in training · {images} images so far").format(arch=arch, images=images)
    if role is ModelRole.TRAINED:
        if accuracy is None:
            images = count(model.examples_seen)
            return translate("Status", "{arch} trained on {images} images").format(arch=arch, images=images)
        return translate("Status", "trained {arch} · {accuracy} test accuracy").format(arch=arch, accuracy=acc)
    source = Path(str(model.meta.get("source", ""))).name
    if len(source) > SOURCE_MAX_CHARS:
        source = source[: SOURCE_MAX_CHARS - 1] + "…"
    if accuracy is None:
        return translate("Status", "{arch} from {source}").format(arch=arch, source=source)
    return translate("Status", "{arch} from {source} · {accuracy} test accuracy").format(
        arch=arch, source=source, accuracy=acc
    )


def run_started(run: Run) -> Text:
    c = run.config
    line = translate(
        "Status", "Training {arch} on {images} images with {batching} batching, batch size {size}, {optimizer} lr {lr}"
    )
    images, lr = count(run.train_size), i18n.decimal(c.learning_rate)
    batching, size = batching_name(c.batching), count(c.batch_size)
    return line.format(arch=c.arch, images=images, batching=batching, size=size, optimizer=c.optimizer, lr=lr)


def run_progress(progress: Progress, epochs: int) -> Text:
    return translate("Status", "epoch {epoch}/{epochs} · {speed} images/s · {left} left").format(
        epoch=progress.epoch + 1,
        epochs=epochs,
        speed=count(progress.images_per_second),
        left=format_seconds(progress.seconds_left),
    )


def run_ended(run: Run) -> Text:
    """The status line after a run: how it ended and the test accuracy of the weights kept."""
    outcome = run.outcome
    status = outcome.status if outcome is not None else RunStatus.FAILED
    if status is RunStatus.COMPLETED:
        how = translate("Status", "Training finished")
    elif status is RunStatus.STOPPED:
        batches = run.steps_done  # a plain name: pylupdate5 reads no attribute as a plural's number
        how = translate("Status", "Training stopped after %n batch(es)", None, batches)
    else:
        how = translate("Status", "Training failed")
    if outcome is not None and outcome.test_accuracy is not None:
        return translate("Status", "{how}: test accuracy {accuracy}").format(
            how=how, accuracy=percent(outcome.test_accuracy)
        )
    if status is RunStatus.STOPPED and run.steps_done == 0:
        return translate("Status", "{how}: nothing trained, the previous model is kept").format(how=how)
    return how


_NUMBER_UNIT = re.compile(r"(\d) (%|[KMGT]?B\b|px\b|s\b)")


def keep_units(text: str) -> str:
    """``text`` with a no-break space between each number and its unit (99.3 %, 3.94 GB): a label that
    wraps never puts "48.5" at the end of one line and "%" at the start of the next."""
    return _NUMBER_UNIT.sub("\\1\u00a0\\2", text)
