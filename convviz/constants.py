"""MNIST's shape: the numbers every other module builds on.

Imports nothing, so that any module can take them from here: the networks'
spec (convviz.netspec) and the run configuration (convviz.config) both do,
without importing each other.
"""

from __future__ import annotations

IMAGE_SIZE = 28  # MNIST images are 28 x 28 pixels
NUM_CLASSES = 10  # digits 0-9
NUM_TRAIN = 60000  # size of the MNIST training set
NUM_TEST = 10000  # size of the MNIST test set
