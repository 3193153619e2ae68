"""Small widgets of the window: the error banner and the status bar, both retranslated on a language switch."""

from __future__ import annotations

import time

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import again, translate

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
        self._text = ""
        self._close = close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(translate("Banner", "Hide this message"))
        close.clicked.connect(self.hide)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._label, stretch=1)
        layout.addWidget(close, alignment=QtCore.Qt.AlignTop)
        self.hide()

    def show_text(self, text: str) -> None:
        self._text = text
        self._label.setText(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.LanguageChange:
            self._close.setToolTip(translate("Banner", "Hide this message"))
            self._text = again(self._text)
            self._label.setText(self._text)
        super().changeEvent(event)

    def text(self) -> str:
        return self._label.text() if self.isVisibleTo(self.parentWidget()) else ""


MESSAGE_LEFT_PX = 6  # where Qt starts a status bar's message
MESSAGE_GAP_PX = 12  # between the message and the progress beside it


class StatusBar(QtWidgets.QStatusBar):
    """The window's status bar: a message shown when the language changes is shown again in the new one.

    It keeps the message as given (a :class:`~convviz.gui.common.i18n.Text` knows how to render itself
    again) and when it would disappear, so the new rendering keeps the time it had left.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._message = ""
        self._until: float | None = None  # time.monotonic() when the message goes; None: it stays

    def showMessage(self, message: str, timeout: int = 0) -> None:
        self._message = message
        self._until = time.monotonic() + timeout / 1000 if timeout > 0 else None
        super().showMessage(message, timeout)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.LanguageChange and self._message and self.currentMessage() == self._message:
            left = None if self._until is None else max(1, round(1000 * (self._until - time.monotonic())))
            self.showMessage(again(self._message), left or 0)
        super().changeEvent(event)

    # Qt draws the message up to 2 px before the first permanent widget and cuts it there: beside the
    # run's progress it read "…5 000 BilderEpoche 1/1…". Drawn here, it ends in "…" a gap before them,
    # and the whole message is the tooltip.
    def message_rect(self) -> QtCore.QRect:
        """Where the message is written: left of the permanent widgets (the only ones shown with it)."""
        right = self.width() - MESSAGE_GAP_PX
        for child in self.children():
            if isinstance(child, QtWidgets.QWidget) and child.isVisible() and not child.isWindow():
                right = min(right, child.x() - MESSAGE_GAP_PX)
        return QtCore.QRect(MESSAGE_LEFT_PX, 0, max(right - MESSAGE_LEFT_PX, 0), self.height())

    def shown_message(self) -> str:
        """The message as it is drawn: whole, or cut short with "…" where there is no room."""
        metrics = self.fontMetrics()
        return metrics.elidedText(self.currentMessage(), QtCore.Qt.ElideRight, self.message_rect().width())

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        message = self.currentMessage()
        if not message:
            super().paintEvent(event)
            return
        painter = QtGui.QPainter(self)
        option = QtWidgets.QStyleOption()
        option.initFrom(self)
        for child in self.children():  # the frames Qt draws around the permanent widgets
            if isinstance(child, QtWidgets.QWidget) and child.isVisible() and not child.isWindow():
                option.rect = child.geometry().adjusted(-1, -1, 1, 1)
                self.style().drawPrimitive(QtWidgets.QStyle.PE_FrameStatusBarItem, option, painter, child)
        painter.setPen(self.palette().windowText().color())
        flags = QtCore.Qt.AlignLeading | QtCore.Qt.AlignVCenter | QtCore.Qt.TextSingleLine
        shown = self.shown_message()
        painter.drawText(self.message_rect(), int(flags), shown)
        tip = message if shown != message else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)


class ElidedLabel(QtWidgets.QLabel):
    """A one-line label that ends in "…" when it is too narrow for its text (the whole text is its tooltip).

    QLabel either cuts a long text off mid-word (Ignored width) or pushes its neighbours off the screen.
    """

    def __init__(self, text: str = "", parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = str(text)
        self.setToolTip(self._full)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, QtCore.Qt.ElideRight, max(self.width(), 1))
        super().setText(shown)


class RunningLine(QtWidgets.QLabel):
    """One line of text that changes several times a second (a run's speed and time left in the status bar).

    QLabel.setText asks the parent to lay out again at every new text; a status bar then repaints itself
    and every widget on it (~10 widget paints, ~3 ms of the GUI thread, 4 times a second while a run
    trains). This label keeps its text on the Python side and paints it itself: it is as wide as its
    widest text so far (the widgets beside it stay put when the digits get narrower), paints its own
    background, and is laid out again only when it has to grow; an empty text makes it narrow again.
    """

    MARGIN_PX = 4  # on each side

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self._text = ""
        self._width = 0
        self.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Preferred)
        self.setAutoFillBackground(True)  # opaque: a new text repaints this line, not the bar under it

    def setText(self, text: str) -> None:
        self._text = str(text)
        width = self._needed_width()
        if width > self._width or not self._text:
            self._width = width
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def _needed_width(self) -> int:
        if not self._text:
            return 0
        return self.fontMetrics().horizontalAdvance(self._text) + 2 * self.MARGIN_PX

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self._width, self.fontMetrics().height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.FontChange:  # zoomed: as wide as the text in the new font
            self._width = self._needed_width()
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setPen(self.palette().color(QtGui.QPalette.WindowText))
        painter.setFont(self.font())
        rect = self.rect().adjusted(self.MARGIN_PX, 0, -self.MARGIN_PX, 0)
        painter.drawText(rect, int(QtCore.Qt.AlignVCenter | QtCore.Qt.AlignLeft), self._text)
