"""Issue 16: a missing Sites sheet gives one grouped knock-on finding per sheet that names
sites ("42 deployments name sites that are not in the Sites sheet, because ..."), with the
sheet, row and column of the first, not a copy per row."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def test_a_missing_sites_sheet_gives_one_grouped_finding_per_referring_sheet(sample_copy: Path) -> None:
    from desktop_app.core.workbook.reader import read_workbook

    book = openpyxl.load_workbook(sample_copy)
    deployments = book["Deployments"]
    header = [c.value for c in deployments[1]]
    col = header.index("site_id")
    # by hand: the deployment rows that name a site, and the first of them
    named = [row[0].row for row in deployments.iter_rows(min_row=2) if row[col].value not in (None, "")]
    del book["Sites"]
    book.save(sample_copy)

    result = read_workbook(sample_copy)
    assert result.inputs is None
    site_findings = [f for f in result.errors if f.column == "site_id"]
    by_sheet = {f.sheet: f for f in site_findings}
    assert len(site_findings) == len(by_sheet) == 2  # Deployments once, TravelTimes once
    dep = by_sheet["Deployments"]
    assert dep.row == named[0]
    assert dep.message.startswith(f"{len(named)} deployments name sites that are not in the Sites sheet, "
                                  "because the Sites sheet is missing")
    travel = by_sheet["TravelTimes"]
    assert "travel times name sites that are not in the Sites sheet" in travel.message
    assert travel.row == 2  # the first travel-time row
    # the cause itself is still its own finding
    assert any(f.sheet == "Sites" and "missing" in f.message for f in result.errors)


def test_a_missing_areas_sheet_gives_one_grouped_finding_per_referring_sheet(sample_copy: Path) -> None:
    """The Areas sheet deleted had given 55 errors: the cause, then one "area ... is not in the
    Areas sheet" per Threat row (capped) and a note that equality_columns names a column of
    the missing sheet. Now the cause and one grouped finding for each sheet naming areas."""
    from desktop_app.core.workbook.reader import read_workbook

    book = openpyxl.load_workbook(sample_copy)
    threat_rows = sum(1 for row in book["Threat"].iter_rows(min_row=2) if row[0].value not in (None, ""))
    incident_rows = sum(1 for row in book["Incidents"].iter_rows(min_row=2) if row[1].value not in (None, ""))
    del book["Areas"]
    book.save(sample_copy)

    errors = read_workbook(sample_copy).errors
    by_sheet = {f.sheet: f for f in errors}
    assert sorted(by_sheet) == ["Areas", "Incidents", "Threat", "TravelTimes"] and len(errors) == 4
    assert "the required sheet 'Areas' is missing" in by_sheet["Areas"].message
    assert by_sheet["Threat"].message.startswith(f"{threat_rows} Threat rows name areas that are not in the Areas "
                                                 "sheet, because the Areas sheet is missing")
    assert (by_sheet["Threat"].row, by_sheet["Threat"].column) == (2, "area_id")
    assert by_sheet["Incidents"].message.startswith(f"{incident_rows} incidents name areas")
    assert not [f for f in errors if "equality_columns" in f.message]


def _profile_workbook(sample_copy: Path, rows: list[list[object]]) -> None:
    """The sample with hour_weighting = profile and a DemandProfile sheet of ``rows`` (header first)."""
    book = openpyxl.load_workbook(sample_copy)
    if "DemandProfile" in book.sheetnames:
        del book["DemandProfile"]
    sheet = book.create_sheet("DemandProfile")
    for row in rows:
        sheet.append(row)
    params = book["Parameters"]
    for row in params.iter_rows(min_row=2):
        if row[0].value == "hour_weighting":
            row[1].value = "profile"
            break
    else:
        params.append(["hour_weighting", "profile", ""])
    book.save(sample_copy)


def test_a_missing_weight_column_is_one_finding_not_also_every_weight_zero(sample_copy: Path) -> None:
    from desktop_app.core.workbook.reader import read_workbook

    _profile_workbook(sample_copy, [["weekday", "hour"], ["Mon", 0], ["Fri", 22]])
    errors = [f for f in read_workbook(sample_copy).errors if f.sheet == "DemandProfile"]
    assert len(errors) == 1 and errors[0].column == "weight" and "missing" in errors[0].message


def test_weights_that_were_read_and_are_all_zero_are_still_an_error(sample_copy: Path) -> None:
    from desktop_app.core.workbook.reader import read_workbook

    _profile_workbook(sample_copy, [["weekday", "hour", "weight"], ["Mon", 0, 0], ["Fri", 22, 0]])
    errors = [f for f in read_workbook(sample_copy).errors if f.sheet == "DemandProfile"]
    assert [f.message.split(",")[0] for f in errors] == ["every weight is 0"]
