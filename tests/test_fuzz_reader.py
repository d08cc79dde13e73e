"""Fuzzing the reader: whatever happens to a workbook, the answer is a result or findings.

Hypothesis applies random edits to a valid force: cells set to random values of
random types (numbers, huge and non-finite floats, text in any script, dates,
booleans, formulas, Excel error values, IDs borrowed from elsewhere), rows and
columns deleted or duplicated, whole sheets dropped. The only allowed outcomes
are

- a :class:`ReadResult` whose findings are well-formed one-line errors/warnings
  and whose ``inputs`` is a consistent :class:`ForceInputs` exactly when there is
  no error (and then the appraisal and the summary workbook must work too), or
- :class:`UnreadableFileError` (one line, exit status 2).

Any other exception escaping is a bug. Two targets: the small factory force
(written by openpyxl, so formulas, error cells and dates are real Excel cells),
and the sample force, whose sheets are edited by rewriting only the changed
sheet parts of the zip (fast enough for CI even though TravelTimes has ~34,000 rows).
Example counts are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import zipfile
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import defusedxml.ElementTree as SafeET
import numpy as np
import openpyxl
import pytest
import python_calamine as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_factory import base_sheets

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.export import build_summary_bytes
from desktop_app.core.model import ForceInputs, ReadResult
from desktop_app.core.pipeline import run_appraisal
from desktop_app.core.workbook.reader import read_workbook
from desktop_app.core.workbook.sheet_xml import col_letters

Rows = list[list[Any]]
Sheets = dict[str, Rows]

# -- random cell values ---------------------------------------------------------------------

_TRICKY_TEXT = [
    "#N/A", "#DIV/0!", "#VALUE!", "=1/0", "=A1", "=SUM(A:A)", "=HYPERLINK(\"http://x\")", " 1,200 ", "£5,000",
    "30%", "1e308", "-0", "NaN", "inf", "TRUE", "yes", "no", "", "   ", "\u00a0", "ARV", "NEIGHBOUR_ARV",
    "judgement", "higher", "lower", "urban", "rural", "RSN1", "E2", "0", "-1", "24", "25", "0.5",
    "Llanfair ❤️ 🚓", "Åland", "日本語", "x" * 300, "'leading apostrophe", "A1\nA2",
]
_IDS = ["OPT0", "OPT1", "OPT2", "S1", "S2", "S3", "A1", "A2", "A3", "A4", "C1", "C2", "C3",
        "firearms_incidents", "violence_rate", "Finance", "force_name", "threat_level", "target_minutes"]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-5, max_value=100),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(_TRICKY_TEXT),
    st.sampled_from(_IDS),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.times(),
)


def _edits(sheet_names: list[str], max_edits: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    sheet = st.sampled_from(sheet_names)
    index = st.integers(min_value=0, max_value=10_000)
    edit = st.one_of(
        st.tuples(st.just("set"), sheet, index, index, values),
        st.tuples(st.just("set"), sheet, index, index, values),
        st.tuples(st.just("set"), sheet, index, index, values),
        st.tuples(st.just("del_row"), sheet, index),
        st.tuples(st.just("dup_row"), sheet, index, index),
        st.tuples(st.just("del_col"), sheet, index),
        st.tuples(st.just("dup_col"), sheet, index, index),
        st.tuples(st.just("del_sheet"), sheet),
        st.tuples(st.just("rename_header"), sheet, index, st.sampled_from(["", " AREA_ID ", "Area Id", "weight", "x"])),
    )
    return st.lists(edit, min_size=1, max_size=max_edits)


def apply_edits(sheets: Sheets, edits: list[tuple[Any, ...]]) -> set[str]:
    """Apply edits in place (indices wrap around the sheet's size); the names of sheets touched."""
    touched: set[str] = set()
    for op, name, *args in edits:
        rows = sheets.get(name)
        if rows is None:
            continue
        touched.add(name)
        width = max((len(r) for r in rows), default=0)
        if op == "del_sheet":
            del sheets[name]
        elif op == "set":
            r = args[0] % (len(rows) + 1)
            c = args[1] % (width + 2)
            if r == len(rows):
                rows.append([])
            row = rows[r]
            row.extend([None] * (c + 1 - len(row)))
            row[c] = args[2]
        elif op == "del_row" and rows:
            del rows[args[0] % len(rows)]
        elif op == "dup_row" and rows:
            src = rows[args[0] % len(rows)]
            rows.insert(args[1] % (len(rows) + 1), list(src))
        elif op == "del_col" and width:
            c = args[0] % width
            for row in rows:
                if c < len(row):
                    del row[c]
        elif op == "dup_col" and width:
            c, at = args[0] % width, args[1] % (width + 1)
            for row in rows:
                row.extend([None] * (width - len(row)))
                row.insert(at, row[c])
        elif op == "rename_header" and rows and rows[0]:
            rows[0][args[0] % len(rows[0])] = args[1]
    return touched


# -- checking the outcome ---------------------------------------------------------------------


def check_outcome(path: Path, *, appraise: bool) -> None:
    """Read ``path``: allowed outcomes only; a clean read must also appraise and export."""
    try:
        result = read_workbook(path)
    except UnreadableFileError as exc:
        line = exc.one_line()
        assert line and "\n" not in line and exc.exit_status == 2
        return
    assert isinstance(result, ReadResult)
    for f in result.findings:
        assert f.level in ("error", "warning")
        assert f.message and "\n" not in f.one_line()
        assert f.row is None or (isinstance(f.row, int) and f.row >= 1)
    errors = [f for f in result.findings if f.level == "error"]
    if errors:
        assert result.inputs is None
        return
    inputs = result.inputs
    assert isinstance(inputs, ForceInputs)
    n_sites, n_areas = len(inputs.sites), len(inputs.areas)
    assert inputs.travel_minutes.shape == (n_sites, n_areas)
    assert np.all(np.isfinite(inputs.travel_minutes))
    # Given drive times must be > 0 (validated); an estimated one is 0 when a site stands
    # at an area's exact centre (straight-line distance 0), which the estimate's formula gives (docs/workbook-format.md#travel-times-and-how-missing-ones-are-estimated).
    assert np.all(inputs.travel_minutes[~inputs.estimated] > 0)
    assert np.all(inputs.travel_minutes[inputs.estimated] >= 0)
    assert inputs.areas["area_id"].is_unique and inputs.sites["site_id"].is_unique
    assert int(inputs.options["baseline"].sum()) == 1
    assert len(inputs.threat) == n_areas and np.all(inputs.threat.to_numpy() >= 0)
    assert (inputs.areas["population"] >= 0).all()
    if appraise:
        run = run_appraisal(inputs, result.findings, samples=64, seed=1)
        totals = run.appraisal.totals
        assert len(totals) == len(inputs.options) and all(math.isfinite(float(t)) for t in totals)
        data = build_summary_bytes(run)
        assert data[:2] == b"PK"


# -- target 1: the factory force, written by openpyxl -------------------------------------------


def _write_openpyxl(path: Path, sheets: Sheets) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.slow  # several seconds: left out of the fast loop (docs/architecture.md#tests)
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=_edits(list(base_sheets()), 4))
def test_fuzz_factory_force(tmp_path: Path, edits: list[tuple[Any, ...]]) -> None:
    sheets = base_sheets()
    apply_edits(sheets, edits)
    path = tmp_path / "fuzz.xlsx"
    try:
        _write_openpyxl(path, sheets)
    except (ValueError, TypeError):  # openpyxl refuses to write such a value: no workbook to read
        return
    check_outcome(path, appraise=True)


