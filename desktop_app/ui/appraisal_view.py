"""The Appraisal view: swing weights on the left, the ranking and its tests on the right.

Moving a weight re-scores through the core's fast path and redraws the ranking bars,
the ranking table, value for money and the sensitivity chart at once, so the room sees
the consequence of a weight as they set it. Robustness (SMAA-2) draws its weights at
random from all possible weightings, so it does not move with the sliders.
"""

from __future__ import annotations

import math
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.shown import difference, fixed, percent
from desktop_app.ui import palette
from desktop_app.ui.appraisal_charts import RobustnessChart, SensitivityChart
from desktop_app.ui.charts import OptionKey
from desktop_app.ui.keyboard import chain, explain
from desktop_app.ui.ranking_chart import RankingChart
from desktop_app.ui.state import AppState
from desktop_app.ui.vfm_chart import VfmChart
from desktop_app.ui.weights_panel import WeightsPanel


def swatch(colour: str, size: int = 12) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(colour))
    return QIcon(pm)


#: What the "ranked first" figures say while SMAA-2 re-runs after an edit (ui/live_robustness.py).
UPDATING = "updating…"


class RankingTable(QTableWidget):
    """Rank, option, total value, whole-life cost and how often it ranks first (SMAA-2)."""

    HEADERS = ("Rank", "Option", "Value", "Cost (£m)", "Ranked first")

    def __init__(self) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setAccessibleName("Ranking table")
        self.setTabKeyNavigation(False)  # Tab moves on; arrows move between rows
        self.setToolTip("Ranked first: share of random weightings (SMAA-2) in which the option comes top")
        self.order: list[str] = []

    def update_from(self, state: AppState) -> None:
        app = state.appraisal
        cov = state.coverage
        if app is None or cov is None:
            self.setRowCount(0)
            return
        names = state.option_names()
        ids = state.option_ids()
        order = sorted(app.totals.index, key=lambda o: (int(app.ranks[o]), ids.index(o) if o in ids else 0))
        self.order = list(order)
        rob = app.robustness
        self.setRowCount(len(order))
        measures: Any = cov.measures  # float64; pandas-stubs types .at[] as any scalar
        acceptability: Any = rob.rank_acceptability if rob is not None else None
        for r, oid in enumerate(order):
            cost = float(measures.at[oid, "whole_life_cost_gbp"]) / 1e6
            first = float(acceptability.at[oid, 1]) if rob is not None and oid in acceptability.index else math.nan
            cells = [
                str(int(app.ranks[oid])),
                names.get(oid, oid),
                fixed(float(app.totals[oid])),
                f"{cost:,.2f}",
                UPDATING if state.robustness_updating else "" if math.isnan(first) else f"{first:.0%}",
            ]
            for c, text in enumerate(cells):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(r, c, item)
                item.setText(text)
                if c != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 1:
                    item.setIcon(swatch(palette.option_colour(ids.index(oid) if oid in ids else r)))
                    item.setToolTip(oid)
                font = item.font()
                font.setBold(int(app.ranks[oid]) == 1)
                item.setFont(font)


