"""Race two runs: two configurations in one worker thread, steps alternating, on real
MNIST slices: both curves in one plot, both filter sets side by side, each run's own images/s, Stop
stops both, and identical configurations give identical curves (the same batches in the same order)."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.config import TrainConfig
from convviz.events import EpochReport, RunStatus
from convviz.gui.common import i18n
from convviz.gui.jobs.race import summarize
from convviz.gui.panels.race import RaceDialog, RaceView
from convviz.gui.state import RunState
from tests.gui.windows import RUN_MS, use_small_data

TRAIN, TEST, BATCH = 640, 200, 64


@pytest.fixture
def german(qapp):
    i18n.set_language("de")
    yield
    i18n.set_language("en")


def race(window, qtbot, main, rival):
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        assert window.race.start(rival, main=main)
    run = finished.args[0]
    rival_run = window.state.run_by_id(run.race)
    return run, rival_run


def test_lenet5_races_dense_on_the_same_examples_both_live_in_one_plot_filters_side_by_side(
    make_window, qtbot, mnist
):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    rates = []
    window.controller.race_rates.connect(rates.append)
    main, rival = race(
        window,
        qtbot,
        TrainConfig(arch="lenet5", batch_size=BATCH, seed=3),
        TrainConfig(arch="dense", batch_size=BATCH, optimizer="sgd", learning_rate=0.05, seed=99),
    )
    assert main.outcome.status is RunStatus.COMPLETED, window.error_text()
    assert rival.outcome.status is RunStatus.COMPLETED
    assert (main.race, rival.race) == (rival.id, main.id)
    assert rival.config.seed == 3 and rival.config.batching == "numpy"  # the rival takes the main run's seed
    # The same number of steps over the same examples.
    assert main.steps_done == rival.steps_done == TRAIN // BATCH
    np.testing.assert_array_equal(main.losses()["examples_seen"], rival.losses()["examples_seen"])
    assert main.outcome.examples_seen == rival.outcome.examples_seen == TRAIN
    # Both curves in the plot: the main run live, the rival as an overlay of its own colour.
    loss = window.loss
    key = ("run", rival.id)
    assert key in loss.run_keys()
    assert loss.run_point_count("live") == TRAIN // BATCH and loss.run_point_count(key) == TRAIN // BATCH
    assert loss.run_colour(key) != loss.run_colour("live")
    # Each run's own images/s (its own session.run time) and the shared wall-clock rate.
    assert main.images_per_second > 0 and rival.images_per_second > 0
    last = rates[-1]
    assert last.run_ids == (main.id, rival.id)
    assert all(r > 0 for r in last.images_per_second) and last.shared_images_per_second > 0
    # Shared honestly: both runs' images over the wall clock they shared cannot beat the faster run's own rate.
    assert last.shared_images_per_second <= max(last.images_per_second)
    # Filters side by side: lenet5's conv1 and dense's fc1 units.
    left, right = window.race.view.filters
    assert left.shown_kernels("conv1").shape == (5, 5, 1, 6)
    assert right.shown_kernels("fc1").shape == (784, 300)
    np.testing.assert_array_equal(right.shown_kernels("fc1"), rival.final_weights["fc1/kernel"])
    # The summary: both final accuracies, each one's time to the chosen accuracy, and the winner.
    view = window.race.view
    view.target_spin.setValue(10.0)  # chance: both reach it after their first epoch
    summary = view.summary
    assert summary.decided and summary.target == 0.10
    assert [r.accuracy for r in summary.racers] == [main.final_accuracy, rival.final_accuracy]
    assert all(r.target_epoch == 1 and r.target_seconds > 0 for r in summary.racers)
    assert summary.winner in (0, 1)
    winner = (main, rival)[summary.winner]
    assert f"#{winner.id}" in view.winner_label.text() and "Winner" in view.winner_label.text()
    assert "final accuracy" in view.results[0].text() and "s of its own training" in view.results[1].text()
    # Both in the history and the table, saved like any run.
    qtbot.waitUntil(lambda: main.record_id is not None and rival.record_id is not None, timeout=RUN_MS)
    assert {r.run_id for r in window.runs.rows()} >= {main.id, rival.id}
    assert not window.state.is_training()


def test_identical_configurations_give_identical_curves(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    config = TrainConfig(arch="lenet5", batch_size=BATCH, seed=7)
    main, rival = race(window, qtbot, config, config)
    a, b = main.losses()["losses"], rival.losses()["losses"]
    assert len(a) == len(b) == TRAIN // BATCH
    np.testing.assert_allclose(a, b, atol=1e-5)  # same seed, same batches, same order: the same steps
    for name, weights in main.final_weights.items():
        np.testing.assert_allclose(weights, rival.final_weights[name], atol=1e-5)


def test_a_different_batch_order_would_show(make_window, qtbot, mnist):
    """The check above can fail: with another seed (another permutation, other initial weights) the curves part."""
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    first, _ = race(window, qtbot, TrainConfig(arch="lenet5", batch_size=BATCH, seed=7), TrainConfig(arch="dense"))
    other, _ = race(window, qtbot, TrainConfig(arch="lenet5", batch_size=BATCH, seed=8), TrainConfig(arch="dense"))
    assert np.abs(first.losses()["losses"] - other.losses()["losses"]).max() > 1e-3


def test_stop_during_a_race_stops_both_with_outcomes(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    main_config = TrainConfig(arch="lenet5", batch_size=8, epochs=3, seed=1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        assert window.race.start(TrainConfig(arch="dense", batch_size=8), main=main_config)
        qtbot.waitUntil(lambda: window.state.run is not None and window.state.run.steps_done >= 3, timeout=RUN_MS)
        window.stop()
        assert window.state.run.state is RunState.STOPPING and window.state.rival.state is RunState.STOPPING
    main = finished.args[0]
    rival = window.state.run_by_id(main.race)
    for run in (main, rival):
        assert run.outcome is not None and run.outcome.status is RunStatus.STOPPED
        assert run.state is RunState.FINISHED
        assert 0 < run.outcome.examples_seen < 3 * TRAIN
    assert abs(main.outcome.examples_seen - rival.outcome.examples_seen) <= 8  # stopped within one batch of each other
    assert not window.state.is_training()


def test_the_dialog_offers_the_current_config_against_another(qtbot):
    dialog = RaceDialog(TrainConfig(arch="lenet5", batch_size=64))
    qtbot.addWidget(dialog)
    assert "lenet5" in dialog.left_text.text()
    assert dialog.arch.currentText() != "lenet5"
    dialog.batch_size.setValue(32)
    dialog.optimizer.setCurrentText("sgd")
    rival = dialog.rival_config()
    assert (rival.batch_size, rival.optimizer) == (32, "sgd") and rival.arch != "lenet5"


class FakeRun:
    def __init__(self, run_id, epochs, final=None, active=False):
        self.id, self.epochs, self.final_accuracy, self.active = run_id, epochs, final, active
        self.config = TrainConfig(arch="lenet5")


def report(run_id, epoch, accuracy, speed, size=1000):
    return EpochReport(run_id, epoch, 0.1, accuracy, size * (epoch + 1), speed, 99.0)


def test_the_summary_times_each_run_to_the_target_on_its_own_clock_and_names_the_winner():
    # a: 97 % after epoch 2, at 1000 images/s: 2 s of its own. b: 97 % after epoch 1 but at 250 images/s: 4 s.
    a = FakeRun(1, [report(1, 0, 0.95, 1000), report(1, 1, 0.975, 1000)], final=0.975)
    b = FakeRun(2, [report(2, 0, 0.971, 250), report(2, 1, 0.98, 250)], final=0.98)
    summary = summarize((a, b), 0.97)
    assert [(r.target_epoch, r.target_seconds) for r in summary.racers] == [(2, 2.0), (1, 4.0)]
    assert summary.winner == 0 and summary.decided  # first there, though b ends higher
    assert summarize((a, b), 0.978).winner == 1  # only b reaches 97.8 %
    assert summarize((a, b), 0.99).winner == 1  # neither: the higher accuracy
    running = FakeRun(3, [report(3, 0, 0.5, 100)], active=True)
    assert summarize((a, running), 0.99).racers[1].accuracy == 0.5 and not summarize((a, running), 0.99).decided
    assert summarize((FakeRun(4, []), FakeRun(5, [])), 0.97).winner is None


def test_the_race_view_shows_the_summary_in_german_with_a_decimal_comma(qtbot, german):
    view = RaceView()
    qtbot.addWidget(view)
    a = FakeRun(1, [report(1, 0, 0.975, 1000)], final=0.9754)
    b = FakeRun(2, [report(2, 0, 0.96, 500)], final=0.965)
    view.runs = (a, b)
    targets = []
    view.target_changed.connect(targets.append)
    view.target_spin.setValue(97.0)
    view.set_summary(summarize((a, b), view.target()))
    assert "97,54 %" in view.results[0].text() and "1,0 s" in view.results[0].text()
    assert "#1" in view.winner_label.text()
    view.target_spin.setValue(95.0)
    assert targets == [0.95]
