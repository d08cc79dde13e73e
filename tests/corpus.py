"""The hostile and broken workbook corpus (issue 9), generated in code into a folder.

Nothing here is a committed binary: every file is built on demand from the small
valid force in :mod:`workbook_factory` (or from raw bytes), so the corpus is
readable in review and cannot rot. Each :class:`Case` says what the tool must
answer: the ``validate`` exit status of docs/command-line.md#exit-statuses and the words, sheet,
row and column the one answer line must carry.

Bomb files are cheap to make: a deflate stream of one repeated 4 MB chunk, ended
with a full flush, compresses to identical bytes every time, so a part that
inflates to gigabytes is written by repeating ~10 kB and computing only the CRC
(:func:`write_raw_zip`). No bomb is ever inflated by the generator.
"""

from __future__ import annotations

import csv
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.workbook import filecheck

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: make_workbook writes sheets in base order, so each sheet's part name is fixed.
SHEET_PART = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(base_sheets(), start=1)}

# -------------------------------------------------------------------------------------
# Raw zip writing (for bombs and forged directories)
# -------------------------------------------------------------------------------------


@dataclass
class RawEntry:
    """One zip entry as raw deflate data with the sizes and CRC to declare."""

    name: str
    deflated: Iterable[bytes] | bytes
    crc: int
    compress_size: int
    file_size: int


def deflate_entry(name: str, data: bytes) -> RawEntry:
    """An honest entry for ``data``."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = co.compress(data) + co.flush()
    return RawEntry(name, raw, zlib.crc32(data), len(raw), len(data))


def repeated_entry(name: str, head: bytes, chunk: bytes, copies: int, tail: bytes) -> RawEntry:
    """An honest entry inflating to ``head + chunk * copies + tail`` without building it.

    After ``Z_FULL_FLUSH`` the deflater starts afresh, so every copy of ``chunk``
    compresses to the same bytes: compress it once and repeat the output.
    """
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(tail) + co.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)

    def stream() -> Iterable[bytes]:
        yield first
        for _ in range(copies):
            yield block
        yield last

    size = len(head) + len(chunk) * copies + len(tail)
    return RawEntry(name, stream(), crc & 0xFFFFFFFF, len(first) + len(block) * copies + len(last), size)


def write_raw_zip(path: Path, entries: list[RawEntry]) -> Path:
    """Write a plain (non-zip64) zip from raw deflate entries; sizes must fit in 32 bits."""
    central = b""
    with path.open("wb") as fh:
        for e in entries:
            offset = fh.tell()
            name = e.name.encode()
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21,
                                 e.crc, e.compress_size, e.file_size, len(name), 0) + name)
            parts = [e.deflated] if isinstance(e.deflated, bytes) else e.deflated
            for part in parts:
                fh.write(part)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                                   e.crc, e.compress_size, e.file_size, len(name), 0, 0, 0, 0, 0,
                                   offset) + name
        cd_at = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                             len(central), cd_at, 0))
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    """Every part of a (small, trusted) workbook, in order."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(path: Path, parts: dict[str, bytes]) -> Path:
    """Write ``parts`` as a normal deflated zip at ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def with_part(tmp: Path, name: str, part: str, data: bytes, base: Path | None = None) -> Path:
    """The base force with one part's bytes replaced."""
    parts = parts_of(base or make_workbook(tmp, name="base-" + name))
    parts[part] = data
    return rezip(tmp / name, parts)


# -------------------------------------------------------------------------------------
# OLE2 compound files (legacy .xls and encrypted OOXML)
# -------------------------------------------------------------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal but structurally valid OLE2 compound file (version 3, 512-byte sectors).

    Streams are padded to 4,096 bytes so they live in ordinary sectors (no mini
    stream). Sector 0 is the FAT, sector 1 the directory, then the streams. The
    directory is a chain of right siblings, so stream names must be given in CFB
    order (shorter names first).
    """
    sector = 512
    body: list[bytes] = []
    fat = [_FATSECT, _END]
    dir_entries: list[bytes] = []

    def entry(name: str, typ: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), typ, 1)
                + struct.pack("<III", _NOSTREAM, right, child) + b"\x00" * 16
                + struct.pack("<I", 0) + b"\x00" * 16 + struct.pack("<IQ", start, size))

    next_sector = 2
    for k, (name, data) in enumerate(streams):
        padded = data.ljust(max(4096, -(-len(data) // sector) * sector), b"\x00")
        n = len(padded) // sector
        fat += [next_sector + i + 1 for i in range(n - 1)] + [_END]
        right = k + 2 if k + 1 < len(streams) else _NOSTREAM
        dir_entries.append(entry(name, 2, right, _NOSTREAM, next_sector, len(padded)))
        body.append(padded)
        next_sector += n
    root = entry("Root Entry", 5, _NOSTREAM, 1 if streams else _NOSTREAM, _END, 0)
    directory = b"".join([root, *dir_entries])
    directory += (b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM)
                  + b"\x00" * 48) * (-(len(directory) // 128) % 4)
    assert len(fat) <= 128 and len(directory) == sector
    fat_sector = b"".join(struct.pack("<I", x) for x in fat).ljust(sector, b"\xff")
    header = (filecheck.OLE2_MAGIC + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    assert len(header) == sector
    return header + fat_sector + directory + b"".join(body)


def biff_stub() -> bytes:
    """A BIFF8 workbook stream start: BOF (globals) then EOF records."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x41, 0x06)
    eof = struct.pack("<HH", 0x000A, 0)
    return bof + eof


