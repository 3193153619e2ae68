"""convviz.classmerge: many students' class sets into one, writers kept, bad files left out one line each."""

from __future__ import annotations

import numpy as np
from PIL import Image

from convviz import classmerge, strokes
from convviz import classset as cs


def _student(folder, n, seed, writer=""):
    drawn = strokes.drawn_digits(n, seed=seed, forms=[(7, "crossed")])
    for image in drawn.images:
        cs.add_drawing(folder, image, 7, writer=writer)
    return folder


def test_merging_keeps_writers_and_leaves_out_bad_files_one_line_each(tmp_path):
    _student(tmp_path / "class" / "Anna", 2, 1)
    _student(tmp_path / "class" / "ben (3b)", 2, 2)
    _student(tmp_path / "class" / "carla", 3, 3, writer="Carla K")
    bad = tmp_path / "class" / "carla"
    (bad / "7-0002.png").write_bytes(b"not a png")  # unreadable
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(str(bad / "7-0003.png"))  # blank: no digit
    (tmp_path / "class" / "broken").mkdir()
    (tmp_path / "class" / "broken" / cs.LABELS_FILE).write_text("name,digit\n")
    target = tmp_path / "merged"
    result = classmerge.merge_class_sets([tmp_path / "class"], target)
    assert result.added == 5 and result.skipped == 3 and len(result.problems) == 3
    assert result.writers == {"Anna": 2, "ben _3b": 2, "Carla K": 1}
    assert all("\n" not in line for line in result.problems)
    assert any("7-0002.png" in line for line in result.problems)
    assert any("holds no digit" in line for line in result.problems)
    assert any("broken" in line for line in result.problems)
    merged = cs.load_class_set(target)
    assert len(merged) == 5 and sorted(set(merged.writers)) == ["Anna", "Carla K", "ben _3b"]
    # a second merge of one student adds to it
    again = classmerge.merge_class_sets([tmp_path / "class" / "Anna"], target)
    assert again.added == 2 and len(cs.read_labels(target)) == 7


def test_a_merge_refuses_itself_and_names_a_missing_source(tmp_path):
    folder = _student(tmp_path / "a", 1, 1)
    try:
        classmerge.merge_class_sets([folder], folder)
    except cs.ClassSetError as exc:
        assert "into itself" in str(exc)
    else:
        raise AssertionError("merged a set into itself")
    result = classmerge.merge_class_sets([tmp_path / "missing", folder], tmp_path / "b")
    assert result.added == 1 and "does not exist" in result.problems[0]
    # a link out of a student's folder is left out, not copied
    secret = tmp_path / "secret.png"
    Image.fromarray(strokes.draw_digit(7, "crossed", np.random.RandomState(0))).save(str(secret))
    linked = _student(tmp_path / "linked", 1, 4)
    (linked / "7-0001.png").unlink()
    (linked / "7-0001.png").symlink_to(secret)
    result = classmerge.merge_class_sets([linked], tmp_path / "c")
    assert result.added == 0 and "points outside its class set" in result.problems[0]
    assert classmerge.writer_from_folder(tmp_path / "---") == "writer"
    assert len(classmerge.writer_from_folder(tmp_path / ("x" * 80))) == cs.MAX_WRITER
