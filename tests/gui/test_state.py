"""The application state without a window: the run lifecycle, the model roles, the run history."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convviz.config import TrainConfig
from convviz.events import EpochReport, ErrorInfo, LossChunk, Progress, RunOutcome, RunStatus, Snapshot
from convviz.gui.common.text import describe_model, run_ended
from convviz.gui.state import (
    TRANSITIONS,
    AppState,
    DataState,
    DigitChoice,
    IllegalTransition,
    ModelRef,
    ModelRole,
    RunState,
)

CONFIG = TrainConfig(arch="dense", batch_size=10, epochs=2)
WEIGHTS = {"fc1/kernel": np.zeros((784, 300), np.float32)}


def chunk(run_id: int, steps) -> LossChunk:
    steps = np.asarray(steps, np.int64)
    return LossChunk(run_id, steps, steps * 10, np.full(len(steps), 0.5, np.float32), steps * 0.01)


def pretrained(state: AppState) -> ModelRef:
    model = ModelRef("dense", ModelRole.PRETRAINED, WEIGHTS, {"test_accuracy": 0.98})
    state.set_model(model)
    return model


def recorder(signal) -> list:
    seen: list = []
    signal.connect(seen.append)
    return seen


# ---- the state machine ---------------------------------------------------------------------------


def drive_to(state: AppState, target: RunState) -> None:
    """Put ``state``'s newest run into ``target`` through legal moves only."""
    if target is RunState.IDLE:
        return
    run = state.begin_run(CONFIG, 100, 20)
    paths = {
        RunState.BUILDING: [],
        RunState.RUNNING: ["losses"],
        RunState.PAUSED: ["losses", RunState.PAUSED],
        RunState.STEPPING: ["losses", RunState.PAUSED, RunState.STEPPING],
        RunState.STOPPING: ["losses", RunState.STOPPING],
        RunState.FINISHED: ["losses", "completed"],
        RunState.FAILED: ["losses", "failed"],
    }
    for move in paths[target]:
        if move == "losses":
            state.add_losses(chunk(run.id, [1, 2]))
        elif move == "completed":
            state.finish(RunOutcome(run.id, RunStatus.COMPLETED, WEIGHTS, 0.9, 20))
        elif move == "failed":
            state.finish(RunOutcome(run.id, RunStatus.FAILED, error=ErrorInfo("TrainingError", "diverged")))
        else:
            state._move(move)
    assert state.run_state is target


@pytest.mark.parametrize("source,target", list(itertools.product(RunState, RunState)))
def test_every_transition_is_taken_or_refused_as_the_table_says(qtbot, source, target):
    state = AppState()
    drive_to(state, source)
    changes = recorder(state.run_state_changed)
    legal = target in TRANSITIONS[source]
    if target is RunState.BUILDING:
        move = lambda: state.begin_run(CONFIG, 100, 20)  # noqa: E731
    elif source is RunState.IDLE:
        move = lambda: state._move(target)  # noqa: E731  (no run: nothing can move)
    else:
        move = lambda: state._move(target)  # noqa: E731
    if legal:
        move()
        assert state.run_state is target and changes
    else:
        runs = len(state.runs)
        with pytest.raises(IllegalTransition):
            move()
        assert state.run_state is source and not changes and len(state.runs) == runs


def test_the_table_has_a_way_out_of_every_active_state_and_back_to_a_new_run():
    for active in (RunState.BUILDING, RunState.RUNNING, RunState.PAUSED, RunState.STEPPING, RunState.STOPPING):
        assert RunState.FINISHED in TRANSITIONS[active] and RunState.FAILED in TRANSITIONS[active]
    for ended in (RunState.FINISHED, RunState.FAILED):
        assert TRANSITIONS[ended] == {RunState.BUILDING}


