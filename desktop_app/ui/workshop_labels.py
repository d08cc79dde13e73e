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

#: Directions tried round a marker (degrees, y up): the shared placer's right, above,
#: below and left first, then the diagonals and between; at one, two and three and a
#: half marker radii out.
ANGLES = (0, 90, 270, 180, 45, 135, 315, 225, 30, 150, 330, 210, 60, 120, 300, 240)
DISTANCES = (1.0, 2.0, 3.5)

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


def _ring_spots(xs: np.ndarray, ys: np.ndarray, sizes: Sequence[tuple[float, float]], order: Sequence[int],
                r: tuple[float, float], bounds: Box, n_labels: int) -> dict[int, tuple[tuple[float, float], tuple[float, float]]]:
    """Greedy placement over many spots round each marker: fewest clashes, then nearest, then first direction."""
    import math

    markers = [(float(x) - r[0], float(y) - r[1], float(x) + r[0], float(y) + r[1]) for x, y in zip(xs, ys, strict=True)]
    placed: list[Box] = []
    spots: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}
    for i in order:
        w, h = sizes[i]
        cx, cy = float(xs[i]), float(ys[i])
        best: tuple[int, int, int, tuple[float, float], tuple[float, float], Box] | None = None
        for di, d in enumerate(DISTANCES):
            for ai, deg in enumerate(ANGLES):
                c, sn = math.cos(math.radians(deg)), math.sin(math.radians(deg))
                anchor = ((1 - c) / 2, (1 + sn) / 2)
                pos = (cx + d * r[0] * c, cy + d * r[1] * sn)
                left, top = pos[0] - anchor[0] * w, pos[1] + anchor[1] * h
                box = (left, top - h, left + w, top)
                hits = sum(_clash(box, q) for q in placed) + sum(_clash(box, m) for m in markers)  # its own too
                if not (bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]):
                    hits += 10
                hits += _ambiguous(box, i, xs, ys, n_labels, r)
                key = (hits, di, ai)
                if best is None or key < best[:3]:
                    best = (hits, di, ai, anchor, pos, box)
        assert best is not None
        placed.append(best[5])
        spots[i] = (best[3], best[4])
    return spots


def _boxes(labels: Sequence[pg.TextItem], spots: dict[int, tuple[tuple[float, float], tuple[float, float]]],
           sizes: Sequence[tuple[float, float]]) -> list[Box]:
    out: list[Box] = []
    for i in range(len(labels)):
        (ax, ay), (px, py) = spots[i]
        w, h = sizes[i]
        left, top = px - ax * w, py + ay * h  # pyqtgraph: y up; anchor y 0 = top edge at the point
        out.append((left, top - h, left + w, top))
    return out


