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


@pytest.fixture(scope="session")
def small_mnist(mnist):
    """2,000 training and 1,000 test images: a network trains on it in a few seconds."""
    return dataclasses.replace(
        mnist,
        train_images=mnist.train_images[:2000],
        train_labels=mnist.train_labels[:2000],
        test_images=mnist.test_images[:1000],
        test_labels=mnist.test_labels[:1000],
    )


@pytest.fixture(scope="session")
def tiny_mnist(mnist):
    """256 training and 300 test images: enough to step every network with every strategy."""
    return dataclasses.replace(
        mnist,
        train_images=mnist.train_images[:256],
        train_labels=mnist.train_labels[:256],
        test_images=mnist.test_images[:300],
        test_labels=mnist.test_labels[:300],
    )
