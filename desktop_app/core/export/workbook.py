"""Assembles the summary workbook: sheets in order (docs/summary-workbook.md#sheets-in-order), properties, bytes, atomic write."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty

from desktop_app import __version__
from desktop_app.core._io.atomic import atomic_write_bytes, refuse_input_as_output
from desktop_app.core._io.gcpause import gc_paused
from desktop_app.core.export import appraisal_sheets, coverage_sheet, fastrows, record_sheets
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.safe_text import ILLEGAL_CHARACTERS_RE
from desktop_app.core.export.summary_sheet import summary_sheet
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled

#: Sheet order of docs/summary-workbook.md#sheets-in-order (WeightSets only when the workbook has weight sets).
SHEET_ORDER = ("Summary", "Options", "Scores", "Weights", "Sensitivity", "Robustness", "WeightSets",
               "Coverage", "Assumptions", "Validation")

# Input text columns checked up front, so a cleaned string is reported against the input
# sheet, row and column it came from (like every other finding).
_TEXT_COLUMNS = {
    "options": ("Options", ("option_id", "option_name", "description")),
    "criteria": ("Criteria", ("criterion_id", "criterion_name", "group")),
    "judgements": ("Judgements", ("option_id", "criterion_id", "rationale")),
    "weight_sets": ("WeightSets", ("weight_set", "criterion_id")),
    "areas": ("Areas", ("area_id", "area_name", "district", "rurality")),
}


def sheet_names(run: Any) -> list[str]:
    return [s for s in SHEET_ORDER if s != "WeightSets" or run.weight_sets]


def _precheck_text(ctx: ExportContext) -> None:
    inputs = ctx.inputs
    for attr, (sheet, cols) in _TEXT_COLUMNS.items():
        df: pd.DataFrame | None = getattr(inputs, attr, None)
        if df is None or len(df) == 0:
            continue
        for col in cols:
            if col not in df.columns:
                continue
            # One search over the whole column first: nationally 35,672 names, nearly always clean.
            if ILLEGAL_CHARACTERS_RE.search("\n".join(map(str, df[col].tolist()))) is None:
                continue
            series = df[col].astype(str)
            bad = series.str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True, na=False)
            for pos in bad.to_numpy().nonzero()[0]:
                ctx.guard.clean(series.iloc[pos], sheet, int(pos) + 2, col)
    p = ctx.params
    for name in ("force_name", "protective_marking", "threat_level"):
        ctx.guard.clean(getattr(p, name), "Parameters", None, name)


def _properties(wb: Workbook, ctx: ExportContext) -> None:
    props = wb.properties
    props.title = f"{ctx.force}: armed response options appraisal"
    props.subject = f"Which armed response option should {ctx.force} adopt?"
    props.keywords = ctx.marking
    props.category = ctx.marking
    props.contentStatus = ctx.marking
    props.creator = f"armed-options {ctx.tool_version}"
    props.lastModifiedBy = props.creator
    props.description = (f"Consultation summary generated {ctx.generated_at:%Y-%m-%d %H:%M} from "
                         f"{ctx.guard.clean(getattr(ctx.inputs.source, 'name', ctx.inputs.source))}.")
    naive = ctx.generated_at.astimezone(UTC).replace(tzinfo=None) if ctx.generated_at.tzinfo else ctx.generated_at
    props.created = naive
    props.modified = naive
    custom = wb.custom_doc_props
    custom.append(StringProperty(name="Protective marking", value=ctx.marking))
    custom.append(StringProperty(name="Input SHA-256", value=str(ctx.inputs.sha256)))
    custom.append(StringProperty(name="Input file", value=ctx.guard.clean(getattr(ctx.inputs.source, "name", ctx.inputs.source))))
    custom.append(StringProperty(name="Tool version", value=ctx.tool_version))
    custom.append(StringProperty(name="Force", value=ctx.force))
    custom.append(IntProperty(name="Seed", value=int(ctx.run.seed)))
    custom.append(IntProperty(name="SMAA samples", value=int(ctx.run.samples)))


def _discard(wb: Workbook) -> None:
    """Close and delete the temporary files of a half-written (cancelled or failed) workbook.

    Write-only sheets stream rows to temporary files; left alone they would linger on disk
    and their generators would complain when garbage-collected.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def build_summary_bytes(
    run: Any,
    *,
    generated_at: datetime | None = None,
    judgement_edits: list[dict[str, Any]] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> bytes:
    """The summary workbook (docs/summary-workbook.md) as .xlsx bytes, built entirely in memory.

    ``run`` is a :class:`desktop_app.core.pipeline.AppraisalRun`. ``judgement_edits``
    (dicts with option_id, criterion_id, old_score, new_score, rationale) are the scores the
    workshop changed; they are shaded on Scores and listed on Assumptions and Summary.
    """
    with gc_paused():  # a million short strings for the national Coverage sheet, no cycles
        return _build_summary_bytes(run, generated_at, judgement_edits, progress, cancelled)


def _build_summary_bytes(
    run: Any,
    generated_at: datetime | None,
    judgement_edits: list[dict[str, Any]] | None,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> bytes:
    when = generated_at or datetime.now(UTC)
    ctx = ExportContext(run=run, generated_at=when, tool_version=__version__,
                        judgement_edits=list(judgement_edits or []))
    report: Callable[[float, str], None] = progress or (lambda f, m: None)
    _precheck_text(ctx)
    wb = Workbook(write_only=True)
    names = sheet_names(run)
    ws = {n: wb.create_sheet(n) for n in names}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Options", lambda: appraisal_sheets.options_sheet(ctx, ws["Options"])),
        ("Scores", lambda: appraisal_sheets.scores_sheet(ctx, ws["Scores"])),
        ("Weights", lambda: appraisal_sheets.weights_sheet(ctx, ws["Weights"])),
        ("Sensitivity", lambda: appraisal_sheets.sensitivity_sheet(ctx, ws["Sensitivity"])),
        ("Robustness", lambda: appraisal_sheets.robustness_sheet(ctx, ws["Robustness"])),
    ]
    if "WeightSets" in ws:
        steps.append(("WeightSets", lambda: appraisal_sheets.weight_sets_sheet(ctx, ws["WeightSets"])))
    steps += [
        ("Coverage", lambda: coverage_sheet.coverage_sheet(ctx, ws["Coverage"], names.index("Coverage") + 1)),
        ("Assumptions", lambda: record_sheets.assumptions_sheet(ctx, ws["Assumptions"])),
    ]
    try:
        for i, (name, step) in enumerate(steps):
            check_cancelled(cancelled)
            report(i / (len(steps) + 3), f"Writing the {name} sheet")
            step()
        check_cancelled(cancelled)
        report((len(steps)) / (len(steps) + 3), "Writing the Summary sheet")
        n_err = sum(1 for f in run.findings if f.level == "error")
        # Summary text is composed of already-cleaned parts, so it adds no new findings.
        n_warn = len(run.findings) - n_err + len(ctx.guard.findings)
        summary_sheet(ctx, ws["Summary"], n_err, n_warn)
        record_sheets.validation_sheet(ctx, ws["Validation"], extra=list(ctx.guard.findings))
        _properties(wb, ctx)
        check_cancelled(cancelled)
        report((len(steps) + 2) / (len(steps) + 3), "Saving the workbook")
        buffer = io.BytesIO()
        wb.save(buffer)
    except BaseException:
        _discard(wb)
        raise
    data = fastrows.splice(buffer.getvalue(), ctx.deferred, cancelled)
    report(1.0, "Summary workbook ready")
    return data


def write_summary(
    run: Any,
    path: str | os.PathLike[str],
    *,
    generated_at: datetime | None = None,
    judgement_edits: list[dict[str, Any]] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Path:
    """Write the summary workbook to ``path`` atomically; returns the path written.

    Refuses to overwrite the input workbook. The workbook is built in memory first, so a
    failure or a cancel leaves any existing file untouched; a locked or read-only target
    raises :class:`~desktop_app.core.errors.OutputError` with one line naming the file.
    """
    target = Path(path)
    inputs = getattr(run.inputs, "input_files", None)
    if inputs:
        refuse_input_as_output(inputs, target)
    data = build_summary_bytes(run, generated_at=generated_at, judgement_edits=judgement_edits,
                               progress=progress, cancelled=cancelled)
    return atomic_write_bytes(target, data)
