"""The cover map: areas on British National Grid, coloured by response band, with sites.

With boundaries (``ForceInputs.boundaries``, docs/maps.md) each area is drawn as its
filled polygon, coloured in the band scale of ``ui/palette.py`` (a diverging scheme
broken at the target), with district outlines and names. Without them areas are points
at their easting/northing, sized by population so the places where most people live
stand out. Either way the aspect ratio is locked (1 m east = 1 m north), sites are
symbols per site type (filled when the option uses them, names on hover), and a scale
bar and a north arrow sit in the corners. Polygons are drawn as one path per band
(``ui/map_items.py``), so a national map of 35,672 areas recolours in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QPen
from PySide6.QtWidgets import QToolTip
from shiboken6 import isValid

from desktop_app.core.area_shapes import AreaShapes
from desktop_app.ui import palette
from desktop_app.ui.district_names import marker_boxes, place_names
from desktop_app.ui.map_geometry import PackedRings, packed_shapes
from desktop_app.ui.map_items import BandPathCache, NorthArrow, PathsItem, outline_path

SITE_SYMBOLS = {"ARV_BASE": "s", "POLICE_STATION": "t", "NEIGHBOUR_BASE": "d"}
SITE_LABELS = {"ARV_BASE": "ARV base", "POLICE_STATION": "Police station", "NEIGHBOUR_BASE": "Neighbour force base"}
MIN_POINT = 5.0
MAX_POINT = 17.0
#: Above this many polygons area borders are not stroked (at national scale they are noise).
BORDER_LIMIT = 5000
#: Areas before any figures are shown: a neutral grey, never a band's colour (which would
#: read as "no cover" before anything was computed).
UNCOLOURED = "#c8c8c8"
#: How near (pixels) the mouse must be to a site symbol for its name to show.
SITE_HOVER_PX = 9.0


def band_indices(values: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Band of each value: bands are (previous edge, edge], so 20.0 falls in "10-20".

    NaN and +inf fall in the last band; -inf in the first.
    """
    finite_edges = np.asarray([e for e in edges if math.isfinite(e)], dtype=float)
    v = np.asarray(values, dtype=float)
    idx = np.searchsorted(finite_edges, v, side="left")
    idx[np.isnan(v)] = len(edges) - 1
    return idx


def point_sizes(population: np.ndarray) -> np.ndarray:
    """Marker diameters in pixels, area proportional to population (sqrt scaling)."""
    p = np.clip(np.asarray(population, dtype=float), 0, None)
    top = p.max() if p.size and p.max() > 0 else 1.0
    return MIN_POINT + (MAX_POINT - MIN_POINT) * np.sqrt(p / top)




