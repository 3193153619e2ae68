"""Record a training run as it happens: a :class:`~convviz.recording.RunRecord` from a Trainer's events.

:class:`Recorder` follows a :class:`~convviz.training.Trainer`: it keeps the
loss of every step and every epoch, and, whenever its
:class:`~convviz.recording.SnapshotLog` says a snapshot is due, copies the
trainer's weights into an inference :class:`~convviz.model.Model` of its own
and keeps the first conv layer's kernels, the probe digit's feature maps and
its probabilities. ``python main.py train --record FILE`` uses it; the GUI's
worker can too (it is a bridge module: it imports TensorFlow through
``convviz.model``, so panels must not import it).

The snapshots are taken between steps, outside the time the trainer counts
(its images/s measure only ``session.run`` of the training step); the loss
curve's seconds are wall-clock time since the recorder started and so include
them: about 200 snapshots a run (``SnapshotLog.for_run``), each one weights
copy and one forward pass of a single image.
"""

from __future__ import annotations

import time

import numpy as np

from convviz.memory import memory_report
from convviz.model import Model
from convviz.recording import (
    MAX_SNAPSHOTS,
    EpochSummary,
    LossCurve,
    Outcome,
    RecordingError,
    RunRecord,
    SnapshotLog,
    save_record,
)
from convviz.tf1 import TF_VERSION
from convviz.training import BatchEvent, Trainer


class Recorder:
    """Builds the record of ``trainer``'s run; feed it every event with :meth:`on_event`.

    Parameters
    ----------
    trainer : Trainer
        Built, not yet run; its config and data give the architecture, the steps and the probe.
    probe_index : int
        The test image whose feature maps and probabilities are kept (default the first).
    capacity : int
        At most this many snapshots (SnapshotLog's bound, 200).
    keep_weights : bool
        Keep the final weights (float32) in the record, so the window can load them into the pad.
    clock : float or None
        ``time.perf_counter()`` at the run's start (default: now), for the seconds columns.
    """

    def __init__(
        self,
        trainer: Trainer,
        probe_index: int = 0,
        capacity: int = MAX_SNAPSHOTS,
        keep_weights: bool = True,
        clock: float | None = None,
    ):
        self.trainer = trainer
        self.config = trainer.config
        data = trainer.data
        if not 0 <= probe_index < len(data.test_labels):
            raise RecordingError(
                f"the probe must be a test image from 0 to {len(data.test_labels) - 1}, got {probe_index}"
            )
        self.probe = np.asarray(data.test_images[probe_index], np.float32).reshape(28, 28)
        self.total_steps = trainer.batches_per_epoch * self.config.epochs
        self.log = SnapshotLog.for_run(
            self.config.arch,
            self.total_steps,
            probe_image=self.probe,
            probe_index=probe_index,
            probe_label=int(data.test_labels[probe_index]),
            capacity=capacity,
        )
        self.keep_weights = keep_weights
        self.started_at = time.time()
        self._clock = time.perf_counter() if clock is None else clock
        self._steps: list[int] = []
        self._examples: list[int] = []
        self._losses: list[float] = []
        self._seconds: list[float] = []
        self.epochs: list[EpochSummary] = []
        self.snapshot_seconds = 0.0  # time spent taking snapshots
        self._model = Model(self.config.arch)
        self._took_initial = False

    def now(self) -> float:
        return time.perf_counter() - self._clock

    def begin(self) -> None:
        """Snapshot the initial weights (step 0), where the trainer has them before its first step
        (numpy and dataset batching; the Estimator creates its session in the first step)."""
        if self.config.batching != "estimator":
            self._snapshot(0, 0, final=False)
            self._took_initial = True

    def on_event(self, event) -> None:
        if isinstance(event, BatchEvent):
            self._steps.append(event.step)
            self._examples.append(event.examples_seen)
            self._losses.append(event.loss)
            self._seconds.append(self.now())
            if self.log.due(event.step):
                self._snapshot(event.step, event.examples_seen, final=False)
        else:
            self.epochs.append(
                EpochSummary(
                    event.epoch,
                    self._examples[-1] if self._examples else 0,
                    event.test_accuracy,
                    event.train_loss,
                    self.now(),
                    event.images_per_second,
                )
            )

    def _snapshot(self, step: int, examples_seen: int, final: bool) -> None:
        started = time.perf_counter()
        seconds = self.now()
        weights = self.trainer.weights()
        self._model.set_weights(weights)
        maps = self._model.feature_maps(self.probe)
        probabilities = self._model.predict_proba(self.probe)[0]
        frame = self.log.make_frame(step, examples_seen, seconds, weights, maps, probabilities)
        if final:
            self.log.finish(frame)
        else:
            self.log.add(frame)
        self.snapshot_seconds += time.perf_counter() - started

    def record(self, status: str = "completed", error: str | None = None, name: str = "") -> RunRecord:
        """The run's record; takes the final snapshot (the weights the run ended with) first."""
        t = self.trainer
        steps = self._steps[-1] if self._steps else 0
        examples = self._examples[-1] if self._examples else 0
        weights = None
        if steps or self._took_initial:
            self._snapshot(steps, examples, final=True)
            weights = t.weights() if self.keep_weights else None
        losses = LossCurve.from_columns(
            {"steps": self._steps, "examples_seen": self._examples, "losses": self._losses, "seconds": self._seconds}
        )
        outcome = Outcome(
            status=status,
            test_accuracy=t.test_accuracy,
            steps=steps,
            examples_seen=examples,
            train_seconds=float(t.train_seconds),
            wall_seconds=self.now(),
            images_per_second=float(t.images_per_second),
            memory_bytes=memory_report(
                self.config.arch, self.config.batch_size, n_images=t.train_size
            ).total_batch_bytes,
            error=error,
        )
        return RunRecord(
            arch=self.config.arch,
            config=self.config.to_dict(),
            train_size=t.train_size,
            total_steps=self.total_steps,
            losses=losses,
            epochs=tuple(self.epochs),
            outcome=outcome,
            timeline=self.log.timeline(),
            final_weights=None if weights is None else {k: np.asarray(v, np.float32) for k, v in weights.items()},
            started_at=self.started_at,
            name=name,
            versions={"convviz": _version(), "tensorflow": TF_VERSION},
        )

    def save(self, path, status: str = "completed", error: str | None = None) -> RunRecord:
        record = self.record(status, error)
        save_record(record, path)
        return record

    def close(self) -> None:
        self._model.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _version() -> str:
    from convviz import __version__

    return __version__
