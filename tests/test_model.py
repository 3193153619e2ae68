"""Inference Model: save/load round trip, bad folders, inspection, pretrained models."""

from __future__ import annotations

import errno
import io
import json
import os
import threading
import time
import tracemalloc

import numpy as np
import pytest

from convviz import model as model_module
from convviz.config import ARCHITECTURES, TrainConfig
from convviz.model import (
    META_FILE,
    WEIGHTS_FILE,
    Model,
    ModelError,
    WrongThreadError,
    check_save_target,
    load_meta,
    load_weights,
    save_weights,
)
from convviz.training import Trainer

ROOT_MODELS = __import__("pathlib").Path(__file__).resolve().parent.parent / "assets" / "models"
# The targets for the pretrained models, on the full 10,000 test images.
TARGETS = {"cnn": 0.993, "lenet5": 0.990, "dense": 0.980, "template": 0.990}


def test_checkpoint_round_trip_gives_identical_predictions(tmp_path, small_mnist):
    config = TrainConfig(arch="cnn", batch_size=100, train_limit=500)
    with Trainer(config, small_mnist) as trainer:
        list(trainer.run())
        weights = trainer.weights()
        meta = trainer.metadata()
    with Model("cnn", weights) as model:
        model.save(tmp_path / "m", meta)
        before = model.predict_proba(small_mnist.test_images[:200])
    saved = json.loads((tmp_path / "m" / META_FILE).read_text())
    assert saved["arch"] == "cnn" and saved["config"]["batch_size"] == 100
    assert saved["test_accuracy"] == pytest.approx(meta["test_accuracy"])
    assert saved["tensorflow_version"] and saved["train_images"] == 500
    with Model.load(tmp_path / "m") as loaded:
        after = loaded.predict_proba(small_mnist.test_images[:200])
        assert loaded.meta["test_accuracy"] == saved["test_accuracy"]
    np.testing.assert_array_equal(before, after)
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # the folder is written whole: no temporaries


def test_inspection_shapes():
    with Model("lenet5") as model:
        maps = model.feature_maps(np.zeros((28, 28), np.float32))
        assert [(n, m.shape) for n, m in maps] == [
            ("conv1", (28, 28, 6)),
            ("pool1", (14, 14, 6)),
            ("conv2", (10, 10, 16)),
            ("pool2", (5, 5, 16)),
            ("conv3", (1, 1, 120)),
        ]
        kernels = model.kernels()
        assert list(kernels) == ["conv1", "conv2", "conv3", "fc1", "logits"]
        assert kernels["conv1"].shape == (5, 5, 1, 6)
        p = model.predict_proba(np.random.RandomState(0).rand(4, 28, 28))
        assert p.shape == (4, 10) and np.allclose(p.sum(axis=1), 1, atol=1e-5)
        with pytest.raises(ValueError, match="28x28"):
            model.predict_proba(np.zeros((4, 32, 32)))


