"""``armed-options map``: the sample's GeoPackage read back by another reader, and its bad inputs.

The GeoPackage is read here with sqlite3 and shapely.from_wkb, parsing the geometry blob's
header by hand from the GeoPackage 1.3.1 specification (section 2.1.3), not with the
tool's own reader, and its figures are checked against ``appraise --json``.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import numpy as np
import pytest
import shapely
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "borderdale_appraise.json"


def _wkb(blob: bytes) -> bytes:
    """The WKB after a GeoPackage header: 8 bytes, then 0/32/48/48/64 bytes of envelope by flags bits 1-3."""
    assert blob[:2] == b"GP" and blob[2] == 0
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return blob[8 + envelope:]


@pytest.fixture(scope="module")
def sample_gpkg(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> Path:
    out = tmp_path_factory.mktemp("map") / "borderdale.gpkg"
    assert main(["map", str(sample_path), "-o", str(out)]) == 0
    return out


def test_the_sample_geopackage_reads_back_with_crs_features_and_values(sample_gpkg: Path, sample_read, sample_run) -> None:
    con = sqlite3.connect(sample_gpkg)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
    layers = dict(con.execute("SELECT table_name, srs_id FROM gpkg_contents WHERE data_type = 'features'").fetchall())
    assert layers == {"areas": 27700, "sites": 27700}
    (org, code, wkt), = con.execute("SELECT organization, organization_coordsys_id, definition "
                                    "FROM gpkg_spatial_ref_sys WHERE srs_id = 27700").fetchall()
    assert (org, code) == ("EPSG", 27700) and "British_National_Grid" in wkt.replace(" ", "_")
    assert dict(con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns").fetchall()) == {
        "areas": "MULTIPOLYGON", "sites": "POINT"}
    inputs = sample_read.inputs
    cols = [r[1] for r in con.execute("PRAGMA table_info(areas)")]
    options = [str(o) for o in inputs.options["option_id"]]
    assert cols == ["fid", "geom", "area_id", "area_name", "district", "population", "rurality", "threat_index",
                    *[c for o in options for c in (f"{o}_coverage", f"{o}_median_minutes")]]
    rows = con.execute("SELECT * FROM areas ORDER BY fid").fetchall()
    assert len(rows) == len(inputs.areas) == 989
    assert [r[2] for r in rows] == list(inputs.areas["area_id"])
    # each area's geometry is its boundary from the sample's boundaries file, in metres
    boundaries = sqlite3.connect(inputs.named_files[0])
    source = {k: shapely.from_wkb(_wkb(g)) for k, g in boundaries.execute("SELECT LSOA21CD, geom FROM borderdale_lsoa")}
    geoms = [shapely.from_wkb(_wkb(r[1])) for r in rows]
    assert all(g.geom_type == "MultiPolygon" for g in geoms)
    for r, g in zip(rows[:50], geoms[:50], strict=True):
        assert g.equals(source[r[2]])
    # the population-weighted mean of each option's per-area cover is its population_coverage in the JSON
    golden = {o["option_id"]: o["measures"] for o in json.loads(GOLDEN.read_text())["options"]}
    pop = np.array([r[5] for r in rows], dtype=float)
    for k, oid in enumerate(options):
        cover = np.array([r[8 + 2 * k] for r in rows], dtype=float)
        assert float(pop @ cover / pop.sum()) == pytest.approx(golden[oid]["population_coverage"], rel=1e-9)
        # medians: the Coverage sheet's per-area figure (NULL only where no unit is ever on duty)
        medians = np.array([np.inf if r[9 + 2 * k] is None else r[9 + 2 * k] for r in rows])
        expected = sample_run.coverage.per_area[oid]["median_response_minutes"].to_numpy()
        assert np.array_equal(medians, expected)
    sites = con.execute("SELECT site_id, geom FROM sites ORDER BY fid").fetchall()
    assert [s[0] for s in sites] == list(inputs.sites["site_id"])
    first = shapely.from_wkb(_wkb(sites[0][1]))
    assert (first.x, first.y) == (inputs.sites["easting"].iloc[0], inputs.sites["northing"].iloc[0])
    # the blob header's srs_id is the layer's (little-endian, flags bit 0 set)
    assert struct.unpack("<i", rows[0][1][4:8])[0] == 27700


def test_public_version_leaves_out_threat_and_is_marked(tmp_path: Path, sample_path: Path, sample_read) -> None:
    out = tmp_path / "public.gpkg"
    assert main(["map", str(sample_path), "-o", str(out), "--public"]) == 0
    con = sqlite3.connect(out)
    cols = [r[1] for r in con.execute("PRAGMA table_info(areas)")]
    assert "threat_index" not in cols and not any("threat" in c for c in cols)
    (desc,), = con.execute("SELECT description FROM gpkg_contents WHERE table_name = 'areas'").fetchall()
    assert desc.startswith(sample_read.inputs.parameters.public_marking + ".")


def test_without_boundaries_areas_are_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "points.gpkg"
    assert main(["map", str(make_workbook(tmp_path)), "-o", str(out)]) == 0
    con = sqlite3.connect(out)
    assert con.execute("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'areas'").fetchone() == ("POINT",)
    pts = [shapely.from_wkb(_wkb(g)) for (g,) in con.execute("SELECT geom FROM areas ORDER BY fid")]
    assert [(p.x, p.y) for p in pts] == [(400000, 300000), (403000, 300000), (410000, 290000), (420000, 280000)]
    assert "(4 areas as points (no boundaries_file); 3 sites, 3 options)" in capsys.readouterr().out


def test_an_area_without_coordinates_is_counted_apart_from_the_points(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A4 with blank easting and northing is valid once all three of its travel times
    are given (S1, S2 in the base force and S3 added here): it is written with a NULL
    geometry, so the line says 3 areas as points and 1 without a point, naming it
    (docs/maps.md#the-geopackage); it had said "4 areas as points"."""
    sheets = base_sheets()
    sheets["Areas"][4][5] = sheets["Areas"][4][6] = None
    sheets["TravelTimes"].append(["S3", "A4", 12])
    out = tmp_path / "nopoint.gpkg"
    assert main(["map", str(make_workbook(tmp_path, sheets)), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert ("(3 areas as points (no boundaries_file), 1 without a point (no easting/northing, a NULL geometry): "
            "A4; 3 sites, 3 options)") in said, said
    con = sqlite3.connect(out)
    geoms = dict(con.execute("SELECT area_id, geom FROM areas"))
    assert geoms["A4"] is None and all(geoms[a] is not None for a in ("A1", "A2", "A3"))


def test_with_boundaries_an_area_left_without_one_is_counted_as_a_point(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Boundaries for A1-A3 only: A4 falls back to its point, and the line counts 3 areas
    as boundaries and 1 as a point, not "4 areas as boundaries"."""
    from _boundary_files import SHAPES, write_gpkg

    write_gpkg(tmp_path / "areas.gpkg", {k: v for k, v in SHAPES.items() if k != "A4"})
    sheets = base_sheets()
    sheets["Parameters"].append(["boundaries_file", "areas.gpkg", ""])
    assert main(["map", str(make_workbook(tmp_path, sheets)), "-o", str(tmp_path / "out.gpkg")]) == 0
    assert "(3 areas as boundaries, 1 as a point (no boundary); 3 sites, 3 options)" in capsys.readouterr().out


def test_bad_inputs_are_one_line_with_the_contract_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = make_workbook(tmp_path)
    assert main(["map", str(book), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "must be saved as a GeoPackage ending in .gpkg" in capsys.readouterr().err
    assert main(["map", str(book), "-o", str(tmp_path / "nowhere" / "out.gpkg")]) == 2
    assert "the folder does not exist" in capsys.readouterr().err
    sheets = base_sheets()
    sheets["Parameters"].append(["boundaries_file", "missing.gpkg", ""])
    bad = make_workbook(tmp_path, sheets, name="bad.xlsx")
    # A missing map file does not stop the work (it serves only the maps): one warning
    # line, and the areas are drawn and exported as points.
    assert main(["map", str(bad), "-o", str(tmp_path / "out.gpkg")]) == 0
    err = capsys.readouterr().err
    assert "warning: Parameters row" in err and "column value" in err
    assert "boundaries_file names 'missing.gpkg', but no such file is beside the workbook" in err
    assert "the maps draw each area as a point" in err
    assert "Traceback" not in err and (tmp_path / "out.gpkg").exists()
    (tmp_path / "out.gpkg").unlink()
    # the output may not be the boundaries file the workbook names
    (tmp_path / "areas.gpkg").write_bytes(b"")
    sheets = base_sheets()
    sheets["Parameters"].append(["boundaries_file", "areas.gpkg", ""])
    named = make_workbook(tmp_path, sheets, name="named.xlsx")
    assert main(["map", str(named), "-o", str(tmp_path / "areas.gpkg")]) == 1  # empty file: invalid workbook
    assert (tmp_path / "areas.gpkg").read_bytes() == b""


def test_output_is_never_the_named_boundaries_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from _boundary_files import SHAPES, write_gpkg

    write_gpkg(tmp_path / "areas.gpkg", SHAPES)
    before = (tmp_path / "areas.gpkg").read_bytes()
    sheets = base_sheets()
    sheets["Parameters"].append(["boundaries_file", "areas.gpkg", ""])
    book = make_workbook(tmp_path, sheets)
    assert main(["map", str(book), "-o", str(tmp_path / "areas.gpkg")]) == 2
    assert "it is an input the workbook names (areas.gpkg)" in capsys.readouterr().err
    assert (tmp_path / "areas.gpkg").read_bytes() == before
