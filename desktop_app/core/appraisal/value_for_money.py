"""Value for money: benefit value against discounted whole-life cost, and the efficient frontier.

The Appraisal view's chart, workshop mode's chart and the summary workbook's Scores
chart all draw one table, :func:`value_for_money`, so they star the same options and
plot the same points (docs/appraisal-method.md). The value plotted is the *benefit*
value (benefit criteria only): a total that already holds cost, plotted against cost,
counts cost twice (the Green Book's MCDA guidance sets benefits against costs). Only a
workbook with no benefit criteria (every criterion a cost) falls back to the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.value_tree import efficient_frontier as benefit_frontier
from desktop_app.core.results import Appraisal

#: Axis titles for the value plotted: benefit value, or the total when there is none.
BENEFIT_AXIS = "Benefit value (0-100, benefit criteria only)"
TOTAL_AXIS = "Total value (0-100)"


@dataclass(frozen=True)
class ValueForMoney:
    """One point per option: its whole-life cost (GBP) and total value, and the frontier.

    ``frontier`` indexes ``option_ids`` (cheapest first); options with an unknown cost
    are drawn nowhere and are never on it.
    """

    option_ids: list[str]
    costs_gbp: np.ndarray
    values: np.ndarray
    frontier: list[int]
    #: True when ``values`` are benefit values (the usual case), False for totals.
    benefit: bool = True

    @property
    def axis_title(self) -> str:
        """The value axis' title: which value the chart plots."""
        return BENEFIT_AXIS if self.benefit else TOTAL_AXIS

    @property
    def frontier_ids(self) -> list[str]:
        return [self.option_ids[i] for i in self.frontier]


def value_for_money(appraisal: Appraisal, measures: pd.DataFrame, option_ids: Sequence[str] | None = None) -> ValueForMoney:
    """The value-for-money table of ``appraisal`` (options in ``option_ids`` order).

    ``measures`` is the coverage result's measure table (``whole_life_cost_gbp``);
    by default every appraised option that has measures, in the appraisal's order.
    """
    if option_ids is None:
        option_ids = [str(o) for o in appraisal.totals.index if o in measures.index]
    ids = list(option_ids)
    cost_list = [float(c) for c in measures["whole_life_cost_gbp"].reindex(ids).to_numpy(dtype=np.float64)]
    bv = appraisal.benefit_value
    if bv is not None:
        # the frontier over (cost, benefit value) that the JSON's efficient_frontier lists
        value_list = [float(bv.loc[o]) if o in bv.index else math.nan for o in ids]
        return ValueForMoney(ids, np.asarray(cost_list, dtype=np.float64), np.asarray(value_list, dtype=np.float64),
                             benefit_frontier(cost_list, value_list), benefit=True)
    value_list = [float(appraisal.totals.loc[o]) for o in ids]
    return ValueForMoney(ids, np.asarray(cost_list, dtype=np.float64), np.asarray(value_list, dtype=np.float64),
                         efficient_frontier(cost_list, value_list), benefit=False)


def efficient_frontier(costs: Sequence[float], values: Sequence[float]) -> list[int]:
    """Indices of the options no other option beats on both cost and value, cheapest first.

    Walking up the cost order, an option is on the frontier when it has more value than
    every cheaper one; of options costing the same (within 1e-9) only the most valuable
    stays. Options with an unknown (non-finite) cost or value are left out. One
    definition for every value-for-money chart, so they all star the same options.
    """
    known = [i for i in range(len(costs)) if math.isfinite(costs[i]) and math.isfinite(values[i])]
    frontier: list[int] = []
    best = -math.inf
    for i in sorted(known, key=lambda i: (costs[i], -values[i])):
        if values[i] > best + 1e-9:
            if frontier and abs(costs[frontier[-1]] - costs[i]) < 1e-9:
                frontier[-1] = i  # (almost) the same cost, more value: replaces it
            else:
                frontier.append(i)
            best = values[i]
    return frontier
