"""RunsWidget: the table of runs, this session's and the stored ones.

One row per run: architecture, parameters, batching, batch size, optimizer and
learning rate, images/s, seconds per epoch, best test accuracy and the memory
figure of one batch. Clicking a row asks for that run's final weights in the
pad (``run_chosen``); Delete (the button or the key) asks to delete the
selected stored run's file (``delete_requested``): there is no undo, and the
button says so. The widget shows rows it is given (:meth:`set_rows`); the
window builds them from the state with :func:`rows_from`. No TensorFlow here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import Retranslated, count, decimal, percent, translate
from convviz.gui.common.text import batching_name
from convviz.netspec import arch_name, get_spec, parameter_count

COLUMNS = (
    "run",
    "architecture",
    "parameters",
    "batching",
    "batch size",
    "optimizer",
    "learning rate",
    "images/s",
    "s/epoch",
    "best test accuracy",
    "memory (batch)",
)


@dataclass(frozen=True)
class RunRow:
    """One row of the table: a run of this session (``run_id``) and/or a stored one (``record_id``)."""

    run_id: int | None
    record_id: str | None
    started_at: float
    arch: str
    parameters: int | None
    batching: str
    batch_size: int
    optimizer: str
    learning_rate: float
    images_per_second: float | None
    seconds_per_epoch: float | None
    best_accuracy: float | None
    memory_bytes: int | None
    active: bool = False

    @property
    def key(self):
        """("run", id) for a run of this session, ("stored", id) for one of an earlier session."""
        return ("run", self.run_id) if self.run_id is not None else ("stored", self.record_id)


def _parameters(arch: str) -> int | None:
    try:
        return parameter_count(get_spec(arch))
    except ValueError:
        return None


def row_of_run(run) -> RunRow:
    c = run.config
    return RunRow(
        run.id,
        run.record_id,
        run.started_at,
        arch_name(c.arch),
        _parameters(c.arch),
        c.batching,
        c.batch_size,
        c.optimizer,
        c.learning_rate,
        run.images_per_second,
        run.seconds_per_epoch,
        run.best_accuracy,
        run.memory_bytes,
        run.active,
    )


def row_of_stored(stored) -> RunRow:
    s = stored.summary
    c = s.config
    return RunRow(
        None,
        stored.id,
        s.started_at,
        s.arch,
        s.parameters,
        str(c.get("batching", "")),
        int(c.get("batch_size", 0)),
        str(c.get("optimizer", "")),
        float(c.get("learning_rate", 0.0)),
        s.images_per_second or None,
        s.seconds_per_epoch,
        s.best_accuracy,
        s.memory_bytes,
    )


def rows_from(runs, stored) -> list:
    """This session's runs (newest first), then the stored runs of earlier sessions (newest first)."""
    rows = [row_of_run(r) for r in reversed(list(runs)) if not getattr(r, "deleted", False)]
    mine = {r.record_id for r in runs if r.record_id is not None}
    rows += [row_of_stored(s) for s in stored if s.id not in mine]
    return rows


def _megabytes(n: int | None) -> str:
    return "" if n is None else f"{decimal(n / 1e6, 1)} MB"


class RunsWidget(Retranslated, QtWidgets.QWidget):
    """The runs table. ``run_chosen(RunRow)`` on a click; ``delete_requested(RunRow)`` on Delete."""

    run_chosen = QtCore.pyqtSignal(object)
    delete_requested = QtCore.pyqtSignal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._rows: list = []
        self._hint = QtWidgets.QLabel()
        self._hint.setWordWrap(True)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeToContents)
        self.table.setFont(theme.font(theme.FONT_PT))
        self.table.cellClicked.connect(self._on_clicked)
        self.delete_button = QtWidgets.QPushButton()
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._on_selection)
        delete_key = QtWidgets.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Delete), self.table)
        delete_key.setContext(QtCore.Qt.WidgetWithChildrenShortcut)
        delete_key.activated.connect(self.delete_selected)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self._hint, stretch=1)
        buttons.addWidget(self.delete_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, stretch=1)
        self.retranslate()

    def retranslate(self) -> None:
        headers = [
            translate("Runs", "run"),
            translate("Runs", "architecture"),
            translate("Runs", "parameters"),
            translate("Runs", "batching"),
            translate("Runs", "batch size"),
            translate("Runs", "optimizer"),
            translate("Runs", "learning rate"),
            translate("Runs", "images/s"),
            translate("Runs", "s/epoch"),
            translate("Runs", "best test accuracy"),
            translate("Runs", "memory (batch)"),
        ]
        self.table.setHorizontalHeaderLabels(headers)
        self.delete_button.setText(translate("Runs", "Delete run"))
        self.delete_button.setToolTip(
            translate("Runs", "Deletes the saved run's file at once (Delete key); there is no undo")
        )
        self._hint.setText(translate("Runs", "Click a run: its final weights go into the pad."))
        self._fill()

    # ---- public API -----------------------------------------------------------------------------
    def set_rows(self, rows) -> None:
        """Show ``rows`` (RunRow), keeping the selected run selected."""
        selected = self.selected_row()
        self._rows = list(rows)
        self._fill()
        if selected is not None:
            for i, row in enumerate(self._rows):
                if row.key == selected.key or (row.record_id and row.record_id == selected.record_id):
                    self.table.selectRow(i)
                    break

    def rows(self) -> list:
        return list(self._rows)

    def row_texts(self, i: int) -> list:
        """The texts of row ``i``, one per column (for tests and screenshots)."""
        return [self.table.item(i, c).text() for c in range(len(COLUMNS))]

    def selected_row(self) -> RunRow | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not indexes or indexes[0].row() >= len(self._rows):
            return None
        return self._rows[indexes[0].row()]

    def click_row(self, i: int) -> None:
        """As a user's click on row ``i``."""
        self.table.selectRow(i)
        self._on_clicked(i, 0)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.record_id is not None:
            self.delete_requested.emit(row)

    # ---- internals ------------------------------------------------------------------------------
    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for i, row in enumerate(self._rows):
            for c, value in enumerate(self._texts(row)):
                item = QtWidgets.QTableWidgetItem(value)
                if c >= 2 and c not in (3, 5):
                    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
                if row.active:
                    item.setFont(theme.font(theme.FONT_PT, bold=True))
                self.table.setItem(i, c, item)
        self._on_selection()

    @staticmethod
    def _texts(row: RunRow) -> list:
        if row.run_id is not None:
            name = f"#{row.run_id}"
            if row.active:
                name = translate("Runs", "{run} (training)").format(run=name)
        else:
            name = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.started_at))
        return [
            name,
            row.arch,
            "" if row.parameters is None else str(count(row.parameters)),
            batching_name(row.batching),
            str(row.batch_size),
            row.optimizer,
            decimal(row.learning_rate),
            "" if row.images_per_second is None else str(count(row.images_per_second)),
            "" if row.seconds_per_epoch is None else decimal(row.seconds_per_epoch, 1),
            "" if row.best_accuracy is None else percent(row.best_accuracy, 2),
            _megabytes(row.memory_bytes),
        ]

    def _on_selection(self) -> None:
        row = self.selected_row()
        self.delete_button.setEnabled(row is not None and row.record_id is not None)

    def _on_clicked(self, i: int, _column: int) -> None:
        if 0 <= i < len(self._rows):
            self.run_chosen.emit(self._rows[i])
