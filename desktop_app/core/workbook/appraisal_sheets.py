"""The appraisal's version-2 inputs: value points, CriteriaGroups, Scenarios, Uncertainty.

Read and checked here, beside (not inside) :mod:`sheets`, because they only matter to
the appraisal: the value tree (docs/appraisal-method.md#value-tree), piecewise-linear
value functions (#value-functions), scenarios (#scenarios) and parameter sensitivity
(#parameter-sensitivity). Every problem is one finding naming sheet, Excel row and
column, like the rest of the reader.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cell_values import cell_text, parse_number_text
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings, fmt
from desktop_app.core.workbook.keyed_sheets import (
    open_sheet,
    repeats,
    sheet_frame,
    text_column,
    warn_mixed_weight_scales,
    was_bad,
)
from desktop_app.core.workbook.schema import Kind, normalise_header, parameter_key

ValuePoints = tuple[tuple[float, float], ...]

_POINTS_HELP = "expected 'x1:v1; x2:v2; ...' with at least two points, x strictly increasing and each v from 0 to 100"


def parse_value_points(text: str) -> tuple[ValuePoints | None, str | None]:
    """``"0.5:0; 0.8:70; 0.9:100"`` -> ((0.5, 0), (0.8, 70), (0.9, 100)), or (None, problem).

    Why so strict: a value function is a judgement the workshop signs off, so a typo
    must stop the run rather than silently bend the curve.
    """
    parts = [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()]
    points: list[tuple[float, float]] = []
    for part in parts:
        if part.count(":") != 1:
            return None, f"'{part}' is not a point x:v; {_POINTS_HELP}"
        xs, vs = (s.strip() for s in part.split(":"))
        x, v = parse_number_text(xs), parse_number_text(vs)
        if x is None or v is None:
            return None, f"'{part}' does not hold two numbers; {_POINTS_HELP}"
        if not 0 <= v <= 100:
            return None, f"the value {v:g} in '{part}' is outside 0-100; {_POINTS_HELP}"
        if points and x <= points[-1][0]:
            return None, f"x {x:g} does not increase on {points[-1][0]:g}; {_POINTS_HELP}"
        points.append((x, v))
    if len(points) < 2:
        return None, f"'{text}' has {len(points)} point{'s' if len(points) != 1 else ''}; {_POINTS_HELP}"
    return tuple(points), None


#: Measures that are the option's cost: a criterion on one of them is a cost criterion.
COST_MEASURES = ("whole_life_cost_gbp",)


def criteria_v2_columns(t: Table, ids: Sequence[str | None] = (),
                        measure: Sequence[str | None] = ()) -> dict[str, pd.Series]:
    """The Criteria sheet's v2 columns: kind (blank -> benefit), value_points (parsed), notes.

    A criterion on whole-life cost with ``kind`` blank, as in every version-1 workbook,
    is warned about: blank means benefit, so its benefit value holds cost, and the value-
    for-money chart, benefit against cost, would count cost twice (docs/appraisal-method.md).
    """
    kind = t.code("kind", required_cells=False)
    for i, m in enumerate(measure):
        if m in COST_MEASURES and not kind[i] and not was_bad(t, "kind", i):
            t.sink.warning(t.sheet, t.row_numbers[i], "kind",
                           f"criterion '{ids[i] or ''}' measures {m} but its kind is blank, which counts it as a "
                           "benefit: value for money would set a benefit value that holds cost against cost, "
                           "counting it twice; set kind to cost", "cost criterion as benefit")
    text = t.text("value_points", required_cells=False)
    notes = t.text("notes", required_cells=False)
    points: list[ValuePoints | None] = []
    for i, raw in enumerate(text):
        if not raw:
            points.append(None)
            continue
        parsed, problem = parse_value_points(raw)
        if problem:
            t.sink.error(t.sheet, t.row_numbers[i], "value_points", problem, "bad value points")
        points.append(parsed)
    return {
        "kind": pd.Series([k or "benefit" for k in kind], dtype=object),
        "value_points": pd.Series(points, dtype=object),
        "notes": text_column(notes),
    }


def read_criteria_groups(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    """CriteriaGroups: one row per branch of the value tree, each with its swing weight."""
    t = open_sheet(raw, "CriteriaGroups", sink, ["group", "weight"])
    group = t.text("group")
    weight = t.number("weight")
    desc = t.text("description", required_cells=False)
    for i, first in repeats(t, [normalise_header(g) if g else None for g in group]):
        sink.error(t.sheet, t.row_numbers[i], "group",
                   f"group '{group[i]}' is already listed at row {first}; list each branch once", "duplicate group")
    if t.n and not np.isnan(weight).any() and not (weight > 0).any():
        sink.error(t.sheet, None, "weight", "every group weight is 0; give at least one branch a weight above 0")
    warn_mixed_weight_scales(weight, t.row_numbers, t.sheet, sink)
    return sheet_frame(t, {"group": text_column(group), "weight": weight, "description": text_column(desc)})


def check_criteria_groups(criteria: pd.DataFrame, groups: pd.DataFrame, present: bool, sink: Findings) -> None:
    """With a CriteriaGroups sheet every criterion's group must be listed there (and given)."""
    if not present or not len(groups):
        return
    listed = {normalise_header(g) for g in groups["group"] if g}
    rows = criteria.attrs.get("excel_rows", [])
    for k, (cid, g) in enumerate(zip(criteria["criterion_id"], criteria["group"], strict=True)):
        r = int(rows[k]) if k < len(rows) else None
        if not g:
            sink.error("Criteria", r, "group",
                       f"criterion '{cid}' has no group, but the workbook has a CriteriaGroups sheet; "
                       f"give it one of: {', '.join(sorted(g for g in groups['group'] if g))}", "criterion outside the tree")
        elif normalise_header(g) not in listed:
            sink.error("Criteria", r, "group",
                       f"group '{g}' of criterion '{cid}' is not listed in CriteriaGroups; add a row for it "
                       "with its swing weight, or use a listed group", "unknown group")
    used = {normalise_header(g) for g in criteria["group"] if g}
    grows = groups.attrs.get("excel_rows", [])
    weights = pd.to_numeric(groups["weight"], errors="coerce").to_numpy(np.float64) if "weight" in groups else None
    total = float(np.nansum(np.clip(weights, 0, None))) if weights is not None else 0.0
    def weight_of(k: int) -> float:
        return float(weights[k]) if weights is not None and math.isfinite(float(weights[k])) else 0.0

    empty = [k for k, g in enumerate(groups["group"]) if g and normalise_header(g) not in used]
    lost = sum(max(weight_of(k), 0.0) for k in empty)  # every empty branch's, together
    for k in empty:
        g = str(groups["group"].iat[k])
        w = weight_of(k)
        if w > 0 and total > 0:
            # The branch's share still counts in the sum of branch weights (the value tree's
            # rule), so it is lost, not "not used": the totals top out below 100, by every
            # empty branch's share together.
            others = "" if lost == w else f" (with the other empty groups, {lost / total:.1%})"
            said = (f"group '{g}' holds no criterion, so its weight is lost: its {w / total:.1%} of the "
                    f"weight goes to no criterion{others} and every total is out of "
                    f"{100 * (1 - lost / total):.1f}, not 100; give it a criterion or delete the row")
        else:
            said = f"group '{g}' holds no criterion (and weighs nothing); delete the row"
        sink.warning("CriteriaGroups", int(grows[k]) if k < len(grows) else None, "group", said)
    # Criteria name groups as typed; use the CriteriaGroups spelling (case and spaces ignored).
    spelling = {normalise_header(g): g for g in groups["group"] if g}
    criteria["group"] = [spelling.get(normalise_header(g), g) for g in criteria["group"]]


