"""The Teach panel: add misread drawings to a class set, look after it, teach the network.

A row of ten digit buttons says what the drawing on the pad really is: one click
adds it, with that label, to the class set (PNGs plus ``labels.csv``, see
:mod:`convviz.classset`). The gallery below shows the set as thumbnails with
their labels; a chosen drawing can get another label or be deleted, the whole
set can be cleared, exported to a folder or imported from one. The Teach button
asks for fine-tuning (the bridge, :mod:`convviz.gui.jobs.teachjobs`, runs it in a
worker thread); the panel shows its progress, Cancel, then before and after
side by side, and Undo.

A panel: no TensorFlow, no controller import. Adding, relabelling and deleting
a drawing write one small file on the GUI thread; reading the set for the
gallery never happens here: :meth:`TeachWidget.reload` asks for it
(``gallery_requested``), the window runs the gallery's job, and the gallery
fills as its thumbnails arrive (:meth:`show_listing`, :meth:`show_thumbnails`,
with progress). It shows at most :data:`GALLERY_MAX` drawings (the newest).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz import classset as cs
from convviz.errors import ConvVizError
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, count, decimal, translate
from convviz.gui.common.text import percent

TEACH_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Teach")
FOLDER_ENV = "CONVVIZ_CLASSSET_DIR"  # the class set's folder, for tests and classrooms; else the user's data folder
GALLERY_MAX = 600  # thumbnails shown at most (the newest); the set itself holds up to cs.MAX_DRAWINGS
THUMB = 56  # px a thumbnail side


def start_folder() -> Path:
    """Where the class set lives when the user has not picked a folder: $CONVVIZ_CLASSSET_DIR, else the data folder."""
    env = os.environ.get(FOLDER_ENV, "")
    return Path(env) if env else cs.default_folder()


class TeachWidget(Retranslated, QtWidgets.QWidget):
    """Digit buttons, the class set's gallery and its tools, Teach/Cancel/Undo and the before/after table."""

    digit_clicked = QtCore.pyqtSignal(int)  # "the drawing on the pad is this digit"
    teach_requested = QtCore.pyqtSignal()
    cancel_requested = QtCore.pyqtSignal()
    undo_requested = QtCore.pyqtSignal()
    set_changed = QtCore.pyqtSignal(int)  # the number of drawings in the set, after any change
    gallery_requested = QtCore.pyqtSignal(int, object)  # (generation, folder): read the set for the gallery
    gallery_loaded = QtCore.pyqtSignal()  # the gallery's last requested reading has arrived whole

    def __init__(self, folder: Path | None = None, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._folder = Path(folder) if folder is not None else start_folder()
        self._entries: list = []
        self._status = translate("Teach", "Misread? Click the right digit to add the drawing to the class set.")
        self._scores = None  # (before Scores, after Scores) of the last teaching
        self._generation = 0  # the gallery's newest request; older answers are dropped
        self._loading = False
        self._items: dict = {}  # file -> its gallery item

        layout = QtWidgets.QVBoxLayout(self)
        self.digit_label = QtWidgets.QLabel()
        layout.addWidget(self.digit_label)
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(2)
        self.digit_buttons = []
        for digit in range(10):
            button = QtWidgets.QPushButton(str(digit))
            button.setMinimumWidth(24)
            button.clicked.connect(lambda _checked=False, d=digit: self.digit_clicked.emit(d))
            row.addWidget(button)
            self.digit_buttons.append(button)
        layout.addLayout(row)

        self.folder_label = QtWidgets.QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        layout.addWidget(self.folder_label)
        self.gallery_progress = QtWidgets.QLabel()  # "Loading the thumbnails: 120 of 600" while they load
        self.gallery_progress.hide()
        layout.addWidget(self.gallery_progress)

        self.gallery = QtWidgets.QListWidget()
        self.gallery.setViewMode(QtWidgets.QListView.IconMode)
        self.gallery.setIconSize(QtCore.QSize(THUMB, THUMB))
        self.gallery.setResizeMode(QtWidgets.QListView.Adjust)
        self.gallery.setMovement(QtWidgets.QListView.Static)
        self.gallery.setSelectionMode(QtWidgets.QAbstractItemView.ExtendedSelection)
        self.gallery.setMinimumHeight(THUMB + 30)
        body = QtWidgets.QHBoxLayout()  # the gallery, and beside it the before/after table
        body.addWidget(self.gallery, stretch=2)
        side = QtWidgets.QVBoxLayout()
        body.addLayout(side, stretch=3)  # the table's "before" and "after" whole beside its row names
        layout.addLayout(body, stretch=1)

        edit = QtWidgets.QHBoxLayout()
        self.relabel_box = QtWidgets.QComboBox()
        self.relabel_box.addItems([str(d) for d in range(10)])
        self.relabel_button = QtWidgets.QPushButton()
        self.relabel_button.clicked.connect(lambda: self.relabel_selected(self.relabel_box.currentIndex()))
        self.delete_button = QtWidgets.QPushButton()
        self.delete_button.clicked.connect(self.delete_selected)
        for widget in (self.relabel_box, self.relabel_button, self.delete_button):
            edit.addWidget(widget)
        edit.addStretch(1)
        layout.addLayout(edit)

        tools = QtWidgets.QHBoxLayout()
        self.folder_button = QtWidgets.QPushButton()
        self.folder_button.clicked.connect(lambda: self.choose_folder())
        self.export_button = QtWidgets.QPushButton()
        self.export_button.clicked.connect(lambda: self.export_to())
        self.import_button = QtWidgets.QPushButton()
        self.import_button.clicked.connect(lambda: self.import_from())
        self.clear_button = QtWidgets.QPushButton()
        self.clear_button.clicked.connect(lambda: self.clear_set(ask=True))
        for widget in (self.folder_button, self.export_button, self.import_button, self.clear_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        layout.addLayout(tools)

        teach = QtWidgets.QHBoxLayout()
        self.teach_button = QtWidgets.QPushButton()
        self.teach_button.clicked.connect(self.teach_requested.emit)
        self.cancel_button = QtWidgets.QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.undo_button = QtWidgets.QPushButton()
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_requested.emit)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        for widget in (self.teach_button, self.cancel_button, self.undo_button):
            teach.addWidget(widget)
        teach.addWidget(self.progress_bar, stretch=1)
        layout.addLayout(teach)

        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAlignment(QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)

        self.scores_table = QtWidgets.QTableWidget(3, 2)
        self.scores_table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.scores_table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.scores_table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.Stretch)
        self.scores_table.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        self.scores_table.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        # As high as its three rows: squeezed beside the gallery on a 1024x768 page, it ran into the text below.
        table_height = self.scores_table.horizontalHeader().sizeHint().height()
        table_height += 3 * self.scores_table.verticalHeader().defaultSectionSize() + 2 * self.scores_table.frameWidth()
        self.scores_table.setFixedHeight(table_height + 2)
        side.addWidget(self.scores_table)
        side.addStretch(1)
        # The status under everything, the panel's full width: beside the gallery its five wrapped lines
        # ran into the table on a 1024x768 page.
        layout.addWidget(self.status_label)

        self.retranslate()

    # ---- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.digit_label.setText(translate("Teach", "This drawing is a:"))
        self.relabel_button.setText(translate("Teach", "Change label"))
        self.delete_button.setText(translate("Teach", "Delete"))
        self.folder_button.setText(translate("Teach", "Folder…"))
        self.export_button.setText(translate("Teach", "Export…"))
        self.import_button.setText(translate("Teach", "Import…"))
        self.clear_button.setText(translate("Teach", "Clear"))
        self.teach_button.setText(translate("Teach", "Teach"))
        self.cancel_button.setText(translate("Teach", "Cancel"))
        self.undo_button.setText(translate("Teach", "Undo"))
        self.teach_button.setToolTip(
            translate("Teach", "Fine-tune the pad's network on MNIST mixed with the class set")
        )
        self.scores_table.setHorizontalHeaderLabels([translate("Teach", "Before"), translate("Teach", "After")])
        self.scores_table.setVerticalHeaderLabels(
            [translate("Teach", "Class set"), translate("Teach", "Held back"), translate("Teach", "MNIST test")]
        )
        self._show_folder()
        self.status_label.setText(again(self._status))
        self._fit_table()

    def _fit_table(self) -> None:
        """The before/after table as high as its header and three rows: no scrolling for three numbers."""
        table = self.scores_table
        rows = sum(table.verticalHeader().sectionSize(row) for row in range(table.rowCount()))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.FontChange:  # the presenter zoom: rows grow with the font
            self._fit_table()

    def _show_folder(self) -> None:
        self.folder_label.setText(
            translate("Teach", "Class set: %n drawing(s) in {folder}", None, len(self._entries)).format(
                folder=str(self._folder)
            )
        )

    def set_status(self, text) -> None:
        self._status = text
        self.status_label.setText(text)

    def status_text(self) -> str:
        return self.status_label.text()

    # ---- the class set -------------------------------------------------------------------------
    def folder(self) -> Path:
        return self._folder

    def entries(self) -> list:
        """The class set's rows (``cs.Entry``), as labels.csv lists them."""
        return list(self._entries)

    def set_folder(self, folder) -> None:
        self._folder = Path(folder)
        self.reload()

    def reload(self) -> None:
        """Read labels.csv again and redraw the gallery (a set not made yet is empty), in the window's job:
        ``gallery_requested`` asks for it and the answers arrive through :meth:`show_listing`,
        :meth:`show_thumbnails`, :meth:`show_gallery_progress` and :meth:`gallery_done`."""
        self._generation += 1
        self._loading = True
        self.gallery_requested.emit(self._generation, self._folder)

    def is_loading(self) -> bool:
        """The gallery's newest reading has not arrived whole yet."""
        return self._loading

    def show_listing(self, listed) -> None:
        """The class set's rows (``listed.entries``, or ``listed.error``): the gallery's tiles, pictures to come."""
        if listed.generation != self._generation:
            return
        self._entries = list(listed.entries)
        if listed.error is not None:
            self.set_status(translate("Teach", "The class set cannot be read: {message}").format(message=listed.error))
        self.gallery.clear()
        self._items = {}
        blank = QtGui.QPixmap(THUMB, THUMB)
        blank.fill(QtCore.Qt.transparent)
        for entry in self._entries[-GALLERY_MAX:][::-1]:  # newest first
            item = QtWidgets.QListWidgetItem(QtGui.QIcon(blank), str(entry.label))
            item.setData(QtCore.Qt.UserRole, entry.file)
            item.setToolTip(entry.file)
            self.gallery.addItem(item)
            self._items[entry.file] = item
        self._show_folder()
        self.set_changed.emit(len(self._entries))

    def show_thumbnails(self, generation: int, thumbnails) -> None:
        """Pictures for the gallery's tiles: each with ``file``, ``pixels`` (RGBA, h x w x 4) or ``reason``."""
        if generation != self._generation:
            return
        for thumb in thumbnails:
            item = self._items.get(thumb.file)
            if item is None:
                continue
            if thumb.pixels is None:  # a warning sign where the picture would be; why, in the tooltip
                item.setIcon(self.style().standardIcon(QtWidgets.QStyle.SP_MessageBoxWarning))
                item.setToolTip(
                    translate("Teach", "{file}: no picture ({reason})").format(file=thumb.file, reason=thumb.reason)
                )
                continue
            h, w = thumb.pixels.shape[:2]
            image = QtGui.QImage(thumb.pixels.tobytes(), w, h, 4 * w, QtGui.QImage.Format_RGBA8888).copy()
            item.setIcon(QtGui.QIcon(QtGui.QPixmap.fromImage(image)))

    def show_gallery_progress(self, generation: int, done: int, total: int) -> None:
        if generation != self._generation:
            return
        self.gallery_progress.setText(
            translate("Teach", "Loading the thumbnails: {done} of {total}").format(done=count(done), total=count(total))
        )
        self.gallery_progress.setVisible(done < total)

    def gallery_done(self, generation: int) -> None:
        """The gallery's job for ``generation`` has ended."""
        if generation != self._generation:
            return
        self._loading = False
        self.gallery_progress.hide()
        self.gallery_progress.clear()
        self.gallery_loaded.emit()

    def gallery_items(self) -> list:
        """``(file, label text)`` of every thumbnail, as shown (newest first)."""
        items = (self.gallery.item(i) for i in range(self.gallery.count()))
        return [(item.data(QtCore.Qt.UserRole), item.text()) for item in items]

    def _report(self, frame, exc: ConvVizError) -> None:
        self.set_status(frame.format(message=str(exc)))

    def add_drawing(self, image: np.ndarray, label: int):
        """Add ``image`` (the pad's canvas) with ``label``; the Entry, or None after showing why not."""
        try:
            entry = cs.add_drawing(self._folder, image, label)
        except ConvVizError as exc:
            self._report(translate("Teach", "Not added: {message}"), exc)
            return None
        self.reload()
        self.set_status(translate("Teach", "Added as a {digit}: {file}").format(digit=label, file=entry.file))
        return entry

    def selected_files(self) -> list:
        return [item.data(QtCore.Qt.UserRole) for item in self.gallery.selectedItems()]

    def select_files(self, files) -> None:
        wanted = set(files)
        for i in range(self.gallery.count()):
            item = self.gallery.item(i)
            item.setSelected(item.data(QtCore.Qt.UserRole) in wanted)

    def relabel_selected(self, label: int) -> int:
        files = self.selected_files()
        try:
            for file in files:
                cs.relabel_drawing(self._folder, file, label)
        except ConvVizError as exc:
            self._report(translate("Teach", "The label was not changed: {message}"), exc)
        self.reload()
        if files:
            self.set_status(
                translate("Teach", "%n drawing(s) now labelled {digit}", None, len(files)).format(digit=label)
            )
        return len(files)

    def delete_selected(self) -> int:
        files = self.selected_files()
        try:
            for file in files:
                cs.remove_drawing(self._folder, file)
        except ConvVizError as exc:
            self._report(translate("Teach", "Not deleted: {message}"), exc)
        self.reload()
        if files:
            self.set_status(translate("Teach", "%n drawing(s) deleted", None, len(files)))
        return len(files)

    def clear_set(self, ask: bool = False) -> int:
        if not self._entries:
            return 0
        if ask:
            answer = QtWidgets.QMessageBox.question(
                self,
                translate("Teach", "Clear the class set"),
                translate("Teach", "Delete all %n drawing(s) of the class set?", None, len(self._entries)),
            )
            if answer != QtWidgets.QMessageBox.Yes:
                return 0
        try:
            removed = cs.clear_class_set(self._folder)
        except ConvVizError as exc:
            self._report(translate("Teach", "Not cleared: {message}"), exc)
            return 0
        self.reload()
        self.set_status(translate("Teach", "%n drawing(s) deleted", None, removed))
        return removed

    def _pick_folder(self, title) -> str:
        return QtWidgets.QFileDialog.getExistingDirectory(self, title, str(self._folder.parent))

    def choose_folder(self, folder=None) -> None:
        """Keep the class set in ``folder`` (asked for when None); it is made on the first drawing."""
        folder = folder or self._pick_folder(translate("Teach", "Folder of the class set"))
        if folder:
            self.set_folder(folder)

    def export_to(self, dest=None):
        dest = dest or self._pick_folder(translate("Teach", "Export the class set to an empty folder"))
        if not dest:
            return None
        try:
            written = cs.export_class_set(self._folder, dest)
        except ConvVizError as exc:
            self._report(translate("Teach", "Not exported: {message}"), exc)
            return None
        self.set_status(translate("Teach", "Exported to {folder}").format(folder=str(written)))
        return written

    def import_from(self, source=None) -> int:
        source = source or self._pick_folder(translate("Teach", "Import a class set from a folder"))
        if not source:
            return 0
        try:
            added = cs.import_class_set(source, self._folder)
        except ConvVizError as exc:
            self._report(translate("Teach", "Not imported: {message}"), exc)
            return 0
        self.reload()
        self.set_status(translate("Teach", "%n drawing(s) imported", None, added))
        return added

    # ---- teaching ------------------------------------------------------------------------------
    def set_teaching(self, busy: bool) -> None:
        self.teach_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        for widget in (
            self.clear_button,
            self.import_button,
            self.folder_button,
            self.delete_button,
            self.relabel_button,
        ):
            widget.setEnabled(not busy)
        if busy:
            self.undo_button.setEnabled(False)
            self.progress_bar.setValue(0)

    def set_progress(self, phase: str, step: int, steps: int) -> None:
        if phase == "loading":
            self.progress_bar.setValue(0)
            self.set_status(
                translate("Teach", "Loading the class set: {done} of {total} drawings…").format(
                    done=count(step), total=count(steps)
                )
            )
        elif phase == "before":
            self.set_status(translate("Teach", "Measuring the network before teaching…"))
        elif phase == "training":
            self.progress_bar.setValue(round(100 * step / max(1, steps)))
            self.set_status(
                translate("Teach", "Teaching: step {step} of {steps}").format(step=count(step), steps=count(steps))
            )
        elif phase == "after":
            self.progress_bar.setValue(100)
            self.set_status(translate("Teach", "Measuring the network after teaching…"))

    def progress(self) -> int:
        return self.progress_bar.value()

    def show_scores(self, before, after, drawings: int, fixed: int, broken: int, seconds: float) -> None:
        """Before and after, side by side: ``Scores`` of the class set's taught part, held-back part, MNIST test."""
        self._scores = (before, after)
        for column, scores in enumerate((before, after)):
            values = (scores.class_set, scores.held_back, scores.mnist_test)
            for row, value in enumerate(values):
                text = "–" if value is None else percent(value)
                self.scores_table.setItem(row, column, QtWidgets.QTableWidgetItem(text))
        self.undo_button.setEnabled(True)
        self.set_status(
            translate("Teach", "Taught on %n drawing(s) in {seconds} s: {fixed} now read right, {broken} now wrong", None, drawings).format(  # noqa: E501
                seconds=decimal(seconds, 1), fixed=count(fixed), broken=count(broken)
            )
        )

    def mark_readings(self, files, labels, before, after, held) -> None:
        """Each thumbnail of the taught set: what the network read before and after (``{label} (2→7)`` when not
        simply right both times), and whether it was held back from teaching (tooltip)."""
        readings = {}
        for i, file in enumerate(files):
            readings[file] = (int(labels[i]), int(before[i]), int(after[i]), i in held)
        for row in range(self.gallery.count()):
            item = self.gallery.item(row)
            file = item.data(QtCore.Qt.UserRole)
            if file not in readings:
                continue
            label, b, a, is_held = readings[file]
            item.setText(str(label) if b == a == label else f"{label} ({b}→{a})")
            tip = translate("Teach", "{file}: read as {before} before teaching, {after} after").format(
                file=file, before=b, after=a
            )
            if is_held:
                tip = translate("Teach", "{reading} (held back: not taught)").format(reading=tip)
            item.setToolTip(tip)

    def score_texts(self) -> list:
        """The table as shown: rows class set, held back, MNIST test; columns before, after."""
        out = []
        for row in range(3):
            cells = [self.scores_table.item(row, column) for column in range(2)]
            out.append([None if cell is None else cell.text() for cell in cells])
        return out

    def set_undone(self) -> None:
        self.undo_button.setEnabled(False)
        self.set_status(translate("Teach", "Undone: the pad uses the network from before teaching."))
