"""The app's map with boundaries: polygons, districts, hover names, the target break, the
week heat map and the busy-unit chart, and the hour slider's path cache."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from map_shapes import grid_shapes, voronoi_shapes  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from desktop_app.core.coverage.series import week_grid  # noqa: E402
from desktop_app.ui import palette  # noqa: E402
from desktop_app.ui.coverage_view import ALL_FREE, BUSY, CoverageView  # noqa: E402
from desktop_app.ui.map_widget import CoverMap, band_indices  # noqa: E402
from desktop_app.ui.state import AppState  # noqa: E402


@pytest.fixture(scope="module")
def with_shapes(sample_read, sample_run):
    """The sample force with Voronoi boundaries of its area centroids (a copy: the session's
    inputs stay as they were)."""
    inputs = sample_read.inputs
    areas = inputs.areas
    shapes = voronoi_shapes(areas["easting"].to_numpy(float), areas["northing"].to_numpy(float),
                            areas["district"].astype(str).tolist())
    shaped = replace(inputs, boundaries=shapes)
    return replace(sample_read, inputs=shaped), replace(sample_run, inputs=shaped), shapes


@pytest.fixture()
def view(qtbot, with_shapes) -> CoverageView:
    rr, run, _shapes = with_shapes
    state = AppState()
    v = CoverageView(state)
    qtbot.addWidget(v)
    v.resize(1300, 640)
    v.show()
    state.set_read_result(rr)
    state.set_run(run)
    return v


def test_polygons_are_drawn_when_boundaries_exist(view: CoverageView, with_shapes) -> None:
    _rr, _run, shapes = with_shapes
    m = view.map
    assert m.has_polygons
    assert m.painted_areas() == len(shapes) == 989  # every sample area is a polygon
    assert len(m.areas.points()) == 0  # and none is a point
    # The filled item covers exactly the cells' extent.
    xy = np.vstack([ring for polys in shapes.display for poly in polys for ring in poly])
    rect = m.fills.boundingRect()
    assert rect.left() == pytest.approx(xy[:, 0].min()) and rect.right() == pytest.approx(xy[:, 0].max())
    assert rect.top() == pytest.approx(xy[:, 1].min()) and rect.bottom() == pytest.approx(xy[:, 1].max())
    # One path per band that has areas, not one item per area.
    bands_used = len(set(m.brush_indices.tolist()))
    assert len(m.fills.layers) == bands_used <= len(palette.COVER_BANDS.colours)
    # Districts: an outline and a name each.
    assert m.district_lines is not None
    assert sorted(label.textItem.toPlainText() for label in m.district_labels) == sorted(shapes.districts)


def test_points_without_boundaries(qtbot) -> None:
    m = CoverMap()
    qtbot.addWidget(m)
    m.set_areas(np.array([0.0, 1000.0, np.nan]), np.array([0.0, 500.0, 1.0]), np.array([10, 40, 5]))
    assert not m.has_polygons and m.painted_areas() == 0 and m.fills is None
    assert len(m.areas.points()) == 2  # the area without coordinates is not drawn
    m.set_values(np.array([0, 5, 3]), palette.COVER_BANDS, "t")
    assert m.area_colours() == [palette.COVER_BANDS.colours[0].lower(), palette.COVER_BANDS.colours[5].lower()]


def test_the_view_spans_every_site_as_well_as_the_areas(qtbot) -> None:
    """A neighbouring force's base over the border (the version-1 test force's S3 at 430,000
    east, areas from 398,700 to 421,300) had been off the map: the view was the areas' alone."""
    m = CoverMap()
    qtbot.addWidget(m)
    m.set_areas(np.array([398_700.0, 421_300.0]), np.array([280_000.0, 290_000.0]), np.array([10, 40]))
    sites = pd.DataFrame({"site_id": ["S1", "S3"], "site_name": ["ARV base", "Neighbour base"],
                          "site_type": ["ARV_BASE", "NEIGHBOUR_BASE"],
                          "easting": [400_000.0, 430_000.0], "northing": [285_000.0, 280_000.0]})
    m.set_sites(sites, {"S3"})
    (x0, x1), (y0, y1) = m.getPlotItem().vb.viewRange()
    assert x0 < 398_700 and x1 > 430_000 and y0 < 280_000 < 290_000 < y1


def test_areas_without_a_shape_stay_points(qtbot) -> None:
    shapes = grid_shapes(2)
    shapes = replace(shapes, display=(shapes.display[0], ()))  # the second area has no boundary
    m = CoverMap()
    qtbot.addWidget(m)
    m.set_areas(np.array([450.0, 5000.0]), np.array([450.0, 5000.0]), np.array([1, 1]), shapes)
    assert m.painted_areas() == 1 and len(m.areas.points()) == 1


