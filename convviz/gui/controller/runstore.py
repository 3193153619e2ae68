"""The controller's run store actions: save an ended run, list the store, open, load and delete a stored run.

A mixin of :class:`convviz.gui.controller.Controller`, which holds the state, the run store's folder, the
records loaded so far and the jobs; every file is read and written in a job, never on the GUI thread.
"""

from __future__ import annotations

import logging
from functools import partial

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo
from convviz.gui.common.i18n import translate
from convviz.gui.jobs.loading import StoreJob
from convviz.gui.jobs.store import StoreListJob
from convviz.gui.state import ModelRef, ModelRole
from convviz.pretrained import trained_with

log = logging.getLogger(__name__)


class RunStoreActions:
    """History across restarts: the run store's side of the controller (see the module docstring)."""

    def save_run(self, run) -> bool:
        """Save an ended run's record into the run store, in a job: the record its RunSession grew (curve,
        epochs, timeline, outcome, final weights), what ``train --record`` writes for the same run."""
        if self._closing or not self.keep_runs or run.outcome is None or run.steps_done == 0 or run.replayed:
            return False  # a replay is a record already: not saved twice
        record = run.outcome.record
        if record is None:  # the session made none: its record would not be valid (a NaN loss, say)
            log.info("run %d not saved: it has no valid record", run.id)
            return False
        job = StoreJob("save", self.runs_dir, record=record, run_id=run.id)
        job.done.connect(partial(self._on_run_saved, record))
        job.errored.connect(partial(self._error, frame=translate("Controller", "The run was not saved: {message}")))
        self._run(job)
        return True

    def _on_run_saved(self, record, saved) -> None:
        if self._closing:
            return
        if saved.stored is not None:
            self.records[saved.stored.id] = record
        self.state.record_saved(saved)

    def list_stored_runs(self, progress=None) -> None:
        """Read the run store's list (metadata only, record by record) in a job; state.stored_runs and
        state.unreadable_runs follow. ``progress(done, total)`` while it reads, on the GUI thread."""
        if self._closing:
            return
        job = StoreListJob(self.runs_dir, lambda: self._closing)
        job.listed.connect(self._on_store_listed)
        if progress is not None:
            job.progressed.connect(progress)
        job.errored.connect(
            partial(self._error, frame=translate("Controller", "Could not read the saved runs: {message}"))
        )
        self._run(job)

    def _on_store_listed(self, listing) -> None:
        if not self._closing:
            self.state.set_stored_runs(listing.runs, listing.unreadable)

    def open_run(self, run_id: int) -> bool:
        """An ended run of this session: its final weights into the pad (TRAINED). False if it has none."""
        if self.state.is_training():
            return False
        return self.state.use_run_weights(run_id) is not None

    def open_stored(self, record_id: str) -> None:
        """A stored run: its record is loaded (in a job, once), ``record_loaded`` brings it, and its final
        weights go into the pad (LOADED); a record without weights uses assets/models/<arch> if its config matches."""
        self._pending_open = record_id
        record = self.records.get(record_id)
        if record is not None:
            self._on_record_loaded(record_id, record)
            return
        job = StoreJob("load", self.runs_dir, record_id=record_id)
        job.done.connect(partial(self._on_record_loaded, record_id))
        job.errored.connect(partial(self._error, frame=translate("Controller", "Could not load the run: {message}")))
        self._run(job)

    def _on_record_loaded(self, record_id: str, record) -> None:
        if self._closing:
            return
        self.records[record_id] = record
        self.record_loaded.emit(record_id, record)
        if record_id != self._pending_open or self.state.is_training():
            return
        self.open_record(record)

    def open_record(self, record) -> bool:
        """A RunRecord's final weights become the model in use (LOADED); without weights, the pretrained
        model of its architecture when that was trained with the same config. False when neither."""
        if self.state.is_training():
            return False
        meta = {"config": dict(record.config), "train_images": record.train_size, "source": record.name or "run"}
        meta["test_accuracy"] = record.outcome.test_accuracy
        if record.final_weights is not None:
            self._model_request += 1  # a model still loading must not replace this one
            self.state.set_model(ModelRef(record.arch, ModelRole.LOADED, dict(record.final_weights), meta))
            return True
        if trained_with(self.models_dir, record.arch, record.config):
            self.load_pretrained(record.arch)
            return True
        self.message.emit(translate("Controller", "This run was saved without its weights."))
        return False

    def delete_stored(self, record_id: str) -> None:
        """Delete a stored run's file now (no undo); it leaves the list and the loaded records."""
        from convviz.recording import RunStore

        try:
            RunStore(self.runs_dir).delete(record_id)
        except (ConvVizError, OSError) as exc:
            self._error(
                ErrorInfo.from_exception(exc, str(exc), True),
                translate("Controller", "Could not delete the run: {message}"),
            )
            return
        self.records.pop(record_id, None)
        self.state.forget_stored(record_id)
