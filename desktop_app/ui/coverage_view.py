"""The Coverage view: the cover map with its controls and the charts beside it.

What a consultation audience asks first is "how long would it take to get armed
officers to us, and when?". The map answers where (area boundaries when the workbook
has them, docs/maps.md), the response-time distributions answer how many people wait
how long (and, allowing for busy units, how much of that cover is real), and the week's
lines and 7 x 24 heat map answer when (options with part-time posts, or crews on Friday
and Saturday nights, differ by hour and day). A switch shows cover allowing for busy
units (the chance that a free unit arrives in time), if every unit were free (response
minutes), or for a second armed officer (docs/measures.md). Below the summary, the
incident panel compares the model with last year's incidents.

The pieces live in modules named for them: ``coverage_controls`` (the controls row),
``coverage_values`` (what each area shows), ``coverage_charts`` and ``week_heatmap``
(the charts), ``coverage_summary`` (the summary line); this module wires them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.core.added_option import added_option_deployments
from desktop_app.core.coverage.series import FirstFreeCurves, first_free_curves
from desktop_app.core.coverage.units import raw_hour_weights, units_of
from desktop_app.ui import palette
from desktop_app.ui.chart_tabs import ChartPage, ChartTabs
from desktop_app.ui.charts import OptionKey
from desktop_app.ui.coverage_charts import GRID, BusyFreeChart, DistributionChart, WeekLinesChart
from desktop_app.ui.coverage_controls import CoverageControls
from desktop_app.ui.coverage_summary import summary_text
from desktop_app.ui.coverage_values import (
    ALL_DAY,
    ALL_FREE,
    BACKUP,
    BUSY,
    MODES,
    CoverValues,
    hour_label,
)
from desktop_app.ui.incident_panel import IncidentPanel
from desktop_app.ui.map_widget import CoverMap
from desktop_app.ui.state import AppState
from desktop_app.ui.view_page import WrappedMinimum
from desktop_app.ui.week_heatmap import WeekHeatMap

__all__ = ["ALL_DAY", "ALL_FREE", "BACKUP", "BUSY", "MODES", "CoverageView", "hour_label"]


class CoverageView(QWidget):
    """Map, option/hour controls, the distribution charts and the week's charts."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.values: CoverValues | None = None
        self._busy_curves: dict[str, FirstFreeCurves] = {}

        self.controls = CoverageControls()
        c = self.controls
        self.option_combo, self.hour_slider, self.hour_label = c.option_combo, c.hour_slider, c.hour_label
        self.day_combo, self.mode_combo, self.diff_check = c.day_combo, c.mode_combo, c.diff_check
        c.changed.connect(self._redraw)
        c.mode_changed.connect(self._mode_changed)

        self.summary = QLabel("")
        self.summary.setObjectName("viewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.incident_panel = IncidentPanel()

        self.map = CoverMap()
        self.map.tip_fn = self._area_tip
        self.distribution = DistributionChart()
        self.busy_chart = BusyFreeChart()
        self.week_lines = WeekLinesChart()
        self.heat_map = WeekHeatMap()
        self.dist_plot, self.hour_plot = self.distribution.plot, self.week_lines.plot
        # Response charts above the week's, or one row of all four tabs when the page is
        # too short for both (a 1366x768 laptop): the page never scrolls for its charts.
        self.chart_tabs = ChartTabs(
            [ChartPage(self.distribution.plot, "All options", "All options"),
             ChartPage(self.busy_chart.widget, "Busy units against all free", "Busy v. all free")],
            [ChartPage(self.week_lines.plot, "Through the week", "By hour"),
             ChartPage(self.heat_map.plot, "Week heat map", "Heat map")])
        self.chart_tabs.current_changed.connect(self._redraw)

        self.key = OptionKey()
        # The key names the colours of the charts drawing every option; over a chart of one
        # option (busy against free, the heat map) it is hidden, its room kept so the
        # charts do not move (nor switch between one row of tabs and two).
        policy = self.key.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.key.setSizePolicy(policy)
        charts = QWidget()
        cl = QVBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(4)
        cl.addWidget(self.key)
        cl.addWidget(self.chart_tabs, 1)
        self._charts_minimum = WrappedMinimum(charts)  # the key wraps: the charts keep their minimum
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(charts)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.incident_panel)
        layout.addWidget(self.splitter, 1)

        state.coverage_changed.connect(self.refresh)
        self.refresh()

    # --------------------------------------------------------------- helpers
    @property
    def dist_curves(self) -> dict[str, pg.PlotDataItem]:
        return self.distribution.curves

    @property
    def hour_curves(self) -> dict[str, pg.PlotDataItem]:
        return self.week_lines.curves

    def current_option(self) -> str | None:
        return self.controls.current_option()

    def current_hour(self) -> int:
        """Hour of the day on the slider (ALL_DAY for the whole week)."""
        return self.controls.current_hour()

    def current_mode(self) -> str:
        return self.controls.current_mode()

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))

    def week_hour(self, hour: int | None = None) -> int:
        """Hour of the week (0 = Monday 00:00) for the chosen day and hour; ALL_DAY stays."""
        return self.controls.week_hour(hour)

    def set_option(self, option_id: str) -> None:
        i = self.option_combo.findData(option_id)
        if i >= 0:
            self.option_combo.setCurrentIndex(i)

    def flush(self) -> None:
        """Apply a waiting hour-slider change now (the slider coalesces key presses)."""
        self.controls.flush()

    def _mode_changed(self) -> None:
        self._plot_week()
        self._redraw()

    def _deployments(self) -> dict[str, pd.DataFrame]:
        """Each option's deployments: the workbook's, then those of options added in the room."""
        inputs = self.state.inputs
        assert inputs is not None
        out = {str(o): g for o, g in inputs.deployments.groupby("option_id", sort=False)}
        for extra in self.state.extra_options:
            try:
                out[extra.option_id] = added_option_deployments(inputs, extra)
            except KeyError:  # its sites are not in this workbook: it has no coverage either
                continue
        return out

    def busy_curves(self, option_id: str) -> FirstFreeCurves:
        """The option's busy-unit and all-free distributions per hour class (kept once made)."""
        if option_id not in self._busy_curves:
            assert self.values is not None
            inputs = self.values.inputs
            deps = self.values.deployments.get(option_id, inputs.deployments.iloc[0:0])
            self._busy_curves[option_id] = first_free_curves(
                units_of(inputs, deps, option_id), raw_hour_weights(inputs),
                np.nan_to_num(inputs.areas["population"].to_numpy(np.float64)), GRID)
        return self._busy_curves[option_id]

    # --------------------------------------------------------------- refresh
    def refresh(self) -> None:
        cov = self.state.coverage
        inputs = self.state.inputs
        self.option_combo.blockSignals(True)
        previous = self.current_option()
        self.option_combo.clear()
        self.distribution.clear()
        self.week_lines.clear()
        self.values = None
        self._busy_curves = {}
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
        self.values = CoverValues(inputs, cov, self._deployments())

        areas = inputs.areas
        population = areas["population"].to_numpy(float)
        self.map.set_areas(areas["easting"].to_numpy(float), areas["northing"].to_numpy(float), population,
                           inputs.boundaries)
        self.map.set_sites(inputs.sites, set())
        self.distribution.load(cov, population, names)
        self.busy_chart.set_target(float(cov.target_minutes))
        self.week_lines.load(list(cov.option_ids))
        self.incident_panel.show_check(cov.incident_validation, float(cov.target_minutes),
                                       names.get(inputs.baseline_id, inputs.baseline_id))
        self._plot_week()
        self._redraw()

    def _week_table(self) -> pd.DataFrame:
        """The hourly shares the week's charts draw: the mode's (busy units, all free, second officer)."""
        cov = self.state.coverage
        assert cov is not None
        if self.current_mode() == ALL_FREE and cov.by_hour_all_free is not None:
            return cov.by_hour_all_free
        if self.current_mode() == BACKUP and cov.by_hour_backup is not None:
            return cov.by_hour_backup
        return cov.by_hour

    def _week_what(self, heat: bool = False) -> str:
        """What the week's charts show: the lines' title, or (``heat``) the words in
        brackets after the option's name on the heat map."""
        mode = self.current_mode()
        if mode == BACKUP and self.values is not None:
            minutes = f"{self.values.inputs.parameters.backup_target_minutes:g}"
            return f"second officer within {minutes} min" if heat else \
                f"Within {minutes} min, by hour: second armed officer"
        what = "every unit free" if mode == ALL_FREE else "busy units allowed for"
        return what if heat else f"Within target, by hour: {what}"

    def _plot_week(self) -> None:
        """The hour-of-week lines and the heat map's scale: busy-unit cover, or all-free cover."""
        if self.state.coverage is None or not self.week_lines.curves:
            return
        table = self._week_table()
        self.week_lines.set_table(table, self._week_what())
        values = table.to_numpy(float)
        self.heat_map.set_levels(float(np.nanmin(values)), float(np.nanmax(values)))

    def _redraw(self) -> None:
        cov = self.state.coverage
        values = self.values
        oid = self.current_option()
        hour = self.week_hour()
        if cov is None or values is None or oid is None:
            return
        names = self.state.option_names()
        self.map.set_sites(values.inputs.sites, values.sites_used(oid, hour))
        self.map.set_values(*values.colouring(oid, hour, self.current_mode(), self.diff_check.isChecked()))
        self._show_distribution(oid, hour)
        self.week_lines.show(oid, hour)
        colour = palette.option_colour(cov.option_ids.index(oid))
        if self.chart_tabs.is_current(self.busy_chart.widget):  # made only when looked at
            self.busy_chart.show(self.busy_curves(oid), colour, names.get(oid, oid), hour)
        short = names.get(oid, oid)
        short = short if len(short) <= 28 else short[:27] + "…"
        # The heat map shows the option's own cover; with the map on "Difference from baseline"
        # its title says so, as an analyst had read it as the difference too.
        own = ", not a difference" if self.diff_check.isChecked() else ""
        self.heat_map.show(self._week_table()[oid].to_numpy(float),
                           f"{short}:<br>% covered ({self._week_what(heat=True)}){own}", hour)
        self.key.setVisible(self.chart_tabs.is_current(self.distribution.plot)
                            or self.chart_tabs.is_current(self.week_lines.plot))
        self.key.set_options([(names.get(o, o), palette.option_colour(i)) for i, o in enumerate(cov.option_ids)],
                             emphasis=names.get(oid, oid))
        backup = (float(values.inputs.parameters.backup_target_minutes)
                  if self.current_mode() == BACKUP and cov.by_hour_backup is not None else None)
        self.summary.setText(summary_text(cov, oid, values.inputs.baseline_id, hour, names, backup_target=backup,
                                          all_free=self.current_mode() == ALL_FREE))

    #: The "All options" chart's title in each mode: on the second-officer map it still
    #: shows the first armed unit (a second officer's arrival has no curve of its own), and
    #: says so, or a reader takes the curve beside the map for the map's.
    DISTRIBUTION_WHAT = {BUSY: "Response allowing for busy units", ALL_FREE: "Response if every unit were free",
                         BACKUP: "First officer only; map shows the second"}

    def _show_distribution(self, oid: str, hour: int) -> None:
        """Every option's response curve in the mode the switch names (busy-unit curves made
        only when the chart is looked at, and kept)."""
        mode = self.current_mode()
        if mode == ALL_FREE or not self.chart_tabs.is_current(self.distribution.plot):
            self.distribution.show(oid, hour, what=self.DISTRIBUTION_WHAT[ALL_FREE])
            return

        def busy(option_id: str) -> np.ndarray:
            curves = self.busy_curves(option_id)
            return (curves.week() if hour == ALL_DAY else curves.at_hour(hour))[0]

        self.distribution.show(oid, hour, busy, self.DISTRIBUTION_WHAT[mode])

    def _sites_active(self, oid: str, hour: int) -> set[str]:
        """Sites with a deployment of the option on duty in hour ``hour`` of the week."""
        assert self.values is not None
        return self.values.sites_used(oid, hour)

    def _area_tip(self, i: int) -> str:
        oid = self.current_option()
        if self.values is None or oid is None:
            return ""
        return self.values.area_tip(i, oid, self.week_hour(), self.state.option_names().get(oid, oid),
                                    backup=self.current_mode() == BACKUP)

    # ----------------------------------------------------------------- export
    def current_chart(self) -> QWidget:
        self.flush()
        return self.splitter

    def current_chart_name(self) -> str:
        oid = self.current_option() or "coverage"
        return f"coverage-{oid}"
