"""One test (at least) per validation rule of issue 2 item 5, each naming sheet, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.model import Finding
from desktop_app.core.workbook.findings import FINDINGS_PER_RULE
from desktop_app.core.workbook.reader import read_workbook


def _read(tmp_path: Path, sheets=None, drop=()) -> list[Finding]:
    result = read_workbook(make_workbook(tmp_path, sheets, drop_sheets=drop))
    if result.errors:
        assert result.inputs is None
    return result.findings


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


def _one(findings: list[Finding], sheet: str, row: int | None, column: str | None, *words: str, level: str = "error") -> Finding:
    """Exactly one finding at (sheet, row, column) of this level, whose message has every word."""
    hits = [f for f in findings if f.level == level and f.sheet == sheet and f.row == row and f.column == column]
    assert len(hits) == 1, (sheet, row, column, [f.one_line() for f in findings])
    for w in words:
        assert w.lower() in hits[0].message.lower(), (w, hits[0].message)
    return hits[0]


def test_base_workbook_has_no_errors(tmp_path: Path) -> None:
    assert _errors(_read(tmp_path)) == []


# -- missing sheets, columns, empty sheets ------------------------------------------


@pytest.mark.parametrize("sheet", ["Parameters", "Areas", "Threat", "ThreatIndicators", "Sites", "Options", "Deployments", "Criteria"])
def test_missing_required_sheet(tmp_path: Path, sheet: str) -> None:
    _one(_read(tmp_path, drop=(sheet,)), sheet, None, None, "missing", sheet)


def test_missing_optional_sheets_are_fine(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Criteria"] = sheets["Criteria"][:3]  # no judgement criterion left
    findings = _read(tmp_path, sheets, drop=("WeightSets", "TravelTimes", "Judgements"))
    assert _errors(findings) == []


def test_missing_required_column(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Sites"] = [row[:2] + row[3:] for row in sheets["Sites"]]  # drop site_type
    f = _one(_read(tmp_path, sheets), "Sites", None, "site_type", "missing", "ARV_BASE")
    assert "site_type" in f.one_line()


def test_empty_sheet_and_header_only_sheet(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Sites"] = []
    sheets["Options"] = sheets["Options"][:1]
    findings = _read(tmp_path, sheets)
    _one(findings, "Sites", None, None, "empty")
    _one(findings, "Options", None, None, "no data rows")


def test_duplicate_header_column(tmp_path: Path) -> None:
    sheets = base_sheets()
    for i, row in enumerate(sheets["Sites"]):
        row.append("easting" if i == 0 else 1)
    _one(_read(tmp_path, sheets), "Sites", 1, "easting", "appears 2 times", "columns D, F")


# -- wrong types and units ----------------------------------------------------------


def test_text_where_number_expected(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][3][3] = "lots"
    _one(_read(tmp_path, sheets), "Areas", 4, "population", "'lots'", "not a number", "whole number")


def test_boolean_where_number_expected(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][2][4] = True
    _one(_read(tmp_path, sheets), "Options", 3, "one_off_cost_gbp", "TRUE/FALSE", "expected")


def test_date_where_number_expected(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][1][3] = dt.date(2024, 1, 2)
    _one(_read(tmp_path, sheets), "Deployments", 2, "posts", "date", "format the cell as Number")


def test_excel_error_value_named_by_cell(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    cell = wb["Areas"]["D3"]
    cell.value = "#N/A"
    cell.data_type = "e"
    wb.save(path)
    findings = read_workbook(path).findings
    _one(findings, "Areas", 3, "population", "the Excel error value #N/A (cell D3)")


def test_formula_without_cached_value(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Options"]["E3"] = "=1+1"  # openpyxl saves formulas without a calculated value
    wb.save(path)
    _one(read_workbook(path).findings, "Options", 3, "one_off_cost_gbp", "formula with no saved result")


def test_fraction_where_whole_number_expected(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][2][4] = 1.5
    _one(_read(tmp_path, sheets), "Deployments", 3, "crew_size", "whole number")


def test_blank_required_cell(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Sites"][2][0] = None
    sheets["Deployments"][2][1] = "  "
    findings = _read(tmp_path, sheets)
    _one(findings, "Sites", 3, "site_id", "blank")
    _one(findings, "Deployments", 3, "site_id", "blank")


def test_non_boolean_baseline(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][2][3] = "maybe"
    _one(_read(tmp_path, sheets), "Options", 3, "baseline", "TRUE or FALSE")


# -- negative and out-of-range numbers ----------------------------------------------


def test_negative_population(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][2][3] = -5
    _one(_read(tmp_path, sheets), "Areas", 3, "population", "-5", "at least 0")


def test_negative_cost_and_weight(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][3][5] = -100
    sheets["Criteria"][2][4] = -1
    sheets["ThreatIndicators"][1][1] = -2
    findings = _read(tmp_path, sheets)
    _one(findings, "Options", 4, "annual_cost_gbp", "at least 0")
    _one(findings, "Criteria", 3, "weight", "at least 0")
    _one(findings, "ThreatIndicators", 2, "weight", "at least 0")


def test_negative_threat_value(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Threat"][4][2] = -3
    _one(_read(tmp_path, sheets), "Threat", 5, "violence_rate", "at least 0")


def test_coordinates_outside_british_national_grid(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Sites"][1][3] = 900000
    _one(_read(tmp_path, sheets), "Sites", 2, "easting", "at most 800,000")


def test_parameter_out_of_range_and_wrong_type(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"] += [["discount_rate", 2, ""], ["fte_per_247_post", "soon", ""], ["appraisal_years", 2.5, ""]]
    findings = _read(tmp_path, sheets)
    _one(findings, "Parameters", 6, "value", "discount_rate", "out of range")
    _one(findings, "Parameters", 7, "value", "fte_per_247_post", "not a number")
    _one(findings, "Parameters", 8, "value", "appraisal_years", "whole number")


def test_price_base_year_typed_as_a_date_is_an_error_naming_its_row(tmp_path: Path) -> None:
    """2025-04-01 typed into price_base_year is a date cell: it had passed as text and
    printed "Costs in 2025-04-01 prices". The base force's Parameters has 4 rows (rows
    2-5), so the appended one is row 6."""
    sheets = base_sheets()
    sheets["Parameters"].append(["price_base_year", dt.datetime(2025, 4, 1), ""])
    line = _one(_read(tmp_path, sheets), "Parameters", 6, "value", "price_base_year").one_line()
    assert line == ("error: Parameters row 6 column value: price_base_year: holds the date 2025-04-01, not a year "
                    "(Excel stores a date as a day); expected a year from 1990 to 2100 (2025) or a financial year "
                    "(2025-26)")


@pytest.mark.parametrize(("value", "words"), [
    ("2025-27", "not a financial year"),  # 27 is not the year after 2025
    (1899, "1899 is out of range"),
    ("FY25", "which is not a year"),
    (2025.5, "which is not a year"),
])
def test_price_base_year_not_a_year_is_an_error(tmp_path: Path, value: object, words: str) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["price_base_year", value, ""])
    _one(_read(tmp_path, sheets), "Parameters", 6, "value", "price_base_year", words)


@pytest.mark.parametrize(("value", "kept"), [
    ("2025-26", "2025-26"), ("2025/26", "2025/26"), ("2025-2026", "2025-2026"), ("2099-00", "2099-00"),
    (2025, "2025"), ("2025", "2025"),
    # as finance teams write them: "FY" before, "prices" after (dropped, as the outputs add it)
    ("FY2025/26", "FY2025/26"), ("2025-26 prices", "2025-26"), ("fy 2025-26 Prices", "fy 2025-26"),
])
def test_price_base_year_as_a_year_or_a_financial_year_is_kept_as_written(tmp_path: Path, value: object,
                                                                          kept: str) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["price_base_year", value, ""])
    result = read_workbook(make_workbook(tmp_path, sheets))
    assert result.errors == [] and result.inputs.parameters.price_base_year == kept


def test_required_parameter_missing_and_unknown_parameter(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"] = [r for r in sheets["Parameters"] if r[0] != "force_name"]
    sheets["Parameters"].append(["colour_scheme", "blue", ""])
    findings = _read(tmp_path, sheets)
    _one(findings, "Parameters", None, "parameter", "force_name", "missing")
    _one(findings, "Parameters", 5, "parameter", "colour_scheme", level="warning")


def test_parameter_set_twice(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["Target Minutes", 15, ""])
    _one(_read(tmp_path, sheets), "Parameters", 6, "parameter", "set twice", "row 4")


# -- duplicate IDs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "row", "column"),
    [("Areas", 3, "area_id"), ("Sites", 3, "site_id"), ("Options", 3, "option_id"), ("Criteria", 3, "criterion_id")],
)
def test_duplicate_ids(tmp_path: Path, sheet: str, row: int, column: str) -> None:
    sheets = base_sheets()
    sheets[sheet][row - 1][0] = sheets[sheet][1][0]
    _one(_read(tmp_path, sheets), sheet, row, column, "already used at row 2")


def test_duplicate_threat_row_and_indicator(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Threat"].append(["A1", 1, 1])
    sheets["ThreatIndicators"].append(["firearms_incidents", 1, "again"])
    findings = _read(tmp_path, sheets)
    _one(findings, "Threat", 6, "area_id", "already used at row 2")
    _one(findings, "ThreatIndicators", 4, "indicator", "already used at row 2")


def test_duplicate_travel_pair_and_judgement(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["TravelTimes"].append(["S1", "A1", 3])
    sheets["Judgements"].append(["OPT0", "C3", 50, "again", None, None])
    sheets["WeightSets"].append(["Finance", "C2", 10])
    findings = _read(tmp_path, sheets)
    _one(findings, "TravelTimes", 10, "area_id", "more than once")
    _one(findings, "Judgements", 5, "criterion_id", "twice", "row 2")
    _one(findings, "WeightSets", 6, "criterion_id", "twice", "row 4")


# -- references to unknown things ---------------------------------------------------


def test_unknown_references(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][1][0] = "OPT9"
    sheets["Deployments"][2][1] = "S9"
    sheets["TravelTimes"][1][0] = "S8"
    sheets["TravelTimes"][2][1] = "A8"
    sheets["Threat"].append(["A7", 0, 0])
    sheets["Judgements"][1][0] = "OPT7"
    sheets["Judgements"][2][1] = "C7"
    sheets["WeightSets"][1][1] = "C6"
    findings = _read(tmp_path, sheets)
    _one(findings, "Deployments", 2, "option_id", "'OPT9'", "not in the Options sheet")
    _one(findings, "Deployments", 3, "site_id", "'S9'", "not in the Sites sheet")
    _one(findings, "TravelTimes", 2, "site_id", "'S8'")
    _one(findings, "TravelTimes", 3, "area_id", "'A8'", "not in the Areas sheet")
    _one(findings, "Threat", 6, "area_id", "'A7'")
    _one(findings, "Judgements", 2, "option_id", "'OPT7'")
    _one(findings, "Judgements", 3, "criterion_id", "'C7'", "not in the Criteria sheet")
    _one(findings, "WeightSets", 2, "criterion_id", "'C6'")


# -- baseline -------------------------------------------------------------------------


def test_no_baseline(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][1][3] = False
    _one(_read(tmp_path, sheets), "Options", None, "baseline", "no option is marked", "exactly one")


def test_two_baselines(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][2][3] = "TRUE"
    _one(_read(tmp_path, sheets), "Options", None, "baseline", "2 options", "OPT0, OPT1")


def test_option_with_no_cost_entered_is_a_warning(tmp_path: Path) -> None:
    # OPT1 (Options row 3) set to 0 one-off and 0 annual: warned on its one_off_cost_gbp
    # cell. Not OPT0 (row 2, 0 and 0, but the baseline) nor OPT2 (row 4, 0 one-off but
    # 80,000 a year: it has a cost), so exactly one such warning.
    sheets = base_sheets()
    sheets["Options"][2][4:6] = [0, 0]
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    hit = _one(findings, "Options", 3, "one_off_cost_gbp", "OPT1", "no cost entered", "read as free", level="warning")
    assert hit.one_line() == ("warning: Options row 3 column one_off_cost_gbp: option OPT1 has no cost entered "
                              "(one-off and annual both 0): its whole-life cost and value for money read as "
                              "free; enter its costs")
    assert len([f for f in findings if "no cost entered" in f.message]) == 1


def test_base_workbook_warns_of_no_costless_option(tmp_path: Path) -> None:
    # OPT0 costs 0 and 0 but is the baseline; OPT2 costs 0 one-off and 80,000 a year.
    assert not [f for f in _read(tmp_path) if "no cost entered" in f.message]


def test_no_baseline_gives_no_cost_warning(tmp_path: Path) -> None:
    # With no baseline the do-minimum OPT0 (0 and 0) is not yet known: the baseline error
    # is the one to fix, not a knock-on warning that OPT0 is free.
    sheets = base_sheets()
    sheets["Options"][1][3] = False
    assert not [f for f in _read(tmp_path, sheets) if "no cost entered" in f.message]


# -- hours, busy fractions, judgement scores ----------------------------------------


def test_hours_outside_0_to_24(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][1][5] = -1
    sheets["Deployments"][2][6] = 25
    findings = _read(tmp_path, sheets)
    _one(findings, "Deployments", 2, "start_hour", "at least 0")
    _one(findings, "Deployments", 3, "end_hour", "at most 24")


def test_start_equals_end(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][3][5] = 6
    _one(_read(tmp_path, sheets), "Deployments", 4, "end_hour", "both 6", "0 and 24")


def test_start_24_end_0_is_refused_as_never_on_duty(tmp_path: Path) -> None:
    """24 to 0 wraps past midnight into no hour at all (h >= 24 or h < 0): refused, not all day."""
    sheets = base_sheets()
    sheets["Deployments"][3][5] = 24
    sheets["Deployments"][3][6] = 0
    found = _one(_read(tmp_path, sheets), "Deployments", 4, "end_hour", "24", "never on duty", "0 and 24")
    assert found.one_line().count("\n") == 0 and "Deployments" in found.one_line()


def test_busy_fraction_outside_0_to_1(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][3][7] = 1.2
    sheets["Parameters"].append(["busy_fraction_arv", -0.1, ""])
    findings = _read(tmp_path, sheets)
    _one(findings, "Deployments", 4, "busy_fraction", "at most 1")
    _one(findings, "Parameters", 6, "value", "busy_fraction_arv", "out of range")


def test_judgement_scores_outside_0_to_100(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Judgements"][1][2] = 120
    sheets["Judgements"][2][5] = 101
    _findings = _read(tmp_path, sheets)
    _one(_findings, "Judgements", 2, "score", "at most 100")
    _one(_findings, "Judgements", 3, "high", "at most 100")


def test_judgement_low_score_high_order(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Judgements"][1][4] = 75  # low 75 > score 70
    sheets["Judgements"][2][5] = 30  # high 30 < score 40
    findings = _read(tmp_path, sheets)
    _one(findings, "Judgements", 2, "low", "above the score", "low <= score <= high")
    _one(findings, "Judgements", 3, "high", "below the score")


# -- unknown codes ------------------------------------------------------------------


def test_unknown_codes(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Criteria"][1][2] = "happiness"
    sheets["Criteria"][2][3] = "sideways"
    sheets["Deployments"][1][2] = "TANK"
    sheets["Sites"][1][2] = "AIRPORT"
    sheets["Parameters"][2][1] = "HIGH"
    sheets["Areas"][1][4] = "Z9"
    findings = _read(tmp_path, sheets)
    _one(findings, "Criteria", 2, "measure", "'happiness'", "threat_coverage")
    _one(findings, "Criteria", 3, "direction", "'sideways'", "higher, lower")
    _one(findings, "Deployments", 2, "asset_type", "'TANK'", "ARMED_RESPONSE_OFFICER")
    _one(findings, "Sites", 2, "site_type", "'AIRPORT'", "NEIGHBOUR_BASE")
    _one(findings, "Parameters", 3, "value", "'HIGH'", "SUBSTANTIAL")
    _one(findings, "Areas", 2, "rurality", "'Z9'", "E1")


# -- threat ---------------------------------------------------------------------------


def test_indicator_missing_from_threat(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["ThreatIndicators"].append(["knife_crime", 1, "Knife crime"])
    _one(_read(tmp_path, sheets), "ThreatIndicators", 4, "indicator", "'knife_crime'", "no column in the Threat sheet")


def test_threat_column_not_listed_is_a_warning(tmp_path: Path) -> None:
    sheets = base_sheets()
    for i, row in enumerate(sheets["Threat"]):
        row.append("drugs" if i == 0 else 1)
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Threat", 1, "drugs", "not listed", level="warning")


def test_area_without_threat_row(tmp_path: Path) -> None:
    sheets = base_sheets()
    del sheets["Threat"][3]  # A3
    _one(_read(tmp_path, sheets), "Areas", 4, "area_id", "'A3'", "no row in the Threat sheet")


def test_blank_threat_value(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Threat"][2][1] = None
    _one(_read(tmp_path, sheets), "Threat", 3, "firearms_incidents", "blank")


# -- travel times ---------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [0, -4])
def test_zero_or_negative_travel_time(tmp_path: Path, minutes: float) -> None:
    sheets = base_sheets()
    sheets["TravelTimes"][3][2] = minutes
    _one(_read(tmp_path, sheets), "TravelTimes", 4, "minutes", "more than 0")


def test_area_without_coordinates_when_pairs_missing(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][4][5] = None
    sheets["Areas"][4][6] = None
    _one(_read(tmp_path, sheets), "Areas", 5, "easting", "'A4'", "no easting/northing", "1 of its travel times")


def test_csv_bad_rows_named_by_file_and_line(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "times.csv", ""])
    (tmp_path / "times.csv").write_text(
        "site_id,area_id,minutes\nS3,A1,12\nS3,A2,soon\n\nS3,A3,1,2\nS3,A4,0\nS9,A1,5\n", encoding="utf-8"
    )
    findings = _read(tmp_path, sheets)
    _one(findings, "times.csv", 3, "minutes", "'soon'", "not a number")
    _one(findings, "times.csv", 5, None, "wrong number of fields")
    _one(findings, "times.csv", 6, "minutes", "more than 0")
    _one(findings, "times.csv", 7, "site_id", "'S9'")


def test_drive_times_above_a_day_are_read_with_a_warning_and_above_a_week_refused(tmp_path: Path) -> None:
    """Travel times need only be more than 0 (docs/workbook-format.md). Above a day (1,440
    minutes) a time is read as given and named; above a week (10,080) it is refused, as the
    response-time quantiles tally minutes one bin a minute. In the sheet: S1-A4 (Excel row
    5) 1,500 minutes, S2-A4 (row 9) 20,000. In the CSV: line 2 1,500, line 3 20,000."""
    sheets = base_sheets()
    sheets["TravelTimes"][4][2] = 1500
    sheets["TravelTimes"][8][2] = 20000
    findings = _read(tmp_path, sheets)
    _one(findings, "TravelTimes", 5, "minutes", "1,500 minutes is more than 1,440 minutes", "read as given",
         level="warning")
    _one(findings, "TravelTimes", 9, "minutes", "20,000 minutes is out of range", "at most 10,080")
    assert not [f for f in findings if f.row == 5 and f.level == "error"]
    (tmp_path / "csv").mkdir()
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "times.csv", ""])
    (tmp_path / "csv" / "times.csv").write_text("site_id,area_id,minutes\nS3,A1,1500\nS3,A2,20000\n", encoding="utf-8")
    findings = _read(tmp_path / "csv", sheets)
    _one(findings, "times.csv", 2, "minutes", "1500 minutes is more than 1,440 minutes (a day)", level="warning")
    _one(findings, "times.csv", 3, "minutes", "20000 minutes is out of range", "at most 10,080 (a week)")
    assert not [f for f in findings if f.row == 2 and f.level == "error"]


def test_csv_missing_file(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "nowhere.csv", ""])
    _one(_read(tmp_path, sheets), "Parameters", 6, "value", "nowhere.csv", "no such file")


def test_csv_missing_column(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "t.csv", ""])
    (tmp_path / "t.csv").write_text("site,area_id,minutes\nS3,A1,3\n", encoding="utf-8")
    _one(_read(tmp_path, sheets), "t.csv", 1, "site_id", "missing")


# -- weights ----------------------------------------------------------------------------


def test_all_zero_criterion_weights(tmp_path: Path) -> None:
    sheets = base_sheets()
    for row in sheets["Criteria"][1:]:
        row[4] = 0
    _one(_read(tmp_path, sheets), "Criteria", None, "weight", "every criterion weight is 0")


def test_all_zero_indicator_weights(tmp_path: Path) -> None:
    sheets = base_sheets()
    for row in sheets["ThreatIndicators"][1:]:
        row[1] = 0
    _one(_read(tmp_path, sheets), "ThreatIndicators", None, "weight", "every indicator weight is 0")


def test_all_zero_weight_set(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["WeightSets"][3][2] = 0
    sheets["WeightSets"][4][2] = 0
    _one(_read(tmp_path, sheets), "WeightSets", None, "weight", "'Finance'", "every weight")


# -- judgements ---------------------------------------------------------------------------


def test_judgements_sheet_missing_with_judgement_criterion(tmp_path: Path) -> None:
    _one(_read(tmp_path, drop=("Judgements",)), "Judgements", None, None, "missing", "C3")


def test_judgement_criterion_lacking_a_score_for_an_option(tmp_path: Path) -> None:
    # OPT1 is scored on C3 but not on a second judgement criterion C4: a row forgotten,
    # still an error. (This test once deleted OPT1's only row, C3; an option with no
    # Judgements rows at all is now awaiting scores, a warning: see the next test.)
    sheets = base_sheets()
    sheets["Criteria"].append(["C4", "Officer safety", "judgement", "higher", 10, None, None, "Risks", None])
    sheets["Judgements"] += [["OPT0", "C4", 50, "As now", None, None], ["OPT2", "C4", 55, "Two crews", None, None]]
    findings = _read(tmp_path, sheets)
    _one(findings, "Judgements", None, "score", "'OPT1'", "'C4'")
    assert len(_errors(findings)) == 1


def test_option_with_no_judgements_is_awaiting_scores(tmp_path: Path) -> None:
    # OPT1 (Options row 3) has no Judgements row at all, as an option optimise
    # --write-option adds: measured, not ranked, and a warning rather than an error.
    sheets = base_sheets()
    del sheets["Judgements"][2]  # OPT1 on C3, its only row
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Options", 3, "option_id", "OPT1", "awaiting scores", "not ranked", "C3", level="warning")


def test_baseline_with_no_judgements_is_an_error(tmp_path: Path) -> None:
    # The do-minimum is what every other option is judged against: it cannot await scores.
    sheets = base_sheets()
    del sheets["Judgements"][1]  # OPT0 on C3
    findings = _read(tmp_path, sheets)
    _one(findings, "Judgements", None, "score", "'OPT0'", "'C3'")
    assert not [f for f in findings if "awaiting scores" in f.message]


def test_judgement_on_computed_criterion_is_a_warning(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Judgements"].append(["OPT0", "C1", 50, "why not", None, None])
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Judgements", 5, "criterion_id", "not used", level="warning")


def test_missing_rationale_is_a_warning(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Judgements"][3][3] = None
    _one(_read(tmp_path, sheets), "Judgements", 4, "rationale", "rationale", level="warning")


# -- criteria scales ------------------------------------------------------------------------


def test_worst_equals_best(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Criteria"][1][5] = 0.5
    sheets["Criteria"][1][6] = 0.5
    _one(_read(tmp_path, sheets), "Criteria", 2, "best", "must differ")


def test_only_one_end_of_scale(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Criteria"][1][5] = 0.2
    _one(_read(tmp_path, sheets), "Criteria", 2, "best", "only one of worst and best")


# -- one pass, capped repeats, messages -------------------------------------------------


def test_every_problem_found_in_one_pass(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][1][3] = -1
    sheets["Sites"][2][2] = "SHED"
    sheets["Options"][1][3] = False
    sheets["Deployments"][2][5] = 30
    sheets["Criteria"][3][2] = "vibes"
    findings = _errors(_read(tmp_path, sheets))
    assert {f.sheet for f in findings} >= {"Areas", "Sites", "Options", "Deployments", "Criteria"}


def test_repeated_problem_is_capped_with_a_summary(tmp_path: Path) -> None:
    sheets = base_sheets()
    n = FINDINGS_PER_RULE + 10
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]] + [["S1", f"X{k}", 5] for k in range(n)]
    findings = [f for f in _read(tmp_path, sheets) if f.sheet == "TravelTimes" and f.column == "area_id"]
    assert len(findings) == FINDINGS_PER_RULE + 1
    assert "10 more rows" in findings[-1].message


def test_messages_are_one_line_and_say_what_is_expected(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][2][3] = "many"
    f = _one(_read(tmp_path, sheets), "Areas", 3, "population", "expected")
    assert "\n" not in f.one_line()
    assert f.one_line() == f"error: Areas row 3 column population: {f.message}"


# -- the validate command -------------------------------------------------------------


def test_validate_command_clean_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.cli import main

    path = make_workbook(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("warning: TravelTimes: 4 of 12 site-area travel times")
    assert out[-1] == f"{path}: 0 errors, 1 warning; 4 travel-time pairs estimated"


def test_validate_command_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.cli import main

    sheets = base_sheets()
    sheets["Areas"][2][3] = -5
    sheets["Options"][1][3] = False
    path = make_workbook(tmp_path, sheets)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("error: Areas row 3 column population: -5 people is out of range") for line in out)
    assert any(line.startswith("error: Options column baseline:") for line in out)
    assert out[-1].startswith(f"{path}: 2 errors, 1 warning")


def test_validate_command_unreadable_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.cli import main

    p = tmp_path / "legacy.xlsx"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(p) in lines[0] and "CSV" in lines[0]


def test_validate_command_subprocess(tmp_path: Path) -> None:
    import subprocess
    import sys

    sheets = base_sheets()
    sheets["Deployments"][1][2] = "TANK"
    path = make_workbook(tmp_path, sheets)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "validate", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "error: Deployments row 2 column asset_type: 'TANK' is not a recognised code" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_absurdly_large_whole_number(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][1][3] = 1e300
    _one(_read(tmp_path, sheets), "Areas", 2, "population", "at most 1,000,000,000,000")


def test_hidden_sheet_is_read_with_a_warning(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["WeightSets"].sheet_state = "hidden"
    wb.save(path)
    result = read_workbook(path)
    assert result.errors == []
    assert result.inputs.weight_set_names() == ["Community panel", "Finance"]
    _one(result.findings, "WeightSets", None, None, "hidden", level="warning")


def test_error_cell_in_a_shifted_table_names_the_real_cell(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Areas"]
    ws.insert_rows(1, 2)
    ws.insert_cols(1)  # header now starts at B3
    ws["E5"].value = "#DIV/0!"
    ws["E5"].data_type = "e"
    ws["B6"].value = "#REF!"
    ws["B6"].data_type = "e"
    wb.save(path)
    findings = read_workbook(path).findings
    _one(findings, "Areas", 5, "population", "#DIV/0! (cell E5)")
    _one(findings, "Areas", 6, "area_id", "#REF! (cell B6)")


def test_all_zero_population(tmp_path: Path) -> None:
    sheets = base_sheets()
    for row in sheets["Areas"][1:]:
        row[3] = 0
    _one(_read(tmp_path, sheets), "Areas", None, "population", "every area's population is 0")


def test_all_zero_threat(tmp_path: Path) -> None:
    sheets = base_sheets()
    for row in sheets["Threat"][1:]:
        row[1] = row[2] = 0
    _one(_read(tmp_path, sheets), "Threat", None, None, "every threat value is 0")


@pytest.mark.slow  # several seconds: left out of the fast loop (docs/architecture.md#tests)
def test_sample_force_validates_and_a_broken_copy_does_not(
    sample_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.cli import main

    assert main(["validate", str(sample_copy)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(sample_copy)
    header = [c.value for c in wb["Areas"][1]]
    col = header.index("population") + 1
    wb["Areas"].cell(row=7, column=col).value = -40
    wb.save(sample_copy)
    assert main(["validate", str(sample_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("error:")] == [
        "error: Areas row 7 column population: -40 people is out of range: population must be at least 0 "
        "(expected a whole number of people at least 0)"
    ]


def test_pair_in_both_sheet_and_csv_is_a_duplicate(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    (tmp_path / "tt.csv").write_text("site_id,area_id,minutes\nS3,A1,30\nS1,A2,7\nS3,A1,31\n", encoding="utf-8")
    findings = _read(tmp_path, sheets)
    _one(findings, "tt.csv", 3, "area_id", "S1 to A2", "more than once")
    _one(findings, "tt.csv", 4, "area_id", "S3 to A1", "more than once")
    assert not [f for f in findings if f.sheet == "tt.csv" and f.row == 2]


def test_a_misspelt_optional_column_or_sheet_is_named_not_silently_dropped(tmp_path: Path) -> None:
    """Extra columns and sheets are kept and allowed, but one that looks like an optional
    column or sheet the workbook lacks is a warning naming both: ``day`` had run a
    weekend-only crew every day, ``Criteria Groups`` had dropped the value tree."""
    sheets = base_sheets()
    sheets["Deployments"][0] = ["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour",
                                "busy fraction", "mobilisation"]  # a space for the underscore; a word left off
    sheets["Deployments"][0].append("day")
    for row in sheets["Deployments"][1:]:
        row.append("Fri,Sat")
    sheets["Deployments"][0].append("my own notes")  # an analyst's column: not near anything, no warning
    for row in sheets["Deployments"][1:]:
        row.append("x")
    sheets["Criteria Groups"] = [["group", "weight"], ["Benefits", 50], ["Costs", 30], ["Risks", 20]]
    sheets["Lookups"] = [["code"], ["ARV"]]  # an analyst's sheet: no warning
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    for column, meant in (("busy fraction", "busy_fraction"), ("mobilisation", "mobilisation_minutes"), ("day", "days")):
        _one(findings, "Deployments", 1, column, f"the column '{column}' is not one the tool reads",
             f"meant to be '{meant}'", level="warning")
    _one(findings, "CriteriaGroups", None, None, "the sheet 'Criteria Groups' is not one the tool reads",
         "rename it 'CriteriaGroups'", level="warning")
    assert not [f for f in findings if "my own notes" in f.message or "Lookups" in f.message]


def test_near_name_rules() -> None:
    from desktop_app.core.workbook.near_names import edits, near_name

    # ignoring case, spaces, underscores and hyphens: equal
    assert near_name("Busy-Fraction", ["busy_fraction", "days"]) == "busy_fraction"
    # a fifth of the longer name's letters or fewer differ (one at least): "day" / "days" 1 edit;
    # "firstarmedmins" / "firstarmedminutes" 3 edits, 17 // 5 = 3
    assert edits("firstarmedmins", "firstarmedminutes") == 3
    assert near_name("day", ["days"]) == "days" and near_name("Incident", ["Incidents"]) == "Incidents"
    assert near_name("first_armed_mins", ["first_armed_minutes"]) == "first_armed_minutes"
    # the text begins the candidate and is most of it: "mobilisation" is 12 of 19 letters
    assert near_name("mobilisation", ["mobilisation_minutes"]) == "mobilisation_minutes"
    # an analyst's own names are left alone: a candidate that begins them ("Scenario notes",
    # 4 edits of 13 letters; "worst_case"), a short beginning ("Demand", 6 of 13), free text
    for own, real in (("Scenario notes", "Scenarios"), ("Travel notes", "TravelTimes"), ("Incident log", "Incidents"),
                      ("worst_case", "worst"), ("group_id", "group"), ("Demand", "DemandProfile"),
                      ("note", "notes"), ("description2", "description"), ("bus", "busy_fraction")):
        assert near_name(own, [real]) is None, own
    # other words for a heading, too unlike it to spell-match: "weekdays" is 4 edits from "days"
    # (8 letters, 8 // 5 = 1 allowed), so it is caught only as a known alias; the alias counts
    # only where its heading is absent, and "day_of_week" names the weekday in Incidents
    assert edits("weekdays", "days") == 4
    assert near_name("weekdays", ["days", "busy_fraction"]) == "days"
    assert near_name("busy_pct", ["busy_fraction"]) == "busy_fraction"
    assert near_name("Low score", ["low", "high"]) == "low"
    assert near_name("Drive times", ["TravelTimes", "Incidents"]) == "TravelTimes"
    assert near_name("day_of_week", ["weekday"]) == "weekday"
    assert near_name("busy_pct", ["days"]) is None



def test_weight_set_names_apart_only_by_capitals_or_named_like_the_workbooks_weights(tmp_path: Path) -> None:
    """'Community Panel' (row 6) beside 'Community panel' (rows 2-3) makes two sets, one of a
    single criterion, without a word before; a set called 'workbook weights' would rank under
    the name of the Criteria sheet's own weights. Both are warnings at their row."""
    sheets = base_sheets()
    sheets["WeightSets"] += [["Community Panel", "C2", 20],    # row 6: a capital P
                             ["workbook weights", "C1", 10]]    # row 7
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "WeightSets", 6, "weight_set", "'Community Panel' differs from 'Community panel' (row 2)",
         "read as two sets", level="warning")
    _one(findings, "WeightSets", 7, "weight_set", "the name the tool gives the Criteria sheet's weights", level="warning")
    # the base's own sets, spelt alike row to row, raise nothing
    (tmp_path / "b").mkdir()
    assert not [f for f in _read(tmp_path / "b", base_sheets()) if f.sheet == "WeightSets"]


