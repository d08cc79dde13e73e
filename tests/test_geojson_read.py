"""The fast GeoJSON reader gives exactly what json + shapely.geometry.shape give, and falls back where it must.

Each case writes a FeatureCollection, reads it through the app's reader (formats.read_features)
and compares every geometry with shapely.geometry.shape on the same feature parsed by json:
equal coordinates (shapely.equals_exact with tolerance 0), equal ring counts, same ids.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.geometry

from desktop_app.core.geography import geojson_read
from desktop_app.core.geography.formats import BoundaryFileError, read_features

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]


def _fc(geometries: list[object], ids: list[object] | None = None) -> dict[str, object]:
    ids = ids if ids is not None else [f"A{i + 1}" for i in range(len(geometries))]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"area_id": a, "name": f"n{i}"}, "geometry": g}
        for i, (a, g) in enumerate(zip(ids, geometries, strict=True))]}


def _read(tmp_path: Path, doc: object, *, text: str | None = None) -> list[object]:
    path = tmp_path / "areas.geojson"
    path.write_text(text if text is not None else json.dumps(doc))
    return list(read_features(path, "area_id").geometries)


CASES = {
    "polygon": {"type": "Polygon", "coordinates": [SQUARE]},
    "polygon with a hole": {"type": "Polygon", "coordinates": [SQUARE, HOLE]},
    "multipolygon": {"type": "MultiPolygon", "coordinates": [[SQUARE, HOLE], [[[20, 20], [30, 20], [30, 30], [20, 20]]]]},
    "3-D vertices (height dropped, as shape() keeps it: compared in 2-D)":
        {"type": "Polygon", "coordinates": [[[x, y, 5.5] for x, y in SQUARE]]},
    "exponents and negatives": {"type": "Polygon", "coordinates": [[[-1.5e-3, 2E2], [1e1, -0.0], [3.25, 4], [-1.5e-3, 2E2]]]},
}


@pytest.mark.parametrize("name", list(CASES))
def test_fast_path_equals_the_general_reader(tmp_path: Path, name: str) -> None:
    geom = CASES[name]
    (got,) = _read(tmp_path, _fc([geom]))
    want = shapely.force_2d(shapely.geometry.shape(geom))
    assert got.geom_type == want.geom_type
    assert shapely.equals_exact(shapely.force_2d(got), want, tolerance=0)
    # e.g. the hole case: 1 exterior of 5 vertices + 1 interior of 5 = 10 coordinates.
    assert shapely.get_num_coordinates(got) == shapely.get_num_coordinates(want)


def test_the_fast_path_is_what_builds_them() -> None:
    """The (Multi)Polygon cases are taken by the fast path itself, not by the fallback."""
    flat = [g for name, g in CASES.items() if not name.startswith("3-D")]
    taken = geojson_read.fast_geometries([(g["type"], json.dumps(g["coordinates"]).encode()) for g in flat])
    assert all(g is not None for g in taken)
    # Three numbers a vertex: not this path's (the general reader keeps them, as shape() does),
    # and the batch it is in goes to the general reader whole (correct, only slower).
    three_d = CASES["3-D vertices (height dropped, as shape() keeps it: compared in 2-D)"]
    mixed = [(g["type"], json.dumps(g["coordinates"]).encode()) for g in (*flat, three_d)]
    assert geojson_read.fast_geometries(mixed) == [None] * len(mixed)


def test_pretty_printed_file_with_spaces_and_newlines(tmp_path: Path) -> None:
    doc = _fc([CASES["polygon with a hole"], CASES["multipolygon"]])
    got = _read(tmp_path, doc, text=json.dumps(doc, indent=4))
    for g, f in zip(got, doc["features"], strict=True):  # type: ignore[call-overload]
        assert shapely.equals_exact(g, shapely.geometry.shape(f["geometry"]), tolerance=0)


def test_other_types_and_odd_rings_go_through_the_general_reader(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [1, 2]}
    collection = {"type": "GeometryCollection", "geometries": [CASES["polygon"], point]}
    got = _read(tmp_path, _fc([point, collection, None]))
    assert got[0] == shapely.Point(1, 2)
    assert got[1].geom_type == "GeometryCollection" and len(got[1].geoms) == 2
    assert got[2] is None
    # An empty ring list is an empty polygon, as shape() makes it.
    (empty,) = _read(tmp_path, _fc([{"type": "Polygon", "coordinates": [[]]}]))
    assert empty.is_empty and empty.geom_type == "Polygon"
    # A ring of two vertices: shape() refuses it (a linear ring needs 4 once closed); so does the reader, in one line.
    short = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}
    assert geojson_read.fast_geometries([("Polygon", json.dumps(short["coordinates"]).encode())]) == [None]
    with pytest.raises(BoundaryFileError, match="feature 1's geometry cannot be read"):
        _read(tmp_path, _fc([short]))


def test_ids_and_fields_are_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(_fc([CASES["polygon"]] * 3, ids=["E01", 1234.0, None])))
    raw = read_features(path, "area_id")
    assert raw.ids == ["E01", "1234", None]  # 1234.0 read as "1234", as the Areas sheet holds it
    assert raw.fields == ["area_id", "name"]
    assert raw.crs == "EPSG:4326" and raw.crs_assumed


def test_a_property_named_coordinates_is_kept(tmp_path: Path) -> None:
    """A numeric array under a property called "coordinates" is taken out and put back whole."""
    doc = _fc([CASES["polygon"]], ids=[[5, 6]])
    doc["features"][0]["properties"]["coordinates"] = [1, 2]  # type: ignore[index]
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(doc))
    raw = read_features(path, "area_id")
    assert raw.ids == ["[5, 6]"] and "coordinates" in raw.fields


def test_many_features_match_the_general_reader(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    geoms = []
    for i in range(200):
        x, y = rng.uniform(0, 1e5, 2)
        ring = [[x, y], [x + 50.125, y], [x + 50.125, y + 75.5], [x, y + 75.5], [x, y]]
        geoms.append({"type": "Polygon", "coordinates": [ring]} if i % 3 else
                     {"type": "MultiPolygon", "coordinates": [[ring], [[[p[0] + 1e3, p[1]] for p in ring]]]})
    got = _read(tmp_path, _fc(geoms))
    for g, want in zip(got, geoms, strict=True):
        assert shapely.equals_exact(g, shapely.geometry.shape(want), tolerance=0)


def test_members_after_the_coordinates_leave_the_file_to_the_general_reader(tmp_path: Path) -> None:
    """A "bbox" after "coordinates" (allowed by RFC 7946) is read whole, by the general path."""
    geom = {"type": "Polygon", "coordinates": [SQUARE], "bbox": [0, 0, 10, 10]}
    data = json.dumps(_fc([geom])).encode()
    with pytest.raises(geojson_read.FastPathUnavailable):
        geojson_read.parse_feature_collection(data)
    (got,) = _read(tmp_path, _fc([geom]))
    assert shapely.equals_exact(got, shapely.geometry.shape(geom), tolerance=0)


def test_conversion_split_over_two_threads_equals_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second-thread half of a large WGS84 -> BNG conversion gives what one thread gives, in order."""
    from pyproj import Transformer

    import desktop_app.core.geography.load as load

    rng = np.random.default_rng(3)
    corners = rng.uniform([-3.0, 51.0], [0.0, 53.0], (300, 2))
    polys = np.array([shapely.Polygon([c, c + [0.01, 0], c + [0.01, 0.01], c]) for c in corners] + [None],
                     dtype=object)
    transformer = Transformer.from_crs(4326, 27700, always_xy=True)
    monkeypatch.setattr(load, "_SPLIT_COORDS", 10)  # 1,200 coordinates: split
    split = load._to_bng(polys, transformer, "EPSG:4326")
    monkeypatch.setattr(load, "_SPLIT_COORDS", 10**9)  # not split
    whole = load._to_bng(polys, transformer, "EPSG:4326")
    assert split[-1] is None and whole[-1] is None
    assert all(shapely.equals_exact(a, b, tolerance=0) for a, b in zip(split[:-1], whole[:-1], strict=True))
    # and it really converted: the first corner's easting is hundreds of km, not degrees
    assert shapely.get_coordinates(split[0])[0, 0] > 100_000


def test_vertices_read_in_two_halves_equal_one_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second-thread half of the rings' numbers joins the first in order; a bad half spoils the whole."""
    rings = [b"%d.5,%d],[%d,%d.25" % (i, i + 1, i + 2, i + 3) for i in range(50)]
    monkeypatch.setattr(geojson_read, "_SPLIT_RINGS", 10)
    split = geojson_read._vertices(rings, 100)
    monkeypatch.setattr(geojson_read, "_SPLIT_RINGS", 10**9)
    whole = geojson_read._vertices(rings, 100)
    assert split is not None and whole is not None and np.array_equal(split, whole)
    assert split[0].tolist() == [0.5, 1.0] and split[-1].tolist() == [51.0, 52.25]  # ring 49's second vertex
    monkeypatch.setattr(geojson_read, "_SPLIT_RINGS", 10)
    assert geojson_read._vertices([*rings[:-1], b"1,2,3],[4,5,6"], 100) is None  # three numbers in the second half