# -------------------------------------------------------------------------------------
# XML helpers
# -------------------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def laughs(xml: bytes) -> bytes:
    """Prefix ``xml`` with a 'billion laughs' DTD and use the biggest entity in its first text."""
    text = xml.decode()
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2:].lstrip()
    for marker in ("<t>", "<v>"):
        at = text.find(marker)
        if at >= 0:
            text = text[: at + len(marker)] + "&lol9;" + text[at + len(marker):]
            break
    else:
        text = text.replace(">", ">&lol9;", 1)
    return (LAUGHS + text).encode()


# -------------------------------------------------------------------------------------
# The cases
# -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One corpus file and the answer it must get from ``validate``.

    ``words`` must all appear (case-insensitively) in ONE line of the output; for
    exit 1 that line must also be an error naming ``sheet``, ``row`` and ``column``
    (``None`` where a whole sheet or file is at fault). Warnings are checked the
    same way with ``level="warning"``.
    """

    name: str
    build: Callable[[Path], Path]
    exit: int
    words: tuple[str, ...]
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    level: str = "error"
    slow: bool = False
    notes: str = ""
    extra_lines: tuple[tuple[str, ...], ...] = field(default=())


def _write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def not_a_zip(tmp: Path) -> Path:
    return _write(tmp, "random.xlsx", bytes((i * 37 + 11) % 256 for i in range(4096)))


def zero_bytes(tmp: Path) -> Path:
    return _write(tmp, "empty.xlsx", b"")


def csv_renamed(tmp: Path) -> Path:
    return _write(tmp, "areas.xlsx", b"area_id,area_name,population\nA1,Town centre,1500\nA2,Town east,1200\n")


def legacy_xls(tmp: Path) -> Path:
    return _write(tmp, "old-force.xls", compound_file([("Workbook", biff_stub())]))


def legacy_xls_named_xlsx(tmp: Path) -> Path:
    return _write(tmp, "renamed.xlsx", compound_file([("Workbook", biff_stub())]))


def encrypted(tmp: Path) -> Path:
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"  # agile encryption header stub
    package = struct.pack("<Q", 10_000) + bytes(range(256)) * 16
    return _write(tmp, "secret.xlsx", compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)]))


_ROWS_HEAD = (f'<worksheet xmlns="{NS_MAIN}"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>area_id</t></is></c></row>').encode()
_ROWS_TAIL = b"</sheetData></worksheet>"


def _bomb(tmp: Path, name: str, copies: int, chunk: bytes) -> Path:
    base = make_workbook(tmp, name="base-" + name)
    entries = []
    for part, data in parts_of(base).items():
        if part == SHEET_PART["Areas"]:
            entries.append(repeated_entry(part, _ROWS_HEAD, chunk, copies, _ROWS_TAIL))
        else:
            entries.append(deflate_entry(part, data))
    return write_raw_zip(tmp / name, entries)


#: 4 MB of the same empty-ish XML: whitespace between rows is legal and compresses ~400x.
_CHUNK = b"<!-- padding -->" + b" " * ((4 << 20) - 16)


def zip_bomb_gigabytes(tmp: Path) -> Path:
    """A sheet that honestly inflates to 3.5 GB (its CRC is right), in a ~9 MB file."""
    return _bomb(tmp, "bomb-3.5GB.xlsx", 875, _CHUNK)


def zip_bomb_ratio(tmp: Path) -> Path:
    """A sheet that inflates to 256 MB: under the per-part limit, but ~400x compressed."""
    return _bomb(tmp, "bomb-ratio.xlsx", 64, _CHUNK)


def zip_bomb_forged_size(tmp: Path) -> Path:
    """A normal workbook whose central directory claims the Areas sheet inflates to 3 GB."""
    p = make_workbook(tmp, name="forged-size.xlsx")
    data = bytearray(p.read_bytes())
    name = SHEET_PART["Areas"].encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0, "central entry not found"
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + n]) == name:
            struct.pack_into("<I", data, at + 24, 3 * 1024**3)
            break
        at += 4
    p.write_bytes(bytes(data))
    return p


def zip_bomb_understated(tmp: Path) -> Path:
    """The Areas sheet declares 2 kB (below every check) but inflates to 64 MB."""
    base = make_workbook(tmp, name="base-understated.xlsx")
    entries = []
    for part, data in parts_of(base).items():
        if part == SHEET_PART["Areas"]:
            e = repeated_entry(part, _ROWS_HEAD, _CHUNK, 16, _ROWS_TAIL)
            e.file_size = 2048
            entries.append(e)
        else:
            entries.append(deflate_entry(part, data))
    return write_raw_zip(tmp / "understated.xlsx", entries)


def _incompressible(n: int) -> bytes:
    """``n`` bytes of deterministic noise as XML-safe hex text (compresses only ~2:1)."""
    import random

    return random.Random(20240601).randbytes(n // 2).hex().encode()


def _padded_bomb(tmp: Path, name: str, row: bytes, rows_per_chunk: int, copies: int, noise: int) -> Path:
    """WeightSets replaced by ``row`` repeated, padded with noise so the ratio stays under the limit.

    This is the bomb the zip checks cannot see: every declared size and the compression
    ratio are within limits, yet the part holds millions of tiny cells (or megabytes of
    padding) that a parser would turn into gigabytes.
    """
    base = make_workbook(tmp, name="base-" + name)
    head = f'<worksheet xmlns="{NS_MAIN}"><sheetData>'.encode()
    # Noise in comments of 100 kB each: no single markup-free run long enough to be refused.
    hexed = _incompressible(noise)
    tail = (b"</sheetData>" + b"".join(b"<!-- " + hexed[i:i + 100_000] + b" -->" for i in range(0, len(hexed), 100_000))
            + b"</worksheet>")
    entries = []
    for part, data in parts_of(base).items():
        if part == SHEET_PART["WeightSets"]:
            entries.append(repeated_entry(part, head, row * rows_per_chunk, copies, tail))
        else:
            entries.append(deflate_entry(part, data))
    return write_raw_zip(tmp / name, entries)


def cell_bomb(tmp: Path) -> Path:
    """12 million cells without references (186 MB of XML, ratio ~110) in a 1.7 MB file."""
    return _padded_bomb(tmp, "cell-bomb.xlsx", b"<row>" + b"<c><v>1</v></c>" * 26 + b"</row>", 10_000, 46, 1_800_000)


def wide_ref_bomb(tmp: Path) -> Path:
    """26 million cells all at AA1 (324 MB of XML, ratio ~135) in a 2.4 MB file."""
    return _padded_bomb(tmp, "wide-ref-bomb.xlsx", b"<row>" + b'<c r="AA1"/>' * 60 + b"</row>", 4_000, 110, 2_400_000)


def padding_bomb(tmp: Path) -> Path:
    """One cell and 400 MB of comment (ratio ~110) in a 3.7 MB file: within every limit."""
    base = make_workbook(tmp, name="base-padding.xlsx")
    head = (f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>weight_set'
            "</t></is></c></row></sheetData><!-- ").encode()
    tail = _incompressible(5_800_000) + b" --></worksheet>"
    entries = []
    for part, data in parts_of(base).items():
        if part == SHEET_PART["WeightSets"]:
            entries.append(repeated_entry(part, head, b" " * (4 << 20), 94, tail))
        else:
            entries.append(deflate_entry(part, data))
    return write_raw_zip(tmp / "padding-bomb.xlsx", entries)


def _with_shared_strings(parts: dict[str, bytes]) -> None:
    """Register xl/sharedStrings.xml and point Areas!B2 (area_name of A1) at string 0."""
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode()
    ct = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = ct.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode()
    areas = parts[SHEET_PART["Areas"]].decode()
    areas = areas.replace('<c r="B2" t="inlineStr"><is><t>Town centre</t></is></c>', '<c r="B2" t="s"><v>0</v></c>')
    assert 'r="B2" t="s"' in areas
    parts[SHEET_PART["Areas"]] = areas.encode()


def giant_string_bomb(tmp: Path) -> Path:
    """One 400 MB shared string (an area name), ratio ~110, in a 3.7 MB file."""
    parts = parts_of(make_workbook(tmp, name="base-giant.xlsx"))
    _with_shared_strings(parts)
    entries = [deflate_entry(n, d) for n, d in parts.items()]
    head = f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    entries.append(repeated_entry("xl/sharedStrings.xml", head, b"x" * (4 << 20), 94,
                                  _incompressible(5_800_000) + b"</t></si></sst>"))
    return write_raw_zip(tmp / "giant-string.xlsx", entries)


def many_strings_workbook(tmp: Path, n: int = 13_000, length: int = 30_000) -> Path:
    """``n`` shared strings of ``length`` characters (each under Excel's cell limit), all used.

    Each string and the ratio (~100, thanks to noise in small comments) are within limits,
    but reading 396 MB of strings would need over 1 GB, so the shared-text limit
    (``filecheck.MAX_SHARED_STRINGS_BYTES``) refuses it before parsing.
    """
    parts = parts_of(make_workbook(tmp, name="base-many-strings.xlsx"))
    _with_shared_strings(parts)
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(n))
    parts[SHEET_PART["WeightSets"]] = f'<worksheet xmlns="{NS_MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    entries = [deflate_entry(k, v) for k, v in parts.items()]
    hexed = _incompressible(6_000_000)
    noise = b"".join(b"<!-- " + hexed[i:i + 100_000] + b" -->" for i in range(0, len(hexed), 100_000))
    head = f'<sst xmlns="{NS_MAIN}" count="{n}" uniqueCount="{n}">'.encode()
    item = b"<si><t>" + b"x" * length + b"</t></si>"
    entries.append(repeated_entry("xl/sharedStrings.xml", head, item * 100, n // 100, noise + b"</sst>"))
    return write_raw_zip(tmp / "many-strings.xlsx", entries)


def entity_bomb_sheet(tmp: Path) -> Path:
    base = make_workbook(tmp, name="base-laughs-sheet.xlsx")
    part = SHEET_PART["Areas"]
    return with_part(tmp, "laughs-sheet.xlsx", part, laughs(parts_of(base)[part]), base)


def entity_bomb_workbook(tmp: Path) -> Path:
    base = make_workbook(tmp, name="base-laughs-wb.xlsx")
    xml = parts_of(base)["xl/workbook.xml"].decode()
    xml = xml.replace('name="Parameters"', 'name="&lol9;"', 1)
    return with_part(tmp, "laughs-workbook.xlsx", "xl/workbook.xml", laughs(xml.encode()), base)


def entity_bomb_shared_strings(tmp: Path) -> Path:
    """A sharedStrings part whose first string is a billion laughs, used by Areas!B2."""
    parts = parts_of(make_workbook(tmp, name="base-laughs-sst.xlsx"))
    _with_shared_strings(parts)
    sst = f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>x</t></si></sst>'.encode()
    parts["xl/sharedStrings.xml"] = laughs(sst)
    return rezip(tmp / "laughs-sst.xlsx", parts)


def absurd_dimension_tag(tmp: Path) -> Path:
    """Areas declares <dimension ref="A1:XFD1048576"/> but holds the usual few cells: must work."""
    base = make_workbook(tmp, name="base-dim.xlsx")
    part = SHEET_PART["Areas"]
    xml = parts_of(base)[part].replace(b'<dimension ref="A1:G5" />', b'<dimension ref="A1:XFD1048576"/>')
    assert b"XFD1048576" in xml
    return with_part(tmp, "dimension-tag.xlsx", part, xml, base)


def absurd_far_cell(tmp: Path) -> Path:
    p = make_workbook(tmp, name="far-cell.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["Areas"]["XFD1048576"] = "stray"
    wb.save(p)
    return p


def _edit(tmp: Path, name: str, change: Callable[[dict[str, list[list[object]]]], None], **kw: object) -> Path:
    sheets = base_sheets()
    change(sheets)
    return make_workbook(tmp, sheets, name=name, **kw)  # type: ignore[arg-type]


def _with_openpyxl(tmp: Path, name: str, change: Callable[[openpyxl.Workbook], None]) -> Path:
    p = make_workbook(tmp, name=name)
    wb = openpyxl.load_workbook(p)
    change(wb)
    wb.save(p)
    return p


def hidden_sheet(tmp: Path) -> Path:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Areas"].sheet_state = "hidden"
        wb["Criteria"].sheet_state = "veryHidden"
    return _with_openpyxl(tmp, "hidden.xlsx", hide)


def merged_header(tmp: Path) -> Path:
    """The Areas headings area_name and district merged into one cell (B1:C1): district is lost."""
    def merge(wb: openpyxl.Workbook) -> None:
        wb["Areas"].merge_cells("B1:C1")
    return _with_openpyxl(tmp, "merged-header.xlsx", merge)


def merged_title_row(tmp: Path, bad_easting: bool = False) -> Path:
    """A merged title and a blank row above the Sites headings, as reports are often laid out."""
    def title(wb: openpyxl.Workbook) -> None:
        ws = wb["Sites"]
        ws.insert_rows(1, amount=2)
        ws["A1"] = "Borderdale sites (from estates register)"
        ws.merge_cells("A1:E1")
        if bad_easting:
            ws["D5"] = "far"  # S2's easting: Excel row 5 (title, blank, headings, S1, S2)
    return _with_openpyxl(tmp, "merged-title.xlsx", title)


def merged_title_row_bad_cell(tmp: Path) -> Path:
    return merged_title_row(tmp, bad_easting=True)


def duplicate_header(tmp: Path) -> Path:
    def dup(s: dict[str, list[list[object]]]) -> None:
        for i, row in enumerate(s["Areas"]):
            row.append("population" if i == 0 else 99)
    return _edit(tmp, "dup-header.xlsx", dup)


def odd_case_headers(tmp: Path) -> Path:
    def odd(s: dict[str, list[list[object]]]) -> None:
        for sheet, rows in s.items():
            rows[0] = [f"  {h.upper() if i % 2 else h.title()}  " for i, h in enumerate(rows[0])]  # type: ignore[union-attr]
            s[sheet] = rows
    p = _edit(tmp, "odd-case.xlsx", odd)
    wb = openpyxl.load_workbook(p)
    for ws in list(wb.worksheets):
        ws.title = f" {ws.title.lower()} "
    wb.save(p)
    return p


def formula_no_cache(tmp: Path) -> Path:
    def formula(s: dict[str, list[list[object]]]) -> None:
        s["Areas"][3][3] = "=1000-200"  # population of A3, Excel row 4, column D
    return _edit(tmp, "formula.xlsx", formula)


def error_values(tmp: Path) -> Path:
    def err(s: dict[str, list[list[object]]]) -> None:
        s["Options"][2][4] = "#N/A"  # OPT1 one_off_cost_gbp, row 3
        s["Options"][3][5] = "#DIV/0!"  # OPT2 annual_cost_gbp, row 4
    return _edit(tmp, "errors.xlsx", err)


def date_for_number(tmp: Path) -> Path:
    import datetime as dt

    def date(s: dict[str, list[list[object]]]) -> None:
        s["Areas"][2][3] = dt.datetime(2024, 3, 1)  # A2 population, row 3
    return _edit(tmp, "date.xlsx", date)


def bool_for_number(tmp: Path) -> Path:
    def boolean(s: dict[str, list[list[object]]]) -> None:
        s["Deployments"][3][3] = True  # OPT1 S2 posts, row 4
    return _edit(tmp, "bool.xlsx", boolean)


def numbers_as_text(tmp: Path) -> Path:
    def text(s: dict[str, list[list[object]]]) -> None:
        s["Areas"][1][3] = "1,500"
        s["Areas"][2][3] = " 1200 "
        s["Options"][2][5] = "£120,000"
    return _edit(tmp, "as-text.xlsx", text)


def ambiguous_text_number(tmp: Path) -> Path:
    def text(s: dict[str, list[list[object]]]) -> None:
        s["Areas"][4][3] = "about 500"  # A4 population, row 5
    return _edit(tmp, "ambiguous-text.xlsx", text)


def trailing_blank_rows(tmp: Path) -> Path:
    def blanks(wb: openpyxl.Workbook) -> None:
        for name in ("Areas", "Options", "Deployments"):
            ws = wb[name]
            top = ws.max_row
            for r in range(top + 1, top + 400):
                ws.cell(row=r, column=1).value = "   " if r % 7 == 0 else None
                ws.cell(row=r, column=2).number_format = "0.00"  # formatted but empty
                ws.cell(row=r, column=3).value = ""
    return _with_openpyxl(tmp, "trailing.xlsx", blanks)


#: Welsh, Scottish Gaelic, Irish and an emoji: names must survive into the summary.
NON_ASCII_NAMES = ("Llanfair-ym-Muallt (Builth Wells) – Ŵyr", "Baile Àtha Cliath: Ceann Loch Ìall",
                   "Dùn Èideann ❤️ 🚓", "Ynys Môn / Anglesey")


def non_ascii_names(tmp: Path) -> Path:
    def names(s: dict[str, list[list[object]]]) -> None:
        for k, name in enumerate(NON_ASCII_NAMES, start=1):
            s["Areas"][k][1] = name
        s["Options"][2][1] = "Arfogi gorsaf y bryniau – Ŷ"
        s["Parameters"][1][1] = "Heddlu Dyfed-Powys 🐉"
    return _edit(tmp, "non-ascii.xlsx", names)


def travel_csv_bad_row(tmp: Path) -> Path:
    """TravelTimes moved to a CSV whose line 4 has minutes 'n/a'."""
    def csv_param(s: dict[str, list[list[object]]]) -> None:
        s["Parameters"].append(["travel_times_file", "times.csv", ""])
    p = _edit(tmp, "with-csv.xlsx", csv_param, drop_sheets=("TravelTimes",))
    rows = [r[:] for r in base_sheets()["TravelTimes"]]
    rows[3][2] = "n/a"  # line 4 of the file (header is line 1): S1,A3
    with (tmp / "times.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return p


def _sheet_xml(rows: Iterable[list[object]]) -> bytes:
    """Worksheet XML for plain rows (numbers as numbers, text inline): fast for huge sheets."""
    from xml.sax.saxutils import escape

    out = [f'<worksheet xmlns="{NS_MAIN}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v is not None:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def big_force(tmp: Path, n_areas: int = 200_000, name: str = "big.xlsx") -> Path:
    """A valid force with ``n_areas`` areas and no travel times (all estimated).

    The base force's Areas, Threat and TravelTimes parts are replaced by XML written
    directly (openpyxl takes ~25 s for 200,000 areas; this takes a few).
    """
    base = base_sheets()
    parts = parts_of(make_workbook(tmp, name="base-" + name))

    def areas() -> Iterable[list[object]]:
        yield base["Areas"][0]
        for i in range(n_areas):
            yield [f"E{i:07d}", f"Area {i}", "North" if i % 2 else "South", 100 + i % 900,
                   "E2" if i % 3 == 0 else "C1", 380000 + (i % 500) * 100, 280000 + (i // 500) * 100]

    def threat() -> Iterable[list[object]]:
        yield base["Threat"][0]
        for i in range(n_areas):
            yield [f"E{i:07d}", i % 7, (i * 13) % 50]

    parts[SHEET_PART["Areas"]] = _sheet_xml(areas())
    parts[SHEET_PART["Threat"]] = _sheet_xml(threat())
    parts[SHEET_PART["TravelTimes"]] = _sheet_xml([base["TravelTimes"][0]])
    return rezip(tmp / name, parts)


CASES: list[Case] = [
    Case("not_a_zip", not_a_zip, 2, ("random.xlsx", "not an excel workbook", "not a zip")),
    Case("zero_bytes", zero_bytes, 2, ("empty.xlsx", "empty", "0 bytes")),
    Case("csv_renamed", csv_renamed, 2, ("areas.xlsx", "text (csv) file", "save it as an excel workbook")),
    Case("legacy_xls", legacy_xls, 2, ("old-force.xls", "97-2003", "save it as an excel workbook")),
    Case("legacy_xls_named_xlsx", legacy_xls_named_xlsx, 2, ("renamed.xlsx", "97-2003")),
    Case("encrypted", encrypted, 2, ("secret.xlsx", "password-protected", "encrypt")),
    Case("zip_bomb_gigabytes", zip_bomb_gigabytes, 2, ("bomb-3.5GB.xlsx", SHEET_PART["Areas"], "3,500 MB", "zip bomb")),
    Case("zip_bomb_ratio", zip_bomb_ratio, 2, ("bomb-ratio.xlsx", SHEET_PART["Areas"], "inflates", "zip bomb")),
    Case("zip_bomb_forged_size", zip_bomb_forged_size, 2, ("forged-size.xlsx", SHEET_PART["Areas"], "3,072 MB", "zip bomb")),
    Case("zip_bomb_understated", zip_bomb_understated, 2, ("understated.xlsx", SHEET_PART["Areas"], "damaged")),
    Case("cell_bomb", cell_bomb, 2, ("cell-bomb.xlsx", "sheet WeightSets", "11,960,000 cells", "5,000,000-cell limit")),
    Case("wide_ref_bomb", wide_ref_bomb, 2, ("wide-ref-bomb.xlsx", "sheet WeightSets", "26,400,000 cells", "cell limit")),
    Case("padding_bomb", padding_bomb, 2, ("padding-bomb.xlsx", "WeightSets", "256 KB of text with no markup")),
    Case("giant_string_bomb", giant_string_bomb, 2,
         ("giant-string.xlsx", "xl/sharedStrings.xml", "limit for text")),
    Case("many_strings", many_strings_workbook, 2,
         ("many-strings.xlsx", "xl/sharedStrings.xml", "limit for text")),
    Case("entity_bomb_sheet", entity_bomb_sheet, 2, ("laughs-sheet.xlsx", "Areas", "entities", "bomb")),
    Case("entity_bomb_workbook", entity_bomb_workbook, 2, ("laughs-workbook.xlsx", "entities", "bomb")),
    Case("entity_bomb_shared_strings", entity_bomb_shared_strings, 2,
         ("laughs-sst.xlsx", "xl/sharedStrings.xml", "entities", "bomb")),
    Case("absurd_dimension_tag", absurd_dimension_tag, 0, ()),
    Case("absurd_far_cell", absurd_far_cell, 2, ("far-cell.xlsx", "sheet Areas", "1,048,576 rows", "cell limit")),
    Case("hidden_sheet", hidden_sheet, 0, ("hidden in excel", "read"), "Areas", level="warning"),
    Case("very_hidden_sheet", hidden_sheet, 0, ("hidden in excel", "read"), "Criteria", level="warning"),
    Case("merged_header", merged_header, 1, ("required column 'district' is missing",
                                             "the heading row 1 has merged cells (B1:C1)"), "Areas", 1, "district"),
    Case("merged_title_row", merged_title_row, 0, ("looks like a title", "headings were read from row 3"), "Sites", 1,
         level="warning"),
    Case("merged_title_row_bad_cell", merged_title_row_bad_cell, 1, ("'far'", "not a number"), "Sites", 5, "easting"),
    Case("duplicate_header", duplicate_header, 1, ("'population' appears 2 times", "columns D, H"), "Areas", 1, "population"),
    Case("odd_case_headers", odd_case_headers, 0, ()),
    Case("formula_no_cache", formula_no_cache, 1, ("formula with no saved result", "open it in excel and save it"), "Areas", 4, "population"),
    Case("error_value_na", error_values, 1, ("error value #N/A",), "Options", 3, "one_off_cost_gbp"),
    Case("error_value_div0", error_values, 1, ("error value #DIV/0!",), "Options", 4, "annual_cost_gbp"),
    Case("date_for_number", date_for_number, 1, ("date 2024-03-01", "format the cell as number"), "Areas", 3, "population"),
    Case("bool_for_number", bool_for_number, 1, ("TRUE/FALSE value", "whole number"), "Deployments", 4, "posts"),
    Case("numbers_as_text", numbers_as_text, 0, ("2 numbers stored as text", "'1,500'", "read as 1500"), "Areas", 2, "population", level="warning"),
    Case("numbers_as_text_pounds", numbers_as_text, 0, ("stored as text", "'£120,000'"), "Options", 3, "annual_cost_gbp", level="warning"),
    Case("ambiguous_text_number", ambiguous_text_number, 1, ("'about 500'", "not a number"), "Areas", 5, "population"),
    Case("trailing_blank_rows", trailing_blank_rows, 0, ()),
    Case("non_ascii_names", non_ascii_names, 0, ()),
    Case("travel_csv_bad_row", travel_csv_bad_row, 1, ("'n/a'", "not a number"), "times.csv", 4, "minutes"),
]

CASES_BY_NAME = {c.name: c for c in CASES}


# -------------------------------------------------------------------------------------
# Round two (issue 18): the folder rule, bounded work, finite numbers, no abort
# -------------------------------------------------------------------------------------

#: make_workbook appends travel_times_file as the sixth row of Parameters (Excel row 6).
PARAM_ROW = len(base_sheets()["Parameters"]) + 1


def _named_csv(tmp: Path, name: str, value: str) -> Path:
    """A force (TravelTimes in a CSV) whose travel_times_file is ``value``, in its own folder."""
    folder = tmp / name
    folder.mkdir(exist_ok=True)

    def csv_param(s: dict[str, list[list[object]]]) -> None:
        s["Parameters"].append(["travel_times_file", value, ""])
    return _edit(folder, f"{name}.xlsx", csv_param, drop_sheets=("TravelTimes",))


def _write_times(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def travel_absolute(tmp: Path) -> Path:
    return _named_csv(tmp, "abs-path", "/etc/passwd")


def travel_dotdot(tmp: Path) -> Path:
    (tmp / "elsewhere").mkdir(exist_ok=True)
    _write_times(tmp / "elsewhere" / "x.csv", base_sheets()["TravelTimes"])
    return _named_csv(tmp, "dotdot", "../elsewhere/x.csv")


def travel_symlink_out(tmp: Path) -> Path:
    p = _named_csv(tmp, "link-out", "times.csv")
    (p.parent / "times.csv").symlink_to("/etc/hostname")
    return p


def travel_fifo(tmp: Path) -> Path:
    import os

    p = _named_csv(tmp, "fifo", "times.csv")
    os.mkfifo(p.parent / "times.csv")
    return p


def travel_dev_zero(tmp: Path) -> Path:
    """A link inside the folder to /dev/zero: outside the folder, and a device."""
    p = _named_csv(tmp, "dev-zero", "times.csv")
    (p.parent / "times.csv").symlink_to("/dev/zero")
    return p


def travel_folder(tmp: Path) -> Path:
    p = _named_csv(tmp, "folder", "times.csv")
    (p.parent / "times.csv").mkdir()
    return p


def travel_csv_nuls(tmp: Path) -> Path:
    """A sparse 1,000 MB CSV of NULs (takes no disk): refused from its first block, nothing echoed."""
    p = _named_csv(tmp, "nuls", "times.csv")
    with (p.parent / "times.csv").open("wb") as fh:
        fh.truncate(1000 * 2**20)
    return p


def travel_csv_long_line(tmp: Path) -> Path:
    p = _named_csv(tmp, "long-line", "times.csv")
    (p.parent / "times.csv").write_bytes(b"site_id,area_id,minutes\nS1,A1," + b"9" * (3 * 2**20) + b"\n")
    return p


def travel_csv_too_many_lines(tmp: Path) -> Path:
    """Ten million repeated lines (80 MB): refused by the line cap before parsing."""
    p = _named_csv(tmp, "many-lines", "times.csv")
    with (p.parent / "times.csv").open("wb") as fh:
        fh.write(b"site_id,area_id,minutes\n")
        block = b"S1,A1,2\n" * 100_000
        for _ in range(100):
            fh.write(block)
    return p


def travel_csv_duplicates(tmp: Path) -> Path:
    """A million rows repeating one pair (under the line cap): counted, 25 listed, one summary line."""
    p = _named_csv(tmp, "duplicates", "times.csv")
    with (p.parent / "times.csv").open("wb") as fh:
        fh.write(b"site_id,area_id,minutes\n")
        fh.write(b"S1,A1,2\n" * 1_000_000)
    return p


def _bad_minutes(tmp: Path, name: str, text: str) -> Path:
    p = _named_csv(tmp, name, "times.csv")
    rows = [r[:] for r in base_sheets()["TravelTimes"]]
    rows[3][2] = text  # line 4 of the file: S1,A3
    _write_times(p.parent / "times.csv", rows)
    return p


def travel_csv_inf(tmp: Path) -> Path:
    return _bad_minutes(tmp, "csv-inf", "inf")


def travel_csv_minus_infinity(tmp: Path) -> Path:
    return _bad_minutes(tmp, "csv-minus-inf", "-Infinity")


def travel_csv_huge(tmp: Path) -> Path:
    return _bad_minutes(tmp, "csv-huge", "1e308")


def travel_csv_subnormal(tmp: Path) -> Path:
    return _bad_minutes(tmp, "csv-subnormal", "1e-320")


def _cell_value(tmp: Path, name: str, sheet: str, ref: str, value: bytes) -> Path:
    """The base force with one number cell's saved value replaced by ``value`` in the XML."""
    base = make_workbook(tmp, name="base-" + name)
    part = SHEET_PART[sheet]
    xml = parts_of(base)[part]
    import re

    new, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>)<v>[^<]*</v>', rb"\1<v>" + value + rb"</v>", xml)
    assert n == 1, (sheet, ref)
    return with_part(tmp, name, part, new, base)


