"""Numbers as the reader sees them: rounded as Excel rounds, so text and cells agree.

A summary sentence and the cell beside it must show the same figure. Excel displays a
value by rounding its 15-significant-digit decimal half away from zero: 0.1125 under
the format ``0.0%`` shows 11.3%. Python's ``f"{0.1125:.1%}"`` rounds the binary value
(0.11249999...) and prints 11.2%. Every figure the paper puts into words goes through
here, and so does any difference of figures it also shows: "63% against 28%" is then
"a gap of 35 points", the gap of the figures printed, not of the unrounded shares
(docs/summary-workbook.md#figures-in-words).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def rounded(x: float, places: int) -> float:
    """``x`` rounded to ``places`` decimals as Excel displays it (half away from zero).

    NaN and infinity come back unchanged, for the caller to put into words.
    """
    if not math.isfinite(x):
        return x
    q = Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(q) + 0.0  # + 0.0 turns -0.0 into 0.0: "-0.0" is not a figure


def fixed(x: float, places: int = 1, sign: bool = False) -> str:
    """``x`` with ``places`` decimals, as Excel's ``0.0`` shows it; ``sign`` adds "+" to positives."""
    r = rounded(x, places)
    return f"{r:+.{places}f}" if sign else f"{r:.{places}f}"


def percent(share: float, places: int = 0) -> str:
    """A share (0.634) as a percentage ("63%"), as Excel's ``0%`` shows it."""
    return f"{_percent_value(share, places):.{places}f}%"


def _percent_value(share: float, places: int) -> float:
    """The percentage Excel shows for ``share``: 100 x the 15-digit decimal, then rounded."""
    if not math.isfinite(share):
        return share
    d = Decimal(f"{share:.15g}") * 100
    return float(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)) + 0.0


def percent_points(high: float, low: float) -> int:
    """The gap in whole percentage points between two shares as shown in whole percent."""
    return round(_percent_value(high, 0) - _percent_value(low, 0))


def points_words(high: float, low: float) -> str:
    """The gap as shown, in words: "1 percentage point", "34 percentage points"."""
    n = percent_points(high, low)
    return f"{n} percentage point{'' if abs(n) == 1 else 's'}"


def difference(a: float, b: float, places: int = 1) -> float:
    """``a - b`` as the difference of the two figures shown, so the words add up."""
    return rounded(rounded(a, places) - rounded(b, places), places)


def finite_or_none(x: object) -> float | None:
    """``x`` as a float when it is a finite number, else None (blank, text, NaN, infinity):
    NaN and infinity are never written as numbers, and None prints as a blank cell or NULL."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def possessive(name: str) -> str:
    """``name`` with its possessive ending, as a sentence writes it: "OPT3's", "the officers'".

    A name ending in s takes the apostrophe alone ("Arm rural response officers'", not
    "officers's"); the name itself is kept as given, capitals and all: it is a proper name.
    """
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` ("" for none), as a sentence lists things."""
    return "".join(items) if len(items) <= 1 else ", ".join(items[:-1]) + " and " + items[-1]
