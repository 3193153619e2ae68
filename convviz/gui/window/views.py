"""What depends on the model's weights: the pad's prediction, the filters, the feature maps, the
evaluation and the saliency map.

:class:`ModelViews` redraws them whenever the controller's inference model
holds new weights (a load, a training snapshot, the end of a run), and when
the user draws or picks another digit. While a run trains, a panel that
cannot be seen is not drawn: on a 2-core laptop that time would be taken from
the training step. It is drawn when its tab comes to the front.

The digit the views of the network use is the state's chosen digit
(:attr:`~convviz.gui.state.AppState.chosen_digit`: a test image, or the drawing), which the
feature-map browser shows and changes; :attr:`ModelViews.image_chosen` announces each
choice, with its image, as a :class:`~convviz.events.ChosenImage`.

:class:`ExplainViews` keeps the evaluation view and the saliency overlay in
step: the confusion of the test set is asked for when a model is loaded, a run
ends, an epoch ends (with the first snapshot after it) and at a pause, never
per snapshot; it is computed in the controller's evaluation job. The saliency
map of the chosen digit is asked for whenever the digit, the model, the method
or the class changes, while the saliency panel can be seen; the newest request
wins, so drawing never waits for it.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt5 import QtCore, QtWidgets

from convviz.constants import NUM_CLASSES
from convviz.events import ChosenImage
from convviz.gui.common import text
from convviz.gui.common.i18n import count, translate
from convviz.gui.controller import Controller
from convviz.gui.panels.drawpad import PAPER
from convviz.gui.state import ModelRef, ModelRole, RunState
from convviz.preprocess import PreprocessError, Verdict, judge_drawing, to_mnist

FEATURE_MAPS_INTERVAL_S = 1.0  # during a run, the feature maps are drawn at most this often


class ModelViews(QtCore.QObject):
    """Keeps the pad's prediction, the filters and the feature maps in step with the model in use."""

    prediction_shown = QtCore.pyqtSignal(object)  # probabilities (10,) for the drawing, after they are drawn
    snapshot_shown = QtCore.pyqtSignal(int)  # a training snapshot reached the panels (its step)
    image_chosen = QtCore.pyqtSignal(object)  # ChosenImage: the digit the views of the network use now

    def __init__(self, controller: Controller, panels, filters, featuremaps, prediction):
        super().__init__(panels)
        self._controller, self._state = controller, controller.state
        self._panels, self._filters, self._featuremaps, self._prediction = panels, filters, featuremaps, prediction
        self._drawing28: np.ndarray | None = None
        self._chosen: ChosenImage | None = None
        self._test_digit: ChosenImage | None = None  # a test digit the prediction panel shows instead of the drawing
        self._maps_shown_at = -FEATURE_MAPS_INTERVAL_S
        self._maps_timer = QtCore.QTimer(self)
        self._maps_timer.setSingleShot(True)
        self._maps_timer.timeout.connect(self.show_feature_maps)
        self._asked: tuple | None = None  # (number, drawing) of the drawing's question not answered yet
        controller.inference_changed.connect(self._on_inference_changed)
        controller.prediction_answered.connect(self._on_prediction_answered)
        featuremaps.digit_changed.connect(self._on_digit_changed)
        panels.panel_shown.connect(self.refresh_hidden)

    def _on_digit_changed(self, image: np.ndarray) -> None:
        fm = self._featuremaps
        if self._state.chosen_digit.drawing:
            chosen = ChosenImage(np.asarray(image, np.float32).copy(), "drawing")
        else:
            chosen = ChosenImage(np.asarray(image, np.float32).copy(), "test", fm.current_index(), fm.current_label())
        self._chosen = chosen
        if not (chosen.from_drawing and not self._panels.is_panel_visible(fm)):
            # While the pen moves the drawing changes ~20 times a second: hidden maps are drawn when
            # their tab comes to the front (refresh_hidden), not at every change (30-60 ms each, cnn).
            self.show_feature_maps()
        self.image_chosen.emit(chosen)

    def chosen_image(self) -> ChosenImage | None:
        """The digit the views of the network use now (None before MNIST or a drawing); see image_chosen."""
        return self._chosen

    def show_test_digit(self, index: int) -> None:
        """Test image ``index`` becomes the chosen digit (the feature maps) and the prediction panel's.

        The prediction panel shows it until the user draws again.
        """
        self._state.choose_test_digit(index)  # -> the feature maps' digit_changed -> the maps, image_chosen
        chosen = self._chosen
        if chosen is None or chosen.source != "test" or chosen.index != index:
            return
        self._test_digit = chosen
        self._prediction.set_network_input(chosen.image)
        self.classify_drawing()

    def _on_inference_changed(self, model: ModelRef) -> None:
        self.show_filters()
        shows_digit = self._drawing28 is not None or self._test_digit is not None
        self._prediction.set_message("" if shows_digit else translate("Views", "draw a digit"))
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
        self._test_digit = None  # the pad is the prediction panel's again
        self._asked = None  # the last drawing's answer is not shown
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
        """The prediction panel's digit, classified again: the drawing, or the test digit sent to it."""
        if self._test_digit is not None:
            self._classify_test_digit(self._test_digit)
            return
        if self._drawing28 is None:
            return
        # Asked without waiting: the service may be busy with a snapshot, the pen goes on meanwhile.
        self._asked = (None, self._drawing28)  # a known answer comes before the call returns
        number = self._controller.predict_proba_later(self._drawing28)
        if self._asked is not None:
            self._asked = (number, self._drawing28)

    def prediction_pending(self) -> bool:
        """Whether the drawing's answer is still to come from the inference service."""
        return self._asked is not None

    def _on_prediction_answered(self, number: int, probabilities: np.ndarray | None) -> None:
        """The drawing's answer, shown if it is the newest question's and the drawing is still there."""
        if self._asked is None or self._asked[0] not in (None, number) or self._asked[1] is not self._drawing28:
            return
        self._asked = None
        if self._test_digit is not None:
            return  # a test digit took the prediction panel meanwhile
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

    def _classify_test_digit(self, digit: ChosenImage) -> None:
        probabilities = self._controller.predict_proba(digit.image)
        self._prediction.set_probabilities(probabilities)
        self._prediction.set_verdict(None)
        shown = translate("Views", "test image {index}, label {label}").format(index=digit.index, label=digit.label)
        self._prediction.set_message(shown)

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


