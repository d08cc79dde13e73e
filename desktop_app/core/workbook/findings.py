"""Collect the reader's findings and word them: what a cell holds, what was expected.

Every finding the reader files passes through :class:`Findings`, which keeps them in
discovery order, caps repeats of one rule and cuts quoted input to an excerpt; the
wording helpers (:func:`expected_text`, :func:`describe`, :func:`fmt`) say the same
thing the same way on every sheet.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence

from desktop_app.core.model import Finding, Level
from desktop_app.core.workbook.schema import Column, Kind

#: Row-level findings of one kind (same sheet, column and rule) reported individually
#: before the rest are summarised in one line, so a wholly wrong column stays readable.
FINDINGS_PER_RULE = 25


class Findings:
    """Collects findings in discovery order, capping repeats of one rule."""

    def __init__(self, cap: int = FINDINGS_PER_RULE) -> None:
        self.items: list[Finding] = []
        self._cap = cap
        self._counts: dict[tuple[Level, str, str | None, str], int] = {}
        self._first_overflow: dict[tuple[Level, str, str | None, str], int] = {}

    def add(
        self,
        level: Level,
        sheet: str,
        row: int | None,
        column: str | None,
        message: str,
        rule: str | None = None,
    ) -> None:
        """Record a finding; ``rule`` names a repeatable row-level check for capping."""
        if rule is not None:
            key = (level, sheet, column, rule)
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            if n > self._cap:
                self._first_overflow.setdefault(key, len(self.items))
                return
        self.items.append(Finding(level, excerpt(sheet), row, column and excerpt(column), short_quotes(message)))

    def count_more(self, level: Level, sheet: str, column: str | None, rule: str, n: int) -> None:
        """Count ``n`` more findings of a capped rule without building them.

        For millions of bad rows (a CSV of repeated pairs): the caller files the first
        ``cap + 1`` findings (so the summary line sits where the overflow began) and
        counts the rest here, holding nothing per row.
        """
        if n > 0:
            key = (level, sheet, column, rule)
            self._counts[key] = self._counts.get(key, 0) + n
            self._first_overflow.setdefault(key, len(self.items))

    def error(self, sheet: str, row: int | None, column: str | None, message: str, rule: str | None = None) -> None:
        self.add("error", sheet, row, column, message, rule)

    def warning(self, sheet: str, row: int | None, column: str | None, message: str, rule: str | None = None) -> None:
        self.add("warning", sheet, row, column, message, rule)

    @property
    def has_errors(self) -> bool:
        return any(f.level == "error" for f in self.items) or any(
            k[0] == "error" for k in self._first_overflow
        )

    def finish(self) -> list[Finding]:
        """All findings, with one summary line after each capped rule."""
        out = list(self.items)
        # Insert summaries from the back so earlier positions stay valid.
        for key, pos in sorted(self._first_overflow.items(), key=lambda kv: -kv[1]):
            level, sheet, column, rule = key
            more = self._counts[key] - self._cap
            where = f" in column {column}" if column else ""
            msg = f"{more:,} more rows{where} have the same problem ({rule}); only the first {self._cap} are listed"
            out.insert(pos, Finding(level, sheet, None, column, msg))
        return out


def expected_text(col: Column) -> str:
    """Plain-English description of what a column's cells should hold."""
    unit = f" of {col.unit}" if col.unit and col.unit not in ("GBP",) else ""
    if col.kind is Kind.INTEGER:
        what = f"a whole number{unit}"
    elif col.kind is Kind.NUMBER:
        what = f"a number{unit}" if col.unit != "GBP" else "an amount in pounds"
    elif col.kind is Kind.BOOLEAN:
        what = "TRUE or FALSE"
    elif col.kind is Kind.CODE:
        codes = col.codes if len(col.codes) <= 20 else col.codes[:20] + ("...",)
        what = "one of " + ", ".join(codes)
    else:
        what = "text"
    bounds = []
    if col.minimum is not None:
        bounds.append(f"more than {fmt(col.minimum)}" if col.exclusive_minimum else f"at least {fmt(col.minimum)}")
    if col.maximum is not None:
        bounds.append(f"at most {fmt(col.maximum)}")
    return what + (" " + " and ".join(bounds) if bounds else "")


def fmt(x: float) -> str:
    """A number for a message: thousands separated, no needless decimals (1,400,000; 0.35)."""
    if math.isfinite(x) and float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.2f}"


def describe(value: object) -> str:
    """How a cell's content is shown in a message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, _dt.time | _dt.timedelta):
        return f"the time {value}"
    return repr(excerpt(str(value), 40))


#: A quoted span of input in a finding ('like this'), longer than an excerpt.
_LONG_QUOTE = re.compile(r"(?<!\w)'([^']{61,}?)'(?!\w)")  # not an apostrophe inside a word (workbook's)
#: Longest finding message: a sentence or two, whatever the input held.
MAX_MESSAGE = 1000


def short_quotes(message: str) -> str:
    """A finding's message folded to one line, each quoted span of input cut to an excerpt.

    The one place every finding passes (:meth:`Findings.add`), so a sheet or file added
    later inherits it: a 30,000-character cell, or a megabyte of padding, is never echoed.
    """
    text = _LONG_QUOTE.sub(lambda m: f"'{excerpt(m.group(1))}'", " ".join(message.split()))
    return excerpt(text, MAX_MESSAGE)


def excerpt(text: str, limit: int = 60) -> str:
    """At most ``limit`` characters of input text, for quoting in a message.

    Findings quote input, and input can be a megabyte of NULs or padding: a message
    quotes only this much (the command line escapes control characters when printing).
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def knock_on_message(count: int, rows_are: str, what: str, sheet: str) -> str:
    """One finding for many rows that fail only because ``sheet`` is missing or empty:
    "26 deployments name sites that are not in the Sites sheet, because the Sites sheet
    is missing or has no rows", in place of one copy per row."""
    return (f"{count:,} {rows_are} name {what}s that are not in the {sheet} sheet, because the {sheet} sheet is "
            f"missing or has no rows; add the {sheet} sheet (this is the first of them)")


def report_unknown_areas(sink: Findings, sheet: str, rows: Sequence[int], unknown: Sequence[int],
                         names: Sequence[object], rows_are: str, areas_exist: bool) -> None:
    """Each row ``unknown`` (indices into ``rows`` and ``names``) names an area the Areas
    sheet lacks: one error a row, or, with no Areas at all, one grouped finding at the
    first (:func:`knock_on_message`): a deleted Areas sheet had given 55 errors."""
    if not unknown:
        return
    if not areas_exist:
        sink.error(sheet, rows[unknown[0]], "area_id", knock_on_message(len(unknown), rows_are, "area", "Areas"),
                   "areas sheet missing")
        return
    for k in unknown:
        sink.error(sheet, rows[k], "area_id",
                   f"area '{names[k]}' is not in the Areas sheet; expected an area_id listed there", "unknown area")
