"""Placing point labels on a scatter chart so they overlap neither each other, other
points nor the chart's edges.

Options close together in cost and value put their names on top of one another when
each label is simply pinned to its own marker. Both value-for-money charts (the
Appraisal view's and workshop mode's) therefore place labels the same way: for each
point, most valuable first, try right, above, below, then left of its marker (and the
two far corners), then the same spots stepped one and two label heights further out,
and take the first spot that overlaps no label already placed, no other marker, no
line drawn on the chart (the efficient frontier) and stays inside the chart. Boxes are
worked out in data units from the chart's size in pixels, so the placement is redone
when the chart is resized.

Labels on vertical lines (the sensitivity chart's switch points) are stacked instead:
:func:`stack_line_labels` puts each on the first row where it overlaps no label
already placed, flipping it to the left of its line at the chart's right edge.

:func:`choose_label_spots` and :func:`stack_line_labels` are the pure geometry (tested
by hand); :func:`place_point_labels` applies the first to pyqtgraph text items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyqtgraph as pg

#: A box in data units: (left, bottom, right, top).
Box = tuple[float, float, float, float]
#: Where a label goes: the TextItem anchor and the data position it is anchored at.
Spot = tuple[tuple[float, float], tuple[float, float]]

#: A straight line drawn on the chart, in data units: (x0, y0, x1, y1).
Segment = tuple[float, float, float, float]

#: Penalty for a box outside the chart: worse than any number of overlaps it avoids.
_OUTSIDE = 10


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_crosses_box(seg: Segment, box: Box) -> bool:
    """True if the segment passes through the box's interior (Liang-Barsky clipping).

    Touching an edge is not crossing, as :func:`_overlaps` treats touching boxes.
    """
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q <= 0:  # parallel to this edge and outside (or on) it
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def _candidates(cx: float, cy: float, w: float, h: float, r_x: float, r_y: float,
                ) -> list[tuple[tuple[float, float], tuple[float, float], Box]]:
    """(anchor, position, box) spots round a marker, nearest first.

    Right, above, below, left, the two far corners, centred above and below; then those
    stepped out by one and two label heights (sideways spots up and down, the others
    further away).
    """
    spots: list[tuple[tuple[float, float], tuple[float, float], Box]] = []
    for step in (0.0, 1.0, 2.0):
        rises = (0.0,) if step == 0 else (step * h, -step * h)
        for up in rises:  # right and left of the marker, raised or lowered
            y = cy + up
            spots.append(((0, 0.5), (cx + r_x, y), (cx + r_x, y - h / 2, cx + r_x + w, y + h / 2)))
        gap = step * h
        spots.append(((0, 1), (cx - r_x, cy + r_y + gap), (cx - r_x, cy + r_y + gap, cx - r_x + w, cy + r_y + gap + h)))
        spots.append(((0, 0), (cx - r_x, cy - r_y - gap), (cx - r_x, cy - r_y - gap - h, cx - r_x + w, cy - r_y - gap)))
        for up in rises:
            y = cy + up
            spots.append(((1, 0.5), (cx - r_x, y), (cx - r_x - w, y - h / 2, cx - r_x, y + h / 2)))
        spots.append(((1, 1), (cx + r_x, cy + r_y + gap), (cx + r_x - w, cy + r_y + gap, cx + r_x, cy + r_y + gap + h)))
        spots.append(((1, 0), (cx + r_x, cy - r_y - gap), (cx + r_x - w, cy - r_y - gap - h, cx + r_x, cy - r_y - gap)))
        # Centred above and below: last, so taken only when nothing nearer serves. A name
        # two-thirds the map's width, by a station mid-map, fits only there (at 1024 pixels
        # "Carrowby South police station" ran off the map's edge at every other spot).
        spots.append(((0.5, 1), (cx, cy + r_y + gap), (cx - w / 2, cy + r_y + gap, cx + w / 2, cy + r_y + gap + h)))
        spots.append(((0.5, 0), (cx, cy - r_y - gap), (cx - w / 2, cy - r_y - gap - h, cx + w / 2, cy - r_y - gap)))
    return spots


def choose_label_spots(
    xs: Sequence[float] | np.ndarray,
    ys: Sequence[float] | np.ndarray,
    sizes: Sequence[tuple[float, float]],
    order: Iterable[int],
    marker: tuple[float, float],
    bounds: Box,
    segments: Sequence[Segment] = (),
) -> dict[int, Spot]:
    """Pick a spot for each point's label, points taken in ``order``.

    ``sizes`` are the labels' (width, height) and ``marker`` the marker's half-width and
    half-height, all in data units; ``bounds`` is the visible chart and ``segments``
    lines drawn on it. Each candidate spot is scored by the labels already placed, the
    markers and the lines it overlaps, plus a large
    penalty if it leaves the chart; the first of the least-scored candidates wins, so an
    uncrowded label always sits to the right of its point.
    """
    r_x, r_y = marker
    x0, y0, x1, y1 = bounds
    markers: list[Box] = [(float(x) - r_x, float(y) - r_y, float(x) + r_x, float(y) + r_y)
                          for x, y in zip(xs, ys, strict=True)]
    placed: list[Box] = []

    def clashes(box: Box) -> int:
        # Every spot only touches its own marker, so all markers count (spots stepped
        # out from one marker must still not cover the next).
        others = placed + markers
        hits = sum(1 for q in others if _overlaps(box, q))
        hits += sum(1 for seg in segments if segment_crosses_box(seg, box))
        outside = box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1
        return hits + (_OUTSIDE if outside else 0)

    spots: dict[int, Spot] = {}
    for i in order:
        w, h = sizes[i]
        cx, cy = float(xs[i]), float(ys[i])
        candidates = _candidates(cx, cy, w, h, r_x, r_y)
        anchor, pos, box = min(candidates, key=lambda c: clashes(c[2]))  # first of the least
        placed.append(box)
        spots[i] = (anchor, pos)
    return spots


def stack_line_labels(xs: Sequence[float], widths: Sequence[float], x_max: float,
                      reserved: Sequence[tuple[float, float, int]] = ()) -> list[tuple[int, bool]]:
    """Rows for labels on vertical lines at ``xs`` (label ``i`` is ``widths[i]`` wide).

    A label sits right of its line, or left of it (``True``) where it would pass
    ``x_max``; it takes the lowest row where its span overlaps no label already placed
    on that row, lines taken left to right. ``reserved`` spans ``(left, right, row)``
    are taken already (e.g. the "current" line's label). Returns ``(row, flipped)``.
    """
    taken: list[tuple[float, float, int]] = list(reserved)
    result: list[tuple[int, bool]] = [(0, False)] * len(xs)
    for i in sorted(range(len(xs)), key=lambda k: xs[k]):
        x, w = float(xs[i]), float(widths[i])
        flipped = x + w > x_max
        left, right = (x - w, x) if flipped else (x, x + w)
        row = 0
        while any(row == r and left < b and a < right for a, b, r in taken):
            row += 1
        taken.append((left, right, row))
        result[i] = (row, flipped)
    return result


def data_per_pixel(
    plot_item: pg.PlotItem, widget_size: tuple[int, int], bounds: Box,
) -> tuple[float, float]:
    """Data units per screen pixel on each axis: exact once the chart is laid out.

    Worked out from the view box's size and ``bounds`` (the range just set), not from
    the view's transform, which pyqtgraph brings up to date only at the next paint.
    Before the first layout the view box has no size, so it is estimated from the
    widget's size less room for the axes (never from fewer than 400 x 160 pixels).
    """
    x0, y0, x1, y1 = bounds
    rect = plot_item.getViewBox().boundingRect()
    if rect.width() > 1 and rect.height() > 1:
        ux, uy = (x1 - x0) / rect.width(), (y1 - y0) / rect.height()
    else:
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
    segments: Sequence[Segment] = (),
) -> list[Segment]:
    """Anchor and position ``labels[i]`` (text and font already set) beside point i.

    ``units`` is :func:`data_per_pixel`; ``marker_px`` the marker's radius in pixels.
    Returns leader lines (data units) for the labels stepped away from their marker,
    from the marker's edge to the nearest point of the label, so each name still
    points at its option.
    """
    ux, uy = units
    sizes = []
    for label in labels:
        rect = label.boundingRect()
        sizes.append((rect.width() * ux, rect.height() * uy))
    spots = choose_label_spots(xs, ys, sizes, order, (marker_px * ux, marker_px * uy), bounds, segments)
    leaders: list[Segment] = []
    for i, (anchor, pos) in spots.items():
        labels[i].setAnchor(anchor)
        labels[i].setPos(*pos)
        w, h = sizes[i]
        left, bottom = pos[0] - anchor[0] * w, pos[1] - (1 - anchor[1]) * h  # anchor y counts down
        leader = leader_line(float(xs[i]), float(ys[i]), (left, bottom, left + w, bottom + h), units, marker_px)
        if leader is not None:
            leaders.append(leader)
    return leaders


def leader_line(x: float, y: float, box: Box, units: tuple[float, float], marker_px: float) -> Segment | None:
    """A line from the marker at (x, y) to the nearest point of ``box``, or None when the
    box is within two pixels of the marker's edge (it reads as that marker's label)."""
    ux, uy = units
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    dx, dy = (nx - x) / ux, (ny - y) / uy  # in pixels
    dist = float(np.hypot(dx, dy))
    if dist <= marker_px + 2:
        return None
    start = marker_px / dist
    return (x + (nx - x) * start, y + (ny - y) * start, nx, ny)
