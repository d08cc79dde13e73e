"""The blank template: every sheet, guidance, drop-downs, examples; filled in, it validates."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from workbook_factory import base_sheets

from desktop_app.cli import main
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.reader import read_workbook
from desktop_app.core.workbook.template import VALIDATED_ROWS, write_template


@pytest.fixture()
def template_path(tmp_path: Path) -> Path:
    return write_template(tmp_path / "template.xlsx")


def test_template_command_writes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "blank.xlsx"
    assert main(["template", str(out)]) == 0
    assert out.exists() and out.stat().st_size > 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["blank.xlsx"]  # no temporary file left


def test_every_schema_sheet_with_headers_in_order(template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    assert wb.sheetnames == ["Guide"] + [s.name for s in schema.SHEETS]
    for spec in schema.SHEETS:
        header = [c.value for c in wb[spec.name][1]]
        assert header[: len(spec.columns)] == [c.name for c in spec.columns], spec.name


def test_every_header_has_a_comment_explaining_it(template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    for spec in schema.SHEETS:
        for k, col in enumerate(spec.columns, start=1):
            comment = wb[spec.name].cell(row=1, column=k).comment
            assert comment is not None, (spec.name, col.name)
            assert col.description in comment.text
            assert ("required" if col.required else "optional") in comment.text


def _validations(ws) -> dict[str, tuple[str, str | None]]:
    """Column letter -> (type, formula1) of each data validation on a sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = (dv.type, dv.formula1, str(rng.coord))
    return out


@pytest.mark.parametrize(
    ("sheet", "column"),
    [("Sites", "site_type"), ("Deployments", "asset_type"), ("Criteria", "measure"), ("Criteria", "direction"), ("Areas", "rurality")],
)
def test_dropdowns_for_coded_columns(template_path: Path, sheet: str, column: str) -> None:
    wb = openpyxl.load_workbook(template_path)
    spec = schema.SHEETS_BY_NAME[sheet]
    letter = openpyxl.utils.get_column_letter([c.name for c in spec.columns].index(column) + 1)
    kind, formula, coord = _validations(wb[sheet])[letter]
    assert kind == "list"
    assert formula.strip('"').split(",") == list(spec.column(column).codes)
    assert coord == f"{letter}2:{letter}{VALIDATED_ROWS + 1}"


