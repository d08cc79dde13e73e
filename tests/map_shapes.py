"""Synthetic area boundaries for the map's tests, benchmarks and screenshots.

The real reader (core/geography, docs/maps.md) fills ``ForceInputs.boundaries`` from a
workbook's boundaries file; these helpers build :class:`AreaShapes` directly:

- :func:`grid_shapes`: n squares on a grid (the national benchmark's 35,672 areas);
- :func:`voronoi_shapes`: the Voronoi cells of the areas' centroids, clipped to a
  circle around them, with each district's outline made by dissolving its cells
  (edges two cells of one district share are dropped; the rest are chained into rings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from desktop_app.core.area_shapes import AreaShapes


def square(x: float, y: float, side: float) -> np.ndarray:
    return np.array([[x, y], [x + side, y], [x + side, y + side], [x, y + side]], dtype=float)


def grid_shapes(n: int, spacing: float = 1000.0, side: float = 900.0, origin: tuple[float, float] = (0.0, 0.0),
                districts_across: int = 0) -> AreaShapes:
    """n squares of ``side`` metres laid out ``spacing`` apart in a near-square grid.

    With ``districts_across`` = k > 0 the grid is also cut into k x k block districts.
    """
    across = int(np.ceil(np.sqrt(n)))
    x0, y0 = origin
    display = tuple((
        [square(x0 + (i % across) * spacing, y0 + (i // across) * spacing, side)],) for i in range(n))
    districts: dict[str, tuple[list[np.ndarray], ...]] = {}
    labels: dict[str, tuple[float, float]] = {}
    if districts_across:
        block = across * spacing / districts_across
        for r in range(districts_across):
            for c in range(districts_across):
                name = f"District {r * districts_across + c + 1}"
                districts[name] = ([square(x0 + c * block, y0 + r * block, block)],)
                labels[name] = (x0 + (c + 0.5) * block, y0 + (r + 0.5) * block)
    return AreaShapes(source="grid (test)", crs="EPSG:27700", display=display, original_wkb=(b"",) * n,
                      districts=districts, district_labels=labels)


def _clip(poly: np.ndarray, clip: np.ndarray) -> np.ndarray:
    """Sutherland-Hodgman: convex ``poly`` clipped to convex counter-clockwise ``clip``."""
    out = poly
    for i in range(len(clip)):
        a, b = clip[i], clip[(i + 1) % len(clip)]
        if len(out) == 0:
            break
        inside = (b[0] - a[0]) * (out[:, 1] - a[1]) - (b[1] - a[1]) * (out[:, 0] - a[0]) >= 0
        kept: list[np.ndarray] = []
        for j in range(len(out)):
            p, q = out[j], out[(j + 1) % len(out)]
            pin, qin = inside[j], inside[(j + 1) % len(out)]
            if pin:
                kept.append(p)
            if pin != qin:
                d = q - p
                denom = (b[0] - a[0]) * d[1] - (b[1] - a[1]) * d[0]
                t = ((b[0] - a[0]) * (a[1] - p[1]) - (b[1] - a[1]) * (a[0] - p[0])) / denom
                kept.append(p + t * d)
        out = np.array(kept) if kept else np.zeros((0, 2))
    return out


def _rings(edges: list[tuple[tuple[float, float], tuple[float, float]]]) -> list[np.ndarray]:
    """Chain undirected edges (each vertex used by two of them) into closed rings."""
    nbrs: dict[tuple[float, float], list[tuple[float, float]]] = defaultdict(list)
    for a, b in edges:
        nbrs[a].append(b)
        nbrs[b].append(a)
    seen: set[frozenset[tuple[float, float]]] = set()
    rings: list[np.ndarray] = []
    for a, b in edges:
        if frozenset((a, b)) in seen:
            continue
        ring, prev, cur = [a], a, b
        seen.add(frozenset((a, b)))
        while cur != a:
            ring.append(cur)
            nxt = next((n for n in nbrs[cur] if n != prev and frozenset((cur, n)) not in seen), None)
            if nxt is None:
                break
            seen.add(frozenset((cur, nxt)))
            prev, cur = cur, nxt
        if len(ring) >= 3:
            rings.append(np.array(ring, dtype=float))
    return rings


def voronoi_shapes(easting: np.ndarray, northing: np.ndarray, districts: Sequence[str],
                   margin: float = 2500.0) -> AreaShapes:
    """Voronoi cells of the centroids, clipped to a 64-sided circle ``margin`` beyond them."""
    from scipy.spatial import Voronoi

    pts = np.column_stack([np.asarray(easting, float), np.asarray(northing, float)])
    centre = pts.mean(axis=0)
    radius = float(np.hypot(*(pts - centre).T).max()) + margin
    angle = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    clip = centre + radius * np.column_stack([np.cos(angle), np.sin(angle)])
    far = centre + 4 * radius * np.column_stack([np.cos(angle[::8]), np.sin(angle[::8])])
    vor = Voronoi(np.vstack([pts, far]))
    cells: list[np.ndarray] = []
    for i in range(len(pts)):
        region = vor.regions[vor.point_region[i]]
        cell = vor.vertices[region]
        cells.append(np.round(_clip(cell, clip), 3))
    display = tuple(([c],) for c in cells)
    by_district: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(districts):
        by_district[str(d)].append(i)
    outlines: dict[str, tuple[list[np.ndarray], ...]] = {}
    labels: dict[str, tuple[float, float]] = {}
    for name, members in by_district.items():
        count: dict[frozenset[tuple[float, float]], int] = defaultdict(int)
        first: dict[frozenset[tuple[float, float]], tuple[tuple[float, float], tuple[float, float]]] = {}
        for i in members:
            c = [tuple(v) for v in cells[i].tolist()]
            for j in range(len(c)):
                key = frozenset((c[j], c[(j + 1) % len(c)]))
                count[key] += 1
                first.setdefault(key, (c[j], c[(j + 1) % len(c)]))  # type: ignore[arg-type]
        edges = [first[k] for k, n in count.items() if n == 1 and len(k) == 2]
        outlines[name] = tuple([r] for r in _rings(edges))
        member_pts = pts[members]
        labels[name] = (float(np.median(member_pts[:, 0])), float(np.median(member_pts[:, 1])))
    return AreaShapes(source="voronoi (test)", crs="EPSG:27700", display=display, original_wkb=(b"",) * len(pts),
                      districts=outlines, district_labels=labels)
