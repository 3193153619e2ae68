"""The three batching strategies compared at one batch size: speed, memory, and the same curve again.

:func:`measure_batching` trains one configuration twice with the same seed and reports its speed
(images/s of the training loop), the process's peak memory while it trained (VmHWM of
/proc/self/status after resetting it, less the resident memory before the trainer was built: the
graph, the session, the input pipeline's copies and one step's tensors) and whether the second
run's loss curve equals the first's, step for step. Run each strategy in a fresh process for a
fair memory figure (``bench/batchings.py`` does): memory a process freed stays resident to be
used again, so a second strategy in the same process looks smaller than it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from convviz.config import TrainConfig


@dataclass(frozen=True)
class BatchingReport:
    batching: str
    batch_size: int
    images_per_second: float
    peak_bytes: int | None  # None where /proc cannot say (not Linux)
    same_curve: bool  # the same seed gave the same losses, step for step
    steps: int


def _status_bytes(key: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident size (Linux 4.0 and later)
        return True
    except OSError:
        return False


def _losses(config: TrainConfig, data) -> tuple:
    from convviz.training import BatchEvent, Trainer

    with Trainer(config, data) as trainer:
        losses = [e.loss for e in trainer.run() if isinstance(e, BatchEvent)]
        return losses, trainer.images_per_second


def measure_batching(config: TrainConfig, data) -> BatchingReport:
    """``config`` trained twice (see the module docstring); the first run's speed and memory."""
    resettable = _reset_peak()
    before = _status_bytes("VmRSS:")
    first, speed = _losses(config, data)
    peak = _status_bytes("VmHWM:") if resettable else None
    second, _ = _losses(config, data)
    return BatchingReport(
        config.batching,
        config.batch_size,
        float(speed),
        None if peak is None or before is None else max(peak - before, 0),
        first == second,
        len(first),
    )
