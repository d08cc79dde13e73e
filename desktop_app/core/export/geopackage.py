"""The GeoPackage of ``armed-options map`` (docs/maps.md#the-geopackage): layers ``areas`` and ``sites``.

``areas`` has one feature per area: its boundary from ``boundaries_file`` (the original,
unsimplified geometry, as a MultiPolygon), else its point at (easting, northing), with
``area_id``, ``area_name``, ``district``, ``population``, ``rurality`` and, per option,
``<option_id>_coverage`` (F_ah(T), the chance a free armed unit arrives within target,
averaged over the week's hours with the workbook's hour weights: the Coverage sheet's
"expected cover") and ``<option_id>_median_minutes`` (the median over the week's hours of
the response if every unit were free: the Coverage sheet's "median response"; empty when
no unit is ever on duty). The full version adds ``threat_index``; ``public`` leaves it out,
as the summary's public version does (:mod:`public`). ``sites`` has one point per site.
Everything is EPSG:27700; the protective marking heads each layer's description.
"""

from __future__ import annotations

import math
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import shapely

from desktop_app.core._io.atomic import atomic_write_bytes
from desktop_app.core.geography.gpkg import LayerToWrite, geopackage_bytes
from desktop_app.core.model import ForceInputs
from desktop_app.core.results import CoverageResult
from desktop_app.core.shown import finite_or_none
from desktop_app.core.workbook import schema


def _text(x: object) -> str | None:
    return None if x is None or (isinstance(x, float) and x != x) else str(x)


def marking(inputs: ForceInputs, public: bool) -> str:
    p = inputs.parameters
    return (p.public_marking or schema.default("public_marking")) if public else (
        p.protective_marking or schema.default("protective_marking"))


def _area_geometries(inputs: ForceInputs) -> tuple[list[object | None], str]:
    """Per area the geometry to write and the layer's geometry type name."""
    shapes = inputs.boundaries
    east = inputs.areas["easting"].to_numpy(np.float64)
    north = inputs.areas["northing"].to_numpy(np.float64)
    geoms: list[object | None] = []
    kinds = set()
    for i in range(len(inputs.areas)):
        if shapes is not None and shapes.has_boundary(i):
            g = shapely.from_wkb(shapes.original_wkb[i])
            geoms.append(g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]))
            kinds.add("MULTIPOLYGON")
        elif math.isfinite(east[i]) and math.isfinite(north[i]):
            geoms.append(shapely.Point(east[i], north[i]))
            kinds.add("POINT")
        else:
            geoms.append(None)
    return geoms, (kinds.pop() if len(kinds) == 1 else "GEOMETRY")


#: Areas named in the line on the areas written without a geometry, before "and N more".
NAMED_WITHOUT_GEOMETRY = 5


def areas_in_words(inputs: ForceInputs) -> str:
    """How the ``areas`` layer holds the areas, for the command's line (docs/maps.md#the-geopackage):
    "989 areas as boundaries", "39 areas as points (no boundaries_file), 1 without a point
    (no easting/northing, a NULL geometry): A4". An area with neither a boundary nor both
    coordinates is valid when all its travel times are given, and is written with a NULL
    geometry: it is counted apart, not among the points."""
    geoms, _kind = _area_geometries(inputs)
    shapes = inputs.boundaries
    drawn = sum(g is not None for g in geoms)
    boundary = 0 if shapes is None else sum(shapes.has_boundary(i) for i in range(len(geoms)))
    points = drawn - boundary
    as_points = "as a point" if points == 1 else "as points"
    if shapes is None:
        parts = [f"{points:,} area{'s' if points != 1 else ''} {as_points} (no boundaries_file)"]
    else:
        parts = [f"{boundary:,} area{'s' if boundary != 1 else ''} as boundaries"]
        if points:
            parts.append(f"{points:,} {as_points} (no boundary)")
    missing = [str(a) for a, g in zip(inputs.areas["area_id"], geoms, strict=True) if g is None]
    if missing:
        shown = ", ".join(missing[:NAMED_WITHOUT_GEOMETRY])
        more = f" and {len(missing) - NAMED_WITHOUT_GEOMETRY:,} more" if len(missing) > NAMED_WITHOUT_GEOMETRY else ""
        what = "point" if shapes is None else "boundary or point"
        parts.append(f"{len(missing):,} without a {what} (no easting/northing, a NULL geometry): {shown}{more}")
    return ", ".join(parts)


