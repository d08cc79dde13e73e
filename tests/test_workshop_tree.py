"""The value tree in the workshop state (no Qt): branch weights, both levels' shares,
branch-weight and rescale-swings undo commands, and each swing worded in its units.

Against the real :class:`WorkshopState`; every expected figure is worked by hand.
"""

from __future__ import annotations

import pytest

from desktop_app.core.appraisal.swings import SwingChange, format_end, swing_changes, swing_text
from desktop_app.core.appraisal.value_functions import Scale
from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo import (
    MERGE_ID_SET_GROUP_WEIGHT,
    RescaleSwings,
    SetGroupWeight,
)

#: Two branches 60/40; "Service" holds C1 and C2 at 50/50, "Community" holds C3.
WEIGHTS = {"C1": 50.0, "C2": 50.0, "C3": 20.0}
GROUPS = {"C1": "Service", "C2": "Service", "C3": "Community"}
BRANCHES = {"Service": 60.0, "Community": 40.0}


def tree_state() -> tuple[WorkshopState, list[str]]:
    state = WorkshopState()
    state.reset(WEIGHTS, [], GROUPS, BRANCHES)
    events: list[str] = []
    for e in ("weights", "group_weights", "active_weight_set"):
        state.connect(e, lambda e=e: events.append(e))
    return state, events


def test_both_levels_of_shares_by_hand() -> None:
    state, _ = tree_state()
    # branch shares: 60 / (60 + 40) = 0.6 and 40 / 100 = 0.4
    assert state.branch_shares() == pytest.approx({"Service": 0.6, "Community": 0.4})
    # within the branch: C1 50 / (50 + 50) = 0.5, C2 the same; C3 alone = 1
    assert state.shares_within_branch() == pytest.approx({"C1": 0.5, "C2": 0.5, "C3": 1.0})
    # overall: 0.6 x 0.5 = 0.30 for C1 and C2, 0.4 x 1 = 0.40 for C3; they sum to 1
    overall = state.normalised_weights()
    assert overall == pytest.approx({"C1": 0.30, "C2": 0.30, "C3": 0.40})
    assert sum(overall.values()) == pytest.approx(1.0)
    assert state.branches() == {"Service": ["C1", "C2"], "Community": ["C3"]}


def test_without_a_tree_the_shares_are_flat() -> None:
    state = WorkshopState()
    state.reset(WEIGHTS)
    assert not state.has_tree
    # 50 / 120, 50 / 120, 20 / 120
    assert state.normalised_weights() == pytest.approx({"C1": 50 / 120, "C2": 50 / 120, "C3": 20 / 120})


def test_a_left_out_criterion_weighs_nothing_within_its_branch() -> None:
    state, _ = tree_state()
    # C2 left out (undefined for every option): C1 takes all of Service's 0.6
    assert state.normalised_weights({"C1": True, "C2": False, "C3": True}) == pytest.approx(
        {"C1": 0.6, "C2": 0.0, "C3": 0.4})


def test_moving_a_branch_changes_only_the_branch_shares() -> None:
    state, events = tree_state()
    state.set_group_weight("Service", 90.0)
    assert events == ["group_weights"] and state.moved_group == "Service"
    # Service 90 / 130, Community 40 / 130; the criteria's own weights do not move
    assert state.branch_shares() == pytest.approx({"Service": 90 / 130, "Community": 40 / 130})
    assert state.weights == WEIGHTS
    assert state.shares_within_branch() == pytest.approx({"C1": 0.5, "C2": 0.5, "C3": 1.0})
    assert state.normalised_weights()["C1"] == pytest.approx(90 / 130 * 0.5)
    # and the weights are no longer the workbook's: a moved branch is a change made in the room
    assert state.weights_name() == describe_weights(None, changed_in_room=True)
    assert tree_state()[0].weights_name() == describe_weights()
    state.set_group_weight("Service", 90.0)  # the same value: nobody is told
    state.set_group_weight("Nowhere", 5.0)  # an unknown branch is ignored
    assert events == ["group_weights"]


def test_set_group_weight_command_undoes_exactly_and_merges_a_drag() -> None:
    state, _ = tree_state()
    first = SetGroupWeight("Service", 60.0, 70.0, merge_key="drag")
    second = SetGroupWeight("Service", 70.0, 85.0, merge_key="drag")
    assert first.merge_id == MERGE_ID_SET_GROUP_WEIGHT and first.can_merge(second)
    merged = first.merge(second)
    assert (merged.old, merged.new) == (60.0, 85.0)
    merged.apply(state)
    assert state.group_weights == {"Service": 85.0, "Community": 40.0}
    merged.revert(state)
    assert state.group_weights == BRANCHES
    assert not SetGroupWeight("Service", 1.0, 2.0).can_merge(SetGroupWeight("Service", 2.0, 3.0))


def test_rescale_swings_is_one_step_restoring_the_weights_exactly() -> None:
    state, events = tree_state()
    state.set_active_weight_set("Panel")
    events.clear()
    # C2's local scale ran £0-£0.59m and now runs £0-£2.41m: w x new / old = 50 x 2.41 / 0.59
    old, new = Scale(591_806.24, 0.0, True), Scale(2_406_354.71, 0.0, True)
    changes = swing_changes({"C1": Scale(0.5, 0.9, True), "C2": old}, {"C1": Scale(0.5, 0.9, True), "C2": new},
                            state.weights)
    assert [c.criterion_id for c in changes] == ["C2"]  # C1's ends did not move
    assert changes[0].new_weight == pytest.approx(50.0 * 2_406_354.71 / 591_806.24)
    command = RescaleSwings(tuple(changes), old_active="Panel", names=("Cost",))
    assert "Cost" in command.text and not command.is_noop
    command.apply(state)
    assert events == ["weights", "active_weight_set"]  # one change of weights: one redraw
    # 2,406,354.71 / 591,806.24 = 4.066119, so 50 x 4.066119 = 203.306
    assert state.weights["C2"] == pytest.approx(203.306, abs=1e-3) and state.weights["C1"] == 50.0
    command.revert(state)
    assert state.weights == WEIGHTS  # exactly, not approximately
    assert state.active_weight_set == "Panel"


def test_a_swing_change_factor_ignores_empty_ranges() -> None:
    assert SwingChange("C1", Scale(1, 1, True), Scale(0, 2, True), 10, 10).factor == 1.0


@pytest.mark.parametrize(("scale", "measure", "text"), [
    (Scale(0.62, 0.90, False), "threat_coverage", "from 62% to 90%"),
    (Scale(0.491, 0.495, True), "population_coverage", "from 49.1% to 49.5% (local)"),
    (Scale(6e6, 0.0, False), "whole_life_cost_gbp", "from £6m to £0"),
    (Scale(4.5e6, 250_000, False), "whole_life_cost_gbp", "from £4.5m to £250k"),
    (Scale(60, 20, False), "p90_response_minutes", "from 60 to 20 minutes"),
    (Scale(84, 51, True), "officers_required", "from 84 to 51 FTE (local)"),
    (None, "judgement", "from 0 to 100 (judgement)"),
])
def test_swings_are_worded_in_their_units(scale, measure, text) -> None:
    assert swing_text(scale, measure) == text


def test_format_end_never_prints_nan_or_inf() -> None:
    assert format_end(float("inf"), "minutes") == "never"
    assert format_end(float("nan"), "share") == "unknown"