# -- Scenarios and Uncertainty ------------------------------------------------------


def override_target(name: str) -> tuple[str, str | None] | None:
    """``busy_fraction_arv`` -> ("busy_fraction_arv", None); ``OPT2.annual_cost_gbp`` -> ("annual_cost_gbp", "OPT2").

    None when the name is neither a parameter nor an option cost.
    """
    key = parameter_key(name)
    if key in schema.PARAMETERS_BY_NAME:
        return key, None
    if "." in name:
        oid, _, col = name.strip().rpartition(".")
        col = normalise_header(col)
        if oid and col in schema.OPTION_OVERRIDE_COLUMNS:
            return col, oid.strip()
    return None


#: Parameters a scenario cannot override, and why.
_FIXED_PARAMETERS = {
    "force_name": "it names the force",
    "protective_marking": "every output carries the workbook's marking",
    "travel_times_file": "travel times are read once, with the workbook",
}


def _target_problem(name: str, options: pd.DataFrame, numeric: bool) -> tuple[tuple[str, str | None] | None, str | None]:
    target = override_target(name)
    if target is None:
        return None, (f"'{name}' is neither a parameter nor OPTION_ID.one_off_cost_gbp / "
                      "OPTION_ID.annual_cost_gbp; expected a name from the Parameters list or an option's cost")
    col, oid = target
    if oid is not None and oid not in set(options["option_id"]):
        return None, f"option '{oid}' is not in the Options sheet; expected an option_id listed there"
    if oid is None:
        p = schema.PARAMETERS_BY_NAME[col]
        if p.name in _FIXED_PARAMETERS:
            return None, (f"{p.name} cannot vary in a scenario ({_FIXED_PARAMETERS[p.name]}); "
                          "make a copy of the workbook instead")
        if numeric and p.kind not in (Kind.NUMBER, Kind.INTEGER):
            return None, f"{p.name} is not a number, so it cannot have a low and a high"
    return target, None