def test_pause_resume_and_stop_through_the_public_moves(qtbot):
    state = AppState()
    run = state.begin_run(CONFIG, 100, 20)
    assert run.state is RunState.BUILDING and run.active
    state.add_losses(chunk(run.id, [1]))
    assert run.state is RunState.RUNNING  # the first step ends the building
    state.pause()
    assert run.state is RunState.PAUSED
    with pytest.raises(IllegalTransition):
        state.pause()
    state.resume()
    state.stop()
    assert run.state is RunState.STOPPING
    with pytest.raises(IllegalTransition):
        state.resume()  # a stopping run does not come back
    state.finish(RunOutcome(run.id, RunStatus.STOPPED, WEIGHTS, 0.5, 10))
    assert run.state is RunState.FINISHED and not run.active and run.ended_at is not None


def test_the_table_is_exactly_this(qtbot):
    """Written out once more, so that a changed move is a decision, not an accident."""
    active = {RunState.BUILDING, RunState.RUNNING, RunState.PAUSED, RunState.STEPPING, RunState.STOPPING}
    assert {s for s in RunState if AppState().can_move(s)} == {RunState.BUILDING}  # no run yet
    ended = {RunState.FINISHED, RunState.FAILED}
    expected = {
        RunState.IDLE: {RunState.BUILDING},
        RunState.BUILDING: {RunState.RUNNING, RunState.PAUSED, RunState.STEPPING, RunState.STOPPING, *ended},
        RunState.RUNNING: {RunState.PAUSED, RunState.STOPPING, *ended},
        RunState.PAUSED: {RunState.RUNNING, RunState.STEPPING, RunState.STOPPING, *ended},
        RunState.STEPPING: {RunState.PAUSED, RunState.RUNNING, RunState.STOPPING, *ended},
        RunState.STOPPING: ended,
        RunState.FINISHED: {RunState.BUILDING},
        RunState.FAILED: {RunState.BUILDING},
    }
    assert {k: set(v) for k, v in TRANSITIONS.items()} == expected
    for state in RunState:
        run = AppState()
        drive_to(run, state)
        assert (run.run is not None and run.run.active) == (state in active)


def test_a_step_from_a_paused_run_pauses_it_again_once_its_batch_is_shown(qtbot):
    state = AppState()
    run = state.begin_run(CONFIG, 100, 20)
    state.add_losses(chunk(run.id, [1]))
    state.pause()
    changes = recorder(state.run_state_changed)
    state.step()
    assert run.state is RunState.STEPPING and run.active
    with pytest.raises(IllegalTransition):
        state.step()  # one step at a time
    state.add_losses(chunk(run.id, [2]))
    assert run.state is RunState.STEPPING  # losses alone do not end the step
    assert state.step_done(run.id + 1) is None and run.state is RunState.STEPPING  # another run's report
    assert state.step_done(run.id) is run and run.state is RunState.PAUSED
    assert state.step_done(run.id) is None and run.state is RunState.PAUSED  # a repeated report
    assert [r.state for r in changes] == [RunState.PAUSED, RunState.PAUSED]  # two moves: STEPPING, then PAUSED
    assert changes == [run, run]
    state.step()
    state.resume()  # Resume during a step: the run goes on, the late report is ignored
    assert run.state is RunState.RUNNING
    assert state.step_done(run.id) is None and run.state is RunState.RUNNING
    state.pause()
    state.step()
    state.stop()  # Stop during a step
    assert state.step_done(run.id) is None and run.state is RunState.STOPPING
    with pytest.raises(IllegalTransition):
        state.step()


def test_step_without_a_run_starts_one_that_steps_from_building(qtbot):
    state = AppState()
    with pytest.raises(IllegalTransition):
        state.step()  # nothing to step: the controller starts a run first
    run = state.begin_run(CONFIG, 100, 20)
    state.step()
    state.add_losses(chunk(run.id, [1]))
    assert run.state is RunState.STEPPING  # not RUNNING: the first losses end BUILDING only
    state.step_done(run.id)
    assert run.state is RunState.PAUSED and run.steps_done == 1


