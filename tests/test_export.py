"""The summary workbook (docs/summary-workbook.md, issue 5): contents equal the results.

The sample force is appraised by ``armed-options appraise --json``; the workbook it
writes is reopened and every measure, value, total, weight, switch point, rank
acceptability and rank is checked against the JSON printed by the same command.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from export_helpers import appraise, column_cells, table
from openpyxl.utils import get_column_letter

from desktop_app import __version__
from desktop_app.cli import main
from desktop_app.core.errors import Cancelled
from desktop_app.core.export import SHEET_ORDER, build_summary_bytes, write_summary
from desktop_app.core.export.print_blocks import budget_px
from desktop_app.core.export.styles import column_px, fit_width_px
from desktop_app.core.pipeline import AppraisalRun
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.reader import read_workbook

SAMPLES = "3000"
#: The sheets too wide for one A4 page that print in blocks of columns (docs/summary-workbook.md#printing).
BLOCK_SHEETS = ("Options", "Weights", "Robustness", "Scenarios", "ParameterSensitivity")


@pytest.fixture(scope="module")
def cli_result(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> tuple[dict[str, Any], openpyxl.Workbook, Path]:
    """Run the acceptance command once: the JSON it prints and the workbook it writes."""
    out = tmp_path_factory.mktemp("cli") / "summary.xlsx"
    import contextlib
    import io

    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        code = main(["appraise", str(sample_path), "-o", str(out), "--json", "--samples", SAMPLES])
    assert code == 0, err.getvalue()
    doc = json.loads(buf.getvalue())
    return doc, openpyxl.load_workbook(out), out


def _same(cell_value: Any, json_value: Any) -> bool:
    """A cell equals a JSON number; JSON null is a blank or "not reached" (infinite minutes)."""
    if json_value is None:
        return cell_value in (None, "not reached")
    return isinstance(cell_value, int | float) and cell_value == pytest.approx(json_value, rel=1e-12, abs=1e-12)


def test_sheets_in_contract_order(cli_result: tuple) -> None:
    _doc, wb, _ = cli_result
    # the order of docs/summary-workbook.md#sheets-in-order; the sample has weight sets,
    # scenarios, uncertain inputs, equality columns and past incidents with observed times
    assert wb.sheetnames == ["Summary", "Options", "Scores", "Weights", "Sensitivity", "Robustness",
                             "WeightSets", "Scenarios", "ParameterSensitivity", "Equality", "Incidents", "Coverage", "Deployments", "Assumptions", "Validation",
                             "Maps", "Glossary", "ChartData"]
    assert [n for n in SHEET_ORDER if n in wb.sheetnames] == wb.sheetnames
    assert wb["ChartData"].sheet_state == "hidden"


def test_options_sheet_equals_json_measures(cli_result: tuple) -> None:
    doc, wb, _ = cli_result
    rows = {r["option_id"]: r for r in table(wb["Options"])}
    assert list(rows) == [o["option_id"] for o in doc["options"]]
    for o in doc["options"]:
        row = rows[o["option_id"]]
        assert row["option_name"] == o["option_name"]
        for m in schema.MEASURES:
            assert _same(row[m], o["measures"][m]), (o["option_id"], m, row[m], o["measures"][m])


def test_scores_sheet_equals_json_values_totals_ranks(cli_result: tuple) -> None:
    doc, wb, _ = cli_result
    rows = {r["option_id"]: r for r in table(wb["Scores"])}
    for o in doc["options"]:
        row = rows[o["option_id"]]
        for cid, v in o["values"].items():
            assert _same(row[cid], v), (o["option_id"], cid)
        assert _same(row["total_value"], o["total_value"])
        assert row["rank"] == o["rank"]
    # hand check: total = sum of weight x value
    for o in doc["options"]:
        total = sum(doc["weights"][c] * v for c, v in o["values"].items())
        assert rows[o["option_id"]]["total_value"] == pytest.approx(total)


def test_weights_sensitivity_robustness_weight_sets_equal_json(cli_result: tuple) -> None:
    doc, wb, _ = cli_result
    weights = {r["criterion_id"]: r["weight"] for r in table(wb["Weights"])}
    assert weights == pytest.approx(doc["weights"], rel=1e-12)
    assert sum(weights.values()) == pytest.approx(1.0)

    got: dict[str, list[float]] = {}
    for r in table(wb["Sensitivity"]):
        got.setdefault(r["criterion_id"], [])
        if r["switch_point"] is not None:
            got[r["criterion_id"]].append(r["switch_point"])
    assert got == {s["criterion_id"]: pytest.approx(s["switch_points"], rel=1e-12) for s in doc["sensitivity"]}

    rob = doc["robustness"]
    for r in table(wb["Robustness"]):
        oid = r["option_id"]
        acc = [r[f"rank_{k}"] for k in range(1, len(rob["rank_acceptability"][oid]) + 1)]
        assert acc == pytest.approx(rob["rank_acceptability"][oid], rel=1e-12)
        assert _same(r["confidence_factor"], rob["confidence_factor"][oid])
        for cid, w in rob["central_weights"][oid].items():
            assert _same(r[f"central_weight_{cid}"], w)

    sets: dict[str, dict[str, tuple]] = {}
    for r in table(wb["WeightSets"]):
        if r["weight_set"] == "Workbook weights":
            continue  # shown first for comparison; not a WeightSets group
        sets.setdefault(r["weight_set"], {})[r["option_id"]] = (r["total_value"], r["rank"])
    assert set(sets) == set(doc["weight_sets"])
    for name, entries in doc["weight_sets"].items():
        for e in entries:
            total, rank = sets[name][e["option_id"]]
            assert _same(total, e["total_value"]) and rank == e["rank"]


def test_validation_sheet_lists_every_finding(cli_result: tuple) -> None:
    doc, wb, _ = cli_result
    rows = table(wb["Validation"])
    assert [(r["level"], r["sheet"], r["row"], r["column"], r["message"]) for r in rows] == [
        (f["level"], f["sheet"], f["row"], f["column"], f["message"]) for f in doc["validation"]
    ]


def test_summary_sheet_is_a_brief(cli_result: tuple, sample_path: Path) -> None:
    doc, wb, path = cli_result
    ws = wb["Summary"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert labels["Force"] == "Borderdale Police"
    assert labels["Protective marking"] == "OFFICIAL-SENSITIVE"
    # one question, the workbook's decision_question (the sample asks about consultation),
    # not a fixed "which option should the force adopt?" beside it
    asked = read_workbook(sample_path).inputs.parameters.decision_question
    assert asked and "consultation" in asked and labels["What the panel is asked"] == asked
    assert "Question being decided" not in labels
    assert labels["National threat level"] in schema.THREAT_LEVELS
    assert labels["Response-time target"] == 20
    # shown as the workbook gives it, "20 minutes", not "20.0 minutes"
    target_cell = next(r[1] for r in wb["Summary"].iter_rows() if r[0].value == "Response-time target")
    assert target_cell.number_format == '0" minutes"'
    assert labels["Input file"] == "borderdale.xlsx"
    import hashlib

    assert labels["Input SHA-256"] == hashlib.sha256(sample_path.read_bytes()).hexdigest()
    assert labels["Tool version"] == f"armed-options {__version__}"
    assert labels["Random seed"] == "20240601"
    assert labels["SMAA samples"].startswith("3,000 weightings")
    # every option has its own line
    for o in doc["options"]:
        assert any(isinstance(k, str) and k.startswith(o["option_id"]) for k in labels), o["option_id"]
    # robustness in words matches the JSON share of first places for the top option
    top = next(o for o in doc["options"] if o["rank"] == 1)
    share = doc["robustness"]["rank_acceptability"][top["option_id"]][0]
    assert f"is first in {share:.0%} of weightings" in labels["Robustness"]
    assert labels["Robustness"].startswith(top["option_id"])
    # The confidence factor says what is drawn: the sample's workshop gave some judgement
    # scores a low-high range, and with the weights held at the top option's central
    # weights only those scores vary.
    cf = doc["robustness"]["confidence_factor"][top["option_id"]]
    assert (f"with each judgement score that has a range drawn from that range, it is first in {cf:.0%} of draws "
            "(its confidence factor)") in labels["Robustness"]
    # ranking block: rank, option, total, share first
    ranking = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(1, ws.max_row + 1)
               if isinstance(ws.cell(r, 1).value, int)]
    assert [r for r, _ in ranking] == sorted(o["rank"] for o in doc["options"])
    assert ranking[0][1] == pytest.approx(top["total_value"])
    # each stakeholder group's top option
    for name, entries in doc["weight_sets"].items():
        best = min(entries, key=lambda e: e["rank"])
        assert labels[name].startswith(best["option_id"])


def test_every_sheet_prints_with_marking_and_a_readable_scale(cli_result: tuple) -> None:
    _doc, wb, _ = cli_result
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE", ws.title
        assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE", ws.title
        assert ws.oddHeader.left.text == "Borderdale Police" and ws.oddHeader.right.text == "&A"
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
        assert ws.page_setup.orientation == "landscape"
        paper = {"9": "A4", "8": "A3"}[str(ws.page_setup.paperSize)]
        if ws.sheet_state != "visible":
            # A hidden sheet (ChartData) has no print area: LibreOffice prints a hidden sheet
            # that has one (its title alone printed a page saying "not printed"); Excel never does.
            assert not ws.print_area, (ws.title, ws.print_area)
            continue
        first_col, _r0, last_col, _r1 = openpyxl.utils.cell.range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))

        def px(cols: range | list[int], ws: Any = ws) -> float:
            return sum(column_px(ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in cols)

        if ws.title in BLOCK_SHEETS:
            # too wide for one A4 page: every column prints, pages across, each page its block of
            # columns after the repeated code and name, at a fixed 90-100% (nothing below 9 pt)
            assert not ws.sheet_properties.pageSetUpPr.fitToPage and paper == "A4", ws.title
            assert 90 <= int(ws.page_setup.scale) <= 100 and ws.page_setup.pageOrder == "overThenDown"
            (tbl,) = ws.tables.values()
            assert ws.print_title_cols == "$A:$B" and last_col == openpyxl.utils.cell.range_boundaries(tbl.ref)[2], ws.title
            starts = [3] + [b.id + 1 for b in ws.col_breaks.brk]
            ends = [s - 1 for s in starts[1:]] + [last_col]
            assert len(starts) >= 2, ws.title
            for a, b in zip(starts, ends, strict=True):
                page = px([1, 2]) + px(range(a, b + 1))
                assert page <= budget_px(int(ws.page_setup.scale)) + 1e-6, (ws.title, a, b, page)
            continue
        # one page wide, as many pages down as needed; the printed columns are sized so the
        # fit never shrinks below 90%: 10 pt text prints at 9 pt or more
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, ws.title
        printed = px(range(first_col, last_col + 1))
        assert printed <= fit_width_px(paper), (ws.title, paper, printed)
        if ws.title not in ("Summary", "Coverage"):
            assert ws.print_title_rows and ws.print_title_rows.startswith("$1:")
            assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4")


def test_tables_filters_formats_and_conditional_formatting(cli_result: tuple) -> None:
    _doc, wb, _ = cli_result
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert len(ws.tables) == 1, name  # one Table a sheet
        for t in ws.tables.values():
            assert t.autoFilter is not None and t.autoFilter.ref == t.ref
            # header cells equal the table's column names (Excel repairs the file otherwise)
            first = openpyxl.utils.cell.range_boundaries(t.ref)
            names = [ws.cell(first[1], c).value for c in range(first[0], first[2] + 1)]
            assert names == [c.name for c in t.tableColumns]
    opts = wb["Options"]
    # shown to the nearest £1,000 (2,236,680 reads £2,237,000), the full value kept in the cell
    assert {c.number_format for c in column_cells(opts, "whole_life_cost_gbp")} == {'[>=500]"£"#,##0,",000";[<=-500]-"£"#,##0,",000";"£"0'}
    assert {c.number_format for c in column_cells(opts, "population_coverage")} == {"0.0%"}
    assert {c.number_format for c in column_cells(opts, "median_response_minutes")} == {"0.0"}
    rob_rules = [r for cf in wb["Robustness"].conditional_formatting for r in cf.rules]
    assert any(r.type == "colorScale" for r in rob_rules)
    score_rules = [r for cf in wb["Scores"].conditional_formatting for r in cf.rules]
    assert any(r.type == "dataBar" for r in score_rules)


def test_native_charts(cli_result: tuple) -> None:
    _doc, _wb, path = cli_result
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
    # Scores' two, Options' two, the tornado (ParameterSensitivity) and the equality bars (Equality)
    assert len(charts) == 6
    kinds = sorted(re.search(r"<(?:c:)?(barChart|lineChart|scatterChart)>", c).group(1) for c in charts)
    assert kinds == ["barChart", "barChart", "barChart", "lineChart", "scatterChart", "scatterChart"]
    bar = next(c for c in charts if "barChart" in c and "Weighted value" in c)
    assert re.search(r'grouping val="stacked"', bar)
    for c in charts:
        if "scatterChart" in c:  # a required element openpyxl omits unless set
            assert re.search(r'<(?:c:)?scatterStyle val="lineMarker"', c)
    frontier = [c for c in charts if "Efficient frontier" in c]
    assert len(frontier) == 1  # the value-for-money scatter marks the frontier as its own series
    # every series of every scatter says it is not smoothed: LibreOffice takes the chart's curve
    # style from the first series, and one without <c:smooth> printed the frontier as a curve
    for c in charts:
        if "scatterChart" in c:
            series = re.findall(r"<(?:c:)?ser>.*?</(?:c:)?ser>", c, flags=re.S)
            assert series and all(re.search(r'<(?:c:)?smooth val="0"', ser) for ser in series)


def test_document_properties(cli_result: tuple, sample_path: Path) -> None:
    _doc, wb, _ = cli_result
    p = wb.properties
    assert "Borderdale Police" in p.title
    assert p.subject == read_workbook(sample_path).inputs.parameters.decision_question
    assert p.keywords == "OFFICIAL-SENSITIVE" and p.category == "OFFICIAL-SENSITIVE"
    custom = {prop.name: prop.value for prop in wb.custom_doc_props}
    import hashlib

    assert custom["Input SHA-256"] == hashlib.sha256(sample_path.read_bytes()).hexdigest()
    assert custom["Tool version"] == __version__
    assert custom["Protective marking"] == "OFFICIAL-SENSITIVE"


def test_coverage_sheet_per_area_equals_engine(sample_run: AppraisalRun, tmp_path: Path) -> None:
    run = sample_run
    out = write_summary(run, tmp_path / "s.xlsx", generated_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    ws = openpyxl.load_workbook(out)["Coverage"]
    rows = table(ws)
    areas = run.inputs.areas
    assert len(rows) == len(areas)
    assert [r["area_id"] for r in rows] == areas["area_id"].astype(str).tolist()
    assert [r["population"] for r in rows] == areas["population"].tolist()
    for oid, frame in run.coverage.per_area.items():
        for key in ("median_response_minutes", "share_hours_covered", "expected_cover"):
            want = frame[key].to_numpy(dtype=float)
            got = [r[f"{oid}_{key}"] for r in rows]
            for g, w in zip(got, want, strict=True):
                if math.isinf(w):
                    assert g == "not reached"
                else:
                    assert g == pytest.approx(w, rel=1e-12)
    # the hour-of-week chart data on ChartData equals the engine's by-hour coverage (168 hours)
    points = [r for r in table(openpyxl.load_workbook(out)["ChartData"]) if r["chart"].startswith("Population within")]
    n = len(run.coverage.by_hour)
    assert n == 168
    for j, oid in enumerate(run.coverage.by_hour.columns):
        mine = points[n * j: n * (j + 1)]
        assert mine[0]["series"].startswith(oid)
        assert [p["x"] for p in mine] == list(range(n))
        assert [p["y"] for p in mine] == pytest.approx(run.coverage.by_hour[oid].astype(float).tolist())


def test_response_distribution_hand_worked() -> None:
    """Two areas, one hour pattern: cumulative share of population-hours within x minutes."""
    from types import SimpleNamespace

    import pandas as pd

    from desktop_app.core.export.charts import response_distribution
    from desktop_app.core.export.context import ExportContext
    from desktop_app.core.results import OptionCoverage

    resp = np.array([[5.0] * 12 + [15.0] * 12, [np.inf] * 24])  # area 0 (300 people), area 1 (100)
    # The same cover as two hour classes of 12 hours each (what the engine stores).
    classes = OptionCoverage("A", class_response=np.array([[5.0, 15.0], [np.inf, np.inf]]),
                             class_cover=np.zeros((2, 2)), hour_class=np.array([0] * 12 + [1] * 12))
    by_hour = OptionCoverage("A", class_response=resp, class_cover=np.zeros((2, 24)))
    for option in (classes, by_hour):
        run = SimpleNamespace(
            inputs=SimpleNamespace(areas=pd.DataFrame({"population": [300, 100]}),
                                   options=pd.DataFrame({"option_id": ["A"], "option_name": ["A"]})),
            coverage=SimpleNamespace(options={"A": option}, target_minutes=10.0),
        )
        minutes, shares = response_distribution(ExportContext(run=run, generated_at=datetime.now(UTC), tool_version="x"))
        assert minutes[0] == 0 and minutes[-1] == 20  # at least twice the target
        s = shares["A"]
        assert s[4] == 0.0
        assert s[5] == 300 * 12 / (400 * 24)  # 37.5%, exactly: whole-number populations
        assert s[15] == 300 * 24 / (400 * 24)  # 75%: area 1 is never reached
        assert s[20] == 0.75


def test_efficient_frontier_hand_worked() -> None:
    from desktop_app.core.appraisal.value_for_money import efficient_frontier

    costs = [0.0, 100.0, 50.0, 200.0, 100.0]
    values = [40.0, 60.0, 30.0, 80.0, 70.0]
    # 0 (cheapest), then 4 (100, 70) beats 1 (100, 60); 2 is dominated by 0; 3 adds value
    assert efficient_frontier(costs, values) == [0, 4, 3]


def test_judgement_edits_shown_on_scores_assumptions_and_summary(sample_run: AppraisalRun, tmp_path: Path) -> None:
    run = sample_run
    j = run.inputs.judgements.iloc[0]
    edit = {"option_id": str(j["option_id"]), "criterion_id": str(j["criterion_id"]),
            "old_score": 35, "new_score": float(j["score"]), "rationale": "Panel heard from rural councils"}
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "e.xlsx", judgement_edits=[edit]))
    scores = {r["option_id"]: i for i, r in enumerate(table(wb["Scores"]))}
    cell = column_cells(wb["Scores"], edit["criterion_id"])[scores[edit["option_id"]]]
    assert cell.fill.fgColor.rgb.endswith("FFE699")  # shaded as changed
    other = column_cells(wb["Scores"], edit["criterion_id"])[(scores[edit["option_id"]] + 1) % len(scores)]
    assert other.fill.fill_type is None
    jrows = [r for r in table(wb["Assumptions"]) if r["kind"] == "judgement"]
    changed = [r for r in jrows if "changed in the workshop" in r["source"]]
    assert len(changed) == 1
    assert changed[0]["source"].endswith(f"changed in the workshop from 35 to {float(j['score']):g}: Panel heard from rural councils")
    status = {r["option_id"]: r["status"] for r in table(wb["Scores"])}
    assert status[edit["option_id"]] .startswith(f"changed in the workshop: {edit['criterion_id']}")  # in words too
    # An option with nothing to flag says so rather than leaving the cell empty: in the
    # sample every measure lies inside its fixed scale and every judgement is scored, so
    # each option but the edited one says it.
    assert {o: t for o, t in status.items() if o != edit["option_id"]} == {
        o: "as the workbook gives them" for o in status if o != edit["option_id"]}
    assert len(status) == 6
    # The rank is centred, clear of the right-aligned total beside it ("60.8" then "2",
    # never "60.82" on paper).
    assert column_cells(wb["Scores"], "rank")[0].alignment.horizontal == "center"
    summary = "\n".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value)
    assert "Judgements changed in the workshop" in summary and "Panel heard from rural councils" in summary


def test_progress_reported_and_cancel_leaves_target_untouched(sample_run: AppraisalRun, tmp_path: Path) -> None:
    run = sample_run
    seen: list[float] = []
    data = build_summary_bytes(run, progress=lambda f, m="": seen.append(f))
    assert data[:2] == b"PK" and seen == sorted(seen) and seen[-1] == 1.0
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"old")
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = list(ALL_TEMP_FILES)
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        write_summary(run, target, cancelled=lambda: next(calls) >= 3)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsx"]
    assert ALL_TEMP_FILES == before  # the half-written sheets' temporary files are gone


def test_same_run_same_bytes_apart_from_time(sample_run: AppraisalRun) -> None:
    """Deterministic: the same run and generation time give the same workbook content."""
    run = sample_run
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    a, b = build_summary_bytes(run, generated_at=when), build_summary_bytes(run, generated_at=when)
    za, zb = zipfile.ZipFile(__import__("io").BytesIO(a)), zipfile.ZipFile(__import__("io").BytesIO(b))
    assert za.namelist() == zb.namelist()
    for n in za.namelist():
        if n == "docProps/core.xml":
            continue  # openpyxl stamps the save time as "modified"
        assert za.read(n) == zb.read(n), n


def test_without_weight_sets_or_robustness(tmp_path: Path) -> None:
    """No WeightSets sheet in the input: no WeightSets sheet out; samples=0: said in words."""
    from workbook_factory import make_workbook

    path = make_workbook(tmp_path, drop_sheets=("WeightSets",))
    run = appraise(path, samples=0)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    # no WeightSets, Scenarios, Uncertainty or equality_columns in the tiny force: none of those sheets
    assert not {"WeightSets", "Scenarios", "ParameterSensitivity", "Equality"} & set(wb.sheetnames)
    assert [n for n in SHEET_ORDER if n in wb.sheetnames] == wb.sheetnames
    ws = wb["Summary"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert labels["(none)"] == "The workbook has no stakeholder weight sets."
    assert run.appraisal.robustness is None
    assert "not computed" in labels["Robustness"]
    assert table(wb["Robustness"]) == []
    # the tiny force's numbers, hand-checkable: weights 50/30/20 normalise to 0.5/0.3/0.2
    assert {r["criterion_id"]: r["weight"] for r in table(wb["Weights"])} == pytest.approx(
        {"C1": 0.5, "C2": 0.3, "C3": 0.2})
    assert [r["swing_weight"] for r in table(wb["Weights"])] == [50, 30, 20]
