"""``python main.py finetune``: end to end as a user runs it, and one line for every bad input.

``convviz.cli.main`` runs in this process (the ``run_cli`` fixture: the exit code,
stdout and stderr of ``python main.py``); tests/test_cli.py checks a real process.
"""

from __future__ import annotations

import json

import pytest
from PIL import Image

from convviz import classset, cli, strokes
from convviz.model import Model
from tests.conftest import ROOT, mnist_dir


def _class_set(folder, n_ones: int = 8, n_sevens: int = 4):
    ones = strokes.drawn_digits(n_ones, seed=5, forms=[(1, "flagged")])
    sevens = strokes.drawn_digits(n_sevens, seed=5, forms=[(7, "crossed")])
    for image in ones.images:
        classset.add_drawing(folder, image, 1)
    for image in sevens.images:
        classset.add_drawing(folder, image, 7)
    return ones.images[0]


def test_finetune_saves_a_model_that_evaluate_and_classify_load(tmp_path, run_cli):
    drawings, out = tmp_path / "drawings", tmp_path / "taught"
    first = _class_set(drawings)
    # a drawing from elsewhere: a light-on-dark JPEG of another size, listed by hand
    Image.fromarray(255 - first).resize((120, 120)).convert("RGB").save(str(drawings / "scan.jpg"))
    with (drawings / classset.LABELS_FILE).open("a") as f:
        f.write("scan.jpg,1\n")
    proc = run_cli(
        "finetune", "--drawings", str(drawings), "--save", str(out), "--steps", "30", "--seed", "3",
        "--data-dir", str(mnist_dir()), "--json", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["drawings"] == 13 and result["taught"] + result["held_back"] == 13
    assert result["steps"] == 30 and result["seed"] == 3 and result["arch"] == "cnn"
    recorded = json.loads((ROOT / "assets" / "models" / "cnn" / "model.json").read_text())["test_accuracy"]
    assert result["mnist_test_accuracy_before"] == pytest.approx(recorded, abs=1e-4)  # the shipped cnn's
    assert 0.98 < result["mnist_test_accuracy_after"] <= 1.0
    assert result["class_set_accuracy_after"] >= result["class_set_accuracy_before"]
    assert "held-back drawings" in proc.stdout and "MNIST test" in proc.stdout
    # honest scores: a count and an interval beside each; too few held back gives no score at all
    assert result["held_back"] < 10 and result["held_back_accuracy_after"] is None
    assert result["held_back_note"] == f"too few held back to say ({result['held_back']} drawings)"
    assert "too few held back to say" in proc.stdout and "95 % CI" in proc.stdout
    after = result["scores_after"]
    assert after["held_back"] is None and after["mnist_test"]["total"] == 10000
    assert after["mnist_test"]["accuracy"] == pytest.approx(result["mnist_test_accuracy_after"], abs=1e-6)
    low, high = after["mnist_test"]["ci95"]
    assert low < result["mnist_test_accuracy_after"] < high
    assert result["held_back_split"] == "drawings"  # no writers in this class set

    meta = json.loads((out / "model.json").read_text())
    assert meta["arch"] == "cnn" and meta["finetuned"]["drawings"] == 13
    assert meta["test_accuracy"] == result["mnist_test_accuracy_after"]
    assert meta["config"]["epochs"] == 15  # the model it came from is still described

    evaluated = run_cli("evaluate", "--model", str(out), "--data-dir", str(mnist_dir()), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["test_accuracy"] == pytest.approx(result["mnist_test_accuracy_after"])
    classified = run_cli("classify", "--model", str(out), str(drawings / "1-0001.png"))
    assert classified.returncode == 0, classified.stderr
    assert json.loads(classified.stdout)["digit"] in range(10)
    with Model.load(out) as model:
        assert model.arch == "cnn"


def _fails(capsys, *args) -> str:
    code = cli.main(["finetune", *args])
    err = capsys.readouterr().err.strip()
    assert code == cli.EXIT_USAGE, err
    assert len(err.splitlines()) == 1 and err.startswith("convviz: error: "), err
    assert "Traceback" not in err
    return err


@pytest.fixture
def save(tmp_path):
    return ["--save", str(tmp_path / "out"), "--data-dir", str(mnist_dir())]


def test_bad_drawing_folders_get_one_line(tmp_path, capsys, save):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "is empty" in _fails(capsys, "--drawings", str(empty), *save)

    unlisted = tmp_path / "unlisted"
    unlisted.mkdir()
    Image.new("L", (28, 28)).save(str(unlisted / "a.png"))
    assert "has no labels.csv" in _fails(capsys, "--drawings", str(unlisted), *save)

    wrong = tmp_path / "wrong"
    _class_set(wrong, 2, 1)
    text = (wrong / classset.LABELS_FILE).read_text().replace("7-0003.png,7", "7-0003.png,12")
    (wrong / classset.LABELS_FILE).write_text(text)
    assert "row 4: label '12' is not a digit 0-9" in _fails(capsys, "--drawings", str(wrong), *save)

    broken = tmp_path / "broken"
    _class_set(broken, 2, 1)
    (broken / "1-0002.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    err = _fails(capsys, "--drawings", str(broken), *save)
    assert "1-0002.png" in err and "row 3" in err

    assert "does not exist" in _fails(capsys, "--drawings", str(tmp_path / "nowhere"), *save)
    assert not (tmp_path / "out").exists()  # nothing saved


def test_bad_models_targets_and_numbers_get_one_line(tmp_path, capsys, save):
    drawings = tmp_path / "drawings"
    _class_set(drawings, 2, 1)
    assert "not a ConvViz model" in _fails(capsys, "--drawings", str(drawings), "--model", str(drawings), *save)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("mine")
    err = _fails(capsys, "--drawings", str(drawings), "--save", str(foreign))
    assert "not a ConvViz model" in err and (foreign / "thesis.tex").read_text() == "mine"
    assert "--steps must be from 1 to" in _fails(capsys, "--drawings", str(drawings), "--steps", "1000001", *save)
    with pytest.raises(SystemExit) as exited:  # argparse: usage and the error, exit 2
        cli.main(["finetune", "--drawings", str(drawings), "--steps", "0", *save])
    assert exited.value.code == cli.EXIT_USAGE
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli.main(["finetune", "--save", str(tmp_path / "out")])  # --drawings is required
    assert "--drawings" in capsys.readouterr().err


def test_classset_merge_keeps_writers_and_names_each_bad_file(tmp_path, run_cli):
    for student, seed in (("anna", 1), ("ben", 2)):
        for image in strokes.drawn_digits(2, seed=seed, forms=[(7, "crossed")]).images:
            classset.add_drawing(tmp_path / "class" / student, image, 7)
    (tmp_path / "class" / "ben" / "7-0002.png").write_bytes(b"broken")
    out = tmp_path / "merged"
    proc = run_cli("classset", "merge", str(out), str(tmp_path / "class"), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["added"] == 3 and result["writers"] == {"anna": 2, "ben": 1} and result["left_out"] == 1
    left = [line for line in proc.stderr.splitlines() if line.startswith("convviz: left out: ")]
    assert len(left) == 1 and "7-0002.png" in left[0]
    assert classset.load_class_set(out).writers == ("anna", "anna", "ben")
    # nothing readable: exit 2, one line, nothing written
    (tmp_path / "empty").mkdir()
    proc = run_cli("classset", "merge", str(tmp_path / "none"), str(tmp_path / "empty"))
    assert proc.returncode == 2 and "nothing merged" in proc.stderr and "Traceback" not in proc.stderr
