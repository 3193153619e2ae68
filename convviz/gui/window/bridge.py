"""The window's side of ``python main.py listen``: a notebook's stream shown as a run.

:class:`StreamShow` puts the line to paste into the notebook in a bar over the
panels, pumps the listener in a :class:`~convviz.gui.jobs.bridge.BridgeJob`
and turns each stream into a run of the app state, the way a training run
reports: its losses and accuracies go to ``add_losses``/``add_epoch`` (the loss
plot, the epochs, the runs table), its kernels and the probe's feature maps to
the filters and feature-map panels and, as frames, to the run's filter timeline.
When the stream closes the run ends and its record goes into the run store,
where it is compared with ConvViz's own runs in the run history.

The run's network is the one-layer spec with the stream's first layer
(:func:`convviz.bridge.record.stream_arch`), so the timeline and the record
check it like any other; the rest of the student's network is unknown, and the
pad keeps the model in use. One stream at a time is shown: the listener takes
one, and a stream that opens while ConvViz trains is ignored with one line.
"""

from __future__ import annotations

import dataclasses
import logging

from PyQt5 import QtCore, QtWidgets

from convviz.bridge.record import stream_arch, stream_config, stream_log, stream_record
from convviz.events import FrameReady, RunOutcome, RunStatus
from convviz.gui.common import theme
from convviz.gui.common.i18n import again, count, decimal, translate
from convviz.gui.jobs.bridge import BridgeJob
from convviz.gui.state.records import IllegalTransition

log = logging.getLogger(__name__)

WAIT_CHUNKS = 20  # loss chunks (about 2 s) a stream may send before its kernels; then it is shown without them
FALLBACK_ARCH = "dense"  # a stream without conv kernels: its curve and accuracies only


class _Stream:
    """One stream as the window sees it: buffered until its network is known, then a run of the state."""

    def __init__(self, opened):
        self.id, self.name = opened.run_id, opened.name
        self.run = None  # the state's Run once begun
        self.waiting: list = []  # events that came before the run began
        self.arch: str | None = None
        self.kernels = None  # the newest kernels, waiting for the maps of the same step


