"""The Coverage view: the cover map with its controls and two charts beside it.

What a consultation audience asks first is "how long would it take to get armed
officers to us, and when?". The map answers where, the response-time distribution
answers how many people wait how long, and the hour-of-day profile answers when
(options with part-time posts differ by hour).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.coverage.costs import on_duty
from desktop_app.core.coverage.series import cumulative_share
from desktop_app.core.workbook.schema import hour_chart_title, measure_label, within_target
from desktop_app.ui import palette
from desktop_app.ui.charts import OptionKey, make_plot, pen
from desktop_app.ui.map_widget import CoverMap, band_indices
from desktop_app.ui.state import AppState

ALL_DAY = -1
#: Right edge of the distribution chart, minutes.
DIST_MAX_MINUTES = 90.0
DIST_POINTS = 361


def hour_label(hour: int) -> str:
    if hour == ALL_DAY:
        return "All day (median)"
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


class CoverageView(QWidget):
    """Map, option/hour controls and the distribution and hour-of-day charts."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._curves_all: dict[str, np.ndarray] = {}
        self.grid = np.linspace(0.0, DIST_MAX_MINUTES, DIST_POINTS)

        # ---------------------------------------------------------- controls
        self.option_combo = QComboBox()
        self.option_combo.setAccessibleName("Option shown on the map")
        self.option_combo.setMinimumContentsLength(22)
        self.option_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.option_combo.currentIndexChanged.connect(self._redraw)
        self.hour_slider = QSlider(Qt.Orientation.Horizontal)
        self.hour_slider.setRange(ALL_DAY, 23)
        self.hour_slider.setValue(ALL_DAY)
        self.hour_slider.setPageStep(6)
        self.hour_slider.setTickInterval(6)
        self.hour_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.hour_slider.setMinimumWidth(140)
        self.hour_slider.setAccessibleName("Hour of day (leftmost: all day)")
        self.hour_slider.valueChanged.connect(self._redraw)
        self.hour_label = QLabel(hour_label(ALL_DAY))
        self.hour_label.setMinimumWidth(115)
        self.diff_check = QCheckBox("Difference from baseline")
        self.diff_check.setAccessibleName("Show difference from baseline")
        self.diff_check.toggled.connect(self._redraw)

        option_label = QLabel("&Option")
        option_label.setBuddy(self.option_combo)
        hour_title = QLabel("&Hour")
        hour_title.setBuddy(self.hour_slider)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(option_label)
        controls.addWidget(self.option_combo)
        controls.addSpacing(16)
        controls.addWidget(hour_title)
        controls.addWidget(self.hour_slider)
        controls.addWidget(self.hour_label)
        controls.addSpacing(16)
        controls.addWidget(self.diff_check)
        controls.addStretch(1)

        self.summary = QLabel("")
        self.summary.setObjectName("viewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        # -------------------------------------------------------------- charts
        self.map = CoverMap()
        self.map.tip_fn = self._area_tip
        self.dist_plot = make_plot(
            "Response-time distribution", left="Population reached (%)", bottom="Minutes",
            accessible_name="Cumulative share of population reached against minutes, one line per option",
        )
        self.dist_plot.getPlotItem().showGrid(x=True, y=True, alpha=0.18)
        self.dist_plot.setYRange(0, 100, padding=0.02)
        self.dist_plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        self.dist_plot.setXRange(0, DIST_MAX_MINUTES, padding=0)
        self.dist_target = pg.InfiniteLine(angle=90, pen=pen(palette.MUTED_INK, 1.2, Qt.PenStyle.DashLine),
                                           label="target", labelOpts={"position": 0.22, "color": palette.MUTED_INK,
                                                      "anchors": [(0, 0), (0, 0)]})
        self.dist_plot.addItem(self.dist_target)
        self.dist_curves: dict[str, pg.PlotDataItem] = {}

        self.hour_plot = make_plot(
            measure_label("population_coverage") + ", by hour of day", left="Covered (%)", bottom="Hour of day",
            accessible_name="Population covered within target by hour of day, one line per option",
        )
        self.hour_plot.setXRange(0, 23, padding=0.02)
        self.hour_plot.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 24, 3)]])
        self.hour_marker = pg.InfiniteLine(angle=90, pen=pen(palette.MUTED_INK, 1.2, Qt.PenStyle.DotLine))
        self.hour_plot.addItem(self.hour_marker)
        self.hour_curves: dict[str, pg.PlotDataItem] = {}

        self.key = OptionKey()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.dist_plot)
        split.addWidget(self.hour_plot)
        split.setChildrenCollapsible(False)
        charts = QWidget()
        cl = QVBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(4)
        cl.addWidget(self.key)
        cl.addWidget(split, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(charts)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.option_combo, self.hour_slider)
        self.setTabOrder(self.hour_slider, self.diff_check)

        state.coverage_changed.connect(self.refresh)
        self.refresh()

    # --------------------------------------------------------------- helpers
    def current_option(self) -> str | None:
        data = self.option_combo.currentData()
        return str(data) if data is not None else None

    def current_hour(self) -> int:
        return int(self.hour_slider.value())

    def set_option(self, option_id: str) -> None:
        i = self.option_combo.findData(option_id)
        if i >= 0:
            self.option_combo.setCurrentIndex(i)

    def area_minutes(self, option_id: str, hour: int) -> np.ndarray:
        cov = self.state.coverage
        assert cov is not None
        if hour == ALL_DAY:
            return cov.per_area[option_id]["median_response_minutes"].to_numpy(dtype=float)
        return np.asarray(cov.options[option_id].response[:, hour], dtype=float)

    def difference(self, option_id: str, hour: int) -> np.ndarray:
        """Option minus baseline minutes; inf - inf (no cover either way) is no change."""
        inputs = self.state.inputs
        assert inputs is not None
        a = self.area_minutes(option_id, hour)
        b = self.area_minutes(inputs.baseline_id, hour)
        with np.errstate(invalid="ignore"):
            d = a - b
        d[np.isinf(a) & np.isinf(b)] = 0.0
        return d

    # --------------------------------------------------------------- refresh
    def refresh(self) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        self.option_combo.blockSignals(True)
        previous = self.current_option()
        self.option_combo.clear()
        for curve in (*self.dist_curves.values(), *self.hour_curves.values()):
            curve.getViewBox() and curve.getViewBox().removeItem(curve)
        self.dist_curves, self.hour_curves = {}, {}
        if cov is None or inputs is None:
            self.option_combo.blockSignals(False)
            self.summary.setText("Coverage appears here once a valid workbook is open.")
            return
        names = self.state.option_names()
        for oid in cov.option_ids:
            self.option_combo.addItem(names.get(oid, oid), oid)
        default = previous if previous in cov.option_ids else next(
            (o for o in cov.option_ids if o != inputs.baseline_id), cov.option_ids[0])
        self.option_combo.setCurrentIndex(max(0, self.option_combo.findData(default)))
        self.option_combo.blockSignals(False)

        areas = inputs.areas
        self.map.set_areas(areas["easting"].to_numpy(float), areas["northing"].to_numpy(float),
                           areas["population"].to_numpy(float))
        target = float(cov.target_minutes)
        self.dist_target.setValue(target)
        self.dist_target.label.setFormat(f"target {target:g} min")
        self.hour_plot.getPlotItem().setTitle(hour_chart_title(target), color=palette.INK, size="10pt", bold=True)
        population = areas["population"].to_numpy(float)
        self._curves_all = {}
        for i, oid in enumerate(cov.option_ids):
            colour = palette.option_colour(i)
            self._curves_all[oid] = cumulative_share(cov.options[oid].response, population, self.grid)
            self.dist_curves[oid] = self.dist_plot.plot(self.grid, 100 * self._curves_all[oid],
                                                        pen=pen(colour, 2), name=names.get(oid, oid))
            hours = np.arange(24)
            self.hour_curves[oid] = self.hour_plot.plot(
                hours, 100 * cov.by_hour[oid].to_numpy(float), pen=pen(colour, 2),
                symbol="o", symbolSize=4, symbolBrush=colour, symbolPen=None)
        lo = min(float(cov.by_hour.to_numpy(float).min()) * 100, 100.0)
        self.hour_plot.setYRange(max(0.0, math.floor(lo / 10) * 10 - 5), 100, padding=0.02)
        self._redraw()

    def _redraw(self) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        oid = self.current_option()
        hour = self.current_hour()
        self.hour_label.setText(hour_label(hour))
        if cov is None or inputs is None or oid is None:
            return
        diff = self.diff_check.isChecked()
        names = self.state.option_names()
        used = (set(inputs.deployments.loc[inputs.deployments["option_id"] == oid, "site_id"].astype(str))
                if hour == ALL_DAY else self._sites_active(oid, hour))
        self.map.set_sites(inputs.sites, used)
        if diff:
            values = self.difference(oid, hour)
            idx = band_indices(values, palette.DIFF_EDGES)
            idx[np.isneginf(values)] = 0
            self.map.set_values(idx, palette.DIFF_COLOURS, palette.DIFF_LABELS, "Change vs baseline")
        else:
            values = self.area_minutes(oid, hour)
            self.map.set_values(band_indices(values, palette.BAND_EDGES), palette.BAND_COLOURS,
                                palette.BAND_LABELS, "Response time")

        # Emphasise the chosen option in both charts.
        for o, curve in self.dist_curves.items():
            i = cov.option_ids.index(o)
            width = 3.2 if o == oid else 1.6
            curve.setPen(pen(palette.option_colour(i), width))
            curve.setZValue(2 if o == oid else 1)
            if hour == ALL_DAY:
                curve.setData(self.grid, 100 * self._curves_all[o])
            else:
                share = cumulative_share(cov.options[o].response[:, hour], inputs.areas["population"].to_numpy(float), self.grid)
                curve.setData(self.grid, 100 * share)
        for o, curve in self.hour_curves.items():
            i = cov.option_ids.index(o)
            curve.setPen(pen(palette.option_colour(i), 3.2 if o == oid else 1.6))
            curve.setZValue(2 if o == oid else 1)
        self.hour_marker.setVisible(hour != ALL_DAY)
        if hour != ALL_DAY:
            self.hour_marker.setValue(hour)
        self.dist_plot.setTitle(
            f"Response-time distribution ({hour_label(hour).lower() if hour != ALL_DAY else 'all hours'})",
            color=palette.INK, size="10pt", bold=True)
        self.key.set_options([(names.get(o, o), palette.option_colour(i)) for i, o in enumerate(cov.option_ids)],
                             emphasis=names.get(oid, oid))
        self._update_summary(oid, hour, names)

    def _sites_active(self, oid: str, hour: int) -> set[str]:
        inputs = self.state.inputs
        assert inputs is not None
        deps = inputs.deployments[inputs.deployments["option_id"] == oid]
        return {str(site) for site, s, e in zip(deps["site_id"], deps["start_hour"], deps["end_hour"], strict=True)
                if on_duty(int(s), int(e), hour)}

    def _update_summary(self, oid: str, hour: int, names: dict[str, str]) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        assert cov is not None and inputs is not None
        base = inputs.baseline_id
        target = cov.target_minutes
        # float64 frames; pandas-stubs types .at[] as any scalar, so read them untyped
        measures: Any = cov.measures
        by_hour: Any = cov.by_hour
        if hour == ALL_DAY:
            share = float(measures.at[oid, "population_coverage"])
            base_share = float(measures.at[base, "population_coverage"])
            when = "averaged over the day"
        else:
            share = float(by_hour.at[hour, oid])
            base_share = float(by_hour.at[hour, base])
            when = f"at {hour_label(hour)}"
        median = float(measures.at[oid, "median_response_minutes"])
        p90 = float(measures.at[oid, "p90_response_minutes"])
        delta = (share - base_share) * 100
        sign = "+" if delta >= 0 else "−"
        p90_text = "no cover for some" if math.isinf(p90) else f"{p90:.0f} min"
        compare = "" if oid == base else (
            f" &nbsp;<span style='color:{palette.MUTED_INK}'>({sign}{abs(delta):.1f} points vs "
            f"{names.get(base, base)})</span>")
        self.summary.setText(
            f"<b>{names.get(oid, oid)}</b>: <b>{share:.1%}</b> of residents {within_target(target)} "
            f"{when}{compare}. &nbsp;Over the day: median response {median:.0f} min, 90th percentile {p90_text}."
        )

    def _area_tip(self, i: int) -> str:
        inputs = self.state.inputs
        cov = self.state.coverage
        oid = self.current_option()
        if inputs is None or cov is None or oid is None:
            return ""
        row = inputs.areas.iloc[i]
        hour = self.current_hour()
        names = self.state.option_names()

        def fmt(m: float) -> str:
            return "no armed cover" if math.isinf(m) else f"{m:.1f} min"

        minutes = self.area_minutes(oid, hour)[i]
        base = self.area_minutes(inputs.baseline_id, hour)[i]
        lines = [
            f"{row['area_name']} ({row['area_id']})",
            f"{row['district']} · {'rural' if bool(row['is_rural']) else 'urban'}",
            f"Population {int(row['population']):,}",
            f"Response: {fmt(minutes)} ({names.get(oid, oid)}, {hour_label(hour).lower()})",
        ]
        if oid != inputs.baseline_id:
            lines.append(f"Baseline: {fmt(base)}")
        return "\n".join(lines)

    # ----------------------------------------------------------------- export
    def current_chart(self) -> QWidget:
        return self.splitter

    def current_chart_name(self) -> str:
        oid = self.current_option() or "coverage"
        return f"coverage-{oid}"
