"""Shared fixtures: real MNIST, small slices of it for fast training tests."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MNIST = ROOT.parent / "shared" / "data" / "mnist"


def mnist_dir() -> Path:
    """$CONVVIZ_DATA_DIR (CI sets it: missing data must fail there) or ../shared/data/mnist."""
    return Path(os.environ.get("CONVVIZ_DATA_DIR") or DEFAULT_MNIST)


@pytest.fixture(scope="session")
def mnist():
    from convviz.data import load_mnist

    # No skip: a test that needs real MNIST fails when it is missing, so CI cannot go green without it.
    return load_mnist(mnist_dir(), download=False)


def _head(mnist, n_train: int, n_test: int):
    """The first ``n_train`` training and ``n_test`` test images of ``mnist``."""
    return dataclasses.replace(
        mnist,
        train_images=mnist.train_images[:n_train],
        train_labels=mnist.train_labels[:n_train],
        test_images=mnist.test_images[:n_test],
        test_labels=mnist.test_labels[:n_test],
    )


@pytest.fixture(scope="session")
def small_mnist(mnist):
    """2,000 training and 1,000 test images: a network trains on it in a few seconds."""
    return _head(mnist, 2000, 1000)


@pytest.fixture(scope="session")
def tiny_mnist(mnist):
    """256 training and 300 test images: enough to step every network with every strategy."""
    return _head(mnist, 256, 300)
