"""The Coverage view: option, hour and difference modes recolour the map as the bands
say; the distribution curve is the population share reached within each minute."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from desktop_app.core.coverage.incident_verdict import verdict  # noqa: E402
from desktop_app.core.coverage.series import cumulative_share  # noqa: E402
from desktop_app.ui import palette  # noqa: E402
from desktop_app.ui.coverage_view import (  # noqa: E402
    ALL_DAY,
    ALL_FREE,
    BACKUP,
    BUSY,
    CoverageView,
    hour_label,
)
from desktop_app.ui.map_widget import band_indices, point_sizes  # noqa: E402
from desktop_app.ui.state import AppState  # noqa: E402


@pytest.fixture(scope="module")
def loaded(sample_read, sample_run):
    """The sample force, read and appraised once per test session (tests/conftest.py)."""
    return sample_read, sample_run


@pytest.fixture()
def view(qtbot, loaded) -> CoverageView:
    rr, run = loaded
    state = AppState()
    v = CoverageView(state)
    qtbot.addWidget(v)
    v.resize(1300, 600)
    v.show()
    state.set_read_result(rr)
    state.set_run(run)
    return v


def hand_band(minutes: float) -> str:
    """The band colour of a response time against the sample's 20-minute target, written out
    from the legend: (lo, hi] minutes with edges T/2, T, 1.5T, 2T, 3T = 10, 20, 30, 40, 60."""
    colours = palette.minute_bands(20).colours
    for upper, colour in zip((10, 20, 30, 40, 60), colours, strict=False):
        if minutes <= upper:
            return colour
    return colours[-1]


def test_band_edges_follow_the_legend() -> None:
    bands = palette.minute_bands(20)
    assert bands.edges[:5] == (10, 20, 30, 40, 60)
    values = np.array([0.0, 10.0, 10.01, 20.0, 29.9, 45.0, 60.0, 60.5, math.inf, math.nan])
    assert band_indices(values, bands.edges).tolist() == [0, 0, 1, 1, 2, 4, 4, 5, 5, 5]
    diffs = np.array([-math.inf, -12, -10, -3, 0, 1, 1.5, 7, 10.5, math.inf])
    assert band_indices(diffs, palette.DIFF_EDGES).tolist() == [0, 0, 0, 2, 3, 3, 4, 5, 6, 6]


def test_changing_the_option_changes_the_map_colours(view: CoverageView, loaded) -> None:
    rr, run = loaded
    inputs = rr.inputs
    medians = {o: run.coverage.per_area[o]["median_response_minutes"].to_numpy() for o in inputs.option_ids}
    base, other = inputs.baseline_id, None
    for o in inputs.option_ids:
        if o != base and any(hand_band(a) != hand_band(b) for a, b in zip(medians[o], medians[base], strict=True)):
            other = o
            break
    assert other is not None
    view.set_mode(ALL_FREE)
    view.set_option(base)
    base_colours = view.map.area_colours()
    assert base_colours == [hand_band(m).lower() for m in medians[base]]
    view.set_option(other)
    assert view.map.area_colours() == [hand_band(m).lower() for m in medians[other]]
    assert view.map.area_colours() != base_colours


def test_hour_slider_uses_that_hours_response_times(view: CoverageView, loaded) -> None:
    rr, run = loaded
    oid = rr.inputs.option_ids[1]
    view.set_mode(ALL_FREE)
    view.set_option(oid)
    view.hour_slider.setValue(3)
    assert view.hour_label.text() == "03:00–04:00"
    view.flush()  # the slider coalesces key presses: apply the waiting step now
    response = run.coverage.options[oid].response[:, 3]  # Monday (the first day) 03:00
    assert view.map.area_colours() == [hand_band(m).lower() for m in response]
    view.hour_slider.setValue(ALL_DAY)
    view.flush()
    assert view.hour_label.text() == hour_label(ALL_DAY) == "Whole week"
    assert not view.day_combo.isEnabled()


def test_day_selector_picks_the_hour_of_the_week(view: CoverageView, loaded) -> None:
    rr, run = loaded
    base = rr.inputs.baseline_id
    view.set_mode(ALL_FREE)
    view.set_option(base)
    view.day_combo.setCurrentIndex(4)  # Friday
    view.hour_slider.setValue(22)
    view.flush()
    # Friday 22:00 is hour 4 x 24 + 22 = 118 of the week: the Friday-night crew is on.
    assert view.week_hour() == 118
    response = run.coverage.options[base].response[:, 118]
    assert view.map.area_colours() == [hand_band(m).lower() for m in response]
    assert "ARV01" in view._sites_active(base, 118)
    # The crew is a fourth unit at an existing base: the all-free minutes do not change, but
    # the chance a free unit arrives is higher than at the same hour on a Monday.
    friday, monday = run.coverage.options[base].cover_at(118), run.coverage.options[base].cover_at(22)
    assert (friday >= monday).all() and (friday > monday).any()


def test_busy_units_switch_shows_the_chance_of_a_free_unit(view: CoverageView, loaded) -> None:
    rr, run = loaded
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    view.set_mode(BUSY)
    cover = run.coverage.per_area[oid]["expected_cover"].to_numpy()
    idx = band_indices(cover, palette.COVER_BANDS.edges)
    assert view.map.area_colours() == [palette.COVER_BANDS.colours[i].lower() for i in idx]
    view.hour_slider.setValue(3)
    view.flush()
    at3 = run.coverage.options[oid].cover_at(3)
    assert view.map.area_colours() == [palette.COVER_BANDS.colours[i].lower() for i in band_indices(at3, palette.COVER_BANDS.edges)]
    view.set_mode(BACKUP)
    g = run.coverage.options[oid].backup_at(3)
    assert view.map.area_colours() == [palette.COVER_BANDS.colours[i].lower() for i in band_indices(g, palette.COVER_BANDS.edges)]
    # The hour-of-week chart follows the switch: busy-unit cover, then all-free cover.
    view.set_mode(BUSY)
    _x, y = view.hour_curves[oid].getData()
    assert y.tolist() == pytest.approx((100 * run.coverage.by_hour[oid]).tolist())
    view.set_mode(ALL_FREE)
    _x, y = view.hour_curves[oid].getData()
    assert y.tolist() == pytest.approx((100 * run.coverage.by_hour_all_free[oid]).tolist())


def test_second_officer_switch_changes_the_words_and_the_week_not_only_the_map(view: CoverageView, loaded) -> None:
    """On the second-officer map the summary, the week's lines, the heat map and the hover
    text all speak of the second officer (they had kept the first officer's figures)."""
    rr, run = loaded
    cov = run.coverage
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    view.set_mode(BACKUP)
    view.day_combo.setCurrentIndex(1)  # Tuesday
    view.hour_slider.setValue(4)
    view.flush()
    hour = 24 + 4  # Tue 04:00 is hour 28 of the week
    assert view.week_hour() == hour
    # the hourly table by hand: population-weighted mean of the option's G in that hour
    pop = rr.inputs.areas["population"].to_numpy(float)
    g = cov.options[oid].backup_at(hour)
    assert cov.by_hour_backup.at[hour, oid] == pytest.approx(float(pop @ g / pop.sum()))
    _x, y = view.hour_curves[oid].getData()
    assert y.tolist() == pytest.approx((100 * cov.by_hour_backup[oid]).tolist())
    tb = rr.inputs.parameters.backup_target_minutes
    assert view.heat_map.plot.getPlotItem().titleLabel.text.endswith(f"% covered (second officer within {tb:g} min)")
    text = view.summary.text()
    shown = f"{100 * cov.by_hour_backup.at[hour, oid]:.1f}%"
    assert f"a second armed officer is on scene within {tb:g} minutes for <b>{shown}</b> of residents on Tue at 04:00" in text
    assert f"first free armed unit reaches {100 * cov.by_hour.at[hour, oid]:.1f}%" in text
    tip = view._area_tip(0).splitlines()
    assert tip[3] == f"Chance of a second armed officer within {tb:g} min: {g[0]:.0%} ({view.option_combo.currentText()}, Tue 04:00–05:00)"
    assert tip[4].startswith("Chance a free armed unit arrives in time")
    # back on the first officer, the words are the first officer's again
    view.set_mode(BUSY)
    assert "second armed officer" not in view.summary.text() and "Second armed officer" not in view._area_tip(0)


def test_incident_panel_states_observed_against_modelled(view: CoverageView, loaded) -> None:
    _rr, run = loaded
    check = run.coverage.incident_validation
    text = view.incident_panel.label.text()
    assert "Model against last year" in text
    assert f"{100 * check['observed_within_target']:.1f}%" in text
    assert f"{100 * check['modelled_within_target']:.1f}%" in text
    assert f"{check['incidents']} past incidents" in text
    # the baseline by name, and each comparison's chance margin if the model were right:
    # 1.96 x sqrt(sum p(1 - p)) / n over the modelled chances p of the same incidents
    assert "<b>Model against last year</b> (Do minimum, the baseline)" in text
    rural = check["rural"]
    r = verdict(rural)
    assert r is not None and r.margin_points == pytest.approx(100 * rural["chance_margin"])
    within = "within" if r.kind == "consistent" else "beyond"
    assert (f"Rural {100 * rural['observed_within_target']:.1f}% observed, "
            f"{100 * rural['modelled_within_target']:.1f}% modelled, {within} ±{r.margin_points:.1f} "
            f"({rural['incidents']} incidents)") in text
    assert "95% chance margin" in view.incident_panel.label.toolTip()  # what ± is, on hover
    overall = verdict(check)
    assert overall is not None
    if overall.kind == "consistent":  # the sample: 67.2% against 63.6%, 3.6 apart within ±3.8
        assert (f"consistent with what happened ({abs(overall.gap_points):.1f} points apart, "
                f"within ±{overall.margin_points:.1f} by chance)") in text
    else:
        assert f"points, beyond the ±{overall.margin_points:.1f} chance alone gives" in text
    assert "within 5 points" not in text  # no fixed pass mark


def test_the_panel_says_when_a_gap_is_beyond_chance() -> None:
    from desktop_app.ui.incident_panel import describe_check

    # 400 incidents at 0.5: margin 1.96 x sqrt(100) / 400 = 4.9 points; 56% observed, 50% modelled
    check = {"incidents": 400, "observed_within_target": 0.56, "modelled_within_target": 0.5,
             "chance_margin": 0.049, "rural": {}, "urban": {}}
    text = describe_check(check, 20, "Do minimum")
    assert ("more pessimistic than what happened by 6.0 points, beyond the ±4.9 chance alone gives: "
            "check busy fractions") in text


def test_difference_from_baseline(view: CoverageView, loaded) -> None:
    rr, run = loaded
    base = rr.inputs.baseline_id
    view.set_mode(ALL_FREE)
    view.diff_check.setChecked(True)
    view.set_option(base)
    # The baseline against itself: every area "within 1 min".
    assert set(view.map.area_colours()) == {palette.DIFF_COLOURS[3].lower()}
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    a = run.coverage.per_area[oid]["median_response_minutes"].to_numpy()
    b = run.coverage.per_area[base]["median_response_minutes"].to_numpy()
    faster = int(np.sum(a - b <= -10))  # the first band is "10+ min faster"
    assert view.map.area_colours().count(palette.DIFF_COLOURS[0].lower()) == faster


def test_sites_used_by_the_option_are_filled(view: CoverageView, loaded) -> None:
    rr, _run = loaded
    inputs = rr.inputs
    oid = inputs.option_ids[1]
    view.set_option(oid)
    used = set(inputs.deployments.loc[inputs.deployments["option_id"] == oid, "site_id"])
    filled = 0
    for scatter in view.map.site_items.values():
        for spot in scatter.points():
            if spot.brush().color().name() == palette.INK:
                filled += 1
    assert filled == len(used & set(inputs.sites["site_id"]))


def test_cumulative_share_by_hand() -> None:
    # Two areas (populations 100 and 300) over two hours.
    response = np.array([[5.0, 15.0], [25.0, math.inf]])
    population = np.array([100, 300])
    grid = np.array([0.0, 5.0, 14.9, 15.0, 30.0, 1e9])
    # Area-hours weigh 100, 100, 300, 300 (total 800): reached at 5 -> 100, 15 -> 200, 25 -> 500.
    assert cumulative_share(response, population, grid).tolist() == pytest.approx(
        [0.0, 100 / 800, 100 / 800, 200 / 800, 500 / 800, 500 / 800]
    )


def test_distribution_curves_match_the_population_coverage_measure(view: CoverageView, loaded) -> None:
    rr, run = loaded
    target = run.coverage.target_minutes
    population = rr.inputs.areas["population"].to_numpy(float)
    for oid in rr.inputs.option_ids:
        share = cumulative_share(run.coverage.options[oid].response, population, np.array([target]))[0]
        assert share == pytest.approx(run.coverage.measures.at[oid, "population_coverage_all_free"], abs=1e-9)
        x, y = view.dist_curves[oid].getData()
        assert y[-1] <= 100.0 + 1e-9


def test_tooltip_names_area_population_and_time(view: CoverageView, loaded) -> None:
    rr, run = loaded
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    text = view._area_tip(0)
    row = rr.inputs.areas.iloc[0]
    minutes = run.coverage.per_area[oid]["median_response_minutes"].iloc[0]
    assert row["area_name"] in text
    assert f"Population {int(row['population']):,}" in text
    assert f"{minutes:.1f} min" in text


def test_point_sizes_grow_with_population() -> None:
    sizes = point_sizes(np.array([0, 100, 400, 1600]))
    assert sizes[0] == pytest.approx(5.0) and sizes[-1] == pytest.approx(17.0)
    # Marker area, not diameter, is proportional to population: diameter ~ sqrt.
    assert (sizes[2] - 5) == pytest.approx(2 * (sizes[1] - 5))


def test_map_hover_tip_is_wired_to_the_area(view: CoverageView, loaded) -> None:
    # The sample has boundaries (a Voronoi cell per area, docs/maps.md#the-sample), and each
    # area's centroid lies inside its own cell: hovering it names its area (unless a site
    # symbol sits on it: sites come first). tests/test_ui_map.py covers points.
    rr, _run = loaded
    view.set_option(rr.inputs.option_ids[2])
    assert view.map.has_polygons and view.map.painted_areas() == len(rr.inputs.areas)
    sites = rr.inputs.sites[["easting", "northing"]].to_numpy(float)
    areas = rr.inputs.areas
    i = next(i for i in range(len(areas))
             if np.hypot(*(sites - areas[["easting", "northing"]].to_numpy(float)[i]).T).min() > 3000)
    text = view.map.tip_at(float(areas["easting"].iloc[i]), float(areas["northing"].iloc[i]))
    assert areas["area_name"].iloc[i] in text


def test_summary_names_the_target_in_the_schemas_words(view: CoverageView) -> None:
    # The sample's target is 20 minutes; the screen and the summary workbook share one wording.
    from desktop_app.core.workbook.schema import within_target

    assert within_target(20.0) == "within 20 minutes"
    assert "within 20 minutes" in view.summary.text()
    # busy units said in words: the share is the nearest *free* unit's, beside the all-free figure
    assert "allowing for units busy elsewhere, the nearest free armed unit reaches" in view.summary.text()
    assert "if every unit were free" in view.summary.text()
    # and the threat-weighted share the Value functions and Scenarios views show (79.9% on
    # the sample's rural option), so the page does not seem to disagree with them
    oid = view.current_option()
    threat = view.state.coverage.measures.at[oid, "threat_coverage"]
    assert f"threat covered {100 * threat:.1f}% (areas weighted by their APSTRA threat, not residents)" in view.summary.text()


def test_distribution_per_hour_and_week_equal_the_direct_curves(view: CoverageView, loaded) -> None:
    # The chart keeps one curve per hour class; an hour's curve and the week's must equal
    # cumulative_share over that hour's, and over all 168 hours', area-hours.
    from desktop_app.ui.coverage_charts import GRID

    rr, run = loaded
    population = rr.inputs.areas["population"].to_numpy(float)
    for oid in rr.inputs.option_ids:
        response = run.coverage.options[oid].response
        week = cumulative_share(response, population, GRID)
        np.testing.assert_allclose(view.distribution.share(oid, ALL_DAY), week, atol=1e-12)
        np.testing.assert_allclose(view.distribution.share(oid, 118),
                                   cumulative_share(response[:, 118], population, GRID), atol=1e-12)


def test_all_options_chart_and_summary_follow_the_switch(view: CoverageView, loaded) -> None:
    """The first chart and the summary's headline show what the switch names (they had shown
    the all-free curves and the busy-unit share whatever the switch said)."""
    from desktop_app.ui.coverage_charts import GRID

    rr, run = loaded
    cov = run.coverage
    oid = rr.inputs.option_ids[1]
    view.set_option(oid)
    target = float(cov.target_minutes)  # 20 minutes: GRID runs 0, 0.25, ..., so index 80
    at = int(np.searchsorted(GRID, target))
    assert GRID[at] == target
    title = view.dist_plot.getPlotItem().titleLabel.text
    # Busy units (the default): at the target the week's curve is population_coverage, the
    # population-weighted chance a free unit arrives in time, hour-weighted over the week.
    view.set_mode(BUSY)
    _x, y = view.dist_curves[oid].getData()
    assert y[at] == pytest.approx(100 * cov.measures.at[oid, "population_coverage"], abs=1e-9)
    title = view.dist_plot.getPlotItem().titleLabel.text
    assert title.startswith("Response allowing for busy units (the whole week)")
    text = view.summary.text()
    assert text.index("allowing for units busy elsewhere") < text.index("if every unit were free")
    # Every unit free: the curve at the target is population_coverage_all_free, and the summary leads with it.
    view.set_mode(ALL_FREE)
    _x, y = view.dist_curves[oid].getData()
    free = cov.measures.at[oid, "population_coverage_all_free"]
    assert y[at] == pytest.approx(100 * free, abs=1e-9)
    assert view.dist_plot.getPlotItem().titleLabel.text.startswith("Response if every unit were free")
    text = view.summary.text()
    assert f"if every unit were free, the nearest armed unit would reach <b>{100 * free:.1f}%</b>" in text
    busy = cov.measures.at[oid, "population_coverage"]
    assert f"({100 * busy:.1f}% allowing for units busy elsewhere)" in text
    # ... against the baseline's all-free share, not its busy-unit one
    base = rr.inputs.baseline_id
    base_free = f"{100 * cov.measures.at[base, 'population_coverage_all_free']:.1f}"
    gap = float(f"{100 * free:.1f}") - float(base_free)  # the difference of the two figures shown, 0.1 each
    assert f"+{gap:.1f} points vs" in text
    # In one hour (Tue 04:00 = hour 28) the busy curve is that hour's: its value at the
    # target is the hour's population cover, by_hour.
    view.set_mode(BUSY)
    view.day_combo.setCurrentIndex(1)
    view.hour_slider.setValue(4)
    view.flush()
    _x, y = view.dist_curves[oid].getData()
    assert y[at] == pytest.approx(100 * cov.by_hour.at[28, oid], abs=1e-9)
    assert view.dist_plot.getPlotItem().titleLabel.text.startswith("Response allowing for busy units (Tue 04:00)")
    # The second-officer map: the chart says it is still the first armed unit.
    view.set_mode(BACKUP)
    assert view.dist_plot.getPlotItem().titleLabel.text.startswith("First officer only; map shows the second (")


def test_map_keys_name_the_minutes_and_the_officer(view: CoverageView, loaded) -> None:
    # The sample: target 20 minutes, backup target 30 (Parameters); the keys give the minutes,
    # and the difference map says whose chance changed.
    rr, _run = loaded
    view.set_option(rr.inputs.option_ids[1])
    tb = rr.inputs.parameters.backup_target_minutes
    view.set_mode(BUSY)
    assert _key(view).endswith("unit arrives within 20 min")
    # on three short lines, so the key leaves the width to the map
    assert _key(view) == "Chance the nearest free armed unit arrives within 20 min"
    assert view.map.legend.items[0][1].text.count("<br>") == 2
    view.set_mode(BACKUP)
    assert _key(view).endswith(f"officer within {tb:g} min")
    view.diff_check.setChecked(True)
    assert _key(view).endswith("baseline: second officer")
    view.set_mode(BUSY)
    assert _key(view).endswith("baseline: free unit in time")
    # the heat map beside it still shows the option's own cover, and says so
    assert view.heat_map.plot.getPlotItem().titleLabel.text.endswith("% covered (busy units allowed for), not a difference")
    view.diff_check.setChecked(False)
    assert not view.heat_map.plot.getPlotItem().titleLabel.text.endswith("not a difference")


def _key(view: CoverageView) -> str:
    """The map key's title as plain text (the label wraps it in <b>)."""
    return view.map.legend.items[0][1].text.removeprefix("<b>").removesuffix("</b>").replace("<br>", " ")
