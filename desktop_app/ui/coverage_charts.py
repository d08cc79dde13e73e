"""The Coverage view's line charts: response-time distributions and cover through the week.

- :class:`DistributionChart`: every option's share of residents reached within m
  minutes, allowing for busy units or if every unit were free, as the view's switch
  says (the all-free curve is the one the summary workbook's Coverage chart draws).
- :class:`BusyFreeChart`: the chosen option's distribution allowing for busy units
  (the first *free* unit's arrival) against the same if every unit were free; the
  shaded gap between them is the cover that assumes units which are in fact busy
  (issue 13: "so a user sees how much of the cover is real").
- :class:`WeekLinesChart`: each option's cover in every hour of the week.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.core.coverage.series import FirstFreeCurves, cumulative_share
from desktop_app.core.coverage.units import DAY_SHORT
from desktop_app.core.results import CoverageResult
from desktop_app.core.shown import difference, percent
from desktop_app.ui import palette
from desktop_app.ui.charts import make_plot, pen
from desktop_app.ui.coverage_values import ALL_DAY

#: Right edge of the distribution charts, minutes.
DIST_MAX_MINUTES = 90.0
DIST_POINTS = 361
GRID = np.linspace(0.0, DIST_MAX_MINUTES, DIST_POINTS)


def _target_line() -> pg.InfiniteLine:
    return pg.InfiniteLine(angle=90, pen=pen(palette.MUTED_INK, 1.2, Qt.PenStyle.DashLine), label="target",
                           labelOpts={"position": 0.22, "color": palette.MUTED_INK, "anchors": [(0, 0), (0, 0)]})


def _percent_axes(plot: pg.PlotWidget) -> None:
    plot.getPlotItem().showGrid(x=True, y=True, alpha=0.18)
    plot.setYRange(0, 100, padding=0.02)
    plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
    plot.setXRange(0, DIST_MAX_MINUTES, padding=0)


class DistributionChart:
    """Every option's all-free response-time distribution; the chosen one drawn bold."""

    def __init__(self) -> None:
        self.plot = make_plot(
            "Response-time distribution", left="Population reached (%)", bottom="Response time (minutes)",
            accessible_name="Cumulative share of population reached against minutes, one line per option")
        _percent_axes(self.plot)
        self.target = _target_line()
        self.plot.addItem(self.target)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._week: dict[str, np.ndarray] = {}
        #: Per option, the curve of each hour class (C, G): an hour's curve is its class's row.
        self._classes: dict[str, np.ndarray] = {}

    def clear(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves, self._week, self._classes = {}, {}, {}

    def load(self, cov: CoverageResult, population: np.ndarray, names: dict[str, str]) -> None:
        """Each option's curve per hour class, and the week's as their hour-weighted mean.

        Every area-hour weighs its population alike (as :func:`cumulative_share` over the
        168 hours does), so the week is sum over classes of hours_c x curve_c / 168: one
        curve per class instead of one over 168 x 35,672 area-hours (4 s nationally).
        """
        self.clear()
        self.cov = cov
        self.target.setValue(float(cov.target_minutes))
        self.target.label.setFormat(f"target {cov.target_minutes:g} min")
        for i, oid in enumerate(cov.option_ids):
            oc = cov.options[oid]
            per_class = np.array([cumulative_share(oc.class_response[:, c], population, GRID)
                                  for c in range(oc.class_response.shape[1])])
            if oc.hour_class is None:  # columns already are hours
                hours = np.ones(per_class.shape[0])
            else:
                hours = np.bincount(oc.hour_class, minlength=per_class.shape[0]).astype(float)
            self._classes[oid] = per_class
            self._week[oid] = hours @ per_class / hours.sum()
            self.curves[oid] = self.plot.plot(GRID, 100 * self._week[oid], pen=pen(palette.option_colour(i), 2),
                                              name=names.get(oid, oid))

    def share(self, oid: str, hour: int) -> np.ndarray:
        """The option's curve over the week (ALL_DAY) or in hour ``hour`` of the week."""
        if hour == ALL_DAY:
            return self._week[oid]
        hour_class = self.cov.options[oid].hour_class
        return self._classes[oid][hour if hour_class is None else int(hour_class[hour])]

    def show(self, chosen: str, hour: int, busy: Callable[[str], np.ndarray] | None = None,
             what: str = "Response if every unit were free") -> None:
        """Draw every option's curve in ``hour`` (or the week), the chosen one bold.

        ``busy`` gives an option's curve allowing for busy units (on :data:`GRID`) to draw
        instead of the all-free one, so the chart shows what the view's switch and summary
        say; ``what`` is then the title's words for it.
        """
        for i, (oid, curve) in enumerate(self.curves.items()):
            curve.setPen(pen(palette.option_colour(i), 3.2 if oid == chosen else 1.6))
            curve.setZValue(2 if oid == chosen else 1)
            curve.setData(GRID, 100 * (self.share(oid, hour) if busy is None else busy(oid)))
        when = "the whole week" if hour == ALL_DAY else f"{DAY_SHORT[hour // 24]} {hour % 24:02d}:00"
        self.plot.setTitle(f"{what} ({when})", color=palette.INK, size="10pt", bold=True)


class BusyFreeChart:
    """The chosen option: reached allowing for busy units against if every unit were free."""

    def __init__(self) -> None:
        self.plot = make_plot(
            "Allowing for busy units against every unit free", left="Reached (%)", bottom="Response time (minutes)",
            accessible_name="Share of population reached within each minute, allowing for busy units and if every unit were free")
        _percent_axes(self.plot)
        # As every chart (charts.make_plot): at 120 the plot had 60 pixels at 1366x768 and its
        # ticks ran together; the page scrolls a little instead (view_page.ViewPage.fit).
        self.plot.setMinimumHeight(160)
        self.target = _target_line()
        self.plot.addItem(self.target)
        # Grey, not black: the sixth option's colour is black, and a black dashed line read
        # as that option (the Hybrid) in the key above the charts.
        self.free = self.plot.plot(GRID, np.zeros_like(GRID), pen=pen(palette.MUTED_INK, 2.0, Qt.PenStyle.DashLine),
                                   name="if every unit were free")
        self.busy = self.plot.plot(GRID, np.zeros_like(GRID), pen=pen(palette.ACCENT, 3.0), name="allowing for busy units")
        self.gap = pg.FillBetweenItem(self.free, self.busy, brush=pg.mkBrush(29, 112, 184, 45))
        self.plot.addItem(self.gap)
        # The key and the figures at the target, under the chart (inside it they hid a curve).
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setAccessibleName("Cover at the target allowing for busy units and if every unit were free")
        self.widget = QWidget()
        box = QVBoxLayout(self.widget)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.plot, 1)
        box.addWidget(self.caption)
        # The plot's minimum and the caption's three lines (at 1024 pixels it wraps to three): a
        # wrapped label's height is not in its minimum, and the tab squeezed the caption over
        # the plot's axis title.
        self.widget.setMinimumHeight(self.plot.minimumHeight() + 3 * self.caption.fontMetrics().lineSpacing() + 6)
        self.shown: tuple[np.ndarray, np.ndarray] | None = None

    def set_target(self, target: float) -> None:
        self.target.setValue(float(target))
        self.target.label.setFormat(f"target {target:g} min")
        self.target_minutes = float(target)

    def show(self, curves: FirstFreeCurves | None, colour: str, name: str, hour: int) -> None:
        if curves is None:
            self.busy.setData(GRID, np.zeros_like(GRID))
            self.free.setData(GRID, np.zeros_like(GRID))
            self.caption.setText("")
            self.shown = None
            return
        busy, free = curves.week() if hour == ALL_DAY else curves.at_hour(hour)
        self.shown = (busy, free)
        self.busy.setData(GRID, 100 * busy)
        self.free.setData(GRID, 100 * free)
        self.busy.setPen(pen(colour, 3.0))
        self.gap.setBrush(pg.mkBrush(pg.mkColor(colour).red(), pg.mkColor(colour).green(), pg.mkColor(colour).blue(), 50))
        at = int(np.searchsorted(GRID, self.target_minutes, side="left"))
        at = min(at, GRID.size - 1)
        gap = difference(100 * free[at], 100 * busy[at])  # of the two figures shown
        self.caption.setText(
            f"First armed unit at {self.target_minutes:g} min: <span style='color:{colour}'>━━</span> allowing for busy units "
            f"<b>{percent(busy[at], 1)}</b>, <b style='color:{palette.MUTED_INK}'>╍╍</b> if every unit were free {percent(free[at], 1)}; "
            f"the shaded <b>{gap:.1f} points</b> are lost to units busy elsewhere")
        when = "the whole week" if hour == ALL_DAY else f"{DAY_SHORT[hour // 24]} {hour % 24:02d}:00"
        short = name if len(name) <= 34 else name[:33] + "…"
        self.plot.setTitle(f"{short}, {when}", color=palette.INK, size="10pt", bold=True)


