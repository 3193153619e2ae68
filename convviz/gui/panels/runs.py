"""RunsWidget: the table of runs, this session's and the stored ones.

One row per run: its best test accuracy first (what a lecturer points at), the
run (stopped and failed runs marked), architecture, parameters, the number of
training images, batching, batch size, optimizer and learning rate, images/s,
seconds per epoch and the memory figure of one batch. Any column but the run's
can be hidden from the header's context menu. A stored file that is no valid
record is a row marked "cannot read" (its reason in the tooltip) that can be
deleted. Clicking a row asks for that run's final weights in the pad
(``run_chosen``); Delete (the button or the key) asks to delete the selected
stored run's file (``delete_requested``): there is no undo, and the button says
so. The widget shows rows it is given (:meth:`set_rows`); the window builds them
from the state with :func:`rows_from`. Every cell is formatted defensively: an
odd value shows as "?", never an exception. No TensorFlow here.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import Retranslated, count, decimal, percent, translate
from convviz.gui.common.text import batching_name
from convviz.netspec import arch_name, get_spec, parameter_count
from convviz.recording.check import MAX_START_TIME

log = logging.getLogger(__name__)

COLUMNS = (
    "best test accuracy",
    "run",
    "architecture",
    "parameters",
    "training images",
    "batching",
    "batch size",
    "optimizer",
    "learning rate",
    "images/s",
    "s/epoch",
    "memory (batch)",
)
_NUMERIC = frozenset(
    {
        "best test accuracy",
        "parameters",
        "training images",
        "batch size",
        "learning rate",
        "images/s",
        "s/epoch",
        "memory (batch)",
    }
)
_ALWAYS_SHOWN = "run"
_ID_TIME = re.compile(r"([0-9]{8}-[0-9]{6})-")


def _two_lines(text: str) -> str:
    """A column title on two lines, split at the space nearest its middle ("best test\naccuracy")."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return f"{text[:cut]}\n{text[cut + 1:]}"


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
    status: str = ""  # "completed", "stopped" or "failed" once ended ("" while it trains)
    train_size: int | None = None  # training images per epoch
    problem: str | None = None  # a stored file that is no valid record: why (one line); the rest is empty
    problem_file: str = ""  # ... and its file's name (the hint names the file, the tooltip its whole path)

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
    outcome = getattr(run, "outcome", None)
    status = getattr(getattr(outcome, "status", None), "value", "") if outcome is not None else ""
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
        status=status,
        train_size=run.train_size,
    )


def row_of_stored(stored) -> RunRow:
    """A stored run's row. Its values passed the record check when it was read; what shows is still only
    what the cells can format (see RunsWidget)."""
    s = stored.summary
    c = s.config
    return RunRow(
        None,
        stored.id,
        s.started_at,
        s.arch,
        s.parameters,
        c.get("batching", ""),
        c.get("batch_size", 0),
        c.get("optimizer", ""),
        c.get("learning_rate", 0.0),
        s.images_per_second or None,
        s.seconds_per_epoch,
        s.best_accuracy,
        s.memory_bytes,
        status=s.status,
        train_size=s.train_size,
    )


def row_of_unreadable(unreadable) -> RunRow:
    """A stored file that is not a valid record (recording.UnreadableRun): marked "cannot read", deletable."""
    started = 0.0
    match = _ID_TIME.match(unreadable.id)
    if match:
        try:
            started = time.mktime(time.strptime(match.group(1), "%Y%m%d-%H%M%S"))
        except (ValueError, OverflowError):
            started = 0.0
    empty = ("", None, "", 0, "", 0.0, None, None, None, None)
    return RunRow(None, unreadable.id, started, *empty, problem=unreadable.reason, problem_file=unreadable.path.name)


def rows_from(runs, stored, unreadable=()) -> list:
    """This session's runs (newest first), the stored runs of earlier sessions (newest first), then the
    stored files that cannot be read."""
    rows = [row_of_run(r) for r in reversed(list(runs)) if not getattr(r, "deleted", False)]
    mine = {r.record_id for r in runs if r.record_id is not None}
    rows += [row_of_stored(s) for s in stored if s.id not in mine]
    rows += [row_of_unreadable(u) for u in unreadable]
    return rows


# -- the cells: each a function of the row that may meet any value; "?" where it cannot be shown ------------
def _number(value, text) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "?"
    return text(value)


def _when(started_at) -> str:
    if _number(started_at, str) in ("", "?") or not 0 <= started_at <= MAX_START_TIME:
        return "?"
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(started_at))
    except (TypeError, ValueError, OverflowError, OSError):
        return "?"


