"""Where each of the inference service's networks stands, and which model's weights the pad holds."""

from __future__ import annotations

import enum

from PyQt5 import QtCore

from convviz.gui.state.records import ModelRef


# ---- the inference models: what the inference service's networks hold -----------------------------
class NetworkStatus(enum.Enum):
    BUILDING = "building"  # the inference service builds the pad's network of this architecture
    READY = "ready"
    FAILED = "failed"  # the next model of this architecture tries again


class InferenceModels(QtCore.QObject):
    """Where each inference model stands; the networks themselves live in the inference service's thread.

    ``shown`` is the model whose weights the pad's network holds: the panels draw its
    answers. A training snapshot is copied in by the service while the pad keeps the
    last one's answers (``preparing``); a model change that comes meanwhile waits
    (``waiting``, the newest wins).
    """

    status_changed = QtCore.pyqtSignal(str, object)  # arch, NetworkStatus
    shown_changed = QtCore.pyqtSignal(object)  # ModelRef: the pad's network now holds its weights

    def __init__(self, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self._status: dict[str, NetworkStatus] = {}
        self.shown: ModelRef | None = None
        self.preparing: ModelRef | None = None  # the model being copied in by the service
        self.waiting: ModelRef | None = None  # the newest model change that waits for that copy

    def status(self, arch: str) -> NetworkStatus | None:
        """None: no network of ``arch`` was asked for yet."""
        return self._status.get(arch)

    def set_status(self, arch: str, status: NetworkStatus) -> None:
        self._status[arch] = status
        if status is not NetworkStatus.READY and self.shown is not None and self.shown.arch == arch:
            self.shown = None  # a network being built again holds no weights yet
        self.status_changed.emit(arch, status)

    def show(self, model: ModelRef) -> None:
        self.shown = model
        self.shown_changed.emit(model)

    def answers_for(self, model: ModelRef | None) -> bool:
        """Whether the pad's network answers for ``model``: it holds its weights, or, while a newer
        snapshot of the same architecture is copied in, the last one's (or already the new ones)."""
        shown = self.shown
        if model is None or shown is None:
            return False
        if shown is model:
            return True
        return shown.arch == model.arch and (self.preparing is not None or self.waiting is not None)
