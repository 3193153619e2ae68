"""The embedding and diagnostics panels in the window: the panels, their jobs and the state they follow.

The window builds one :class:`LookInside` with what it needs and calls :meth:`LookInside.close`
when it closes. Both panels are drawn for the weights in use (a loaded model, every training
snapshot) while they can be seen; the work runs in the inference service
(:mod:`convviz.gui.jobs.lookjobs`), the newest request winning.
"""

from __future__ import annotations

import time

import numpy as np
from PyQt5 import QtCore, QtWidgets

from convviz import embedding as emb
from convviz.diagnostics import DIAGNOSTIC_IMAGES
from convviz.errors import ConvVizError
from convviz.gui.common.i18n import decimal, translate
from convviz.gui.controller import Controller
from convviz.gui.jobs.lookjobs import (
    DIAGNOSTICS,
    EMBEDDING,
    DiagnosticsEntry,
    DiagnosticsRequest,
    EmbeddingRequest,
    LatestJobs,
    LookResult,
)
from convviz.gui.panels.diagnostics import DIAGNOSTICS_TITLE, DiagnosticsWidget
from convviz.gui.panels.embedding import EMBEDDING_TITLE, EmbeddingWidget
from convviz.gui.state import AppState
from convviz.netspec import get_spec, layer_shapes
from convviz.preprocess import to_mnist

REFRESH_S = 0.5  # during a run, the maps and the diagnostics follow the snapshots at most this often
STAR_DELAY_MS = 40  # the drawing changes ~20 times a second while the pen moves: the newest wins
MODEL_KEY = "model"  # the diagnostics' key of a loaded model (runs are keyed by their id)
# During a run the map shares the cores with training: when the last one took longer than this share of the
# snapshot interval, the next is made of half the digits (a stratified subset of the full sample, down to
# LIVE_MIN_DIGITS); when it took under a third of it, of twice as many. At rest the map has them all.
LIVE_BUDGET = 0.8
LIVE_MIN_DIGITS = 500


def map_layers(arch: str) -> list:
    """``input`` and every layer with an activation (conv, pool, dense, logits), in order."""
    kinds = ("conv", "pool", "fc", "logits")
    return [emb.INPUT_LAYER, *(s.name for s in layer_shapes(get_spec(arch)) if s.kind in kinds)]


