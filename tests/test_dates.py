"""Dates as people write them (issue 16): the crash-recovery prompt and session files."""

from __future__ import annotations

from desktop_app.core.dates import human_date


def test_iso_stamps_read_as_people_write_them() -> None:
    assert human_date("2026-12-02T14:05:09+0000") == "2 December 2026, 14:05"
    assert human_date("2027-01-09T08:00:00+0100") == "9 January 2027, 08:00"  # local time kept, no leading zero day
    assert human_date("2026-06-30T23:59:00") == "30 June 2026, 23:59"  # no zone (isoformat)
    assert human_date("yesterday") == "yesterday"  # unreadable: as it is, never a traceback
    assert human_date("") == ""


def test_a_saved_session_carries_the_readable_date_beside_the_stamp(tmp_path) -> None:
    from desktop_app.core.session.document import Session

    doc = Session(workbook_path=str(tmp_path / "force.xlsx"), workbook_sha256="0" * 64,
                  saved_at="2026-12-02T14:05:09+0000")
    data = doc.to_json()
    assert data["saved_at"] == "2026-12-02T14:05:09+0000"
    assert data["saved"] == "2 December 2026, 14:05"
