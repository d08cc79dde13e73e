"""Reading the features of a boundaries file: GeoPackage, GeoJSON or Shapefile (docs/maps.md#the-file).

Each reader returns :class:`RawFeatures`: the id field's value and the geometry (shapely,
in the file's own CRS) per feature, and the CRS the file declares. GeoPackage is read with
sqlite3 (:mod:`gpkg`), GeoJSON by :mod:`geojson_read` (json for the rest), Shapefile with pyshp (pure Python, reading the
``.prj`` beside it for the CRS). No GDAL (pyogrio, fiona): the frozen build must stay under
350 MB (docs/packaging.md). A file that cannot be read raises :class:`BoundaryFileError`
with the reason, which the caller puts on the parameter's row.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
import shapely.geometry
from shapely.errors import GEOSException

from desktop_app.core.geography import geojson_read
from desktop_app.core.geography.gpkg import GeoPackageError, read_layer

#: Largest boundaries file read (ONS's full-resolution national LSOAs are about 800 MB as a
#: GeoPackage; generalised ones about 60 MB): beyond this it is refused, not read into memory.
MAX_BOUNDARY_BYTES = 2 * 1024**3

#: The WGS84 CRS GeoJSON is in when it declares none (RFC 7946 section 4).
GEOJSON_DEFAULT_CRS = "EPSG:4326"

FORMATS = {".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "Shapefile"}


class BoundaryFileError(ValueError):
    """The boundaries file cannot be read; the message completes "boundaries_file names 'x', but ..."."""


@dataclass
class RawFeatures:
    """Features as read, before matching: parallel ``ids`` and ``geometries``.

    ``ids[i]`` is None when feature i has no value in the id field; ``geometries[i]`` is
    None when it has no geometry. ``crs`` is what the file declares (None: nothing);
    ``crs_assumed`` is True when the format's rule supplied it (GeoJSON without ``crs``).
    """

    format: str
    fields: list[str]
    ids: list[str | None]
    geometries: np.ndarray  # object array of shapely geometries or None
    crs: str | None
    crs_assumed: bool = False
    id_field_missing: bool = False
    notes: tuple[str, ...] = ()


def id_text(value: object) -> str | None:
    """An id as the Areas sheet holds it: text, stripped; 1234.0 read as "1234"; blank is None."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def read_features(path: Path, id_field: str, siblings: dict[str, Path] | None = None) -> RawFeatures:
    """The features of ``path`` (already through the folder rule); ``siblings`` for a Shapefile's parts."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise BoundaryFileError(f"its extension '{path.suffix}' is not one read here; give a GeoPackage (.gpkg), "
                                "GeoJSON (.geojson, .json) or Shapefile (.shp)")
    size = path.stat().st_size
    if size > MAX_BOUNDARY_BYTES:
        raise BoundaryFileError(f"it is {size / 1024**3:.1f} GB, over the {MAX_BOUNDARY_BYTES // 1024**3} GB limit; "
                                "use generalised boundaries (ONS 'BGC' or 'BSC' sets)")
    if size == 0:
        raise BoundaryFileError("it is empty (0 bytes)")
    if kind == "GeoPackage":
        return _read_gpkg(path, id_field)
    if kind == "GeoJSON":
        return _read_geojson(path, id_field)
    return _read_shapefile(path, id_field, siblings or {})


def _from_wkb(wkb: list[bytes | None]) -> np.ndarray:
    out = np.empty(len(wkb), dtype=object)
    present = [i for i, w in enumerate(wkb) if w]
    if present:
        try:
            out[present] = shapely.from_wkb([wkb[i] for i in present], on_invalid="raise")
        except GEOSException as exc:
            raise BoundaryFileError(f"a geometry's WKB cannot be read ({exc})") from None
    return out


def _read_gpkg(path: Path, id_field: str) -> RawFeatures:
    try:
        layer = read_layer(path, id_field)
    except GeoPackageError as exc:
        raise BoundaryFileError(str(exc)) from None
    notes: tuple[str, ...] = ()
    if layer.other_layers:
        notes = (f"the GeoPackage has {len(layer.other_layers) + 1} feature layers; the layer '{layer.table}' was read",)
    missing = id_field not in layer.columns
    pos = layer.columns.index(id_field) if not missing else None
    ids = [None if pos is None else id_text(r[pos]) for r in layer.rows]
    return RawFeatures("GeoPackage", layer.columns, ids, _from_wkb(layer.wkb), layer.crs,
                       id_field_missing=missing, notes=notes)


def _geojson_crs(doc: dict[str, object]) -> str | None:
    """The legacy (2008 GeoJSON) ``crs`` member's name, e.g. ``urn:ogc:def:crs:EPSG::27700``."""
    crs = doc.get("crs")
    if not isinstance(crs, dict):
        return None
    props = crs.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    return str(name) if name else None


