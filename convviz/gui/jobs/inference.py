"""The inference service: one thread that owns the window's inference models and explainers.

A Graph and its Session belong to the thread that made them (:class:`convviz.model.Model`
refuses calls from any other). So the window's TensorFlow models live in one
long-lived thread, :class:`InferenceService`, which creates, uses and closes
every one of them: the pad's model of each architecture (its weights follow the
state's model), and the explainers of the evaluation view, the saliency overlay
and the filters' activation maximisation. The GUI thread sends requests (frozen
dataclasses, numpy inside) and gets numpy back: as a signal for what takes time
(a snapshot's weights, a confusion, a saliency map, activation maximisation),
or, for one small question (the pad's digit), as a direct answer it waits a few
milliseconds for (:meth:`InferenceService.call`).

The service serves in this order: direct questions, then weight copies in the
order they were sent, then the newest saliency, confusion and activation
maximisation requests (each kind: the newest wins). A long computation (a
confusion in batches, activation maximisation in gradient steps) serves what
came meanwhile between its steps, so the pad never waits for more than a step.
"""

from __future__ import annotations

import collections
import logging
import threading
from dataclasses import dataclass
from typing import Callable

from PyQt5 import QtCore

from convviz.errors import ConvVizError
from convviz.events import ErrorInfo, error_text
from convviz.gui.jobs.base import IMPORT_LOCK

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 10.0  # a direct question waits at most this long (the service builds a network: < 1 s)
LATEST_KINDS = ("saliency", "evaluation", "wish")  # served in this order; each kind's newest request wins


def import_explain():
    with IMPORT_LOCK:
        from convviz import explain
    return explain


class ServiceStopped(RuntimeError):
    """The service has stopped (the window closes): no more answers."""


@dataclass(frozen=True)
class ShowWeights:
    """Copy ``model``'s weights into the pad's network of its architecture, then answer ``questions``."""

    model: object  # state.ModelRef: arch and numpy weights
    questions: tuple = ()  # ((key, method name, (28, 28) image), ...): the window's last questions


@dataclass(frozen=True)
class BuildModel:
    """Build the pad's network of ``arch`` now (its weights come with the next ShowWeights)."""

    arch: str


class _Call:
    """A direct question from another thread: a function of this service, run in its thread."""

    def __init__(self, function: Callable):
        self.function = function
        self.done = threading.Event()
        self.value = None
        self.error: BaseException | None = None
        self.abandoned = False  # the asker stopped waiting: not run if not started


