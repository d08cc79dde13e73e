"""Domain errors that map to the command line's exit statuses (docs/command-line.md#exit-statuses).

Every error the user can see is one line. ``ToolError.exit_status`` is what
the command line returns: 1 for an invalid workbook, 2 for an unreadable file,
bad usage or an output that cannot be written.
"""

from __future__ import annotations

from dataclasses import dataclass


class ToolError(Exception):
    """An error reported to the user as a single line, with an exit status."""

    exit_status: int = 2

    def one_line(self) -> str:
        """The message with any newlines folded, so it is always one line."""
        return " ".join(str(self).split())


class UnreadableFileError(ToolError):
    """The file is not a workbook we can open (missing, empty, .xls, encrypted, CSV...)."""

    exit_status = 2

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class InvalidWorkbookError(ToolError):
    """The workbook was read but has validation errors (exit status 1)."""

    exit_status = 1


class OutputError(ToolError):
    """An output file cannot be written (locked, read-only, disk full, same as input)."""

    exit_status = 2


class UsageError(ToolError):
    """Bad command-line usage."""

    exit_status = 2


class Cancelled(Exception):  # noqa: N818 - reads naturally at the call site
    """Raised inside a long computation when the caller's ``cancelled()`` returns True."""


@dataclass(frozen=True)
class CellRef:
    """Where a problem is: sheet, Excel row number (1-based, header is row 1) and column."""

    sheet: str
    row: int | None = None
    column: str | None = None
