"""The command line: JSON fields, exit codes, one-line errors without tracebacks.

Most tests call ``convviz.cli.main`` in this process (the ``run_cli`` fixture:
same exit code, stdout and stderr as ``python main.py``, without a new Python and
TensorFlow each); the tests of what only a real process shows (its exit status and
stderr when argparse or a one-line error ends it, no display) start ``main.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from convviz import cli
from convviz.cli import main
from convviz.errors import ConvVizError
from tests.conftest import ROOT, mnist_dir

TRAIN_FIELDS = {
    "arch",
    "batching",
    "batch_size",
    "epochs",
    "train_images",
    "seconds",
    "images_per_second",
    "test_accuracy",
    "final_train_loss",
}


def test_train_json_and_save_then_evaluate_and_classify(tmp_path, mnist, run_cli):
    model_dir = tmp_path / "model"
    proc = run_cli(
        "train",
        "--arch",
        "lenet5",
        "--batching",
        "dataset",
        "--batch-size",
        "50",
        "--epochs",
        "2",
        "--train-limit",
        "1000",
        "--seed",
        "3",
        "--data-dir",
        str(mnist_dir()),
        "--save",
        str(model_dir),
        "--json",
        check_rc=0,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert TRAIN_FIELDS <= set(result)
    assert result["arch"] == "lenet5" and result["batching"] == "dataset" and result["epochs"] == 2
    assert result["train_images"] == 2000  # 1,000 images, twice
    assert 0.5 < result["test_accuracy"] <= 1 and result["images_per_second"] > 0 and result["seconds"] > 0
    assert "epoch 2/2" in proc.stdout  # the per-epoch test accuracy line

    proc = run_cli("evaluate", "--model", str(model_dir), "--data-dir", str(mnist_dir()), "--json", check_rc=0)
    evaluated = json.loads(proc.stdout.strip().splitlines()[-1])
    assert evaluated["test_accuracy"] == pytest.approx(result["test_accuracy"], abs=1e-6)

    # classify: real test digits saved as dark-on-light PNGs of another size, like a scan
    files = []
    for i in range(3):
        digit = (255 - mnist.test_images[i, :, :, 0] * 255).astype(np.uint8)
        path = tmp_path / f"digit{i}.png"
        Image.fromarray(digit).resize((140, 140)).save(path)
        files.append(str(path))
    proc = run_cli("classify", "--model", str(ROOT / "assets" / "models" / "lenet5"), *files, check_rc=0)
    lines = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert [line["file"] for line in lines] == files
    assert [line["digit"] for line in lines] == [int(v) for v in mnist.test_labels[:3]]
    assert all(len(line["probabilities"]) == 10 and abs(sum(line["probabilities"]) - 1) < 1e-4 for line in lines)


def test_memory_reproduces_the_exercise(capsys):
    assert main(["memory", "--arch", "dense", "--batch-size", "64", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total_full_bytes"] == pytest.approx(335e6, rel=0.02)
    assert report["total_batch_bytes"] < report["total_full_bytes"] / 100
    assert main(["memory", "--arch", "cnn"]) == 0
    assert "conv1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--batch-size", "0"], "must be at least 1"),
        (["train", "--lr", "-1"], "learning rate must be in"),
        (["train", "--lr-decay", "2"], "decay must be in"),
        (["train", "--train-limit", "70000"], "train limit must be between"),
        (["train", "--data-dir", "/nonexistent/mnist", "--no-download"], "MNIST"),
        (["evaluate", "--model", "/nonexistent/model"], "does not exist"),
        (["classify", "--model", "assets/models/lenet5", "/nonexistent.png"], "/nonexistent.png"),
        (["memory", "--arch", "cnn", "--batch-size", "x"], "not a whole number"),
        (["memory", "--batch-size", "100", "--images", "10"], "larger than the full batch"),
        # numpy's RandomState and the tf.data shuffle seed (seed * 1000 + epoch, int64) bound the seed
        (["train", "--seed", "100000000000000000000"], "seed must be between 0 and 4294967295"),
        (["train", "--seed", "9300000000000000", "--batching", "dataset"], "seed must be between 0 and 4294967295"),
        (["train", "--epochs", "1001"], "epochs must be between 1 and 1000"),
        (["train", "--seed", "9" * 5000], "'999999999999999999999999999...' is not a whole number"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path, monkeypatch, run_cli):
    # no MNIST anywhere else either: the lookup falls back to the user's folders
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CONVVIZ_DATA_DIR", raising=False)
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr.strip().splitlines()[-1]
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--batch-size", "0"], "must be at least 1"),  # argparse ends the process
        (["memory", "--batch-size", "100", "--images", "10"], "larger than the full batch"),  # main returns 2
    ],
)
def test_a_real_process_exits_2_with_one_line(args, message):
    """The exit status and stderr of `python main.py` itself, for both ways bad input ends it."""
    proc = subprocess.run([sys.executable, "main.py", *args], cwd=str(ROOT), capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr.strip().splitlines()[-1]
    assert proc.stdout == ""


def test_classify_rejects_an_empty_drawing(tmp_path, run_cli):
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((280, 280), 255, np.uint8)).save(blank)
    proc = run_cli("classify", "--model", "assets/models/lenet5", str(blank), check_rc=2)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"convviz: error: {blank}: the image is empty: draw a digit first"]


def test_classify_reports_every_file(tmp_path, mnist, run_cli):
    files = {}
    for name, i in (("a", 0), ("b", 1)):
        files[name] = tmp_path / f"{name}.png"
        Image.fromarray((255 - mnist.test_images[i, :, :, 0] * 255).astype(np.uint8)).save(files[name])
    files["white"] = tmp_path / "white.png"
    Image.fromarray(np.full((100, 100), 255, np.uint8)).save(files["white"])
    files["missing"] = tmp_path / "missing.png"
    order = ["a", "white", "b", "missing"]
    proc = run_cli("classify", "--model", "assets/models/lenet5", *(str(files[n]) for n in order), check_rc=2)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(files["a"]), str(files["b"])]
    assert [line["digit"] for line in lines] == [int(v) for v in mnist.test_labels[:2]]
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2 and "Traceback" not in proc.stderr
    assert str(files["white"]) in errors[0] and "empty" in errors[0]
    assert str(files["missing"]) in errors[1] and "no such file" in errors[1]


def test_classify_refuses_a_model_with_nan_weights(tmp_path, run_cli):
    broken = tmp_path / "broken"
    shutil.copytree(str(ROOT / "assets" / "models" / "lenet5"), str(broken))
    with np.load(str(broken / "weights.npz")) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["logits.bias"] = arrays["logits.bias"].copy()
    arrays["logits.bias"][0] = np.nan
    np.savez(str(broken / "weights.npz"), **arrays)
    digit = tmp_path / "digit.png"
    Image.fromarray(np.pad(np.full((20, 4), 255, np.uint8), 4)).save(digit)
    proc = run_cli("classify", "--model", str(broken), str(digit), check_rc=2)
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"convviz: error: {broken / 'weights.npz'}: logits/bias hold NaN or infinite values; "
        "the model is broken, train it again"
    ]


def test_json_output_is_strict():
    with pytest.raises(ValueError):
        cli.common.to_json({"probabilities": [float("nan")]})


@pytest.mark.parametrize("where", ["a file", "under a file", "a foreign folder"])
def test_save_target_is_checked_before_training(tmp_path, where, run_cli):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "thesis.tex").write_text("x")
    target = {"a file": a_file, "under a file": a_file / "model", "a foreign folder": tmp_path / "documents"}[where]
    proc = run_cli("train", "--train-limit", "100", "--data-dir", str(mnist_dir()), "--save", str(target), check_rc=2)
    assert proc.stdout == ""  # no epoch ran
    assert proc.stderr.strip().splitlines()[-1].startswith(f"convviz: error: cannot save the model to {target}: ")
    assert "training" not in proc.stderr


def test_no_display_gives_one_line_instead_of_a_qt_abort():
    env = {
        k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run([sys.executable, "main.py"], cwd=str(ROOT), capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "convviz: error: no display to open the window on: run it in a desktop session (or under xvfb-run), "
        "or use the command line: python main.py --help"
    ]


def test_help_for_every_command():
    for command in ("train", "evaluate", "classify", "memory"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0


def _raising(exc: BaseException):
    def command(*args):
        raise exc

    return command


def test_a_convviz_error_is_bad_input_in_one_line(monkeypatch, capsys):
    monkeypatch.setitem(cli.COMMANDS, "memory", _raising(ConvVizError("the model folder is empty\nsecond line")))
    assert main(["memory"]) == cli.EXIT_USAGE == 2
    assert capsys.readouterr().err == "convviz: error: the model folder is empty\n"


@pytest.mark.parametrize("exc", [ZeroDivisionError("division by zero"), ValueError("bad shape"), OSError(5, "I/O")])
def test_any_other_exception_is_a_bug_with_a_short_traceback(exc, monkeypatch, capsys):
    """Never dressed up as bad input: exit 1, the innermost frames, and a line that says it is a bug."""

    def deep(n):
        if n == 0:
            raise exc
        deep(n - 1)

    monkeypatch.setitem(cli.COMMANDS, "memory", lambda args: deep(10))
    assert main(["memory"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines[0].startswith("Traceback") and f"{type(exc).__name__}: " in err
    assert "bug in ConvViz" in lines[-1] and "error:" not in err
    assert err.count('File "') == cli.BUG_FRAMES  # short: not eleven frames

    assert main(["--verbose", "memory"]) == 1  # --verbose: the whole traceback
    assert capsys.readouterr().err.count('File "') > 10


def test_ctrl_c_exits_130(monkeypatch, capsys):
    monkeypatch.setitem(cli.COMMANDS, "memory", _raising(KeyboardInterrupt()))
    assert main(["memory"]) == 130
    assert capsys.readouterr().err == "convviz: interrupted\n"


def test_a_diverged_loss_exits_1_in_one_line(monkeypatch, capsys):
    from convviz.training import TrainingError

    monkeypatch.setattr(cli.train, "load_data", lambda args: None)
    monkeypatch.setattr(cli.train, "_train", _raising(TrainingError("the loss became NaN at batch 3")))
    assert main(["train", "--quiet", "--json"]) == cli.EXIT_FAILED == 1
    captured = capsys.readouterr()
    assert captured.err == "convviz: the loss became NaN at batch 3\n"
    assert captured.out == ""  # no JSON for a run that failed
