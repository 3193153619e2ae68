"""The notebook bridge: its wire format, the listener's bounds, and the watch client surviving a lost window.

Every hostile case is refused with one line (a :class:`Refused` event) or
survived, and the listener keeps serving the next, well-behaved stream.
"""

from __future__ import annotations

import json
import socket
import struct
import time

import numpy as np
import pytest

from convviz import watch
from convviz.bridge import listener as listener_mod
from convviz.bridge import protocol
from convviz.bridge.listener import Listener, Refused, StreamClosed, StreamKernels, StreamMaps, StreamOpened
from convviz.events import EpochReport, LossChunk


@pytest.fixture
def listener():
    with Listener(port=0) as live:
        yield live


def events_until_closed(listener, count: int = 1, timeout: float = 10.0) -> list:
    """Every event until ``count`` streams have closed."""
    seen, closed = [], 0
    deadline = time.monotonic() + timeout
    while closed < count and time.monotonic() < deadline:
        event = listener.poll(0.1)
        if event is not None:
            seen.append(event)
            closed += isinstance(event, StreamClosed)
    assert closed == count, seen
    return seen


def refusals(events) -> list:
    return [e.line for e in events if isinstance(e, Refused)]


def raw(listener, *frames: bytes, hello: bool = True) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", listener.port), timeout=5)
    if hello:
        sock.sendall(protocol.encode({"type": "hello", "token": listener.token, "name": "raw", "version": 1}))
        assert protocol.read_message(sock).kind == "welcome"
    for frame in frames:
        sock.sendall(frame)
    return sock


def frame(header: bytes, payload: bytes = b"") -> bytes:
    """A frame with exactly these header bytes (not necessarily valid JSON)."""
    return struct.pack(">II", len(header) + len(payload) + 4, len(header)) + header + payload


def assert_still_serving(listener) -> None:
    """A well-behaved stream after the bad one: it gets through."""
    w = watch.connect(port=listener.port, token=listener.token)
    w.step(0.5)
    w.close()
    closed = [e for e in events_until_closed(listener) if isinstance(e, StreamClosed)]
    assert closed[-1].counts["losses"] == 1 and closed[-1].reason == ""
    assert w.failed is None


# ---- the wire format -------------------------------------------------------------------------------


def test_a_message_round_trips_with_its_array():
    kernels = np.random.RandomState(0).randn(5, 5, 1, 8).astype(np.float32)
    body = protocol.encode({"type": "kernels", "step": 3, "layer": "conv1"}, kernels)[4:]
    msg = protocol.decode_body(body)
    assert msg.kind == "kernels" and msg.header["step"] == 3
    np.testing.assert_array_equal(msg.array, kernels)


@pytest.mark.parametrize(
    "header, array, why",
    [
        ({"type": "kernels", "step": 1, "layer": "c"}, np.zeros((12, 12, 1, 4), np.float32), "kernels are"),
        ({"type": "kernels", "step": 1, "layer": "c"}, np.zeros((5, 5, 1, 1025), np.float32), "kernels are"),
        ({"type": "kernels", "step": 1, "layer": "c"}, np.full((5, 5, 1, 2), np.nan, np.float32), "NaN"),
        ({"type": "maps", "step": 1, "layer": "c"}, np.zeros((65, 65, 1), np.float32), "feature maps are"),
        ({"type": "maps", "step": 1, "layer": "c"}, np.zeros((8, 8, 4), np.uint8), "feature maps are"),
        ({"type": "losses", "first": 0}, np.zeros(3, np.float32), "first must be"),
        ({"type": "losses", "first": 1}, np.zeros(protocol.MAX_LOSSES + 1, np.float32), "losses are"),
        ({"type": "accuracy", "value": 1.5, "step": 1}, None, "accuracy is"),
        ({"type": "accuracy", "value": True, "step": 1}, None, "accuracy is"),
        ({"type": "shell", "cmd": "rm"}, None, "unknown message type"),
        ({"type": "kernels", "step": 1, "layer": "\n" * 3}, np.zeros((5, 5, 1, 1), np.float32), "printable"),
    ],
)
def test_messages_out_of_bounds_are_refused(header, array, why):
    with pytest.raises(protocol.ProtocolError, match=why):
        protocol.decode_body(protocol.encode(header, array)[4:])


@pytest.mark.parametrize(
    "header, payload, why",
    [
        (b"{not json", b"", "not JSON"),
        (b"\xff\xfe", b"", "not UTF-8"),
        (b"[1, 2]", b"", "not a JSON object"),
        (b'{"type": "losses", "first": 1, "x": ' + b"[" * 50 + b"]" * 50 + b"}", b"", "nests deeper"),
        (b'{"type": "losses", "first": 1, "dtype": "float32", "shape": [4]}', b"\0" * 12, "needs 16 bytes"),
        (b'{"type": "losses", "first": 1, "dtype": "object", "shape": [1]}', b"\0" * 8, "not float32 or uint8"),
        (b'{"type": "losses", "first": 1, "dtype": "float32", "shape": [1, 1, 1, 1, 1]}', b"\0" * 4, "1 to 4"),
        (b'{"type": "close"}', b"\0" * 4, "names no array"),
    ],
)
def test_malformed_frames_are_refused(header, payload, why):
    with pytest.raises(protocol.ProtocolError, match=why):
        protocol.decode_body(frame(header, payload)[4:])


