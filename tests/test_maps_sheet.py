"""The summary's Maps sheet (docs/maps.md#maps-in-the-summary): pictures, alt text, bands, when it is there."""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from export_helpers import appraise
from PIL import Image
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.export import build_summary_bytes, maps_sheet  # maps_sheet: the submodule
from desktop_app.core.export.map_picture import HEIGHT, WIDTH
from desktop_app.core.geography import bands


@pytest.fixture(scope="module")
def sample_summary(sample_run) -> bytes:
    return build_summary_bytes(sample_run)


def _drawing_of(data: bytes, sheet: str) -> tuple[str, list[bytes]]:
    z = zipfile.ZipFile(io.BytesIO(data))
    from desktop_app.core.export.accessibility import _sheet_drawings

    part = _sheet_drawings(z)[sheet]
    rels = z.read(part.replace("drawings/", "drawings/_rels/") + ".rels").decode()
    media = ["xl/media/" + t.rsplit("/", 1)[-1] for t in re.findall(r'Target="([^"]+\.png)"', rels)]
    return z.read(part).decode(), [z.read(m) for m in media]


def test_the_sample_has_three_maps_with_alt_text(sample_summary: bytes, sample_run) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(sample_summary))
    assert "Maps" in wb.sheetnames and wb.sheetnames.index("Maps") == wb.sheetnames.index("Validation") + 1
    xml, pngs = _drawing_of(sample_summary, "Maps")
    described = re.findall(r'<(?:xdr:)?cNvPr id="\d+" name="([^"]+)" descr="([^"]+)"', xml)
    assert len(described) == 3 == len(pngs)
    top = sample_run.top_option
    assert described[0][0].startswith("Map 1: Cover of the baseline: OPT0")
    assert described[1][0].startswith(f"Map 2: Cover of the top-ranked option: {top}")
    assert described[2][0].startswith(f"Map 3: Difference: {top}")
    # the alt text gives the figure a reader needs: the option's population coverage, as Options has it
    cover = sample_run.coverage.measures.at["OPT0", "population_coverage"]
    assert f"Population coverage {100 * cover:.0f}%" in described[0][1]
    for png in pngs:
        img = Image.open(io.BytesIO(png))
        assert img.size == (WIDTH, HEIGHT) and img.format == "PNG"
    # the figures table on the first page gives each picture's figures
    ws = wb["Maps"]
    assert ws["A1"].value == "Maps: where armed cover reaches, Borderdale Police"
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == ["Cover of the baseline", "Cover of the top-ranked option", "Difference from the baseline"]
    assert ws.cell(4, 3).value == pytest.approx(cover)  # the figures table: population coverage
    # the difference row is the difference of the two figures printed above it, in points:
    # e.g. 47.5% and 50.1% give +2.6 points (the unrounded shares had printed "2.5%")
    shown = [round(100 * ws.cell(r, 3).value + 1e-9, 1) for r in (4, 5)]
    assert ws.cell(6, 3).value == pytest.approx(shown[1] - shown[0])
    assert ws.cell(6, 3).number_format == '+0.0" points";-0.0" points";0.0" points"'
    # Row 2 holds the identifiers for scripts and is hidden, as on every other sheet; row 3 is what prints.
    assert ws.cell(2, 3).value == "population_coverage" and ws.row_dimensions[2].hidden
    assert not ws.row_dimensions[3].hidden


def test_each_area_is_drawn_in_its_band_colour(sample_run) -> None:
    """Render the baseline picture and look at an area's interior pixel: it is the colour of its band."""
    from desktop_app.core.export.map_picture import MapLayer, _bounds, _Frame, render_map

    inputs = sample_run.inputs
    shapes = inputs.boundaries
    cover = sample_run.coverage.per_area["OPT0"]["expected_cover"].to_numpy()
    colours = [bands.COVER_COLOURS[bands.band_of(c, bands.COVER_EDGES)] for c in cover]
    layer = MapLayer("t", colours, [], "legend")
    east, north = inputs.areas["easting"].to_numpy(float), inputs.areas["northing"].to_numpy(float)
    img = Image.open(io.BytesIO(render_map(layer, marking="OFFICIAL", force="F", shapes=shapes, east=east, north=north)))
    import shapely

    frame = _Frame(_bounds(shapes, east, north), (16, 40 + 70 + 16, WIDTH - 300 - 16, HEIGHT - 40 - 16))
    biggest = int(np.argmax([shapely.from_wkb(w).area for w in shapes.original_wkb]))
    inside = shapely.from_wkb(shapes.original_wkb[biggest]).representative_point()
    (x, y), = frame.px(np.array([[inside.x, inside.y]]))
    expected = tuple(int(colours[biggest][i:i + 2], 16) for i in (1, 3, 5))
    assert img.getpixel((round(x), round(y))) == expected


