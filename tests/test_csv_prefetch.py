"""The travel-times CSV parsed on a second thread gives exactly what a parse on the reader's thread gives."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.workbook import csv_prefetch
from desktop_app.core.workbook.csv_prefetch import MISS, CsvPrefetch
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.reader import read_workbook


def _workbook_with_a_bad_csv(tmp_path: Path) -> Path:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    # line 3 has four fields; line 4 a blank site; line 5 an unknown site; line 6 minutes -1
    lines = ["site_id,area_id,minutes", "S1,A1,11", "S1,A2,12,9", ",A3,13", "S9,A4,14", "S2,A1,-1"]
    (tmp_path / "tt.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return make_workbook(tmp_path, sheets)


def test_findings_and_order_match_a_parse_on_the_readers_thread(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook_with_a_bad_csv(tmp_path)
    threads: list[str] = []
    real = csv_prefetch.read_travel_csv

    def spy(*args: object) -> object:
        threads.append(threading.current_thread().name)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_prefetch, "read_travel_csv", spy)
    with_prefetch = read_workbook(path).findings
    assert threads == ["travel-times CSV"]  # parsed once, on the second thread
    monkeypatch.setattr(CsvPrefetch, "on_sheet", lambda self, name, raw: None)
    without = read_workbook(path).findings
    assert with_prefetch == without
    lines = sorted((f.row, f.column) for f in with_prefetch if f.sheet == "tt.csv")
    # the four bad lines, each named by line and column (line 3 has no column: the whole line)
    assert (3, None) in lines and (4, "site_id") in lines and (5, "site_id") in lines and (6, "minutes") in lines


def test_the_travel_times_are_those_of_a_plain_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    (tmp_path / "tt.csv").write_text("site_id,area_id,minutes\nS3,A4,9.5\nS3,A2,7\n", encoding="utf-8")
    path = make_workbook(tmp_path, sheets)
    a = read_workbook(path).inputs
    monkeypatch.setattr(CsvPrefetch, "on_sheet", lambda self, name, raw: None)
    b = read_workbook(path).inputs
    assert a is not None and b is not None
    assert a.travel_minutes[2, 3] == pytest.approx(9.5) and a.travel_minutes[2, 1] == pytest.approx(7.0)
    assert np.array_equal(a.travel_minutes, b.travel_minutes, equal_nan=True)
    assert np.array_equal(a.estimated, b.estimated)


def test_another_file_is_a_miss_and_a_parse_error_is_raised_on_the_readers_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core.workbook.cells import read_raw_sheets

    path = _workbook_with_a_bad_csv(tmp_path)
    prefetch = CsvPrefetch(path)
    raws = read_raw_sheets(path, on_sheet=prefetch.on_sheet)
    assert "Parameters" in raws
    csv = (tmp_path / "tt.csv").resolve()
    # asked for a different name or row: not this parse, the reader parses itself
    assert prefetch.take(csv, "other.csv", None, Findings()) is MISS
    sink = Findings()
    got = prefetch.take(csv, "tt.csv", prefetch._key[2] if prefetch._key else None, sink)
    assert got is not MISS and any(f.sheet == "tt.csv" for f in sink.finish())
    assert prefetch.take(csv, "tt.csv", None, Findings()) is MISS  # handed over once

    def boom(*_args: object) -> object:
        raise MemoryError

    monkeypatch.setattr(csv_prefetch, "read_travel_csv", boom)
    failing = CsvPrefetch(path)
    read_raw_sheets(path, on_sheet=failing.on_sheet)
    assert failing._key is not None
    with pytest.raises(MemoryError):
        failing.take(*failing._key, Findings())
