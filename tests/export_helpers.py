"""Helpers for the summary-workbook tests: read its tables back, run the pipeline."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from desktop_app.core.pipeline import AppraisalRun, run_appraisal
from desktop_app.core.workbook.reader import read_workbook

HEADER_ROW = 3
IDS_ROW = 2


def appraise(path: Path, samples: int = 2000, seed: int = 20240601) -> AppraisalRun:
    """Read and appraise a force workbook (few SMAA samples: the export does not care)."""
    rr = read_workbook(path)
    assert rr.inputs is not None, [f.one_line() for f in rr.errors]
    return run_appraisal(rr.inputs, rr.findings, samples=samples, seed=seed)


def table(ws: Any, header_row: int = HEADER_ROW, first_col: int = 1) -> list[dict[str, Any]]:
    """The table whose header is on ``header_row`` as dicts keyed by the machine-facing
    identifiers on the row above (the JSON names), up to the first blank key cell."""
    headers = []
    col = first_col
    while ws.cell(header_row - 1, col).value is not None:
        headers.append(ws.cell(header_row - 1, col).value)
        col += 1
    rows = []
    r = header_row + 1
    while ws.cell(r, first_col).value is not None:
        rows.append({h: ws.cell(r, first_col + i).value for i, h in enumerate(headers)})
        r += 1
    return rows


def column_cells(ws: Any, header: str, header_row: int = HEADER_ROW) -> list[Any]:
    """The data cells (openpyxl Cell objects) under the column identified as ``header``."""
    for col in range(1, ws.max_column + 1):
        if ws.cell(header_row - 1, col).value == header:
            out = []
            r = header_row + 1
            while ws.cell(r, 1).value is not None:
                out.append(ws.cell(r, col))
                r += 1
            return out
    raise KeyError(header)


def sheet_xml(path: Path, sheet_name: str) -> str:
    """The raw worksheet XML of ``sheet_name`` (to prove there is no formula element)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(sheet_name) + 1
    wb.close()
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def all_text(ws: Any) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