def test_hover_over_a_site_shows_its_name(qtbot, view: CoverageView, with_shapes) -> None:
    rr, _run, _shapes = with_shapes
    qtbot.waitExposed(view)
    site = rr.inputs.sites.iloc[0]
    vb = view.map.getPlotItem().vb
    scene_pt = vb.mapViewToScene(pg_point(float(site["easting"]), float(site["northing"])))
    widget_pt = view.map.mapFromScene(scene_pt)
    QTest.mouseMove(view.map.viewport(), QPoint(widget_pt.x(), widget_pt.y()))
    qtbot.waitUntil(lambda: str(site["site_name"]) in view.map.hover_text, timeout=2000)
    assert "Police station" in view.map.hover_text or "ARV base" in view.map.hover_text \
        or "Neighbour" in view.map.hover_text
    # At the centroid of an area away from every site (its Voronoi cell holds it), the
    # area's own details show.
    sites = rr.inputs.sites[["easting", "northing"]].to_numpy(float)
    centres = rr.inputs.areas[["easting", "northing"]].to_numpy(float)
    i = next(i for i in range(len(centres)) if np.hypot(*(sites - centres[i]).T).min() > 3000)
    tip = view.map.tip_at(float(centres[i, 0]), float(centres[i, 1]))
    assert str(rr.inputs.areas["area_name"].iloc[i]) in tip
    assert view.map.tip_at(-1e7, -1e7) == ""  # off the map: nothing


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_band_breaks_at_the_target() -> None:
    # Target 20: 19.99 minutes is within (the lighter blue, band 1), 20.01 beyond (orange, band 2).
    bands = palette.minute_bands(20)
    idx = band_indices(np.array([19.99, 20.0, 20.01]), bands.edges)
    assert idx.tolist() == [1, 1, 2]
    under, over = bands.colours[1], bands.colours[2]
    assert under in palette.WITHIN_COLOURS and over in palette.BEYOND_COLOURS
    # The break is a change of hue (blue to orange), not a step between two greens:
    # blue dominates the colour under the target and red the one over it.
    u, o = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (under, over))
    assert u[2] > u[0] and o[0] > o[2]
    assert bands.groups[0] == ("Within the 20-minute target", 2)
    # A 15-minute target moves every edge with it.
    assert palette.minute_bands(15).edges[:5] == (7.5, 15, 22.5, 30, 45)


def test_every_map_colour_is_at_least_3_to_1_on_the_map() -> None:
    bands = (palette.minute_bands(20), palette.COVER_BANDS, palette.DIFF_BANDS, palette.COVER_DIFF_BANDS)
    for b in bands:
        assert sum(n for _h, n in b.groups) == len(b.colours) == len(b.labels) == len(b.edges)
        for colour in b.colours:
            assert palette.contrast_ratio(colour, palette.MAP_BACKGROUND) >= 3.0, colour
    # The WCAG formula by hand: black on white is (1 + 0.05) / (0 + 0.05) = 21.
    assert palette.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


def test_map_colours_an_area_just_under_and_just_over_the_target_differently(view: CoverageView, with_shapes) -> None:
    rr, run, _shapes = with_shapes
    view.set_mode(ALL_FREE)
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    minutes = run.coverage.per_area[oid]["median_response_minutes"].to_numpy()
    colours = view.map.area_colours()
    target = run.coverage.target_minutes
    within = [c for m, c in zip(minutes, colours, strict=True) if target - 5 < m <= target]
    beyond = [c for m, c in zip(minutes, colours, strict=True) if target < m <= target + 5]
    assert within and beyond
    assert set(within) == {palette.WITHIN_COLOURS[1].lower()}
    assert set(beyond) == {palette.BEYOND_COLOURS[0].lower()}
    # The legend says where the break is.
    labels = [label.text for _sample, label in view.map.legend.items]
    assert any("Within the 20-minute target" in t for t in labels)
    assert any("Beyond the target" in t for t in labels)


def test_heat_map_is_the_week_grid_of_the_option(view: CoverageView, with_shapes) -> None:
    rr, run, _shapes = with_shapes
    oid = rr.inputs.option_ids[2]
    view.set_option(oid)
    view.set_mode(BUSY)
    expected = week_grid(run.coverage.by_hour[oid].to_numpy())
    assert view.heat_map.values.shape == (7, 24)
    np.testing.assert_allclose(view.heat_map.values, expected)
    # Friday 22:00 is row 4, column 22 = hour 118 of the week.
    assert view.heat_map.values[4, 22] == pytest.approx(run.coverage.by_hour.at[118, oid])
    assert "Fri 22:00–23:00" in view.heat_map.cell_text(4, 22)
    np.testing.assert_allclose(view.heat_map.image.image, 100 * expected)
    view.set_mode(ALL_FREE)
    np.testing.assert_allclose(view.heat_map.values, week_grid(run.coverage.by_hour_all_free[oid].to_numpy()))