class WeekLinesChart:
    """Each option's population cover within target in every hour of the week."""

    def __init__(self) -> None:
        self.plot = make_plot(
            "Population covered within target, through the week", left="Covered (%)", bottom="Day and hour of the week (hours)",
            accessible_name="Population covered within target in each hour of the week, one line per option")
        self.plot.setXRange(0, 167, padding=0.01)
        self.plot.getAxis("bottom").setTicks([[(24 * d + 12, DAY_SHORT[d]) for d in range(7)],
                                              [(24 * d, "") for d in range(8)]])
        self.marker = pg.InfiniteLine(angle=90, pen=pen(palette.MUTED_INK, 1.2, Qt.PenStyle.DotLine))
        self.plot.addItem(self.marker)
        self.curves: dict[str, pg.PlotDataItem] = {}

    def clear(self) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves = {}

    def load(self, option_ids: list[str]) -> None:
        self.clear()
        for i, oid in enumerate(option_ids):
            self.curves[oid] = self.plot.plot(np.arange(168), np.zeros(168), pen=pen(palette.option_colour(i), 2))

    def set_table(self, table: object, title: str) -> None:
        """Draw each option's 168 hourly shares under ``title`` (what they are: the view's
        mode; short enough for the 440-pixel chart at 1024 pixels)."""
        for oid, curve in self.curves.items():
            curve.setData(np.arange(168), 100 * table[oid].to_numpy(float))  # type: ignore[index]
        lo = min(float(np.nanmin(table.to_numpy(float))) * 100, 100.0)  # type: ignore[attr-defined]
        self.plot.setYRange(max(0.0, math.floor(lo / 10) * 10 - 5), 100, padding=0.02)
        self.plot.setTitle(title, color=palette.INK, size="10pt", bold=True)

    def show(self, chosen: str, hour: int) -> None:
        for i, (oid, curve) in enumerate(self.curves.items()):
            curve.setPen(pen(palette.option_colour(i), 3.2 if oid == chosen else 1.6))
            curve.setZValue(2 if oid == chosen else 1)
        self.marker.setVisible(hour != ALL_DAY)
        if hour != ALL_DAY:
            self.marker.setValue(hour)
