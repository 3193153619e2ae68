"""Save… and Load…: the dialogs that pick a model folder, and where Save… may write.

Save… asks for a *new* folder (a name such as ``lenet5-trained-2026-11-29`` is
suggested beside the last one saved): a new or empty folder is used, one that holds
a ConvViz model is replaced once the user agrees, any other is refused with one
line and nothing written (:func:`convviz.pretrained.judge_save_folder`).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common.i18n import translate
from convviz.pretrained import judge_save_folder, suggest_folder


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
