"""The Qt side of ConvViz, in layers (import-linter checks them, see pyproject.toml):

``window/``   the main window, its layout, menus and dialogs, and the parts it composes;
``controller`` what the app does: runs the jobs and feeds what they report into the state;
``panels/``   one widget per file: they show numpy arrays and the state, never TensorFlow;
``jobs/``     QThread jobs that pump the core's generators (a run, a replay, the inference service);
``common/``   theme, translations, tiles, small widgets, zoom, figure export;
``state/``    AppState: everything the app *is*, with no widget.

Importing this package imports no Qt.
"""
