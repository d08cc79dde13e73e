"""The appraisal's sensitivity charts: weight sensitivity and rank acceptability.

Each chart is a pyqtgraph widget with an ``update_from(state)`` method that redraws
from the live :class:`~desktop_app.core.results.Appraisal`. The ranking and the
value-for-money chart have their own modules (`ranking_chart`, `vfm_chart`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics

from desktop_app.ui import palette
from desktop_app.ui.charts import (
    LABEL_STYLE,
    make_plot,
    option_pen,
    pen,
    point_font,
    short_name,
    tick_font,
)
from desktop_app.ui.label_placement import (
    data_per_pixel,
    stack_line_labels,
)
from desktop_app.ui.state import AppState


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

    #: Below this height the chart drops its title (the tab says "Sensitivity" and the axis
    #: names the criterion): at 1024 x 768 the title took a fifth of the chart's 150 px.
    TITLE_FROM_PX = 230

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        titled = self.height() >= self.TITLE_FROM_PX
        if titled != getattr(self, "_titled", True):
            self._titled = titled
            self.getPlotItem().setTitle("Weight sensitivity" if titled else None, color=palette.INK, size="10pt",
                                        bold=True)
            # ...and the axis title its "(0-100)", which ran past the short chart's top
            self.getPlotItem().setLabel("left", "Total value (0-100)" if titled else "Total value", **LABEL_STYLE)
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
        self._fit_title()

    def _set_titles(self, wordings: list[str]) -> None:
        """The title's wordings, longest first; the one shown is the longest that fits."""
        self._titles = wordings
        self._title_shown: str | None = None
        self._fit_title()

    def _fit_title(self) -> None:
        """The longest wording of the title that fits the chart's width.

        A pyqtgraph title sits over the plot, right of the names, and the plot is at least as
        wide as it: at 1024 x 768 the whole sentence pushed ranks 5 and 6 out of sight, with
        no scroll bar."""
        wordings = getattr(self, "_titles", None)
        if not wordings:
            return
        fm = QFontMetrics(point_font(10, True))
        room = self.width() - self.getAxis("left").width() - 24
        title = next((t for t in wordings if fm.horizontalAdvance(t) <= room), wordings[-1])
        if title != getattr(self, "_title_shown", None):
            self._title_shown = title
            self.setTitle(title, color=palette.INK, size="10pt", bold=True)

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
                self._set_titles(["Rank acceptability: updating…"])
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
        self._set_titles([f"Rank acceptability: share of {rob.samples:,} random weightings{around} giving each rank",
                          f"Share of {rob.samples:,} random weightings{around} giving each rank",
                          f"Share of {rob.samples:,} weightings{around} per rank",
                          "Rank acceptability" + (f" (±{rob.around_weights:.0%})" if rob.around_weights else "")])