def test_a_criterion_on_incident_cover_without_incidents_is_named_at_its_row(tmp_path: Path) -> None:
    """C1 on incident_coverage in a workbook without an Incidents sheet: validate had passed it
    in silence and appraise left a 50%-weight criterion out giving the wrong reason ("e.g. no
    rural or no urban areas"), with a false local-scale warning for its fixed 0.6-0.8 scale."""
    from desktop_app.core.pipeline import run_appraisal

    sheets = base_sheets()
    sheets["Criteria"][1][2] = "incident_coverage"
    sheets["Criteria"][1][5:7] = [0.6, 0.8]  # a fixed scale
    result = read_workbook(make_workbook(tmp_path, sheets))
    _one(result.findings, "Criteria", 2, "measure", "criterion C1 measures incident_coverage",
         "the workbook has no Incidents sheet", "left out", level="warning")
    assert result.inputs is not None
    run = run_appraisal(result.inputs, result.findings, samples=0)
    # said once, at its row, when read: neither the coverage nor the value model repeats it
    said = [f.one_line() for f in run.findings if "incident" in f.message.lower()]
    assert len(said) == 1 and said[0].startswith("warning: Criteria row 2 column measure: criterion C1"), said
    assert not any("C1" in f.message and "local scale" in f.message for f in run.findings)


