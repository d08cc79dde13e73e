"""GeoPackage with the standard library's sqlite3: the geometry blob, reading a layer, writing layers.

OGC GeoPackage 1.3.1 (OGC 12-128r18, https://www.geopackage.org/spec131/): a SQLite file
whose ``application_id`` is 0x47504B47 ("GPKG"), with the tables ``gpkg_spatial_ref_sys``
(CRSs), ``gpkg_contents`` (the layers) and ``gpkg_geometry_columns`` (each layer's geometry
column). Each geometry is a blob of a header (section 2.1.3: "GP", version 0, a flags byte
giving the byte order and the envelope's size, the srs_id) followed by ISO WKB. No GDAL:
the frozen build must stay small (docs/packaging.md), and sqlite3 already ships with Python.
"""

from __future__ import annotations

import math
import sqlite3
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np

GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10301  # 1.3.1
BNG_EPSG = 27700

#: Bytes of envelope per envelope code (flags bits 1-3), section 2.1.3.1.1.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class GeoPackageError(ValueError):
    """The file is not a GeoPackage this reader understands (the message says why)."""


def geometry_blob(wkb: bytes | None, srs_id: int, envelope: tuple[float, float, float, float] | None) -> bytes | None:
    """The GeoPackage blob of ISO WKB: little-endian header with an [minx, maxx, miny, maxy] envelope."""
    if wkb is None:
        return None
    if envelope is None or not all(math.isfinite(v) for v in envelope):
        return b"GP\x00" + bytes([0b0000_0001]) + struct.pack("<i", srs_id) + wkb
    minx, miny, maxx, maxy = envelope
    return b"GP\x00" + bytes([0b0000_0011]) + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy) + wkb


def wkb_of_blob(blob: bytes) -> tuple[bytes | None, int]:
    """(WKB, srs_id) of a GeoPackage geometry blob; WKB None for an empty geometry.

    Raises :class:`GeoPackageError` for a blob that is not a GeoPackage geometry.
    """
    if len(blob) < 8 or blob[:2] != b"GP":
        raise GeoPackageError("a geometry is not a GeoPackage geometry blob (no 'GP' header)")
    flags = blob[3]
    if flags & 0b0010_0000:
        raise GeoPackageError("a geometry uses an extended (non-standard) GeoPackage geometry type")
    order = "<" if flags & 1 else ">"
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise GeoPackageError(f"a geometry has an invalid envelope code {envelope}")
    (srs_id,) = struct.unpack(order + "i", blob[4:8])
    start = 8 + _ENVELOPE_BYTES[envelope]
    if flags & 0b0001_0000 or len(blob) <= start:
        return None, srs_id
    return bytes(blob[start:]), srs_id