def nan_population(tmp: Path) -> Path:
    return _cell_value(tmp, "nan-population.xlsx", "Areas", "D3", b"NaN")  # A2's population, Excel row 3


def inf_population(tmp: Path) -> Path:
    return _cell_value(tmp, "inf-population.xlsx", "Areas", "D4", b"inf")


def inf_weight(tmp: Path) -> Path:
    return _cell_value(tmp, "inf-weight.xlsx", "Criteria", "E2", b"-inf")  # C1's weight, Excel row 2


def nan_weight(tmp: Path) -> Path:
    return _cell_value(tmp, "nan-weight.xlsx", "Criteria", "E3", b"nan")


def _many(tmp: Path, name: str, sheet: str, n: int) -> Path:
    """The Options or Criteria sheet with ``n`` rows (copies of the last, renumbered)."""
    def grow(s: dict[str, list[list[object]]]) -> None:
        rows = s[sheet]
        last = rows[-1]
        for k in range(len(rows) - 1, n):
            row = list(last)
            row[0] = f"{last[0]}x{k}"
            rows.append(row)
    return _edit(tmp, name, grow)


def too_many_options(tmp: Path) -> Path:
    return _many(tmp, "500-options.xlsx", "Options", 500)


def too_many_criteria(tmp: Path) -> Path:
    return _many(tmp, "60-criteria.xlsx", "Criteria", 60)


