"""Read the Options and Deployments sheets: what each option is, and the armed assets it deploys.

Like every sheet reader (:mod:`sheets`), each bad cell is one finding naming sheet,
Excel row and column; references to other sheets are checked in :mod:`cross_checks`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.demand_sheets import read_days
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.keyed_sheets import (
    int_column,
    key_column,
    name_column,
    open_sheet,
    text_column,
    was_bad,
    with_excel_rows,
)


def read_options(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "Options", sink, ["option_id", "baseline", "one_off_cost_gbp", "annual_cost_gbp", "implementation_months"])
    ids = key_column(t, "option_id", "option")
    names = name_column(t, "option_name", ids)
    desc = t.text("description", required_cells=False)
    base = t.boolean("baseline")
    df = pd.DataFrame(
        {
            "option_id": text_column(ids),
            "option_name": names,
            "description": text_column(desc),
            "baseline": np.array([bool(b) for b in base], dtype=bool),
            "one_off_cost_gbp": t.number("one_off_cost_gbp"),
            "annual_cost_gbp": t.number("annual_cost_gbp"),
            "implementation_months": t.number("implementation_months"),
            "optimism_bias": np.nan_to_num(t.number("optimism_bias", required_cells=False), nan=0.0),
        }
    )
    n_base = int(df["baseline"].sum())
    if t.n and t.has("baseline") and n_base != 1:
        if n_base == 0:
            msg = "no option is marked as the baseline; set baseline to TRUE for exactly one option (the do-minimum)"
        else:
            marked = ", ".join(df.loc[df["baseline"], "option_id"].astype(str))
            msg = f"{n_base} options are marked as the baseline ({marked}); set baseline to TRUE for exactly one option (the do-minimum)"
        sink.error(t.sheet, None, "baseline", msg)
    if n_base == 1:  # otherwise which option is the do-minimum is the finding to fix first
        _warn_costless_options(t, df, sink)
    bias = df["optimism_bias"].to_numpy(np.float64)
    for i in np.flatnonzero(bias > OPTIMISM_BIAS_PLAUSIBLE).tolist():
        # a fraction (0.2 = 20%); 20 typed for 20% multiplies the costs by 21 without a word
        sink.warning(t.sheet, t.row_numbers[i], "optimism_bias",
                     f"optimism_bias {bias[i]:g} adds {bias[i]:.0%} to the option's costs; it is a fraction "
                     f"(0.2 = 20%): if {bias[i]:g}% is meant, enter {bias[i] / 100:g}", "optimism bias looks like a percentage")
    return with_excel_rows(df, t)


#: Above this an optimism bias (a fraction of the costs) is most likely a percentage typed as
#: a number: the Green Book's supplementary guidance gives upper bounds of up to 200% (2.0)
#: for the riskiest capital projects (docs/data-sources.md#optimism-bias).
OPTIMISM_BIAS_PLAUSIBLE = 2.0


def _warn_costless_options(t: Table, df: pd.DataFrame, sink: Findings) -> None:
    """Warn on an option other than the baseline whose one-off and annual costs are both 0.

    The contract allows 0 (a change of rota can cost nothing), so it is not an error. But
    an option with no cost entered reads as free: its whole-life cost is 0, so it scores
    best on cost and sits on the efficient frontier as if it cost nothing, as an option the
    optimiser wrote into a copy of the workbook (costs left for the force to enter) once
    did, unnoticed (docs/workbook-format.md#what-validate-checks). The baseline is exempt:
    the do-minimum often costs nothing extra.
    """
    free = (~df["baseline"].to_numpy() & (df["one_off_cost_gbp"].to_numpy() == 0)
            & (df["annual_cost_gbp"].to_numpy() == 0))
    for i in np.flatnonzero(free).tolist():
        sink.warning(
            t.sheet, t.row_numbers[i], "one_off_cost_gbp",
            f"option {df['option_id'].iat[i]} has no cost entered (one-off and annual both 0): its whole-life "
            "cost and value for money read as free; enter its costs",
            "no cost entered",
        )


def warn_no_unit_answers(params: Parameters | None, param_rows: dict[str, int], sink: Findings) -> None:
    """Warn of Parameters with which no armed unit answers in time, whatever the deployments:
    an asset type's default busy fraction of 1 (said once here, not at every row using it),
    and authorisation alone taking the whole response or second-officer target (each
    deployment had been warned of only against the longer of the two targets)."""
    if params is None:
        return
    for name in ("busy_fraction_arv", "busy_fraction_aro"):
        if float(getattr(params, name)) >= 1.0:
            sink.warning("Parameters", param_rows.get(name), "value",
                         f"{name} {float(getattr(params, name)):g} means every unit that takes this default is always "
                         "busy elsewhere and never answers an armed call; check the value", "unit never free")
    auth = float(params.authorisation_minutes)
    for limit, which in ((params.target_minutes, "response"), (params.backup_target_minutes, "second-officer")):
        if auth >= float(limit):
            sink.warning("Parameters", param_rows.get("authorisation_minutes"), "value",
                         f"authorisation_minutes {auth:g} is at least the {float(limit):g}-minute {which} target, so "
                         f"no armed unit can arrive within it anywhere and every {which} cover is 0; check the value",
                         "authorisation uses up the target")


#: The defaults a blank busy_fraction falls back on that are warned of when not set. The
#: armed response officers' tool default, 0.1, is far below the third of the time such
#: officers are busy with other work (docs/data-sources.md#busy-units-in-the-sample), so
#: leaning on it silently flatters arming them; the ARV crews' 0.3 is the planning figure.
BUSY_DEFAULT_PARAMETER = {"ARMED_RESPONSE_OFFICER": "busy_fraction_aro"}


def warn_tool_busy_defaults(deployments: pd.DataFrame, params: Parameters | None, param_rows: dict[str, int],
                            sink: Findings) -> None:
    """Warn, once per parameter, when deployments leave ``busy_fraction`` blank and the
    Parameters sheet does not set the default they fall back on, so the tool's own
    default decides how often those units are free (docs/data-sources.md#parameters-tool-defaults).

    Busy units are what the cover rests on: an OR review found that a workbook without
    ``busy_fraction_aro`` silently took 0.1 for armed response officers who are busy about
    a third of the time, and the rural option rose from 53.4 to 59.3 and from 15% to 25%
    first in the robustness draws, with no word.
    """
    if params is None or deployments.empty:
        return
    blank = deployments["busy_fraction_default"].to_numpy(dtype=bool)
    assets = deployments["asset_type"].astype(str).to_numpy()
    rows = deployments["excel_row"].to_numpy()
    for name in dict.fromkeys(BUSY_DEFAULT_PARAMETER.values()):
        if name in param_rows:
            continue
        mine = blank & np.isin(assets, [a for a, p in BUSY_DEFAULT_PARAMETER.items() if p == name])
        if not mine.any():
            continue
        n = int(mine.sum())
        sink.warning("Deployments", int(rows[np.flatnonzero(mine)[0]]), "busy_fraction",
                     f"{n} deployment{'s leave' if n != 1 else ' leaves'} busy_fraction blank and the Parameters sheet does "
                     f"not set {name}, so {'they take' if n != 1 else 'it takes'} the tool's default "
                     f"{float(getattr(params, name)):g}; the cover rests on how often units are free, so set "
                     f"{name} (or each row's busy_fraction) from the force's own command-and-control data",
                     "tool default busy fraction")


def _warn_unreachable_targets(t: Table, mob: np.ndarray, mob_default: np.ndarray,
                              params: Parameters, sink: Findings) -> None:
    """Warn where mobilisation and authorisation alone use up both targets: the contract
    sets no upper limit, but such a unit covers no area in time, which is almost always a
    slip (hours typed as minutes, a stray digit) that would otherwise pass silently as a
    unit that adds nothing (docs/workbook-format.md#what-validate-checks)."""
    limit, which = max((params.target_minutes, "response"), (params.backup_target_minutes, "second-officer"))
    auth = params.authorisation_minutes
    for i in np.flatnonzero(np.isfinite(mob) & (mob + auth >= limit)).tolist():
        where = " (the asset type's default)" if mob_default[i] else ""
        sink.warning(
            t.sheet, t.row_numbers[i], "mobilisation_minutes",
            f"mobilisation {mob[i]:g} minutes{where} plus authorisation {auth:g} is at least the "
            f"{limit:g}-minute {which} target, so this unit reaches no area in time; check the value",
            "mobilisation uses up the target",
        )


def read_deployments(raw: RawSheet | None, params: Parameters | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "Deployments", sink)
    opt = t.text("option_id")
    site = t.text("site_id")
    asset = t.code("asset_type")
    posts = t.number("posts")
    crew = t.number("crew_size")
    start = t.number("start_hour")
    end = t.number("end_hour")
    busy = t.number("busy_fraction", required_cells=False)
    mob = t.number("mobilisation_minutes", required_cells=False)
    days = read_days(t)
    same = np.isfinite(start) & (start == end)
    for i in np.flatnonzero(same).tolist():
        sink.error(
            t.sheet, t.row_numbers[i], "end_hour",
            f"start_hour and end_hour are both {start[i]:g}, so the deployment is never on duty; "
            "use 0 and 24 for all day, or different hours", "start equals end",
        )
    # Which rows took the asset type's default, so a scenario that changes the default
    # changes them too (docs/appraisal-method.md#scenarios).
    busy_default = np.isnan(busy) & ~np.array([was_bad(t, "busy_fraction", i) for i in range(t.n)], dtype=bool)
    mob_default = np.isnan(mob) & ~np.array([was_bad(t, "mobilisation_minutes", i) for i in range(t.n)], dtype=bool)
    # 24 to 0 wraps past a midnight that begins no hour: never on duty (h >= 24 or h < 0).
    for i in np.flatnonzero((start == 24) & (end == 0)).tolist():
        sink.error(
            t.sheet, t.row_numbers[i], "end_hour",
            "start_hour 24 and end_hour 0 is never on duty; use 0 and 24 for all day",
            "start 24, end 0",
        )
    if params is not None:
        for i, a in enumerate(asset):
            if a is None:
                continue
            if busy_default[i]:
                busy[i] = params.busy_fraction(a)
            if mob_default[i]:
                mob[i] = params.mobilisation_minutes(a)
        _warn_unreachable_targets(t, mob, mob_default, params, sink)
    for i in np.flatnonzero((busy >= 1.0) & ~busy_default).tolist():
        # allowed (the contract's range is 0 to 1), but such a unit is never free to respond;
        # a default of 1 is said once, at its Parameters row (warn_no_unit_answers)
        sink.warning(t.sheet, t.row_numbers[i], "busy_fraction",
                     f"busy_fraction {busy[i]:g} means the unit is always busy elsewhere, so it never answers an "
                     "armed call; check the value", "unit never free")
    df = pd.DataFrame(
        {
            "option_id": text_column(opt),
            "site_id": text_column(site),
            "asset_type": text_column(asset),
            "posts": int_column(posts),
            "crew_size": int_column(crew),
            "start_hour": int_column(start),
            "end_hour": int_column(end),
            "days": days,
            "busy_fraction": busy,
            "mobilisation_minutes": mob,
            "site_index": np.full(t.n, -1, dtype=np.int64),
            "excel_row": np.array(t.row_numbers, dtype=np.int64),
            "busy_fraction_default": busy_default,
            "mobilisation_default": mob_default,
        }
    )
    return df
