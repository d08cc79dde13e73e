"""The optimiser map's chosen stations: a red ring round each, and its name beside it.

Kept apart from the optimiser view (which solves, draws the curve and adds the answer as
an option) because placing names is its own small job: the names are placed as the
value-for-money labels are (:mod:`desktop_app.ui.label_placement`), in pixels of the map
as it is shown, and placed again whenever the map is zoomed, panned or resized.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer

from desktop_app.ui import palette
from desktop_app.ui.charts import point_font
from desktop_app.ui.label_placement import data_per_pixel, place_point_labels


class ChosenStations(QObject):
    """Rings and names of the chosen stations on one map (a pyqtgraph PlotWidget)."""

    #: The rings' radius in pixels (size 30, pen 3) plus a pixel of air: names keep clear of it.
    RING_PX = 17

    def __init__(self, map_widget: pg.PlotWidget) -> None:
        super().__init__(map_widget)
        self.map = map_widget
        self.rings: pg.ScatterPlotItem | None = None
        #: The chosen stations' names, printed beside their rings.
        self.labels: list[pg.TextItem] = []
        self._xy: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self._placing = False
        box = map_widget.getPlotItem().getViewBox()
        box.sigRangeChanged.connect(self._moved)
        box.sigResized.connect(self._moved)

    def show(self, xs: np.ndarray, ys: np.ndarray, names: Sequence[str]) -> None:
        """Ring the stations at ``xs``, ``ys`` and name them (the last ones shown go)."""
        self.clear()
        item = self.map.getPlotItem()
        # The rings lie over the stations, so they carry the names on hover too.
        self.rings = pg.ScatterPlotItem(
            x=xs, y=ys, symbol="o", size=30, pen=pg.mkPen(palette.ERROR, width=3), brush=None, pxMode=True,
            data=list(names), hoverable=True, tip=lambda x, y, data: f"{data}\nchosen by the optimiser")
        self.rings.setZValue(4)
        item.addItem(self.rings)
        self._xy = (np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        for name in names:
            label = pg.TextItem(name, color=palette.ERROR, fill=pg.mkBrush(255, 255, 255, 215))
            label.setFont(point_font(9, True))
            label.setZValue(5)
            item.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        self.place()

    def clear(self) -> None:
        item = self.map.getPlotItem()
        if self.rings is not None:
            item.removeItem(self.rings)
            self.rings = None
        for label in self.labels:
            item.removeItem(label)
        self.labels = []
        self.map.avoid_labels([])

    def place(self) -> None:
        """Each name beside its ring, clear of the other names and rings.

        Pinned to the right of its station, two names of stations a few kilometres apart
        printed over each other; placed as the value-for-money labels are (right, above,
        below, left, centred, then stepped out), in pixels of the map as it is now shown.
        """
        xs, ys = self._xy
        if not self.labels or len(xs) != len(self.labels):
            return
        item = self.map.getPlotItem()
        (x0, x1), (y0, y1) = item.getViewBox().viewRange()
        bounds = (float(x0), float(y0), float(x1), float(y1))
        units = data_per_pixel(item, (self.map.width(), self.map.height()), bounds)
        place_point_labels(self.labels, xs, ys, range(len(xs)), units=units, marker_px=self.RING_PX, bounds=bounds)
        self.map.avoid_labels(self.labels)  # the district names move off (or hide under) these

    def _moved(self, *_args: object) -> None:
        """A zoom, pan or resize: place the names again once, after the moves of this turn."""
        if not self._placing and self.labels:
            self._placing = True
            QTimer.singleShot(0, self, self._place_after_move)

    def _place_after_move(self) -> None:
        self._placing = False
        self.place()