def _rows_of_xml(xml: bytes) -> list[bytes]:
    import re

    return re.findall(rb"<row .*?</row>", xml, re.S)


def rows_out_of_order(tmp: Path) -> Path:
    """Areas rows 3 and 4 swapped in the XML (every reference still in range): read as stored."""
    base = make_workbook(tmp, name="base-order.xlsx")
    part = SHEET_PART["Areas"]
    xml = parts_of(base)[part]
    rows = _rows_of_xml(xml)
    swapped = xml.replace(rows[2], b"@@").replace(rows[3], rows[2]).replace(b"@@", rows[3])
    return with_part(tmp, "rows-out-of-order.xlsx", part, swapped, base)


def far_row_stored_first(tmp: Path) -> Path:
    """A row 1,048,576 with a cell at XFD stored before row 2: the last row looks small. Aborted calamine."""
    base = make_workbook(tmp, name="base-far-first.xlsx")
    part = SHEET_PART["Areas"]
    xml = parts_of(base)[part]
    rows = _rows_of_xml(xml)
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return with_part(tmp, "far-row-first.xlsx", part, xml.replace(rows[1], far + rows[1]), base)


def cell_ref_disagrees_with_row(tmp: Path) -> Path:
    """<row r="3"> holding a cell whose reference is XFD1048576: calamine trusts the cell."""
    base = make_workbook(tmp, name="base-disagree.xlsx")
    part = SHEET_PART["Areas"]
    xml = parts_of(base)[part].replace(b'r="B3"', b'r="XFD1048576"', 1)
    return with_part(tmp, "ref-disagrees.xlsx", part, xml, base)


