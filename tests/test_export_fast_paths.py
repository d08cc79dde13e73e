"""The Coverage fast path writes exactly the XML a cell-by-cell writer would.

``fastrows.rows_xml`` formats a column at a time for speed (the national Coverage sheet
has 1.3 million cells). These tests hold it to a plain cell-by-cell reference (the
writer it replaced, restated here), on columns of every kind it must handle: floats
with NaN and infinities, ints, bools, None, numpy scalars, strings needing escaping,
leading spaces, carriage returns and characters Excel cannot store, and columns mixing
them. They also check the guard reports a cleaned string at the same cell, and that
``TextGuard.unchanged`` agrees with ``TextGuard.clean``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from desktop_app.core.export.fastrows import DeferredRows, rows_xml
from desktop_app.core.export.grid import NOT_REACHED
from desktop_app.core.export.safe_text import MAX_CELL_CHARS, TextGuard


def _reference(d: DeferredRows) -> bytes:
    """Cell by cell, as the original fast path wrote the rows (numbers without ``t="n"``, the
    default cell type, as Excel itself writes them)."""

    def text_cell(ref: str, style: str, text: str) -> str:
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    letters = [get_column_letter(d.first_col + j) for j in range(len(d.columns))]
    styles = [f' s="{s}"' if s else "" for s in d.style_ids]
    parts: list[str] = []
    for k in range(d.n_rows):
        i, r = d.offset + k, d.start_row + k
        parts.append(f'<row r="{r}">')
        for j, col in enumerate(d.columns):
            v, ref = col[i], f"{letters[j]}{r}"
            if v is None:
                continue
            if isinstance(v, str):
                parts.append(text_cell(ref, styles[j], d.guard.clean(v, d.sheet_title, r, letters[j])))
            elif isinstance(v, bool):
                parts.append(f'<c r="{ref}"{styles[j]} t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, int):
                parts.append(f'<c r="{ref}"{styles[j]}><v>{v}</v></c>')
            else:
                f = float(v)
                if math.isnan(f):
                    continue
                if math.isinf(f):
                    parts.append(text_cell(ref, styles[j], NOT_REACHED if f > 0 else "-" + NOT_REACHED))
                else:
                    parts.append(f'<c r="{ref}"{styles[j]}><v>{f!r}</v></c>')
        parts.append("</row>")
    return "".join(parts).encode("utf-8")


def _deferred(columns: list[list[Any]], offset: int = 0, styles: list[int | None] | None = None) -> DeferredRows:
    return DeferredRows(
        sheet_index=8, start_row=40, first_col=1, columns=columns, offset=offset,
        style_ids=styles or [None] * len(columns), guard=TextGuard(), sheet_title="Coverage",
        headers=[f"h{j}" for j in range(len(columns))],
    )


def _both(columns: list[list[Any]], offset: int = 0, styles: list[int | None] | None = None) -> tuple[bytes, bytes, DeferredRows, DeferredRows]:
    fast, ref = _deferred(columns, offset, styles), _deferred(columns, offset, styles)
    return b"".join(rows_xml(fast)), _reference(ref), fast, ref


def test_every_kind_of_column_matches_the_cell_by_cell_writer() -> None:
    n = 4500  # more than two chunks of rows
    rng = np.random.default_rng(7)
    floats = rng.uniform(0, 90, n).tolist()
    floats[18], floats[20], floats[21], floats[2100] = math.nan, math.inf, -math.inf, 1e308
    columns: list[list[Any]] = [
        [f"E01{i:06d}" for i in range(n)],                      # plain text
        [" lead" if i % 7 == 0 else "a < b & c > d" if i % 5 == 0 else f"Area {i}" for i in range(n)],
        [int(x) for x in rng.integers(0, 3000, n)],              # ints
        floats,                                                  # floats with NaN and infinities
        [None if i % 3 == 0 else float(i) for i in range(n)],   # floats with gaps
        [True if i % 2 else 1 if i % 3 else np.float32(0.1) if i % 5 else "x" for i in range(n)],  # mixed
        [np.float64(i / 7) for i in range(n)],                   # numpy scalars
    ]
    fast, ref, _, _ = _both(columns, offset=17, styles=[3, None, 5, 6, 7, None, 9])
    assert fast == ref
    # index 20 is written on row 40 + (20 - 17) = 43; index 18 (NaN) leaves D41 empty
    assert b'<c r="D43" s="6" t="inlineStr"><is><t>not reached</t></is></c>' in fast
    assert b'r="D41"' not in fast and b'r="C41"' in fast


def test_infinite_minutes_read_not_reached_and_nan_is_left_empty() -> None:
    # Row 40 holds index 0: NaN (no cell), row 41 +inf, row 42 -inf, row 43 a number.
    fast, ref, _, _ = _both([[math.nan, math.inf, -math.inf, 12.5]], styles=[4])
    assert fast == ref
    assert fast == (b'<row r="40"></row>'
                    b'<row r="41"><c r="A41" s="4" t="inlineStr"><is><t>not reached</t></is></c></row>'
                    b'<row r="42"><c r="A42" s="4" t="inlineStr"><is><t>-not reached</t></is></c></row>'
                    b'<row r="43"><c r="A43" s="4"><v>12.5</v></c></row>')


def test_text_needing_cleaning_is_reported_at_the_same_cell() -> None:
    # Row 41's district repeats row 40's dirty area name: reported once, at B40 (row order).
    names = ["Bad\x01name", "ok", "Also\rbad"]
    districts = ["d1", "Bad\x01name", "d3"]
    fast, ref, fd, rd = _both([names, districts])
    assert fast == ref
    assert [(f.row, f.column) for f in fd.guard.findings] == [(f.row, f.column) for f in rd.guard.findings] == [(40, "A")]
    assert b"<t>Badname</t>" in fast and b"Also\nbad" in fast


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True),
                          st.integers(-10**12, 10**12), st.booleans()), min_size=1, max_size=30),
       st.integers(0, 5))
def test_any_column_matches_the_reference(values: list[Any], offset: int) -> None:
    offset = min(offset, len(values) - 1)
    fast, ref, fd, rd = _both([values, list(reversed(values))], offset=offset, styles=[2, None])
    assert fast == ref
    assert [f.message for f in fd.guard.findings] == [f.message for f in rd.guard.findings]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\r", "\x01", "\x0b", "\ufffe"]),
                        max_size=20), max_size=8))
def test_unchanged_agrees_with_clean(texts: list[str]) -> None:
    probe, cleaner = TextGuard(), TextGuard()
    expected = all(cleaner.clean(t) == t for t in texts)
    assert probe.unchanged(texts) == expected
    if expected:
        assert cleaner.findings == []  # nothing changed, so nothing to report
    assert probe.findings == []  # asking reports nothing


def test_unchanged_refuses_text_longer_than_a_cell() -> None:
    assert TextGuard().unchanged(["x" * MAX_CELL_CHARS])
    assert not TextGuard().unchanged(["x" * (MAX_CELL_CHARS + 1)])


def _sorted_distribution(responses: dict[str, np.ndarray], pop: np.ndarray, target: float) -> tuple[list[int], dict[str, list[float]]]:
    """Reference: sort each option's area-hours and read the cumulative population off at each minute."""
    from desktop_app.core.export.charts import MAX_MINUTES

    total = pop.sum() * 24
    finite_max, sorted_by = 0.0, {}
    for oid, resp in responses.items():
        r = np.asarray(resp, dtype=float).ravel()
        w = np.repeat(pop, resp.shape[1])
        ok = np.isfinite(r)
        r, w = r[ok], w[ok]
        order = np.argsort(r, kind="stable")
        sorted_by[oid] = (r[order], np.cumsum(w[order]))
        if r.size:
            finite_max = max(finite_max, float(r.max()))
    top = int(min(MAX_MINUTES, max(2 * target, math.ceil(finite_max))))
    grid = np.arange(top + 1, dtype=float)
    out = {}
    for oid, (r, cum) in sorted_by.items():
        idx = np.searchsorted(r, grid, side="right")
        out[oid] = (np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0) / total).tolist()
    return list(range(top + 1)), out


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.sampled_from([5.0, 12.5, 20.0, 90.0]), st.integers(0, 2**31))
def test_response_distribution_equals_sorting(n_areas: int, target: float, seed: int) -> None:
    """Binning by whole minute gives the sorted cumulative shares exactly (whole-number populations)."""
    from types import SimpleNamespace

    import pandas as pd

    from desktop_app.core.export.charts import response_distribution
    from desktop_app.core.export.context import ExportContext

    rng = np.random.default_rng(seed)
    pop = rng.integers(0, 3000, n_areas)
    responses, stored = {}, {}
    for oid in ("A", "B", "C"):
        # whole minutes (boundaries), fractions, beyond the 120-minute grid, and never reached
        r = rng.choice([0.0, 3.0, 4.5, 9.999, 10.0, 10.0001, 37.2, 119.5, 130.0, np.inf], size=(n_areas, 24))
        r = r.astype(np.float32) if oid == "B" else r
        if oid == "C":  # stored as the engine stores it: 5 hour classes of unequal length
            hour_class = rng.integers(0, 5, 24)
            hour_class[:5] = np.arange(5)
            stored[oid] = SimpleNamespace(class_response=r[:, :5], hour_class=hour_class)
            r = r[:, :5][:, hour_class]
        else:
            stored[oid] = SimpleNamespace(class_response=r, hour_class=None)
        responses[oid] = r
    run = SimpleNamespace(
        inputs=SimpleNamespace(areas=pd.DataFrame({"population": pop}),
                               options=pd.DataFrame({"option_id": list(responses), "option_name": list(responses)})),
        coverage=SimpleNamespace(options=stored, target_minutes=target),
    )
    minutes, shares = response_distribution(ExportContext(run=run, generated_at=datetime.now(UTC), tool_version="x"))
    if pop.sum() == 0:
        assert all(v == 0.0 for s in shares.values() for v in s)
        return
    ref_minutes, ref_shares = _sorted_distribution(responses, pop.astype(float), target)
    assert minutes == ref_minutes
    assert shares == ref_shares  # exactly: the sums are of whole numbers


