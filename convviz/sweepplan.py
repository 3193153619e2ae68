"""The batch-size lab's plan, events and result: what :class:`convviz.sweep.SweepSession` is asked and yields.

No TensorFlow and no Qt (the window's sweep panel reads these; the session that trains lives in
:mod:`convviz.sweep`). The learning-rate policy scales the given rate, which is meant for
``base_batch`` images a step: ``fixed`` (every B the same rate), ``linear`` (rate x B / base_batch,
Goyal et al. 2017) or ``sqrt`` (rate x sqrt(B / base_batch)); the rate is clipped to (0, 10].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from convviz.config import BATCHINGS, TrainConfig
from convviz.constants import NUM_TRAIN
from convviz.errors import ConfigError
from convviz.rates import MAX_RATE, checked_learning_rate

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
