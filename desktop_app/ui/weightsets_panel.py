"""Stakeholder weight sets: load from the workbook, capture the room's, switch, compare.

The facilitator's loop in a consultation: let a group push the sliders, capture their
weights under the group's name, move on to the next group, then put every group's
ranking side by side. The comparison says whether the groups agree on the top option
and, when they do not, which criteria the disagreement comes from
(:mod:`desktop_app.core.appraisal.weight_sets`), so the discussion goes to the weights that
change the answer. Every action here is undoable (:mod:`desktop_app.ui.undo`).
"""

from __future__ import annotations

import time
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.live import LIVE_WEIGHTS_NAME
from desktop_app.core.appraisal.weight_sets import WeightSetComparison, compare_weight_sets
from desktop_app.core.errors import ToolError
from desktop_app.core.session.records import WeightSet
from desktop_app.core.session.undo import (
    CaptureWeightSet,
    DeleteWeightSet,
    ImportWeightSets,
    SetWeights,
)
from desktop_app.core.survey.weights import shown_quartiles
from desktop_app.ui import palette
from desktop_app.ui.awaiting import awaiting_options, awaiting_sentence
from desktop_app.ui.charts import wrap_name
from desktop_app.ui.keyboard import chain, release_tab
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.state import AppState
from desktop_app.ui.table_fit import ColumnFitter, wrap_row_names
from desktop_app.ui.tree_weights import percent
from desktop_app.ui.undo import WeightSetStore, WorkshopUndo

#: The live weights' column in the comparison: the one name for the weights on the sliders.
CURRENT = LIVE_WEIGHTS_NAME


def _item(text: str, *, bold: bool = False, align: Qt.AlignmentFlag | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)
    if align is not None:
        item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return item


