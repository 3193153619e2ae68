"""The main window: controls, the four panels, and the jobs that feed them.

Start-up is fast because nothing here imports TensorFlow: once the window has
been painted, a :class:`~convviz.gui.worker.ModelJob` imports it and builds the
pretrained model in a background thread while a :class:`~convviz.gui.worker.DataJob`
reads MNIST in another; the window says "Loading TensorFlow…" meanwhile.

The drawing pad is classified in the GUI thread (``to_mnist`` and one
``predict_proba``, a few milliseconds; the Model's methods are thread-safe).
Training runs in a :class:`~convviz.gui.worker.TrainingJob` on its own QThread;
its coalesced signals update the loss curve, the filters and the feature maps.
The weights in each snapshot also go into a "live" model, so the pad and the
feature-map panel show what the network being trained makes of a digit, and
that model becomes the trained model when the run ends.

Errors (bad data, a NaN loss, no MNIST, no network, a folder that is not a
model) appear in a red banner and the status bar; nothing here is modal
except the questions a user asked for (file dialogs, the download offer).
"""

from __future__ import annotations

import gc
import logging
import math
import os
import signal
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.config import NUM_TRAIN, TrainConfig
from convviz.gui import theme
from convviz.gui.controls import ControlsWidget
from convviz.gui.drawpad import PAPER, DrawPadWidget
from convviz.gui.featuremaps import FeatureMapsWidget
from convviz.gui.filters import FiltersWidget
from convviz.gui.loss import LossWidget
from convviz.gui.prediction import PredictionWidget
from convviz.gui.worker import DataJob, ModelJob, TrainingJob, start_job
from convviz.preprocess import PreprocessError, to_mnist

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PRETRAINED_DIR = ROOT / "assets" / "models"
PREFERRED_ARCHS = ("cnn", "lenet5")  # the first with pretrained weights is shown at start
WEIGHTS_FILE = "weights.npz"  # convviz.model.WEIGHTS_FILE, repeated here: importing model imports TensorFlow
LOADING_DELAY_MS = 50  # start the background jobs once the window has been painted
SIGNAL_POLL_MS = 250  # how often Python gets a chance to see Ctrl+C
SHUTDOWN_WAIT_S = 20.0  # closing waits this long for the threads (a TensorFlow import cannot be interrupted)
GRID_MIN_WINDOW = (1880, 950)  # from this window size on (1920x1080), all panels are shown at once
DRAW_COLUMN_PX = 380  # width of the drawing column beside the panels on a large screen
DRAW_MIN_PX = 190  # the drawing canvas may shrink to this on a small screen
DRAW_STRIP_WIDTH = 300  # the pad in the strip: about as wide as it is tall
DRAW_HINT = "draw a digit, large and centred"
DRAW_HINT_SHORT = "large and centred"
PANEL_LAYOUTS = ("auto", "tabs", "grid")

SMOOTHING_PER_RUN = 25  # the smoothed loss averages over 1/25 of the run (5 to 50 batches)
ERROR_COLOURS = (theme.WRONG, "#fbe9ea")  # text, background
LOADING_TEXT = "loading TensorFlow…"


class Banner(QtWidgets.QFrame):
    """A word-wrapped message with a close button; never modal."""

    def __init__(self, colours: tuple, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        text, background = colours
        self.setObjectName("banner")
        self.setStyleSheet(
            f"#banner {{ background: {background}; border-left: 6px solid {text}; }}#banner QLabel {{ color: {text}; }}"
        )
        self._label = QtWidgets.QLabel()
        self._label.setWordWrap(True)
        self._label.setFont(theme.font(theme.FONT_PT, bold=True))
        self._label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._label, stretch=1)
        layout.addWidget(close, alignment=QtCore.Qt.AlignTop)
        self.hide()

    def show_text(self, text: str) -> None:
        self._label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self._label.text() if self.isVisibleTo(self.parentWidget()) else ""


def default_arch(models_dir: Path = PRETRAINED_DIR) -> str:
    """The architecture shown at start: the first of PREFERRED_ARCHS with pretrained weights."""
    for arch in PREFERRED_ARCHS:
        if (Path(models_dir) / arch / WEIGHTS_FILE).is_file():
            return arch
    return PREFERRED_ARCHS[-1]


