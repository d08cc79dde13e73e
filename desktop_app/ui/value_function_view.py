"""The Value functions view: each measured criterion's value function, drawn and editable.

docs/appraisal-method.md#value-functions. Beside the list of measured criteria, a small
chart draws the chosen criterion's value function: its ``value_points`` (piecewise
linear, flat beyond the ends) or, without them, the straight line from the scale's worst
(0) to its best (100), with every option placed on it at its measured value. Under the
chart the points can be edited as a table of (measure value, value 0-100) with a
rationale; "Apply" sets them for this session (undoable, one step), recorded in the
session file and in the exported summary like a judgement edit. The workbook is never
changed: the value model scores the criterion as if its Criteria row said so
(:func:`desktop_app.core.appraisal.value_functions.with_value_points`).
"""

from __future__ import annotations

import math
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.value_functions import ValuePoints, interpolate, points_problem
from desktop_app.core.session.records import ValuePointsEdit
from desktop_app.core.session.undo import SetValuePoints
from desktop_app.core.workbook.measure_names import MEASURE_LABELS, measure_label_with_unit
from desktop_app.core.workbook.schema import JUDGEMENT
from desktop_app.ui import palette
from desktop_app.ui.charts import make_plot, pen, point_font, wrap_name
from desktop_app.ui.label_placement import Segment, data_per_pixel, place_point_labels
from desktop_app.ui.lazy_refresh import LazyRefreshWidget
from desktop_app.ui.state import AppState
from desktop_app.ui.undo import WorkshopUndo
from desktop_app.ui.view_layout import lay_out_view, summary_label


def workbook_points(state: AppState) -> dict[str, ValuePoints | None]:
    """criterion_id -> the Criteria sheet's value points (None: a straight line), measured criteria only."""
    inputs = state.inputs
    if inputs is None:
        return {}
    crit = inputs.criteria
    points = crit["value_points"] if "value_points" in crit.columns else [None] * len(crit)
    return {str(c): (tuple(p) if p else None)
            for c, m, p in zip(crit["criterion_id"], crit["measure"], points, strict=True) if str(m) != JUDGEMENT}


def value_point_edits(state: AppState) -> list[ValuePointsEdit]:
    """The workshop's value functions with the workbook's beside them (session file, export)."""
    original = workbook_points(state)
    return [ValuePointsEdit(c, original.get(c), pts, why) for c, (pts, why) in state.workshop.value_points.items()]


