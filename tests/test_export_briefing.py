"""Issue 15: the summary is right about whose weights, reusable, accessible, and has a
public version without threat data. (Print checks on the PDF: test_export_libreoffice.py.)"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from export_helpers import appraise, table
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main
from desktop_app.core.colours import contrast_ratio
from desktop_app.core.export import build_summary_bytes, workbook, write_summary
from desktop_app.core.export.styles import SERIES_COLOURS
from desktop_app.core.pipeline import results_to_json, run_appraisal
from desktop_app.core.workbook.reader import read_workbook

SETS = ["Community panel", "Police Federation", "PCC office"]


@pytest.fixture(scope="module")
def inputs(sample_path: Path) -> Any:
    rr = read_workbook(sample_path)
    assert rr.inputs is not None
    return rr


def _run(rr: Any, weight_set: str | None = None, samples: int = 400) -> Any:
    return run_appraisal(rr.inputs, rr.findings, weight_set=weight_set, samples=samples, seed=7)


def _book(run: Any, **kw: Any) -> tuple[bytes, openpyxl.Workbook]:
    data = build_summary_bytes(run, **kw)
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _summary_labels(wb: openpyxl.Workbook) -> dict[str, Any]:
    ws = wb["Summary"]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


@pytest.fixture(scope="module")
def sample_book(inputs: Any) -> tuple[Any, bytes, openpyxl.Workbook]:
    run = _run(inputs)
    data, wb = _book(run)
    return run, data, wb


# ------------------------------------------------------------------ whose weights


@pytest.mark.parametrize("weight_set", SETS)
def test_each_weight_set_run_names_the_set_on_page_1_and_the_weights_sheet(inputs: Any, weight_set: str) -> None:
    run = _run(inputs, weight_set, samples=200)
    _data, wb = _book(run)
    labels = _summary_labels(wb)
    assert labels["Weights used"] == weight_set
    assert labels["Weight set"] == weight_set
    section = [wb["Summary"].cell(r, 1).value for r in range(1, wb["Summary"].max_row + 1)]
    assert f"Ranking under {weight_set}" in section
    assert "force's" not in "\n".join(str(v) for v in labels.values())  # no claim about whose weights
    # the workbook weights' ranking is shown beside it
    wb_top = run.workbook_appraisal.top_option
    assert labels["Workbook weights"].startswith("For comparison, under the Workbook weights the order is: 1st " + wb_top)
    ws = wb["Weights"]
    assert ws["A1"].value == f"Weights: how much each criterion counts under {weight_set}"
    rows = {r["criterion_id"]: r for r in table(ws)}
    raw = inputs.inputs.weight_set(weight_set)
    total = sum(float(raw.get(c, 0.0)) for c in rows)
    for cid, r in rows.items():
        # the "weight" column is the set's normalised weight: its raw weight / their sum
        assert r["weight"] == pytest.approx(float(raw.get(cid, 0.0)) / total)
        assert r["set_swing_weight"] == pytest.approx(float(raw.get(cid, 0.0)))
        # and the workbook's own swing weight is labelled as such, beside its normalised weight
        assert r["workbook_weight"] == pytest.approx(float(run.workbook_appraisal.weights[cid]))
    header = [c.value for c in ws[3]]
    assert f"Normalised weight used: {weight_set}" in header
    assert "Swing weight in the Criteria sheet (workbook weights)" in header
    scores = {r["option_id"]: r for r in table(wb["Scores"])}
    assert all(scores[o]["workbook_rank"] == run.workbook_appraisal.ranks[o] for o in scores)
    charts = _chart_xml(_data)
    assert sum(weight_set in c for c in charts) == 2  # both Scores charts' titles name it


def test_workbook_weights_run_is_named_the_same_way(sample_book: tuple) -> None:
    run, _data, wb = sample_book
    assert run.appraisal.weights_name == "Workbook weights" and run.weight_set is None
    labels = _summary_labels(wb)
    assert labels["Weights used"] == "Workbook weights"
    assert "Workbook weights" not in labels  # no comparison line: it is the workbook weights
    assert wb["Weights"]["A1"].value.endswith("under Workbook weights")
    assert {p.name: p.value for p in wb.custom_doc_props}["Weights used"] == "Workbook weights"


def test_provenance_in_the_json(inputs: Any, sample_path: Path) -> None:
    import hashlib

    from desktop_app import __version__

    doc = results_to_json(_run(inputs, "Community panel", samples=150))
    assert doc["provenance"] == {
        "input_sha256": hashlib.sha256(sample_path.read_bytes()).hexdigest(), "tool_version": __version__,
        "weight_set": "Community panel", "scenario": None, "samples": 150, "seed": 7}
    assert results_to_json(_run(inputs, None, samples=0))["provenance"]["weight_set"] is None
    assert list(doc)[-2:] == ["provenance", "validation"]


def test_page_1_briefing_parts(sample_book: tuple) -> None:
    run, _data, wb = sample_book
    labels = _summary_labels(wb)
    # the sample's decision_question parameter (test_decision_question_parameter_is_used: the default)
    assert labels["What the panel is asked"] == run.inputs.parameters.decision_question
    # page 1 gives the answer before the detail: the ranking comes before the options
    col_a = [wb["Summary"].cell(r, 1).value for r in range(1, wb["Summary"].max_row + 1)]
    assert col_a.index("Ranking under Workbook weights") < col_a.index("The options")
    # one runner-up, by one rule: second-highest total value
    order = run.appraisal.totals.sort_values(ascending=False)
    second = order.index[1]
    assert labels["Runner-up"].startswith(f"{second} ")
    # the gap of the two totals as shown (docs/summary-workbook.md#figures-in-words): on the
    # sample 63.0 - 60.8 = 2.2, where the unrounded 62.98 - 60.85 = 2.14 would print 2.1
    gap = round(round(order.iloc[0], 1) - round(order.iloc[1], 1), 1)
    assert f"{gap:.1f} points behind {order.index[0]}" in labels["Runner-up"]
    assert labels["Sensitivity"].startswith("Nearest switch point: ")
    # page 1 also says how sure the ranking is and that the groups differ (both had been pages later):
    # the top option's first-rank share of the SMAA-2 draws, and each set's own first
    top = order.index[0]
    first = float(run.appraisal.robustness.rank_acceptability.loc[top].iloc[0])
    assert labels["How settled"].startswith(f"{top} ") and f"is first in {first:.0%} of weightings drawn at random (a share of weightings, not a chance of being right)" in labels["How settled"]
    for name, wap in run.weight_sets.items():
        assert f"{wap.top_option} " in labels["How settled"] and f"first for {name}" in labels["How settled"]
    assert col_a.index("How settled") < col_a.index("The options")
    # caveats spelled out: the estimated travel times as a count of the pairs
    est = run.inputs.estimated_pairs
    assert f"{est:,} of the {len(run.inputs.sites) * len(run.inputs.areas):,} site-to-area travel times" in labels["Estimated travel times"]
    # the sample has one: C6 (officers required) is scored from least to most preferred option
    assert labels["Local scales"].startswith("1 criterion is scored on a local scale (Armed officers the force must find)")
    text = "\n".join(str(v) for v in labels.values())
    assert "Glossary" in text
    gloss = {r["term"]: r["meaning"] for r in table(wb["Glossary"])}
    for term in ("ARV", "ARO", "FTE", "SMAA", "Confidence factor", "Total value", "Switch point"):
        assert gloss[term], term


def test_decision_question_parameter_is_used(sample_path: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    rr = read_workbook(sample_path)
    params = replace(rr.inputs.parameters, decision_question="Should the panel endorse OPT1 for consultation?")
    run = run_appraisal(replace(rr.inputs, parameters=params), rr.findings, samples=0)
    _data, wb = _book(run)
    assert _summary_labels(wb)["What the panel is asked"] == "Should the panel endorse OPT1 for consultation?"
    params = replace(rr.inputs.parameters, decision_question=None)  # left out: the default sentence
    run = run_appraisal(replace(rr.inputs, parameters=params), rr.findings, samples=0)
    _data, wb = _book(run)
    assert _summary_labels(wb)["What the panel is asked"] == (
        "The panel is asked whether it supports Borderdale Police adopting the top-ranked option, "
        "or would prefer another, and what it would need to see to change that view.")


def test_confidence_factor_is_not_rounded_to_100_percent() -> None:
    from desktop_app.core.export.summary_sheet import _pct

    assert _pct(0.998) == "99.8%" and _pct(1.0) == "100%" and _pct(0.0004) == "0.0%" and _pct(0.456) == "46%"


# ------------------------------------------------------------------ Deployments


def test_deployments_sheet_shows_figures_used_and_their_source(sample_book: tuple) -> None:
    run, _data, wb = sample_book
    rows = table(wb["Deployments"])
    assert len(rows) == len(run.inputs.deployments)
    first = rows[0]  # OPT0 ARV01, 2 posts x crew 2, 0-24, blank busy/mobilisation in the workbook
    assert (first["option_id"], first["site_id"], first["asset_type"]) == ("OPT0", "ARV01", "Armed response vehicle")
    assert first["busy_fraction"] == pytest.approx(0.3) and first["busy_fraction_source"] == "default (busy_fraction_arv)"
    assert first["mobilisation_minutes"] == pytest.approx(1.0) and first["mobilisation_minutes_source"] == "default (mobilisation_minutes_arv)"
    assert first["days"] == "every day" and first["hours_per_week"] == 168
    # 2 posts x 2 crew x 5.5 FTE per 24/7 post x 168/168 = 22 FTE
    assert first["officers_fte"] == pytest.approx(22.0)
    assert first["notes"] == "Two ARVs around the clock at the county town"
    marbury = rows[3]  # 07:00 to 03:00 the next day: 20 hours a day, 140 a week
    assert (marbury["start_hour"], marbury["end_hour"], marbury["hours_per_week"]) == (7, 3, 140)
    aro = next(r for r in rows if r["option_id"] == "OPT1" and r["site_id"] == "PS13")
    # the armed response officers' 35% is the row's own figure; mobilisation is the ARO default
    # the sample sets 0.35 once as the busy_fraction_aro parameter (so its Uncertainty row can vary it)
    assert aro["busy_fraction"] == pytest.approx(0.35) and aro["busy_fraction_source"] == "default (busy_fraction_aro)"
    assert aro["mobilisation_minutes"] == pytest.approx(3.0)
    assert aro["mobilisation_minutes_source"] == "default (mobilisation_minutes_aro)"
    nb = next(r for r in rows if r["site_id"] == "NB01")
    assert nb["busy_fraction"] == pytest.approx(0.5) and nb["busy_fraction_source"] == "row"


def test_deployments_say_whose_officers_and_sum_to_the_options_sheet(sample_book: tuple) -> None:
    # The neighbour's ARV (OPT4's NB01, 11 FTE) is not the force's: the Options sheet counts
    # it apart (neighbour_officers), so the column must say whose each row's officers are;
    # summed blindly, OPT4's rows gave 61.5 FTE against officers_required 50.5.
    _run, _data, wb = sample_book
    rows = table(wb["Deployments"])
    assert wb["Deployments"].cell(3, 16).value == "Officers (FTE)"
    # ...and whose they are reaches paper beside them (the print area's last column, Q, is the 17th)
    area = str(wb["Deployments"].print_area).split("!")[-1].replace("$", "")
    assert wb["Deployments"].cell(3, 17).value == "Whose officers" and area.split(":")[1].startswith("Q"), area
    nb = next(r for r in rows if r["site_id"] == "NB01")
    assert nb["officers_whose"] == "neighbouring force's" and nb["officers_fte"] == pytest.approx(11.0)
    assert {r["officers_whose"] for r in rows} == {"force's own", "neighbouring force's"}
    options = {o["option_id"]: o for o in table(wb["Options"])}
    for oid, o in options.items():
        own = sum(r["officers_fte"] for r in rows if r["option_id"] == oid and r["officers_whose"] == "force's own")
        theirs = sum(r["officers_fte"] for r in rows if r["option_id"] == oid and r["officers_whose"] != "force's own")
        assert own == pytest.approx(o["officers_required"]), oid
        assert theirs == pytest.approx(o["neighbour_officers"]), oid


def test_deployments_days_column_when_present(tmp_path: Path) -> None:
    """Hours on duty a week are the model's: OPT1's ARO rows run 22:00-06:00 (8 hours) on
    "Mon;Tue" (2 days, 16 hours) and "Mon–Fri" with an en-dash (5 days, 40 hours); a copy of
    the day rule in the sheet had counted each as one day (8 hours), so the sheet's officers
    (2 posts x 1 x 5.0 FTE x 16 / 168 = 0.952, and x 40 / 168 = 2.381) missed the Options sheet's."""
    from desktop_app.core.export.deployments_sheet import days_on_duty

    assert days_on_duty(None) == "every day" and days_on_duty("") == "every day"
    assert days_on_duty(" Mon-Fri ") == "Mon-Fri"
    sheets = base_sheets()
    sheets["Deployments"][0].append("days")
    for row in sheets["Deployments"][1:]:
        row.append(None)
    sheets["Deployments"][3][-1] = "Mon;Tue"
    sheets["Deployments"].append(["OPT1", "S2", "ARMED_RESPONSE_OFFICER", 2, 1, 22, 6, 0.2, 4, "Mon\u2013Fri"])
    run = appraise(make_workbook(tmp_path, sheets), samples=100)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    rows = [r for r in table(wb["Deployments"]) if r["option_id"] == "OPT1" and r["site_id"] == "S2"]
    assert [(r["days"], r["hours_per_week"]) for r in rows] == [("Mon;Tue", 16), ("Mon\u2013Fri", 40)]
    fte = float(run.inputs.parameters.fte_per_247_post)
    assert [r["officers_fte"] for r in rows] == pytest.approx([2 * fte * 16 / 168, 2 * fte * 40 / 168])
    opt1 = next(o for o in table(wb["Options"]) if o["option_id"] == "OPT1")
    own = sum(r["officers_fte"] for r in table(wb["Deployments"]) if r["option_id"] == "OPT1")
    assert own == pytest.approx(opt1["officers_required"])


