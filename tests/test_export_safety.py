"""Summary workbook safety (issue 5, item 5): literal text, clean characters, atomic writes."""

from __future__ import annotations

import dataclasses
import errno
import os
import re
from pathlib import Path

import openpyxl
import pytest
from ci_requirements import rerun_unprivileged
from export_helpers import all_text, appraise, sheet_xml, table
from hypothesis import given, settings
from hypothesis import strategies as st
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.errors import OutputError
from desktop_app.core.export import write_summary
from desktop_app.core.export.safe_text import TextGuard, normalise_newlines, strip_illegal
from desktop_app.core.pipeline import AppraisalRun

INJECTIONS = {
    "area_name": '=HYPERLINK("http://x","y")',
    "option_name": "+cmd|' /C calc'!A0",
    "district": "-2+3",
    "criterion_name": "@SUM(A1)",
    "weight_set": "=1+1",
}


def _literal_workbook(tmp_path: Path) -> Path:
    """A force workbook whose names look like formulas but are stored as text cells."""
    sheets = base_sheets()
    sheets["Areas"][1][1] = "AREA_NAME"
    sheets["Areas"][2][2] = "DISTRICT"
    sheets["Options"][2][1] = "OPTION_NAME"
    sheets["Criteria"][1][1] = "CRITERION_NAME"
    for row in sheets["WeightSets"][1:]:
        if row[0] == "Finance":
            row[0] = "WEIGHT_SET"
    path = make_workbook(tmp_path, sheets)
    wb = openpyxl.load_workbook(path)
    placeholders = {"AREA_NAME": "area_name", "DISTRICT": "district", "OPTION_NAME": "option_name",
                    "CRITERION_NAME": "criterion_name", "WEIGHT_SET": "weight_set"}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in placeholders:
                    c.value = INJECTIONS[placeholders[c.value]]
                    c.data_type = "s"  # text in the input, as Excel stores a name typed with a leading '
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, openpyxl.Workbook]:
    tmp = tmp_path_factory.mktemp("inject")
    run = appraise(_literal_workbook(tmp), samples=200)
    assert run.inputs.areas["area_name"].iloc[0] == INJECTIONS["area_name"]  # reader kept it as text
    out = write_summary(run, tmp / "summary.xlsx")
    return out, openpyxl.load_workbook(out)


