"""The Qt table models: Qt's own model checks, formatting, sorting on raw values, filtering."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from PySide6.QtCore import Qt  # noqa: E402

from desktop_app.core.model import Finding  # noqa: E402
from desktop_app.ui.table_models import (  # noqa: E402
    EXCEL_ROW_ROLE,
    DataFrameModel,
    FilterProxy,
    FindingsModel,
    format_value,
)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_id": ["A1", "A2", "A3", "A4"],
            "population": np.array([12000, 9500, 1600, 0], dtype=np.int64),
            "minutes": [5.25, math.inf, math.nan, 61.0],
            "is_rural": [True, False, True, False],
            "district": ["North", "South", "north", "East"],
        }
    )


def test_dataframe_model_passes_qt_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(DataFrameModel(_frame()), force_py=True)


def test_empty_dataframe_model_passes_qt_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(DataFrameModel(pd.DataFrame()), force_py=True)


def test_findings_model_passes_qt_model_tester(qtmodeltester) -> None:
    findings = [
        Finding("warning", "Areas", 3, "rurality", "unknown code"),
        Finding("error", "Areas", 12, "population", "must be a whole number >= 0"),
        Finding("error", "Options", None, "baseline", "exactly one option must be the baseline"),
    ]
    qtmodeltester.check(FindingsModel(findings), force_py=True)


def test_filter_proxy_passes_qt_model_tester(qtmodeltester) -> None:
    proxy = FilterProxy()
    proxy.setSourceModel(DataFrameModel(_frame()))
    proxy.set_filter_text("north")
    qtmodeltester.check(proxy, force_py=True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12000, "12,000"),
        (np.int64(7), "7"),
        (20.0, "20"),
        (5.25, "5.25"),
        (0.035, "0.035"),
        (1234567.891, "1,234,568"),
        (math.nan, ""),
        (math.inf, "no cover"),
        (True, "TRUE"),
        (np.bool_(False), "FALSE"),
        (None, ""),
        ("E01000001", "E01000001"),
    ],
)
def test_format_value(value: object, text: str) -> None:
    assert format_value(value) == text


def test_sorting_uses_numbers_not_text() -> None:
    model = DataFrameModel(_frame())
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    # As text "12,000" < "9,500"; as numbers 0 < 1,600 < 9,500 < 12,000.
    assert shown == ["0", "1,600", "9,500", "12,000"]


def test_filter_matches_any_column_case_insensitively() -> None:
    proxy = FilterProxy()
    proxy.setSourceModel(DataFrameModel(_frame()))
    proxy.set_filter_text("NORTH")
    ids = sorted(proxy.index(r, 0).data() for r in range(proxy.rowCount()))
    assert ids == ["A1", "A3"]
    proxy.set_filter_text("")
    assert proxy.rowCount() == 4


def test_filter_text_is_literal_not_a_regular_expression() -> None:
    frame = pd.DataFrame({"name": ["a+b", "aab", "ab"]})
    proxy = FilterProxy()
    proxy.setSourceModel(DataFrameModel(frame))
    proxy.set_filter_text("a+b")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["a+b"]


def test_excel_rows_default_and_explicit() -> None:
    model = DataFrameModel(_frame())
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"
    assert model.row_for_excel_row(5) == 3
    assert model.row_for_excel_row(99) is None
    model.set_frame(_frame(), excel_rows=[4, 7, 9, 10])
    assert model.row_for_excel_row(9) == 2
    assert model.index(1, 0).data(EXCEL_ROW_ROLE) == 7


def test_numbers_are_right_aligned_and_text_left() -> None:
    model = DataFrameModel(_frame())
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) == left
    assert model.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole) == left  # booleans read as words


def test_findings_put_errors_first_keeping_reader_order() -> None:
    findings = [
        Finding("warning", "Areas", 3, "rurality", "w1"),
        Finding("error", "Options", 4, "baseline", "e1"),
        Finding("warning", "Sites", 2, None, "w2"),
        Finding("error", "Areas", 12, "population", "e2"),
    ]
    model = FindingsModel(findings)
    messages = [model.index(r, 4).data() for r in range(model.rowCount())]
    assert messages == ["e1", "e2", "w1", "w2"]
    assert model.index(0, 0).data() == "Error"
    assert model.index(2, 2).data() == "3"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "error: Options row 4 column baseline: e1"


def test_model_sort_keeps_blanks_last_and_updates_persistent_indexes(qtmodeltester) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = DataFrameModel(_frame())
    held = QPersistentModelIndex(model.index(0, 0))  # "A1", minutes 5.25
    model.sort(2, Qt.SortOrder.DescendingOrder)
    minutes = [model.index(r, 2).data() for r in range(4)]
    assert minutes == ["no cover", "61", "5.25", ""]
    assert held.row() == 2 and held.data() == "A1"
    # Excel row numbers travel with their rows.
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)] == ["3", "5", "2", "4"]
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 4).data() for r in range(4)] == ["East", "North", "north", "South"]
    qtmodeltester.check(model, force_py=True)


def test_sorting_a_large_table_does_no_per_row_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DataFrameModel sorts itself with numpy: the proxy's row-by-row lessThan is never called.

    Bounded work rather than a stopwatch (the time is in docs/perf/ui.md): a proxy comparing
    30,000 rows in Python would call lessThan about 30,000 x log2(30,000) = 450,000 times.
    """
    n = 30_000
    frame = pd.DataFrame({"site_id": [f"S{i % 97}" for i in range(n)], "minutes": np.linspace(60, 1, n)})
    proxy = FilterProxy()
    proxy.setSourceModel(DataFrameModel(frame))
    calls: list[int] = []
    real = FilterProxy.lessThan

    def counting(self: FilterProxy, left: object, right: object) -> bool:
        calls.append(1)
        return real(self, left, right)  # type: ignore[arg-type]

    monkeypatch.setattr(FilterProxy, "lessThan", counting)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 1).data() == "1"  # the smallest minutes first (linspace(60, 1) ends at 1)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data() == "S0"
    assert calls == []