class InferenceService(QtCore.QObject):
    """Runs until :meth:`stop` in a thread of its own (``controller.run_job``), owning every inference model.

    Requests may come from any thread; signals bring the results (numpy, frozen dataclasses).
    """

    built = QtCore.pyqtSignal(str)  # arch: its pad network exists
    build_failed = QtCore.pyqtSignal(str, object)  # arch, ErrorInfo
    shown = QtCore.pyqtSignal(object, object)  # ModelRef, {question key: answer}: its weights are in
    show_failed = QtCore.pyqtSignal(object, object)  # ModelRef, ErrorInfo: the weights did not fit
    began = QtCore.pyqtSignal(str, object)  # kind, a latest-wins request whose computation starts
    computed = QtCore.pyqtSignal(str, object)  # kind, result of a latest-wins request
    progressed = QtCore.pyqtSignal(str, object)  # kind, progress of a latest-wins request
    superseded_by = QtCore.pyqtSignal(str, object)  # kind, a request dropped for a newer one (or cancelled)
    failed = QtCore.pyqtSignal(str, object, object)  # kind, request, exception (a one-line ErrorInfo: .error)
    finished = QtCore.pyqtSignal()

    def __init__(self, handlers: dict | None = None):
        """``handlers``: kind -> ``handler(service, request, should_stop, progress)`` for the latest-wins
        kinds (evaljobs, insidejobs); it returns the result, or None when ``should_stop()`` ended it."""
        super().__init__()
        self._handlers = dict(handlers or {})
        self._condition = threading.Condition()
        self._calls: collections.deque = collections.deque()
        self._tasks: collections.deque = collections.deque()
        self._waiting: dict = {}  # kind -> its newest request, not started yet
        self._numbers: dict = {}  # kind -> how many requests were submitted (the newest has this number)
        self._active: set = set()  # the kinds being computed (a step may serve the others)
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._models: dict = {}  # arch -> convviz.model.Model: this thread only
        self._explainers: dict = {}  # (purpose, arch) -> explain.Explainer: this thread only
        self._explained: dict = {}  # (purpose, arch) -> the weights mapping its explainer holds

    # ---- requests, any thread ------------------------------------------------------------------
    def build(self, arch: str) -> None:
        self._put_task(BuildModel(arch))

    def show(self, request: ShowWeights) -> None:
        self._put_task(request)

    def submit(self, kind: str, request) -> int:
        """Compute ``request`` of ``kind`` next; one of that kind still waiting is dropped. Its number."""
        with self._condition:
            dropped = self._waiting.get(kind)
            self._waiting[kind] = request
            self._numbers[kind] = number = self._numbers.get(kind, 0) + 1
            self._condition.notify()
        if dropped is not None:
            self.superseded_by.emit(kind, dropped)
        return number

    def cancel(self, kind: str) -> None:
        """Drop ``kind``'s waiting request and stop the one in progress at its next step."""
        with self._condition:
            dropped = self._waiting.pop(kind, None)
            self._numbers[kind] = self._numbers.get(kind, 0) + 1
        if dropped is not None:
            self.superseded_by.emit(kind, dropped)

    def superseded(self, kind: str, number: int) -> bool:
        """Whether ``kind``'s request ``number`` is no longer the newest (or the service is stopping)."""
        return self._stopped or self._numbers.get(kind) != number

    def call(self, function: Callable, timeout: float = CALL_TIMEOUT_S):
        """``function(service)`` run in the service's thread; its value, or its exception raised here.

        For small questions only (a digit's answer): the caller waits. ServiceStopped when the
        service has stopped or does not answer within ``timeout`` seconds.
        """
        if threading.current_thread() is self._thread:
            return function(self)
        call = _Call(function)
        with self._condition:
            if self._stopped:
                raise ServiceStopped("the inference service has stopped")
            self._calls.append(call)
            self._condition.notify()
        if not call.done.wait(timeout):
            call.abandoned = True
            raise ServiceStopped(f"the inference service did not answer within {timeout:.0f} s")
        if call.error is not None:
            raise call.error
        return call.value

    def stop(self) -> None:
        """End the service: what waits is dropped, a computation stops at its next step (any thread)."""
        with self._condition:
            self._stopped = True
            calls, self._calls = list(self._calls), collections.deque()
            self._condition.notify()
        for call in calls:
            call.error = ServiceStopped("the inference service has stopped")
            call.done.set()

    # ---- the service's thread ------------------------------------------------------------------
    @QtCore.pyqtSlot()
    def work(self) -> None:
        self._thread = threading.current_thread()
        try:
            while True:
                item = self._next(block=True)
                if item is None:
                    break
                self._serve(item)
        finally:
            try:
                self._close()
            finally:
                self.finished.emit()

    def _next(self, block: bool):
        """The next thing to do, by priority; None when stopped (or, not blocking, when nothing waits)."""
        with self._condition:
            while True:
                if self._stopped:
                    return None
                if self._calls:
                    return self._calls.popleft()
                if self._tasks:
                    return self._tasks.popleft()
                for kind in LATEST_KINDS:
                    if kind not in self._active and self._waiting.get(kind) is not None:
                        return kind, self._waiting.pop(kind), self._numbers[kind]
                if not block:
                    return None
                self._condition.wait()

    def serve_waiting(self) -> None:
        """Serve what came meanwhile (a question, a weight copy, another kind's request): this thread, between steps."""
        while True:
            item = self._next(block=False)
            if item is None:
                return
            self._serve(item)

    def _put_task(self, task) -> None:
        with self._condition:
            self._tasks.append(task)
            self._condition.notify()

    def _serve(self, item) -> None:
        if isinstance(item, _Call):
            if item.abandoned:
                return
            try:
                item.value = item.function(self)
            except BaseException as exc:  # raised again in the asking thread
                item.error = exc
            finally:
                item.done.set()
        elif isinstance(item, BuildModel):
            self.model(item.arch)
        elif isinstance(item, ShowWeights):
            self._show(item)
        else:
            self._compute(*item)

    def _compute(self, kind: str, request, number: int) -> None:
        self._active.add(kind)
        self.began.emit(kind, request)
        try:

            def should_stop() -> bool:
                self.serve_waiting()
                return self.superseded(kind, number)

            result = self._handlers[kind](self, request, should_stop, lambda p: self.progressed.emit(kind, p))
            if result is None:
                self.superseded_by.emit(kind, request)
            else:
                self.computed.emit(kind, result)
        except Exception as exc:  # reported; the service goes on with the next request
            if not isinstance(exc, (ConvVizError, ValueError)):
                log.exception("%s failed", kind)
            self.failed.emit(kind, request, exc)
        finally:
            self._active.discard(kind)

    def model(self, arch: str):
        """The pad's network of ``arch`` (this thread), built at its first use; None if that failed."""
        model = self._models.get(arch)
        if model is None:
            try:
                with IMPORT_LOCK:
                    from convviz.model import Model
                model = self._models[arch] = Model(arch)
            except Exception as exc:
                user_error = isinstance(exc, ConvVizError)
                if not user_error:
                    log.exception("building the %s network failed", arch)
                self.build_failed.emit(arch, ErrorInfo.from_exception(exc, error_text(exc), user_error))
                return None
            self.built.emit(arch)
        return model

    def explainer(self, purpose: str, arch: str, weights):
        """This thread's Explainer of ``arch`` for ``purpose`` (one per view), holding ``weights``.

        A ``ModelRef``'s arrays are never changed, so the weights are copied in only when the
        mapping is another one than last time.
        """
        key = (purpose, arch)
        explainer = self._explainers.get(key)
        if explainer is None:
            explainer = self._explainers[key] = import_explain().Explainer(arch)
        if self._explained.get(key) is not weights:
            explainer.set_weights(dict(weights))
            self._explained[key] = weights
        return explainer

    def _show(self, task: ShowWeights) -> None:
        ref = task.model
        model = self.model(ref.arch)
        if model is None:
            return  # build_failed said why
        try:
            model.set_weights(ref.weights)
        except Exception as exc:
            user_error = isinstance(exc, ConvVizError)  # weights that do not fit this architecture
            if not user_error:
                log.exception("copying weights into the %s network failed", ref.arch)
            self.show_failed.emit(ref, ErrorInfo.from_exception(exc, error_text(exc), user_error))
            return
        answers = {}
        for key, method, image in task.questions:
            self.serve_waiting()  # the pad's new question is not kept waiting behind the old ones
            if self._stopped:
                return
            try:
                answers[key] = getattr(model, method)(image)
            except ConvVizError:
                continue  # asked again directly, which says why once
        self.shown.emit(ref, answers)

    def _close(self) -> None:
        for model in list(self._models.values()) + list(self._explainers.values()):
            model.close()
        self._models.clear()
        self._explainers.clear()
        self._explained.clear()


def ask(arch: str, method: str, *args) -> Callable:
    """A direct question for :meth:`InferenceService.call`: ``method(*args)`` of the pad's ``arch`` network."""

    def question(service: InferenceService):
        model = service.model(arch)
        if model is None:
            raise ServiceStopped(f"there is no {arch} network")
        return getattr(model, method)(*args)

    return question

