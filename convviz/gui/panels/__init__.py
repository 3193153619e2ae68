"""The panels: one widget per file; numpy arrays and the app state in, requests out (never TensorFlow)."""