def test_a_step_that_finds_no_batch_left_ends_with_the_run(qtbot):
    state = AppState()
    run = state.begin_run(CONFIG, 100, 20)
    state.add_losses(chunk(run.id, range(1, 21)))
    state.pause()
    state.step()  # the last batch was trained: the step runs the final evaluation
    state.finish(RunOutcome(run.id, RunStatus.COMPLETED, WEIGHTS, 0.9, 200))
    assert run.state is RunState.FINISHED and state.step_done(run.id) is None


# ---- models --------------------------------------------------------------------------------------


def test_a_run_keeps_the_old_model_until_its_first_snapshot_then_follows_it(qtbot):
    state = AppState()
    before = pretrained(state)
    run = state.begin_run(CONFIG, 100, 20)
    assert state.model is before  # nothing learned yet: the pad keeps the pretrained network
    snap = {"fc1/kernel": np.ones((784, 300), np.float32)}
    state.add_snapshot(Snapshot(run.id, "dense", 3, 30, snap))
    assert state.model.role is ModelRole.TRAINING and state.model.weights is snap and state.model.step == 3
    assert "in training · 30 images" in describe_model(state.model)
    final = {"fc1/kernel": np.full((784, 300), 2, np.float32)}
    state.finish(RunOutcome(run.id, RunStatus.COMPLETED, final, 0.93, 200, metadata={"epochs_completed": 2}))
    assert state.model.role is ModelRole.TRAINED and state.model.weights is final
    assert state.model.test_accuracy == pytest.approx(0.93)
    assert describe_model(state.model) == "trained dense · 93.00 % test accuracy"


def test_a_run_that_learned_nothing_gives_the_previous_model_back(qtbot):
    state = AppState()
    before = pretrained(state)
    run = state.begin_run(CONFIG, 100, 20)
    state.add_snapshot(Snapshot(run.id, "dense", 1, 10, WEIGHTS))
    state.finish(RunOutcome(run.id, RunStatus.FAILED, error=ErrorInfo("TrainingError", "the loss became nan")))
    assert state.model is before and state.run_state is RunState.FAILED
    assert state.run.error.message == "the loss became nan"
    assert run_ended(state.run) == "Training failed"


def test_after_stop_the_accuracy_is_that_of_the_weights_kept(qtbot):
    state = AppState()
    run = state.begin_run(CONFIG, 100, 20)
    state.add_losses(chunk(run.id, range(1, 11)))
    state.add_epoch(EpochReport(run.id, 0, 0.4, 0.80, 100, 1000.0, 1.0))
    state.add_losses(chunk(run.id, range(11, 15)))
    state.stop()
    state.finish(RunOutcome(run.id, RunStatus.STOPPED, WEIGHTS, test_accuracy=0.85, examples_seen=140))
    assert state.model.test_accuracy == pytest.approx(0.85)  # not the epoch-1 figure, 0.80
    assert run.final_accuracy == pytest.approx(0.85) and run.best_accuracy == pytest.approx(0.85)
    assert run_ended(run) == "Training stopped after 14 batches: test accuracy 85.00 %"


def test_models_cannot_be_swapped_under_a_running_run_nor_claim_to_come_from_one(qtbot):
    state = AppState()
    state.begin_run(CONFIG, 100, 20)
    with pytest.raises(IllegalTransition):
        state.set_model(ModelRef("dense", ModelRole.LOADED, WEIGHTS))
    with pytest.raises(IllegalTransition):
        AppState().set_model(ModelRef("dense", ModelRole.TRAINED, WEIGHTS))


# ---- events and history --------------------------------------------------------------------------


def test_the_run_history_keeps_every_run_with_its_curve_epochs_and_result(qtbot):
    state = AppState()
    added = recorder(state.run_added)
    for n in range(3):
        run = state.begin_run(CONFIG.replace(seed=n), 100, 20)
        state.add_losses(chunk(run.id, [1, 2, 3]))
        state.set_progress(Progress(run.id, 3, 20, 0, 500.0, 1.0))
        state.add_epoch(EpochReport(run.id, 0, 0.4, 0.7 + n / 100, 30, 500.0, 0.05))
        state.finish(RunOutcome(run.id, RunStatus.COMPLETED, WEIGHTS, 0.7 + n / 100, 30))
    assert [r.id for r in state.runs] == [1, 2, 3] == [r.id for r in added]
    assert [r.config.seed for r in state.runs] == [0, 1, 2]
    first = state.runs[0]
    curve = first.losses()
    np.testing.assert_array_equal(curve["steps"], [1, 2, 3])
    np.testing.assert_array_equal(curve["examples_seen"], [10, 20, 30])
    np.testing.assert_allclose(curve["seconds"], [0.01, 0.02, 0.03])
    assert first.epochs[0].test_accuracy == pytest.approx(0.70) and first.progress.done == 3
    assert first.final_accuracy == pytest.approx(0.70) and first.wall_seconds >= 0


