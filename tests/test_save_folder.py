"""Save…'s folder rule (convviz.pretrained.judge_save_folder) and the name it suggests: no Qt, no window."""

from __future__ import annotations

import datetime
import json
import shutil

import numpy as np
import pytest

from convviz import model as model_lib
from convviz import pretrained
from convviz.pretrained import PRETRAINED_DIR, judge_save_folder, suggest_folder


@pytest.fixture
def saved(tmp_path):
    """A folder as ConvViz saves it."""
    weights = {"fc1/kernel": np.zeros((2, 2), np.float32)}
    return model_lib.save_weights(tmp_path / "saved", "dense", weights, {"note": "a test"})


def test_new_and_empty_folders_are_taken(tmp_path):
    assert judge_save_folder(tmp_path / "lenet5-trained") == ("new", "")
    assert judge_save_folder(tmp_path / "a" / "b" / "c").kind == "new"  # save_weights makes the parents
    (tmp_path / "empty").mkdir()
    assert judge_save_folder(tmp_path / "empty") == ("empty", "")
    (tmp_path / "browsed").mkdir()
    (tmp_path / "browsed" / ".DS_Store").write_bytes(b"\0")  # a file browser looked at it
    assert judge_save_folder(tmp_path / "browsed").kind == "empty"


def test_a_convviz_model_may_be_replaced(saved):
    assert judge_save_folder(saved) == ("model", "")
    (saved / "train.log").write_text("epoch 1 ...\n")  # the CLI's log of the run beside it
    assert judge_save_folder(saved).kind == "model"
    assert not judge_save_folder(saved).refused


def test_the_shipped_models_are_convviz_models(tmp_path):
    copy = shutil.copytree(str(PRETRAINED_DIR / "lenet5"), str(tmp_path / "lenet5"))
    assert judge_save_folder(copy).kind == "model"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: (d / "notes.txt").write_text("mine"), ["notes.txt", "choose a new folder name"]),
        (lambda d: (d / "photos").mkdir(), ["photos"]),
        (lambda d: [(d / f"f{i}").write_text("x") for i in range(5)], ["f0, f1, f2 and 2 more"]),
    ],
    ids=["a file", "a folder", "many files"],
)
def test_a_folder_of_other_files_is_refused_even_beside_a_model(tmp_path, saved, make, words):
    for folder in (tmp_path / "other", saved):
        folder.mkdir(exist_ok=True)
        make(folder)
        verdict = judge_save_folder(folder)
        assert verdict.refused and str(folder) in verdict.reason and "\n" not in verdict.reason
        for word in words:
            assert word in verdict.reason


def test_files_named_like_a_model_but_not_a_convviz_model_are_refused(tmp_path, saved):
    (saved / "model.json").write_text(json.dumps({"format": "someone-else", "arch": "dense"}))
    assert judge_save_folder(saved).refused
    (saved / "model.json").write_text("{not json")
    assert judge_save_folder(saved).refused
    (saved / "model.json").unlink()
    verdict = judge_save_folder(saved)  # weights without a description: not a model we can load
    assert verdict.refused and "not a ConvViz model" in verdict.reason
    odd = tmp_path / "odd"
    (odd / "model.json").mkdir(parents=True)  # a folder named like the file
    assert judge_save_folder(odd).refused


def test_a_file_or_a_dangling_link_is_refused(tmp_path):
    (tmp_path / "weights.npz").write_bytes(b"PK")
    verdict = judge_save_folder(tmp_path / "weights.npz")
    assert verdict.refused and "is a file, not a folder" in verdict.reason
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    assert judge_save_folder(tmp_path / "link").refused


def test_the_rule_knows_the_model_files_by_the_names_the_model_module_writes():
    assert pretrained.RUN_LOG_FILE == model_lib.RUN_LOG_FILE and pretrained.MODEL_FORMAT == model_lib.FORMAT


def test_the_suggested_folder_is_new_and_says_what_and_when(tmp_path):
    day = datetime.date(2026, 11, 29)
    first = suggest_folder(tmp_path, "lenet5", "trained", day)
    assert first == tmp_path / "lenet5-trained-2026-11-29" and judge_save_folder(first).kind == "new"
    first.mkdir()
    assert suggest_folder(tmp_path, "lenet5", "trained", day).name == "lenet5-trained-2026-11-29-2"
    (tmp_path / "lenet5-trained-2026-11-29-2").write_text("a file takes the name too")
    assert suggest_folder(tmp_path, "lenet5", "trained", day).name == "lenet5-trained-2026-11-29-3"
    assert suggest_folder(tmp_path, "cnn", "pretrained").name.startswith("cnn-pretrained-20")
