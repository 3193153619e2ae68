"""The embedding and diagnostics panels in the real window: maps, the star, a click, two runs' diagnostics."""

from __future__ import annotations

import numpy as np

from convviz.config import TrainConfig
from convviz.gui.panels.diagnostics import DIAGNOSTICS_TITLE
from convviz.gui.panels.embedding import EMBEDDING_TITLE
from convviz.gui.state import RunState
from tests.gui.windows import LOAD_MS, RUN_MS, draw, use_small_data


def test_the_maps_follow_the_model_the_drawing_and_a_click(make_window, qtbot, mnist):
    window = make_window(arch="dense")
    use_small_data(window, mnist, train=640, test=1000)
    look = window.lookinside
    window.show_panel(EMBEDDING_TITLE)
    qtbot.waitUntil(lambda: look.embedding.embedding is not None, timeout=LOAD_MS)
    shown = look.embedding.embedding
    assert [m.layer for m in shown.maps] == ["input", "fc1", "logits"]
    accuracy = look.embedding.knn_accuracies()
    assert accuracy["logits"] > accuracy["input"]  # the pretrained dense net separates the digits
    assert "conv" in look.embedding.note.text()  # the dense net: what does not apply, in one line
    draw(window)
    qtbot.waitUntil(lambda: len(look.embedding.map_view("fc1").star.data) == 1, timeout=5000)
    star = look.embedding.map_view("fc1").star.data[0]
    x = window.views._drawing28 if hasattr(window.views, "_drawing28") else None
    assert x is not None
    expected = shown.layer("fc1").projection.project_activation(dict(window.controller.activations(x))["fc1"])
    assert np.allclose([star["x"], star["y"]], expected, atol=1e-3)
    view = look.embedding.map_view("logits")
    view.clicked.emit(5)  # what a click on the sixth point of the sample sends
    assert window.state.chosen_digit.index == int(shown.indices[5]) and not window.state.chosen_digit.drawing
    # a training run: the maps follow its snapshots
    window.show_panel(EMBEDDING_TITLE)
    assert window.controller.start_training(TrainConfig(arch="dense", learning_rate=0.5, batch_size=64))
    qtbot.waitUntil(lambda: window.state.run_state in (RunState.FINISHED, RunState.FAILED), timeout=RUN_MS)
    qtbot.waitUntil(lambda: "step" in look.embedding.status.text(), timeout=LOAD_MS)
    # diagnostics: the run beside the model it started from
    window.show_panel(DIAGNOSTICS_TITLE)
    qtbot.waitUntil(lambda: look.diagnostics.sides[0].diagnostics is not None, timeout=LOAD_MS)
    wild = look.diagnostics.sides[0].diagnostics
    assert wild.layer("fc1").dead_units is not None and wild.dead_share > 0.3
    assert window.controller.start_training(TrainConfig(arch="dense", learning_rate=0.001, batch_size=64))
    qtbot.waitUntil(lambda: window.state.run_state in (RunState.FINISHED, RunState.FAILED), timeout=RUN_MS)
    first_run = window.state.runs[0].id
    qtbot.waitUntil(
        lambda: look.diagnostics.sides[1].diagnostics is not None
        and look.diagnostics.other() == first_run
        and look.diagnostics.sides[0].diagnostics is not None
        and look.diagnostics.sides[0].diagnostics.dead_share < wild.dead_share,
        timeout=LOAD_MS,
    )
    assert look.diagnostics.sides[1].diagnostics.dead_share > look.diagnostics.sides[0].diagnostics.dead_share


def test_a_slow_map_during_a_run_is_made_of_fewer_digits_and_of_all_again_at_rest(shared_window, qtbot, monkeypatch):
    import dataclasses

    from convviz import embedding as emb
    from convviz.gui.jobs.lookjobs import LookResult
    from convviz.gui.window.lookinside import LIVE_MIN_DIGITS, REFRESH_S

    window = shared_window
    look = window.lookinside
    window.show_panel(EMBEDDING_TITLE)
    qtbot.waitUntil(lambda: look.embedding.embedding is not None, timeout=LOAD_MS)
    asked = []
    monkeypatch.setattr(look.embedding_jobs, "submit", asked.append)
    training = [True]
    monkeypatch.setattr(window.state, "is_training", lambda: training[0])
    full = look.embedding.embedding
    assert len(full.indices) == emb.SAMPLE_SIZE

    def answer(seconds):  # the service's answer to the newest request, taking `seconds`
        look.refresh()
        request = asked[-1]
        maps = tuple(dataclasses.replace(m, points=m.points[: len(request.indices)]) for m in full.maps)
        shown = type(full)(request.indices, request.labels, maps, "pca")
        look._on_embedding(LookResult(request, shown, seconds))
        look._dirty["embedding"] = True
        return len(request.indices)

    look._dirty["embedding"] = True
    assert answer(REFRESH_S * 2) == emb.SAMPLE_SIZE  # too slow to follow every snapshot ...
    assert answer(REFRESH_S * 2) == emb.SAMPLE_SIZE // 2  # ... so the next has half the digits
    assert answer(REFRESH_S * 2) == LIVE_MIN_DIGITS
    assert answer(REFRESH_S * 2) == LIVE_MIN_DIGITS  # and no fewer
    assert answer(0.01) == LIVE_MIN_DIGITS
    assert answer(0.01) == 2 * LIVE_MIN_DIGITS  # quick again: more digits
    sub = asked[-1].indices
    assert set(sub.tolist()) <= set(full.indices.tolist())  # the same digits as the whole map, fewer of them
    assert np.bincount(asked[-1].labels, minlength=10).min() >= len(sub) // 10 - 1  # still every digit alike
    training[0] = False  # the run ends: the whole sample again
    look._dirty["embedding"] = False
    look._on_run_state(None)  # what the run's last state change calls
    qtbot.waitUntil(lambda: len(asked[-1].indices) == emb.SAMPLE_SIZE, timeout=2000)