def test_busy_unit_chart_shows_the_real_cover_against_all_free(view: CoverageView, with_shapes) -> None:
    rr, run, _shapes = with_shapes
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    view.chart_tabs.show_page(view.busy_chart.widget)
    busy, free = view.busy_chart.shown
    from desktop_app.ui.coverage_charts import GRID

    at = int(np.searchsorted(GRID, run.coverage.target_minutes))
    assert busy[at] == pytest.approx(run.coverage.measures.at[oid, "population_coverage"], abs=1e-9)
    assert free[at] == pytest.approx(run.coverage.measures.at[oid, "population_coverage_all_free"], abs=1e-9)
    assert (busy <= free + 1e-12).all() and (free - busy).max() > 0.05
    assert f"allowing for busy units <b>{100 * busy[at]:.1f}%</b>" in view.busy_chart.caption.text()
    # One option's chart: the key of every option's colours is hidden over it (its room
    # kept), and the all-free line is grey, not the black of the sixth option (the Hybrid)
    from desktop_app.ui import palette

    view.chart_tabs.show_page(view.heat_map.plot)  # with two rows, the week's row shows one option too
    assert view.chart_tabs.is_current(view.heat_map.plot)
    assert not view.key.isVisible() and view.key.sizePolicy().retainSizeWhenHidden()
    assert view.busy_chart.free.opts["pen"].color().name() == palette.MUTED_INK
    assert palette.option_colour(5) != palette.MUTED_INK
    view.chart_tabs.show_page(view.distribution.plot)
    assert view.key.isVisible()


def test_hour_slider_recolours_from_the_cache(view: CoverageView, with_shapes) -> None:
    rr, run, _shapes = with_shapes
    oid = rr.inputs.baseline_id
    view.set_option(oid)
    view.set_mode(BUSY)
    view.day_combo.setCurrentIndex(4)  # Friday
    cache = view.map.cache
    assert cache is not None
    classes = set(run.coverage.options[oid].hour_class[24 * 4: 24 * 5].tolist())
    before = cache.built
    for sweep in range(2):
        for h in range(24):
            view.hour_slider.setValue(h)
            view.flush()
            expected = band_indices(run.coverage.options[oid].cover_at(96 + h), palette.COVER_BANDS.edges)
            assert view.map.brush_indices.tolist() == expected.tolist()
        if sweep == 0:
            first = cache.built - before
    # Hours of one class colour alike: at most one build per hour class, none on the way back.
    assert 1 <= first <= len(classes)
    assert cache.built - before == first
    assert cache.hits >= 48 - first


def test_key_presses_are_coalesced(qtbot, view: CoverageView) -> None:
    view.set_mode(BUSY)
    view.day_combo.setCurrentIndex(0)
    view.hour_slider.setValue(0)
    view.flush()
    calls: list[int] = []
    original = view.map.set_values
    view.map.set_values = lambda *a, **k: (calls.append(1), original(*a, **k))  # type: ignore[method-assign]
    view.hour_slider.setFocus()
    for _ in range(8):
        QTest.keyClick(view.hour_slider, Qt.Key.Key_Right)
    assert view.hour_label.text() == "08:00–09:00" and calls == []  # the label follows at once
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=2000)
    qtbot.wait(100)
    assert len(calls) == 1  # eight presses, one redraw


def test_optimiser_map_draws_the_boundaries(qtbot, with_shapes) -> None:
    from desktop_app.ui.optimiser_view import OptimiserView
    rr, run, shapes = with_shapes
    state = AppState()
    v = OptimiserView(state, None, lambda *a, **k: None)  # no undo needed: nothing is added here
    qtbot.addWidget(v)
    state.set_read_result(rr)
    state.set_run(run)
    v._on_inputs()
    assert v.map.painted_areas() == len(shapes)
    # before any answer, the baseline's cover as the default measure (threat covered,
    # allowing for busy units) counts it: each area's chance a free unit arrives in time
    chance = run.coverage.per_area[rr.inputs.baseline_id]["expected_cover"].to_numpy(float)
    expected = band_indices(chance, palette.COVER_BANDS.edges)
    assert v.map.brush_indices.tolist() == expected.tolist()
    # an all-free measure: the baseline's median minutes if every unit were free
    from desktop_app.ui.optimiser_map import lower_median_minutes

    v.measure.setCurrentIndex(v.measure.findData("threat_coverage_all_free"))
    base = run.coverage.options[rr.inputs.baseline_id].response
    expected = band_indices(lower_median_minutes(base), palette.minute_bands(run.coverage.target_minutes).edges)
    assert v.map.brush_indices.tolist() == expected.tolist()
    assert not math.isnan(float(pd.Series(v.map.brush_indices).mean()))


