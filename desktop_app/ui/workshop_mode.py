"""Workshop mode: a full-screen presentation of the appraisal for a projector.

A consultation room sees the screen from ten metres away through a washed-out
projector, and stakeholders come up to push the weights themselves. So this layout is
deliberately not the analyst's window: large type, black on white with thick marks
(the highest contrast a projector keeps in a lit room), the protective marking top
and bottom as on every screen, big slider handles that work with a finger, and only
four things on show: the options, the weights, the ranking and value for money.

It shares :class:`AppState` with the main window, so every slider move here is the
same live re-score, recorded on the same undo stack (Ctrl+Z works here too). Esc
leaves and returns to the main window.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.appraisal.value_for_money import value_for_money
from desktop_app.ui import palette, workshop_labels
from desktop_app.ui.banner import MarkingBanner
from desktop_app.ui.charts import point_font, two_lines
from desktop_app.ui.flow_key import ColourKey
from desktop_app.ui.keyboard import redo_keys
from desktop_app.ui.label_placement import data_per_pixel
from desktop_app.ui.state import AppState
from desktop_app.ui.tree_weights import TreeWeights, WeightRow
from desktop_app.ui.undo import WeightSetStore, WorkshopUndo
from desktop_app.ui.workshop_groups import GroupsPage

#: Point sizes chosen for a 1366x768 projector read from the back of a meeting room.
BODY_PT = 14
HEADING_PT = 18
TITLE_PT = 22
SLIDER_MAX = 100
#: The value-for-money markers' radius in pixels (their labels keep clear of it).
VFM_MARKER_PX = 12

STYLE = f"""
QWidget#workshopWindow {{ background: #ffffff; }}
QWidget#workshopWindow QLabel {{ color: {palette.INK}; }}
QLabel[role="heading"] {{ font-size: {HEADING_PT}pt; font-weight: 700; }}
QLabel[role="muted"] {{ color: {palette.MUTED_INK}; }}
QFrame#workshopHeader {{ background: {palette.ACCENT_DARK}; }}
QFrame#workshopHeader QLabel {{ color: #ffffff; }}
QFrame[role="card"] {{ border: 2px solid {palette.INK}; border-radius: 6px; background: #ffffff; }}
QPushButton {{ font-size: {BODY_PT - 1}pt; font-weight: 600; padding: 4px 10px; min-height: 30px;
              border: 2px solid #ffffff; border-radius: 4px; background: {palette.ACCENT_DARK}; color: #ffffff; }}
QPushButton:hover {{ background: {palette.ACCENT}; }}
QPushButton:checked {{ background: #ffffff; color: {palette.ACCENT_DARK}; }}
QPushButton:focus {{ border: 3px solid #ffdd00; }}
QPushButton:disabled {{ color: #9aa3a8; border-color: #9aa3a8; }}
QSlider {{ min-height: 32px; }}
QSlider::groove:horizontal {{ height: 12px; background: #d0d4d6; border: 1px solid {palette.INK}; border-radius: 6px; }}
QSlider::sub-page:horizontal {{ background: {palette.ACCENT}; border: 1px solid {palette.INK}; border-radius: 6px; }}
QSlider::handle:horizontal {{ width: 32px; height: 32px; margin: -11px 0; border-radius: 16px;
                             background: #ffffff; border: 4px solid {palette.INK}; }}
QSlider::handle:horizontal:focus {{ border: 4px solid #ffdd00; background: {palette.INK}; }}
QSlider::sub-page:horizontal:disabled {{ background: #b1b4b6; border: 1px solid #9aa3a8; }}
QSlider::handle:horizontal:disabled {{ background: #e8e9ea; border: 4px solid #9aa3a8; }}
"""


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when cut, so a shortened name looks shortened.

    Its size policy lets the layout make it narrower than its text: a long criterion or
    option name never widens its column past the projector's 1366 pixels.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class WorkshopWindow(QWidget):
    """The full-screen presentation. ``left`` is emitted when the room leaves it (Esc)."""

    left = Signal()

    def __init__(self, state: AppState, store: WeightSetStore, undo: WorkshopUndo,
                 capture: Callable[[], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.state = state
        self.store = store
        self.undo = undo
        self._capture = capture
        self._chips = -1
        self.setObjectName("workshopWindow")
        self.setWindowTitle("Workshop mode · Armed Policing Options Appraisal")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setFont(point_font(BODY_PT))

        self.top_banner = MarkingBanner("top")
        self.bottom_banner = MarkingBanner("bottom")
        for b in (self.top_banner, self.bottom_banner):
            b.setFixedHeight(30)

        header = QFrame()
        header.setObjectName("workshopHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(20, 5, 20, 5)
        self.title = QLabel("Workshop")
        self.title.setFont(point_font(TITLE_PT, True))
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.set_label = QLabel("")
        self.set_label.setFont(point_font(BODY_PT - 1))
        # Whose weights may be a long sentence: it wraps, and never widens the window past the screen.
        self.set_label.setWordWrap(True)
        self.set_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_label.setMinimumWidth(120)
        self.undo_button = QPushButton("↶ Undo")
        self.redo_button = QPushButton("↷ Redo")
        self.capture_button = QPushButton("Capture…")
        self.capture_button.setToolTip("Capture the weights on the sliders as a named weight set")
        self.groups_button = QPushButton("Groups")
        self.groups_button.setCheckable(True)
        self.groups_button.setToolTip("How each stakeholder group would choose: every weight set's ranking "
                                      "(press again for the sliders and charts)")
        self.leave_button = QPushButton("Leave (Esc)")
        self.undo_button.clicked.connect(undo.stack.undo)
        self.redo_button.clicked.connect(undo.stack.redo)
        self.capture_button.clicked.connect(self._capture_clicked)
        self.leave_button.clicked.connect(self.leave)
        hl.addWidget(self.title)
        hl.addSpacing(16)
        hl.addWidget(self.set_label, 1)
        self.groups_button.toggled.connect(lambda _on: self.refresh())
        for button in (self.undo_button, self.redo_button, self.capture_button, self.groups_button,
                       self.leave_button):
            button.setAccessibleName(button.text().strip("↶↷ …"))
            hl.addWidget(button)
        self.capture_button.setVisible(capture is not None)

        # The options key: in the charts' column, flowing onto as many rows as it needs, so
        # it takes its lines from the charts (whose names it repeats) and never from the
        # value tree; at 1024x768 it used to give way to the tree and vanish.
        # led by what it keys: a second review still took it for a key to the ranking's bars
        self.options_strip = ColourKey("Option colours", point_size=BODY_PT - 3, swatch=16, bold=True, h_spacing=18,
                                       lead="Value for money markers:")
        self.options_layout = self.options_strip.flow

        # weights
        weights_card = QFrame()
        weights_card.setProperty("role", "card")
        wl = QVBoxLayout(weights_card)
        wl.setContentsMargins(12, 4, 12, 4)
        # The card's heading sits in the tree's own header row, over the names: on a
        # 768-line projector every line counts.
        # The value tree's sliders: the same widget as the Appraisal view's, in projector
        # sizes. They scroll only when a workbook has more criteria than the screen holds;
        # the window never grows past the screen and pushes the marking banner off it.
        self.tree = TreeWeights(state, large=True, spin=False, slider_top=SLIDER_MAX, title="What matters: weights")
        self.tree.setObjectName("weightRows")
        # Slightly smaller handles than the other buttons: fourteen rows share the card.
        self.tree.setStyleSheet(
            "QWidget#weightRows { background: #ffffff; } QSlider { min-height: 28px; } "
            f"QSlider::handle:horizontal {{ width: 28px; height: 28px; margin: -9px 0; border-radius: 14px; "
            f"background: #ffffff; border: 4px solid {palette.INK}; }} "
            f"QSlider::handle:horizontal:focus {{ border: 4px solid #ffdd00; background: {palette.INK}; }} "
            # a criterion alone in its branch: its slider is held (ui/tree_weights.py), and looks it
            "QSlider::handle:horizontal:disabled { background: #e8e9ea; border: 4px solid #9aa3a8; }")
        self.weights_scroll = QScrollArea()
        self.weights_scroll.setWidget(self.tree)
        self.weights_scroll.setWidgetResizable(True)
        self.weights_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.weights_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.weights_scroll.setStyleSheet("QScrollArea { background: #ffffff; }")
        wl.addWidget(self.weights_scroll, 1)

        # ranking and value for money
        self.ranking = pg.PlotWidget(background="w")
        self.ranking.setAccessibleName("Ranking of options by total value")
        self.vfm = pg.PlotWidget(background="w")
        self.vfm.setAccessibleName("Value for money: total value against whole-life cost")
        # The title says what the star and the hollow ring mean (the Appraisal view says it too).
        for plot, title in ((self.ranking, "Ranking (total value)"), (self.vfm, "Value for money (★: frontier)")):
            item = plot.getPlotItem()
            item.setTitle(title, color=palette.INK, size=f"{HEADING_PT - 2}pt", bold=True)
            item.hideButtons()
            item.setMenuEnabled(False)
            item.setMouseEnabled(x=False, y=False)
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                axis.setPen(pg.mkPen(palette.INK, width=2))
                axis.setTextPen(pg.mkPen(palette.INK))
                axis.setTickFont(point_font(BODY_PT - 3 if plot is self.ranking else BODY_PT - 2))
            plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.vfm.getPlotItem().setLabel("bottom", "Whole-life cost (£m, discounted)", color=palette.INK,
                                        **{"font-size": f"{BODY_PT - 2}pt"})
        # Room for labels may run the cost axis below £0: no cost is negative, so no tick says so.
        cost_axis = self.vfm.getPlotItem().getAxis("bottom")
        plain = cost_axis.tickStrings
        cost_axis.tickStrings = lambda values, scale, spacing: [
            "" if v < -1e-9 else t for v, t in zip(values, plain(values, scale, spacing), strict=True)]
        self.vfm.getPlotItem().setLabel("left", "Benefit value", color=palette.INK, **{"font-size": f"{BODY_PT - 2}pt"})
        # No grids: on a projector fine lines turn to noise; the bars carry their values.
        self._rank_axis_width = 0
        self._rank_tick_pt = BODY_PT - 3
        # Labels are placed in pixels: place them again whenever the plot's view box changes
        # size (a layout change after the window's own resize, e.g. the options key giving way).
        self._vfm_pending = False
        self.vfm.getPlotItem().getViewBox().sigResized.connect(self._vfm_resized)
        self.ranking.getPlotItem().getViewBox().sigResized.connect(self._vfm_resized)
        self._updating = False  # an option added or taken away, its re-run not yet back
        self._vfm_memory: dict[str, object] = {}  # the last clear label placement (workshop_labels.place)
        self._vfm_extra = 0.0
        self._vfm_failed: tuple[int, int] | None = None  # a chart size at which no placement was clear
        self._vfm_labels: list[pg.TextItem] = []
        self._vfm_key: tuple[str, ...] | None = None
        self._vfm_line: pg.PlotDataItem | None = None
        self._vfm_scatter: pg.ScatterPlotItem | None = None
        self._vfm_colours: list[str] = []
        self._rank_labels: list[pg.TextItem] = []
        self._rank_bars: dict[str, pg.BarGraphItem] = {}
        self._rank_key: tuple[object, ...] = ()

        self.body = QHBoxLayout()
        body = self.body
        body.setSpacing(14)
        body.addWidget(weights_card, 40)
        charts = QVBoxLayout()
        charts.setSpacing(10)
        # The options key sits under the chart it keys (value for money), away from the
        # ranking, whose bar segments are coloured by criterion as the weights are: above
        # both, an orange segment read as "Arm rural response officers", and between the
        # two, right under the bars, a facilitator's review still read the bars by it.
        charts.addWidget(self.ranking, 1)
        charts.addWidget(self.vfm, 1)
        charts.addWidget(self.options_strip)
        body.addLayout(charts, 60)

        body_box = QWidget()
        body_box.setLayout(body)
        body.setContentsMargins(0, 0, 0, 0)
        # With no appraisal to show (a workbook failed to open, or one is still being read),
        # a sentence saying why in place of the sliders and charts: never empty axes, and
        # never the previous force's figures.
        self.empty = QLabel("")
        self.empty.setObjectName("workshopEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setFont(point_font(HEADING_PT, True))
        self.empty.setAccessibleName("Nothing to show")
        self.pages = QStackedWidget()
        self.pages.addWidget(body_box)
        self.pages.addWidget(self.empty)
        self.groups = GroupsPage(state, store, BODY_PT + 2)  # page 2: the groups' rankings side by side
        self.pages.addWidget(self.groups)
        content = QVBoxLayout()
        content.setContentsMargins(18, 6, 18, 6)
        content.setSpacing(8)
        content.addWidget(self.pages, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_banner)
        layout.addWidget(header)
        layout.addLayout(content, 1)
        layout.addWidget(self.bottom_banner)

        QShortcut(QKeySequence.StandardKey.Undo, self).activated.connect(undo.stack.undo)
        for key in redo_keys():  # each once: a key bound twice is ambiguous and does nothing
            QShortcut(key, self).activated.connect(undo.stack.redo)
        undo.stack.canUndoChanged.connect(self.undo_button.setEnabled)
        undo.stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(undo.stack.canUndo())
        self.redo_button.setEnabled(undo.stack.canRedo())

        state.appraisal_changed.connect(self.refresh)
        state.inputs_changed.connect(self.refresh)
        store.active_changed.connect(self._update_set_label)
        store.sets_changed.connect(self._refresh_groups)  # a set captured or deleted in the room
        state.weights_changed.connect(self._update_set_label)
        state.judgements_changed.connect(self._update_set_label)
        # An option added or taken away is re-run in the background (coverage and all): until
        # its figures come, the header says the charts are about to change, where a review had
        # watched the old ranking stay up for the whole re-run without a word.
        state.options_changed.connect(lambda: self._set_updating(True))
        state.coverage_changed.connect(lambda: self._set_updating(False))
        state.inputs_changed.connect(lambda: self._set_updating(False))
        self.refresh()

    def _set_updating(self, on: bool) -> None:
        self._updating = on
        self._update_set_label()

    # ---------------------------------------------------------------- entering
    def enter(self, screen_of: QWidget | None = None) -> None:
        """Go full screen (on the same screen as ``screen_of``, e.g. the main window)."""
        if screen_of is not None and screen_of.screen() is not None:
            self.setScreen(screen_of.screen())
            self.setGeometry(screen_of.screen().geometry())
        self.refresh()
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        first = next(iter(self.tree.ordered_rows()), None)
        if first is not None:
            first.slider.setFocus()

    def leave(self) -> None:
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.leave()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Lay out from the screen we are on: a narrow projector gives the weights more of
        # the width (their names wrap below ~230 px), a wide one gives it to the charts.
        narrow = event.size().width() < 1400
        self.body.setStretch(0, 52 if narrow else 38)
        self.body.setStretch(1, 48 if narrow else 62)
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._redraw_charts)  # labels are placed in pixels (self: never after deletion)

    def _vfm_resized(self, *_args: object) -> None:
        if not self._vfm_pending:
            self._vfm_pending = True
            QTimer.singleShot(0, self, self._redraw_after_resize)

    def _redraw_after_resize(self) -> None:
        self._vfm_pending = False
        self._draw_ranking()
        self._draw_vfm()

    def _redraw_charts(self) -> None:
        self._fit_weights()
        self._draw_ranking()
        self._draw_vfm()

    def _fit_weights(self) -> None:
        """Names a point smaller when the value tree would otherwise scroll (10 pt reads from
        the back of a room on a 768-line projector), full size again on a taller screen."""
        layout = self.layout()
        assert layout is not None  # set in __init__
        layout.activate()
        bar = self.weights_scroll.verticalScrollBar()
        if bar.maximum() > 0 and self.tree.body_pt is None:
            self.tree.set_body(10)
            layout.activate()
        elif self.tree.body_pt is not None and self.height() >= 860:
            self.tree.set_body(None)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        super().closeEvent(event)
        self.left.emit()

    def _capture_clicked(self) -> None:
        if self._capture is not None:
            self._capture()

    # ---------------------------------------------------------------- display
    @property
    def rows(self) -> dict[str, WeightRow]:
        """Criterion id -> its slider row (``slider``, ``share``: share of the total)."""
        return self.tree.rows

    @property
    def branch_rows(self) -> dict[str, WeightRow]:
        return self.tree.branch_rows

    def _update_set_label(self) -> None:
        name = self.state.weights_name()
        # "Weights: Community panel", but "Weights set in the workshop, from ..." as it is
        # (it had read "Weights: Weights set in the workshop...").
        words = name if name.lower().startswith("weights") else f"Weights: {name}"
        ap = self.state.appraisal
        awaiting = [o for o in self.state.option_ids() if ap is not None and o not in ap.totals.index]
        # not ranked until scored (docs/appraisal-method.md#awaiting-scores)
        names = self.state.option_names()
        edited = len(self.state.judgement_override_scores())  # scores the room changed, said beside whose weights
        self.set_label.setText(words
                               + (f"  ·  {edited} score{'s' if edited != 1 else ''} set in the room" if edited else "")
                               + "".join(f"  ·  {names.get(o, o)}: awaiting scores" for o in awaiting)
                               + ("  ·  updating for the changed options…" if self._updating else ""))

    def _build_options_strip(self) -> None:
        names = self.state.option_names()
        self.options_strip.set_entries([(name, palette.option_colour(i)) for i, name in enumerate(names.values())])
        for entry, oid in zip(self.options_strip.entries(), names, strict=True):
            entry.setAccessibleName(f"Option {names[oid]}")
        self._chips = len(names)

    def refresh(self) -> None:
        inputs = self.state.inputs
        marking = inputs.parameters.protective_marking if inputs is not None else None
        self.top_banner.set_marking(marking)
        self.bottom_banner.set_marking(marking)
        self.title.setText(inputs.parameters.force_name if inputs is not None else "Workshop")
        reason = self.state.empty_reason()
        self.empty.setText("" if reason is None else
                           f"{reason}\n\nNothing to present. Leave workshop mode (Esc) for the main window.")
        if reason is None and self.groups_button.isChecked():
            self.groups.refresh()
            self.pages.setCurrentIndex(2)
        else:
            self.pages.setCurrentIndex(0 if reason is None else 1)
        self._update_set_label()
        if self._chips != len(self.state.option_ids()):
            self._build_options_strip()
        self.tree.show_weights()
        self._draw_ranking()
        self._draw_vfm()

    def _refresh_groups(self) -> None:
        if self.pages.currentIndex() == 2:
            self.groups.refresh()

    def _colours(self) -> dict[str, str]:
        return {oid: palette.option_colour(i) for i, oid in enumerate(self.state.option_ids())}

    def _draw_ranking(self) -> None:
        """Bars sorted by rank, stacked by criterion in the value tree's colours (a hue per
        branch, shades within it). Items are made once per set of options and criteria and
        then updated: re-creating them on every slider step cost more than the re-score."""
        item = self.ranking.getPlotItem()
        app = self.state.appraisal
        if app is None:
            item.clear()
            self._rank_bars, self._rank_labels, self._rank_key = {}, [], ()
            return
        names = self.state.option_names()
        order = app.ranks.sort_values(kind="stable").index.tolist()
        criteria = list(app.weighted.columns)
        n = len(order)
        key = (tuple(order), tuple(criteria))
        if key != self._rank_key:
            item.clear()
            colours = palette.criterion_colours([app.groups.get(c, "") for c in criteria], list(app.group_weights))
            self._rank_bars = {}
            for cid, colour in zip(criteria, colours, strict=True):
                bar = pg.BarGraphItem(x0=np.zeros(n), y=np.arange(n, 0, -1, dtype=float), height=0.64,
                                      width=np.zeros(n), brush=pg.mkBrush(colour), pen=pg.mkPen("#ffffff", width=1))
                item.addItem(bar)
                self._rank_bars[cid] = bar
            self._rank_labels = []
            for _ in range(n):
                label = pg.TextItem("", color=palette.INK, anchor=(0, 0.5))
                label.setFont(point_font(BODY_PT, True))
                item.addItem(label)
                self._rank_labels.append(label)
            self._rank_key = key
        ys = np.arange(n, 0, -1, dtype=float)
        weighted = np.nan_to_num(app.weighted.loc[order].to_numpy(float), nan=0.0)
        left = np.zeros(n)
        for j, cid in enumerate(criteria):
            self._rank_bars[cid].setOpts(x0=left.copy(), y=ys, height=0.64, width=weighted[:, j])
            left += weighted[:, j]
        totals = np.array([float(app.totals[o]) for o in order])
        self._set_rank_ticks([(float(y), f"{int(app.ranks[o])}. {names.get(o, o)}") for y, o in zip(ys, order, strict=True)])
        for label, y, total in zip(self._rank_labels, ys, totals, strict=True):
            label.setText(f"{total:.1f}")
            label.setPos(float(total) + 1.0, float(y))
        item.setXRange(0, max(100.0, float(totals.max()) + 12 if n else 100.0), padding=0)
        item.setYRange(0.4, n + 0.6, padding=0)

    def _set_rank_ticks(self, ticks: list[tuple[float, str]]) -> None:
        """Option names on the left axis, wrapped to two lines in the width the chart can spare.

        The name column takes what the longest name needs, up to 40% of the chart (so the
        bars keep the rest); a name still too long wraps onto a second line, and only a
        name longer than two lines ends in "…".
        """
        axis = self.ranking.getPlotItem().getAxis("left")
        limit = max(120, int(self.ranking.width() * 0.4))
        row_px = self.ranking.getPlotItem().getViewBox().height() / max(len(ticks), 1)
        # Two lines at 11 pt when a bar's row has room for them, else two at 10 pt; only
        # when neither fits, one line cut with "…" (the options' key above has the whole name).
        for pt in (BODY_PT - 3, BODY_PT - 4):
            fm = QFontMetrics(point_font(pt))
            if row_px >= 2 * fm.lineSpacing():
                break
        widest = max((fm.horizontalAdvance(t) for _y, t in ticks), default=80)
        width = min(limit, widest + 16)
        if row_px >= 2 * fm.lineSpacing():
            wrapped = [(y, two_lines(t, fm, width - 16)) for y, t in ticks]
        else:
            wrapped = [(y, fm.elidedText(t, Qt.TextElideMode.ElideRight, width - 16)) for y, t in ticks]
        if pt != self._rank_tick_pt:
            axis.setTickFont(point_font(pt))
            self._rank_tick_pt = pt
        if width != self._rank_axis_width:
            axis.setWidth(width)
            self._rank_axis_width = width
            # a narrower name column lets the plot fit its widget again: lay it out now,
            # not at the next resize (else its right edge, and the title, stay cut off)
            self.ranking.getPlotItem().resize(self.ranking.width(), self.ranking.height())
        if wrapped != getattr(self, "_rank_ticks", None):  # re-rendering tick labels is the dear part
            axis.setTicks([wrapped])
            self._rank_ticks = wrapped
        self.rank_tick_texts = [t for _y, t in wrapped]

    def _vfm_items(self, options: list[str]) -> None:
        """(Re)build the value-for-money items when the options change; else keep them."""
        key = tuple(options)
        if key == self._vfm_key:
            return
        item = self.vfm.getPlotItem()
        item.clear()
        colours = self._colours()
        self._vfm_line = pg.PlotDataItem([], [], pen=pg.mkPen(palette.INK, width=3, style=Qt.PenStyle.DashLine))
        item.addItem(self._vfm_line)
        self._vfm_scatter = pg.ScatterPlotItem(size=2 * VFM_MARKER_PX - 2, pen=pg.mkPen(palette.INK, width=2), symbol="o")
        self._vfm_colours = [colours.get(o, palette.INK) for o in options]
        item.addItem(self._vfm_scatter)
        self._vfm_labels = []
        for _ in options:
            label = pg.TextItem("", color=palette.INK)
            item.addItem(label)
            self._vfm_labels.append(label)
        self._vfm_key = key

    def _draw_vfm(self) -> None:
        item = self.vfm.getPlotItem()
        app, cov = self.state.appraisal, self.state.coverage
        if app is None or cov is None or "whole_life_cost_gbp" not in cov.measures.columns:
            item.clear()
            self._vfm_key = None
            self._vfm_labels = []
            return
        names = self.state.option_names()
        options = [o for o in app.totals.index if o in cov.measures.index]
        if not options:
            return
        self._vfm_items(options)
        assert self._vfm_line is not None and self._vfm_scatter is not None  # made by _vfm_items
        vfm = value_for_money(app, cov.measures, options)
        self.vfm.getPlotItem().setLabel("left", "Benefit value" if vfm.benefit else "Total value", color=palette.INK,
                                        **{"font-size": f"{BODY_PT - 2}pt"})
        costs, values, frontier = vfm.costs_gbp / 1e6, vfm.values, vfm.frontier
        if len(frontier) > 1:
            self._vfm_line.setData(costs[frontier], values[frontier])
        else:
            self._vfm_line.setData([], [])
        on_frontier = set(frontier)
        # as on the Appraisal view: an option on the frontier filled, a dominated one hollow
        # (white inside a ring of its colour), so the two charts read the same way
        self._vfm_scatter.setData(
            x=costs, y=values,
            brush=[pg.mkBrush(c if i in on_frontier else "#ffffff") for i, c in enumerate(self._vfm_colours)],
            pen=[pg.mkPen(palette.INK, width=2) if i in on_frontier else pg.mkPen(c, width=4)
                 for i, c in enumerate(self._vfm_colours)])
        texts = [names.get(o, o) + (" ★" if i in on_frontier else "") for i, o in enumerate(options)]
        self.vfm_points = (costs, values, list(frontier))
        span = max(float(np.nanmax(costs) - np.nanmin(costs)), 0.5)
        vspan = max(float(values.max() - values.min()), 5.0)
        # Room for labels round the points; when the chart is too crowded for them all to
        # stand clear, the axes step out a little and the labels are placed again.
        vb = item.getViewBox()
        size = (round(float(vb.width())), round(float(vb.height())))
        # At a size where no placement was clear, keep the least crowded one while a slider
        # moves (searching again on every step would cost most of a second); else the zoom
        # that last left every label clear first: the chart holds still while a slider moves.
        search = self._vfm_failed != size
        steps = (0.0, 0.12, 0.25, 0.4, 0.6) if search else (self._vfm_extra,)
        for extra in sorted(steps, key=lambda e: (e != self._vfm_extra, e)):
            x1 = float(np.nanmax(costs)) + span * (0.35 + 1.5 * extra)
            # Room left of the cheapest option for a label beside it: about 110 pixels
            # whatever the scale (L = px x D / (W - px) for a data span D over W pixels).
            vb_w = max(float(self.vfm.getPlotItem().getViewBox().width()), 300.0)
            room = 110.0 * (x1 - float(np.nanmin(costs))) / (vb_w - 110.0)
            x0 = float(np.nanmin(costs)) - max(span * 0.08, room)  # no tick is drawn below £0
            y0, y1 = float(values.min()) - vspan * (0.25 + extra), float(values.max()) + vspan * (0.5 + extra)
            item.setXRange(x0, x1, padding=0)
            item.setYRange(y0, y1, padding=0)
            bounds = (x0, y0, x1, y1)
            # Highest value first: the labels that matter most get the first pick of spots,
            # so options close together stay readable from the back of the room.
            clear = workshop_labels.place(
                self._vfm_labels, texts, [i in on_frontier for i in range(len(options))], costs, values,
                list(np.argsort(-values, kind="stable")), list(frontier),
                units=self._vfm_units(bounds),
                marker_px=VFM_MARKER_PX, bounds=bounds, memory=self._vfm_memory, search=search)
            self._vfm_extra = extra
            if clear:
                self._vfm_failed = None
                break
        else:
            self._vfm_failed = size

    def _vfm_units(self, bounds: tuple[float, float, float, float]) -> tuple[float, float]:
        """Data units per pixel for the ranges just set (padding 0), from the view box's size.

        Worked out here rather than asked of the view box, whose cached pixel size lags a
        range set a moment before; before the first layout, estimated as the shared placer does.
        """
        vb = self.vfm.getPlotItem().getViewBox()
        w, h = float(vb.width()), float(vb.height())
        if w < 50 or h < 50:
            return data_per_pixel(self.vfm.getPlotItem(), (self.vfm.width(), self.vfm.height()), bounds)
        return (bounds[2] - bounds[0]) / w, (bounds[3] - bounds[1]) / h

    def frontier_options(self) -> list[str]:
        """Option ids on the efficient frontier as drawn (for tests and the guide)."""
        app, cov = self.state.appraisal, self.state.coverage
        if app is None or cov is None:
            return []
        return value_for_money(app, cov.measures).frontier_ids