def test_baseline_and_threat_level_dropdowns(template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    kind, formula, _ = _validations(wb["Options"])["D"]
    assert (kind, formula) == ("list", '"TRUE,FALSE"')
    ws = wb["Parameters"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "threat_level")
    dvs = [dv for dv in ws.data_validations.dataValidation if f"B{row}" in str(dv.sqref)]
    assert len(dvs) == 1 and dvs[0].formula1.strip('"').split(",") == list(schema.THREAT_LEVELS)


def test_numeric_range_checks(template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    kind, formula, _ = _validations(wb["Deployments"])["F"]  # start_hour 0-24, whole
    assert kind == "whole" and formula == "0"


def test_travel_minutes_check_rejects_zero_as_the_guidance_does(template_path: Path) -> None:
    """TravelTimes minutes must be more than 0 and at most 10,080, a week (the guidance and
    the reader; above a day is read with a warning); Excel's "between 0 and 1440" had
    accepted 0. Excel has no "more than a and at most b", so the check is a formula on C2,
    which Excel moves down the column: for 0 it is AND(TRUE, FALSE, TRUE), false; 0.5 and
    10080 pass; 10080.5, -1 and text fail (LibreOffice computed FALSE, TRUE, TRUE, FALSE,
    FALSE for 0, 0.5, 1440, 1441 and "x" under the earlier bound of 1440; the formula's shape
    is unchanged)."""
    wb = openpyxl.load_workbook(template_path)
    (dv,) = [d for d in wb["TravelTimes"].data_validations.dataValidation if "C2" in str(d.sqref)]
    assert dv.type == "custom" and dv.formula1 == "AND(ISNUMBER(C2),C2>0,C2<=10080)"
    assert str(dv.sqref) == f"C2:C{VALIDATED_ROWS + 1}" and dv.allow_blank and dv.showErrorMessage
    assert dv.error == "Enter a number of minutes more than 0 and at most 10,080."
    # a range closed at both ends keeps Excel's own "between" (WeightSets weight 0-100)
    kind, formula, _ = _validations(wb["WeightSets"])["C"]
    assert (kind, formula) == ("decimal", "0")


def test_guide_explains_every_column_and_parameter(template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    rows = [[c for c in r] for r in wb["Guide"].iter_rows(values_only=True)]
    pairs = {(r[0], r[1]) for r in rows if len(r) > 1}
    for spec in schema.SHEETS:
        for col in spec.columns:
            assert (spec.name, col.name) in pairs, (spec.name, col.name)
    names = {r[0] for r in rows}
    for p in schema.PARAMETERS:
        assert p.name in names


def test_template_as_written_validates(template_path: Path) -> None:
    result = read_workbook(template_path)
    assert result.errors == []
    assert result.inputs.option_ids == ["OPT0", "OPT1"]
    assert "Guide" in result.inputs.extra_sheets


def _fill(template: Path, out: Path) -> Path:
    """Replace the template's example rows with the test force, keeping its headers and checks."""
    wb = openpyxl.load_workbook(template)
    data = base_sheets()
    for name, rows in data.items():
        ws = wb[name]
        if name == "Parameters":
            where = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
            for pname, value, _ in rows[1:]:
                ws.cell(row=where[pname], column=2).value = value
            continue
        ws.delete_rows(2, ws.max_row)
        header = [c.value for c in ws[1]]
        for h in rows[0]:
            if h not in header:
                header.append(h)
                ws.cell(row=1, column=len(header)).value = h
        for r, row in enumerate(rows[1:], start=2):
            for h, value in zip(rows[0], row, strict=True):
                ws.cell(row=r, column=header.index(h) + 1).value = value
    for name in ("CriteriaGroups", "Scenarios", "Uncertainty", "Incidents", "DemandProfile"):  # optional sheets the test force does not use
        if name in wb.sheetnames and name not in data:
            wb[name].delete_rows(2, wb[name].max_row)
    wb.save(out)
    return out


def test_filled_in_template_validates(template_path: Path, tmp_path: Path) -> None:
    result = read_workbook(_fill(template_path, tmp_path / "filled.xlsx"))
    assert result.errors == [], [f.one_line() for f in result.errors]
    inp = result.inputs
    assert inp.parameters.force_name == "Testshire Police"
    assert inp.areas["area_id"].tolist() == ["A1", "A2", "A3", "A4"]
    assert inp.threat.columns.tolist() == ["firearms_incidents", "violence_rate"]
    # The template's parameter defaults are the schema defaults.
    assert inp.parameters.discount_rate == pytest.approx(0.035)


def test_refuses_an_existing_file_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A template written over a filled-in workbook would lose the force's data: --force is needed."""
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    assert main(["template", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "already exists" in err and "--force" in err
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # no temporary file left


def test_force_overwrites_existing_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    assert main(["template", str(out), "--force"]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_locked_target_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "locked.xlsx"
    out.write_bytes(b"old contents")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "locked", dst)

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["template", str(out), "--force"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(out) in err[0] and "close it" in err[0]
    assert out.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.xlsx"]


def test_missing_folder_and_bad_suffix_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", str(tmp_path / "no" / "such" / "t.xlsx")]) == 2
    assert "folder does not exist" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "t.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


@pytest.mark.slow
def test_opens_in_libreoffice_and_round_trips(soffice: str, template_path: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "lo"
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "xlsx", "--outdir", str(outdir), str(template_path)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    converted = outdir / template_path.name
    assert proc.returncode == 0 and converted.exists(), proc.stderr
    assert read_workbook(converted).errors == []
