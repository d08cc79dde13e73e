"""Boundaries (docs/maps.md): the three formats read back, WGS84 to British National Grid, and every check.

Each file is written to the workbook's folder and named by ``boundaries_file`` in the base
test force, then read through the workbook reader, as the app and the commands read it.
Expected areas are worked by hand in tests/_boundary_files.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import shapely
from _boundary_files import AREAS_M2, SHAPES, box, write_geojson, write_gpkg, write_shapefile
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.geography.gpkg import wkb_of_blob
from desktop_app.core.geography.load import load_boundaries
from desktop_app.core.model import ReadResult
from desktop_app.core.workbook.reader import read_workbook


def _read(tmp_path: Path, name: str | None, id_field: str | None = None) -> ReadResult:
    sheets = base_sheets()
    if name is not None:
        sheets["Parameters"].append(["boundaries_file", name, ""])
    if id_field is not None:
        sheets["Parameters"].append(["boundaries_id_field", id_field, ""])
    return read_workbook(make_workbook(tmp_path, sheets))


#: The Parameters row of boundaries_file in the base force: header row 1, four parameters, then it.
PARAM_ROW = 6


def _only(result: ReadResult, level: str) -> list[str]:
    return [f.one_line() for f in result.findings if f.level == level and "TravelTimes" not in f.sheet]


@pytest.mark.parametrize("writer,name", [(write_gpkg, "areas.gpkg"), (write_geojson, "areas.geojson"),
                                         (write_shapefile, "areas.shp")])
def test_each_format_reads_back_with_its_geometry_and_area(tmp_path: Path, writer, name: str) -> None:
    writer(tmp_path / name, SHAPES)
    result = _read(tmp_path, name)
    assert result.inputs is not None, [f.one_line() for f in result.errors]
    shapes = result.inputs.boundaries
    assert shapes is not None and shapes.crs == "EPSG:27700" and len(shapes) == 4
    assert _only(result, "warning") == []
    for i, area_id in enumerate(["A1", "A2", "A3", "A4"]):
        original = shapely.from_wkb(shapes.original_wkb[i])
        assert original.area == pytest.approx(AREAS_M2[area_id], abs=1e-6)
        assert original.normalize().equals_exact(SHAPES[area_id].normalize(), 1e-6)  # type: ignore[attr-defined]
    # A2's display polygon keeps its hole (exterior, then the hole); A4 is two polygons
    assert len(shapes.display[1]) == 1 and len(shapes.display[1][0]) == 2
    assert len(shapes.display[3]) == 2
    exterior = shapes.display[0][0][0]
    assert {tuple(p) for p in exterior} == {(399_000.0, 299_000.0), (401_000.0, 299_000.0),
                                            (401_000.0, 301_000.0), (399_000.0, 301_000.0)}
    # districts North (A1 + A2) and South (A3 + A4) dissolve; labels fall inside them
    assert set(shapes.districts) == {"North", "South"}
    north = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in shapes.districts["North"]])
    assert north.area == pytest.approx(4e6 + 3e6)
    assert north.contains(shapely.Point(shapes.district_labels["North"]))
    # the file is one the workbook names (so no output may overwrite it)
    assert [p.name for p in result.inputs.named_files] == [name]


def test_wgs84_geojson_lands_on_the_os_published_grid_coordinates(tmp_path: Path) -> None:
    """OS test point TP01 (St Mary's, Isles of Scilly), from the OSTN15 developer pack
    (OSTN15_OSGM15_TestInput_ETRStoOSGB.txt / TestOutput): ETRS89 49.92226393730 N,
    6.29977752014 W is OSGB36 National Grid E 91,492.146 m, N 11,318.804 m.

    Without the 15 MB OSTN15 grid (not bundled), PROJ converts WGS84 with the OS's
    7-parameter Helmert transformation (EPSG:1314, stated accuracy about 5 m): measured
    4.7 m west and 0.4 m south of the published point here, so within 6 m.
    """
    lon, lat = -6.29977752014, 49.92226393730
    d = 0.001  # about 70 m of longitude and 110 m of latitude
    square = shapely.Polygon(box(lon, lat, lon + d, lat + d))
    write_geojson(tmp_path / "scilly.geojson", {"A1": square}, crs=None)
    shapes, problems = load_boundaries(tmp_path / "scilly.geojson", "area_id", ["A1"], ["Scilly"])
    assert shapes is not None and shapes.crs == "EPSG:4326", problems
    ring = shapely.from_wkb(shapes.original_wkb[0]).exterior.coords
    e, n = ring[0]
    assert np.hypot(e - 91_492.146, n - 11_318.804) < 6.0
    # the square's sides: 0.001 degree of latitude is 111.2 m; of longitude 111.3 x cos(49.92) = 71.7 m
    g = shapely.from_wkb(shapes.original_wkb[0])
    assert g.area == pytest.approx(111.25 * 71.66, rel=0.01)


def test_a_shapefile_in_a_declared_crs_other_than_bng_is_converted(tmp_path: Path) -> None:
    """A .prj naming WGS84 (EPSG:4326): the same square in degrees comes back in metres."""
    lon, lat = -1.5, 52.5  # near Coventry
    write_shapefile(tmp_path / "wgs.shp", {"A1": shapely.Polygon(box(lon, lat, lon + 0.01, lat + 0.01))}, epsg=4326)
    shapes, problems = load_boundaries(tmp_path / "wgs.shp", "area_id", ["A1"], [None],
                                       {e: tmp_path / f"wgs{e}" for e in (".shx", ".dbf", ".prj")})
    assert shapes is not None, problems
    minx, miny, maxx, maxy = shapely.bounds(shapely.from_wkb(shapes.original_wkb[0]))
    assert 400_000 < minx < 450_000 and 250_000 < miny < 300_000  # the Midlands in BNG
    assert maxy - miny == pytest.approx(1_112, rel=0.01)  # 0.01 degree of latitude


# ---------------------------------------------------------------------- every check


def test_unreadable_file_is_one_error_on_the_parameter_row(tmp_path: Path) -> None:
    (tmp_path / "areas.gpkg").write_bytes(b"this is not a GeoPackage at all" * 20)
    result = _read(tmp_path, "areas.gpkg")
    assert result.inputs is None
    (line,) = [f.one_line() for f in result.errors]
    assert line.startswith(f"error: Parameters row {PARAM_ROW} column value: boundaries_file names 'areas.gpkg', but ")
    assert "SQLite" in line or "GeoPackage" in line


def test_unknown_format_and_folder_rule(tmp_path: Path) -> None:
    (tmp_path / "areas.kml").write_text("<kml/>")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.kml").errors]
    assert "'.kml' is not one read here" in line
    (line,) = [f.one_line() for f in _read(tmp_path, "../areas.gpkg").errors]
    assert "outside the workbook's folder" in line


def test_a_shapefile_part_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "book"
    outside.mkdir()
    inside.mkdir()
    write_shapefile(outside / "areas.shp", SHAPES)
    for ext in (".shp", ".shx", ".prj"):
        os.replace(outside / f"areas{ext}", inside / f"areas{ext}")
    os.symlink(outside / "areas.dbf", inside / "areas.dbf")
    (line,) = [f.one_line() for f in _read(inside, "areas.shp").errors]
    assert "boundaries_file's .dbf part" in line and "outside the workbook's folder" in line


def test_areas_with_no_boundary_are_warnings_on_their_areas_row(tmp_path: Path) -> None:
    write_gpkg(tmp_path / "areas.gpkg", {k: v for k, v in SHAPES.items() if k != "A4"})
    result = _read(tmp_path, "areas.gpkg")
    assert result.inputs is not None and result.inputs.boundaries is not None
    assert _only(result, "warning") == [
        "warning: Areas row 5 column area_id: area 'A4' has no boundary in the boundaries file; "
        "it is drawn and exported as its point"]
    assert not result.inputs.boundaries.has_boundary(3) and result.inputs.boundaries.display[3] == ()


def test_boundaries_with_no_area_are_one_counted_warning(tmp_path: Path) -> None:
    extra = {**SHAPES, "E01000001": shapely.Polygon(box(0, 0, 10, 10)), "E01000002": shapely.Polygon(box(0, 20, 10, 30))}
    write_geojson(tmp_path / "areas.geojson", extra)
    result = _read(tmp_path, "areas.geojson")
    assert result.inputs is not None and result.inputs.boundaries is not None
    assert _only(result, "warning") == [
        f"warning: Parameters row {PARAM_ROW} column value: boundaries_file 'areas.geojson': 2 of its boundaries "
        "have no area in the Areas sheet (e.g. 'E01000001', 'E01000002'); they are left out"]


def test_no_feature_matching_any_area_is_an_error(tmp_path: Path) -> None:
    write_gpkg(tmp_path / "areas.gpkg", {"E0100000" + k[1]: v for k, v in SHAPES.items()})
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.gpkg").errors]
    assert "none of its 4 features' ids matches an area_id" in line and "'E01000001'" in line and "'A1'" in line


def test_invalid_geometry_is_repaired_with_a_warning_on_the_feature(tmp_path: Path) -> None:
    """A bow-tie (a ring crossing itself at (400000, 300000)) is repaired into its two triangles."""
    bowtie = shapely.Polygon([(399_000, 299_000), (401_000, 301_000), (401_000, 299_000), (399_000, 301_000)])
    assert not bowtie.is_valid
    write_geojson(tmp_path / "areas.geojson", {**SHAPES, "A1": bowtie})
    result = _read(tmp_path, "areas.geojson")
    assert result.inputs is not None and result.inputs.boundaries is not None
    (line,) = _only(result, "warning")
    assert line.startswith("warning: areas.geojson row 1 column area_id: feature 1 ('A1') is not a valid polygon "
                           "(Self-intersection")
    fixed = shapely.from_wkb(result.inputs.boundaries.original_wkb[0])
    # two triangles of half-width 1 km and height 2 km... each 1,000,000 m2 (base 2 km x height 1 km / 2 x 2)
    assert fixed.is_valid and fixed.area == pytest.approx(2_000_000.0)


def test_a_feature_that_is_not_a_polygon_is_an_error_on_the_feature(tmp_path: Path) -> None:
    write_geojson(tmp_path / "areas.geojson", {**SHAPES, "A3": shapely.Point(410_000, 290_000)})
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert line.startswith("error: areas.geojson row 3 column area_id: feature 3 ('A3') is a Point;")


def test_missing_crs_shapefile_without_prj(tmp_path: Path) -> None:
    write_shapefile(tmp_path / "areas.shp", SHAPES, epsg=None)
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.shp").errors]
    assert "declares no coordinate reference system (no .prj file beside it)" in line


def test_missing_crs_geopackage_with_an_undefined_srs(tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "areas.gpkg", SHAPES)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = -1")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.gpkg").errors]
    assert "declares no coordinate reference system (an undefined CRS)" in line


def test_missing_crs_geojson_in_metres_without_a_crs_member(tmp_path: Path) -> None:
    write_geojson(tmp_path / "areas.geojson", SHAPES, crs=None)
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert "no 'crs' member" in line and "not longitude/latitude" in line


def test_unknown_crs(tmp_path: Path) -> None:
    write_geojson(tmp_path / "areas.geojson", SHAPES, crs="urn:ogc:def:crs:EPSG::999999")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert "its CRS 'urn:ogc:def:crs:EPSG::999999' is not one pyproj knows" in line


def test_id_field_absent_names_the_fields_there_are(tmp_path: Path) -> None:
    write_gpkg(tmp_path / "areas.gpkg", SHAPES, field="LSOA21CD")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.gpkg").errors]
    assert "its features have no field 'area_id' (fields: fid, LSOA21CD); set boundaries_id_field" in line
    # and naming the field reads it
    result = _read(tmp_path, "areas.gpkg", id_field="LSOA21CD")
    assert result.inputs is not None and result.inputs.boundaries is not None


def test_no_boundaries_file_leaves_boundaries_none(tmp_path: Path) -> None:
    result = _read(tmp_path, None)
    assert result.inputs is not None and result.inputs.boundaries is None
    assert result.inputs.parameters.boundaries_id_field == "area_id"


def test_geopackage_blob_header_round_trip() -> None:
    """GPKG spec 2.1.3: 'GP', version 0, flags 0b011 (little-endian, [minx, maxx, miny, maxy]), srs 27700."""
    from desktop_app.core.geography.gpkg import geometry_blob

    g = SHAPES["A1"]
    blob = geometry_blob(bytes(shapely.to_wkb(g)), 27700, tuple(shapely.bounds(g)))
    assert blob is not None and blob[:4] == b"GP\x00\x03" and len(blob) == 8 + 32 + len(shapely.to_wkb(g))
    assert np.frombuffer(blob[8:40], "<f8").tolist() == [399_000, 401_000, 299_000, 301_000]
    wkb, srs = wkb_of_blob(blob)
    assert srs == 27700 and shapely.from_wkb(wkb).equals(g)


def test_geojson_that_is_not_json_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "areas.geojson").write_text("{not json")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert "it is not valid JSON" in line
    (tmp_path / "areas.geojson").write_text(json.dumps({"type": "Feature"}))
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert "not a GeoJSON FeatureCollection" in line


@pytest.mark.parametrize("name,make", [
    ("areas.gpkg", lambda p: p.write_bytes(write_gpkg(p, SHAPES).read_bytes()[:6000])),  # truncated
    ("areas.shp", lambda p: (write_shapefile(p, SHAPES), p.write_bytes(os.urandom(4000)))),  # garbage .shp
    ("areas.geojson", lambda p: p.write_text("[" * 100_000 + "]" * 100_000)),  # nesting bomb
    ("areas.geojson", lambda p: p.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"area_id": "A1"}, "geometry": {"type": "Polygon", "coordinates": "x"}}]}))),
])
def test_hostile_boundary_files_are_one_line_never_a_traceback(tmp_path: Path, name: str, make) -> None:
    make(tmp_path / name)
    before = (tmp_path / name).read_bytes()
    errors = _read(tmp_path, name).errors
    assert len(errors) == 1 and errors[0].sheet == "Parameters" and errors[0].row == PARAM_ROW
    assert errors[0].one_line().count("\n") == 0 and "Traceback" not in errors[0].message
    assert (tmp_path / name).read_bytes() == before  # never changed
    assert not list(tmp_path.glob("*-wal")) and not list(tmp_path.glob("*-shm"))


def test_coordinates_the_crs_cannot_convert_are_one_line(tmp_path: Path) -> None:
    """A file declaring WGS84 whose third feature lies at latitude 100 (PROJ gives inf): one error naming it."""
    import shapely

    shapes = {k: v for k, v in SHAPES.items()}
    lonlat = {k: shapely.box(-2.0 + i * 0.01, 52.0, -1.995 + i * 0.01, 52.005) for i, k in enumerate(shapes)}
    third = list(lonlat)[2]
    lonlat[third] = shapely.box(200.0, 95.0, 201.0, 100.0)
    write_geojson(tmp_path / "areas.geojson", lonlat, crs="urn:ogc:def:crs:EPSG::4326")
    (line,) = [f.one_line() for f in _read(tmp_path, "areas.geojson").errors]
    assert f"feature 3 ('{third}') and 0 more fall outside what EPSG:4326 can convert" in line
