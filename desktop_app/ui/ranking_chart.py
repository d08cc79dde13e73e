"""The ranking chart: each option's total value as bars stacked by criterion, coloured by branch.

Created once per loaded workbook; a slider move only replaces the bars' data, which is what
keeps a re-score plus redraw well inside the 50 ms budget.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics

from desktop_app.ui import palette
from desktop_app.ui.charts import (
    cache_static_parts,
    point_font,
    tick_font,
    two_lines,
)
from desktop_app.ui.flow_key import ColourKey
from desktop_app.ui.state import AppState

BAR_HEIGHT = 0.62


class RankingChart(pg.GraphicsLayoutWidget):
    """Horizontal stacked bars of weighted value by criterion, best option on top."""

    def __init__(self) -> None:
        super().__init__()
        self.setBackground("w")
        self.setAccessibleName("Ranking: weighted value by criterion for each option")
        self.setMinimumHeight(180)  # six bars and the axis; the tabs below keep room at 768 px
        self.plot = pg.PlotItem()
        self.plot.setTitle("Ranking: total value by weighted criterion", color=palette.INK,
                           size="10pt", bold=True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=True, y=False, alpha=0.18)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen("#505a5f"))
            axis.setTextPen(pg.mkPen(palette.INK))
            axis.setTickFont(tick_font())
        self.plot.setLabel("bottom", "Total value (0-100)", color=palette.INK, **{"font-size": "9pt"})
        self.plot.getAxis("left").setWidth(120)  # widened to the names by _name_ticks
        cache_static_parts(self.plot)
        self.addItem(self.plot, 0, 0)
        #: The criteria's colours, as widgets that flow onto as many rows as the width needs
        #: (the view puts it under the chart): every criterion shows at any window size.
        self.key = ColourKey("Criterion colours")
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.totals_text: list[pg.TextItem] = []
        self._key: tuple = ()
        self._ticks: list[tuple[float, str]] = []
        self._name_limit = 32
        self._top = 0.0
        self.order: list[str] = []

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        state = getattr(self, "_last_state", None)
        if state is not None:
            self._ticks = []  # relabel with names that fit the new width
            QTimer.singleShot(0, self, lambda: self.update_from(state))

    def _name_ticks(self, ticks: list[tuple[float, str]]) -> list[tuple[float, str]]:
        """Option names in a column as wide as the longest needs, up to 40% of the chart;
        a longer name takes two lines when the rows have room, and only then ends in "…"."""
        fm = QFontMetrics(tick_font())
        widest = max((fm.horizontalAdvance(t) for _y, t in ticks), default=80)
        # The title spans the bars' column only: a name column wider than the chart less the
        # title pushed the plot past its widget (the totals cut off at 1024x768).
        title = self.plot.titleLabel.item.boundingRect().width()
        room = min(int(self.width() * 0.4), int(self.width() - title - 40))
        width = int(min(max(120, room), widest + 14))
        axis = self.plot.getAxis("left")
        if abs(axis.width() - width) > 1:
            axis.setWidth(width)
            # lay the plot out in the view again now, not at the next resize (else it keeps
            # the wider size the old column forced, its right edge and the totals cut off)
            # (deferred: the layout's minimum is brought up to date after this returns)
            QTimer.singleShot(0, self, lambda: self.ci.setGeometry(self.range))
        rows = self.plot.getViewBox().height() / max(len(ticks), 1)
        if rows >= 2 * fm.lineSpacing():
            return [(y, two_lines(t, fm, width - 14)) for y, t in ticks]
        return [(y, fm.elidedText(t, Qt.TextElideMode.ElideRight, width - 14)) for y, t in ticks]

    def _build(self, criteria: list[str], names: dict[str, str], options: list[str],
               groups: dict[str, str] | None = None, branch_order: list[str] | None = None) -> None:
        for item in (*self.bars.values(), *self.totals_text):
            self.plot.removeItem(item)
        self.bars = {}
        # coloured by value-tree branch, shades within it (the weights panel's swatches)
        colours = palette.criterion_colours([(groups or {}).get(c, "") for c in criteria], branch_order)
        for i, cid in enumerate(criteria):
            colour = colours[i]
            bar = pg.BarGraphItem(x0=np.zeros(len(options)), y=np.arange(len(options)), height=BAR_HEIGHT,
                                  width=np.zeros(len(options)), brush=pg.mkBrush(colour),
                                  pen=pg.mkPen("#ffffff", width=1))
            self.plot.addItem(bar)
            self.bars[cid] = bar
        # whole names: never "Threat covered within 20 mi…"
        self.key.set_entries([(names.get(cid, cid), colours[i]) for i, cid in enumerate(criteria)])
        self.totals_text = []
        for _ in options:
            t = pg.TextItem(anchor=(0, 0.5), color=palette.INK)
            t.setFont(point_font(9, True))
            self.plot.addItem(t)
            self.totals_text.append(t)
        self.plot.setYRange(-0.6, len(options) - 0.4, padding=0)
        self.plot.setXRange(0, 100, padding=0.0)

    def update_from(self, state: AppState) -> None:
        app = state.appraisal
        if app is None:
            return
        self._last_state = state
        criteria = list(app.weighted.columns)
        options = list(app.totals.index)
        key = (tuple(criteria), tuple(options))
        if key != self._key:
            self._build(criteria, state.criterion_names(), options, app.groups, list(app.group_weights))
            self._key = key
        order = list(app.totals.sort_values(ascending=False, kind="stable").index)
        self.order = order
        n = len(order)
        y = np.arange(n)[::-1].astype(float)  # best at the top
        weighted = app.weighted.loc[order].to_numpy(float)
        weighted = np.nan_to_num(weighted, nan=0.0)
        left = np.zeros(n)
        for j, cid in enumerate(criteria):
            self.bars[cid].setOpts(x0=left.copy(), y=y, width=weighted[:, j], height=BAR_HEIGHT)
            left += weighted[:, j]
        names = state.option_names()
        ranks = app.ranks
        ticks = self._name_ticks([(float(y[k]), f"{int(ranks[o])}.  {names.get(o, o)}") for k, o in enumerate(order)])
        if ticks != self._ticks:  # re-rendering tick labels is the dear part; skip when unchanged
            self.plot.getAxis("left").setTicks([ticks])
            self._ticks = ticks
        totals = app.totals.loc[order].to_numpy(float)
        for k, t in enumerate(self.totals_text):
            t.setText(f"{totals[k]:.1f}")
            t.setPos(totals[k] + 0.8, y[k])
        # Round the axis end up to the next 10 above the best total (plus room for its
        # label), so the scale holds still while a slider moves within a band.
        # room right of the longest bar for its total ("63.3" is about 35 px): 15% of the
        # bar plus 4 points, so at 1024 px the label is not cut at the chart's edge
        top = min(115.0, math.ceil((float(totals.max()) * 1.15 + 4) / 10) * 10) if n else 100.0
        if top != self._top:
            self.plot.setXRange(0, top, padding=0)
            self._top = top
