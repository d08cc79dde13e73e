"""Placing point labels on a scatter chart so they overlap neither each other, other
points nor the chart's edges.

Options close together in cost and value put their names on top of one another when
each label is simply pinned to its own marker. Both value-for-money charts (the
Appraisal view's and workshop mode's) therefore place labels the same way: for each
point, most valuable first, try right, above, below, then left of its marker (and the
two far corners), and take the first spot that overlaps no label already placed, no
other marker and stays inside the chart. Boxes are worked out in data units from the
chart's size in pixels, so the placement is redone when the chart is resized.

:func:`choose_label_spots` is the pure geometry (tested by hand);
:func:`place_point_labels` applies it to pyqtgraph text items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyqtgraph as pg

#: A box in data units: (left, bottom, right, top).
Box = tuple[float, float, float, float]
#: Where a label goes: the TextItem anchor and the data position it is anchored at.
Spot = tuple[tuple[float, float], tuple[float, float]]

#: Penalty for a box outside the chart: worse than any number of overlaps it avoids.
_OUTSIDE = 10


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def choose_label_spots(
    xs: Sequence[float] | np.ndarray,
    ys: Sequence[float] | np.ndarray,
    sizes: Sequence[tuple[float, float]],
    order: Iterable[int],
    marker: tuple[float, float],
    bounds: Box,
) -> dict[int, Spot]:
    """Pick a spot for each point's label, points taken in ``order``.

    ``sizes`` are the labels' (width, height) and ``marker`` the marker's half-width and
    half-height, all in data units; ``bounds`` is the visible chart. Each candidate spot
    is scored by the labels already placed and other markers it overlaps, plus a large
    penalty if it leaves the chart; the first of the least-scored candidates wins, so an
    uncrowded label always sits to the right of its point.
    """
    r_x, r_y = marker
    x0, y0, x1, y1 = bounds
    markers: list[Box] = [(float(x) - r_x, float(y) - r_y, float(x) + r_x, float(y) + r_y)
                          for x, y in zip(xs, ys, strict=True)]
    placed: list[Box] = []

    def clashes(box: Box, own: int) -> int:
        others = placed + [m for j, m in enumerate(markers) if j != own]
        hits = sum(1 for q in others if _overlaps(box, q))
        outside = box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1
        return hits + (_OUTSIDE if outside else 0)

    spots: dict[int, Spot] = {}
    for i in order:
        w, h = sizes[i]
        cx, cy = float(xs[i]), float(ys[i])
        # (anchor, position, box): right, above, below, left of the marker, then the far corners
        candidates: list[tuple[tuple[float, float], tuple[float, float], Box]] = [
            ((0, 0.5), (cx + r_x, cy), (cx + r_x, cy - h / 2, cx + r_x + w, cy + h / 2)),
            ((0, 1), (cx - r_x, cy + r_y), (cx - r_x, cy + r_y, cx - r_x + w, cy + r_y + h)),
            ((0, 0), (cx - r_x, cy - r_y), (cx - r_x, cy - r_y - h, cx - r_x + w, cy - r_y)),
            ((1, 0.5), (cx - r_x, cy), (cx - r_x - w, cy - h / 2, cx - r_x, cy + h / 2)),
            ((1, 1), (cx + r_x, cy + r_y), (cx + r_x - w, cy + r_y, cx + r_x, cy + r_y + h)),
            ((1, 0), (cx + r_x, cy - r_y), (cx + r_x - w, cy - r_y - h, cx + r_x, cy - r_y)),
        ]
        anchor, pos, box = min(candidates, key=lambda c: clashes(c[2], i))  # first of the least
        placed.append(box)
        spots[i] = (anchor, pos)
    return spots


def data_per_pixel(
    plot_item: pg.PlotItem, widget_size: tuple[int, int], bounds: Box,
) -> tuple[float, float]:
    """Data units per screen pixel on each axis: exact once the chart is laid out.

    Before the first layout the view box cannot say, so it is estimated from the
    widget's size less room for the axes (never from fewer than 400 x 160 pixels).
    """
    x0, y0, x1, y1 = bounds
    try:
        ux, uy = plot_item.getViewBox().viewPixelSize()
    except Exception:  # noqa: BLE001 - not laid out yet: estimate from the widget size
        width, height = widget_size
        ux = (x1 - x0) / max(width - 90, 400)
        uy = (y1 - y0) / max(height - 80, 160)
    return float(ux), float(uy)


def place_point_labels(
    labels: Sequence[pg.TextItem],
    xs: Sequence[float] | np.ndarray,
    ys: Sequence[float] | np.ndarray,
    order: Iterable[int],
    *,
    units: tuple[float, float],
    marker_px: float,
    bounds: Box,
) -> None:
    """Anchor and position ``labels[i]`` (text and font already set) beside point i.

    ``units`` is :func:`data_per_pixel`; ``marker_px`` the marker's radius in pixels.
    """
    ux, uy = units
    sizes = []
    for label in labels:
        rect = label.boundingRect()
        sizes.append((rect.width() * ux, rect.height() * uy))
    spots = choose_label_spots(xs, ys, sizes, order, (marker_px * ux, marker_px * uy), bounds)
    for i, (anchor, pos) in spots.items():
        labels[i].setAnchor(anchor)
        labels[i].setPos(*pos)