class ValueFunctionView(LazyRefreshWidget):
    """Criteria on the left; the chosen one's value function drawn and its points editable."""

    edited = Signal(str)

    def __init__(self, state: AppState, undo: WorkshopUndo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.undo = undo
        self.setObjectName("valueFunctionView")
        self.criteria = QListWidget()
        self.criteria.setAccessibleName("Measured criteria")
        self.criteria.setMaximumWidth(360)
        self.criteria.setMinimumWidth(300)
        self.criteria.setWordWrap(True)
        self.criteria.currentRowChanged.connect(lambda _r: self._load())
        self.chart = make_plot(left="Value (0-100)", bottom="", accessible_name="Value function")
        self.chart.setMinimumHeight(240)
        self.chart.getPlotItem().getAxis("bottom").enableAutoSIPrefix(False)  # the measure's own units
        #: (option x, value, bounds, the function's segments) as drawn, for placing the names.
        self._drawn: tuple[np.ndarray, np.ndarray, tuple[float, float, float, float], list[Segment]] | None = None
        self._labels: list[pg.TextItem] = []
        self._leaders: pg.PlotDataItem | None = None
        self.chart.getViewBox().sigResized.connect(lambda _vb: QTimer.singleShot(0, self, self._place_labels))
        self.points = QTableWidget(0, 2)
        self.points.setHorizontalHeaderLabels(["Measure value", "Value (0-100)"])
        self.points.setAccessibleName("Value function points")
        self.points.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.points.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.points.setMaximumHeight(170)
        self.points.setMinimumHeight(110)
        self.add_button = QPushButton("Add point")
        self.add_button.setToolTip("Add a point (measure value, value 0-100) to the chosen criterion's value function")
        self.add_button.clicked.connect(self.add_point)
        self.remove_button = QPushButton("Remove point")
        self.remove_button.setToolTip("Remove the selected point from the value function")
        self.remove_button.clicked.connect(self.remove_point)
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why the workshop sets this value function (required)")
        self.rationale.setAccessibleName("Rationale for the value function")
        self.rationale.setFixedHeight(52)
        self.apply_button = QPushButton("Apply value function")
        self.apply_button.setToolTip("Score the criterion with these points (one undo step); the rationale is recorded "
                                     "in the session and the exported summary")
        self.apply_button.clicked.connect(self.apply_form)
        self.revert_button = QPushButton("Back to the workbook's value function")
        self.revert_button.setToolTip("Go back to the value function (or straight line) the workbook gives")
        self.revert_button.clicked.connect(self.revert_selected)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.apply_button, self.revert_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        editor = QWidget()
        el = QVBoxLayout(editor)
        el.setContentsMargins(0, 0, 0, 0)
        el.addWidget(self.points)
        el.addWidget(self.rationale)
        el.addLayout(buttons)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart)
        right.addWidget(editor)
        right.setChildrenCollapsible(False)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.criteria)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        self.summary = summary_label("", "What the chosen criterion's value function says")
        lay_out_view(self, "Value functions", QHBoxLayout(), self.summary, body)
        state.inputs_changed.connect(self._schedule)
        state.appraisal_changed.connect(self._schedule)
        state.value_points_changed.connect(self._schedule)
        self.refresh()

    # ------------------------------------------------------------------ what is shown
    def selected(self) -> str | None:
        item = self.criteria.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, criterion_id: str) -> None:
        self._refresh_if_dirty()
        for r in range(self.criteria.count()):
            item = self.criteria.item(r)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == criterion_id:
                self.criteria.setCurrentRow(r)
                return

    def current_points(self, criterion_id: str) -> ValuePoints:
        """The value function in force: the workshop's, the workbook's, or the scale's straight line."""
        scale = self._scale(criterion_id)
        if scale is not None and scale.value_points:
            return tuple(scale.value_points)
        if scale is None or not (math.isfinite(scale.worst) and math.isfinite(scale.best)):
            return ()
        ends = sorted([(float(scale.worst), 0.0), (float(scale.best), 100.0)])
        return tuple(ends) if ends[0][0] < ends[1][0] else ()

    def _scale(self, criterion_id: str) -> Any:
        if self.state.run is None:
            return None
        from desktop_app.ui import scoring

        return scoring.value_model(self.state).scales.get(criterion_id)

    def refresh(self) -> None:
        self._dirty = False
        chosen = self.selected()
        names = self.state.criterion_names()
        self.criteria.blockSignals(True)
        self.criteria.clear()
        for cid in workbook_points(self.state):
            mark = "  (set in the workshop)" if cid in self.state.workshop.value_points else ""
            item = QListWidgetItem(f"{names.get(cid, cid)}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, cid)
            item.setToolTip(f"Criterion {cid}")
            self.criteria.addItem(item)
        self.criteria.blockSignals(False)
        if self.criteria.count():
            self.select(chosen or str(self.criteria.item(0).data(Qt.ItemDataRole.UserRole)))
        self._load()

    def _load(self) -> None:
        cid = self.selected()
        item = self.chart.getPlotItem()
        item.clear()
        self._drawn, self._labels, self._leaders = None, [], None
        enabled = cid is not None and self.state.run is not None
        for w in (self.points, self.rationale, self.add_button, self.remove_button, self.apply_button):
            w.setEnabled(enabled)
        self.revert_button.setEnabled(enabled and cid in self.state.workshop.value_points)
        if not enabled or cid is None:
            self.summary.setText("Open a valid workbook to see its criteria's value functions.")
            self.points.setRowCount(0)
            return
        pts = self.current_points(cid)
        self._fill_points(pts)
        edit = self.state.workshop.value_points.get(cid)
        self.rationale.setPlainText(edit[1] if edit is not None else "")
        self._draw(cid, pts)

    def _fill_points(self, pts: ValuePoints) -> None:
        self.points.setRowCount(len(pts))
        for r, (x, v) in enumerate(pts):
            self.points.setItem(r, 0, QTableWidgetItem(f"{x:g}"))
            self.points.setItem(r, 1, QTableWidgetItem(f"{v:g}"))

    def _draw(self, cid: str, pts: ValuePoints) -> None:
        """The function and the options on it, the axis in the measure's words and units.

        A share is drawn in percent (60% to 80%, as every other view says it); the points
        table keeps the workbook's own numbers (0.6, 0.8), and its header says so.
        """
        run = self.state.run
        item = self.chart.getPlotItem()
        measure = str(run.inputs.criteria.set_index("criterion_id").at[cid, "measure"])
        names = self.state.criterion_names()
        unit = MEASURE_LABELS.get(measure, ("", ""))[1]
        k = 100.0 if unit == "share" else 1.0
        item.setLabel("bottom", measure_label_with_unit(measure, float(run.coverage.target_minutes)))
        self.points.setHorizontalHeaderLabels(
            ["Measure value (a share: 0.6 = 60%)" if unit == "share" else "Measure value", "Value (0-100)"])
        measures = run.coverage.measures
        raw = {o: float(measures.at[o, measure]) for o in self.state.option_ids()
               if o in measures.index and measure in measures.columns}
        finite = [x for x in raw.values() if math.isfinite(x)]
        xs = [p[0] for p in pts] + finite
        if not pts or not xs:
            self.summary.setText(f"{esc(names.get(cid, cid))}: no scale to draw.")
            return
        lo, hi = min(xs), max(xs)
        pad = 0.08 * (hi - lo or 1.0)
        line_x = np.array([lo - pad, *[p[0] for p in pts], hi + pad])
        line_v = interpolate(pts, line_x)
        item.addItem(pg.PlotDataItem(line_x * k, line_v, pen=pen(palette.ACCENT_DARK, 2.5)))
        item.addItem(pg.ScatterPlotItem([p[0] * k for p in pts], [p[1] for p in pts], size=10,
                                        brush=pg.mkBrush(palette.ACCENT_DARK), pen=None, symbol="s"))
        self._leaders = item.plot([], [], pen=pen("#8a9196", 1.0))
        option_names = self.state.option_names()
        opt_x, opt_v = [], []
        for i, (o, x) in enumerate(raw.items()):
            if not math.isfinite(x):
                continue
            v = float(interpolate(pts, np.array([x]))[0])
            colour = palette.option_colour(i)
            item.addItem(pg.ScatterPlotItem([x * k], [v], size=9, brush=pg.mkBrush(colour), pen=pg.mkPen(palette.INK)))
            # Whole names on up to two lines ("Hybrid: three armed / stations + neighbour cover"):
            # cut at 26 characters they read "Arm rural response office…" with room to spare.
            label = pg.TextItem(wrap_name(option_names.get(o, o), 26, lines=2), color=palette.INK)
            label.setFont(point_font(9))
            item.addItem(label)
            self._labels.append(label)
            opt_x.append(x * k)
            opt_v.append(v)
        item.setYRange(-5, 105, padding=0)
        item.setXRange((lo - pad) * k, (hi + pad) * k, padding=0)
        segments = [(float(line_x[j] * k), float(line_v[j]), float(line_x[j + 1] * k), float(line_v[j + 1]))
                    for j in range(len(line_x) - 1)]
        self._drawn = (np.array(opt_x), np.array(opt_v), ((lo - pad) * k, -5.0, (hi + pad) * k, 105.0), segments)
        self._place_labels()
        kind = "set in the workshop" if cid in self.state.workshop.value_points else (
            "from the workbook's value_points" if self._scale(cid) is not None and self._scale(cid).value_points
            else "a straight line from the scale's worst (0) to its best (100)")
        self.summary.setText(f"<b>{esc(names.get(cid, cid))}</b>: value function {esc(kind)}; "
                             + esc("; ".join(f"{_measure_words(x, unit)} scores {v:g}" for x, v in pts))
                             + ". Beyond the end points the end value applies. Squares: the points; "
                             "circles: the options.")

    def _place_labels(self) -> None:
        """Each option's name beside its point, clear of the other names, points and the line."""
        if self._drawn is None or not self._labels:
            return
        xs, vs, bounds, segments = self._drawn
        plot = self.chart.getPlotItem()
        units = data_per_pixel(plot, (self.chart.width(), self.chart.height()), bounds)
        leaders = place_point_labels(self._labels, xs, vs, np.argsort(-vs, kind="stable"), units=units,
                                     marker_px=6, bounds=bounds, segments=segments)
        if self._leaders is not None:
            xy = np.array(leaders, dtype=float).reshape(-1, 4)
            self._leaders.setData(xy[:, [0, 2]].ravel(), xy[:, [1, 3]].ravel(), connect="pairs")

    # ------------------------------------------------------------------ editing
    def table_points(self) -> tuple[ValuePoints | None, str | None]:
        """The points typed in the table, sorted by x, or (None, why not)."""
        out: list[tuple[float, float]] = []
        for r in range(self.points.rowCount()):
            cells = [self.points.item(r, c) for c in (0, 1)]
            texts = [(c.text() if c is not None else "").strip().replace(",", "") for c in cells]
            if not any(texts):
                continue
            try:
                x, v = float(texts[0]), float(texts[1])
            except ValueError:
                return None, f"row {r + 1}: measure value and value must both be numbers"
            out.append((x, v))
        pts = tuple(sorted(out))
        problem = points_problem(pts)
        return (None, problem) if problem else (pts, None)

    def add_point(self) -> None:
        self.points.insertRow(self.points.rowCount())

    def remove_point(self) -> None:
        rows = sorted({i.row() for i in self.points.selectedIndexes()}, reverse=True) or [self.points.rowCount() - 1]
        for r in rows:
            if r >= 0:
                self.points.removeRow(r)

    def set_points(self, criterion_id: str, points: ValuePoints, rationale: str) -> bool:
        """Set one criterion's value function (undoable); refuses bad points or a blank rationale."""
        problem = points_problem(tuple(points))
        if problem is not None:
            QMessageBox.warning(self, "Value function", problem[0].upper() + problem[1:] + ".")
            return False
        if not rationale.strip():
            QMessageBox.warning(self, "Value function", "Please give the reason for the value function.")
            return False
        old = self.state.workshop.value_points.get(criterion_id)
        self.undo.push(SetValuePoints(criterion_id, None if old is None else old[0],
                                      tuple((float(x), float(v)) for x, v in points),
                                      "" if old is None else old[1], " ".join(rationale.split())))
        self.edited.emit(criterion_id)
        return True

    def apply_form(self) -> None:
        cid = self.selected()
        if cid is None:
            return
        pts, problem = self.table_points()
        if pts is None:
            QMessageBox.warning(self, "Value function", (problem or "")[0:1].upper() + (problem or "")[1:] + ".")
            return
        self.set_points(cid, pts, self.rationale.toPlainText())

    def revert_selected(self) -> None:
        cid = self.selected()
        old = self.state.workshop.value_points.get(cid or "")
        if cid is None or old is None:
            return
        self.undo.push(SetValuePoints(cid, old[0], None, old[1], ""))


def _measure_words(x: float, unit: str) -> str:
    """A point's measure value as people say it: 60% for a share of 0.6, £4.5m, 20 minutes."""
    if unit == "share":
        return f"{100 * x:g}%"
    if unit == "GBP":
        return f"£{x / 1e6:,.3g}m" if abs(x) >= 1e6 else f"£{x:,.0f}"
    if unit == "minutes":
        return f"{x:g} minutes"
    return f"{x:g}"