@pytest.mark.parametrize("arch", ["dense", "lenet5"])
def test_activations_of_every_layer_for_one_image(arch):
    image = np.random.RandomState(1).rand(28, 28).astype(np.float32)
    with Model(arch) as model:
        acts = model.activations(image)
        weights = model.get_weights()
        probabilities = model.predict_proba(image)[0]
        maps = model.feature_maps(image)
    names = [n for n, _ in acts]
    shapes = {n: a.shape for n, a in acts}
    assert names[-2:] == ["fc1", "logits"] and shapes["logits"] == (10,)
    for (name, a), (map_name, m) in zip(acts, maps):  # conv and pool first, as feature_maps has them
        assert name == map_name and a.ndim == 3
        np.testing.assert_array_equal(a, m)
    values = dict(acts)
    fc1_input = image.reshape(-1) if arch == "dense" else values["conv3"].reshape(-1)
    fc1 = np.maximum(fc1_input @ weights["fc1/kernel"] + weights["fc1/bias"], 0.0)
    assert shapes["fc1"] == (300 if arch == "dense" else 84,)
    np.testing.assert_allclose(values["fc1"], fc1, rtol=1e-4, atol=1e-5)  # after the ReLU
    logits = values["fc1"] @ weights["logits/kernel"] + weights["logits/bias"]
    np.testing.assert_allclose(values["logits"], logits, rtol=1e-4, atol=1e-5)  # before the softmax
    softmax = np.exp(values["logits"] - values["logits"].max())
    np.testing.assert_allclose(softmax / softmax.sum(), probabilities, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("inline", [False, True])
def test_probe_gives_the_feature_maps_and_probabilities_of_one_image_in_one_run(inline):
    """The timeline's frame: what feature_maps and predict_proba give, from one session run."""
    image = np.random.RandomState(2).rand(28, 28).astype(np.float32)
    with Model("lenet5", inline=inline) as model:
        runs = []
        real_run = model.session.run
        model.session.run = lambda *a, **k: runs.append(1) or real_run(*a, **k)
        maps, probabilities = model.probe(image)
        assert len(runs) == 1
        model.session.run = real_run
        expected_maps = model.feature_maps(image)
        expected = model.predict_proba(image)[0]
    assert [n for n, _ in maps] == [n for n, _ in expected_maps]
    for (_, a), (_, b) in zip(maps, expected_maps):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert probabilities.shape == (10,)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5, atol=1e-7)


def test_bad_model_folders(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        Model.load(tmp_path / "nope")
    with pytest.raises(ModelError, match=f"{META_FILE} is missing"):
        Model.load(tmp_path)
    with Model("dense") as model:
        model.save(tmp_path / "d", {})
    (tmp_path / "d" / WEIGHTS_FILE).write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="damaged"):
        Model.load(tmp_path / "d")
    (tmp_path / "d" / META_FILE).write_text("{")
    with pytest.raises(ModelError, match="not readable JSON"):
        Model.load(tmp_path / "d")
    with Model("dense") as dense, Model("lenet5") as lenet:
        with pytest.raises(ModelError, match="lack"):
            lenet.set_weights(dense.get_weights())
        weights = dense.get_weights()
        weights["fc1/kernel"] = np.zeros((10, 10), np.float32)
        with pytest.raises(ModelError, match="shape"):
            dense.set_weights(weights)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_pretrained_model_loads_and_meets_its_target(arch, mnist):
    with Model.load(ROOT_MODELS / arch) as model:
        assert model.arch == arch
        assert model.meta["train_images"] == 60000
        # the recorded accuracy is the real one: recompute it on the full test set
        accuracy = model.accuracy(mnist.test_images, mnist.test_labels)
    assert accuracy == pytest.approx(model.meta["test_accuracy"], abs=2e-4)
    assert accuracy >= TARGETS[arch]


# -- saving a folder as a whole ----------------------------------------------------------------------


def _siblings(folder) -> list[str]:
    """What a save left beside the model folder besides the folder itself."""
    return sorted(p.name for p in folder.parent.iterdir() if p != folder)


def test_save_replaces_the_folder_as_a_whole(tmp_path):
    target = tmp_path / "m"
    with Model("dense") as model:
        first = model.get_weights()
        model.save(target, {"test_accuracy": 0.5})
        (target / "notes.txt").write_text("mine")
        (target / "plots").mkdir()
        (target / "plots" / "loss.png").write_bytes(b"png")
        (target / "train.log").write_text("the old run")
        os.utime(str(target / "train.log"), (1, 1))  # written long before the next run
        notes_inode = (target / "notes.txt").stat().st_ino
        second = {k: v + 1 for k, v in first.items()}
        model.set_weights(second)
        model.save(target, {"test_accuracy": 0.9}, run_started=time.time() - 60)
    _, loaded, meta = load_weights(target)
    assert meta["test_accuracy"] == 0.9
    np.testing.assert_array_equal(loaded["fc1/kernel"], second["fc1/kernel"])
    assert sorted(p.name for p in target.iterdir()) == [META_FILE, "notes.txt", "plots", WEIGHTS_FILE]
    assert (target / "notes.txt").stat().st_ino == notes_inode  # carried over, not copied
    assert (target / "plots" / "loss.png").read_bytes() == b"png"
    assert _siblings(target) == []  # no temporary folder left