def _count(labels: Sequence[pg.TextItem], spots: dict[int, tuple[tuple[float, float], tuple[float, float]]],
           sizes: Sequence[tuple[float, float]], xs: np.ndarray, ys: np.ndarray, r: tuple[float, float],
           bounds: Box) -> int:
    """Clashes of the labels at ``spots``: with each other, with markers and line samples, and with the edges."""
    boxes = _boxes(labels, spots, sizes)
    markers = [(float(x) - r[0], float(y) - r[1], float(x) + r[0], float(y) + r[1]) for x, y in zip(xs, ys, strict=True)]
    n = sum(_clash(boxes[i], boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
    # every marker, the label's own too: a name printed into its own marker ("Hybrid" on
    # the 1024x768 projector) reads as touching it
    n += sum(_clash(boxes[i], m) for i in range(len(boxes)) for m in markers)
    n += sum(not (bounds[0] <= b[0] and b[2] <= bounds[2] and bounds[1] <= b[1] and b[3] <= bounds[3]) for b in boxes)
    n += sum(_ambiguous(b, i, xs, ys, len(boxes), r) for i, b in enumerate(boxes))
    return n


def _gap(box: Box, x: float, y: float, r: tuple[float, float]) -> float:
    """Distance from a point to a box, in marker radii (so both axes count alike on screen)."""
    dx = max(box[0] - x, 0.0, x - box[2]) / r[0]
    dy = max(box[1] - y, 0.0, y - box[3]) / r[1]
    return float((dx * dx + dy * dy) ** 0.5)


def _ambiguous(box: Box, own: int, xs: np.ndarray, ys: np.ndarray, n_points: int, r: tuple[float, float]) -> bool:
    """True when another option's marker is nearer the label than its own: the room would misread it."""
    mine = _gap(box, float(xs[own]), float(ys[own]), r)
    return any(_gap(box, float(xs[k]), float(ys[k]), r) + 0.5 < mine for k in range(n_points) if k != own)


def _clash(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _set_text(labels: Sequence[pg.TextItem], texts: Sequence[str], bold: Sequence[bool], pt: int, wrap: bool) -> None:
    """Text and font of each label, touched only when they change (a TextItem re-lays out on every set)."""
    for label, text, b in zip(labels, texts, bold, strict=True):
        want = _wrap(text) if wrap else text
        if label.toPlainText() != want:
            label.setText(want)
        font = point_font(pt, b)
        if label.textItem.font() != font:
            label.setFont(font)


def place(labels: Sequence[pg.TextItem], texts: Sequence[str], bold: Sequence[bool], xs: np.ndarray, ys: np.ndarray,
          order: Sequence[int], frontier: Sequence[int], *, units: tuple[float, float], marker_px: float,
          bounds: Box, memory: dict[str, object] | None = None, search: bool = True) -> bool:
    """Set each label's text, font and spot; True when every label is clear of the others,
    every marker and the line, inside ``bounds`` (else the least crowded try is left drawn).

    ``memory`` (a dict the caller keeps) holds the last clear placement as each label's
    spot relative to its marker: a slider move shifts the points a little, so that is
    tried first and the search (tens of milliseconds) runs only when it no longer fits.
    With ``search`` False the remembered placement is drawn even if it clashes (the caller
    found no clear one at this chart size and does not search again on every move).
    """
    ux, uy = units
    r = (marker_px * ux, marker_px * uy)
    extra = _line_samples(xs, ys, list(frontier), (r[0] * 1.2, r[1] * 1.2))
    all_x = np.concatenate([xs, np.array([p[0] for p in extra], dtype=float)])
    all_y = np.concatenate([ys, np.array([p[1] for p in extra], dtype=float)])
    n = len(labels)

    def measure() -> list[tuple[float, float]]:
        return [(lab.boundingRect().width() * ux, lab.boundingRect().height() * uy) for lab in labels]

    def draw(spots: dict[int, tuple[tuple[float, float], tuple[float, float]]]) -> None:
        for i, (anchor, pos) in spots.items():
            if i < n:
                labels[i].setAnchor(anchor)
                labels[i].setPos(*pos)
                labels[i].setVisible(True)

    def remember(pt: int, wrap: bool, spots: dict[int, tuple[tuple[float, float], tuple[float, float]]]) -> None:
        if memory is not None:
            memory.clear()
            memory.update(pt=pt, wrap=wrap, n=n, offsets={
                i: (a, ((p[0] - float(xs[i])) / r[0], (p[1] - float(ys[i])) / r[1])) for i, (a, p) in spots.items() if i < n})

    if memory and memory.get("n") == n:
        pt, wrap = int(memory["pt"]), bool(memory["wrap"])  # type: ignore[call-overload]
        _set_text(labels, texts, bold, pt, wrap)
        offsets: dict[int, tuple[tuple[float, float], tuple[float, float]]] = memory["offsets"]  # type: ignore[assignment]
        spots = {i: (a, (float(xs[i]) + o[0] * r[0], float(ys[i]) + o[1] * r[1])) for i, (a, o) in offsets.items()}
        clear = not _count(labels, spots, measure(), all_x, all_y, r, bounds)
        if clear or not search:
            draw(spots)
            if not clear:
                _hide_clashing(labels, spots, measure(), order, all_x, all_y, r, bounds)
            return clear
    attempts = [(pt, False) for pt in SIZES] + [(pt, True) for pt in SIZES]
    best: tuple[int, int, bool] | None = None
    for pt, wrap in attempts + [(-1, False)]:
        if pt < 0:  # none was clear: draw the least crowded again
            assert best is not None
            _, pt, wrap = best
        _set_text(labels, texts, bold, pt, wrap)
        sizes = measure()
        sizes_all = sizes + [(0.0, 0.0)] * len(extra)
        spots = choose_label_spots(all_x, all_y, sizes_all, order, r, bounds)
        if _count(labels, spots, sizes, all_x, all_y, r, bounds):  # the shared placer's six spots are not enough
            # more spots round each marker, and the points taken in other orders (most
            # valuable first, then left to right, right to left, bottom to top): the first clear one wins
            orders = [list(order), sorted(range(n), key=lambda k: xs[k]), sorted(range(n), key=lambda k: -xs[k]),
                      sorted(range(n), key=lambda k: ys[k])]
            tried = [_ring_spots(all_x, all_y, sizes_all, o, r, bounds, n) for o in orders]
            spots = min(tried, key=lambda sp: _count(labels, sp, sizes, all_x, all_y, r, bounds))
        clashes = _count(labels, spots, sizes, all_x, all_y, r, bounds)
        draw(spots)
        if clashes == 0:
            remember(pt, wrap, spots)
            return True
        if best is None or clashes < best[0]:
            best = (clashes, pt, wrap)
        if pt == best[1] and wrap == best[2]:
            remember(pt, wrap, spots)  # the least crowded so far, for moves that do not search again
    _hide_clashing(labels, spots, measure(), order, all_x, all_y, r, bounds)
    return False


def _hide_clashing(labels: Sequence[pg.TextItem], spots: dict[int, tuple[tuple[float, float], tuple[float, float]]],
                   sizes: Sequence[tuple[float, float]], order: Sequence[int], xs: np.ndarray, ys: np.ndarray,
                   r: tuple[float, float], bounds: Box) -> None:
    """Where no placement is clear, hide each label that would still overprint another or
    stand on another's marker, the most valuable options' labels kept first.

    Seven options at 1366 px had "Hybrid: ..." printed across "Arm rural response
    officers"; a hidden label's marker is still named by its colour in the options key
    under the chart, and filled or hollow says whether it is on the frontier.
    """
    n = len(labels)
    boxes = _boxes(labels, spots, sizes)
    kept: list[int] = []
    for i in order:
        if i >= n:
            continue
        b = boxes[i]
        others = [(float(xs[k]) - r[0], float(ys[k]) - r[1], float(xs[k]) + r[0], float(ys[k]) + r[1])
                  for k in range(n) if k != i]  # markers, not the frontier line's samples
        inside = bounds[0] <= b[0] and b[2] <= bounds[2] and bounds[1] <= b[1] and b[3] <= bounds[3]
        ok = inside and not any(_clash(b, boxes[k]) for k in kept) and not any(_clash(b, m) for m in others)
        labels[i].setVisible(ok)
        if ok:
            kept.append(i)


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