def test_assumptions_give_every_parameter_its_source_and_the_workbook_notes(sample_book: tuple) -> None:
    run, _data, wb = sample_book
    rows = {r["item"]: r for r in table(wb["Assumptions"]) if r["kind"] == "parameter"}
    for name, _v in run.inputs.parameters.as_rows():
        assert name in rows and rows[name]["source"], name
    assert rows["travel_times_file"]["source"].startswith("default")
    assert rows["busy_fraction_aro"]["source"] == "entered in the workbook"
    assert "about a third of the time" in rows["busy_fraction_aro"]["notes"]  # the workbook's own note
    # The sample leaves armed_incidents_per_year blank, so simulate takes its 161 Incidents
    # rows over incident_years = 1: 161 / 1 = 161 a year, which the row must say.
    assert len(run.inputs.incidents) == 161 and run.inputs.parameters.incident_years == 1
    rate = rows["armed_incidents_per_year"]
    assert rate["value"] == "(none)"
    assert rate["source"] == "default (blank): simulate takes 161 a year from the Incidents rows over 1 year"


# ------------------------------------------------------------------ reusable


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_pandas_reads_every_data_sheet_as_one_clean_table(sample_book: tuple, engine: str) -> None:
    _run_, data, wb = sample_book
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        (tbl,) = ws.tables.values()
        names = [c.name for c in tbl.tableColumns]
        frame = pd.read_excel(io.BytesIO(data), sheet_name=name, header=2, engine=engine)
        assert list(frame.columns) == names, name  # no Unnamed columns: nothing beside the table
        min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(tbl.ref)
        assert len(frame) == max_row - min_row, name  # nothing below the table
        assert not frame.isna().all(axis=1).any(), name  # no blank rows


