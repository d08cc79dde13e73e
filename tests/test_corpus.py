"""Every hostile or broken workbook in the corpus gets one clear line and its exit status.

Each case in :mod:`corpus` is built into ``tmp_path`` and run through the real
command line (``desktop_app.cli.main``), as an analyst would: ``validate`` must
exit 0, 1 or 2 as docs/command-line.md#exit-statuses says, print the one line that names the
file (exit 2) or the sheet, row and column (exit 1 and warnings), and never a
traceback. A few are also pushed through ``appraise``, which must refuse in the
same way and write nothing, or (for the odd-but-valid files) produce a summary
workbook that keeps what the input said.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from corpus import CASES, CASES_BY_NAME, NON_ASCII_NAMES, SHEET_PART, Case, big_force

from desktop_app.cli import main
from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.workbook import cells as reader_cells
from desktop_app.core.workbook import filecheck, sheet_xml
from desktop_app.core.workbook.reader import read_workbook


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    assert "internal error" not in cap.err, cap.err
    return rc, cap.out, cap.err


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` (links not followed) with its size and the first 64 kB."""
    out: dict[str, tuple[int, bytes]] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink() or not p.is_file():
            out[str(p.relative_to(folder))] = (-1, b"")
            continue
        with p.open("rb") as fh:
            out[str(p.relative_to(folder))] = (p.stat().st_size, fh.read(65536))
    return out


def _where(case: Case) -> str:
    where = f"{case.level}: {case.sheet}"
    if case.row is not None:
        where += f" row {case.row}"
    if case.column:
        where += f" column {case.column}"
    return where + ": "


