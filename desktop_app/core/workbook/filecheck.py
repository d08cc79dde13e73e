"""Sniff a workbook before any parser touches it, and refuse hostile or wrong files.

Spreadsheets reach the tool through many hands. A spreadsheet library asked to
open a legacy ``.xls``, an encrypted workbook, a renamed CSV or a zip bomb
either crashes with an unhelpful message or exhausts memory. So before parsing
we look at the file's first bytes and the zip central directory (which lists
every entry's declared sizes without inflating anything) and refuse, in one
plain line, anything we cannot or should not read. The limits below are
documented in ``docs/workbook-format.md`` and ``docs/reliability.md``.

The declared sizes in the central directory could lie; :func:`read_entry`
inflates a part through :mod:`zipfile`, which stops at the declared size and
checks the CRC, so a part that inflates beyond what it declares is refused
rather than trusted.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import UnreadableFileError

#: Largest workbook file accepted (bytes on disk). A 200,000-area force is ~30 MB.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Largest declared uncompressed size of any single zip entry (one sheet's XML).
MAX_ENTRY_BYTES = 400 * 1024 * 1024
#: Largest declared uncompressed size of the shared-strings part. Every shared string is
#: held in memory as a Python object at several times its XML size; a real force's
#: strings (area names and codes, even with a national TravelTimes sheet) take a few MB,
#: so 64 MB keeps a crafted file of huge strings under the 500 MB memory budget.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
#: Largest declared uncompressed size of all entries together.
MAX_TOTAL_BYTES = 800 * 1024 * 1024
#: Largest compression ratio (uncompressed / compressed) for entries bigger than
#: :data:`RATIO_CHECK_MIN_BYTES`. Real worksheets compress 5-30x; bombs 1000x+.
MAX_COMPRESSION_RATIO = 150
#: Entries smaller than this are not ratio-checked (small repetitive XML compresses well).
RATIO_CHECK_MIN_BYTES = 8 * 1024 * 1024
#: Most entries a workbook zip may hold.
MAX_ZIP_ENTRIES = 5_000
#: Largest travel-times CSV accepted (bytes).
MAX_CSV_BYTES = 1024 * 1024 * 1024
#: Most cells (rows x columns of the used range) one sheet may span; the cell reader
#: allocates the whole rectangle, so a stray cell at XFD1048576 would exhaust memory.
MAX_SHEET_CELLS = 12_000_000
#: Most cells all sheets of a workbook may hold together (counted in the XML before any
#: parsing). Reading costs about 75 bytes per cell, so this keeps any accepted workbook
#: under ~500 MB however its sheets are shaped; a 200,000-area force holds about 2 million.
MAX_WORKBOOK_CELLS = 5_000_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class ZipSummary:
    """What the central directory says about a workbook that passed the checks."""

    entries: int
    total_uncompressed: int
    largest_entry: str
    largest_uncompressed: int


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes are plain text (a CSV or TSV saved with an .xlsx name)."""
    if not head:
        return False
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    sample = head[:4096]
    for enc in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * max(1, len(text))
    return False


def _sniff_ole2(path: Path) -> str:
    """Tell an encrypted OOXML workbook (an OLE2 container) from a legacy .xls."""
    try:
        with path.open("rb") as fh:
            data = fh.read(32 * 1024 * 1024)
    except OSError:
        data = b""
    if _ENCRYPTED_STREAM in data or _ENCRYPTION_INFO in data:
        return (
            "the workbook is password-protected (encrypted); open it in Excel, remove the "
            "password (File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx"
        )
    return (
        "this is a legacy Excel 97-2003 (.xls) file, which is not supported; open it in Excel "
        "and save it as an Excel Workbook (.xlsx)"
    )


