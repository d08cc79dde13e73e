"""The main window's row of view tabs, every tab in sight down to the window's least width.

With eleven views at the stylesheet's 22 px either side of each name, the row needs
1339 px: at 1024 px (a facilitator's projector) Inputs, Equality and Simulation sat
behind two small scroll arrows, and a room would not know the Simulation was there.
Where the row is narrower than the tabs need, they first lose padding (7 px a side:
the full names fit at 1024 px), then take the short names the views were added with
(as the Coverage view's chart tabs do, :func:`desktop_app.ui.chart_tabs.fit_tab_titles`);
each tab's tooltip keeps its full name. A wide window gets the roomy tabs back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop_app.ui.chart_tabs import fit_tab_titles, tabs_width

#: The tab bar's dynamic property the stylesheet reads (resources/style.qss): "narrow"
#: for the tighter padding.
FIT_PROPERTY = "fit"


class ViewTabs(QTabWidget):
    """A QTabWidget whose tabs tighten, then shorten their names, to fit its width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Each tab's (full name, short name), in tab order.
        self._titles: list[tuple[str, str]] = []
        #: The width the roomy tabs with their full names need (measured once, not at every
        #: resize: measuring means polishing the bar again, twice).
        self._roomy_width: int | None = None

    def add_view_tab(self, page: QWidget, title: str, short: str = "") -> int:
        """Add ``page`` as a tab called ``title`` (``short`` where the row is narrow)."""
        self._titles.append((title, short or title))
        index = self.addTab(page, title)
        self._roomy_width = None
        self.fit_tabs()
        return index

    def full_title(self, index: int) -> str:
        """The tab's full name, whichever name it shows."""
        return self._titles[index][0]

    @property
    def narrow(self) -> bool:
        """Whether the tabs have the tighter padding."""
        return self.tabBar().property(FIT_PROPERTY) == "narrow"

    def _set_narrow(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        bar = self.tabBar()
        bar.setProperty(FIT_PROPERTY, "narrow" if narrow else "")
        # a dynamic property's selector applies once the widget is polished again
        bar.style().unpolish(bar)
        bar.style().polish(bar)
        bar.updateGeometry()

    def fit_tabs(self, width: int | None = None) -> None:
        """The roomiest tabs that fit ``width`` (the widget's own by default)."""
        width = self.width() if width is None else width
        titles = self._titles[: self.count()]
        if self._roomy_width is None:
            self._set_narrow(False)
            self._set_titles([full for full, _short in titles])
            self._roomy_width = tabs_width(self)
        if self._roomy_width <= width:
            self._set_narrow(False)
            self._set_titles([full for full, _short in titles])
            return
        self._set_narrow(True)
        fit_tab_titles(self, titles, width)

    def _set_titles(self, texts: list[str]) -> None:
        for i, text in enumerate(texts):
            if self.tabText(i) != text:
                self.setTabText(i, text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._roomy_width = None  # the names' widths change with the font
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self.fit_tabs(event.size().width())
        super().resizeEvent(event)
