"""Write an optimiser result as a new option into a COPY of the force workbook.

The input workbook is never touched (docs/reliability.md#guarantees): it is loaded with
openpyxl, the new option's rows are appended in memory, and the copy is saved
atomically to a different path. What is added, so the copy validates and
appraises straight away:

- an Options row (not baseline; costs and implementation months 0, which the contract
  allows, and a description saying they still need entering, because the optimiser
  knows where posts go, not what they cost; ``validate`` warns on an option whose
  one-off and annual costs are both 0, so a free-looking option cannot pass unseen);
- the baseline's Deployments rows re-labelled with the new option_id, plus one row
  per chosen site (1 post, every hour of the week, crew 1 for an armed response
  officer or 2 for an ARV, busy fraction and mobilisation left blank
  so the asset type's defaults apply, as the optimiser assumed);
- no Judgements rows: judgement scores are the room's, so the new option is *awaiting
  scores* (measured, not ranked, and said so by ``validate``) until the workshop scores
  it. Copying the baseline's scores once ranked an option that arms response officers
  first, carrying the do-minimum's 95 on "routine policing remains unarmed"
  (docs/appraisal-method.md#awaiting-scores); the app's "Add as option" never copies
  them either;
- the files the workbook names (the travel-times CSV) copied beside a copy saved in
  another folder, so the copy still finds them under the folder rule.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.core._io.atomic import atomic_write, refuse_input_as_output
from desktop_app.core.added_option import POST_CREW, optimiser_option
from desktop_app.core.errors import OutputError, UnreadableFileError
from desktop_app.core.model import ForceInputs
from desktop_app.core.optimiser.milp import OptimiseResult
from desktop_app.core.workbook.schema import JUDGEMENT, normalise_header


def _sheet(wb: openpyxl.Workbook, name: str) -> Worksheet | None:
    for ws in wb.worksheets:
        if normalise_header(ws.title) == normalise_header(name):
            return ws
    return None


def _headers(ws: Worksheet) -> dict[str, int]:
    """Normalised header -> 1-based column number (first occurrence wins, as the reader does)."""
    out: dict[str, int] = {}
    for cell in ws[1]:
        key = normalise_header(cell.value)
        if key and key not in out:
            out[key] = cell.column
    return out


def _last_row(ws: Worksheet) -> int:
    """The last row holding any value (formatted blank rows at the end do not count)."""
    for r in range(ws.max_row, 1, -1):
        if any(c.value not in (None, "") for c in ws[r]):
            return r
    return 1


def _set(ws: Worksheet, row: int, col: int, value: object) -> None:
    """Write a value; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _rows_of(ws: Worksheet, col: int, key: str) -> Iterable[int]:
    """Data rows whose cell in ``col`` is ``key``."""
    for r in range(2, _last_row(ws) + 1):
        v = ws.cell(row=r, column=col).value
        if v is not None and str(v).strip() == key:
            yield r


def _copy_row(ws: Worksheet, src: int, dst: int, overrides: dict[int, object]) -> None:
    for cell in ws[src]:
        if cell.column in overrides:
            continue
        # Copied as it was: text stays text, a formula the analyst wrote stays a formula.
        target = ws.cell(row=dst, column=cell.column)
        target.value = cell.value
        target.data_type = cell.data_type
        if cell.has_style:
            ws.cell(row=dst, column=cell.column)._style = cell._style
    for col, value in overrides.items():
        _set(ws, dst, col, value)


def unique_option_id(existing: Iterable[str], wanted: str) -> str:
    taken = {str(x).strip() for x in existing}
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def left_to_enter(inputs: ForceInputs, new_id: str) -> list[str]:
    """What the written option still lacks, in plain words, for the command to print.

    Its costs are 0 and it has no judgement scores; ``validate`` warns on both, but the
    person who ran ``optimise`` should hear it at once, before a ranking with the option
    "free" or "awaiting scores" surprises the room (docs/appraisal-method.md#awaiting-scores).
    """
    lines = [
        f"option {new_id}'s costs are 0 until entered: put its one-off cost, annual cost and months to "
        "implement on the copy's Options sheet (until then validate warns, and its whole-life cost and "
        "value for money read as free)"
    ]
    judged = [str(c) for c, m in zip(inputs.criteria["criterion_id"], inputs.criteria["measure"], strict=True)
              if m == JUDGEMENT]
    if judged:
        lines.append(
            f"option {new_id} has no judgement scores, so it is awaiting scores: measured but not ranked until "
            f"the workshop scores it on {', '.join(judged)} (scores are never copied from another option)"
        )
    return lines


