"""What depends on the model's weights: the pad's prediction, the filters and the feature maps.

:class:`ModelViews` redraws them whenever the controller's inference model
holds new weights (a load, a training snapshot, the end of a run), and when
the user draws or picks another digit. While a run trains, a panel that
cannot be seen is not drawn: on a 2-core laptop that time would be taken from
the training step. It is drawn when its tab comes to the front.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt5 import QtCore, QtWidgets

from convviz.config import NUM_CLASSES
from convviz.gui import text
from convviz.gui.controller import Controller
from convviz.gui.drawpad import PAPER
from convviz.gui.i18n import translate
from convviz.gui.state import ModelRef, ModelRole, RunState
from convviz.preprocess import PreprocessError, Verdict, judge_drawing, to_mnist

FEATURE_MAPS_INTERVAL_S = 1.0  # during a run, the feature maps are drawn at most this often


class ModelViews(QtCore.QObject):
    """Keeps the pad's prediction, the filters and the feature maps in step with the model in use."""

    prediction_shown = QtCore.pyqtSignal(object)  # probabilities (10,) for the drawing, after they are drawn
    snapshot_shown = QtCore.pyqtSignal(int)  # a training snapshot reached the panels (its step)

    def __init__(self, controller: Controller, panels, filters, featuremaps, prediction):
        super().__init__(panels)
        self._controller, self._state = controller, controller.state
        self._panels, self._filters, self._featuremaps, self._prediction = panels, filters, featuremaps, prediction
        self._drawing28: np.ndarray | None = None
        self._maps_shown_at = -FEATURE_MAPS_INTERVAL_S
        self._maps_timer = QtCore.QTimer(self)
        self._maps_timer.setSingleShot(True)
        self._maps_timer.timeout.connect(self.show_feature_maps)
        controller.inference_changed.connect(self._on_inference_changed)
        featuremaps.digit_changed.connect(lambda _image: self.show_feature_maps())
        panels.tabs.currentChanged.connect(lambda _index: self.refresh_hidden())

    def _on_inference_changed(self, model: ModelRef) -> None:
        self.show_filters()
        self._prediction.set_message("" if self._drawing28 is not None else translate("Views", "draw a digit"))
        self.classify_drawing()
        if model.role is ModelRole.TRAINING and self._state.run_state is RunState.RUNNING:
            self._schedule_feature_maps()
        else:  # a model loaded, the end of a run, a pause or a step: the class looks at it now
            self._maps_timer.stop()
            self.show_feature_maps()
        if model.role is ModelRole.TRAINING:
            self.snapshot_shown.emit(model.step)

    def _schedule_feature_maps(self) -> None:
        """During a run: the feature maps in a later turn of the event loop, at most once a second.

        Drawing them (every layer's maps, the dense bars, the softmax) takes 30-60 ms for the cnn;
        done in the same turn as the filters and the pad, the GUI thread was busy for ~100 ms per
        snapshot and a 10 ms timer ran up to 250 ms late. A pending update draws the newest weights.
        """
        if not self._maps_timer.isActive():
            wait = FEATURE_MAPS_INTERVAL_S - (time.monotonic() - self._maps_shown_at)
            self._maps_timer.start(max(0, int(1000 * wait)))

    def set_drawing(self, image: np.ndarray) -> None:
        """The pad's image changed (280x280, dark ink on white paper)."""
        if not (image < PAPER).any():
            self._drawing28 = None
            self._prediction.clear()
            self._prediction.set_message(
                translate("Views", "draw a digit") if self._state.model is not None else text.loading()
            )
            self._featuremaps.set_drawing(None)
            return
        try:
            x = to_mnist(image, invert=True)
        except PreprocessError as exc:
            self._drawing28 = None
            self._prediction.clear()
            self._prediction.set_message(translate("Views", "Not classified: {problem}").format(problem=str(exc)))
            return
        self._drawing28 = x
        self._prediction.set_network_input(x)
        self.classify_drawing()
        self._featuremaps.set_drawing(x)  # in "use drawing" mode this updates the feature maps too

    def classify_drawing(self) -> None:
        if self._drawing28 is None:
            return
        probabilities = self._controller.predict_proba(self._drawing28)
        if probabilities is None:
            self._prediction.set_probabilities(None)
            self._prediction.set_message(
                translate("Views", "loading TensorFlow… the digit is classified when the model is ready")
            )
            return
        self._prediction.set_probabilities(probabilities)
        verdict = judge_drawing(self._drawing28, probabilities)  # a dot or a scribble is no digit
        self._prediction.set_verdict(None if verdict is Verdict.DIGIT else verdict.value)
        self._prediction.set_message("")
        self.prediction_shown.emit(probabilities)

    def _hidden_while_training(self, panel: QtWidgets.QWidget) -> bool:
        return self._state.is_training() and not self._panels.is_panel_visible(panel)

    def refresh_hidden(self) -> None:
        """Draw the panels that were skipped while hidden (a tab came to the front, or the run ended)."""
        if self._controller.inference_model() is not None:
            self.show_filters()
            self.show_feature_maps()

    def show_filters(self) -> None:
        if not self._hidden_while_training(self._filters):
            kernels = self._controller.kernels()
            if kernels is not None:
                self._filters.set_kernels(kernels)

    def show_feature_maps(self) -> None:
        if self._hidden_while_training(self._featuremaps):
            return
        self._maps_shown_at = time.monotonic()
        image = self._featuremaps.current_image()
        activations = self._controller.activations(image)
        if activations is not None:
            self._featuremaps.set_activations(activations)  # maps, then the dense layers and the softmax
            logits = activations[-1][1] if activations else None  # the last layer: the probabilities are here
            if logits is not None and np.size(logits) == NUM_CLASSES:
                z = np.asarray(logits, np.float64).ravel()
                probabilities = np.exp(z - z.max())
                self._featuremaps.set_prediction(probabilities / probabilities.sum())
            else:
                self._featuremaps.set_prediction(self._controller.predict_proba(image))