def test_chart_data_sheet_is_last_hidden_and_feeds_every_chart(sample_book: tuple) -> None:
    _run_, data, wb = sample_book
    assert wb.sheetnames[-1] == "ChartData" and wb["ChartData"].sheet_state == "hidden"
    for xml in _chart_xml(data):
        refs = re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml)
        assert refs and all(r.startswith("'ChartData'!") for r in refs), refs[:3]


def test_coverage_has_coordinates_and_full_precision(sample_book: tuple) -> None:
    run, _data, wb = sample_book
    rows = table(wb["Coverage"])
    areas = run.inputs.areas
    assert [r["easting"] for r in rows] == pytest.approx(areas["easting"].astype(float).tolist())
    assert [r["northing"] for r in rows] == pytest.approx(areas["northing"].astype(float).tolist())
    assert [r["threat_index"] for r in rows] == [float(x) for x in run.coverage.threat_index]  # exact


# ------------------------------------------------------------------ accessible


def _chart_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n).decode() for n in sorted(z.namelist()) if re.match(r"xl/charts/chart\d+\.xml$", n)]


def test_every_chart_has_a_name_and_alt_text_and_the_language_is_set(sample_book: tuple) -> None:
    _run_, data, _wb = sample_book
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        frames = []
        for n in z.namelist():
            if re.match(r"xl/drawings/drawing\d+\.xml$", n):
                frames += re.findall(r'<(?:xdr:)?cNvPr id="\d+" name="([^"]*)" descr="([^"]*)"', z.read(n).decode())
        core = z.read("docProps/core.xml").decode()
    maps = [f for f in frames if f[0].startswith("Map ")]  # the Maps sheet's pictures (tests/test_maps_sheet.py)
    tree = [f for f in frames if f[0] == "Value tree"]  # the Weights sheet's picture
    frames = [f for f in frames if not f[0].startswith("Map ") and f[0] != "Value tree"]
    assert len(maps) == 3
    assert len(tree) == 1 and "Response 45%" in tree[0][1]  # the branch and its share, in words
    assert len(frames) == len(_chart_xml(data)) == 6
    names = [f[0] for f in frames]
    assert sorted(names) == sorted(["Population covered by hour of the week",
                                    "Response times, allowing for busy units",
                                    "Weighted value by criterion", "Benefit value against whole-life cost",
                                    f"Tornado for {_run_.appraisal.top_option}", "Residents covered by IMD decile"])
    for _name, alt in frames:
        assert len(alt) > 80 and "ChartData" in alt
    assert re.search(r"<dc:language>en-GB</dc:language>", core)