def test_formula_like_names_stay_literal_text(injected: tuple) -> None:
    path, wb = injected
    found: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in INJECTIONS.values():
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    found.setdefault(c.value, []).append(ws.title)
    assert set(found) == set(INJECTIONS.values())
    assert "Coverage" in found[INJECTIONS["area_name"]] and "Coverage" in found[INJECTIONS["district"]]
    assert "Options" in found[INJECTIONS["option_name"]]
    # on the Summary the option's line begins with its name, '+' and all, and is still text
    lines = [c for row in wb["Summary"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(INJECTIONS["option_name"] + ":")]
    assert lines and all(c.data_type == "s" for c in lines)
    assert "Weights" in found[INJECTIONS["criterion_name"]]
    assert "WeightSets" in found[INJECTIONS["weight_set"]]


def test_no_formula_element_anywhere_in_the_sheet_xml(injected: tuple) -> None:
    path, wb = injected
    for name in wb.sheetnames:
        xml = sheet_xml(path, name)
        assert not re.search(r"<(\w+:)?f[ >]", xml), name
    cov = sheet_xml(path, "Coverage")
    # the name is there, escaped, as an inline string
    assert '<is><t>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</t></is>' in cov or \
        "<is><t>=HYPERLINK(\"http://x\",\"y\")</t></is>" in cov


def test_weight_set_named_like_a_formula_is_a_group_on_the_summary(injected: tuple) -> None:
    _path, wb = injected
    ws = wb["Summary"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_control_characters_removed_with_a_warning(tmp_path: Path) -> None:
    run = appraise(make_workbook(tmp_path), samples=200)
    opts = run.inputs.options.copy()
    opts.loc[1, "option_name"] = "Arm\x07 hill\x00 station"
    areas = run.inputs.areas.copy()
    areas.loc[2, "area_name"] = "Hill\x1b villages"
    run = dataclasses.replace(run, inputs=dataclasses.replace(run.inputs, options=opts, areas=areas))
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    assert {r["option_name"] for r in table(wb["Options"])} >= {"Arm hill station"}
    assert "Hill villages" in [r["area_name"] for r in table(wb["Coverage"])]
    text = "\n".join(all_text(ws) for ws in wb.worksheets)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    warnings = [r for r in table(wb["Validation"]) if "control character" in (r["message"] or "")]
    assert len(warnings) == 2  # one per distinct piece of text, wherever it is repeated
    by_sheet = {(w["sheet"], w["row"], w["column"]) for w in warnings}
    assert by_sheet == {("Options", 3, "option_name"), ("Areas", 4, "area_name")}
    assert all(w["level"] == "warning" for w in warnings)
    assert "2 removed" not in warnings[0]["message"]
    assert any("removed 2 control characters" in w["message"] for w in warnings)
    summary = all_text(wb["Summary"])
    assert re.search(r"\d+ errors? and \d+ warnings?", summary)


def test_guard_unit() -> None:
    g = TextGuard()
    assert strip_illegal("a\x00b\x1fc\td\ne") == "abc\td\ne"  # tab and newline are allowed
    assert g.clean("two\r\nlines\rhere") == "two\nlines\nhere" and not g.findings  # not a loss
    assert g.clean("=1+1") == "=1+1" and not g.findings
    assert g.clean("x\x01") == "x" and len(g.findings) == 1
    assert g.clean("x\x01") == "x" and len(g.findings) == 1  # reported once
    long = "y" * 40_000
    assert len(g.clean(long)) == 32_767 and "32,767" in g.findings[-1].message


def _old_file(tmp_path: Path) -> tuple[Path, bytes]:
    target = tmp_path / "summary.xlsx"
    target.write_bytes(b"previous summary, must survive")
    return target, target.read_bytes()


def test_locked_target_leaves_old_file_and_no_temp_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = appraise(make_workbook(tmp_path), samples=200)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target, before = _old_file(out_dir)

    def locked(src: object, dst: object) -> None:  # what Windows does while Excel has the file open
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as err:
        write_summary(run, target)
    message = err.value.one_line()
    assert "\n" not in str(err.value)
    assert str(target) in message and "close it" in message
    assert target.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["summary.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions")
def test_read_only_target_in_read_only_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root ignores file permissions: run this test again as 'nobody'
        rerun_unprivileged("tests/test_export_safety.py::test_read_only_target_in_read_only_folder")
        return
    run = appraise(make_workbook(tmp_path), samples=200)
    folder = tmp_path / "ro"
    folder.mkdir()
    target, before = _old_file(folder)
    target.chmod(0o444)
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError) as err:
            write_summary(run, target)
        assert str(target) in err.value.one_line()
        assert target.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["summary.xlsx"]
    finally:
        folder.chmod(0o755)
        target.chmod(0o644)


def test_refuses_to_write_over_the_input(tmp_path: Path) -> None:
    path = make_workbook(tmp_path)
    before = path.read_bytes()
    run = appraise(path, samples=200)
    with pytest.raises(OutputError, match="input workbook"):
        write_summary(run, path)
    # another spelling of the same file
    with pytest.raises(OutputError, match="input workbook"):
        write_summary(run, tmp_path / "." / path.name)
    assert path.read_bytes() == before


def test_marking_with_ampersand_is_escaped_in_print_header(tmp_path: Path) -> None:
    sheets = base_sheets()
    for row in sheets["Parameters"]:
        if row[0] == "protective_marking":
            row[1] = "OFFICIAL-SENSITIVE & PERSONAL"
    run = appraise(make_workbook(tmp_path, sheets), samples=200)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    for ws in wb.worksheets:
        # '&&' is a literal ampersand in Excel's header codes; a lone '&' would eat the next letter
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE && PERSONAL"
        assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE && PERSONAL"


def test_big_coverage_rows_fast_path_keeps_text_literal(sample_run: AppraisalRun, tmp_path: Path) -> None:
    """Rows past the chart data are written by the fast path: same rules, same numbers."""
    run = sample_run
    areas = run.inputs.areas.copy()
    last = len(areas) - 1
    areas.loc[last, "area_name"] = INJECTIONS["area_name"]
    areas.loc[last - 1, "district"] = " padded & <odd> "
    areas.loc[last - 2, "area_name"] = "Bell\x07 End"
    run = dataclasses.replace(run, inputs=dataclasses.replace(run.inputs, areas=areas))
    out = write_summary(run, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Coverage"]
    rows = table(ws)
    assert len(rows) == len(areas) > 200  # well past the openpyxl-written head rows
    tail = ws.cell(4 + last, 2)
    assert tail.value == INJECTIONS["area_name"] and tail.data_type == "s"
    assert ws.cell(4 + last - 1, 3).value == " padded & <odd> "  # spaces kept, XML escaped
    assert ws.cell(4 + last - 2, 2).value == "Bell End"
    warn = [r for r in table(wb["Validation"]) if "control character" in (r["message"] or "")]
    assert [(w["sheet"], w["row"], w["column"]) for w in warn] == [("Areas", last - 2 + 2, "area_name")]
    assert not re.search(r"<(\w+:)?f[ >]", sheet_xml(out, "Coverage"))
    # numbers in the fast-path rows equal the engine's, and styles carry the formats
    oid = run.inputs.option_ids[0]
    frame = run.coverage.per_area[oid]
    for i in (last - 5, last):
        want = float(frame["median_response_minutes"].iloc[i])
        got = rows[i][f"{oid}_median_response_minutes"]
        assert got == ("not reached" if want == float("inf") else pytest.approx(want, rel=1e-12))
    cov_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == f"{oid}_share_hours_covered")
    assert ws.cell(4 + last, cov_col).number_format == "0.0%"
    assert ws.cell(4 + last, 4).number_format == "#,##0"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
                        | st.sampled_from(["=", "+", "-", "@", "\x00", "\x07", "\t", "\n", "\r", " "]),
                        max_size=30), min_size=1, max_size=5))