class CoverMap(pg.GraphicsLayoutWidget):
    """A pyqtgraph map of areas and sites, with its key beside it; :meth:`set_values` recolours."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent=parent)
        self.setBackground(palette.MAP_BACKGROUND)
        self.setAccessibleName("Response time map")
        self.setAccessibleDescription("Areas coloured by armed response time; hover for details")
        self.setMinimumSize(320, 260)
        item = pg.PlotItem()
        self.plot_item = item
        self.addItem(item, 0, 0)
        item.setAspectLocked(True, ratio=1.0)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=True, y=True)  # maps may be zoomed; double-click resets
        item.showGrid(x=False, y=False)
        item.hideAxis("left")
        item.hideAxis("bottom")

        #: Areas drawn as points: every area without boundaries, or those with no shape.
        self.areas = pg.ScatterPlotItem(pxMode=True)
        self.areas.setZValue(1)
        item.addItem(self.areas)
        self.fills: PathsItem | None = None
        self.district_lines: PathsItem | None = None
        self.district_labels: list[pg.TextItem] = []
        self._label_homes: list[tuple[float, float]] = []  # each name's place before it is moved off a site
        self.rings: PackedRings | None = None
        self.cache: BandPathCache | None = None
        self._shapes: AreaShapes | None = None
        self.site_items: dict[str, pg.ScatterPlotItem] = {}
        self._sites_frame: pd.DataFrame | None = None
        self._site_arrays: list[tuple[np.ndarray, np.ndarray, list[str], str]] = []
        self._used: frozenset[str] | None = None
        self.legend = pg.LegendItem(labelTextSize="9pt", labelTextColor=palette.INK, verSpacing=-6)
        key_column = self.addLayout(row=0, col=1)
        key_column.addItem(self.legend, row=0, col=0)
        key_column.addLabel("", row=1, col=0)
        key_column.layout.setRowStretchFactor(0, 0)
        key_column.layout.setRowStretchFactor(1, 1)
        self.ci.layout.setColumnStretchFactor(0, 5)
        self.ci.layout.setColumnStretchFactor(1, 0)
        self._legend_key: tuple[object, ...] | None = None
        self._legend_samples: list[pg.ScatterPlotItem] = []
        self.tip_fn: Callable[[int], str] | None = None
        self.hover_text = ""
        self.brush_indices = np.zeros(0, dtype=np.int64)
        self._band_index = np.zeros(0, dtype=np.int64)
        self._ok = np.zeros(0, dtype=bool)
        self._point_rows = np.zeros(0, dtype=np.int64)
        self._point_xy = np.zeros((0, 2))
        self._point_size = np.zeros(0)
        self._colours: tuple[str, ...] = palette.WITHIN_COLOURS + palette.BEYOND_COLOURS
        self._bounds: tuple[float, float, float, float] | None = None
        #: (x0, y0, x1, y1) extents of the areas and of the sites, which the view spans.
        self._area_bounds: list[tuple[float, float, float, float]] = []
        self._site_bounds: list[tuple[float, float, float, float]] = []
        #: Names drawn over the map by a view (the Optimiser's chosen stations) that the
        #: district names keep clear of, measured where they are at each declutter.
        self._label_obstacles: list[pg.TextItem] = []
        self.scale_bar: pg.ScaleBar | None = None
        self.north_arrow = NorthArrow()
        self.north_arrow.pin(item.vb)
        self.scene().sigMouseMoved.connect(self._hover)
        self._declutter_timer = QTimer(self)
        self._declutter_timer.setSingleShot(True)
        self._declutter_timer.setInterval(60)
        self._declutter_timer.timeout.connect(self._declutter)
        item.vb.sigRangeChanged.connect(lambda *_: self._declutter_timer.start())

    def getPlotItem(self) -> pg.PlotItem:  # noqa: N802 - mirrors PlotWidget for callers
        return self.plot_item

    @property
    def has_polygons(self) -> bool:
        return self.rings is not None

    # ------------------------------------------------------------------ data
    def set_areas(self, easting: np.ndarray, northing: np.ndarray, population: np.ndarray,
                  shapes: AreaShapes | None = None) -> None:
        """The areas, as polygons when ``shapes`` matches them one for one, else as points."""
        x = np.asarray(easting, dtype=float)
        y = np.asarray(northing, dtype=float)
        if shapes is not None and len(shapes) != len(x):
            shapes = None  # the reader aligns them; a mismatch is drawn as points, never misplaced
        if shapes is not self._shapes or shapes is None:
            self._set_shapes(shapes)
        drawn_poly = self.rings.has_shape() if self.rings is not None else np.zeros(len(x), dtype=bool)
        as_point = ~drawn_poly & np.isfinite(x) & np.isfinite(y)
        self._ok = drawn_poly | as_point
        self._point_rows = np.flatnonzero(as_point)
        self._point_xy = np.column_stack([x[as_point], y[as_point]])
        self._point_size = point_sizes(np.asarray(population, dtype=float)[as_point]) if as_point.any() else np.zeros(0)
        self.areas.setData(x=x[as_point], y=y[as_point], size=self._point_size, data=self._point_rows,
                           pen=pg.mkPen(60, 60, 60, 110, width=0.6), brush=pg.mkBrush(UNCOLOURED))
        self._band_index = np.full(len(x), len(self._colours) - 1, dtype=np.int64)
        extent = self.rings.extent() if self.rings is not None else None
        bounds = [extent] if extent is not None else []
        if as_point.any():
            bounds.append((float(x[as_point].min()), float(y[as_point].min()),
                           float(x[as_point].max()), float(y[as_point].max())))
        self._area_bounds = bounds
        self._fit_bounds()

    def _fit_bounds(self) -> None:
        """The view's extent: the areas and every site. Fitted to the areas alone, a
        neighbouring force's base over the border was off the map, and an option deploying
        only from it seemed to cover its areas from nowhere."""
        bounds = self._area_bounds + self._site_bounds
        if not bounds:
            return
        b = np.array(bounds, dtype=float)
        self._bounds = (float(b[:, 0].min()), float(b[:, 2].max()), float(b[:, 1].min()), float(b[:, 3].max()))
        self.reset_view()
        self._ensure_scale_bar()

    def _set_shapes(self, shapes: AreaShapes | None) -> None:
        item = self.getPlotItem()
        for old in (self.fills, self.district_lines, *self.district_labels):
            if old is not None:
                item.removeItem(old)
        self.fills = self.district_lines = None
        self.district_labels = []
        self._label_homes = []
        self._shapes = shapes
        self.rings = self.cache = None
        if shapes is None:
            return
        rings, lines = packed_shapes(shapes)
        extent = rings.extent()
        if extent is None:
            return
        self.rings = rings
        self.cache = BandPathCache(rings)
        x0, y0, x1, y1 = extent
        self.fills = PathsItem(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.fills.setZValue(0.5)
        item.addItem(self.fills)
        names = list(shapes.districts)
        if names:
            pen = QPen(QColor(palette.INK))
            pen.setWidthF(1.5)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            self.district_lines = PathsItem(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.district_lines.set_layers([(outline_path(lines), pen, pg.mkBrush(None))])
            self.district_lines.setZValue(2)
            item.addItem(self.district_lines)
            # Biggest districts first: they keep their names when labels would collide.
            spans = np.nan_to_num((lines.bbox[:, 2] - lines.bbox[:, 0]) * (lines.bbox[:, 3] - lines.bbox[:, 1]))
            for i in np.argsort(-spans, kind="stable").tolist():
                name = names[i]
                at = shapes.district_labels.get(name)
                if at is None:
                    continue
                label = pg.TextItem(name, color=palette.INK, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 190))
                font = label.textItem.font()
                font.setPointSizeF(8.5)
                font.setBold(True)
                label.setFont(font)
                label.setPos(float(at[0]), float(at[1]))
                label.setZValue(2.5)
                item.addItem(label)
                self.district_labels.append(label)
                self._label_homes.append((float(at[0]), float(at[1])))
            self._declutter_timer.start()  # off the site markers, once the view has its range

    def set_sites(self, sites: pd.DataFrame, used: set[str]) -> None:
        """Draw every site; those the chosen option deploys from are filled.

        The symbols are made once per sites table; a new ``used`` set only refills them.
        """
        item = self.getPlotItem()
        if sites is not self._sites_frame:
            for old in self.site_items.values():
                item.removeItem(old)
            self.site_items, self._site_arrays, self._used = {}, [], None
            self._sites_frame = sites
            for site_type, symbol in SITE_SYMBOLS.items():
                rows = sites[sites["site_type"] == site_type]
                if rows.empty:
                    continue
                x, y = rows["easting"].to_numpy(float), rows["northing"].to_numpy(float)
                scatter = pg.ScatterPlotItem(x=x, y=y, symbol=symbol, size=12 if site_type != "ARV_BASE" else 13,
                                             pen=pg.mkPen(palette.INK, width=1.6), brush=pg.mkBrush("#ffffff"),
                                             pxMode=True, data=rows["site_id"].astype(str).tolist())
                scatter.setZValue(3)
                item.addItem(scatter)
                self.site_items[site_type] = scatter
                self._site_arrays.append((x, y, rows["site_name"].astype(str).tolist(), site_type))
            ex = sites["easting"].to_numpy(float)
            ny = sites["northing"].to_numpy(float)
            ok = np.isfinite(ex) & np.isfinite(ny)
            self._site_bounds = ([(float(ex[ok].min()), float(ny[ok].min()), float(ex[ok].max()), float(ny[ok].max()))]
                                 if ok.any() else [])
            self._fit_bounds()
            self._declutter_timer.start()  # names move off the new markers
        key = frozenset(used)
        if key == self._used:
            return
        self._used = key
        ink, white = pg.mkBrush(palette.INK), pg.mkBrush("#ffffff")
        for scatter in self.site_items.values():
            scatter.setBrush([ink if sid in key else white for sid in scatter.data["data"]])

    def set_values(self, band_index: np.ndarray, bands: palette.MapBands, title: str) -> None:
        """Recolour the areas: ``band_index`` per area (all areas, input order) into ``bands``."""
        colours = bands.colours
        idx = np.asarray(band_index, dtype=np.int64)
        self._colours = colours
        self._band_index = idx
        self.brush_indices = idx[self._ok]
        if self.rings is not None and self.cache is not None and self.fills is not None:
            border = QPen(QColor(255, 255, 255, 170)) if self.rings.owners <= BORDER_LIMIT else QPen(Qt.PenStyle.NoPen)
            border.setWidthF(0.7)
            border.setCosmetic(True)
            brushes = [pg.mkBrush(c) for c in colours]
            self.fills.set_layers([(path, border, brushes[b]) for b, path in self.cache.paths(idx, colours)])
        if self._point_rows.size:
            brushes = [pg.mkBrush(c) for c in colours]
            self.areas.setBrush([brushes[b] for b in idx[self._point_rows].tolist()])
        self._set_legend(bands, title)

    def area_colours(self) -> list[str]:
        """The fill colour of each drawn area, in area order (for tests and accessibility checks)."""
        return [QColor(self._colours[i]).name() for i in self.brush_indices]

    def painted_areas(self) -> int:
        """How many areas are drawn as filled polygons (0 without boundaries)."""
        return int(self.rings.has_shape().sum()) if self.rings is not None else 0

    # ---------------------------------------------------------------- hover
    def tip_at(self, x: float, y: float) -> str:
        """What hovering at (x, y) in map metres shows: a site's name, else the area's details."""
        vb = self.getPlotItem().vb
        px, py = vb.viewPixelSize()
        px, py = max(px, 1e-9), max(py, 1e-9)
        best: tuple[float, str] | None = None
        for sx, sy, names, site_type in self._site_arrays:
            if sx.size == 0:
                continue
            d = np.hypot((sx - x) / px, (sy - y) / py)
            i = int(np.argmin(d))
            if d[i] <= SITE_HOVER_PX and (best is None or d[i] < best[0]):
                best = (float(d[i]), f"{names[i]}\n{SITE_LABELS[site_type]}")
        if best is not None:
            return best[1]
        area: int | None = None
        if self.rings is not None:
            area = self.rings.locate(x, y)
        if area is None and self._point_rows.size:
            d = np.hypot((self._point_xy[:, 0] - x) / px, (self._point_xy[:, 1] - y) / py)
            j = int(np.argmin(d))
            if d[j] <= self._point_size[j] / 2 + 1:
                area = int(self._point_rows[j])
        if area is None or self.tip_fn is None:
            return ""
        try:
            return self.tip_fn(area)
        except (TypeError, ValueError, IndexError, KeyError):
            return ""

    def _hover(self, scene_pos: QPointF) -> None:
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            text = ""
        else:
            at = vb.mapSceneToView(scene_pos)
            text = self.tip_at(float(at.x()), float(at.y()))
        if text != self.hover_text:
            self.hover_text = text
            if text:
                QToolTip.showText(QCursor.pos(), text, self)
            else:
                QToolTip.hideText()

    def _declutter(self) -> None:
        """Move each district name off the site markers and the names a view drew over the
        map (:meth:`avoid_labels`), and hide names that would overlap a bigger district's
        name at this zoom (the places are chosen by :func:`district_names.place_names`)."""
        item = self.getPlotItem()
        vb = getattr(item, "vb", None)
        if vb is None or not isValid(vb) or not self.district_labels:  # closed: pyqtgraph has cleared the scene
            return
        px_w, px_h = vb.viewPixelSize()
        box = vb.sceneBoundingRect()
        homes = []
        for label, (hx, hy) in zip(self.district_labels, self._label_homes, strict=True):
            label.setPos(hx, hy)
            # A hidden TextItem keeps the scale of the zoom it was hidden at (pyqtgraph
            # updates it only while visible): measured stale, a name hidden on a shrunken
            # map (the Coverage view off screen during "Export chart") stayed hidden.
            label.setVisible(True)
            label.updateTransform(force=True)
            r = label.sceneBoundingRect()
            homes.append((r.left(), r.top(), r.right(), r.bottom()))
        shifts = place_names(np.array(homes, dtype=float).reshape(-1, 4), marker_boxes(self._site_scene_points()),
                             self._obstacle_boxes(), (box.left(), box.top(), box.right(), box.bottom()),
                             can_move=px_h > 0)
        for label, (hx, hy), shift in zip(self.district_labels, self._label_homes, shifts, strict=True):
            label.setVisible(shift is not None)
            if shift is not None and shift != (0.0, 0.0):  # scene y runs down, the map's northing up
                label.setPos(hx + shift[0] * px_w, hy - shift[1] * px_h)

    def avoid_labels(self, labels: Sequence[pg.TextItem]) -> None:
        """Keep the district names clear of ``labels`` too, moving or hiding a name that
        would sit under one: at 1024 px "Carrowby South police station" had covered
        "Carrowby"."""
        self._label_obstacles = list(labels)
        self._declutter()

    def _obstacle_boxes(self) -> np.ndarray:
        boxes = [(r.left(), r.top(), r.right(), r.bottom())
                 for r in (label.sceneBoundingRect() for label in self._label_obstacles if label.isVisible())]
        return np.array(boxes, dtype=float).reshape(-1, 4)

    def _site_scene_points(self) -> np.ndarray:
        """Every site marker's centre in scene pixels, (n, 2) (the view's mapping is a
        scale and a shift, so two mapped points give it for all)."""
        if not self._site_arrays:
            return np.zeros((0, 2))
        vb = self.getPlotItem().vb
        o, u = vb.mapViewToScene(QPointF(0.0, 0.0)), vb.mapViewToScene(QPointF(1.0, 1.0))
        x = np.concatenate([xs for xs, _ys, _n, _t in self._site_arrays])
        y = np.concatenate([ys for _xs, ys, _n, _t in self._site_arrays])
        return np.column_stack([o.x() + x * (u.x() - o.x()), o.y() + y * (u.y() - o.y())])

    # ---------------------------------------------------------------- chrome
    def _set_legend(self, bands: palette.MapBands, title: str) -> None:
        key = (bands, title, tuple(self.site_items), self.district_lines is not None, self.has_polygons)
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        self._legend_samples = []
        self.legend.setColumnCount(1)
        self.legend.addItem(pg.ScatterPlotItem(size=0, pen=None, brush=None), f"<b>{title}</b>")
        start = 0
        for heading, count in bands.groups:
            self.legend.addItem(pg.ScatterPlotItem(size=0, pen=None, brush=None), f"<i>{heading}</i>")
            for colour, label in zip(bands.colours[start:start + count], bands.labels[start:start + count], strict=True):
                # Swatches take the areas' shape: squares for polygons, dots for points.
                sample = pg.ScatterPlotItem(symbol="s" if self.has_polygons else "o", size=12,
                                            pen=pg.mkPen("#ffffff", width=0.6),
                                            brush=pg.mkBrush(colour))
                self._legend_samples.append(sample)
                self.legend.addItem(sample, label)
            start += count
        for site_type in self.site_items:
            sample = pg.ScatterPlotItem(symbol=SITE_SYMBOLS[site_type], size=10,
                                        pen=pg.mkPen(palette.INK, width=1.4), brush=pg.mkBrush(palette.INK))
            self._legend_samples.append(sample)
            self.legend.addItem(sample, SITE_LABELS[site_type])
        hollow = pg.ScatterPlotItem(symbol="o", size=10, pen=pg.mkPen(palette.INK, width=1.4), brush=pg.mkBrush("#ffffff"))
        self._legend_samples.append(hollow)
        self.legend.addItem(hollow, "hollow: site not used")
        if self.district_lines is not None:
            self.legend.addItem(pg.PlotDataItem(pen=pg.mkPen(palette.INK, width=1.5)), "district boundary")

    def _ensure_scale_bar(self) -> None:
        if self._bounds is None:
            return
        width = self._bounds[1] - self._bounds[0]
        nice = 10 ** math.floor(math.log10(max(width / 5, 1000)))
        for step in (1, 2, 5):
            if nice * step * 5 >= width / 1.5:
                nice *= step
                break
        if self.scale_bar is not None and self.scale_bar.scene() is not None:
            self.scale_bar.scene().removeItem(self.scale_bar)
        # Anchored bottom-right: pyqtgraph draws the bar leftwards from its anchor.
        bar = pg.ScaleBar(size=nice, width=4, suffix="m", brush=pg.mkBrush(palette.INK),
                          pen=pg.mkPen(palette.INK), offset=(-24, -28))
        bar.text.setColor(QColor(palette.INK))
        bar.setParentItem(self.getPlotItem().vb)
        self.scale_bar = bar

    def reset_view(self) -> None:
        if self._bounds is None:
            return
        x0, x1, y0, y1 = self._bounds
        pad_x = (x1 - x0) * 0.04 + 500
        pad_y = (y1 - y0) * 0.04 + 500
        self.getPlotItem().vb.setRange(xRange=(x0 - pad_x, x1 + pad_x), yRange=(y0 - pad_y, y1 + pad_y), padding=0)

    def mouseDoubleClickEvent(self, event: object) -> None:  # noqa: N802
        self.reset_view()
