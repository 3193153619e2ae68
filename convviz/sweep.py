"""The batch-size lab: one network at several batch sizes on the same seed, measured side by side.

:class:`SweepSession` is a generator, as :class:`~convviz.run.RunSession` is (the CLI's ``sweep``
iterates it, the window's sweep job pumps it in a QThread). It runs one RunSession per batch size
(run ids 1, 2, ...), one batch of each in turn (a race's interleaving: the runs grow side by side;
each run's seconds are its own training loop's, so taking turns does not slow its clock), and
yields their events plus its own:

:class:`SweepStarted`
    the plan: each run's B, learning rate and predicted memory, and the full batch as a prediction;
:class:`StepMemory`
    one training step's peak memory at B, measured (:func:`convviz.noise.step_memory`);
:class:`AccuracyPoint`
    a run's test accuracy (on ``eval_images`` test digits) every ``max_examples / EVAL_POINTS`` images;
:class:`NoiseMeasured`
    the gradient-noise meter (:mod:`convviz.noise`) at shared weights: the weights of the run whose B
    is nearest the base batch, once after ``warmup`` images and once at its end;
:class:`SweepDone`
    the result (:meth:`SweepResult.to_dict` is the CLI's JSON).

The learning-rate policy scales the given rate, which is meant for ``base_batch`` images a step:
``fixed`` (every B the same rate), ``linear`` (rate x B / base_batch, Goyal et al. 2017) or ``sqrt``
(rate x sqrt(B / base_batch)); the rate is clipped to TrainConfig's (0, 10].
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable, Iterator

from convviz.events import RunOutcome
from convviz.memory import memory_report
from convviz.rates import checked_learning_rate
from convviz.run import BATCH_DONE, RunSession
from convviz.sweepplan import (
    EVAL_POINTS,
    FULL_BATCH,
    AccuracyPoint,
    NoiseMeasured,
    RunResult,
    StepMemory,
    SweepDone,
    SweepPlan,
    SweepResult,
    SweepRunInfo,
    SweepStarted,
    available_memory,
    rate_for,
)


def _limited(data, train_limit: int | None, eval_images: int):
    n = len(data.train_labels) if train_limit is None else min(train_limit, len(data.train_labels))
    return dataclasses.replace(
        data,
        train_images=data.train_images[:n],
        train_labels=data.train_labels[:n],
        test_images=data.test_images[:eval_images],
        test_labels=data.test_labels[:eval_images],
    )


def _import_noise():
    from convviz import noise

    return noise


class SweepSession:
    """One sweep as a generator of events (see the module docstring). ``stop()`` and
    ``set_learning_rate()`` may be called from any thread."""

    def __init__(self, plan: SweepPlan, data, noise_imports: Callable[[], object] = _import_noise, **session_options):
        self.plan = plan.validate()
        self.data = _limited(data, plan.train_limit, plan.eval_images)
        self._imports = noise_imports
        self.train_size = len(self.data.train_labels)
        sizes = [min(int(b), self.train_size) for b in plan.batch_sizes]
        self.sessions = [
            RunSession(
                plan.config(b, self.train_size),
                self.data,
                run_id=i + 1,
                timeline=False,
                snapshots=False,
                keep_weights=False,
                **session_options,
            )
            for i, b in enumerate(sizes)
        ]
        self.result: SweepResult | None = None
        self._stopped = False
        nearest = min(range(len(sizes)), key=lambda i: (abs(math.log(sizes[i] / plan.base_batch)), sizes[i]))
        self.shared_run = nearest  # whose weights the noise meter reads
        self._final_weights = None  # the shared run's, for the meter's last reading

    def stop(self) -> None:
        self._stopped = True
        for s in self.sessions:
            s.stop()

    def set_learning_rate(self, rate: float) -> float:
        """A new rate for ``base_batch``; every run gets it through the policy at its next batch."""
        rate = checked_learning_rate(rate)
        for s in self.sessions:
            s.set_learning_rate(rate_for(self.plan.lr_policy, rate, s.config.batch_size, self.plan.base_batch))
        return rate

    def __iter__(self) -> Iterator:
        plan = self.plan
        noise = self._imports()
        full = memory_report(plan.arch, FULL_BATCH, n_images=FULL_BATCH).total_batch_bytes
        available = available_memory()
        results = [
            RunResult(
                s.config.batch_size,
                s.config.learning_rate,
                memory_report(plan.arch, s.config.batch_size, n_images=self.train_size).total_batch_bytes,
            )
            for s in self.sessions
        ]
        self.result = SweepResult(plan, results, full_batch_bytes=int(full), available_bytes=available)
        infos = tuple(
            SweepRunInfo(s.run_id, r.batch_size, r.learning_rate, r.memory_predicted_bytes)
            for s, r in zip(self.sessions, results)
        )
        yield SweepStarted(plan, infos, int(full), available, None if available is None else full <= available)
        if plan.measure_memory:
            for s, r in zip(self.sessions, results):
                if self._stopped:
                    break
                b = r.batch_size
                r.memory_measured_bytes = noise.step_memory(
                    s.config, self.data.train_images[:b], self.data.train_labels[:b]
                )
                yield StepMemory(s.run_id, b, r.memory_predicted_bytes, r.memory_measured_bytes)
        probe = noise.GradientProbe(plan.arch)
        try:
            yield from self._train(noise, probe, results)
            if plan.noise and not self._stopped:
                trainer = self.sessions[self.shared_run]
                weights = self._final_weights
                if weights is not None:
                    yield from self._noise(noise, probe, weights, trainer.losses.size, "end")
        finally:
            probe.close()
            for s in self.sessions:
                s.close()
        yield SweepDone(self.result)

    def _noise(self, noise, probe, weights, step: int, label: str):
        plan = self.plan
        reading = noise.noise_reading(
            probe,
            weights,
            self.data.train_images,
            self.data.train_labels,
            [r.batch_size for r in self.result.runs],
            seed=plan.seed,
            n_batches=plan.noise_batches,
            large=plan.large_sample,
            step=step,
        )
        self.result.readings.append((label, reading))
        for r, c in zip(self.result.runs, reading.cosines):
            r.gradient_cosine = c
        yield NoiseMeasured(reading, label)

    def _accuracy(self, probe, session) -> float:
        probe.set_weights(session.trainer.weights())
        return probe.accuracy(self.data.test_images, self.data.test_labels)

    def _train(self, noise, probe, results):
        plan = self.plan
        every = max(1, plan.max_examples // EVAL_POINTS)
        generators = [s.batches() for s in self.sessions]
        live = list(range(len(self.sessions)))
        next_eval = [every] * len(self.sessions)
        warm = not plan.noise
        while live:
            for i in list(live):
                s, r = self.sessions[i], results[i]
                event = next(generators[i], None)
                if event is None:
                    live.remove(i)
                    continue
                if event is not BATCH_DONE:
                    if isinstance(event, RunOutcome):
                        r.final_accuracy = event.test_accuracy
                        r.images_per_second = float(s.trainer.images_per_second) if s.trainer is not None else 0.0
                        if i == self.shared_run and s.trainer is not None:
                            self._final_weights = event.weights or s.trainer.weights()
                    yield event
                    continue
                t = s.trainer
                seen = t.images_trained
                r.images_per_second = float(t.images_per_second)
                if seen >= next_eval[i] or seen >= plan.max_examples:
                    next_eval[i] = (seen // every + 1) * every
                    step = int(s.losses.last("steps"))
                    point = AccuracyPoint(s.run_id, r.batch_size, step, seen, float(t.train_seconds), 0.0)
                    point = dataclasses.replace(point, accuracy=self._accuracy(probe, s))
                    r.points.append(point)
                    yield point
                    if r.steps_to_target is None and point.accuracy >= plan.target:
                        r.steps_to_target, r.examples_to_target = point.step, point.examples_seen
                        r.seconds_to_target = point.seconds
                if seen >= plan.max_examples or r.steps_to_target is not None:
                    s.stop()  # the budget is spent, or the target reached: the run ends before its next batch
                if not warm and i == self.shared_run and seen >= min(plan.warmup, plan.max_examples):
                    warm = True
                    yield from self._noise(noise, probe, t.weights(), int(s.losses.last("steps")), "warm-up")
