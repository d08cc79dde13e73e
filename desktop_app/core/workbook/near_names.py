"""Headings and sheet names that look like a misspelling of one the tool reads.

Extra columns and sheets are allowed (an analyst's own notes, look-up lists), so the
reader keeps them and says nothing. But an optional one misspelt is dropped with its
meaning: ``day`` for ``days`` put a Friday-and-Saturday crew on every night, ``busy
fraction`` (a space) gave every row the default, ``Criteria Groups`` lost the value
tree. A heading or sheet the tool does not read, close to one it would read but does
not find, gets a warning naming both (docs/workbook-format.md#what-validate-checks).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

#: How alike two names must be (difflib's ratio on the names without case, spaces,
#: underscores or hyphens): "day" and "days" are 0.86, "incident" and "incidents" 0.94.
CUTOFF = 0.8


def loose(name: str) -> str:
    """A name as compared here: lower case, without spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", str(name).lower())


def near_name(text: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``text`` most looks like a misspelling of, or None.

    Alike when equal once case, spaces, underscores and hyphens are ignored, when
    difflib rates them :data:`CUTOFF` or more, or when one starts with the other and
    the shorter has five or more letters (``mobilisation`` for ``mobilisation_minutes``).
    """
    key = loose(text)
    if not key:
        return None
    by_key = {loose(c): c for c in candidates}
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=CUTOFF)
    if close:
        return by_key[close[0]]
    for k, c in by_key.items():
        short, long_ = sorted((key, k), key=len)
        if len(short) >= 5 and long_.startswith(short):
            return c
    return None