def test_late_events_of_an_old_run_are_dropped(qtbot):
    state = AppState()
    old = state.begin_run(CONFIG, 100, 20)
    state.finish(RunOutcome(old.id, RunStatus.STOPPED))
    new = state.begin_run(CONFIG, 100, 20)
    losses = recorder(state.losses_added)
    state.add_losses(chunk(old.id, [5]))
    state.add_snapshot(Snapshot(old.id, "dense", 5, 50, WEIGHTS))
    assert losses == [] and new.steps_done == 0 and state.model is None
    assert state.finish(RunOutcome(old.id, RunStatus.COMPLETED)) is None and new.active


def test_data_states(qtbot):
    state = AppState()
    seen = recorder(state.data_state_changed)
    assert state.data_state is DataState.NOT_LOADED
    state.set_data_state(DataState.LOADING)
    state.set_data_state(DataState.MISSING, "not on this computer")
    assert state.data_message == "not on this computer"
    with pytest.raises(IllegalTransition):
        state.set_data_state(DataState.READY)  # ready means data is there: set_data says so
    state.set_data(object())
    assert state.data_state is DataState.READY and state.data_message == ""
    assert seen == [DataState.LOADING, DataState.MISSING, DataState.READY]


# ---- what the user is choosing: the config being edited, the chosen digit ----------------------------


def test_the_config_being_edited_is_state(qtbot):
    state = AppState()
    seen = recorder(state.config_changed)
    assert state.config == TrainConfig()
    assert state.set_config(CONFIG) and state.config == CONFIG
    assert not state.set_config(TrainConfig(arch="dense", batch_size=10, epochs=2))  # equal: no signal
    assert seen == [CONFIG]
    with pytest.raises(TypeError):
        state.set_config({"arch": "dense"})
    assert state.config == CONFIG


def test_the_chosen_digit_is_state(qtbot):
    state = AppState()
    seen = recorder(state.chosen_digit_changed)
    assert state.chosen_digit == DigitChoice(drawing=False, index=0)
    assert state.choose_test_digit(7)
    assert state.choose_drawing()
    assert state.chosen_digit == DigitChoice(drawing=True, index=7)  # the test image is kept behind it
    assert not state.choose_drawing(True)
    assert state.choose_drawing(False) and state.chosen_digit == DigitChoice(index=7)
    assert state.choose_test_digit(np.int64(3)) and state.chosen_digit.index == 3
    assert seen == [DigitChoice(index=7), DigitChoice(True, 7), DigitChoice(index=7), DigitChoice(index=3)]
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="whole number"):
            state.choose_test_digit(bad)
    assert state.chosen_digit == DigitChoice(index=3)


