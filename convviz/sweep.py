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
from dataclasses import dataclass, field
from typing import Callable, Iterator

from convviz.config import BATCHINGS, TrainConfig
from convviz.constants import NUM_TRAIN
from convviz.errors import ConfigError
from convviz.events import RunOutcome
from convviz.memory import memory_report
from convviz.rates import MAX_RATE, checked_learning_rate
from convviz.run import BATCH_DONE, RunSession

POLICIES = ("fixed", "linear", "sqrt")
DEFAULT_BATCH_SIZES = (8, 32, 128, 512, 2048)
BASE_BATCH = 64  # the batch size the given learning rate is meant for (TrainConfig's default batch)
MAX_RUNS = 8  # batch sizes one sweep compares
EVAL_POINTS = 24  # accuracy measurements per run over its budget
KNEE_SHARE = 0.8  # the knee: the smallest B whose images/s reach this share of the fastest B's
FULL_BATCH = NUM_TRAIN


def rate_for(policy: str, rate: float, batch_size: int, base_batch: int = BASE_BATCH) -> float:
    """The learning rate ``policy`` gives batch size ``batch_size`` when ``rate`` is meant for ``base_batch``."""
    if policy == "fixed":
        scaled = rate
    elif policy == "linear":
        scaled = rate * batch_size / base_batch
    elif policy == "sqrt":
        scaled = rate * math.sqrt(batch_size / base_batch)
    else:
        raise ConfigError(f"unknown learning-rate policy {policy!r}; choose one of {', '.join(POLICIES)}")
    return min(max(scaled, 1e-8), MAX_RATE)


def parse_batch_sizes(text: str) -> tuple:
    """``"16,64,256"`` as a tuple of ints, each 1 to 60,000, at most MAX_RUNS, no repeats; ConfigError else."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise ConfigError("name at least one batch size, e.g. 16,64,256")
    sizes = []
    for p in parts:
        try:
            b = int(p)
        except ValueError:
            raise ConfigError(f"a batch size is a whole number, not {p[:20]!r}") from None
        if not 1 <= b <= NUM_TRAIN:
            raise ConfigError(f"batch size must be between 1 and {NUM_TRAIN}, got {b}")
        sizes.append(b)
    if len(sizes) > MAX_RUNS:
        raise ConfigError(f"a sweep compares at most {MAX_RUNS} batch sizes, got {len(sizes)}")
    if len(set(sizes)) != len(sizes):
        raise ConfigError("a batch size is named twice")
    return tuple(sorted(sizes))


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep trains; :meth:`validate` says what is wrong in one line."""

    arch: str = "lenet5"
    batch_sizes: tuple = DEFAULT_BATCH_SIZES
    target: float = 0.95  # test accuracy to reach
    max_examples: int = 60_000  # images each run may train on
    lr_policy: str = "fixed"
    learning_rate: float = 1e-3  # for base_batch
    base_batch: int = BASE_BATCH
    optimizer: str = "adam"
    batching: str = "numpy"
    seed: int = 0
    train_limit: int | None = None
    eval_images: int = 2000  # test digits each accuracy point is measured on
    noise: bool = True  # the gradient-noise meter
    noise_batches: int = 20
    large_sample: int = 10_000
    warmup: int = 2000  # images the shared weights have trained for the first noise reading
    measure_memory: bool = True

    def validate(self) -> SweepPlan:
        sizes = tuple(self.batch_sizes)
        if not sizes or len(sizes) > MAX_RUNS:
            raise ConfigError(f"a sweep compares 1 to {MAX_RUNS} batch sizes, got {len(sizes)}")
        for b in sizes:
            if not 1 <= int(b) <= NUM_TRAIN:
                raise ConfigError(f"batch size must be between 1 and {NUM_TRAIN}, got {b}")
        if not (isinstance(self.target, (int, float)) and 0 < self.target <= 1):
            raise ConfigError(f"the target accuracy must be above 0 and at most 1, got {self.target}")
        if self.lr_policy not in POLICIES:
            raise ConfigError(f"unknown learning-rate policy {self.lr_policy!r}; choose one of {', '.join(POLICIES)}")
        if self.batching not in BATCHINGS:
            raise ConfigError(f"unknown batching {self.batching!r}; choose one of {', '.join(BATCHINGS)}")
        if not 1 <= self.max_examples <= 100 * NUM_TRAIN:
            raise ConfigError(f"--max-examples must be between 1 and {100 * NUM_TRAIN}, got {self.max_examples}")
        if not 1 <= self.base_batch <= NUM_TRAIN:
            raise ConfigError(f"the base batch must be between 1 and {NUM_TRAIN}, got {self.base_batch}")
        if not 2 <= self.noise_batches <= 1000 or not 1 <= self.large_sample <= NUM_TRAIN:
            raise ConfigError("the noise meter needs 2 to 1000 mini-batches and a sample of 1 to 60000 images")
        if not 1 <= self.eval_images <= 10_000:
            raise ConfigError(f"accuracy is measured on 1 to 10000 test images, got {self.eval_images}")
        checked_learning_rate(self.learning_rate)
        for b in sizes:
            self.config(int(b)).validate()  # the network, optimizer and seed, checked once per B
        return self

    def config(self, batch_size: int, train_size: int = NUM_TRAIN) -> TrainConfig:
        epochs = max(1, math.ceil(self.max_examples / max(train_size, 1)))
        return TrainConfig(
            arch=self.arch,
            batching=self.batching,
            batch_size=int(batch_size),
            epochs=min(epochs, 1000),
            learning_rate=rate_for(self.lr_policy, self.learning_rate, int(batch_size), self.base_batch),
            optimizer=self.optimizer,
            seed=self.seed,
            train_limit=self.train_limit,
            eval_batch_size=1000,
        )


