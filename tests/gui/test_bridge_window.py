"""``listen`` in the window: a notebook's stream becomes a run (curve, accuracy, filters, timeline, maps)
and a stored record beside ConvViz's own runs; a refused connection is one line in the window."""

from __future__ import annotations

import socket

import numpy as np

from convviz import watch
from convviz.bridge import protocol
from convviz.bridge.listener import Listener
from convviz.gui.state.records import RunState
from convviz.gui.window.bridge import StreamShow

STEPS = 30


def train_like_a_notebook(w: watch.Watch, kernels: list, maps: list) -> None:
    for i in range(STEPS):
        w.step(2.0 / (i + 1))
        if i % 10 == 0:  # what w.step(loss, session=sess) fetches now and then
            w._put({"type": "kernels", "layer": "conv2d", "step": w.steps}, kernels[i // 10])
            w._put({"type": "maps", "layer": "conv2d", "step": w.steps}, maps[i // 10])


def test_a_stream_is_shown_as_a_run_and_saved_to_the_history(make_window, qtbot):
    window = make_window()
    listener = Listener(port=0, max_streams=1).start()
    show = StreamShow(window, listener)
    assert listener.token in show.line.text() and str(listener.port) in show.status()
    assert show.bar.isVisibleTo(window)

    rng = np.random.RandomState(0)
    kernels = [rng.randn(5, 5, 1, 8).astype(np.float32) for _ in range(3)]
    maps = [rng.rand(28, 28, 8).astype(np.float32) for _ in range(3)]
    w = watch.connect(port=listener.port, token=listener.token, name="notebook")
    train_like_a_notebook(w, kernels, maps)
    qtbot.waitUntil(lambda: window.state.run is not None and len(window.state.run.series) == STEPS, timeout=20000)
    qtbot.waitUntil(lambda: len(window.state.run.snapshots) == 3, timeout=5000)
    # while it streams, the filters and the feature maps are the notebook's
    np.testing.assert_array_equal(window.filters.shown_kernels("conv1"), kernels[-1])
    (shown,) = [a for name, a in window.featuremaps.activations() if name == "conv1"]
    np.testing.assert_allclose(shown, maps[-1])
    assert "Streaming from the notebook notebook" in show.status()
    assert window.loss.x_mode() == "seconds" and "30 steps" in window.speed_label.text()
    with qtbot.waitSignal(show.stream_ended, timeout=20000) as ended:
        w.accuracy(0.5)
        w.close()
    assert w.failed is None
    run = ended.args[0]
    assert run is window.state.run and run.state is RunState.FINISHED
    assert run.config.arch == "conv8@5x5"
    np.testing.assert_allclose(run.losses()["losses"], 2.0 / np.arange(1, STEPS + 1), rtol=1e-6)
    assert [e.test_accuracy for e in run.epochs] == [0.5] and run.final_accuracy == 0.5
    assert len(run.snapshots) == 3  # the filter timeline: a frame per fetch
    np.testing.assert_allclose(run.snapshots.frames[-1].kernels, kernels[-1].astype(np.float16))

    qtbot.waitUntil(lambda: run.record_id is not None, timeout=10000)
    stored = [s for s in window.state.stored_runs if s.id == run.record_id]
    assert stored and stored[0].summary.arch == "conv8@5x5" and stored[0].summary.name == "notebook"
    assert stored[0].summary.test_accuracy == 0.5
    assert "Waiting for a notebook" in show.status()

    # a connection without the token: one line in the window, which goes on listening
    with qtbot.waitSignal(window.error_shown, timeout=5000) as shown:
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as sock:
            sock.sendall(protocol.encode({"type": "hello", "token": "guess", "name": "", "version": 1}))
            assert protocol.read_message(sock).kind == "refused"
    assert "wrong token" in shown.args[0] and "\n" not in shown.args[0]
