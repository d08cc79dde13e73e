"""Weight-set comparison: rankings per set, agreement on the top option, drivers of disagreement."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.appraisal.weight_sets import compare_weight_sets

# Three options, three criteria. Hand-built so that "cover" favours ARV, "cost" favours
# ARO and "speed" barely separates them.
VALUES = pd.DataFrame(
    {"cover": [0.0, 100.0, 60.0], "cost": [100.0, 0.0, 80.0], "speed": [50.0, 55.0, 50.0]},
    index=["BASE", "ARV", "ARO"],
)


def test_each_set_ranked_and_disagreement_explained() -> None:
    sets = {
        "Community panel": {"cover": 8, "cost": 1, "speed": 1},  # -> ARV first
        "PCC office": {"cover": 2, "cost": 7, "speed": 1},  # -> BASE? check below
        "Chief officers": {"cover": 5, "cost": 5},  # speed omitted = 0
    }
    cmp = compare_weight_sets(VALUES, sets)
    # Community: w = .8 .1 .1 -> BASE 15, ARV 85.5, ARO 61
    assert cmp.totals["Community panel"].tolist() == pytest.approx([15.0, 85.5, 61.0])
    # PCC: w = .2 .7 .1 -> BASE 75, ARV 25.5, ARO 73
    assert cmp.totals["PCC office"].tolist() == pytest.approx([75.0, 25.5, 73.0])
    # Chief: w = .5 .5 0 -> BASE 50, ARV 50, ARO 70
    assert cmp.totals["Chief officers"].tolist() == pytest.approx([50.0, 50.0, 70.0])
    assert cmp.ranks["Community panel"].tolist() == [3, 1, 2]
    assert cmp.ranks["PCC office"].tolist() == [1, 3, 2]
    assert cmp.ranks["Chief officers"].tolist() == [2, 2, 1]  # BASE and ARV tie for 2nd
    assert cmp.tops == {"Community panel": ["ARV"], "PCC office": ["BASE"], "Chief officers": ["ARO"]}
    assert not cmp.agree_on_top and cmp.consensus_top is None
    assert cmp.weights.loc["speed", "Chief officers"] == 0.0

    # Community (ARV) vs PCC (BASE): (wA - wB) = (.6, -.6, 0); v_ARV - v_BASE = (100, -100, 5)
    # contributions: cover 60, cost 60, speed 0 -> swing 120 = (85.5-15) + (75-25.5)
    d = cmp.disagreements[0]
    assert (d.set_a, d.set_b, d.top_a, d.top_b) == ("Community panel", "PCC office", "ARV", "BASE")
    assert d.swing == pytest.approx(120.0)
    assert d.swing == pytest.approx((85.5 - 15.0) + (75.0 - 25.5))
    assert [c for c, _ in d.drivers] == ["cover", "cost"]
    assert [p for _, p in d.drivers] == pytest.approx([60.0, 60.0])
    assert len(cmp.disagreements) == 3
    # weight spread of "cover": max .8 - min .2
    assert cmp.drivers.loc["cover", "weight_spread"] == pytest.approx(0.6)
    assert cmp.drivers.index[-1] == "speed"
    lines = cmp.summary_lines({"ARV": "More ARVs"}, {"cover": "Threat covered"})
    assert "More ARVs is first for: Community panel." in lines
    assert lines[-1].startswith("The disagreement is driven mostly by: ")


def test_agreement() -> None:
    cmp = compare_weight_sets(VALUES, {"A": {"cover": 1}, "B": {"cover": 3, "speed": 1}})
    assert cmp.agree_on_top and cmp.consensus_top == "ARV"
    assert cmp.disagreements == []
    assert (cmp.drivers["swing_points"] == 0).all()
    assert cmp.summary_lines({"ARV": "More ARVs"}) == ["All 2 weight sets rank More ARVs first."]


def test_all_zero_set_uses_equal_weights_and_says_so() -> None:
    cmp = compare_weight_sets(VALUES, {"Empty": {}})
    assert cmp.notes == ["weight set Empty has no positive weight; equal weights were used"]
    # equal thirds: BASE 50, ARV 155/3, ARO 190/3
    assert cmp.totals["Empty"].tolist() == pytest.approx([50.0, 155 / 3, 190 / 3])


def test_tie_at_the_top_is_not_a_disagreement() -> None:
    values = pd.DataFrame({"x": [100.0, 0.0], "y": [0.0, 100.0]}, index=["P", "Q"])
    cmp = compare_weight_sets(values, {"Even": {"x": 1, "y": 1}, "X": {"x": 1}})
    assert cmp.tops == {"Even": ["P", "Q"], "X": ["P"]}
    assert cmp.disagreements == [] and not cmp.agree_on_top


def test_no_sets() -> None:
    cmp = compare_weight_sets(VALUES, {})
    assert cmp.set_names == [] and cmp.summary_lines() == ["No weight sets to compare."]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.floats(0, 100), min_size=3, max_size=3), min_size=2, max_size=4),
    st.lists(st.floats(0.01, 10), min_size=3, max_size=3),
    st.lists(st.floats(0.01, 10), min_size=3, max_size=3),
)
def test_swing_decomposition_is_exact(rows: list[list[float]], wa: list[float], wb: list[float]) -> None:
    values = pd.DataFrame(rows, columns=["x", "y", "z"], index=[f"O{i}" for i in range(len(rows))])
    cmp = compare_weight_sets(values, {"A": dict(zip("xyz", wa, strict=True)), "B": dict(zip("xyz", wb, strict=True))})
    for d in cmp.disagreements:
        margin_a = cmp.totals.at[d.top_a, "A"] - cmp.totals.at[d.top_b, "A"]
        margin_b = cmp.totals.at[d.top_b, "B"] - cmp.totals.at[d.top_a, "B"]
        assert d.swing == pytest.approx(margin_a + margin_b, abs=1e-9)
        assert margin_a >= -1e-9 and margin_b >= -1e-9
        assert sum(p for _, p in d.drivers) >= d.swing - 1e-9
