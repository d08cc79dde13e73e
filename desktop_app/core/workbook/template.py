"""The blank force workbook (``armed-options template``), built from :mod:`schema`.

Everything the analyst needs to fill it in is in the file itself: a Guide sheet
explaining every sheet, column and parameter; a comment on every header cell;
drop-down lists for coded columns; range checks on numeric columns; and a few
example rows (a tiny but complete force) that show the shape of the data and
that users delete. Because it is generated from the same schema the reader
validates against, the template, the reader and ``docs/workbook-format.md``
cannot drift apart; the example rows as written validate cleanly (tested).
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.core._io.atomic import atomic_write
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.findings import expected_text
from desktop_app.core.workbook.schema import Column, Kind, Sheet
from desktop_app.core.workbook.template_rows import example_rows

#: Rows below the header that carry drop-downs and range checks.
VALIDATED_ROWS = 50_000

_HEADER_FILL = PatternFill("solid", fgColor="1F3B5A")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT = Font(italic=True, color="555555")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)

def headers(spec: Sheet) -> list[str]:
    """Header cells of a sheet in the template (Threat adds the example indicators)."""
    names = [c.name for c in spec.columns]
    if spec.name == "Threat":
        names += [row[0] for row in schema.SHEETS_BY_NAME["ThreatIndicators"].examples]  # type: ignore[misc]
    return names


def _required_text(col: Column, spec: Sheet) -> str:
    if col.required:
        return "required"
    return "optional"


def _comment(col: Column, spec: Sheet) -> Comment:
    text = f"{col.name} ({_required_text(col, spec)})\n{col.description}\nHolds {expected_text(col)}."
    comment = Comment(text, "armed-options")
    comment.width = 320
    comment.height = 140
    return comment


def _validation(col: Column, letter: str) -> DataValidation | None:
    """A drop-down for coded columns; a range check for bounded numbers."""
    sqref = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
    dv: DataValidation | None = None
    if col.kind is Kind.CODE:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.codes) + '"', allow_blank=not col.required)
        dv.error = f"Choose {expected_text(col)}."
    elif col.kind is Kind.BOOLEAN:
        dv = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
        dv.error = "Choose TRUE or FALSE."
    elif col.kind in (Kind.NUMBER, Kind.INTEGER) and (col.minimum is not None or col.maximum is not None):
        kind = "whole" if col.kind is Kind.INTEGER else "decimal"
        if col.minimum is not None and col.maximum is not None and col.exclusive_minimum:
            # Excel's "between" includes both ends and it has no "more than a and at most b",
            # so a range open at its low end (TravelTimes minutes: more than 0, at most 1440)
            # is a formula on the column's first cell, which Excel moves down the range.
            first = f"{letter}2"
            whole = f"INT({first})={first}," if col.kind is Kind.INTEGER else ""
            dv = DataValidation(type="custom", formula1=f"AND(ISNUMBER({first}),{whole}{first}>{col.minimum:g},"
                                                        f"{first}<={col.maximum:g})", allow_blank=True)
        elif col.minimum is not None and col.maximum is not None:
            dv = DataValidation(type=kind, operator="between", formula1=f"{col.minimum:g}", formula2=f"{col.maximum:g}", allow_blank=True)
        elif col.minimum is not None:
            op = "greaterThan" if col.exclusive_minimum else "greaterThanOrEqual"
            dv = DataValidation(type=kind, operator=op, formula1=f"{col.minimum:g}", allow_blank=True)
        else:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{col.maximum:g}", allow_blank=True)
        dv.error = f"Enter {expected_text(col)}."
    if dv is None:
        return None
    dv.errorTitle = f"{col.name}"
    dv.showErrorMessage = True
    dv.prompt = col.description
    dv.promptTitle = col.name
    dv.showInputMessage = True
    dv.add(sqref)
    return dv


def _write_sheet(ws: Worksheet, spec: Sheet) -> None:
    names = headers(spec)
    ws.append(names)
    for k, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=k)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(vertical="center")
        try:
            col = spec.column(name)
        except KeyError:
            col = Column(name, Kind.NUMBER, True, f"Threat indicator '{name}' (listed in ThreatIndicators).", minimum=0)
        cell.comment = _comment(col, spec)
        ws.column_dimensions[get_column_letter(k)].width = max(12, min(40, len(name) + 6))
        dv = _validation(col, get_column_letter(k))
        if dv is not None:
            ws.add_data_validation(dv)
    for row in example_rows(spec):
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            cell.font = _EXAMPLE_FONT
    ws.freeze_panes = "A2"


def _write_parameters(ws: Worksheet, spec: Sheet) -> None:
    """Parameters: one row per parameter, each with its default, ready to edit."""
    ws.append([c.name for c in spec.columns])
    for k in range(1, len(spec.columns) + 1):
        cell = ws.cell(row=1, column=k)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.comment = _comment(spec.columns[k - 1], spec)
    examples = {row[0]: row[1] for row in spec.examples}
    for p in schema.PARAMETERS:
        if p.name in examples:
            value = examples[p.name]
        elif p.default is schema.REQUIRED or p.default is None:
            value = None
        else:
            value = p.default
        note = "required" if p.default is schema.REQUIRED else "optional: blank means the default"
        ws.append([p.name, value, f"{note}. {p.description}"])
        if p.codes:
            dv = DataValidation(type="list", formula1='"' + ",".join(p.codes) + '"', allow_blank=False)
            dv.error = f"Choose one of {', '.join(p.codes)}."
            dv.showErrorMessage = True
            dv.add(f"B{ws.max_row}")
            ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = "A2"


def guide_rows() -> list[list[object]]:
    """The Guide sheet's rows: sheets, then every column, then every parameter."""
    rows: list[list[object]] = [
        ["Armed Policing Options Appraisal: force workbook"],
        ["Fill in one sheet per tab. Headings must stay as they are (case and spaces do not matter)."],
        ["Grey italic rows are examples: delete them and enter your own. Extra sheets and columns are kept."],
        ["Check the workbook with: armed-options validate WORKBOOK.xlsx (every problem is listed with sheet, row and column)."],
        [],
        ["Sheet", "Required", "One row per", "Purpose"],
    ]
    for spec in schema.SHEETS:
        req = "yes" if spec.required else schema.REQUIRED_WHEN.get(spec.name, "no")
        rows.append([spec.name, req, spec.one_row_per, spec.purpose])
    rows += [[], ["Sheet", "Column", "Required", "Holds", "Description"]]
    for spec in schema.SHEETS:
        for col in spec.columns:
            rows.append([spec.name, col.name, "yes" if col.required else "no", expected_text(col), col.description])
        if spec.open_columns:
            rows.append([spec.name, "(one per indicator)", "yes", "a number at least 0", "One column per indicator named in ThreatIndicators."])
        if spec.required_note:
            rows.append([spec.name, "", "", "", spec.required_note])
    rows += [[], ["Parameter", "Default", "Holds", "Description"]]
    for p in schema.PARAMETERS:
        default = "required" if p.default is schema.REQUIRED else ("none" if p.default is None else p.default)
        holds = expected_text(Column(p.name, p.kind, True, "", codes=p.codes, minimum=p.minimum, maximum=p.maximum, exclusive_minimum=p.exclusive_minimum))
        rows.append([p.name, default, holds, p.description])
    return rows


def _write_guide(ws: Worksheet) -> None:
    for row in guide_rows():
        ws.append(row)
    ws["A1"].font = _TITLE_FONT
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value in ("Sheet", "Parameter"):
            for cell in ws[r]:
                cell.font = _BOLD
    for letter, width in zip("ABCDE", (18, 30, 30, 46, 90), strict=True):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=6):
        for cell in row[1:]:
            cell.alignment = wrap


def build_template() -> Workbook:
    """The template workbook in memory: Guide first, then every schema sheet in order."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Guide"
    _write_guide(guide)
    for spec in schema.SHEETS:
        ws = wb.create_sheet(spec.name)
        if spec.name == "Parameters":
            _write_parameters(ws, spec)
        else:
            _write_sheet(ws, spec)
    return wb


def write_template(path: str | os.PathLike[str]) -> Path:
    """Write the template atomically; raises OutputError (one line) if the target is locked."""
    wb = build_template()
    return atomic_write(path, wb.save)
