"""The extent scan's largest row reference (the memory-bomb guard before calamine)."""

from __future__ import annotations

import random
import re

from desktop_app.core.workbook.sheet_xml import _above, _largest_row_ref

ROWS = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="B5"/></row>'


def _plain(data: bytes, claimed: int) -> int:
    """The obvious version: every reference's number, the largest (at least ``claimed``)."""
    return max([claimed, *(int(x) for x in re.findall(rb'\br="[A-Z]{0,3}([0-9]+)"', data))])


def test_a_far_cell_behind_a_small_row_is_found() -> None:
    # The last <row> says 5; a cell in it names row 1,048,577 (one past Excel's last row),
    # with and without a leading zero: both are that row to int() and to a lax reader.
    assert _largest_row_ref(ROWS + b'<c r="A1048577"/>', 5) == 1_048_577
    assert _largest_row_ref(ROWS + b'<c r="A01048577"/>', 5) == 1_048_577
    # "xr=" is another attribute, not a reference; refs at or below 5 change nothing
    assert _largest_row_ref(ROWS + b'<c xr="A9999999"/>', 5) == 5
    assert _largest_row_ref(ROWS + b'<c r="XFD5"/><c r="A4"/>', 5) == 5
    # the digit-by-digit pattern for "above 35,673": 35674 and 100000 yes, 35673 and 9999 no
    assert [x for x in (b"9999", b"35673", b"35674", b"36000", b"99999", b"100000")
            if re.fullmatch(_above(35_673), x)] == [b"35674", b"36000", b"99999", b"100000"]


def test_it_agrees_with_the_obvious_scan_on_random_references() -> None:
    rng = random.Random(7)
    for _ in range(5000):
        claimed = rng.choice([rng.randint(1, 2_000_000), rng.randint(1, 120), 9, 99, 999_999, 1_000_000])
        parts = []
        for _ in range(6):
            n = rng.randint(1, 3_000_000) if rng.random() < 0.5 else rng.randint(1, 200)
            prefix = rng.choice([b"", b"A", b"XF", b"x", b"_", b"ABCD"])
            parts.append(rng.choice([b'<c r="', b'<c xr="', b' r="', b'r="']) + prefix + str(n).encode() + b'"/>')
        data = b"".join(parts)
        assert _largest_row_ref(data, claimed) == _plain(data, claimed), (data, claimed)
