"""A view's page in the main window: the view, or a sentence saying why it is empty.

Its own module because it is one idea the window uses for every view: fill the page,
scroll only below the view's minimum size, and show the empty-state sentence (e.g.
"the workbook has validation errors: see the Data view") in place of a stale figure.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QWidget


def minimum_height_at(widget: QWidget | None, width: int) -> int | None:
    """The least height ``widget``'s layout needs at ``width``: its word-wrapped labels'
    lines at that width plus every other part's minimum (None: no height-for-width layout).

    ``minimumSizeHint`` sizes a wrapped label for a width of its own choosing, which at
    1024 pixels gave the Coverage view less than its charts' minimum.
    """
    layout = widget.layout() if widget is not None else None
    if layout is None or not layout.hasHeightForWidth():
        return None
    return max(0, layout.totalMinimumHeightForWidth(width))


class WrappedMinimum(QObject):
    """Keeps ``widget``'s minimum height at what its layout needs at its present width.

    A widget holding word-wrapped labels inside a splitter reports a minimum for a width
    of Qt's choosing, not its own; narrower than that, the labels take more lines than
    allowed for and squeeze the charts below them past their minimum (at 1024 pixels the
    Coverage view's response chart lost its axis). Re-measured on every resize; the
    page then scrolls rather than clip (:class:`ViewPage`).
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            need = minimum_height_at(self.widget, self.widget.width())
            if need is not None and need != self.widget.minimumHeight():
                self.widget.setMinimumHeight(need)
        return False


class ViewPage(QScrollArea):
    """A view's tab page: the view fills the page, and scrolls only below its minimum size.

    ``QScrollArea.setWidgetResizable`` sizes a view with word-wrapped labels to its
    preferred height (height-for-width), which would make every chart page scroll on
    a 768-pixel screen; this fills the viewport and falls back to the minimum size.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.view = widget
        # The view, or in its place a sentence saying why there is nothing to show.
        self.empty = QLabel("")
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("Nothing to show")
        self.stack = QStackedWidget()
        self.stack.addWidget(widget)
        self.stack.addWidget(self.empty)
        self.setWidget(self.stack)
        self.stack.installEventFilter(self)

    def set_empty(self, reason: str | None) -> None:
        """Show ``reason`` instead of the view (None: show the view)."""
        self.empty.setText(reason or "")
        self.stack.setCurrentWidget(self.view if reason is None else self.empty)

    def empty_reason(self) -> str | None:
        return self.empty.text() if self.stack.currentWidget() is self.empty else None

    def fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        size = self.viewport().size()
        width = max(size.width(), hint.width())
        # the shown view's wrapped labels at this width: else it drew its charts without axes
        widget.resize(width, max(size.height(), hint.height(), minimum_height_at(self.stack.currentWidget(), width) or 0))

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.fit()

    def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return False
