"""Assembles the summary workbook: sheets in order (docs/summary-workbook.md#sheets-in-order), properties, bytes, atomic write."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList

from desktop_app import __version__
from desktop_app.core._io.atomic import atomic_write_bytes, refuse_input_as_output
from desktop_app.core._io.gcpause import gc_paused
from desktop_app.core.export import (
    accessibility,
    appraisal_sheets,
    chart_data,
    coverage_sheet,
    deployments_sheet,
    distribution,
    fastrows,
    glossary,
    incidents_sheet,
    maps_sheet,
    record_sheets,
    what_if_sheets,
)
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.safe_text import ILLEGAL_CHARACTERS_RE
from desktop_app.core.export.styles import BODY_PT, FONT_NAME
from desktop_app.core.export.summary_sheet import summary_sheet
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled

SheetFn = Callable[[ExportContext, Any], None]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the summary, in contract order (docs/summary-workbook.md#sheets-in-order).

    ``present(run)`` says whether this run has the sheet at all; ``write(ctx, ws)`` fills
    it (None: the figures are not built yet, so the sheet is left out). The Summary,
    Coverage and Validation sheets are written by :func:`build_summary_bytes` itself
    (they need the findings count or the sheet's position).
    """

    name: str
    present: Callable[[Any], bool]
    write: SheetFn | None


def _always(_run: Any) -> bool:
    return True


def _has(attr: str) -> Callable[[Any], bool]:
    return lambda run: bool(getattr(run, attr, None))


#: The extension point for sheets whose figures other parts of the tool compute: each
#: name here, in its contract place, is written once its writer is registered (replace
#: ``None`` with a ``(ctx, ws) -> None`` function) and the run carries its figures.
OPTIONAL_WRITERS: dict[str, SheetFn | None] = {
    "Scenarios": what_if_sheets.scenarios_sheet,
    "ParameterSensitivity": what_if_sheets.parameter_sensitivity_sheet,
    "Equality": what_if_sheets.equality_sheet,
    "Incidents": incidents_sheet.incidents_sheet,
}


def _optional(name: str) -> SheetFn | None:
    return OPTIONAL_WRITERS.get(name)


#: Every sheet, in contract order (section 5), then the Glossary and the (hidden) ChartData.
SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("Summary", _always, None),
    SheetSpec("Options", _always, appraisal_sheets.options_sheet),
    SheetSpec("Scores", _always, appraisal_sheets.scores_sheet),
    SheetSpec("Weights", _always, appraisal_sheets.weights_sheet),
    SheetSpec("Sensitivity", _always, appraisal_sheets.sensitivity_sheet),
    SheetSpec("Robustness", _always, appraisal_sheets.robustness_sheet),
    SheetSpec("WeightSets", _has("weight_sets"), appraisal_sheets.weight_sets_sheet),
    SheetSpec("Scenarios", _has("scenarios"), None),
    SheetSpec("ParameterSensitivity", _has("parameter_sensitivity"), None),
    SheetSpec("Equality", _has("equality"), None),
    SheetSpec("Incidents", incidents_sheet.has_incident_check, None),
    SheetSpec("Coverage", _always, None),
    SheetSpec("Deployments", _always, deployments_sheet.deployments_sheet),
    SheetSpec("Assumptions", _always, record_sheets.assumptions_sheet),
    SheetSpec("Validation", _always, None),
    # Not in the contract's list (section 5): after it, like the Glossary (docs/maps.md#maps-in-the-summary).
    SheetSpec("Maps", maps_sheet.has_maps, maps_sheet.maps_sheet),
    SheetSpec("Glossary", _always, glossary.glossary_sheet),
    SheetSpec("ChartData", _always, None),
)
_WRITTEN_HERE = {"Summary", "Coverage", "Validation", "ChartData"}
#: Sheets that add nothing to the ChartData sheet (so may be written in any order).
_NO_CHART_DATA = ("Coverage", "Deployments", "Maps")

#: Sheet names in order (every sheet that can appear).
SHEET_ORDER = tuple(s.name for s in SHEETS)


