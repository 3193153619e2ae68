"""Save… and Load…: the dialogs that pick a model folder, and where Save… may write; Reset for class.

Save… asks for a *new* folder (a name such as ``lenet5-trained-2026-11-29`` is
suggested beside the last one saved): a new or empty folder is used, one that holds
a ConvViz model is replaced once the user agrees, any other is refused with one
line and nothing written (:func:`convviz.pretrained.judge_save_folder`).

Reset for class (:class:`ClassReset`) clears the runs table, the loss plot's runs and the class set for the
next group of students, after a question that says what goes where. Nothing is deleted: the stored runs'
files and the class set's drawings move to a new dated folder beside the runs store
(``…/convviz/put-aside/2026-12-07-101500``), from where they can be copied back.
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

from PyQt5 import QtCore, QtWidgets

from convviz import classset
from convviz.errors import ConvVizError
from convviz.gui.common.i18n import translate
from convviz.pretrained import judge_save_folder, suggest_folder
from convviz.recording import RunStore

log = logging.getLogger(__name__)
PUT_ASIDE = "put-aside"  # beside the runs store: where Reset for class moves what it clears


class ModelFiles(QtCore.QObject):
    """The window's Save… and Load… dialogs; the saving itself is the window's (and the controller's)."""

    def __init__(self, window: QtWidgets.QMainWindow):
        super().__init__(window)
        self._window = window
        self._save_parent: Path | None = None  # Save… suggests a folder beside the last one saved

    def ask_save(self) -> None:
        """Save…: ask for a new folder (a name is suggested), then save there."""
        model = self._window.state.model
        if model is None:
            self._window.show_error(translate("MainWindow", "Could not save the model: there is none yet"))
            return
        parent = self._save_parent or Path.home()
        suggested = suggest_folder(parent, model.arch, model.role.value, datetime.date.today())
        # DontConfirmOverwrite: judge_save_folder decides, and asks only before replacing a model.
        folder, _ = QtWidgets.QFileDialog.getSaveFileName(
            self._window,
            translate("MainWindow", "Save the model as a new folder"),
            str(suggested),
            "",
            options=QtWidgets.QFileDialog.DontConfirmOverwrite,
        )
        if folder:
            self.save_as(folder)

    def save_as(self, folder) -> Path | None:
        """Save… into ``folder``: created when new; an empty one is used; one that holds a ConvViz model
        is replaced once the user agrees; any other is refused (one line in the banner, nothing written)."""
        verdict = judge_save_folder(folder)
        if verdict.refused:
            self._window.show_error(
                translate("MainWindow", "Could not save the model: {problem}").format(problem=verdict.reason)
            )
            return None
        if verdict.kind == "model":
            answer = QtWidgets.QMessageBox.question(
                self._window,
                translate("MainWindow", "Replace the saved model?"),
                translate(
                    "MainWindow", "{folder} holds a ConvViz model already.\n\nReplace it with the model in use?"
                ).format(folder=str(folder)),
                QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No,
                QtWidgets.QMessageBox.No,
            )
            if answer != QtWidgets.QMessageBox.Yes:
                self._window.statusBar().showMessage(
                    translate("MainWindow", "Not saved: {folder} keeps its model").format(folder=str(folder)), 8000
                )
                return None
        saved = self._window.save_model(folder)
        if saved is not None:
            self._save_parent = Path(saved).parent
        return saved

    def ask_load(self) -> None:
        """Load…: pick a model folder and load it in the background."""
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self._window,
            translate("MainWindow", "Load a model folder (with weights.npz and model.json)"),
            str(self._window.controller.models_dir),
        )
        if folder:
            self._window.load_model(folder)


class ClassReset(QtCore.QObject):
    """Reset for class: the runs of this session and the stored ones leave the table and the plot, the
    class set is emptied; the stored runs' files and the drawings move to a new folder, never deleted."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window

    def put_aside_folder(self) -> Path:
        """A new folder for this reset: ``put-aside/<date-time>`` beside the runs store."""
        store = RunStore(self._window.controller.runs_dir).folder
        stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        folder, n = store.parent / PUT_ASIDE / stamp, 1
        while folder.exists():  # two resets within a second
            n += 1
            folder = store.parent / PUT_ASIDE / f"{stamp}-{n}"
        return folder

    def question(self, runs: int, drawings: int, folder: Path) -> str:
        """What the user is asked: what leaves, and the folder it moves to."""
        lines = [
            translate("MainWindow", "Clear the runs and the class set for the next class?"),
            "",
            translate("MainWindow", "%n run(s) leave the runs table and the loss plot.", None, runs),
            translate("MainWindow", "%n drawing(s) leave the class set.", None, drawings),
            "",
            translate("MainWindow", "Nothing is deleted: the stored runs and the drawings move to\n{folder}").format(
                folder=str(folder)
            ),
        ]
        return "\n".join(lines)

    def reset(self, ask: bool = True) -> Path | None:
        """Ask (unless ``ask`` is False), then clear; the folder the files moved to, or None if nothing
        was done (declined, a run training, or a file that could not move: one line says so)."""
        w = self._window
        if w.state.is_training():
            w.show_error(translate("MainWindow", "Not reset: a run is training; stop it first"))
            return None
        store = RunStore(w.controller.runs_dir)
        stored = store.list()
        teach = w.teach.widget
        listed = (teach.folder() / classset.LABELS_FILE).is_file()
        drawings = len(classset.read_labels(teach.folder())) if listed else 0
        ids = {r.id for r in stored}
        runs = len(ids) + sum(1 for r in w.state.runs if not r.deleted and r.record_id not in ids)
        folder = self.put_aside_folder()
        if ask:
            answer = QtWidgets.QMessageBox.question(
                w,
                translate("MainWindow", "Reset for class"),
                self.question(runs, drawings, folder),
                QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No,
                QtWidgets.QMessageBox.No,
            )
            if answer != QtWidgets.QMessageBox.Yes:
                return None
        try:
            moved = self._put_aside(store, stored, teach.folder() if drawings else None, folder)
        except (OSError, ConvVizError) as exc:
            w.show_error(translate("MainWindow", "Not reset: {problem}").format(problem=str(exc).splitlines()[0]))
            w.controller.list_stored_runs()
            return None
        self._forget(moved)
        teach.reload()
        done = translate("MainWindow", "Reset for class: runs and class set moved to {folder}")
        w.statusBar().showMessage(done.format(folder=str(folder)), 15000)
        return folder

    @staticmethod
    def _put_aside(store, stored, classset_folder, folder: Path) -> list:
        """Move the stored runs' files to ``folder/runs`` and copy the class set to ``folder/classset``
        (then empty it); the ids of the runs moved."""
        moved = []
        (folder / "runs").mkdir(parents=True, exist_ok=False)
        for run in stored:
            os.replace(str(run.path), str(folder / "runs" / run.path.name))  # the same disk: a rename
            moved.append(run.id)
        if classset_folder is not None:
            classset.export_class_set(classset_folder, folder / "classset")  # whole, or not at all
            classset.clear_class_set(classset_folder)
        log.info("reset for class: %d stored runs and the class set put aside in %s", len(moved), folder)
        return moved

    def _forget(self, moved: list) -> None:
        w = self._window
        for key in list(w.state.overlays):
            if w.state.drop_overlay(key):
                w.loss.remove_run(key)
        for record_id in moved:
            w.state.forget_stored(record_id)
        for run in w.state.runs:
            run.deleted = True  # it leaves the table (its curve has left the plot)
        w.loss.clear()
        w.refresh_runs()
