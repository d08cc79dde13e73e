"""Workshop mode's value-for-money labels: apart from each other, every marker and the frontier line.

The shared placer (:mod:`desktop_app.ui.label_placement`) keeps labels off each other
and off the markers. A projector chart is small and its type large, so this adds two
things for workshop mode: the frontier line counts as an obstacle (it is sampled into
pseudo-markers no label may cover: "Do minimum" printed on the frontier line was one
of the faults found), and when the chart is too crowded for every label at the body
size the labels step down a point at a time, then break onto two lines, until none
clash. :func:`label_rects` and :func:`obstacle_rects` give the drawn rectangles in
pixels, for the geometric test.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from desktop_app.ui.charts import point_font
from desktop_app.ui.label_placement import Box, choose_label_spots

#: Font sizes tried in turn (points), largest first; below the last, names break onto two lines.
SIZES = (11, 10, 9)


def _line_samples(xs: np.ndarray, ys: np.ndarray, path: Sequence[int], step: tuple[float, float]) -> list[tuple[float, float]]:
    """Points every marker-width along the frontier polyline (its own ends excluded)."""
    out: list[tuple[float, float]] = []
    for a, b in zip(path, path[1:], strict=False):
        dx, dy = (xs[b] - xs[a]) / step[0], (ys[b] - ys[a]) / step[1]
        n = int(max(abs(dx), abs(dy))) + 1
        for k in range(1, n):
            t = k / n
            out.append((float(xs[a] + (xs[b] - xs[a]) * t), float(ys[a] + (ys[b] - ys[a]) * t)))
    return out


def _boxes(labels: Sequence[pg.TextItem], spots: dict[int, tuple[tuple[float, float], tuple[float, float]]],
           sizes: Sequence[tuple[float, float]]) -> list[Box]:
    out: list[Box] = []
    for i in range(len(labels)):
        (ax, ay), (px, py) = spots[i]
        w, h = sizes[i]
        left, top = px - ax * w, py + ay * h  # pyqtgraph: y up; anchor y 0 = top edge at the point
        out.append((left, top - h, left + w, top))
    return out


def _clash(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place(labels: Sequence[pg.TextItem], texts: Sequence[str], bold: Sequence[bool], xs: np.ndarray, ys: np.ndarray,
          order: Sequence[int], frontier: Sequence[int], *, units: tuple[float, float], marker_px: float,
          bounds: Box) -> int:
    """Set each label's text, font and spot; returns the point size used (smaller when crowded)."""
    ux, uy = units
    r = (marker_px * ux, marker_px * uy)
    extra = _line_samples(xs, ys, list(frontier), (r[0] * 1.2, r[1] * 1.2))
    all_x = np.concatenate([xs, np.array([p[0] for p in extra], dtype=float)])
    all_y = np.concatenate([ys, np.array([p[1] for p in extra], dtype=float)])
    attempts = [(pt, False) for pt in SIZES] + [(pt, True) for pt in SIZES]
    for pt, wrap in attempts:
        for label, text, b in zip(labels, texts, bold, strict=True):
            label.setText(_wrap(text) if wrap else text)
            label.setFont(point_font(pt, b))
        sizes = [(lab.boundingRect().width() * ux, lab.boundingRect().height() * uy) for lab in labels]
        sizes_all = sizes + [(0.0, 0.0)] * len(extra)
        spots = choose_label_spots(all_x, all_y, sizes_all, order, r, bounds)
        boxes = _boxes(labels, spots, sizes)
        markers = [(float(x) - r[0], float(y) - r[1], float(x) + r[0], float(y) + r[1]) for x, y in zip(all_x, all_y, strict=True)]
        ok = all(not _clash(boxes[i], boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
        ok = ok and all(not _clash(boxes[i], m) for i in range(len(boxes)) for k, m in enumerate(markers) if k != i)
        ok = ok and all(bounds[0] <= bx[0] and bx[2] <= bounds[2] and bounds[1] <= bx[1] and bx[3] <= bounds[3] for bx in boxes)
        for i, (anchor, pos) in spots.items():
            if i < len(labels):
                labels[i].setAnchor(anchor)
                labels[i].setPos(*pos)
        if ok:
            return pt
    return SIZES[-1]


def _wrap(text: str) -> str:
    """Break a name near its middle space onto two lines."""
    words = text.split()
    if len(words) < 2:
        return text
    best = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def label_rects(labels: Sequence[pg.TextItem]) -> list[QRectF]:
    """Each label's drawn rectangle in scene pixels."""
    return [lab.mapRectToScene(lab.boundingRect()) for lab in labels]


def obstacle_rects(plot: pg.PlotItem, xs: Sequence[float], ys: Sequence[float], marker_px: float,
                   frontier: Sequence[int]) -> list[QRectF]:
    """Marker squares and frontier-line samples in scene pixels (the line sampled every 4 px)."""
    vb = plot.getViewBox()
    pts = [vb.mapViewToScene(pg.Point(float(x), float(y))) for x, y in zip(xs, ys, strict=True)]
    out = [QRectF(p.x() - marker_px, p.y() - marker_px, 2 * marker_px, 2 * marker_px) for p in pts]
    for a, b in zip(frontier, list(frontier)[1:], strict=False):
        pa, pb = pts[a], pts[b]
        n = max(2, int(max(abs(pb.x() - pa.x()), abs(pb.y() - pa.y())) / 4))
        for k in range(n + 1):
            t = k / n
            out.append(QRectF(pa.x() + (pb.x() - pa.x()) * t - 1.5, pa.y() + (pb.y() - pa.y()) * t - 1.5, 3, 3))
    return out
