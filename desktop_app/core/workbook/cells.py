"""Raw cell values of every sheet, with real Excel row numbers and problem cells marked.

python-calamine reads cell values quickly, but it turns Excel error values
(``#N/A``, ``#DIV/0!``) and formulas without a saved result into empty cells,
and it allocates a sheet's whole used rectangle. So before handing a sheet to
calamine its XML part is scanned (:mod:`sheet_xml`):

- its extent, so a stray cell at ``XFD1048576`` is refused instead of exhausting memory;
- cells of type ``e`` (error values), so each is reported by cell;
- formulas with no cached value (a workbook written by a program that never
  calculated it), so they are reported rather than silently read as blank.

Here the checked sheets are read and trimmed to their data. Nothing here interprets
values; :mod:`cell_rules` does that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import python_calamine as pc

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.sheet_xml import SheetScan, check_sheets, col_letters


@dataclass
class RawSheet:
    """One sheet's cells, trimmed to the data, with Excel row numbers.

    ``headers`` are the header cells as text (``""`` for a blank header cell);
    ``rows`` the data rows below the header (blank rows dropped), each padded to
    ``len(headers)``; ``row_numbers`` their Excel row numbers. ``bad_cells`` maps
    (Excel row, column position in ``headers``) to a description of a cell whose
    value could not be read (an Excel error value or an uncalculated formula).
    """

    name: str
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    visible: bool = True
    #: Excel rows above the headings read as a title and skipped (see :func:`_skip_titles`).
    title_rows: list[int] = field(default_factory=list)
    #: Merged ranges that take in the heading row ("A1:B1"): a merged cell keeps one heading.
    header_merges: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """No header row at all (nothing in the sheet)."""
        return not self.headers


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(name: str, grid: list[list[object]], start: tuple[int, int] | None, scan: SheetScan, visible: bool) -> RawSheet:
    """Find the header (first non-empty row) and the data rows below it."""
    raw = RawSheet(name, visible=visible)
    if not grid or start is None:
        return raw
    row0, col0 = start
    bad_rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), why in scan.bad.items():
        bad_rows.setdefault(r, []).append((c - col0, why))
    header_at = None
    for i, row in enumerate(grid):
        if any(not _is_blank(v) for v in row) or (row0 + i + 1) in bad_rows:
            header_at = i
            break
    if header_at is None:
        return raw
    header_at = _skip_titles(grid, header_at, row0, bad_rows, raw.title_rows)
    header_cells = grid[header_at]
    # Trailing blank header cells do not make columns.
    width = len(header_cells)
    while width and _is_blank(header_cells[width - 1]):
        width -= 1
    raw.header_row = row0 + header_at + 1
    raw.header_merges = [ref for first, last, ref in scan.merged if first <= raw.header_row <= last]
    raw.headers = ["" if _is_blank(v) else _header_text(v) for v in header_cells[:width]]
    for i in range(header_at + 1, len(grid)):
        excel_row = row0 + i + 1
        row = grid[i]
        has_bad = excel_row in bad_rows
        first = row[0] if row else ""
        # Fast path: a non-blank first cell (nearly every row) settles it.
        if not has_bad and not (first != "" and (type(first) is not str or first.strip())):
            if all(_is_blank(v) for v in row[:width]):
                continue
        if len(row) == width:
            cells = row  # calamine's rows are fresh lists: no need to copy
        else:
            cells = list(row[:width])
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
        raw.rows.append(cells)
        raw.row_numbers.append(excel_row)
        if has_bad:
            for c, why in bad_rows[excel_row]:
                if 0 <= c < width:
                    raw.bad_cells[(excel_row, c)] = f"{why} (cell {col_letters(c + col0)}{excel_row})"
    for c, why in bad_rows.get(raw.header_row, []):
        if 0 <= c < width and not raw.headers[c]:
            raw.headers[c] = f"<{why}>"
    return raw


#: Every column name the schema knows: a lone cell holding one of these is a heading, not a title.
_KNOWN_HEADERS = {schema.normalise_header(c.name) for sheet in schema.SHEETS for c in sheet.columns}


def _filled(row: list[object]) -> int:
    return sum(not _is_blank(v) for v in row)


def _skip_titles(grid: list[list[object]], at: int, row0: int, bad_rows: dict[int, list[tuple[int, str]]],
                 skipped: list[int]) -> int:
    """Index of the heading row, skipping up to three title rows above it.

    Reports often put a title above the table ("Borderdale sites, from the estates
    register", merged across it). A row with exactly one filled cell that is not a known
    column name, followed within three rows by a row of two or more filled cells, is such
    a title: without this, every heading would be reported missing.
    """
    while len(skipped) < 3 and _filled(grid[at]) == 1 and (row0 + at + 1) not in bad_rows:
        lone = next(v for v in grid[at] if not _is_blank(v))
        if schema.normalise_header(_header_text(lone)) in _KNOWN_HEADERS:
            break
        nxt = next((j for j in range(at + 1, min(len(grid), at + 4)) if _filled(grid[j])), None)
        if nxt is None or _filled(grid[nxt]) < 2:
            break
        skipped.append(row0 + at + 1)
        at = nxt
    return at


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_raw_sheets(path: Path, wanted: set[str] | None = None,
                    on_sheet: Callable[[str, RawSheet], None] | None = None) -> dict[str, RawSheet]:
    """Read every sheet (or those whose name is in ``wanted``) of a checked workbook.

    ``on_sheet`` is told of each sheet as soon as it is read (the reader starts the
    travel-times CSV's parse from the Parameters sheet: ``csv_prefetch``).

    Raises :class:`UnreadableFileError` when the package cannot be parsed at all.
    """
    scans = check_sheets(path, wanted)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise UnreadableFileError(path, "the workbook is password-protected; remove the password and save it again") from None
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
        _reraise_interrupts(exc)
        raise UnreadableFileError(path, f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None
    out: dict[str, RawSheet] = {}
    try:
        for meta in wb.sheets_metadata:
            name = meta.name
            if wanted is not None and name not in wanted:
                continue
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet") and "WorkSheet" not in str(meta.typ):
                continue
            visible = "Visible" in str(meta.visible) and "Hidden" not in str(meta.visible)
            try:
                calamine_sheet = wb.get_sheet_by_name(name)
                grid = cast(list[list[object]], calamine_sheet.to_python())
                start = calamine_sheet.start
            except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
                _reraise_interrupts(exc)
                raise UnreadableFileError(
                    path, f"sheet {name} cannot be read ({type(exc).__name__}: {exc})"
                ) from None
            out[name] = _trim(name, grid, start, scans.get(name, SheetScan({})), visible)
            if on_sheet is not None:
                on_sheet(name, out[name])
    finally:
        wb.close()
    return out


def _reraise_interrupts(exc: BaseException) -> None:
    """Let Ctrl+C and exits through; anything else calamine raises (a panic too) is the file's fault."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc


def sheet_names(path: Path) -> list[str]:
    """Names of the sheets in a checked workbook, in workbook order."""
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
        _reraise_interrupts(exc)
        raise UnreadableFileError(path, f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None
    try:
        return list(wb.sheet_names)
    finally:
        wb.close()
