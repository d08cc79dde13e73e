"""The force workbook's own ``notes`` columns, for the summary's Options, Assumptions, Weights,
Deployments and ParameterSensitivity sheets and page 1's scenario lines: the cost build-ups and sources the analyst wrote beside the figures;
and which Deployments cells were left blank (so took a default).

The reader keeps only what the tool computes with (defaults already applied), so these
are read here, straight from the input workbook, and only when the file is still the
one appraised (same SHA-256): a summary never pairs a figure with a note from a
different version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

#: Sheet -> the column that names each row (None: keyed by Excel row number).
KEYS: dict[str, str | None] = {
    "Parameters": "parameter",
    "Options": "option_id",
    "Criteria": "criterion_id",
    "Sites": "site_id",
    "Deployments": None,
    "Scenarios": "scenario",
    "Uncertainty": "parameter",
}


#: Deployments columns whose blank cells take a default: ``{sheet + ":blank": {excel_row: {column, ...}}}``.
BLANKABLE = ("busy_fraction", "mobilisation_minutes")


def read_notes(source: Any, sha256: str | None) -> dict[str, dict[Any, Any]]:
    """``{sheet: {key: note}}`` for every non-blank ``notes`` cell, and under
    ``"Deployments:blank"`` each Deployments row's blank :data:`BLANKABLE` cells;
    ``{}`` when the file is unreadable or no longer the one appraised."""
    try:
        path = Path(source)
        data = path.read_bytes()
    except (TypeError, OSError):
        return {}
    if sha256 and hashlib.sha256(data).hexdigest() != str(sha256):
        return {}
    import io

    import python_calamine as pc

    out: dict[str, dict[Any, str]] = {}
    try:
        # calamine opens only the sheets asked for (openpyxl's read-only mode sizes every
        # sheet on opening: 7 s for a 35,672-row Areas sheet nobody needs here).
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # noqa: BLE001 - notes are optional; the appraisal already read the file
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {}
    try:
        names = {n.strip().lower(): n for n in wb.sheet_names}
        for sheet, key in KEYS.items():
            real = names.get(sheet.lower())
            if real is None:
                continue
            # Rows from A1 (no leading blank rows skipped), so row i is Excel row i + 1.
            rows = iter([[_value(v) for v in row] for row in wb.get_sheet_by_name(real).to_python(skip_empty_area=False)])
            header = [str(h).strip().lower() if h is not None else "" for h in next(rows, [])]
            if key is not None and key not in header:
                continue
            n_col = header.index("notes") if "notes" in header else None
            k_col = header.index(key) if key is not None else None
            blank_cols = [(c, header.index(c)) for c in BLANKABLE if c in header] if key is None else []
            found: dict[Any, str] = {}
            blanks: dict[int, set[str]] = {}
            for excel_row, row in enumerate(rows, start=2):
                if key is None:
                    blanks[excel_row] = {c for c, j in blank_cols if j >= len(row) or row[j] is None or not str(row[j]).strip()}
                    blanks[excel_row] |= {c for c in BLANKABLE if c not in header}
                note = row[n_col] if n_col is not None and n_col < len(row) else None
                if note is None or not str(note).strip():
                    continue
                k = excel_row if k_col is None else (str(row[k_col]).strip() if k_col < len(row) and row[k_col] is not None else None)
                if k is not None:  # a scenario's rows (one per override): its notes joined in order
                    text = str(note).strip()
                    found[k] = f"{found[k]}; {text}" if k in found and text not in found[k] else found.get(k, text)
            out[sheet] = found
            if key is None:
                out[f"{sheet}:blank"] = blanks  # type: ignore[assignment]
    except BaseException as exc:  # noqa: BLE001 - calamine's errors (a panic too): notes are optional
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {}
    return out


def _value(cell: object) -> object:
    """A calamine cell as openpyxl gives it: None for an empty cell, 3 for the number 3.0."""
    if isinstance(cell, str) and cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell
