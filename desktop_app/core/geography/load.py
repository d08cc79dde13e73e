"""Load a boundaries file for a force's areas: read, check, bring to EPSG:27700, match, simplify.

:func:`load_boundaries` returns the :class:`AreaShapes` (or None) and a list of
:class:`Problem`; the workbook reader files each as one finding (docs/maps.md#checks):

- the file cannot be read, the id field is absent, or no feature matches an area: error,
  on the ``boundaries_file`` row of Parameters;
- no CRS (a GeoPackage layer with an undefined srs, a Shapefile without ``.prj``, a GeoJSON
  whose coordinates are not longitude/latitude yet declares none) or one pyproj does not
  know or cannot bring to British National Grid: error, same place;
- a feature that is not a polygon: error, on the file and feature; an invalid polygon (a
  bow-tie, a self-touching ring): repaired with shapely's ``make_valid`` and a warning;
- a feature with no geometry or no id, an id twice (the parts are joined): warnings;
- boundaries with no area (a national file used for one force): one warning with the count;
- areas with no boundary: a warning each (capped), drawn as their point.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from desktop_app.core.area_shapes import AreaShapes
from desktop_app.core.geography.formats import BoundaryFileError, RawFeatures, read_features
from desktop_app.core.geography.proj_lock import PROJ_LOCK
from desktop_app.core.geography.shapes import area_shapes
from desktop_app.core.model import Level

#: Places a problem is reported: the boundaries_file parameter, the file's features, the Areas sheet.
PARAMETER, FILE, AREAS = "parameter", "file", "areas"

_POLYGONAL = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class Problem:
    """One finding about the boundaries; ``row`` is the feature number (FILE) or area index (AREAS)."""

    level: Level
    place: str
    row: int | None
    message: str
    rule: str | None = None


#: How files name British National Grid itself, recognised without asking PROJ.
_BNG_NAMES = {"epsg:27700", "urn:ogc:def:crs:epsg::27700", "http://www.opengis.net/def/crs/epsg/0/27700"}

def _crs_to_bng(crs_text: str) -> tuple[object | None, str | None, str]:
    """(transformer or None when already BNG, problem or None, CRS name)."""
    if crs_text.strip().lower() in _BNG_NAMES:
        return None, None, "EPSG:27700"
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        short = " ".join(crs_text.split())[:80]
        return None, (f"its CRS '{short}' is not one pyproj knows; export the boundaries in British National "
                      "Grid (EPSG:27700) or WGS84 (EPSG:4326)"), short
    name = f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else crs.name
    if crs.to_epsg() == 27700:
        return None, None, name
    try:
        return Transformer.from_crs(crs, CRS.from_epsg(27700), always_xy=True), None, name
    except CRSError as exc:
        return None, f"its CRS {name} cannot be converted to British National Grid ({exc})", name


#: Coordinates above which a conversion is split over two threads (PROJ's transform releases the GIL).
_SPLIT_COORDS = 500_000


def _to_bng(geoms: np.ndarray, transformer: object, crs_text: str) -> np.ndarray:
    """``geoms`` with every coordinate converted to British National Grid (already under PROJ_LOCK).

    National LSOAs in WGS84 have 5.5 million vertices, and converting them is 4 s of one
    core, the largest part of the load; with more than ``_SPLIT_COORDS`` coordinates the
    second half of the areas is converted on a second thread by its own transformer
    (pyproj's objects are not to be shared between threads; this one is made, used and
    dropped on that thread; PROJ and GEOS release Python's lock), so a laptop's second core
    halves the wait.
    """
    out = geoms.copy()
    present = np.array([g is not None for g in geoms], dtype=bool)
    if not present.any():
        return out
    arr = np.array(list(geoms[present]), dtype=object)
    counts = shapely.get_num_coordinates(arr)
    half = int(np.searchsorted(np.cumsum(counts), counts.sum() / 2)) if counts.sum() > _SPLIT_COORDS else len(arr)
    result: dict[str, np.ndarray] = {}

    def converted(part: np.ndarray, tr: object) -> np.ndarray:
        coords = shapely.get_coordinates(part)
        x, y = tr.transform(np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1]))  # type: ignore[attr-defined]
        return np.asarray(shapely.set_coordinates(part.copy(), np.column_stack([x, y])), dtype=object)

    def second_half() -> None:
        from pyproj import CRS, Transformer

        own = Transformer.from_crs(CRS.from_user_input(crs_text), CRS.from_epsg(27700), always_xy=True)
        result["b"] = converted(arr[half:], own)

    worker = threading.Thread(target=second_half, name="bng-transform") if half < len(arr) else None
    if worker is not None:
        worker.start()
    first = converted(arr[:half], transformer)
    if worker is not None:
        worker.join()
        if "b" not in result:
            raise BoundaryFileError("its coordinates could not be converted to British National Grid")
        first = np.concatenate([first, result["b"]])
    out[present] = first
    return out


def _repaired(g: object) -> object:
    """``make_valid`` keeping only the polygonal parts (a repair can leave stray lines or points)."""
    fixed = shapely.make_valid(g)
    if fixed.geom_type in _POLYGONAL:
        return fixed
    polys = [p for p in shapely.get_parts(fixed) if p.geom_type in _POLYGONAL]
    return shapely.union_all(np.array(polys, dtype=object)) if polys else None


def _check_geometries(raw: RawFeatures, problems: list[Problem]) -> np.ndarray:
    """Geometries with empty ones and non-polygons dropped (each a problem)."""
    geoms = raw.geometries.copy()
    for i, g in enumerate(geoms):
        label = _feature(raw, i)
        if g is None or g.is_empty:
            geoms[i] = None
            problems.append(Problem("warning", FILE, i + 1, f"{label} has no geometry; it is left out", "no geometry"))
        elif g.geom_type not in _POLYGONAL:
            geoms[i] = None
            problems.append(Problem("error", FILE, i + 1, f"{label} is a {g.geom_type}; area boundaries must be "
                                    "polygons (export the LSOA polygons, not their centroids or lines)", "not a polygon"))
    return geoms


def _not_finite(geoms: np.ndarray) -> list[int]:
    """Indices of geometries with a coordinate PROJ could not convert (inf), in one vectorised pass."""
    present = np.flatnonzero(np.array([g is not None for g in geoms], dtype=bool))
    if not len(present):
        return []
    coords, owner = shapely.get_coordinates(np.array(list(geoms[present]), dtype=object), return_index=True)
    wrong = ~np.isfinite(coords).all(axis=1)
    return present[np.unique(owner[wrong])].tolist()


def _is_valid(arr: np.ndarray) -> np.ndarray:
    """``shapely.is_valid`` over both cores for a large set (GEOS releases the GIL; 0.8 s for national LSOAs)."""
    if len(arr) < 2_000:
        return np.asarray(shapely.is_valid(arr), dtype=bool)
    half = len(arr) // 2
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="is-valid") as pool:
        second = pool.submit(shapely.is_valid, arr[half:])
        first = shapely.is_valid(arr[:half])
        return np.concatenate([first, second.result()]).astype(bool)


def _repair_invalid(raw: RawFeatures, geoms: np.ndarray, problems: list[Problem]) -> np.ndarray:
    """Invalid polygons repaired (each a warning): after the CRS conversion, which can itself
    turn a polygon whose rings nearly touch into one that crosses itself."""
    geoms = geoms.copy()
    present = np.array([g is not None for g in geoms], dtype=bool)
    valid = np.ones(len(geoms), dtype=bool)
    if present.any():
        valid[present] = _is_valid(np.array(list(geoms[present]), dtype=object))
    for k in np.flatnonzero(~valid).tolist():
        why = shapely.is_valid_reason(geoms[k])
        geoms[k] = _repaired(geoms[k])
        problems.append(Problem("warning", FILE, k + 1, f"{_feature(raw, k)} is not a valid polygon ({why}); "
                                "it was repaired (shapely make_valid): check it in a GIS", "invalid geometry"))
    return geoms


def _feature(raw: RawFeatures, i: int) -> str:
    ident = raw.ids[i]
    return f"feature {i + 1}" + (f" ('{ident[:40]}')" if ident else "")


def _lonlat_out_of_range(geoms: np.ndarray) -> bool:
    present = [g for g in geoms if g is not None]
    if not present:
        return False
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(present, dtype=object))
    return bool(minx < -180 or maxx > 180 or miny < -90 or maxy > 90)


def load_boundaries(path: Path, id_field: str, area_ids: Sequence[object], districts: Sequence[object],
                    siblings: dict[str, Path] | None = None) -> tuple[AreaShapes | None, list[Problem]]:
    """Read ``path`` and match it to the areas (``area_ids`` in the Areas sheet's order)."""
    problems: list[Problem] = []

    def fail(message: str) -> tuple[None, list[Problem]]:
        problems.append(Problem("error", PARAMETER, None, message))
        return None, problems

    try:
        raw = read_features(path, id_field, siblings)
    except BoundaryFileError as exc:
        return fail(str(exc))
    except (OSError, MemoryError) as exc:
        return fail(f"it cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__})")
    problems += [Problem("warning", PARAMETER, None, n) for n in raw.notes]
    if raw.id_field_missing:
        shown = ", ".join(raw.fields[:12]) + (", ..." if len(raw.fields) > 12 else "")
        return fail(f"its features have no field '{id_field}' (fields: {shown or 'none'}); set "
                    "boundaries_id_field to the field holding each area's area_id")
    if len(raw.ids) == 0:
        return fail("it holds no features")
    if raw.crs is None:
        how = "no .prj file beside it" if raw.format == "Shapefile" else "an undefined CRS"
        return fail(f"it declares no coordinate reference system ({how}); export it with its CRS "
                    "(British National Grid, EPSG:27700, or WGS84, EPSG:4326)")
    geoms = _check_geometries(raw, problems)
    if raw.crs_assumed and _lonlat_out_of_range(geoms):
        return fail("it is GeoJSON with no 'crs' member, so it is read as WGS84 longitude/latitude (RFC 7946), "
                    "but its coordinates are not longitude/latitude; export it as WGS84 or add its crs")
    with PROJ_LOCK:
        transformer, crs_problem, crs_name = _crs_to_bng(raw.crs)
        if transformer is not None:
            geoms = _to_bng(geoms, transformer, raw.crs)
        del transformer  # made, used and dropped under the lock, on this thread
    if crs_problem:
        return fail(crs_problem)
    if crs_name != "EPSG:27700":
        bad = _not_finite(geoms)
        if bad:
            return fail(f"{_feature(raw, bad[0])} and {len(bad) - 1} more fall outside what {crs_name} can "
                        "convert to British National Grid; check the file's CRS")
    geoms = _repair_invalid(raw, geoms, problems)
    matched = _match(raw, geoms, area_ids, problems)
    if matched is None:
        return None, problems
    return area_shapes(path.name, crs_name, matched, districts), problems


def _match(raw: RawFeatures, geoms: np.ndarray, area_ids: Sequence[object],
           problems: list[Problem]) -> np.ndarray | None:
    """Per area, its geometry (None: no boundary); duplicates joined, strays counted."""
    index = {str(a): i for i, a in enumerate(area_ids) if a is not None}
    per_area: list[list[object]] = [[] for _ in area_ids]
    stray: list[str] = []
    for i, (ident, g) in enumerate(zip(raw.ids, geoms, strict=True)):
        if ident is None:
            problems.append(Problem("warning", FILE, i + 1, f"feature {i + 1} has no value in the id field; "
                                    "it is left out", "no id"))
        elif ident not in index:
            stray.append(ident)
        elif g is not None:
            per_area[index[ident]].append(g)
    if stray and len(stray) == sum(1 for x in raw.ids if x is not None):
        example = next(iter(index), "")
        problems.append(Problem("error", PARAMETER, None, f"none of its {len(stray):,} features' ids matches an area_id (the file has "
                     f"e.g. '{stray[0][:40]}', the Areas sheet e.g. '{example[:40]}'); check boundaries_id_field"))
        return None
    if stray:
        shown = ", ".join(f"'{s[:20]}'" for s in stray[:3])
        problems.append(Problem("warning", PARAMETER, None, f"{len(stray):,} of its boundaries have no area in the "
                                f"Areas sheet (e.g. {shown}); they are left out"))
    out = np.empty(len(area_ids), dtype=object)
    for a, parts in enumerate(per_area):
        if len(parts) > 1:
            problems.append(Problem("warning", AREAS, a, f"area '{area_ids[a]}' has {len(parts)} boundaries in the "
                                    "file; they were joined into one", "boundary twice"))
            out[a] = shapely.union_all(np.array(parts, dtype=object))
        elif parts:
            out[a] = parts[0]
        else:
            problems.append(Problem("warning", AREAS, a, f"area '{area_ids[a]}' has no boundary in the boundaries "
                                    "file; it is drawn and exported as its point", "no boundary"))
    return out

