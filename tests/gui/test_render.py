"""Render every panel with realistic fake data to PNG files, to look at them.

As a test it only checks that each panel renders. To look at the panels::

    QT_QPA_PLATFORM=offscreen python tests/gui/test_render.py /tmp/gui_shots

Real MNIST test digits are used when the IDX files are found (where the app looks:
``$CONVVIZ_DATA_DIR``, the user's folders; then ``../shared/data/mnist`` beside the
repository); otherwise a synthetic digit stands in.
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def mnist_dirs() -> list:
    """Where the app looks for MNIST ($CONVVIZ_DATA_DIR, the user's folders), then CI's ../shared/data/mnist."""
    from convviz.data import candidate_dirs

    return [*candidate_dirs(), REPO.parent / "shared" / "data" / "mnist"]
SIZES = {
    "loss": (1280, 620),
    "filters": (1100, 720),
    "filters_conv2": (1100, 720),
    "filters_dense": (1100, 720),
    "featuremaps": (1700, 640),
    "drawpad": (460, 520),
    "prediction": (620, 620),
    "controls": (560, 760),
}


# ---- fake data --------------------------------------------------------------------------------


def load_test_digits(n: int = 100) -> tuple:
    for folder in mnist_dirs():
        images = Path(folder, "t10k-images-idx3-ubyte.gz")
        labels = Path(folder, "t10k-labels-idx1-ubyte.gz")
        if folder and images.exists() and labels.exists():
            with gzip.open(images) as f:
                x = np.frombuffer(f.read(), np.uint8, offset=16)[: n * 784].reshape(n, 28, 28)
            with gzip.open(labels) as f:
                y = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
            return x.astype(np.float32) / 255.0, y.astype(np.int64)
    rng = np.random.default_rng(0)
    x = np.zeros((n, 28, 28), np.float32)
    x[:, 6:8, 8:21] = 1.0  # a synthetic "7": top bar and a slanted stem
    for r in range(8, 23):
        c = 20 - (r - 8) * 8 // 15
        x[:, r, c - 1 : c + 1] = 1.0
    return x, rng.integers(0, 10, n)


def gabor_bank(n: int, size: int = 5, seed: int = 0) -> np.ndarray:
    """(size, size, 1, n) oriented edge and blob detectors, like a trained conv1."""
    rng = np.random.default_rng(seed)
    r = np.arange(size) - size // 2
    yy, xx = np.meshgrid(r, r, indexing="ij")
    out = np.empty((size, size, 1, n))
    for i in range(n):
        theta = rng.uniform(0, np.pi)
        freq = rng.uniform(0.15, 0.35)
        phase = rng.uniform(0, 2 * np.pi)
        u = xx * np.cos(theta) + yy * np.sin(theta)
        g = np.exp(-(xx**2 + yy**2) / (2 * 1.6**2)) * np.cos(2 * np.pi * freq * u + phase)
        out[:, :, 0, i] = rng.uniform(0.1, 0.4) * g + rng.normal(0, 0.02, g.shape)
    return out


def smooth_noise(shape: tuple, sigma: float, seed: int = 0) -> np.ndarray:
    """Gaussian-blurred noise over the last two axes (via FFT)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=shape)
    h, w = shape[-2:]
    fy, fx = np.fft.fftfreq(h)[:, None], np.fft.fftfreq(w)[None, :]
    kernel = np.exp(-2 * (np.pi * sigma) ** 2 * (fx**2 + fy**2))
    return np.real(np.fft.ifft2(np.fft.fft2(noise) * kernel))


