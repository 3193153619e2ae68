"""Where the panels go: tabs on a small screen, all at once on a large one, the pad always in sight.

:class:`PanelArea` arranges the controls column, the loss, filters and
feature-map panels, and the drawing pad with its prediction, in splitters. It
owns no state of the app; the window hands it the widgets.
"""

from __future__ import annotations

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import marked

GRID_MIN_WINDOW = (1880, 950)  # from this window size on (1920x1080), all panels are shown at once
DRAW_COLUMN_PX = 380  # width of the drawing column beside the panels on a large screen
DRAW_MIN_PX = 180  # the drawing canvas may shrink to this on a small screen (1024x768)
DRAW_STRIP_WIDTH = 300  # the pad in the strip: about as wide as it is tall
PANEL_LAYOUTS = ("auto", "tabs", "grid")
PRESENTER_STRIP = 45  # percent of the height for the pad and the prediction in presenter mode
PAD_FRAME_PX = 90  # the pad's title and Clear button above and under its square canvas
COMPACT_BELOW = (1200, 820)  # a window narrower or lower than this (1024x768, 1280x720) is compact


class PanelArea(QtWidgets.QSplitter):
    """Controls on the left; the panels and the pad on the right, arranged by window size.

    Every panel lives in a :class:`FitPage` (it scrolls only below its minimum). A panel added
    ``beside`` another shares that one's place as a second-level tab ("Filters" holds the learned
    kernels and what they want to see): a 1024 px projector has room for four top-level tabs, not seven.
    """

    panel_shown = QtCore.pyqtSignal()  # another panel came to the front (any tab, at any level)

    def __init__(self, controls_column: QtWidgets.QWidget, panels: tuple, drawpad, prediction):
        super().__init__(QtCore.Qt.Horizontal)
        self._panels = panels  # ((title, widget), ...): loss, filters, feature maps
        self._drawpad, self._prediction = drawpad, prediction
        self._mode = "auto"
        self._layout_mode = ""
        self._last_tab = 0
        self._zoom = 1.0
        self._presenter = False
        self._controls_column = controls_column
        self._size_later = QtCore.QTimer(self)  # see update_layout
        self._size_later.setSingleShot(True)
        self._size_later.setInterval(0)
        self._size_later.timeout.connect(self.size_columns)
        self._full: FullPanel | None = None  # the panel shown alone, and what it hid

        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(controls_column)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        scroll.setMinimumWidth(controls_column.minimumSizeHint().width() + 16)
        self._controls_scroll = scroll
        # The settings column: the scroll area, and under it what must stay in sight (set_footer).
        self._left = QtWidgets.QWidget()
        self._left_layout = QtWidgets.QVBoxLayout(self._left)
        self._left_layout.setContentsMargins(0, 0, 0, 0)
        self._left_layout.setSpacing(2)
        self._left_layout.addWidget(scroll, stretch=1)

        self._tabs = self._tab_widget(theme.FONT_PT + 1)
        self._grid_top = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self._grid = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        self._grid.addWidget(self._grid_top)
        # Each panel sits in a page that scrolls: on a small screen a panel that needs more room
        # than there is scrolls, instead of making the window larger than the screen.
        self._pages = {}
        for title, widget in panels:
            self._pages[title] = _scroll_page(widget)
        # Panels added later (add_panel): a tab of their own, or a second-level tab beside another.
        self._extra: list = []  # (title, widget, page) of those with a top-level place
        self._groups: dict = {}  # title of the panel in front -> QTabWidget holding it and those beside it
        self._grid_tabs = self._tab_widget(theme.FONT_PT + 1)
        self._center = QtWidgets.QStackedWidget()
        self._center.addWidget(self._tabs)
        self._center.addWidget(self._grid)

        # The drawing pad and its prediction stay visible whatever the panels show: a column on
        # the right of a large screen, a strip under the panels on a small one.
        drawpad.canvas.setMinimumSize(DRAW_MIN_PX, DRAW_MIN_PX)
        for panel in (drawpad, prediction, *(w for _, w in panels)):
            panel.layout().setContentsMargins(4, 4, 4, 4)  # every pixel counts at 1280x800
        self._draw_area = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        self._draw_area.addWidget(drawpad)
        self._draw_area.addWidget(prediction)
        self._draw_area.setChildrenCollapsible(False)

        self._right = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self._right.addWidget(self._center)
        self._right.addWidget(self._draw_area)
        self._right.setStretchFactor(0, 1)
        self._right.setStretchFactor(1, 0)
        self._right.setChildrenCollapsible(False)

        self.addWidget(self._left)
        self.addWidget(self._right)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self._apply("tabs")

    # ---- public --------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """'grid' shows loss, filters and feature maps at once; 'tabs' one at a time; 'auto' by window size."""
        if mode not in PANEL_LAYOUTS:
            raise ValueError(f"panel layout must be one of {PANEL_LAYOUTS}, got {mode!r}")
        self._mode = mode
        self.update_layout()

    def layout_mode(self) -> str:
        """The layout in use: 'tabs' or 'grid'."""
        return self._layout_mode

    def add_panel(self, title: str, widget: QtWidgets.QWidget, beside: str | None = None) -> None:
        """One more panel, after loss, filters and feature maps, or ``beside`` one of the panels.

        ``title`` is English, marked where it is written with ``QT_TRANSLATE_NOOP("PanelArea", ...)``;
        the tab shows it in the current language. Without ``beside``: tabs mode gives it a tab of its
        own; grid mode keeps loss and filters on top and turns the bottom row into tabs, the feature
        maps first and the added panels beside them. With ``beside`` (a panel's title): it becomes a
        second-level tab of that panel's place, in both modes.
        """
        if widget.layout() is not None:
            widget.layout().setContentsMargins(4, 4, 4, 4)
        page = _scroll_page(widget)
        self._pages[title] = page
        if beside is None:
            self._extra.append((title, widget, page))
        else:
            if beside not in self._pages:
                raise ValueError(f"no panel {beside!r} to put {title!r} beside")
            group = self._groups.get(beside)
            if group is None:
                group = self._groups[beside] = self._tab_widget(theme.FONT_PT)
                group.addTab(self._pages[beside], marked("PanelArea", beside))  # leaves its old place
            group.addTab(page, marked("PanelArea", title))
        mode, self._layout_mode = self._layout_mode, ""
        self._apply(mode or "tabs")  # everything in its place again

    def panel_titles(self) -> list:
        """Every panel's title (English), the three first ones' then the added ones' in the order added."""
        return list(self._pages)

    def show_panel(self, name: str) -> None:
        """Bring a panel ('Loss', 'Filters', 'Feature maps' or an added one's title) to the front."""
        title = next((t for t in self._pages if t.lower() == name.lower()), None)
        if title is None:
            return
        page = self._pages[title]
        for group in self._groups.values():
            if group.indexOf(page) >= 0:
                group.setCurrentWidget(page)
        place = self._place(self._head(title))
        for tabs in (self._tabs, self._grid_tabs):
            if tabs.indexOf(place) >= 0:
                tabs.setCurrentWidget(place)

    def is_panel_visible(self, widget: QtWidgets.QWidget) -> bool:
        """Whether ``widget`` can be seen now (its tab is in front, or the grid shows it)."""
        return widget.isVisible() and not widget.visibleRegion().isEmpty()

    def update_layout(self) -> None:
        mode = self._mode
        window = self.window()
        if mode == "auto":
            # Zoomed in, everything is bigger: the grid needs a correspondingly bigger window.
            min_width, min_height = (self._zoom * size for size in GRID_MIN_WINDOW)
            big = window.width() >= min_width and window.height() >= min_height
            mode = "grid" if big else "tabs"
        self._apply(mode)
        low_width, low_height = (self._zoom * size for size in COMPACT_BELOW)
        # The screen decides too: a window that does not fit yet is as wide as its minimum, not the screen.
        screen = window.screen().availableGeometry() if window.screen() is not None else window.geometry()
        width, height = min(window.width(), screen.width()), min(window.height(), screen.height())
        self._set_compact(mode == "tabs" and (width < low_width or height < low_height))
        self.size_columns()
        # Again once the splitters have their new sizes: the window's resize (or the settings column
        # shown again) reaches them only after this, and shares the change out in proportion.
        self._size_later.start()

    def _set_compact(self, compact: bool) -> None:
        """The smallest screens: a smaller digit and input image, no hint under the pad."""
        self._compact = compact
        self._prediction.set_compact(compact)
        self._drawpad.set_compact(compact)

    def is_compact(self) -> bool:
        return getattr(self, "_compact", False)

    # ---- internals -----------------------------------------------------------------------------
    def _tab_widget(self, point_size: int) -> QtWidgets.QTabWidget:
        tabs = QtWidgets.QTabWidget()
        tabs.setDocumentMode(True)
        tabs.tabBar().setFont(theme.font(point_size, bold=True))
        tabs.currentChanged.connect(lambda _index: self.panel_shown.emit())
        tabs.currentChanged.connect(lambda _index: self._presenter and self._size_later.start())  # its own strip
        tabs.tabBarDoubleClicked.connect(lambda index: self._on_title_double_clicked(tabs, index))
        return tabs

    def _on_title_double_clicked(self, tabs: QtWidgets.QTabWidget, index: int) -> None:
        if self._full is not None:
            self.leave_full_panel()
            return
        place = tabs.widget(index)
        title = next((t for t in self._pages if place in (self._pages[t], self._groups.get(t))), None)
        if title is not None:
            self.show_full_panel(self._front_of(title))

    def _head(self, title: str) -> str:
        """The title of the panel whose place ``title`` shares (itself, when it is beside none)."""
        page = self._pages[title]
        return next((head for head, group in self._groups.items() if group.indexOf(page) >= 0), title)

    def _place(self, title: str) -> QtWidgets.QWidget:
        """What stands for a panel in the tabs or the grid: its page, or the tabs of the panels beside it."""
        return self._groups.get(title, self._pages[title])

    def _apply(self, mode: str) -> None:
        if mode == self._layout_mode:
            return
        self.leave_full_panel()  # the panels move: what was hidden is shown again first
        maps_title = self._panels[2][0]
        places = [self._place(title) for title, _ in self._panels]
        if mode == "grid":
            if self._layout_mode == "tabs":
                self._last_tab = self._tabs.currentIndex()
            self._tabs.clear()  # removes the pages without deleting them
            self._grid_tabs.clear()
            self._grid_top.addWidget(places[0])
            self._grid_top.addWidget(places[1])
            if self._extra:
                self._grid_tabs.addTab(places[2], marked("PanelArea", maps_title))
                for title, _widget, _page in self._extra:
                    self._grid_tabs.addTab(self._place(title), marked("PanelArea", title))
                self._grid.addWidget(self._grid_tabs)
            else:
                self._grid.addWidget(places[2])
            for place in places:
                place.show()
            self._center.setCurrentWidget(self._grid)
            self._drawpad.set_short_hint(False)
            self._right.setOrientation(QtCore.Qt.Horizontal)
            self._draw_area.setOrientation(QtCore.Qt.Vertical)
            self._prediction.set_horizontal(False)
        else:
            self._grid_tabs.clear()
            self._tabs.clear()
            for title, _widget in self._panels:
                self._tabs.addTab(self._place(title), marked("PanelArea", title))
            for title, _widget, _page in self._extra:
                self._tabs.addTab(self._place(title), marked("PanelArea", title))
            self._tabs.setCurrentIndex(min(max(self._last_tab, 0), self._tabs.count() - 1))
            self._center.setCurrentWidget(self._tabs)
            self._drawpad.set_short_hint(True)  # leaves the strip's width to the bar chart
            self._right.setOrientation(QtCore.Qt.Vertical)
            self._draw_area.setOrientation(QtCore.Qt.Horizontal)
            self._prediction.set_horizontal(True)
        self._layout_mode = mode

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.LanguageChange:  # the tabs' titles, in the new language
            for title in self._pages:
                for place in (self._pages[title], self._place(title)):
                    for tabs in (self._tabs, self._grid_tabs, *self._groups.values()):
                        if tabs.indexOf(place) >= 0:
                            tabs.setTabText(tabs.indexOf(place), marked("PanelArea", title))
            # The controls' new words have another width: fit the column once they are written (children
            # get the event after their parent).
            QtCore.QTimer.singleShot(0, self._fit_controls)
        super().changeEvent(event)

    def _fit_controls(self) -> None:
        self.set_zoom(self._zoom, self._presenter)

    def size_columns(self) -> None:
        total = self.width()
        if total <= 0:
            return
        left = self._column_width() if self._left.isVisibleTo(self) else 0
        self.setSizes([left, total - left])
        if self._layout_mode == "grid":
            width = self._right.width()
            column = DRAW_COLUMN_PX
            self._right.setSizes([width - column, column])
            pad = column + 90  # a square canvas under its title, the hint and Clear below
            self._draw_area.setSizes([pad, max(self._draw_area.height() - pad, 1)])
            half = (width - column) // 2
            self._grid_top.setSizes([half, half])
            height = self._grid.height()
            self._grid.setSizes([height * 9 // 20, height - height * 9 // 20])
        else:
            height = self._right.height()
            strip = self._draw_area.minimumSizeHint().height()  # the rest goes to the panels
            pad = self._drawpad.minimumSizeHint().width() if self.is_compact() else DRAW_STRIP_WIDTH
            if self._presenter:  # a pad the class can see drawn on: as large as the panel above allows
                strip = max(strip, min(height * PRESENTER_STRIP // 100, height - self._panel_needs()))
                pad = max(pad, strip - round(PAD_FRAME_PX * self._zoom))
            self._right.setSizes([height - strip, strip])
            self._draw_area.setSizes([pad, max(self._draw_area.width() - pad, 1)])  # compact: the chart gets the rest

    def _column_width(self) -> int:
        """The settings column's width: the scroll area's minimum, or the footer's where it is wider."""
        footer = self._left_layout.itemAt(1)
        wider = footer.widget().minimumSizeHint().width() if footer is not None else 0
        return max(self._controls_scroll.minimumWidth(), wider)

    def set_footer(self, widget: QtWidgets.QWidget) -> None:
        """``widget`` under the settings column's scroll area: always in sight, never scrolled away."""
        widget.setContentsMargins(5, 5, 5, 5)  # room for the focus ring around its buttons (it is clipped here)
        self._left_layout.addWidget(widget)
        self.size_columns()

    def _panel_needs(self) -> int:
        """The height the panel in front needs above the strip (its tab bars and its minimum)."""
        needs = 0
        for page in self._center.findChildren(FitPage):
            widget = page.widget()
            if page.isVisible() and widget is not None:
                top = page.mapTo(self._center, QtCore.QPoint(0, 0)).y()
                needs = max(needs, top + widget.minimumSizeHint().height())
        return needs

    def set_zoom(self, factor: float, presenter: bool = False) -> None:
        """The app's zoom changed: the controls column takes its new width, the layout is chosen again.

        In presenter mode the settings column is hidden: the room goes to the panels a class looks at
        (Space, F5 and the menus still work).
        """
        self._zoom = float(factor)
        self._presenter = bool(presenter)
        self._left.setVisible(not presenter and self._full is None)
        self._controls_column.adjustSize()
        self._controls_scroll.setMinimumWidth(
            self._controls_column.minimumSizeHint().width() + 16
        )  # wrapped texts wrap more
        self.update_layout()

    # ---- one panel alone ------------------------------------------------------------------------
    def show_full_panel(self, name: str | None = None) -> bool:
        """Show one panel alone in the window: no settings, no pad, no other panel, no tab bars.

        ``name`` is a panel's title; None: the panel under the mouse, else the one holding the focus,
        else the one in front. :meth:`leave_full_panel` (Esc) puts everything back as it was: the
        widgets hidden here are shown again and every splitter gets its sizes back. Returns whether a
        panel is shown alone.
        """
        title = self._title_of(name) if name is not None else self._panel_at_hand()
        if title is None:
            return False
        self.leave_full_panel()
        full = FullPanel(title)
        full.fronts = [(tabs, tabs.currentIndex()) for tabs in self.findChildren(QtWidgets.QTabWidget)]
        self.show_panel(title)
        page = self._pages[title]
        full.sizes = [(s, s.sizes()) for s in self.findChildren(QtWidgets.QSplitter)] + [(self, self.sizes())]
        widget = page
        while widget is not None and widget is not self:
            parent = widget.parentWidget()
            if isinstance(parent, QtWidgets.QSplitter):
                for i in range(parent.count()):
                    other = parent.widget(i)
                    if other is not widget and other.isVisibleTo(parent):
                        other.hide()
                        full.hidden.append(other)
            elif isinstance(parent, QtWidgets.QStackedWidget) and isinstance(
                parent.parentWidget(), QtWidgets.QTabWidget
            ):
                bar = parent.parentWidget().tabBar()  # a tab widget's pages sit in its own stacked widget
                if bar.isVisibleTo(parent.parentWidget()):
                    bar.hide()
                    full.hidden.append(bar)
            widget = parent
        self._full = full
        self.panel_shown.emit()
        return True

    def leave_full_panel(self) -> bool:
        """Back from :meth:`show_full_panel`: returns whether a panel was shown alone."""
        full, self._full = self._full, None
        if full is None:
            return False
        for widget in full.hidden:
            widget.show()
        for tabs, index in full.fronts:  # the tabs that were in front (the panel's may have been behind one)
            tabs.setCurrentIndex(index)
        self._left.setVisible(not self._presenter)
        for splitter, sizes in full.sizes:
            splitter.setSizes(sizes)
        self.panel_shown.emit()
        self._size_later.start()
        return True

    def full_panel(self) -> str | None:
        """The title of the panel shown alone, or None."""
        return None if self._full is None else self._full.title

    def _title_of(self, name: str) -> str | None:
        return next((t for t in self._pages if t.lower() == name.lower()), None)

    def _front_of(self, title: str) -> str:
        """The panel in front in ``title``'s place (its second-level tab chosen there)."""
        group = self._groups.get(title)
        current = group.currentWidget() if group is not None else None
        return next((t for t, page in self._pages.items() if page is current), title)

    def _panel_at_hand(self) -> str | None:
        """The panel under the mouse, else the one holding the focus, else the one in front."""
        app = QtWidgets.QApplication.instance()
        for widget in (app.widgetAt(QtGui.QCursor.pos()), app.focusWidget()):
            while widget is not None:
                title = next((t for t, page in self._pages.items() if page is widget), None)
                if title is not None:
                    return title
                widget = widget.parentWidget()
        visible = [t for t, page in self._pages.items() if page.isVisible() and not page.visibleRegion().isEmpty()]
        return visible[0] if visible else None

    @property
    def controls_scroll(self) -> QtWidgets.QScrollArea:
        """The settings column (in its scroll area): hidden in presenter mode."""
        return self._controls_scroll

    @property
    def tabs(self) -> QtWidgets.QTabWidget:
        return self._tabs

    @property
    def grid_tabs(self) -> QtWidgets.QTabWidget:
        """The grid's bottom row once panels were added: the feature maps and the added panels."""
        return self._grid_tabs


class FullPanel:
    """A panel shown alone: its title, the widgets hidden for it and every splitter's sizes before."""

    def __init__(self, title: str):
        self.title = title
        self.hidden: list = []
        self.sizes: list = []
        self.fronts: list = []


class FitPage(QtWidgets.QScrollArea):
    """A tab's page: the panel fills it, and scrolls only where the page is below the panel's minimum.

    A plain ``QScrollArea`` with ``widgetResizable`` gives a panel whose layout has height-for-width
    (any word-wrapped label) its *preferred* height for the width: a loss plot that prefers 480 px
    then scrolled on a 400 px page of a 1024x768 projector, half its axis titles out of sight. Here
    the panel gets the page's size, or its minimum (for that width) where the page is smaller.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(False)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.viewport().installEventFilter(self)

    def setWidget(self, widget: QtWidgets.QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)
        self._fit()

    def takeWidget(self) -> QtWidgets.QWidget:
        widget = super().takeWidget()
        if widget is not None:
            widget.removeEventFilter(self)
        return widget

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.viewport() and event.type() == QtCore.QEvent.Resize:
            self._fit()
        elif watched is self.widget() and event.type() == QtCore.QEvent.LayoutRequest:
            self._fit()
            QtCore.QTimer.singleShot(0, self._fit)  # again once the layout has taken in the change
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        # The room without scroll bars: a bar appears only when the minimum does not fit.
        room = self.maximumViewportSize()
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        width = max(room.width(), hint.width())
        height = hint.height()
        layout = widget.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, layout.minimumHeightForWidth(width))
        if height > room.height():  # a vertical bar takes part of the width; narrower, texts wrap more
            width = max(room.width() - self.verticalScrollBar().sizeHint().width(), hint.width())
            if layout is not None and layout.hasHeightForWidth():
                height = max(height, layout.minimumHeightForWidth(width))
        size = QtCore.QSize(width, max(room.height(), height))
        if widget.size() != size:
            widget.resize(size)


def _scroll_page(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """A panel's page: a panel that needs more room than the screen has scrolls instead of growing the window."""
    page = FitPage()
    page.setWidget(widget)
    return page