#: Longest a GeoPackage may take to read before it is given up as hostile (seconds).
READ_LIMIT_S = 120.0


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open without ever writing, and hardened as SQLite advises for files from outside.

    ``mode=ro`` and ``immutable=1``: nothing is written and no -wal or -shm file appears
    beside it. ``trusted_schema=OFF`` stops the file's own views and triggers calling
    functions; ``cell_size_check`` catches corrupt pages early; a progress handler gives up
    after :data:`READ_LIMIT_S` so a crafted file cannot hang the reader
    (https://www.sqlite.org/security.html).
    """
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    con = sqlite3.connect(uri, uri=True)
    con.execute("PRAGMA trusted_schema = OFF")
    con.execute("PRAGMA cell_size_check = ON")
    deadline = time.monotonic() + READ_LIMIT_S
    con.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
    return con


@dataclass
class GpkgLayer:
    """A features layer as read: attribute columns, geometry WKB per row, the CRS it declares."""

    table: str
    columns: list[str]
    rows: list[tuple[object, ...]]
    wkb: list[bytes | None]
    #: "EPSG:n", a WKT definition, or None when the layer's srs is undefined (-1 / 0).
    crs: str | None
    other_layers: list[str] = field(default_factory=list)


def read_layer(path: Path, want_column: str) -> GpkgLayer:
    """The features layer of a GeoPackage (the one holding ``want_column`` when there are several)."""
    try:
        con = _open_read_only(path)
    except sqlite3.Error as exc:
        raise GeoPackageError(f"it cannot be opened as SQLite ({exc})") from None
    try:
        return _read_layer(con, want_column)
    except sqlite3.DatabaseError as exc:
        raise GeoPackageError(f"it is not a readable GeoPackage ({exc})") from None
    finally:
        con.close()


def _read_layer(con: sqlite3.Connection, want_column: str) -> GpkgLayer:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for needed in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys"):
        if needed not in tables:
            raise GeoPackageError(f"it has no {needed} table, so it is not a GeoPackage")
    layers = con.execute(
        "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
        "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
        "WHERE c.data_type = 'features' ORDER BY c.table_name").fetchall()
    if not layers:
        raise GeoPackageError("it has no features layer (gpkg_contents lists no 'features' table)")
    chosen = layers[0]
    if len(layers) > 1:
        with_id = [lay for lay in layers if want_column in _columns(con, lay[0])]
        chosen = with_id[0] if with_id else layers[0]
    table, geom_col, srs_id = chosen
    columns = [c for c in _columns(con, table) if c != geom_col]
    cur = con.execute(f'SELECT {", ".join(_q(c) for c in columns + [geom_col])} FROM {_q(table)}')
    rows: list[tuple[object, ...]] = []
    wkb: list[bytes | None] = []
    for rec in cur:
        rows.append(tuple(rec[:-1]))
        blob = rec[-1]
        wkb.append(None if blob is None else wkb_of_blob(bytes(blob))[0])
    return GpkgLayer(table, columns, rows, wkb, _crs_of(con, srs_id),
                     [lay[0] for lay in layers if lay[0] != table])


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _crs_of(con: sqlite3.Connection, srs_id: int) -> str | None:
    row = con.execute("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys "
                      "WHERE srs_id = ?", (srs_id,)).fetchone()
    if row is None or srs_id in (-1, 0):
        return None
    org, code, definition = row
    if isinstance(org, str) and org.upper() == "EPSG" and isinstance(code, int) and code > 0:
        return f"EPSG:{code}"
    text = str(definition or "").strip()
    return None if text in ("", "undefined") else text


# ----------------------------------------------------------------------- writing


@dataclass
class LayerToWrite:
    """One features layer: name, geometry type name, attribute columns and per-row values."""

    name: str
    geometry_type: str  # POINT, MULTIPOLYGON or GEOMETRY (mixed)
    columns: Sequence[tuple[str, str]]  # (name, SQLite type: TEXT, INTEGER or REAL)
    rows: Sequence[Sequence[object]]
    wkb: Sequence[bytes | None]
    envelopes: Sequence[tuple[float, float, float, float] | None]
    description: str = ""


def _bng_wkt() -> str:
    """EPSG:27700's WKT 1 (the definition column's form, section 1.1.2.1.1), from pyproj's database."""
    from pyproj import CRS

    from desktop_app.core.geography.proj_lock import PROJ_LOCK

    with PROJ_LOCK:
        return str(CRS.from_epsg(BNG_EPSG).to_wkt("WKT1_GDAL"))


_CORE_TABLES = """
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
  description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT
  (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""

_WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
              'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')


def geopackage_bytes(layers: Sequence[LayerToWrite], when: datetime | None = None) -> bytes:
    """A whole GeoPackage (EPSG:27700 layers) as bytes, built in memory for an atomic write."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
        con.executescript(_CORE_TABLES)
        con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
            ("OSGB36 / British National Grid", BNG_EPSG, "EPSG", BNG_EPSG, _bng_wkt(), "British National Grid"),
        ])
        stamp = (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for layer in layers:
            _write_layer(con, layer, stamp)
        con.commit()
        return con.serialize()
    finally:
        con.close()


def _write_layer(con: sqlite3.Connection, layer: LayerToWrite, stamp: str) -> None:
    cols = ", ".join(f"{_q(n)} {t}" for n, t in layer.columns)
    con.execute(f"CREATE TABLE {_q(layer.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
                f"geom {layer.geometry_type}{', ' + cols if cols else ''})")
    boxes = np.array([e for e in layer.envelopes if e is not None], dtype=np.float64).reshape(-1, 4)
    extent = (None,) * 4 if boxes.size == 0 else (
        float(boxes[:, 0].min()), float(boxes[:, 1].min()), float(boxes[:, 2].max()), float(boxes[:, 3].max()))
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
                "min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
                (layer.name, layer.name, layer.description, stamp, *extent, BNG_EPSG))
    con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                (layer.name, layer.geometry_type, BNG_EPSG))
    marks = ", ".join("?" * (len(layer.columns) + 1))
    names = ", ".join(["geom", *(_q(n) for n, _ in layer.columns)])
    con.executemany(
        f"INSERT INTO {_q(layer.name)} ({names}) VALUES ({marks})",
        ([geometry_blob(w, BNG_EPSG, e), *r] for w, e, r in zip(layer.wkb, layer.envelopes, layer.rows, strict=True)),
    )
