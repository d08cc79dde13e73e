"""Plain undo commands: apply/revert, slider-drag merging, and a QUndoStack-like twin."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.session.document import DeploymentSpec, OptionSpec, WeightSet
from desktop_app.core.session.undo import (
    MERGE_ID_SET_WEIGHT,
    NO_MERGE,
    AddOption,
    CaptureWeightSet,
    DeleteWeightSet,
    PlainState,
    PlainUndoStack,
    SetJudgement,
    SetWeight,
    SetWeights,
)


def _state() -> PlainState:
    return PlainState(
        weights={"C1": 50.0, "C2": 30.0, "C3": 20.0},
        weight_sets=[WeightSet("Community panel", {"C1": 10.0, "C2": 80.0, "C3": 10.0}, "workbook")],
    )


def test_set_weight_apply_and_revert() -> None:
    s = _state()
    cmd = SetWeight("C2", 30.0, 45.0)
    cmd.apply(s)
    assert s.weights == {"C1": 50.0, "C2": 45.0, "C3": 20.0}
    cmd.revert(s)
    assert s.weights == {"C1": 50.0, "C2": 30.0, "C3": 20.0}
    assert "C2" in cmd.text and "30" in cmd.text and "45" in cmd.text


def test_drag_merges_into_one_step_keeping_first_old_and_last_new() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    # a drag of C1 from 50 to 62 in four events, then a separate keyboard step
    for old, new in [(50, 53), (53, 57), (57, 60), (60, 62)]:
        stack.push(SetWeight("C1", old, new, merge_key="drag-1"))
    stack.push(SetWeight("C1", 62, 63))  # keyboard: merge_key None
    assert len(stack.commands) == 2
    assert stack.commands[0] == SetWeight("C1", 50, 62, merge_key="drag-1")
    stack.undo()
    assert s.weights["C1"] == 62
    stack.undo()
    assert s.weights["C1"] == 50  # the whole drag undone at once
    stack.redo()
    assert s.weights["C1"] == 62


def test_merge_rules() -> None:
    a = SetWeight("C1", 1, 2, merge_key=7)
    assert a.merge_id == MERGE_ID_SET_WEIGHT
    assert SetWeight("C1", 1, 2).merge_id == NO_MERGE
    assert a.can_merge(SetWeight("C1", 2, 3, merge_key=7))
    assert not a.can_merge(SetWeight("C2", 2, 3, merge_key=7))  # other criterion
    assert not a.can_merge(SetWeight("C1", 2, 3, merge_key=8))  # next drag
    assert not a.can_merge(SetWeight("C1", 2, 3))  # keyboard step
    assert not SetWeight("C1", 1, 2).can_merge(SetWeight("C1", 2, 3))
    assert not a.can_merge(SetWeights({}, {}))
    with pytest.raises(ValueError):
        a.merge(SetWeight("C2", 2, 3, merge_key=7))


def test_separate_drags_on_two_sliders_are_separate_steps() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    stack.push(SetWeight("C1", 50, 55, merge_key="d1"))
    stack.push(SetWeight("C2", 30, 20, merge_key="d2"))
    stack.push(SetWeight("C2", 20, 10, merge_key="d2"))
    assert len(stack.commands) == 2
    stack.undo()
    assert s.weights == {"C1": 55, "C2": 30, "C3": 20}


def test_drag_that_returns_to_start_leaves_nothing_to_undo() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    stack.push(SetWeight("C3", 20, 25, merge_key="d"))
    stack.push(SetWeight("C3", 25, 20, merge_key="d"))
    assert stack.commands == [] and not stack.can_undo()


def test_moving_a_slider_leaves_the_active_set_and_undo_returns_to_it() -> None:
    s = _state()
    s.active_weight_set = "Community panel"
    cmd = SetWeight("C1", 50, 60, old_active_set="Community panel")
    cmd.apply(s)
    assert s.active_weight_set is None
    cmd.revert(s)
    assert s.active_weight_set == "Community panel"


def test_switch_weight_set_and_back() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    new = {"C1": 10.0, "C2": 80.0, "C3": 10.0}
    stack.push(SetWeights(dict(s.weights), new, None, "Community panel"))
    assert s.weights == new and s.active_weight_set == "Community panel"
    assert "Community panel" in stack.commands[0].text
    stack.undo()
    assert s.weights == {"C1": 50.0, "C2": 30.0, "C3": 20.0} and s.active_weight_set is None


def test_judgement_edit_and_removal_of_override() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    stack.push(SetJudgement("OPT_B", "C3", None, 70.0, None, "Federation view"))
    assert s.judgements == {("OPT_B", "C3"): (70.0, "Federation view")}
    stack.push(SetJudgement("OPT_B", "C3", 70.0, 55.0, "Federation view", "Revised"))
    assert s.judgements[("OPT_B", "C3")] == (55.0, "Revised")
    stack.undo()
    assert s.judgements[("OPT_B", "C3")] == (70.0, "Federation view")
    stack.undo()
    assert s.judgements == {}  # back to the workbook's own judgement, not an "edit"
    assert SetJudgement("O", "C", 5, 5, "r", "r").is_noop
    assert not SetJudgement("O", "C", 5, 5, "r", "s").is_noop


def test_capture_weight_set_new_and_over_an_existing_one() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    stack.push(CaptureWeightSet("Room 14:05", dict(s.weights)))
    assert [w.name for w in s.weight_sets] == ["Community panel", "Room 14:05"]
    assert s.weight_sets[1].source == "captured"
    old = s.weight_sets[0]
    stack.push(CaptureWeightSet("Community panel", {"C1": 1.0, "C2": 1.0, "C3": 1.0}, replaced=old, index=0))
    assert [w.name for w in s.weight_sets] == ["Community panel", "Room 14:05"]
    assert s.weight_sets[0].weights == {"C1": 1.0, "C2": 1.0, "C3": 1.0}
    stack.undo()
    assert s.weight_sets[0] == old  # the workbook set is back, in first place
    stack.undo()
    assert [w.name for w in s.weight_sets] == ["Community panel"]


def test_delete_weight_set_restores_position_and_active_flag() -> None:
    s = _state()
    s.weight_sets.append(WeightSet("PCC office", {"C1": 1.0}, "workbook"))
    s.active_weight_set = "Community panel"
    cmd = DeleteWeightSet(s.weight_sets[0], index=0, was_active=True)
    cmd.apply(s)
    assert [w.name for w in s.weight_sets] == ["PCC office"] and s.active_weight_set is None
    cmd.revert(s)
    assert [w.name for w in s.weight_sets] == ["Community panel", "PCC office"]
    assert s.active_weight_set == "Community panel"


def test_add_option_and_undo() -> None:
    s = _state()
    spec = OptionSpec("OPT_OPT4", "Baseline + 4 ARO posts", deployments=(DeploymentSpec("ST01", "ARMED_RESPONSE_OFFICER"),))
    stack = PlainUndoStack(s)
    stack.push(AddOption(spec))
    assert s.options == [spec]
    with pytest.raises(ValueError):
        s.add_option(spec)  # ids stay unique
    stack.undo()
    assert s.options == []
    assert stack.can_redo()
    stack.redo()
    assert s.options == [spec]


def test_push_after_undo_discards_redo_tail() -> None:
    s = _state()
    stack = PlainUndoStack(s)
    stack.push(SetWeight("C1", 50, 60))
    stack.push(SetWeight("C1", 60, 70))
    stack.undo()
    stack.push(SetWeight("C2", 30, 0))
    assert not stack.can_redo()
    assert s.weights == {"C1": 60, "C2": 0, "C3": 20}
    assert stack.undo() and stack.undo() and not stack.undo()
    assert s.weights == {"C1": 50, "C2": 30, "C3": 20}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 100), st.booleans()), min_size=1, max_size=25))
def test_undo_everything_restores_the_start_and_redo_everything_the_end(steps: list[tuple[str, int, bool]]) -> None:
    s = _state()
    start = dict(s.weights)
    stack = PlainUndoStack(s)
    for cid, value, drag in steps:
        stack.push(SetWeight(cid, s.weights[cid], float(value), merge_key="drag" if drag else None))
    end = dict(s.weights)
    while stack.undo():
        pass
    assert s.weights == start
    while stack.redo():
        pass
    assert s.weights == end