#: Free-text cells of the factory force: (sheet, column) -> rows. Any text there is valid, so
#: every example must read clean, appraise and export; this fuzzes the path text takes to the summary.
_FREE_TEXT = {("Areas", 1): 4, ("Areas", 2): 4, ("Options", 1): 3, ("Options", 2): 3,
              ("Criteria", 1): 3, ("Criteria", 7): 3, ("Judgements", 3): 3, ("Sites", 1): 3}
any_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip),
    st.sampled_from([t for t in _TRICKY_TEXT if t.strip()]),
)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(st.sampled_from(sorted(_FREE_TEXT)), st.integers(1, 4), any_text),
                      min_size=1, max_size=6),
       force_name=any_text)
def test_fuzz_free_text_is_read_appraised_and_exported(
    tmp_path: Path, texts: list[tuple[tuple[str, int], int, str]], force_name: str
) -> None:
    sheets = base_sheets()
    sheets["Parameters"][1][1] = force_name
    for (sheet, col), row, text in texts:
        sheets[sheet][min(row, _FREE_TEXT[(sheet, col)])][col] = text
    path = tmp_path / "text.xlsx"
    try:
        _write_openpyxl(path, sheets)
    except openpyxl.utils.exceptions.IllegalCharacterError:
        # openpyxl will not write control characters; put them in through the XML instead.
        return
    result = read_workbook(path)
    if result.errors:
        # Only a formula-looking or error-looking text (written by openpyxl as a formula or error
        # cell) may make an otherwise valid workbook invalid.
        assert all("formula" in f.message or "error value" in f.message for f in result.errors), [
            f.one_line() for f in result.errors]
        return
    check_outcome(path, appraise=True)