def test_an_incidents_sheet_of_headings_only_is_one_accurate_warning(tmp_path: Path) -> None:
    """Incidents with its headings and no rows, and C1 on incident_coverage: appraise had
    printed 4 warnings, two of them "the workbook has no Incidents sheet" of a sheet that
    was there. Now one, at C1's row (Criteria row 2), saying what the sheet lacks. Without a
    criterion on it, the one warning is the sheet's own."""
    from desktop_app.core.pipeline import run_appraisal

    sheets = base_sheets()
    sheets["Criteria"][1][2] = "incident_coverage"
    sheets["Incidents"] = [["incident_id", "area_id", "weekday", "hour"]]
    result = read_workbook(make_workbook(tmp_path, sheets))
    assert result.inputs is not None
    run = run_appraisal(result.inputs, result.findings, samples=0)
    said = [f.one_line() for f in run.findings if "incident" in f.message.lower()]
    assert said == ["warning: Criteria row 2 column measure: criterion C1 measures incident_coverage, but the "
                    "Incidents sheet has headings and no data rows: the criterion will be left out and the other "
                    "weights rescaled; add last year's armed incidents or choose another measure"], said
    sheets = base_sheets()
    sheets["Incidents"] = [["incident_id", "area_id", "weekday", "hour"]]
    result = read_workbook(make_workbook(tmp_path, sheets, name="no_criterion.xlsx"))
    run = run_appraisal(result.inputs, result.findings, samples=0)
    said = [f.one_line() for f in run.findings if "incident" in f.message.lower()]
    assert said == ["warning: Incidents: the sheet has headings but no data rows; expected one row per past armed "
                    "incident (firearms operation or spontaneous firearms incident)"], said


