"""The Qt side of ConvViz: one panel per file, plus (later) the worker bridge and the main window.

Panels take numpy arrays and never import TensorFlow; importing this package imports no Qt.
"""