def workbook_value(target: tuple[str, str | None], params: Parameters, options: pd.DataFrame) -> object:
    """The workbook's own value of an override target (a parameter after defaults, or an option cost)."""
    col, oid = target
    if oid is not None:
        row = options.loc[options["option_id"] == oid]
        value = float(row[col].iloc[0]) if len(row) else math.nan
        return 0.0 if math.isnan(value) else value
    if col in Parameters.__dataclass_fields__:
        return getattr(params, col)
    p = schema.PARAMETERS_BY_NAME[col]
    text = params.extra.get(col)
    return text if text is not None else (None if p.default is schema.REQUIRED else p.default)


def read_scenarios(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    """Scenarios rows as entered (values converted later, once the Options are known)."""
    t = open_sheet(raw, "Scenarios", sink)
    name = t.text("scenario")
    param = t.text("parameter")
    pos = t.index.get("value")
    values = t.values(pos) if pos is not None else [None] * t.n
    return sheet_frame(t, {"scenario": text_column(name), "parameter": text_column(param),
                           "value": pd.Series(values, dtype=object)})


def check_scenarios(scenarios: pd.DataFrame, params: Parameters | None, options: pd.DataFrame, sink: Findings) -> None:
    """Each override names a parameter or an option cost, once per scenario, with a valid value.

    Converts ``value`` in place to what the parameter holds (number, code or text).
    """
    from desktop_app.core.workbook.sheets import _param_value  # one conversion rule for both sheets

    rows = scenarios.attrs.get("excel_rows", [])
    seen: dict[tuple[str, str], int] = {}
    converted: list[object] = []
    for k, (scen, name, raw) in enumerate(zip(scenarios["scenario"], scenarios["parameter"], scenarios["value"], strict=True)):
        r = int(rows[k]) if k < len(rows) else None
        converted.append(raw)
        if not scen or not name:
            continue
        target, problem = _target_problem(name, options, numeric=False)
        if problem or target is None:
            sink.error("Scenarios", r, "parameter", problem or "", "unknown override")
            continue
        key = (scen, f"{target[1]}.{target[0]}")
        if key in seen:
            sink.error("Scenarios", r, "parameter",
                       f"scenario '{scen}' sets {name} twice (first at row {seen[key]}); keep one", "duplicate override")
            continue
        seen[key] = r or 0
        if cell_text(raw) == "":
            sink.error("Scenarios", r, "value", f"{name} has no value; give the value it takes in scenario '{scen}'")
            continue
        col, oid = target
        if oid is not None:
            x = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else parse_number_text(cell_text(raw))
            if x is None or not math.isfinite(float(x)) or float(x) < 0:
                sink.error("Scenarios", r, "value", f"{name}: '{cell_text(raw)}' is not a cost; expected a number >= 0 (GBP)")
                continue
            converted[-1] = float(x)
            continue
        value, problem, _ = _param_value(schema.PARAMETERS_BY_NAME[col], raw, None)
        if problem:
            sink.error("Scenarios", r, "value", f"{col}: {problem}")
            continue
        converted[-1] = value
    scenarios["value"] = pd.Series(converted, dtype=object)
    _warn_scenarios_that_change_no_figure(scenarios, rows, sink)


#: Parameters that change no figure of the appraisal: labels of the paper, and the
#: simulation's own inputs (``simulate`` does not run scenarios).
NO_FIGURE = {
    **dict.fromkeys(("force_name", "public_marking", "decision_question", "price_base_year", "threat_level"), "a label"),
    **dict.fromkeys(("armed_incidents_per_year", "incident_service_hours", "busy_spell_minutes"), "read by simulate only"),
}


def _warn_scenarios_that_change_no_figure(scenarios: pd.DataFrame, rows: list[int], sink: Findings) -> None:
    """Warn of a scenario whose every row sets a parameter that changes no figure
    (docs/workbook-format.md#what-validate-checks).

    ``threat_level`` labels the results; it moves no measure. An analyst's scenario that
    set only ``threat_level`` to SEVERE gave the base case's totals exactly, under a title
    saying the threat level was SEVERE. A higher threat is modelled by what it changes:
    busy fractions, mobilisation, the target.
    """
    by_scenario: dict[str, list[tuple[int | None, str]]] = {}
    for k, (scen, name) in enumerate(zip(scenarios["scenario"], scenarios["parameter"], strict=True)):
        if scen and name:
            by_scenario.setdefault(str(scen), []).append((int(rows[k]) if k < len(rows) else None,
                                                          schema.parameter_key(str(name))))
    for scen, sets in by_scenario.items():
        if all(p in NO_FIGURE for _r, p in sets):
            what = ", ".join(f"{p} ({NO_FIGURE[p]})" for _r, p in sets)
            sink.warning("Scenarios", sets[0][0], "parameter",
                         f"scenario '{scen}' sets only {what}, so its figures are the base case's; to model a "
                         "higher threat, set what it changes (busy_fraction_arv, busy_fraction_aro, "
                         "mobilisation minutes, target_minutes)", "scenario changes no figure")


def read_uncertainty(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "Uncertainty", sink, ["parameter", "low", "high"])
    param = t.text("parameter")
    low = t.number("low")
    high = t.number("high")
    return sheet_frame(t, {"parameter": text_column(param), "low": low, "high": high})


def _value_unread(target: tuple[str, str | None], options: pd.DataFrame, param_rows: Mapping[str, int],
                  sink: Findings) -> bool:
    """Whether the workbook's own value of ``target`` had its own error (an option's cost of
    "£420k", a parameter's bad cell): there is no value to hold the range against, and the
    range is not said to miss "0" or the default, which the workbook never gave."""
    col, oid = target
    if oid is not None:
        row = options.loc[options["option_id"] == oid] if col in options.columns else options.iloc[:0]
        return bool(len(row)) and bool(pd.isna(row[col].iloc[0]))
    at = param_rows.get(col)
    return at is not None and any(f.level == "error" and f.sheet == "Parameters" and f.row == at and f.column == "value"
                                  for f in sink.items)


def check_uncertainty(uncertainty: pd.DataFrame, params: Parameters | None, options: pd.DataFrame, sink: Findings,
                      param_rows: Mapping[str, int] | None = None) -> None:
    """Each row names a numeric input once, with low <= the workbook's value <= high (not
    checked when that value had its own error: :func:`_value_unread`)."""
    from desktop_app.core.workbook.sheets import _param_value  # one rule for the three sheets

    rows = uncertainty.attrs.get("excel_rows", [])
    seen: dict[str, int] = {}
    for k, (name, lo, hi) in enumerate(zip(uncertainty["parameter"], uncertainty["low"], uncertainty["high"], strict=True)):
        r = int(rows[k]) if k < len(rows) else None
        if not name:
            continue
        target, problem = _target_problem(name, options, numeric=True)
        if problem or target is None:
            sink.error("Uncertainty", r, "parameter", problem or "", "unknown input")
            continue
        key = f"{target[1]}.{target[0]}"
        if key in seen:
            sink.error("Uncertainty", r, "parameter", f"{name} is already listed at row {seen[key]}; keep one row per input")
            continue
        seen[key] = r or 0
        if math.isnan(lo) or math.isnan(hi) or params is None:
            continue  # a bad or blank cell, already reported
        p = schema.PARAMETERS_BY_NAME.get(target[0]) if target[1] is None else None
        ends_bad = False
        for col, x in (("low", lo), ("high", hi)):
            if p is None:  # an option's cost: a number >= 0, as a scenario's must be
                if x < 0:
                    ends_bad = True
                    sink.error("Uncertainty", r, col, f"{name}: {fmt(x)} is not a cost; expected a number >= 0 (GBP)")
                continue
            # The one conversion rule of the Parameters and Scenarios sheets, so a strict
            # "more than 0" (a speed, a target) holds here too: 0 km/h had divided by zero.
            _value, problem, _ = _param_value(p, x, None)
            if problem:
                ends_bad = True
                sink.error("Uncertainty", r, col, f"{p.name}: {problem}")
        if ends_bad:
            continue
        if lo > hi:  # the two ends swapped: say so, not that the range misses the value
            sink.error("Uncertainty", r, "high", f"high ({fmt(hi)}) is below low ({fmt(lo)}); expected low <= high",
                       "low above high")
            continue
        if _value_unread(target, options, param_rows or {}, sink):
            continue  # the value's own error is reported where it is; checked once it reads
        now = workbook_value(target, params, options)
        if now is None or cell_text(now) == "":
            # nothing to vary around (armed_incidents_per_year left blank): the re-run would
            # have no base case to compare with
            sink.error("Uncertainty", r, "parameter",
                       f"{name} has no value in the workbook to vary around; give it one on the Parameters sheet "
                       "or delete this row", "no workbook value")
            continue
        try:
            v = float(now)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not lo <= v <= hi:
            col = "low" if lo > v else "high"
            sink.error("Uncertainty", r, col,
                       f"the range {fmt(lo)} to {fmt(hi)} does not contain the workbook's value of {name} ({fmt(v)}); "
                       "expected low <= workbook value <= high", "range excludes the value")


def check_equality_columns(params: Parameters | None, param_rows: dict[str, int], areas: pd.DataFrame, sink: Findings,
                           scenarios: pd.DataFrame | None = None) -> None:
    """Every ``equality_columns`` name is an Areas column with at most 20 distinct values:
    the Parameters sheet's, and any a scenario sets (which had passed unchecked)."""
    if params is None:
        return
    _check_equality_names(params.equality_column_names(), "Parameters", param_rows.get("equality_columns"), "",
                          areas, sink)
    if scenarios is None or len(scenarios) == 0:
        return
    rows = scenarios.attrs.get("excel_rows", [])
    for k, (scen, name, value) in enumerate(zip(scenarios["scenario"], scenarios["parameter"], scenarios["value"],
                                                strict=True)):
        if parameter_key(name) != "equality_columns":
            continue
        names = dataclasses.replace(params, equality_columns=cell_text(value)).equality_column_names()
        _check_equality_names(names, "Scenarios", int(rows[k]) if k < len(rows) else None, f"scenario '{scen}': ",
                              areas, sink)


def _check_equality_names(names: Sequence[str], sheet: str, r: int | None, prefix: str, areas: pd.DataFrame,
                          sink: Findings) -> None:
    if not len(areas):  # no Areas rows (or no sheet) to hold the column: that is already the error
        return
    by_key = {normalise_header(c): c for c in areas.columns}
    for name in names:
        col = by_key.get(normalise_header(name))
        if col is None:
            sink.error(sheet, r, "value",
                       f"{prefix}equality_columns names '{name}', which is not a column of the Areas sheet; add the "
                       "column or remove the name")
            continue
        distinct = {equality_group_label(v) for v in areas[col]}
        if len(distinct) > schema.EQUALITY_MAX_GROUPS:
            sink.error(sheet, r, "value",
                       f"{prefix}the Areas column '{name}' has {len(distinct)} distinct values; equality_columns takes "
                       f"columns with at most {schema.EQUALITY_MAX_GROUPS} (group the values first, e.g. IMD deciles)")


def equality_group_label(value: object) -> str:
    """An Areas cell as the text of its equality group (3.0 -> "3"; blank -> "(blank)")."""
    text = cell_text(value) if not (isinstance(value, float) and math.isnan(value)) else ""
    return text or "(blank)"