def test_save_without_an_atomic_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(model_module, "_exchange", lambda a, b: False)  # e.g. not Linux: two renames
    target = tmp_path / "m"
    with Model("dense") as model:
        model.save(target, {"test_accuracy": 0.5})
        (target / "notes.txt").write_text("mine")
        model.save(target, {"test_accuracy": 0.9})
    assert load_meta(target)["test_accuracy"] == 0.9
    assert sorted(p.name for p in target.iterdir()) == [META_FILE, "notes.txt", WEIGHTS_FILE]
    assert _siblings(target) == []


def test_save_through_a_link_replaces_the_folder_it_points_to(tmp_path):
    real, link = tmp_path / "real", tmp_path / "link"
    with Model("dense") as model:
        model.save(real, {"test_accuracy": 0.5})
        link.symlink_to(real, target_is_directory=True)
        model.save(link, {"test_accuracy": 0.9})
    assert link.is_symlink() and load_meta(link)["test_accuracy"] == 0.9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_save_keeps_the_log_of_the_run_being_saved(tmp_path):
    target = tmp_path / "m"
    target.mkdir()
    started = time.time() - 60
    (target / "train.log").write_text("== this run\n")  # assets/models/train.sh tees the CLI's output here
    with Model("dense") as model:
        model.save(target, {}, run_started=started)
    assert (target / "train.log").read_text() == "== this run\n"


def test_a_failed_save_leaves_the_old_model(tmp_path, monkeypatch):
    target = tmp_path / "m"
    with Model("dense") as model:
        model.save(target, {"test_accuracy": 0.5})
        before = (target / WEIGHTS_FILE).read_bytes()
        real_write = model_module._write_file

        def write_then_fail_on_meta(path, write):
            if path.name == META_FILE:  # between the weights and the description
                raise OSError(errno.EIO, "Input/output error", str(path))
            real_write(path, write)

        monkeypatch.setattr(model_module, "_write_file", write_then_fail_on_meta)
        model.set_weights({k: v + 1 for k, v in model.get_weights().items()})
        with pytest.raises(ModelError) as info:
            model.save(target, {"test_accuracy": 0.9})
    assert str(info.value) == f"cannot save the model to {target}: Input/output error"  # no temporary name
    assert (target / WEIGHTS_FILE).read_bytes() == before
    assert load_weights(target)[2]["test_accuracy"] == 0.5
    assert _siblings(target) == []


class _FullDisk(io.RawIOBase):
    """A file that takes ``room`` bytes, then fails like a full disk."""

    def __init__(self, real, room: int):
        self.real, self.room = real, room

    def writable(self):
        return True

    def write(self, data):
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.real.write(data)

    def seekable(self):
        return self.real.seekable()

    def seek(self, *args):
        return self.real.seek(*args)

    def tell(self):
        return self.real.tell()


def test_full_disk_while_saving(tmp_path, monkeypatch):
    target = tmp_path / "m"
    with Model("lenet5") as model:
        model.save(target, {"test_accuracy": 0.5})
        before = (target / WEIGHTS_FILE).read_bytes()
        real_write = model_module._write_file
        monkeypatch.setattr(
            model_module, "_write_file", lambda path, write: real_write(path, lambda f: write(_FullDisk(f, 20000)))
        )
        with pytest.raises(ModelError) as info:
            model.save(target / "new", {})  # a new folder
        assert str(info.value) == f"cannot save the model to {target / 'new'}: No space left on device"
        with pytest.raises(ModelError, match="No space left on device"):
            model.save(target, {"test_accuracy": 0.9})  # over the old one
    assert (target / WEIGHTS_FILE).read_bytes() == before
    assert sorted(p.name for p in target.iterdir()) == [META_FILE, WEIGHTS_FILE]
    assert _siblings(target) == []


