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
