"""How fragile the network is: adversarial examples by FGSM and PGD, and accuracy against epsilon.

The core, no Qt. Images are (N, 28, 28) floats in [0, 1]; every attack is an
L-infinity one: no pixel moves by more than ``eps``, and the result stays a
picture (clipped to [0, 1]).

* FGSM (Goodfellow et al. 2014): one step of ``eps`` along the sign of the
  gradient of the cross-entropy loss with respect to the input: up the loss of
  the true label (untargeted), or down the loss of a target digit ("make it an 8").
* PGD (Madry et al. 2017): ``steps`` such steps of ``step_size`` each, after
  each one projected back into the eps-ball around the image and into [0, 1].
  Deterministic (no random start), so a test and a lecture see the same picture.

Both run on whole batches through :meth:`convviz.explain.Explainer.loss_gradients`,
in the explainer's owner thread. :func:`accuracy_under_attack` is the curve of
the lecture's plot and of ``python main.py attack``: at eps 0 it is the plain
accuracy (the same predictions as ``evaluate``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.convmath import ExplainError, _is_int
from convviz.explain import Explainer
from convviz.model import as_batch

__all__ = ["METHODS", "AttackResult", "accuracy_under_attack", "attack", "check_eps", "eps_key"]

METHODS = ("fgsm", "pgd")
PGD_STEPS = 10  # Madry et al. use 40 on MNIST; 10 already takes the cnn far below FGSM's accuracy
PGD_STEP_SHARE = 0.25  # each step moves eps / 4: 10 steps can cross the ball 2.5 times (Madry's 2.5 eps / steps)
MAX_PGD_STEPS = 1000
MAX_EPS_VALUES = 50  # points on an accuracy-against-epsilon curve
ATTACK_BATCH = 500  # images per gradient run: a cnn batch of ~60 MB activations


@dataclass(frozen=True, eq=False)
class AttackResult:
    """Adversarial images and what the network says of them."""

    images: np.ndarray  # (N, 28, 28) float32 in [0, 1]
    perturbation: np.ndarray  # (N, 28, 28) float32 in [-eps, eps]: images minus the originals
    predictions: np.ndarray  # (N,) int64
    probabilities: np.ndarray  # (N, 10) float32


def check_eps(eps) -> float:
    """``eps`` as a float in [0, 1], or ExplainError."""
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)):
        raise ExplainError(f"epsilon must be a number from 0 to 1, got {eps!r}")
    value = float(eps)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ExplainError(f"epsilon must be from 0 to 1, got {eps!r}")
    return value


def eps_key(eps: float) -> str:
    """The JSON key of an epsilon: ``0``, ``0.05``, ``0.1`` (the shortest spelling)."""
    return f"{float(eps):g}"


def _labels(labels, count: int, what: str) -> np.ndarray:
    values = np.asarray(labels, np.int64).reshape(-1)
    if len(values) == 1 and count != 1:
        values = np.repeat(values, count)
    if len(values) != count:
        raise ExplainError(f"{count} images but {len(values)} {what}")
    if len(values) and (values.min() < 0 or values.max() >= NUM_CLASSES):
        raise ExplainError(f"{what} must be digits 0 to {NUM_CLASSES - 1}")
    return values


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)


def attack(
    explainer: Explainer,
    images: np.ndarray,
    labels,
    eps: float,
    method: str = "fgsm",
    target=None,
    steps: int = PGD_STEPS,
    step_size: float | None = None,
) -> AttackResult:
    """Attack ``images`` (true ``labels``; one label for all, or one per image) with ``method``.

    ``target`` None: make the network wrong (raise the loss of the true label);
    a digit (or one per image): make it say that digit (lower that digit's loss).
    PGD takes ``steps`` steps of ``step_size`` (default ``eps * PGD_STEP_SHARE``).
    One batch: the caller splits large sets (:func:`accuracy_under_attack` does).
    """
    if method not in METHODS:
        raise ExplainError(f"unknown attack {str(method)[:30]!r}; choose one of {', '.join(METHODS)}")
    eps = check_eps(eps)
    x0 = as_batch(images)[:, :, :, 0]
    true = _labels(labels, len(x0), "labels")
    goal = true if target is None else _labels(target, len(x0), "targets")
    sign = -1.0 if target is not None else 1.0  # targeted: descend the target's loss
    if method == "fgsm":
        steps, step_size = 1, eps
    else:
        if not (_is_int(steps) and 1 <= steps <= MAX_PGD_STEPS):
            raise ExplainError(f"PGD steps must be 1 to {MAX_PGD_STEPS}, got {steps!r}")
        step_size = eps * PGD_STEP_SHARE if step_size is None else check_eps(step_size)
    x = x0.copy()
    if eps > 0:
        for _ in range(steps):
            grads, _, _ = explainer.loss_gradients(x, goal)
            x = x + sign * step_size * np.sign(grads)
            x = np.clip(np.clip(x, x0 - eps, x0 + eps), 0.0, 1.0).astype(np.float32)
    probabilities = explainer.predict_proba(x)
    return AttackResult(x, (x - x0).astype(np.float32), probabilities.argmax(axis=1).astype(np.int64), probabilities)


def accuracy_under_attack(
    explainer: Explainer,
    images: np.ndarray,
    labels: np.ndarray,
    eps_values: Sequence[float],
    method: str = "fgsm",
    batch_size: int = ATTACK_BATCH,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    steps: int = PGD_STEPS,
) -> dict[float, float] | None:
    """{eps: the share of ``images`` still classified as their label after the attack}, in the given order.

    At eps 0 nothing is attacked: the plain accuracy. ``should_stop()`` is asked
    before every batch (None then); ``progress(done, total)`` after each.
    """
    if method not in METHODS:
        raise ExplainError(f"unknown attack {str(method)[:30]!r}; choose one of {', '.join(METHODS)}")
    eps_values = [check_eps(e) for e in eps_values]
    if not 1 <= len(eps_values) <= MAX_EPS_VALUES:
        raise ExplainError(f"give 1 to {MAX_EPS_VALUES} epsilon values, got {len(eps_values)}")
    if not (_is_int(batch_size) and batch_size >= 1):
        raise ExplainError(f"the batch size must be at least 1, got {batch_size!r}")
    x = as_batch(images)[:, :, :, 0]
    y = _labels(labels, len(x), "labels")
    if len(x) == 0:
        raise ExplainError("no images to attack")
    starts = range(0, len(x), batch_size)
    total, done = len(eps_values) * len(starts), 0
    correct = {}
    for eps in eps_values:
        right = 0
        for start in starts:
            if should_stop is not None and should_stop():
                return None
            part, truth = x[start : start + batch_size], y[start : start + batch_size]
            if eps == 0:
                predicted = explainer.predict_proba(part).argmax(axis=1)
            else:
                predicted = attack(explainer, part, truth, eps, method, steps=steps).predictions
            right += int(np.sum(predicted == truth))
            done += 1
            if progress is not None:
                progress(done, total)
        correct[eps] = right / len(x)
    return correct


def magnified(perturbation: np.ndarray, eps: float) -> np.ndarray:
    """A perturbation (28, 28) in [-eps, eps] as a picture in [0, 1]: grey 0.5 is no change, the full range is eps."""
    p = np.asarray(perturbation, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    return np.clip(0.5 + 0.5 * p / eps, 0.0, 1.0) if eps > 0 else np.full_like(p, 0.5)