def test_save_target_is_checked(tmp_path, monkeypatch):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ModelError, match="it is a file, not a folder"):
        check_save_target(a_file)
    with pytest.raises(ModelError, match=f"{a_file} is a file, not a folder"):
        check_save_target(a_file / "sub" / "model")
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("x")
    with pytest.raises(ModelError, match="not a ConvViz model"):
        check_save_target(foreign)
    monkeypatch.chdir(foreign)
    with pytest.raises(ModelError, match="holds the current folder"):
        check_save_target(tmp_path)

    def refuse(**kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(model_module.tempfile, "mkdtemp", refuse)
    with pytest.raises(ModelError, match=r"does not take new folders \(Read-only file system\)"):
        check_save_target(tmp_path / "new" / "model")
    monkeypatch.undo()
    assert check_save_target(tmp_path / "new" / "model") == tmp_path / "new" / "model"
    assert not (tmp_path / "new").exists()  # checking creates nothing
    (tmp_path / "empty").mkdir()
    check_save_target(tmp_path / "empty")


# -- loading hostile files -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dense_weights():
    with Model("dense") as model:
        return model.get_weights()


def _folder(tmp_path, arrays, meta_text=None):
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    np.savez_compressed(str(folder / WEIGHTS_FILE), **{k.replace("/", "."): v for k, v in arrays.items()})
    info = {"format": "convviz-model", "format_version": 1, "arch": "dense"}
    (folder / META_FILE).write_text(meta_text if meta_text is not None else json.dumps(info))
    return folder


def test_only_the_needed_weights_are_read(tmp_path, dense_weights):
    arrays = dict(dense_weights, junk=np.zeros((200, 1000, 1000), np.uint8))  # 200 MB in ~200 KB
    folder = _folder(tmp_path, arrays)
    tracemalloc.start()
    try:
        arch, weights, _ = load_weights(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert arch == "dense" and set(weights) == set(dense_weights)
    assert peak < 30_000_000  # the dense net's weights are 1 MB; the junk is never inflated


def test_oversized_and_misshapen_weights_are_refused_before_reading(tmp_path, dense_weights):
    big = dict(dense_weights)
    big["fc1/kernel"] = np.zeros((784, 30000), np.float32)  # 94 MB where 0.9 MB belong
    with pytest.raises(ModelError, match=r"fc1/kernel takes \d+ bytes, more than"):
        load_weights(_folder(tmp_path, big))
    wrong = dict(dense_weights)
    wrong["fc1/kernel"] = np.zeros((300, 784), np.float32)
    with pytest.raises(ModelError, match=r"weight fc1/kernel has shape \(300, 784\), dense needs \(784, 300\)"):
        load_weights(_folder(tmp_path, wrong))
    ints = dict(dense_weights)
    ints["fc1/bias"] = np.zeros(300, np.int32)
    with pytest.raises(ModelError, match="not floating-point"):
        load_weights(_folder(tmp_path, ints))
    missing = {k: v for k, v in dense_weights.items() if k != "fc1/bias"}
    with pytest.raises(ModelError, match="lacks the dense weights fc1/bias"):
        load_weights(_folder(tmp_path, missing))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights_are_refused(tmp_path, dense_weights, bad):
    broken = dict(dense_weights)
    broken["logits/kernel"] = broken["logits/kernel"].copy()
    broken["logits/kernel"][3, 4] = bad
    with pytest.raises(ModelError, match="logits/kernel hold NaN or infinite values"):
        Model.load(_folder(tmp_path, broken))
    with pytest.raises(ModelError, match="NaN or infinite"):
        save_weights(tmp_path / "out", "dense", broken, {})
    assert not (tmp_path / "out").exists()


def test_non_finite_outputs_are_an_error(dense_weights):
    with Model("dense", {k: np.full_like(v, 1e30) for k, v in dense_weights.items()}) as model:
        with pytest.raises(ModelError, match="outputs are not finite"):
            model.predict_proba(np.ones((2, 28, 28), np.float32))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 200_000 + "]" * 200_000, "nested more than"),
        ('{"format": "convviz-model", "arch": "dense", "x": "' + "[" * 100 + '"}', None),  # brackets in a string
        ('{"format": "convviz-model", "arch": "dense", "test_accuracy": NaN}', "NaN is not a JSON number"),
        ('{"pad": "' + "x" * (2 << 20) + '"}', "larger than"),
    ],
)
def test_model_json_is_bounded(tmp_path, dense_weights, text, message):
    folder = _folder(tmp_path, dense_weights, meta_text=text)
    if message is None:
        assert load_meta(folder)["arch"] == "dense"
        return
    with pytest.raises(ModelError, match=message):
        load_meta(folder)


