"""Headings and sheet names that look like a misspelling of one the tool reads.

Extra columns and sheets are allowed (an analyst's own notes, look-up lists), so the
reader keeps them and says nothing. But an optional one misspelt is dropped with its
meaning: ``day`` for ``days`` put a Friday-and-Saturday crew on every night, ``busy
fraction`` (a space) gave every row the default, ``Criteria Groups`` lost the value
tree. A heading or sheet the tool does not read, close to one it would read but does
not find, gets a warning naming both (docs/workbook-format.md#what-validate-checks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Free-text columns: one misspelt loses no figure, so it is not worth a warning (``note``,
#: ``notes_2`` and ``description2`` are an analyst's own columns as often as not).
FREE_TEXT = frozenset({"notes", "description"})

#: Other words analysts use for a heading or sheet the tool reads, too unlike its name for
#: the spelling rule below: ``weekdays`` is four letters from ``days``, ``busy_pct`` is a
#: percentage heading over a fraction, ``Drive times`` is the usual name for a travel-time
#: matrix. Keys are compared as :func:`loose` makes them.
ALIASES: dict[str, tuple[str, ...]] = {
    "weekdays": ("days", "weekday"), "dayofweek": ("weekday", "days"), "daysofweek": ("days",),
    "dow": ("weekday",), "busypct": ("busy_fraction",), "busypercent": ("busy_fraction",),
    "busy%": ("busy_fraction",), "busyshare": ("busy_fraction",), "utilisation": ("busy_fraction",),
    "utilization": ("busy_fraction",), "mobilisationtime": ("mobilisation_minutes",),
    "mobilizationminutes": ("mobilisation_minutes",), "turnoutminutes": ("mobilisation_minutes",),
    "lowscore": ("low",), "scorelow": ("low",), "highscore": ("high",), "scorehigh": ("high",),
    "drivetimes": ("TravelTimes",), "drivetime": ("TravelTimes",), "traveltime": ("TravelTimes",),
    "responseminutes": ("first_armed_minutes",), "firstarmedtime": ("first_armed_minutes",),
}


def loose(name: str) -> str:
    """A name as compared here: lower case, without spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", str(name).lower())


def edits(a: str, b: str) -> int:
    """Levenshtein distance: the fewest one-letter insertions, deletions or changes from a to b."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def near_name(text: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``text`` most looks like a misspelling of, or None.

    Alike when equal once case, spaces, underscores and hyphens are ignored (``busy
    fraction``, ``Criteria Groups``); when a fifth of the longer name's letters or fewer
    differ, one at least (``day`` for ``days``, ``Incident``, ``first_armed_mins``); or
    when ``text`` begins the candidate and is most of it (``mobilisation`` for
    ``mobilisation_minutes``). A candidate that merely begins ``text`` is not enough:
    ``Scenario notes``, ``Travel notes``, ``worst_case`` and ``group_id`` are an analyst's
    own, and difflib's ratio had called them misspellings. A word in :data:`ALIASES`
    (``weekdays``, ``busy_pct``, ``Drive times``) points to its heading directly.
    """
    key = loose(text)
    if not key:
        return None
    candidates = list(candidates)
    for alias in ALIASES.get(key, ()):
        if alias in candidates:
            return alias
    best: tuple[int, str] | None = None
    for c in candidates:
        if c in FREE_TEXT:
            continue
        k = loose(c)
        if k == key:
            return c
        d = edits(key, k)
        if d <= max(1, max(len(key), len(k)) // 5) and (best is None or d < best[0]):
            best = (d, c)
        elif k.startswith(key) and len(key) >= 0.6 * len(k) and best is None:
            best = (len(k) - len(key), c)
    return best[1] if best else None
