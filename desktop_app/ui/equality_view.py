"""The Equality view: population coverage of each community group, option by option.

docs/appraisal-method.md#equality. For each Areas column named by ``equality_columns``
(the sample's IMD decile) the run holds every option's ``population_coverage`` over each
group's areas only (:func:`desktop_app.core.appraisal.equality.equality_breakdown`); this
view shows it as a small table (groups x options) and a chart (one line per option across
the groups, the top option drawn heavier), with the sentence on the widest gap for the
top option (:func:`~desktop_app.core.appraisal.equality.widest_gap`). Coverage does not
depend on the weights; which option is "top" does, so the sentence follows the sliders.
"""

from __future__ import annotations

from html import escape as esc  # workbook text shown as rich text is text, never markup

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.core.appraisal.equality import axis_words, column_words, group_label, widest_gap
from desktop_app.ui import palette
from desktop_app.ui.awaiting import awaiting_options
from desktop_app.ui.charts import add_legend, make_plot, pen, short_name, wrap_name
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.state import AppState
from desktop_app.ui.view_layout import lay_out_view, summary_label


class EqualityView(LazyRefreshWidget):
    """A column selector, the groups x options table, the chart and the widest-gap sentence."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("equalityView")
        self.column = QComboBox()
        self.column.setToolTip("The Areas column (from equality_columns) whose groups the cover is broken down by")
        self.column.setAccessibleName("Equality column")
        self.column.currentIndexChanged.connect(lambda _i: self._schedule())
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Group residents by:"))
        controls.addWidget(self.column)
        controls.addStretch(1)
        self.summary = summary_label("", "The widest gap between groups")
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Population covered within target, by group and option")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # each column as wide as its name's longest word, so no name is cut mid-word; the
        # table scrolls sideways when six names do not fit beside the chart
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(600)  # six options' names (three short lines each) side by side at 1366 pixels
        self.chart = make_plot(left="Residents covered within target", bottom="Group",
                               accessible_name="Coverage by group")
        self.body = body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.table)
        body.addWidget(self.chart)
        body.setStretchFactor(0, 3)  # the table's six whole names first, the chart the rest
        body.setStretchFactor(1, 2)
        body.setChildrenCollapsible(False)
        lay_out_view(self, "Equality", controls, self.summary, body)
        state.coverage_changed.connect(self._schedule)
        state.appraisal_changed.connect(self._schedule)
        self.refresh()

    def sentence(self) -> str | None:
        """The widest gap in the top option's coverage, in words (None: nothing to compare)."""
        run, app = self.state.run, self.state.appraisal
        if run is None or app is None:
            return None
        gap = widest_gap(run.equality, app.top_option)
        if gap is None:
            return None
        return gap.sentence(self.state.option_names().get(gap.option_id, gap.option_id) + " (the top option)")

    def refresh(self) -> None:
        self._dirty = False
        run, app = self.state.run, self.state.appraisal
        self.chart.getPlotItem().clear()
        breakdown = run.equality if run is not None else {}
        chosen = self.column.currentData()
        self.column.blockSignals(True)
        self.column.clear()
        for name in breakdown:  # shown in words, the Areas column's name kept as the item's data
            self.column.addItem(column_words(name), name)
        if chosen in breakdown:
            self.column.setCurrentIndex(self.column.findData(chosen))
        self.column.blockSignals(False)
        if run is None or app is None:
            self.summary.setText("Open a valid workbook to see how each option falls on different communities.")
            self.table.setRowCount(0)
            return
        if not breakdown:
            self.summary.setText("The workbook names no equality_columns (Parameters): name an Areas column "
                                 "(e.g. an IMD decile) to see coverage by group (docs/appraisal-method.md#equality).")
            self.table.setRowCount(0)
            return
        column = str(self.column.currentData())
        groups = breakdown[column]
        options = self.state.option_ids()
        names = self.state.option_names()
        waiting = set(awaiting_options(self.state))
        text = esc(self.sentence() or "")
        if waiting:
            text += " Options awaiting scores are shown (coverage is measured) but not ranked."
        self.summary.setText(text)
        self._draw_table(column, groups, options, names, waiting)
        self._draw_chart(groups, options, names, app.top_option)
        self.chart.getPlotItem().setLabel("bottom", axis_words(column))

    def _draw_table(self, column: str, groups: dict[str, dict[str, float | None]], options: list[str],
                    names: dict[str, str], waiting: set[str]) -> None:
        self.table.setColumnCount(len(options))
        self.table.setRowCount(len(groups))
        # option names in the headers, wrapped to two lines (the code and full name in the tooltip)
        self.table.setHorizontalHeaderLabels([wrap_name(names.get(o, o), 11, lines=3)
                                              + ("\n(awaiting scores)" if o in waiting else "") for o in options])
        for c, o in enumerate(options):
            header = self.table.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(f"{o} {names.get(o, o)}")
        # "1 (most deprived)" ... "10 (least deprived)": the column's name is in the selector
        self.table.setVerticalHeaderLabels([group_label(column, g) for g in groups])
        for r, by in enumerate(groups.values()):
            for c, o in enumerate(options):
                v = by.get(o)
                item = QTableWidgetItem("–" if v is None else f"{v:.0%}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, c, item)
        self._fit_table()

    def _fit_table(self) -> None:
        """Give the table the width of its whole names (up to 60% of the view), the chart the rest."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        needed = (self.table.verticalHeader().width() + header.length() + 2 * self.table.frameWidth()
                  + self.table.verticalScrollBar().sizeHint().width())
        total = sum(self.body.sizes())
        if total > 0:
            table = min(needed, int(0.6 * total))
            self.body.setSizes([table, total - table])

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.table.columnCount():
            self._fit_table()

    def _draw_chart(self, groups: dict[str, dict[str, float | None]], options: list[str],
                    names: dict[str, str], top: str) -> None:
        item = self.chart.getPlotItem()
        labels = list(groups)
        xs = np.arange(len(labels), dtype=float)
        legend = add_legend(self.chart, offset=(10, -10))
        for i, o in enumerate(options):
            ys = np.array([np.nan if (v := groups[g].get(o)) is None else 100.0 * v for g in labels])
            heavy = o == top
            curve = pg.PlotDataItem(xs, ys, pen=pen(palette.option_colour(i), 3.5 if heavy else 1.5),
                                    symbol="o", symbolSize=7 if heavy else 5,
                                    symbolBrush=palette.option_colour(i), symbolPen=None)
            item.addItem(curve)
            legend.addItem(curve, short_name(names.get(o, o), 32) + (" (top)" if heavy else ""))
        item.getAxis("bottom").setTicks([[(float(x), g) for x, g in zip(xs, labels, strict=True)]])
        item.getAxis("left").setLabel("Residents covered within target (%)")
        item.setYRange(0, 100, padding=0.02)
