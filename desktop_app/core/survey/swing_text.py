"""Each swing said in its units: "from 62% to 90% of residents reached within 20 minutes".

docs/survey.md#the-form. A swing weight is only meaningful against the range it swings
across (docs/appraisal-method.md#scales), so the form states each criterion's worst and
best ends, from the value model's scales, in the measure's own units.
"""

from __future__ import annotations

import math

from desktop_app.core.appraisal.value_functions import Scale
from desktop_app.core.workbook.schema import within_target

#: What a share of each coverage measure is a share of; ``{target}`` / ``{backup}`` are the targets.
_SHARE_OF: dict[str, str] = {
    "population_coverage": "residents reached by a free armed unit {target}",
    "threat_coverage": "the force's threat (its threat index) reached by a free armed unit {target}",
    "incident_coverage": "past armed incidents' locations reached by a free armed unit {target}",
    "population_coverage_all_free": "residents reached {target} if every armed unit were free",
    "threat_coverage_all_free": "the force's threat reached {target} if every armed unit were free",
    "backup_coverage": "residents reached by a second armed officer {backup}",
    "rural_coverage": "rural residents reached by a free armed unit {target}",
    "urban_coverage": "urban residents reached by a free armed unit {target}",
}
_MINUTES_OF: dict[str, str] = {
    "median_response_minutes": "for half of residents to be reached by the first free armed unit (the median)",
    "p90_response_minutes": "for nine in ten residents to be reached by the first free armed unit (the 90th percentile)",
    "rural_gap_minutes": "longer in rural areas than in towns for the median response (the rural gap)",
}


def _pct(worst: float, best: float) -> tuple[str, str]:
    """Whole percentages, or one decimal when whole ones would make the two ends look equal."""
    digits = 0 if round(100 * worst) != round(100 * best) else 1
    return f"{100 * worst:.{digits}f}%", f"{100 * best:.{digits}f}%"


def _num(x: float, digits: int = 1) -> str:
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(x: float) -> str:
    if abs(x) >= 1e6:
        return f"£{_num(x / 1e6, 2)}m"
    if abs(x) >= 1e3:
        return f"£{_num(x / 1e3, 0)}k"
    return f"£{_num(x, 0)}"


def measured_swing(measure: str, scale: Scale, *, target_minutes: float, backup_minutes: float,
                   threat_detail: str = "", years: int = 5) -> str:
    """The swing of a measured criterion, from the scale's worst end to its best."""
    w, b = float(scale.worst), float(scale.best)
    if not (math.isfinite(w) and math.isfinite(b)):
        ends = "from the worst option's value to the best option's"
        text = f"{ends} on this measure"
    elif measure in _SHARE_OF:
        lo, hi = _pct(w, b)
        what = _SHARE_OF[measure].format(target=within_target(target_minutes), backup=within_target(backup_minutes))
        text = f"from {lo} to {hi} of {what}"
        if measure.startswith("threat") and threat_detail:
            text += f" ({threat_detail})"
    elif measure in _MINUTES_OF:
        text = f"from {_num(w)} to {_num(b)} minutes {_MINUTES_OF[measure]}"
    elif measure == "whole_life_cost_gbp":
        text = f"from {_money(w)} to {_money(b)} whole-life cost ({years} years, discounted, with optimism bias)"
    elif measure == "officers_required":
        text = f"from {_num(w, 0)} to {_num(b, 0)} armed officers the force must find (full-time equivalents)"
    elif measure == "neighbour_officers":
        text = f"from {_num(w, 0)} to {_num(b, 0)} neighbouring force's armed officers relied on (full-time equivalents)"
    elif measure == "implementation_months":
        text = f"from {_num(w)} to {_num(b)} months to put in place"
    else:
        text = f"from {_num(w, 3)} to {_num(b, 3)} on {measure}"
    if scale.value_points:
        text += "; the value does not rise in a straight line between the ends (a value function)"
    if scale.local:
        text += "; these ends are the worst and best of the options on the table"
    return text


def judgement_swing(notes: str) -> str:
    """The swing of a judgement criterion: from a score of 0 to 100, with the workbook's anchors."""
    base = "from a judgement score of 0 to a score of 100"
    notes = " ".join(str(notes or "").split())
    return f"{base} ({notes})" if notes else base
