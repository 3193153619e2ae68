"""Benchmarks of ConvViz: speed against Keras, test accuracy per epoch, peak memory (see bench/RESULTS.md)."""
