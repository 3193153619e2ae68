"""Responsiveness of the real window while it trains, and the drawing pad's latency.

    PYTHONPATH=. python bench/gui_responsiveness.py                      # offscreen (no display needed)
    xvfb-run -s "-screen 0 1920x1080x24" python bench/gui_responsiveness.py --platform xcb
    PYTHONPATH=. python bench/gui_responsiveness.py --arch lenet5 --train-limit 30000 --strokes 100

What it measures, in one process that starts ``MainWindow`` as ``python main.py`` does:

start-up
    process start (from /proc) to the first turn of the event loop after ``show()``
    (goal < 2 s), and to the pretrained model being ready in the background.
timer lateness
    a 10 ms ``QTimer`` (``Qt.PreciseTimer``) records every timeout; lateness is the
    interval minus 10 ms. Measured while the window is idle (baseline) and while a
    real training run goes on (default: cnn, numpy batching, 10,000 images, 1 epoch);
    worst, 99th and 95th percentile and median. Goal: p99 <= 50 ms during training.
    The timer shares the GUI thread with everything the window does: loss chunks,
    filter and feature-map snapshots, repaints.
strokes while TensorFlow loads (``--platform xcb`` only, e.g. under xvfb-run)
    a second process draws a "7" on the pad with real X events (XTest, 125 Hz, a
    hand's speed) from 0.3 s after the window is shown until ~6 s, while the
    window imports TensorFlow in the background, and again once all is loaded;
    per stroke: how far the drawn line misses the 7's corner (canvas pixels; 10
    are one MNIST pixel), the widest gap between two points the pad got, how
    many of the sent moves arrived, and how late the release was handled. With
    the offscreen platform there are no X events: not measured.
draw-to-prediction
    synthetic strokes (jittered digit shapes, mouse events as a hand sends them);
    the time from the pad's ``drawing_changed`` signal to the window's
    ``prediction_shown`` (MNIST-style preprocessing, the question queued to the
    inference service's thread, one ``predict_proba`` there, the answer's queued
    signal, the bar chart and digit updated), then to the end of the next repaint. Measured idle and
    during training. Goal: <= 30 ms per prediction.

Writes bench/results/gui.json and bench/results/gui.md (a section for bench/RESULTS.md).
Timings from a shared 2-core machine: read the load average recorded beside them.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the Qt imports: they belong to the start-up time

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.common import BENCH_RUNS_DIR, RESULTS_DIR, command_line, data_dir, log, machine_info, write_json  # noqa: E402
from docs.screenshot_common import settle, wait_until  # noqa: E402

TIMER_MS = 10
GOAL_P99_MS = 50.0
GOAL_PREDICTION_MS = 30.0
GOAL_STARTUP_S = 2.0
DIGIT_STROKES = {  # canvas pixels (280 x 280), one polyline per digit
    "3": [(85, 75), (120, 50), (170, 50), (195, 80), (185, 120), (145, 140), (190, 160), (200, 200), (175, 235),
          (125, 240), (85, 215)],
    "7": [(80, 60), (200, 60), (170, 130), (140, 200), (125, 245)],
    "1": [(140, 45), (140, 245)],
    "0": [(140, 50), (95, 80), (80, 145), (95, 210), (140, 240), (185, 210), (200, 145), (185, 80), (140, 50)],
    "2": [(85, 90), (120, 55), (175, 60), (190, 110), (150, 165), (90, 235), (200, 235)],
}  # fmt: skip


STROKE_HZ = 125  # a mouse's report rate
STROKE_SPEED = 600.0  # screen pixels a second: a quick hand on a lecture laptop
STROKE_START_S = 0.3  # after the window is shown
STROKE_EVERY_S = 0.9  # one stroke (~0.6 s) and a short lift of the pen
STARTUP_STROKES_S = 6.0  # strokes start within this long after the window is shown
SEVEN = DIGIT_STROKES["7"]
SEVEN_CORNER = SEVEN[1]  # the corner a hurried pad cuts
CORNER_LOST_PX = 10.0  # canvas pixels (one MNIST pixel): a line this far from the corner has lost it


def stroke_schedule(to_screen, start: float, count: int) -> list:
    """X events for ``count`` sevens from time.monotonic() ``start``: (time, kind, x, y), kind press/move/release."""
    points = [to_screen(x, y) for x, y in SEVEN]
    events = []
    for n in range(count):
        t = start + n * STROKE_EVERY_S
        events.append((t, "press", *points[0]))
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            steps = max(1, round(math.hypot(x1 - x0, y1 - y0) / STROKE_SPEED * STROKE_HZ))
            for i in range(1, steps + 1):
                t += 1.0 / STROKE_HZ
                events.append((t, "move", round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps)))
        events.append((t + 1.0 / STROKE_HZ, "release", *points[-1]))
    return events


def drive_x_strokes(schedule_file: str) -> int:
    """The stroke driver, a process of its own (its own interpreter lock): sends the schedule through XTest.

    Prints the time each event was sent. Needs libX11 and libXtst (ctypes, no Python package).
    """
    import ctypes

    x11, xtst = ctypes.CDLL("libX11.so.6"), ctypes.CDLL("libXtst.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
    xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    display = x11.XOpenDisplay(None)
    if not display:
        print(json.dumps({"error": "cannot open the X display"}))
        return 1
    sent = []
    for t, kind, x, y in json.loads(Path(schedule_file).read_text()):
        delay = t - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        xtst.XTestFakeMotionEvent(display, -1, int(x), int(y), 0)
        if kind != "move":
            xtst.XTestFakeButtonEvent(display, 1, kind == "press", 0)
        x11.XFlush(display)
        sent.append(time.monotonic())
    print(json.dumps({"sent": sent}))
    return 0


class StrokeRecorder:
    """Records the mouse events the pad's canvas receives (monotonic time, kind, canvas x, y)."""

    def __init__(self, QtCore, canvas):
        self.events: list = []
        kinds = {
            QtCore.QEvent.MouseButtonPress: "press",
            QtCore.QEvent.MouseMove: "move",
            QtCore.QEvent.MouseButtonRelease: "release",
        }
        recorder = self

        class Filter(QtCore.QObject):
            def eventFilter(self, obj, event):
                kind = kinds.get(event.type())
                if kind is not None:
                    p = canvas.to_canvas(QtCore.QPointF(event.pos()))
                    recorder.events.append((time.monotonic(), kind, p.x(), p.y()))
                return False

        self._filter = Filter()
        canvas.installEventFilter(self._filter)

    def strokes(self) -> list:
        """One list of (time, x, y) per press-to-release."""
        strokes, current = [], None
        for t, kind, x, y in self.events:
            if kind == "press":
                current = [(t, x, y)]
            elif current is not None:
                current.append((t, x, y))
                if kind == "release":
                    strokes.append(current)
                    current = None
        return strokes