def format_seconds(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "…"
    if seconds < 1:
        return "< 1 s"
    seconds = round(float(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d} h"


def describe_model(role: str, arch: str, meta: dict) -> str:
    """One short line naming the model in use (it shares a narrow panel with the prediction)."""
    accuracy = meta.get("test_accuracy")
    acc = f" · {100 * accuracy:.2f} % test accuracy" if isinstance(accuracy, (int, float)) else ""
    if role == "pretrained":
        return f"pretrained {arch}{acc}"
    if role == "untrained":
        return f"untrained {arch}: random weights"
    if role == "training":
        return f"{arch} in training · {meta.get('images_trained', 0):,} images so far"
    if role == "trained":
        if acc:
            return f"trained {arch}{acc}"
        return f"{arch} trained on {meta.get('images_trained') or 0:,} images"
    source = Path(str(meta.get("source", ""))).name
    if len(source) > 24:
        source = source[:23] + "…"
    return f"{arch} from {source}{acc}"


class MainWindow(QtWidgets.QMainWindow):
    """ConvViz's window. Public methods mirror the buttons, for tests, demos and the benchmark.

    Parameters
    ----------
    arch
        Architecture selected at start (default: :func:`default_arch`).
    data_dir
        Folder searched first for MNIST (default: ``$CONVVIZ_DATA_DIR``, then the usual places).
    models_dir
        Folder of the pretrained models, one sub-folder per architecture.
    """

    model_changed = QtCore.pyqtSignal(str)  # the pad now uses this model (description)
    data_changed = QtCore.pyqtSignal(object)  # MNIST became available (the Mnist object)
    training_started = QtCore.pyqtSignal(object)  # TrainConfig
    training_finished = QtCore.pyqtSignal(dict)  # "status" and the last "step"
    prediction_shown = QtCore.pyqtSignal(object)  # probabilities (10,) for the drawing, after they are drawn
    snapshot_shown = QtCore.pyqtSignal(int)  # a training snapshot reached the panels (its step)
    error_shown = QtCore.pyqtSignal(str)

    def __init__(
        self,
        arch: str | None = None,
        data_dir=None,
        models_dir=None,
        parent: QtWidgets.QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("ConvViz — watch a convolutional network learn MNIST")
        self._models_dir = Path(models_dir) if models_dir is not None else PRETRAINED_DIR
        self._data_dir = data_dir
        self._data = None
        self._data_state = "not loaded"  # loading, ready, missing, failed, downloading
        self._pending_config: TrainConfig | None = None
        self._model = None
        self._model_role = ""
        self._model_request = 0  # only the newest model request may replace the model
        self._train_job: TrainingJob | None = None
        self._train_config: TrainConfig | None = None
        self._train_step = 0
        self._train_images = 0
        self._previous: tuple = (None, "")  # the model (and role) in use before a run, until the run has weights
        self._data_job: DataJob | None = None
        self._download_dialog: QtWidgets.QProgressDialog | None = None
        self._download_offer: QtWidgets.QMessageBox | None = None
        self._drawing28: np.ndarray | None = None
        self._jobs: set = set()  # Python references keep the jobs alive until they finish
        self._threads: set = set()
        self._loading_started = False
        self._closing = False
        self._panel_layout = "auto"
        self._layout_mode = ""
        self._model_text = ""
        self._heap_frozen = False

        self._build_ui()
        self._connect()
        self.controls.set_config(self.controls.config().replace(arch=arch or default_arch(self._models_dir)))
        self.prediction.set_message(LOADING_TEXT)
        self._set_model_text(LOADING_TEXT)
        self.statusBar().showMessage("Loading TensorFlow and the pretrained model in the background…")
        self._fit_to_screen()

    # ---- construction -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.controls = ControlsWidget()
        self.loss = LossWidget()
        self.filters = FiltersWidget()
        self.featuremaps = FeatureMapsWidget()
        self.drawpad = DrawPadWidget()
        self.prediction = PredictionWidget()

        # Errors show under the Start button, where eyes are after a click, and in the status bar.
        self.error_banner = Banner(ERROR_COLOURS)
        left = QtWidgets.QWidget()
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.error_banner)
        left_layout.addStretch(1)
        self.controls.layout().setContentsMargins(4, 4, 4, 4)

        controls_scroll = QtWidgets.QScrollArea()
        controls_scroll.setWidget(left)
        controls_scroll.setWidgetResizable(True)
        controls_scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        controls_scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        controls_scroll.setMinimumWidth(left.sizeHint().width() + 16)
        self._controls_scroll = controls_scroll

        # The panels: tabs on a small screen, all three at once on a large one.
        self._tabs = QtWidgets.QTabWidget()
        self._tabs.setDocumentMode(True)
        self._tabs.tabBar().setFont(theme.font(theme.FONT_PT + 1, bold=True))
        self._grid_top = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self._grid = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        self._grid.addWidget(self._grid_top)
        self._center = QtWidgets.QStackedWidget()
        self._center.addWidget(self._tabs)
        self._center.addWidget(self._grid)
        self._panels = (("Loss", self.loss), ("Filters", self.filters), ("Feature maps", self.featuremaps))

        # The drawing pad and its prediction stay visible whatever the panels show: a column on
        # the right of a large screen, a strip under the panels on a small one. The prediction
        # panel also names the model in use (it draws the filters and feature maps too).
        self.drawpad.canvas.setMinimumSize(DRAW_MIN_PX, DRAW_MIN_PX)
        for panel in (self.drawpad, self.prediction, self.featuremaps, self.loss, self.filters):
            panel.layout().setContentsMargins(4, 4, 4, 4)  # every pixel counts at 1280x800
        draw_area = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        draw_area.addWidget(self.drawpad)
        draw_area.addWidget(self.prediction)
        draw_area.setChildrenCollapsible(False)
        self._draw_area = draw_area

        self._right = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self._right.addWidget(self._center)
        self._right.addWidget(draw_area)
        self._right.setStretchFactor(0, 1)
        self._right.setStretchFactor(1, 0)
        self._right.setChildrenCollapsible(False)

        splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        splitter.addWidget(controls_scroll)
        splitter.addWidget(self._right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self._splitter = splitter
        self._apply_panel_layout("tabs")

        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(splitter, stretch=1)
        self.setCentralWidget(central)

        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setFixedWidth(260)
        self.progress_bar.setFormat("%p %")
        self.progress_bar.hide()
        self.speed_label = QtWidgets.QLabel("")
        self.speed_label.setFont(theme.font(theme.FONT_PT, bold=True))
        self.data_label = QtWidgets.QLabel("")  # stays while MNIST is missing: messages come and go
        self.data_label.setStyleSheet(f"color: {theme.WRONG}")
        self.data_label.hide()
        status.addPermanentWidget(self.data_label)
        status.addPermanentWidget(self.speed_label)
        status.addPermanentWidget(self.progress_bar)

        full_screen = QtWidgets.QShortcut(QtGui.QKeySequence("F11"), self)
        full_screen.activated.connect(self._on_full_screen_toggled)
        quit_key = QtWidgets.QShortcut(QtGui.QKeySequence.Quit, self)
        quit_key.activated.connect(self.close)

    def _connect(self) -> None:
        c = self.controls
        c.start_requested.connect(self._on_start_requested)
        c.pause_requested.connect(self.pause)
        c.resume_requested.connect(self.resume)
        c.stop_requested.connect(self.stop)
        c.save_requested.connect(self._on_save_requested)
        c.load_requested.connect(self._on_load_requested)
        c.pretrained_requested.connect(self._on_pretrained_requested)
        c.arch_changed.connect(self._on_arch_changed)
        self.drawpad.drawing_changed.connect(self._on_drawing_changed)
        self.featuremaps.digit_changed.connect(self._on_digit_changed)

    def _fit_to_screen(self) -> None:
        screen = QtWidgets.QApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1280, 800)
        width = min(available.width(), 1920)
        height = min(available.height(), 1080)
        self.resize(max(1024, int(width * 0.96)), max(700, int(height * 0.94)))

    # ---- layout -------------------------------------------------------------------------------

    def set_panel_layout(self, mode: str) -> None:
        """'grid' shows loss, filters and feature maps at once; 'tabs' one at a time; 'auto' by window size."""
        if mode not in PANEL_LAYOUTS:
            raise ValueError(f"panel layout must be one of {PANEL_LAYOUTS}, got {mode!r}")
        self._panel_layout = mode
        self._update_panel_layout()

    def panel_layout(self) -> str:
        """The layout in use: 'tabs' or 'grid'."""
        return self._layout_mode

    def show_panel(self, name: str) -> None:
        """Bring 'Loss', 'Filters' or 'Feature maps' to the front (in tabs mode)."""
        for index, (title, _) in enumerate(self._panels):
            if title.lower() == name.lower() and self._layout_mode == "tabs":
                self._tabs.setCurrentIndex(index)

    def _update_panel_layout(self) -> None:
        mode = self._panel_layout
        if mode == "auto":
            big = self.width() >= GRID_MIN_WINDOW[0] and self.height() >= GRID_MIN_WINDOW[1]
            mode = "grid" if big else "tabs"
        self._apply_panel_layout(mode)
        self._size_columns()

    def _apply_panel_layout(self, mode: str) -> None:
        if mode == self._layout_mode:
            return
        if mode == "grid":
            self._last_tab = self._tabs.currentIndex()
            self._tabs.clear()  # removes the pages without deleting them
            self._grid_top.addWidget(self.loss)
            self._grid_top.addWidget(self.filters)
            self._grid.addWidget(self.featuremaps)
            for _, widget in self._panels:
                widget.show()
            self._center.setCurrentWidget(self._grid)
            self.drawpad.hint_label.setText(DRAW_HINT)
            self._right.setOrientation(QtCore.Qt.Horizontal)
            self._draw_area.setOrientation(QtCore.Qt.Vertical)
            self.prediction.set_horizontal(False)
        else:
            for title, widget in self._panels:
                self._tabs.addTab(widget, title)
            self._tabs.setCurrentIndex(max(getattr(self, "_last_tab", 0), 0))
            self._center.setCurrentWidget(self._tabs)
            self.drawpad.hint_label.setText(DRAW_HINT_SHORT)  # leaves the strip's width to the bar chart
            self._right.setOrientation(QtCore.Qt.Vertical)
            self._draw_area.setOrientation(QtCore.Qt.Horizontal)
            self.prediction.set_horizontal(True)
        self._layout_mode = mode

    def _size_columns(self) -> None:
        total = self._splitter.width()
        if total <= 0:
            return
        left = self._controls_scroll.minimumWidth()
        self._splitter.setSizes([left, total - left])
        if self._layout_mode == "grid":
            width = self._right.width()
            column = DRAW_COLUMN_PX
            self._right.setSizes([width - column, column])
            pad = column + 90  # a square canvas under its title, the hint and Clear below
            self._draw_area.setSizes([pad, max(self._draw_area.height() - pad, 1)])
            half = (width - column) // 2
            self._grid_top.setSizes([half, half])
            height = self._grid.height()
            self._grid.setSizes([height * 9 // 20, height - height * 9 // 20])
        else:
            height = self._right.height()
            strip = self._draw_area.minimumSizeHint().height()  # the rest goes to the panels
            self._right.setSizes([height - strip, strip])
            self._draw_area.setSizes([DRAW_STRIP_WIDTH, max(self._draw_area.width() - DRAW_STRIP_WIDTH, 1)])

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_panel_layout()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        QtCore.QTimer.singleShot(0, self._size_columns)
        if not self._loading_started:
            # After the first paint: importing TensorFlow holds the interpreter for seconds.
            QtCore.QTimer.singleShot(LOADING_DELAY_MS, self.start_loading)

    def _on_full_screen_toggled(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # ---- background jobs ----------------------------------------------------------------------

    def start_loading(self) -> None:
        """Load the pretrained model and MNIST in background threads (once; showing the window does it)."""
        if self._loading_started or self._closing:
            return
        self._loading_started = True
        self.load_pretrained()
        self._load_data(download=False)

    def _run(self, job: QtCore.QObject) -> QtCore.QThread:
        self._jobs.add(job)
        job.finished.connect(partial(self._jobs.discard, job))
        thread = start_job(job, parent=self)
        self._threads.add(thread)
        thread.finished.connect(partial(self._threads.discard, thread))
        return thread

    def running_threads(self) -> list:
        """The QThreads of this window that are still running."""
        running = []
        for thread in list(self._threads):
            try:
                if thread.isRunning():
                    running.append(thread)
            except RuntimeError:  # deleted: finished long ago
                self._threads.discard(thread)
        return running

    # ---- data ---------------------------------------------------------------------------------

    def _load_data(self, download: bool) -> None:
        job = DataJob(self._data_dir, download=download)
        job.loaded.connect(self._on_data_loaded)
        job.missing.connect(self._on_data_missing)
        job.errored.connect(self._on_data_errored)
        job.progress.connect(self._on_download_progress)
        job.finished.connect(partial(self._on_data_job_finished, job))
        self._data_job = job
        self._data_state = "downloading" if download else "loading"
        self._run(job)

    def set_data(self, data) -> None:
        """Use this Mnist (e.g. a subset) for training and the feature-map digits."""
        self._data = data
        self._data_state = "ready"
        self.data_label.hide()
        self.featuremaps.set_digit_source(data.test_images, data.test_labels)
        self.data_changed.emit(data)

    def data(self):
        return self._data

    def data_state(self) -> str:
        """'not loaded', 'loading', 'ready', 'missing', 'downloading' or 'failed'."""
        return self._data_state

    def _on_data_loaded(self, data) -> None:
        if self._closing:
            return
        self.set_data(data)
        self.statusBar().showMessage(
            f"MNIST ready: {len(data.train_labels):,} training and {len(data.test_labels):,} test images", 8000
        )
        if self._pending_config is not None:
            config, self._pending_config = self._pending_config, None
            self._start_training(config)

    def _on_data_missing(self, text: str) -> None:
        if self._closing:
            return
        self._data_state = "missing"
        self.data_label.setText("MNIST missing: Start offers the download")
        self.data_label.setToolTip(text)
        self.data_label.show()
        self.statusBar().showMessage(f"{text} Start offers the download.", 15000)
        if self._pending_config is not None:
            self.offer_download()

    def _on_data_errored(self, text: str) -> None:
        if self._closing:
            return
        self._data_state = "failed"
        self.data_label.setText("no MNIST: Start tries the download again")
        self.data_label.setToolTip(text)
        self.data_label.show()
        self._close_download_dialog()
        self._pending_config = None
        self.show_error(f"MNIST: {text}")

    def _on_data_job_finished(self, job: DataJob) -> None:
        if job is self._data_job:
            self._data_job = None
            self._close_download_dialog()

    def offer_download(self) -> None:
        """Ask (without blocking) whether to download MNIST; yes starts the download with a progress bar."""
        if self._download_offer is not None and self._download_offer.isVisible():
            return
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Question)
        box.setWindowTitle("Download MNIST?")
        box.setText("Training needs MNIST, which is not on this computer yet.")
        box.setInformativeText("Download it now? About 11 MB; it is kept for the next time.")
        box.setStandardButtons(QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.Cancel)
        box.button(QtWidgets.QMessageBox.Yes).setText("Download")
        box.setDefaultButton(QtWidgets.QMessageBox.Yes)
        box.finished.connect(self._on_download_answered)
        self._download_offer = box
        box.open()  # returns at once: the window stays live (and tests are not blocked)

    def _on_download_answered(self, result: int) -> None:
        self._download_offer = None
        if result == QtWidgets.QMessageBox.Yes:
            self.download_mnist()
        else:
            self._pending_config = None
            self.statusBar().showMessage("MNIST not downloaded: training needs it", 8000)

    def download_mnist(self) -> None:
        """Download MNIST in the background, with a progress dialog that can cancel it."""
        if self._data_state in ("downloading", "loading") or self._closing:
            return
        dialog = QtWidgets.QProgressDialog("Downloading MNIST…", "Cancel", 0, 100, self)
        dialog.setWindowTitle("Downloading MNIST")
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(520)
        dialog.canceled.connect(self._on_download_canceled)
        self._download_dialog = dialog
        self._load_data(download=True)
        dialog.show()

    def _on_download_progress(self, report: dict) -> None:
        dialog = self._download_dialog
        if dialog is None:
            return
        total, done = report.get("total"), report.get("done", 0)
        if total:
            dialog.setMaximum(int(total))
            dialog.setValue(min(int(done), int(total)))
        else:
            dialog.setMaximum(0)  # unknown size: a busy indicator
        dialog.setLabelText(f"Downloading {report.get('file', 'MNIST')}: {done / 1e6:.1f} MB")

    def _on_download_canceled(self) -> None:
        if self._data_job is not None:
            self._data_job.cancel()

    def _close_download_dialog(self) -> None:
        dialog, self._download_dialog = self._download_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self._on_download_canceled)
            dialog.close()
            dialog.deleteLater()

    # ---- models -------------------------------------------------------------------------------

    def model(self):
        """The Model the drawing pad and the feature maps use (None while loading)."""
        return self._model

    def model_role(self) -> str:
        """'pretrained', 'untrained', 'loaded', 'training' or 'trained'."""
        return self._model_role

    def load_pretrained(self, arch: str | None = None) -> None:
        """Load the shipped model of ``arch`` (default: the selected one); untrained weights if there is none."""
        arch = arch or self.controls.config().arch
        folder = self._models_dir / arch
        if (folder / WEIGHTS_FILE).is_file():
            self._request_model(ModelJob(directory=folder), "pretrained")
        else:
            self._request_model(ModelJob(arch=arch), "untrained")

    def load_model(self, directory) -> None:
        """Load a saved model folder in the background; a bad folder shows an error."""
        self._request_model(ModelJob(directory=Path(directory)), "loaded")

    def save_model(self, directory) -> Path | None:
        """Save the model in use (weights.npz + model.json) into ``directory``; None and an error if it fails."""
        if self._model is None:
            self.show_error("There is no model to save yet.")
            return None
        meta = dict(self._model.meta)
        if self._model_role == "training" and self._train_config is not None:
            meta.update(
                {
                    "config": self._train_config.to_dict(),
                    "train_images": self._train_images,
                    "note": f"saved while training was paused, after {self._train_images:,} images",
                }
            )
        meta.pop("source", None)
        try:
            path = self._model.save(directory, meta)
        except Exception as exc:  # ModelError, OSError: the message is for the user
            log.debug("saving failed", exc_info=True)
            self.show_error(f"Could not save the model: {exc}")
            return None
        self.statusBar().showMessage(f"Model saved to {path}", 10000)
        return Path(path)

    def _request_model(self, job: ModelJob, role: str) -> None:
        self._model_request += 1
        request = self._model_request
        job.loaded.connect(partial(self._on_model_loaded, request, role))
        job.errored.connect(partial(self._on_model_errored, request, role))
        if role != "training":
            self._set_model_text("loading a model…")
        self._run(job)

    def _on_model_loaded(self, request: int, role: str, model) -> None:
        if self._closing or request != self._model_request:
            model.close()  # a newer request (or closing) made this one moot
            return
        self._adopt_model(model, role)

    def _adopt_model(self, model, role: str) -> None:
        """Make ``model`` the one the pad, the feature maps and (when idle) the filters use."""
        old, old_role = self._model, self._model_role
        self._model, self._model_role = model, role
        if not self._heap_frozen:
            # TensorFlow and the first graph are loaded: move their million objects out of the
            # collector's sight, or each full collection stops every thread for 100-200 ms.
            gc.freeze()
            self._heap_frozen = True
        if role == "training":  # kept until the run has weights to show for itself
            self._previous = (old, old_role)
        elif old is not None and old is not model:
            old.close()
        if role in ("loaded", "pretrained") and model.arch != self.controls.config().arch:
            self.controls.set_config(self.controls.config().replace(arch=model.arch))
        self.prediction.set_message("" if self._drawing28 is not None else "draw a digit")
        self._update_model_label()
        if role != "training":
            self.statusBar().showMessage(f"Model ready: {self._model_text}", 8000)
            self.filters.set_kernels(model.kernels())
        self._classify_drawing()
        self._show_feature_maps(self.featuremaps.current_image())
        self.model_changed.emit(self._model_text)

    def _on_model_errored(self, request: int, role: str, text: str) -> None:
        if self._closing:
            return
        if request == self._model_request:
            self._update_model_label()
        what = "load the model" if role == "loaded" else f"build the {role} model"
        self.show_error(f"Could not {what}: {text}")

    def _update_model_label(self) -> None:
        if self._model is None:
            self._set_model_text("no model: loading failed")
            return
        meta = dict(self._model.meta)
        if self._model_role == "training":
            meta["images_trained"] = self._train_images
        self._set_model_text(describe_model(self._model_role, self._model.arch, meta))

    def _set_model_text(self, text: str) -> None:
        self._model_text = text
        self.prediction.set_model_text(text)

    def model_text(self) -> str:
        """What the window says about the model in use."""
        return self._model_text

    # ---- drawing and feature maps -------------------------------------------------------------

    def _on_drawing_changed(self, image: np.ndarray) -> None:
        if not (image < PAPER).any():
            self._drawing28 = None
            self.prediction.clear()
            self.prediction.set_message("draw a digit" if self._model is not None else LOADING_TEXT)
            self.featuremaps.set_drawing(None)
            return
        try:
            x = to_mnist(image, invert=True)  # the pad is dark ink on white paper
        except PreprocessError as exc:
            self._drawing28 = None
            self.prediction.clear()
            self.prediction.set_message(str(exc))
            return
        self._drawing28 = x
        self.prediction.set_network_input(x)
        self._classify_drawing()
        self.featuremaps.set_drawing(x)  # in "use drawing" mode this updates the feature maps too

    def _classify_drawing(self) -> None:
        if self._drawing28 is None:
            return
        if self._model is None:
            self.prediction.set_probabilities(None)
            self.prediction.set_message(LOADING_TEXT + " the digit is classified when the model is ready")
            return
        probabilities = self._model.predict_proba(self._drawing28)[0]
        self.prediction.set_probabilities(probabilities)
        self.prediction.set_message("")
        self.prediction_shown.emit(probabilities)

    def _on_digit_changed(self, image: np.ndarray) -> None:
        if self._train_job is not None:
            self._train_job.set_probe_image(image)
        self._show_feature_maps(image)

    def _show_feature_maps(self, image: np.ndarray) -> None:
        if self._model is None:
            return
        self.featuremaps.set_feature_maps(self._model.feature_maps(image))  # none for the dense net
        self.featuremaps.set_prediction(self._model.predict_proba(image)[0])

    # ---- training -----------------------------------------------------------------------------

    def is_training(self) -> bool:
        return self._train_job is not None

    def start_training(self, config: TrainConfig | None = None) -> None:
        """Start as the Start button does, with ``config`` (shown in the controls) or the controls' settings."""
        if config is not None:
            self.controls.set_config(config)
        self.controls.start_button.click()

    def pause(self) -> None:
        if self._train_job is not None:
            self._train_job.pause()
            self.controls.set_running(True, paused=True)
            self.statusBar().showMessage("Paused: draw a digit to test the half-trained network")

    def resume(self) -> None:
        if self._train_job is not None:
            self._train_job.resume()
            self.controls.set_running(True, paused=False)
            self.statusBar().showMessage("Training…")

    def stop(self) -> None:
        if self._train_job is not None:
            self._train_job.stop()
            self.statusBar().showMessage("Stopping…")

    def _on_start_requested(self, config: TrainConfig) -> None:
        if self._train_job is not None or self._closing:
            return
        self.error_banner.hide()
        if self._data is not None:
            self._start_training(config)
            return
        self._pending_config = config
        if self._data_state in ("loading", "downloading", "not loaded"):
            self.statusBar().showMessage("Waiting for MNIST to load…")
            if self._data_state == "not loaded":
                self.start_loading()
        else:
            self.offer_download()

    def _start_training(self, config: TrainConfig) -> None:
        # share_model: the job's inspection model becomes the pad's, so it follows the network as it learns.
        job = TrainingJob(config, self._data, probe_image=self.featuremaps.current_image(), share_model=True)
        job.model_built.connect(partial(self._on_live_model, job))
        job.losses_ready.connect(self._on_losses_ready)
        job.epoch_finished.connect(self._on_epoch_finished)
        job.snapshot_ready.connect(self._on_snapshot_ready)
        job.progress.connect(self._on_progress)
        job.errored.connect(self._on_training_errored)
        job.finished.connect(self._on_training_finished)
        self._train_job = job
        self._train_config = config
        self._train_step = 0
        self._train_images = 0
        train_size = min(config.train_limit or NUM_TRAIN, len(self._data.train_labels))
        self.loss.clear()
        self.loss.set_train_size(train_size)
        batches = math.ceil(train_size / config.batch_size) * config.epochs
        window = min(max(batches / SMOOTHING_PER_RUN, 5.0), 50.0)
        self.loss.set_smoothing(1.0 - 1.0 / window)
        self.controls.set_running(True)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.speed_label.setText("building the graph…")
        self.statusBar().showMessage(
            f"Training {config.arch} on {train_size:,} images with {config.batching} batching, "
            f"batch size {config.batch_size}, {config.optimizer} lr {config.learning_rate:g}"
        )
        self._model_request += 1  # a model still loading must not replace the one about to train
        self._run(job)
        self.training_started.emit(config)

    def _on_live_model(self, job: TrainingJob, model) -> None:
        if self._closing or job is not self._train_job:
            model.close()  # the run is over (the job no longer uses it)
            return
        self._adopt_model(model, "training")

    def _on_losses_ready(self, chunk: dict) -> None:
        self.loss.add_losses(chunk["examples_seen"], chunk["losses"])
        self._train_images = int(chunk["examples_seen"][-1])

    def _on_epoch_finished(self, report: dict) -> None:
        self.loss.add_accuracy(report["epoch"] + 1, report["examples_seen"], report["test_accuracy"])
        self.statusBar().showMessage(
            f"Epoch {report['epoch'] + 1} done: test accuracy {100 * report['test_accuracy']:.2f} %, "
            f"mean training loss {report['train_loss']:.3f}",
            15000,
        )

    def _on_progress(self, report: dict) -> None:
        done, total = int(report["done"]), int(report["total"])
        self._train_step = done
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        epochs = self._train_config.epochs if self._train_config is not None else 1
        self.speed_label.setText(
            f"epoch {report['epoch'] + 1}/{epochs} · {report['images_per_second']:,.0f} images/s · "
            f"{format_seconds(report['seconds_left'])} left"
        )

    def _on_snapshot_ready(self, snapshot: dict) -> None:
        if self._closing or self._train_job is None:
            return
        self.filters.set_kernels(snapshot["kernels"])
        if self._model_role == "training":  # the job has put these weights into the live model already
            self._update_model_label()
            self._classify_drawing()
        probe = snapshot.get("probe")
        current = self.featuremaps.current_image()
        if probe is not None and np.array_equal(probe, current):
            self.featuremaps.set_feature_maps(snapshot["feature_maps"])
            self.featuremaps.set_prediction(snapshot["probabilities"])
        elif self._model_role == "training":
            self._show_feature_maps(current)
        self.snapshot_shown.emit(int(snapshot.get("step", 0)))

    def _on_training_errored(self, text: str) -> None:
        if self._closing:
            return
        self.show_error(f"Training stopped: {text}")

    def _on_training_finished(self, result: dict) -> None:
        self._train_job = None
        if self._closing:
            return
        status = result.get("status", "failed")
        self.controls.set_running(False)
        self.progress_bar.hide()
        self.speed_label.setText("")
        weights, meta = result.get("weights"), result.get("metadata") or {}
        previous, previous_role = self._previous
        self._previous = (None, "")
        if self._model_role == "training":
            live = self._model
            if weights is not None:  # the live model holds them: it becomes the trained model
                live.meta = dict(meta, images_trained=self._train_images)
                self._model_role = "trained"
                if previous is not None and previous is not live:
                    previous.close()
                self._update_model_label()
                self.filters.set_kernels(live.kernels())
                self._classify_drawing()
                self._show_feature_maps(self.featuremaps.current_image())
                self.model_changed.emit(self._model_text)
            elif previous is not None:  # nothing learned: back to the model from before the run
                live.close()
                self._model = None
                self._adopt_model(previous, previous_role)
        elif previous is not None and previous is not self._model:
            previous.close()
        messages = {
            "completed": "Training finished",
            "stopped": f"Training stopped after {self._train_step:,} batches",
            "failed": "Training failed",
        }
        accuracy = meta.get("test_accuracy")
        suffix = f": test accuracy {100 * accuracy:.2f} %" if isinstance(accuracy, float) else ""
        self.statusBar().showMessage(messages.get(status, status) + suffix)
        self.training_finished.emit({"status": status, "step": self._train_step})

    # ---- buttons that open dialogs ------------------------------------------------------------

    def _on_save_requested(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Save the model into a folder", str(Path.home()))
        if folder:
            self.save_model(folder)

    def _on_load_requested(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, "Load a model folder (with weights.npz and model.json)", str(self._models_dir)
        )
        if folder:
            self.load_model(folder)

    def _on_pretrained_requested(self) -> None:
        self.load_pretrained()

    def _on_arch_changed(self, arch: str) -> None:
        if self._train_job is None and self._loading_started:
            self.load_pretrained(arch)

    # ---- errors -------------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        """A red banner across the window and the status bar; the window stays usable."""
        log.warning("%s", text)
        self.error_banner.show_text(text)
        self.statusBar().showMessage(text, 15000)
        self.error_shown.emit(text)

    def error_text(self) -> str:
        return self.error_banner.text()

    # ---- shutdown -----------------------------------------------------------------------------

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.shutdown()
        event.accept()

    def shutdown(self, timeout: float = SHUTDOWN_WAIT_S) -> bool:
        """Stop training and downloads, wait (bounded) for every thread; True when none is left running."""
        self._closing = True
        if self._train_job is not None:
            self._train_job.stop()
        if self._data_job is not None:
            self._data_job.cancel()
        for box in (self._download_offer, self._download_dialog):
            if box is not None:
                box.close()
        deadline = time.monotonic() + timeout
        for thread in self.running_threads():
            remaining_ms = max(0, int(1000 * (deadline - time.monotonic())))
            thread.wait(remaining_ms)
        left = self.running_threads()
        if left:
            log.warning("%d background thread(s) still running after %.0f s", len(left), timeout)
        else:
            for model in {id(m): m for m in (self._model, self._previous[0]) if m is not None}.values():
                model.close()
            self._model, self._previous = None, (None, "")
        return not left


def main(argv: list | None = None) -> int:
    """Open the window and run the event loop; the exit status of the application."""
    argv = list(argv or [])
    app = QtWidgets.QApplication.instance()
    if app is None:
        # Sharp text on high-DPI laptops and projectors.
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_UseHighDpiPixmaps, True)
        app = QtWidgets.QApplication([sys.argv[0], *argv])
    app.setApplicationName("ConvViz")
    theme.apply_app_style(app)
    window = MainWindow()
    window.showMaximized()  # a lecture wants the whole screen; F11 goes full screen
    # Ctrl+C in the terminal closes the window cleanly. Python runs its signal handlers only
    # between bytecodes, so a timer wakes the interpreter now and then while Qt waits for events.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QtCore.QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)
    code = app.exec_()
    wake.stop()
    if not window.shutdown():  # closed already; a thread that outlived the wait would crash the exit
        sys.stderr.flush()
        os._exit(code)
    return code