def _areas_ref(tmp: Path, name: str, ref: bytes) -> Path:
    """Areas with the cell B3 (A2's area_name) moved to ``ref`` in the XML."""
    base = make_workbook(tmp, name="base-" + name)
    part = SHEET_PART["Areas"]
    return with_part(tmp, name, part, parts_of(base)[part].replace(b'r="B3"', b'r="' + ref + b'"', 1), base)


def column_beyond_xfd(tmp: Path) -> Path:
    return _areas_ref(tmp, "beyond-xfd.xlsx", b"ZZZ3")


def four_letter_column(tmp: Path) -> Path:
    return _areas_ref(tmp, "four-letters.xlsx", b"AAAA3")


def row_beyond_excel(tmp: Path) -> Path:
    return _areas_ref(tmp, "row-beyond.xlsx", b"B99999999")


#: An OSC sequence retitling the terminal, a colour code, a bell and a right-to-left override.
HOSTILE_TEXT = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\u202eevil"


def control_characters_in_ids(tmp: Path) -> Path:
    """A Threat row for an area id full of terminal controls: the finding quotes it, escaped.

    XML cannot hold ESC or BEL, so the workbook stores them as Excel does, ``_x001B_``
    (which openpyxl refuses to write: the text is put in by editing the sheet's XML).
    """
    def ctl(s: dict[str, list[list[object]]]) -> None:
        s["Threat"].append(["ZPLACEHOLDER", 1, 1])
    base = _edit(tmp, "base-controls.xlsx", ctl)
    stored = "".join(f"_x{ord(c):04X}_" if ord(c) < 32 else c for c in HOSTILE_TEXT)
    part = SHEET_PART["Threat"]
    xml = parts_of(base)[part].replace(b"PLACEHOLDER", stored.encode())
    return with_part(tmp, "controls.xlsx", part, xml, base)