def test_inputs_that_leave_nothing_in_time_or_multiply_costs_are_warned_of(tmp_path: Path) -> None:
    """Each allowed by the contract's ranges, each almost always a slip: authorisation of 25
    minutes against a 20-minute target (Parameters row 5: every cover 0), a busy fraction of
    1 (Deployments row 5: the neighbour's ARV never free), an optimism bias of 20 typed for
    20% (Options row 3: 2000%, costs x 21)."""
    sheets = base_sheets()
    sheets["Parameters"].append(["authorisation_minutes", 25, ""])
    row = len(sheets["Parameters"])
    sheets["Deployments"][4][7] = 1.0
    sheets["Options"][0].append("optimism_bias")
    for r in sheets["Options"][1:]:
        r.append(0.1)
    sheets["Options"][2][-1] = 20
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Parameters", row, "value", "authorisation_minutes 25 is at least the 20-minute response target",
         level="warning")
    _one(findings, "Deployments", 5, "busy_fraction", "busy_fraction 1", "never answers", level="warning")
    _one(findings, "Options", 3, "optimism_bias", "adds 2000%", "enter 0.2", level="warning")
    # the base's own values raise none of them
    (tmp_path / "b").mkdir()
    base = _read(tmp_path / "b", base_sheets())
    assert not [f for f in base if f.column in ("optimism_bias", "busy_fraction") or "authorisation" in f.message]


