"""Figures in words round as Excel displays them, and printed differences add up (docs/summary-workbook.md)."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.shown import difference, fixed, percent, percent_points, rounded


def test_a_tie_rounds_half_away_from_zero_as_excel_shows_it() -> None:
    # 0.1125 is stored as 0.11249999999999999...; Excel's 0.0% shows 11.3% (it rounds the
    # 15-digit decimal 0.112500000000000 half up), Python's f"{0.1125:.1%}" prints 11.2%.
    assert f"{0.1125:.1%}" == "11.2%"  # the mismatch this module exists to remove
    assert percent(0.1125, 1) == "11.3%"
    # 11.25 to one place: 11.3; -11.25: -11.3 (away from zero, not towards +infinity)
    assert fixed(11.25) == "11.3" and fixed(-11.25) == "-11.3"
    # 62.5% in whole percent: 63% (Python's round-half-even would give 62)
    assert percent(0.625) == "63%" and round(62.5) == 62
    # 2.675 (stored 2.67499999...) to two places: Excel shows 2.68, Python prints 2.67
    assert f"{2.675:.2f}" == "2.67"
    assert fixed(2.675, 2) == "2.68"


def test_signs_zero_and_non_numbers() -> None:
    assert fixed(5.46, sign=True) == "+5.5" and fixed(-0.04, sign=True) == "+0.0"  # never "-0.0"
    assert fixed(-0.04) == "0.0"
    assert rounded(float("inf"), 1) == math.inf and math.isnan(rounded(float("nan"), 1))


def test_differences_are_of_the_figures_shown() -> None:
    # 63.31 shows 63.3 and 51.65 shows 51.7 (51.65 stored as 51.649999..., its 15-digit
    # decimal 51.6500000000000 rounds up): the bar reads 51.7 - 63.3 = -11.6,
    # where 51.65 - 63.31 = -11.66 would print -11.7.
    assert difference(51.65, 63.31) == pytest.approx(-11.6)
    assert f"{51.65 - 63.31:.1f}" == "-11.7"
    # 0.634 and 0.285 show 63% and 29% (28.5 half up): 63 - 29 = 34 points;
    # 0.634 and 0.2849 show 63% and 28%: 35 points.
    assert percent_points(0.634, 0.285) == 34
    assert percent_points(0.634, 0.2849) == 35
    # 63.44% and 28.55% print 63% and 29%, so the gap reads 34, where the unrounded
    # gap, 34.89, would print 35 beside figures 34 apart.
    assert percent(0.6344) == "63%" and percent(0.2855) == "29%"
    assert percent_points(0.6344, 0.2855) == 34 and f"{100 * (0.6344 - 0.2855):.0f}" == "35"


def test_possessive_of_a_name_ending_in_s_takes_the_apostrophe_alone() -> None:
    from desktop_app.core.shown import possessive

    assert possessive("Arm rural response officers") == "Arm rural response officers'"
    assert possessive("OPT3") == "OPT3's"
    assert possessive("New rural ARV base at Fellbeck") == "New rural ARV base at Fellbeck's"
    assert possessive("ARVS") == "ARVS'"
