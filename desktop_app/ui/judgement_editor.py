"""Edit judgement scores in the workshop, each with its rationale.

Criteria measured by ``judgement`` (e.g. community confidence, officer welfare) carry
scores the force entered in the Judgements sheet. A workshop may revise them; each
revision needs a reason that will stand up afterwards. Edits live in the session and
the app state, never in the input workbook (the workbook is evidence and is only ever
read), and the summary export marks which judgements the workshop changed. Every edit
is undoable, and the ranking at the top of the view updates as soon as a change is
applied, so the room sees what its judgement does to the answer.
"""

from __future__ import annotations

import math
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.session.document import JudgementEdit
from desktop_app.core.session.undo import SetJudgement
from desktop_app.core.workbook.schema import JUDGEMENT
from desktop_app.ui import palette
from desktop_app.ui.keyboard import chain, release_tab
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.state import AppState
from desktop_app.ui.undo import WorkshopUndo

COLUMNS = ["Option", "Criterion", "Workbook score", "Score now", "Rationale", "Status"]
EDITED_BRUSH = QBrush(QColor("#fff2cc"))


def workbook_judgements(state: AppState) -> dict[tuple[str, str], tuple[float, str]]:
    """(option_id, criterion_id) -> (score, rationale) as the workbook gives them."""
    inputs = state.inputs
    if inputs is None or inputs.judgements is None or inputs.judgements.empty:
        return {}
    j = inputs.judgements
    return {
        (str(o), str(c)): (float(s), "" if r is None or (isinstance(r, float) and math.isnan(r)) else str(r))
        for o, c, s, r in zip(j["option_id"], j["criterion_id"], j["score"], j["rationale"], strict=True)
    }


def judgement_edits(state: AppState) -> list[JudgementEdit]:
    """The workshop's net judgement changes, with the workbook's values beside them."""
    original = workbook_judgements(state)
    out: list[JudgementEdit] = []
    for (o, c), edit in state.judgement_overrides.items():
        before = original.get((o, c))
        out.append(JudgementEdit(o, c, before[0] if before else None, float(edit.score),
                                 before[1] if before else None, str(edit.rationale)))
    return out


def judgement_edits_for_export(state: AppState) -> list[dict[str, object]]:
    """What ``core.export.write_summary(judgement_edits=...)`` takes: one dict per changed pair."""
    rows = []
    for e in judgement_edits(state):
        d = e.to_json()
        d.update({"old_score": e.original_score, "new_score": e.score,
                  "old_rationale": e.original_rationale, "new_rationale": e.rationale})
        rows.append(d)
    return rows


