"""The command line of evaluate --confusion / --errors, explain; as a user runs it.

``convviz.cli.main`` runs in this process (the ``run_cli`` fixture: the exit code,
stdout and stderr of ``python main.py``); tests/test_cli.py checks a real process.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from convviz import attack, cli, explain, saliency_methods
from convviz.model import Model
from tests.conftest import ROOT, mnist_dir


def _parse_matrix(text: str) -> tuple[np.ndarray, list[float]]:
    """The printed matrix: the 10 lines after the 'true\\pred' header, counts then 'NN.NN%'."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("true\\pred")) + 1
    header = lines[start - 1].split()
    assert header[1:11] == [str(d) for d in range(10)] and header[-1] == "accuracy"
    rows, shares = [], []
    for digit, line in enumerate(lines[start : start + 10]):
        cells = line.split()
        assert cells[0] == str(digit)
        rows.append([int(v) for v in cells[1:11]])
        shares.append(float(cells[11].rstrip("%")) / 100)
    return np.array(rows), shares


def test_evaluate_prints_the_confusion_matrix_and_writes_the_mistakes(tmp_path, mnist, run_cli):
    sheet = tmp_path / "errors.png"
    proc = run_cli(
        "evaluate",
        "--model",
        "assets/models/cnn",
        "--data-dir",
        str(mnist_dir()),
        "--confusion",
        "--errors",
        "25",
        "--errors-png",
        str(sheet),
        "--json",
        check_rc=0,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    matrix = np.array(result["confusion"])
    assert matrix.shape == (10, 10) and matrix.sum() == 10000
    assert (matrix.sum(axis=1) == np.bincount(mnist.test_labels, minlength=10)).all()
    assert np.trace(matrix) / 10000 == pytest.approx(result["test_accuracy"], abs=1e-12)
    np.testing.assert_allclose(result["per_class_accuracy"], np.diag(matrix) / matrix.sum(axis=1), atol=1e-6)
    assert result["mistakes"] == 10000 - np.trace(matrix) >= 25
    assert result["errors_shown"] == 25 and result["errors_png"] == str(sheet)
    with Image.open(str(sheet)) as picture:
        assert picture.format == "PNG"
        tiles = np.asarray(picture.convert("L"))
    assert tiles.shape == (3 * explain.TILE_HEIGHT, 10 * explain.TILE_WIDTH)  # 25 tiles: 10, 10 and 5
    filled = [
        tiles[
            r * explain.TILE_HEIGHT : (r + 1) * explain.TILE_HEIGHT,
            c * explain.TILE_WIDTH : (c + 1) * explain.TILE_WIDTH,
        ].max()
        > 0
        for r in range(3)
        for c in range(10)
    ]
    assert filled == [True] * 25 + [False] * 5
    # the first tile is the most confident mistake: the digit with the highest wrong confidence
    with Model.load(ROOT / "assets" / "models" / "cnn") as model:
        p = model.predict_proba(mnist.test_images)
    predicted = p.argmax(axis=1)
    wrong = np.flatnonzero(predicted != mnist.test_labels)
    first = wrong[np.argmax(p[wrong, predicted[wrong]])]
    pad, side = explain.SHEET_PAD, 28 * explain.SHEET_SCALE
    shown = tiles[pad : pad + side : explain.SHEET_SCALE, pad : pad + side : explain.SHEET_SCALE]
    np.testing.assert_array_equal(shown, (mnist.test_images[first, :, :, 0] * 255 + 0.5).astype(np.uint8))

    # the same matrix as readable text, rows the true digits
    proc = run_cli(
        "evaluate", "--model", "assets/models/cnn", "--data-dir", str(mnist_dir()), "--confusion", check_rc=0
    )
    printed, shares = _parse_matrix(proc.stdout)
    np.testing.assert_array_equal(printed, matrix)
    np.testing.assert_allclose(shares, result["per_class_accuracy"], atol=5e-5)
    assert "rows = true digit, columns = predicted digit" in proc.stdout


def _digit_png(mnist, index: int, path) -> str:
    """A real test digit saved dark on light at 140x140, like a scan: classify's preprocessing reads it back."""
    digit = (255 - mnist.test_images[index, :, :, 0] * 255).astype(np.uint8)
    Image.fromarray(digit).resize((140, 140)).save(str(path))
    return str(path)


@pytest.mark.parametrize("method", ["occlusion", "gradient"])
def test_explain_writes_the_overlay(method, tmp_path, mnist, run_cli):
    image = _digit_png(mnist, 0, tmp_path / "seven.png")
    out = tmp_path / "overlay.png"
    proc = run_cli(
        "explain", "--model", "assets/models/cnn", image, "--method", method, "--png", str(out), "--json", check_rc=0
    )
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert line["digit"] == line["class"] == int(mnist.test_labels[0]) == 7
    assert line["method"] == method and 0.5 < line["probability"] <= 1 and line["png"] == str(out)
    with Image.open(str(out)) as picture:
        assert picture.format == "PNG" and picture.width > 280 and picture.height >= 280
        rgb = np.asarray(picture.convert("RGB")).astype(int)
    assert (rgb[..., 0] - rgb[..., 2] > 100).any()  # red somewhere: the map is drawn, not only the digit
    # without --json: one readable line; --class explains another digit
    proc = run_cli("explain", image, "--method", method, "--class", "1", "--png", str(out), check_rc=0)
    assert proc.stdout.startswith(f"{image}: digit 7 (") and "class 1:" in proc.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["evaluate", "--errors", "0", "--errors-png", "x.png"], "--errors must be from 1 to 500, got 0"),
        (["evaluate", "--errors", "501", "--errors-png", "x.png"], "--errors must be from 1 to 500, got 501"),
        (["evaluate", "--errors", "many", "--errors-png", "x.png"], "--errors must be a whole number"),
        (["evaluate", "--errors", "5"], "--errors N needs --errors-png FILE"),
        (["evaluate", "--errors-png", "x.png"], "--errors-png FILE needs --errors N"),
        (["evaluate", "--errors", "5", "--errors-png", "/nonexistent/x.png"], "the folder /nonexistent does not exist"),
        (["explain", "/nonexistent/digit.png", "--png", "out.png"], "cannot read image /nonexistent/digit.png"),
        (["explain", "digit.png", "--method", "lime", "--png", "out.png"], "unknown method 'lime'"),
        (["explain", "digit.png"], "explain needs --png OUT"),
        (["explain", "digit.png", "--png", "out.png", "--class", "12"], "--class must be a digit 0 to 9"),
        (["explain", "--model", "/nonexistent/model", "DIGIT", "--png", "out.png"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path, mnist, run_cli, monkeypatch):
    digit = _digit_png(mnist, 1, tmp_path / "digit.png")
    args = [digit if a == "DIGIT" else a for a in args]
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(mnist_dir()))
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("convviz: error: ") and message in lines[0], proc.stderr
    assert proc.stdout == ""
    assert not (ROOT / "out.png").exists() and not (ROOT / "x.png").exists()


def test_the_cli_bounds_are_the_cores():
    assert cli.evaluate.MAX_ERRORS == explain.MAX_SHEET
    assert cli.explain.EXPLAIN_METHODS == saliency_methods.METHODS  # explain.METHODS and the trusted ones
    assert cli.attack.ATTACK_METHODS == attack.METHODS and cli.attack.MAX_EPS_VALUES == attack.MAX_EPS_VALUES


def test_help_for_explain():
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["explain", "--help"])
    assert exit_info.value.code == 0
