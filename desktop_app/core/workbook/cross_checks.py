"""Rules that need two sheets: references between sheets and completeness.

Each sheet is first read on its own (:mod:`reader_sheets`); these checks then
tie them together: every reference names something that exists, every area
has a threat row, every judgement criterion has a score for every option (or the
option has none yet and is awaiting scores).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.findings import Findings, knock_on_message, report_unknown_areas


def _rows(df: pd.DataFrame) -> list[int]:
    return [int(x) for x in df.attrs.get("excel_rows", [])]


def align_threat(
    threat_ids: list[str | None], cols: dict[str, np.ndarray], t: Table, areas: pd.DataFrame, sink: Findings
) -> pd.DataFrame:
    """Threat values aligned row-for-row with Areas; unknown and missing areas reported."""
    area_ids = areas["area_id"].tolist()
    index = pd.Index(area_ids)
    ids = np.array(threat_ids, dtype=object)
    if index.is_unique:
        where = index.get_indexer(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    else:  # duplicate area IDs are already reported; the first of each counts
        first = {a: i for i, a in reversed(list(enumerate(area_ids)))}
        where = np.array([first.get(a, -1) for a in ids], dtype=np.int64)
    unknown = [int(k) for k in np.flatnonzero(where < 0) if ids[k] is not None]
    report_unknown_areas(sink, t.sheet, t.row_numbers, unknown, list(ids), "Threat rows", bool(area_ids))
    repeated = pd.Series(ids, dtype=object).duplicated(keep="first").to_numpy() if len(ids) else np.zeros(0, dtype=bool)
    use = (where >= 0) & ~repeated  # repeated threat rows are already reported
    out = {name: np.full(len(area_ids), np.nan) for name in cols}
    for name, arr in cols.items():
        out[name][where[use]] = arr[use]
    have = np.zeros(len(area_ids), dtype=bool)
    have[where[use]] = True
    if not t.raw.is_empty and not t.missing and not have.all():
        pos = {a: i for i, a in reversed(list(enumerate(area_ids))) if a}  # only needed to report
        area_rows = _rows(areas)
        for i in np.flatnonzero(~have):
            if not area_ids[i] or pos.get(area_ids[i]) != i:
                continue  # blank or duplicate area_id: already reported
            sink.error("Areas", area_rows[i] if i < len(area_rows) else None, "area_id",
                       f"area '{area_ids[i]}' has no row in the Threat sheet; add a Threat row for it (zeros if there is no threat)",
                       "area without threat row")
    threat = pd.DataFrame(out, index=pd.RangeIndex(len(area_ids)))
    _check_threat_not_all_zero(threat, t, sink)
    return threat


def _check_threat_not_all_zero(threat: pd.DataFrame, t: Table, sink: Findings) -> None:
    """Threat coverage divides by the total threat: it must not be 0 everywhere."""
    if threat.empty or not len(threat.columns):
        return
    values = threat.to_numpy(dtype=np.float64)
    if np.isnan(values).any():
        return  # blanks or bad cells already reported
    if not (values > 0).any():
        sink.error(t.sheet, None, None,
                   "every threat value is 0, so the threat index is 0 everywhere and threat coverage cannot be "
                   "computed; enter the indicator counts or rates for each area")


def check_deployments(deps: pd.DataFrame, options: pd.DataFrame, sites: pd.DataFrame, sink: Findings) -> None:
    """Deployment references; fills ``site_index``; warns about options with no deployments."""
    opt_ids = set(options["option_id"]) - {""}
    site_pos = {s: i for i, s in reversed(list(enumerate(sites["site_id"]))) if s}
    site_index = deps["site_index"].to_numpy().copy()
    # Plain lists: pandas' per-cell .iat cost about 0.2 s for the national case's 3,914 rows.
    rows_, oids, sids = deps["excel_row"].tolist(), deps["option_id"].tolist(), deps["site_id"].tolist()
    assets = deps["asset_type"].tolist() if "asset_type" in deps else [""] * len(deps)
    site_types = sites["site_type"].tolist() if "site_type" in sites else [""] * len(sites)
    if not site_pos:  # no Sites at all: one finding for every deployment, not one each
        named = [k for k in range(len(deps)) if sids[k]]
        if named:
            sink.error("Deployments", int(rows_[named[0]]), "site_id",
                       knock_on_message(len(named), "deployments", "site", "Sites"), "sites sheet missing")
    for k in range(len(deps)):
        r = int(rows_[k])
        oid = oids[k]
        sid = sids[k]
        if oid and oid not in opt_ids and opt_ids:
            sink.error("Deployments", r, "option_id", f"option '{oid}' is not in the Options sheet; expected an option_id listed there", "unknown option")
        if sid:
            i = site_pos.get(sid)
            if i is None:
                if site_pos:
                    sink.error("Deployments", r, "site_id", f"site '{sid}' is not in the Sites sheet; expected a site_id listed there", "unknown site")
            else:
                site_index[k] = i
                _warn_neighbour_mismatch(r, sid, str(assets[k]), str(site_types[i]), sink)
    deps["site_index"] = site_index.astype(np.int64)
    used = set(deps["option_id"])
    rows = _rows(options)
    for k, oid in enumerate(options["option_id"]):
        if oid and oid not in used:
            sink.warning("Options", rows[k] if k < len(rows) else None, "option_id",
                         f"option '{oid}' has no rows in Deployments, so it puts no armed asset anywhere",
                         "option with no deployments")


def _warn_neighbour_mismatch(row: int, site: str, asset: str, site_type: str, sink: Findings) -> None:
    """Warn when a deployment's asset type and its site's type disagree about whose officers
    they are (docs/measures.md#measures-per-option).

    ``officers_required`` counts every crew but a ``NEIGHBOUR_ARV``'s as the force's own:
    an analyst's review entered the neighbour's crew as ``ARV`` at its ``NEIGHBOUR_BASE``,
    and the force's officers rose from 44 to 55 while ``neighbour_officers`` fell to 0,
    without a word. A ``NEIGHBOUR_ARV`` at one of the force's own sites is as likely a slip.
    """
    if not asset or not site_type or (asset == "NEIGHBOUR_ARV") == (site_type == "NEIGHBOUR_BASE"):
        return
    if asset == "NEIGHBOUR_ARV":
        why = (f"a NEIGHBOUR_ARV at site '{site}', which the Sites sheet gives as {site_type}, one of the force's "
               "own: its crew is left out of officers_required as another force's; if the crew is the "
               "force's own, make the asset ARV, else give the site the type NEIGHBOUR_BASE")
    else:
        why = (f"an {asset} at site '{site}', which the Sites sheet gives as NEIGHBOUR_BASE: its crew is counted in "
               "officers_required as the force's own officers; if it is the neighbour's, make the asset NEIGHBOUR_ARV")
    sink.warning("Deployments", row, "asset_type", why, "asset and site type disagree")


def check_judgements(
    judgements: pd.DataFrame, judgements_present: bool, criteria: pd.DataFrame, options: pd.DataFrame, sink: Findings
) -> None:
    """Judgement references, duplicates, and a score for every option on every judgement criterion."""
    is_judgement = criteria["measure"] == schema.JUDGEMENT
    j_crit = [c for c in criteria.loc[is_judgement, "criterion_id"] if c]
    all_crit = set(criteria["criterion_id"]) - {""}
    opt_ids = [o for o in options["option_id"] if o]
    if j_crit and not judgements_present:
        sink.error("Judgements", None, None,
                   f"the Judgements sheet is missing, but criteria {', '.join(j_crit)} are judgements; add a Judgements "
                   "sheet with a score (0-100) and rationale for every option on each")
        return
    rows = _rows(judgements)
    seen: dict[tuple[str, str], int] = {}
    for k in range(len(judgements)):
        r = rows[k] if k < len(rows) else None
        # text columns hold str ('' when blank; see keyed_sheets.text_column)
        oid, cid = cast(str, judgements["option_id"].iat[k]), cast(str, judgements["criterion_id"].iat[k])
        if oid and opt_ids and oid not in opt_ids:
            sink.error("Judgements", r, "option_id", f"option '{oid}' is not in the Options sheet; expected an option_id listed there", "unknown option")
        if cid and all_crit and cid not in all_crit:
            sink.error("Judgements", r, "criterion_id", f"criterion '{cid}' is not in the Criteria sheet; expected a criterion_id listed there", "unknown criterion")
        elif cid and cid in all_crit and cid not in j_crit:
            sink.warning("Judgements", r, "criterion_id", f"criterion '{cid}' is computed, not a judgement, so this score is not used", "score for a computed criterion")
        if oid and cid:
            if (oid, cid) in seen:
                sink.error("Judgements", r, "criterion_id", f"option '{oid}' is scored on '{cid}' twice (first at row {seen[(oid, cid)]}); keep one score", "duplicate score")
            else:
                seen[(oid, cid)] = r or 0
    _warn_fraction_scores(judgements, j_crit, rows, sink)
    awaiting = _awaiting_scores(j_crit, options, {o for o, _ in seen}, sink)
    for cid in j_crit:
        for oid in opt_ids:
            if (oid, cid) not in seen and oid not in awaiting:
                sink.error("Judgements", None, "score",
                           f"option '{oid}' has no score on the judgement criterion '{cid}'; add a row with option_id {oid}, "
                           f"criterion_id {cid}, a score 0-100 and a rationale", "missing judgement")


def _warn_fraction_scores(judgements: pd.DataFrame, j_crit: list[str], rows: list[int], sink: Findings) -> None:
    """Warn of a judgement criterion whose every score lies between 0 and 1, one above 0 at
    least: most likely fractions typed for a 0-100 scale (docs/workbook-format.md#what-validate-checks).

    An analyst's review typed 0.35 for 35: the scores passed as in range, the criterion's
    options all scored within one point of each other and the criterion counted for almost
    nothing. A real 0-100 judgement never puts every option at 1 or below.
    """
    if "score" not in judgements or judgements.empty:
        return
    scores = pd.to_numeric(judgements["score"], errors="coerce")
    for cid in j_crit:
        mine = (judgements["criterion_id"] == cid).to_numpy()
        s = scores[mine].dropna()
        if len(s) >= 2 and float(s.max()) <= 1.0 and float(s.max()) > 0.0:
            first = rows[int(np.flatnonzero(mine)[0])] if len(rows) else None
            shown = ", ".join(f"{v:g}" for v in s.head(3))
            sink.warning("Judgements", first, "score",
                         f"every score on the judgement criterion '{cid}' is between 0 and 1 ({shown}...): scores are "
                         "0-100, so these barely differ; if they are fractions, multiply them (and low/high) by 100",
                         "scores look like fractions")


def _awaiting_scores(j_crit: list[str], options: pd.DataFrame, scored: set[str], sink: Findings) -> set[str]:
    """The options left *awaiting scores*: not the baseline, and no Judgements row at all.

    Such an option (one the optimiser wrote into a copy of the workbook) is measured but
    not ranked until the room scores it, as an option added in the app is
    (docs/appraisal-method.md#awaiting-scores): a warning on its Options row, not an error,
    so the copy can still be appraised, and never another option's scores. An option scored
    on some judgement criteria but not others is left to check_judgements' error (a row forgotten),
    and so is the baseline: every other option is judged against the do-minimum.
    """
    if not j_crit:
        return set()
    rows = _rows(options)
    out: set[str] = set()
    for k, (oid, base) in enumerate(zip(options["option_id"], options["baseline"], strict=True)):
        if oid and not base and oid not in scored:
            out.add(oid)
            sink.warning("Options", rows[k] if k < len(rows) else None, "option_id",
                         f"option {oid} has no rows on the Judgements sheet, so it is awaiting scores: measured but "
                         f"not ranked until the workshop scores it on {', '.join(j_crit)} (a score 0-100 and a "
                         "rationale on each, in the app or on the Judgements sheet)", "awaiting scores")
    return out


def check_weight_sets(weight_sets: pd.DataFrame, criteria: pd.DataFrame, sink: Findings) -> None:
    all_crit = set(criteria["criterion_id"]) - {""}
    rows = _rows(weight_sets)
    for k, cid in enumerate(weight_sets["criterion_id"]):
        if cid and all_crit and cid not in all_crit:
            sink.error("WeightSets", rows[k] if k < len(rows) else None, "criterion_id",
                       f"criterion '{cid}' is not in the Criteria sheet; expected a criterion_id listed there", "unknown criterion")
