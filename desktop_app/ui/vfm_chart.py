"""The value-for-money chart: benefit value against discounted whole-life cost.

Benefit value, not total value, so cost is not counted twice; the efficient frontier
is drawn dashed and dominated options hollow, and labels step away from markers and
the frontier line rather than overlap them (`label_placement`).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics

from desktop_app.core.appraisal.value_for_money import BENEFIT_AXIS, value_for_money
from desktop_app.ui import palette
from desktop_app.ui.charts import (
    make_plot,
    pen,
    point_font,
    short_name,
)
from desktop_app.ui.label_placement import (
    Segment,
    data_per_pixel,
    place_point_labels,
)
from desktop_app.ui.state import AppState


def frontier_segments(costs: np.ndarray, values: np.ndarray, front: list[int]) -> list[Segment]:
    """The efficient frontier's line as segments between consecutive frontier points."""
    xs, ys = np.asarray(costs, float)[front], np.asarray(values, float)[front]
    return [(float(xs[k]), float(ys[k]), float(xs[k + 1]), float(ys[k + 1])) for k in range(len(xs) - 1)]


class VfmChart(pg.PlotWidget):
    """Benefit value against discounted whole-life cost, with the efficient frontier."""

    def __init__(self) -> None:
        plot = make_plot("Value for money (dashed: efficient frontier; hollow: dominated)",
                         left=BENEFIT_AXIS, bottom="Discounted whole-life cost (£m)",
                         accessible_name="Value against whole-life cost, with the efficient frontier")
        super().__init__(background="w", plotItem=plot.getPlotItem())
        plot.setParent(None)
        self.setAccessibleName("Value for money chart")
        self.getPlotItem().showGrid(x=True, y=True, alpha=0.18)
        self.frontier = self.plot([], [], pen=pen(palette.MUTED_INK, 1.6, Qt.PenStyle.DashLine))
        #: Thin lines from a marker to its label where the label had to step away.
        self.leaders = self.plot([], [], pen=pen("#8a9196", 1.0))
        self.points = pg.ScatterPlotItem(size=14, pxMode=True, hoverable=True,
                                         tip=lambda x, y, data: str(data))
        self.points.setZValue(3)
        self.addItem(self.points)
        self.labels: list[pg.TextItem] = []
        self.frontier_ids: list[str] = []
        self._ranges: tuple = ()
        #: (costs, values, bounds, frontier indices) as last drawn: labels are placed in
        #: pixels, so a resize places them again.
        self._drawn: tuple[np.ndarray, np.ndarray, tuple[float, float, float, float], list[int]] | None = None
        # The plot area also changes size without the widget (an axis growing to fit
        # its tick labels): place the labels again whenever it does.
        self.getViewBox().sigResized.connect(lambda _vb: QTimer.singleShot(0, self, self._place_labels))

    #: Marker radius in pixels (the scatter's size is its diameter, its 2.5 px pen adds
    #: 1.25) plus a pixel of air.
    MARKER_PX = 9

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_axis_title()
        QTimer.singleShot(0, self, self._place_labels)  # dropped if the chart is deleted first

    def _fit_axis_title(self) -> None:
        """The value axis' title whole: "Benefit value (0-100, benefit criteria only)" when the
        axis is tall enough for it, else its first part "Benefit value (0-100)" (the title was
        cut at both ends on a 768-line screen)."""
        full = getattr(self, "_axis_title", None)
        plot = self.getPlotItem()
        if full is None or plot is None:  # nothing drawn yet, or the chart is closed
            return
        axis = plot.getAxis("left")
        room = float(plot.getViewBox().height()) or self.height() * 0.6
        fm = QFontMetrics(axis.label.font())
        text = full
        if fm.horizontalAdvance(full) > room - 8 and ", " in full:
            text = full.split(", ")[0] + ")"
        if getattr(self, "axis_title_shown", None) != text:
            plot.setLabel("left", text)
            self.axis_title_shown = text

    def _place_labels(self) -> None:
        """Put each name beside its point where it overlaps no other name, point, the
        frontier line or the chart's edge."""
        if self._drawn is None or getattr(self, "closed", False):  # close() deletes the items
            return
        costs, values, bounds, front = self._drawn
        units = data_per_pixel(self.getPlotItem(), (self.width(), self.height()), bounds)
        leaders = place_point_labels(self.labels[: len(costs)], costs, values, np.argsort(-values, kind="stable"),
                                     units=units, marker_px=self.MARKER_PX, bounds=bounds,
                                     segments=frontier_segments(costs, values, front))
        xy = np.array([(seg[0], seg[1], seg[2], seg[3]) for seg in leaders], dtype=float).reshape(-1, 4)
        self.leaders.setData(xy[:, [0, 2]].ravel(), xy[:, [1, 3]].ravel(), connect="pairs")

    def update_from(self, state: AppState) -> None:
        app = state.appraisal
        cov = state.coverage
        if app is None or cov is None:
            return
        options = list(app.totals.index)
        names = state.option_names()
        vfm = value_for_money(app, cov.measures, options)
        self._axis_title = vfm.axis_title
        self._fit_axis_title()
        costs, values, front = vfm.costs_gbp / 1e6, vfm.values, vfm.frontier
        self.frontier_ids = vfm.frontier_ids
        spots = []
        for i, oid in enumerate(options):
            index = state.option_ids().index(oid)
            colour = palette.option_colour(index)
            on = i in front
            spots.append({
                "pos": (costs[i], values[i]),
                "brush": pg.mkBrush(colour) if on else pg.mkBrush("#ffffff"),
                "pen": pg.mkPen(colour, width=2.5),
                "symbol": palette.option_symbol(index),  # colours repeat past eight options; markers do not
                "data": f"{names.get(oid, oid)}\nValue {values[i]:.1f}\nWhole-life cost £{costs[i]:.2f}m"
                        + ("" if on else "\nDominated: another option gives more value for less"),
            })
        self.points.setData(spots)
        self.frontier.setData(costs[front], values[front])
        while len(self.labels) < len(options):
            t = pg.TextItem(color=palette.INK, anchor=(0, 1))
            t.setFont(point_font(8))
            self.addItem(t)
            self.labels.append(t)
        for i, t in enumerate(self.labels):
            if i < len(options):
                t.setText(short_name(names.get(options[i], options[i]), 60))  # whole names: the placer finds them room
                t.setVisible(True)
            else:
                t.setVisible(False)
        span = max(costs.max() - costs.min(), 0.1) if len(costs) else 1.0
        x_range = (costs.min() - 0.06 * span, costs.max() + 0.42 * span)
        # The value axis moves in steps of 5 so it does not jitter while a slider moves.
        vmin, vmax = float(values.min()), float(values.max())
        y_range = (max(0.0, 5 * math.floor((vmin - 2) / 5)), min(100.0, 5 * math.ceil((vmax + 3) / 5)))
        if (x_range, y_range) != self._ranges:
            self.setXRange(*x_range, padding=0)
            self.setYRange(*y_range, padding=0)
            self._ranges = (x_range, y_range)
        self._drawn = (costs, values, (x_range[0], y_range[0], x_range[1], y_range[1]), list(front))
        self._place_labels()