def distance_to_polyline(point, line) -> float:
    px, py = point
    best = math.inf
    for (x0, y0), (x1, y1) in zip(line, line[1:] or line):
        dx, dy = x1 - x0, y1 - y0
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - x0 - t * dx, py - y0 - t * dy))
    return best


def stroke_fidelity(received: list, sent_times: list, moves_sent: int, shown_at: float) -> dict:
    """How the pad drew one stroke: the corner missed, the widest gap, moves arrived, release lag."""
    line = [(x, y) for _, x, y in received]
    gaps = [math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in zip(line, line[1:])]
    return {
        "starts_s": round(sent_times[0] - shown_at, 2),
        "corner_miss_px": round(distance_to_polyline(SEVEN_CORNER, line), 1),
        "widest_gap_px": round(max(gaps, default=0.0), 1),
        "moves_received": len(received) - 2,
        "moves_sent": moves_sent,
        "release_lag_ms": round(1000 * (received[-1][0] - sent_times[-1]), 1),
    }


def summarize_strokes(strokes: list) -> dict:
    if not strokes:
        return {"n": 0}
    corner = [s["corner_miss_px"] for s in strokes]
    return {
        "n": len(strokes),
        "corners_lost": sum(c > CORNER_LOST_PX for c in corner),
        "corner_miss_px_median": round(float(np.median(corner)), 1),
        "corner_miss_px_worst": max(corner),
        "widest_gap_px_worst": max(s["widest_gap_px"] for s in strokes),
        "moves_received": f"{sum(s['moves_received'] for s in strokes)}/{sum(s['moves_sent'] for s in strokes)}",
        "release_lag_ms_worst": max(s["release_lag_ms"] for s in strokes),
    }