class LookInside(QtCore.QObject):
    """The "Embedding" and "Diagnostics" panels, kept in step with the model, the runs and the drawing."""

    def __init__(self, state: AppState, controller: Controller, views, panels, drawpad, parent=None):
        super().__init__(parent)
        self._state, self._controller, self._views, self._panels = state, controller, views, panels
        self.embedding = EmbeddingWidget()
        self.diagnostics = DiagnosticsWidget()
        self.embedding.set_tsne_available(emb.tsne_available())
        closing = lambda: self._controller.closing  # noqa: E731
        self.embedding_jobs = LatestJobs(EMBEDDING, controller.inference_service, closing, self)
        self.diagnostics_jobs = LatestJobs(DIAGNOSTICS, controller.inference_service, closing, self)
        self._samples: dict = {}  # digits -> indices, of the data in self._sample_data
        self._sample_data = None
        self._live_digits = emb.SAMPLE_SIZE  # the map's digits during a run (see LIVE_BUDGET)
        self._last = None  # the last Embedding (its PCA directions keep their sign)
        self._arch = None
        self._drawing = None  # the pad's image (280x280), None: nothing drawn
        self._snapshots: dict = {}  # run id -> the newest Snapshot
        self._computed: dict = {}  # (key, step) -> Diagnostics
        self._dirty = {"embedding": True, "diagnostics": True, "tsne": False}
        self._refreshed_at = {"embedding": -REFRESH_S, "diagnostics": -REFRESH_S}
        self._cost = {"embedding": 0.0, "diagnostics": 0.0}  # seconds the last result took to compute
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._star_timer = QtCore.QTimer(self)
        self._star_timer.setSingleShot(True)
        self._star_timer.timeout.connect(self._update_star)

        # second-level tabs: at 1024x768 the first level has no room for two more
        panels.add_panel(EMBEDDING_TITLE, self.embedding, beside="Feature maps")
        panels.add_panel(DIAGNOSTICS_TITLE, self.diagnostics, beside="Loss")
        controller.inference_changed.connect(lambda _model: self._changed("embedding"))
        state.snapshot_added.connect(self._on_snapshot)
        state.run_added.connect(lambda _run: self._changed("diagnostics"))
        state.run_state_changed.connect(self._on_run_state)
        state.model_changed.connect(lambda _model: self._changed("diagnostics"))
        panels.panel_shown.connect(self._on_shown)
        drawpad.drawing_changed.connect(self._on_drawing)
        self.embedding.layers_changed.connect(lambda _layers: self._changed("embedding", at_once=True))
        self.embedding.method_changed.connect(self._on_method)
        self.embedding.digit_clicked.connect(self._views.show_test_digit)
        self.diagnostics.other_chosen.connect(lambda _key: self._changed("diagnostics", at_once=True))
        self.embedding_jobs.computed.connect(self._on_embedding)
        self.embedding_jobs.failed.connect(lambda error: self.embedding.set_failed(error.message))
        self.diagnostics_jobs.computed.connect(self._on_diagnostics)
        self.diagnostics_jobs.failed.connect(lambda error: self.diagnostics.set_status(error.message))

    def busy(self) -> bool:
        """Whether a map, the diagnostics or the drawing's star is still to come: due or being computed."""
        timers = self._timer.isActive() or self._star_timer.isActive()
        return timers or self.embedding_jobs.busy() or self.diagnostics_jobs.busy()

    # ---- when to draw --------------------------------------------------------------------------
    def _visible(self, widget: QtWidgets.QWidget) -> bool:
        return self._panels.is_panel_visible(widget)

    def _changed(self, which: str, at_once: bool = False) -> None:
        self._dirty[which] = True
        if at_once or not self._state.is_training():
            delay = 0
        else:
            # at least as long as the last one took between two: the service's thread shares the cores with training
            interval = max(REFRESH_S, self._cost[which])
            delay = max(0.0, interval - (time.monotonic() - self._refreshed_at[which]))
        if not self._timer.isActive() or delay == 0:
            self._timer.start(int(1000 * delay))

    def _on_shown(self) -> None:
        if any(self._dirty.values()):
            self.refresh()

    def _on_snapshot(self, snapshot) -> None:
        self._snapshots[snapshot.run_id] = snapshot
        self._changed("diagnostics")

    def refresh(self) -> None:
        """Ask for what the visible panels need now (a hidden panel waits until it is shown)."""
        if self._dirty["embedding"] and self._visible(self.embedding):
            self._request_embedding()
        if self._dirty["diagnostics"] and self._visible(self.diagnostics):
            self._request_diagnostics()

    # ---- the embedding -------------------------------------------------------------------------
    def _sample_of(self, data, digits: int = emb.SAMPLE_SIZE):
        if self._sample_data is not data:
            self._sample_data, self._samples = data, {}
        if digits not in self._samples:
            self._samples[digits] = emb.stratified_sample(data.test_labels, digits)
        return self._samples[digits]

    def _on_run_state(self, _run) -> None:
        # a map made of fewer digits during the run gives way to the whole sample when it ends
        shown = self._last
        if not self._state.is_training() and shown is not None and len(shown.indices) < emb.SAMPLE_SIZE:
            self._changed("embedding")

    def _request_embedding(self, method: str | None = None) -> None:
        model, data = self._state.model, self._state.data
        if model is None or data is None:
            self.embedding.set_waiting(translate("Embedding", "The maps appear once a model and MNIST are ready."))
            return
        if model.arch != self._arch:
            self._arch, self._last = model.arch, None
            spec = get_spec(model.arch)
            note = ""
            if not any(s.kind == "conv" for s in layer_shapes(spec)):
                note = translate("Embedding", "No conv layers here: the maps show the input, dense layers and logits.")
            self.embedding.set_layers(map_layers(model.arch), note)
        method = method or self.embedding.method()
        if method == "tsne" and self._last is not None and self._last.method == "tsne" and not self._dirty["tsne"]:
            self._dirty["embedding"] = False
            return  # t-SNE is made on request, not for every snapshot
        self._dirty["embedding"] = False
        self._dirty["tsne"] = False
        self._refreshed_at["embedding"] = time.monotonic()
        live = self._state.is_training() and method == "pca"
        indices = self._sample_of(data, self._live_digits if live else emb.SAMPLE_SIZE)
        previous = self._last if self._last is not None and self._last.method == "pca" else None
        request = EmbeddingRequest(
            self.embedding_jobs.next_number(),
            model.arch,
            model.weights,
            data.test_images[indices],
            data.test_labels[indices],
            indices,
            method,
            tuple(self.embedding.chosen_layers()),
            previous,
            model.step,
        )
        if method == "tsne" or self._last is None:
            self.embedding.set_busy()
        self.embedding_jobs.submit(request)

    def _on_method(self, method: str) -> None:
        self._dirty["tsne"] = True
        self._dirty["embedding"] = True
        self._request_embedding(method)

    def _on_embedding(self, result: LookResult) -> None:
        model = self._state.model
        if model is None or model.arch != result.request.arch:
            return
        self._last = result.value
        self._cost["embedding"] = result.seconds
        if self._state.is_training() and result.value.method == "pca":
            digits = len(result.value.indices)
            if result.seconds > LIVE_BUDGET * REFRESH_S and digits > LIVE_MIN_DIGITS:
                self._live_digits = max(LIVE_MIN_DIGITS, digits // 2)
            elif result.seconds < LIVE_BUDGET * REFRESH_S / 3 and digits < emb.SAMPLE_SIZE:
                self._live_digits = min(emb.SAMPLE_SIZE, digits * 2)
        self.embedding.set_embedding(result.value, result.request.step, result.seconds)
        self._update_star()

    def _on_drawing(self, image: np.ndarray) -> None:
        self._drawing = image
        if not self._star_timer.isActive():
            self._star_timer.start(STAR_DELAY_MS)

    def _update_star(self) -> None:
        """The drawing's point in every PCA map: its activations, projected as the sample's were."""
        shown = self._last
        if shown is None or shown.method != "pca" or self._drawing is None or not self._visible(self.embedding):
            self.embedding.set_star({})
            return
        try:
            x = to_mnist(self._drawing, invert=True)
        except (ConvVizError, ValueError):  # nothing drawn
            self.embedding.set_star({})
            return
        activations = self._controller.activations(x)
        if activations is None:
            return
        values = {emb.INPUT_LAYER: x, **dict(activations)}
        points = {}
        for m in shown.maps:
            if m.projection is not None and m.layer in values:
                try:
                    points[m.layer] = m.projection.project_activation(values[m.layer])
                except ValueError:  # another network's activations, in the moment it changes
                    continue
        self.embedding.set_star(points)

    # ---- the diagnostics -----------------------------------------------------------------------
    def _title(self, run) -> str:
        return translate("Diagnostics", "Run {id}: {arch}, lr {lr}").format(
            id=run.id, arch=run.config.arch, lr=decimal(run.config.learning_rate)
        )

    def _entries(self) -> tuple:
        """(left, right) DiagnosticsEntry (or None): the main run or the model in use; the chosen other run."""
        runs = [r for r in self._state.runs if r.id in self._snapshots]
        main = self._state.run
        left = None
        if main is not None and main.id in self._snapshots:
            left = self._entry(main.id, self._title(main), self._snapshots[main.id])
        elif self._state.model is not None:
            model = self._state.model
            title = translate("Diagnostics", "Model in use: {arch}").format(arch=model.arch)
            left = DiagnosticsEntry(MODEL_KEY, str(title), model.arch, model.weights, int(model.step or 0))
        others = [r for r in reversed(runs) if left is None or r.id != left.key]
        rival = self._state.rival
        default = rival.id if rival is not None else (others[0].id if others else None)
        chosen = self.diagnostics.other()
        self.diagnostics.set_choices([(r.id, str(self._title(r))) for r in others], chosen if chosen else default)
        key = self.diagnostics.other()
        right = None
        if key in self._snapshots:
            run = self._state.run_by_id(key)
            if run is not None:
                right = self._entry(key, self._title(run), self._snapshots[key])
        return left, right

    @staticmethod
    def _entry(key, title, snapshot) -> DiagnosticsEntry:
        return DiagnosticsEntry(key, str(title), snapshot.arch, snapshot.weights, snapshot.step, snapshot.update_ratios)

    def _request_diagnostics(self) -> None:
        data = self._state.data
        if data is None:
            return
        self._dirty["diagnostics"] = False
        self._refreshed_at["diagnostics"] = time.monotonic()
        sides = self._entries()
        for side, entry in enumerate(sides):
            if entry is None:
                self.diagnostics.set_side(side, "", None)
            elif (entry.key, entry.step) in self._computed:
                self.diagnostics.set_side(side, entry.title, self._computed[(entry.key, entry.step)])
        wanted = tuple(e for e in sides if e is not None and (e.key, e.step) not in self._computed)
        if not wanted:
            return
        images = data.test_images[:DIAGNOSTIC_IMAGES]
        labels = data.test_labels[:DIAGNOSTIC_IMAGES]
        self.diagnostics_jobs.submit(DiagnosticsRequest(self.diagnostics_jobs.next_number(), wanted, images, labels))

    def _on_diagnostics(self, result: LookResult) -> None:
        self._cost["diagnostics"] = result.seconds
        for entry, value in result.value:
            self._computed[(entry.key, entry.step)] = value
        if len(self._computed) > 64:  # old steps of old runs: only the newest matter
            for key in list(self._computed)[:-16]:
                del self._computed[key]
        sides = self._entries()
        for side, entry in enumerate(sides):
            if entry is not None and (entry.key, entry.step) in self._computed:
                self.diagnostics.set_side(side, entry.title, self._computed[(entry.key, entry.step)])
        self.diagnostics.set_status(
            translate("Diagnostics", "Computed in {seconds} s").format(seconds=decimal(result.seconds, 1))
        )
        if any(e is not None and (e.key, e.step) not in self._computed for e in sides):
            self._changed("diagnostics")

    # ---- closing -------------------------------------------------------------------------------
    def close(self) -> None:
        self._timer.stop()
        self._star_timer.stop()
        self.embedding_jobs.close()
        self.diagnostics_jobs.close()