def _plain(value) -> str:
    return value if isinstance(value, str) else "?"


def _accuracy(value) -> str:
    return _number(value, lambda v: percent(v, 2) if 0 <= v <= 1 else "?")


def _count(value) -> str:
    return _number(value, lambda v: str(count(v)) if v >= 0 else "?")


class RunsWidget(Retranslated, QtWidgets.QWidget):
    """The runs table. ``run_chosen(RunRow)`` on a click; ``delete_requested(RunRow)`` on Delete;
    ``columns_changed(names)`` when a column is hidden or shown (the window remembers it)."""

    run_chosen = QtCore.pyqtSignal(object)
    delete_requested = QtCore.pyqtSignal(object)
    columns_changed = QtCore.pyqtSignal(list)  # the names of the hidden columns, after the user hid or showed one

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._rows: list = []
        self._reading: tuple | None = None  # (done, total) while the run store is being read
        self._problem_shown: str | None = None
        self._problem_folder = ""  # the folder of the file shown: the hint names the file alone
        self._hint = QtWidgets.QLabel()
        self._hint.setWordWrap(True)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Every column as wide as its widest text: a number is never elided; the table scrolls instead.
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeToContents)
        header.setContextMenuPolicy(QtCore.Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
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

    def _headers(self) -> list:
        return [
            translate("Runs", "best test accuracy"),
            translate("Runs", "run"),
            translate("Runs", "architecture"),
            translate("Runs", "parameters"),
            translate("Runs", "training images"),
            translate("Runs", "batching"),
            translate("Runs", "batch size"),
            translate("Runs", "optimizer"),
            translate("Runs", "learning rate"),
            translate("Runs", "images/s"),
            translate("Runs", "s/epoch"),
            translate("Runs", "memory (batch)"),
        ]

    def _fit_headers(self) -> None:
        """One-line column titles where the row fits the table; where it does not, titles on two lines
        ("best test / accuracy"), so the columns are as wide as their numbers and the table scrolls
        sideways only if even that is too wide (in presenter mode the memory column stood off screen)."""
        header = self.table.horizontalHeader()
        for wrapped in (False, True):
            labels = [_two_lines(text) if wrapped else text for text in self._headers()]
            if [self.table.horizontalHeaderItem(c).text() if self.table.horizontalHeaderItem(c) else None
                    for c in range(len(labels))] != labels:
                self.table.setHorizontalHeaderLabels(labels)
            header.resizeSections(QtWidgets.QHeaderView.ResizeToContents)
            if header.length() <= self.table.viewport().width():
                return

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_headers()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.FontChange:  # the zoom: the titles' widths change
            QtCore.QTimer.singleShot(0, self._fit_headers)
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(self._headers())
        self.table.horizontalHeader().setToolTip(translate("Runs", "Right-click to choose the columns shown"))
        self.delete_button.setText(translate("Runs", "Delete run"))
        self.delete_button.setToolTip(
            translate("Runs", "Deletes the saved run's file at once (Delete key); there is no undo")
        )
        self._show_hint()
        self._fill()

    def _show_hint(self) -> None:
        if self._problem_shown is not None:
            text = translate("Runs", "This saved run cannot be read ({reason}); Delete removes its file.").format(
                reason=self._problem_shown
            )
            text = text.replace(self._problem_folder, "")
        elif self._reading is not None:
            done, total = self._reading
            text = translate("Runs", "Reading the saved runs: {done} of {total}…").format(done=done, total=total)
        else:
            text = translate("Runs", "Click a run: its final weights go into the pad.")
        self._hint.setText(text)

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

    def show_reading(self, done: int, total: int) -> None:
        """The run store is being read: ``done`` of ``total`` files (the hint says so until the last)."""
        self._reading = None if done >= total else (int(done), int(total))
        self._show_hint()

    def rows(self) -> list:
        return list(self._rows)

    def row_texts(self, i: int) -> list:
        """The texts of row ``i``, one per column of :data:`COLUMNS` (for tests and screenshots)."""
        return [self.table.item(i, c).text() for c in range(len(COLUMNS))]

    def row_text(self, i: int, column: str) -> str:
        """The text of row ``i`` in ``column`` (a name of :data:`COLUMNS`)."""
        return self.table.item(i, COLUMNS.index(column)).text()

    def hint_text(self) -> str:
        return self._hint.text()

    def set_column_hidden(self, column: str, hidden: bool) -> None:
        """Hide or show ``column`` (a name of :data:`COLUMNS`; the run's column always shows)."""
        i = COLUMNS.index(column)
        if column != _ALWAYS_SHOWN and self.table.isColumnHidden(i) != bool(hidden):
            self.table.setColumnHidden(i, bool(hidden))
            self.columns_changed.emit(self.hidden_columns())

    def set_hidden_columns(self, names) -> None:
        """Hide exactly the columns named in ``names`` (others shown; a name not in :data:`COLUMNS` ignored)."""
        wanted = set(names)
        for i, name in enumerate(COLUMNS):
            if name != _ALWAYS_SHOWN:
                self.table.setColumnHidden(i, name in wanted)

    def hidden_columns(self) -> list:
        return [name for i, name in enumerate(COLUMNS) if self.table.isColumnHidden(i)]

    def column_menu(self) -> QtWidgets.QMenu:
        """The header's context menu: a checkable entry per column (for the context menu and tests)."""
        menu = QtWidgets.QMenu(self)
        for i, (name, title) in enumerate(zip(COLUMNS, self._headers())):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.setEnabled(name != _ALWAYS_SHOWN)
            action.setData(name)
            action.toggled.connect(lambda shown, n=name: self.set_column_hidden(n, not shown))
        return menu

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
        problem_colour = QtGui.QBrush(QtGui.QColor(theme.WRONG))
        for i, row in enumerate(self._rows):
            texts, tip = self._cells(row)
            for c, value in enumerate(texts):
                item = QtWidgets.QTableWidgetItem(value)
                if COLUMNS[c] in _NUMERIC:
                    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
                if row.active:
                    item.setFont(theme.font(theme.FONT_PT, bold=True))
                elif row.status in ("stopped", "failed") and COLUMNS[c] == "run":
                    font = theme.font(theme.FONT_PT)
                    font.setItalic(True)
                    item.setFont(font)
                if row.problem is not None:
                    item.setForeground(problem_colour)
                if tip:
                    item.setToolTip(tip)
                self.table.setItem(i, c, item)
        self._on_selection()
        self._fit_headers()

    @staticmethod
    def _cells(row: RunRow) -> tuple:
        """The texts of ``row``, one per column, and its tooltip; never raises, whatever the row holds."""
        try:
            return RunsWidget._texts(row)
        except Exception:  # a value no cell foresaw: the row says so, the table stays
            log.exception("a run's row cannot be shown")
            return ["?"] * len(COLUMNS), ""

    @staticmethod
    def _texts(row: RunRow) -> tuple:
        if row.run_id is not None:
            name = f"#{row.run_id}"
            if row.active:
                name = translate("Runs", "{run} (training)").format(run=name)
        else:
            name = _when(row.started_at)
        tip = ""
        if row.problem is not None:
            name = translate("Runs", "{run}: cannot read").format(run=name)
            return [""] + [name] + [""] * (len(COLUMNS) - 2), str(row.problem)
        if row.status == "stopped":
            name = translate("Runs", "{run} (stopped)").format(run=name)
            tip = translate("Runs", "Stopped before its last epoch")
        elif row.status == "failed":
            name = translate("Runs", "{run} (failed)").format(run=name)
            tip = translate("Runs", "The run failed")
        return [
            _accuracy(row.best_accuracy),
            name,
            _plain(row.arch),
            _count(row.parameters),
            _count(row.train_size),
            _plain(batching_name(row.batching)) if isinstance(row.batching, str) else "?",
            _count(row.batch_size),
            _plain(row.optimizer),
            _number(row.learning_rate, decimal),
            _count(row.images_per_second),
            _number(row.seconds_per_epoch, lambda v: decimal(v, 1) if v >= 0 else "?"),
            _number(row.memory_bytes, lambda v: f"{decimal(v / 1e6, 1)} MB" if v >= 0 else "?"),
        ], tip

    def _on_header_menu(self, pos: QtCore.QPoint) -> None:
        menu = self.column_menu()
        menu.exec_(self.table.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()

    def _on_selection(self) -> None:
        row = self.selected_row()
        self.delete_button.setEnabled(row is not None and row.record_id is not None)

    def _on_clicked(self, i: int, _column: int) -> None:
        if not 0 <= i < len(self._rows):
            return
        row = self._rows[i]
        self._problem_shown = row.problem
        self._problem_folder = ""
        if row.problem is not None and row.problem_file and row.problem_file in row.problem:
            self._problem_folder = row.problem[: row.problem.index(row.problem_file)]
        self._show_hint()
        if row.problem is None:  # a file that cannot be read has no weights to offer
            self.run_chosen.emit(row)