def process_age() -> float | None:
    """Seconds since this process was created (Linux /proc), so that interpreter start-up counts too."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after the command name
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def stats_ms(values: list) -> dict:
    if not values:
        return {"n": 0}
    a = np.asarray(values, dtype=float) * 1000.0
    return {
        "n": int(a.size),
        "median": round(float(np.median(a)), 2),
        "p95": round(float(np.percentile(a, 95)), 2),
        "p99": round(float(np.percentile(a, 99)), 2),
        "worst": round(float(a.max()), 2),
    }


class LatenessProbe:
    """A 10 ms precise QTimer that records how late each timeout is."""

    def __init__(self, QtCore):
        self._timer = QtCore.QTimer()
        self._timer.setTimerType(QtCore.Qt.PreciseTimer)
        self._timer.setInterval(TIMER_MS)
        self._timer.timeout.connect(self._on_timeout)
        self._last: float | None = None
        self.lateness: list = []

    def start(self) -> None:
        self.lateness = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list:
        self._timer.stop()
        return self.lateness

    def _on_timeout(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self._last - TIMER_MS / 1000.0))
        self._last = now


def bare_window_lateness(QtCore, QtWidgets, config, data, spin, spin_until) -> tuple:
    """The peer: the same run in a plain thread (convviz.training.Trainer, every event read and
    dropped) beside an empty window, the same 10 ms timer in the GUI thread. What training costs
    the GUI thread on this machine by itself (the GIL, two cores shared with TensorFlow's own
    threads); the window's lateness above it is what drawing the run costs."""
    import threading

    from convviz.training import Trainer

    bare = QtWidgets.QWidget()
    bare.resize(400, 300)
    bare.show()
    stepped, done = threading.Event(), threading.Event()

    def work() -> None:
        try:
            with Trainer(config, data) as trainer:
                for _event in trainer.run():
                    stepped.set()
        finally:
            done.set()

    worker = threading.Thread(target=work, name="peer-training", daemon=True)
    worker.start()
    spin_until(stepped.is_set, 300, "the peer run's first step")  # the graph is built, as in the window
    probe = LatenessProbe(QtCore)
    started = time.perf_counter()
    probe.start()
    spin_until(done.is_set, 1800, "the end of the peer run")
    lateness = probe.stop()
    seconds = time.perf_counter() - started
    worker.join(30)
    bare.close()
    return lateness, seconds


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default=None, help="Qt platform (default: offscreen unless $DISPLAY is set)")
    parser.add_argument("--arch", default="cnn", help="network trained meanwhile (default: %(default)s)")
    parser.add_argument("--batching", default="numpy", help="batching strategy (default: %(default)s)")
    parser.add_argument("--train-limit", type=int, default=10000, help="training images (default: %(default)s)")
    parser.add_argument("--strokes", type=int, default=50, help="strokes per draw measurement (default: %(default)s)")
    parser.add_argument("--size", default="1920x1050", help="window size (default: %(default)s, all panels shown)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "gui.json")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--startup-strokes", type=int, default=7, help="sevens drawn with X events while TensorFlow loads (xcb only)"
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="measure the start-up strokes only, into gui_startup.json"
    )
    parser.add_argument("--label", default="as shipped", help="--startup-only: the name of this variant")
    parser.add_argument(
        "--merge-moves", action="store_true", help="Qt's default: merge queued mouse moves (the app keeps them)"
    )
    parser.add_argument("--x-strokes", help=argparse.SUPPRESS)  # the stroke driver's own process
    args = parser.parse_args(argv)
    if args.x_strokes:
        return drive_x_strokes(args.x_strokes)

    platform = args.platform or ("xcb" if os.environ.get("DISPLAY") else "offscreen")
    os.environ["QT_QPA_PLATFORM"] = platform
    os.environ.setdefault("CONVVIZ_DATA_DIR", data_dir())
    os.environ.setdefault("CONVVIZ_RUNS_DIR", str(BENCH_RUNS_DIR))  # its training runs are not the user's
    age_at_script = process_age()
    script_offset = (age_at_script or 0.0) - (time.perf_counter() - STARTED)  # interpreter start before line 1

    from PyQt5 import QtCore, QtGui, QtWidgets

    from convviz.config import TrainConfig
    from convviz.gui.common import theme
    from convviz.gui.window.app import MainWindow
    from convviz.gui.window.launch import keep_every_mouse_move

    app = QtWidgets.QApplication([sys.argv[0]])
    if not args.merge_moves:
        keep_every_mouse_move()  # as python main.py does
    theme.apply_app_style(app)
    window = MainWindow()
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    window.show()
    marks: dict = {}
    QtCore.QTimer.singleShot(0, lambda: marks.setdefault("shown", time.perf_counter() - STARTED + script_offset))
    QtCore.QTimer.singleShot(0, lambda: marks.setdefault("shown_monotonic", time.monotonic()))
    window.model_changed.connect(lambda _: marks.setdefault("model", time.perf_counter() - STARTED + script_offset))

    def spin_until(condition, timeout: float, what: str) -> None:
        wait_until(app, condition, timeout, what, nap=0.002)

    def spin(seconds: float) -> None:
        settle(app, seconds, nap=0.001)

    spin_until(lambda: "shown" in marks, 30, "the window")
    log(f"window shown {marks['shown']:.2f} s after the process started ({platform}, {window.panel_layout()} layout)")

    # -- strokes while TensorFlow loads, with real X events from another process ---------------------
    canvas = window.drawpad.canvas
    recorder = StrokeRecorder(QtCore, canvas)

    def to_screen(x: float, y: float) -> tuple:
        point = canvas.mapToGlobal(canvas.to_widget(x, y))
        return point.x(), point.y()

    def draw_sevens(start: float, count: int) -> list:
        """Start the driver; returns a function that waits for it and measures each stroke."""
        schedule = stroke_schedule(to_screen, start, count)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(schedule, f)
        first = len(recorder.strokes())
        driver = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--x-strokes", f.name], stdout=subprocess.PIPE, text=True
        )

        def finish() -> list:
            spin_until(lambda: driver.poll() is not None, 120, "the stroke driver")
            spin(0.5)  # the last release may still be in the queue
            os.unlink(f.name)
            sent = json.loads(driver.stdout.read())["sent"]
            received = recorder.strokes()[first:]
            per_stroke = len(schedule) // count
            if len(received) != count:
                raise RuntimeError(f"{count} strokes sent, {len(received)} received (is the window on screen?)")
            shown_at = marks["shown_monotonic"]
            return [
                stroke_fidelity(r, sent[i * per_stroke : (i + 1) * per_stroke], per_stroke - 2, shown_at)
                for i, r in enumerate(received)
            ]

        return finish

    startup = {"measured": False, "reason": "needs X events: run with --platform xcb (e.g. under xvfb-run)"}
    probe = LatenessProbe(QtCore)
    if platform == "xcb" and args.startup_strokes > 0:
        probe.start()
        count = min(args.startup_strokes, int(STARTUP_STROKES_S / STROKE_EVERY_S))
        finish = draw_sevens(marks["shown_monotonic"] + STROKE_START_S, count)
        spin_until(lambda: "model" in marks and window.data() is not None, 180, "the pretrained model and MNIST")
        loading = finish()
        loading_lateness = probe.stop()
        spin(1.0)
        idle = draw_sevens(time.monotonic() + 0.3, count)()
        startup = {
            "measured": True,
            "label": args.label,
            "compress_high_frequency_events": bool(
                QtCore.QCoreApplication.testAttribute(QtCore.Qt.AA_CompressHighFrequencyEvents)
            ),
            "model_ready_s": round(marks["model"], 3),
            "while_loading": summarize_strokes(loading),
            "loaded": summarize_strokes(idle),
            "strokes_while_loading": loading,
            "strokes_loaded": idle,
            "timer_lateness_ms_while_loading": stats_ms(loading_lateness),
        }
        log(f"strokes while loading: {startup['while_loading']}; loaded: {startup['loaded']}")
        if args.startup_only:
            window.close()
            out = args.out.parent / "gui_startup.json"
            variants = json.loads(out.read_text()) if out.exists() else {}
            variants[args.label] = {**startup, "machine": machine_info(), "command": command_line()}
            if not args.no_write:
                write_json(out, variants)
                log(f"wrote {out}")
            return 0
    spin_until(lambda: "model" in marks and window.data() is not None, 180, "the pretrained model and MNIST")
    log(f"pretrained model ready after {marks['model']:.2f} s: {window.model_text()}")

    # -- draw-to-prediction ------------------------------------------------------------------------
    pad, canvas = window.drawpad, window.drawpad.canvas
    emitted: list = []
    shown: list = []
    # Record the signal before the window handles it: disconnect its slot and connect it again after ours.
    pad.drawing_changed.disconnect(window.views.set_drawing)
    pad.drawing_changed.connect(lambda _: emitted.append(time.perf_counter()))
    pad.drawing_changed.connect(window.views.set_drawing)
    window.prediction_shown.connect(lambda _: shown.append(time.perf_counter()))
    rng = np.random.default_rng(0)

    def send(kind, x, y, button, buttons) -> None:
        event = QtGui.QMouseEvent(kind, QtCore.QPointF(canvas.to_widget(x, y)), button, buttons, QtCore.Qt.NoModifier)
        QtWidgets.QApplication.sendEvent(canvas, event)

    def measure_strokes(n: int) -> tuple:
        to_shown, to_painted, correct = [], [], 0
        left, none = QtCore.Qt.LeftButton, QtCore.Qt.NoButton
        for i in range(n):
            label = list(DIGIT_STROKES)[i % len(DIGIT_STROKES)]
            scale = rng.uniform(0.75, 1.05)
            shift = rng.uniform(-25, 25, 2)
            points = [(140 + (x - 140) * scale + shift[0], 140 + (y - 140) * scale + shift[1]) for x, y in
                      DIGIT_STROKES[label]]  # fmt: skip
            pad.clear()
            spin(0.01)
            send(QtCore.QEvent.MouseButtonPress, *points[0], left, left)
            for p in points[1:]:
                send(QtCore.QEvent.MouseMove, *p, none, left)
            emitted.clear()
            shown.clear()
            send(QtCore.QEvent.MouseButtonRelease, *points[-1], left, none)  # emits drawing_changed at once
            if not emitted:
                raise RuntimeError("the release changed no drawing")
            # The answer comes from the inference service's thread by a queued signal (the GUI thread
            # does not wait for it): turn the event loop until it is shown.
            deadline = time.monotonic() + 10.0
            while not shown:
                if time.monotonic() > deadline:
                    raise RuntimeError("the release produced no prediction within 10 s")
                app.processEvents(QtCore.QEventLoop.AllEvents, 5)
                time.sleep(0.0002)
            to_shown.append(shown[-1] - emitted[-1])
            pad.repaint()  # the pad, the 28x28 input, the digit and the bars, painted now
            window.prediction.repaint()
            to_painted.append(time.perf_counter() - emitted[-1])
            correct += int(window.prediction.predicted_digit() == int(label))
            spin(0.03)  # a hand needs a moment between strokes, and the run goes on meanwhile
        return to_shown, to_painted, correct

    probe = LatenessProbe(QtCore)
    probe.start()
    spin(3.0)
    idle_lateness = probe.stop()
    idle_shown, idle_painted, idle_correct = measure_strokes(args.strokes)
    log(
        f"idle: timer p99 {stats_ms(idle_lateness)['p99']} ms; prediction median "
        f"{stats_ms(idle_shown)['median']} ms, {idle_correct}/{args.strokes} strokes read as the intended digit"
    )

    # -- during training -----------------------------------------------------------------------------
    chunks, snapshots, finished = [], [], []
    window.snapshot_shown.connect(lambda _: snapshots.append(time.perf_counter()))
    window.training_finished.connect(finished.append)
    config = TrainConfig(arch=args.arch, batching=args.batching, epochs=1, train_limit=args.train_limit)
    window.loss.raw_curve.sigPlotChanged.connect(lambda *_: chunks.append(time.perf_counter()))
    window.start_training(config)
    spin_until(lambda: window.loss.point_count() > 0, 300, "the first losses")  # the graph is built
    probe.start()
    training_started = time.perf_counter()
    spin(2.0)
    # The synthetic strokes below are the benchmark's own work: each sends a whole stroke of mouse
    # events and repaints the pad at once, a 20-40 ms block of the GUI thread that a hand (events
    # 8 ms apart) never makes. The timer's lateness while they run is kept apart.
    busy_lateness = probe.stop()
    probe.start()
    busy_shown, busy_painted, busy_correct = measure_strokes(min(args.strokes, 30))
    stroke_lateness = probe.stop()
    probe.start()
    spin_until(lambda: finished, 1800, "the end of the run")
    training_seconds = time.perf_counter() - training_started
    busy_lateness += probe.stop()
    log(f"training {finished[0].outcome.status.value}, {training_seconds:.1f} s measured")
    data = window.data()
    window.close()
    spin(1.0)
    peer_lateness, peer_seconds = bare_window_lateness(QtCore, QtWidgets, config, data, spin, spin_until)
    log(f"peer (a bare window beside the same run): timer p99 {stats_ms(peer_lateness)['p99']} ms")

    in_run = [t for t in chunks if t >= training_started]
    result = {
        "benchmark": "gui_responsiveness",
        "command": command_line(),
        "platform": platform,
        "window": {"size": [window.width(), window.height()], "layout": window.panel_layout()},
        "startup": {
            "window_shown_s": round(marks["shown"], 3),
            "model_ready_s": round(marks["model"], 3),
            "goal_s": GOAL_STARTUP_S,
            "meets_goal": marks["shown"] <= GOAL_STARTUP_S,
            "counts_interpreter_start": age_at_script is not None,
        },
        "training": {
            "config": config.to_dict(),
            "status": finished[0].outcome.status.value,
            "seconds_measured": round(training_seconds, 2),
            "loss_updates_per_s": round(len(in_run) / training_seconds, 1),
            "snapshots_per_s": round(len([t for t in snapshots if t >= training_started]) / training_seconds, 2),
        },
        "timer_lateness_ms": {
            "timer_interval_ms": TIMER_MS,
            "idle": stats_ms(idle_lateness),
            "training": stats_ms(busy_lateness),
            "training_with_synthetic_strokes": stats_ms(stroke_lateness),
            "peer_bare_window": stats_ms(peer_lateness),
            "peer_seconds": round(peer_seconds, 2),
            "goal_p99_ms": GOAL_P99_MS,
            "meets_goal": stats_ms(busy_lateness).get("p99", 1e9) <= GOAL_P99_MS,
        },
        "draw_to_prediction_ms": {
            "idle": {"to_shown": stats_ms(idle_shown), "to_painted": stats_ms(idle_painted),
                     "read_as_intended": f"{idle_correct}/{len(idle_shown)}"},
            "training": {"to_shown": stats_ms(busy_shown), "to_painted": stats_ms(busy_painted),
                         "read_as_intended": f"{busy_correct}/{len(busy_shown)}"},
            "goal_ms": GOAL_PREDICTION_MS,
            "meets_goal": max(stats_ms(idle_shown)["p99"], stats_ms(busy_shown)["p99"]) <= GOAL_PREDICTION_MS,
        },
        "machine": machine_info(),
    }  # fmt: skip
    result["machine"]["loadavg_end"] = list(os.getloadavg())
    result["strokes_while_loading"] = startup
    variants_file = args.out.parent / "gui_startup.json"
    result["stroke_variants"] = json.loads(variants_file.read_text()) if variants_file.exists() else {}
    markdown = render_markdown(result)
    print(markdown)
    if not args.no_write:
        write_json(args.out, result)
        args.out.with_suffix(".md").write_text(markdown)
        log(f"wrote {args.out} and {args.out.with_suffix('.md')}")
    return 0


