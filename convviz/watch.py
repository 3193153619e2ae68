"""Stream a notebook's own TensorFlow training to a ConvViz window: ``from convviz import watch``.

In the student's code, with no Qt in their process::

    from convviz import watch
    w = watch.connect()                # port and token from CONVVIZ_PORT / CONVVIZ_TOKEN, or pass them
    for x, y in batches:
        _, loss = sess.run([train_op, loss_op], {X: x, Y: y})
        w.step(loss, session=sess)     # the loss; now and then the first conv layer's kernels and maps
    w.accuracy(test_accuracy)
    w.close()

``w.hook()`` is a ``SessionRunHook`` for an Estimator or a ``MonitoredSession``;
``w.keras()`` a Keras callback (TF 2). Every call returns at once: a daemon
thread sends, from a bounded queue that drops its oldest message when the
window is slow. Kernels and the probe digit's feature maps are fetched in the
caller's thread (it owns the Session) only while fetching has cost at most
``budget`` (5 %) of the time since the stream began. A missing or closed
window is said once, on stderr, and training goes on as if nothing watched.

The graph is searched by op type: the first ``Conv2D`` op's filter input is
the kernel; the probe digit is fed into that op's image input (shape
``(?, 28, 28, 1)``), and the maps are that layer's output after its bias and
activation. ``connect(kernel=..., maps=..., image=...)`` names tensors
instead. A graph without a conv layer sends the loss only.

No Qt and no TensorFlow import at module level (TensorFlow is imported only
inside :meth:`Watch.hook` and :meth:`Watch.keras`, where the student already
has it): the graph is reached through the Session the student passes. Works
on Python 3.7 with TF 1.15 and on TF 2.x.
"""

from __future__ import annotations

import collections
import os
import socket
import sys
import threading
import time

import numpy as np

from convviz.bridge import protocol
from convviz.bridge.listener import DEFAULT_PORT, HOST
from convviz.tf1 import user_tensorflow

