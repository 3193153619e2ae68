"""The app's actions: load data and models, train, save; the jobs that do them and the inference models.

:class:`Controller` turns what a user asks for (a button, a menu, a test or
the benchmark calling a method) into background jobs
(:mod:`convviz.gui.jobs`) and feeds what they report into the
:class:`~convviz.gui.state.AppState`. It imports no widget, so it is tested
without a window, like the state.

Inference: every TensorFlow model of the window lives in one thread, the
inference service (:mod:`convviz.gui.jobs.inference`); :attr:`Controller.inference`
(:mod:`convviz.gui.jobs.padinference`) keeps its pad network in step with the
state's model, and ``AppState.inference`` says where each network stands.
:attr:`Controller.inference_changed` tells the window to redraw the pad's
prediction, the filters and the feature maps. The GUI thread sends numpy and
gets numpy back; it never runs a session.
"""

from __future__ import annotations

import logging
import math
import time
from functools import partial
from pathlib import Path

import numpy as np
from PyQt5 import QtCore

from convviz.config import TrainConfig
from convviz.constants import NUM_TRAIN
from convviz.events import ErrorInfo, SaliencyRequest
from convviz.gui.common.i18n import count, translate
from convviz.gui.common.threads import start_job
from convviz.gui.controller.runstore import RunStoreActions
from convviz.gui.jobs.evaljobs import EVALUATION, SALIENCY, EvaluationRequest
from convviz.gui.jobs.inference import InferenceService
from convviz.gui.jobs.loading import BuiltModel, DataJob, ModelJob
from convviz.gui.jobs.padinference import PadInference
from convviz.gui.jobs.race import RaceJob, race_configs
from convviz.gui.jobs.training import TrainingJob
from convviz.gui.state import AppState, DataState, IllegalTransition, ModelRef, ModelRole, RunState
from convviz.memory import memory_report
from convviz.netspec import get_spec, kernel_layers
from convviz.pretrained import PRETRAINED_DIR, WEIGHTS_FILE

log = logging.getLogger(__name__)

_HELD = (RunState.PAUSED, RunState.STEPPING)  # the run waits for the user (a step trains one batch)


