"""Raw cell values of a workbook, for showing the offending rows of an invalid workbook.

When a workbook has errors the reader returns no typed tables, yet the user still needs
to see row 12 of Areas to fix it. This reads every sheet as text exactly as entered
(header on the first non-empty row), so finding rows map straight onto table rows.
Qt-free; run it in the loading worker, not on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Do not load more than this many rows per sheet for display (a bad 100k-row matrix).
MAX_ROWS = 20_000


def read_raw_sheets(path: Path) -> dict[str, tuple[pd.DataFrame, list[int]]]:
    """Sheet name -> (DataFrame of cell text, Excel row number of each row).

    Returns an empty dict when the file cannot be read at all; the reader has already
    reported why, so this never raises.
    """
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - display aid only; the reader reports the real problem
        return {}
    out: dict[str, tuple[pd.DataFrame, list[int]]] = {}
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)
        except Exception:  # noqa: BLE001
            continue
        header_at = next((i for i, r in enumerate(rows) if any(str(v).strip() for v in r)), None)
        if header_at is None:
            continue
        header = [str(v).strip() or f"(column {j + 1})" for j, v in enumerate(rows[header_at])]
        body = rows[header_at + 1 :]
        width = len(header)
        records = [[_text(v) for v in (list(r) + [""] * width)[:width]] for r in body]
        excel_rows = [header_at + 2 + i for i in range(len(records))]
        keep = [i for i, r in enumerate(records) if any(r)]
        frame = pd.DataFrame([records[i] for i in keep], columns=_unique(header))
        out[name.strip()] = (frame, [excel_rows[i] for i in keep])
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out
