"""From matched geometries to :class:`AreaShapes`: simplify for display, dissolve districts, rings as arrays.

Display outlines are simplified once, at load (Douglas-Peucker, shapely's ``simplify``; see
:func:`_simplified`), with a tolerance of 1/10,000 of the areas' extent: about
70 m for the whole of England and Wales (700 km), 8 m for a county, well under a pixel until
the map is zoomed in tenfold (docs/maps.md#display-outlines). The originals are kept as WKB
for the GeoPackage export. Districts are the union of their areas' original boundaries,
simplified the same way, labelled at a point inside each (``representative_point``).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
import shapely.errors

from desktop_app.core.area_shapes import AreaShapes, Polygon

#: Display tolerance as a share of the larger side of the areas' bounding box.
TOLERANCE_SHARE = 1e-4


def display_tolerance(geoms: np.ndarray) -> float:
    """Simplification tolerance in metres for these geometries (0 when there are none)."""
    present = [g for g in geoms if g is not None]
    if not present:
        return 0.0
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(present, dtype=object))
    return float(max(maxx - minx, maxy - miny)) * TOLERANCE_SHARE


def polygons_of(geoms: Sequence[object]) -> tuple[tuple[Polygon, ...], ...]:
    """Each geometry (Polygon, MultiPolygon or None) as polygons of (n, 2) ring arrays, exterior first.

    Vectorised through shapely's parts, rings and coordinates (one pass each), so 35,672
    LSOAs take well under a second rather than a Python loop over every ring's coords.
    """
    arr = np.array([g if g is not None else shapely.Polygon() for g in geoms], dtype=object)
    parts, part_owner = shapely.get_parts(arr, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(coord_ring, minlength=len(rings))
    pieces = np.split(coords, np.cumsum(counts)[:-1]) if len(rings) else []
    per_part: list[list[np.ndarray]] = [[] for _ in range(len(parts))]
    for ring, part in zip(pieces, ring_part.tolist(), strict=True):
        per_part[part].append(ring)
    per_area: list[list[Polygon]] = [[] for _ in range(len(arr))]
    for part_rings, owner in zip(per_part, part_owner.tolist(), strict=True):
        if part_rings:
            per_area[owner].append(part_rings)
    return tuple(tuple(p) for p in per_area)


def _simplified(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Plain Douglas-Peucker, then the topology-preserving simplifier for any that came out empty or invalid.

    Measured on 35,672 national-sized polygons (5.5 million vertices): plain Douglas-Peucker
    0.2 s, with a handful collapsing to nothing; topology-preserving for every polygon 6.3 s;
    GEOS's coverage simplification (shared edges kept identical) 12.9 s. Neither of the
    per-polygon methods keeps neighbours' shared edges identical, so preserving each
    polygon's topology buys little for drawing; redoing only the few that collapse or cross
    themselves keeps every area drawable at the plain method's speed (docs/maps.md#display-outlines).
    """
    out = shapely.simplify(geoms, tolerance, preserve_topology=False)
    bad = shapely.is_empty(out) | ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.simplify(geoms[bad], tolerance, preserve_topology=True)
    return out


def simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Display copies (None stays None), no ring collapsed or crossing itself."""
    out = np.empty(len(geoms), dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    if present.any():
        out[present] = _simplified(np.array(list(geoms[present]), dtype=object), tolerance)
    return out


def _union(parts: np.ndarray) -> object | None:
    """The union of one district's areas: GEOS's coverage union (ten times faster: areas tile a
    district edge to edge), checked, else the general union (areas that overlap or leave gaps)."""
    try:
        merged = shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        merged = None
    total = float(shapely.area(parts).sum())
    if merged is None or not merged.is_valid or abs(merged.area - total) > 1e-6 * max(total, 1.0):
        try:
            merged = shapely.union_all(parts)
        except shapely.errors.GEOSException:  # robustness failure: snap to a centimetre grid and retry
            try:
                merged = shapely.union_all(shapely.make_valid(parts), grid_size=0.01)
            except shapely.errors.GEOSException:
                return None  # the district is drawn without its outline; the areas are unaffected
    return merged


def dissolve(geoms: np.ndarray, districts: Sequence[object], tolerance: float
             ) -> tuple[dict[str, tuple[Polygon, ...]], dict[str, tuple[float, float]]]:
    """District outlines (the union of their areas, simplified) and a label point inside each."""
    groups: dict[str, list[object]] = {}
    for g, d in zip(geoms, districts, strict=True):
        if g is not None and isinstance(d, str) and d.strip():
            groups.setdefault(d, []).append(g)
    names = list(groups)
    if not names:
        return {}, {}
    unions = {n: _union(np.array(groups[n], dtype=object)) for n in names}
    names = [n for n in names if unions[n] is not None and not unions[n].is_empty]  # type: ignore[attr-defined]
    if not names:
        return {}, {}
    merged = np.array([unions[n] for n in names], dtype=object)
    outline = _simplified(merged, tolerance)
    labels = shapely.get_coordinates(shapely.point_on_surface(merged))
    polys = polygons_of(list(outline))
    return ({n: p for n, p in zip(names, polys, strict=True)},
            {n: (float(x), float(y)) for n, (x, y) in zip(names, labels, strict=True)})


def area_shapes(source: str, crs: str, geoms: np.ndarray, districts: Sequence[object]) -> AreaShapes:
    """The :class:`AreaShapes` of per-area geometries in EPSG:27700 (None: that area has no boundary)."""
    tol = display_tolerance(geoms)
    # The districts' dissolve (2 s of GEOS for national LSOAs, which releases the GIL) runs on a
    # second thread while this one simplifies the areas and keeps their originals: a laptop's
    # second core takes that much off the load.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dissolve") as pool:
        districts_done = pool.submit(dissolve, geoms, districts, tol)
        display = polygons_of(list(simplify(geoms, tol)))
        # One vectorised call (a call per area cost 1.2 s of the national load); None gives None.
        wkb = tuple(b"" if w is None else bytes(w)
                    for w in shapely.to_wkb(np.asarray(geoms, dtype=object), flavor="iso"))
        outlines, labels = districts_done.result()
    return AreaShapes(source=source, crs=crs, display=display, original_wkb=wkb,
                      districts=outlines, district_labels=labels, tolerance_m=tol)