class JudgementEditor(LazyRefreshWidget):
    """A table of every judgement score and a form to revise the selected one."""

    edited = Signal(str, str)

    def __init__(self, state: AppState, undo: WorkshopUndo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.undo = undo
        self._pairs: list[tuple[str, str]] = []
        self._dirty = True
        self.setObjectName("judgementEditor")

        title = QLabel("Judgement scores")
        font = title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        title.setFont(font)
        note = QLabel("Revise a judgement score with the reason for the change. Changes stay in this "
                      "session and are marked in the exported summary; the force workbook is never changed.")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.MUTED_INK};")
        self.ranking_label = QLabel()
        self.ranking_label.setObjectName("judgementRanking")
        self.ranking_label.setWordWrap(True)
        self.ranking_label.setTextFormat(Qt.TextFormat.RichText)
        self.ranking_label.setAccessibleName("Ranking under the current weights and judgements")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Judgement scores")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for i in range(len(COLUMNS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._load_form)

        form_box = QGroupBox("Revise the selected judgement")
        self.pair_label = QLabel("Select a row above.")
        self.score = QDoubleSpinBox()
        self.score.setRange(0.0, 100.0)
        self.score.setDecimals(0)
        self.score.setSingleStep(5.0)
        self.score.setAccessibleName("New score (0 to 100)")
        self.score.setToolTip("The workshop's score for this option on this criterion: 0 is the worst end "
                              "of the criterion's scale, 100 the best")
        self.score.setMaximumWidth(110)
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why the workshop changed this score (required)")
        self.rationale.setAccessibleName("Rationale for the change")
        self.rationale.setFixedHeight(56)
        self.rationale.setToolTip("Why the room changed the score; printed beside the change in the summary")
        self.apply_button = QPushButton("Apply change")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_form)
        self.revert_button = QPushButton("Back to workbook score")
        self.revert_button.clicked.connect(self.revert_selected)
        self.apply_button.setToolTip("Use the new score and rationale in the appraisal (undo with Ctrl+Z)")
        self.revert_button.setToolTip("Drop the workshop's change: the workbook's score applies again")
        self.table.setToolTip("Select a judgement to revise it below; hover a rationale to read it in full")
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        form = QFormLayout(form_box)
        form.addRow(self.pair_label)
        form.addRow("Score (0-100):", self.score)
        form.addRow("Rationale:", self.rationale)
        form.addRow(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(title)
        layout.addWidget(note)
        layout.addWidget(self.ranking_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(form_box)
        # Tab leaves the table and the rationale box; the order is the reading order.
        release_tab(self)
        chain(self.table, self.score, self.rationale, self.apply_button, self.revert_button)

        state.inputs_changed.connect(self._schedule)
        state.judgements_changed.connect(self._schedule)
        state.appraisal_changed.connect(self._schedule)
        self.refresh()

    # ------------------------------------------------------------------ editing
    def edit(self, option_id: str, criterion_id: str, score: float, rationale: str) -> bool:
        """Revise one judgement (undoable). Refuses a score outside 0-100 or a blank rationale."""
        if not 0.0 <= float(score) <= 100.0:
            QMessageBox.warning(self, "Judgement score", "A judgement score must be between 0 and 100.")
            return False
        rationale = rationale.strip()
        if not rationale:
            QMessageBox.warning(self, "Judgement score", "Please give the reason for the change.")
            return False
        current = self.state.judgement_overrides.get((option_id, criterion_id))
        self.undo.push(SetJudgement(
            option_id, criterion_id,
            None if current is None else float(current.score), float(score),
            None if current is None else str(current.rationale), rationale,
        ))
        self.edited.emit(option_id, criterion_id)
        return True

    def revert(self, option_id: str, criterion_id: str) -> None:
        """Remove the workshop's change: the workbook's score applies again (undoable)."""
        current = self.state.judgement_overrides.get((option_id, criterion_id))
        if current is None:
            return
        self.undo.push(SetJudgement(option_id, criterion_id, float(current.score), None,
                                    str(current.rationale), None))

    def selected_pair(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._pairs):
            return None
        return self._pairs[rows[0].row()]

    def select(self, option_id: str, criterion_id: str) -> None:
        self._refresh_if_dirty()
        if (option_id, criterion_id) in self._pairs:
            row = self._pairs.index((option_id, criterion_id))
            self.table.selectRow(row)
            item = self.table.item(row, 0)
            if item is not None:
                self.table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)

    def apply_form(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self.edit(pair[0], pair[1], self.score.value(), self.rationale.toPlainText())

    def revert_selected(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self.revert(*pair)

    def _load_form(self) -> None:
        pair = self.selected_pair()
        enabled = pair is not None
        for w in (self.score, self.rationale, self.apply_button):
            w.setEnabled(enabled)
        self.revert_button.setEnabled(enabled and pair in self.state.judgement_overrides)
        if pair is None:
            self.pair_label.setText("Select a row above.")
            return
        o, c = pair
        names, crit = self.state.option_names(), self.state.criterion_names()
        self.pair_label.setText(f"<b>{esc(names.get(o, o))}</b> on <b>{esc(crit.get(c, c))}</b>")
        score, rationale = self._current(o, c)
        self.score.setValue(score)
        edit = self.state.judgement_overrides.get(pair)
        self.rationale.setPlainText(edit.rationale if edit is not None else "")
        if edit is None:
            self.rationale.setPlaceholderText(f"Why the workshop changed this score (workbook: {rationale or 'no rationale given'})")

    def _current(self, o: str, c: str) -> tuple[float, str]:
        edit = self.state.judgement_overrides.get((o, c))
        if edit is not None:
            return float(edit.score), str(edit.rationale)
        return workbook_judgements(self.state).get((o, c), (0.0, ""))

    # ------------------------------------------------------------------ display
    def refresh(self) -> None:
        self._dirty = False
        inputs = self.state.inputs
        selected = self.selected_pair()
        self._pairs = []
        if inputs is None:
            self.table.setRowCount(0)
            self.ranking_label.setText("Open a workbook to edit its judgement scores.")
            self._load_form()
            return
        crit = inputs.criteria
        judged = [str(c) for c, m in zip(crit["criterion_id"], crit["measure"], strict=True) if str(m) == JUDGEMENT]
        names, crit_names = self.state.option_names(), self.state.criterion_names()
        original = workbook_judgements(self.state)
        for o in self.state.option_ids():
            for c in judged:
                self._pairs.append((o, c))
        self.table.setRowCount(len(self._pairs))
        bold = QFont()
        bold.setBold(True)
        for r, (o, c) in enumerate(self._pairs):
            before = original.get((o, c))
            edit = self.state.judgement_overrides.get((o, c))
            now_score = float(edit.score) if edit is not None else (before[0] if before else float("nan"))
            rationale = edit.rationale if edit is not None else (before[1] if before else "")
            cells = [
                names.get(o, o), crit_names.get(c, c),
                f"{before[0]:.0f}" if before else "(none)",
                f"{now_score:.0f}" if not math.isnan(now_score) else "(not scored)",
                rationale, "changed in workshop" if edit is not None else ("" if before else "awaiting score"),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                if col == 4 and text:  # a long rationale is cut to the column: the tooltip has it all
                    item.setToolTip(text)
                if col in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if edit is not None:
                    item.setBackground(EDITED_BRUSH)
                    if col == 3:
                        item.setFont(bold)
                self.table.setItem(r, col, item)
        if selected is not None and selected in self._pairs:
            self.table.selectRow(self._pairs.index(selected))
        self._load_form()
        self._update_ranking()

    def _update_ranking(self) -> None:
        app = self.state.appraisal
        if app is None:
            self.ranking_label.setText("")
            return
        names = self.state.option_names()
        order = app.ranks.sort_values(kind="stable")
        totals: Any = app.totals  # indexed by option id; pandas-stubs cannot index by a Hashable
        parts = [f"{int(rank)}. {esc(names.get(str(o), str(o)))} ({totals[o]:.1f})" for o, rank in order.items()]
        n = len(self.state.judgement_overrides)
        suffix = f" &nbsp;·&nbsp; {n} judgement{'s' if n != 1 else ''} changed" if n else ""
        self.ranking_label.setText("<b>Ranking now:</b> " + " &nbsp; ".join(parts) + suffix)
