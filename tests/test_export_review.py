"""The summary workbook read as a panel member and a Green Book reviewer would
(docs/summary-workbook.md): which cover the response chart shows, the discounting year
by year, the value tree and the tornado, the equality groups in words, the glossary,
the workbook's notes beside what they explain, formats and row heights, options awaiting
scores, and the scenarios beside the base case.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from export_helpers import column_cells, table

from desktop_app.core.export import write_summary
from desktop_app.core.export.discounting import discount_factors, discount_values
from desktop_app.core.glossary import TERMS
from desktop_app.core.pipeline import AppraisalRun, run_appraisal


@pytest.fixture(scope="module")
def book(sample_run: AppraisalRun, tmp_path_factory: pytest.TempPathFactory) -> tuple[AppraisalRun, Path, Any]:
    out = write_summary(sample_run, tmp_path_factory.mktemp("review") / "summary.xlsx")
    return sample_run, out, openpyxl.load_workbook(out)


def _charts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]


def _chart_data(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="ChartData", header=2, engine="openpyxl")


# ------------------------------------------------------------------ 1. busy-unit cover charted


def test_response_chart_is_the_busy_unit_cover_with_the_all_free_figure_beside_it(book: tuple) -> None:
    run, path, _wb = book
    data = _chart_data(path)
    busy = data[data["Chart"] == "Response times, allowing for busy units"]
    # the all-free block is named for itself ("allowing for busy units if every unit were
    # free" contradicted itself, a reviewer found)
    free = data[data["Chart"] == "Response times if every unit were free"]
    assert len(free) and not data["Chart"].str.contains("busy units if every").any()
    target = float(run.coverage.target_minutes)
    m = run.coverage.measures
    for oid in m.index:
        label = next(s for s in busy["Series"].unique() if s.startswith(f"{oid} "))
        at = busy[(busy["Series"] == label) & (busy["x value"] == target)]["y value"]
        # the curve at the target is the headline measure, and the all-free one its all-free twin
        assert float(at.iloc[0]) == pytest.approx(float(m.loc[oid, "population_coverage"]), abs=1e-9)
        at_free = free[(free["Series"] == label) & (free["x value"] == target)]["y value"]
        assert float(at_free.iloc[0]) == pytest.approx(float(m.loc[oid, "population_coverage_all_free"]), abs=1e-9)
    xml = next(c for c in _charts(path) if "Response times, allowing for busy units" in c)
    # each legend entry carries both figures at the target: OPT0 ...: 48% (all free 54%)
    legends = re.findall(r"<(?:c:)?v>([^<]*all free[^<]*)</(?:c:)?v>", xml)
    opt0 = m.loc["OPT0"]
    assert any(f"{opt0['population_coverage']:.0%} (all free {opt0['population_coverage_all_free']:.0%})" in t
               for t in legends), legends


# ------------------------------------------------------------------ 2. Green Book discounting


def test_discounting_hand_worked() -> None:
    params = type("P", (), {"appraisal_years": 2, "discount_rate": 0.035})()
    assert discount_factors(2, 0.035) == pytest.approx([1.0, 1 / 1.035, 1 / 1.035**2])
    # 100,000 now, 50,000 a year: 100,000 + 48,309.18 + 46,675.54 = 194,984.72; 10% bias 19,498.47
    pv = discount_values(params, 100_000, 50_000, 0.10)
    assert pv == pytest.approx([100_000, 48_309.18, 46_675.54, 194_984.72, 19_498.47], abs=0.01)


def test_options_sheet_shows_each_years_present_value_summing_to_the_whole_life_cost(book: tuple) -> None:
    run, path, wb = book
    rows = {r["option_id"]: r for r in table(wb["Options"])}
    years = int(run.inputs.parameters.appraisal_years)
    for oid, r in rows.items():
        pvs = [r[f"present_value_year_{y}"] for y in range(years + 1)]
        assert sum(pvs) == pytest.approx(r["present_value_total"], rel=1e-12)
        total = r["present_value_total"] + r["optimism_bias_gbp"]
        assert total == pytest.approx(run.coverage.measures.loc[oid, "whole_life_cost_gbp"], rel=1e-12)
    # OPT1: 249,000 a year, year 1 at 1 / 1.035 = 240,579.71
    assert rows["OPT1"]["present_value_year_1"] == pytest.approx(249_000 / 1.035, abs=0.01)
    labels = [c.value for c in wb["Options"][3]]
    assert "Year 1 present value (£) = annual cost x 0.9662" in labels
    assert any(str(v).startswith("One-off cost (£, 2025-26 prices)") for v in labels)  # the price base stated
    assert any("Optimism bias uplift" in str(v) for v in labels)


# ------------------------------------------------------------------ 3. value tree and tornado


def test_weights_sheet_carries_both_levels_and_draws_the_tree(book: tuple) -> None:
    run, path, wb = book
    rows = table(wb["Weights"])
    by_branch: dict[str, float] = {}
    for r in rows:
        # C1: 16.9% of the whole in a branch of 45%: 37.5% within it
        assert r["weight_within_group"] == pytest.approx(r["weight"] / r["group_weight"], rel=1e-12)
        by_branch[r["group"]] = by_branch.get(r["group"], 0.0) + r["weight_within_group"]
    assert all(v == pytest.approx(1.0) for v in by_branch.values())  # each branch's criteria share it whole
    with zipfile.ZipFile(path) as z:
        drawings = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n))
        assert any(n.startswith("xl/media/") for n in z.namelist())
    tree = re.search(r'name="Value tree" descr="([^"]*)"', drawings)
    assert tree and "Response 45%" in tree.group(1) and "Threat covered within target 37.5%" in tree.group(1)


def test_tornado_is_the_top_options_change_at_each_end(book: tuple) -> None:
    run, path, wb = book
    top = run.appraisal.top_option
    base = float(run.appraisal.totals[top])
    data = _chart_data(path)
    tornado = data[data["Chart"].str.startswith("Tornado")]
    # The hidden sheet is not printed (no print area: tests/test_export.py) and its title
    # says so, and how to see it.
    assert wb["ChartData"]["A1"].value.endswith(f"(data appendix, hidden and not printed: {len(data):,} points; "
                                                "unhide the sheet to filter them on screen)")
    low = tornado[tornado["Series"] == "At the low end"]["y value"].tolist()
    high = tornado[tornado["Series"] == "At the high end"]["y value"].tolist()
    # Each bar is the difference of the two totals as the sheets show them, to 0.1, so a reader
    # can reconcile it with the figures: the widest, the ARV crews' busy fraction at 0.45, takes
    # the total from 62.98 (shown 63.0) to 51.32 (shown 51.3), so the bar is 51.3 - 63.0 = -11.7
    # (the unrounded -11.66 rounds the same here; the runner-up's gap, 63.0 - 60.8 = 2.2 where
    # the unrounded totals are 2.14 apart, is where the two part: tests/test_export_briefing.py).
    expected = sorted(((float(s.totals_low[top]), float(s.totals_high[top])) for s in run.parameter_sensitivity),
                      key=lambda b: -abs(b[1] - b[0]))
    assert low == pytest.approx([round(round(e[0], 1) - round(base, 1), 1) for e in expected])
    assert high == pytest.approx([round(round(e[1], 1) - round(base, 1), 1) for e in expected])
    assert high[0] == pytest.approx(-11.7)
    # the widest bar first: the ARV crews' busy fraction (63.0 -> 51.3 at 0.45)
    assert tornado["Category"].iloc[0].startswith("The ARV crews' busy fraction, 0.2 to 0.45")
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Tornado"].startswith("The widest swing is the ARV crews' busy fraction")
    ps = table(wb["ParameterSensitivity"])
    assert ps[0]["in_words"] == ("The top option stays Extra ARV crew (peak hours) for the ARV crews' busy fraction "
                                 "anywhere from 0.2 to 0.45.")  # OPT2, named as a reader knows it


# ------------------------------------------------------------------ 4. equality


def test_equality_names_groups_and_measure_and_the_widest_gap(book: tuple) -> None:
    run, path, wb = book
    rows = table(wb["Equality"])
    words = {r["group"]: r["group_words"] for r in rows}
    assert words["1"] == "IMD decile 1 (most deprived)" and words["10"] == "IMD decile 10 (least deprived)"
    assert words["5"] == "IMD decile 5"
    header = [c.value for c in wb["Equality"][3]]
    # the groups down, the options across, each named as a reader knows it
    options = table(wb["Options"])
    assert header[3:3 + len(options)] == [f"{r['option_id']} {r['option_name']} (%)" for r in options]
    assert rows[0]["group"] == "1" and len(rows) == 10  # IMD deciles 1-10, one row each
    top_id = run.appraisal.top_option
    assert rows[0][f"{top_id}:population_coverage"] == pytest.approx(run.equality["imd_decile"]["1"][top_id])
    title = wb["Equality"]["A1"].value
    assert "residents covered within 20 minutes by group and option" in title
    top = run.appraisal.top_option
    cover = {g: by[top] for g, by in run.equality["imd_decile"].items()}
    lo, hi = min(cover, key=cover.get), max(cover, key=cover.get)  # type: ignore[arg-type]
    assert f"IMD decile {lo}" in title and f"IMD decile {hi}" in title
    # The gap of the two figures as printed: 63% - 28% = 35 points (the unrounded shares'
    # gap rounds to 34, which a reader could not reconcile with 63 and 28).
    shown_hi, shown_lo = round(100 * cover[hi]), round(100 * cover[lo])
    assert f"{shown_lo}% of its residents" in title and f"{shown_hi}%, a gap" in title
    assert f"a gap of {shown_hi - shown_lo} percentage points" in title
    xml = next(c for c in _charts(path) if "by IMD decile" in c)
    assert "Residents covered within 20 minutes (allowing for busy units), by IMD decile" in xml
    assert "1 = most deprived, 10 = least deprived" in xml  # the axis says what the bars' groups are


# ------------------------------------------------------------------ 5. glossary


#: Words in capitals that are not abbreviations: the national threat levels.
_THREAT_LEVELS = {"LOW", "MODERATE", "SUBSTANTIAL", "SEVERE", "CRITICAL"}


def test_every_abbreviation_on_any_sheet_is_in_the_glossary(book: tuple) -> None:
    run, _path, wb = book
    inputs = run.inputs
    codes = {str(x) for x in inputs.options["option_id"]} | {str(x) for x in inputs.criteria["criterion_id"]}
    codes |= {str(x) for x in inputs.sites["site_id"]} | {str(x) for x in inputs.areas["area_id"]}
    defined = set()
    for term, _meaning in TERMS:
        defined |= {t.strip() for t in re.split(r"[/ ]", term) if t.strip()}
    found: dict[str, str] = {}
    for ws in wb:
        if ws.title in ("Glossary", "ChartData", "Coverage"):
            continue
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if not isinstance(v, str):
                    continue
                for tok in re.findall(r"\b[A-Z][A-Z0-9-]*[A-Z0-9]\b", v):
                    word = tok.rstrip("s")
                    if word in codes or word in _THREAT_LEVELS or re.search(r"\d", word.split("-")[0]):
                        continue  # an identifier (OPT1, C2, ARV01) or a threat level, not an abbreviation
                    found.setdefault(word, ws.title)
    missing = {t: s for t, s in found.items() if t not in defined}
    assert not missing, missing
    gloss = {r["term"]: r["meaning"] for r in table(wb["Glossary"])}
    for term in ("ARV", "ARO", "FTE", "SMAA", "Swing weight", "Benefit value", "Total value", "Confidence factor",
                 "Busy fraction", "Mobilisation", "APSTRA", "LSOA", "IMD", "Discount factor", "Optimism bias",
                 "Tornado", "Scenario", "Value tree", "Awaiting scores"):
        assert gloss.get(term), term
    assert "benefit value" in gloss["Efficient frontier"]  # the frontier is drawn over benefit value, not total


# ------------------------------------------------------------------ 6. notes beside what they explain


def test_workbook_notes_sit_beside_the_figures_they_explain(book: tuple, sample_path: Path) -> None:
    _run, _path, wb = book
    src = openpyxl.load_workbook(sample_path, read_only=True)

    def notes(sheet: str, key: str) -> dict[str, str]:
        rows = list(src[sheet].iter_rows(values_only=True))
        h = list(rows[0])
        return {str(r[h.index(key)]): str(r[h.index("notes")]) for r in rows[1:] if r[h.index("notes")]}

    options = {r["option_id"]: r for r in table(wb["Options"])}
    for oid, note in notes("Options", "option_id").items():
        assert options[oid]["notes"] == note  # beside the one-off and annual costs it builds up
    headers = [c.value for c in wb["Options"][2]]
    assert headers.index("notes") == headers.index("optimism_bias") + 1
    ps = table(wb["ParameterSensitivity"])
    for p, note in notes("Uncertainty", "parameter").items():
        assert {r["notes"] for r in ps if r["parameter"] == p} == {note}
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert "A tighter local target the PCC has asked about" in summary["Scenario 15-minute target"]


# ------------------------------------------------------------------ 7. formats and row heights


def test_shares_print_as_percentages_money_to_the_pound_and_wrapped_rows_are_tall_enough(book: tuple) -> None:
    _run, _path, wb = book
    ws = wb["Weights"]
    kinds = {r["criterion_id"]: r["measure"] for r in table(ws)}
    for cell in column_cells(ws, "worst") + column_cells(ws, "best"):
        measure = kinds[ws.cell(cell.row, 1).value]
        if measure in ("threat_coverage", "backup_coverage", "rural_coverage"):
            assert "%" in cell.number_format, (measure, cell.number_format)
        if measure == "whole_life_cost_gbp":
            assert "£" in cell.number_format, cell.number_format
    ps = wb["ParameterSensitivity"]
    for cell in column_cells(ps, "low"):
        if str(ps.cell(cell.row, 1).value).endswith("_gbp"):
            assert "£" in cell.number_format  # £700,000, not 700000
    # "The top option stays OPT2 for OPT3's one-off cost anywhere from £700,000 to £1,500,000." wraps
    # a word at a time in its column: the row is as tall as its lines
    from desktop_app.core.export.tables import LINE_HEIGHT, header_lines

    # Hand-worked: a 44-wide column holds (44 - 1.5) / 0.87 = 48.9 characters a line, so "OPT3.one_off_cost_gbp"
    # does not fit after "The top option stays OPT2 for" (51 > 48.9): the 89-character sentence takes
    # 3 lines (29, 47 and 11 characters), not the 2 its length alone suggests.
    assert header_lines("The top option stays OPT2 for OPT3.one_off_cost_gbp anywhere from £700,000 to £1,500,000.",
                        44, 0.87) == 3
    col = next(c for c in ps[2] if c.value == "in_words").column_letter
    width = ps.column_dimensions[col].width
    for cell in column_cells(ps, "in_words"):
        need = header_lines(str(cell.value), width, 0.87)  # LibreOffice: 1.15 characters of prose per unit
        if need > 1:
            assert ps.row_dimensions[cell.row].height >= LINE_HEIGHT * need, (cell.row, need)


# ------------------------------------------------------------------ 8. awaiting scores


def test_an_option_awaiting_scores_says_so_on_every_sheet_it_appears(sample_read: Any, tmp_path: Path) -> None:
    from desktop_app.core.added_option import AddedOption, DeploymentSpec

    inputs = sample_read.inputs
    site = str(inputs.sites["site_id"].iloc[4])
    extra = DeploymentSpec(site, "ARMED_RESPONSE_OFFICER", 1, 1, 0, 24, 0.1, 3.0)
    added = AddedOption("NEW", "Baseline + one armed officer", "", 30_000.0, 90_000.0, 6.0, (extra,),
                        include_baseline=True)
    run = run_appraisal(inputs, [], samples=200, extra_options=[added])
    assert run.awaiting_scores == ["NEW"]
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    seen = []
    for ws in wb:
        rows = [r for r in ws.iter_rows(values_only=True) if "NEW" in r or any(isinstance(v, str) and v.startswith("NEW ") for v in r)]
        if not rows or ws.title == "Validation":
            continue
        seen.append(ws.title)
        for r in rows:
            assert any(isinstance(v, str) and "awaiting scores" in v for v in r), (ws.title, r)
            if ws.title == "Scores":
                assert r[-1] == "awaiting scores: not ranked until the workshop scores it"
    assert {"Summary", "Options", "Scores", "Scenarios", "Equality", "Deployments"} <= set(seen), seen
    scores = {r["option_id"]: r for r in table(wb["Scores"])}
    assert scores["NEW"]["rank"] is None and scores["NEW"]["total_value"] is None  # not ranked


# ------------------------------------------------------------------ 9. scenarios


def test_scenarios_sit_beside_the_base_case(book: tuple) -> None:
    run, _path, wb = book
    rows = table(wb["Scenarios"])
    assert [r["option_id"] for r in rows] == list(run.appraisal.ranks.sort_values().index)
    for r in rows:
        oid = r["option_id"]
        assert r["base:rank"] == run.appraisal.ranks[oid]
        for name, rerun in run.scenarios.items():
            assert r[f"scenario:{name}:rank"] == rerun.appraisal.ranks[oid]
            assert r[f"scenario:{name}:total_value"] == pytest.approx(float(rerun.appraisal.totals[oid]))
            assert r[f"scenario:{name}:threat_coverage"] == pytest.approx(float(rerun.measures.loc[oid, "threat_coverage"]))
    # the title stays short (it wraps within the two key columns every page repeats: naming each
    # case's top option it ran to 12 lines); each case's top option is its rank 1 and page 1's
    title = wb["Scenarios"]["A1"].value
    assert title == "Scenarios beside the base case (each a full re-run, Workbook weights)"
    assert wb["Scenarios"].row_dimensions[1].height <= 4 * 18.0 + 4  # four lines of 14 pt at most
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    for name, rerun in run.scenarios.items():
        assert next(r for r in rows if r[f"scenario:{name}:rank"] == 1)["option_id"] == rerun.appraisal.top_option
        assert rerun.appraisal.top_option in summary[f"Scenario {name}"], summary[f"Scenario {name}"]


def test_a_run_under_a_scenario_names_it_on_page_1_beside_the_base_case(sample_read: Any, tmp_path: Path) -> None:
    run = run_appraisal(sample_read.inputs, [], samples=200, scenario="SEVERE threat level")
    assert run.base_case is not None
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Scenario"].startswith("SEVERE threat level: every figure in this workbook is this scenario's")
    # the changes in words, as the Scenarios view says them (the workbook's names stay on the Scenarios sheet)
    assert ("(the national threat level set to SEVERE (a label: it changes no figure), the ARV crews' busy fraction set to 0.45 and the armed "
            "response officers' busy fraction set to 0.45)") in summary["Scenario"]
    # the tornado varies the workbook as entered (it says "in the base case"): page 1 says so
    assert "the parameter sensitivity and its tornado (ParameterSensitivity sheet) vary the workbook as entered" \
        in summary["Scenario"]
    rows = {r["option_id"]: r for r in table(wb["Scenarios"])}
    header = [c.value for c in wb["Scenarios"][3]]
    assert "Base case (the workbook as entered): rank" in header and "SEVERE threat level (this run): rank" in header
    for oid, r in rows.items():
        # the base case column is the workbook as entered, not this run
        assert r["base:total_value"] == pytest.approx(float(run.base_case.appraisal.totals[oid]))
        assert r["scenario:SEVERE threat level:total_value"] == pytest.approx(float(run.appraisal.totals[oid]))


def test_page_1_names_every_option_by_code_and_name_and_every_input_in_words(book: tuple) -> None:
    """Page 1 names options as its ranking table does ("OPT2 Extra ARV crew (peak hours)"):
    a panel member reading the sensitivity, tornado, input and stakeholder lines should not
    have to look a bare code up, nor read a workbook name such as busy_fraction_arv."""
    run, _path, wb = book
    lines = [(r[0], r[1]) for r in wb["Summary"].iter_rows(values_only=True) if r[0] and isinstance(r[1], str)]
    by_key = dict(lines)
    top = "OPT2 Extra ARV crew (peak hours)"
    assert run.appraisal.top_option == "OPT2"
    # the nearest switch is C5 at 18.7% (now 14.0%), where Do minimum takes over (the Sensitivity sheet)
    assert by_key["Sensitivity"].endswith(f"OPT0 Do minimum would come first instead of {top}.")
    assert by_key["Tornado"].startswith("The widest swing is the ARV crews' busy fraction, 0.2 to 0.45: in the base "
                                        f"case the total value of {top} (63.0) moves by")
    inputs = [v for k, v in lines if k == "If an input differs"]
    assert inputs[0] == f"The top option stays {top} for the ARV crews' busy fraction anywhere from 0.2 to 0.45."
    assert any(f"{top} for OPT3 New rural ARV base at Fellbeck's one-off cost" in v for v in inputs)
    assert by_key["Community panel"] == (f"OPT3 New rural ARV base at Fellbeck (total value 68.8); the top option "
                                         f"under Workbook weights, {top}, ranks 2nd.")
    assert by_key["Scenario 15-minute target"].startswith("A full re-run with the response target (minutes) set to 15; ")
    # no line of page 1 leaves an option as a bare code or an input by its workbook name
    for key, text in lines:
        assert not re.search(r"\bOPT\d\b(?! [A-Z])", text), (key, text)
        assert not re.search(r"\b(busy_fraction|mobilisation_minutes|target_minutes|threat_level)", text), (key, text)


def test_under_a_weight_set_the_tree_gives_the_sets_branch_shares(sample_read: Any, tmp_path: Path) -> None:
    """A weight set weights criteria directly: each branch's share is the sum of its criteria's."""
    run = run_appraisal(sample_read.inputs, [], samples=0, weight_set="Community panel")
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    rows = table(wb["Weights"])
    for group in {r["group"] for r in rows}:
        members = [r for r in rows if r["group"] == group]
        total = sum(r["weight"] for r in members)
        assert all(r["group_weight"] == pytest.approx(total) for r in members), group
        assert sum(r["weight_within_group"] for r in members) == pytest.approx(1.0), group
    # the set's own weights: C1 and C2 at 9.1% of a 36.4% Response branch, a quarter each
    c1 = next(r for r in rows if r["criterion_id"] == "C1")
    assert c1["weight"] == pytest.approx(1 / 11) and c1["weight_within_group"] == pytest.approx(0.25)


def test_options_charts_lie_outside_the_repeated_key_columns_and_inside_the_first_block(book: tuple) -> None:
    """Anchored in A:B (repeated on every block of columns), LibreOffice printed each chart again, cut at B."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    _run, _path, wb = book
    ws = wb["Options"]
    repeated = ws.print_title_cols  # "$A:$B": the code and name repeat on every block's page
    last_repeated = column_index_from_string(repeated.split(":")[-1].replace("$", ""))  # 2
    first_break = min(b.id for b in ws.col_breaks.brk)  # the first block ends after this column
    assert len(ws._charts) == 2
    for chart in ws._charts:
        col0 = chart.anchor._from.col + 1  # 1-based: C is 3
        assert col0 > last_repeated
        # Excel's width unit is about 0.19 cm a character (7 px at 96 dpi + padding): the block from
        # the chart's column to the break (C:D, 70 + 13 = 83 characters, about 15.8 cm) holds 15 cm.
        room_cm = sum(ws.column_dimensions[get_column_letter(c)].width * 7 / 96 * 2.54 for c in range(col0, first_break + 1))
        assert chart.width <= room_cm


