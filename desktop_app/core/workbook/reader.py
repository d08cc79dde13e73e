"""Read and validate a force workbook in one pass: :func:`read_workbook`.

The reader is the only code that sees raw cells. It

1. sniffs the file and its zip directory (:mod:`filecheck`) and refuses, in one
   line, anything that is not a safe ``.xlsx`` (:class:`UnreadableFileError`);
2. reads cell values with python-calamine (:mod:`reader_cells`), finding the
   header row of each sheet and the real Excel row numbers;
3. reads each sheet into a typed table (:mod:`reader_sheets`), then checks
   references between sheets (:mod:`validate_refs`) and builds the travel-time
   matrix (:mod:`reader_travel`), collecting every finding rather than stopping
   at the first;
4. returns :class:`ReadResult` whose ``inputs`` is a :class:`ForceInputs`
   exactly as :mod:`model` documents it, or ``None`` when there are errors.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd

from desktop_app.core._io.gcpause import gc_paused
from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.model import ForceInputs, ReadResult
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.workbook import filecheck, schema
from desktop_app.core.workbook.appraisal_sheets import (
    check_criteria_groups,
    check_equality_columns,
    check_scenarios,
    check_uncertainty,
    read_criteria_groups,
    read_scenarios,
    read_uncertainty,
)
from desktop_app.core.workbook.boundaries import read_boundaries
from desktop_app.core.workbook.cells import RawSheet, read_raw_sheets
from desktop_app.core.workbook.criteria_sheets import (
    read_criteria,
    read_judgements,
    read_weight_sets,
)
from desktop_app.core.workbook.cross_checks import (
    align_threat,
    check_deployments,
    check_judgements,
    check_weight_sets,
)
from desktop_app.core.workbook.csv_prefetch import CsvPrefetch
from desktop_app.core.workbook.demand_sheets import (
    check_hour_weighting,
    check_incident_criteria,
    check_scenario_hour_weighting,
    read_demand_profile,
    read_incidents,
)
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.named_files import named_input_files
from desktop_app.core.workbook.near_names import near_name
from desktop_app.core.workbook.option_sheets import (
    read_deployments,
    read_options,
    warn_no_unit_answers,
    warn_tool_busy_defaults,
)
from desktop_app.core.workbook.schema import normalise_header
from desktop_app.core.workbook.sheets import (
    read_areas,
    read_indicators,
    read_parameters,
    read_sites,
    read_threat,
    report_empty,
    report_over_caps,
)
from desktop_app.core.workbook.template_rows import warn_of_example_rows
from desktop_app.core.workbook.travel_times import read_travel_times

__all__ = ["read_workbook", "sha256_of"]


def sha256_of(path: Path) -> str:
    """SHA-256 of the file's bytes, recorded in the summary so outputs trace to their input."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _match_sheets(raws: dict[str, RawSheet], sink: Findings) -> tuple[dict[str, RawSheet], dict[str, pd.DataFrame]]:
    """Map schema sheet names to the workbook's sheets (case and spaces ignored); keep extras."""
    by_key: dict[str, list[str]] = {}
    for name in raws:
        by_key.setdefault(normalise_header(name), []).append(name)
    matched: dict[str, RawSheet] = {}
    for spec in schema.SHEETS:
        names = by_key.get(normalise_header(spec.name), [])
        if len(names) > 1:
            sink.error(spec.name, None, None,
                       f"the workbook has {len(names)} sheets that read as '{spec.name}' ({', '.join(names)}); keep one")
        if names:
            raw = raws[names[0]]
            raw.name = spec.name
            matched[spec.name] = raw
            if not raw.visible:
                sink.warning(spec.name, None, None,
                             f"the sheet '{names[0]}' is hidden in Excel; it was read like any other sheet, "
                             "so unhide it to check what it holds")
            if raw.title_rows:
                rows = " and ".join(str(r) for r in raw.title_rows)
                sink.warning(spec.name, raw.title_rows[0], None,
                             f"row {rows} above the headings looks like a title and was skipped; the headings "
                             f"were read from row {raw.header_row}")
        elif spec.required:
            cols = ", ".join(c.name for c in spec.columns if c.required)
            sink.error(spec.name, None, None,
                       f"the required sheet '{spec.name}' is missing; add a sheet named {spec.name} "
                       f"with columns {cols} (one row per {spec.one_row_per})")
    known = {normalise_header(s.name) for s in schema.SHEETS}
    absent = [spec.name for spec in schema.SHEETS if spec.name not in matched]
    extra: dict[str, pd.DataFrame] = {}
    for name, raw in raws.items():
        if normalise_header(name) in known:
            continue
        meant = near_name(name, absent)
        if meant is not None:  # "Criteria Groups" for CriteriaGroups: the value tree silently lost
            sink.warning(meant, None, None,
                         f"the sheet '{name}' is not one the tool reads, so it is ignored; if it is meant to be "
                         f"the {meant} sheet, rename it '{meant}' (as it stands the workbook has no {meant} sheet)",
                         "sheet looks misspelt")
        headers = _unique_headers(raw.headers)
        extra[name] = pd.DataFrame(raw.rows, columns=headers) if headers else pd.DataFrame()
    return matched, extra


