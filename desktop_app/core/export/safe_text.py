"""Text that came from the input is written as literal text, never as a formula.

openpyxl decides a cell's type from its value: a string starting with ``=`` becomes a
formula. An area called ``=HYPERLINK("http://x","y")`` or an option called
``+cmd|' /C calc'!A0`` must reach the reader of the summary exactly as typed, so every
string cell the export writes is built here with ``data_type = "s"`` set explicitly
(written as an inline string: there is no formula element for Excel to evaluate).

Excel also refuses some control characters outright (the file will not open), so they
are removed, and each distinct piece of text that lost characters is reported once as
a warning on the Validation sheet: the reader is told the summary differs from the
input, and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from desktop_app.core.model import Finding

#: Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32_767

# Characters XML 1.0 cannot carry at all (lone surrogates, U+FFFE/U+FFFF): the file would
# not save or would not open, so they go the same way as the control characters.
_XML_INVALID_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")


# Anything :meth:`TextGuard.clean` would change: an illegal character or a carriage return.
_NEEDS_CLEANING_RE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|{_XML_INVALID_RE.pattern}|\r")


def strip_illegal(text: str) -> str:
    """``text`` without the characters Excel or XML cannot store (pure function)."""
    return _XML_INVALID_RE.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))


def normalise_newlines(text: str) -> str:
    """CR and CRLF as LF: an XML reader turns a raw CR into LF anyway, so say so up front."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _visible(text: str, limit: int = 40) -> str:
    """A short, printable rendering of ``text`` for a warning message."""
    shown = text.encode("unicode_escape", errors="backslashreplace").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass
class TextGuard:
    """Cleans every string on its way into the workbook and remembers what it changed.

    One guard per export: ``findings`` ends up on the Validation sheet. The same input
    text usually appears on several sheets (an option name is on most of them), so it is
    reported once, at the first cell it was written to.
    """

    findings: list[Finding] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)

    def clean(self, text: object, sheet: str = "", row: int | None = None, column: str | None = None) -> str:
        """Return ``text`` as a string Excel will store literally, recording any change."""
        raw = "" if text is None else str(text)
        cached = self._seen.get(raw)
        if cached is not None:
            return cached
        cleaned = strip_illegal(raw)
        removed = len(raw) - len(cleaned)
        cleaned = normalise_newlines(cleaned)
        truncated = len(cleaned) > MAX_CELL_CHARS
        if truncated:
            cleaned = cleaned[:MAX_CELL_CHARS]
        if removed or truncated:
            what = []
            if removed:
                what.append(f"removed {removed} control character{'s' if removed != 1 else ''} Excel cannot store")
            if truncated:
                what.append(f"cut to Excel's limit of {MAX_CELL_CHARS:,} characters")
            self.findings.append(
                Finding(
                    "warning",
                    sheet,
                    row,
                    column,
                    f"summary workbook: {' and '.join(what)} from the text \"{_visible(raw)}\"; "
                    "every copy of it in this workbook is cleaned the same way",
                )
            )
        self._seen[raw] = cleaned
        return cleaned

    def unchanged(self, texts: list[str]) -> bool:
        """True when :meth:`clean` would return every one of ``texts`` as it is, reporting nothing.

        One regular-expression search over the joined strings instead of a call per string:
        the national Coverage sheet has 140,000 text cells. When this is False, clean them
        one by one.
        """
        if not texts:
            return True
        if max(map(len, texts)) > MAX_CELL_CHARS:
            return False
        return _NEEDS_CLEANING_RE.search("\n".join(texts)) is None

    def cell(self, ws: object, text: object, *, sheet: str = "", row: int | None = None, column: str | None = None) -> WriteOnlyCell:
        """A write-only string cell holding ``text`` literally (``data_type == "s"``)."""
        c = WriteOnlyCell(ws)
        c._value = self.clean(text, sheet, row, column)  # bypass type sniffing: never a formula
        c.data_type = "s"
        return c


def header_footer_text(text: str) -> str:
    """Escape ``&`` for an Excel print header or footer (``&`` starts a field code there)."""
    return strip_illegal(text).replace("&", "&&")
