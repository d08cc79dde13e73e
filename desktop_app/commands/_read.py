"""Reading the workbook the way every analysis command does: errors to stderr, then exit 1."""

from __future__ import annotations

from desktop_app.commands.validate import refuse_invalid
from desktop_app.core.model import ForceInputs
from desktop_app.core.workbook.reader import read_workbook


def read_or_report(workbook: str) -> ForceInputs | None:
    """The validated inputs, or None after every error and the one summary wording on stderr."""
    result = read_workbook(workbook)
    if result.errors or result.inputs is None:
        refuse_invalid(workbook, result)
        return None
    return result.inputs