class Controller(RunStoreActions, QtCore.QObject):
    """Runs the app's jobs and keeps :attr:`state` up to date. All methods are for the GUI thread."""

    inference_changed = QtCore.pyqtSignal(object)  # ModelRef: the inference model now holds its weights
    prediction_answered = QtCore.pyqtSignal(int, object)  # predict_proba_later's number, probabilities (10,) or None
    download_progressed = QtCore.pyqtSignal(object)  # loading.DownloadProgress
    data_missing = QtCore.pyqtSignal(object)  # MNIST is not here (why, an i18n.Text); a window offers the download
    message = QtCore.pyqtSignal(object)  # a short status line for the user (an i18n.Text)
    model_failed = QtCore.pyqtSignal()  # the newest model request failed: the model in use stays
    race_rates = QtCore.pyqtSignal(object)  # events.RaceRates: a race's speeds, each run's and shared
    evaluation_done = QtCore.pyqtSignal(object)  # events.EvaluationDone: a confusion of the test set
    evaluation_failed = QtCore.pyqtSignal(object)  # ErrorInfo
    saliency_done = QtCore.pyqtSignal(object)  # events.SaliencyDone
    saliency_failed = QtCore.pyqtSignal(object)  # ErrorInfo
    record_loaded = QtCore.pyqtSignal(str, object)  # (record id, recording.RunRecord) of a stored run: open_stored

    def __init__(self, models_dir=None, data_dir=None, parent: QtCore.QObject | None = None, runs_dir=None):
        super().__init__(parent)
        # The run store's folder (None: recording.runs_dir(), i.e. $CONVVIZ_RUNS_DIR or the user's data folder).
        self.runs_dir = runs_dir
        self.keep_runs = True  # ended runs are saved into the run store
        self.records: dict = {}  # record id -> RunRecord loaded from the store (lazily, on demand)
        self._pending_open: str | None = None  # the stored run whose weights the user asked for last
        self.state = AppState(self)
        self.models_dir = Path(models_dir) if models_dir is not None else PRETRAINED_DIR
        self.data_dir = data_dir
        self._model_request = 0  # only the newest load may replace the model
        self._train_job: TrainingJob | None = None
        self.sweep_job = None  # the batch-size sweep's job while one runs (window.sweep starts it)
        self._data_job: DataJob | None = None
        self._pending_config: TrainConfig | None = None
        self._pending_step = False  # the run waiting for MNIST was asked for by Step: it starts paused
        self.speed: float | None = None  # batches a second for every run, this one and the next; None: full
        self._threads: set = set()
        self._jobs: set = set()
        self._closing = False
        self._evaluation_request = 0  # the newest request's number
        self._evaluation_received = 0  # the number of the newest result sent on
        self._saliency_request = 0
        self._service_connected = False
        # The pad's network follows the state's model (the first to hear of a change: the panels then ask it).
        self.inference = PadInference(self.state, self._run, self._error, self)
        self.state.inference.shown_changed.connect(self.inference_changed)
        self.inference.answered.connect(lambda n, p: self.prediction_answered.emit(n, None if p is None else p[0]))

    # ---- jobs ----------------------------------------------------------------------------------
    def _run(self, job: QtCore.QObject) -> QtCore.QThread:
        self._jobs.add(job)
        job.finished.connect(partial(self._jobs.discard, job))
        thread = start_job(job, parent=self)
        self._threads.add(thread)
        thread.finished.connect(partial(self._threads.discard, thread))
        return thread

    def run_job(self, job: QtCore.QObject) -> QtCore.QThread:
        """Run ``job.work`` in a thread of its own that closing the window waits for.

        ``job``: a QObject with a ``work`` slot and a ``finished`` signal (see jobs.base.start_job);
        it should stop soon when :attr:`closing` becomes True.
        """
        return self._run(job)

    @property
    def closing(self) -> bool:
        """The window is closing: jobs should stop."""
        return self._closing

    def running_threads(self) -> list:
        """The QThreads of this controller that are still running."""
        running = []
        for thread in list(self._threads):
            try:
                if thread.isRunning():
                    running.append(thread)
            except RuntimeError:  # deleted: finished long ago
                self._threads.discard(thread)
        return running

    def _error(self, error: ErrorInfo, frame: str = "") -> None:
        """Report ``error`` in ``frame``, a translated text whose ``{message}`` is the error's own (English) line."""
        if self._closing:
            return
        text = frame.format(message=error.message) if frame else error.message
        self.state.report_error(ErrorInfo(error.type_name, text, error.user_error))

    # ---- data ----------------------------------------------------------------------------------
    def load_data(self, download: bool = False) -> None:
        """Find MNIST (or download it) in the background; state.data_state says how it goes."""
        if self._closing or self.state.data_state in (DataState.LOADING, DataState.DOWNLOADING):
            return
        job = DataJob(self.data_dir, download=download)
        job.loaded.connect(self._on_data_loaded)
        job.missing.connect(self._on_data_missing)
        job.errored.connect(self._on_data_errored)
        job.progress.connect(self.download_progressed)
        job.finished.connect(partial(self._on_data_job_finished, job))
        self._data_job = job
        self.state.set_data_state(DataState.DOWNLOADING if download else DataState.LOADING)
        self._run(job)

    def cancel_download(self) -> None:
        if self._data_job is not None:
            self._data_job.cancel()

    def set_data(self, data) -> None:
        """Use this Mnist (e.g. a subset) for training and the feature-map digits."""
        self.state.set_data(data)

    def _on_data_loaded(self, data) -> None:
        if self._closing:
            return
        self.state.set_data(data)
        ready = translate("Controller", "MNIST ready: {train} training and {test} test images")
        self.message.emit(ready.format(train=count(len(data.train_labels)), test=count(len(data.test_labels))))
        if self._pending_config is not None:
            config, self._pending_config = self._pending_config, None
            self._start_training(config, self._pending_step)

    def _on_data_missing(self, text: str) -> None:
        if self._closing:
            return
        self.state.set_data_state(DataState.MISSING, text)
        self.data_missing.emit(text)

    def _on_data_errored(self, error: ErrorInfo) -> None:
        if self._closing:
            return
        self._pending_config = None
        self.state.set_data_state(DataState.FAILED, error.message)
        self._error(error, translate("Controller", "MNIST: {message}"))

    def _on_data_job_finished(self, job: DataJob) -> None:
        if job is self._data_job:
            self._data_job = None

    def forget_pending_start(self) -> None:
        """The user declined the download: the Start that waited for data is dropped."""
        self._pending_config, self._pending_step = None, False

    # ---- models --------------------------------------------------------------------------------
    def load_pretrained(self, arch: str) -> None:
        """The shipped model of ``arch``; untrained weights if there is none."""
        folder = self.models_dir / arch
        if (folder / WEIGHTS_FILE).is_file():
            self._request_model(ModelJob(directory=folder), ModelRole.PRETRAINED)
        else:
            self._request_model(ModelJob(arch=arch), ModelRole.UNTRAINED)

    def load_model(self, directory) -> None:
        """A saved model folder, loaded in the background; a bad folder reports an error."""
        self._request_model(ModelJob(directory=Path(directory)), ModelRole.LOADED)

    def _request_model(self, job: ModelJob, role: ModelRole) -> None:
        if self._closing:
            return
        self._model_request += 1
        job.loaded.connect(partial(self._on_model_loaded, self._model_request, role))
        job.errored.connect(partial(self._on_model_errored, self._model_request, role))
        self._run(job)

    def _on_model_loaded(self, request: int, role: ModelRole, built: BuiltModel, network_ready: bool = False) -> None:
        if self._closing or request != self._model_request or self.state.is_training():
            return  # a newer request, a run or closing made this one moot
        if not network_ready:  # the pad's network of it is built first: the panels then redraw at once
            self.inference.when_built(built.arch, partial(self._on_model_loaded, request, role, built, True))
            return
        self.state.set_model(ModelRef(built.arch, role, built.weights, built.meta))

    def _on_model_errored(self, request: int, role: ModelRole, error: ErrorInfo) -> None:
        if request == self._model_request:
            self.model_failed.emit()  # the window puts back what it said before "loading a model…"
        if role is ModelRole.LOADED:
            self._error(error, translate("Controller", "Could not load the model: {message}"))
        elif role is ModelRole.PRETRAINED:
            self._error(error, translate("Controller", "Could not build the pretrained model: {message}"))
        else:
            self._error(error, translate("Controller", "Could not build the untrained model: {message}"))

    def shown_model(self) -> ModelRef | None:
        """The model whose weights the pad's network holds (a snapshot may still be on its way in)."""
        return self.state.inference.shown

    def inference_model(self) -> ModelRef | None:
        """The model the pad's network answers for: the state's model, or None while it is being built.

        While the service copies a newer training snapshot in, the pad keeps the last one's answers.
        A ModelRef (numpy): the network itself lives in the inference service's thread.
        """
        return self.state.model if self.inference.ready() else None

    def inference_weights(self) -> dict | None:
        """The weights the pad's network holds, read back from it in the service (numpy); None without one."""
        return self.inference.weights()

    def inference_service(self) -> InferenceService:
        """The window's inference service, the one owner of its TensorFlow models (started at the first use)."""
        return self.inference.service()

    def save_model(self, directory) -> Path:
        """Save the model in use into ``directory``; raises ModelError or OSError with a message for the user."""
        from convviz.model import save_weights  # TensorFlow is loaded by now: there is a model to save

        model = self.state.model
        if model is None:
            raise IllegalTransition(translate("Controller", "there is no model to save yet"))
        meta = dict(model.meta)
        run = self.state.run
        if model.role is ModelRole.TRAINING and run is not None:
            meta.update(
                {
                    "config": run.config.to_dict(),
                    "train_images": run.train_size,
                    "images_trained": model.examples_seen,
                    "note": (
                        f"saved while training was {'paused' if run.state in _HELD else 'running'}, "
                        f"after {count(model.examples_seen)} images"
                    ),
                }
            )
        meta.pop("source", None)
        return Path(save_weights(directory, model.arch, dict(model.weights), meta))

    # ---- training ------------------------------------------------------------------------------
    def start_training(self, config: TrainConfig | None = None, step: bool = False) -> bool:
        """Start a run now, or once MNIST is loaded; False if a run is going on already.

        ``config``: default the state's, the one being edited in the controls. ``step``: the run
        starts paused and trains a single batch (Step pressed with no run).
        """
        if self._closing or self.state.is_training() or self._pending_config is not None:
            return False
        config = self.state.config if config is None else config
        if self.state.data is not None:
            self._start_training(config, step)
            return True
        self._pending_config, self._pending_step = config, step
        if self.state.data_state is DataState.NOT_LOADED:
            self.load_data()
        elif self.state.data_state in (DataState.MISSING, DataState.FAILED):
            self.data_missing.emit(
                self.state.data_message or translate("Controller", "MNIST is not on this computer yet.")
            )
        self.message.emit(translate("Controller", "Waiting for MNIST to load…"))
        return True

    def waiting_for_data(self) -> bool:
        return self._pending_config is not None

    def _start_training(self, config: TrainConfig, step: bool = False) -> None:
        data = self.state.data
        train_size = min(config.train_limit or NUM_TRAIN, len(data.train_labels))
        total = math.ceil(train_size / config.batch_size) * config.epochs
        job = TrainingJob(config, data)
        run = self.state.begin_run(
            config,
            train_size,
            total,
            snapshots=job.session.live_log(),  # the session's timeline, mirrored in this thread by its frames
            memory_bytes=self._memory(config, train_size),
        )
        job.run_id = run.id
        self._model_request += 1  # a model still loading must not replace the one about to train
        job.frame_ready.connect(self.state.add_frame)
        job.set_speed(self.speed)
        if step:
            job.pause()
            job.step()
            self.state.step()
        job.stepped.connect(self._on_stepped)
        self._start_run_job(job, config.arch, self._on_snapshot, self._on_training_finished)

    def start_race(self, main: TrainConfig, rival: TrainConfig) -> bool:
        """Race two configurations in one job, steps alternating (numpy batching; the rival takes the main
        run's seed, images and epochs: race.race_configs). False when a run is going on or MNIST is not
        loaded yet (then it starts loading)."""
        if self._closing or self.state.is_training() or self._pending_config is not None:
            return False
        data = self.state.data
        if data is None:
            if self.state.data_state is DataState.NOT_LOADED:
                self.load_data()
            self.message.emit(translate("Controller", "Waiting for MNIST to load…"))
            return False
        main, rival = race_configs(main, rival)
        main.validate()
        rival.validate()
        train_size = min(main.train_limit or NUM_TRAIN, len(data.train_labels))
        totals = [math.ceil(train_size / c.batch_size) * c.epochs for c in (main, rival)]
        memory = tuple(self._memory(c, train_size) for c in (main, rival))
        run, other = self.state.begin_race((main, rival), train_size, totals, memory_bytes=memory)
        self._model_request += 1
        job = RaceJob((main, rival), data, (run.id, other.id))
        job.rates.connect(self.race_rates)
        self._start_run_job(job, main.arch, self._on_race_snapshot, self._on_race_finished)
        return True

    def _start_run_job(self, job, arch: str, on_snapshot, on_finished) -> None:
        """Start a job that trains (a run, a race) or plays a record: its losses, epochs, progress and errors
        go into the state as a training run's do, its snapshots to ``on_snapshot(job, snapshot)``, its end to
        ``on_finished``. The pad's network for ``arch`` is built meanwhile."""
        job.losses_ready.connect(self.state.add_losses)
        job.epoch_finished.connect(self.state.add_epoch)
        job.progress.connect(self.state.set_progress)
        if hasattr(job, "rate_changed"):  # a training run or a replay (a race's rate is fixed)
            job.rate_changed.connect(self.state.add_rate_change)
        job.snapshot_ready.connect(partial(on_snapshot, job))
        job.errored.connect(partial(self._error, frame=translate("Controller", "Training stopped: {message}")))
        job.finished.connect(on_finished)
        self._train_job = job
        self.inference.ensure(arch)  # built while the run builds its graph
        self._run(job)

    def _on_race_snapshot(self, job: RaceJob, snapshot) -> None:
        started = time.perf_counter()
        try:
            self.state.add_snapshot(snapshot)  # the main run's: the pad and the panels; the rival's: its filters
        finally:
            job.snapshot_taken(snapshot.run_id, time.perf_counter() - started)

    def _on_race_finished(self, outcomes) -> None:
        self._train_job = None
        if self._closing:
            return
        main, rival = outcomes
        ended = [self.state.finish(rival), self.state.finish(main)]  # the rival first: the main run is the newest
        for run in ended:
            if run is not None:
                self.save_run(run)

    @staticmethod
    def _memory(config: TrainConfig, train_size: int) -> int | None:
        """The exercise's memory figure: bytes one training step keeps for a mini-batch."""
        try:
            return int(
                memory_report(config.arch, min(config.batch_size, train_size), n_images=train_size).total_batch_bytes
            )
        except ValueError:
            return None

    def _on_snapshot(self, job: TrainingJob, snapshot) -> None:
        started = time.perf_counter()
        try:
            self.state.add_snapshot(snapshot)  # -> the inference model, the pad, the filters, the feature maps
        finally:
            job.snapshot_taken(time.perf_counter() - started)

    def _on_stepped(self, progress) -> None:
        self.state.step_done(progress.run_id)  # the step's loss, progress and weights came first

    def pause(self) -> None:
        if self.state.run_state in (RunState.BUILDING, RunState.RUNNING) and self._train_job is not None:
            self._train_job.pause()
            self.state.pause()

    def resume(self) -> None:
        if self.state.run_state in _HELD and self._train_job is not None:
            self._train_job.resume()
            self.state.resume()

    def toggle_pause(self) -> None:
        """Pause a training run, resume a paused one (the space bar); nothing otherwise."""
        if self.state.run_state in _HELD:
            self.resume()
        else:
            self.pause()

    def step(self, config: TrainConfig | None = None) -> bool:
        """Train exactly one batch, then pause; False when there is nothing to step.

        A paused run (or one still building its graph) takes its next batch. With no
        run, ``config`` starts one that takes a single batch and waits paused, so a
        lecture can begin with the untrained network and its first weight update.
        """
        job = self._train_job
        if isinstance(job, RaceJob):
            return False  # a race has no Step
        if job is not None and self.state.can_move(RunState.STEPPING):
            job.pause()  # a no-op when paused; while building, the run now starts paused
            job.step()
            self.state.step()
            return True
        if config is not None and not self.state.is_training():
            return self.start_training(config, step=True)
        return False

    def set_speed(self, batches_per_second: float | None) -> None:
        """At most this many batches a second (None: full speed), for the run going on and the next ones."""
        if batches_per_second is not None and not batches_per_second > 0:
            raise ValueError(f"a speed is a positive number of batches a second, not {batches_per_second!r}")
        self.speed = batches_per_second
        if self._train_job is not None and not isinstance(self._train_job, RaceJob):  # a race runs at full speed
            self._train_job.set_speed(batches_per_second)

    def set_learning_rate(self, rate: float) -> float | None:
        """The running training run's (or sweep's) base learning rate from its next batch on; the checked
        rate, or None when nothing trains that takes one. ConfigError (one line) for a bad rate."""
        job = self._train_job if isinstance(self._train_job, TrainingJob) else None
        sweep = self.sweep_job
        if job is None and sweep is None:
            return None
        if job is not None:
            rate = job.set_learning_rate(rate)
        if sweep is not None:
            rate = sweep.set_learning_rate(rate)
        return rate

    def stop(self) -> None:
        if self.state.can_move(RunState.STOPPING) and self._train_job is not None:
            self._train_job.stop()
            self.state.stop()

    def _on_training_finished(self, outcome) -> None:
        self._train_job = None
        if self._closing:
            return
        run = self.state.finish(outcome)
        if run is not None:
            self.save_run(run)

    # ---- evaluation and saliency ---------------------------------------------------------------
    def evaluate(self, model: ModelRef | None = None) -> int | None:
        """Ask for the confusion of the whole test set under ``model`` (default: the model in use).

        It is computed in the evaluation job's thread, in batches; a newer request stops this one
        at its next batch. ``evaluation_done`` brings the result. Returns the request's number,
        None when there is no model or no MNIST yet.
        """
        model = model if model is not None else self.state.model
        data = self.state.data
        if model is None or data is None or self._closing:
            return None
        self._evaluation_request += 1
        self._service().submit(
            EVALUATION, EvaluationRequest(self._evaluation_request, model, data.test_images, data.test_labels)
        )
        return self._evaluation_request

    def _service(self) -> InferenceService:
        """The inference service, its answers to the views' requests connected."""
        service = self.inference.service()
        if not self._service_connected:
            self._service_connected = True
            service.computed.connect(self._on_computed)
            service.failed.connect(self._on_failed)
        return service

    def _on_computed(self, kind: str, result) -> None:
        if kind == EVALUATION:
            self._on_evaluation_done(result)
        elif kind == SALIENCY and not self._closing:
            self.saliency_done.emit(result)

    def _on_failed(self, kind: str, _request, exc: Exception) -> None:
        if kind == EVALUATION:
            self._on_evaluation_failed(self.inference.failure(exc))
        elif kind == SALIENCY:
            self.saliency_failed.emit(self.inference.failure(exc))

    def _on_evaluation_done(self, done) -> None:
        if not self._closing and done.request == self._evaluation_request:  # an older one is stale
            self._evaluation_received = done.request
            self.evaluation_done.emit(done)

    def _on_evaluation_failed(self, error: ErrorInfo) -> None:
        self._evaluation_received = self._evaluation_request  # nothing more comes for it
        if not self._closing:
            self.evaluation_failed.emit(error)

    def cancel_evaluation(self) -> None:
        """Stop the confusion being computed (its model is no longer in use); nothing more comes for it."""
        self.inference.cancel(EVALUATION)
        self._evaluation_received = self._evaluation_request

    @property
    def evaluation_pending(self) -> bool:
        """A confusion was asked for and has not arrived yet."""
        return self._evaluation_request > self._evaluation_received

    def explain(self, image: np.ndarray, method: str, cls: int | None = None) -> int | None:
        """Ask for a saliency map of ``image`` (28x28) under the model in use; ``saliency_done`` brings it.

        Computed in the saliency job's thread; a request still waiting there is replaced by this
        one (the newest drawing wins). Returns the request's number, None without a model.
        """
        model = self.state.model
        if model is None or self._closing:
            return None
        self._saliency_request += 1
        image = np.asarray(image, np.float32).reshape(28, 28)
        request = SaliencyRequest(
            self._saliency_request, model.arch, model.weights, image, method, cls, time.perf_counter()
        )
        self._service().submit(SALIENCY, request)
        return self._saliency_request

    # ---- shutdown ------------------------------------------------------------------------------
    def shutdown(self, timeout: float) -> bool:
        """Stop training and downloads, wait (bounded) for every thread; True when none is left running."""
        self._closing = True
        self._pending_config = None
        for job in (self._train_job, self.sweep_job):
            if job is not None:
                job.stop()
        self.inference.stop()  # its thread closes every inference model
        if self._data_job is not None:
            self._data_job.cancel()
        deadline = time.monotonic() + timeout
        for thread in self.running_threads():
            thread.wait(max(0, int(1000 * (deadline - time.monotonic()))))
        left = self.running_threads()
        if left:
            log.warning("%d background thread(s) still running after %.0f s", len(left), timeout)
            return False
        return True

    # ---- inference: numpy answers of the service -----------------------------------------------------------------
    def predict_proba(self, image: np.ndarray) -> np.ndarray | None:
        probabilities = self.inference.infer("predict_proba", image)
        return None if probabilities is None else probabilities[0]

    def predict_proba_later(self, image: np.ndarray) -> int:
        """Ask for the pad's digit without waiting; prediction_answered brings it (the newest question's only)."""
        return self.inference.infer_later("predict_proba", image)

    def feature_maps(self, image: np.ndarray) -> list | None:
        return self.inference.infer("feature_maps", image)

    def activations(self, image: np.ndarray) -> list | None:
        return self.inference.infer("activations", image)

    def kernels(self) -> dict | None:
        """The kernels of the model in use, by layer in layer order: taken from its numpy weights (no run)."""
        if self.inference_model() is None:
            return None
        model = self.state.model
        return {layer: model.weights[f"{layer}/kernel"] for layer in kernel_layers(get_spec(model.arch))}

    # ---- replay a recorded run like a training run (the "replay" helper's; convviz.gui.jobs.replay) ----
    def start_replay(self, record, speed: float = 10.0, weights=None):
        """Play ``record`` (a convviz.recording.RunRecord) as a run at ``speed`` x; its ReplayJob, or None if busy.

        ``weights``: what the pad uses meanwhile (replay.base_weights); pause, resume, step and stop work as for a run.
        """
        from convviz.gui.jobs.replay import ReplayJob

        if self._closing or self.state.is_training() or self._pending_config is not None:
            return None
        run = self.state.begin_run(record.train_config(), record.train_size, record.total_steps)
        run.replayed = True
        self._model_request += 1
        job = ReplayJob(record, run_id=run.id, speed=speed, weights=weights)
        job.stepped.connect(self._on_stepped)
        self._start_run_job(job, record.arch, self._on_snapshot, self._on_training_finished)
        return job
