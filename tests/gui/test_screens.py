"""The real window fits every screen a lecture meets, from an old 1024x768 projector to 4K.

Each size runs docs/screen_check.py in a real X window (Xvfb, as CI installs it): every
visible widget on the screen and at least its minimum size, no two labels or sibling
widgets over each other, the probability chart, the pad and the loss plot at a usable
size. 3840x2160 runs with Qt's high-DPI scaling (QT_SCALE_FACTOR=2), as on a 4K laptop.
Both languages are checked in one process per size, each in a window of its own (German
words are longer: "Zeichenfläche", "Lernraten-abnahme"): one X server and one TensorFlow
import per size, not per language.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, mnist_dir, require_xvfb, xvfb_run

SIZES = ("1024x768", "1280x720", "1280x800", "1366x768", "1920x1080", "2560x1440", "3840x2160")


LANGUAGES = ("en", "de")


@pytest.mark.parametrize("size", SIZES)
def test_the_window_fits_the_screen(size, tmp_path):
    require_xvfb()
    env = dict(os.environ, CONVVIZ_DATA_DIR=str(mnist_dir()), PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform, on the virtual screen
    if size == "3840x2160":
        env["QT_SCALE_FACTOR"] = "2"
    proc = subprocess.run(
        [*xvfb_run(size), sys.executable, "docs/screen_check.py",
         "--out", str(tmp_path), "--languages", *LANGUAGES],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(LANGUAGES), proc.stdout[-2000:] + proc.stderr[-2000:]
    width, height = (int(v) for v in size.split("x"))
    scale = 2 if size == "3840x2160" else 1
    for language, line in zip(LANGUAGES, lines):
        report = json.loads(line)
        assert report["language"] == language
        assert report["problems"] == [], f"[{language}] " + "\n".join(report["problems"])
        assert report["screen"] == [width // scale, height // scale]  # the screen it was meant to test
        assert len(list(tmp_path.glob(f"*-{language}-*.png"))) >= 1  # a screenshot to look at
    assert proc.returncode == 0


def test_screen_check_names_an_unknown_language_in_one_line(capsys):
    spec = importlib.util.spec_from_file_location("screen_check", str(ROOT / "docs" / "screen_check.py"))
    screen_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screen_check)
    with pytest.raises(SystemExit) as exited:
        screen_check.main(["--languages", "en", "fr"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("--languages: fr is not one of en, de")