def _in_thread(call):
    """What ``call()`` returns or raises when made in a new thread named "intruder"."""
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed back to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="intruder")
    thread.start()
    thread.join(60)
    return outcome


def test_a_model_refuses_calls_from_any_thread_but_its_creator(dense_weights):
    from convviz.explain import Explainer

    image = np.zeros((28, 28), np.float32)
    with Model("dense", dense_weights) as model, Explainer("dense", dense_weights) as explainer:
        assert model.owner is threading.current_thread()
        calls = {
            "predict_proba": lambda: model.predict_proba(image),
            "feature_maps": lambda: model.feature_maps(image),
            "probe": lambda: model.probe(image),
            "activations": lambda: model.activations(image),
            "get_weights": model.get_weights,
            "set_weights": lambda: model.set_weights(dense_weights),
            "kernels": model.kernels,
            "close": model.close,
            "saliency_gradient": lambda: explainer.saliency_gradient(image),
            "activation_gradient": lambda: explainer.activation_gradient(image[None], "fc1", [0]),
        }
        for name, call in calls.items():
            error = _in_thread(call).get("error")
            assert isinstance(error, WrongThreadError), name
            assert isinstance(error, RuntimeError)
            message = str(error)
            assert "'intruder'" in message and repr(threading.current_thread().name) in message, message
            assert f"{name}()" in message
        # Refused, not half done: the owner's answers and weights are as they were.
        np.testing.assert_allclose(model.predict_proba(image), Model("dense", dense_weights).predict_proba(image))
        np.testing.assert_array_equal(model.get_weights()["fc1/kernel"], dense_weights["fc1/kernel"])


def test_a_model_whose_owner_thread_ended_can_still_be_closed_elsewhere(dense_weights):
    made = _in_thread(lambda: Model("dense", dense_weights))["value"]
    with pytest.raises(WrongThreadError):
        made.predict_proba(np.zeros((28, 28), np.float32))
    made.close()  # its owner is gone: nobody else could free the session


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc (Linux)")
def test_an_inline_model_answers_alike_and_leaves_later_sessions_their_own_threads():
    """The window's pad network runs one digit in its caller's thread with one intra-op thread; a session
    made after it (a training run's) still gets an intra-op pool of its own, not the inline one's size."""
    from convviz.tf1 import tf

    image = np.zeros((28, 28), np.float32)
    image[5:22, 13:15] = 1.0
    with Model("lenet5") as plain:
        weights = plain.get_weights()
        expected = plain.predict_proba(image)
    with Model("lenet5", weights, inline=True) as inline:
        assert inline.session._config.inter_op_parallelism_threads < 0
        np.testing.assert_allclose(inline.predict_proba(image), expected, atol=1e-6)
        before = len(os.listdir("/proc/self/task"))
        later = tf.Session(graph=tf.Graph())
        try:
            assert len(os.listdir("/proc/self/task")) > before  # its own pool's threads
        finally:
            later.close()
