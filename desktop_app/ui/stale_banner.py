"""The bar that says the re-runs on screen are out of date, and the figures dimmed under it.

The Scenarios and Parameter sensitivity views show re-runs made under the weights of
the moment they ran (ui/rerun_state.py). When the room has moved a weight or edited a
judgement since, their figures are under weights nobody now holds. A facilitator's
review found the one sentence saying so at the end of a grey paragraph, easy to miss on
a projector while the table still said "The top option stays ...". The bar is amber,
at the top of the view, with the re-run button in it, and the figures beneath are dimmed
until they are re-run (docs/user-guide.md#9a-value-functions-scenarios-inputs-and-equality).
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from desktop_app.ui import palette
from desktop_app.ui.rerun_state import STALE_NOTE

#: How far the out-of-date figures are dimmed: still legible, plainly not current.
DIMMED_OPACITY = 0.4


class StaleBanner(QFrame):
    """An amber "out of date" bar with a re-run button; hidden while the figures are current."""

    def __init__(self, rerun: Callable[[], object], dims: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staleBanner")
        self.setStyleSheet(f"QFrame#staleBanner {{ background: #fff7e6; border: 2px solid {palette.WARNING}; "
                           "border-radius: 4px; }")
        self.message = QLabel(f"<b>Out of date.</b> {STALE_NOTE}")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {palette.INK}; background: transparent;")
        self.message.setAccessibleName("These figures are out of date")
        self.button = QPushButton("Re-run now")
        self.button.setToolTip("Re-run under the weights, judgement edits and value functions now on screen")
        self.button.clicked.connect(lambda _c=False: rerun())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        self._dims = dims
        self._dimmed = False
        self.setVisible(False)

    def place_above(self, view: QWidget, summary: QWidget) -> None:
        """Put the bar in ``view``'s layout just above ``summary`` (under the controls)."""
        layout = view.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(max(0, layout.indexOf(summary)), self)

    def set_stale(self, stale: bool) -> None:
        """Show the bar and dim the figures when ``stale``; hide it and undim them when not."""
        self.setVisible(stale)
        if stale == self._dimmed:
            return
        self._dimmed = stale
        # Each kind dimmed its own way: an opacity effect over a widget with children (a
        # table's headers, its scroll bars) repainted them garbled under Qt's raster engine.
        for table in self._dims.findChildren(QAbstractItemView):
            table.setStyleSheet(f"color: {palette.MUTED_INK};" if stale else "")
        for label in self._dims.findChildren(QLabel):
            label.setStyleSheet(f"color: {palette.MUTED_INK};" if stale else "")
        for chart in self._dims.findChildren(pg.PlotWidget):
            chart.getPlotItem().setOpacity(DIMMED_OPACITY if stale else 1.0)

    @property
    def dimmed(self) -> bool:
        """True while the figures beneath are dimmed."""
        return self._dimmed
