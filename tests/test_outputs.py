"""What ConvViz writes: checked against itself and its inputs before any work, written whole, and only
over regular files.

Every special file here is made in ``tmp_path`` (a FIFO, a socket, a device node with /dev/null's numbers
where the tests run as root); no writer is ever pointed at a system device.
"""

from __future__ import annotations

import errno
import os
import socket
import stat

import numpy as np
import pytest
from PIL import Image

from convviz import atomicfile, classset, explain
from convviz.atomicfile import NotRegularFile, OutputError, replace_file, write_atomically
from convviz.outputs import Input, Output, check_outputs
from convviz.recording import RecordingError, check_record_target
from tests.conftest import mnist_dir

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
SPECIAL_KINDS = ["fifo", "socket", "folder"] + (["device"] if ROOT_USER else [])  # mknod needs root
OLD_BYTES = b"the old file, which must survive whole\n" * 200


def make_special(path, kind: str):
    """A special file of ``kind`` at ``path`` (in tmp_path); returns what keeps it alive (the socket)."""
    if kind == "fifo":
        os.mkfifo(str(path))
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        return sock
    elif kind == "folder":
        os.mkdir(str(path))
    elif kind == "device":  # a character device with /dev/null's numbers, made here, not the system's
        os.mknod(str(path), 0o600 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    return None


def still(path, kind: str) -> bool:
    mode = os.lstat(str(path)).st_mode
    return {
        "fifo": stat.S_ISFIFO,
        "socket": stat.S_ISSOCK,
        "folder": stat.S_ISDIR,
        "device": stat.S_ISCHR,
    }[kind](mode)


def leftovers(folder) -> list[str]:
    return sorted(name for name in os.listdir(str(folder)) if name.endswith((".tmp", ".probe")))


# -- the atomic writer -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_the_writer_never_replaces_a_special_file(tmp_path, kind):
    target = tmp_path / "out.bin"
    keep = make_special(target, kind)
    try:
        with pytest.raises(NotRegularFile) as caught:
            replace_file(target, lambda f: f.write(b"data"))
        assert "not a regular file" in caught.value.strerror
        with pytest.raises(OutputError) as caught:
            write_atomically(target, lambda f: f.write(b"data"), f"cannot write {target}")
        assert str(caught.value).count("\n") == 0 and str(target) in str(caught.value)
        assert still(target, kind) and leftovers(tmp_path) == []
    finally:
        if keep is not None:
            keep.close()


def test_a_link_stays_a_link_and_a_link_to_a_fifo_is_refused(tmp_path):
    real = tmp_path / "real.bin"
    real.write_bytes(OLD_BYTES)
    link = tmp_path / "link.bin"
    link.symlink_to(real)
    replace_file(link, lambda f: f.write(b"new"))
    assert link.is_symlink() and real.read_bytes() == b"new"
    fifo = tmp_path / "pipe"
    os.mkfifo(str(fifo))
    (tmp_path / "to-pipe").symlink_to(fifo)
    with pytest.raises(NotRegularFile):
        replace_file(tmp_path / "to-pipe", lambda f: f.write(b"new"))
    assert still(fifo, "fifo")


def _full_disk(f) -> None:
    f.write(b"half of it")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_keeps_the_old_file_whole(tmp_path):
    target = tmp_path / "old.bin"
    target.write_bytes(OLD_BYTES)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomically(target, _full_disk, f"cannot write {target}")
    assert target.read_bytes() == OLD_BYTES and leftovers(tmp_path) == []


def test_a_replaced_file_keeps_its_mode_and_a_new_one_is_readable(tmp_path):
    old = tmp_path / "old.bin"
    old.write_bytes(OLD_BYTES)
    os.chmod(str(old), 0o600)
    replace_file(old, lambda f: f.write(b"new"))
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    new = replace_file(tmp_path / "new.bin", lambda f: f.write(b"new"))
    assert stat.S_IMODE(new.stat().st_mode) == atomicfile.NEW_FILE_MODE


# -- the writers that use it -------------------------------------------------------------------------------
def _png_full_disk(self, fp, format=None, **params):
    fp.write(b"\x89PNG half")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_the_saliency_and_mistakes_pictures_keep_the_old_file_on_a_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(Image.Image, "save", _png_full_disk)
    image = np.zeros((28, 28), np.float32)
    for write in (
        lambda path: explain.saliency_png(image, image, path),
        lambda path: explain.mistakes_sheet(
            np.zeros((3, 28, 28), np.float32), [1], np.array([1, 2, 3]), np.array([2, 2, 2]), np.full(3, 0.5), path
        ),
    ):
        target = tmp_path / "old.png"
        target.write_bytes(OLD_BYTES)
        with pytest.raises(explain.ExplainError, match="No space left on device") as caught:
            write(target)
        assert str(caught.value).count("\n") == 0
        assert target.read_bytes() == OLD_BYTES and leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_the_pictures_never_replace_a_special_file(tmp_path, kind):
    target = tmp_path / "out.png"
    keep = make_special(target, kind)
    try:
        with pytest.raises(explain.ExplainError):
            explain.saliency_png(np.zeros((28, 28)), np.zeros((28, 28)), target)
        assert still(target, kind)
    finally:
        if keep is not None:
            keep.close()


def test_class_set_labels_are_never_written_over_a_fifo(tmp_path):
    os.mkfifo(str(tmp_path / classset.LABELS_FILE))
    with pytest.raises(OSError, match="FIFO"):
        classset._write_labels(tmp_path, [])
    assert still(tmp_path / classset.LABELS_FILE, "fifo") and leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", SPECIAL_KINDS[:2] + SPECIAL_KINDS[3:])
def test_a_record_target_that_is_a_special_file_is_refused_before_the_run(tmp_path, kind):
    target = tmp_path / "run.npz"
    keep = make_special(target, kind)
    try:
        with pytest.raises(RecordingError, match="not a regular file"):
            check_record_target(target)
        assert still(target, kind)
    finally:
        if keep is not None:
            keep.close()


def test_a_model_save_target_that_is_a_fifo_is_named_as_one(tmp_path):
    from convviz.model import ModelError, check_save_target

    os.mkfifo(str(tmp_path / "m"))
    with pytest.raises(ModelError, match="a FIFO"):
        check_save_target(tmp_path / "m")


# -- outputs against each other and the inputs -------------------------------------------------------------
def test_check_outputs_finds_every_collision(tmp_path):
    model = tmp_path / "m"
    model.mkdir()
    (tmp_path / "link").symlink_to(model)
    image = tmp_path / "digit.png"
    image.write_bytes(b"png")
    os.link(str(image), str(tmp_path / "hard.png"))  # another name of the same file
    bad = [
        ([Output("--save", str(model), True), Output("--record", str(model / "weights.npz"))], [], "weights.npz"),
        ([Output("--save", str(model), True), Output("--record", str(tmp_path / "link/model.json"))], [], "model"),
        ([Output("--save", str(tmp_path / "r.npz"), True), Output("--record", str(tmp_path / "r.npz"))], [], "same"),
        ([Output("--record", str(tmp_path / "a")), Output("--save", str(tmp_path / "a/m"), True)], [], "inside"),
        ([Output("--png", str(image))], [Input("the image", str(image))], "the image it reads"),
        ([Output("--png", str(tmp_path / "hard.png"))], [Input("the image", str(image))], "the image it reads"),
        ([Output("--png", str(tmp_path / ".." / tmp_path.name / "digit.png"))], [Input("the image", str(image))], "it"),
    ]
    for outputs, inputs, words in bad:
        with pytest.raises(OutputError, match=words) as caught:
            check_outputs(outputs, inputs)
        assert str(caught.value).count("\n") == 0
    # A record beside the model's files, a model saved over the one it was made from: both fine.
    check_outputs([Output("--save", str(model), True), Output("--record", str(model / "run.npz"))])
    check_outputs([Output("--save", str(model), True)], [Input("the model", str(model / "weights.npz"))])
    check_outputs([Output("--save", None, True), Output("--record", None)])


@pytest.mark.parametrize(
    "args",
    [
        ["train", "--save", "{t}/m", "--record", "{t}/m/weights.npz"],
        ["train", "--save", "{t}/m", "--record", "{t}/m/model.json"],
        ["train", "--record", "{t}/r.npz", "--save", "{t}/r.npz"],
        ["train", "--record", "{t}/a", "--save", "{t}/a/m"],
        ["train", "--record", "{t}/data/train-labels-idx1-ubyte.gz", "--data-dir", "{t}/data"],
        ["replay", "{t}/old.npz", "--gif", "{t}/old.npz"],
        ["replay", "{t}/old.npz", "--gif", "{t}/../{n}/old.npz"],
        ["explain", "{t}/old.png", "--png", "{t}/old.png"],
        ["explain", "--model", "{t}/m", "{t}/old.png", "--png", "{t}/m/weights.npz"],
        ["evaluate", "--model", "{t}/m", "--errors", "3", "--errors-png", "{t}/m/model.json"],
        ["evaluate", "--errors", "3", "--errors-png", "{t}/data/t10k-images-idx3-ubyte", "--data-dir", "{t}/data"],
    ],
)
def test_colliding_outputs_exit_2_with_one_line_before_any_work(tmp_path, run_cli, monkeypatch, args):
    from convviz.cli import evaluate, train

    def no_work(*_args, **_kwargs):
        raise AssertionError("the outputs collide: nothing may be loaded")

    for command in (train, evaluate):
        monkeypatch.setattr(command, "load_data", no_work)
    (tmp_path / "m").mkdir()
    (tmp_path / "data").mkdir()
    for name in ("old.npz", "old.png"):
        (tmp_path / name).write_bytes(OLD_BYTES)
    proc = run_cli(*[a.format(t=tmp_path, n=tmp_path.name) for a in args], check_rc=2)
    assert proc.stderr.startswith("convviz: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert not (tmp_path / "m" / "weights.npz").exists() and not (tmp_path / "r.npz").exists()
    assert (tmp_path / "old.npz").read_bytes() == OLD_BYTES and (tmp_path / "old.png").read_bytes() == OLD_BYTES


@pytest.mark.parametrize("kind", SPECIAL_KINDS)
@pytest.mark.parametrize(
    "args",
    [
        ["train", "--record", "{out}", "--data-dir", "{data}"],
        ["replay", "{t}/old.npz", "--gif", "{out}"],
        ["explain", "{t}/old.png", "--png", "{out}"],
        ["evaluate", "--errors", "3", "--errors-png", "{out}", "--data-dir", "{data}"],
    ],
    ids=["record", "gif", "png", "errors-png"],
)
def test_a_special_file_as_output_exits_2_and_stays(tmp_path, run_cli, args, kind):
    out = tmp_path / "out"
    keep = make_special(out, kind)
    for name in ("old.npz", "old.png"):
        (tmp_path / name).write_bytes(OLD_BYTES)
    try:
        proc = run_cli(*[a.format(t=tmp_path, out=out, data=mnist_dir()) for a in args], check_rc=2)
        assert proc.stderr.count("\n") == 1 and str(out) in proc.stderr, proc.stderr
        assert still(out, kind)
    finally:
        if keep is not None:
            keep.close()


def test_explain_on_a_full_disk_exits_2_and_keeps_the_old_picture(tmp_path, run_cli, mnist, monkeypatch):
    digit = tmp_path / "digit.png"
    Image.fromarray((mnist.test_images[0].reshape(28, 28) * 255).astype(np.uint8)).save(str(digit))
    old = tmp_path / "old.png"
    old.write_bytes(OLD_BYTES)
    monkeypatch.setattr(Image.Image, "save", _png_full_disk)
    proc = run_cli("explain", str(digit), "--method", "gradient", "--png", str(old), check_rc=2)
    assert "No space left on device" in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert old.read_bytes() == OLD_BYTES and leftovers(tmp_path) == []


def test_a_fifo_made_at_the_model_folder_while_it_is_written_is_not_swapped_out(tmp_path, monkeypatch):
    from convviz import model as model_lib

    target = tmp_path / "m"
    fsync = model_lib._fsync

    def fsync_then_a_fifo(folder) -> None:
        fsync(folder)
        if not os.path.lexists(str(target)):
            os.mkfifo(str(target))

    monkeypatch.setattr(model_lib, "_fsync", fsync_then_a_fifo)
    with pytest.raises(model_lib.ModelError, match="a FIFO") as caught:
        model_lib.save_weights(target, "dense", {"fc1/kernel": np.zeros((2, 2), np.float32)}, {})
    assert str(caught.value).count("\n") == 0 and still(target, "fifo")
    assert os.listdir(str(tmp_path)) == ["m"]  # the staging folder is gone
