"""``armed-options validate WORKBOOK``: print every finding, then a one-line summary.

Exit status (docs/command-line.md#exit-statuses): 0 when there are no errors (warnings are
fine), 1 when the workbook has errors, 2 when the file cannot be read at all
(one line on stderr naming the file and why, raised as UnreadableFileError and
printed by :func:`desktop_app.cli.main`).
"""

from __future__ import annotations

import argparse
import sys

from desktop_app.core.model import ReadResult
from desktop_app.core.workbook.reader import read_workbook


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(result: ReadResult) -> str:
    """``2 errors, 3 warnings; 1,520 travel-time pairs estimated``."""
    text = f"{_plural(len(result.errors), 'error')}, {_plural(len(result.warnings), 'warning')}"
    if result.inputs is not None:
        n = result.inputs.estimated_pairs
        text += f"; {n:,} travel-time pair{'' if n == 1 else 's'} estimated"
    return text


def refuse_invalid(workbook: object, result: ReadResult) -> int:
    """Every error on its own line on stderr, then the one wording every command uses; returns 1."""
    for finding in result.errors:
        sys.stderr.write(finding.one_line() + "\n")
    sys.stderr.write(f"{workbook}: {summary_line(result)}; fix the errors and run again\n")
    return 1


def run(args: argparse.Namespace) -> int:
    """Read the workbook, print each finding on its own line, return 0 or 1."""
    result = read_workbook(args.workbook)
    out = sys.stdout
    for finding in result.findings:
        out.write(finding.one_line() + "\n")
    out.write(f"{args.workbook}: {summary_line(result)}\n")
    return 1 if result.errors else 0