def test_overlapped_write_keeps_order_and_passes_errors_back() -> None:
    import io

    import pytest

    from desktop_app.core.errors import Cancelled
    from desktop_app.core.export.fastrows import _write_overlapped

    out = io.BytesIO()
    _write_overlapped(out, iter([b"%d," % i for i in range(500)]))
    assert out.getvalue() == b"".join(b"%d," % i for i in range(500))

    def cancelled_midway():
        yield b"a"
        raise Cancelled()

    with pytest.raises(Cancelled):
        _write_overlapped(io.BytesIO(), cancelled_midway())

    class Full(io.BytesIO):
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        _write_overlapped(Full(), iter([b"x"] * 50))


def test_merge_rows_puts_table_cells_first_in_the_rows_already_written() -> None:
    import pytest

    from desktop_app.core.export.fastrows import merge_rows

    # Rows 4-6 were written by openpyxl with only chart data (column E) or nothing; row 7
    # is past the chart data, so it is appended later by rows_xml, not merged.
    sheet = (b'<worksheet><sheetData><row r="3"><c r="A3"/></row>'
             b'<row r="4"><c r="E4" t="n"><v>1</v></c></row>'
             b'<row r="5" ht="30" customHeight="1" />'
             b'<row r="6"></row></sheetData></worksheet>')
    d = DeferredRows(sheet_index=1, start_row=4, first_col=1, columns=[["a", "b", "c", "d"], [1.5, math.nan, 2.0, 3.0]],
                     offset=0, style_ids=[None, 7], guard=TextGuard(), sheet_title="Coverage", headers=["x", "y"],
                     merge_until=6)
    merged = merge_rows(sheet, d)
    assert merged == (b'<worksheet><sheetData><row r="3"><c r="A3"/></row>'
                      b'<row r="4"><c r="A4" t="inlineStr"><is><t>a</t></is></c><c r="B4" s="7"><v>1.5</v></c>'
                      b'<c r="E4" t="n"><v>1</v></c></row>'
                      b'<row r="5" ht="30" customHeight="1"><c r="A5" t="inlineStr"><is><t>b</t></is></c></row>'
                      b'<row r="6"><c r="A6" t="inlineStr"><is><t>c</t></is></c><c r="B6" s="7"><v>2.0</v></c></row>'
                      b'</sheetData></worksheet>')
    assert b"".join(rows_xml(d)) == b'<row r="7"><c r="A7" t="inlineStr"><is><t>d</t></is></c><c r="B7" s="7"><v>3.0</v></c></row>'
    # Every row of the merged range must exist in the saved sheet.
    with pytest.raises(RuntimeError, match="were not written"):
        merge_rows(sheet.replace(b'<row r="6"></row>', b""), d)
