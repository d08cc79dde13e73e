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

from desktop_app.core.appraisal.value_tree import efficient_frontier
from desktop_app.core.results import Appraisal

__all__ = ["BENEFIT_AXIS", "TOTAL_AXIS", "ValueForMoney", "efficient_frontier", "value_for_money"]

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
                             efficient_frontier(cost_list, value_list), benefit=True)
    value_list = [float(appraisal.totals.loc[o]) for o in ids]
    return ValueForMoney(ids, np.asarray(cost_list, dtype=np.float64), np.asarray(value_list, dtype=np.float64),
                         efficient_frontier(cost_list, value_list), benefit=False)
