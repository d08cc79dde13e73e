"""Area boundaries packed for drawing: one vertex array, so a colour band is one numpy mask.

A national map has 35,672 areas. Drawing each as its own item, or building a path per
area in Python, costs seconds; instead every ring of every area is laid end to end in
one (x, y) array with a "connect" flag that is 0 on each ring's last vertex, the format
of :func:`pyqtgraph.arrayToQPath`. The vertices of a band are then a boolean mask
(``np.repeat`` of the areas' band over their vertex counts), and the band's whole
QPainterPath is built in one call (docs/maps.md). Areas stay contiguous, so a mask never
splits a ring. The same arrays answer "which area is under the mouse" (bounding boxes,
then an even-odd ray test over the few candidates' rings).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop_app.core.area_shapes import AreaShapes, Polygon


@dataclass(frozen=True)
class PackedRings:
    """Closed rings laid end to end: ``x``, ``y`` (V,), ``connect`` (V,) int32.

    ``ring_start`` (R + 1,) offsets rings into the vertices and ``ring_owner`` (R,) names
    the area (or district) of each ring; ``owner_start`` (N + 1,) offsets owners into the
    vertices (an owner without a shape has no vertices); ``bbox`` (N, 4) is each owner's
    (xmin, ymin, xmax, ymax), NaN when it has no shape.
    """

    x: np.ndarray
    y: np.ndarray
    connect: np.ndarray
    ring_start: np.ndarray
    ring_owner: np.ndarray
    owner_start: np.ndarray
    bbox: np.ndarray

    @property
    def owners(self) -> int:
        return int(self.owner_start.size - 1)

    def vertex_counts(self) -> np.ndarray:
        return np.diff(self.owner_start)

    def has_shape(self) -> np.ndarray:
        """Per owner, whether it has at least one ring."""
        return self.vertex_counts() > 0

    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of every ring, or None when there are none."""
        if self.x.size == 0:
            return None
        return float(self.x.min()), float(self.y.min()), float(self.x.max()), float(self.y.max())

    def select(self, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, y, connect) of the vertices of the owners where ``owners`` (N,) bool is True."""
        mask = np.repeat(owners, self.vertex_counts())
        return self.x[mask], self.y[mask], self.connect[mask]

    def locate(self, x: float, y: float) -> int | None:
        """The owner whose shape contains (x, y) (even-odd over its rings), or None."""
        b = self.bbox
        with np.errstate(invalid="ignore"):
            near = np.flatnonzero((b[:, 0] <= x) & (b[:, 2] >= x) & (b[:, 1] <= y) & (b[:, 3] >= y))
        for owner in near.tolist():
            rings = np.flatnonzero(self.ring_owner == owner)
            crossings = 0
            for r in rings.tolist():
                lo, hi = int(self.ring_start[r]), int(self.ring_start[r + 1])
                crossings += _crossings(self.x[lo:hi], self.y[lo:hi], x, y)
            if crossings % 2 == 1:
                return int(owner)
        return None


def _crossings(rx: np.ndarray, ry: np.ndarray, x: float, y: float) -> int:
    """Edges of a closed ring crossed by the ray from (x, y) towards +x."""
    x0, y0, x1, y1 = rx[:-1], ry[:-1], rx[1:], ry[1:]
    straddle = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return int(np.count_nonzero(straddle & (at > x)))


def pack_rings(shapes: Sequence[Sequence[Polygon]]) -> PackedRings:
    """Pack each owner's polygons (exterior then holes, each an (n, 2) array) into rings.

    Rings are closed (the first vertex repeated at the end when it is not already), so an
    outline drawn from them has every side; rings of fewer than three distinct points
    are dropped.
    """
    parts: list[np.ndarray] = []
    ring_lengths: list[int] = []
    ring_owner: list[int] = []
    owner_counts = np.zeros(len(shapes), dtype=np.int64)
    bbox = np.full((len(shapes), 4), np.nan)
    for owner, polygons in enumerate(shapes):
        for polygon in polygons:
            for ring in polygon:
                r = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
                n = r.shape[0]
                if n < 3:
                    continue
                parts.append(r)
                if r[0, 0] != r[-1, 0] or r[0, 1] != r[-1, 1]:
                    parts.append(r[:1])  # close it (one concatenate at the end, not a copy per ring)
                    n += 1
                ring_lengths.append(n)
                ring_owner.append(owner)
                owner_counts[owner] += n
    xy = np.concatenate(parts) if parts else np.zeros((0, 2))
    lengths = np.asarray(ring_lengths, dtype=np.int64)
    ring_start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    connect = np.ones(xy.shape[0], dtype=np.int32)
    if lengths.size:
        connect[ring_start[1:] - 1] = 0
    owners = np.asarray(ring_owner, dtype=np.int64)
    if owners.size:
        ring_x0 = np.minimum.reduceat(xy[:, 0], ring_start[:-1])
        ring_x1 = np.maximum.reduceat(xy[:, 0], ring_start[:-1])
        ring_y0 = np.minimum.reduceat(xy[:, 1], ring_start[:-1])
        ring_y1 = np.maximum.reduceat(xy[:, 1], ring_start[:-1])
        for column, values, reduce in ((0, ring_x0, np.fmin), (1, ring_y0, np.fmin),
                                       (2, ring_x1, np.fmax), (3, ring_y1, np.fmax)):
            reduce.at(bbox[:, column], owners, values)
    owner_start = np.concatenate([[0], np.cumsum(owner_counts)]).astype(np.int64)
    return PackedRings(xy[:, 0].copy(), xy[:, 1].copy(), connect, ring_start, owners, owner_start, bbox)


#: Packed rings of the boundaries already drawn, by object: the Coverage and Optimiser maps
#: draw the same shapes, and packing 35,672 areas takes about half a second.
_PACKED: dict[int, tuple[weakref.ref[AreaShapes], PackedRings, PackedRings]] = {}


def packed_shapes(shapes: AreaShapes) -> tuple[PackedRings, PackedRings]:
    """(areas, districts) of ``shapes`` packed, made once per AreaShapes object."""
    key = id(shapes)
    hit = _PACKED.get(key)
    if hit is not None and hit[0]() is shapes:
        return hit[1], hit[2]
    areas = pack_rings(shapes.display)
    districts = pack_rings([shapes.districts[n] for n in shapes.districts])

    def forget(_ref: weakref.ref[AreaShapes]) -> None:
        _PACKED.pop(key, None)

    _PACKED[key] = (weakref.ref(shapes, forget), areas, districts)
    return areas, districts
