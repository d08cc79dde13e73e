"""The week heat map: one option's cover in each of the 168 hours, days down, hours across.

Cover tools present the week this way (a 7 x 24 grid per option) because a peak-hours
crew or a night with fewer units shows as a block, where a line through 168 hours is
hard to read. The colour scale is the same for every option (the lowest and highest
hour of any option), so switching options compares like with like; the cell under the
hour slider is outlined, and hovering a cell gives its figure.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QCursor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QToolTip

from desktop_app.core.coverage.series import week_grid
from desktop_app.core.coverage.units import DAY_SHORT
from desktop_app.ui import palette
from desktop_app.ui.charts import make_plot
from desktop_app.ui.coverage_values import ALL_DAY, hour_label


class WeekHeatMap:
    """A 7 x 24 image of one option's share covered, with a colour bar and a cell marker."""

    def __init__(self) -> None:
        self.plot = make_plot("Covered within target, hour by hour", left="Day of the week", bottom="Hour of the day (00-23)",
                              accessible_name="Heat map of cover within target for each hour of the week")
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=False)
        item.invertY(True)  # Monday at the top, as a week is read
        self.image = pg.ImageItem(np.zeros((7, 24)), axisOrder="row-major")
        self.image.setRect(QRectF(0, 0, 24, 7))  # one unit per cell (needs an image to scale)
        item.addItem(self.image)
        item.getAxis("left").setTicks([[(d + 0.5, DAY_SHORT[d]) for d in range(7)]])
        item.getAxis("bottom").setTicks([[(h + 0.5, f"{h:02d}") for h in range(0, 24, 3)]])
        item.setXRange(0, 24, padding=0)
        item.setYRange(0, 7, padding=0)
        positions = np.linspace(0.0, 1.0, len(palette.HEAT_COLOURS))
        self.colour_map = pg.ColorMap(positions, [QColor(c) for c in palette.HEAT_COLOURS])
        self.bar = pg.ColorBarItem(values=(0, 100), colorMap=self.colour_map, interactive=False, width=14)
        self.bar.setImageItem(self.image, insert_in=item)
        self.bar.axis.setTextPen(pg.mkPen(palette.INK))
        self.bar.axis.setPen(pg.mkPen(palette.MUTED_INK))
        # Short: the bar is about 90 pixels tall at 1366x768 ("Covered within target (%)" was cut).
        self.bar.axis.setLabel("Covered (%)", color=palette.INK, **{"font-size": "9pt"})
        marker_pen = QPen(QColor(palette.ERROR))
        marker_pen.setWidthF(2.5)
        marker_pen.setCosmetic(True)
        self.marker = QGraphicsRectItem(QRectF(0, 0, 1, 1))
        self.marker.setPen(marker_pen)
        self.marker.setZValue(5)
        self.marker.setVisible(False)
        item.addItem(self.marker)
        #: The 7 x 24 shares (0-1) on show, NaN before any option is shown.
        self.values = np.full((7, 24), np.nan)
        self.hover_text = ""
        self.plot.scene().sigMouseMoved.connect(self._hover)

    def set_levels(self, lo: float, hi: float) -> None:
        """The colour scale, in shares 0-1 (drawn as percentages), widened to whole 5%."""
        low = max(0.0, math.floor(100 * lo / 5) * 5)
        high = min(100.0, max(low + 5, math.ceil(100 * hi / 5) * 5))
        self.bar.setLevels((low, high))

    def show(self, hourly: np.ndarray, title: str, hour: int) -> None:
        """Draw ``hourly`` (168 shares) and outline hour ``hour`` of the week (ALL_DAY: none)."""
        self.values = week_grid(hourly)
        self.image.setImage(100 * self.values, autoLevels=False)
        self.image.setLevels(self.bar.levels())
        self.plot.setTitle(title, color=palette.INK, size="10pt", bold=True)
        self.marker.setVisible(hour != ALL_DAY)
        if hour != ALL_DAY:
            self.marker.setRect(QRectF(hour % 24, hour // 24, 1, 1))

    def cell_text(self, day: int, hour: int) -> str:
        value = self.values[day, hour]
        figure = "no figure" if not math.isfinite(value) else f"{100 * value:.1f}% covered"
        return f"{DAY_SHORT[day]} {hour_label(hour)}: {figure}"

    def _hover(self, scene_pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        text = ""
        if vb.sceneBoundingRect().contains(scene_pos):
            at = vb.mapSceneToView(scene_pos)
            h, d = int(math.floor(at.x())), int(math.floor(at.y()))
            if 0 <= h < 24 and 0 <= d < 7:
                text = self.cell_text(d, h)
        if text != self.hover_text:
            self.hover_text = text
            if text:
                QToolTip.showText(QCursor.pos(), text, self.plot)
            else:
                QToolTip.hideText()
