"""A 7 drawn on the pad with real X events while the GUI thread is busy; prints what the pad received (JSON).

Run under an X server (``xvfb-run -a python -m tests.gui.x_stroke_probe [--merge-moves]``);
tests/gui/test_real_strokes.py does. The GUI thread sleeps while a second process
draws the whole stroke, as it is stalled while TensorFlow loads, so the moves
queue up; ``--merge-moves`` keeps Qt's default of merging them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PyQt5 import QtCore, QtWidgets

from bench import gui_responsiveness as bench
from convviz.gui.panels.drawpad import DrawPadWidget
from convviz.gui.window.launch import keep_every_mouse_move


def main() -> int:
    app = QtWidgets.QApplication([sys.argv[0]])
    if "--merge-moves" not in sys.argv:
        keep_every_mouse_move()
    pad = DrawPadWidget()
    pad.resize(420, 460)
    pad.show()
    canvas = pad.canvas

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents(QtCore.QEventLoop.AllEvents, 20)
            time.sleep(0.002)

    spin(0.5)  # shown and exposed
    recorder = bench.StrokeRecorder(QtCore, canvas)

    def to_screen(x: float, y: float) -> tuple:
        point = canvas.mapToGlobal(canvas.to_widget(x, y))
        return point.x(), point.y()

    schedule = bench.stroke_schedule(to_screen, time.monotonic() + 0.3, 1)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(schedule, f)
    driver = subprocess.Popen(
        [sys.executable, str(Path(bench.__file__).resolve()), "--x-strokes", f.name], stdout=subprocess.PIPE, text=True
    )
    spin(0.25)
    time.sleep(schedule[-1][0] - time.monotonic() + 0.2)  # busy, like a GUI thread while TensorFlow loads
    while driver.poll() is None:
        spin(0.05)
    spin(0.3)
    os.unlink(f.name)
    sent = json.loads(driver.stdout.read())["sent"]
    strokes = recorder.strokes()
    if len(strokes) != 1:
        print(json.dumps({"error": f"1 stroke drawn, {len(strokes)} received"}))
        return 1
    print(json.dumps(bench.stroke_fidelity(strokes[0], sent, len(schedule) - 2, sent[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
