"""ConvViz: watch a convolutional neural network learn MNIST.

Importing the package loads neither Qt nor TensorFlow.
"""

__version__ = "0.1.0"
