"""The collector pause used by the reader and the export always leaves gc as it found it."""

from __future__ import annotations

import gc

import pytest

from desktop_app.core._io.gcpause import gc_paused


def test_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner pause must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reader_and_export_leave_gc_enabled(sample_path, tmp_path) -> None:
    from desktop_app.core.export import write_summary
    from desktop_app.core.pipeline import run_appraisal
    from desktop_app.core.workbook.reader import read_workbook

    read = read_workbook(sample_path)
    assert gc.isenabled() and read.inputs is not None
    write_summary(run_appraisal(read.inputs, read.findings, samples=200), tmp_path / "s.xlsx")
    assert gc.isenabled()
