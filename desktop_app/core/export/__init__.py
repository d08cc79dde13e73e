"""The consultation summary workbook (docs/summary-workbook.md, issue 5).

``write_summary(run, path)`` writes it atomically; ``build_summary_bytes(run)`` returns
the same workbook as bytes (for tests and the desktop app's preview). The parts:

- :mod:`.workbook`: sheet order, document properties, bytes and atomic write;
- :mod:`.summary_sheet`: the printable one-page brief;
- :mod:`.tables`: the data sheets as Excel Tables;
- :mod:`.charts`: native Excel charts and their data blocks;
- :mod:`.styles`: formats, colours, conditional formats and print set-up;
- :mod:`.safe_text`: input text always written as literal text, illegal characters removed;
- :mod:`.grid`: streams blocks of cells into openpyxl's write-only sheets.
"""

from desktop_app.core.export.workbook import (
    SHEET_ORDER,
    build_summary_bytes,
    sheet_names,
    write_summary,
)

__all__ = ["SHEET_ORDER", "build_summary_bytes", "sheet_names", "write_summary"]
