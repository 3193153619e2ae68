"""Small widgets of the window: the error banner."""

from __future__ import annotations

from PyQt5 import QtCore, QtWidgets

from convviz.gui import theme

ERROR_COLOURS = (theme.WRONG, "#fbe9ea")  # text, background


class Banner(QtWidgets.QFrame):
    """A word-wrapped message with a close button; never modal."""

    def __init__(self, colours: tuple = ERROR_COLOURS, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        text, background = colours
        self.setObjectName("banner")
        self.setStyleSheet(
            f"#banner {{ background: {background}; border-left: 6px solid {text}; }}#banner QLabel {{ color: {text}; }}"
        )
        self._label = QtWidgets.QLabel()
        self._label.setWordWrap(True)
        self._label.setFont(theme.font(theme.FONT_PT, bold=True))
        self._label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._label, stretch=1)
        layout.addWidget(close, alignment=QtCore.Qt.AlignTop)
        self.hide()

    def show_text(self, text: str) -> None:
        self._label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self._label.text() if self.isVisibleTo(self.parentWidget()) else ""