def test_each_options_line_gives_the_second_officer_beside_the_first(book: tuple) -> None:
    """A lone armed officer is not read as cover: page 1's line for each option gives the
    share a second armed officer reaches within the backup target (an OR review found the
    first officer's cover alone on page 1)."""
    run, _path, wb = book
    text = "\n".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str))
    tb = run.inputs.parameters.backup_target_minutes
    for oid in run.coverage.option_ids:
        share = float(run.coverage.measures.at[oid, "backup_coverage"])
        # e.g. "a second armed officer reaches 56% of residents within 30 minutes" (whole percent, as shown)
        from desktop_app.core.shown import percent

        assert f"a second armed officer reaches {percent(share)} of residents within {tb:g} minutes" in text, oid


def test_chart_names_are_cut_after_a_whole_word_and_only_when_too_long() -> None:
    from desktop_app.core.export.charts import RIGHT_LEGEND_CHARS, legend_name
    from desktop_app.core.export.what_if_charts import TORNADO_LABEL_CHARS

    # The reviewer's render: "OPT3 New rural ARV base at Fell…", "OPT1 Arm rural resp…".
    assert legend_name("OPT3 New rural ARV base at Fellbeck", 32) == "OPT3 New rural ARV base at…"
    assert legend_name("OPT1 Arm rural response officers", 20) == "OPT1 Arm rural…"
    # No dangling joiner before the ellipsis, and a name that fits is never touched.
    assert legend_name("OPT5 Hybrid: three armed stations + neighbour cover", 36) == "OPT5 Hybrid: three armed stations…"
    assert legend_name("OPT2 Extra ARV crew (peak hours)", 32) == "OPT2 Extra ARV crew (peak hours)"
    # A cut exactly at a space keeps every word before it.
    assert legend_name("aaaa bbbb cccc", 10) == "aaaa bbbb…"
    # The sample's names that were cut now fit their charts whole: the weekly legend's
    # 35-character OPT3 and the tornado's label with its range's high end (69 characters).
    assert len("OPT3 New rural ARV base at Fellbeck") <= RIGHT_LEGEND_CHARS
    assert len("New rural ARV base at Fellbeck's one-off cost, £700,000 to £1,500,000") <= TORNADO_LABEL_CHARS


def test_tornado_labels_keep_each_inputs_range_whole(book: tuple) -> None:
    # Cut at 60 characters the label lost its range's high end ("£700,000 to…").
    _run, path, _wb = book
    data = _chart_data(path)
    labels = set(data[data["Chart"].str.startswith("Tornado")]["Category"])
    assert "New rural ARV base at Fellbeck's one-off cost, £700,000 to £1,500,000" in labels, labels
    assert not any(str(c).endswith("…") for c in labels)