def test_an_empty_branch_says_how_much_weight_it_loses(tmp_path: Path) -> None:
    """A CriteriaGroups row no criterion names still counts in the sum of branch weights
    (the value tree's rule), so its weight goes nowhere: Benefits 50, Costs 30, Risks 20 and
    an empty 'Spare' 10 leave every total out of 100 x (1 - 10 / 110) = 90.9. It had been
    called "not used", as if nothing were lost."""
    sheets = base_sheets()
    sheets["CriteriaGroups"] = [["group", "weight"], ["Benefits", 50], ["Costs", 30], ["Risks", 20], ["Spare", 10]]
    findings = _read(tmp_path, sheets)
    _one(findings, "CriteriaGroups", 5, "group", "group 'Spare' holds no criterion", "its 9.1% of the weight",
         "out of 90.9", level="warning")


def test_an_incident_rate_no_force_comes_near_is_an_error(tmp_path: Path) -> None:
    """armed_incidents_per_year 10,000,000 (a slip) had run simulate for minutes an option; the
    limit, 100,000, is over five times all 43 forces' 17,589 firearms operations in 2023/24."""
    sheets = base_sheets()
    sheets["Parameters"].append(["armed_incidents_per_year", 10_000_000, ""])
    _one(_read(tmp_path, sheets), "Parameters", len(sheets["Parameters"]), "value", "armed_incidents_per_year",
         "at most 100,000")
    sheets["Parameters"][-1][1] = 100_000  # the limit itself is allowed
    (tmp_path / "ok").mkdir()
    assert _errors(_read(tmp_path / "ok", sheets)) == []


