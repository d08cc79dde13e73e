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


def summary_text(cov: CoverageResult, oid: str, base: str, hour: int, names: dict[str, str]) -> str:
    """Rich text: share reached within target (busy units allowed for and all free), the
    change against the baseline, and the week's median and 90th percentile."""
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
    delta = difference(100 * share, 100 * base_share)  # of the two figures shown
    sign = "+" if delta >= 0 else "−"
    p90_text = "no cover for some" if math.isinf(p90) else f"{p90:.0f} min"
    compare = "" if oid == base else (
        f" &nbsp;<span style='color:{palette.MUTED_INK}'>({sign}{abs(delta):.1f} points vs "
        f"{escape(names.get(base, base))})</span>")
    median_text = "no free unit for most" if math.isinf(median) else f"{median:.0f} min"
    return (
        f"<b>{escape(names.get(oid, oid))}</b>: allowing for units busy elsewhere, the nearest free armed unit reaches <b>{percent(share, 1)}</b> of residents "
        f"{within_target(cov.target_minutes)} {when}{compare} ({percent(free, 1)} if every unit were free). &nbsp;Over the week, "
        f"allowing for busy units: median {median_text}, 90th percentile {p90_text}."
    )
