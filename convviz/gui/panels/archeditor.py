"""ArchEditor: write your own network as a spec string, checked as you type.

A line edit takes a spec such as ``conv32@5x5-pool2-dense128`` (the grammar is
:mod:`convviz.netspec`'s, documented in the README) or a built-in network's
name. On every keystroke the spec is parsed (pure Python, well under a
millisecond for the longest one allowed) and the table shows each layer's
output shape, its parameters and the exercise's memory arithmetic
(:mod:`convviz.memory`): what one training step keeps for all 60,000 images at
once against one mini-batch. A bad spec shows the core's one-line error, which
names the offending layer, and disables "Use". "Use" (or Enter) on a valid
spec emits :attr:`ArchEditor.spec_accepted` with the spec's canonical name,
the value ``TrainConfig.arch`` and ``--arch`` take.

No TensorFlow here: netspec and memory are pure Python.
"""

from __future__ import annotations

import logging

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.archspec import EXAMPLE_SPEC, MAX_SPEC_LENGTH
from convviz.config import TrainConfig
from convviz.constants import NUM_TRAIN
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, count, decimal_text, marked, translate
from convviz.memory import MemoryReport, human_bytes, memory_report
from convviz.netspec import SPECS, ArchSpec, format_spec, get_spec, layer_shapes

logger = logging.getLogger(__name__)

COLUMNS = ("layer", "output", "params", "counted", "full", "batch")
ERROR_COLOUR = "#b00020"
# What convviz.memory counted for a layer (MemoryRow.note), in the reader's language; others are formulas.
NOTES = {
    "data": QT_TRANSLATE_NOOP("ArchEditor", "data"),
    "view, no copy": QT_TRANSLATE_NOOP("ArchEditor", "view, no copy"),
    "padded copy": QT_TRANSLATE_NOOP("ArchEditor", "padded copy"),
}


def shape_text(shape: tuple) -> str:
    """(28, 28, 1) -> 28×28×1, (128,) -> 128."""
    return "×".join(str(dim) for dim in shape)