def conv_same(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """(H, W, C) * (kh, kw, C, O) -> (H, W, O), zero 'SAME' padding, then ReLU."""
    kh, kw = k.shape[:2]
    h, w = x.shape[:2]
    padded = np.pad(x, ((kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    out = np.zeros((h, w, k.shape[3]))
    for i in range(kh):  # one shifted matrix product per kernel tap (numpy < 1.20 has no sliding_window_view)
        for j in range(kw):
            out += padded[i : i + h, j : j + w, :] @ k[i, j]
    return np.maximum(out, 0.0)


def max_pool(x: np.ndarray) -> np.ndarray:
    h, w, c = x.shape
    return x[: h // 2 * 2, : w // 2 * 2].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


def fake_kernels() -> dict:
    rng = np.random.default_rng(1)
    conv2 = smooth_noise((64 * 96, 3, 3), 0.6, seed=2).reshape(64, 96, 3, 3).transpose(2, 3, 0, 1) * 0.08
    return {"conv1": gabor_bank(64), "conv2": conv2, "fc1": rng.normal(0, 0.02, (4704, 128))}


def fake_dense_kernels() -> dict:
    units = smooth_noise((300, 28, 28), 1.5, seed=3) * 0.2
    mask = np.exp(-((np.arange(28) - 13.5) ** 2) / 60.0)
    units *= mask[None, :, None] * mask[None, None, :]  # weights fade towards the empty border
    return {"fc1": units.reshape(300, 784).T, "fc2": np.zeros((300, 10))}


def fake_feature_maps(image: np.ndarray, kernels: dict) -> list:
    conv1 = conv_same(image[:, :, None].astype(float), kernels["conv1"])
    pool1 = max_pool(conv1)
    conv2 = conv_same(pool1, kernels["conv2"])
    pool2 = max_pool(conv2)
    return [("conv1", conv1), ("pool1", pool1), ("conv2", conv2), ("pool2", pool2)]


def fake_probabilities(winner: int, confidence: float = 0.93, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rest = rng.dirichlet(np.ones(10) * 0.5) * (1 - confidence)
    rest[winner] = 0.0
    p = rest / rest.sum() * (1 - confidence)
    p[winner] = confidence
    return p


# ---- rendering --------------------------------------------------------------------------------


def build_panels() -> dict:
    """Every panel, filled with fake data, keyed by screenshot name."""
    from PyQt5 import QtCore

    from convviz.gui.panels.controls import ControlsWidget
    from convviz.gui.panels.drawpad import DrawPadWidget
    from convviz.gui.panels.featuremaps import FeatureMapsWidget
    from convviz.gui.panels.filters import FiltersWidget
    from convviz.gui.panels.loss import LossWidget
    from convviz.gui.panels.prediction import PredictionWidget

    panels = {}
    images, labels = load_test_digits()

    loss = LossWidget()
    rng = np.random.default_rng(0)
    batch, per_epoch, epochs = 64, 938, 3
    steps = np.arange(1, per_epoch * epochs + 1)
    curve = 2.25 * np.exp(-steps / 60.0) + 0.25 * np.exp(-steps / 900.0) + 0.03
    losses = curve * rng.lognormal(0.0, 0.45, steps.size)
    for i in range(0, steps.size, 37):
        loss.add_losses(steps[i : i + 37] * batch, losses[i : i + 37])
    for epoch, acc in zip(range(1, epochs + 1), (0.9812, 0.9868, 0.9894)):
        loss.add_accuracy(epoch, epoch * per_epoch * batch, acc)
    loss.set_train_size(per_epoch * batch)
    panels["loss"] = loss

    kernels = fake_kernels()
    filters = FiltersWidget()
    filters.set_kernels(kernels)
    panels["filters"] = filters
    filters2 = FiltersWidget()
    filters2.set_kernels(kernels)
    filters2.set_layer("conv2")
    panels["filters_conv2"] = filters2
    dense = FiltersWidget()
    dense.set_kernels(fake_dense_kernels())
    panels["filters_dense"] = dense

    maps = FeatureMapsWidget(seed=0)
    maps.set_digit_source(images, labels)
    maps.set_feature_maps(fake_feature_maps(maps.current_image(), kernels))
    maps.set_prediction(fake_probabilities(int(labels[0]), 0.987))
    panels["featuremaps"] = maps

    pad = DrawPadWidget()
    canvas = pad.canvas
    path = [
        (85, 75),
        (120, 50),
        (170, 50),
        (195, 80),
        (185, 120),
        (145, 140),
        (190, 160),
        (200, 200),
        (175, 235),
        (125, 240),
        (85, 215),
    ]  # a "3"
    for a, b in zip(path, path[1:]):
        canvas.draw_line(QtCore.QPointF(*a), QtCore.QPointF(*b))
    panels["drawpad"] = pad

    prediction = PredictionWidget()
    drawn = pad.image().astype(np.float32)
    network_input = 1.0 - drawn.reshape(28, 10, 28, 10).mean(axis=(1, 3)) / 255.0
    prediction.set_network_input(network_input)
    prediction.set_probabilities(fake_probabilities(3, 0.91, seed=4))
    prediction.set_message("")
    panels["prediction"] = prediction

    controls = ControlsWidget()
    panels["controls"] = controls
    return panels


def render_all(out_dir: Path) -> list:
    from PyQt5 import QtWidgets

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, widget in build_panels().items():
        widget.resize(*SIZES[name])
        widget.show()
        for _ in range(3):  # let layouts settle and views range themselves
            QtWidgets.QApplication.processEvents()
        path = out_dir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        paths.append(path)
        widget.close()
        widget.deleteLater()
    return paths


def test_every_panel_renders(qtbot, tmp_path):
    paths = render_all(tmp_path)
    assert {p.stem for p in paths} == set(SIZES)
    assert all(p.stat().st_size > 5000 for p in paths)


def main(argv: list) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PyQt5 import QtWidgets

    from convviz.gui.common import theme

    app = QtWidgets.QApplication(sys.argv[:1])
    theme.apply_app_style(app)  # as the main window will
    for path in render_all(Path(argv[0] if argv else "/tmp/gui_shots")):
        print(path)
    return 0 if app else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
