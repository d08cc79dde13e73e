"""Dates as people write them: "2 December 2026, 14:05" (issue 16).

Files keep the ISO 8601 stamp (sortable, unambiguous across locales) for machines; what
a person reads (the crash-recovery prompt, the session file's ``saved`` line) is this.
The day-month-year order and 24-hour clock follow the GOV.UK style guide ("Dates").
"""

from __future__ import annotations

from datetime import datetime

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def human_date(stamp: str) -> str:
    """``2026-12-02T14:05:09+0000`` -> ``2 December 2026, 14:05``; anything unreadable as it is."""
    text = (stamp or "").strip()
    try:
        when = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return text
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when.hour:02d}:{when.minute:02d}"