class AppraisalView(QWidget):
    """Weights panel, ranking bars and table, and tabs for VfM, sensitivity and robustness."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.weights = WeightsPanel(state)
        # Wide enough for a criterion's name and swing on two lines beside its slider;
        # the charts keep the rest (docs/user-guide.md: names are never cut short).
        self.weights.setMinimumWidth(400)
        self.weights.setMaximumWidth(500)

        self.ranking_chart = RankingChart()
        self.ranking_table = RankingTable()
        self.vfm_chart = VfmChart()
        self.sensitivity_chart = SensitivityChart()
        self.robustness_chart = RobustnessChart()

        self.criterion_combo = QComboBox()
        self.criterion_combo.setAccessibleName("Criterion for the sensitivity chart")
        self.criterion_combo.setToolTip("The criterion whose weight the sensitivity chart runs from 0 to 100%")
        self.criterion_combo.currentIndexChanged.connect(self._criterion_chosen)
        sens_label = QLabel("&Criterion")
        sens_label.setBuddy(self.criterion_combo)
        self.sensitivity_page = QWidget()
        sl = QVBoxLayout(self.sensitivity_page)
        sl.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        top.addWidget(sens_label)
        top.addWidget(self.criterion_combo, 1)
        self.switch_summary = QLabel("")
        self.switch_summary.setObjectName("hint")
        # Both may be narrower than their text: unwrapped, this row made the Appraisal view
        # 1230 px wide at 1024x768 (a scroll bar, the charts' right edge off screen).
        self.switch_summary.setWordWrap(True)
        self.criterion_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.criterion_combo.setMinimumContentsLength(18)
        top.addWidget(self.switch_summary, 2)
        sl.addLayout(top)
        self.sensitivity_key = OptionKey()
        sl.addWidget(self.sensitivity_key)
        # Tall enough to read the lines and their labels: at 1024 x 768 the splitter's even
        # share left the chart 104 px, a 45 px strip under its labels. No taller: there the
        # option key wraps to three rows (a height the page's minimum does not count), and
        # 150 px pushed the axis title below the page's edge.
        self.sensitivity_chart.setMinimumHeight(125)
        sl.addWidget(self.sensitivity_chart, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Appraisal charts")
        self.tabs.tabBar().setAccessibleName("Appraisal chart tabs")
        self.tabs.tabBar().setToolTip("Value for money, sensitivity, robustness and the ranking table")
        self.tabs.addTab(self.vfm_chart, "Value for money")
        self.tabs.addTab(self.sensitivity_page, "Sensitivity")
        self.tabs.addTab(self.robustness_chart, "Robustness")
        self.tabs.addTab(self.ranking_table, "Ranking table")
        self.tabs.currentChanged.connect(lambda _i: self._update_tab())

        self.headline = QLabel("")
        self.headline.setObjectName("viewSummary")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)

        # The ranking and, under it, its criteria key flowing onto as many rows as it needs.
        self.ranking_box = QWidget()
        self.ranking_box.setObjectName("rankingBox")
        self.ranking_box.setStyleSheet("QWidget#rankingBox { background: #ffffff; }")
        bl = QVBoxLayout(self.ranking_box)
        bl.setContentsMargins(8, 0, 8, 4)
        bl.setSpacing(2)
        bl.addWidget(self.ranking_chart, 1)
        bl.addWidget(self.ranking_chart.key)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.ranking_box)
        self.right.addWidget(self.tabs)
        self.right.setStretchFactor(0, 1)
        self.right.setStretchFactor(1, 1)
        self.right.setChildrenCollapsible(False)

        right_box = QWidget()
        rl = QVBoxLayout(right_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.headline)
        rl.addWidget(self.right, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(14)
        layout.addWidget(self.weights)
        layout.addWidget(right_box, 1)

        state.inputs_changed.connect(self._rebuild_criteria)
        state.appraisal_changed.connect(self.refresh)
        state.active_weight_set_changed.connect(self._update_headline)
        self._rebuild_criteria()
        self.refresh()

    # ------------------------------------------------------------------ data
    def _rebuild_criteria(self) -> None:
        self.criterion_combo.blockSignals(True)
        self.criterion_combo.clear()
        for cid, name in self.state.criterion_names().items():
            self.criterion_combo.addItem(name, cid)
        self.criterion_combo.blockSignals(False)
        self._explain_weights()
        self._order_tabs()

    def _explain_weights(self) -> None:
        """Each weight row's tooltip: what a swing weight is, and the criterion's notes."""
        inputs = self.state.inputs
        notes: dict[str, str] = {}
        if inputs is not None and "notes" in inputs.criteria:
            notes = {str(c): str(n) for c, n in zip(inputs.criteria["criterion_id"], inputs.criteria["notes"],
                                                     strict=True) if isinstance(n, str) and n.strip()}
        names = self.state.criterion_names()
        for cid, row in self.weights.rows.items():
            about = f"{names.get(cid, cid)}" + (f": {notes[cid]}" if cid in notes else "")
            row.label.setToolTip(about)
            tip = f"{about}\n\n{explain('Swing weight')} The % beside it is its share of all the weights."
            row.slider.setToolTip(tip)
            if row.spin is not None:
                row.spin.setToolTip(tip)

    def _order_tabs(self) -> None:
        """Tab order = reading order: the weights' header, each weight (slider, number), then
        the chart tabs and their controls. Rows are built after the rest of the view, so
        without this the sliders came last."""
        header = self.weights.header_layout
        first = [header.itemAt(i).widget() for i in range(header.count())]
        # the tree's own reading order: each branch, then the criteria under it
        rows = [w for row in self.weights.tree.ordered_rows() for w in (row.slider, row.spin) if w is not None]
        chain(*[w for w in first if w is not None and w.focusPolicy() != Qt.FocusPolicy.NoFocus], *rows,
              self.tabs.tabBar(), self.criterion_combo, self.ranking_table)

    def _criterion_chosen(self, _index: int) -> None:
        cid = self.criterion_combo.currentData()
        if cid is not None:
            self.state.focus_criterion = str(cid)
            self._update_sensitivity()

    def refresh(self) -> None:
        """Redraw everything that depends on the weights (called on every slider move)."""
        app = self.state.appraisal
        if app is None:
            self.headline.setText("The appraisal appears here once a valid workbook is open.")
            self.ranking_table.setRowCount(0)
            return
        self.ranking_chart.update_from(self.state)
        self.ranking_table.update_from(self.state)  # cheap, and other views read its order
        self._update_headline()
        self._update_tab()

    def _update_tab(self) -> None:
        """Update the visible chart tab only; the others catch up when they are shown.

        Keeps a slider move inside its 50 ms budget: three hidden charts redrawn on
        every move would cost more than the visible one.
        """
        if self.state.appraisal is None:
            return
        page = self.tabs.currentWidget()
        if page is self.vfm_chart:
            self.vfm_chart.update_from(self.state)
        elif page is self.sensitivity_page:
            self._update_sensitivity()
        elif page is self.robustness_chart:
            self.robustness_chart.update_from(self.state)

    def show_tab(self, name: str) -> None:
        """Show the chart tab called ``name`` ("Value for money", "Sensitivity"...)."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == name:
                self.tabs.setCurrentIndex(i)
                return
        raise KeyError(name)

    def _update_sensitivity(self) -> None:
        focus = self.state.focus_criterion
        if focus is not None and self.criterion_combo.currentData() != focus:
            i = self.criterion_combo.findData(focus)
            if i >= 0:
                self.criterion_combo.blockSignals(True)
                self.criterion_combo.setCurrentIndex(i)
                self.criterion_combo.blockSignals(False)
        self.sensitivity_chart.update_from(self.state, self.criterion_combo.currentData())
        names = self.state.option_names()
        current = self.state.appraisal
        top = current.top_option if current is not None else None
        entries = [(names.get(o, o), palette.option_colour(i), palette.option_glyph(i))
                   for i, o in enumerate(self.state.option_ids())]
        self.sensitivity_key.set_options(entries, emphasis=names.get(top) if top else None)
        points = self.sensitivity_chart.switch_points
        app = self.state.appraisal
        if app is None:
            return
        weight_now = next((s.current_weight for s in app.sensitivity if s.criterion_id == self.sensitivity_chart.criterion_id), None)
        if not points:
            self.switch_summary.setText("No switch point: the top option holds at any weight.")
        elif weight_now is not None:
            nearest = min(points, key=lambda p: abs(p - weight_now))
            self.switch_summary.setText(
                f"Top option changes if this weight moves from {percent(weight_now)} to {percent(nearest)}.")

    def _update_headline(self) -> None:
        app = self.state.appraisal
        if app is None:
            return
        names = self.state.option_names()
        top = app.top_option
        ordered = app.totals.sort_values(ascending=False)
        # The margin of the two totals as shown, so "63.0 points; 2.2 ahead" of 60.8 adds up.
        margin = difference(float(ordered.iloc[0]), float(ordered.iloc[1])) if len(ordered) > 1 else math.nan
        second = names.get(str(ordered.index[1]), "") if len(ordered) > 1 else ""
        rob = app.robustness
        acceptability: Any = rob.rank_acceptability if rob is not None else None  # pandas-stubs: .at[] is any scalar
        share = float(acceptability.at[top, 1]) if rob is not None and top in rob.rank_acceptability.index else None
        # Whose weights first, in the words of the header, workshop mode and the summary.
        parts = [f"{esc(self.state.weights_name())}. Top option: <b>{esc(names.get(top, top))}</b> "
                 f"with {fixed(float(app.totals[top]))} points"]
        if not math.isnan(margin):
            parts.append(f"{margin:.1f} ahead of {esc(second)}")
        if self.state.robustness_updating:  # re-run after an edit: never the stale figure
            parts.append(f"share ranked first: {UPDATING}")
        elif share is not None:
            parts.append(f"ranked first in {share:.0%} of random weightings")
        text = "; ".join(parts) + ("" if parts[-1].endswith("…") else ".")
        # Options the room has not scored are not ranked (docs/appraisal-method.md#awaiting-scores).
        awaiting = [o for o in self.state.option_ids() if o not in app.totals.index]
        if awaiting:
            text += (" <b>Awaiting scores</b> (not ranked until the workshop scores every judgement): "
                     + ", ".join(names.get(o, o) for o in awaiting) + ".")
        self.headline.setText(text)

    # ---------------------------------------------------------------- export
    def current_chart(self) -> QWidget:
        """The chart in view alone (no tab bar), for a board paper."""
        return self.tabs.currentWidget() or self.right

    def current_chart_title(self) -> str:
        return self.tabs.tabText(self.tabs.currentIndex())

    def current_chart_name(self) -> str:
        return "appraisal-" + self.tabs.tabText(self.tabs.currentIndex()).lower().replace(" ", "-")
