"""The Coverage view: the cover map with its controls and two charts beside it.

What a consultation audience asks first is "how long would it take to get armed
officers to us, and when?". The map answers where, the response-time distribution
answers how many people wait how long, and the hour-of-week profile answers when
(options with part-time posts, or crews on Friday and Saturday nights, differ by
hour and day). A switch shows cover allowing for busy units (the chance that a
free unit arrives in time), if every unit were free (response minutes), or for a
second armed officer (docs/measures.md). Below the summary, the incident panel
compares the model with last year's incidents.
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

from desktop_app.core.coverage.series import cumulative_share
from desktop_app.core.coverage.units import DAY_SHORT, active_week
from desktop_app.core.workbook.schema import within_target
from desktop_app.ui import palette
from desktop_app.ui.charts import OptionKey, make_plot, pen
from desktop_app.ui.incident_panel import IncidentPanel
from desktop_app.ui.map_widget import CoverMap, band_indices
from desktop_app.ui.state import AppState

ALL_DAY = -1
#: What the map shows: cover allowing for busy units, minutes if every unit were free,
#: or the chance of a second armed officer within the backup target.
BUSY, ALL_FREE, BACKUP = "busy", "all_free", "backup"
MODES = ((BUSY, "Allowing for busy units"), (ALL_FREE, "If every unit were free"),
         (BACKUP, "Second armed officer"))
#: Right edge of the distribution chart, minutes.
DIST_MAX_MINUTES = 90.0
DIST_POINTS = 361


def hour_label(hour: int) -> str:
    if hour == ALL_DAY:
        return "Whole week"
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
        self.day_combo = QComboBox()
        self.day_combo.setAccessibleName("Day of the week")
        for d in DAY_SHORT:
            self.day_combo.addItem(d)
        self.day_combo.currentIndexChanged.connect(self._redraw)
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("Cover shown: allowing for busy units, if every unit were free, or a second officer")
        for key, text in MODES:
            self.mode_combo.addItem(text, key)
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.diff_check = QCheckBox("Difference from baseline")
        self.diff_check.setAccessibleName("Show difference from baseline")
        self.diff_check.setToolTip("Colour each area by how much faster or slower it is reached than under the baseline")
        self.diff_check.toggled.connect(self._redraw)

        option_label = QLabel("&Option")
        option_label.setBuddy(self.option_combo)
        hour_title = QLabel("&Hour")
        hour_title.setBuddy(self.hour_slider)
        day_title = QLabel("&Day")
        day_title.setBuddy(self.day_combo)
        mode_title = QLabel("&Show")
        mode_title.setBuddy(self.mode_combo)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(option_label)
        controls.addWidget(self.option_combo)
        controls.addSpacing(12)
        controls.addWidget(mode_title)
        controls.addWidget(self.mode_combo)
        controls.addSpacing(12)
        controls.addWidget(day_title)
        controls.addWidget(self.day_combo)
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
        self.incident_panel = IncidentPanel()

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
            "Population covered within target, through the week", left="Covered (%)", bottom="Hour of the week",
            accessible_name="Population covered within target in each hour of the week, one line per option",
        )
        self.hour_plot.setXRange(0, 167, padding=0.01)
        self.hour_plot.getAxis("bottom").setTicks([[(24 * d + 12, DAY_SHORT[d]) for d in range(7)],
                                                   [(24 * d, "") for d in range(8)]])
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
        layout.addWidget(self.incident_panel)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.option_combo, self.mode_combo)
        self.setTabOrder(self.mode_combo, self.day_combo)
        self.setTabOrder(self.day_combo, self.hour_slider)
        self.setTabOrder(self.hour_slider, self.diff_check)

        state.coverage_changed.connect(self.refresh)
        self.refresh()

    # --------------------------------------------------------------- helpers
    def current_option(self) -> str | None:
        data = self.option_combo.currentData()
        return str(data) if data is not None else None

    def current_hour(self) -> int:
        """Hour of the day on the slider (ALL_DAY for the whole week)."""
        return int(self.hour_slider.value())

    def current_mode(self) -> str:
        return str(self.mode_combo.currentData() or BUSY)

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))

    def week_hour(self, hour: int | None = None) -> int:
        """Hour of the week (0 = Monday 00:00) for the chosen day and hour; ALL_DAY stays."""
        hour = self.current_hour() if hour is None else hour
        return ALL_DAY if hour == ALL_DAY else 24 * self.day_combo.currentIndex() + hour

    def _mode_changed(self) -> None:
        self._plot_week()
        self._redraw()

    def set_option(self, option_id: str) -> None:
        i = self.option_combo.findData(option_id)
        if i >= 0:
            self.option_combo.setCurrentIndex(i)

    def area_minutes(self, option_id: str, hour: int) -> np.ndarray:
        """R0 per area if every unit were free, in hour ``hour`` of the week (ALL_DAY: median over the week)."""
        cov = self.state.coverage
        assert cov is not None
        if hour == ALL_DAY:
            return cov.per_area[option_id]["median_response_minutes"].to_numpy(dtype=float)
        return np.asarray(cov.options[option_id].response_at(hour), dtype=float)

    def area_chance(self, option_id: str, hour: int, backup: bool = False) -> np.ndarray:
        """F(T) (or G(T_b)) per area in hour ``hour`` of the week (ALL_DAY: mean over the week)."""
        cov = self.state.coverage
        assert cov is not None
        if hour == ALL_DAY:
            col = "backup_cover" if backup else "expected_cover"
            return cov.per_area[option_id][col].to_numpy(dtype=float)
        oc = cov.options[option_id]
        return np.asarray(oc.backup_at(hour) if backup else oc.cover_at(hour), dtype=float)

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
        population = areas["population"].to_numpy(float)
        self._curves_all = {}
        for i, oid in enumerate(cov.option_ids):
            colour = palette.option_colour(i)
            self._curves_all[oid] = cumulative_share(cov.options[oid].response, population, self.grid)
            self.dist_curves[oid] = self.dist_plot.plot(self.grid, 100 * self._curves_all[oid],
                                                        pen=pen(colour, 2), name=names.get(oid, oid))
            self.hour_curves[oid] = self.hour_plot.plot(np.arange(168), np.zeros(168), pen=pen(colour, 2))
        self.incident_panel.show_check(cov.incident_validation, target)
        self._plot_week()
        self._redraw()

    def _week_table(self) -> object:
        cov = self.state.coverage
        assert cov is not None
        if self.current_mode() == ALL_FREE and cov.by_hour_all_free is not None:
            return cov.by_hour_all_free
        return cov.by_hour

    def _plot_week(self) -> None:
        """The hour-of-week lines: busy-unit cover, or all-free cover, per option."""
        cov = self.state.coverage
        if cov is None or not self.hour_curves:
            return
        table = self._week_table()
        for oid, curve in self.hour_curves.items():
            curve.setData(np.arange(168), 100 * table[oid].to_numpy(float))  # type: ignore[index]
        lo = min(float(np.nanmin(table.to_numpy(float))) * 100, 100.0)  # type: ignore[attr-defined]
        self.hour_plot.setYRange(max(0.0, math.floor(lo / 10) * 10 - 5), 100, padding=0.02)
        what = "every unit free" if self.current_mode() == ALL_FREE else "busy units allowed for"
        self.hour_plot.setTitle(f"Covered within target, by hour of the week ({what})",
                                color=palette.INK, size="10pt", bold=True)

    def _redraw(self) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        oid = self.current_option()
        self.hour_label.setText(hour_label(self.current_hour()))
        self.day_combo.setEnabled(self.current_hour() != ALL_DAY)
        hour = self.week_hour()
        if cov is None or inputs is None or oid is None:
            return
        diff = self.diff_check.isChecked()
        mode = self.current_mode()
        names = self.state.option_names()
        used = (set(inputs.deployments.loc[inputs.deployments["option_id"] == oid, "site_id"].astype(str))
                if hour == ALL_DAY else self._sites_active(oid, hour))
        self.map.set_sites(inputs.sites, used)
        if mode == ALL_FREE and diff:
            values = self.difference(oid, hour)
            idx = band_indices(values, palette.DIFF_EDGES)
            idx[np.isneginf(values)] = 0
            self.map.set_values(idx, palette.DIFF_COLOURS, palette.DIFF_LABELS, "Change vs baseline")
        elif mode == ALL_FREE:
            values = self.area_minutes(oid, hour)
            self.map.set_values(band_indices(values, palette.BAND_EDGES), palette.BAND_COLOURS,
                                palette.BAND_LABELS, "Response if every unit were free")
        elif diff:
            back = mode == BACKUP
            points = 100 * (self.area_chance(inputs.baseline_id, hour, back) - self.area_chance(oid, hour, back))
            self.map.set_values(band_indices(points, palette.DIFF_EDGES), palette.DIFF_COLOURS,
                                palette.COVER_DIFF_LABELS, "Change in chance vs baseline")
        else:
            values = self.area_chance(oid, hour, mode == BACKUP)
            title = ("Chance of a second armed officer within the backup target" if mode == BACKUP
                     else "Chance a free armed unit arrives within target")
            self.map.set_values(band_indices(values, palette.COVER_EDGES), palette.COVER_COLOURS,
                                palette.COVER_LABELS, title)

        # Emphasise the chosen option in both charts.
        for o, curve in self.dist_curves.items():
            i = cov.option_ids.index(o)
            width = 3.2 if o == oid else 1.6
            curve.setPen(pen(palette.option_colour(i), width))
            curve.setZValue(2 if o == oid else 1)
            if hour == ALL_DAY:
                curve.setData(self.grid, 100 * self._curves_all[o])
            else:
                share = cumulative_share(cov.options[o].response_at(hour), inputs.areas["population"].to_numpy(float), self.grid)
                curve.setData(self.grid, 100 * share)
        for o, curve in self.hour_curves.items():
            i = cov.option_ids.index(o)
            curve.setPen(pen(palette.option_colour(i), 3.2 if o == oid else 1.6))
            curve.setZValue(2 if o == oid else 1)
        self.hour_marker.setVisible(hour != ALL_DAY)
        if hour != ALL_DAY:
            self.hour_marker.setValue(hour)
        when = "the whole week" if hour == ALL_DAY else f"{DAY_SHORT[hour // 24]} {hour_label(hour % 24)}"
        self.dist_plot.setTitle(f"Response if every unit were free ({when})", color=palette.INK, size="10pt", bold=True)
        self.key.set_options([(names.get(o, o), palette.option_colour(i)) for i, o in enumerate(cov.option_ids)],
                             emphasis=names.get(oid, oid))
        self._update_summary(oid, hour, names)

    def _sites_active(self, oid: str, hour: int) -> set[str]:
        """Sites with a deployment of the option on duty in hour ``hour`` of the week."""
        inputs = self.state.inputs
        assert inputs is not None
        deps = inputs.deployments[inputs.deployments["option_id"] == oid]
        # the one on-duty rule of the engine (docs/workbook-format.md#hours-on-duty-the-week)
        active = active_week(deps)[:, hour]
        return set(deps.loc[active, "site_id"].astype(str))

    def _update_summary(self, oid: str, hour: int, names: dict[str, str]) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        assert cov is not None and inputs is not None
        base = inputs.baseline_id
        target = cov.target_minutes
        free_table: Any = cov.by_hour_all_free if cov.by_hour_all_free is not None else cov.by_hour
        # float64 frames; pandas-stubs types .at[] as any scalar, so read them untyped
        measures: Any = cov.measures
        by_hour: Any = cov.by_hour
        if hour == ALL_DAY:
            share = float(measures.at[oid, "population_coverage"])
            free = float(measures.at[oid, "population_coverage_all_free"])
            base_share = float(measures.at[base, "population_coverage"])
            when = "over the week"
        else:
            share = float(by_hour.at[hour, oid])
            free = float(free_table.at[hour, oid])
            base_share = float(by_hour.at[hour, base])
            when = f"on {DAY_SHORT[hour // 24]} at {hour_label(hour % 24)}"
        median = float(measures.at[oid, "median_response_minutes"])
        p90 = float(measures.at[oid, "p90_response_minutes"])
        delta = (share - base_share) * 100
        sign = "+" if delta >= 0 else "−"
        p90_text = "no cover for some" if math.isinf(p90) else f"{p90:.0f} min"
        compare = "" if oid == base else (
            f" &nbsp;<span style='color:{palette.MUTED_INK}'>({sign}{abs(delta):.1f} points vs "
            f"{names.get(base, base)})</span>")
        median_text = "no free unit for most" if math.isinf(median) else f"{median:.0f} min"
        self.summary.setText(
            f"<b>{names.get(oid, oid)}</b>: a free armed unit reaches <b>{share:.1%}</b> of residents "
            f"{within_target(target)} {when}{compare} ({free:.1%} if every unit were free). &nbsp;Over the week, "
            f"allowing for busy units: median {median_text}, 90th percentile {p90_text}."
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

        hour = self.week_hour(hour)
        minutes = self.area_minutes(oid, hour)[i]
        base = self.area_minutes(inputs.baseline_id, hour)[i]
        chance = self.area_chance(oid, hour)[i]
        when = "whole week" if hour == ALL_DAY else f"{DAY_SHORT[hour // 24]} {hour_label(hour % 24)}"
        lines = [
            f"{row['area_name']} ({row['area_id']})",
            f"{row['district']} · {'rural' if bool(row['is_rural']) else 'urban'}",
            f"Population {int(row['population']):,}",
            f"Chance a free armed unit arrives in time: {chance:.0%} ({names.get(oid, oid)}, {when})",
            f"Response if every unit were free: {fmt(minutes)}",
        ]
        if oid != inputs.baseline_id:
            lines.append(f"Baseline if every unit were free: {fmt(base)}")
        return "\n".join(lines)

    # ----------------------------------------------------------------- export
    def current_chart(self) -> QWidget:
        return self.splitter

    def current_chart_name(self) -> str:
        oid = self.current_option() or "coverage"
        return f"coverage-{oid}"
