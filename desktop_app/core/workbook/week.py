"""The week of 168 hours: day names, the Deployments ``days`` text and shift hours.

Hours are numbered h = 24 x day + hour through the week, day 0 = Monday
(docs/measures.md#the-week). Kept in the workbook layer because the reader
checks ``days`` and the Incidents ``weekday`` with the same words the coverage
engine turns into hours; :mod:`desktop_app.core.coverage.units` re-exports it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

HOURS_OF_DAY = 24
DAYS_OF_WEEK = 7
HOURS_OF_WEEK = HOURS_OF_DAY * DAYS_OF_WEEK

DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALL_DAYS: frozenset[int] = frozenset(range(DAYS_OF_WEEK))

#: Every spelling accepted for a day (lower case): short, full and the common 4-letter forms.
_DAY_WORDS: dict[str, int] = {}
for _i, (_s, _f) in enumerate(zip(DAY_SHORT, DAY_FULL, strict=True)):
    _DAY_WORDS[_s.lower()] = _i
    _DAY_WORDS[_f.lower()] = _i
_DAY_WORDS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})


def parse_weekday(text: object) -> int:
    """One day name (``Mon``, ``monday``, ``Thurs``...) as 0 = Monday .. 6 = Sunday.

    Raises ValueError naming what was expected, for the reader to report.
    """
    word = str(text).strip().lower().rstrip(".")
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    raise ValueError(f"'{str(text).strip()}' is not a day of the week; expected Mon, Tue, Wed, Thu, Fri, Sat or Sun (or the full name)")


def parse_days(text: object) -> frozenset[int]:
    """The days a shift starts on, from text such as ``Mon-Fri``, ``Fri,Sat`` or ``Sat-Mon``.

    Blank (or None) means every day. Items are separated by commas; an item is a
    day or a range ``A-B`` that runs forward through the week and wraps past
    Sunday (``Sat-Mon`` is Saturday, Sunday and Monday). Raises ValueError with
    a one-line explanation for anything else.
    """
    if text is None:
        return ALL_DAYS
    raw = str(text).strip()
    if not raw:
        return ALL_DAYS
    days: set[int] = set()
    for item in raw.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            raise ValueError(f"'{raw}' has an empty item between commas or semicolons; write days like Mon-Fri or Fri,Sat")
        parts = [p.strip() for p in item.replace("\u2013", "-").split("-")]
        if len(parts) > 2 or (len(parts) == 2 and not (parts[0] and parts[1])):
            raise ValueError(f"'{raw}' is not a list of days: '{item}' is not a day or a range of two days; "
                             "write days like Mon-Fri, Fri,Sat or Sat-Mon (blank means every day)")
        numbers = []
        for part in parts:  # name the part that is wrong, not only the whole cell
            try:
                numbers.append(parse_weekday(part))
            except ValueError:
                raise ValueError(f"'{raw}' is not a list of days: '{part}' is not a day of the week (Mon, Tue, Wed, "
                                 "Thu, Fri, Sat, Sun or the full name); write days like Mon-Fri, Fri,Sat or Sat-Mon "
                                 "(blank means every day)") from None
        if len(numbers) == 1:
            days.add(numbers[0])
            continue
        first, last = numbers
        if first == last:
            # Monday only, or the whole week from Monday round to Monday? Either reading
            # is a guess about officers' hours, so the analyst is asked (docs/workbook-format.md#hours-on-duty-the-week).
            raise ValueError(f"'{raw}' is not a list of days: '{item}' runs from a day to the same day, which could "
                             f"mean {DAY_FULL[first]} only or the whole week; write {DAY_SHORT[first]} for one day, "
                             "or leave days blank for every day")
        d = first
        days.add(d)
        while d != last:
            d = (d + 1) % DAYS_OF_WEEK
            days.add(d)
    return frozenset(days)


def _day_set(days: str | Iterable[int] | None) -> frozenset[int]:
    if days is None or isinstance(days, str):
        return parse_days(days)
    out = frozenset(int(d) for d in days)
    if any(d < 0 or d >= DAYS_OF_WEEK for d in out):
        raise ValueError(f"days must be 0 (Monday) to 6 (Sunday), not {sorted(out)}")
    return out


def shift_hours(start_hour: int, end_hour: int, days: str | Iterable[int] | None = None) -> np.ndarray:
    """The hours of the week (bool, shape (168,)) a shift is active.

    A shift starting on day D runs from ``start_hour`` of D; with start < end until
    ``end_hour`` of D; with start > end past midnight until ``end_hour`` of the next
    day (Sunday's runs into Monday); 0 to 24 is the whole of D. start == end is
    rejected by the reader; here it is never active so an ad-hoc row cannot crash
    the engine. ``days`` is text as in the workbook, or day numbers; blank is every day.
    """
    start, end = int(start_hour), int(end_hour)
    week = np.zeros(HOURS_OF_WEEK, dtype=bool)
    if start == end:
        return week
    length = end - start if start < end else HOURS_OF_DAY - start + end
    for d in _day_set(days):
        first = d * HOURS_OF_DAY + start
        idx = np.arange(first, first + length) % HOURS_OF_WEEK
        week[idx] = True
    return week


def hour_of_week(weekday: int, hour: int) -> int:
    """h = 24 x weekday + hour (weekday 0 = Monday)."""
    return int(weekday) * HOURS_OF_DAY + int(hour)


def week_label(h: int) -> str:
    """``Fri 22:00`` for hour 118, for charts and messages."""
    return f"{DAY_SHORT[h // HOURS_OF_DAY]} {h % HOURS_OF_DAY:02d}:00"
