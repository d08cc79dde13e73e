"""The simulation view: what happens when armed incidents actually arrive?

The analytic cover assumes every unit is busy with other work independently and never
tied up by another armed incident. The simulation (:mod:`desktop_app.core.simulation`)
keeps the first assumption and drops the second: it sends units to a stream of
incidents and keeps them committed, so where incidents are frequent it shows what
ignoring those commitments misses. This view runs it in the window's task
runner (progress and Cancel), then shows per option the simulated figures with their
95% confidence intervals beside the analytic ones, and a chart of simulated against
analytic cover within target (docs/simulation.md). What a run says in words (the summary,
its hover text, the marks beside figures) is ui/simulation_words.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape as esc
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.simulation import figures
from desktop_app.core.workbook import schema
from desktop_app.ui import palette
from desktop_app.ui.charts import make_plot, wrap_name
from desktop_app.ui.keyboard import chain, explain
from desktop_app.ui.simulation_words import OUTSIDE, outside_tip, run_summary, run_tooltip
from desktop_app.ui.state import AppState
from desktop_app.ui.view_layout import lay_out_view, summary_label
from desktop_app.ui.worker import TaskRunner

#: Each simulated figure beside its analytic twin over the same incidents, as the printed
#: table has them. Every option answers the same incidents (one stream per replication),
#: so their number is said once, in the summary, not repeated down a column. Headers of
#: at most three short lines and cells of two (the figure, then its interval): the nine
#: columns fit the 984 pixels a 1024-pixel window leaves the table.
COLUMNS = ("Option", "Within\ntarget\n(95% CI)", "Within\ntarget,\nanalytic",
           "Second\nofficer\n(95% CI)", "Second\nofficer,\nanalytic", "Median\nminutes\n(95% CI)",
           "Median\nminutes,\nanalytic", "90th\npercentile\n(95% CI)", "90th\npercentile,\nanalytic")

#: The least height of the chart's plot (between its title and its option names), in px.
#: The table had taken every pixel it wanted first, so at 1024x768 the plot was 70 px tall
#: with two gridlines; 100 px is what 1366x768 gives it with every row of the table shown.
PLOT_MIN_HEIGHT = 100

class SimulationView(QWidget):
    """Controls (years, replications, seed, incidents a year), the table and the chart."""

    simulated = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None,
                 run_task: Callable[..., TaskRunner | None] | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.result: Any = None
        self.task: TaskRunner | None = None
        self.run_task = run_task
        self._workbook_rate: float | None = None
        self.setObjectName("simulationView")

        self.years = self._spin(1, 100, 10, "Years simulated per replication", " years")
        self.replications = self._spin(2, 200, 20, "Replications", " replications")
        self.seed = self._spin(0, 2_000_000_000, 20240601, "Random seed", "")
        self.per_year = QDoubleSpinBox()
        # the workbook's own limit (a stray digit would run for minutes an option)
        self.per_year.setRange(0, float(schema.PARAMETERS_BY_NAME["armed_incidents_per_year"].maximum or 100_000))
        self.per_year.setDecimals(0)
        self.per_year.setSuffix(" a year")
        self.per_year.setAccessibleName("Armed incidents a year")
        self.per_year.setToolTip("From the workbook (armed_incidents_per_year, or the Incidents sheet); "
                                 "change it to try another demand without editing the workbook")
        self.run_button = QPushButton("Run the simulation")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.run_button.setAccessibleName("Run the simulation")
        self.run_button.setToolTip("Simulate the armed incidents of the years chosen, for every option")
        self.years.setToolTip("How many years of incidents each replication simulates")
        self.replications.setToolTip("How many independent runs: more give narrower confidence intervals")
        self.seed.setToolTip(explain("Seed"))

        controls = QHBoxLayout()
        for label, widget in (("Simulate", self.years), ("x", self.replications),
                              ("with", self.per_year), ("seed", self.seed)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.run_button)
        controls.addStretch(1)

        self.summary = summary_label("", "Simulation summary")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Simulated and analytic figures per option")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setTabKeyNavigation(False)  # Tab moves on; arrows move between cells

        # No "option" title under the axis: its ticks are the options' names, and at
        # 1366x768 the title's line was what pushed the table's sixth row out of sight.
        # The chart's floor drops by that line, so the plot keeps the same room.
        self.chart = make_plot("Share reached within target: simulated (95% CI) against analytic",
                               left="% within target",
                               accessible_name="Simulated against analytic cover per option")
        self.chart.setMinimumHeight(self.chart.minimumHeight() - self.fontMetrics().height())
        # The title's row as tall as its line: pyqtgraph's 30 px row left 6 px empty above the plot.
        title = self.chart.getPlotItem().titleLabel
        self.chart.getPlotItem().layout.setRowFixedHeight(0, math.ceil(title.itemRect().height()))
        # The key sits above the plot, not in it: inside, at 1024x768 it covered an error bar.
        self.chart_key = QLabel(
            f'<span style="color:{palette.ACCENT}">&#9679;</span> simulated (95% CI)'
            f'&nbsp;&nbsp;&nbsp;&nbsp;<span style="color:{palette.INK}">&#9671;</span> analytic (independent busy units)')
        self.chart_key.setTextFormat(Qt.TextFormat.RichText)
        self.chart_key.setAccessibleName("Key: filled circle simulated with its 95% CI; hollow diamond analytic")
        self.chart_key.setVisible(False)
        chart_box = QWidget()
        box = QVBoxLayout(chart_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.chart, 1)
        box.addWidget(self.chart_key, 0, Qt.AlignmentFlag.AlignHCenter)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(chart_box)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        self.split = split
        self._tick_chars = 0  # the width the chart's option names were last wrapped to

        lay_out_view(self, "Simulation: armed incidents, busy units and units already committed",
                     controls, self.summary, split)
        # Reading order once every control is in this view (Qt refuses, with a warning, to
        # order widgets that are not yet in one window).
        chain(self.years, self.replications, self.per_year, self.seed, self.run_button, self.table)
        for control in (self.years, self.replications, self.per_year, self.seed):
            control.valueChanged.connect(self._on_settings)
        state.inputs_changed.connect(self._on_inputs)
        state.options_changed.connect(self._on_options)
        self._on_inputs()

    @staticmethod
    def _spin(lo: int, hi: int, value: int, name: str, suffix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setValue(value)
        box.setSuffix(suffix)
        box.setAccessibleName(name)
        if suffix.endswith("s"):  # "1 year", "2 years"
            one = suffix[:-1]
            box.valueChanged.connect(lambda v: box.setSuffix(one if v == 1 else suffix))
        return box

    # ------------------------------------------------------------------ data
    def _clear_run(self) -> None:
        """No run on show: table, chart and key go; the settings the room typed stay."""
        self.result = None
        self.table.setRowCount(0)
        self.table.resizeColumnsToContents()  # the headers whole ("Within target (95% CI)" was cut)
        self.chart.getPlotItem().clear()
        # No chart until there is a run: empty axes from 0 to 1 under "% within target" read as a result.
        self.chart.setVisible(False)
        self.chart_key.setVisible(False)

    def _on_inputs(self) -> None:
        """A workbook opened: no run, and the rate box starts from the workbook's rate."""
        self._clear_run()
        inputs = self.state.inputs
        self.run_button.setEnabled(inputs is not None)
        if inputs is None:
            self.summary.setText("Open a force workbook to simulate its options.")
            return
        from desktop_app.core.errors import ToolError
        from desktop_app.core.simulation.inputs_adapter import workbook_rate

        try:
            rate, source = workbook_rate(inputs)
        except ToolError as exc:
            rate, source = None, exc.one_line()
        self._workbook_rate = rate
        self.per_year.setValue(rate or 0)
        where = (f"Incidents a year: {rate:,.0f}, from {esc(source)}." if rate else
                 f"<span style='color:{palette.WARNING}'>The workbook gives no rate of armed incidents (no "
                 "armed_incidents_per_year and no Incidents rows): enter how many a year in the box above.</span>")
        self.summary.setText(
            "Simulates every option (the workbook's and any added in the room): armed incidents arrive at random, each unit is busy with "
            f"other work part of the time, and a unit sent to an incident is tied up for a while. "
            f"{where} Press “Run the simulation”.")

    def _run_settings(self) -> tuple[int, int, float, int]:
        return (int(self.years.value()), int(self.replications.value()), float(self.per_year.value()),
                int(self.seed.value()))

    def _on_settings(self) -> None:
        """A control changed after a run: the table is the last run's, and the summary says so
        first, since a room that has just typed 500 a year reads the table as that run's."""
        r = self.result
        if r is None:
            return
        ran = (int(r.years), int(r.replications), float(round(r.per_year)), int(r.seed))
        if self._run_settings() == ran:
            self.summary.setText(run_summary(r))
            return
        self.summary.setText(
            f"<span style='color:{palette.WARNING}'><b>The settings above have changed since this run</b> "
            f"({r.years} year{'s' if r.years != 1 else ''} x {r.replications} replications at {r.per_year:,.0f} "
            f"a year, seed {r.seed}): press “Run the simulation” for figures at the new settings.</span><br>"
            + run_summary(r))

    def _on_options(self) -> None:
        """An option added or taken away in the room: the last run's table no longer lists
        the options there are, so it goes, and the summary says why."""
        if self.result is None:
            return
        # Not _on_inputs: that puts the workbook's rate back in the box, and an analyst's typed
        # 500 a year had silently become the workbook's 161 on the next run.
        self._clear_run()
        self.summary.setText("The options changed since the last run (one was added or taken away in the room): "
                             f"press “Run the simulation” to simulate them all, at {self.per_year.value():,.0f} "
                             "incidents a year as set above.")

    def _on_cancelled(self) -> None:
        """A run cancelled: the table keeps the last finished run, and the summary says so."""
        if self.result is None:
            self.summary.setText("The run was cancelled before it finished: nothing to show. Press "
                                 "“Run the simulation” to start again (fewer years or replications finish sooner).")
            return
        r = self.result
        self.summary.setText(
            f"<b>The last run was cancelled.</b> The figures below are from the run before it: {r.years} "
            f"year{'s' if r.years != 1 else ''} x {r.replications} replications, seed {r.seed}.")

    def run(self) -> None:
        """Simulate every workbook option in a worker, with progress and Cancel."""
        inputs = self.state.inputs
        if inputs is None or (self.task is not None and self.task.running):
            return
        per_year: float | None = float(self.per_year.value())
        if not per_year or per_year <= 0:
            # A missing input, not a failure: said where the room is looking, with the box to fill focused.
            self.summary.setText(f"<span style='color:{palette.WARNING}'><b>Enter how many armed incidents a year "
                                 "to simulate</b> (more than 0) in the box above, then press “Run the simulation”.</span>")
            self.per_year.setFocus()
            return
        years, reps, seed = int(self.years.value()), int(self.replications.value()), int(self.seed.value())
        if self._workbook_rate is not None and round(self._workbook_rate) == per_year:
            per_year = None  # the workbook's own rate (the box shows it rounded): say where it came from

        def job(progress: Any, cancelled: Any) -> Any:
            from desktop_app.core.simulation.run import simulate

            return simulate(inputs, years=years, replications=reps, seed=seed, per_year=per_year,
                            progress=progress, cancelled=cancelled)

        title = "Simulating armed incidents"
        if self.run_task is not None:  # the window's one task runner (docs/architecture.md)
            task = self.run_task(job, title, self._on_result, on_cancelled=self._on_cancelled)
            if task is None:  # the window is busy with another task and has said so
                return
        else:  # a view on its own (tests, benchmarks): its own runner
            task = TaskRunner(job, title=title, parent=self)
            task.finished.connect(self._on_result)
            task.cancelled.connect(self._on_cancelled)
            task.start()
        self.task = task
        self.run_button.setEnabled(False)
        task.done.connect(lambda: self.run_button.setEnabled(True))

    def _on_result(self, result: Any) -> None:
        self.result = result
        # The summary first: its lines take height from the splitter, and a fit made before
        # it was set left the table 17 px short at 1366x768 once the layout caught up.
        self.summary.setText(run_summary(result))
        self.summary.setToolTip(run_tooltip(result))  # the reading and the notes in full (the CLI prints them)
        self._fill_table()
        self._draw_chart()
        self._fit_split()
        QTimer.singleShot(0, self, self._fit_split)  # again once the new summary is laid out
        self.simulated.emit()

    def _fill_table(self) -> None:
        rows = self.result.options
        inputs = self.state.inputs
        names = dict(zip(inputs.options["option_id"].astype(str), inputs.options["option_name"].astype(str),
                         strict=True)) if inputs is not None else {}
        self.table.setRowCount(len(rows))
        for i, o in enumerate(rows):
            cells: list[tuple[str, str]] = [(names.get(o.option_id, o.option_id),
                                             f"{o.option_id} {names.get(o.option_id, '')}".strip())]
            base = self.result.baseline
            paired = ""  # on hover: the share against the baseline's, paired over the same incidents
            if base is not None and o is not base and self.result.replications > 1:
                beside = figures.analytic_beside(o, base)  # what the model expects where the run cannot tell
                paired = (f"Against {names.get(base.option_id, base.option_id)}, paired over the same incidents: "
                          f"{figures.against_baseline(o, base, missing='–')} (95% CI)"
                          + (f": {beside}" if beside else ""))
                caveat = figures.paired_caveat(self.result.options, self.result.replications)
                if caveat:
                    paired += f"\n({caveat[0].upper()}{caveat[1:]})"
            for k, pair in enumerate(figures.pairs(o)):
                fmt, outside = pair.fmt(missing="–"), pair.outside()
                cells += [(figures.with_interval(pair.simulated, fmt, sep="\n"), paired if k == 0 else ""),
                          (fmt(pair.analytic) + (f" {OUTSIDE}" if outside else ""), outside_tip(pair) if outside else "")]
            for j, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)  # the option's code, as in the workbook; why a figure is marked
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self._wrap_names()

    def _wrap_names(self) -> None:
        """Wrap the option names to the width the table leaves them, whole words, at most
        three lines.

        At 18 characters (what 1024 px leaves) a long name took three lines at 1366x768
        too, and the sixth row scrolled out of sight beside 400 unused pixels; a wider
        column gives two lines and every row fits.
        """
        t = self.table
        if t.rowCount() == 0:
            return
        figures_px = sum(t.sizeHintForColumn(j) for j in range(1, t.columnCount()))
        spare = t.viewport().width() - figures_px - 4
        chars = max(18, min(36, spare // max(t.fontMetrics().averageCharWidth(), 1)))
        for i in range(t.rowCount()):
            item = t.item(i, 0)
            if item is None:
                continue
            full = item.data(Qt.ItemDataRole.UserRole) or item.text()
            item.setData(Qt.ItemDataRole.UserRole, full)
            item.setText(wrap_name(full, chars, lines=3))
        t.resizeColumnsToContents()
        t.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.result is not None:
            self._wrap_names()
            self._fit_split()
            if self._tick_chars != self._chars_for_ticks():
                self._draw_chart()

    def _fit_split(self) -> None:
        """Give the table the height of its rows and the chart the rest.

        The splitter shares its height half and half, and before the first run the chart is
        hidden, so the table had taken it all: after a run the chart got what was left
        (100 pixels at 1920x1080) under a half-empty table.
        """
        t = self.table
        rows = t.verticalHeader().length() + t.horizontalHeader().height() + 2 * t.frameWidth()
        if t.horizontalScrollBar().isVisible():
            rows += t.horizontalScrollBar().height()
        total = sum(self.split.sizes())
        if total <= 0:
            return
        # The table is the figures; the chart repeats one column of them, so the table gets
        # its rows first and the chart keeps its own minimum (at 1366x768 the sixth row had
        # been half hidden to give the chart 40 pixels more).
        chart = self.chart.minimumHeight() + self.chart_key.sizeHint().height()
        self.split.setSizes([max(min(rows, total - chart), 0), max(total - rows, chart)])

    def _chars_for_ticks(self) -> int:
        """Characters a line each option's tick label has room for (18 to 30)."""
        count = len(self.result.options) if self.result is not None else 0
        per_option = self.chart.width() // max(count, 1)
        return max(18, min(30, per_option // max(self.fontMetrics().averageCharWidth(), 1) - 2))

    def chart_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(simulated mean, CI low, CI high, analytic) within target per option, in percent."""
        rows = self.result.options if self.result is not None else []
        sim = np.array([o.within_target.mean for o in rows], dtype=float) * 100
        low = np.array([o.within_target.low for o in rows], dtype=float) * 100
        high = np.array([o.within_target.high for o in rows], dtype=float) * 100
        ana = np.array([o.analytic_within_target for o in rows], dtype=float) * 100
        return sim, low, high, ana

    def _draw_chart(self) -> None:
        item = self.chart.getPlotItem()
        item.clear()
        if self.result is None or not self.result.options:
            return
        self.chart.setVisible(True)
        self.chart_key.setVisible(True)
        sim, low, high, ana = self.chart_points()
        x = np.arange(sim.size, dtype=float)
        ok = np.isfinite(low) & np.isfinite(high)
        if ok.any():
            item.addItem(pg.ErrorBarItem(x=x[ok] - 0.12, y=sim[ok], top=(high - sim)[ok], bottom=(sim - low)[ok],
                                         beam=0.12, pen=pg.mkPen(palette.ACCENT, width=2)))
        item.addItem(pg.ScatterPlotItem(x=x - 0.12, y=sim, size=12, brush=pg.mkBrush(palette.ACCENT),
                                        pen=pg.mkPen("w", width=1.5), name="simulated"))
        item.addItem(pg.ScatterPlotItem(x=x + 0.12, y=ana, size=12, symbol="d", brush=None,
                                        pen=pg.mkPen(palette.INK, width=2), name="analytic"))
        names = self.state.option_names()
        ids = [o.option_id for o in self.result.options]
        # Whole words on up to three lines, as wide as each option's share of the axis
        # allows: cut to 22 characters, "Arm rural response of…" and "Neighbour
        # collaborati…" were cut even at 1920 pixels.
        chars = self._tick_chars = self._chars_for_ticks()
        ticks = [(float(i), wrap_name(names.get(oid, oid), chars, lines=3)) for i, oid in enumerate(ids)]
        axis = item.getAxis("bottom")
        axis.setTicks([ticks])
        # pyqtgraph sizes the axis for one line of tick text; give it every line used.
        lines = max(t.count("\n") + 1 for _, t in ticks)
        axis_height = lines * self.fontMetrics().lineSpacing() + 12
        axis.setHeight(axis_height)
        # The chart's least height keeps the plot readable (its gridlines' values and the
        # points apart) whatever the names' lines take; the table scrolls for the rest.
        title_row = math.ceil(item.layout.rowMinimumHeight(0))
        self.chart.setMinimumHeight(title_row + axis_height + PLOT_MIN_HEIGHT + 2 * self.chart.frameWidth() + 2)
        values = np.concatenate([sim, ana, low[ok], high[ok]])
        values = values[np.isfinite(values)]
        lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 100.0)
        span = max(hi - lo, 1.0)
        item.setYRange(lo - span * 0.15, hi + span * 0.15, padding=0)
        item.setXRange(-0.6, sim.size - 0.4, padding=0)