def test_series_told_apart_without_colour(sample_book: tuple) -> None:
    """Greyscale: every series of a chart differs by pattern (bars) or by dash and marker."""
    _run_, data, _wb = sample_book
    for xml in _chart_xml(data):
        series = re.findall(r"<(?:c:)?ser>(.*?)</(?:c:)?ser>", xml, flags=re.S)
        # every option (or criterion) is a series; the tornado has two, the low and the high end
        assert len(series) >= (2 if "Tornado" in xml else 6), xml[:200]
        if "<c:barChart>" in xml or "<barChart>" in xml:
            keys = [re.search(r'<(?:a:)?pattFill prst="(\w+)"', s).group(1) if "pattFill" in s else "solid" for s in series]
        else:
            keys = []
            for s in series:
                dash = re.search(r'<(?:a:)?prstDash val="(\w+)"', s)
                mark = re.search(r'<(?:c:)?symbol val="(\w+)"', s)
                label = "showSerName val=\"1\"" in s
                keys.append((dash.group(1) if dash else "solid", mark.group(1) if mark else "none", label))
        assert len(set(keys)) == len(series), keys


def test_series_colours_reach_3_to_1_on_white() -> None:
    assert all(contrast_ratio(c) >= 3.0 for c in SERIES_COLOURS), [(c, round(contrast_ratio(c), 2)) for c in SERIES_COLOURS]
    assert contrast_ratio("F0E442") < 3.0 and contrast_ratio("56B4E9") < 3.0  # why Okabe-Ito's yellow/sky are out
    assert contrast_ratio("000000") == pytest.approx(21.0)


