"""docs/workbook-format.md is exactly what the schema generates, so docs and code cannot drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.format_doc import generate

DOC = Path(__file__).resolve().parents[1] / "docs" / "workbook-format.md"


def test_doc_matches_generated_output() -> None:
    assert DOC.read_text(encoding="utf-8") == generate(), (
        "docs/workbook-format.md is out of date: run "
        "python -m desktop_app.core.workbook.format_doc > docs/workbook-format.md"
    )


def test_doc_names_every_sheet_column_parameter_and_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for spec in schema.SHEETS:
        assert f"### {spec.name}" in text
        for col in spec.columns:
            assert f"| `{col.name}` |" in text, col.name
    for p in schema.PARAMETERS:
        assert f"| `{p.name}` |" in text, p.name
    for code in schema.RURALITY_CODES:
        assert code in text or code.lower() in text, code
    for m in schema.MEASURE_CODES:
        assert f"`{m}`" in text


def test_module_entry_point_prints_the_doc() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app.core.workbook.format_doc"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=True,
    )
    assert proc.stdout == generate()


def test_what_the_doc_says_of_titles_ids_and_baseline_is_what_the_reader_does(tmp_path: Path) -> None:
    """The doc's "How the workbook is read" and "Defaults" (docs/workbook-format.md), checked
    against the reader on the small test force: a title above the Areas headings is skipped
    with a warning naming its row (row 1; the headings on row 2, so A1's data row is 3);
    Threat's "A2\\u00a0" and " A3 " are A2 and A3; `baseline` as "yes" / "No", "y" / "n" and
    1 / 0 marks OPT0 the baseline, the other two not."""
    from workbook_factory import base_sheets, make_workbook

    from desktop_app.core.workbook.reader import read_workbook

    text = DOC.read_text(encoding="utf-8")
    assert "is skipped with a warning" in text and "non-breaking spaces" in text
    assert "`yes`, `y` or `1` for TRUE and `FALSE`, `no`, `n` or `0` for FALSE" in text
    for true, false in (("yes", "No"), ("y", "n"), (1, 0), ("TRUE", "false")):
        sheets = base_sheets()
        sheets["Areas"].insert(0, ["Testshire areas (LSOA 2021)"])
        sheets["Threat"][2][0] = "A2\u00a0"
        sheets["Threat"][3][0] = " A3 "
        for row, value in zip(sheets["Options"][1:], (true, false, false), strict=True):
            row[3] = value
        name = f"{true}.xlsx"
        result = read_workbook(make_workbook(tmp_path, sheets, name=name))
        assert result.errors == [], [f.one_line() for f in result.errors]
        titles = [f.one_line() for f in result.findings if f.sheet == "Areas"]
        assert titles == ["warning: Areas row 1: row 1 above the headings looks like a title and was skipped; "
                          "the headings were read from row 2"], titles
        assert result.inputs.baseline_id == "OPT0" and result.inputs.options["baseline"].tolist() == [True, False, False]
    sheets = base_sheets()
    sheets["Options"][2][3] = "maybe"  # Options row 3: not a word the doc lists
    errors = [f.one_line() for f in read_workbook(make_workbook(tmp_path, sheets, name="maybe.xlsx")).errors]
    assert errors == ["error: Options row 3 column baseline: holds 'maybe'; expected TRUE or FALSE"], errors
