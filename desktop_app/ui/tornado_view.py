"""The Parameter sensitivity view: a tornado chart for the top two options, and the lines in words.

docs/appraisal-method.md#parameter-sensitivity. For each Uncertainty row the appraisal is
re-run in full at the row's low and high value
(:func:`desktop_app.core.appraisal.what_if.parameter_sensitivity`); each bar of an
option's tornado runs from its total at one end to its total at the other, widest swing
at the top, with the option's total as the workbook stands as the centre line. Under the
charts, one line per row in the room's words: "The top option changes from OPT1 to OPT2
if the armed response officers' busy fraction exceeds 0.384 (the workbook has 0.35)."

The rows come with the run (under the workbook's weights); "Re-run under the current
weights" repeats them under the sliders' weights through the window's task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop_app.core.appraisal.what_if import (
    ParameterSwing,
    cost_words,
    parameter_sensitivity,
    parameter_words,
    tornado_bars,
)
from desktop_app.core.workbook.appraisal_sheets import override_target
from desktop_app.ui import palette
from desktop_app.ui.awaiting import awaiting_sentence
from desktop_app.ui.charts import make_plot, point_font, short_name, tick_font
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.rerun_state import is_stale, screen_choice, stale_key
from desktop_app.ui.stale_banner import StaleBanner
from desktop_app.ui.state import AppState
from desktop_app.ui.view_layout import lay_out_view, summary_label

RunTask = Callable[..., Any]
LOW_COLOUR = "#5694ca"   # the low end's bar half (palette's accent, lighter)
HIGH_COLOUR = "#003078"  # the high end's bar half (palette.ACCENT_DARK)
TITLE_PT = 10


def title_over_whole_chart(chart: pg.PlotWidget) -> None:
    """Put ``chart``'s title over the whole chart (axis and plot), not over the plot alone.

    pyqtgraph sets its title over the plot's column and makes that column at least as wide
    as the title. The tornado's left axis is 250-340 px of bar labels, so at 1024x768 the
    top option's title (about 310 px) made the column wider than the 208 px the chart had
    left: the plot ran 98 px past the chart's right edge, cutting off the title's total,
    the axis above 63 and the low end's bar.
    """
    item = chart.getPlotItem()
    item.layout.removeItem(item.titleLabel)
    item.layout.addItem(item.titleLabel, 0, 0, 1, 3)


def fitted_title(name: str, base: float, width: int) -> str:
    """The chart's title, "<option> (total 63.3)", within ``width`` pixels.

    The name is shortened (ending "…", at most 40 characters) only as far as the width
    needs; the total is always whole. The full name is in the sentences under the charts.
    """
    fm = QFontMetrics(point_font(TITLE_PT, True))
    total = f" (total {base:.1f})"
    room = width - fm.horizontalAdvance(total) - 12
    limit = 40
    while limit > 8 and fm.horizontalAdvance(short_name(name, limit)) > room:
        limit -= 1
    return short_name(name, limit) + total


class TornadoView(LazyRefreshWidget):
    """Two tornado charts (top option, runner-up) and one sentence per Uncertainty row."""

    rerun_finished = Signal()

    def __init__(self, state: AppState, run_task: RunTask, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.run_task = run_task
        self.setObjectName("tornadoView")
        self.swings: list[ParameterSwing] | None = None  # re-run in the app (None: the run's own)
        self._base_totals: Any = None
        self._weights_name = ""
        #: What the shown re-runs were made under (weights, judgement edits, value functions).
        self._made_under: Any = None
        self.task: Any = None
        self.rerun_button = QPushButton("Re-run under the current weights")
        self.rerun_button.setToolTip("Re-run the parameter sensitivity (each Uncertainty row at its low and high "
                                     "value) under the weights, judgement edits and value functions now on screen")
        self.rerun_button.clicked.connect(self.rerun)
        controls = QHBoxLayout()
        controls.addWidget(self.rerun_button)
        controls.addStretch(1)
        self.summary = summary_label("", "Parameter sensitivity in words")
        self.charts = [make_plot(left="", bottom="Total value", accessible_name=f"Tornado chart {i + 1}")
                       for i in range(2)]
        #: Each chart's (option name, total) for its title, fitted again when the chart resizes.
        self._titles: dict[int, tuple[str, float]] = {}
        for chart in self.charts:
            chart.getPlotItem().showGrid(x=True, y=False, alpha=0.18)
            chart.setMinimumHeight(220)
            title_over_whole_chart(chart)
            chart.installEventFilter(self)
        row = QSplitter(Qt.Orientation.Horizontal)
        for chart in self.charts:
            row.addWidget(chart)
        self.lines = QLabel("")
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)  # workbook names as written, never markup
        self.lines.setAccessibleName("What would change the top option")
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(row, 1)
        bl.addWidget(self.lines)
        lay_out_view(self, "Parameter sensitivity", controls, self.summary, body)
        self.stale_banner = StaleBanner(self.rerun, body)
        self.stale_banner.place_above(self, self.summary)
        state.coverage_changed.connect(self._forget)
        state.appraisal_changed.connect(self._schedule)
        self.refresh()

    def _forget(self) -> None:
        self.swings, self._base_totals, self._weights_name, self._made_under = None, None, "", None
        self._schedule()

    def current(self) -> tuple[Any, list[ParameterSwing]]:
        """(totals as the workbook stands, the swings) under the same weights."""
        run = self.state.run
        if self.swings is not None:
            return self._base_totals, self.swings
        if run is None:
            return None, []
        return run.appraisal.totals, list(run.parameter_sensitivity)

    def rerun(self) -> Any:
        run, app = self.state.run, self.state.appraisal
        if run is None or app is None or not len(run.inputs.uncertainty):
            return None
        inputs, choice = screen_choice(self.state, run.inputs)
        top, totals, name = app.top_option, app.totals, self.state.weights_name()

        made_under = stale_key(self.state)

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> list[ParameterSwing]:
            return parameter_sensitivity(inputs, choice, top, cancelled, progress=progress)

        def done(swings: list[ParameterSwing]) -> None:
            self.swings, self._base_totals, self._weights_name = swings, totals, name
            self._made_under = made_under
            self.refresh()
            self.rerun_finished.emit()

        self.task = self.run_task(job, "Re-running parameter sensitivity", done)
        return self.task

    def sentences(self) -> list[str]:
        """One line per Uncertainty row, the parameter in words (option costs name the option)."""
        _, swings = self.current()
        names = self.state.option_names()
        return [s.in_words(names) for s in swings]

    def refresh(self) -> None:
        self._dirty = False
        totals, swings = self.current()
        run = self.state.run
        for chart in self.charts:
            chart.getPlotItem().clear()
        self._titles.clear()
        self.rerun_button.setEnabled(bool(swings))
        self.stale_banner.set_stale(False)
        if run is None or totals is None:
            self.summary.setText("Open a valid workbook to see which inputs drive the result.")
            self.lines.setText("")
            return
        if not swings:
            self.summary.setText("The workbook has no Uncertainty rows: add the inputs you are unsure of "
                                 "(busy fractions, mobilisation, costs) with a low and a high value.")
            self.lines.setText("")
            return
        whose = self._weights_name or run.appraisal.weights_name
        self.stale_banner.set_stale(is_stale(self.state, self._made_under))
        self.summary.setText(f"Each bar: an option's total with one input at its low and at its high value, "
                             f"a full re-run each, under {esc(str(whose))}. Light: low end; dark: high end; "
                             f"the line: as the workbook stands. "  # out of date: the amber bar says so
                             + awaiting_sentence(self.state))
        order = totals.sort_values(ascending=False).index.tolist()
        names = self.state.option_names()
        for chart, oid in zip(self.charts, order[:2], strict=False):
            self._draw(chart, swings, str(oid), float(totals[oid]), names.get(str(oid), str(oid)))
        self.lines.setText("\n".join(self.sentences()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A chart resized (the window, or the splitter between the charts): fit its title again."""
        if event.type() == QEvent.Type.Resize and isinstance(watched, pg.PlotWidget):
            self._set_title(watched)
        return super().eventFilter(watched, event)

    def _set_title(self, chart: pg.PlotWidget) -> None:
        if id(chart) in self._titles:
            name, base = self._titles[id(chart)]
            chart.getPlotItem().setTitle(esc(fitted_title(name, base, chart.width())), color=palette.INK,
                                         size=f"{TITLE_PT}pt", bold=True)

    def _draw(self, chart: pg.PlotWidget, swings: list[ParameterSwing], oid: str, base: float, name: str) -> None:
        item = chart.getPlotItem()
        bars = tornado_bars(swings, oid, base)
        self._titles[id(chart)] = (name, base)
        self._set_title(chart)
        n = len(bars)
        ys = np.arange(n)[::-1].astype(float)  # widest at the top
        for (_param, lo, hi), y in zip(bars, ys, strict=True):
            for end, colour in ((lo, LOW_COLOUR), (hi, HIGH_COLOUR)):
                left, width = min(base, end), abs(end - base)
                item.addItem(pg.BarGraphItem(x0=[left], y=[y], height=0.6, width=[max(width, 1e-6)],
                                             brush=pg.mkBrush(colour), pen=pg.mkPen(colour)))
        item.addItem(pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen(palette.INK, width=1.5)))
        axis = item.getAxis("left")
        names = self.state.option_names()
        labels = [_label(p, swings, names) for p, _, _ in bars]
        axis.setTicks([[(float(y), t) for y, t in zip(ys, labels, strict=True)]])
        # as wide as the longest label (pyqtgraph drops a tick label wider than its axis),
        # within 250-340 px so the bars keep most of the chart
        fm = QFontMetrics(tick_font())
        axis.setWidth(min(340, max(250, max((fm.horizontalAdvance(t) for t in labels), default=0) + 24)))
        axis.setStyle(textFillLimits=[(0, 0.99)])  # every row's label, however many rows
        if bars:
            xs = [v for _, lo, hi in bars for v in (lo, hi)] + [base]
            pad = max(0.5, 0.1 * (max(xs) - min(xs)))
            item.setXRange(min(xs) - pad, max(xs) + pad, padding=0)
            item.setYRange(-0.6, n - 0.4, padding=0)


def _label(parameter: str, swings: list[ParameterSwing], names: dict[str, str] | None = None) -> str:
    """The bar's axis label: the input in words and its range, short enough for the axis.

    An option's cost reads "One-off cost: <option name>" (the kind of cost first, so
    shortening keeps it) rather than the option's code.
    """
    s = next(x for x in swings if x.parameter == parameter)
    money = parameter.endswith("_gbp")

    def fmt(v: float) -> str:
        return f"£{v / 1000:,.0f}k" if money else f"{v:g}"

    target = override_target(parameter)
    if target is not None and target[1] is not None:
        column, option = target[0], str(target[1])
        words = f"{cost_words(column)}: {(names or {}).get(option, option)}"
        return f"{short_name(words[0].upper() + words[1:], 26)}  {fmt(s.low)}–{fmt(s.high)}"
    # short enough to fit the axis (pyqtgraph drops a tick label wider than the axis)
    words = parameter_words(parameter).removeprefix("the ")
    words = words.replace("armed response officers'", "AROs'").replace("ARV crews'", "ARVs'")
    words = words.replace("mobilisation minutes", "mobilisation")
    return f"{short_name(words[0].upper() + words[1:], 26)}  {fmt(s.low)}–{fmt(s.high)}"
