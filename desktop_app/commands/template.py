"""``armed-options template OUT.xlsx``: write the blank force workbook.

Exit status 0 when written; 2 when the target cannot be written (locked,
read-only, missing folder: one line naming the file, raised as OutputError and
printed by :func:`desktop_app.cli.main`), does not end in ``.xlsx``, or already
exists and ``--force`` was not given (a template written over a filled-in
workbook would lose the force's data).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.core.errors import UsageError
from desktop_app.core.workbook.template import write_template


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: the template must be saved as an Excel workbook ending in .xlsx")
    if out.exists() and not getattr(args, "force", False):
        raise UsageError(f"{out} already exists; choose another name, or add --force to replace it")
    write_template(out)
    sys.stdout.write(
        f"wrote {out}: fill in each sheet (see its Guide sheet), then check it with "
        f"armed-options validate {out}\n"
    )
    return 0