class WeightSetsPanel(LazyRefreshWidget):
    """The Weight sets view: the list of sets with actions, and the side-by-side comparison."""

    compared = Signal()

    def __init__(self, state: AppState, store: WeightSetStore, undo: WorkshopUndo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        self.undo = undo
        self.comparison: WeightSetComparison | None = None
        #: Per survey set, option_id -> respondents whose own weights rank it first (live scores).
        self.survey_first: dict[str, dict[str, int]] = {}
        self.setObjectName("weightSetsPanel")

        title = QLabel("Stakeholder weight sets")
        title.setObjectName("viewTitle")
        font = title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        title.setFont(font)
        self.present_button = QPushButton("Present to the room (F11)")
        self.present_button.setToolTip("Workshop mode: options, weights, ranking and value for money, full screen")
        self.present_button.setStyleSheet(
            f"QPushButton {{ background: {palette.ACCENT_DARK}; color: white; font-weight: 700; padding: 6px 14px; }}")
        self.present_button.setVisible(False)  # shown when workshop mode is installed
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.present_button)
        hint = QLabel("Capture each group's weights as a named set, switch between sets, and compare "
                      "every set's ranking side by side. Every action can be undone (Ctrl+Z).")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.MUTED_INK};")

        self.sets_table = QTableWidget(0, 3)
        self.sets_table.setHorizontalHeaderLabels(["Weight set", "From", "Top option"])
        self.sets_table.setAccessibleName("Weight sets")
        self.sets_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sets_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sets_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sets_table.setWordWrap(True)
        self.sets_table.verticalHeader().setVisible(False)
        self.sets_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.sets_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.sets_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sets_table.itemDoubleClicked.connect(lambda _i: self.switch_to_selected())
        self.sets_table.itemSelectionChanged.connect(self._update_buttons)

        self.capture_button = QPushButton("Capture current weights…")
        self.capture_button.setToolTip("Save the weights now on the sliders as a named set")
        self.capture_button.clicked.connect(lambda: self.capture())
        self.switch_button = QPushButton("Use selected set")
        self.switch_button.setToolTip("Put the selected set's weights on the sliders (double-click a row)")
        self.switch_button.clicked.connect(self.switch_to_selected)
        self.delete_button = QPushButton("Delete set")
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setToolTip("Remove the selected weight set (undo with Ctrl+Z)")
        self.sets_table.setToolTip("Each stakeholder group's weights; double-click a set to use it")
        self.reset_button = QPushButton("Workbook weights")
        self.reset_button.setToolTip("Back to the Criteria sheet's weights")
        self.reset_button.clicked.connect(self.reset_to_workbook)
        self.import_button = QPushButton("Import survey results…")
        self.import_button.setToolTip("Add each group of a survey-collect results workbook as a weight set, "
                                      "with its respondent count and spread")
        self.import_button.clicked.connect(lambda: self.choose_results())
        buttons = QGridLayout()
        for i, b in enumerate((self.capture_button, self.switch_button, self.delete_button, self.reset_button,
                               self.import_button)):
            b.setAccessibleName(b.text().replace("…", ""))
            buttons.addWidget(b, i // 2, i % 2)

        self.agreement = QLabel()
        self.agreement.setObjectName("agreementLabel")
        self.agreement.setWordWrap(True)
        self.agreement.setTextFormat(Qt.TextFormat.RichText)
        self.agreement.setAccessibleName("Agreement between weight sets")
        self.agreement.setStyleSheet(f"QLabel {{ border-left: 4px solid {palette.ACCENT}; padding: 4px 8px; }}")

        self.ranks_table = QTableWidget(0, 0)
        self.ranks_table.setAccessibleName("Rank of each option under each weight set")
        self.ranks_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ranks_table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Each set's column as wide as its figures and its whole name need (two lines at most),
        # sideways scrolling beyond: equal stretched shares had cut "Community panel (room)"
        # and "(survey)" to "Communit panel" three times over, so captured, surveyed and
        # workbook sets of one group could not be told apart (ui/table_fit.py).
        self._ranks_fit = ColumnFitter(self.ranks_table)

        self.weights_table = QTableWidget(0, 0)
        self.weights_table.setAccessibleName("Normalised weights of each set, and the criteria behind disagreement")
        self.weights_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.weights_table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Six or more columns of short figures ("4.5%", "45.3"): each column as wide as its
        # cells and its name needs, not an equal share, which cut "Community panel" to
        # "ommuni" at 1024 px while the figures had room to spare (ui/table_fit.py).
        self._weights_fit = ColumnFitter(self.weights_table)
        self._weights_rows: list[str] = []  # the criteria's names, down the weights table
        self._weights_fit.fitted.connect(self._rewrap_weights_rows)

        self.compare_tabs = QTabWidget()
        self.compare_tabs.addTab(self.ranks_table, "Rankings side by side")
        self.compare_tabs.addTab(self.weights_table, "Weights and drivers of disagreement")
        self.compare_tabs.setAccessibleName("Comparison of weight sets")

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.sets_table, 1)
        ll.addLayout(buttons)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.agreement)
        rl.addWidget(self.compare_tabs, 1)
        self.legend = QLabel("Rank (total value); first place shaded. Weight spread: highest minus lowest share "
                             "of the weight across sets. Swing points: each criterion's part, in value points, "
                             "of the gap between groups whose top options differ; the biggest drive the "
                             "disagreement. Survey groups: the weight (the respondents' medians rescaled to sum to "
                             "100%) with the interquartile range of their weights beneath, rescaled the same way, and how many "
                             "respondents put each option first.")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet(f"color: {palette.MUTED_INK};")
        rl.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([380, 960])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addWidget(hint)
        layout.addWidget(split, 1)
        # Tab leaves the tables; the order is the reading order (the list, its buttons, the comparison).
        release_tab(self)
        chain(self.present_button, self.sets_table, self.capture_button, self.switch_button, self.delete_button,
              self.reset_button, self.compare_tabs, self.ranks_table, self.weights_table)

        self._dirty = True
        store.sets_changed.connect(self._schedule)
        store.active_changed.connect(self._schedule)
        state.appraisal_changed.connect(self._schedule)
        self.refresh()

    # ------------------------------------------------------------------ actions
    def selected_name(self) -> str | None:
        rows = self.sets_table.selectionModel().selectedRows() if self.sets_table.selectionModel() else []
        if not rows:
            return None
        item = self.sets_table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, name: str) -> None:
        for r in range(self.sets_table.rowCount()):
            item = self.sets_table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.sets_table.selectRow(r)
                return

    def _dialog_parent(self) -> QWidget:
        """Dialogs go over the active window: in workshop mode that is the full-screen one."""
        active = QApplication.activeWindow()
        return active if active is not None else self

    def capture(self, name: str | None = None) -> bool:
        """Capture the current weights as a set; asks for a name when none is given."""
        if not self.state.weights:
            return False
        if name is None:
            suggested = f"Room at {time.strftime('%H:%M')}"
            name, ok = QInputDialog.getText(self._dialog_parent(), "Capture weight set",
                                            "Name this set of weights (e.g. the group's name):",
                                            text=suggested)
            if not ok:
                return False
        name = " ".join(str(name).split())
        if not name or name == CURRENT:
            QMessageBox.warning(self._dialog_parent(), "Capture weight set", "Please give the weight set a name.")
            return False
        existing = self.store.get(name)
        index = None
        if existing is not None:
            answer = QMessageBox.question(
                self._dialog_parent(), "Replace weight set",
                f"A weight set called “{name}” already exists. Replace it with the current weights?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
            index = self.store.index(name)
        # with a value tree, the shares through it: the set is flat (core/session/set_weights.py)
        self.undo.push(CaptureWeightSet(name, self.state.workshop.captured(), existing, index))
        self._refresh_if_dirty()
        self.select(name)
        return True

    def choose_results(self) -> bool:
        """Ask for a results workbook (from ``armed-options survey-collect``) and import it."""
        path, _ = QFileDialog.getOpenFileName(self._dialog_parent(), "Import survey results", "",
                                              "Survey results (*.xlsx)")
        return bool(path) and self.import_results(path)

    def import_results(self, path: str) -> bool:
        """Add every group of a results workbook as a weight set, in one undoable step.

        A file that is not a results workbook, or whose criteria this workbook does not have,
        is one line in a warning and changes nothing.
        """
        from desktop_app.core.survey.results_reader import read_results_and_source

        try:
            groups, source = read_results_and_source(path)
        except ToolError as exc:
            QMessageBox.warning(self._dialog_parent(), "Import survey results", exc.one_line())
            return False
        inputs = self.state.inputs
        if source is not None and inputs is not None and source != str(inputs.sha256):
            # The respondents weighed the swings their forms stated; a changed workbook may
            # state others (a new option moves a local scale's ends). Say so; let them choose.
            answer = QMessageBox.question(
                self._dialog_parent(), "Import survey results",
                f"These results come from forms made from another version of this workbook (its SHA-256 "
                f"begins {source[:12]}…; the open workbook's begins {str(inputs.sha256)[:12]}…). The swings "
                "the respondents weighed may not be this workbook's. Import them anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        known = set(self.state.weights)
        unknown = sorted({c for g in groups.values() for c in g.weight_set} - known)
        if not groups or unknown:
            why = (f"its criteria {', '.join(unknown)} are not in this workbook" if unknown
                   else "it holds no group with an accepted form")
            QMessageBox.warning(self._dialog_parent(), "Import survey results",
                                f"{path} cannot be imported: {why}.")
            return False
        sets = [WeightSet(self._survey_name(name), dict(g.weight_set), "survey",
                          survey={"respondents": g.respondents, "q1": dict(g.q1), "q3": dict(g.q3),
                                  "respondent_weights": [dict(r) for r in g.respondent_weights]})
                for name, g in groups.items()]
        self.undo.push(ImportWeightSets(sets))
        self._refresh_if_dirty()
        return True

    def _survey_name(self, group: str) -> str:
        """The name an imported group takes: its own, unless a set not from a survey has it
        (the workbook's "Police Federation"), which is kept beside it as "... (survey)", so the
        room can compare the group's representatives with its members. An earlier import of
        the same group is replaced."""
        name, k = group, 1
        while (held := self.store.get(name)) is not None and held.source != "survey":
            k += 1  # a captured set already called "X (survey)" is kept too: "X (survey 2)"
            name = f"{group} (survey)" if k == 2 else f"{group} (survey {k - 1})"
        return name

    def _survey_first(self, model: Any) -> None:
        """How many of each survey group's respondents put each option first, on the live scores."""
        from desktop_app.core.survey.robustness import first_counts

        self.survey_first = {}
        for ws in self.store.sets:
            people = ws.survey["respondent_weights"] if ws.survey is not None else []
            if not people:
                continue
            matrix = np.array([[r.get(c, 0.0) for c in model.criterion_ids] for r in people])
            counts = first_counts(model.values, matrix)
            self.survey_first[ws.name] = dict(zip(model.option_ids, (int(k) for k in counts), strict=True))

    def spread(self, name: str) -> dict[str, Any]:
        """A survey set's respondents and quartiles (empty for any other set)."""
        ws = self.store.get(name)
        return ws.survey if ws is not None and ws.survey is not None else {}

    def _quartiles(self, name: str) -> tuple[dict[str, float], dict[str, float]]:
        """A survey set's quartiles rescaled as its medians were (docs/survey.md#in-the-app)."""
        g = self.spread(name)
        return shown_quartiles(g.get("respondent_weights", []), g.get("q1", {}), g.get("q3", {}))

    def switch_to(self, name: str) -> None:
        """Put a set's weights on the sliders (undoable)."""
        ws = self.store.get(name)
        if ws is None:
            return
        if self.store.active == name and self.state.workshop.holds(ws.weights):
            return  # already on the sliders: no do-nothing step on the undo stack
        new, groups = self.state.workshop.sliders_for_set(ws.weights)  # its branches too (core/session/set_weights.py)
        self._replace_weights(new, groups, name)

    def switch_to_selected(self) -> None:
        name = self.selected_name()
        if name:
            self.switch_to(name)

    def delete(self, name: str) -> None:
        ws = self.store.get(name)
        if ws is None:
            return
        self.undo.push(DeleteWeightSet(ws, self.store.index(name), self.store.active == name))

    def delete_selected(self) -> None:
        name = self.selected_name()
        if name:
            self.delete(name)

    def reset_to_workbook(self) -> None:
        workshop = self.state.workshop
        groups = dict(workshop.workbook_group_weights) if workshop.has_tree else None
        self._replace_weights(self.state.workbook_weights(), groups, None, "Back to the workbook's weights")

    def _replace_weights(self, new: dict[str, float], groups: dict[str, float] | None, active: str | None,
                         label: str = "") -> None:
        """Every weight (and, with a value tree, every branch) at once, as one undo step."""
        workshop = self.state.workshop
        self.undo.push(SetWeights(dict(workshop.weights), new, self.store.active, active, label=label,
                                  old_groups=dict(workshop.group_weights) if groups is not None else None,
                                  new_groups=groups))

    # ------------------------------------------------------------------ compare
    def compare(self) -> WeightSetComparison | None:
        """Compare the current weights and every set on the live value scores."""
        live = self.state.appraisal
        if self.state.run is None or not self.state.weights or live is None:
            return None
        from desktop_app.ui import scoring

        model = scoring.value_model(self.state)
        # the sliders' column is the live appraisal itself, value tree and all, so it
        # shows the Appraisal view's totals and weights (never a flat re-scoring of them)
        self.comparison = compare_weight_sets(model, self.store.as_mapping(), live=(CURRENT, live))
        self._survey_first(model)
        return self.comparison

    def refresh(self) -> None:
        self._dirty = False
        cmp = self.compare()
        names = self.state.option_names()
        crit_names = self.state.criterion_names()
        # sets list
        selected = self.selected_name()
        self.sets_table.setRowCount(len(self.store.sets))
        for r, ws in enumerate(self.store.sets):
            top = ""
            if cmp is not None and ws.name in cmp.tops:
                top = " / ".join(names.get(o, o) for o in cmp.tops[ws.name])
            active = ws.name == self.store.active
            name_item = _item(("● " if active else "") + ws.name, bold=active)
            name_item.setData(Qt.ItemDataRole.UserRole, ws.name)
            if active:
                name_item.setToolTip("These weights are on the sliders now")
            self.sets_table.setItem(r, 0, name_item)
            count = int(ws.survey["respondents"]) if ws.survey is not None else 0
            source = ("workbook" if ws.source == "workbook" else
                      f"survey, {count} respondent{'s' if count != 1 else ''}" if ws.survey is not None
                      else "survey" if ws.source == "survey" else "captured")
            self.sets_table.setItem(r, 1, _item(source))
            self.sets_table.setItem(r, 2, _item(top))
        self.sets_table.resizeRowsToContents()
        if selected:
            self.select(selected)
        self._update_buttons()
        if cmp is None:
            self.agreement.setText("Open a workbook to compare weight sets.")
            self.ranks_table.setRowCount(0)
            self.weights_table.setRowCount(0)
            return
        # agreement
        stakeholder = [n for n in cmp.set_names if n != CURRENT]
        tops_sh = {tuple(cmp.tops[n]) for n in stakeholder}
        if not stakeholder:
            text = "No stakeholder weight sets yet: capture the room's weights to start a comparison."
        elif len(tops_sh) == 1 and len(next(iter(tops_sh))) == 1:
            top = next(iter(tops_sh))[0]
            text = (f"<span style='color:{palette.OK}; font-weight:bold'>All {len(stakeholder)} sets agree:</span> "
                    f"{esc(names.get(top, top))} ranks first.")
        else:
            lines = []
            for o, who in sorted(cmp.top_votes(stakeholder).items(), key=lambda kv: -len(kv[1])):
                lines.append(f"<b>{esc(names.get(o, o))}</b> first for {esc(', '.join(who))}")
            drivers = cmp.drivers[cmp.drivers["swing_points"] > 0].head(3)
            text = (f"<span style='color:{palette.WARNING}; font-weight:bold'>The sets disagree on the top option.</span> "
                    + "; ".join(lines) + ".")
            if len(drivers):
                text += " Driven mostly by: " + esc(", ".join(crit_names.get(c, c) for c in drivers.index)) + "."
        for n, counts in self.survey_first.items():  # docs/survey.md#robustness-within-a-group
            top_o, k = max(counts.items(), key=lambda kv: kv[1])
            total = int(self.spread(n)["respondents"])
            text += (f"<br>{esc(names.get(top_o, top_o))} is first for {k / total:.0%} of {esc(n)} respondents "
                     f"({k} of {total}).")
        waiting = [o for o in awaiting_options(self.state) if o not in cmp.totals.index]
        if waiting:  # not compared until scored (docs/appraisal-method.md#awaiting-scores)
            text += "<br>" + awaiting_sentence(self.state)
        self.agreement.setText(text)
        # ranks
        options = list(cmp.totals.index) + waiting
        self.ranks_table.setColumnCount(len(cmp.set_names))
        self.ranks_table.setRowCount(len(options))
        self.ranks_table.setHorizontalHeaderLabels(list(cmp.set_names))
        # long names on two or more lines, so the sets' columns keep room for "1  (63.3)" at 1024 px
        self.ranks_table.setVerticalHeaderLabels([wrap_name(names.get(o, o), 26) for o in options])
        first = QBrush(QColor("#d2e4f4"))
        # numeric frames; pandas-stubs types .at[] as any scalar, so read them untyped
        ranks: Any = cmp.ranks
        totals: Any = cmp.totals
        weights: Any = cmp.weights
        drivers_at: Any = cmp.drivers
        for c, n in enumerate(cmp.set_names):
            for r, o in enumerate(options):
                if o in waiting:
                    self.ranks_table.setItem(r, c, _item("awaiting scores", align=Qt.AlignmentFlag.AlignCenter))
                    continue
                rank = int(ranks.at[o, n])
                text = f"{rank}  ({totals.at[o, n]:.1f})"
                if n in self.survey_first:
                    text += f"\nfirst for {self.survey_first[n].get(o, 0)} of {self.spread(n)['respondents']}"
                item = _item(text, bold=rank == 1, align=Qt.AlignmentFlag.AlignCenter)
                if rank == 1:
                    item.setBackground(first)
                self.ranks_table.setItem(r, c, item)
        # weights + drivers
        crits = list(cmp.drivers.index)
        cols = [*cmp.set_names, "Weight spread", "Swing points"]  # broken onto two lines as the width needs
        self.weights_table.setColumnCount(len(cols))
        self.weights_table.setRowCount(len(crits))
        self.weights_table.setHorizontalHeaderLabels(cols)
        self._weights_rows = [crit_names.get(c, c) for c in crits]
        wrap_row_names(self.weights_table, self._weights_rows)
        for r, cid in enumerate(crits):
            for c, n in enumerate(cmp.set_names):
                text = percent(float(weights.at[cid, n]))  # as the Appraisal view rounds it (7.5%, 17%)
                if n in self.survey_first:  # the group's spread: its interquartile range, on the weight's scale
                    q1, q3 = self._quartiles(n)
                    # rounded as the weight above them: "7.7% (8%–14%)" had put a median below its own quartile
                    text += f"\n({percent(q1.get(cid, 0.0))}–{percent(q3.get(cid, 0.0))})"
                self.weights_table.setItem(r, c, _item(text, align=Qt.AlignmentFlag.AlignCenter))
            spread = float(drivers_at.at[cid, "weight_spread"])
            swing = float(drivers_at.at[cid, "swing_points"])
            # rounded as the weights beside it are (4.5%, 17%): "9%" beside "4.5%" had read as a different scale
            self.weights_table.setItem(r, len(cmp.set_names), _item(percent(spread), align=Qt.AlignmentFlag.AlignCenter))
            self.weights_table.setItem(r, len(cmp.set_names) + 1,
                                       _item(f"{swing:.1f}" if swing > 0 else "–", bold=swing > 0,
                                             align=Qt.AlignmentFlag.AlignCenter))
        self.ranks_table.resizeRowsToContents()
        self._ranks_fit.fit()
        self._weights_fit.fit()
        self.weights_table.resizeRowsToContents()
        self.compared.emit()

    def _rewrap_weights_rows(self) -> None:
        """The window changed width: the criteria's names take as many lines as the
        figures beside them need (ui/table_fit.py), and the rows their new heights."""
        table = self.weights_table
        before = [table.verticalHeaderItem(r).text() if table.verticalHeaderItem(r) else ""
                  for r in range(table.rowCount())]
        wrap_row_names(table, self._weights_rows)
        if [table.verticalHeaderItem(r).text() for r in range(table.rowCount())] != before:
            table.resizeRowsToContents()
            # The names' new width moves the columns' room, inside the resize that called this,
            # where Qt sends no second resize: fit the columns again once it has settled.
            QTimer.singleShot(0, self._weights_fit.fit)

    def _update_buttons(self) -> None:
        has = self.selected_name() is not None
        self.switch_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.capture_button.setEnabled(bool(self.state.weights))
        self.reset_button.setEnabled(bool(self.state.weights))