def test_a_demand_profile_left_switched_off_is_said_to_be_unused(tmp_path: Path) -> None:
    sheets = base_sheets()  # hour_weighting flat (the default)
    sheets["DemandProfile"] = [["weekday", "hour", "weight"], ["Fri", 22, 3.0]]
    _one(_read(tmp_path, sheets), "DemandProfile", None, None, "is not used: hour_weighting is flat",
         "set it to profile", level="warning")


def test_second_round_of_validation_gaps(tmp_path: Path) -> None:
    """From a second analyst's review: (1) a scenario naming 'hour weighting' with a space, as
    Scenarios names may be written, set to incidents without an Incidents sheet (appraise had
    stopped with an internal error); (2) a negative option cost as an Uncertainty end (a
    scenario's is refused); (3) two empty branches lose their weight together: Benefits 50,
    Costs 30, Risks 20 with 'Spare' 20 and 'Extra' 10 leave totals out of 100 x 100 / 130 =
    76.9 (each had been worked out alone: 84.6 and 92.3)."""
    sheets = base_sheets()
    sheets["Scenarios"] = [["scenario", "parameter", "value"], ["X", "Hour Weighting", "incidents"]]
    sheets["Uncertainty"] = [["parameter", "low", "high"], ["OPT1.one_off_cost_gbp", -100000, 800000]]
    sheets["CriteriaGroups"] = [["group", "weight"], ["Benefits", 50], ["Costs", 30], ["Risks", 20], ["Spare", 20],
                                ["Extra", 10]]
    findings = _read(tmp_path, sheets)
    _one(findings, "Scenarios", 2, "value", "scenario 'X' weights hours by incidents")
    _one(findings, "Uncertainty", 2, "low", "OPT1.one_off_cost_gbp", "not a cost", ">= 0")
    _one(findings, "CriteriaGroups", 5, "group", "its 15.4% of the weight", "with the other empty groups, 23.1%",
         "out of 76.9", level="warning")
    _one(findings, "CriteriaGroups", 6, "group", "its 7.7% of the weight", "out of 76.9", level="warning")


