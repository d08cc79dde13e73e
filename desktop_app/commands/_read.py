"""Reading the workbook the way every analysis command does: errors to stderr, then exit 1."""

from __future__ import annotations

import sys

from desktop_app.core.model import ForceInputs
from desktop_app.core.workbook.reader import read_workbook


def read_or_report(workbook: str) -> ForceInputs | None:
    """The validated inputs, or None after writing each error finding and a summary line to stderr."""
    result = read_workbook(workbook)
    if result.errors or result.inputs is None:
        for finding in result.errors:
            sys.stderr.write(finding.one_line() + "\n")
        sys.stderr.write(f"armed-options: {workbook} has {len(result.errors)} error(s); fix them and try again\n")
        return None
    return result.inputs
