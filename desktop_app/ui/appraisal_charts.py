"""The appraisal charts: ranking bars, value for money, sensitivity and rank acceptability.

Each chart is a pyqtgraph widget with an ``update_from(state)`` method that redraws
from the live :class:`~desktop_app.core.results.Appraisal`. Items are created once per
loaded workbook and then only have their data replaced, which is what keeps a slider
move (re-score plus redraw) well inside the 50 ms budget.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics

from desktop_app.core.appraisal.value_for_money import BENEFIT_AXIS, value_for_money
from desktop_app.ui import palette
from desktop_app.ui.charts import (
    cache_static_parts,
    make_plot,
    option_pen,
    pen,
    point_font,
    short_name,
    tick_font,
    two_lines,
)
from desktop_app.ui.flow_key import ColourKey
from desktop_app.ui.label_placement import (
    Segment,
    data_per_pixel,
    place_point_labels,
    stack_line_labels,
)
from desktop_app.ui.state import AppState

BAR_HEIGHT = 0.62


class RankingChart(pg.GraphicsLayoutWidget):
    """Horizontal stacked bars of weighted value by criterion, best option on top."""

    def __init__(self) -> None:
        super().__init__()
        self.setBackground("w")
        self.setAccessibleName("Ranking: weighted value by criterion for each option")
        self.setMinimumHeight(210)
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
               groups: dict[str, str] | None = None) -> None:
        for item in (*self.bars.values(), *self.totals_text):
            self.plot.removeItem(item)
        self.bars = {}
        # coloured by value-tree branch, shades within it (the weights panel's swatches)
        colours = palette.criterion_colours([(groups or {}).get(c, "") for c in criteria])
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
            self._build(criteria, state.criterion_names(), options, app.groups)
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
        top = min(110.0, math.ceil((float(totals.max()) + 6) / 10) * 10) if n else 100.0
        if top != self._top:
            self.plot.setXRange(0, top, padding=0)
            self._top = top


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


class SensitivityChart(pg.PlotWidget):
    """Each option's total as one criterion's weight runs 0-100%, switch points marked."""

    def __init__(self) -> None:
        plot = make_plot("Weight sensitivity", left="Total value (0-100)", bottom="Weight on criterion (%)",
                         accessible_name="Totals against one criterion's weight, with switch points")
        super().__init__(background="w", plotItem=plot.getPlotItem())
        plot.setParent(None)
        self.setAccessibleName("Weight sensitivity chart")
        self.setXRange(0, 100, padding=0.01)
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.current = pg.InfiniteLine(angle=90, pen=pen(palette.INK, 2))
        self.addItem(self.current)
        #: The lines' labels are text items stacked in rows by :func:`stack_line_labels`,
        #: so close switch points never print over one another (or over "current").
        self.current_label = self._line_label(palette.INK, bold=True)
        self.switch_lines: list[pg.InfiniteLine] = []
        self.switch_labels: list[pg.TextItem] = []
        self._line_pool: list[pg.InfiniteLine] = []
        self._label_pool: list[pg.TextItem] = []
        self.getViewBox().sigResized.connect(lambda _vb: QTimer.singleShot(0, self, self._place_line_labels))
        self._label_for: str | None = None
        self._y_range: tuple[float, float] = (0.0, 0.0)
        self.criterion_id: str | None = None
        self.switch_points: list[float] = []

    def _ensure_lines(self, state: AppState, options: list[str]) -> None:
        if list(self.lines) == options:
            return
        for line in self.lines.values():
            self.removeItem(line)
        all_ids = state.option_ids()
        self.lines = {}
        for oid in options:
            self.lines[oid] = self.plot([], [], pen=option_pen(all_ids.index(oid), 2.2))

    def update_from(self, state: AppState, criterion_id: str | None) -> None:
        app = state.appraisal
        if app is None or not app.sensitivity:
            return
        sens = next((s for s in app.sensitivity if s.criterion_id == criterion_id), app.sensitivity[0])
        self.criterion_id = sens.criterion_id
        self.switch_points = list(sens.switch_points)
        options = list(sens.totals.columns)
        self._ensure_lines(state, options)
        x = 100 * np.asarray(sens.x, dtype=float)
        top = app.top_option
        for oid, line in self.lines.items():
            line.setData(x, sens.totals[oid].to_numpy(float))
            line.setPen(option_pen(state.option_ids().index(oid), 3.2 if oid == top else 1.8))
        self.current.setValue(100 * sens.current_weight)
        current_text = f"current {100 * sens.current_weight:.0f}%"
        if self.current_label.toPlainText() != current_text:
            self.current_label.setText(current_text)
        names = state.option_names()
        # Lines are pooled: creating and removing labelled InfiniteLines on every slider
        # move costs more than the rest of the chart.
        while len(self._line_pool) < len(sens.switch_points):
            line = pg.InfiniteLine(angle=90, pen=pen("#d4351c", 1.4, Qt.PenStyle.DashLine))
            self.addItem(line)
            self._line_pool.append(line)
            self._label_pool.append(self._line_label("#942514"))
        for k, (line, label) in enumerate(zip(self._line_pool, self._label_pool, strict=True)):
            if k < len(sens.switch_points):
                p = sens.switch_points[k]
                after = sens.top_options[k + 1] if k + 1 < len(sens.top_options) else ""
                line.setValue(100 * p)
                text = f"{100 * p:.0f}%: {short_name(names.get(after, after), 34)} first"
                if label.toPlainText() != text:
                    label.setText(text)
                label.setToolTip(f"At {100 * p:.1f}% weight {names.get(after, after)} becomes the top option")
            line.setVisible(k < len(sens.switch_points))
            label.setVisible(k < len(sens.switch_points))
        self.switch_lines = self._line_pool[: len(sens.switch_points)]
        self.switch_labels = self._label_pool[: len(sens.switch_points)]
        if sens.criterion_id != self._label_for:
            cname = state.criterion_names().get(sens.criterion_id, sens.criterion_id)
            self.getPlotItem().setLabel("bottom", f"Weight on “{cname}” (%)", color=palette.INK,
                                        **{"font-size": "9pt"})
            self._label_for = sens.criterion_id
        totals = sens.totals.to_numpy(float)
        lo, hi = float(np.nanmin(totals)), float(np.nanmax(totals))
        y_range = (max(0.0, 5 * math.floor((lo - 2) / 5)), min(100.0, 5 * math.ceil((hi + 2) / 5)))
        if y_range != self._y_range:
            self.setYRange(*y_range, padding=0)
            self._y_range = y_range
        self._place_line_labels()

    def _line_label(self, colour: str, bold: bool = False) -> pg.TextItem:
        label = pg.TextItem(color=colour, fill=pg.mkBrush(255, 255, 255, 225), anchor=(0, 0))
        label.setFont(point_font(8, bold))
        label.setZValue(5)
        self.addItem(label, ignoreBounds=True)
        return label

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._place_line_labels)  # pixels per % change with the size

    def _place_line_labels(self) -> None:
        """Stack the "current" and switch-point labels in rows from the top, none over another."""
        if getattr(self, "closed", False) or self._y_range == (0.0, 0.0):
            return
        (x0, x1), (y0, y1) = self.getViewBox().viewRange()
        ux, uy = data_per_pixel(self.getPlotItem(), (self.width(), self.height()), (x0, y0, x1, y1))
        labels = [self.current_label, *self.switch_labels]
        xs = [float(self.current.value()), *(float(line.value()) for line in self.switch_lines)]
        gap = 3 * ux  # a few pixels between a line and its label
        widths = [label.boundingRect().width() * ux + gap for label in labels]
        rows = stack_line_labels(xs, widths, x1)
        for label, x, (row, flipped) in zip(labels, xs, rows, strict=True):
            height = label.boundingRect().height() * uy
            label.setAnchor((1, 0) if flipped else (0, 0))
            label.setPos(x - gap if flipped else x + gap, y1 - 2 * uy - row * (height + 2 * uy))  # 2 px between rows


class RobustnessChart(pg.PlotWidget):
    """Rank acceptability heat map: the share of random weightings giving each option each rank."""

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_names()

    def _fit_names(self) -> None:
        """Option names whole in a column as wide as the longest needs, up to 40% of the chart
        (a fixed 230 px cut "Hybrid: three armed stations +…" at 1366x768); only a name
        longer than that ends in "…"."""
        names = getattr(self, "_names", None)
        if not names or self.getPlotItem() is None:
            return
        fm = QFontMetrics(tick_font())
        width = int(min(max(150, max(fm.horizontalAdvance(n) for n in names) + 16), max(150, self.width() * 0.4)))
        axis = self.getAxis("left")
        if abs(axis.width() - width) > 1:
            axis.setWidth(width)
        ticks = [(i, fm.elidedText(n, Qt.TextElideMode.ElideRight, width - 16)) for i, n in enumerate(names)]
        if ticks != getattr(self, "_name_ticks", None):
            axis.setTicks([ticks])
            self._name_ticks = ticks

    def __init__(self) -> None:
        plot = make_plot("Rank acceptability", left="", bottom="Rank",
                         accessible_name="Heat map of how often each option takes each rank")
        super().__init__(background="w", plotItem=plot.getPlotItem())
        plot.setParent(None)
        self.setAccessibleName("Robustness heat map")
        self.getPlotItem().showGrid(x=False, y=False)
        self.getPlotItem().getAxis("left").setWidth(230)
        self.getPlotItem().invertY(True)
        self.image = pg.ImageItem()
        cmap = pg.ColorMap([0.0, 0.5, 1.0], [QColor("#ffffff"), QColor("#6baed6"), QColor("#08306b")])
        self.image.setLookupTable(cmap.getLookupTable(0.0, 1.0, 256))
        self.image.setLevels((0.0, 1.0))
        self.addItem(self.image)
        self.texts: list[pg.TextItem] = []
        self.matrix = np.zeros((0, 0))
        self._robustness_id: tuple | str | None = None

    def update_from(self, state: AppState) -> None:
        app = state.appraisal
        rob = app.robustness if app is not None else None
        if rob is None:
            if state.robustness_updating and self._robustness_id != "updating":
                # re-running after an edit (ui/live_robustness.py): no stale shares meanwhile
                self._robustness_id = "updating"
                self.image.clear()
                for t in self.texts:
                    self.removeItem(t)
                self.texts = []
                self.getAxis("left").setTicks([[]])
                self.getAxis("bottom").setTicks([[]])
                self.getAxis("bottom").enableAutoSIPrefix(False)
                self.setTitle("Rank acceptability: updating…", color=palette.INK, size="10pt", bold=True)
            return
        ra: pd.DataFrame = rob.rank_acceptability
        # Rows in the order of the current ranking, as in the ranking chart beside it.
        assert app is not None  # rob came from it
        order = [o for o in app.totals.sort_values(ascending=False, kind="stable").index if o in ra.index]
        key = (id(rob), tuple(order))
        if self._robustness_id == key:
            return
        self._robustness_id = key
        m = ra.loc[order].to_numpy(float)
        self.matrix = m
        self.order = order
        n_opt, n_rank = m.shape
        self.image.setImage(m, levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(0.5, -0.5, n_rank, n_opt))
        for t in self.texts:
            self.removeItem(t)
        self.texts = []
        for i in range(n_opt):
            for j in range(n_rank):
                v = m[i, j]
                text = f"{v:.0%}" if v >= 0.005 else "·"
                t = pg.TextItem(text, color="#ffffff" if v > 0.6 else palette.INK, anchor=(0.5, 0.5))
                t.setFont(point_font(9, v >= 0.5))
                t.setPos(j + 1, i)
                self.addItem(t)
                self.texts.append(t)
        names = state.option_names()
        self._names = [names.get(o, o) for o in order]
        self._fit_names()
        self.getAxis("bottom").setTicks([[(j + 1, str(int(r))) for j, r in enumerate(ra.columns)]])
        self.setXRange(0.5, n_rank + 0.5, padding=0)
        self.setYRange(-0.5, n_opt - 0.5, padding=0)
        around = f", within ±{rob.around_weights:.0%} of the weights" if rob.around_weights else ""
        self.setTitle(f"Rank acceptability: share of {rob.samples:,} random weightings{around} giving each rank",
                      color=palette.INK, size="10pt", bold=True)
