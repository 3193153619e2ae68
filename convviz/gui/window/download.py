"""The MNIST download offer and its progress dialog: never modal, cancellable."""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.gui.common.i18n import decimal, translate
from convviz.gui.controller import Controller
from convviz.gui.state import DataState


class DownloadOffer(QtCore.QObject):
    """Asks whether to download MNIST and shows the download's progress; the controller does the work."""

    declined = QtCore.pyqtSignal()

    def __init__(self, controller: Controller, parent: QtWidgets.QWidget):
        super().__init__(parent)
        self._controller = controller
        self._parent = parent
        self._offer: QtWidgets.QMessageBox | None = None
        self._dialog: QtWidgets.QProgressDialog | None = None
        self._report = None  # the download's last progress report
        controller.download_progressed.connect(self._on_progress)
        controller.state.data_state_changed.connect(self._on_data_state)

    def offer(self) -> None:
        """Ask (without blocking) whether to download MNIST; yes starts the download with a progress bar."""
        if self._offer is not None and self._offer.isVisible():
            return
        box = QtWidgets.QMessageBox(self._parent)
        box.setAttribute(QtCore.Qt.WA_DeleteOnClose)  # answered is gone: the next offer is a fresh question
        box.setIcon(QtWidgets.QMessageBox.Question)
        box.setStandardButtons(QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.Cancel)
        box.setDefaultButton(QtWidgets.QMessageBox.Yes)
        box.finished.connect(self._on_answered)
        self._offer = box
        self.retranslate()
        box.open()  # returns at once: the window stays live (and tests are not blocked)

    def retranslate(self) -> None:
        """The open question's and progress dialog's texts in the current language (the window calls this)."""
        box = self._offer
        if box is not None:
            box.setWindowTitle(translate("Download", "Download MNIST?"))
            box.setText(translate("Download", "Training needs MNIST, which is not on this computer yet."))
            box.setInformativeText(translate("Download", "Download it now? About 11 MB; it is kept for the next time."))
            box.button(QtWidgets.QMessageBox.Yes).setText(translate("Download", "Download"))
            box.button(QtWidgets.QMessageBox.Cancel).setText(translate("Download", "Cancel"))
        dialog = self._dialog
        if dialog is not None:
            dialog.setWindowTitle(translate("Download", "Downloading MNIST"))
            dialog.setCancelButtonText(translate("Download", "Cancel"))
            self._show_progress_text()

    def offer_box(self) -> QtWidgets.QMessageBox | None:
        """The question, while it is open."""
        return self._offer

    def progress_dialog(self) -> QtWidgets.QProgressDialog | None:
        """The download's progress dialog, while it is open."""
        return self._dialog

    def _on_answered(self, result: int) -> None:
        self._offer = None
        if result == QtWidgets.QMessageBox.Yes:
            self.download()
        else:
            self._controller.forget_pending_start()
            self.declined.emit()

    def download(self) -> None:
        """Download MNIST in the background, with a progress dialog that can cancel it."""
        if self._controller.state.data_state in (DataState.DOWNLOADING, DataState.LOADING):
            return
        dialog = QtWidgets.QProgressDialog("", "", 0, 100, self._parent)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(520)
        dialog.canceled.connect(self._controller.cancel_download)
        self._dialog = dialog
        self._report = None
        self.retranslate()
        self._controller.load_data(download=True)
        dialog.show()

    def _on_progress(self, report) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        if report.total:
            dialog.setMaximum(report.total)
            dialog.setValue(min(report.done, report.total))
        else:
            dialog.setMaximum(0)  # unknown size: a busy indicator
        self._report = report
        self._show_progress_text()

    def _show_progress_text(self) -> None:
        report = self._report
        if report is None:
            self._dialog.setLabelText(translate("Download", "Downloading MNIST…"))
        else:
            line = translate("Download", "Downloading {file}: {megabytes} MB")
            self._dialog.setLabelText(line.format(file=report.file, megabytes=decimal(report.done / 1e6, 1)))

    def _on_data_state(self, state: DataState) -> None:
        if state is not DataState.DOWNLOADING:
            self.close_dialogs(offer=False)

    def close_dialogs(self, offer: bool = True) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self._controller.cancel_download)
            dialog.close()
            dialog.deleteLater()
        if offer and self._offer is not None:
            self._offer.close()
