"""Core behind the app's issue-14 views: value functions set in the workshop, words, undo.

Hand-worked values in the comments. docs/appraisal-method.md#value-functions,
#parameter-sensitivity, #awaiting-scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop_app.core.added_option import AddedOption
from desktop_app.core.appraisal.live import LiveScorer
from desktop_app.core.appraisal.value_functions import points_problem, with_value_points
from desktop_app.core.appraisal.value_model import build_value_model
from desktop_app.core.appraisal.what_if import ParameterSwing, parameter_words, tornado_bars
from desktop_app.core.session.document import Session, ValuePointsEdit
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo import AddScoredOption, SetValuePoints

#: C3 (90th percentile minutes, lower is better): 30 min scores 100, 50 min 60, 70 min 0.
C3_POINTS = ((30.0, 100.0), (50.0, 60.0), (70.0, 0.0))


@pytest.mark.parametrize(("points", "why"), [
    (((0.0, 0.0),), "at least two points"),
    (((0.0, 0.0), (0.0, 100.0)), "larger than the one before"),
    (((1.0, 0.0), (0.5, 100.0)), "larger than the one before"),
    (((0.0, -1.0), (1.0, 100.0)), "between 0 and 100"),
    (((0.0, 0.0), (float("nan"), 100.0)), "finite"),
])
def test_bad_points_are_refused_with_the_reason(points, why) -> None:
    assert why in points_problem(points)


def test_good_points_pass() -> None:
    assert points_problem(C3_POINTS) is None
    assert points_problem(((0.5, 0.0), (0.8, 70.0), (0.9, 100.0))) is None


def test_workshop_points_score_as_if_the_criteria_sheet_said_so(sample_run) -> None:
    inputs = with_value_points(sample_run.inputs, {"C3": C3_POINTS})
    # the workbook's own frame is never changed
    assert sample_run.inputs.criteria.set_index("criterion_id").at["C3", "value_points"] is None
    model = build_value_model(inputs, sample_run.coverage.measures)
    j = model.criterion_ids.index("C3")
    i1, i0 = model.option_ids.index("OPT1"), model.option_ids.index("OPT0")
    # OPT1's p90 is 43.6 min: between 30 (100) and 50 (60): 100 - (13.6 / 20) x 40 = 72.8
    assert sample_run.coverage.measures.at["OPT1", "p90_response_minutes"] == pytest.approx(43.6)
    assert model.values[i1, j] == pytest.approx(72.8)
    # OPT0's 60.5 min: between 50 (60) and 70 (0): 60 - (10.5 / 20) x 60 = 28.5
    assert model.values[i0, j] == pytest.approx(28.5)
    assert model.scales["C3"].value_points == C3_POINTS


def test_live_scorer_applies_value_points(sample_run) -> None:
    scorer = LiveScorer()
    weights = dict(zip(sample_run.inputs.criteria["criterion_id"], sample_run.inputs.criteria["weight"], strict=True))
    before = scorer.score(sample_run, weights, {}, weights)
    after = scorer.score(sample_run, weights, {}, weights, value_points={"C3": C3_POINTS})
    # On the workbook's straight line (70 min scores 0, 30 min 100) OPT1's 43.6 min scores
    # (70 - 43.6) / 40 x 100 = 66; with the points it scores 72.8. C3's weight through the
    # tree is 45/100 (Response) x 8/48 (C3 within Response) = 0.075, so OPT1's total rises by
    # 0.075 x 6.8 = 0.51.
    assert before.values.loc["OPT1", "C3"] == pytest.approx(66.0)
    assert after.values.loc["OPT1", "C3"] == pytest.approx(72.8)
    assert float(after.totals["OPT1"] - before.totals["OPT1"]) == pytest.approx(0.075 * 6.8)


def test_value_points_edit_round_trips_through_a_session() -> None:
    edit = ValuePointsEdit("C3", None, C3_POINTS, "the first minutes matter most")
    assert ValuePointsEdit.from_json(edit.to_json()) == edit
    session = Session("w.xlsx", "abc", value_point_edits=[edit])
    back = Session.from_json(session.to_json())
    assert back.value_point_edits == [edit]
    # an older session file without the key reads as no value functions
    data = session.to_json()
    del data["value_point_edits"]
    assert Session.from_json(data).value_point_edits == []


def test_set_value_points_is_one_undoable_step() -> None:
    state = WorkshopState()
    seen: list[str] = []
    state.connect("value_points", lambda: seen.append("vp"))
    cmd = SetValuePoints("C3", None, C3_POINTS, "", "room's view")
    cmd.apply(state)
    assert state.value_points_by_criterion() == {"C3": C3_POINTS} and seen == ["vp"]
    cmd.revert(state)
    assert state.value_points == {} and seen == ["vp", "vp"]
    assert SetValuePoints("C3", C3_POINTS, C3_POINTS, "a", "a").is_noop


def test_add_scored_option_adds_option_and_scores_together() -> None:
    state = WorkshopState()
    spec = AddedOption("OPT_X", "X")
    cmd = AddScoredOption(spec, {"C7": (30.0, "why"), "C8": (0.0, "lone working")})
    cmd.apply(state)
    assert [o.option_id for o in state.added_options] == ["OPT_X"]
    assert state.judgement_scores() == {("OPT_X", "C7"): 30.0, ("OPT_X", "C8"): 0.0}
    cmd.revert(state)
    assert state.added_options == [] and state.judgements == {}
    assert AddScoredOption(spec, {}).text.endswith("(awaiting scores)")


def test_parameters_in_words() -> None:
    assert parameter_words("busy_fraction_aro") == "the armed response officers' busy fraction"
    assert parameter_words("busy_fraction_arv") == "the ARV crews' busy fraction"
    assert parameter_words("OPT3.one_off_cost_gbp") == "OPT3's one-off cost"
    assert parameter_words("not_a_parameter") == "not_a_parameter"
    names = {"OPT3": "New rural ARV base at Fellbeck"}
    assert parameter_words("OPT3.one_off_cost_gbp", names) == "New rural ARV base at Fellbeck's one-off cost"
    assert parameter_words("OPT4.annual_cost_gbp", names) == "OPT4's annual cost"  # a name not given: the code
    # a name ending in s takes the apostrophe alone, and keeps its capital
    assert parameter_words("OPT1.annual_cost_gbp", {"OPT1": "Arm rural response officers"}) == (
        "Arm rural response officers' annual cost")


def test_sentence_names_the_options_when_given_their_names() -> None:
    totals = pd.Series({"OPT1": 50.0, "OPT2": 52.0})
    swing = ParameterSwing("busy_fraction_aro", 0.35, 0.2, 0.5, totals, totals, "OPT1", "OPT2", "OPT1",
                           switch_high=0.45)
    names = {"OPT1": "Do minimum", "OPT2": "Extra ARV crew"}
    assert swing.sentence("the busy fraction", names) == (
        "The top option changes from Do minimum to Extra ARV crew if the busy fraction exceeds 0.45 "
        "(the workbook has 0.35).")
    steady = ParameterSwing("busy_fraction_aro", 0.35, 0.2, 0.5, totals, totals, "OPT1", "OPT1", "OPT1")
    assert steady.sentence(None, names) == (
        "The top option stays Do minimum for busy_fraction_aro anywhere from 0.2 to 0.5.")


def test_sentence_with_the_parameter_in_words() -> None:
    totals = pd.Series({"OPT1": 50.0, "OPT2": 52.0})
    swing = ParameterSwing("busy_fraction_aro", 0.35, 0.2, 0.5, totals, totals, "OPT1", "OPT2", "OPT1",
                           switch_high=0.45)
    assert swing.sentence(parameter_words("busy_fraction_aro")) == (
        "The top option changes from OPT1 to OPT2 if the armed response officers' busy fraction exceeds 0.45 "
        "(the workbook has 0.35).")
    # without a label the workbook name, as the command line prints it
    assert "if busy_fraction_aro exceeds 0.45" in swing.sentence()


def test_tornado_bars_widest_first_and_awaiting_left_out() -> None:
    s = pd.Series
    swings = [
        # OPT1 (base 50): 48..51, widest distance from 50 is 2
        ParameterSwing("a", 1, 0, 2, s({"OPT1": 48.0}), s({"OPT1": 51.0}), "OPT1", "OPT1", "OPT1"),
        # 45..50: widest distance 5 -> first
        ParameterSwing("b", 1, 0, 2, s({"OPT1": 50.0}), s({"OPT1": 45.0}), "OPT1", "OPT1", "OPT1"),
        # OPT1 not ranked at the low end (awaiting scores there): left out
        ParameterSwing("c", 1, 0, 2, s({"OPT2": 1.0}), s({"OPT1": 49.0}), "OPT1", "OPT1", "OPT1"),
    ]
    assert tornado_bars(swings, "OPT1", 50.0) == [("b", 50.0, 45.0), ("a", 48.0, 51.0)]
    assert np.isfinite([v for _, lo, hi in tornado_bars(swings, "OPT1", 50.0) for v in (lo, hi)]).all()


@pytest.mark.parametrize(("value", "shown"), [
    (500, "£500"),                # was "£0": every figure had been rounded to thousands
    (1_500, "£1,500"),
    (99_999.4, "£99,999"),
    (1_234_567, "£1,235,000"),    # large figures to the nearest £1,000, as the paper shows costs
    (1_500_000.0, "£1,500,000"),
])
def test_a_scenarios_cost_in_words_is_never_rounded_to_nothing(value: float, shown: str) -> None:
    from desktop_app.core.appraisal.what_if import override_words

    assert override_words("OPT2.one_off_cost_gbp", value, {"OPT2": "Alt2"}) == f"Alt2's one-off cost set to {shown}"


def test_a_reruns_clipping_is_a_warning_naming_the_end(sample_run) -> None:
    """The sample's Uncertainty row for Fellbeck's one-off cost runs to £1.5m: OPT3's
    whole-life cost there is 1.24 x (1,500,000 + 855,000 x 4.51505) = £6,646,859 (4.51505 is
    the sum of 1/1.035^y for y = 1..5; optimism bias 24%), past
    C5's £6m worst, so its score is held at 0. The main run clips nothing on C5, so the
    warning is new, on the Uncertainty sheet's high column, and names the end and the value."""
    hits = [f for f in sample_run.findings if "the change there is understated" in f.message]
    high = [f for f in hits if f.column == "high" and "Fellbeck's one-off cost" in f.message]
    assert len(high) == 1 and high[0].sheet == "Uncertainty" and high[0].level == "warning"
    assert high[0].message.startswith("At the high end of New rural ARV base at Fellbeck's one-off cost (£1,500,000): ")
    assert "option OPT3's whole_life_cost_gbp of 6,646,858.53 is beyond the scale's worst (6,000,000)" in high[0].message
    swing = next(s for s in sample_run.parameter_sensitivity if s.parameter == "OPT3.one_off_cost_gbp")
    # at £700k: 1.24 x (700,000 + 855,000 x 4.51505) = £5,654,859, inside the scale
    assert swing.clipped_high and not swing.clipped_low
    # once each, and never a clipping the main run already reports
    main_messages = {f.message for f in sample_run.findings if "understated" not in f.message}
    assert all(f.message.split(": ", 1)[1].rsplit("; the change", 1)[0] not in main_messages for f in hits)
    assert len({f.message for f in hits}) == len(hits)
