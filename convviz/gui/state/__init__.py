"""Everything the app *is*, apart from its widgets: data, models, the training run and the run history.

napari's ``ViewerModel`` pattern: :class:`AppState` holds the state and emits
signals when it changes; widgets only reflect it, and user actions reach it
as method calls (through :mod:`convviz.gui.controller`, which also runs the
background jobs). It imports no widget, no TensorFlow and no job, so it is
tested without a window.

The training lifecycle is an explicit state machine (:data:`TRANSITIONS`);
an illegal move raises :class:`IllegalTransition` and changes nothing. Models
are :class:`ModelRef` values: numpy weights and a role, never a TensorFlow
object, so they can be kept, compared and saved from any thread.
"""

from convviz.gui.state.app import AppState
from convviz.gui.state.inference import InferenceModels, NetworkStatus
from convviz.gui.state.records import (
    TRANSITIONS,
    DataState,
    DigitChoice,
    IllegalTransition,
    ModelRef,
    ModelRole,
    Run,
    RunState,
)

__all__ = [
    "TRANSITIONS",
    "AppState",
    "DataState",
    "DigitChoice",
    "IllegalTransition",
    "InferenceModels",
    "ModelRef",
    "ModelRole",
    "NetworkStatus",
    "Run",
    "RunState",
]