class ArchEditor(Retranslated, QtWidgets.QWidget):
    """A spec line, its layers with shapes, parameters and memory, and "Use".

    ``spec_accepted(str)``: the user pressed "Use" or Enter on a valid spec; the argument is the
    network's name (a built-in's, or the spec string in its canonical spelling).
    """

    spec_accepted = QtCore.pyqtSignal(str)

    def __init__(self, spec: str = "", batch_size: int = TrainConfig().batch_size, parent=None):
        super().__init__(parent)
        self._batch_size = self._bounded_batch(batch_size)
        self._spec: ArchSpec | None = None
        self._error: str | None = None
        self._report: MemoryReport | None = None
        self._params: dict = {}  # layer name -> weights and biases

        self.start_label = QtWidgets.QLabel()
        self.start_combo = QtWidgets.QComboBox()
        self.start_combo.addItem("", None)  # "a built-in network…", written by retranslate()
        for name in SPECS:
            self.start_combo.addItem(name, name)
            self.start_combo.setItemData(self.start_combo.count() - 1, format_spec(name), QtCore.Qt.ToolTipRole)
        self.start_combo.activated.connect(self._on_start_chosen)

        self.spec_label = QtWidgets.QLabel()
        self.line_edit = QtWidgets.QLineEdit()
        self.line_edit.setMaxLength(MAX_SPEC_LENGTH)
        self.line_edit.setPlaceholderText(EXAMPLE_SPEC)
        self.line_edit.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont))
        self.spec_label.setBuddy(self.line_edit)
        self.line_edit.textChanged.connect(self._on_text_changed)
        self.line_edit.returnPressed.connect(self.accept_spec)
        self.use_button = QtWidgets.QPushButton()
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self.accept_spec)

        self.grammar_label = QtWidgets.QLabel()
        self.grammar_label.setTextFormat(QtCore.Qt.PlainText)  # <N> is not a tag
        self.grammar_label.setWordWrap(True)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setTextFormat(QtCore.Qt.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)

        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.memory_label = QtWidgets.QLabel()
        self.memory_label.setTextFormat(QtCore.Qt.PlainText)
        self.memory_label.setWordWrap(True)

        start_row = QtWidgets.QHBoxLayout()
        start_row.addWidget(self.start_label)
        start_row.addWidget(self.start_combo)
        start_row.addStretch(1)
        spec_row = QtWidgets.QHBoxLayout()
        spec_row.addWidget(self.spec_label)
        spec_row.addWidget(self.line_edit, 1)
        spec_row.addWidget(self.use_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(start_row)
        layout.addLayout(spec_row)
        layout.addWidget(self.grammar_label)
        layout.addWidget(self.status_label)
        # Six layers in sight at least (the cnn has eight rows): under the help text a bare row was left.
        rows = 6 * self.table.verticalHeader().defaultSectionSize() + self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(rows + 2 * self.table.frameWidth() + 20)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.memory_label)

        self.retranslate()
        self.set_spec(spec)

    # ---- the public side -------------------------------------------------------------------------
    def set_spec(self, text: str) -> None:
        """Put ``text`` (a spec string or a built-in's name) into the line and check it."""
        self.line_edit.setText(text)
        self._check()  # also when the text did not change (textChanged is not sent then)

    def text(self) -> str:
        """The line as typed."""
        return self.line_edit.text()

    def spec(self) -> str | None:
        """The network's name (a built-in's, or the canonical spec string) if the line is valid, else None."""
        return self._spec.name if self._spec is not None else None

    def arch_spec(self) -> ArchSpec | None:
        return self._spec

    def error(self) -> str | None:
        """The core's one-line message for an invalid line (None when valid or empty)."""
        return self._error

    def report(self) -> MemoryReport | None:
        """The memory arithmetic shown, for the current batch size (None unless valid)."""
        return self._report

    def batch_size(self) -> int:
        return self._batch_size

    def set_batch_size(self, batch_size: int) -> None:
        """The mini-batch the memory column is for (the controls' batch size)."""
        self._batch_size = self._bounded_batch(batch_size)
        self._check()

    def accept_spec(self) -> None:
        """Emit :attr:`spec_accepted` if the line is a valid network (the Use button, Enter)."""
        if self._spec is not None:
            self.spec_accepted.emit(self._spec.name)

    # ---- checking ------------------------------------------------------------------------------
    @staticmethod
    def _bounded_batch(batch_size: int) -> int:
        return min(max(int(batch_size), 1), NUM_TRAIN)

    def _on_text_changed(self, _text: str) -> None:
        self._check()

    def _on_start_chosen(self, index: int) -> None:
        name = self.start_combo.itemData(index)
        if name:
            self.set_spec(format_spec(name))
            self.line_edit.setFocus()
        self.start_combo.setCurrentIndex(0)

    def _check(self) -> None:
        text = self.line_edit.text().strip()
        self._spec = self._error = self._report = None
        self._params = {}
        if text:
            try:
                spec = get_spec(text)
                params = {row.name: row.params for row in layer_shapes(spec)}
                report = memory_report(spec, self._batch_size)
            except ValueError as exc:  # ConfigError, SpecError: one line naming the token
                self._error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            else:
                self._spec, self._report, self._params = spec, report, params
        self.use_button.setEnabled(self._spec is not None)
        self._show()

    def parameter_count(self) -> int | None:
        """Weights and biases of the valid network on the line (None unless valid)."""
        return sum(self._params.values()) if self._spec is not None else None

    def _show(self) -> None:
        if self._error is not None:
            self.status_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            self.status_label.setText(translate("ArchEditor", "Not a network: {message}").format(message=self._error))
        elif self._spec is None:
            self.status_label.setStyleSheet("")
            self.status_label.setText(
                translate("ArchEditor", "Type a network, e.g. {example}").format(example=EXAMPLE_SPEC)
            )
        else:
            self.status_label.setStyleSheet("")
            text = translate("ArchEditor", "{params} parameters ({weights} of weights)")
            weights = decimal_text(human_bytes(self._report.weights_bytes))
            self.status_label.setText(text.format(params=count(self.parameter_count()), weights=weights))
        self._fill_table()

    def _fill_table(self) -> None:
        headers = (
            translate("ArchEditor", "Layer"),
            translate("ArchEditor", "Output"),
            translate("ArchEditor", "Parameters"),
            translate("ArchEditor", "Counted"),
            translate("ArchEditor", "All {images} images").format(images=count(NUM_TRAIN)),
            translate("ArchEditor", "Batch of {size}").format(size=count(self._batch_size)),
        )
        self.table.setHorizontalHeaderLabels([str(text) for text in headers])
        report = self._report
        rows = report.rows if report is not None else []
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            name = translate("ArchEditor", "input") if index == 0 else row.layer
            note = marked("ArchEditor", NOTES[row.note]) if row.note in NOTES else row.note
            values = (
                name,
                shape_text(row.shape),
                f"{count(self._params.get(row.layer, 0))}",
                note,
                decimal_text(human_bytes(row.full_bytes)),
                decimal_text(human_bytes(row.batch_bytes)),
            )
            for column, value in enumerate(values):
                item = QtWidgets.QTableWidgetItem(str(value))
                if column in (2, 4, 5):
                    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
                self.table.setItem(index, column, item)
        if report is None:
            self.memory_label.setText("")
            return
        ratio = report.total_full_bytes / report.total_batch_bytes
        full = translate("ArchEditor", "One training step, all {images} images at once: {full}")
        batch = translate("ArchEditor", "One training step, a mini-batch of {size}: {batch}, {ratio}× less")
        self.memory_label.setText(
            "\n".join(
                (
                    full.format(images=count(report.n_images), full=decimal_text(human_bytes(report.total_full_bytes))),
                    batch.format(
                        size=count(report.batch_size),
                        batch=decimal_text(human_bytes(report.total_batch_bytes)),
                        ratio=count(ratio),
                    ),
                )
            )
        )

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.start_label.setText(translate("ArchEditor", "Start from"))
        self.start_combo.setItemText(0, translate("ArchEditor", "a built-in network…"))
        self.spec_label.setText(translate("ArchEditor", "&Network"))
        self.use_button.setText(translate("ArchEditor", "Use"))
        self.use_button.setToolTip(translate("ArchEditor", "Train and show this network (Enter)"))
        grammar = (  # examples, not letters: K, F and S would be English words in a German window
            translate("ArchEditor", "Layers joined by -, for example {example}:").format(example=EXAMPLE_SPEC),
            translate("ArchEditor", "pad2: 2 zeros around the image"),
            translate("ArchEditor", "conv32@5x5: 32 filters of 5×5, the output as large as the input"),
            translate("ArchEditor", "conv32@5x5v: valid, without a border of zeros; conv32@5x5/2: stride 2"),
            translate("ArchEditor", "pool2: the maximum of each 2×2 window"),
            translate("ArchEditor", "dense128: 128 units"),
            translate("ArchEditor", "The reshape before the first dense layer and the 10-way output layer are added."),
        )
        self.grammar_label.setText("\n".join(grammar))
        self._show()


class ArchEditorDialog(Retranslated, QtWidgets.QDialog):
    """The editor in a dialog: "Use" closes it with :meth:`chosen` set; Escape cancels."""

    def __init__(self, spec: str = "", batch_size: int = TrainConfig().batch_size, parent=None):
        super().__init__(parent)
        self._chosen: str | None = None
        self.editor = ArchEditor(spec, batch_size, self)
        self.editor.spec_accepted.connect(self._on_accepted)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.editor)
        screen = QtWidgets.QApplication.primaryScreen().availableGeometry()  # 1024x768 too: 90 % of it
        self.resize(min(1000, int(0.9 * screen.width())), min(760, int(0.9 * screen.height())))
        self.retranslate()

    def chosen(self) -> str | None:
        """The accepted network's name, or None if the dialog was cancelled."""
        return self._chosen

    def _on_accepted(self, name: str) -> None:
        self._chosen = name
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ArchEditor", "Your own network"))
