"""Two rows of chart tabs when the page has room for both, one row of all the tabs when not.

The Coverage view shows the response-time charts above the week's charts. On a
1366x768 laptop (the screen most officers have) both rows at their least readable
height need more than the page has, so the whole page scrolled and the week's charts
showed only their tops. Rather than a page that scrolls, the charts then share one row
of tabs, each chart at a readable height; a taller window gets both rows back. Which
chart is shown survives the change, and a row too narrow for the tabs' full names uses
their short ones (the full name is the tab's tooltip), so no tab hides behind arrows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLayout, QSplitter, QTabWidget, QVBoxLayout, QWidget


@dataclass(frozen=True)
class ChartPage:
    """One chart's tab: the chart, its tab's name, and a shorter name for a narrow row."""

    widget: QWidget
    title: str
    short: str


def tabs_width(tabs: QTabWidget) -> int:
    """The width ``tabs``' bar needs for every tab as it reads now."""
    bar = tabs.tabBar()
    return sum(bar.tabSizeHint(i).width() for i in range(tabs.count()))


def fit_tab_titles(tabs: QTabWidget, titles: Sequence[tuple[str, str]], width: int) -> bool:
    """Give ``tabs`` their full ``titles`` (full, short) if the bar holds them in ``width``
    pixels, else the short ones; True when what is shown fits (no tab behind the arrows)."""
    for short in (False, True):
        for i, (full, brief) in enumerate(titles):
            if tabs.tabText(i) != (text := brief if short else full):  # each change lays the bar out again
                tabs.setTabText(i, text)
        if tabs_width(tabs) <= width:
            return True
    return False


def _tabs() -> QTabWidget:
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    return tabs


class ChartTabs(QWidget):
    """The ``upper`` and ``lower`` pages as two rows of tabs in a splitter, or all in the top row.

    Its minimum height is one row's, so the page around it never scrolls for the charts;
    it shows both rows whenever its height holds both at their minimum.
    """

    #: The page shown changed (a tab clicked, or the rows merged or split).
    current_changed = Signal()

    def __init__(self, upper: Sequence[ChartPage], lower: Sequence[ChartPage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._upper_pages, self._lower_pages = list(upper), list(lower)
        self.top_row, self.bottom_row = _tabs(), _tabs()
        self._add(self.top_row, self._upper_pages)
        self._add(self.bottom_row, self._lower_pages)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.top_row)
        self.split.addWidget(self.bottom_row)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)
        # The layout would set this widget's minimum to both rows'; minimumSizeHint says one.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._one_row = False
        self._upper_shown, self._lower_shown = self.top_row.currentWidget(), self.bottom_row.currentWidget()
        self.top_row.currentChanged.connect(self._changed)
        self.bottom_row.currentChanged.connect(self._changed)

    @staticmethod
    def _add(tabs: QTabWidget, pages: Sequence[ChartPage]) -> None:
        """Put ``pages`` in ``tabs`` (a page in another row moves, with its tab)."""
        for page in pages:
            tabs.setTabToolTip(tabs.addTab(page.widget, page.title), page.title)

    # ------------------------------------------------------------------ queries
    @property
    def one_row(self) -> bool:
        """True when every chart shares the upper row of tabs."""
        return self._one_row

    def is_current(self, widget: QWidget) -> bool:
        """Whether ``widget`` is the page its row shows (so is on screen when the view is)."""
        return widget in (self.top_row.currentWidget(), None if self._one_row else self.bottom_row.currentWidget())

    def show_page(self, widget: QWidget) -> None:
        """Bring ``widget``'s tab to the front, in whichever row holds it."""
        for tabs in (self.top_row, self.bottom_row):
            if tabs.indexOf(widget) >= 0:
                tabs.setCurrentWidget(widget)
                return
        raise ValueError("not a page of these tabs")

    def _row_height(self, pages: Sequence[ChartPage]) -> int:
        """The least height of a row of tabs holding ``pages``: its tab bar and its tallest
        page's minimum (measured each time: the app's font sets both)."""
        bar = self.top_row.tabBar().sizeHint().height()
        return bar + max(max(p.widget.minimumSizeHint().height(), p.widget.minimumHeight()) for p in pages)

    def both_rows_height(self) -> int:
        """The least height that shows both rows, one above the other."""
        return (self._row_height(self._upper_pages) + self._row_height(self._lower_pages)
                + self.split.handleWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = self.split.minimumSizeHint().width()
        return QSize(width, self._row_height(self._upper_pages + self._lower_pages))

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.set_one_row(event.size().height() < self.both_rows_height())
        self._fit_titles(event.size().width())
        super().resizeEvent(event)

    def _fit_titles(self, width: int) -> None:
        """Full tab names where the row holds them, short ones where it does not."""
        pages = {id(p.widget): p for p in self._upper_pages + self._lower_pages}
        for tabs in (self.top_row, self.bottom_row):
            shown = [pages[id(tabs.widget(i))] for i in range(tabs.count())]
            fit_tab_titles(tabs, [(p.title, p.short) for p in shown], width)

    def set_one_row(self, one_row: bool) -> None:
        """Merge the rows into one (True) or split them again, keeping the page on show."""
        if one_row == self._one_row:
            return
        for tabs in (self.top_row, self.bottom_row):
            tabs.blockSignals(True)
        try:
            if one_row:
                self._upper_shown, self._lower_shown = self.top_row.currentWidget(), self.bottom_row.currentWidget()
                self._add(self.top_row, self._lower_pages)
                self.top_row.setCurrentWidget(self._upper_shown)
                self.bottom_row.hide()
            else:
                shown = self.top_row.currentWidget()
                self._add(self.bottom_row, self._lower_pages)
                if any(shown is p.widget for p in self._lower_pages):
                    self.bottom_row.setCurrentWidget(shown)  # a week chart was in front: it stays in front
                    self.top_row.setCurrentWidget(self._upper_shown)
                else:
                    self.bottom_row.setCurrentWidget(self._lower_shown)
                self.bottom_row.show()
        finally:
            for tabs in (self.top_row, self.bottom_row):
                tabs.blockSignals(False)
        self._one_row = one_row
        self._fit_titles(self.width())
        self.current_changed.emit()

    def _changed(self, _index: int) -> None:
        self.current_changed.emit()
