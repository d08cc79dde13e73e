"""The Glossary sheet: every term and abbreviation the summary workbook uses, in words a
police and crime panel member can follow (docs/summary-workbook.md#sheets-in-order)."""

from __future__ import annotations

from typing import Any

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import TableSpec, write_table_sheet
from desktop_app.core.glossary import TERMS


def glossary_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per term: what it means."""
    rows = [[t, d] for t, d in TERMS]
    spec = TableSpec("tblGlossary", ["term", "meaning"], ["Term", "What it means"],
                     ["label", "text"], [30, 100], rows, len(rows))
    write_table_sheet(ctx, ws, "Glossary: the terms and abbreviations this workbook uses", spec,
                      freeze="A4", title_cols=None)
