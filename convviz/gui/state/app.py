"""AppState: the state and its signals; widgets reflect it, user actions reach it as method calls."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.events import (
    EpochReport,
    ErrorInfo,
    FrameReady,
    LossChunk,
    Progress,
    RunOutcome,
    RunSaved,
    RunStatus,
    Snapshot,
)
from convviz.gui.state.inference import InferenceModels
from convviz.gui.state.records import (
    _ENDED,
    TRANSITIONS,
    DataState,
    DigitChoice,
    IllegalTransition,
    ModelRef,
    ModelRole,
    Run,
    RunState,
)


class AppState(QtCore.QObject):
    """The single owner of the app's non-widget state. Emits; never draws.

    Signals carry the new value (an enum, a :class:`ModelRef`, a :class:`Run`
    or an event dataclass), never a dict.
    """

    data_state_changed = QtCore.pyqtSignal(object)  # DataState
    data_changed = QtCore.pyqtSignal(object)  # the Mnist now in use
    model_changed = QtCore.pyqtSignal(object)  # ModelRef or None
    run_added = QtCore.pyqtSignal(object)  # Run (a new run started building)
    # One signal per kind of run event, for every run (a race's two included): each carries its run's
    # id (a Run, or an event with ``run_id``). What follows the newest run alone (the pad, the status,
    # the live curve) keeps the events for which :meth:`AppState.is_main` holds; the race's panel
    # keeps its rival's.
    run_state_changed = QtCore.pyqtSignal(object)  # Run
    losses_added = QtCore.pyqtSignal(object)  # LossChunk (already in the run's series)
    epoch_added = QtCore.pyqtSignal(object)  # EpochReport
    progress_changed = QtCore.pyqtSignal(object)  # Progress
    rate_changed = QtCore.pyqtSignal(object)  # RateChanged: a run's learning rate changed (the loss curve's marker)
    snapshot_added = QtCore.pyqtSignal(object)  # Snapshot (the main run's also becomes the model in use)
    error_raised = QtCore.pyqtSignal(object)  # ErrorInfo
    frame_added = QtCore.pyqtSignal(object)  # FrameReady: a run's filter timeline grew
    run_saved = QtCore.pyqtSignal(object)  # RunSaved: an ended run reached the store (or failed to)
    stored_runs_changed = QtCore.pyqtSignal(object)  # list of recording.StoredRun, newest first
    race_started = QtCore.pyqtSignal(object)  # (main Run, rival Run): the newest run is the main one
    # What the user is choosing: the config the controls edit (a run starts from it), the chosen digit.
    config_changed = QtCore.pyqtSignal(object)  # TrainConfig
    chosen_digit_changed = QtCore.pyqtSignal(object)  # DigitChoice
    overlays_changed = QtCore.pyqtSignal(object)  # {key: visible}: the runs overlaid in the loss plot, in order

    def __init__(self, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self._data = None
        self._data_state = DataState.NOT_LOADED
        self._data_message = ""
        self._model: ModelRef | None = None
        self._before_run: ModelRef | None = None  # the model in use before the run had weights
        self._runs: list[Run] = []
        self._stored: list = []  # recording.StoredRun of the run store, newest first
        self._unreadable: list = []  # recording.UnreadableRun: the store's files that are no valid record
        self._config = TrainConfig()
        self._chosen_digit = DigitChoice()
        self._overlays: dict = {}  # key ("run", id) or ("stored", record id) -> visible
        self.inference = InferenceModels(self)  # where each inference model stands

    # ---- what the user is choosing: the config being edited, the chosen digit -------------------
    @property
    def config(self) -> TrainConfig:
        """The config being edited in the controls: Start and Step begin a run from it (not validated here)."""
        return self._config

    def set_config(self, config: TrainConfig) -> bool:
        """The config being edited becomes ``config``; True (and ``config_changed``) when it changed."""
        if not isinstance(config, TrainConfig):
            raise TypeError(f"the config is a TrainConfig, not {type(config).__name__}")
        if config == self._config:
            return False
        self._config = config
        self.config_changed.emit(config)
        return True

    @property
    def chosen_digit(self) -> DigitChoice:
        """The digit the views of the network use: a test image or the drawing."""
        return self._chosen_digit

    def choose_digit(self, choice: DigitChoice) -> bool:
        """``choice`` becomes the chosen digit; True (and ``chosen_digit_changed``) when it changed."""
        if not isinstance(choice, DigitChoice):
            raise TypeError(f"the chosen digit is a DigitChoice, not {type(choice).__name__}")
        if choice == self._chosen_digit:
            return False
        self._chosen_digit = choice
        self.chosen_digit_changed.emit(choice)
        return True

    def choose_test_digit(self, index: int) -> bool:
        """Test image ``index`` becomes the chosen digit (the drawing no longer is)."""
        return self.choose_digit(DigitChoice(drawing=False, index=index))

    def choose_drawing(self, on: bool = True) -> bool:
        """The pad's drawing becomes the chosen digit (``on``), or the test image chosen before it does."""
        return self.choose_digit(DigitChoice(drawing=bool(on), index=self._chosen_digit.index))

    # ---- the runs overlaid in the loss plot beside the live one -----------------------------------
    @property
    def overlays(self) -> dict:
        """The overlaid runs, in the order they joined: key -> whether the curve is shown (a copy)."""
        return dict(self._overlays)

    def overlay(self, key, visible: bool = True) -> bool:
        """Overlay the run ``key`` (or show or hide it, if it is overlaid); True (and ``overlays_changed``)
        when that changed anything."""
        visible = bool(visible)
        if self._overlays.get(key) is visible:
            return False
        self._overlays[key] = visible
        self.overlays_changed.emit(self.overlays)
        return True

    def drop_overlay(self, key) -> bool:
        """The run ``key`` leaves the plot; True (and ``overlays_changed``) when it was overlaid."""
        if self._overlays.pop(key, None) is None:
            return False
        self.overlays_changed.emit(self.overlays)
        return True

    # ---- data ----------------------------------------------------------------------------------
    @property
    def data(self):
        return self._data

    @property
    def data_state(self) -> DataState:
        return self._data_state

    @property
    def data_message(self) -> str:
        """Why the data is missing or failed (empty otherwise)."""
        return self._data_message

    def set_data_state(self, state: DataState, message: str = "") -> None:
        if state is DataState.READY and self._data is None:
            raise IllegalTransition("data cannot be ready before it is set: use set_data")
        self._data_state, self._data_message = state, message
        self.data_state_changed.emit(state)

    def set_data(self, data) -> None:
        """MNIST (or a subset of it) is in memory and used from now on."""
        self._data = data
        self._data_state, self._data_message = DataState.READY, ""
        self.data_changed.emit(data)
        self.data_state_changed.emit(DataState.READY)

    # ---- models --------------------------------------------------------------------------------
    @property
    def model(self) -> ModelRef | None:
        """The model the pad, the filters and the feature maps use (None until one is loaded)."""
        return self._model

    def set_model(self, model: ModelRef) -> None:
        """A pretrained, loaded or untrained model replaces the one in use (not during a run)."""
        if model.role in (ModelRole.TRAINING, ModelRole.TRAINED):
            raise IllegalTransition(f"a {model.role.value} model comes from a run, not from set_model")
        if self.run is not None and self.run.active:
            raise IllegalTransition("the model cannot be replaced while a run is training")
        self._set_model(model)

    def _set_model(self, model: ModelRef | None) -> None:
        self._model = model
        self.model_changed.emit(model)

    # ---- runs ----------------------------------------------------------------------------------
    @property
    def runs(self) -> list[Run]:
        """Every run since the app started, oldest first."""
        return list(self._runs)

    @property
    def run(self) -> Run | None:
        """The newest run (active or not)."""
        return self._runs[-1] if self._runs else None

    @property
    def run_state(self) -> RunState:
        return self.run.state if self.run is not None else RunState.IDLE

    def is_training(self) -> bool:
        rival = self.rival
        return (self.run is not None and self.run.active) or (rival is not None and rival.active)

    @property
    def rival(self) -> Run | None:
        """The newest run's rival in a race (the other racer), or None."""
        run = self.run
        if run is None or run.race is None:
            return None
        return self.run_by_id(run.race)

    def begin_race(
        self, configs, train_size: int, totals, snapshots=(None, None), memory_bytes=(None, None)
    ) -> tuple:
        """Two runs start together: the rival (the second config), then the main run (the first), which
        becomes the newest; each names the other in ``race``. Both see ``train_size`` images per epoch."""
        if not self.can_move(RunState.BUILDING):
            raise IllegalTransition(f"a race cannot start while a run is {self.run_state.value}")
        main_config, rival_config = configs
        rival = Run(id=len(self._runs) + 1, config=rival_config, train_size=int(train_size), total_steps=int(totals[1]))
        main = Run(id=len(self._runs) + 2, config=main_config, train_size=int(train_size), total_steps=int(totals[0]))
        main.race, rival.race = rival.id, main.id
        main.snapshots, rival.snapshots = snapshots
        main.memory_bytes, rival.memory_bytes = memory_bytes
        self._runs.extend([rival, main])
        self._before_run = self._model
        self.run_added.emit(main)
        self.race_started.emit((main, rival))
        self.run_state_changed.emit(main)
        self.run_state_changed.emit(rival)
        return main, rival

    def is_main(self, run_id: int | None) -> bool:
        """Whether ``run_id`` is the newest run's: what the pad, the status and the live curve follow
        (a race's rival reports through the same signals, with its own id)."""
        run = self.run
        return run is not None and run_id == run.id

    def can_move(self, to: RunState) -> bool:
        return to in TRANSITIONS[self.run_state]

    def _move(self, to: RunState) -> Run:
        """The newest run moves (and in a race its rival, where the move is legal for it)."""
        run = self.run
        if run is None or to not in TRANSITIONS[run.state]:
            raise IllegalTransition(f"a run cannot go from {self.run_state.value} to {to.value}")
        rival = self.rival
        if rival is not None and rival.active and to in TRANSITIONS[rival.state]:
            self._move_run(rival, to)
        return self._move_run(run, to)

    def _move_run(self, run: Run, to: RunState) -> Run:
        if to not in TRANSITIONS[run.state]:
            raise IllegalTransition(f"a run cannot go from {run.state.value} to {to.value}")
        run.state = to
        if to in _ENDED:
            run.ended_at = time.time()
        self.run_state_changed.emit(run)
        return run

    def begin_run(
        self, config: TrainConfig, train_size: int, total_steps: int, snapshots=None, memory_bytes=None
    ) -> Run:
        """A new run starts building its graph; the model in use stays until the run has weights.

        ``snapshots``: its filter timeline (a recording.SnapshotLog the worker's frames fill).
        """
        if not self.can_move(RunState.BUILDING):
            raise IllegalTransition(f"a run cannot start while one is {self.run_state.value}")
        run = Run(id=len(self._runs) + 1, config=config, train_size=int(train_size), total_steps=int(total_steps))
        run.snapshots, run.memory_bytes = snapshots, memory_bytes
        self._runs.append(run)
        self._before_run = self._model
        self.run_added.emit(run)
        self.run_state_changed.emit(run)
        return run

    def pause(self) -> Run:
        return self._move(RunState.PAUSED)

    def resume(self) -> Run:
        return self._move(RunState.RUNNING)

    def step(self) -> Run:
        """A paused (or just started) run trains exactly one batch; :meth:`step_done` pauses it again."""
        return self._move(RunState.STEPPING)

    def step_done(self, run_id: int) -> Run | None:
        """The step's batch has been shown; a late report (the run resumed, stopped or ended) changes nothing."""
        run = self._current(run_id)
        if run is None or run.state is not RunState.STEPPING:
            return None
        return self._move(RunState.PAUSED)

    def stop(self) -> Run:
        return self._move(RunState.STOPPING)

    def _current(self, run_id: int) -> Run | None:
        """The run an event belongs to, if it is the active one (late events of old runs are dropped)."""
        run = self.run
        if run is not None and run.id == run_id and run.active:
            return run
        rival = self.rival
        return rival if rival is not None and rival.id == run_id and rival.active else None

    def run_by_id(self, run_id: int) -> Run | None:
        for run in self._runs:
            if run.id == run_id:
                return run
        return None

    def add_frame(self, ready: FrameReady) -> None:
        """A filter-timeline snapshot of a run: into its SnapshotLog (bounded and thinned there)."""
        run = self.run_by_id(ready.run_id)
        if run is None or run.snapshots is None:
            return
        if ready.final:
            run.snapshots.finish(ready.frame)
        elif not run.snapshots.add(ready.frame):
            return
        self.frame_added.emit(ready)

    # ---- the run store: runs of earlier sessions -----------------------------------------------
    @property
    def stored_runs(self) -> list:
        """The run store's runs (recording.StoredRun, metadata only), newest first."""
        return list(self._stored)

    @property
    def unreadable_runs(self) -> list:
        """The run store's files that did not read as records (recording.UnreadableRun), newest first."""
        return list(self._unreadable)

    def set_stored_runs(self, stored, unreadable=()) -> None:
        self._stored = list(stored)
        self._unreadable = list(unreadable)
        self.stored_runs_changed.emit(self.stored_runs)

    def record_saved(self, saved: RunSaved) -> None:
        """An ended run's record is in the store: it joins the stored runs (and evicted ones leave)."""
        run = self.run_by_id(saved.run_id)
        if saved.stored is not None:
            if run is not None:
                run.record_id = saved.stored.id
            gone = {s.id for s in saved.evicted}
            self._stored = [saved.stored] + [s for s in self._stored if s.id not in gone and s.id != saved.stored.id]
            self.stored_runs_changed.emit(self.stored_runs)
        self.run_saved.emit(saved)

    def forget_stored(self, record_id: str) -> None:
        """A stored run was deleted: it leaves the list; a run of this session keeps its curve, not its file."""
        self._stored = [s for s in self._stored if s.id != record_id]
        self._unreadable = [u for u in self._unreadable if u.id != record_id]
        for run in self._runs:
            if run.record_id == record_id:
                run.record_id, run.deleted = None, True
        self.stored_runs_changed.emit(self.stored_runs)

    def use_run_weights(self, run_id: int) -> ModelRef | None:
        """An ended run of this session: its final weights become the model in use (TRAINED)."""
        run = self.run_by_id(run_id)
        if run is None or run.active or run.final_weights is None:
            return None
        if self.is_training():
            raise IllegalTransition("the model cannot be replaced while a run is training")
        meta = dict(run.outcome.metadata)
        meta["test_accuracy"] = run.outcome.test_accuracy
        model = ModelRef(
            run.config.arch,
            ModelRole.TRAINED,
            run.final_weights,
            meta,
            run_id=run.id,
            step=run.steps_done,
            examples_seen=run.outcome.examples_seen,
        )
        self._set_model(model)
        return model

    def add_losses(self, chunk: LossChunk) -> None:
        run = self._current(chunk.run_id)
        if run is None:
            return
        run.series.append(chunk.steps, chunk.examples_seen, chunk.losses, chunk.seconds)
        if run.state is RunState.BUILDING:
            self._move_run(run, RunState.RUNNING)
        self.losses_added.emit(chunk)

    def add_epoch(self, report: EpochReport) -> None:
        run = self._current(report.run_id)
        if run is None:
            return
        run.epochs.append(report)
        self.epoch_added.emit(report)

    def add_rate_change(self, change) -> None:
        """A run's learning rate changed at ``change.step`` (an ``events.RateChanged``)."""
        if self._current(change.run_id) is not None:
            self.rate_changed.emit(change)

    def set_progress(self, progress: Progress) -> None:
        run = self._current(progress.run_id)
        if run is None:
            return
        run.progress = progress
        self.progress_changed.emit(progress)

    def add_snapshot(self, snapshot: Snapshot) -> None:
        """The main run's newest weights become the model in use: the pad follows the network as it learns.
        A race's rival's go only to ``snapshot_added`` (its own filters show them)."""
        run = self._current(snapshot.run_id)
        if run is None:
            return
        run.last_snapshot = snapshot
        if run is self.run:
            self._follow_snapshot(run, snapshot)
        self.snapshot_added.emit(snapshot)

    def _follow_snapshot(self, run: Run, snapshot: Snapshot) -> None:
        meta = {"config": run.config.to_dict(), "train_images": run.train_size}
        if run.epochs:
            meta["test_accuracy"] = run.epochs[-1].test_accuracy
            meta["epochs_completed"] = len(run.epochs)
        self._set_model(
            ModelRef(
                snapshot.arch,
                ModelRole.TRAINING,
                snapshot.weights,
                meta,
                run_id=run.id,
                step=snapshot.step,
                examples_seen=snapshot.examples_seen,
            )
        )

    def report_error(self, error: ErrorInfo) -> None:
        """An error for the user (any source); the run's own errors also end up in its record."""
        run = self.run
        if run is not None and run.active:
            run.error = error
        self.error_raised.emit(error)

    def finish(self, outcome: RunOutcome) -> Run | None:
        """The run ended: its final weights become the trained model, or the model from before comes back."""
        run = self._current(outcome.run_id)
        if run is None:
            return None
        outcome = _with_curve_of(run, outcome)
        run.outcome = outcome
        run.last_snapshot = None  # its weights are the outcome's, or a failed run's: not kept twice
        if outcome.error is not None and run.error is None:
            run.error = outcome.error
        if run is not self.run:  # a race's rival (finished before the main run): the model is the main run's
            return self._move_run(run, RunState.FAILED if outcome.status is RunStatus.FAILED else RunState.FINISHED)
        if outcome.weights is not None:
            meta = dict(outcome.metadata)
            meta["test_accuracy"] = outcome.test_accuracy
            self._set_model(
                ModelRef(
                    run.config.arch,
                    ModelRole.TRAINED,
                    outcome.weights,
                    meta,
                    run_id=run.id,
                    step=run.steps_done,
                    examples_seen=outcome.examples_seen,
                )
            )
        elif self._model is None or self._model.role is ModelRole.TRAINING:
            self._set_model(self._before_run)  # nothing learned: back to the model from before the run
        self._before_run = None
        return self._move(RunState.FAILED if outcome.status is RunStatus.FAILED else RunState.FINISHED)


def _with_curve_of(run: Run, outcome: RunOutcome) -> RunOutcome:
    """``outcome`` with its record's loss curve being ``run``'s series (views, no copy): the worker grew the
    same points in its own series, and that copy goes with the worker instead of living on beside this
    one. A record whose curve differs (chunks the state dropped) stays as the worker made it."""
    record = outcome.record
    series = run.series
    if record is None or len(record.losses) != len(series):
        return outcome
    if not (
        np.array_equal(record.losses.steps, series.view("steps"))
        and np.array_equal(record.losses.losses, series.view("losses"))
    ):
        return outcome
    return dataclasses.replace(outcome, record=dataclasses.replace(record, losses=series.curve()))
