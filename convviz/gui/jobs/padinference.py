"""The GUI thread's side of the inference service: the pad's network follows the state's model.

:class:`PadInference` starts the window's :class:`~convviz.gui.jobs.inference.InferenceService`
(one thread that owns every inference model) and keeps its pad network in step with
``AppState.model``: whenever the model changes (a load, a training snapshot, the end
of a run) its numpy weights are sent to the service; ``AppState.inference`` says
where each network stands and which model's weights the pad's network holds.

A training snapshot is copied in by the service, which then answers the window's
last questions (the pad's digit, the feature maps' digit) with the new weights, so
that the GUI thread redraws the panels without waiting for TensorFlow: copying the
cnn's weights and computing the probe digit's activations cost it 50-130 ms a
snapshot when it did them itself. Any other change (a load, Teach, the end of a
run) is copied in at once, the GUI thread waiting a few milliseconds for the
service, so that the next question is answered by the new weights. A question
(:meth:`PadInference.infer`) is answered from those kept answers, or asked of the
service directly (numpy in, numpy out); the GUI thread never runs a session.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import OrderedDict
from typing import Callable

import numpy as np
from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text
from convviz.gui.common.i18n import translate
from convviz.gui.jobs.evaljobs import EVALUATION, SALIENCY, evaluate, saliency
from convviz.gui.jobs.inference import InferenceService, ServiceStopped, ShowWeights, ask
from convviz.gui.jobs.insidejobs import WISH, wish
from convviz.gui.jobs.labjobs import HANDLERS as LAB_HANDLERS
from convviz.gui.jobs.lookjobs import DIAGNOSTICS, EMBEDDING, diagnose, embed
from convviz.gui.state import AppState, ModelRef, ModelRole, NetworkStatus

log = logging.getLogger(__name__)

MAX_QUESTIONS = 6  # digits a snapshot's copy answers for the window: the pad's, the feature maps', the views'
# The pad's question: an answer within this long is taken at once (1-3 ms when the service is free);
# through the event loop it would wait behind the GUI thread's own work (a snapshot's redraw, 30-60 ms).
PAD_WAIT_S = 0.015
QUESTION_KEPT_S = 3.0  # a question asked this recently is answered for each snapshot (the maps: once a second)


class PadInference(QtCore.QObject):
    """Sends the state's model to the inference service and answers the window's questions (GUI thread).

    ``run_job(job)`` starts the service's thread (the controller's, so closing the window
    waits for it); ``report(error, frame)`` says an error to the user.
    """

    answered = QtCore.pyqtSignal(int, object)  # number of infer_later's newest question, its answer (None: none)

    def __init__(
        self,
        state: AppState,
        run_job: Callable,
        report: Callable[[ErrorInfo, str], None],
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self.state = state
        self._run_job = run_job
        self._report = report
        self._service: InferenceService | None = None
        self._closing = False
        self._heap_frozen = False
        self._refused: ModelRef | None = None  # the model whose refusal to answer was reported
        self.answers: dict = {}  # (method, image bytes) -> the answer of the shown model's weights
        self._asked: OrderedDict = OrderedDict()  # (method, image bytes) -> (method, image, when last asked)
        self._when_built: dict = {}  # arch -> what to do once its network is built (or failed to be)
        self._later = 0  # the number of infer_later's newest question
        self._later_asked: tuple | None = None  # (number, key, model) of the question the service answers
        state.model_changed.connect(self._on_model_changed)

    @property
    def models(self):
        """``AppState.inference``: where each network stands, the model the pad's network holds."""
        return self.state.inference

    def service(self) -> InferenceService:
        """The running inference service (started at the first use)."""
        if self._service is None:
            service = self._service = InferenceService(
                {
                    EVALUATION: evaluate, SALIENCY: saliency, WISH: wish, **LAB_HANDLERS,
                    EMBEDDING: embed, DIAGNOSTICS: diagnose,
                }
            )
            service.built.connect(self._on_built)
            service.build_failed.connect(self._on_build_failed)
            service.shown.connect(self._on_shown)
            service.show_failed.connect(self._on_show_failed)
            service.answered.connect(self._on_answered)
            self._run_job(service)
        return self._service

    def stop(self) -> None:
        """The window closes: the service stops and closes its models in its thread."""
        self._closing = True
        if self._service is not None:
            self._service.stop()

    def cancel(self, kind: str) -> None:
        """Stop the service's request of ``kind`` (waiting or in progress); nothing if it never started."""
        if self._service is not None:
            self._service.cancel(kind)

    def failure(self, exc: Exception) -> ErrorInfo:
        """A service request's failure in one line (a user's error: bad input, broken weights)."""
        return ErrorInfo.from_exception(exc, error_text(exc), isinstance(exc, (ConvVizError, ValueError)))

    # ---- the state's model into the pad's network ----------------------------------------------
    def ensure(self, arch: str) -> None:
        """Have the service build the pad's network of ``arch`` unless it is there or being built."""
        if self._closing or self.models.status(arch) in (NetworkStatus.BUILDING, NetworkStatus.READY):
            return
        self.models.set_status(arch, NetworkStatus.BUILDING)
        self.service().build(arch)

    def when_built(self, arch: str, then: Callable[[], None]) -> None:
        """Call ``then()`` once the pad's network of ``arch`` is built (now if it is; also if building fails).

        A loaded model becomes the state's model only then, so the panels that redraw for it get
        its answers at once (the weights are read in a loader thread, the network built meanwhile).
        """
        if self.models.status(arch) is NetworkStatus.READY:
            then()
            return
        self._when_built[arch] = then  # the newest load of an architecture wins
        self.ensure(arch)

    def _on_built(self, arch: str) -> None:
        if not self._heap_frozen:
            # TensorFlow and the first graph are loaded: move their million objects out of the
            # collector's sight, or each full collection stops every thread for 100-200 ms.
            gc.freeze()
            self._heap_frozen = True
        self.models.set_status(arch, NetworkStatus.READY)
        then = self._when_built.pop(arch, None)
        if then is not None:
            then()
        model = self.state.model
        if model is not None and model.arch == arch and self.models.preparing is None:
            self._on_model_changed(model)

    def _on_build_failed(self, arch: str, error: ErrorInfo) -> None:
        self.models.set_status(arch, NetworkStatus.FAILED)  # the next model change of it tries again
        then = self._when_built.pop(arch, None)
        if then is not None:
            then()  # the model is used all the same; the pad says why it gives no answer
        frame = translate("Controller", "Could not build the {arch} network for the pad: {message}")
        self._report(error, frame.format(arch=arch))

    def _on_model_changed(self, model: ModelRef | None) -> None:
        """Copy the new weights into the pad's network of their architecture (built first if needed).

        A training snapshot of the architecture already shown is copied in by the service while
        the GUI thread goes on; anything else at once. While a copy runs, a change waits for it
        (the newest wins).
        """
        models = self.models
        if model is None or self._closing:
            return
        if models.preparing is not None:
            models.waiting = model
            return
        if models.status(model.arch) is not NetworkStatus.READY:
            self.ensure(model.arch)  # the shown model follows once it is built
            return
        shown = models.shown
        if shown is not None and shown.weights is model.weights:
            self._show(model, None)  # the same weights in another role (the run's end): nothing to copy
            return
        if model.role is ModelRole.TRAINING and shown is not None and shown.arch == model.arch:
            models.preparing = model
            recent = time.monotonic() - QUESTION_KEPT_S
            questions = tuple((key, method, image) for key, (method, image, at) in self._asked.items() if at >= recent)
            self.service().show(ShowWeights(model, questions))
            return
        try:
            self.service().call(lambda service: service.model(model.arch).set_weights(model.weights))
        except ConvVizError as exc:  # weights that do not fit: the panels keep the last good ones
            self._report(ErrorInfo.from_exception(exc, str(exc), True), self._refused_frame())
            return
        except ServiceStopped:
            return
        self._show(model, {})

    @staticmethod
    def _refused_frame() -> str:
        return translate("Controller", "The pad cannot use these weights: {message}")

    def _show(self, model: ModelRef, answers: dict | None) -> None:
        """The pad's network holds ``model``'s weights; ``answers``: its answers so far (None: keep them)."""
        if answers is not None:
            self.answers = answers
        self.models.show(model)

    def _on_shown(self, model: ModelRef, answers: dict) -> None:
        self.models.preparing = None
        if self._closing:
            return
        waiting, self.models.waiting = self.models.waiting, None
        if waiting is None or waiting.arch == model.arch:
            self._show(model, answers)  # a newer snapshot of the same network follows at once
        if waiting is not None:
            self._on_model_changed(waiting)

    def _on_show_failed(self, model: ModelRef, error: ErrorInfo) -> None:
        self.models.preparing = None
        if self._closing:
            return
        self._report(error, self._refused_frame())
        waiting, self.models.waiting = self.models.waiting, None
        if waiting is not None:
            self._on_model_changed(waiting)

    # ---- questions -----------------------------------------------------------------------------
    def ready(self) -> bool:
        """Whether the pad's network answers for the state's model (see InferenceModels.answers_for)."""
        return self.models.answers_for(self.state.model)

    def infer(self, method: str, image: np.ndarray):
        """``method`` (predict_proba, feature_maps, activations) of the pad's network for one digit.

        None while there is none, or when its answer is no number: weights that went to NaN (a
        diverging run's last snapshot) make the model refuse (ModelError); the pad then says
        nothing rather than the window failing. Said once per model.
        """
        if not self.ready():
            return None
        model = self.state.model
        image, key = self._remember(method, image)
        if key is not None and key in self.answers:
            return self.answers[key]
        try:
            answer = self.service().call(ask(self.models.shown.arch, method, image))
        except ConvVizError as exc:
            self._refusing(model, exc)
            return None
        except ServiceStopped:
            return None
        self._keep(key, model, answer)
        return answer

    def infer_later(self, method: str, image: np.ndarray) -> int:
        """Ask as :meth:`infer` does, without waiting: the answer comes by ``answered`` with this number.

        Known answers (a snapshot's, none while there is no network) come at once, before this
        returns, and so does one the service gives within PAD_WAIT_S; the others when the service
        has run the network (it may be busy with a snapshot). Only the newest question is
        answered: an older one still waiting is dropped, an older answer not sent.
        """
        self._later += 1
        number = self._later
        self._later_asked = None  # an older question's answer is not sent
        if not self.ready():
            self.answered.emit(number, None)
            return number
        model = self.state.model
        image, key = self._remember(method, image)
        if key is not None and key in self.answers:
            self.answered.emit(number, self.answers[key])
            return number
        self._later_asked = (number, key, model)
        question = self.service().ask_later(ask(self.models.shown.arch, method, image), number)
        if question is not None and question.done.wait(PAD_WAIT_S):
            self._on_answered(number, question.value, question.error)  # its queued copy finds it answered
        return number

    def _on_answered(self, number: int, answer, error) -> None:
        asked = self._later_asked
        if asked is None or asked[0] != number or self._closing:
            return  # answered already, or a newer question was asked meanwhile: its answer follows
        self._later_asked = None
        _, key, model = asked
        if isinstance(error, ConvVizError):
            self._refusing(model, error)
            answer = None
        elif isinstance(error, ServiceStopped):
            answer = None
        elif error is not None:
            log.error("the pad's question failed", exc_info=error)
            answer = None
        else:
            self._keep(key, model, answer)
        self.answered.emit(number, answer)

    def _remember(self, method: str, image: np.ndarray) -> tuple:
        """``image`` as float32 and its question's key (None: no digit), kept for the next snapshots."""
        image = np.ascontiguousarray(image, np.float32)
        key = None
        if image.size <= 4096:  # one 28x28 digit: kept, and answered again for the next snapshots
            key = (method, image.tobytes())
            self._asked[key] = (method, image.copy(), time.monotonic())
            self._asked.move_to_end(key)
            while len(self._asked) > MAX_QUESTIONS:
                self._asked.popitem(last=False)
        return image, key

    def _refusing(self, model: ModelRef | None, exc: ConvVizError) -> None:
        if self._refused is not model:
            self._refused = model
            frame = translate("Controller", "The network gives no answer: {message}")
            self._report(ErrorInfo.from_exception(exc, str(exc), True), frame)

    def _keep(self, key, model: ModelRef | None, answer) -> None:
        """Keep ``answer`` while the pad's network holds ``model``'s weights (it is the shown one's)."""
        if key is not None and self.models.shown is model and self.models.preparing is None:
            self.answers[key] = answer

    def weights(self) -> dict | None:
        """The weights the pad's network holds now, read back from it (numpy); None without one."""
        shown = self.models.shown
        if shown is None:
            return None
        try:
            return self.service().call(lambda service: service.model(shown.arch).get_weights())
        except ServiceStopped:
            return None