# -- the sweep's own events --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepRunInfo:
    run_id: int
    batch_size: int
    learning_rate: float
    memory_predicted_bytes: int


@dataclass(frozen=True)
class SweepStarted:
    plan: SweepPlan
    runs: tuple  # of SweepRunInfo
    full_batch_bytes: int  # one step of the full batch (60,000), predicted
    available_bytes: int | None  # MemAvailable of this machine, if known
    full_batch_fits: bool | None


@dataclass(frozen=True)
class StepMemory:
    run_id: int
    batch_size: int
    predicted_bytes: int
    measured_bytes: int


@dataclass(frozen=True)
class AccuracyPoint:
    run_id: int
    batch_size: int
    step: int
    examples_seen: int
    seconds: float  # the run's training-loop seconds
    accuracy: float


@dataclass(frozen=True)
class NoiseMeasured:
    reading: object  # convviz.noise.NoiseReading
    label: str  # "warm-up" or "end"


@dataclass
class RunResult:
    batch_size: int
    learning_rate: float
    memory_predicted_bytes: int
    memory_measured_bytes: int | None = None
    steps_to_target: int | None = None
    examples_to_target: int | None = None
    seconds_to_target: float | None = None
    images_per_second: float = 0.0
    final_accuracy: float | None = None
    gradient_cosine: float | None = None
    points: list = field(default_factory=list)  # AccuracyPoints

    def to_dict(self) -> dict:
        return {
            "batch_size": self.batch_size,
            "learning_rate": self.learning_rate,
            "steps_to_target": self.steps_to_target,
            "examples_to_target": self.examples_to_target,
            "seconds_to_target": self.seconds_to_target,
            "images_per_second": self.images_per_second,
            "memory_predicted_bytes": self.memory_predicted_bytes,
            "memory_measured_bytes": self.memory_measured_bytes,
            "gradient_cosine": self.gradient_cosine,
            "final_accuracy": self.final_accuracy,
        }


@dataclass
class SweepResult:
    plan: SweepPlan
    runs: list  # of RunResult, by B
    readings: list = field(default_factory=list)  # (label, NoiseReading)
    full_batch_bytes: int = 0
    available_bytes: int | None = None

    @property
    def noise_scale(self) -> float | None:
        """B_simple of the last reading (None without one, or where the estimate is not finite)."""
        if not self.readings:
            return None
        value = self.readings[-1][1].b_simple
        return value if math.isfinite(value) else None

    @property
    def knee(self) -> int | None:
        """The smallest B whose images/s reach KNEE_SHARE of the fastest B's: past it, bigger batches
        barely train faster per image."""
        speeds = [r.images_per_second for r in self.runs]
        if not speeds or max(speeds) <= 0:
            return None
        return next(r.batch_size for r in self.runs if r.images_per_second >= KNEE_SHARE * max(speeds))

    def to_dict(self) -> dict:
        p = self.plan
        return {
            "arch": p.arch,
            "target": p.target,
            "lr_policy": p.lr_policy,
            "base_batch": p.base_batch,
            "learning_rate": p.learning_rate,
            "seed": p.seed,
            "batching": p.batching,
            "noise_scale": self.noise_scale,
            "noise": [dict(r.to_dict(), label=label) for label, r in self.readings],
            "knee_batch_size": self.knee,
            "full_batch": {
                "batch_size": FULL_BATCH,
                "memory_predicted_bytes": self.full_batch_bytes,
                "available_bytes": self.available_bytes,
                "fits": None if self.available_bytes is None else self.full_batch_bytes <= self.available_bytes,
            },
            "runs": [r.to_dict() for r in self.runs],
        }


@dataclass(frozen=True)
class SweepDone:
    result: SweepResult


def available_memory() -> int | None:
    """MemAvailable of /proc/meminfo in bytes (None where there is none)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


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

    def __init__(self, plan: SweepPlan, data, imports: Callable[[], object] = _import_noise, **session_options):
        self.plan = plan.validate()
        self.data = _limited(data, plan.train_limit, plan.eval_images)
        self._imports = imports
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