# -- target 2: the sample force, changed sheets rewritten in its zip ----------------------------

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: The sample's small sheets are fuzzed; TravelTimes (~34,000 rows) is kept as it is.
_SAMPLE_FUZZED = ("Parameters", "Areas", "Threat", "ThreatIndicators", "Sites", "Options",
                  "Deployments", "Criteria", "Judgements", "WeightSets")


@cache
def _sample_model(sample: str) -> tuple[dict[str, bytes], dict[str, str], dict[str, tuple[tuple[Any, ...], ...]]]:
    """The sample's zip parts, sheet name -> part, and the fuzzed sheets' cell values."""
    with zipfile.ZipFile(sample) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    wb_xml = SafeET.fromstring(parts["xl/workbook.xml"])
    rels = SafeET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    part_of = {}
    for s in wb_xml.iter(f"{_NS}sheet"):
        t = target[s.get(f"{_REL}id")]
        part_of[s.get("name")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    book = pc.CalamineWorkbook.from_path(sample)
    try:
        cells = {name: tuple(tuple(r) for r in book.get_sheet_by_name(name).to_python())
                 for name in _SAMPLE_FUZZED if name in part_of}
    finally:
        book.close()
    return parts, part_of, cells


def _cell_xml(ref: str, v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, int | float) and math.isfinite(v):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    if isinstance(v, str) and v.startswith("#") and v.endswith(("!", "A")):
        return f'<c r="{ref}" t="e"><v>{escape(v)}</v></c>'
    if isinstance(v, str) and v.startswith("=") and len(v) > 1:
        return f'<c r="{ref}"><f>{escape(v[1:])}</f></c>'  # a formula never calculated
    text = v.isoformat() if isinstance(v, dt.date | dt.time) else str(v)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _sheet_xml(rows: Rows) -> bytes:
    out = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(f"{col_letters(c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


@pytest.mark.slow  # several seconds: left out of the fast loop (docs/architecture.md#tests)
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=_edits(list(_SAMPLE_FUZZED), 6))
def test_fuzz_sample_force(tmp_path: Path, sample_path: Path, edits: list[tuple[Any, ...]]) -> None:
    parts, part_of, cells = _sample_model(str(sample_path))
    sheets = {name: [list(r) for r in rows] for name, rows in cells.items()}
    touched = apply_edits(sheets, edits)
    new_parts = dict(parts)
    for name in touched:
        new_parts[part_of[name]] = _sheet_xml(sheets.get(name, []))
    path = tmp_path / "fuzz-sample.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in new_parts.items():
            zf.writestr(name, data)
    check_outcome(path, appraise=False)


def test_rewriting_untouched_sample_sheets_changes_nothing(tmp_path: Path, sample_path: Path, sample_read: ReadResult) -> None:
    """The sample harness itself is faithful: re-serialising every fuzzed sheet unchanged still reads
    clean with the same options and areas, so findings in the fuzz come from the edits."""
    parts, part_of, cells = _sample_model(str(sample_path))
    new_parts = dict(parts)
    for name, rows in cells.items():
        new_parts[part_of[name]] = _sheet_xml([list(r) for r in rows])
    path = tmp_path / "same.xlsx"
    for named in sample_read.inputs.named_files:  # the boundaries file the sample names goes beside it
        shutil.copy2(named, tmp_path / named.name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in new_parts.items():
            zf.writestr(name, data)
    original, rewritten = sample_read, read_workbook(path)
    assert rewritten.inputs is not None and original.inputs is not None
    assert [f.message for f in rewritten.findings] == [f.message for f in original.findings]
    assert list(rewritten.inputs.options["option_id"]) == list(original.inputs.options["option_id"])
    assert np.array_equal(rewritten.inputs.travel_minutes, original.inputs.travel_minutes)