def render_markdown(r: dict) -> str:
    t, d, s, tr, m = r["timer_lateness_ms"], r["draw_to_prediction_ms"], r["startup"], r["training"], r["machine"]
    c = tr["config"]

    def ok(flag: bool) -> str:
        return "yes" if flag else "**no**"

    def row(name: str, x: dict) -> str:
        return f"| {name} | {x['n']} | {x['median']} | {x['p95']} | {x['p99']} | {x['worst']} |"

    lines = [
        "## GUI responsiveness",
        "",
        f"`{r['command']}` — Qt platform `{r['platform']}`, window {r['window']['size'][0]}x{r['window']['size'][1]} "
        f"({r['window']['layout']} layout), {m.get('cpu_model', '?')}, {m.get('nproc', '?')} cores, "
        f"load average {m['loadavg_start'][0]:.1f} at the start (a shared machine), {m.get('date', '')}.",
        "",
        f"Start-up: window shown **{s['window_shown_s']:.2f} s** after the process started "
        f"(goal < {s['goal_s']:.0f} s: {ok(s['meets_goal'])}); the pretrained model, built in the background "
        f"while TensorFlow loads, ready after {s['model_ready_s']:.1f} s.",
        "",
        f"Training meanwhile: {c['arch']}, {c['batching']} batching, {c['train_limit']:,} images, 1 epoch "
        f"({tr['status']}, {tr['seconds_measured']:.1f} s measured); the loss curve was redrawn "
        f"{tr['loss_updates_per_s']:.1f} times a second and the filters/feature maps "
        f"{tr['snapshots_per_s']:.1f} times a second.",
        "",
        f"Lateness of a {t['timer_interval_ms']} ms QTimer in the GUI thread (ms):",
        "",
        "| while | timeouts | median | p95 | p99 | worst |",
        "|---|---:|---:|---:|---:|---:|",
        row("idle", t["idle"]),
        row("training", t["training"]),
        row(
            "training, while the bench sends synthetic strokes (not counted above)",
            t["training_with_synthetic_strokes"],
        ),
        row(f"peer: a bare window beside the same run in a thread ({t['peer_seconds']:.1f} s)", t["peer_bare_window"]),
        "",
        "The synthetic strokes send a whole stroke of mouse events and repaint the pad at once (a block a hand, "
        "whose events come 8 ms apart, never makes): before this was kept apart, those blocks were counted as the "
        "window's. The peer is what training alone costs the GUI thread on this machine (the GIL, two cores shared "
        "with TensorFlow's threads): the window's lateness above the peer's is the cost of drawing the run.",
        "",
        f"Goal p99 <= {t['goal_p99_ms']:.0f} ms during training: {ok(t['meets_goal'])}.",
        "",
        "Draw-to-prediction latency (ms), from the pad's `drawing_changed` to the prediction shown "
        "(preprocessing + one `predict_proba` + panel update), and to the end of the repaint:",
        "",
        "| while | strokes | median | p95 | p99 | worst |",
        "|---|---:|---:|---:|---:|---:|",
        row("idle, to shown", d["idle"]["to_shown"]),
        row("idle, to painted", d["idle"]["to_painted"]),
        row("training, to shown", d["training"]["to_shown"]),
        row("training, to painted", d["training"]["to_painted"]),
        "",
        f"Goal <= {d['goal_ms']:.0f} ms per prediction (p99, to shown): {ok(d['meets_goal'])}. "
        f"Strokes read as the digit they imitate: {d['idle']['read_as_intended']} idle, "
        f"{d['training']['read_as_intended']} during training (the pad's model is then the one being trained).",
        "",
        *render_strokes(r.get("strokes_while_loading", {}), r.get("stroke_variants", {})),
    ]
    return "\n".join(lines)