def _check_answer(case: Case, path: Path, rc: int, out: str, err: str) -> None:
    """The documented exit status and exactly one line carrying the case's answer."""
    assert rc == case.exit, (case.name, rc, out, err)
    words = [w.lower() for w in case.words]
    if case.exit == 2:
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1, lines
        line = lines[0]
        assert line.startswith("armed-options: ") and path.name in line
        assert all(w in line.lower() for w in words), (words, line)
        return
    lines = out.splitlines()
    assert lines[-1].startswith(f"{path}: ")
    errors = [ln for ln in lines if ln.startswith("error: ")]
    if case.exit == 0:
        assert errors == [] and " 0 errors" in lines[-1]
    else:
        assert errors and f"{len(errors)} error" in lines[-1]
    if case.sheet is not None:
        hits = [ln for ln in lines if ln.startswith(_where(case)) and all(w in ln.lower() for w in words)]
        assert len(hits) == 1, (_where(case), words, lines)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_answers_in_one_line(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = case.build(tmp_path)
    before = _snapshot(tmp_path)
    rc, out, err = _run(capsys, "validate", str(path))
    _check_answer(case, path, rc, out, err)
    assert _snapshot(tmp_path) == before, "input unchanged, nothing left behind"


@pytest.mark.parametrize("name", ["not_a_zip", "encrypted", "zip_bomb_gigabytes", "entity_bomb_shared_strings",
                                  "absurd_far_cell"])
def test_appraise_refuses_unreadable_and_writes_nothing(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES_BY_NAME[name]
    path = case.build(tmp_path)
    out_path = tmp_path / "out" / "summary.xlsx"
    out_path.parent.mkdir()
    rc, out, err = _run(capsys, "appraise", str(path), "-o", str(out_path), "--json")
    _check_answer(case, path, rc, out, err)
    assert list(out_path.parent.iterdir()) == []


@pytest.mark.parametrize("name", ["formula_no_cache", "error_value_na", "travel_csv_bad_row", "duplicate_header"])
def test_appraise_refuses_invalid_naming_the_cell(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES_BY_NAME[name]
    path = case.build(tmp_path)
    out_path = tmp_path / "out" / "summary.xlsx"
    out_path.parent.mkdir()
    rc, out, err = _run(capsys, "appraise", str(path), "-o", str(out_path), "--json")
    assert rc == 1 and out == ""
    words = [w.lower() for w in case.words]
    hits = [ln for ln in err.splitlines() if ln.startswith(_where(case)) and all(w in ln.lower() for w in words)]
    assert len(hits) == 1, err
    assert list(out_path.parent.iterdir()) == []


def _all_text(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    finally:
        wb.close()


def test_non_ascii_names_survive_into_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CASES_BY_NAME["non_ascii_names"].build(tmp_path)
    out_path = tmp_path / "summary.xlsx"
    rc, out, _err = _run(capsys, "appraise", str(path), "-o", str(out_path), "--samples", "500")
    assert rc == 0
    assert "Arfogi gorsaf y bryniau – Ŷ" in out  # the ranking table prints the option name
    text = "\n".join(_all_text(out_path))
    for name in (*NON_ASCII_NAMES, "Arfogi gorsaf y bryniau – Ŷ", "Heddlu Dyfed-Powys 🐉"):
        assert name in text, name


@pytest.mark.parametrize("name", ["odd_case_headers", "trailing_blank_rows", "hidden_sheet", "numbers_as_text"])
def test_odd_but_valid_workbooks_appraise(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Valid content in an odd shape gives the same ranking as the plain base force."""
    from workbook_factory import make_workbook

    plain = make_workbook(tmp_path, name="plain.xlsx")
    odd = CASES_BY_NAME[name].build(tmp_path)
    ranks = []
    for p in (plain, odd):
        rc, out, _ = _run(capsys, "appraise", str(p), "-o", str(tmp_path / f"{p.stem}-summary.xlsx"),
                          "--json", "--samples", "200")
        assert rc == 0
        import json

        ranks.append({o["option_id"]: (o["rank"], round(o["total_value"], 9)) for o in json.loads(out)["options"]})
    assert ranks[0] == ranks[1]


# -- limits are applied before anything is parsed --------------------------------------


def test_bombs_are_refused_without_inflating_or_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size and ratio checks read only the zip directory: no part is opened, calamine never runs."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *a: object, **kw: object):  # type: ignore[no-untyped-def]
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return real_open(self, name, *a, **kw)  # type: ignore[arg-type]

    def no_calamine(*_a: object, **_k: object) -> None:
        raise AssertionError("calamine must not be reached")

    paths = [CASES_BY_NAME[n].build(tmp_path) for n in ("zip_bomb_gigabytes", "zip_bomb_ratio", "zip_bomb_forged_size")]
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    monkeypatch.setattr(reader_cells.pc.CalamineWorkbook, "from_path", no_calamine)
    for path in paths:
        with pytest.raises(UnreadableFileError, match="zip bomb"):
            read_workbook(path)
    assert opened == []


def test_ratio_limit_applies_only_to_large_parts(tmp_path: Path) -> None:
    """Small, very repetitive parts are normal (styles, empty sheets); the ratio check starts at 8 MB."""
    from corpus import _bomb

    # 4 MB of empty comments: ~1,000x but under RATIO_CHECK_MIN_BYTES, so not refused by the directory check.
    small = _bomb(tmp_path, "small-ratio.xlsx", 1, b"<!---->" * 600_000)
    with zipfile.ZipFile(small) as zf:
        info = zf.getinfo(SHEET_PART["Areas"])
    assert info.file_size < filecheck.RATIO_CHECK_MIN_BYTES
    assert info.file_size / info.compress_size > filecheck.MAX_COMPRESSION_RATIO
    filecheck.check_file(small)  # passes the directory checks...
    result = read_workbook(small)  # ...and reads: the sheet is only padding, so Areas has no rows
    assert any(f.sheet == "Areas" and f.level == "error" for f in result.findings)


def test_defusedxml_guards_openpyxl(tmp_path: Path) -> None:
    """openpyxl (used for templates, copies and sessions) parses through defusedxml: bombs are refused."""
    import defusedxml

    assert openpyxl.DEFUSEDXML is True
    for name in ("entity_bomb_sheet", "entity_bomb_workbook", "entity_bomb_shared_strings"):
        path = CASES_BY_NAME[name].build(tmp_path)
        with pytest.raises(Exception) as info:  # noqa: PT011 - openpyxl wraps some in ValueError
            openpyxl.load_workbook(path)
        chain: list[BaseException] = []
        exc: BaseException | None = info.value
        while exc is not None and len(chain) < 10:
            chain.append(exc)
            exc = exc.__cause__ or exc.__context__
        assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain), (name, chain)


def test_sheet_cell_limit_with_a_smaller_configured_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rows x columns limit is read at run time: a 2,000-area force against a 10,000-cell limit."""
    path = big_force(tmp_path, 2_000, name="two-thousand.xlsx")
    monkeypatch.setattr(filecheck, "MAX_SHEET_CELLS", 10_000)
    rc, out, err = _run(capsys, "validate", str(path))
    assert rc == 2 and out == ""
    assert "2,001 rows x 26 columns" in err or "2,001 rows" in err
    assert "10,000-cell limit" in err and len(err.splitlines()) == 1


def test_workbook_cell_limit_counts_all_sheets_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No single sheet of the base force holds 60 cells, but together they hold more."""
    from workbook_factory import base_sheets, make_workbook

    per_sheet = [sum(len(r) for r in rows) for rows in base_sheets().values()]
    assert max(per_sheet) < 60 < sum(per_sheet)
    path = make_workbook(tmp_path)
    monkeypatch.setattr(filecheck, "MAX_WORKBOOK_CELLS", 60)
    rc, out, err = _run(capsys, "validate", str(path))
    assert rc == 2 and out == "" and len(err.splitlines()) == 1
    assert "the workbook's sheets hold about" in err and "60-cell limit" in err


@pytest.mark.slow
def test_two_hundred_thousand_areas_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """200,000 areas: read and validated (no travel times given, so 3 x 200,000 pairs estimated)."""
    path = big_force(tmp_path, 200_000)
    assert path.stat().st_size < filecheck.MAX_FILE_BYTES
    rc, out, err = _run(capsys, "validate", str(path))
    assert rc == 0, (out[-2000:], err)
    assert out.splitlines()[-1].endswith("600,000 travel-time pairs estimated")


def test_reliability_doc_states_the_limits_in_force() -> None:
    """docs/reliability.md quotes every limit as the code sets it, so the two cannot drift."""
    from desktop_app.core.workbook.findings import FINDINGS_PER_RULE

    doc = (Path(__file__).resolve().parents[1] / "docs" / "reliability.md").read_text(encoding="utf-8")
    mb = 1024 * 1024
    rows = {
        "workbook file size": f"{filecheck.MAX_FILE_BYTES // mb:,} MB",
        "declared uncompressed size of one part": f"{filecheck.MAX_ENTRY_BYTES // mb:,} MB",
        "declared uncompressed size of all parts together": f"{filecheck.MAX_TOTAL_BYTES // mb:,} MB",
        f"compression ratio of any part over {filecheck.RATIO_CHECK_MIN_BYTES // mb} MB": f"{filecheck.MAX_COMPRESSION_RATIO}x",
        "parts in the workbook zip": f"{filecheck.MAX_ZIP_ENTRIES:,}",
        "cells spanned by one sheet": f"{filecheck.MAX_SHEET_CELLS:,}",
        "cells held by all sheets together": f"{filecheck.MAX_WORKBOOK_CELLS:,}",
        "text with no markup": f"{sheet_xml.MAX_TEXT_RUN // 1024:,} KB",
        "travel-times CSV size": f"{filecheck.MAX_CSV_BYTES // mb:,} MB",
        "findings listed per rule": f"{FINDINGS_PER_RULE}, then",
    }
    from desktop_app.core.workbook.schema import CAPS

    labels = {"Options": "options (Options sheet rows)", "Criteria": "criteria (Criteria sheet rows)",
              "WeightSets": "weight-set rows (WeightSets sheet rows)", "travel_csv_rows": "travel-times CSV lines",
              "posts": "extra posts (optimise --posts)", "curve_posts": "posts on the curve (optimise --curve)",
              "samples": "SMAA samples (appraise --samples)", "smaa_values": "SMAA values held",
              "smaa_work": "SMAA work", "session_bytes": "session file size",
              "sim_years": "simulated years (simulate --years)", "replications": "replications (simulate --replications)"}
    assert set(labels) == set(CAPS), "every cap is stated in docs/reliability.md"
    for key, label in labels.items():
        value = CAPS[key].value
        rows[label] = f"{value // 2**20} MB" if key == "session_bytes" else f"{value:,}"
    for label, value in rows.items():
        line = next((ln for ln in doc.splitlines() if ln.startswith(f"| {label}")), None)
        assert line is not None, label
        assert f"| {value}" in line, (label, value, line)