# ---- a race: one signal per kind of event, each keyed by its run's id --------------------------------
def test_a_races_events_come_through_one_signal_per_kind_keyed_by_run_id(qtbot):
    state = AppState()
    model = pretrained(state)
    main, rival = state.begin_race((CONFIG, CONFIG.replace(seed=7)), 100, (20, 20))
    assert state.is_main(main.id) and not state.is_main(rival.id) and not state.is_main(None)
    assert not any(name.startswith("rival_") for name in dir(state))  # no second set of signals
    losses, epochs = recorder(state.losses_added), recorder(state.epoch_added)
    progress, snapshots = recorder(state.progress_changed), recorder(state.snapshot_added)
    changes = recorder(state.run_state_changed)
    for run in (rival, main):
        state.add_losses(chunk(run.id, [1, 2]))
        state.set_progress(Progress(run.id, 2, 20, 0, 500.0, 1.0))
        state.add_epoch(EpochReport(run.id, 0, 0.4, 0.7, 20, 500.0, 0.05))
    state.add_snapshot(Snapshot(rival.id, "dense", 2, 20, WEIGHTS))
    assert state.model is model  # the rival's weights are not the pad's
    state.add_snapshot(Snapshot(main.id, "dense", 2, 20, WEIGHTS))
    assert state.model.role is ModelRole.TRAINING and state.model.run_id == main.id
    for seen in (losses, epochs, progress):
        assert [event.run_id for event in seen] == [rival.id, main.id]
    assert [s.run_id for s in snapshots] == [rival.id, main.id]
    assert [(r.id, r.state) for r in changes] == [(rival.id, RunState.RUNNING), (main.id, RunState.RUNNING)]
    # Each run's curve is its own series; the chunk a signal carries is already in it.
    assert rival.series is not main.series and len(rival.series) == len(main.series) == 2
    state.finish(RunOutcome(rival.id, RunStatus.COMPLETED, WEIGHTS, 0.7, 20))
    assert changes[-1] is rival and rival.state is RunState.FINISHED and main.active


def test_an_ended_runs_record_holds_the_runs_own_series_as_its_curve(qtbot):
    from convviz.recording import LossCurve, Outcome, RunRecord

    state = AppState()
    run = state.begin_run(CONFIG, 100, 20)
    state.add_losses(chunk(run.id, [1, 2, 3]))

    def record(steps) -> RunRecord:  # what the worker's session grew: the same points, its own copy
        losses = LossCurve.from_columns(
            {
                "steps": steps,
                "examples_seen": [10 * s for s in steps],
                "losses": [0.5] * len(steps),
                "seconds": [0.01 * s for s in steps],
            }
        )
        outcome = Outcome("completed", 0.7, len(steps), 10 * len(steps), 0.1, 0.2, 300.0)
        return RunRecord("dense", CONFIG.to_dict(), 100, 20, losses, (), outcome)

    worker = record([1, 2, 3])
    state.finish(RunOutcome(run.id, RunStatus.COMPLETED, WEIGHTS, 0.7, 30, record=worker))
    kept = run.outcome.record
    assert kept is not worker and kept.outcome is worker.outcome and kept.config is worker.config
    for name in ("steps", "examples_seen", "losses", "seconds"):  # the series itself, not a copy of it
        assert np.shares_memory(kept.losses.view(name), run.series.view(name))
        assert kept.losses.view(name).dtype == worker.losses.view(name).dtype
    # A record whose curve is not the run's (chunks the state dropped) stays as the worker made it.
    other = state.begin_run(CONFIG, 100, 20)
    state.add_losses(chunk(other.id, [1, 2]))
    different = record([1, 2, 3])
    state.finish(RunOutcome(other.id, RunStatus.COMPLETED, WEIGHTS, 0.7, 30, record=different))
    assert other.outcome.record is different


def test_the_overlaid_runs_are_the_state_s_in_order_with_their_visibility(qtbot):
    state = AppState()
    seen = []
    state.overlays_changed.connect(seen.append)
    assert state.overlay(("run", 1)) and state.overlay(("stored", "x"), visible=False)
    assert not state.overlay(("run", 1))  # no change, no signal
    assert state.overlays == {("run", 1): True, ("stored", "x"): False}
    assert list(state.overlays) == [("run", 1), ("stored", "x")]  # the order they joined
    assert state.overlay(("stored", "x"), True) and state.drop_overlay(("run", 1))
    assert not state.drop_overlay(("run", 1))
    assert seen == [
        {("run", 1): True},
        {("run", 1): True, ("stored", "x"): False},
        {("run", 1): True, ("stored", "x"): True},
        {("stored", "x"): True},
    ]
    state.overlays[("run", 9)] = True  # a copy: the state changes only through its methods
    assert ("run", 9) not in state.overlays