def test_a_points_map_draws_each_area_in_its_colour_at_its_centroid_and_skips_no_coordinates() -> None:
    """Without boundaries each area is a dot at its centroid (positions computed for all
    areas at once); an area with no coordinates is not drawn."""
    from desktop_app.core.export.map_picture import MapLayer, _bounds, _Frame, render_map

    east = np.array([400000.0, 410000.0, 405000.0, np.nan])
    north = np.array([300000.0, 305000.0, 310000.0, 302000.0])
    colours = ["#d4351c", "#00703c", "#1d70b8", "#ffdd00"]
    layer = MapLayer("points", colours, [], "legend")
    img = Image.open(io.BytesIO(render_map(layer, marking="OFFICIAL", force="F", shapes=None, east=east, north=north)))
    frame = _Frame(_bounds(None, east, north), (16, 40 + 70 + 16, WIDTH - 300 - 16, HEIGHT - 40 - 16))
    for i in range(3):
        (x, y), = frame.px(np.array([[east[i], north[i]]]))
        expected = tuple(int(colours[i][k:k + 2], 16) for k in (1, 3, 5))
        assert img.getpixel((round(x), round(y))) == expected, i
    yellow = (0xFF, 0xDD, 0x00)
    assert yellow not in {c for _n, c in img.getcolors(maxcolors=1 << 20)}  # the area with no easting


def test_bands_are_the_apps_palette(qapp) -> None:
    """One set of bands: the core's copy equals desktop_app/ui/palette.py's (and the app's grey)."""
    from desktop_app.ui import palette
    from desktop_app.ui.map_widget import UNCOLOURED, band_indices

    cover = palette.COVER_BANDS
    assert (bands.COVER_EDGES, bands.COVER_LABELS, bands.COVER_COLOURS, bands.COVER_GROUPS) == (
        cover.edges, cover.labels, cover.colours, cover.groups)
    diff = palette.COVER_DIFF_BANDS
    assert (bands.DIFF_EDGES, bands.COVER_DIFF_LABELS, bands.DIFF_COLOURS) == (diff.edges, diff.labels, diff.colours)
    assert bands.NO_DATA_COLOUR == UNCOLOURED
    # and the same band for the same value, edges included (bands are (previous edge, edge])
    values = np.array([0.0, 0.25, 0.2501, 0.5, 0.75, 0.9, 0.99, 0.995, 1.0])
    assert [bands.band_of(v, bands.COVER_EDGES) for v in values] == band_indices(values, cover.edges).tolist()


def test_bands_of_is_band_of_for_every_value() -> None:
    values = [-math.inf, -12, -10, -5.0001, -5, -1, 0, 0.25, 0.2501, 0.5, 0.99, 1.0, 1.5, 10, 10.5, math.inf, math.nan]
    for edges in (bands.COVER_EDGES, bands.DIFF_EDGES):
        assert bands.bands_of(np.array(values), edges).tolist() == [bands.band_of(v, edges) for v in values]


def test_overlapping_dots_put_the_later_area_on_top_with_an_outline() -> None:
    # Two areas 2 px apart, dots of radius 3: pixel (x0 + 1) is inside both, so it takes
    # the second area's colour (drawn later); a pixel 3 px left of the first centre is on
    # the first dot's outline ring (3^2 = 9 > 2.5^2 = 6.25), so it is the outline grey.
    from desktop_app.core.export.map_picture import _MUTED, _draw_dots, _Frame

    img = Image.new("RGB", (40, 40), "#ffffff")
    frame = _Frame((0.0, 0.0, 40.0, 40.0), (0, 0, 40, 40))  # one metre a pixel, y flipped
    _draw_dots(img, frame, np.array([0, 1]), np.array([20.0, 22.0]), np.array([20.0, 20.0]),
               ["#d4351c", "#00703c"], 3)
    (x0, y0), = frame.px(np.array([[20.0, 20.0]]))
    x0, y0 = round(x0), round(y0)
    assert img.getpixel((x0 - 2, y0)) == (0xD4, 0x35, 0x1C)  # only the first dot (4 px from the second)
    assert img.getpixel((x0 + 1, y0)) == (0x00, 0x70, 0x3C)  # both: the later on top
    # 3 px from the second centre: its outline, drawn over the first dot's fill as drawing in turn would.
    assert img.getpixel((x0 - 1, y0)) == tuple(int(_MUTED[i:i + 2], 16) for i in (1, 3, 5))
    muted = tuple(int(_MUTED[i:i + 2], 16) for i in (1, 3, 5))
    assert img.getpixel((x0 - 3, y0)) == muted
    assert img.getpixel((x0 - 5, y0)) == (255, 255, 255)  # outside every dot


def test_band_of_edges() -> None:
    # upper bounds are in their band: 0.25 is "under 25%" (index 0), 0.5 "25-50%", 0.99 "90-99%"
    assert [bands.band_of(v, bands.COVER_EDGES) for v in (0.0, 0.25, 0.2501, 0.5, 0.75, 0.99, 1.0)] == [0, 0, 1, 1, 2, 4, 5]
    assert bands.band_of(float("nan"), bands.COVER_EDGES) == -1
    assert [bands.band_of(v, bands.DIFF_EDGES) for v in (-12, -10, -0.5, 1, 10.5)] == [0, 0, 3, 3, 6]


def test_points_map_without_boundaries_and_none_without_coordinates(tmp_path: Path) -> None:
    run = appraise(make_workbook(tmp_path), samples=50)
    assert maps_sheet.has_maps(run)
    data = build_summary_bytes(run)
    assert "Maps" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    sheets = base_sheets()
    for row in sheets["Areas"][1:]:
        row[5] = row[6] = None
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]] + [
        [s, a, 10.0] for s in ("S1", "S2", "S3") for a in ("A1", "A2", "A3", "A4")]
    run = appraise(make_workbook(tmp_path, sheets, name="nocoords.xlsx"), samples=50)
    assert not maps_sheet.has_maps(run)
    assert "Maps" not in openpyxl.load_workbook(io.BytesIO(build_summary_bytes(run))).sheetnames
