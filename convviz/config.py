"""The run's configuration (TrainConfig, a frozen dataclass) and the choices it offers.

Kept free of TensorFlow and Qt so that both sides (and the CLI) can import it
cheaply. Python 3.7 compatible: the course's original pin runs TF 1.15 on 3.7.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from convviz.constants import NUM_TEST, NUM_TRAIN
from convviz.errors import ConfigError
from convviz.netspec import SPECS, get_spec

# Largest seed: numpy's RandomState takes 32-bit seeds (the numpy batching seeds it with
# [seed, epoch]), and the tf.data shuffle seed seed * 1000 + epoch must stay within int64.
SEED_MAX = 2**32 - 1
MAX_EPOCHS = 1000  # a run of more epochs is a typo, not a plan (the full CNN run uses 15)

ARCHITECTURES = tuple(SPECS)  # the networks are defined in convviz.netspec
BATCHINGS = ("numpy", "dataset", "estimator")
OPTIMIZERS = ("adam", "sgd")

ARCH_DESCRIPTIONS = {name: spec.description for name, spec in SPECS.items()}
BATCHING_DESCRIPTIONS = {
    "numpy": "numpy: a random batch taken at the last moment, fed through placeholders",
    "dataset": "tf.data: Dataset.from_tensor_slices + shuffle + batch, initializable iterator",
    "estimator": "tf.estimator: Estimator with a model_fn returning an EstimatorSpec",
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run (and is saved beside the weights)."""

    arch: str = "cnn"  # one of ARCHITECTURES, or a spec string (convviz.netspec.parse_spec)
    batching: str = "numpy"  # one of BATCHINGS
    batch_size: int = 64  # small batches: memory stays flat and updates are frequent
    epochs: int = 1  # one epoch of the CNN already reaches ~98.5%
    optimizer: str = "adam"  # Adam forgives a poorly chosen learning rate; SGD shows why that matters
    learning_rate: float = 1e-3  # Adam's usual default; SGD wants ~0.05-0.1
    momentum: float = 0.0  # SGD only; 0 is plain gradient descent
    lr_decay: float = 1.0  # multiply the learning rate by this after every epoch; 1 keeps it constant
    seed: int = 0  # graph-level seed and batch order: the same seed gives the same run
    train_limit: int | None = None  # train on the first N images only (quick demos, tests)
    eval_batch_size: int = 1000  # test data is evaluated in batches of this size
    # A fresh random variant of every training image in every batch (convviz.augment: shift, scale,
    # rotation, slant, elastic distortion, stroke width), so the network meets more handwriting than
    # MNIST's; numpy batching only. Off by default: the shipped models were trained without it.
    augment: bool = False
    # Continental forms MNIST lacks, drawn onto its own digits (convviz.forms): a quarter of the 1s in every batch
    # get an up-stroke (a flag), a quarter of the 7s a crossbar; numpy batching only. Before ``augment`` when both.
    forms: bool = False

    def validate(self) -> TrainConfig:
        """Raise ConfigError with a one-line message for the first bad value."""
        if not isinstance(self.arch, str):
            raise ConfigError(f"the architecture must be a name or a spec string, got {type(self.arch).__name__}")
        get_spec(self.arch)  # a built-in name or a spec string such as conv32@5x5-pool2-dense128
        if self.batching not in BATCHINGS:
            raise ConfigError(f"unknown batching {self.batching!r}; choose one of {', '.join(BATCHINGS)}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if not 1 <= self.batch_size <= NUM_TRAIN:
            raise ConfigError(f"batch size must be between 1 and {NUM_TRAIN}, got {self.batch_size}")
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError(f"epochs must be between 1 and {MAX_EPOCHS}, got {self.epochs}")
        if not (self.learning_rate > 0 and self.learning_rate <= 10):
            raise ConfigError(f"learning rate must be in (0, 10], got {self.learning_rate}")
        if not 0 <= self.momentum < 1:
            raise ConfigError(f"momentum must be in [0, 1), got {self.momentum}")
        if not 0 < self.lr_decay <= 1:
            raise ConfigError(f"learning-rate decay must be in (0, 1], got {self.lr_decay}")
        if not 0 <= self.seed <= SEED_MAX:
            raise ConfigError(f"seed must be between 0 and {SEED_MAX}, got {self.seed}")
        if self.train_limit is not None and not 1 <= self.train_limit <= NUM_TRAIN:
            raise ConfigError(f"train limit must be between 1 and {NUM_TRAIN}, got {self.train_limit}")
        if not 1 <= self.eval_batch_size <= NUM_TEST:
            raise ConfigError(f"eval batch size must be between 1 and {NUM_TEST}, got {self.eval_batch_size}")
        if not isinstance(self.augment, bool):
            raise ConfigError(f"augment must be true or false, got {self.augment!r}")
        if self.augment and self.batching != "numpy":
            raise ConfigError(f"augmentation needs numpy batching, not {self.batching}")
        if not isinstance(self.forms, bool):
            raise ConfigError(f"forms must be true or false, got {self.forms!r}")
        if self.forms and self.batching != "numpy":
            raise ConfigError(f"continental forms need numpy batching, not {self.batching}")
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Build from a saved dict, ignoring keys this version does not know."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def replace(self, **changes) -> TrainConfig:
        return dataclasses.replace(self, **changes)
