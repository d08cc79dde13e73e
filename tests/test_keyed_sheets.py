"""The steps every sheet reader shares (core/workbook/keyed_sheets.py), and the sheets that use them.

Every "already ... at row N" finding comes from one walk, :func:`repeats`; these pin it
by hand, then the three readers whose own walks it replaced (CriteriaGroups,
DemandProfile, Incidents), whose findings no other test checks.
"""

from __future__ import annotations

from pathlib import Path

from workbook_factory import make_workbook

from desktop_app.core.model import Finding
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.keyed_sheets import open_sheet, repeats, sheet_frame, text_column
from desktop_app.core.workbook.reader import read_workbook


def _weight_sets(rows: list[list[object]], first_row: int = 2) -> RawSheet:
    return RawSheet("WeightSets", header_row=first_row - 1, headers=["weight_set", "criterion_id", "weight"],
                    rows=rows, row_numbers=list(range(first_row, first_row + len(rows))))


def test_repeats_names_the_first_row_of_each_key_and_skips_blanks() -> None:
    t = open_sheet(_weight_sets([[None] * 3] * 6, first_row=5), "WeightSets", Findings())
    # Rows are Excel rows 5..10. Keys: a, b, a, blank, b, a -> rows 7 and 10 repeat row 5's key,
    # row 9 repeats row 6's; the blank (row 8, None; "" likewise) is never a key.
    keys = ["a", "b", "a", None, "b", "a"]
    assert list(repeats(t, keys)) == [(2, 5), (4, 6), (5, 5)]
    assert list(repeats(t, ["", "", "x"])) == []
    assert list(repeats(t, [("s", "C1"), ("s", "C2"), ("s", "C1")])) == [(2, 5)]  # composite keys


def test_open_sheet_reports_a_missing_column_only_for_a_given_sheet() -> None:
    sink = Findings()
    open_sheet(None, "WeightSets", sink)  # absent: reported once, as a whole, elsewhere
    assert sink.items == []
    raw = RawSheet("WeightSets", header_row=1, headers=["weight_set", "weight"], rows=[["s", 1.0]], row_numbers=[2])
    t = open_sheet(raw, "WeightSets", sink)
    assert [(f.sheet, f.column) for f in sink.items] == [("WeightSets", "criterion_id")]
    frame = sheet_frame(t, {"weight_set": text_column(t.text("weight_set")), "criterion_id": text_column([None])})
    assert frame["criterion_id"].tolist() == [""]  # a blank text cell is "", not NaN
    assert frame.attrs["excel_rows"].tolist() == [2]


def _hits(findings: list[Finding], sheet: str) -> list[tuple[int | None, str | None, str]]:
    return [(f.row, f.column, f.message) for f in findings if f.sheet == sheet and f.level == "error"]


def test_a_group_listed_twice_names_its_first_row(tmp_path: Path) -> None:
    groups = [["group", "weight", "description"],
              ["Benefits", 50, ""], ["Costs", 30, ""], ["Risks", 20, ""], [" benefits ", 10, "again"]]
    findings = read_workbook(make_workbook(tmp_path, {"CriteriaGroups": groups})).findings
    # Row 5's ' benefits ' is row 2's Benefits once case and spaces are ignored.
    assert _hits(findings, "CriteriaGroups") == [
        (5, "group", "group 'benefits' is already listed at row 2; list each branch once")]


def test_an_hour_of_the_week_given_twice_names_its_first_row(tmp_path: Path) -> None:
    profile = [["weekday", "hour", "weight"], ["Fri", 22, 2.0], ["Sat", 22, 1.0], ["friday", 22, 3.0], ["Sat", 23, 1.0]]
    findings = read_workbook(make_workbook(tmp_path, {"DemandProfile": profile})).findings
    # Row 4's friday 22:00 is row 2's Fri 22:00; Sat 22 and Sat 23 differ.
    assert _hits(findings, "DemandProfile") == [
        (4, "hour", "this hour of the week is already given at row 2; list each weekday and hour once")]


def test_an_incident_id_used_twice_names_its_first_row(tmp_path: Path) -> None:
    incidents = [["incident_id", "area_id", "weekday", "hour"],
                 ["INC1", "A1", "Mon", 1], ["INC2", "A2", "Tue", 2], ["INC1", "A3", "Wed", 3]]
    findings = read_workbook(make_workbook(tmp_path, {"Incidents": incidents})).findings
    assert _hits(findings, "Incidents") == [
        (4, "incident_id", "incident_id 'INC1' is already used at row 2; each incident needs a unique incident_id")]