class StreamShow(QtCore.QObject):
    """Shows the streams ``listener`` receives in ``window`` (see the module docstring)."""

    stream_ended = QtCore.pyqtSignal(object)  # the ended Run

    def __init__(self, window, listener):
        super().__init__(window)
        self.window, self.listener = window, listener
        self.stream: _Stream | None = None
        self.bar = self._build_bar()
        self.job = BridgeJob(listener, lambda: window.controller.closing)
        self.job.opened.connect(self._on_opened)
        for signal in (self.job.losses_ready, self.job.epoch_finished, self.job.kernels_ready, self.job.maps_ready):
            signal.connect(self._on_event)
        self.job.closed.connect(self._on_closed)
        self.job.refused.connect(self._on_refused)
        window.controller.run_job(self.job)

    def stop(self) -> None:
        self.job.stop()

    # ---- the bar with the line to paste -----------------------------------------------------------
    def _build_bar(self) -> QtWidgets.QWidget:
        bar = self.bar = QtWidgets.QFrame()
        bar.setObjectName("listenBar")
        row = QtWidgets.QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.label = QtWidgets.QLabel()
        self.label.setStyleSheet(f"color: {theme.MUTED}")
        self.line = QtWidgets.QLineEdit(self.listener.paste_line())
        self.line.setReadOnly(True)
        self.line.setCursorPosition(0)
        copy = QtWidgets.QPushButton()
        copy.clicked.connect(lambda: QtWidgets.QApplication.clipboard().setText(self.line.text()))
        row.addWidget(self.label)
        row.addWidget(self.line, stretch=1)
        row.addWidget(copy)
        self.copy_button = copy
        self._texts = {copy: translate("Bridge", "Copy")}
        bar.installEventFilter(self)  # a new language: the bar's words again
        self._say_waiting()
        layout = self.window.centralWidget().layout()
        layout.insertWidget(0, bar)
        bar.show()
        return bar

    def _say(self, text) -> None:
        self._texts[self.label] = text
        self._retranslate()

    def _retranslate(self) -> None:
        for widget, text in self._texts.items():
            widget.setText(again(text))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.bar and event.type() == QtCore.QEvent.LanguageChange:
            self._retranslate()
        return False

    def _say_waiting(self) -> None:
        text = translate("Bridge", "Waiting for a notebook on port {port}. Paste this line into it:")
        self._say(text.format(port=self.listener.port))

    def status(self) -> str:
        return self.label.text()

    # ---- a stream's events ------------------------------------------------------------------------
    def _on_opened(self, opened) -> None:
        if self.window.state.is_training():
            line = translate("Bridge", "A notebook connected while ConvViz trains: its stream is not shown.")
            self.window.show_error(line)
            return
        self.stream = _Stream(opened)
        text = translate("Bridge", "Streaming from the notebook {name} (stream {number}).")
        self._say(text.format(name=opened.name or "", number=opened.run_id))

    def _on_event(self, event) -> None:
        stream = self.stream
        if stream is None or event.run_id != stream.id:
            return
        if stream.run is None:
            stream.waiting.append(event)
            if hasattr(event, "kernels") or hasattr(event, "maps") or len(stream.waiting) > WAIT_CHUNKS:
                self._begin(stream)
            return
        self._show(stream, event)

    def _begin(self, stream: _Stream) -> None:
        kernels = next((e for e in stream.waiting if hasattr(e, "kernels")), None)
        maps = next((e for e in stream.waiting if hasattr(e, "maps")), None)
        arch = None
        if kernels is not None:
            arch = stream_arch(kernels.kernels.shape, None if maps is None else maps.maps.shape)
            if arch is None and maps is not None:
                arch = stream_arch(kernels.kernels.shape)  # the maps do not fit a spec: the kernels alone
        if kernels is not None and arch is None and len(stream.waiting) <= WAIT_CHUNKS:
            pass  # kernels no spec has: shown as a stream without conv once enough has arrived
        elif kernels is None and maps is not None and len(stream.waiting) <= WAIT_CHUNKS:
            return  # the kernels of this step are on their way
        stream.arch = arch or FALLBACK_ARCH
        snapshots = stream_log(arch) if arch is not None else None
        try:
            stream.run = self.window.state.begin_run(stream_config(stream.arch), 1, 0, snapshots=snapshots)
        except IllegalTransition:  # a run of ConvViz's own started meanwhile
            self.stream = None
            return
        w = self.window
        w.loss.set_x_mode("seconds")  # a stream's epochs and images are not known, its seconds are
        w.progress_bar.hide()  # nor how long it will train
        waiting, stream.waiting = stream.waiting, []
        for event in waiting:
            self._show(stream, event)

    def _show(self, stream: _Stream, event) -> None:
        state, run = self.window.state, stream.run
        moved = dataclasses.replace(event, run_id=run.id)
        if hasattr(event, "losses"):
            state.add_losses(moved)
            self._say_speed(run)
        elif hasattr(event, "test_accuracy"):
            state.add_epoch(moved)
        elif hasattr(event, "kernels"):
            stream.kernels = event
            self.window.filters.set_kernels({"conv1": event.kernels})
            if run.snapshots is not None and run.snapshots.layers.map_shape is None:
                self._frame(stream, event, None)
        else:
            self.window.featuremaps.set_feature_maps([("conv1", event.maps)])
            if stream.kernels is not None and stream.kernels.step == event.step:
                self._frame(stream, stream.kernels, event.maps)

    def _say_speed(self, run) -> None:
        steps, seconds = run.steps_done, float(run.series.last("seconds"))
        rate = steps / seconds if seconds > 0 else 0.0
        line = translate("Bridge", "notebook: {steps} steps · {rate} steps/s")
        # the window's own speed line (same package): it says the line again in a new language
        self.window._set_speed_text(line.format(steps=count(steps), rate=decimal(rate, 1)))

    def _frame(self, stream: _Stream, kernels, maps) -> None:
        log_ = stream.run.snapshots
        if log_ is None or not log_.due(kernels.step):
            return
        try:
            frame = log_.make_frame(
                kernels.step, kernels.step, kernels.seconds, {"conv1/kernel": kernels.kernels}, maps
            )
        except ValueError as exc:  # shapes that changed mid-stream: the timeline keeps what fitted
            log.info("stream frame not kept: %s", exc)
            return
        self.window.state.add_frame(FrameReady(stream.run.id, frame))

    def _on_closed(self, closed) -> None:
        stream = self.stream
        if stream is None or closed.run_id != stream.id:
            return
        if stream.run is None and stream.waiting:
            self._begin(stream)
        self.stream = None
        self._say_waiting()
        run = stream.run
        if run is None:
            return
        state = self.window.state
        accuracy = run.epochs[-1].test_accuracy if run.epochs else None
        record = None
        if run.steps_done > 0:
            timeline = run.snapshots.timeline() if run.snapshots is not None and len(run.snapshots) else None
            try:
                record = stream_record(stream.arch, stream.name, run.losses(), run.epochs, timeline, run.started_at)
            except Exception:  # a record that cannot be made is not saved; the run is still shown
                log.info("no record of stream %d", stream.id, exc_info=True)
        outcome = RunOutcome(
            run.id, RunStatus.COMPLETED, test_accuracy=accuracy, examples_seen=run.steps_done, record=record
        )
        ended = state.finish(outcome)
        if ended is not None:
            self.window.controller.save_run(ended)
            self.stream_ended.emit(ended)

    def _on_refused(self, line: str) -> None:
        self.window.show_error(translate("Bridge", "Notebook bridge: {line}").format(line=line))