def test_a_demand_profile_a_scenario_uses_is_not_called_unused(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["DemandProfile"] = [["weekday", "hour", "weight"], ["Mon", 1, 2.0]]
    sheets["Scenarios"] = [["scenario", "parameter", "value"], ["P", "hour_weighting", "profile"]]
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    assert not [f for f in findings if f.sheet == "DemandProfile"], [f.one_line() for f in findings]


def test_a_default_busy_fraction_of_one_is_said_once_at_its_parameter(tmp_path: Path) -> None:
    sheets = base_sheets()  # OPT0 and OPT1 run ARVs on the default busy fraction (blank cells)
    sheets["Parameters"].append(["busy_fraction_arv", 1, ""])
    findings = _read(tmp_path, sheets)
    _one(findings, "Parameters", len(sheets["Parameters"]), "value", "busy_fraction_arv 1", "never answers",
         level="warning")
    assert not [f for f in findings if f.sheet == "Deployments" and f.column == "busy_fraction"]


def test_an_asset_type_that_disagrees_with_its_sites_type_is_a_warning(tmp_path: Path) -> None:
    """An analyst entered the neighbour's crew as ARV at its NEIGHBOUR_BASE: the force's own
    officers rose by the crew's 11 FTE and neighbour_officers fell to 0, with no word. The
    base force's OPT2 row 5 puts a NEIGHBOUR_ARV at S3 (NEIGHBOUR_BASE); made an ARV there it
    is counted as the force's own. OPT1's row 3 at S1 (ARV_BASE) made a NEIGHBOUR_ARV would
    leave a crew of the force's own out of its officers."""
    sheets = base_sheets()
    sheets["Deployments"][4][2] = "ARV"  # OPT2 at S3, Excel row 5
    sheets["Deployments"][2][2] = "NEIGHBOUR_ARV"  # OPT1 at S1, Excel row 3
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Deployments", 5, "asset_type", "an ARV at site 'S3', which the Sites sheet gives as NEIGHBOUR_BASE",
         "counted in officers_required as the force's own officers", level="warning")
    _one(findings, "Deployments", 3, "asset_type", "a NEIGHBOUR_ARV at site 'S1', which the Sites sheet gives as "
         "ARV_BASE", "left out of officers_required", level="warning")
    # the base force as it is: every asset agrees with its site, so no such warning
    (tmp_path / "base").mkdir()
    assert not [f for f in _read(tmp_path / "base", base_sheets()) if f.column == "asset_type"]


def test_a_scenario_that_sets_only_labels_says_its_figures_are_the_base_cases(tmp_path: Path) -> None:
    """threat_level labels the results and moves no measure: an analyst's scenario setting only
    threat_level to SEVERE gave the base case's totals under a title saying SEVERE. Rows 2-3
    (threat level and decision question) change no figure: a warning at the first; "Severe, modelled"
    (rows 4-5) also raises the ARV busy fraction, so it is a real what-if and says nothing."""
    sheets = base_sheets()
    sheets["Scenarios"] = [["scenario", "parameter", "value"],
                           ["Severe label", "threat_level", "SEVERE"],
                           ["Severe label", "decision_question", "Arm rural officers under SEVERE?"],
                           ["Severe, modelled", "threat_level", "SEVERE"],
                           ["Severe, modelled", "busy_fraction_arv", 0.45]]
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Scenarios", 2, "parameter", "scenario 'Severe label' sets only threat_level (a label), "
         "decision_question (a label), so its figures are the base case's", "busy_fraction_arv", level="warning")
    assert not [f for f in findings if "Severe, modelled" in f.message]