def _series_fills(xml: str) -> list[str]:
    """Each series' first colour (line, marker or pattern foreground), in series order."""
    out = []
    for s in re.findall(r"<(?:c:)?ser>(.*?)</(?:c:)?ser>", xml, flags=re.S):
        found = re.search(r'<(?:a:)?srgbClr val="([0-9A-Fa-f]{6})"', s)
        out.append(found.group(1).upper() if found else "")
    return out


def test_the_summary_draws_each_option_and_criterion_in_the_apps_colour(sample_book: tuple) -> None:
    """One palette: option i is the app's option colour i in every summary chart, and each
    criterion's bar segment is the app's criterion colour (its branch's shade)."""
    from desktop_app.ui import palette  # Qt-free: the app's adapter over core.colours

    run, data, _wb = sample_book
    oids = list(run.inputs.options["option_id"].astype(str))
    app = [palette.option_colour(i).lstrip("#").upper() for i in range(len(oids))]
    charts = _chart_xml(data)
    by_hour = next(c for c in charts if "by hour of the week" in c)
    assert _series_fills(by_hour) == app
    spread = next(c for c in charts if "Response times, allowing for busy units" in c)
    assert _series_fills(spread)[:len(oids)] == app  # then the target line, grey
    vfm = next(c for c in charts if "against whole-life cost" in c)
    assert _series_fills(vfm)[:len(oids)] == app  # then the frontier, black
    # e.g. the sample's first option is blue on screen and on paper: #0072B2 both
    assert app[0] == "0072B2" and SERIES_COLOURS[:len(app)] == tuple(app)
    bars = next(c for c in charts if "<c:barChart>" in c or "<barChart>" in c)
    cids = list(run.appraisal.weights.index)
    want = [c.lstrip("#").upper() for c in palette.criterion_colours([run.appraisal.groups.get(c, "") for c in cids])]
    assert _series_fills(bars) == want
    # the sample's value tree: C1-C4 are the Response branch, so they share its blue hue
    assert want[:4] == [palette.BRANCH_SHADES[0][k].lstrip("#").upper() for k in palette.SHADE_ORDER]