# ---- the listener --------------------------------------------------------------------------------


def test_it_listens_on_the_loopback_interface_only(listener):
    assert listener.address[0] == "127.0.0.1"
    assert listener.token in listener.paste_line() and str(listener.port) in listener.paste_line()
    assert len(listener.token) >= 32 and Listener(port=0).token != listener.token


def test_a_stream_arrives_as_typed_events_of_its_run(listener):
    w = watch.connect(port=listener.port, token=listener.token, name="mine")
    for i in range(5):
        w.step(1.0 / (i + 1))
    w._put({"type": "kernels", "layer": "conv1", "step": 5}, np.ones((5, 5, 1, 4), np.float32))
    w._put({"type": "maps", "layer": "conv1", "step": 5}, np.ones((28, 28, 4), np.float32))
    w.accuracy(0.75)
    w.close()
    seen = events_until_closed(listener)
    opened = seen[0]
    assert isinstance(opened, StreamOpened) and opened.name == "mine" and opened.run_id == w.run_id
    assert {e.run_id for e in seen} == {opened.run_id}
    losses = np.concatenate([e.losses for e in seen if isinstance(e, LossChunk)])
    np.testing.assert_allclose(losses, [1.0, 0.5, 1 / 3, 0.25, 0.2], rtol=1e-6)
    (report,) = [e for e in seen if isinstance(e, EpochReport)]
    assert report.test_accuracy == 0.75 and report.examples_seen == 5
    assert [type(e) for e in seen if isinstance(e, (StreamKernels, StreamMaps))] == [StreamKernels, StreamMaps]
    assert seen[-1].counts == {"steps": 5, "losses": 5, "accuracies": 1, "kernels": 1, "feature_maps": 1}


def test_a_connection_without_the_token_is_refused(listener):
    sock = raw(listener, hello=False)
    sock.sendall(protocol.encode({"type": "hello", "token": "guess", "name": "", "version": 1}))
    answer = protocol.read_message(sock)
    assert answer.kind == "refused" and "wrong token" in answer.header["reason"]
    assert sock.recv(1) == b""  # closed
    assert "wrong token" in listener.poll(2).line
    w = watch.connect(port=listener.port, token="")
    w.step(1.0)
    w.close()
    assert w.failed is not None and "wrong token" in w.failed
    assert_still_serving(listener)


def test_data_before_the_hello_is_refused_unread(listener):
    sock = raw(listener, frame(b'{"type": "close"}', b"x" * 10000), hello=False)
    assert protocol.read_message(sock).kind == "refused"
    line = listener.poll(2).line
    assert "refused a connection" in line and "over the limit of 4096" in line
    assert_still_serving(listener)


def test_a_silent_connection_is_dropped_after_the_hello_timeout(listener, monkeypatch):
    monkeypatch.setattr(listener_mod, "HELLO_TIMEOUT_S", 0.2)
    sock = raw(listener, hello=False)
    assert "no hello in time" in listener.poll(3).line
    assert protocol.read_message(sock).kind == "refused"
    assert_still_serving(listener)


@pytest.mark.parametrize(
    "bad, why",
    [
        (struct.pack(">I", 100 * 1024 * 1024), "over the limit of 8388608"),
        (frame(b"{oops"), "not JSON"),
        (
            frame(
                b'{"type": "kernels", "step": 1, "layer": "c", "dtype": "float32", "shape": [5, 5, 1025, 1]}',
                b"\0" * 5 * 5 * 1025 * 4,
            ),
            "kernels are",
        ),
        (
            frame(
                b'{"type": "maps", "step": 1, "layer": "c", "dtype": "float32", "shape": [99, 99, 1]}',
                b"\0" * 99 * 99 * 4,
            ),
            "feature maps are",
        ),
        (protocol.encode({"type": "hello", "token": "x", "name": "", "version": 1}), "a second hello"),
    ],
)
def test_a_bad_message_closes_its_stream_with_one_line(listener, bad, why):
    raw(listener, bad)
    seen = events_until_closed(listener)
    lines = refusals(seen)
    assert len(lines) == 1 and why in lines[0] and "\n" not in lines[0]
    assert seen[-1].reason == lines[0]
    assert_still_serving(listener)


def test_a_flood_is_thinned_with_one_note():
    with Listener(port=0, rate=50, burst=20) as live:
        one = protocol.encode({"type": "losses", "first": 1}, np.ones(1, np.float32))
        sock = raw(live, one * 2000)
        sock.sendall(protocol.encode({"type": "close"}))
        seen = events_until_closed(live)
        lines = refusals(seen)
        assert lines == [f"stream {seen[0].run_id} sends too fast: dropping the excess"]
        assert 20 <= seen[-1].counts["losses"] < 200
        assert_still_serving(live)


