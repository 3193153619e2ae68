"""The convolution panels in the window: the panels, their jobs and the state they follow.

The window builds one :class:`InsidePanels` with what it needs (the state, the controller, the
views of the chosen digit, the panel area) and calls :meth:`InsidePanels.close` when it closes.
"""

from __future__ import annotations

import time

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common.i18n import translate
from convviz.gui.controller import Controller
from convviz.gui.jobs.insidejobs import CHOSEN_DELAY_MS, RUNNING_REFRESH_S, WishJobs, WishRequest, WishResult
from convviz.gui.panels.convolution import CONVOLUTION_TITLE, ConvolutionWidget
from convviz.gui.panels.wishes import WISHES_TITLE, FilterWishesWidget
from convviz.gui.state import AppState, RunState
from convviz.gui.window.layout import PanelArea
from convviz.gui.window.views import ModelViews


class InsidePanels(QtCore.QObject):
    """The convolution panels ("Convolution", "What filters want"), kept in step with the model and the
    chosen digit; ``convolution`` and ``wishes`` are the panels, ``jobs`` their jobs."""

    def __init__(
        self,
        state: AppState,
        controller: Controller,
        views: ModelViews,
        panels: PanelArea,
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self._state, self._controller, self._views, self._panels = state, controller, views, panels
        self.convolution = ConvolutionWidget()
        self.wishes = FilterWishesWidget()
        self.jobs = WishJobs(self._controller.inference_service, lambda: self._controller.closing, self)
        self._dirty = True  # the convolution waits for a refresh (it was hidden while training)
        self._wishes_dirty = True
        self._refreshed_at = -RUNNING_REFRESH_S
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._model_of_result = None

        panels.add_panel(CONVOLUTION_TITLE, self.convolution, beside="Feature maps")
        panels.add_panel(WISHES_TITLE, self.wishes, beside="Filters")
        self._controller.inference_changed.connect(self._on_inference_changed)
        self._views.image_chosen.connect(lambda _chosen: self._schedule(CHOSEN_DELAY_MS))
        self._state.epoch_added.connect(self._on_epoch_added)
        panels.panel_shown.connect(self._on_shown)
        self.wishes.compute_requested.connect(self.compute_wishes)
        self.wishes.cancel_requested.connect(self.jobs.cancel)
        self.jobs.started.connect(lambda request: self.wishes.set_busy(request.layer))
        self.jobs.progressed.connect(lambda p: self.wishes.set_progress(p.done, p.total))
        self.jobs.computed.connect(self._on_wishes_computed)
        self.jobs.cancelled.connect(lambda _request: self.wishes.set_cancelled())
        self.jobs.failed.connect(lambda failure: self.wishes.set_failed(failure.error.message))
        if self._state.model is not None:
            self._schedule(0)

    # ---- the convolution -----------------------------------------------------------------------
    def _visible(self, widget: QtWidgets.QWidget) -> bool:
        return self._panels.is_panel_visible(widget)

    def _on_inference_changed(self, _model) -> None:
        self._dirty = self._wishes_dirty = True
        if self._state.run_state is RunState.RUNNING:
            wait = RUNNING_REFRESH_S - (time.monotonic() - self._refreshed_at)
            self._schedule(max(0, int(1000 * wait)))
        else:
            self._schedule(0)

    def _schedule(self, delay_ms: int) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start(delay_ms)

    def _on_shown(self) -> None:
        if self._dirty or self._wishes_dirty:
            self.refresh()

    def refresh(self) -> None:
        """Draw the panels for the model in use and the chosen digit (a hidden panel waits while training)."""
        model = self._state.model
        training = self._state.is_training()
        if model is None:
            self.convolution.set_waiting(translate("Convolution", "The convolution appears once a model is ready."))
            return
        if self._wishes_dirty and not (training and not self._visible(self.wishes)):
            self.wishes.set_model(model.arch, model.weights)
            self._wishes_dirty = False
        if not self._dirty or (training and not self._visible(self.convolution)):
            return
        self._refreshed_at = time.monotonic()
        chosen = self._views.chosen_image()
        self.convolution.set_model(model.arch, model.weights)
        if chosen is None:
            self.convolution.set_waiting(translate("Convolution", "Choose a digit (feature maps) or draw one."))
            return
        activations = self._controller.activations(chosen.image)
        if activations is None:  # the inference model is being built: inference_changed follows
            return
        if chosen.source == "drawing":
            source = translate("Convolution", "the drawing")
        else:
            source = translate("Convolution", "test image {index}").format(index=chosen.index)
        self.convolution.set_image(chosen.image, activations, source)
        self._dirty = False

    # ---- what the filters want to see ----------------------------------------------------------
    def compute_wishes(self, layer: str | None = None, steps: int | None = None) -> WishRequest | None:
        """Activation maximisation for every filter of ``layer`` (the panel's choice) under the weights in use."""
        model = self._state.model
        layer = layer or self.wishes.layer()
        if model is None or layer is None or self._controller.closing:
            return None
        self._model_of_result = model
        return self.jobs.request(model.arch, model.weights, layer, steps=steps)

    def _on_wishes_computed(self, result: WishResult) -> None:
        model = self._state.model
        if model is not None and model.arch != result.request.arch:
            return  # another network by now
        self.wishes.set_result(result.request.layer, result.images, result.before, result.after, result.seconds)

    def _on_epoch_added(self, report) -> None:
        if self.wishes.auto() and self._state.is_main(report.run_id):
            self.compute_wishes()

    # ---- closing -------------------------------------------------------------------------------
    def close(self) -> None:
        """The window closes: the convolution's animation stops and the wish jobs end."""
        self.convolution.pause()
        self.jobs.close()
