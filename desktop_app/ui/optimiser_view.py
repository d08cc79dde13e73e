"""The optimiser view: where would K more armed posts do the most good?

The question a chief officer asks before "arm rural response officers" goes to the
board: if we put armed response officers at some of our police stations, which
stations, and how much cover does each extra post buy? The core's exact maximal
covering solver (:func:`desktop_app.core.optimiser.milp.optimise_curve`) answers K = 1..N in
a worker thread; this view shows the chosen stations on the map, the coverage-against-
posts curve (diminishing returns are the point of it), and lets the room put the answer
into the appraisal as a new option with the costs they enter ("Add as option",
ui/optimiser_add.py), where it is scored and ranked with the rest. Adding is undoable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape as esc  # workbook text shown as rich text is text, never markup
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.optimiser.choices import SINGULAR_ASSET, sentence
from desktop_app.core.optimiser.side_effects import SideEffects, side_effects
from desktop_app.core.results import OptionCoverage
from desktop_app.ui import palette
from desktop_app.ui.charts import make_plot
from desktop_app.ui.chosen_stations import ChosenStations
from desktop_app.ui.flow_key import FlowRow
from desktop_app.ui.keyboard import chain, explain
from desktop_app.ui.map_widget import CoverMap
from desktop_app.ui.optimiser_add import AddAsOption
from desktop_app.ui.optimiser_map import map_colouring
from desktop_app.ui.state import AppState
from desktop_app.ui.undo import WorkshopUndo
from desktop_app.ui.view_layout import lay_out_view, summary_label
from desktop_app.ui.worker import TaskRunner

#: ``MainWindow.run_task``: run ``fn(progress, cancelled)`` in the background, one task at a time.
RunTask = Callable[..., TaskRunner | None]

#: Before the optimiser runs the map is grey with this key, not painted in a cover band
#: (which read as "nobody is covered"); once the baseline is computed it shows that.
NOT_RUN_COLOUR = "#c9cccf"
NOT_RUN_TITLE = "Not run yet: press “Find the best stations”"

CURVE_TITLE = "Coverage against posts added"
#: Short: a plot title does not wrap, and at 1024 px the curve is 350 px wide (the intro says what to press).
CURVE_NOT_RUN = "Not run yet"

INTRO = ("Choose how many posts to add and press “Find the best stations”. The answer is exact (every "
         "combination is considered), one post on duty every hour of the week per chosen station.")

SETTINGS_CHANGED = ("The settings changed after the last answer, so it is cleared: press “Find the best "
                    "stations” for the answer to these settings.")

ASSETS = (("ARMED_RESPONSE_OFFICER", "Armed response officers"), ("ARV", "ARV crews"))
SITE_TYPES = (("POLICE_STATION", "police stations"), ("ARV_BASE", "ARV bases"))
MEASURES = (("threat_coverage", "threat covered within target, allowing for busy units"),
            ("population_coverage", "population covered within target, allowing for busy units"),
            ("incident_coverage", "past incidents covered within target, allowing for busy units"),
            ("threat_coverage_all_free", "threat covered within target if every unit were free"),
            ("population_coverage_all_free", "population covered within target if every unit were free"))


class OptimiserView(AddAsOption, QWidget):
    """Controls, the map of chosen stations, the curve, and "Add as option"."""

    optimised = Signal()
    option_added = Signal(str)

    def __init__(self, state: AppState, undo: WorkshopUndo, run_task: RunTask,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.undo = undo
        #: The window's one task runner: the solve queues behind a load, never beside it.
        self.run_task = run_task
        self.result: Any = None
        self.selected_posts = 0
        self.effects: SideEffects | None = None
        self.task: TaskRunner | None = None
        self.setObjectName("optimiserView")

        self.posts = QSpinBox()
        self.posts.setRange(1, 30)
        self.posts.setValue(4)
        self.posts.setAccessibleName("Number of posts to add")
        self.asset = QComboBox()
        self.site_type = QComboBox()
        self.measure = QComboBox()
        for combo, items, name in ((self.asset, ASSETS, "Asset type"), (self.site_type, SITE_TYPES, "Site type"),
                                   (self.measure, MEASURES, "Measure to maximise")):
            for code, label in items:
                combo.addItem(label, code)
            combo.setAccessibleName(name)
        self.posts.setToolTip("The most posts to add: the answer is found for every number from 1 to this")
        self.asset.setToolTip("The kind of armed post to add: an armed response officer or an ARV crew")
        self.site_type.setToolTip("Where new posts may be based")
        self.measure.setToolTip(explain("Expected cover") + " The optimiser maximises the measure chosen here.")
        for i, (code, _label) in enumerate(MEASURES):
            tip = (explain("Expected cover") if not code.endswith("_all_free")
                   else "If every unit were free: cover ignoring that units are sometimes busy elsewhere.")
            self.measure.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.run_button = QPushButton("Find the best stations")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.run_button.setToolTip("Find the stations that add the most cover, for 1 up to the chosen number of posts")
        self.run_button.setAccessibleName("Find the best stations")
        self.add_button = QPushButton("Add as option…")
        self.add_button.setToolTip("Put the baseline plus these posts into the appraisal as a new option")
        self.add_button.clicked.connect(lambda: self.add_as_option())
        self.add_button.setEnabled(False)
        self.add_button.setAccessibleName("Add as option")

        controls = FlowRow(h_spacing=10)  # 1,336 px in one row: a second row at 1024 px
        controls.add_group("Add up to", self.posts, self.asset)
        controls.add_group("at", self.site_type)
        controls.add_group("to maximise", self.measure)
        controls.add_group(self.run_button, self.add_button)

        self.summary = summary_label(INTRO, "Optimiser result")

        self.map = CoverMap()
        self.curve = make_plot("Coverage against posts added", left="% covered within target",
                               bottom="posts added", accessible_name="Coverage against number of posts")
        self.curve.getPlotItem().showGrid(x=True, y=True, alpha=0.18)
        self.curve_points: pg.ScatterPlotItem | None = None
        self.chosen = ChosenStations(self.map)
        #: Shown with a curve to click (before a run there is none).
        self.hint = QLabel("Click a point on the curve to see that many posts on the map.")
        self.hint.setStyleSheet(f"color: {palette.MUTED_INK};")
        self.hint.setVisible(False)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.curve, 1)
        rl.addWidget(self.hint)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.map)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        lay_out_view(self, "Optimiser: where would extra armed posts do the most good?", controls, self.summary, split)
        # Reading order, once the controls are in this view (before, each was a window of its
        # own and Qt refused the order with a 'must be in the same window' warning).
        chain(self.posts, self.asset, self.site_type, self.measure, self.run_button, self.add_button)  # reading order

        self.posts.valueChanged.connect(self._settings_changed)
        for combo in (self.asset, self.site_type, self.measure):
            combo.currentIndexChanged.connect(self._settings_changed)
        state.inputs_changed.connect(self._on_inputs)
        state.coverage_changed.connect(self._show_baseline)
        self._on_inputs()

    # ------------------------------------------------------------------ data
    def _clear_result(self) -> None:
        """Forget the answer: its rings, names, curve and the "Add as option" it allowed."""
        self.chosen.clear()
        self.result = None
        self.selected_posts = 0
        self.add_button.setEnabled(False)
        self.hint.setVisible(False)
        self.curve_points = None
        self._empty_curve()

    def _empty_curve(self) -> None:
        """Empty axes as the answer will have them: 0-100%, whole posts from 0 to the number asked for.

        pyqtgraph's defaults (0-1, ticks at halves) read as "0.1 to 0.9 % covered" and "1.5 posts".
        """
        item = self.curve.getPlotItem()
        item.clear()
        item.setTitle(CURVE_NOT_RUN, color=palette.MUTED_INK, size="10pt")
        posts = int(self.posts.value())
        step = 1 if posts <= 15 else 5
        item.getAxis("bottom").setTicks([[(float(k), str(k)) for k in range(0, posts + 1, step)]])
        item.getAxis("left").setTicks([[(float(v), str(v)) for v in range(0, 101, 20)]])  # 0 and 100 shown
        item.setYRange(0.0, 100.0, padding=0)
        item.setXRange(-0.3, float(posts) + 0.3, padding=0)

    def _settings_changed(self, *_args: object) -> None:
        """A changed number of posts, asset, site type or measure makes the answer shown another question's.

        The room could otherwise add "Baseline + 4 posts" found for the all-free measure
        while the controls say busy units; the answer is cleared and the summary says why.
        """
        if self.result is None:
            self._empty_curve()  # the empty axes follow the number of posts asked for
            self._show_baseline()  # the map as the measure chosen counts units
            return
        self._clear_result()
        self.summary.setText(SETTINGS_CHANGED)
        self._show_baseline()

    def _on_inputs(self) -> None:
        self._clear_result()
        self.summary.setText(INTRO)  # an answer for another workbook's stations is no answer here
        inputs = self.state.inputs
        self.run_button.setEnabled(inputs is not None)
        if inputs is None:
            return
        # Past incidents can only be maximised when the workbook lists some.
        index = self.measure.findData("incident_coverage")
        has_incidents = len(getattr(inputs, "incidents", ())) > 0
        self.measure.model().item(index).setEnabled(has_incidents)  # type: ignore[attr-defined]
        if not has_incidents and self.measure.currentIndex() == index:
            self.measure.setCurrentIndex(0)
        areas = inputs.areas
        self.map.set_areas(areas["easting"].to_numpy(float), areas["northing"].to_numpy(float),
                           areas["population"].to_numpy(float), inputs.boundaries)
        base = inputs.deployments[inputs.deployments["option_id"] == inputs.baseline_id]
        self.map.set_sites(inputs.sites, set(base["site_id"].astype(str)))
        names = areas["area_name"].astype(str).tolist()
        pop = areas["population"].tolist()
        self._minutes = np.full(len(areas), np.nan)
        self._chance = np.full(len(areas), np.nan)
        target = f"{float(inputs.parameters.target_minutes):g}"
        self.map.tip_fn = lambda i: (f"{names[i]}\npopulation {pop[i]:,}" + (
            f"\nchance a free armed unit arrives within {target} min: {self._chance[i]:.0%}"
            if np.isfinite(self._chance[i]) else "") + (
            f"\nmedian response if all units free {self._minutes[i]:.0f} min" if np.isfinite(self._minutes[i]) else ""))
        # A neutral map until there is something to show: grey, with a key that says why.
        self.map.set_values(np.zeros(len(areas), dtype=int),
                            palette.MapBands((math.inf,), ("area",), (NOT_RUN_COLOUR,), ()), NOT_RUN_TITLE)
        self._show_baseline()

    def _show_baseline(self) -> None:
        """Once coverage is computed (and before any answer), the baseline's response times."""
        inputs, cov = self.state.inputs, self.state.coverage
        if self.result is not None or inputs is None or cov is None or inputs.baseline_id not in cov.options:
            return
        if len(cov.options[inputs.baseline_id].response) != len(inputs.areas):
            return  # coverage of another workbook, about to be replaced
        self._show_cover(cov.options[inputs.baseline_id], "Baseline")

    def _show_cover(self, option: OptionCoverage, what: str) -> None:
        """Colour the map by the measure maximised, area by area (ui/optimiser_map.py)."""
        inputs = self.state.inputs
        assert inputs is not None  # a map follows loaded inputs
        measure = self.result.measure if self.result is not None else self.measure.currentData()
        shown = map_colouring(inputs, option, what, str(measure))
        self._minutes, self._chance = shown.minutes, shown.chance
        self.map.set_values(shown.bands_of_areas, shown.bands, shown.title)

    def run(self) -> None:
        """Solve K = 1..posts in a worker; the map and curve update when it finishes."""
        inputs = self.state.inputs
        if inputs is None or (self.task is not None and self.task.running):
            return
        posts = int(self.posts.value())
        asset, site_type, measure = self.asset.currentData(), self.site_type.currentData(), self.measure.currentData()

        def job(progress: Any, cancelled: Any) -> Any:
            from desktop_app.core.optimiser.milp import optimise_curve

            return optimise_curve(inputs, posts, asset, site_type, measure, progress, cancelled)

        task = self.run_task(job, "Finding the best stations", self._on_result)
        if task is None:  # the window is busy (e.g. still loading): it said so in the status bar
            return
        self.task = task
        self.run_button.setEnabled(False)
        task.done.connect(lambda: self.run_button.setEnabled(self.state.inputs is not None))

    def _settings(self) -> tuple[int, str, str, str]:
        return (int(self.posts.value()), self.asset.currentData(), self.site_type.currentData(),
                self.measure.currentData())

    def _on_result(self, result: Any) -> None:
        asked = (int(result.posts), result.asset_type, result.site_type, result.measure)
        if asked != self._settings():  # changed while it was being solved: another question's answer
            self.summary.setText(SETTINGS_CHANGED)
            return
        self.result = result
        self.hint.setVisible(True)
        self._draw_curve()
        points = self._curve_points()
        self.select_posts(points[-1].posts if points else 0)
        self.optimised.emit()

    def _curve_points(self) -> list[Any]:
        """The curve's points that add a post: past the candidate sites every K repeats the
        same sites (the command line lists them; the view does not offer posts that do not exist)."""
        r = self.result
        return [p for p in (r.curve or []) if p.posts <= max(int(r.candidates), 0)] if r is not None else []

    def _curve_xy(self) -> tuple[np.ndarray, np.ndarray]:
        r = self.result
        pts = self._curve_points()
        x = np.array([0] + [p.posts for p in pts], dtype=float)
        y = np.array([r.baseline_value] + [p.value for p in pts], dtype=float) * 100
        return x, y

    def _draw_curve(self) -> None:
        item = self.curve.getPlotItem()
        item.clear()
        if self.result is None:
            return
        x, y = self._curve_xy()
        item.setTitle(CURVE_TITLE, color=palette.INK, size="10pt", bold=True)
        item.plot(x, y, pen=pg.mkPen(palette.ACCENT, width=3))
        self.curve_points = pg.ScatterPlotItem(x=x, y=y, size=12, brush=pg.mkBrush(palette.ACCENT),
                                               pen=pg.mkPen("w", width=1.5), data=list(range(len(x))))
        self.curve_points.sigClicked.connect(lambda _item, pts, _ev=None: self.select_posts(int(pts[0].pos().x())))
        item.addItem(self.curve_points)
        item.addLine(y=float(y[0]), pen=pg.mkPen(palette.MUTED_INK, width=1.5, style=Qt.PenStyle.DashLine))
        item.getAxis("bottom").setTicks([[(float(v), str(int(v))) for v in x]])
        item.getAxis("left").setTicks(None)  # the answer's own range: pyqtgraph's ticks
        # From 0, so a gain of two points looks like two points, not a cliff.
        item.setYRange(0.0, min(100.0, float(y.max()) + 8.0), padding=0)
        item.setXRange(-0.3, float(x.max()) + 0.3, padding=0)

    def chosen_sites(self, posts: int | None = None) -> list[str]:
        """The stations chosen for ``posts`` posts (the selected point by default)."""
        if self.result is None:
            return []
        k = self.selected_posts if posts is None else posts
        for p in self.result.curve or []:
            if p.posts == k:
                return list(p.sites)
        return list(self.result.sites) if k == self.result.posts else []

    def select_posts(self, posts: int) -> None:
        """Show the answer for ``posts`` posts on the map (and use it for "Add as option")."""
        inputs = self.state.inputs
        if self.result is None or inputs is None:
            return
        # No more posts than there are candidate sites (the curve stops there too).
        self.selected_posts = max(0, min(int(posts), int(self.result.candidates)))
        sites = self.chosen_sites()
        base = inputs.deployments[inputs.deployments["option_id"] == inputs.baseline_id]
        used = set(base["site_id"].astype(str)) | set(sites)
        self.map.set_sites(inputs.sites, used)
        self._ring_chosen(sites)
        # What else the answer changes (core/optimiser/side_effects.py), and the answer's
        # cover for the map, from one computation of the baseline and the answer.
        effects = side_effects(inputs, sites, self.result.asset_type)
        assert effects.answer is not None  # side_effects always gives the answer's cover
        self._show_cover(effects.answer, f"Baseline + {self.selected_posts} post{'s' if self.selected_posts != 1 else ''}")
        self.effects = effects if sites else None
        self._update_summary()
        if self.curve_points is not None:
            x, _y = self._curve_xy()
            sizes = [20 if int(v) == self.selected_posts else 12 for v in x]
            brushes = [pg.mkBrush(palette.ERROR if int(v) == self.selected_posts else palette.ACCENT) for v in x]
            self.curve_points.setSize(sizes)
            self.curve_points.setBrush(brushes)
        self.add_button.setEnabled(self.selected_posts > 0 and bool(sites))

    def _ring_chosen(self, sites: list[str]) -> None:
        """Circle the stations the optimiser chose, so they stand out from the baseline's."""
        inputs = self.state.inputs
        assert inputs is not None  # rings follow a result, which needs loaded inputs
        table = inputs.sites.set_index("site_id")
        chosen = table.loc[[s for s in sites if s in table.index]]
        self.chosen.show(chosen["easting"].to_numpy(float), chosen["northing"].to_numpy(float),
                         chosen["site_name"].astype(str).tolist())

    # The chosen stations' rings and names (tests and the window read them here).
    @property
    def _rings(self) -> pg.ScatterPlotItem | None:
        return self.chosen.rings

    @property
    def station_labels(self) -> list[pg.TextItem]:
        return self.chosen.labels

    def place_station_labels(self) -> None:
        self.chosen.place()

    def _update_summary(self) -> None:
        r = self.result
        inputs = self.state.inputs
        assert inputs is not None  # a summary follows a result, which needs loaded inputs
        names = dict(zip(inputs.sites["site_id"].astype(str), inputs.sites["site_name"].astype(str), strict=True))
        sites = self.chosen_sites()
        k = self.selected_posts
        value = r.baseline_value
        for p in r.curve or []:
            if p.posts == k:
                value = p.value
        label = dict(MEASURES).get(r.measure, r.measure)
        asset = SINGULAR_ASSET.get(r.asset_type, r.asset_type)
        text = (f"<span style='color:{palette.ERROR}'>◯</span> <b>{sentence(label)}</b>: baseline {r.baseline_value:.1%} → <b>{value:.1%}</b> with "
                f"{k} {asset} post{'s' if k != 1 else ''} at: {esc(', '.join(names.get(s, s) for s in sites)) or '—'}."
                if k > 0 else f"<b>{sentence(label)}</b>: baseline {r.baseline_value:.1%}, with no posts added "
                "(click a later point on the curve to see posts).")
        e = self.effects if k > 0 else None
        if e is not None:
            text += "<br>" + esc(sentence("; ".join(e.figures())).replace(" -> ", " → ")) + "."
            if e.warning():
                text += f" <span style='color:{palette.WARNING}'>{esc(sentence(e.warning()))}.</span>"
        if r.post_terms:
            text += f"<br><span style='color:{palette.MUTED_INK}'>{esc(sentence(r.post_terms))}.</span>"
        if r.note:
            text += f"<br><span style='color:{palette.WARNING}'>{esc(r.note)}</span>"
        self.summary.setText(text)
