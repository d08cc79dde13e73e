"""Files that are not safe, readable .xlsx workbooks are refused before parsing, in one line."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from workbook_factory import make_workbook

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.workbook import filecheck
from desktop_app.core.workbook.reader import read_workbook


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(UnreadableFileError) as info:
        read_workbook(path)
    line = info.value.one_line()
    assert "\n" not in line and str(path) in line
    for w in words:
        assert w.lower() in line.lower(), (w, line)
    assert info.value.exit_status == 2
    return line


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.xlsx", "no such file")


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "dir.xlsx").mkdir()
    _refused(tmp_path / "dir.xlsx", "folder")


def test_zero_bytes(tmp_path: Path) -> None:
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    _refused(p, "empty", "0 bytes")


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "random.xlsx"
    p.write_bytes(bytes(range(256)) * 8)
    _refused(p, "not an excel workbook", "not a zip")


def test_csv_renamed(tmp_path: Path) -> None:
    p = tmp_path / "areas.xlsx"
    p.write_text("area_id,population\nE01000001,1500\n", encoding="utf-8")
    _refused(p, "csv", "save it as an excel workbook")


def _ole2(tmp_path: Path, name: str, stream_name: str | None) -> Path:
    """A minimal OLE2 header followed by a directory entry naming a stream."""
    data = bytearray(filecheck.OLE2_MAGIC + b"\x00" * (512 - 8))
    entry = bytearray(128)
    if stream_name:
        encoded = stream_name.encode("utf-16-le")
        entry[: len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded) + 2)
    data += entry + b"\x00" * 384
    p = tmp_path / name
    p.write_bytes(bytes(data))
    return p


def test_legacy_xls(tmp_path: Path) -> None:
    _refused(_ole2(tmp_path, "old.xls", "Workbook"), "97-2003", ".xls")


def test_encrypted_ooxml(tmp_path: Path) -> None:
    _refused(_ole2(tmp_path, "secret.xlsx", "EncryptedPackage"), "password-protected")


def test_zip_without_workbook(tmp_path: Path) -> None:
    p = tmp_path / "other.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hi")
    _refused(p, "no xl/workbook.xml")


def test_ods_and_docx_named(tmp_path: Path) -> None:
    ods = tmp_path / "a.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    _refused(ods, "opendocument")
    docx = tmp_path / "b.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    _refused(docx, "word document")


def test_truncated_zip(tmp_path: Path) -> None:
    good = make_workbook(tmp_path)
    p = tmp_path / "cut.xlsx"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(p, "damaged")


def _bomb(tmp_path: Path, size: int) -> Path:
    """A workbook whose sheet1 inflates to ``size`` bytes of repeated XML."""
    good = make_workbook(tmp_path)
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                    out.write(head)
                    chunk = b" " * (1 << 20)
                    written = len(head)
                    while written < size:
                        out.write(chunk)
                        written += len(chunk)
                    out.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(info, src.read(info))
    return p


def test_compression_ratio_bomb_refused(tmp_path: Path) -> None:
    # 64 MB of spaces deflates ~1000x: refused by ratio before anything is inflated.
    line = _refused(_bomb(tmp_path, 64 << 20), "zip bomb")
    assert "xl/worksheets/sheet1.xml" in line


def test_declared_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = make_workbook(tmp_path)
    monkeypatch.setattr(filecheck, "MAX_ENTRY_BYTES", 1000)
    _refused(good, "limit per part")
    monkeypatch.setattr(filecheck, "MAX_ENTRY_BYTES", 400 << 20)
    monkeypatch.setattr(filecheck, "MAX_TOTAL_BYTES", 5000)
    _refused(good, "would inflate")
    monkeypatch.setattr(filecheck, "MAX_TOTAL_BYTES", 800 << 20)
    monkeypatch.setattr(filecheck, "MAX_FILE_BYTES", 100)
    _refused(good, "larger than")


def test_entry_that_inflates_beyond_its_declared_size(tmp_path: Path) -> None:
    good = make_workbook(tmp_path)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        info.file_size = 10  # lie: declare 10 bytes
        with pytest.raises(UnreadableFileError, match="larger than it declares|damaged"):
            filecheck.read_entry(zf, info.filename, good)


def test_absurd_sheet_dimensions_refused(tmp_path: Path) -> None:
    import openpyxl

    p = make_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb.create_sheet("Notes")
    ws["A1"] = "x"
    ws["XFD1048576"] = "far away"
    wb.save(p)
    _refused(p, "Notes", "cell limit", "stray cells")


def test_sheet_size_limit_is_documented_constant() -> None:
    assert filecheck.MAX_SHEET_CELLS >= 5_000_000
    for name in ("MAX_FILE_BYTES", "MAX_ENTRY_BYTES", "MAX_TOTAL_BYTES", "MAX_COMPRESSION_RATIO", "MAX_CSV_BYTES"):
        assert isinstance(getattr(filecheck, name), int)


def test_good_workbook_passes(tmp_path: Path) -> None:
    summary = filecheck.check_file(make_workbook(tmp_path))
    assert summary.entries > 5 and summary.total_uncompressed > 0


def test_defusedxml_is_active() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


_DTD = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
) + b"]>"


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet2.xml"])
def test_xml_entity_expansion_bomb_refused(tmp_path: Path, part: str) -> None:
    import resource

    good = make_workbook(tmp_path)
    p = tmp_path / "lol.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                if data.startswith(b"<?xml"):
                    data = data[data.index(b"?>") + 2 :]
                data = (_DTD + data).replace(b"<t>Town centre</t>", b"<t>&lol9;</t>")
            dst.writestr(info, data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _refused(p, "entit")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB: no expansion


def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    _refused(fifo, "not a regular file")