class ExplainViews(QtCore.QObject):
    """Keeps the evaluation view, the mistake buttons and the saliency overlay in step with the model in use."""

    def __init__(self, controller: Controller, views: ModelViews, panels, featuremaps, evaluation, saliency):
        super().__init__(panels)
        self._controller, self._state = controller, controller.state
        self._views, self._panels = views, panels
        self._featuremaps, self._evaluation, self._saliency = featuremaps, evaluation, saliency
        self._asked_for: ModelRef | None = None  # the model whose evaluation was asked for last
        self._shown_done = None  # the EvaluationDone shown
        self._epoch_seen = -1  # examples seen at the end of the newest epoch not evaluated yet (-1: none)
        self._evaluation_stale = False  # an epoch ended behind the hidden evaluation panel: evaluate when shown
        self._saliency_newest = 0  # the newest saliency request's number
        self._saliency_shown = 0  # the number of the request whose map is shown
        self._saliency_asked: tuple | None = None  # (image, model, method, class) asked for last

        state, c = self._state, controller
        state.model_changed.connect(self._on_model_changed)
        state.data_changed.connect(self._on_data_changed)
        state.epoch_added.connect(self._on_epoch_added)
        state.run_state_changed.connect(self._on_run_state_changed)
        c.evaluation_done.connect(self._on_evaluation_done)
        c.evaluation_failed.connect(self._on_evaluation_failed)
        c.inference_changed.connect(lambda _model: self.explain())
        c.saliency_done.connect(self._on_saliency_done)
        c.saliency_failed.connect(self._on_saliency_failed)
        evaluation.digit_clicked.connect(views.show_test_digit)
        evaluation.gallery.itemDoubleClicked.connect(lambda _item: panels.show_panel("Feature maps"))
        evaluation.refresh_requested.connect(lambda: self.evaluate(force=True))
        views.image_chosen.connect(self._on_image_chosen)
        saliency.settings_changed.connect(self.explain)
        saliency.use_drawing_toggled.connect(self._state.choose_drawing)
        self._state.chosen_digit_changed.connect(lambda choice: saliency.set_use_drawing(choice.drawing))
        panels.panel_shown.connect(lambda: QtCore.QTimer.singleShot(0, self.explain))
        panels.panel_shown.connect(self._on_panel_shown)
        self._show_evaluation_status()

    # ---- the evaluation ---------------------------------------------------------------------------
    def evaluate(self, force: bool = False) -> int | None:
        """Ask for the confusion under the model in use (again with ``force``, else once per model)."""
        model = self._state.model
        if model is None or self._state.data is None:
            self._show_evaluation_status()
            return None
        if model is self._asked_for and not force:
            return None
        asked = self._asked_for
        if not force and asked is not None and asked.arch == model.arch and asked.weights is model.weights:
            # The same weights in another role: a run's end (its final weights are its last snapshot's,
            # whose confusion was asked for after the last epoch or at a pause). Classifying the test set
            # again took the cnn another 2-5 s of both cores, into the next run's start.
            self._asked_for = model
            done = self._shown_done
            if done is not None and done.model.weights is model.weights and not self._controller.evaluation_pending:
                self._evaluation.set_confusion(done.confusion, text.describe_model(model))
            return None
        request = self._controller.evaluate(model)
        if request is not None:
            if model.role is not ModelRole.TRAINING:  # other weights: their mistakes are not known yet
                self._featuremaps.set_mistakes(None)
            self._asked_for = model
            self._show_classifying()
        return request

    def _show_classifying(self) -> None:
        line = translate("Views", "classifying the {count} test images…")
        self._evaluation.set_status(line.format(count=count(len(self._state.data.test_labels))))

    def _on_model_changed(self, model: ModelRef | None) -> None:
        if model is None:
            return
        if model.role is not ModelRole.TRAINING:
            self.evaluate()  # pretrained, loaded, untrained, or the run's final weights
        elif self._state.run_state in (RunState.PAUSED, RunState.STEPPING):
            self.evaluate()  # the weights at a pause, or after a step
        elif 0 <= self._epoch_seen <= model.examples_seen:
            self._epoch_seen = -1
            self._evaluate_while_running()  # the first snapshot after an epoch

    def _on_epoch_added(self, report) -> None:
        if not self._state.is_main(report.run_id):
            return
        model = self._state.model
        if model is not None and model.role is ModelRole.TRAINING and model.examples_seen >= report.examples_seen:
            self._evaluate_while_running()
        else:
            self._epoch_seen = report.examples_seen  # the snapshot after the epoch's last batch is on its way

    def _evaluate_while_running(self) -> None:
        """After an epoch: the confusion now if the evaluation panel can be seen, else when it comes to the front.

        Classifying the 10,000 test images takes the cnn ~2-5 s of both cores: done behind a hidden panel
        it slowed the next epoch's training by a sixth (the run's own test accuracy is measured anyway).
        """
        if self._panels.is_panel_visible(self._evaluation):
            self.evaluate()
        else:
            self._evaluation_stale = True

    def _on_panel_shown(self) -> None:
        if self._evaluation_stale and self._panels.is_panel_visible(self._evaluation):
            self._evaluation_stale = False
            self.evaluate()

    def _on_run_state_changed(self, run) -> None:
        if not self._state.is_main(run.id):
            return
        if run.state is RunState.BUILDING:
            # The model in use is about to become the run's: a confusion still being computed for the
            # one before (the pretrained model's, asked at start-up) would take the run's first seconds.
            model = self._asked_for
            if model is not None and model.role is not ModelRole.TRAINING and self._controller.evaluation_pending:
                self._controller.cancel_evaluation()
                self._asked_for = None
                self._evaluation.set_status("")
        if run.state is RunState.PAUSED:
            self._evaluation_stale = False
            self.evaluate()  # the weights shown at the pause (a later snapshot asks again)

    def _on_data_changed(self, data) -> None:
        self._evaluation.set_test_images(data.test_images)
        self.evaluate(force=True)

    def _on_evaluation_done(self, done) -> None:
        confusion = done.confusion
        self._shown_done = done
        asked = self._asked_for  # the same weights may have become the run's final model meanwhile
        model = asked if asked is not None and asked.weights is done.model.weights else done.model
        self._evaluation.set_confusion(confusion, text.describe_model(model))
        self._featuremaps.set_mistakes(np.asarray(confusion.mistakes()))
        if self._controller.evaluation_pending:
            self._show_classifying()
        else:
            self._evaluation.set_status("")

    def _on_evaluation_failed(self, error) -> None:
        frame = translate("Views", "The test images could not be classified: {message}")
        self._evaluation.set_status(frame.format(message=error.message))

    def _show_evaluation_status(self) -> None:
        if self._state.data is None:
            self._evaluation.set_status(translate("Views", "waiting for MNIST…"))
        elif self._state.model is None:
            self._evaluation.set_status(text.loading())

    # ---- saliency ---------------------------------------------------------------------------------
    def _on_image_chosen(self, chosen: ChosenImage) -> None:
        if chosen.from_drawing:
            self._saliency.set_caption(translate("Views", "the drawing"))
        else:
            caption = translate("Views", "test image {index}, label {label}")
            self._saliency.set_caption(caption.format(index=chosen.index, label=chosen.label))
        self.explain()

    def explain(self) -> int | None:
        """Ask for the saliency map of the chosen digit, if the saliency panel can be seen and anything changed."""
        chosen, model = self._views.chosen_image(), self._state.model
        saliency = self._saliency
        if chosen is None or not self._panels.is_panel_visible(saliency):
            return None
        if chosen.from_drawing and not chosen.image.any():
            self._saliency.clear()
            self._saliency.set_message(translate("Views", "draw a digit"))
            self._saliency_asked = None
            return None
        if model is None or self._controller.inference_model() is None:
            self._saliency.show_input(chosen.image)
            self._saliency.set_message(text.loading())
            return None
        asked = (chosen.image, model, saliency.method(), saliency.target_class())
        before = self._saliency_asked
        if before is not None and asked[0] is before[0] and asked[1] is before[1] and asked[2:] == before[2:]:
            return None  # the same image, weights, method and class: the map shown is theirs
        self._saliency_asked = asked
        request = self._controller.explain(chosen.image, saliency.method(), saliency.target_class())
        if request is not None:
            self._saliency_newest = request
        return request

    def _on_saliency_done(self, done) -> None:
        if done.request.request < self._saliency_shown:
            return  # an older map than the one shown
        self._saliency_shown = done.request.request
        self._saliency.set_message("")
        self._saliency.show_saliency(done.request.image, done.saliency, shown_for=done)

    def _on_saliency_failed(self, error) -> None:
        self._saliency_asked = None
        frame = translate("Views", "No saliency map: {message}")
        self._saliency.set_message(frame.format(message=error.message))
