"""The jobs: QThreads that pump the core's generators (a run, a replay), and the inference service."""
