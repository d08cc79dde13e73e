"""Equality breakdown: population coverage of each community group, option by option.

docs/appraisal-method.md#equality. For each Areas column named by ``equality_columns``
the areas are grouped by that column's value (at most 20 groups) and, for each group
and option, ``population_coverage`` is computed over that group's areas only. Why: the
Public Sector Equality Duty (Equality Act 2010, s.149) asks how a decision falls on
different communities, and a force-wide average can hide a group left behind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs
from desktop_app.core.results import CoverageResult
from desktop_app.core.shown import percent, percent_points, points_words
from desktop_app.core.workbook.appraisal_sheets import equality_group_label
from desktop_app.core.workbook.schema import normalise_header

#: Per area, F(T): the chance over the week that a free armed unit reaches it within the
#: target (busy units allowed for), population-weighted into ``population_coverage``
#: (docs/measures.md): the same cover the measure uses.
AREA_COVER_COLUMN = "expected_cover"

Breakdown = dict[str, dict[str, dict[str, float | None]]]


def _label_key(label: str) -> tuple[int, float, str]:
    """Numeric labels in number order (decile 2 before decile 10), then text, blanks last."""
    if label == "(blank)":
        return (2, 0.0, label)
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def equality_breakdown(inputs: ForceInputs, coverage: CoverageResult, option_ids: list[str] | None = None) -> Breakdown:
    """{column: {group value as text: {option_id: population_coverage over the group's areas}}}.

    A group with no residents has no coverage (None).
    """
    areas = inputs.areas
    by_key = {normalise_header(c): c for c in areas.columns}
    pop = areas["population"].to_numpy(dtype=np.float64)
    ids = option_ids if option_ids is not None else list(coverage.per_area)
    out: Breakdown = {}
    for name in inputs.parameters.equality_column_names():
        col = by_key.get(normalise_header(name))
        if col is None:
            continue
        labels = np.array([equality_group_label(v) for v in areas[col]], dtype=object)
        groups: dict[str, dict[str, float | None]] = {}
        for label in sorted(set(labels.tolist()), key=_label_key):
            mask = labels == label
            p = pop[mask]
            total = float(p.sum())
            groups[label] = {}
            for oid in ids:
                cover = coverage.per_area[oid][AREA_COVER_COLUMN].to_numpy(dtype=np.float64)[mask]
                groups[label][oid] = float(p @ cover / total) if total > 0 else None
        out[name] = groups
    return out


@dataclass(frozen=True)
class Gap:
    """The widest gap in one option's coverage between two groups of one column."""

    column: str
    option_id: str
    low_group: str
    low: float
    high_group: str
    high: float

    @property
    def alike(self) -> bool:
        """The groups' shares are the same as shown, in whole percent: no gap to name.

        Why: with every group at 100% the sentence had named one group twice, "between IMD 1
        and IMD 1 ... 0 percentage points".
        """
        return percent_points(self.high, self.low) == 0

    def sentence(self, option_name: str | None = None) -> str:
        """The gap in words, the column and its groups as a reader knows them.

        "Under Extra ARV crew (peak hours) the widest gap by IMD decile is between IMD
        decile 10 (least deprived), with 28% of residents covered, and IMD decile 1 (most
        deprived), with 63%: 34 percentage points." ``option_name`` names the option (its
        code when not given).
        """
        what = column_words(self.column)
        if self.alike:
            return (f"Under {option_name or 'option ' + self.option_id} every group by {what} has the same "
                    f"share of its residents covered: {percent(self.low)}.")
        low, high = group_words(self.column, self.low_group), group_words(self.column, self.high_group)
        return (f"Under {option_name or 'option ' + self.option_id} the widest gap by {what} is between {low}, "
                f"with {percent(self.low)} of residents covered, and {high}, with {percent(self.high)}: "
                f"{points_words(self.high, self.low)}.")


def column_words(column: str) -> str:
    """An equality column as a reader knows it: ``imd_decile`` -> "IMD decile"."""
    known = {"imd_decile": "IMD decile", "imd_quintile": "IMD quintile", "imd": "IMD"}
    if column.lower() in known:
        return known[column.lower()]
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def group_label(column: str, group: str) -> str:
    """A group within its column: "1 (most deprived)", "2", ... "10 (least deprived)".

    Only a column whose name says decile or quintile is read as one: a bare ``imd`` may hold
    a score (higher is more deprived) or a rank, so its groups are shown as they are.
    """
    name = column.lower()
    if name.startswith("imd") and ("decile" in name or "quintile" in name):
        top = "10" if "decile" in name else "5"
        if group == "1":
            return group + " (most deprived)"
        if group == top:
            return group + " (least deprived)"
    return group


def group_words(column: str, group: str) -> str:
    """A group as a reader knows it: "IMD decile 1 (most deprived)"."""
    return f"{column_words(column)} {group_label(column, group)}"


def axis_words(column: str) -> str:
    """The groups' axis title: "IMD decile (1 = most deprived, 10 = least deprived)"."""
    what = column_words(column)
    return what + (" (1 = most deprived, 10 = least deprived)" if column.lower() == "imd_decile" else "")


def widest_gap(breakdown: Breakdown, option_id: str) -> Gap | None:
    """The column and pair of groups with the largest coverage difference for one option."""
    best: Gap | None = None
    for column, groups in breakdown.items():
        vals: list[tuple[str, float]] = [(g, float(x)) for g, by in groups.items()
                                         if (x := by.get(option_id)) is not None and math.isfinite(float(x))]
        if len(vals) < 2:
            continue
        lo = min(vals, key=lambda t: t[1])
        hi = max(vals, key=lambda t: t[1])
        if best is None or hi[1] - lo[1] > best.high - best.low:
            best = Gap(column, option_id, lo[0], lo[1], hi[0], hi[1])
    return best


def breakdown_frame(breakdown: Breakdown) -> pd.DataFrame:
    """Long table (column, group, option_id, population_coverage) for the summary and the views."""
    rows = [(c, g, o, v) for c, groups in breakdown.items() for g, by in groups.items() for o, v in by.items()]
    return pd.DataFrame(rows, columns=["column", "group", "option_id", "population_coverage"])
