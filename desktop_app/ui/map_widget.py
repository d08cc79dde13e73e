"""The cover map: areas as points on British National Grid, coloured by response-time band.

Areas are drawn at their BNG easting/northing with the aspect ratio locked (1 m east =
1 m north), sized by population so that the places where most people live stand out,
and coloured in the banded scale ORH and FSEC cover maps use (0-10, 10-20, 20-30,
30-45, 45-60, 60+ minutes) from a colour-blind-safe sequential palette. Sites are
drawn as distinct symbols per site type: filled when the chosen option uses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtGui import QColor

from desktop_app.ui import palette

SITE_SYMBOLS = {"ARV_BASE": "s", "POLICE_STATION": "t", "NEIGHBOUR_BASE": "d"}
SITE_LABELS = {"ARV_BASE": "ARV base", "POLICE_STATION": "Police station", "NEIGHBOUR_BASE": "Neighbour force base"}
MIN_POINT = 5.0
MAX_POINT = 17.0


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
        self.setBackground("w")
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

        self.areas = pg.ScatterPlotItem(pxMode=True, hoverable=True, tip=self._tip,
                                        hoverPen=pg.mkPen("#0b0c0c", width=2), hoverSize=None)
        self.areas.setZValue(1)
        item.addItem(self.areas)
        self.site_items: dict[str, pg.ScatterPlotItem] = {}
        self.legend = pg.LegendItem(labelTextSize="9pt", labelTextColor=palette.INK, verSpacing=-6)
        key_column = self.addLayout(row=0, col=1)
        key_column.addItem(self.legend, row=0, col=0)
        key_column.addLabel("", row=1, col=0)
        key_column.layout.setRowStretchFactor(0, 0)
        key_column.layout.setRowStretchFactor(1, 1)
        self.ci.layout.setColumnStretchFactor(0, 5)
        self.ci.layout.setColumnStretchFactor(1, 0)
        self._legend_samples: list[pg.ScatterPlotItem] = []
        self.tip_fn: Callable[[int], str] | None = None
        self.brush_indices = np.zeros(0, dtype=np.int64)
        self._ok = np.zeros(0, dtype=bool)
        self._colours: tuple[str, ...] = palette.BAND_COLOURS
        self._brushes = [pg.mkBrush(c) for c in self._colours]
        self._bounds: tuple[float, float, float, float] | None = None
        self.scale_bar: pg.ScaleBar | None = None

    def getPlotItem(self) -> pg.PlotItem:  # noqa: N802 - mirrors PlotWidget for callers
        return self.plot_item

    # ------------------------------------------------------------------ data
    def set_areas(self, easting: np.ndarray, northing: np.ndarray, population: np.ndarray) -> None:
        x = np.asarray(easting, dtype=float)
        y = np.asarray(northing, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        self._ok = ok
        self.areas.setData(
            x=x[ok], y=y[ok], size=point_sizes(np.asarray(population)[ok]),
            data=np.flatnonzero(ok), pen=pg.mkPen(60, 60, 60, 110, width=0.6),
            brush=self._brushes[-1],
        )
        if ok.any():
            self._bounds = (float(x[ok].min()), float(x[ok].max()), float(y[ok].min()), float(y[ok].max()))
        self.reset_view()
        self._ensure_scale_bar()

    def set_sites(self, sites: pd.DataFrame, used: set[str]) -> None:
        """Draw every site; those the chosen option deploys from are filled."""
        item = self.getPlotItem()
        for old in self.site_items.values():
            item.removeItem(old)
        self.site_items = {}
        for site_type, symbol in SITE_SYMBOLS.items():
            rows = sites[sites["site_type"] == site_type]
            if rows.empty:
                continue
            filled = rows["site_id"].isin(used).to_numpy()
            brushes = [pg.mkBrush(palette.INK) if f else pg.mkBrush("#ffffff") for f in filled]
            scatter = pg.ScatterPlotItem(
                x=rows["easting"].to_numpy(float), y=rows["northing"].to_numpy(float),
                symbol=symbol, size=12 if site_type != "ARV_BASE" else 13,
                pen=pg.mkPen(palette.INK, width=1.6), brush=brushes, pxMode=True,
                data=list(rows["site_name"].astype(str)), hoverable=True,
                tip=lambda x, y, data, _t=SITE_LABELS[site_type]: f"{data}\n{_t}",
            )
            scatter.setZValue(3)
            item.addItem(scatter)
            self.site_items[site_type] = scatter

    def set_values(self, band_index: np.ndarray, colours: tuple[str, ...], labels: tuple[str, ...], title: str) -> None:
        """Recolour the areas: ``band_index`` per area (all areas, input order)."""
        if colours != self._colours:
            self._colours = colours
            self._brushes = [pg.mkBrush(c) for c in colours]
        idx = np.asarray(band_index, dtype=np.int64)[self._ok]
        self.brush_indices = idx
        brushes = np.empty(len(idx), dtype=object)
        for b, brush in enumerate(self._brushes):
            brushes[idx == b] = brush
        self.areas.setBrush(brushes.tolist())
        self._set_legend(colours, labels, title)

    def area_colours(self) -> list[str]:
        """The fill colour of each drawn area (for tests and accessibility checks)."""
        return [QColor(self._colours[i]).name() for i in self.brush_indices]

    # ---------------------------------------------------------------- chrome
    def _set_legend(self, colours: tuple[str, ...], labels: tuple[str, ...], title: str) -> None:
        self.legend.clear()
        self._legend_samples = []
        self.legend.setColumnCount(1)
        heading = pg.ScatterPlotItem(size=0, pen=None, brush=None)
        self.legend.addItem(heading, f"<b>{title}</b>")
        for colour, label in zip(colours, labels, strict=True):
            sample = pg.ScatterPlotItem(symbol="o", size=11, pen=pg.mkPen("#6f777b", width=0.6), brush=pg.mkBrush(colour))
            self._legend_samples.append(sample)
            self.legend.addItem(sample, label)
        for site_type in self.site_items:
            sample = pg.ScatterPlotItem(symbol=SITE_SYMBOLS[site_type], size=10,
                                        pen=pg.mkPen(palette.INK, width=1.4), brush=pg.mkBrush(palette.INK))
            self._legend_samples.append(sample)
            self.legend.addItem(sample, SITE_LABELS[site_type])
        hollow = pg.ScatterPlotItem(symbol="o", size=10, pen=pg.mkPen(palette.INK, width=1.4), brush=pg.mkBrush("#ffffff"))
        self._legend_samples.append(hollow)
        self.legend.addItem(hollow, "hollow: site not used")

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

    def _tip(self, x: float, y: float, data: Any) -> str:
        if self.tip_fn is None:
            return ""
        try:
            return self.tip_fn(int(data))
        except (TypeError, ValueError, IndexError, KeyError):
            return ""

