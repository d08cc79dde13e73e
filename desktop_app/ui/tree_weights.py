"""The value tree's weights: a slider per branch and per criterion, with both levels' shares.

One widget for the Appraisal view's weights panel and for workshop mode (``large``),
so the tree is drawn, worded and undone the same way in both. With a value tree
(docs/appraisal-method.md#value-tree) each branch has a slider for W_g and shows its
share of the total; each criterion shows its share within its branch and overall, and
the swing its weight is set against, in its own units ("from 70% to 95%",
docs/appraisal-method.md#scales). Without CriteriaGroups it is the flat list of
criteria, under their group headings, as before.

Every edit goes through ``weight_setter`` / ``group_weight_setter`` (the workshop
state's setters by default; the undo stack records the change from the state's
signal), and ``drag_started``/``drag_finished`` bracket a slider drag.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape as esc  # workbook text shown as rich text is text, never markup

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.swings import swing_text
from desktop_app.core.shown import possessive
from desktop_app.ui import palette
from desktop_app.ui.charts import point_font
from desktop_app.ui.layouts import clear_layout
from desktop_app.ui.state import AppState
from desktop_app.ui.swing_offer import SwingOffer

SLIDER_MAX = 100
# Columns of the one grid every row shares, so sliders and shares line up.
COL_SWATCH, COL_TEXT, COL_SLIDER, COL_SPIN, COL_WITHIN, COL_SHARE = range(6)


def slider_maximum(weights: list[float]) -> int:
    """A slider end that gives the workbook's weights room to move both ways.

    Two and a half times the largest weight, rounded up to a multiple of 10 (so 18 -> 50):
    a 0-100 track for weights of 5-20 would bunch every handle at the left end.
    """
    top = max([0.0, *weights])
    if top <= 0:
        return SLIDER_MAX
    return int(max(10, math.ceil(top * 2.5 / 10) * 10))


def percent(share: float) -> str:
    """A share as people read it: whole percent, one decimal below 10% (but 0% as 0%)."""
    return f"{share:.0%}" if share >= 0.0995 or share == 0 else f"{share:.1%}"


class WeightRow:
    """One slider's widgets: a criterion's (``kind`` "criterion") or a branch's ("branch")."""

    def __init__(self, key: str, name: str, colour: str, maximum: float, *, kind: str, large: bool,
                 spin: bool, tip: str, swing: str = "", body: int | None = None) -> None:
        self.cid = key
        self.kind = kind
        body = body or (11 if large else 9)
        self.swatch = QLabel()
        self.swatch.setFixedSize(14 if kind == "branch" else 10, 22 if large else 18)
        self.swatch.setStyleSheet(f"background: {colour}; border-radius: 2px;")
        self.swatch.setAccessibleName(f"Colour of {name}")
        self.text = QWidget()
        tl = QVBoxLayout(self.text)
        tl.setContentsMargins(0 if kind == "branch" else (10 if large else 6), 0, 0, 0)
        tl.setSpacing(0)
        self.name = name
        self.swing_words = swing
        self.label = QLabel(name)
        self.label.setWordWrap(True)  # long names take two lines, never "Threat covered within 20 mi…"
        self.label.setFont(point_font(body + (1 if kind == "branch" else 0), kind == "branch"))
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(90)
        self.label.setToolTip(tip or name)
        self.label.setObjectName("branchName" if kind == "branch" else "criterionName")
        tl.addWidget(self.label)
        self.swing = QLabel(swing)
        self.swing.setObjectName("swingText")
        self.swing.setWordWrap(True)
        self.swing.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.swing.setFont(point_font(body - (3 if large else 1)))
        self.swing.setStyleSheet(f"color: {palette.MUTED_INK};")
        self.swing.setToolTip("Swing weight: how much moving from the first end to the second on this "
                              "criterion matters, against the other swings. \"Local\": the ends are the least "
                              "and most preferred options', so they move when an option is added.")
        tl.addWidget(self.swing)
        # The swing runs on after the name, in smaller grey type: one line fewer a row.
        self.inline = True
        self.set_swing(swing)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, int(maximum))
        self.slider.setPageStep(5)
        self.slider.setMinimumWidth(70 if large else 60)
        self.slider.setMaximumWidth(140 if large else 130)  # spare width goes to the names
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        what = f"branch {name}" if kind == "branch" else name
        self.slider.setAccessibleName(f"Weight of {what}")
        self.slider.setToolTip(tip or name)
        self.spin: QDoubleSpinBox | None = None
        if spin:
            self.spin = QDoubleSpinBox()
            self.spin.setRange(0.0, float(max(SLIDER_MAX, maximum) * 10))
            self.spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
            self.spin.setDecimals(1)
            self.spin.setKeyboardTracking(False)
            # no arrow buttons, so none of the style's room for them: "100.0" shows whole
            self.spin.setStyleSheet("QDoubleSpinBox { padding-right: 4px; }")
            self.spin.setFixedWidth(56)
            self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.spin.setAccessibleName(f"Weight of {what} (number)")
        self.within = QLabel("")
        self.within.setObjectName("withinPercent")
        self.within.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.within.setFont(point_font(body - (1 if large else 0)))
        self.within.setAccessibleName(f"Share of {name} within its branch")
        self.share = QLabel("")
        self.share.setObjectName("weightPercent")
        self.share.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.share.setFont(point_font(body + (1 if large else 0), True))
        self.share.setAccessibleName(f"Share of the total weight of {what}")
        self.label.setBuddy(self.slider)
        self.percent = self.share  # the weights panel's name for it

    def set_swing(self, swing: str) -> None:
        """Show what this criterion's weight swings across ("from 70% to 95%")."""
        self.swing_words = swing
        self.swing.setText(swing)
        if self.inline:
            self.swing.setVisible(False)
            if swing:
                self.label.setTextFormat(Qt.TextFormat.RichText)
                self.label.setText(f"{esc(self.name)} <span style='color:{palette.MUTED_INK}; font-weight:400; "
                                   f"font-size:small'>\u00b7 {esc(swing)}</span>")
            return
        self.swing.setVisible(bool(swing))

    def widgets(self) -> list[QWidget]:
        return [w for w in (self.swatch, self.text, self.slider, self.spin, self.within, self.share) if w is not None]

    def show(self, raw: float, share: float, within: float | None) -> None:
        for w in (self.slider, self.spin):
            if w is not None:
                w.blockSignals(True)
        if self.slider.maximum() < raw:
            self.slider.setMaximum(int(math.ceil(raw)) + 1)
        if not self.slider.isSliderDown():
            self.slider.setValue(int(round(raw)))
        if self.spin is not None:
            self.spin.setValue(raw)
        for w in (self.slider, self.spin):
            if w is not None:
                w.blockSignals(False)
        self.share.setText(percent(share))
        self.within.setText("" if within is None else percent(within))