def _writer(spec: SheetSpec) -> SheetFn | None:
    return _optional(spec.name) if spec.name in OPTIONAL_WRITERS else spec.write


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
    """The sheets this run's summary has, in order."""
    return [s.name for s in SHEETS if s.present(run) and (s.name in _WRITTEN_HERE or _writer(s) is not None)]


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
    props.subject = ctx.decision_question
    props.language = "en-GB"  # WCAG 2.2 3.1.1: the document's language
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
    custom.append(StringProperty(name="Weights used", value=ctx.weights_label))
    custom.append(StringProperty(name="Scenario", value=ctx.scenario_label))
    custom.append(StringProperty(name="Public version", value="yes" if ctx.public else "no"))


def default_font(wb: Workbook) -> None:
    """Make the workbook's default (Normal) font the one named family at body size.

    Column widths are measured in the default font's characters; left as Calibri, which
    LibreOffice replaces with a much wider face where Calibri is not installed, every
    column printed half as wide again as planned and pages split mid-table.
    """
    font = Font(name=FONT_NAME, size=BODY_PT, family=2)
    fonts = IndexedList()
    fonts.add(font)
    wb._fonts = fonts
    normal = wb._named_styles["Normal"]
    normal.font = font


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
    public: bool = False,
) -> bytes:
    """The summary workbook (docs/summary-workbook.md) as .xlsx bytes, built entirely in memory.

    ``run`` is a :class:`desktop_app.core.pipeline.AppraisalRun`. ``judgement_edits``
    (dicts with option_id, criterion_id, old_score, new_score, rationale) are the scores the
    workshop changed; they are shaded on Scores and listed on Assumptions and Summary.
    ``public`` writes the version for publication (:mod:`public`).
    """
    with gc_paused():  # a million short strings for the national Coverage sheet, no cycles
        return _build_summary_bytes(run, generated_at, judgement_edits, progress, cancelled, public)


def _build_summary_bytes(
    run: Any,
    generated_at: datetime | None,
    judgement_edits: list[dict[str, Any]] | None,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
    public: bool = False,
) -> bytes:
    when = generated_at or datetime.now(UTC)
    ctx = ExportContext(run=run, generated_at=when, tool_version=__version__,
                        judgement_edits=list(judgement_edits or []), public=public)
    report: Callable[[float, str], None] = progress or (lambda f, m: None)
    _precheck_text(ctx)
    present = sheet_names(run)
    # Numpy and Pillow work on another core, beside the sheets' Python (docs/performance.md).
    if "Options" in present:
        distribution.start_busy_distribution(ctx)
    if "Maps" in present:
        maps_sheet.start_pictures(ctx)
    wb = Workbook(write_only=True)
    default_font(wb)
    names = sheet_names(run)
    ws = {n: wb.create_sheet(n) for n in names}
    steps: list[tuple[str, Callable[[], None]]] = []
    for spec in SHEETS:
        if spec.name not in ws or spec.name in ("Summary", "Validation", "ChartData"):
            continue
        if spec.name == "Coverage":
            steps.append(("Coverage", lambda: coverage_sheet.coverage_sheet(ctx, ws["Coverage"], names.index("Coverage") + 1)))
            continue
        fn = _writer(spec)
        assert fn is not None
        steps.append((spec.name, lambda fn=fn, name=spec.name: fn(ctx, ws[name])))  # type: ignore[misc]  # default-bound arguments
    # The sheets that add no chart data are written first (Coverage, Deployments: Python
    # work), giving the busy-unit curves (numpy, on another core) time to finish before
    # Options needs them; Maps, whose pictures are drawn on that core after the curves,
    # is written last. The charts' data keeps the order of the sheets that draw them.
    steps.sort(key=lambda step: 2 if step[0] == "Maps" else 0 if step[0] in _NO_CHART_DATA else 1)
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
        chart_data.chart_data_sheet(ctx, ws["ChartData"])
        _properties(wb, ctx)
        check_cancelled(cancelled)
        report((len(steps) + 2) / (len(steps) + 3), "Saving the workbook")
        buffer = io.BytesIO()
        wb.save(buffer)
    except BaseException:
        _discard(wb)
        raise
    texts = ctx.chart_texts
    data = fastrows.splice(buffer.getvalue(), ctx.deferred, cancelled,
                           replace=(lambda src: accessibility.named_chart_parts(src, texts)) if texts else None)
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
    public: bool = False,
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
                               progress=progress, cancelled=cancelled, public=public)
    return atomic_write_bytes(target, data)