def test_any_text_round_trips_as_literal_text(texts: list[str]) -> None:
    """Whatever the text, it comes back exactly (minus what Excel cannot store), as text."""
    import io

    from openpyxl import Workbook

    from desktop_app.core.export.grid import Block, SheetWriter
    from desktop_app.core.export.styles import Styler

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("T")
    guard = TextGuard()
    SheetWriter(ws, guard, Styler()).write([Block(1, 1, [[t] for t in texts], len(texts))])
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["T"]
    for i, t in enumerate(texts, start=1):
        want = normalise_newlines(strip_illegal(t))
        cell = back.cell(i, 1)
        if want == "":
            assert cell.value is None
        else:
            assert cell.value == want and cell.data_type == "s"
    assert len(guard.findings) == len({t for t in texts if strip_illegal(t) != t})


def test_blank_judgement_ranges_never_print_as_nan(tmp_path: Path) -> None:
    """OPT2's C3 judgement leaves low and high blank (read as NaN): the Assumptions sheet
    says nothing of a range, never "plausible range nan to nan". No text cell of any sheet holds "nan" or "inf" as a word."""
    sheets = base_sheets()
    sheets["Judgements"][1][5] = None  # OPT0 / C3: low 60, high blank
    run = appraise(make_workbook(tmp_path, sheets), samples=200)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    rows = {r["item"]: r for r in table(wb["Assumptions"]) if r["kind"] == "judgement"}
    assert rows["OPT2 / C3"]["source"] == "judgement"  # no range given, none printed
    # one end given: the reader takes the score (70) as the other, with a warning
    assert rows["OPT0 / C3"]["source"] == "judgement, plausible range 60 to 70"
    assert rows["OPT1 / C3"]["source"] == "judgement, plausible range 20 to 60"
    for ws in wb.worksheets:
        words = re.findall(r"\b(?:nan|inf|infinity)\b", all_text(ws), flags=re.IGNORECASE)
        assert words == [], (ws.title, words)
