"""Write small boundary files (GeoPackage, GeoJSON, Shapefile) for the base test force's four areas.

The base force (tests/workbook_factory.py) has areas A1-A4 at (400000, 300000),
(403000, 300000), (410000, 290000) and (420000, 280000). Their boundaries here, in British
National Grid metres, with areas worked by hand:

- A1: the 2 km square 399,000-401,000 x 299,000-301,000: 4,000,000 m2;
- A2: the 2 km square 402,000-404,000 x 299,000-301,000 less a 1 km square hole
  402,500-403,500 x 299,500-300,500: 4,000,000 - 1,000,000 = 3,000,000 m2;
- A3: the 2 km square 409,000-411,000 x 289,000-291,000: 4,000,000 m2;
- A4: two 1 km squares 419,000-420,000 x 279,000-280,000 and 420,500-421,500 x
  280,000-281,000 (a multipolygon): 2 x 1,000,000 = 2,000,000 m2.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapefile
import shapely
from pyproj import CRS

from desktop_app.core.geography.gpkg import LayerToWrite, geopackage_bytes


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


SHAPES: dict[str, object] = {
    "A1": shapely.Polygon(box(399_000, 299_000, 401_000, 301_000)),
    "A2": shapely.Polygon(box(402_000, 299_000, 404_000, 301_000), [box(402_500, 299_500, 403_500, 300_500)]),
    "A3": shapely.Polygon(box(409_000, 289_000, 411_000, 291_000)),
    "A4": shapely.MultiPolygon([shapely.Polygon(box(419_000, 279_000, 420_000, 280_000)),
                                shapely.Polygon(box(420_500, 280_000, 421_500, 281_000))]),
}
AREAS_M2 = {"A1": 4_000_000.0, "A2": 3_000_000.0, "A3": 4_000_000.0, "A4": 2_000_000.0}


def write_gpkg(path: Path, shapes: dict[str, object], field: str = "area_id") -> Path:
    geoms = list(shapes.values())
    layer = LayerToWrite("lsoa", "GEOMETRY", [(field, "TEXT")], [[k] for k in shapes],
                         [bytes(shapely.to_wkb(g, flavor="iso")) for g in geoms],
                         [tuple(shapely.bounds(g)) for g in geoms])
    path.write_bytes(geopackage_bytes([layer]))
    return path


def write_geojson(path: Path, shapes: dict[str, object], crs: str | None = "urn:ogc:def:crs:EPSG::27700",
                  field: str = "area_id") -> Path:
    doc: dict[str, object] = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {field: k}, "geometry": shapely.geometry.mapping(g)}
        for k, g in shapes.items()]}
    if crs is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


def write_shapefile(path: Path, shapes: dict[str, object], epsg: int | None = 27700, field: str = "area_id") -> Path:
    with shapefile.Writer(str(path.with_suffix("")), shapeType=shapefile.POLYGON) as w:
        w.field(field, "C", size=20)
        for k, g in shapes.items():
            w.shape(shapely.geometry.mapping(g))
            w.record(k)
    if epsg is not None:
        path.with_suffix(".prj").write_text(CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
    return path
