"""The Scenarios view: every Scenarios group side by side with the workbook as it stands.

docs/appraisal-method.md#scenarios. Each scenario is a full re-run (measures, local
scales, value scores, totals and ranks), the path ``appraise --scenario`` takes
(:func:`desktop_app.core.appraisal.what_if.run_scenarios`). Opening a workbook already
re-runs every scenario under the workbook's weights; "Re-run under the current weights"
repeats them under the sliders' weights and the room's judgement edits, through the
window's one task runner (progress and Cancel), never on the GUI thread.

The comparison table is options x (as it stands, each scenario): total value and rank.
The selector picks one scenario for its key measures beside the workbook's and the
overrides it applies. Options awaiting scores are listed, never ranked.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.what_if import Rerun, override_words, run_scenarios
from desktop_app.core.results import Appraisal
from desktop_app.ui.awaiting import awaiting_sentence
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.rerun_state import is_stale, screen_choice, stale_key
from desktop_app.ui.stale_banner import StaleBanner
from desktop_app.ui.state import AppState
from desktop_app.ui.table_fit import ColumnFitter, content_height, header_text
from desktop_app.ui.view_layout import lay_out_view, summary_label

#: ``MainWindow.run_task``.
RunTask = Callable[..., Any]

AS_IT_STANDS = "As the workbook stands"
#: The key measures shown for the chosen scenario: (measure, heading, format).
KEY_MEASURES = (
    ("threat_coverage", "Threat covered", "{:.1%}"),
    ("backup_coverage", "Back-up cover", "{:.1%}"),
    ("p90_response_minutes", "90th percentile (minutes)", "{:.1f}"),
    ("whole_life_cost_gbp", "Whole-life cost", "£{:,.0f}"),
)
FIRST_BRUSH = QBrush(QColor("#d2e4f4"))


def _item(text: str, *, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)
    return item


def _table(name: str) -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    ColumnFitter(table)  # columns as wide as their cells, never an equal share (ui/table_fit.py)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _money_rounded(text: str, value: float) -> str:
    # costs to the nearest £1,000 wherever a person reads them (docs/appraisal-method.md#green-book-costs)
    return text.format(round(value, -3)) if text.startswith("£") else text.format(value)


class ScenariosView(LazyRefreshWidget):
    """A scenario selector, the options x scenarios comparison and the chosen scenario's measures."""

    rerun_finished = Signal()

    def __init__(self, state: AppState, run_task: RunTask, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.run_task = run_task
        self.setObjectName("scenariosView")
        #: Re-runs made in the app under the weights named in ``_weights_name`` (None: the run's own).
        self.reruns: dict[str, Rerun] | None = None
        self._base: Appraisal | None = None
        self._weights_name = ""
        #: What the shown re-runs were made under (weights, judgement edits, value functions).
        self._made_under: Any = None
        self.task: Any = None

        self.selector = QComboBox()
        self.selector.setToolTip("The scenario whose key measures are shown beside the baseline's")
        self.selector.setAccessibleName("Scenario")
        self.selector.setMinimumWidth(220)
        self.selector.currentIndexChanged.connect(lambda _i: self._draw_measures())
        self.rerun_button = QPushButton("Re-run the scenarios under the current weights")
        self.rerun_button.setToolTip("Run every scenario again (coverage and appraisal) under the weights, judgement "
                                     "edits and value functions now on screen")
        self.rerun_button.clicked.connect(self.rerun)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Scenario:"))
        controls.addWidget(self.selector)
        controls.addWidget(self.rerun_button)
        controls.addStretch(1)
        self.summary = summary_label("", "What the scenarios change")

        self.comparison = _table("Options by scenario: total value and rank")
        self.overrides_label = summary_label("", "What the chosen scenario changes")
        self.measures = _table("Key measures: the workbook and the chosen scenario")
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.overrides_label)
        ll.addWidget(self.measures, 1)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.comparison)
        body.addWidget(lower)
        body.setChildrenCollapsible(False)
        body.setStretchFactor(0, 0)
        body.setStretchFactor(1, 1)
        self.body = body
        self._fitter(self.comparison).fitted.connect(self._cap_comparison)
        lay_out_view(self, "Scenarios", controls, self.summary, body)
        self.stale_banner = StaleBanner(self.rerun, body)
        self.stale_banner.place_above(self, self.summary)

        state.coverage_changed.connect(self._forget)
        state.appraisal_changed.connect(self._schedule)
        self.refresh()

    # ------------------------------------------------------------------ data
    def _forget(self) -> None:
        """A new run (a workbook opened, an option added): its own scenarios apply again."""
        self.reruns, self._base, self._weights_name, self._made_under = None, None, "", None
        self._schedule()

    def current(self) -> tuple[Appraisal | None, dict[str, Rerun]]:
        """The appraisal as it stands and the scenario re-runs under the same weights."""
        run = self.state.run
        if self.reruns is not None:
            return self._base, self.reruns
        if run is None:
            return None, {}
        return run.appraisal, dict(run.scenarios)

    def rerun(self) -> Any:
        """Every scenario again under the sliders' weights and the room's judgement edits (background)."""
        run, app = self.state.run, self.state.appraisal
        if run is None or app is None or not run.inputs.scenario_names():
            return None
        inputs, choice = screen_choice(self.state, run.inputs)
        name = self.state.weights_name()

        made_under = stale_key(self.state)

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Rerun]:
            return run_scenarios(inputs, choice, cancelled, progress=progress)

        def done(reruns: dict[str, Rerun]) -> None:
            self.reruns, self._base, self._weights_name = reruns, app, name
            self._made_under = made_under
            self.refresh()
            self.rerun_finished.emit()

        self.task = self.run_task(job, "Re-running the scenarios", done)
        return self.task

    # ------------------------------------------------------------------ display
    def refresh(self) -> None:
        self._dirty = False
        base, reruns = self.current()
        run = self.state.run
        names = self.state.option_names()
        self.rerun_button.setEnabled(bool(reruns))
        self.stale_banner.set_stale(False)
        if run is None or base is None:
            self.summary.setText("Open a valid workbook to compare its scenarios.")
            self.comparison.setRowCount(0)
            self.measures.setRowCount(0)
            return
        if not reruns:
            self.summary.setText("The workbook has no Scenarios sheet rows: add scenarios (e.g. a SEVERE threat "
                                 "level, a 15-minute target) to compare them here (docs/workbook-format.md).")
        else:
            whose = self._weights_name or run.appraisal.weights_name
            tops = "; ".join(f"{esc(n)}: <b>{esc(names.get(r.appraisal.top_option, r.appraisal.top_option))}</b>"
                             for n, r in reruns.items())
            # The amber bar says when these are out of date; the paragraph had said it again.
            self.stale_banner.set_stale(is_stale(self.state, self._made_under))
            self.summary.setText(
                f"Each scenario is a full re-run (measures, scales, scores and ranks) under {esc(str(whose))}. "
                f"Top option as it stands: <b>{esc(names.get(base.top_option, base.top_option))}</b>; "
                f"{tops}. " + awaiting_sentence(self.state))
        selected = self.selector.currentText()
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.addItems(list(reruns))
        if selected in reruns:
            self.selector.setCurrentText(selected)
        self.selector.blockSignals(False)
        self._draw_comparison(base, reruns)
        self._draw_measures()

    def _draw_comparison(self, base: Appraisal, reruns: dict[str, Rerun]) -> None:
        options = self.state.option_ids()
        names = self.state.option_names()
        columns = [AS_IT_STANDS, *reruns]
        apps = [base, *(r.appraisal for r in reruns.values())]
        self.comparison.setColumnCount(len(columns))
        self.comparison.setRowCount(len(options))
        self.comparison.setHorizontalHeaderLabels(columns)
        self.comparison.setVerticalHeaderLabels([names.get(o, o) for o in options])
        for c, app in enumerate(apps):
            for r, o in enumerate(options):
                if o not in app.totals.index:
                    self.comparison.setItem(r, c, _item("awaiting scores"))
                    continue
                rank = int(app.ranks[o])
                item = _item(f"{float(app.totals[o]):.1f}   (rank {rank})", bold=rank == 1)
                if rank == 1:
                    item.setBackground(FIRST_BRUSH)
                self.comparison.setItem(r, c, item)
        self._fitter(self.comparison).fit()

    def _cap_comparison(self) -> None:
        """No taller than its rows: the splitter had shared its height half and half, leaving
        17 px empty under this table at 1024x768 while the key measures' last row was cut."""
        rows = content_height(self.comparison)
        self.comparison.setMaximumHeight(rows)
        total = sum(self.body.sizes())
        if total > 0:  # the splitter shares by size hints: the key measures get the rest
            top = min(rows, max(total - self.body.widget(1).minimumSizeHint().height(), 0))
            self.body.setSizes([top, total - top])

    @staticmethod
    def _fitter(table: QTableWidget) -> ColumnFitter:
        fitter = table.findChild(ColumnFitter)
        assert fitter is not None  # every table here is made by _table
        return fitter

    def cell(self, option_id: str, column: str) -> str:
        """The comparison's text for one option and column (for tests and screen readers)."""
        options = self.state.option_ids()
        cols = [header_text(self.comparison, c) for c in range(self.comparison.columnCount())]
        item = self.comparison.item(options.index(option_id), cols.index(column))
        return item.text() if item is not None else ""

    def _draw_measures(self) -> None:
        _, reruns = self.current()
        run = self.state.run
        chosen = reruns.get(self.selector.currentText()) if reruns else None
        if run is None or chosen is None:
            self.overrides_label.setText("")
            self.measures.setRowCount(0)
            return
        changes = "; ".join(esc(override_words(str(p), v, self.state.option_names())) for p, v in chosen.overrides)
        self.overrides_label.setText(f"<b>{esc(chosen.name)}</b>: {changes}. Key measures as the workbook "
                                     "stands → in this scenario:")
        options = [o for o in self.state.option_ids() if o in chosen.measures.index]
        names = self.state.option_names()
        base: Any = run.coverage.measures  # pandas-stubs: .at[] is any scalar
        self.measures.setColumnCount(len(KEY_MEASURES))
        self.measures.setRowCount(len(options))
        self.measures.setHorizontalHeaderLabels([h for _, h, _ in KEY_MEASURES])
        self.measures.setVerticalHeaderLabels([names.get(o, o) for o in options])
        for r, o in enumerate(options):
            for c, (m, _h, fmt) in enumerate(KEY_MEASURES):
                if m not in chosen.measures.columns:
                    continue
                after_at: Any = chosen.measures
                before, after = float(base.at[o, m]), float(after_at.at[o, m])
                self.measures.setItem(r, c, _item(f"{_money_rounded(fmt, before)} → {_money_rounded(fmt, after)}"))
        self._fitter(self.measures).fit()