def test_travel_times_in_seconds_are_named_though_each_is_in_range(tmp_path: Path) -> None:
    """An analyst's near pairs were in seconds, each at most 1,440, so each passed the range
    check and the baseline covered nobody. The base force's times in seconds, S1-A4 left out
    (1,800 would draw its own above-a-day warning) and A1 at S1, A3 at S2 compared with no estimate (0 km):
    estimates (road_circuity 1.3, urban 40 / rural 65 km/h) are S1-A2 3 km urban 5.85 min,
    S1-A3 14.14 km rural 16.97, S2-A1 14.14 km urban 27.58, S2-A2 12.21 km urban 23.80,
    S2-A4 14.14 km rural 16.97; given 360, 1080, 1020, 900, 840 seconds, ratios 61.5, 63.6,
    37.0, 37.8, 49.5; median 49.5, shown 49 (ratio under 1 for the minutes as they were)."""
    sheets = base_sheets()
    sheets["TravelTimes"] = [row if k == 0 else [row[0], row[1], row[2] * 60]
                             for k, row in enumerate(sheets["TravelTimes"]) if row[:2] != ["S1", "A4"]]
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "TravelTimes", None, "minutes", "a median 49 times what straight-line distance",
         "over 5 pairs", "if these are seconds, divide them by 60", level="warning")
    (tmp_path / "base").mkdir()
    assert not [f for f in _read(tmp_path / "base", base_sheets()) if "if these are seconds" in f.message]


def test_judgement_scores_typed_as_fractions_are_named(tmp_path: Path) -> None:
    """Scores typed 0.7, 0.4, 0.6 for 70, 40, 60 pass the 0-100 range and the criterion
    then counts for almost nothing (its options 0.3 apart of 100). Every score on C3 between
    0 and 1 with one above 0: a warning at C3's first row (Excel row 2)."""
    sheets = base_sheets()
    for row, (score, lo, hi) in zip(sheets["Judgements"][1:], ((0.7, 0.6, 0.8), (0.4, 0.2, 0.6), (0.6, None, None)),
                                    strict=True):
        row[2], row[4], row[5] = score, lo, hi
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    _one(findings, "Judgements", 2, "score", "every score on the judgement criterion 'C3' is between 0 and 1 (0.7, 0.4, 0.6",
         "multiply them (and low/high) by 100", level="warning")
    (tmp_path / "base").mkdir()
    assert not [f for f in _read(tmp_path / "base", base_sheets()) if "fractions" in f.message]


def test_a_merged_heading_cell_is_named_where_a_column_goes_missing(tmp_path: Path) -> None:
    """An analyst merged Areas A1:B1 (area_id over area_name): Excel keeps only A1's text,
    so area_name is missing although the analyst can see it. The error now names the
    heading row and the merged range, and says to unmerge; a merged title above the
    headings (not the heading row) adds nothing."""
    path = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Areas"].merge_cells("A1:B1")
    wb.save(path)
    found = read_workbook(path).findings
    _one(found, "Areas", 1, "area_name", "the required column 'area_name' is missing",
         "the heading row 1 has merged cells (A1:B1)", "unmerge them")


def test_the_templates_example_rows_left_in_are_named(tmp_path: Path) -> None:
    """The template's example sites S001 and S002 (about 130 km from an analyst's force) had
    validated and become optimiser candidates. Rows whose id and name are both the
    template's are a warning, once a sheet, naming them; OPT0 "Do minimum" is not, as a
    force's own do-minimum is as likely to be called that."""
    from desktop_app.core.workbook.template import write_template

    path = write_template(tmp_path / "blank.xlsx")
    found = read_workbook(path).findings
    _one(found, "Areas", 2, "area_id", "2 rows (E01000001, E01000002) are the blank template's example",
         level="warning")
    _one(found, "Sites", 2, "site_id", "2 rows (S001, S002) are the blank template's example", level="warning")
    _one(found, "Options", 3, "option_id", "1 row (OPT1) is the blank template's example", level="warning")
    (tmp_path / "base").mkdir()
    assert not [f for f in _read(tmp_path / "base", base_sheets()) if "template's example" in f.message]


def test_weights_on_two_scales_are_named(tmp_path: Path) -> None:
    """An analyst typed a weight as "30%" among weights of 20 and 10. Here C1's 50 becomes
    "30%" beside C2's 30 and C3's 20: read as 0.3, C1 has 0.3 / 50.3 = 0.6% of the weight,
    not 30 / 80. A warning at C1's row names 0.3 among 30, 20 and says to type 30."""
    sheets = base_sheets()
    sheets["Criteria"][1][4] = "30%"
    findings = _read(tmp_path, sheets)
    assert _errors(findings) == []
    hits = [f for f in findings if (f.sheet, f.row, f.column, f.level) == ("Criteria", 2, "weight", "warning")
            and "sits among" in f.message]  # beside the generic "stored as text" note on the same cell
    assert len(hits) == 1 and "the weight 0.3 sits among weights of 30, 20" in hits[0].message
    assert "type 30" in hits[0].message
    (tmp_path / "base").mkdir()
    assert not [f for f in _read(tmp_path / "base", base_sheets()) if "sits among" in f.message]


@pytest.mark.parametrize(("weights", "named"), [
    ((2, 1, 1), None),        # ordinary points: 1 is not a fraction
    ((3, 0.5, 1), None),      # 0.5 beside 3: a half point, 6 x below the largest, not a share
    ((20, 0.5, 10), 0.5),     # 0.5 beside 20: 40 x below, as "50%" typed among points would be
    ((0.5, 0.3, 0.2), None),  # every weight a share: one scale
])
def test_weights_on_two_scales_only_for_a_fraction_far_below_the_points(
        tmp_path: Path, weights: tuple[float, float, float], named: float | None) -> None:
    """The warning fired for weights of 2 and 1 (an auditor's ordinary workbook); it is for a
    fraction below 1 at least ten times below the largest weight of 2 or more."""
    sheets = base_sheets()
    for row, w in zip(sheets["Criteria"][1:4], weights, strict=True):
        row[4] = w
    hits = [f for f in _read(tmp_path, sheets) if "sits among" in f.message]
    if named is None:
        assert hits == []
    else:
        assert len(hits) == 1 and hits[0].message.startswith(f"the weight {named:g} sits among")


def test_armed_response_officers_on_the_tools_default_busy_fraction_are_named(tmp_path: Path) -> None:
    """OPT1's two armed-response-officer posts (Deployments row 4) with busy_fraction blank and
    no busy_fraction_aro on the Parameters sheet take the tool's default 0.1, though such
    officers are busy about a third of the time: the rural option had gained 6 points and
    10 points of first place in the robustness draws without a word. Set either, and it is not
    said."""
    sheets = base_sheets()
    sheets["Deployments"][3][7] = None
    findings = _read(tmp_path, sheets)
    _one(findings, "Deployments", 4, "busy_fraction", "1 deployment leaves busy_fraction blank", "does not set busy_fraction_aro",
         "the tool's default 0.1", level="warning")
    sheets["Parameters"].append(["busy_fraction_aro", 0.35, ""])
    (tmp_path / "set").mkdir()
    assert not [f for f in _read(tmp_path / "set", sheets) if "tool's default" in f.message]
