"""The Coverage view's one-paragraph summary of the chosen option, in words a chief officer reads."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from desktop_app.core.coverage.units import DAY_SHORT
from desktop_app.core.results import CoverageResult
from desktop_app.core.shown import difference, percent
from desktop_app.core.workbook.schema import within_target
from desktop_app.ui import palette
from desktop_app.ui.coverage_values import ALL_DAY, hour_label


def summary_text(cov: CoverageResult, oid: str, base: str, hour: int, names: dict[str, str],
                 backup_target: float | None = None, all_free: bool = False) -> str:
    """Rich text: share reached within target (busy units allowed for and all free), the
    change against the baseline, and the week's median and 90th percentile. The words
    lead with what the map shows: with ``backup_target`` (the second-officer map) the
    share a second armed officer reaches within it; with ``all_free`` (the all-free map)
    the share if every unit were free, the busy-unit share in brackets."""
    if backup_target is not None and cov.by_hour_backup is not None:
        return _backup_text(cov, oid, base, hour, names, backup_target)
    free_table: Any = cov.by_hour_all_free if cov.by_hour_all_free is not None else cov.by_hour
    # float64 frames; pandas-stubs types .at[] as any scalar, so read them untyped
    measures: Any = cov.measures
    by_hour: Any = cov.by_hour
    if hour == ALL_DAY:
        share = float(measures.at[oid, "population_coverage"])
        free = float(measures.at[oid, "population_coverage_all_free"])
        base_share = float(measures.at[base, "population_coverage"])
        when = "over the week"
    else:
        share = float(by_hour.at[hour, oid])
        free = float(free_table.at[hour, oid])
        base_share = float(by_hour.at[hour, base])
        when = f"on {DAY_SHORT[hour // 24]} at {hour_label(hour % 24)}"
    median = float(measures.at[oid, "median_response_minutes"])
    p90 = float(measures.at[oid, "p90_response_minutes"])
    # Infinite: more than a tenth (half) of calls would find no free armed unit at all.
    p90_text = "not reached (over a tenth of calls find no free armed unit)" if math.isinf(p90) else f"{p90:.0f} min"
    median_text = "not reached (over half of calls find no free armed unit)" if math.isinf(median) else f"{median:.0f} min"
    # Threat cover (what the sample's appraisal scores) differs from residents' cover:
    # said here so the figure on the Value functions and Scenarios views is on this page too.
    threat = float(measures.at[oid, "threat_coverage"])
    week = (f"Over the week, allowing for busy units: median {median_text}, 90th percentile {p90_text}; "
            f"threat covered {percent(threat, 1)} (areas weighted by their APSTRA threat, not residents).")
    name = escape(names.get(oid, oid))
    if all_free:
        free_base = (float(measures.at[base, "population_coverage_all_free"]) if hour == ALL_DAY
                     else float(free_table.at[hour, base]))
        return (f"<b>{name}</b>: if every unit were free, the nearest armed unit would reach <b>{percent(free, 1)}</b> "
                f"of residents {within_target(cov.target_minutes)} {when}{_versus(oid, base, names, free, free_base)} "
                f"({percent(share, 1)} allowing for units busy elsewhere). &nbsp;{week}")
    return (
        f"<b>{name}</b>: allowing for units busy elsewhere, the nearest free armed unit reaches <b>{percent(share, 1)}</b> of residents "
        f"{within_target(cov.target_minutes)} {when}{_versus(oid, base, names, share, base_share)} "
        f"({percent(free, 1)} if every unit were free). &nbsp;{week}"
    )


def _backup_text(cov: CoverageResult, oid: str, base: str, hour: int, names: dict[str, str], minutes: float) -> str:
    """The second officer's paragraph: the share of residents with two armed officers on
    scene within the backup target, against the baseline, and the first officer's share
    beside it (the two targets differ, so a second officer can reach more than a first)."""
    measures: Any = cov.measures
    table: Any = cov.by_hour_backup
    by_hour: Any = cov.by_hour
    if hour == ALL_DAY:
        share, base_share = float(measures.at[oid, "backup_coverage"]), float(measures.at[base, "backup_coverage"])
        first, when = float(measures.at[oid, "population_coverage"]), "over the week"
    else:
        share, base_share, first = float(table.at[hour, oid]), float(table.at[hour, base]), float(by_hour.at[hour, oid])
        when = f"on {DAY_SHORT[hour // 24]} at {hour_label(hour % 24)}"
    compare = _versus(oid, base, names, share, base_share)
    return (f"<b>{escape(names.get(oid, oid))}</b>: a second armed officer is on scene within {minutes:g} minutes "
            f"for <b>{percent(share, 1)}</b> of residents {when}{compare}, allowing for busy units. &nbsp;The first "
            f"free armed unit reaches {percent(first, 1)} {within_target(cov.target_minutes)}.")


def _versus(oid: str, base: str, names: dict[str, str], share: float, base_share: float) -> str:
    """`` (+13.4 points vs Do minimum)`` in muted ink: the difference of the two figures
    shown (0.1% each), or nothing for the baseline itself."""
    if oid == base:
        return ""
    delta = difference(100 * share, 100 * base_share)
    return (f" &nbsp;<span style='color:{palette.MUTED_INK}'>({'+' if delta >= 0 else '−'}{abs(delta):.1f} points vs "
            f"{escape(names.get(base, base))})</span>")