BUDGET = 0.05  # of the time since the stream began, spent fetching kernels and maps at most
MIN_FETCH_INTERVAL_S = 0.5  # the window draws a few frames a second: more would be wasted
FLUSH_S = 0.1  # losses go out in one message this often
QUEUE_SIZE = 64  # messages waiting to be sent (the oldest is dropped beyond)
CONNECT_TIMEOUT_S = 3.0
_ACTIVATIONS = ("BiasAdd", "Add", "AddV2", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Tanh", "Sigmoid")


def connect(
    port: int | None = None,
    token: str | None = None,
    name: str = "",
    probe: np.ndarray | None = None,
    kernel=None,
    maps=None,
    image=None,
    host: str = HOST,
    budget: float = BUDGET,
) -> Watch:
    """A stream to the ConvViz window listening on ``port`` (default ``$CONVVIZ_PORT``, else 7787).

    ``token``: the one ``listen`` printed (default ``$CONVVIZ_TOKEN``). ``probe``: a (28, 28) digit in
    [0, 1], white on black, whose feature maps are shown (default: a drawn 7). ``kernel``, ``maps``,
    ``image``: tensors (or their names) to use instead of what the graph search finds.
    """
    if port is None:
        port = int(os.environ.get("CONVVIZ_PORT") or DEFAULT_PORT)
    if token is None:
        token = os.environ.get("CONVVIZ_TOKEN", "")
    return Watch(int(port), str(token), name, probe, kernel, maps, image, host, budget)


class Watch:
    """One stream to a window; see the module docstring. Thread-safe enough for one training loop."""

    def __init__(self, port, token, name="", probe=None, kernel=None, maps=None, image=None, host=HOST, budget=BUDGET):
        self.port, self.name, self.budget = port, str(name)[: protocol.MAX_NAME], float(budget)
        self._token, self._host = token, host
        self._probe = None if probe is None else np.asarray(probe, np.float32).reshape(28, 28)
        self._names = (kernel, maps, image)
        self.steps = 0
        self.run_id: int | None = None  # the window's number for this stream, once it said welcome
        self.failed: str | None = None  # why nothing is sent (said once on stderr)
        self.dropped = 0  # messages dropped because the window was slow
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._losses: list = []
        self._first = 1  # the step of self._losses[0]
        self._queue: collections.deque = collections.deque()
        self._closing = False
        self._started = time.perf_counter()
        self._fetch_spent = 0.0
        self._last_fetch = -1e9
        self._last_cost = 0.0
        self._graphs: dict = {}  # id(graph) -> _Taps
        self._no_fetch = False  # a fetch failed once: losses only from then on
        self._thread = threading.Thread(target=self._send_loop, name="convviz-watch", daemon=True)
        self._thread.start()

    # ---- what the student calls -------------------------------------------------------------------
    def step(self, loss, session=None) -> None:
        """One training step's loss; with ``session``, now and then its kernels and feature maps."""
        try:
            value = float(np.asarray(loss, dtype=np.float64).reshape(-1)[0])
        except (TypeError, ValueError, IndexError):
            value = float("nan")
        with self._lock:
            self.steps += 1
            if self.failed is not None or self._closing:
                return
            if not self._losses:
                self._first = self.steps
            self._losses.append(value)
            if len(self._losses) > protocol.MAX_LOSSES:  # the sender is stuck: the oldest go
                del self._losses[0]
                self._first += 1
                self.dropped += 1
        if session is not None and self._fetch_due():
            self._fetch(lambda taps: taps.fetch(session, self._probe_image()), session.graph)

    def accuracy(self, acc) -> None:
        """A test accuracy (0-1) after the steps so far."""
        value = float(acc)
        if not 0.0 <= value <= 1.0:
            value = value / 100.0 if 1.0 < value <= 100.0 else float("nan")
        if value == value:
            self._put({"type": "accuracy", "value": value, "step": self.steps})

    def close(self) -> None:
        """Ends the stream (what is queued still goes out, for up to a second)."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            self._wake.notify_all()
        self._thread.join(timeout=1.0)

    def hook(self, loss=None):
        """A ``SessionRunHook`` sending each step's ``loss`` (default: the Estimator's ``loss`` summary,
        else the graph's ``losses`` collection) and, now and then, the kernels and maps."""
        tf_root = user_tensorflow()

        return _hook_class(tf_root.compat.v1.train.SessionRunHook)(self, loss)

    def keras(self):
        """A Keras callback (TF 2): each batch's loss, each epoch's ``val_accuracy`` and the first Conv2D
        layer's kernels now and then."""
        tf_root = user_tensorflow()

        return _keras_class(tf_root.keras.callbacks.Callback)(self)

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- fetching within the budget ---------------------------------------------------------------
    def _fetch_due(self) -> bool:
        if self.failed is not None or self._no_fetch:
            return False
        now = time.perf_counter()
        if now - self._last_fetch < MIN_FETCH_INTERVAL_S and self._last_fetch > 0:
            return False
        return self._fetch_spent + self._last_cost <= self.budget * (now - self._started) or self._last_fetch < 0

    def _fetch(self, fetch, graph) -> None:
        begun = time.perf_counter()
        try:
            taps = None
            if graph is not None:
                taps = self._graphs.get(id(graph))
                if taps is None:
                    taps = self._graphs[id(graph)] = _Taps.find(graph, self._names)
            for header, array in fetch(taps):
                self._put(dict(header, step=self.steps), array)
        except Exception as exc:  # the student's training never fails because of ConvViz
            self._no_fetch = True
            self._say(f"convviz.watch: no kernels or feature maps from this graph ({_line(exc)}); losses go on")
        finally:
            self._last_fetch = time.perf_counter()
            self._last_cost = self._last_fetch - begun
            self._fetch_spent += self._last_cost

    def _probe_image(self) -> np.ndarray:
        if self._probe is None:
            from convviz import preprocess, strokes

            canvas = strokes.draw_digit(7, "plain", np.random.RandomState(0))
            self._probe = preprocess.to_mnist(canvas, invert=True)
        return self._probe

    # ---- the sending thread -----------------------------------------------------------------------
    def _put(self, header: dict, array: np.ndarray | None = None) -> None:
        with self._lock:
            if self.failed is not None or self._closing:
                return
            if len(self._queue) >= QUEUE_SIZE:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append((header, array))
            self._wake.notify_all()

    def _say(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def _fail(self, line: str) -> None:
        with self._lock:
            first = self.failed is None
            self.failed = line
            self._queue.clear()
            self._losses = []
        if first:
            self._say(line)

    def _send_loop(self) -> None:
        sock = self._open()
        if sock is None:
            return
        try:
            while True:
                with self._lock:
                    if not (self._closing or self._queue):
                        self._wake.wait(FLUSH_S)
                    out = list(self._queue)
                    self._queue.clear()
                    if self._losses:
                        out.insert(0, ({"type": "losses", "first": self._first}, np.asarray(self._losses, np.float32)))
                        self._losses = []
                    closing = self._closing
                for header, array in out:
                    try:
                        frame = protocol.encode(header, array)
                    except protocol.ProtocolError:
                        continue  # an array over the limits: that frame is not sent
                    sock.sendall(frame)
                if closing:
                    sock.sendall(protocol.encode({"type": "close"}))
                    return
        except OSError as exc:
            self._fail(f"convviz.watch: the ConvViz window went away ({_line(exc)}); training goes on without it")
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _open(self) -> socket.socket | None:
        where = f"{self._host}:{self.port}"
        try:
            sock = socket.create_connection((self._host, self.port), timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            self._fail(
                f"convviz.watch: no ConvViz window listening on {where} ({_line(exc)}); "
                "training goes on without it (start one with: python main.py listen)"
            )
            return None
        try:
            sock.sendall(
                protocol.encode({"type": "hello", "token": self._token, "name": self.name, "version": protocol.VERSION})
            )
            answer = protocol.read_message(sock, protocol.MAX_HELLO_BYTES)
        except (OSError, EOFError, protocol.ProtocolError) as exc:
            sock.close()
            self._fail(f"convviz.watch: the window on {where} did not answer ({_line(exc)}); training goes on")
            return None
        if answer.kind != "welcome":
            sock.close()
            reason = answer.header.get("reason", "refused")
            self._fail(f"convviz.watch: the window refused this stream ({reason}); training goes on without it")
            return None
        self.run_id = answer.header["run"]
        # Never let a stuck window hold the sender forever: a send that waits this long fails.
        sock.settimeout(10.0)
        return sock


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _Taps:
    """The tensors a graph is watched through: the kernel, and the maps with the image input they need."""

    def __init__(self, layer, kernel, image, maps):
        self.layer, self.kernel, self.image, self.maps = layer, kernel, image, maps

    @classmethod
    def find(cls, graph, names=(None, None, None)) -> _Taps:
        kernel, maps, image = (graph.as_graph_element(n) if isinstance(n, str) else n for n in names)
        layer = "conv1"
        if kernel is None or (maps is None and image is None):
            conv = next((op for op in graph.get_operations() if op.type == "Conv2D"), None)
            if conv is None:
                return cls(None, kernel, image, maps)
            layer = conv.name.rsplit("/", 1)[0] if "/" in conv.name else conv.name
            if kernel is None:
                kernel = conv.inputs[1]
            if maps is None and image is None:
                image, maps = conv.inputs[0], _activation(conv.outputs[0])
        shape = image.shape.as_list() if image is not None else None
        if shape is None or len(shape) not in (2, 4) or shape[1:] not in ([784], [28, 28, 1]):
            image = maps = None  # not an MNIST-shaped input: kernels only
        return cls(layer[: protocol.MAX_NAME], kernel, image, maps)

    def fetch(self, session, probe: np.ndarray):
        """(header, array) pairs of the kernels and the probe's maps, in one ``session.run``."""
        fetches, feed = {}, None
        if self.kernel is not None:
            fetches["kernels"] = self.kernel
        if self.maps is not None:
            shape = self.image.shape.as_list()
            batch = shape[0] or 1
            x = np.repeat(probe.reshape(1, *shape[1:]), batch, axis=0).astype(np.float32)
            fetches["maps"] = self.maps
            feed = {self.image: x}
        if not fetches:
            return []
        values = session.run(fetches, feed_dict=feed)
        out = []
        kernels = values.get("kernels")
        if kernels is not None and np.ndim(kernels) == 4:
            out.append(({"type": "kernels", "layer": self.layer}, np.asarray(kernels, np.float32)))
        found = values.get("maps")
        if found is not None and np.ndim(found) == 4:
            out.append(({"type": "maps", "layer": self.layer}, np.asarray(found[0], np.float32)))
        return out


def _activation(tensor):
    """The layer's output: ``tensor`` followed through its bias add and activation (single consumers)."""
    while True:
        consumers = tensor.consumers()
        if len(consumers) != 1 or consumers[0].type not in _ACTIVATIONS:
            return tensor
        tensor = consumers[0].outputs[0]


def _hook_class(base):
    class WatchHook(base):
        """Sends each step's loss (and, now and then, kernels and maps) of an Estimator or MonitoredSession."""

        def __init__(self, watch: Watch, loss=None):
            self._watch, self._loss_given, self._loss = watch, loss, None

        def begin(self):
            tf_root = user_tensorflow()

            graph = tf_root.compat.v1.get_default_graph()
            loss = self._loss_given
            if isinstance(loss, str):
                loss = graph.as_graph_element(loss)
            if loss is None:
                try:
                    summary = graph.get_operation_by_name("loss")
                    if summary.type == "ScalarSummary":
                        loss = summary.inputs[1]
                except KeyError:
                    pass
            if loss is None:
                losses = graph.get_collection("losses")
                loss = losses[0] if losses else None
            self._loss = loss

        def before_run(self, run_context):
            tf_root = user_tensorflow()

            return tf_root.compat.v1.train.SessionRunArgs(self._loss) if self._loss is not None else None

        def after_run(self, run_context, run_values):
            if self._loss is not None:
                self._watch.step(run_values.results, session=run_context.session)

    return WatchHook


def _keras_class(base):
    class WatchCallback(base):
        """Each batch's loss, each epoch's validation accuracy and the first Conv2D layer's kernels."""

        def __init__(self, watch: Watch):
            super().__init__()
            self._watch = watch

        def on_train_batch_end(self, batch, logs=None):
            loss = (logs or {}).get("loss")
            self._watch.step(loss if loss is not None else float("nan"))
            if self._watch._fetch_due():
                self._watch._fetch(self._kernels, None)

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            acc = logs.get("val_accuracy", logs.get("val_acc"))
            if acc is not None:
                self._watch.accuracy(acc)

        def _kernels(self, _taps):
            for layer in self.model.layers:
                if type(layer).__name__ == "Conv2D":
                    kernel = np.asarray(layer.get_weights()[0], np.float32)
                    return [({"type": "kernels", "layer": layer.name[: protocol.MAX_NAME]}, kernel)]
            return []

    return WatchCallback