def check_file(path: str | os.PathLike[str]) -> ZipSummary:
    """Refuse a file that is not a safe, readable .xlsx, before any parsing.

    Raises :class:`UnreadableFileError` (one line, exit status 2) naming the file
    and why; returns a summary of the zip directory when all is well.
    """
    p = Path(path)
    if not p.exists():
        raise UnreadableFileError(p, "no such file")
    if p.is_dir():
        raise UnreadableFileError(p, "this is a folder, not a workbook")
    if not p.is_file():
        # A pipe or device would block or never end when read.
        raise UnreadableFileError(p, "this is not a regular file (a pipe or device?), so it is not a workbook")
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise UnreadableFileError(p, f"cannot be opened: {exc.strerror or exc}") from None
    if size == 0:
        raise UnreadableFileError(p, "the file is empty (0 bytes); it is not a workbook")
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            p, f"the file is {_mb(size)}, larger than the {_mb(MAX_FILE_BYTES)} limit for a workbook"
        )
    if head.startswith(OLE2_MAGIC):
        raise UnreadableFileError(p, _sniff_ole2(p))
    if not head.startswith(ZIP_MAGICS):
        if _looks_like_text(head):
            raise UnreadableFileError(
                p,
                "this is a text (CSV) file, not an Excel workbook; open it in Excel and "
                "save it as an Excel Workbook (.xlsx)",
            )
        raise UnreadableFileError(p, "this is not an Excel workbook (.xlsx): it is not a zip package")
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFileError(p, f"the workbook is damaged or truncated (bad zip: {exc})") from None
    return check_zip_directory(p, infos)


def check_zip_directory(p: Path, infos: list[zipfile.ZipInfo]) -> ZipSummary:
    """Apply the size and ratio limits to a zip central directory, before inflating anything."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UnreadableFileError(
            p, f"the workbook holds {len(infos):,} parts, more than the limit of {MAX_ZIP_ENTRIES:,}"
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            why = "this is a binary Excel workbook (.xlsb), which is not supported; save it as .xlsx"
        elif "content.xml" in names or "mimetype" in names:
            why = "this is an OpenDocument spreadsheet (.ods), not .xlsx; save it as an Excel Workbook (.xlsx)"
        elif "word/document.xml" in names:
            why = "this is a Word document, not an Excel workbook"
        else:
            why = "this is a zip file but not an Excel workbook (it has no xl/workbook.xml)"
        raise UnreadableFileError(p, why)
    total = 0
    largest = ("", 0)
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFileError(p, f"the workbook part {info.filename} is encrypted")
        if info.file_size > MAX_ENTRY_BYTES:
            raise UnreadableFileError(
                p,
                f"the workbook part {info.filename} would inflate to {_mb(info.file_size)}, "
                f"more than the {_mb(MAX_ENTRY_BYTES)} limit per part (possible zip bomb)",
            )
        if info.filename.lower() == "xl/sharedstrings.xml" and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise UnreadableFileError(
                p,
                f"the workbook part {info.filename} (its shared text) would inflate to "
                f"{_mb(info.file_size)}, more than the {_mb(MAX_SHARED_STRINGS_BYTES)} limit for "
                "text; no real force workbook holds that much",
            )
        if info.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > MAX_COMPRESSION_RATIO:
                raise UnreadableFileError(
                    p,
                    f"the workbook part {info.filename} inflates {ratio:,.0f} times "
                    f"(limit {MAX_COMPRESSION_RATIO}); refusing a possible zip bomb",
                )
        total += info.file_size
        if info.file_size > largest[1]:
            largest = (info.filename, info.file_size)
    if total > MAX_TOTAL_BYTES:
        raise UnreadableFileError(
            p,
            f"the workbook would inflate to {_mb(total)}, more than the {_mb(MAX_TOTAL_BYTES)} "
            "limit (possible zip bomb)",
        )
    return ZipSummary(len(infos), total, largest[0], largest[1])


def read_entry(zf: zipfile.ZipFile, name: str, path: Path) -> bytearray:
    """Inflate one part, trusting nothing: the read stops at the declared size and is CRC-checked.

    The part is inflated in 1 MB steps into one growing buffer: ``ZipExtFile.read(n)``
    of a large part concatenates bytes objects (quadratic time, twice the part's size in
    memory), which let a 3 MB file of padding take 860 MB and 6 s just to be refused.
    """
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise UnreadableFileError(path, f"the workbook part {name} is missing") from None
    if info.file_size > MAX_ENTRY_BYTES:
        raise UnreadableFileError(path, f"the workbook part {name} is too large")
    try:
        data = bytearray(info.file_size + 1)  # the declared size, already checked against the limit
        filled = 0
        with zf.open(info) as fh:
            while filled <= info.file_size:
                chunk = fh.read(min(1 << 20, info.file_size + 1 - filled))
                if not chunk:
                    break
                data[filled:filled + len(chunk)] = chunk
                filled += len(chunk)
        del data[filled:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UnreadableFileError(
            path, f"the workbook is damaged: part {name} cannot be inflated ({exc})"
        ) from None
    if len(data) > info.file_size:
        raise UnreadableFileError(path, f"the workbook part {name} is larger than it declares (possible zip bomb)")
    return data
