"""Workshop mode's "How each group would choose" page: every weight set's ranking, in room-sized type.

The Weight sets view has the same comparison in desktop type; a facilitator had to leave
the full-screen presentation to show it, and at 9 pt it could not be read from the back
of a room. This page shows, for each option, its rank (and total value) under the
weights on the sliders and under every stakeholder set, first places shaded and bold,
with one line above saying which option each group puts first. The figures are the
Weight sets view's (``core/appraisal/weight_sets.compare_weight_sets`` on the live value
scores, the sliders' column being the live appraisal itself), recomputed whenever the
page is shown or the weights, sets or scores change while it is.
"""

from __future__ import annotations

from html import escape as esc
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.live import LIVE_WEIGHTS_NAME
from desktop_app.core.appraisal.weight_sets import WeightSetComparison, compare_weight_sets
from desktop_app.ui import palette
from desktop_app.ui.awaiting import awaiting_options, awaiting_sentence
from desktop_app.ui.charts import point_font, wrap_name
from desktop_app.ui.state import AppState
from desktop_app.ui.undo import WeightSetStore

#: First place's shading, as on the Weight sets view.
FIRST = "#d2e4f4"


class GroupsPage(QWidget):
    """Ranks under the sliders' weights and every stakeholder set, for the room."""

    def __init__(self, state: AppState, store: WeightSetStore, body_pt: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        self.body_pt = body_pt
        self.comparison: WeightSetComparison | None = None
        self.heading = QLabel("How each group would choose")
        self.heading.setFont(point_font(body_pt + 4, True))
        self.summary = QLabel("")
        self.summary.setObjectName("groupsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setFont(point_font(body_pt))
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Rank of each option under each group's weights")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setFont(point_font(body_pt))
        self.table.horizontalHeader().setFont(point_font(body_pt, True))
        self.table.verticalHeader().setFont(point_font(body_pt, True))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel("Rank, with the total value (0-100) in brackets; first place shaded. "
                           "Each group's column uses that group's own weights.")
        self.note.setWordWrap(True)
        self.note.setFont(point_font(body_pt - 3))
        self.note.setStyleSheet(f"color: {palette.MUTED_INK};")
        self._fit_pending = False
        self._fits_since_refresh = 0  # a scroll bar that comes and goes with the type size must not loop
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._fit_soon())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def refresh(self) -> None:
        """Compare again on the live scores and fill the table (nothing shown with no appraisal)."""
        live = self.state.appraisal
        self.table.clear()
        if self.state.run is None or live is None or not self.state.weights:
            self.comparison = None
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.summary.setText("Open a workbook to compare the groups' weights.")
            return
        from desktop_app.ui import scoring

        cmp = compare_weight_sets(scoring.value_model(self.state), self.store.as_mapping(),
                                  live=(LIVE_WEIGHTS_NAME, live))
        self.comparison = cmp
        self._fits_since_refresh = 0
        names = self.state.option_names()
        options = [o for o in cmp.totals.index]
        self.table.setColumnCount(len(cmp.set_names))
        self.table.setRowCount(len(options))
        self.table.setHorizontalHeaderLabels(list(cmp.set_names))
        for c, n in enumerate(cmp.set_names):
            head = self.table.horizontalHeaderItem(c)
            if head is not None:
                head.setToolTip(n)  # the set's whole name (the heading may wrap it)
        # every word; narrower with many groups, so their columns keep room-sized type
        self.table.setVerticalHeaderLabels([wrap_name(names.get(o, o), 24 if len(cmp.set_names) <= 5 else 16)
                                            for o in options])
        bold = point_font(self.body_pt, True)
        ranks: Any = cmp.ranks  # pandas-stubs types .at[] as any scalar: read them untyped
        totals: Any = cmp.totals
        for c, n in enumerate(cmp.set_names):
            for r, o in enumerate(options):
                rank = int(ranks.at[o, n])
                item = QTableWidgetItem(f"{rank}  ({float(totals.at[o, n]):.1f})")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if rank == 1:
                    item.setBackground(QBrush(QColor(FIRST)))
                    item.setFont(bold)
                else:
                    item.setFont(QFont(self.table.font()))
                self.table.setItem(r, c, item)
        self._fit()
        text = self._sentence(cmp, names)
        if any(o not in cmp.totals.index for o in awaiting_options(self.state)):
            text += "<br>" + awaiting_sentence(self.state)  # not ranked until scored
        self.summary.setText(text)

    def _fit_soon(self) -> None:
        """The columns changed width (the window, the names' header, a scroll bar): fit once
        the layout has settled, however many sections moved."""
        if not self._fit_pending and self._fits_since_refresh < 4:
            self._fit_pending = True
            QTimer.singleShot(0, self._fit)

    def _fit(self) -> None:
        """Every group's name whole, on as many lines as its column needs, and each cell on one
        line: the largest type (from the room size down by up to 5 points) in which the widest
        word of a name and the widest cell fit a column. With six sets and the sliders' column
        at 1024 px, names had been cut to "ommuni panel" and "(survey)" lost."""
        self._fit_pending = False
        self._fits_since_refresh += 1
        n = self.table.columnCount()
        if n == 0:
            return
        width = self.table.viewport().width()
        room = max(1, (width - 2) // n - 14)  # a column, less its padding
        heads = [self.table.horizontalHeaderItem(c) for c in range(n)]
        names = [str(h.toolTip()) if h is not None else "" for h in heads]
        items = [self.table.item(r, c) for r in range(self.table.rowCount()) for c in range(n)]
        cells = [i.text() for i in items if i is not None]
        # down by up to 8 points, never below 8 pt: at 1366 px nine columns (three sets, each
        # also captured and surveyed) still cut "Community" at 5 points down
        for pt in range(self.body_pt, max(7, self.body_pt - 9), -1):
            fm = QFontMetrics(point_font(pt, True))
            words = [fm.horizontalAdvance(w) for name in names for w in name.split()]
            if max(words, default=0) <= room and max((fm.horizontalAdvance(t) for t in cells), default=0) <= room:
                break
        head_font, cell_font, bold = point_font(pt, True), point_font(pt), point_font(pt, True)
        self.table.horizontalHeader().setFont(head_font)
        # and as a style sheet: the application's section rule (its font weight) made the
        # header paint in the table's size, whatever its own font said, so with nine groups
        # "Community" was cut to "ommunit" and a third line lost at the foot
        self.table.horizontalHeader().setStyleSheet(f"QHeaderView::section {{ font-size: {pt}pt; font-weight: 700; }}")
        fm = QFontMetrics(head_font)
        lines = 1
        for head, name in zip(heads, names, strict=True):
            if head is not None:
                head.setText(_wrap_to(name, fm, room))
                lines = max(lines, head.text().count("\n") + 1)
        # tall enough for the most lines a heading takes: "(survey)" on a third line had been
        # cut off at the header's foot, its height set for the type before the fit
        self.table.horizontalHeader().setMinimumHeight(lines * fm.lineSpacing() + 12)
        for item in items:
            if item is not None:
                item.setFont(bold if item.font().bold() else cell_font)
        self.table.resizeRowsToContents()

    @staticmethod
    def _sentence(cmp: WeightSetComparison, names: dict[str, str]) -> str:
        """Which option each stakeholder group puts first (the sliders' own is the table's first column)."""
        groups = [n for n in cmp.set_names if n != LIVE_WEIGHTS_NAME]
        if not groups:
            return "No stakeholder weight sets yet: capture the room's weights to compare groups."
        votes = cmp.top_votes(groups)
        if len(votes) == 1:
            top = next(iter(votes))
            return (f"<span style='color:{palette.OK}; font-weight:bold'>All {len(groups)} groups agree:</span> "
                    f"{esc(names.get(top, top))} ranks first.")
        parts = [f"<b>{esc(names.get(o, o))}</b> first for {esc(', '.join(who))}"
                 for o, who in sorted(votes.items(), key=lambda kv: -len(kv[1]))]
        return (f"<span style='color:{palette.WARNING}; font-weight:bold'>The groups disagree.</span> "
                + "; ".join(parts) + ".")


def _wrap_to(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` on as many lines as it needs at ``width`` pixels, every word whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and fm.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines) or text