def render_strokes(this_run: dict, variants: dict) -> list:
    """The start-up strokes: this run's, and the variants measured with --startup-only (before/after a fix)."""
    lines = [
        "### Strokes while TensorFlow loads",
        "",
    ]
    runs = {label: v for label, v in variants.items() if v.get("measured")}
    if this_run.get("measured"):
        runs[f"{this_run['label']} (this run)"] = this_run
    if not runs:
        return [*lines, f"Not measured: {this_run.get('reason', 'no X display')}.", ""]
    lines += [
        f"A second process draws a 7 on the pad with real X events (XTest, {STROKE_HZ} Hz, {STROKE_SPEED:.0f} px/s) "
        f"every {STROKE_EVERY_S} s from {STROKE_START_S} s after the window is shown, while the window imports "
        "TensorFlow and builds the pretrained model in the background; then the same strokes once all is loaded. "
        f"A corner is lost when the drawn line passes more than {CORNER_LOST_PX:.0f} canvas pixels (one MNIST "
        "pixel) from the 7's corner.",
        "",
        "| variant | while | strokes | corners lost | corner miss median / worst (px) | widest gap (px) "
        "| moves received | release lag worst (ms) | GUI timer p99 / worst (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, v in runs.items():
        lateness = v.get("timer_lateness_ms_while_loading", {})
        for name, key, late in (("loading", "while_loading", lateness), ("loaded", "loaded", None)):
            x = v[key]
            timer = f"{late['p99']} / {late['worst']}" if late else ""
            lines.append(
                f"| {label} | {name} | {x['n']} | {x['corners_lost']} | {x['corner_miss_px_median']} / "
                f"{x['corner_miss_px_worst']} | {x['widest_gap_px_worst']} | {x['moves_received']} | "
                f"{x['release_lag_ms_worst']} | {timer} |"
            )
    lines.append("")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