def _read_geojson(path: Path, id_field: str) -> RawFeatures:
    """Coordinates by the fast reader (:mod:`geojson_read`); the general ``json`` path when it cannot."""
    data = path.read_bytes()
    try:
        doc, texts = geojson_read.parse_feature_collection(data)
    except geojson_read.FastPathUnavailable:
        doc, texts = _json_document(data), []
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BoundaryFileError("it is not a GeoJSON FeatureCollection (no \"type\": \"FeatureCollection\" with features)")
    feats = doc["features"]
    fields: dict[str, None] = {}
    ids: list[str | None] = []
    geoms = np.empty(len(feats), dtype=object)
    geoms[:] = _fast_geometries(feats, texts)
    for i, f in enumerate(feats):
        props = f.get("properties") if isinstance(f, dict) else None
        props = props if isinstance(props, dict) else {}
        for k in props:
            fields.setdefault(str(k), None)
        ids.append(id_text(geojson_read.restore(props.get(id_field), texts)))
        g = f.get("geometry") if isinstance(f, dict) else None
        if g and geoms[i] is None:
            try:
                geoms[i] = geojson_read.geometry_of(g, texts) if isinstance(g, dict) else shapely.geometry.shape(g)
            except Exception as exc:  # noqa: BLE001 - any failure on a file from outside is the file's
                raise BoundaryFileError(f"feature {i + 1}'s geometry cannot be read ({exc})") from None
    crs = _geojson_crs(doc)
    return RawFeatures("GeoJSON", list(fields), ids, geoms, crs or GEOJSON_DEFAULT_CRS, crs_assumed=crs is None,
                       id_field_missing=bool(feats) and id_field not in fields)


def _fast_geometries(feats: list[object], texts: list[bytes]) -> list[object]:
    """The (Multi)Polygons :func:`geojson_read.fast_geometries` builds, by feature; None for the rest."""
    out: list[object] = [None] * len(feats)
    where: list[int] = []
    items: list[tuple[object, bytes]] = []
    for i, f in enumerate(feats):
        g = f.get("geometry") if isinstance(f, dict) else None
        coords = g.get("coordinates") if isinstance(g, dict) else None
        if isinstance(coords, dict) and set(coords) == {"__coords__"} and isinstance(coords["__coords__"], int):
            where.append(i)
            items.append((g.get("type"), texts[coords["__coords__"]]))  # type: ignore[union-attr]
    for i, geom in zip(where, geojson_read.fast_geometries(items), strict=True):
        out[i] = geom
    return out


def _json_document(data: bytes) -> dict[str, object]:
    """The whole document by ``json`` (the general path), its errors as the file's."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError(f"it is not valid JSON ({exc})") from None
    except RecursionError:
        raise BoundaryFileError("it nests too deeply to be GeoJSON") from None
    if not isinstance(doc, dict):
        raise BoundaryFileError("it is not a GeoJSON FeatureCollection (no \"type\": \"FeatureCollection\" with features)")
    return doc


def _read_shapefile(path: Path, id_field: str, siblings: dict[str, Path]) -> RawFeatures:
    for part in (".shx", ".dbf"):
        if part not in siblings:
            raise BoundaryFileError(f"a Shapefile needs its {part} file beside it (same name), and there is none")
    try:
        with warnings.catch_warnings():  # pyshp warns of a corrupt header: the error below says it in one line
            warnings.simplefilter("ignore")
            fields, ids, geoms = _shapefile_features(path, siblings, id_field)
    except Exception as exc:  # noqa: BLE001 - pyshp on a file from outside: any failure is the file's
        raise BoundaryFileError(f"it cannot be read as a Shapefile ({exc})") from None
    crs = None
    if ".prj" in siblings:
        crs = siblings[".prj"].read_text(encoding="utf-8", errors="replace").strip() or None
    return RawFeatures("Shapefile", fields, ids, geoms, crs, id_field_missing=id_field not in fields)


def _shapefile_features(path: Path, siblings: dict[str, Path], id_field: str
                        ) -> tuple[list[str], list[str | None], np.ndarray]:
    import shapefile  # pyshp

    with (path.open("rb") as shp, siblings[".shx"].open("rb") as shx, siblings[".dbf"].open("rb") as dbf,
          shapefile.Reader(shp=shp, shx=shx, dbf=dbf) as reader):
        fields = [f[0] for f in reader.fields[1:]]
        pos = fields.index(id_field) if id_field in fields else None
        ids: list[str | None] = []
        geoms = np.empty(len(reader), dtype=object)
        for i, sr in enumerate(reader.iterShapeRecords()):
            ids.append(None if pos is None else id_text(sr.record[pos]))
            if sr.shape.shapeType != shapefile.NULL:
                geoms[i] = shapely.geometry.shape(sr.shape.__geo_interface__)
    return fields, ids, geoms

