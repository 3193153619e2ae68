"""The adversarial lab, the top-9 view and the saliency sanity check in the window: panels, jobs, wiring.

The window builds one :class:`LabPanels` and calls :meth:`LabPanels.close` when it closes.
Every TensorFlow computation goes to the window's inference service
(:mod:`convviz.gui.jobs.labjobs`); the panels get numpy back.
"""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore

from convviz.convmath import conv_layers
from convviz.gui.common.i18n import translate
from convviz.gui.controller import Controller
from convviz.gui.jobs.labjobs import (
    ATTACK,
    ROBUSTNESS,
    ROBUSTNESS_ARCHS,
    ROBUSTNESS_EPS,
    ROBUSTNESS_IMAGES,
    SANITY,
    TOPNINE,
    AttackRequest,
    LabJobs,
    RobustnessRequest,
    SanityRequest,
    TopNineRequest,
)
from convviz.gui.panels.adversarial import ADVERSARIAL_TITLE, AdversarialWidget
from convviz.gui.panels.topnine import TOPNINE_TITLE, TopNineWidget
from convviz.gui.state import AppState
from convviz.gui.window.layout import PanelArea
from convviz.gui.window.views import ModelViews
from convviz.pretrained import PRETRAINED_DIR


class LabPanels(QtCore.QObject):
    """ "Adversarial" beside Evaluation, "Top 9 digits" beside Filters, and the saliency panel's sanity check."""

    def __init__(self, state: AppState, controller: Controller, views: ModelViews, panels: PanelArea, saliency,
                 inside, parent: QtCore.QObject | None = None):  # fmt: skip
        super().__init__(parent)
        self._state, self._controller, self._views, self._panels = state, controller, views, panels
        self._saliency = saliency
        self.adversarial = AdversarialWidget()
        self.topnine = TopNineWidget()
        closing = lambda: self._controller.closing  # noqa: E731
        service = self._controller.inference_service
        self.jobs = {kind: LabJobs(kind, service, closing, self) for kind in (ATTACK, ROBUSTNESS, TOPNINE, SANITY)}
        self._topnine_model = None  # the ModelRef the ranking shown was made for
        self._attack_dirty = True
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.attack)

        panels.add_panel(ADVERSARIAL_TITLE, self.adversarial, beside="Feature maps")  # the Evaluation row is full
        panels.add_panel(TOPNINE_TITLE, self.topnine, beside="Filters")

        a = self.adversarial
        a.settings_changed.connect(self._schedule)
        a.curves_requested.connect(self.compute_curves)
        a.use_drawing_toggled.connect(self._state.choose_drawing)
        self._state.chosen_digit_changed.connect(lambda choice: a.set_use_drawing(choice.drawing))
        self._views.image_chosen.connect(lambda _chosen: self._schedule())
        self._controller.inference_changed.connect(self._on_model_changed)
        panels.panel_shown.connect(self._on_shown)
        attack = self.jobs[ATTACK]
        attack.computed.connect(self._on_attacked)
        attack.failed.connect(lambda _request, error: a.set_message(error.message))
        curves = self.jobs[ROBUSTNESS]
        curves.progressed.connect(lambda p: a.set_curves_busy(p.done, p.total))
        curves.computed.connect(self._on_curves)
        curves.failed.connect(lambda _request, error: a.set_curves_failed(error.message))

        t = self.topnine
        t.compute_requested.connect(self.compute_topnine)
        top = self.jobs[TOPNINE]
        top.progressed.connect(lambda p: t.set_busy(p.done, p.total))
        top.computed.connect(self._on_topnine)
        top.failed.connect(lambda _request, error: t.set_failed(error.message))
        inside.jobs.computed.connect(self._on_wishes)

        saliency.sanity_requested.connect(self.sanity_check)
        sanity = self.jobs[SANITY]
        sanity.computed.connect(self._on_sanity)
        sanity.failed.connect(lambda _request, error: saliency.set_sanity_message(error.message))
        self._on_model_changed(self._state.model)

    # ---- the attack on one digit ---------------------------------------------------------------
    def _schedule(self) -> None:
        self._attack_dirty = True
        if not self._timer.isActive():
            self._timer.start(30)  # the slider moves many times a second: the newest position wins

    def _on_shown(self) -> None:
        if self._attack_dirty and self._panels.is_panel_visible(self.adversarial):
            self.attack()

    def attack(self) -> AttackRequest | None:
        """Attack the chosen digit under the model in use with the panel's settings (if the panel can be seen)."""
        model, chosen = self._state.model, self._views.chosen_image()
        if not self._panels.is_panel_visible(self.adversarial) or self._controller.closing:
            return None
        if model is None:
            self.adversarial.set_message(translate("Adversarial", "The attack appears once a model is ready."))
            return None
        if chosen is None:
            self.adversarial.set_message(translate("Adversarial", "Choose a digit (feature maps) or draw one."))
            return None
        a = self.adversarial
        label = chosen.label if chosen.source == "test" else None
        job = self.jobs[ATTACK]
        request = AttackRequest(job.number(), model.arch, model.weights, np.asarray(chosen.image, np.float32),
                                label, a.method(), a.eps(), a.target())  # fmt: skip
        self._attack_dirty = False
        job.submit(request)
        return request

    def _on_attacked(self, done) -> None:
        r = done.request
        self.adversarial.show_attack(
            r.image, done.adversarial, done.perturbation, r.eps, done.before, done.after, r.label
        )

    # ---- accuracy against epsilon ----------------------------------------------------------------
    def compute_curves(self, method: str = "fgsm") -> RobustnessRequest | None:
        data = self._state.data
        if data is None or self._controller.closing:
            self.adversarial.set_curves_failed(translate("Adversarial", "The curves need the MNIST test digits."))
            return None
        job = self.jobs[ROBUSTNESS]
        folders = tuple((arch, str(PRETRAINED_DIR / arch)) for arch in ROBUSTNESS_ARCHS)
        images, labels = data.test_images[:ROBUSTNESS_IMAGES], data.test_labels[:ROBUSTNESS_IMAGES]
        request = RobustnessRequest(job.number(), folders, images, labels, method)
        self.adversarial.set_curves_busy(0, 1)
        job.submit(request)
        return request

    def _on_curves(self, done) -> None:
        r = done.request
        self.adversarial.show_curves(np.array(ROBUSTNESS_EPS), done.curves, r.method, len(r.labels), done.seconds)

    # ---- the top 9 digits --------------------------------------------------------------------------
    def _on_model_changed(self, model) -> None:
        self._schedule()
        model = self._state.model
        if model is None:
            return
        if not conv_layers(model.arch):
            self.topnine.set_no_conv(model.arch)
        elif self._topnine_model is None or self._topnine_model.weights is not model.weights:
            self.topnine.set_stale()

    def compute_topnine(self) -> TopNineRequest | None:
        model, data = self._state.model, self._state.data
        if model is None or data is None or self._controller.closing:
            return None
        if not conv_layers(model.arch):
            self.topnine.set_no_conv(model.arch)
            return None
        job = self.jobs[TOPNINE]
        request = TopNineRequest(job.number(), model.arch, model.weights, data.test_images)
        self._topnine_model = model
        self.topnine.set_busy(0, 1)
        job.submit(request)
        return request

    def _on_topnine(self, done) -> None:
        if self._topnine_model is None or self._topnine_model.arch != done.request.arch:
            return
        self.topnine.set_result(done.layers, done.request.images, done.seconds)

    def _on_wishes(self, result) -> None:
        model = self._state.model
        if model is not None and model.arch == result.request.arch and result.request.channels is None:
            self.topnine.set_wishes(result.request.layer, result.images)

    # ---- the saliency sanity check -----------------------------------------------------------------
    def sanity_check(self) -> SanityRequest | None:
        model, chosen = self._state.model, self._views.chosen_image()
        if model is None or chosen is None or self._controller.closing:
            self._saliency.set_sanity_message(translate("Saliency", "Choose a digit (feature maps) or draw one."))
            return None
        job = self.jobs[SANITY]
        s = self._saliency
        request = SanityRequest(job.number(), model.arch, model.weights, np.asarray(chosen.image, np.float32),
                                s.method(), s.target_class())  # fmt: skip
        s.set_sanity_message(translate("Saliency", "randomising the weights …"))
        job.submit(request)
        return request

    def _on_sanity(self, done) -> None:
        c = done.check
        self._saliency.show_sanity(c.trained, c.randomised, c.correlation, c.ink_correlation, c.method)

    def close(self) -> None:
        for job in self.jobs.values():
            job.close()