def test_district_names_move_off_the_site_markers(view: CoverageView) -> None:
    """A district name under a site marker (drawn above it) loses letters: on the sample,
    Carrowby's name sat on its ARV base and Marbury and Rookdale's on a police station.
    Each name now takes the nearest place clear of every marker, inside the map, and no
    name is hidden for it (the sample's five districts keep five names)."""
    from desktop_app.ui.district_names import MARKER_HALF as _MARKER_HALF

    m = view.map
    m._declutter()
    sites = m._site_scene_points()
    assert len(sites) == len(view.state.inputs.sites)
    inside = m.getPlotItem().vb.sceneBoundingRect()
    shown = [label for label in m.district_labels if label.isVisible()]
    assert len(shown) == len(m.district_labels) == 5
    moved = 0
    for label, (hx, hy) in zip(m.district_labels, m._label_homes, strict=True):
        rect = label.sceneBoundingRect()
        assert inside.contains(rect)
        # no marker's 15-pixel box overlaps the name's box
        x, y = sites[:, 0], sites[:, 1]
        hit = ((x + _MARKER_HALF > rect.left()) & (x - _MARKER_HALF < rect.right())
               & (y + _MARKER_HALF > rect.top()) & (y - _MARKER_HALF < rect.bottom()))
        assert not hit.any(), label.textItem.toPlainText()
        moved += (label.pos().x(), label.pos().y()) != (hx, hy)
    assert moved >= 1  # at least one name had a marker on it at home
    # shown names never overlap each other
    rects = [label.sceneBoundingRect() for label in shown]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_district_names_keep_clear_of_a_views_labels(view: CoverageView) -> None:
    """The Optimiser's chosen-station names are drawn over the map; at 1024 px "Carrowby
    South police station" covered "Carrowby". A label laid on a district name's home makes
    that name move off it or hide, and taking the label away brings the name home."""
    import pyqtgraph as pg

    m = view.map
    m._declutter()
    target = next(label for label in m.district_labels if label.isVisible())
    home = target.sceneBoundingRect()
    cover = pg.TextItem("Carrowby South police station", fill=pg.mkBrush("w"))
    m.getPlotItem().addItem(cover, ignoreBounds=True)
    cover.setPos(target.pos())  # over the name, in data units
    m.avoid_labels([cover])
    over = cover.sceneBoundingRect()
    assert over.intersects(home)  # the label does sit on the name's home
    assert not target.isVisible() or not target.sceneBoundingRect().intersects(over)
    m.avoid_labels([])
    assert target.isVisible() and target.sceneBoundingRect() == home


def test_district_names_come_back_after_another_views_chart_is_exported(qtbot, tmp_path, sample_copy) -> None:
    """Exporting the Appraisal view's chart (as "Export chart..." does) left the off-screen
    Coverage map 320 x 260 px, where only Carrowby's name fits; opened afterwards at full
    size, the map kept that one name of five for good. pyqtgraph updates a name's scale
    only while it is visible, so the hidden names were measured at the shrunken map's zoom
    (one 2,808 px wide) and overlapped everything. Each is now measured at the present zoom."""
    from _workshop_fixtures import load, make_window

    from desktop_app.ui.board_png import Caption, save_board_png

    window, _workshop = make_window(qtbot, tmp_path)
    window.resize(1366, 768)
    load(qtbot, window, sample_copy)
    window.show_view("appraisal")
    qtbot.wait(100)
    save_board_png(window.appraisal_view.current_chart(), tmp_path / "chart.png",
                   Caption(title="Ranking", marking="OFFICIAL-SENSITIVE", force="Borderdale", date="today",
                           weights="Workbook weights"))
    qtbot.wait(100)
    window.show_view("coverage")
    qtbot.wait(400)  # laid out; the range change runs the map's declutter timer (60 ms)
    m = window.coverage_view.map
    shown = [label for label in m.district_labels if label.isVisible()]
    assert len(shown) == len(m.district_labels) == 5
    # each as wide as its text at the map's pixels, not at the shrunken map's zoom
    assert all(label.sceneBoundingRect().width() < 200 for label in shown)
