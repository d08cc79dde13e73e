"""What a cell means: its text, the number a text cell unambiguously holds, unusable floats.

Used by :class:`~desktop_app.core.workbook.cell_rules.Table` and by every reader that
reads a cell outside it (parameters, scenarios, the travel-times CSV).
"""

from __future__ import annotations

import datetime as _dt
import math
import re

import numpy as np

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def unusable(arr: np.ndarray) -> np.ndarray:
    """Where a float array holds what is never a number: NaN, infinities, and subnormals.

    A subnormal (``1e-320``) is finite but below the smallest normal float: dividing by it
    overflows and arithmetic on it loses precision, and no measured figure is that small.
    """
    with np.errstate(invalid="ignore"):
        tiny = (arr != 0) & (np.abs(arr) < np.finfo(np.float64).tiny)
    return ~np.isfinite(arr) | tiny


def non_finite_name(value: float) -> str:
    """What a cell holding a value :func:`unusable` flags is said to hold, in a finding."""
    if math.isnan(value):
        return "holds NaN, which is not a number"
    if math.isinf(value):
        return f"holds {'minus ' if value < 0 else ''}infinity, which is not a number"
    return f"holds {value:g}, too close to zero to be a real figure"


def parse_number_text(text: str) -> float | None:
    """The number an unambiguous text cell means, or None (``"1,200"`` -> 1200, ``"30%"`` -> 0.3)."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    if s.startswith("£"):
        s = s[1:]
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    elif not _PLAIN.match(s):
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value / 100 if percent else value


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, booleans as TRUE/FALSE, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(value).strip()