def test_past_eight_options_the_colour_repeats_and_the_dash_and_marker_move_on() -> None:
    from desktop_app.core.export import charts
    from desktop_app.ui import palette

    for i in range(24):
        assert charts._colour(i) == palette.option_colour(i).lstrip("#").upper()
    # options 1 and 9 (indexes 0 and 8): the same blue, as in the app, but another dash
    assert charts._colour(0) == charts._colour(8) and charts._dash(0) != charts._dash(8)
    assert len({(charts._colour(i), charts._dash(i)) for i in range(24)}) == 24


def test_every_cell_names_the_font(sample_book: tuple) -> None:
    _run_, data, _wb = sample_book
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
    fonts = re.findall(r'<font>.*?</font>', styles, flags=re.S)
    assert fonts and all('<name val="Arial"' in f for f in fonts)


# ------------------------------------------------------------------ sheet extension point


def test_optional_sheet_writers_slot_in_at_their_contract_place(inputs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run(inputs, samples=0)
    run.scenarios = {"High demand": object()}  # as the scenario branch will give the run
    assert workbook.OPTIONAL_WRITERS["Scenarios"] is not None  # registered by the appraisal branch
    monkeypatch.setitem(workbook.OPTIONAL_WRITERS, "Scenarios", None)
    assert "Scenarios" not in workbook.sheet_names(run)  # no writer: left out

    def scenarios_sheet(ctx: Any, ws: Any) -> None:
        ws.append(["scenario"])

    monkeypatch.setitem(workbook.OPTIONAL_WRITERS, "Scenarios", scenarios_sheet)
    names = workbook.sheet_names(run)
    assert names.index("Scenarios") == names.index("WeightSets") + 1
    # then the sample's Incidents check (its writer is registered), then Coverage, in contract order
    assert names[names.index("Equality") + 1: names.index("Equality") + 3] == ["Incidents", "Coverage"]
    assert names == [s for s in workbook.SHEET_ORDER if s in names]
    _data, wb = _book(run)
    assert wb["Scenarios"]["A1"].value == "scenario"
    assert list(workbook.SHEET_ORDER[6:11]) == ["WeightSets", "Scenarios", "ParameterSensitivity", "Equality", "Incidents"]


# ------------------------------------------------------------------ public version


def _indicator_needles(rr: Any) -> list[str]:
    """Indicator names and descriptions, and every distinctive threat value as the XML would hold it."""
    ind = rr.inputs.indicators
    needles = [str(n) for n in ind["indicator"]] + [str(d) for d in ind["description"]]
    from desktop_app.core.coverage.engine import compute_coverage

    cov = compute_coverage(rr.inputs)
    values = {repr(float(t)) for t in cov.threat_index if len(repr(float(t))) >= 8}  # 0.1234567...: never by chance
    values |= {repr(float(v)) for v in rr.inputs.threat.to_numpy().ravel() if len(repr(float(v))) >= 6}
    return needles + sorted(values)


def test_public_version_has_no_threat_data_and_the_private_one_does(sample_path: Path, tmp_path: Path) -> None:
    rr = read_workbook(sample_path)
    needles = _indicator_needles(rr)
    assert len(needles) > 20
    private, public = tmp_path / "private.xlsx", tmp_path / "public.xlsx"
    assert main(["appraise", str(sample_path), "-o", str(private), "--samples", "200"]) == 0
    assert main(["appraise", str(sample_path), "-o", str(public), "--samples", "200", "--public"]) == 0

    def parts(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", errors="replace") for n in z.namelist())

    everything_private, everything_public = parts(private), parts(public)
    assert [n for n in needles if n in everything_public] == []
    assert "threat_index" not in everything_public and "Threat index (0 = none)" not in everything_public
    # the private version does hold them (so the grep would catch a leak)
    assert sum(n in everything_private for n in needles) >= len(needles) // 2
    assert "threat_index" in everything_private
    wb = openpyxl.load_workbook(public)
    labels = _summary_labels(wb)
    assert labels["Protective marking"] == "OFFICIAL"
    assert labels["Public version"].startswith("This public version is marked OFFICIAL. It leaves out the 6 threat indicators")
    assert all(ws.oddHeader.center.text == "OFFICIAL" for ws in wb.worksheets)


def test_public_json_numbers_are_unchanged(sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", str(sample_path), "-o", str(tmp_path / "a.xlsx"), "--samples", "100", "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["appraise", str(sample_path), "-o", str(tmp_path / "b.xlsx"), "--samples", "100", "--json", "--public"]) == 0
    assert json.loads(capsys.readouterr().out) == a


# ------------------------------------------------------------------ Summary page breaks


def test_a_heading_at_the_foot_of_a_page_moves_to_the_next_with_its_rows() -> None:
    from desktop_app.core.export.page_fit import heading_breaks

    # A 100-point page: rows 1-5 take 15 each (75), the heading (row 6, 20) would fit at
    # 95 but its first row (row 7, 15) would not: break after row 5, the heading starts page 2.
    assert heading_breaks({6: 20.0}, 12, [6], page_pt=100.0, default_pt=15.0) == [5]
    # One row fewer above it and both fit: no break (an early break would waste a page).
    assert heading_breaks({5: 20.0}, 12, [5], page_pt=100.0, default_pt=15.0) == []
    # A short section (the heading and two rows, 50 points, under a third of a page of 160)
    # is kept whole: after rows 1-8 (120) it would end at 170, on the next page, so the page
    # breaks before it, though the heading and its first row (155) alone would have fitted.
    assert heading_breaks({9: 20.0}, 11, [9], page_pt=160.0, default_pt=15.0) == [8]
    # A heading that does not fit at all falls to the next page by itself: no break needed.
    assert heading_breaks({7: 20.0}, 12, [7], page_pt=100.0, default_pt=15.0) == []


def test_summary_options_heading_starts_a_page_with_its_first_option(sample_book: tuple) -> None:
    # The reviewer's render left "The options" alone at the foot of page 1 (LibreOffice's
    # rows were a little taller than ours there): the sample's heading now follows a break.
    _run, _data, wb = sample_book
    ws = wb["Summary"]
    after = {b.id + 1: ws.cell(b.id + 1, 1).value for b in ws.row_breaks.brk}
    assert "The options" in after.values(), after
    row = next(r for r, v in after.items() if v == "The options")
    assert str(ws.cell(row + 1, 1).value).startswith("OPT0")


def test_the_incident_check_says_why_it_differs_from_the_options_measure(sample_book: tuple) -> None:
    """A panel member read 61.9% (Options: past incidents covered) and 63.6% (Incidents: the
    model for the same incidents) for the same baseline; the sheet now says they count
    different incidents: the check only those with an observed time."""
    run, _data, wb = sample_book
    check = run.coverage.incident_validation
    total, checked = len(run.inputs.incidents), int(check["incidents"])
    assert checked < total  # the sample: some incidents have no recorded time
    share = float(run.coverage.measures.at[run.inputs.baseline_id, "incident_coverage"])
    title = str(wb["Incidents"]["A1"].value)
    assert (f"Only the {checked:,} incidents with an observed time are checked; the Options sheet's "
            f"\u201cPast incidents covered\u201d counts all {total:,} ({share:.1%} for the baseline)") in title


def test_the_weights_sheet_shows_officers_ends_as_the_options_sheet_does(sample_book: tuple) -> None:
    """C6's local scale runs between two options' officer counts (83.548 and 50.548 FTE): shown
    to one decimal, as the Options sheet shows officers (83.5), with the full figure kept in
    the cell; the local-scale column's heading is short enough to stay in its column."""
    run, _data, wb = sample_book
    rows = {r["criterion_id"]: r for r in table(wb["Weights"])}
    sc = run.value_model.scales["C6"]
    ws = wb["Weights"]
    cells = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    heads = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    worst = ws.cell(cells["C6"], heads.index("Scores 0 at") + 1)
    assert worst.value == pytest.approx(sc.worst) and worst.number_format == "0.0"
    assert f"{sc.worst:.1f}" == f"{float(run.coverage.measures['officers_required'].max()):.1f}"
    assert rows["C6"]["local_scale"] == "yes"
    assert "Local scale (ends from the options)" in heads


def test_page_1_says_where_the_estimated_travel_times_fall(sample_book: tuple) -> None:
    """The sample's 989 estimated times are every time from the neighbouring force's base
    (Westerby, 989 areas), which OPT4 and OPT5 use: their neighbour cover rests on them."""
    run, _data, wb = sample_book
    mask = run.inputs.estimated
    per_site = mask.sum(axis=1)
    (only,) = [i for i in range(len(per_site)) if per_site[i]]  # one site holds them all
    assert per_site[only] == mask.shape[1] == len(run.inputs.areas)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    said = summary["Estimated travel times"]
    name = str(run.inputs.sites["site_name"].iat[only])
    assert f"All of them are from {name} (every one of its {mask.shape[1]:,} times)" in said, said
    assert "OPT4 Neighbour collaboration and OPT5 Hybrid: three armed stations + neighbour cover deploy there" in said


def test_page_1_possessives_keep_the_option_name_and_count_one_judgement_criterion(tmp_path: Path) -> None:
    """An option named "Arm hill officers" (a name ending in s) is the possessor of its
    annual cost: "Arm hill officers' annual cost", not "officers's", and the name keeps its
    capital in the middle of a sentence ("The widest swing is arm hill officers's" had
    lower-cased a proper name). The base force has one judgement criterion, C3: "1
    criterion is scored by judgement", not "1 criteria are"."""
    sheets = base_sheets()
    sheets["Options"][2][1] = "Arm hill officers"
    # OPT1's annual cost in the workbook is 120,000: the range 100,000 to 150,000 holds it
    sheets["Uncertainty"] = [["parameter", "low", "high"], ["OPT1.annual_cost_gbp", 100000, 150000]]
    run = appraise(make_workbook(tmp_path, sheets), samples=100)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    lines = [(r[0], r[1]) for r in wb["Summary"].iter_rows(values_only=True) if r[0] and isinstance(r[1], str)]
    by_key = dict(lines)
    # the only Uncertainty row is the widest swing
    assert by_key["Tornado"].startswith("The widest swing is Arm hill officers' annual cost, "
                                        "£100,000 to £150,000: in the base case"), by_key["Tornado"]
    (differs,) = [v for k, v in lines if k == "If an input differs"]
    assert "for OPT1 Arm hill officers' annual cost anywhere from £100,000 to £150,000" in differs, differs
    assert by_key["Judgements"].startswith("1 criterion is scored by judgement rather than measured "
                                           "(Community confidence)"), by_key["Judgements"]
    every = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert not [t for t in every if "s's " in t or "arm hill" in t], [t for t in every if "s's " in t]