def _unique_headers(headers: list[str]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        base = h or f"column_{i + 1}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(base if n == 0 else f"{base}_{n + 1}")
    return out


def read_workbook(
    path: str | os.PathLike[str],
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ReadResult:
    """Read and validate a force workbook, reporting every problem in one pass.

    Raises :class:`UnreadableFileError` when the file cannot be opened as a
    workbook at all; every other problem is a :class:`Finding` in the result,
    whose ``inputs`` is ``None`` whenever there is at least one error.
    """
    with gc_paused():  # a national workbook is ~100,000 row lists: no cycles to look for
        return _read_workbook(path, progress, cancelled)


def _read_workbook(path: str | os.PathLike[str], progress: ProgressFn | None, cancelled: CancelledFn | None) -> ReadResult:
    """Read and check every sheet in dependency order, then assemble the inputs when nothing is wrong.

    Long because it is the reader's one recipe, read top to bottom: each step is one call
    to the sheet's reader or cross-check (docs/architecture.md#data-flow), in the order the
    later checks need them, and splitting it would only hand the same dozen tables around.
    """
    report = progress or no_progress
    p = Path(path)
    report(0.0, f"Checking {p.name}")
    filecheck.check_file(p)
    check_cancelled(cancelled)
    report(0.05, "Reading cells")
    prefetch = CsvPrefetch(p)  # the travel-times CSV parses while calamine reads the sheets
    try:
        raws = read_raw_sheets(p, on_sheet=prefetch.on_sheet)
    except MemoryError:
        raise UnreadableFileError(p, "the workbook is too large to read on this machine") from None
    check_cancelled(cancelled)
    sink = Findings()
    sheets, extra_sheets = _match_sheets(raws, sink)
    report_over_caps(sheets, sink)

    report(0.35, "Checking Parameters, Areas and Threat")
    params, param_rows = read_parameters(sheets.get("Parameters"), sink)
    # after Parameters: a travel_times_file stands in for TravelTimes; Incidents is said with the criteria
    report_empty(sheets, sink, params, later=frozenset({"Incidents"}))
    areas = read_areas(sheets.get("Areas"), sink)
    indicators = read_indicators(sheets.get("ThreatIndicators"), sink)
    threat_ids, threat_cols, threat_table = read_threat(sheets.get("Threat"), indicators, sink)
    threat = align_threat(threat_ids, threat_cols, threat_table, areas, sink)
    check_cancelled(cancelled)

    report(0.5, "Checking Sites, Options and Deployments")
    sites = read_sites(sheets.get("Sites"), sink)
    options = read_options(sheets.get("Options"), sink)
    deployments = read_deployments(sheets.get("Deployments"), params, sink)
    check_deployments(deployments, options, sites, sink)
    warn_of_example_rows({"Areas": areas, "Sites": sites, "Options": options}, sink)
    check_cancelled(cancelled)

    report(0.6, "Checking Criteria, Judgements and WeightSets")
    criteria = read_criteria(sheets.get("Criteria"), sink)
    judgements = read_judgements(sheets.get("Judgements"), sink)
    check_judgements(judgements, "Judgements" in sheets, criteria, options, sink)
    weight_sets = read_weight_sets(sheets.get("WeightSets"), sink)
    check_weight_sets(weight_sets, criteria, sink)
    groups = read_criteria_groups(sheets.get("CriteriaGroups"), sink)
    check_criteria_groups(criteria, groups, "CriteriaGroups" in sheets, sink)
    scenarios = read_scenarios(sheets.get("Scenarios"), sink)
    check_scenarios(scenarios, params, options, sink)
    uncertainty = read_uncertainty(sheets.get("Uncertainty"), sink)
    check_uncertainty(uncertainty, params, options, sink, param_rows)
    check_equality_columns(params, param_rows, areas, sink, scenarios)
    warn_no_unit_answers(params, param_rows, sink)
    warn_tool_busy_defaults(deployments, params, param_rows, sink)
    check_cancelled(cancelled)

    incidents = read_incidents(sheets.get("Incidents"), areas, sink)
    demand_profile = read_demand_profile(sheets.get("DemandProfile"), sink)
    check_hour_weighting(params, incidents, demand_profile, param_rows, sink, scenarios)
    check_scenario_hour_weighting(scenarios, incidents, demand_profile, sink)
    check_incident_criteria(criteria, incidents, sheets.get("Incidents"), sink)
    check_cancelled(cancelled)

    report(0.7, "Reading travel times")
    travel, estimated = read_travel_times(
        sheets.get("TravelTimes"), params, param_rows, p, areas, sites, sink, prefetch
    )
    check_cancelled(cancelled)
    report(0.85, "Reading boundaries")
    boundaries = read_boundaries(p, params, param_rows, areas, sink)
    check_cancelled(cancelled)
    report(0.95, "Finishing")
    findings = sink.finish()
    inputs = None
    if params is not None and not any(f.level == "error" for f in findings):
        for df in (areas, indicators, sites, options, criteria, judgements, weight_sets, deployments,
                   groups, scenarios, uncertainty):
            df.attrs.clear()
        inputs = ForceInputs(
            source=p,
            sha256=sha256_of(p),
            parameters=params,
            areas=areas.reset_index(drop=True),
            threat=threat[list(indicators["indicator"])].astype(np.float64).reset_index(drop=True),
            indicators=indicators.reset_index(drop=True),
            sites=sites.reset_index(drop=True),
            options=options.reset_index(drop=True),
            deployments=deployments.reset_index(drop=True),
            criteria=criteria.reset_index(drop=True),
            judgements=judgements.reset_index(drop=True),
            weight_sets=weight_sets.reset_index(drop=True),
            travel_minutes=np.ascontiguousarray(travel, dtype=np.float32),
            estimated=np.ascontiguousarray(estimated, dtype=bool),
            criteria_groups=groups.reset_index(drop=True),
            scenarios=scenarios.reset_index(drop=True),
            uncertainty=uncertainty.reset_index(drop=True),
            extra_sheets=extra_sheets,
            incidents=incidents.reset_index(drop=True),
            incidents_sheet="Incidents" in sheets,
            demand_profile=demand_profile.reset_index(drop=True),
            named_files=named_input_files(p, params),
            boundaries=boundaries,
        )
    report(1.0, "Done")
    return ReadResult(path=p, findings=findings, inputs=inputs)
