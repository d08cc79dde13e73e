"""Long tables' rows are spliced in as XML (fastrows) and read back exactly as openpyxl wrote them.

openpyxl's cell writer takes about 100 microseconds a styled cell, so the national
Deployments sheet (3,914 rows) took 8 s; any Table of at least ``DEFER_MIN_ROWS`` plain
rows is now written by :mod:`desktop_app.core.export.fastrows`. These tests write the
sample's summary with every eligible Table deferred and with none, and compare what a
reader gets: every value, number format, bold and wrap of every cell, and every row
height. A difference is a bug in one of the two writers.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from desktop_app.core.export import build_summary_bytes, deferred_table, fastrows
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import TableSpec, write_table_sheet


def _summary(monkeypatch: pytest.MonkeyPatch, run, min_rows: int) -> openpyxl.Workbook:
    from datetime import UTC, datetime

    monkeypatch.setattr(deferred_table, "DEFER_MIN_ROWS", min_rows)
    data = build_summary_bytes(run, generated_at=datetime(2026, 12, 1, tzinfo=UTC))
    return openpyxl.load_workbook(io.BytesIO(data))


def _cells(ws) -> dict[str, tuple[object, ...]]:
    """What a reader sees of each non-empty cell (styled blank cells are not content)."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            out[c.coordinate] = (c.value, c.number_format, bool(c.font.b), bool(c.alignment.wrap_text))
    return out


def test_deferring_every_table_changes_nothing_a_reader_sees(monkeypatch, sample_run) -> None:
    deferred = _summary(monkeypatch, sample_run, 1)
    written = _summary(monkeypatch, sample_run, 10**9)
    assert deferred.sheetnames == written.sheetnames
    for name in written.sheetnames:
        a, b = deferred[name], written[name]
        cells_a, cells_b = _cells(a), _cells(b)
        assert cells_a.keys() == cells_b.keys(), name
        for ref, (value, *look) in cells_b.items():
            other, *other_look = cells_a[ref]
            assert other_look == look, (name, ref)
            if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(other, int | float):
                # openpyxl prints a float with "%.16g", fastrows with repr (every digit):
                # 61.547619047619044 reads back as 61.54761904761904 from one of them, and
                # 14.000000000000002 as the whole number 14.
                assert other == pytest.approx(value, rel=1e-14, abs=1e-300), (name, ref)
            else:
                assert other == value, (name, ref)
        heights_a = {r: d.height for r, d in a.row_dimensions.items() if d.height}
        heights_b = {r: d.height for r, d in b.row_dimensions.items() if d.height}
        assert heights_a == heights_b, name
        assert [t.ref for t in a.tables.values()] == [t.ref for t in b.tables.values()], name
    # The Deployments sheet (sample: 43 rows) really went through the splice: its rows
    # carry the table's number formats, e.g. the busy fraction as a percentage.
    ws = deferred["Deployments"]
    headers = [c.value for c in ws[2]]
    col = get_column_letter(headers.index("busy_fraction") + 1)
    assert ws[f"{col}4"].number_format == written["Deployments"][f"{col}4"].number_format
    assert "%" in ws[f"{col}4"].number_format


def _ctx(sample_run) -> ExportContext:
    from datetime import UTC, datetime

    from desktop_app import __version__

    return ExportContext(run=sample_run, generated_at=datetime(2026, 12, 1, tzinfo=UTC), tool_version=__version__,
                         judgement_edits=[])


def test_a_deferred_row_with_formula_like_text_is_reported_at_its_cell_and_kept_as_text(monkeypatch,
                                                                                         sample_run) -> None:
    monkeypatch.setattr(deferred_table, "DEFER_MIN_ROWS", 2)
    ctx = _ctx(sample_run)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Notes")
    rows = [["a", "plain"], ["b", "=HYPERLINK(\"x\")\x07"]]  # a control character the guard removes
    spec = TableSpec("tblNotes", ["code", "note"], ["Code", "Note"], ["text_nowrap", "text"], [8, 30], rows, 2)
    write_table_sheet(ctx, ws, "Notes", spec, print_area="A1:B1")
    assert len(ctx.deferred) == 1  # the rows wait for the splice
    # Reported now, at the cell the text will occupy: sheet Notes, row 5 (header row 3,
    # data from row 4), column B; before the Validation sheet would be written.
    assert any(f.sheet == "Notes" and f.row == 5 and f.column == "B" for f in ctx.guard.findings)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = fastrows.splice(buffer.getvalue(), ctx.deferred)
    back = openpyxl.load_workbook(io.BytesIO(data))["Notes"]
    assert back["A4"].value == "a" and back["B4"].value == "plain"
    assert back["B5"].value == '=HYPERLINK("x")'  # text, not a formula; the control character gone
    assert back["B5"].data_type == "s"


def test_a_sheet_that_writes_below_a_deferred_table_is_refused(monkeypatch, sample_run) -> None:
    # Excel needs rows in order: rows appended after the table would precede the spliced
    # rows, so the splice refuses rather than write a file Excel "repairs".
    monkeypatch.setattr(deferred_table, "DEFER_MIN_ROWS", 2)
    ctx = _ctx(sample_run)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Notes")
    spec = TableSpec("tblNotes", ["code"], ["Code"], ["text_nowrap"], [8], [["a"], ["b"]], 2)
    write_table_sheet(ctx, ws, "Notes", spec, print_area="A1:A1")
    ws.append([None])
    ws.append(["a note under the table"])  # rows 6 and 7 in the saved sheet
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(RuntimeError, match="below its deferred rows"):
        fastrows.splice(buffer.getvalue(), ctx.deferred)


def test_the_column_at_a_time_path_gives_the_cell_by_cell_columns(monkeypatch, sample_run) -> None:
    """Plain rows are turned into columns a column at a time (0.43 s to 0.1 s for the
    national Deployments sheet); that must give exactly the cell-by-cell pass's columns:
    blank text and NaN as empty cells, numbers, booleans and None as they are. A numpy
    scalar or a text the guard would change takes the cell-by-cell pass."""
    import math

    import numpy as np

    monkeypatch.setattr(deferred_table, "DEFER_MIN_ROWS", 2)
    rows = [["a", 1, 2.5, True, None], ["", 0, math.nan, False, "x"], ["b c", -3, 0.0, True, ""]]
    ctx = _ctx(sample_run)
    fast = deferred_table._plain_columns(ctx, rows, 5)
    assert fast == [["a", None, "b c"], [1, 0, -3], [2.5, None, 0.0], [True, False, True], [None, "x", None]]
    # the same as the cell-by-cell pass gives (forced by a numpy scalar in the last row)
    spec = TableSpec("tblT", list("abcde"), list("ABCDE"), ["text"] * 5, [8] * 5, [*rows, ["d", np.int64(4), 1.0, False, "y"]], 4)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("T")
    assert deferred_table._plain_columns(ctx, spec.rows, 5) is None  # the numpy scalar: cell by cell
    block = deferred_table.deferred_rows(ctx, ws, spec, {})
    assert block is not None
    assert [col[:3] for col in block.columns] == fast
    assert block.columns[1][3] == 4 and type(block.columns[1][3]) is int
    # a text the guard changes (a control character) is cleaned cell by cell, at its cell
    assert deferred_table._plain_columns(ctx, [["ok"], ["bell\x07"]], 1) is None
