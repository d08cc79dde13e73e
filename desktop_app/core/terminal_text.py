"""What reaches the terminal: text from input with its control characters made visible.

Area, option and file names come from workbooks made outside the force. Printed raw, an
ESC or BEL sequence in one could retitle the terminal, recolour it, hide lines or (on
some terminals) answer back as if typed. So every command's output passes through
:class:`EscapingStream`, installed once around stdout and stderr by
:func:`desktop_app.cli.main`: control characters (C0 except newline and tab, DEL, C1)
and the Unicode controls that reorder or hide text (bidirectional overrides, line
separators) are written as visible escapes such as ``\\x1b`` or ``\\u202e``.
(docs/reliability.md#guarantees). JSON on stdout is unaffected: ``json.dumps``
already escapes every control character.
"""

from __future__ import annotations

import re
from typing import TextIO

#: C0 controls except tab and newline, DEL, C1 controls, and the format characters that
#: reorder or hide text (Trojan Source, CVE-2021-42574): ALM, LRM/RLM, LRE..RLO, LRI..PDI,
#: line and paragraph separators, BOM/zero-width no-break space.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as a visible escape (newline and tab kept)."""
    return _CONTROLS.sub(_escape, text)


class EscapingStream:
    """A text stream that escapes control characters and never fails on an unencodable name.

    A console that cannot encode a character (a Welsh place name on cp1252) gets a
    replacement character rather than an exception.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        safe = escape_controls(text)
        try:
            self._stream.write(safe)
        except UnicodeEncodeError:
            enc = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(safe.encode(enc, errors="replace").decode(enc))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