def test_a_second_client_is_a_second_stream_and_one_too_many_is_refused():
    with Listener(port=0, max_streams=2) as live:
        first = watch.connect(port=live.port, token=live.token, name="a")
        second = watch.connect(port=live.port, token=live.token, name="b")
        first.step(1.0)
        second.step(2.0)
        deadline = time.monotonic() + 5
        while (first.run_id is None or second.run_id is None) and time.monotonic() < deadline:
            time.sleep(0.02)
        third = watch.connect(port=live.port, token=live.token, name="c")
        third.step(3.0)
        third.close()
        assert "2 streams are open already" in third.failed
        first.close()
        second.close()
        seen = events_until_closed(live, count=2)
        assert {first.run_id, second.run_id} == {e.run_id for e in seen if isinstance(e, LossChunk)}
        assert first.run_id != second.run_id
        assert sum("streams are open already" in line for line in refusals(seen)) == 1


def test_the_notebook_side_survives_a_window_closed_mid_stream(capfd):
    live = Listener(port=0).start()
    w = watch.connect(port=live.port, token=live.token)
    w.step(1.0)
    deadline = time.monotonic() + 5
    while w.run_id is None and time.monotonic() < deadline:
        time.sleep(0.02)
    live.close()
    deadline = time.monotonic() + 10
    while w.failed is None and time.monotonic() < deadline:
        w.step(1.0)  # returns at once, window or not
        w.accuracy(0.5)
        time.sleep(0.01)
    for _ in range(100):
        w.step(1.0)
    w.close()
    assert w.failed is not None and "went away" in w.failed
    err = capfd.readouterr().err
    assert err.count("convviz.watch:") == 1, err


def test_a_missing_window_is_said_once_and_training_goes_on(capfd):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    w = watch.connect(port=port, token="x")
    started = time.perf_counter()
    for _ in range(1000):
        w.step(1.0)
    assert time.perf_counter() - started < 5  # never waits for the window (a loose bound, not a timing test)
    w.close()
    assert w.steps == 1000 and "no ConvViz window listening" in w.failed
    assert capfd.readouterr().err.count("convviz.watch:") == 1


def test_connect_reads_the_port_and_token_from_the_environment(monkeypatch, listener):
    monkeypatch.setenv("CONVVIZ_PORT", str(listener.port))
    monkeypatch.setenv("CONVVIZ_TOKEN", listener.token)
    w = watch.connect()
    w.step(1.0)
    w.close()
    assert w.failed is None and events_until_closed(listener)[-1].counts["losses"] == 1


# ---- the command -------------------------------------------------------------------------------------


def test_listen_on_a_taken_port_says_so_in_one_line(run_cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        done = run_cli("listen", "--headless", "--port", taken.getsockname()[1], check_rc=2)
    assert "cannot listen on 127.0.0.1" in done.stderr and "Traceback" not in done.stderr


def test_listen_json_needs_headless(run_cli):
    done = run_cli("listen", "--json", check_rc=2)
    assert "--json needs --headless" in done.stderr


def test_listen_headless_prints_one_json_line_per_stream():
    from tests.bridge_helpers import HeadlessListen

    listen = HeadlessListen(streams=1)
    try:
        w = watch.connect(port=listen.port, token=listen.token)
        for _ in range(3):
            w.step(0.1)
        w.accuracy(0.9)
        w.close()
        lines, err = listen.results()
    finally:
        listen.kill()
    assert lines == [{"steps": 3, "losses": 3, "accuracies": 1, "kernels": 0, "feature_maps": 0}], err
    assert "watch.connect(port=" in err
    json.dumps(lines)


def test_listen_without_headless_opens_the_window_with_a_started_listener(run_cli, monkeypatch):
    from convviz.cli import window

    seen = {}

    def fake_gui(args, listener=None):
        seen["listener"], seen["port"] = listener, listener.port
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5):
            pass  # it listens while the window is open
        return 0

    monkeypatch.setattr(window, "cmd_gui", fake_gui)
    done = run_cli("listen", "--port", "0", check_rc=0)
    assert seen["listener"].max_streams == 1 and seen["listener"].token in done.stderr
    with pytest.raises(OSError):  # closed with the window
        socket.create_connection(("127.0.0.1", seen["port"]), timeout=1).close()


def test_a_closed_stream_makes_room_for_the_next_at_once():
    """The window takes one stream at a time: a notebook's next cell may connect right after the last closed."""
    with Listener(port=0, max_streams=1) as live:
        for _ in range(5):
            w = watch.connect(port=live.port, token=live.token)
            w.step(1.0)
            w.close()
            closed = [e for e in events_until_closed(live) if isinstance(e, StreamClosed)]
            assert w.failed is None and closed[-1].counts["losses"] == 1