def write_option_copy(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    inputs: ForceInputs,
    result: OptimiseResult,
    option_id: str | None = None,
    option_name: str | None = None,
) -> tuple[Path, str]:
    """Save a copy of ``input_path`` at ``output_path`` with the result as a new option.

    Returns (the path written, the new option_id). Raises :class:`OutputError` when the
    output is the input or cannot be written.
    """
    src, dst = Path(input_path), Path(output_path)
    refuse_input_as_output((src, *inputs.named_files), dst)
    try:
        wb = openpyxl.load_workbook(src)
    except Exception as exc:  # noqa: BLE001 - any failure to open is one line
        raise UnreadableFileError(src, f"cannot open it to copy: {type(exc).__name__}") from None
    options_ws, deps_ws = _sheet(wb, "Options"), _sheet(wb, "Deployments")
    if options_ws is None or deps_ws is None:
        raise OutputError(f"cannot add the option to a copy of {src}: it has no Options or Deployments sheet")

    baseline = inputs.baseline_id
    k = len(result.sites)
    new_id = unique_option_id(inputs.option_ids, option_id or f"OPT_BEST{k}")
    pct = f"{result.baseline_value:.1%} -> {result.value:.1%}"
    name = option_name or f"Best {k} {result.asset_type.replace('_', ' ').lower()} post{'s' if k != 1 else ''}"

    crew = POST_CREW.get(result.asset_type, 1)
    oh = _headers(options_ws)
    row = _last_row(options_ws) + 1
    values = {
        "option_id": new_id,
        "option_name": name,
        "description": (
            f"{baseline} plus one {result.asset_type} post (crew {crew}, on duty every hour of the week) at each of "
            f"{', '.join(result.sites) or 'no sites'}, chosen by the optimiser to maximise "
            f"{result.measure} ({pct}). Costs and implementation time not yet entered."
        ),
        "baseline": False,
        "one_off_cost_gbp": 0,
        "annual_cost_gbp": 0,
        "implementation_months": 0,
    }
    for key, value in values.items():
        if key in oh:
            _set(options_ws, row, oh[key], value)

    dh = _headers(deps_ws)
    out_row = _last_row(deps_ws) + 1
    for r in list(_rows_of(deps_ws, dh["option_id"], baseline)):
        _copy_row(deps_ws, r, out_row, {dh["option_id"]: new_id})
        out_row += 1
    option = optimiser_option(result.sites, result.asset_type, new_id, name)
    for new in option.deployment_rows():
        new["notes"] = "added by the optimiser"
        for key, value in new.items():
            if key in dh and value is not None:  # None: left blank, so the default applies
                _set(deps_ws, out_row, dh[key], value)
        out_row += 1

    carried = _carry_named_files(inputs, src, dst)
    try:
        atomic_write(dst, wb.save)
    except BaseException:
        for f in carried:
            f.unlink(missing_ok=True)
        raise
    return dst, new_id


def _carry_named_files(inputs: ForceInputs, src: Path, dst: Path) -> list[Path]:
    """Put the files the workbook names (the travel-times CSV) beside a copy in another folder.

    The folder rule (docs/reliability.md#guarantees) lets a workbook name only files
    in its own folder, so a copy saved elsewhere keeps the same relative name and gets its
    own copy of each file. An existing file of that name is left alone when it holds the
    same bytes and refused when it differs (it may be another force's CSV). Returns the
    files written, so a failed workbook write can take them back.
    """
    src_folder = src.resolve().parent
    dst_folder = dst.resolve().parent
    if src_folder == dst_folder:
        return []
    written: list[Path] = []
    for named in inputs.named_files:
        rel = named.resolve().relative_to(src_folder)
        target = dst_folder / rel
        if target.exists():
            if target.is_file() and filecmp.cmp(named, target, shallow=False):
                continue
            raise OutputError(
                f"cannot write {dst}: the workbook names {rel}, and {target} already exists with other "
                "contents; save the copy beside the workbook, or in a folder without that file"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        with named.open("rb") as source:
            atomic_write(target, lambda out, source=source: shutil.copyfileobj(source, out, 1 << 20))  # type: ignore[misc]
        written.append(target)
    return written
