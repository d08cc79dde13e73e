"""The map's drawn pieces: filled band paths, outlines, a north arrow, and the band path cache.

A national map's 35,672 areas are drawn as one :class:`PathsItem` holding one
QPainterPath per colour band (a handful of fills per repaint, not one item per area),
and the district lines as a second one. :class:`BandPathCache` keeps the band paths of
recent colourings keyed by the bands themselves: the hours of the week fall into a few
classes with identical cover, so moving the hour slider mostly re-uses paths already
built (issue 16: an hour-slider step within 100 ms on the national workbook).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPolygonF

from desktop_app.ui import palette
from desktop_app.ui.map_geometry import PackedRings

#: Colourings kept (each holds the band paths of every area: about 4 MB for 35,672 squares).
CACHE_SIZE = 16


class PathsItem(pg.GraphicsObject):
    """Draws a few (path, pen, brush) in data coordinates; never takes the mouse.

    ``shape()`` is the bounding rectangle, so the scene never strokes a 700,000-vertex
    path to decide what is under the mouse.
    """

    def __init__(self, bounds: QRectF) -> None:
        super().__init__()
        self._bounds = QRectF(bounds)
        self.layers: list[tuple[QPainterPath, QPen, QBrush]] = []
        self.setAcceptHoverEvents(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_layers(self, layers: list[tuple[QPainterPath, QPen, QBrush]]) -> None:
        self.layers = layers
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._bounds)
        return path

    def paint(self, painter: QPainter, *args: object) -> None:
        for path, pen, brush in self.layers:
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path)


class NorthArrow(pg.GraphicsObject, pg.GraphicsWidgetAnchor):
    """A north arrow pinned to the map's top-right corner (British National Grid north)."""

    SIZE = 26.0

    def __init__(self) -> None:
        pg.GraphicsObject.__init__(self)
        pg.GraphicsWidgetAnchor.__init__(self)
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setToolTip("North (grid north of the British National Grid, within 2° of true north in Great Britain)")

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-self.SIZE / 2 - 2, -4, self.SIZE + 4, self.SIZE * 1.6 + 8)

    def paint(self, painter: QPainter, *args: object) -> None:
        s = self.SIZE
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = pg.mkColor(palette.INK)
        painter.setPen(QPen(ink, 1.2))
        top, foot = s * 0.55, s * 1.5
        left = QPolygonF([QPointF(0, top), QPointF(-s * 0.32, foot), QPointF(0, foot - s * 0.28)])
        right = QPolygonF([QPointF(0, top), QPointF(s * 0.32, foot), QPointF(0, foot - s * 0.28)])
        painter.setBrush(QBrush(ink))
        painter.drawPolygon(left)
        painter.setBrush(QBrush(pg.mkColor("#ffffff")))
        painter.drawPolygon(right)
        font = painter.font()
        font.setBold(True)
        font.setPointSizeF(10.0)
        painter.setFont(font)
        painter.drawText(QRectF(-s / 2, -2, s, s * 0.55), Qt.AlignmentFlag.AlignCenter, "N")

    def pin(self, view_box: pg.ViewBox) -> None:
        self.setParentItem(view_box)
        self.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-30, 10))


def band_key(band_index: np.ndarray, colours: tuple[str, ...]) -> bytes:
    """A short key for one colouring: the bands of every area and their colours."""
    digest = hashlib.blake2b(np.ascontiguousarray(band_index, dtype=np.int16).tobytes(), digest_size=16)
    digest.update("|".join(colours).encode())
    return digest.digest()


class BandPathCache:
    """Band paths of recent colourings, least recently used dropped first.

    ``built`` counts colourings built (cache misses), so a test can bound the work an
    hour-slider sweep does without timing it.
    """

    def __init__(self, rings: PackedRings, size: int = CACHE_SIZE) -> None:
        self.rings = rings
        self.size = size
        self.built = 0
        self.hits = 0
        self._paths: OrderedDict[bytes, list[tuple[int, QPainterPath]]] = OrderedDict()

    def paths(self, band_index: np.ndarray, colours: tuple[str, ...]) -> list[tuple[int, QPainterPath]]:
        """(band, path) for each band that has areas, for ``band_index`` (one per owner)."""
        key = band_key(band_index, colours)
        hit = self._paths.get(key)
        if hit is not None:
            self._paths.move_to_end(key)
            self.hits += 1
            return hit
        idx = np.asarray(band_index)
        drawn = self.rings.has_shape()
        out: list[tuple[int, QPainterPath]] = []
        for b in np.unique(idx[drawn]).tolist():
            x, y, connect = self.rings.select((idx == b) & drawn)
            out.append((int(b), pg.arrayToQPath(x, y, connect, finiteCheck=False)))
        self.built += 1
        self._paths[key] = out
        while len(self._paths) > self.size:
            self._paths.popitem(last=False)
        return out


def outline_path(rings: PackedRings) -> QPainterPath:
    """Every ring as one unfilled path (district lines)."""
    if rings.x.size == 0:
        return QPainterPath()
    return pg.arrayToQPath(rings.x, rings.y, rings.connect, finiteCheck=False)