def _wkb_and_boxes(geoms: list[object | None]) -> tuple[list[bytes | None], list[tuple[float, float, float, float] | None]]:
    wkb = [None if g is None else bytes(shapely.to_wkb(g, flavor="iso")) for g in geoms]
    boxes = [None if g is None else tuple(float(v) for v in shapely.bounds(g)) for g in geoms]
    return wkb, boxes  # type: ignore[return-value]  # bounds is always four floats


def areas_layer(inputs: ForceInputs, coverage: CoverageResult, public: bool) -> LayerToWrite:
    areas = inputs.areas
    columns: list[tuple[str, str]] = [("area_id", "TEXT"), ("area_name", "TEXT"), ("district", "TEXT"),
                                      ("population", "INTEGER"), ("rurality", "TEXT")]
    if not public:
        columns.append(("threat_index", "REAL"))
    values: list[list[object]] = [
        [_text(a), _text(n), _text(d), None if p is None or p != p else int(p), _text(r)]
        for a, n, d, p, r in zip(areas["area_id"], areas["area_name"], areas["district"], areas["population"],
                                 areas["rurality"], strict=True)]
    if not public:
        for row, t in zip(values, coverage.threat_index, strict=True):
            row.append(finite_or_none(t))
    for oid in coverage.option_ids:
        frame = coverage.per_area[oid]
        columns += [(f"{oid}_coverage", "REAL"), (f"{oid}_median_minutes", "REAL")]
        for row, c, m in zip(values, frame["expected_cover"], frame["median_response_minutes"], strict=True):
            row += [finite_or_none(c), finite_or_none(m)]
    geoms, kind = _area_geometries(inputs)
    wkb, boxes = _wkb_and_boxes(geoms)
    where = "boundaries" if inputs.boundaries is not None else "points"
    desc = (f"{marking(inputs, public)}. {inputs.parameters.force_name}: areas ({where}) with each option's cover "
            f"within {coverage.target_minutes:g} minutes (armed-options map)")
    return LayerToWrite("areas", kind, columns, values, wkb, boxes, desc)


def sites_layer(inputs: ForceInputs, public: bool) -> LayerToWrite:
    sites = inputs.sites
    used: dict[str, list[str]] = {}
    for oid, sid in zip(inputs.deployments["option_id"], inputs.deployments["site_id"], strict=True):
        used.setdefault(str(sid), [])
        if str(oid) not in used[str(sid)]:
            used[str(sid)].append(str(oid))
    geoms: list[object | None] = []
    rows: list[list[object]] = []
    for sid, name, kind, e, n in zip(sites["site_id"], sites["site_name"], sites["site_type"], sites["easting"],
                                     sites["northing"], strict=True):
        ok = finite_or_none(e) is not None and finite_or_none(n) is not None
        geoms.append(shapely.Point(float(e), float(n)) if ok else None)
        rows.append([_text(sid), _text(name), _text(kind), ", ".join(used.get(str(sid), [])) or None])
    wkb, boxes = _wkb_and_boxes(geoms)
    columns = [("site_id", "TEXT"), ("site_name", "TEXT"), ("site_type", "TEXT"), ("used_by_options", "TEXT")]
    desc = f"{marking(inputs, public)}. {inputs.parameters.force_name}: sites (armed-options map)"
    return LayerToWrite("sites", "POINT", columns, rows, wkb, boxes, desc)


def write_geopackage(inputs: ForceInputs, coverage: CoverageResult, path: str | os.PathLike[str], *,
                     public: bool = False, when: datetime | None = None) -> Path:
    """Write the map GeoPackage atomically (built in memory, then one replace)."""
    data = geopackage_bytes([areas_layer(inputs, coverage, public), sites_layer(inputs, public)], when)
    return atomic_write_bytes(path, data)