class TreeWeights(QWidget):
    """Branch and criterion sliders in one grid, the swing of each criterion, and the rescale offer."""

    drag_started = Signal(str)
    drag_finished = Signal(str)

    def __init__(self, state: AppState, *, large: bool = False, spin: bool = True,
                 slider_top: int | None = None, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        #: A fixed slider end (workshop mode's 0-100), else :func:`slider_maximum` of the weights.
        self.slider_top = slider_top
        #: Names' point size (None: the default for ``large``); :meth:`set_body` steps it down on a short screen.
        self.body_pt: int | None = None
        self.state = state
        self.large = large
        self.with_spin = spin
        self.rows: dict[str, WeightRow] = {}
        self.branch_rows: dict[str, WeightRow] = {}
        self.group_labels: dict[str, tuple[QLabel, list[str]]] = {}
        self.weight_setter: Callable[[str, float], None] = state.set_weight
        self.group_weight_setter: Callable[[str, float], None] = state.workshop.set_group_weight
        self._built_for: tuple[object, ...] | None = None
        self.offer = SwingOffer(state, large=large)
        #: Says when a branch passes none of its weight on (its criteria all weigh 0), so the
        #: totals are out of less than 100: a review set a lone criterion to 0 and nothing said so.
        self.lost = QLabel("")
        self.lost.setObjectName("lostBranch")
        self.lost.setWordWrap(True)
        self.lost.setFont(point_font(13 if large else 9))
        self.lost.setStyleSheet(f"color: {palette.WARNING}; font-weight: 600;")
        self.lost.setVisible(False)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.grid.setHorizontalSpacing(8 if large else 6)
        self.grid.setVerticalSpacing(0 if large else 3)
        self.grid.setColumnStretch(COL_TEXT, 3)  # names get the spare width first
        self.grid.setColumnStretch(COL_SLIDER, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.offer)
        layout.addWidget(self.lost)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        state.inputs_changed.connect(self.rebuild)
        state.weights_changed.connect(self.show_weights)
        self.rebuild()

    # ---------------------------------------------------------------- build
    def rebuild(self, force: bool = True) -> None:
        """Lay out one row per branch and criterion (again when the criteria change)."""
        ws = self.state.workshop
        key = (tuple(ws.weights), tuple(ws.group_weights), tuple(ws.criterion_groups.items()))
        if not force and key == self._built_for:
            return
        self._built_for = key
        clear_layout(self.grid)
        self.rows, self.branch_rows, self.group_labels = {}, {}, {}
        self._swings_for: object = None
        inputs = self.state.inputs
        if inputs is None or not ws.weights:
            return
        criteria = inputs.criteria
        names = self.state.criterion_names()
        cids = [str(c) for c in criteria["criterion_id"]]
        notes = _column(criteria, "notes")
        measures = dict(zip(cids, criteria["measure"].astype(str), strict=True))
        scales = self._scales()
        r = self._header(0)
        maximum = self.slider_top or slider_maximum([float(w) for w in criteria["weight"]])
        if ws.has_tree:
            colours = dict(zip(cids, palette.criterion_colours([ws.criterion_groups.get(c, "") for c in cids],
                                                               list(ws.branches())),
                               strict=True))
            descriptions = dict(zip(inputs.criteria_groups["group"].astype(str),
                                    _column(inputs.criteria_groups, "description").values(), strict=True))
            gmax = self.slider_top or slider_maximum(list(ws.workbook_group_weights.values()))
            for b, (group, members) in enumerate(ws.branches().items()):
                tip = f"Branch {group}: {descriptions.get(group, '')}".rstrip(": ")
                row = WeightRow(group, group or "(no branch)", palette.branch_colour(b), gmax, kind="branch",
                                large=self.large, spin=self.with_spin, tip=tip, body=self.body_pt)
                self._place(row, r, self.group_weight_setter)
                self.branch_rows[group] = row
                r += 1
                for cid in members:
                    r = self._criterion_row(cid, names, colours[cid], maximum, notes, measures, scales, r)
        else:
            colours = dict(zip(cids, palette.criterion_colours([""] * len(cids)), strict=True))
            groups = criteria["group"].astype(str).tolist() if "group" in criteria else [""] * len(cids)
            order: dict[str, list[str]] = {}
            for cid, g in zip(cids, groups, strict=True):
                order.setdefault("" if g in ("nan", "None") else g, []).append(cid)
            for group, members in order.items():
                heading = QLabel(group or "Criteria")
                heading.setObjectName("groupHeading")
                heading.setFont(point_font(14 if self.large else 10, True))
                self.grid.addWidget(heading, r, 0, 1, COL_SHARE + 1)
                self.group_labels[group] = (heading, members)
                r += 1
                for cid in members:
                    r = self._criterion_row(cid, names, colours[cid], maximum, notes, measures, scales, r)
        self.grid.setColumnMinimumWidth(COL_WITHIN, 0 if not ws.has_tree else (44 if self.large else 36))
        # Never narrower than the longest word of a name: a wrapped name breaks between words.
        fm = QFontMetrics(point_font(12 if self.large else 10, True))
        words = [w for n in names.values() for w in n.split()] + [w for g in ws.group_weights for w in g.split()]
        self.grid.setColumnMinimumWidth(COL_TEXT, max((fm.horizontalAdvance(w) for w in words), default=60) + 12)
        self._tab_order()
        self.show_weights()

    def _header(self, r: int) -> int:
        ws = self.state.workshop
        font = point_font(11 if self.large else 8)
        if self.title:
            heading = QLabel(self.title)
            heading.setObjectName("treeTitle")
            heading.setFont(point_font(16 if self.large else 10, True))
            self.grid.addWidget(heading, r, COL_SWATCH, 1, COL_SLIDER + 1)
        for col, text, tip in ((COL_WITHIN, "branch" if ws.has_tree else "",
                                "Share of the weight within its branch"),
                               (COL_SHARE, "total", "Share of the whole weight (through the value tree)")):
            label = QLabel(text)
            label.setFont(font)
            label.setToolTip(tip)
            label.setStyleSheet(f"color: {palette.MUTED_INK};")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            self.grid.addWidget(label, r, col)
        return r + 1

    def _criterion_row(self, cid: str, names: dict[str, str], colour: str, maximum: float, notes: dict[str, str],
                       measures: dict[str, str], scales: dict[str, object], r: int) -> int:
        name = names.get(cid, cid)
        measure = measures.get(cid, "")
        scale = scales.get(cid)
        swing = swing_text(scale, measure) if (scale is not None or measure == "judgement") else ""  # type: ignore[arg-type]
        row = WeightRow(cid, name, colour, maximum, kind="criterion", large=self.large, spin=self.with_spin,
                        tip=notes.get(cid) or name, swing=swing, body=self.body_pt)
        self._place(row, r, self.weight_setter)
        self.rows[cid] = row
        return r + 1

    def _place(self, row: WeightRow, r: int, setter: Callable[[str, float], None]) -> None:
        self.grid.addWidget(row.swatch, r, COL_SWATCH, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(row.text, r, COL_TEXT)
        self.grid.addWidget(row.slider, r, COL_SLIDER)
        if row.spin is not None:
            self.grid.addWidget(row.spin, r, COL_SPIN)
            row.spin.valueChanged.connect(lambda v, k=row.cid, s=setter, b=row.kind: self._edited(k, float(v), s, b))
        self.grid.addWidget(row.within, r, COL_WITHIN)
        self.grid.addWidget(row.share, r, COL_SHARE)
        row.slider.valueChanged.connect(lambda v, k=row.cid, s=setter, b=row.kind: self._edited(k, float(v), s, b))
        row.slider.sliderPressed.connect(lambda k=row.cid: self.drag_started.emit(k))
        row.slider.sliderReleased.connect(lambda k=row.cid: self.drag_finished.emit(k))
        # One drag is one undo step: the state holds the drag's key while the slider is down.
        row.slider.sliderPressed.connect(lambda: self.state.slider_held(True))
        row.slider.sliderReleased.connect(lambda: self.state.slider_held(False))

    def _tab_order(self) -> None:
        """Reading order: each branch's slider, then its criteria's, top to bottom."""
        previous: QWidget | None = None
        for row in self.ordered_rows():
            for w in (row.slider, row.spin):
                if w is None:
                    continue
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w

    def ordered_rows(self) -> list[WeightRow]:
        """Every row top to bottom (branches before their criteria)."""
        found: list[tuple[int, WeightRow]] = []
        for row in (*self.branch_rows.values(), *self.rows.values()):
            position: tuple[int, int, int, int] = self.grid.getItemPosition(self.grid.indexOf(row.slider))  # type: ignore[assignment]
            found.append((position[0], row))
        return [row for _r, row in sorted(found, key=lambda t: t[0])]

    def _scales(self) -> dict[str, object]:
        model = getattr(self.state.run, "value_model", None)
        if self.state.run is not None:
            from desktop_app.ui import scoring

            model = scoring.value_model(self.state)
        return dict(getattr(model, "scales", {}) or {})

    def set_body(self, pt: int | None) -> None:
        """Names at ``pt`` points (None: the default); rebuilds the rows when it changes."""
        if pt != self.body_pt:
            self.body_pt = pt
            self.rebuild()

    # ---------------------------------------------------------------- display
    def show_weights(self) -> None:
        ws = self.state.workshop
        if self._built_for != (tuple(ws.weights), tuple(ws.group_weights), tuple(ws.criterion_groups.items())):
            self.rebuild()
            return
        self._refresh_swings()
        shares = self.state.normalised_weights()
        within = ws.shares_within_branch() if ws.has_tree else {}
        for cid, row in self.rows.items():
            row.show(ws.weights.get(cid, 0.0), shares.get(cid, 0.0), within.get(cid) if ws.has_tree else None)
        self._hold_lone_criteria()
        branch_shares = ws.branch_shares()
        for group, row in self.branch_rows.items():
            row.show(ws.group_weights.get(group, 0.0), branch_shares.get(group, 0.0), None)
        self._show_lost(branch_shares)
        for group, (label, cids) in self.group_labels.items():
            total = sum(shares.get(c, 0.0) for c in cids)
            label.setText(f"{group or 'Criteria'}  ·  {total:.0%}")

    def _hold_lone_criteria(self) -> None:
        """A criterion alone in its branch takes all the branch's weight whatever its own
        slider says (docs/appraisal-method.md#value-tree), so its slider is held still and
        says to move the branch's: a facilitator's review found the room dragging the
        community-confidence slider from 10 to 100 with no change to any total, while an
        undo step was recorded and the weights renamed as set in the room. It stays free at
        0, where it is what gives the branch its weight back."""
        ws = self.state.workshop
        if not ws.has_tree:
            return
        for group, cids in ws.branches().items():
            if len(cids) != 1 or cids[0] not in self.rows:
                continue
            row = self.rows[cids[0]]
            held = ws.weights.get(cids[0], 0.0) > 0
            tip = (f"{row.name} is the only criterion under {group}, so it takes all of {possessive(group)} weight: "
                   f"move the {group} slider above to change it") if held else (row.label.toolTip())
            for w in (row.slider, row.spin):
                if w is not None:
                    w.setEnabled(not held)
                    w.setToolTip(tip)

    def _show_lost(self, branch_shares: dict[str, float]) -> None:
        """Name each weighted branch whose criteria all weigh 0, and what the totals are out of."""
        ws = self.state.workshop
        lost = [g for g, cids in ws.branches().items() if g in self.branch_rows and branch_shares.get(g, 0.0) > 0
                and sum(max(0.0, ws.weights.get(c, 0.0)) for c in cids) <= 0]
        if not lost:
            self.lost.setVisible(False)
            return
        kept = 1.0 - sum(branch_shares.get(g, 0.0) for g in lost)
        names = " and ".join(lost)
        self.lost.setText(f"{names} pass{'' if len(lost) > 1 else 'es'} none of {'their' if len(lost) > 1 else 'its'} "
                          f"weight on: {'their' if len(lost) > 1 else 'its'} criteria all weigh 0, so the totals are "
                          f"out of {100 * kept:.0f}. Give a criterion under {names} some weight.")
        self.lost.setVisible(True)

    def _refresh_swings(self) -> None:
        """Re-word each swing from the current scales (an added option may have moved them)."""
        if self.state.run is None:
            return
        from desktop_app.ui import scoring

        model = scoring.value_model(self.state)
        if model is getattr(self, "_swings_for", None):
            return  # the same value model: the same scales (a weight moved, nothing else)
        self._swings_for = model
        scales = self._scales()
        measures = self.state.inputs.criteria.set_index("criterion_id")["measure"].astype(str).to_dict() \
            if self.state.inputs is not None else {}
        for cid, row in self.rows.items():
            m = str(measures.get(cid, ""))
            sc = scales.get(cid)
            text = swing_text(sc, m) if (sc is not None or m == "judgement") else ""  # type: ignore[arg-type]
            if row.swing_words != text:
                row.set_swing(text)

    # ---------------------------------------------------------------- edits
    def _edited(self, key: str, value: float, setter: Callable[[str, float], None], kind: str) -> None:
        ws = self.state.workshop
        current = ws.group_weights if kind == "branch" else ws.weights
        if abs(current.get(key, 0.0) - value) < 1e-9:
            return
        setter(key, value)

    def set_slider(self, key: str, value: int) -> None:
        """Move one criterion's slider as a user would (tests, workshop remote controls)."""
        self.rows[key].slider.setValue(value)

    def set_branch_slider(self, group: str, value: int) -> None:
        self.branch_rows[group].slider.setValue(value)

    def all_rows(self) -> list[WeightRow]:
        return [*self.branch_rows.values(), *self.rows.values()]


def _column(frame: object, name: str) -> dict[str, str]:
    """A text column of Criteria/CriteriaGroups by the first column's id ("" for blanks or when absent)."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    key = frame.columns[0]
    if name not in frame.columns:
        return {str(k): "" for k in frame[key]}
    return {str(k): ("" if pd.isna(v) else str(v)) for k, v in zip(frame[key], frame[name], strict=True)}
