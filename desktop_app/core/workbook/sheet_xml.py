"""Check each sheet's XML before calamine may read it: extent, cell count, error cells, bombs.

python-calamine reads cell values quickly, but it turns Excel error values
(``#N/A``, ``#DIV/0!``) and formulas without a saved result into empty cells, and it
allocates a sheet's whole used rectangle. So :func:`check_sheets` first scans every
sheet's XML part (already size-checked by :mod:`filecheck`): a stray cell at
``XFD1048576`` is refused instead of exhausting memory, DTDs and markup-free runs are
refused, and each error cell or uncalculated formula is marked for the reader
(:mod:`cells`) to report by cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.workbook import filecheck

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*?)>(.*?)</c>', re.S)
_ANY_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')
#: A reference with four or more column letters is beyond XFD, the last Excel column.
_BEYOND_XFD = re.compile(rb' r="([A-Z]{4,}[0-9]*)"')
EXCEL_COLUMNS = 16_384
EXCEL_ROWS = 1_048_576
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]+)</v>")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
#: A saved formula result: ``<v>..</v>`` (possibly empty: a formula returning ""), not ``<v/>``.
_HAS_VALUE = re.compile(rb"<v>")


def col_index(letters: str) -> int:
    """0-based column index of Excel column letters (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """Excel column letters of a 0-based index."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class SheetScan:
    bad: dict[tuple[int, int], str]  # (excel row, absolute 0-based column) -> description
    cells: int = 0  # cell elements in the part (an upper bound: counted, not parsed)
    #: Merged ranges as (first row, last row, reference such as "A1:B1"), Excel rows.
    merged: list[tuple[int, int, str]] = field(default_factory=list)


def _sheet_parts(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """Map each sheet name to its XML part, from workbook.xml and its relationships."""
    try:
        wb = SafeET.fromstring(filecheck.read_entry(zf, "xl/workbook.xml", path))
        rels_xml = filecheck.read_entry(zf, "xl/_rels/workbook.xml.rels", path)
        rels = SafeET.fromstring(rels_xml)
    except UnreadableFileError:
        raise
    except DefusedXmlException:
        raise UnreadableFileError(
            path, "the workbook's XML declares entities or a DTD (a possible entity-expansion bomb); refusing it"
        ) from None
    except Exception as exc:  # noqa: BLE001 - damaged XML raises several types
        raise UnreadableFileError(path, f"the workbook's structure cannot be read ({type(exc).__name__}: {exc})") from None
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id", "")] = part
    parts: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id", "")
        name = sheet.get("name", "")
        if rid in targets:
            parts[name] = targets[rid]
    return parts


def refuse_dtd(data: bytes | bytearray, part: str, path: Path) -> None:
    """Spreadsheet XML never needs a DTD; one declaring entities is an expansion bomb.

    Also refuses long stretches of text without markup (:func:`refuse_long_text`).
    """
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnreadableFileError(
            path, f"the workbook part {part} declares XML entities or a DTD (a possible entity-expansion bomb); refusing it"
        )
    refuse_long_text(data, part, path)


#: Excel holds at most 32,767 characters in a cell: at most ~200 KB of escaped UTF-8 XML.
#: A longer stretch without a single ``<`` is padding (e.g. a huge comment that keeps the
#: compression ratio under the limit) or a giant string, and parsers copy such runs whole:
#: a 3.7 MB file holding one 400 MB string took 1.6 GB to read.
MAX_TEXT_RUN = 256 * 1024


def refuse_long_text(data: bytes | bytearray, part: str, path: Path) -> None:
    """Refuse a part with a markup-free run longer than Excel could write (checked in windows).

    Every run of 1.5 x :data:`MAX_TEXT_RUN` or more contains one of the half-overlapping
    windows probed, and no run under :data:`MAX_TEXT_RUN` is flagged; each probe stops at the
    first ``<``, so a normal part costs a few thousand short searches.
    """
    step = MAX_TEXT_RUN // 2
    for pos in range(0, len(data) - MAX_TEXT_RUN + 1, step):
        if data.find(b"<", pos, pos + MAX_TEXT_RUN) == -1:
            raise UnreadableFileError(
                path,
                f"the workbook part {part} holds more than {MAX_TEXT_RUN // 1024:,} KB of text with no markup, "
                "longer than any cell Excel can hold (a possible memory bomb); refusing it",
            )


def _scan_part(data: bytes | bytearray, sheet: str, path: Path) -> SheetScan:
    """Check a sheet's extent and find error cells and uncalculated formulas in its XML."""
    refuse_dtd(data, sheet, path)
    # Count cells before any regex or parser allocates per cell: a few-MB file can hold tens
    # of millions of tiny cells (with incompressible padding to pass the ratio check).
    cells = data.count(b"<c") + data.count(b":c")
    if cells > filecheck.MAX_WORKBOOK_CELLS:
        raise UnreadableFileError(path, _too_many_cells(f"sheet {sheet} holds", cells))
    last = None
    tail_at = data.rfind(b"<row")
    if tail_at >= 0:
        last = _LAST_ROW.match(data, tail_at)
    max_row = int(last.group(1)) if last else data.count(b"<row")
    max_row = max(max_row, data.count(b"<row"), _largest_row_ref(data, max_row))
    wide = {bytes(m.group(1)) for m in _WIDE_REF.finditer(data)}  # distinct only: no list of every match
    max_col = max((col_index(w.decode()) + 1 for w in wide), default=26)
    beyond = _BEYOND_XFD.search(data)
    if max_col > EXCEL_COLUMNS or max_row > EXCEL_ROWS or beyond:
        where = (f"a cell reference {beyond.group(1).decode()[:12]}" if beyond
                 else f"column {col_letters(max_col - 1)}" if max_col > EXCEL_COLUMNS else f"row {max_row:,}")
        raise UnreadableFileError(
            path,
            f"sheet {sheet} names {where}, beyond the last Excel cell (XFD1048576); the workbook is damaged or "
            "was not written by a spreadsheet program: open it in Excel and save it again",
        )
    if max_row * max_col > filecheck.MAX_SHEET_CELLS:
        raise UnreadableFileError(
            path,
            f"sheet {sheet} spans {max_row:,} rows x {max_col:,} columns, more than the "
            f"{filecheck.MAX_SHEET_CELLS:,}-cell limit for one sheet; delete stray cells far below "
            "or to the right of the data (or put large travel-time matrices in a CSV)",
        )
    bad: dict[tuple[int, int], str] = {}
    if b't="e"' in data:
        for m in _ERROR_CELL.finditer(data):
            ref = _REF.search(m.group(1))
            if not ref:
                continue
            val = _VALUE.search(m.group(2))
            text = val.group(1).decode("utf-8", "replace") if val else "an error value"
            bad[(int(ref.group(2)), col_index(ref.group(1).decode()))] = f"the Excel error value {text}"
    if b"<f" in data:
        for m in _ANY_CELL.finditer(data):
            body = m.group(3)
            if not body or b"<f" not in body or _HAS_VALUE.search(body):
                continue
            ref = _REF.search(m.group(1))
            if ref:
                key = (int(ref.group(2)), col_index(ref.group(1).decode()))
                bad.setdefault(
                    key,
                    "a formula with no saved result (the workbook was never calculated; "
                    "open it in Excel and save it again, or paste values)",
                )
    merged = []
    if b"mergeCell" in data:  # a sheet's merged ranges, listed after its cells
        merged = [(int(m.group(2)), int(m.group(4)), f"{m.group(1).decode()}{m.group(2).decode()}:"
                   f"{m.group(3).decode()}{m.group(4).decode()}") for m in _MERGE.finditer(data)]
    return SheetScan(bad, cells, merged)


def _largest_row_ref(data: bytes | bytearray, claimed: int) -> int:
    """The largest row number any row or cell reference names, at least ``claimed``.

    The last ``<row>`` is not always the largest: rows stored out of order, or a cell whose
    reference disagrees with its row (``<row r="2"><c r="A1048576">``), would otherwise slip
    a far cell past the extent check and make calamine allocate the whole rectangle (an
    abort, not an exception). Only references with at least as many digits as ``claimed``
    can exceed it.

    Only numbers above ``claimed`` are matched (:func:`_above`), so a normal sheet yields
    no match at all; the pattern starts with its literal ``r="`` (no ``\\b``), which lets
    the regex engine skip ahead by fast search, and the word boundary is checked on the
    rare match instead (4-5 x quicker on a 35,000-row sheet: docs/performance.md).
    """
    # Leading zeros (r="A01048577") are skipped as int() would read them, not refused.
    pattern = re.compile(rb'r="[A-Z]{0,3}0*(' + _above(max(claimed, 1)) + rb')"')
    best = claimed
    for m in pattern.finditer(data):
        start = m.start()
        before = data[start - 1: start] if start else b""
        if before.isalnum() or before == b"_":  # not a whole attribute name (as \b would refuse)
            continue
        best = max(best, int(m.group(1)))
    return best


def _above(n: int) -> bytes:
    """A regex for the decimal numbers greater than ``n`` (no leading zeros, as Excel writes them).

    >>> import re; [x for x in (b"35673", b"35674", b"36000", b"99999", b"100000") if re.fullmatch(_above(35673), x)]
    [b'35674', b'36000', b'99999', b'100000']
    """
    s = str(n)
    alts = [s[:i] + f"[{int(ch) + 1}-9]" + "[0-9]" * (len(s) - i - 1) for i, ch in enumerate(s) if ch != "9"]
    alts.append(f"[1-9][0-9]{{{len(s)},}}")
    return ("(?:" + "|".join(alts) + ")").encode()


def _too_many_cells(what: str, cells: int) -> str:
    return (f"{what} about {cells:,} cells, more than the {filecheck.MAX_WORKBOOK_CELLS:,}-cell limit "
            "for a workbook; delete unused sheets and stray data (or put large travel-time matrices in a CSV)")


def check_sheets(path: Path, wanted: set[str] | None = None) -> dict[str, SheetScan]:
    """Every check that must pass before calamine may open a workbook (already through filecheck).

    Each sheet's XML is inflated through the size-checked reader and scanned: DTDs and
    entities, text runs, cell counts and the extent, so nothing calamine then allocates
    can exceed the limits. Every reader of workbook cells calls this first, the session
    fingerprint included. Raises :class:`UnreadableFileError`.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(path, f"the workbook is damaged ({exc})") from None
    with zf:
        parts = _sheet_parts(zf, path)
        # Verify every large part inflates to no more than it declares, before calamine
        # (whose zip reader trusts the stream) inflates it again.
        names = set(zf.namelist())
        for part in ("xl/sharedStrings.xml", "xl/styles.xml"):
            if part in names:
                refuse_dtd(filecheck.read_entry(zf, part, path), part, path)
        scans: dict[str, SheetScan] = {}
        for sheet, part in parts.items():
            if wanted is not None and sheet not in wanted:
                continue
            if part not in names:
                continue
            scans[sheet] = _scan_part(filecheck.read_entry(zf, part, path), sheet, path)
            total_cells = sum(sc.cells for sc in scans.values())
            if total_cells > filecheck.MAX_WORKBOOK_CELLS:
                raise UnreadableFileError(path, _too_many_cells("the workbook's sheets hold", total_cells))
    return scans
