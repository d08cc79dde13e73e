"""Independent implementation cross-check: weighted-sum totals against pymcdm's WSM.

pymcdm's weighted sum model with min-max normalisation is exactly our local-scale
additive value model divided by 100 (including "all equal scores full marks"), written
by other people. Agreement on random problems checks value scores, weight
normalisation and totals together.
"""

from __future__ import annotations

import numpy as np
import pytest

pymcdm = pytest.importorskip("pymcdm")
from _appraisal_fixtures import make_coverage, make_inputs  # noqa: E402
from pymcdm.methods import WSM  # noqa: E402
from pymcdm.normalizations import minmax_normalization  # noqa: E402

from desktop_app.core.pipeline import run_appraisal  # noqa: E402
from desktop_app.core.workbook.schema import MEASURES  # noqa: E402

NUMERIC = [m for m in MEASURES if m != "rural_gap_minutes"]


@pytest.mark.parametrize("seed", range(25))
def test_weighted_sum_totals_match_pymcdm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 9))
    n = int(rng.integers(2, len(NUMERIC) + 1))
    measures = list(rng.choice(NUMERIC, size=n, replace=False))
    raw = rng.uniform(0, 1000, (m, n)).round(1)
    if seed % 5 == 0:
        raw[:, 0] = raw[0, 0]  # a criterion on which all options tie
    directions = rng.choice(["higher", "lower"], size=n)
    weights = rng.uniform(0, 100, n).round(0) + 1
    option_ids = [f"O{k}" for k in range(m)]
    criteria = [{"criterion_id": f"C{j}", "measure": measures[j], "direction": directions[j],
                 "weight": weights[j]} for j in range(n)]
    inputs = make_inputs(option_ids, criteria)
    cov = make_coverage(option_ids, {measures[j]: raw[:, j] for j in range(n)})
    ours = run_appraisal(inputs, [], coverage=cov, samples=0).appraisal

    types = np.where(directions == "higher", 1, -1)
    theirs = WSM(normalization_function=minmax_normalization)(raw, weights / weights.sum(), types)
    np.testing.assert_allclose(ours.totals.to_numpy(), 100 * np.asarray(theirs), rtol=1e-9, atol=1e-9)
    assert int(np.argmax(theirs)) == option_ids.index(ours.top_option)