def long_unknown_id(tmp: Path) -> Path:
    """A Threat row for an unknown area id of 30,000 characters (Excel's cell limit is 32,767)."""
    def long_id(s: dict[str, list[list[object]]]) -> None:
        s["Threat"].append(["Z" * 30_000, 1, 1])
    return _edit(tmp, "long-id.xlsx", long_id)


ROUND_TWO: list[Case] = [
    Case("travel_absolute_path", travel_absolute, 1, ("travel_times_file", "/etc/passwd", "absolute path"),
         "Parameters", PARAM_ROW, "value"),
    Case("travel_dotdot", travel_dotdot, 1, ("travel_times_file", "outside the workbook's folder"),
         "Parameters", PARAM_ROW, "value"),
    Case("travel_symlink_out", travel_symlink_out, 1, ("a link that points outside",), "Parameters", PARAM_ROW, "value"),
    Case("travel_fifo", travel_fifo, 1, ("not a regular file",), "Parameters", PARAM_ROW, "value"),
    Case("travel_dev_zero", travel_dev_zero, 1, ("outside the workbook's folder",), "Parameters", PARAM_ROW, "value"),
    Case("travel_folder", travel_folder, 1, ("is a folder",), "Parameters", PARAM_ROW, "value"),
    Case("travel_csv_nuls", travel_csv_nuls, 1, ("nul bytes", "not a text csv"), "times.csv"),
    Case("travel_csv_long_line", travel_csv_long_line, 1, ("line longer than 1 mb",), "times.csv"),
    Case("travel_csv_too_many_lines", travel_csv_too_many_lines, 1, ("10,000,001 lines", "limit of 4,000,000"),
         "times.csv"),
    Case("travel_csv_duplicates", travel_csv_duplicates, 1, ("999,974 more rows", "duplicate pair"), "times.csv",
         None, "area_id"),
    Case("travel_csv_inf", travel_csv_inf, 1, ("holds infinity", "not a number"), "times.csv", 4, "minutes"),
    Case("travel_csv_minus_infinity", travel_csv_minus_infinity, 1, ("minus infinity",), "times.csv", 4, "minutes"),
    Case("travel_csv_huge", travel_csv_huge, 1, ("1e+308", "at most 10,080"), "times.csv", 4, "minutes"),
    Case("travel_csv_subnormal", travel_csv_subnormal, 1, ("too close to zero",), "times.csv", 4, "minutes"),
    Case("nan_population", nan_population, 1, ("holds nan", "not a number"), "Areas", 3, "population"),
    Case("inf_population", inf_population, 1, ("holds infinity",), "Areas", 4, "population"),
    Case("inf_weight", inf_weight, 1, ("minus infinity",), "Criteria", 2, "weight"),
    Case("nan_weight", nan_weight, 1, ("holds nan",), "Criteria", 3, "weight"),
    Case("too_many_options", too_many_options, 1, ("500 options", "limit of 200"), "Options"),
    Case("too_many_criteria", too_many_criteria, 1, ("60 criteria", "limit of 50"), "Criteria"),
    Case("rows_out_of_order", rows_out_of_order, 0, ()),
    Case("far_row_stored_first", far_row_stored_first, 2, ("far-row-first.xlsx", "1,048,576 rows", "cell limit")),
    Case("cell_ref_disagrees_with_row", cell_ref_disagrees_with_row, 2,
         ("ref-disagrees.xlsx", "1,048,576 rows", "cell limit")),
    Case("column_beyond_xfd", column_beyond_xfd, 2, ("beyond-xfd.xlsx", "column ZZZ", "beyond the last excel cell")),
    Case("four_letter_column", four_letter_column, 2, ("four-letters.xlsx", "AAAA3", "beyond the last excel cell")),
    Case("row_beyond_excel", row_beyond_excel, 2, ("row-beyond.xlsx", "row 99,999,999", "beyond the last excel cell")),
    Case("long_unknown_id", long_unknown_id, 1, ("'zzzzzzzzzz", "...'", "is not in the areas sheet"), "Threat", 6,
         "area_id"),
    Case("control_characters_in_ids", control_characters_in_ids, 1, ("\\x1b]0;pwned\\x07", "\\u202eevil"), "Threat", 6,
         "area_id"),
]
CASES += ROUND_TWO
CASES_BY_NAME.update({c.name: c for c in ROUND_TWO})
