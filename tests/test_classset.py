"""convviz.classset: the class set's folder round-trips, and every bad folder is one line naming the fault."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from convviz import classset as cs
from convviz import strokes
from convviz.preprocess import to_mnist


def _drawings(n: int = 6, seed: int = 0):
    drawn = strokes.drawn_digits(n, seed=seed, forms=[(7, "crossed"), (1, "flagged")])
    return drawn.images, drawn.labels


def _write_set(folder, rows, header="file,label"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / cs.LABELS_FILE).write_text("\n".join([header, *rows]) + "\n")
    return folder


def _png(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(str(path))


def _error(folder) -> str:
    with pytest.raises(cs.ClassSetError) as caught:
        cs.load_class_set(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_class_set_round_trips(tmp_path):
    images, labels = _drawings()
    folder = tmp_path / "set"
    for image, label in zip(images, labels):
        cs.add_drawing(folder, image, int(label))
    mnist_like = to_mnist(images[0], invert=True)  # a 28 x 28 image, white ink on black, in [0, 1]
    added = cs.add_drawing(folder, mnist_like, 7)
    assert added.file == "7-0013.png" and added.row == 14

    loaded = cs.load_class_set(folder)
    assert len(loaded) == 13 and list(loaded.labels) == [*labels.tolist(), 7]
    assert loaded.files[0] == "7-0001.png" and loaded.files[6] == "1-0007.png"
    for i, image in enumerate(images):  # the same pixels, through the same preprocessing as classify
        assert np.abs(loaded.images[i] - to_mnist(image, invert=True)).max() < 1e-6
    saved = np.round(mnist_like * 255).astype(np.uint8)  # a float image is saved as 8-bit grey
    assert np.abs(loaded.images[12] - to_mnist(saved)).max() < 1e-6
    assert np.abs(loaded.images[12] - mnist_like).mean() < 0.02  # a 28 x 28 digit is nearly itself
    assert list(loaded.counts()) == [0, 6, 0, 0, 0, 0, 0, 7, 0, 0]
    assert loaded.path(0) == folder / "7-0001.png"
    assert not [n for n in os.listdir(str(folder)) if n.startswith(".")]  # no temporary files left

    copy = cs.export_class_set(folder, tmp_path / "exported")
    again = cs.load_class_set(copy)
    assert again.files == loaded.files and (again.labels == loaded.labels).all()
    assert np.array_equal(again.images, loaded.images)

    other = tmp_path / "other"
    cs.add_drawing(other, images[0], 7)
    assert cs.import_class_set(copy, other) == 13
    merged = cs.load_class_set(other)
    assert len(merged) == 14 and len(set(merged.files)) == 14
    assert np.array_equal(merged.images[1:], loaded.images)


def test_edit_remove_and_clear(tmp_path):
    images, labels = _drawings(2)
    folder = tmp_path / "set"
    for image, label in zip(images, labels):
        cs.add_drawing(folder, image, int(label))
    (folder / "notes.txt").write_text("the teacher's own file")
    cs.relabel_drawing(folder, "1-0003.png", 4)
    assert cs.load_class_set(folder).labels.tolist() == [7, 7, 4, 1]
    cs.remove_drawing(folder, "7-0001.png")
    assert not (folder / "7-0001.png").exists()
    assert cs.load_class_set(folder).files == ("7-0002.png", "1-0003.png", "1-0004.png")
    with pytest.raises(cs.ClassSetError, match=r"7-0001\.png is not in the class set"):
        cs.remove_drawing(folder, "7-0001.png")
    assert cs.add_drawing(folder, images[0], 7).file == "7-0005.png"  # numbers are never reused
    assert cs.clear_class_set(folder) == 4
    assert sorted(os.listdir(str(folder))) == ["labels.csv", "notes.txt"]  # only the listed files went
    assert "lists no drawings" in _error(folder)


def test_adding_refuses_what_is_not_a_drawing(tmp_path):
    folder = tmp_path / "set"
    image = _drawings(1)[0][0]
    for label in (10, -1, True, 7.0, "7"):
        with pytest.raises(cs.ClassSetError, match=r"a label is a digit 0-9"):
            cs.add_drawing(folder, image, label)
    with pytest.raises(cs.ClassSetError, match="empty"):
        cs.add_drawing(folder, np.full((280, 280), 255, np.uint8), 3)
    with pytest.raises(cs.ClassSetError, match="2-D"):
        cs.add_drawing(folder, np.zeros((2, 28, 28)), 3)
    with pytest.raises(cs.ClassSetError, match="at most"):
        cs.add_drawing(folder, np.zeros((5000, 10), np.uint8), 3)
    assert not (folder / cs.LABELS_FILE).exists() or cs.read_labels(folder) == []


def test_bad_folders_get_one_line_naming_the_fault(tmp_path):
    image = _drawings(1)[0][0]
    assert "does not exist" in _error(tmp_path / "missing")

    empty = tmp_path / "empty"
    empty.mkdir()
    assert "is empty" in _error(empty)

    unlisted = tmp_path / "unlisted"
    _png(unlisted / "a.png", image)
    assert "has no labels.csv" in _error(unlisted)

    header = _write_set(tmp_path / "header", ["a.png,7"], header="name,digit")
    assert "file,label" in _error(header)

    for label, shown in (("12", "'12'"), ("x", "'x'"), ("", "''"), ("-1", "'-1'")):
        bad = _write_set(tmp_path / f"label{len(label)}{label}", ["a.png,7", f"b.png,{label}"])
        message = _error(bad)
        assert f"row 3: label {shown} is not a digit 0-9" in message, message

    missing = _write_set(tmp_path / "missing_file", ["gone.png,7"])
    message = _error(missing)
    assert "gone.png" in message and "row 2" in message and "does not exist" in message

    unreadable = _write_set(tmp_path / "unreadable", ["a.png,7", "broken.png,3"])
    _png(unreadable / "a.png", image)
    (unreadable / "broken.png").write_text("not an image")
    message = _error(unreadable)
    assert "broken.png" in message and "row 3" in message and "cannot read" in message, message

    blank = _write_set(tmp_path / "blank", ["white.png,3"])
    _png(blank / "white.png", np.full((50, 50), 255))
    message = _error(blank)
    assert "white.png" in message and "no digit" in message, message

    twice = _write_set(tmp_path / "twice", ["a.png,7", "b.png,1", "a.png,1"])
    assert "row 4: a.png is listed twice (also in row 2)" in _error(twice)

    outside = _write_set(tmp_path / "outside", ["../a.png,7"])
    assert "not inside the class set folder" in _error(outside)
    absolute = _write_set(tmp_path / "absolute", [f"{tmp_path / 'a.png'},7"])
    assert "not inside the class set folder" in _error(absolute)

    short = _write_set(tmp_path / "short", ["a.png"])
    assert "row 2: expected the columns file,label" in _error(short)

    none = _write_set(tmp_path / "none", [])
    assert "lists no drawings" in _error(none)

    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / cs.LABELS_FILE).write_bytes(b"file,label\n\xff\xfe,7\n")
    assert "not UTF-8" in _error(binary)

    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    assert "is a file, not a folder" in _error(a_file)


def test_sizes_from_outside_are_bounded(tmp_path):
    image = _drawings(1)[0][0]
    many = _write_set(tmp_path / "many", [f"{i}.png,1" for i in range(6)])
    with pytest.raises(cs.ClassSetError, match="more than 5 drawings"):
        cs.load_class_set(many, max_drawings=5)
    huge = tmp_path / "huge"
    huge.mkdir()
    (huge / cs.LABELS_FILE).write_bytes(b"file,label\n" + b"a.png,1\n" * (cs.MAX_LABELS_BYTES // 8 + 1))
    assert "larger than" in _error(huge)
    long_name = _write_set(tmp_path / "long", ["a" * 300 + ".png,1"])
    assert "longer than" in _error(long_name)
    # any size and either polarity, as classify reads it: a large light-on-dark JPEG
    scan = _write_set(tmp_path / "scan", ["seven.jpg,7"])
    big = np.asarray(Image.fromarray(255 - image).resize((900, 900)))
    Image.fromarray(big).convert("RGB").save(str(scan / "seven.jpg"))
    loaded = cs.load_class_set(scan)
    assert np.abs(loaded.images[0] - to_mnist(image, invert=True)).mean() < 0.05


def test_the_held_back_split_is_per_digit_deterministic_and_stable():
    files = [f"{d}-{i:04d}.png" for d in range(3) for i in range(40)]
    labels = np.repeat(np.arange(3), 40)
    taught, held = cs.held_back_split(files, labels, 0.25, seed=0)
    assert len(taught) + len(held) == 120 and not set(taught) & set(held)
    for d in range(3):
        assert 4 <= np.sum(labels[held] == d) <= 18  # about a quarter of each digit
    again = cs.held_back_split(files, labels, 0.25, seed=0)
    assert (again[1] == held).all()
    other = cs.held_back_split(files, labels, 0.25, seed=1)
    assert set(other[1]) != set(held)
    # adding drawings moves none of the old ones across
    more_files = [*files, *(f"0-{i:04d}.png" for i in range(40, 60))]
    more = cs.held_back_split(more_files, np.concatenate([labels, np.zeros(20, np.int64)]), 0.25, seed=0)
    assert set(more[1]) & set(range(120)) == set(held)
    # two drawings: one taught, one held back; one drawing: taught
    t, h = cs.held_back_split(["a", "b", "c"], np.array([5, 5, 6]), 0.25)
    assert len(h) == 1 and set(t) == {0, 1, 2} - set(h) and 2 in t
    assert len(cs.held_back_split(["a", "b"], np.array([5, 5]), 0.0)[1]) == 0


def test_the_default_folder_is_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if os.name == "posix" and cs.sys.platform != "darwin":
        assert cs.default_folder() == tmp_path / "convviz" / "classset"


def test_links_and_special_files_are_refused_naming_the_row(tmp_path):
    image = _drawings(1)[0][0]
    elsewhere = tmp_path / "elsewhere"
    _png(elsewhere / "secret.png", image)
    linked = _write_set(tmp_path / "linked", ["a.png,7", "out.png,7"])
    _png(linked / "a.png", image)
    os.symlink(str(elsewhere / "secret.png"), str(linked / "out.png"))
    message = _error(linked)
    assert "out.png (row 3 of labels.csv) leads outside the folder" in message, message

    to_folder = _write_set(tmp_path / "to_folder", ["sub,7"])
    os.symlink(str(elsewhere), str(to_folder / "sub"))
    assert "sub (row 2 of labels.csv) leads outside" in _error(to_folder)
    inner_folder = _write_set(tmp_path / "inner_folder", ["sub,7"])
    (inner_folder / "sub").mkdir()
    assert "sub (row 2 of labels.csv) is not a file: it is a folder" in _error(inner_folder)

    inside = _write_set(tmp_path / "inside", ["a.png,7", "again.png,7"])  # a link within the set is fine
    _png(inside / "a.png", image)
    os.symlink("a.png", str(inside / "again.png"))
    assert len(cs.load_class_set(inside)) == 2

    fifo = _write_set(tmp_path / "fifo", ["a.png,7", "pipe.png,7"])
    _png(fifo / "a.png", image)
    os.mkfifo(str(fifo / "pipe.png"))  # open() would wait for a writer forever
    assert "pipe.png (row 3 of labels.csv) is not a file: it is a named pipe (FIFO)" in _error(fifo)

    fifo_list = tmp_path / "fifo_list"
    fifo_list.mkdir()
    os.mkfifo(str(fifo_list / cs.LABELS_FILE))
    assert "labels.csv is not a file: it is a named pipe (FIFO)" in _error(fifo_list)
    with pytest.raises(cs.ClassSetError, match="leads outside"):
        cs.export_class_set(linked, tmp_path / "exported")
    assert not (tmp_path / "exported").exists()


def test_the_whole_set_is_bounded_from_the_headers_and_reports_progress(tmp_path, monkeypatch):
    images, labels = _drawings(3)
    folder = _write_set(tmp_path / "set", [f"{i}.png,{labels[i]}" for i in range(3)])
    for i in range(3):
        _png(folder / f"{i}.png", images[i])
    seen = []
    loaded = cs.load_class_set(folder, progress=lambda done, total: seen.append((done, total)))
    assert len(loaded) == 3 and seen == [(1, 3), (2, 3), (3, 3)]

    class Cancelled(Exception):
        pass

    def cancel(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):  # the window's job stops a load from its progress callback
        cs.load_class_set(folder, progress=cancel)

    decoded = []
    monkeypatch.setattr(cs, "load_image", lambda path: decoded.append(path))
    pixels = int(np.prod(Image.open(str(folder / "0.png")).size))
    monkeypatch.setattr(cs, "MAX_SET_PIXELS", 2 * pixels)
    assert "up to 2.png (row 4) hold more than" in _error(folder) and not decoded  # refused before decoding
    monkeypatch.setattr(cs, "MAX_SET_PIXELS", 10 * pixels)
    monkeypatch.setattr(cs, "MAX_SET_BYTES", (folder / "0.png").stat().st_size)
    assert "up to 1.png (row 3) take more than" in _error(folder) and not decoded


def test_an_icon_too_large_inside_is_refused_from_its_header(tmp_path):
    from tests.test_safefile import icon_with_png

    folder = _write_set(tmp_path / "icons", ["big.ico,7"])
    icon_with_png(folder / "big.ico", 13300, 13300)
    assert "big.ico (row 2 of labels.csv): image (icon frame 1) is too large: 13300 x 13300 pixels" in _error(folder)


def test_the_writer_column_round_trips_and_old_two_column_files_still_read(tmp_path):
    images, labels = _drawings(2)
    folder = tmp_path / "set"
    cs.add_drawing(folder, images[0], int(labels[0]))
    assert (folder / cs.LABELS_FILE).read_text().splitlines()[0] == "file,label"  # no writer: two columns
    assert cs.load_class_set(folder).writers == ()
    cs.add_drawing(folder, images[1], int(labels[1]), writer=" Anna Müller ")
    cs.add_drawing(folder, images[2], int(labels[2]), writer="12")
    lines = (folder / cs.LABELS_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,label,writer" and lines[1].endswith(",") and lines[2].endswith(",Anna Müller")
    loaded = cs.load_class_set(folder)
    assert loaded.writers == ("", "Anna Müller", "12") and loaded.subset([2, 1]).writers == ("12", "Anna Müller")
    exported = cs.export_class_set(folder, tmp_path / "out")
    assert cs.load_class_set(exported).writers == loaded.writers
    # a short row in a file with the column: the writer is unknown
    _write_set(tmp_path / "short", ["a.png,7,Bo", "b.png,1"], header="file,label,writer")
    _png(tmp_path / "short" / "a.png", images[0])
    _png(tmp_path / "short" / "b.png", images[1])
    assert cs.load_class_set(tmp_path / "short").writers == ("Bo", "")


def test_bad_writers_are_one_line_naming_the_row(tmp_path):
    image = _drawings(1)[0][0]
    for writer, expected in (("x" * 41, "longer than 40"), ("a/b", "may hold only"), ("-a", "may hold only")):
        folder = _write_set(tmp_path / str(abs(hash(writer))), [f"a.png,7,{writer}"], header="file,label,writer")
        _png(folder / "a.png", image)
        message = _error(folder)
        assert expected in message and "row 2" in message
        with pytest.raises(cs.ClassSetError, match=expected):
            cs.add_drawing(tmp_path / "new", image, 7, writer=writer)
    assert not (tmp_path / "new" / cs.LABELS_FILE).exists()


def test_the_held_back_part_is_whole_writers_where_writers_are_known():
    writers = [f"w{w}" for w in range(8) for _ in range(20)]
    files = [f"{i % 10}-{i:04d}.png" for i in range(160)]
    labels = np.arange(160) % 10
    taught, held = cs.held_back_split(files, labels, 0.25, seed=0, writers=writers)
    held_writers = {writers[i] for i in held}
    taught_writers = {writers[i] for i in taught}
    assert held_writers and taught_writers and not held_writers & taught_writers
    assert len(taught) + len(held) == 160
    assert cs.split_kind(writers) == "writers" and cs.split_kind(["a"] * 3) == "drawings"
    # stable: a new writer moves none of the others across
    more = cs.held_back_split([*files, "x.png"], np.append(labels, 3), 0.25, seed=0, writers=[*writers, "w9"])
    assert set(more[1]) - {160} == set(held)
    # unknown writers beside known ones: split per drawing, as before
    mixed = [*writers[:40], *[""] * 40]
    _t, h = cs.held_back_split(files[:80], labels[:80], 0.25, seed=0, writers=mixed)
    _old_t, old_h = cs.held_back_split(files[40:80], labels[40:80], 0.25, seed=0)
    assert {i for i in h if i >= 40} == {40 + i for i in old_h}
    assert {writers[i] for i in h if i < 40} in ({"w0"}, {"w1"})  # one of the two writers, whole
    # one writer only: the old split
    one = cs.held_back_split(files[:20], labels[:20], 0.25, seed=0, writers=["w0"] * 20)
    assert [list(x) for x in one] == [list(x) for x in cs.held_back_split(files[:20], labels[:20], 0.25, seed=0)]
