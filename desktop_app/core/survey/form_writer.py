"""Write the fillable survey form (openpyxl): instructions, swings, judgements, identity.

docs/survey.md#the-form. The procedure is the MCA manual's swing weighting (DCLG 2009,
*Multi-criteria analysis: a manual*, section 6.2.10): imagine each criterion at its worst,
rank the swings from worst to best by how much they matter, give the largest 100 and
each other 0-100 relative to it. Excel enforces what it can (drop-downs for ranks, whole
numbers 0-100 for points, text lengths); every sheet is protected with only the answer
cells unlocked, the structure is locked, and the design travels on a very hidden sheet.
Every text from the workbook is written as text, never as a formula
(:class:`~desktop_app.core.export.safe_text.TextGuard`); the write is atomic.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from desktop_app.core._io.atomic import atomic_write_bytes
from desktop_app.core.export.safe_text import TextGuard
from desktop_app.core.export.styles import BODY_PT, FONT_NAME, print_setup
from desktop_app.core.survey import layout as L
from desktop_app.core.survey.design import (
    MAX_CODE_CHARS,
    MAX_GROUP_CHARS,
    MAX_REASON_CHARS,
    SurveyDesign,
)

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: "write here"
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(name=FONT_NAME, size=BODY_PT, bold=True)
_BODY = Font(name=FONT_NAME, size=BODY_PT)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_MARK = Font(name=FONT_NAME, size=12, bold=True, color="C00000")

#: Column widths (characters), narrow enough for a landscape A4 page.
FORM_WIDTHS = (4, 20, 52, 6, 7, 26)
JUDGEMENT_WIDTHS = (4, 22, 7, 22, 9, 8, 36)
INSTRUCTION_WIDTHS = (110,)

CITATION = ("DCLG (2009) Multi-criteria analysis: a manual, section 6.2.10 (weighting: swing weights); "
            "the value tree follows chapter 6.")


class _Sheet:
    """Cells written as literal text through one guard, styled and locked by default."""

    def __init__(self, ws: Any, guard: TextGuard) -> None:
        self.ws, self.guard = ws, guard

    def text(self, row: int, col: int, value: object, font: Font = _BODY, wrap: bool = True) -> Any:
        cell = self.ws.cell(row=row, column=col)
        cell.value = self.guard.clean(value, self.ws.title, row)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.font = font
        if wrap:
            cell.alignment = _WRAP
        return cell

    def answer(self, row: int, col: int, value: object = None) -> Any:
        cell = self.ws.cell(row=row, column=col)
        if value is not None:
            cell.value = self.guard.clean(value, self.ws.title, row)
            cell.data_type = "s"
        cell.protection = Protection(locked=False)
        cell.fill = ANSWER_FILL
        cell.font = _BODY
        cell.alignment = _WRAP
        return cell


def _validation(ws: Any, kind: str, *, lo: int | None = None, hi: int | None = None, formula: str | None = None,
                title: str, prompt: str) -> DataValidation:
    if kind == "list":
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    else:
        dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi), allow_blank=True)
    dv.showErrorMessage = True
    dv.errorTitle = title
    dv.error = prompt
    dv.promptTitle = title
    dv.prompt = prompt
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    return dv


def _protect(ws: Any) -> None:
    """Sheet protection: only unlocked (answer) cells can be selected or changed."""
    p = ws.protection
    p.sheet = True
    p.selectLockedCells = False
    p.selectUnlockedCells = False
    p.formatCells = p.formatColumns = p.formatRows = True
    p.insertRows = p.insertColumns = p.deleteRows = p.deleteColumns = True
    p.sort = p.autoFilter = p.pivotTables = p.objects = p.scenarios = True


def _head(s: _Sheet, design: SurveyDesign, title: str) -> None:
    s.text(1, 1, title, _TITLE, wrap=False)
    s.text(2, 1, design.marking, _MARK, wrap=False)
    s.text(3, 1, f"Form for {design.workbook_name} (workbook SHA-256 {design.workbook_sha256[:16]}..., "
                 f"form version {design.form_version})", wrap=False)


def _instructions(s: _Sheet, design: SurveyDesign) -> None:
    _head(s, design, f"Weighting survey: {design.force_name}")
    s.ws.column_dimensions["A"].width = 110
    tree = design.tree
    lines = [
        "What this is",
        f"{design.force_name} is appraising options for its armed policing. Each option is scored from 0 to 100 "
        "on several criteria; weights say how much each criterion counts. This form asks how much YOU think each "
        "criterion should count, so that views beyond the workshop room are heard.",
        "",
        "About you",
        "On the Form sheet, write the respondent code you were given and your group. Never write your name: "
        "answers are collected by code so that no answer can be traced to a person.",
        "",
        "How to answer (swing weighting)",
        "1. For each table on the Form sheet, imagine every swing in it at its worst end.",
        "2. Ask: if only ONE of them could move from its worst to its best, which would you choose? "
        "Give that swing rank 1. Then which next? Rank 2, and so on. Two swings may share a rank only if "
        "you give them the same points.",
        "3. Give the swing you ranked 1 exactly 100 points.",
        "4. Give each other swing 0 to 100 points: how much its move from worst to best is worth compared "
        "with the one you ranked 1 (50 = half as much). A higher rank must never have fewer points than a lower one.",
        "5. Optionally, say why in the last column.",
    ]
    if tree:
        lines.append("The first table weighs the branches of the value tree against each other; each later table "
                     "weighs the criteria within one branch. A branch with only one criterion has no table of its own: "
                     "its criterion takes all of the branch's weight.")
    if design.judgement_criteria:
        lines += ["", "Judgement scores (optional)",
                  "The Judgements sheet shows the workshop's score for each option on each judgement criterion. "
                  "If you would score an option differently, give your score (0 to 100) and say why; otherwise "
                  "leave it blank."]
    lines += ["", "Only the yellow cells can be changed. Save the file and return it as you were asked; "
              "do not rename its sheets or copy it into another workbook.",
              "", "Method: " + CITATION]
    for i, line in enumerate(lines):
        heading = line in {"What this is", "About you", "How to answer (swing weighting)", "Judgement scores (optional)"}
        s.text(5 + i, 1, line, _BOLD if heading else _BODY)
        s.ws.row_dimensions[5 + i].height = 14 * (1 + len(line) // 120)


def _form(s: _Sheet, design: SurveyDesign, lay: L.FormLayout) -> None:
    ws = s.ws
    _head(s, design, f"Weighting survey: {design.force_name}")
    for letter, width in zip("ABCDEF", FORM_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    s.text(5, 1, "About you", _BOLD, wrap=False)
    ws.row_dimensions[L.CODE_ROW].height = ws.row_dimensions[L.GROUP_ROW].height = 40
    s.text(L.CODE_ROW, L.COL_LABEL, "Respondent code (the code you were given; never your name)")
    code = s.answer(L.CODE_ROW, L.ANSWER_COL)
    dv = _validation(ws, "textLength", lo=1, hi=MAX_CODE_CHARS, title="Respondent code",
                     prompt=f"The code you were given (1 to {MAX_CODE_CHARS} characters, no spaces). Never your name.")
    dv.add(code.coordinate)
    s.text(L.GROUP_ROW, L.COL_LABEL, "Group (e.g. community panel, staff association)")
    if design.group:
        s.text(L.GROUP_ROW, L.ANSWER_COL, design.group, _BOLD)
    else:
        g = s.answer(L.GROUP_ROW, L.ANSWER_COL)
        gdv = _validation(ws, "textLength", lo=1, hi=MAX_GROUP_CHARS, title="Group",
                          prompt=f"The group you answer for (1 to {MAX_GROUP_CHARS} characters).")
        gdv.add(g.coordinate)
    points = _validation(ws, "whole", lo=0, hi=100, title="Points",
                         prompt="A whole number from 0 to 100: 100 for the swing ranked 1, the others relative to it.")
    reasons = _validation(ws, "textLength", lo=0, hi=MAX_REASON_CHARS, title="Why (optional)",
                          prompt=f"Optional: why you weighed it so (up to {MAX_REASON_CHARS:,} characters).")
    shown = [b for b in design.blocks if b.key in lay.blocks]
    for n, block in enumerate(shown, start=1):
        rows = lay.blocks[block.key]
        s.text(rows.title, 1, f"Part {n}. {block.title}", _BOLD, wrap=False)
        if block.asked:
            k = len(block.items)
            s.text(rows.instruction, 2, f"Rank these {k} swings (1 = the one that matters most; a drop-down in "
                                        "each Rank cell), give the swing ranked 1 exactly 100 points and each other "
                                        "0 to 100 points relative to it.")
        else:
            s.text(rows.instruction, 2, "Only one swing here: it takes all of its branch's weight, so there is "
                                        "nothing to answer.")
        ws.merge_cells(start_row=rows.instruction, start_column=2, end_row=rows.instruction, end_column=6)
        ws.row_dimensions[rows.instruction].height = 28
        for col, head in ((L.COL_ID, "Id"), (L.COL_LABEL, "Swing"), (L.COL_SWING, "From its worst to its best"),
                          (L.COL_RANK, "Rank"), (L.COL_POINTS, "Points"), (L.COL_REASON, "Why (optional)")):
            s.text(rows.header, col, head, _BOLD)
        ranks = _validation(ws, "list", formula='"' + ",".join(str(i) for i in range(1, len(block.items) + 1)) + '"',
                            title="Rank", prompt=f"1 to {len(block.items)}: 1 for the swing that matters most.")
        for item in block.items:
            r = rows.items[item.key]
            s.text(r, L.COL_ID, item.key if block.key != "branches" else "")
            s.text(r, L.COL_LABEL, item.label, _BOLD)
            s.text(r, L.COL_SWING, item.swing)
            if block.asked:
                ranks.add(s.answer(r, L.COL_RANK).coordinate)
                points.add(s.answer(r, L.COL_POINTS).coordinate)
                reasons.add(s.answer(r, L.COL_REASON).coordinate)
            ws.row_dimensions[r].height = max(30, 13 * (1 + len(item.swing) // 55))
    ws.freeze_panes = "A5"


def _judgements(s: _Sheet, design: SurveyDesign, lay: L.FormLayout) -> None:
    ws = s.ws
    _head(s, design, "Judgement scores (optional)")
    for letter, width in zip("ABCDEFG", JUDGEMENT_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    s.text(4, 1, "Give your own score (0 to 100) only where you would score an option differently from the "
                 "workshop, and say why. Leave the rest blank.")
    ws.merge_cells("A4:G4")
    heads = ("Id", "Criterion", "Option", "Option name", "Workshop score", "Your score", "Why")
    for col, head in enumerate(heads, start=1):
        s.text(L.J_FIRST_ROW - 1, col, head, _BOLD)
    score = _validation(ws, "decimal", lo=0, hi=100, title="Your score", prompt="A number from 0 to 100 (optional).")
    reason = _validation(ws, "textLength", lo=0, hi=MAX_REASON_CHARS, title="Why",
                         prompt=f"Why you would score it so (up to {MAX_REASON_CHARS:,} characters).")
    ci = {c: k for k, c in enumerate(design.criterion_ids)}
    oi = {o: k for k, o in enumerate(design.option_ids)}
    for (cid, oid), r in lay.judgements.items():
        s.text(r, L.J_CRIT, cid)
        s.text(r, L.J_CRIT_NAME, design.criterion_names.get(cid, cid))
        s.text(r, L.J_OPTION, oid)
        s.text(r, L.J_OPTION_NAME, design.option_names.get(oid, oid))
        ws.cell(row=r, column=L.J_WORKSHOP, value=round(design.values[oi[oid]][ci[cid]], 1))
        score.add(s.answer(r, L.J_SCORE).coordinate)
        reason.add(s.answer(r, L.J_REASON).coordinate)
    ws.freeze_panes = f"A{L.J_FIRST_ROW}"


def _data(s: _Sheet, design: SurveyDesign) -> None:
    ws = s.ws
    text = design.to_json()
    chunks = [text[i:i + L.CHUNK_CHARS] for i in range(0, len(text), L.CHUNK_CHARS)]
    ws.cell(row=L.DATA_VERSION_ROW, column=1, value="form_version")
    ws.cell(row=L.DATA_VERSION_ROW, column=2, value=design.form_version)
    for row, key, value in ((L.DATA_SHA_ROW, "workbook_sha256", design.workbook_sha256),
                            (L.DATA_DIGEST_ROW, "design_sha256", design.digest())):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value).data_type = "s"
    ws.cell(row=L.DATA_CHUNKS_ROW, column=1, value="chunks")
    ws.cell(row=L.DATA_CHUNKS_ROW, column=2, value=len(chunks))
    for k, chunk in enumerate(chunks):
        cell = ws.cell(row=L.DATA_FIRST_ROW + k, column=1)
        cell.value = chunk
        cell.data_type = "s"  # JSON text, never a formula
    ws.sheet_state = "veryHidden"


def form_bytes(design: SurveyDesign) -> bytes:
    """The form as .xlsx bytes (docs/survey.md#the-form)."""
    guard = TextGuard()
    lay = L.layout(design)
    wb = Workbook()
    first = wb.active
    first.title = L.INSTRUCTIONS_SHEET
    sheets: list[tuple[_Sheet, Callable[[_Sheet], None], tuple[int, ...]]] = [
        (_Sheet(first, guard), lambda s: _instructions(s, design), INSTRUCTION_WIDTHS)]
    sheets.append((_Sheet(wb.create_sheet(L.FORM_SHEET), guard), lambda s: _form(s, design, lay), FORM_WIDTHS))
    if design.judgement_criteria:
        sheets.append((_Sheet(wb.create_sheet(L.JUDGEMENT_SHEET), guard), lambda s: _judgements(s, design, lay),
                       JUDGEMENT_WIDTHS))
    for s, fill, widths in sheets:
        fill(s)
        print_setup(s.ws, marking=design.marking, force=design.force_name, title_rows="1:3",
                    orientation="landscape", printed_widths=widths)
        # A form is read on paper too: one page wide, however the columns measure in LibreOffice.
        s.ws.sheet_properties.pageSetUpPr.fitToPage = True
        s.ws.page_setup.fitToWidth, s.ws.page_setup.fitToHeight = 1, 0
        _protect(s.ws)
    data = _Sheet(wb.create_sheet(L.DATA_SHEET), guard)
    _data(data, design)
    _protect(data.ws)
    first.sheet_view.tabSelected = False
    wb.active = 1  # open on the Form sheet
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.title = f"Weighting survey: {guard.clean(design.force_name)}"
    wb.properties.keywords = guard.clean(design.marking)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_form(design: SurveyDesign, path: str | Path) -> Path:
    """Write the form atomically (a crash never leaves half a file)."""
    return atomic_write_bytes(path, form_bytes(design))
