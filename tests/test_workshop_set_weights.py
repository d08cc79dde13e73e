"""A flat stakeholder weight set on the value tree's sliders, and back (no Qt).

What a workshop review found: switching to a set in a workbook with a value tree put the
set's weights on the criteria's sliders but left the branches at the workbook's, so the
sliders read one set of shares while the ranking used another; an imported survey set
(shares summing to 1) sat at 0 on sliders that step in whole points; a set captured in
the room kept the raw sliders, so it ranked the options unlike the room had; and a moved
branch slider left the set's name on screen. Every figure below is worked by hand.
"""

from __future__ import annotations

import pytest

from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.session.records import WeightSet
from desktop_app.core.session.set_weights import (
    captured_weights,
    flat_shares,
    holds_set,
    sliders_for_set,
)
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo import SetGroupWeight, SetWeights
from tests.test_workshop_tree import (  # the same small tree: two branches 60/40
    BRANCHES,
    GROUPS,
    WEIGHTS,
)

#: A stakeholder set: flat shares 10/50 = 0.2, 30/50 = 0.6, 10/50 = 0.2.
PANEL = WeightSet("Panel", {"C1": 10.0, "C2": 30.0, "C3": 10.0}, "workbook")


def tree_state() -> WorkshopState:
    state = WorkshopState()
    state.reset(WEIGHTS, [PANEL], GROUPS, BRANCHES)
    return state


def switch(state: WorkshopState, ws: WeightSet) -> SetWeights:
    weights, groups = state.sliders_for_set(ws.weights)
    command = SetWeights(dict(state.weights), weights, state.active_weight_set, ws.name,
                         old_groups=dict(state.group_weights), new_groups=groups)
    command.apply(state)
    return command


def test_each_branch_takes_its_criteria_sum_so_the_tree_gives_the_flat_shares() -> None:
    weights, branches = sliders_for_set(PANEL.weights, ["C1", "C2", "C3"], GROUPS, ["Service", "Community"])
    assert weights == PANEL.weights
    # Service C1 + C2 = 10 + 30 = 40; Community C3 = 10
    assert branches == {"Service": 40.0, "Community": 10.0}
    state = tree_state()
    switch(state, PANEL)
    # through the tree: C1 (40/50) x (10/40) = 0.2, C2 (40/50) x (30/40) = 0.6, C3 (10/50) x 1 = 0.2
    assert state.normalised_weights() == pytest.approx({"C1": 0.2, "C2": 0.6, "C3": 0.2})
    assert state.normalised_weights() == pytest.approx(flat_shares(PANEL.weights))
    assert state.holds(PANEL.weights) and state.weights_name() == describe_weights("Panel")


def test_a_survey_groups_shares_go_on_the_sliders_as_percentage_points() -> None:
    survey = {"C1": 0.25, "C2": 0.5, "C3": 0.25}  # a survey group's medians, rescaled to sum to 1
    weights, branches = sliders_for_set(survey, ["C1", "C2", "C3"], GROUPS, ["Service", "Community"])
    # x 100: 25, 50, 25; Service 25 + 50 = 75, Community 25
    assert weights == pytest.approx({"C1": 25.0, "C2": 50.0, "C3": 25.0})
    assert branches == pytest.approx({"Service": 75.0, "Community": 25.0})
    # a set that leaves a criterion out weighs it 0; raw points above 1 are kept as they are
    weights, _ = sliders_for_set({"C1": 3.0, "C3": 1.0}, ["C1", "C2", "C3"], GROUPS, [])
    assert weights == {"C1": 3.0, "C2": 0.0, "C3": 1.0}


def test_a_captured_set_keeps_the_rooms_shares_through_the_tree() -> None:
    state = tree_state()
    state.set_weight("C3", 80.0)  # C3 is alone in Community: its share stays 40 / 100
    # C1 0.6 x 0.5 = 30%, C2 30%, C3 0.4 x 1 = 40%: 30, 30, 40 points
    assert state.captured() == pytest.approx({"C1": 30.0, "C2": 30.0, "C3": 40.0})
    assert captured_weights({"C1": 0.3, "C2": 0.3, "C3": 0.4}) == pytest.approx(state.captured())
    assert holds_set(state.normalised_weights(), state.captured())
    flat = WorkshopState()
    flat.reset(WEIGHTS)
    flat.set_weight("C3", 80.0)
    assert flat.captured() == {"C1": 50.0, "C2": 50.0, "C3": 80.0}  # no tree: the sliders as they are


def test_a_moved_branch_leaves_the_set_and_undo_returns_to_it() -> None:
    state = tree_state()
    command = switch(state, PANEL)
    assert state.active_weight_set == "Panel"
    moved = SetGroupWeight("Service", 40.0, 70.0, None, state.active_weight_set)
    moved.apply(state)
    assert state.active_weight_set is None and not state.holds(PANEL.weights)
    assert state.weights_name() == describe_weights("Panel", changed_in_room=True)
    moved.revert(state)
    assert state.active_weight_set == "Panel" and state.weights_name() == describe_weights("Panel")
    # undoing the switch puts the workbook's criteria and branches back, in one step
    command.revert(state)
    assert state.weights == WEIGHTS and state.group_weights == BRANCHES
    assert state.weights_name() == describe_weights()


def test_a_named_set_the_sliders_no_longer_hold_is_not_named_as_held() -> None:
    # a session saved with a set named active but the workbook's branches (as before this fix)
    state = tree_state()
    state.set_weights(PANEL.weights)
    state.set_active_weight_set("Panel")
    # C1 (60/100) x (10/40) = 0.15, not the set's 0.2
    assert state.normalised_weights()["C1"] == pytest.approx(0.15)
    assert state.weights_name() == describe_weights("Panel", changed_in_room=True)


def test_criteria_and_branches_change_together_in_one_event() -> None:
    state = tree_state()
    events: list[str] = []
    for e in ("weights", "group_weights"):
        state.connect(e, lambda e=e: events.append(e))
    state.set_weights({"C1": 1.0, "C2": 1.0, "C3": 1.0}, {"Service": 1.0, "Community": 1.0, "Elsewhere": 9.0})
    assert events == ["weights"]  # one redraw
    assert state.group_weights == {"Service": 1.0, "Community": 1.0}  # an unknown branch dropped
    state.set_weights({"C1": 1.0, "C2": 1.0, "C3": 1.0}, {"Service": 1.0, "Community": 1.0})
    assert events == ["weights"]  # nothing changed: nobody told


def test_moved_and_back_or_a_lone_criterion_moved_is_still_the_set() -> None:
    """The name follows the shares: a branch moved away and back, or the slider of a criterion
    alone in its branch (its share is the branch's whatever it says), leaves the set's shares."""
    state = tree_state()
    switch(state, PANEL)
    SetGroupWeight("Service", 40.0, 41.0, None, "Panel").apply(state)
    assert state.weights_name() == describe_weights("Panel", changed_in_room=True)
    SetGroupWeight("Service", 41.0, 40.0).apply(state)  # back: C1 0.2, C2 0.6, C3 0.2 again
    assert state.active_weight_set is None and state.weights_name() == describe_weights("Panel")
    state.set_weight("C3", 55.0)  # C3 alone in Community: still (10/50) x 1 = 0.2
    assert state.normalised_weights()["C3"] == pytest.approx(0.2)
    assert state.weights_name() == describe_weights("Panel")
