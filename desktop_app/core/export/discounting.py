"""The Green Book discounting, year by year, for the Options sheet of the summary.

HM Treasury's Green Book asks an appraisal to show each year's cost, its discount
factor and its present value, and to state the price base and the optimism bias. The
whole-life cost (:func:`desktop_app.core.coverage.costs.whole_life_cost`) is

    (1 + optimism_bias) x (one_off + sum over y = 1..Y of annual / (1 + r)^y),

so year 0 carries the one-off cost at factor 1 and years 1..Y the annual cost at
factor 1 / (1 + r)^y. These columns print that sum out: one present value per year
(the year's cost and discount factor in its header), their sum, the optimism-bias uplift, and
the whole-life cost the sheet already shows is their total
(docs/appraisal-method.md#green-book-costs).
"""

from __future__ import annotations

import math
from typing import Any


def discount_factors(years: int, rate: float) -> list[float]:
    """1 / (1 + r)^y for y = 0..years (year 0: the one-off cost, undiscounted)."""
    return [1.0 / (1.0 + float(rate)) ** y for y in range(int(years) + 1)]


def _num(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return 0.0
    return v if math.isfinite(v) else 0.0


def discount_columns(params: Any) -> tuple[list[str], list[str], list[str], list[float]]:
    """(headers, labels, styles, widths) of the year-by-year columns."""
    years, rate = int(params.appraisal_years), float(params.discount_rate)
    headers, labels = [], []
    for y, f in enumerate(discount_factors(years, rate)):
        what = "one-off cost" if y == 0 else "annual cost"
        headers.append(f"present_value_year_{y}")
        labels.append(f"Year {y} present value (£) = {what} x {f:.4f}")
    headers += ["present_value_total", "optimism_bias_gbp"]
    labels += ["Sum of present values before optimism bias (£)",
               f"Optimism bias uplift (£; discounting at {rate:.1%} a year)"]
    n = len(headers)
    return headers, labels, ["gbp"] * n, [13.0] * n


def discount_values(params: Any, one_off: Any, annual: Any, bias: Any) -> list[float]:
    """One option's present value in each year, their sum and the optimism-bias uplift
    (sum + uplift = its whole-life cost)."""
    factors = discount_factors(int(params.appraisal_years), float(params.discount_rate))
    costs = [_num(one_off)] + [_num(annual)] * (len(factors) - 1)
    pvs = [c * f for c, f in zip(costs, factors, strict=True)]
    total = math.fsum(pvs)
    return [*pvs, total, total * _num(bias)]


def discount_words(params: Any) -> str:
    """The basis in a phrase, for the sheet's title: price base, rate, period and uplift."""
    base = getattr(params, "price_base_year", None)
    prices = f"costs in {base} prices, " if base else ""
    return (f"{prices}discounted at {float(params.discount_rate):.1%} a year over "
            f"{int(params.appraisal_years)} years, with each option's optimism bias")
