"""Undo commands on the real workshop state: apply/revert, slider-drag merging, events, names.

The commands act on :class:`WorkshopState` directly (no stand-in); the Qt stack that
orders them is QUndoStack itself, exercised by the UI tests (tests/test_ui_workshop.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.session.document import AddedOption, DeploymentSpec, WeightSet
from desktop_app.core.session.state import EVENTS, JudgementOverride, WorkshopState
from desktop_app.core.session.undo import (
    MERGE_ID_SET_WEIGHT,
    NO_MERGE,
    AddOption,
    CaptureWeightSet,
    Command,
    DeleteWeightSet,
    SetJudgement,
    SetWeight,
    SetWeights,
)

WORKBOOK = {"C1": 50.0, "C2": 30.0, "C3": 20.0}
PANEL = WeightSet("Community panel", {"C1": 10.0, "C2": 80.0, "C3": 10.0}, "workbook")


def _state() -> WorkshopState:
    s = WorkshopState()
    s.reset(WORKBOOK, [PANEL])
    return s


def _events(s: WorkshopState) -> list[str]:
    """Every event ``s`` emits from now on, in order."""
    seen: list[str] = []
    for e in EVENTS:
        s.connect(e, lambda e=e: seen.append(e))
    return seen


def _fold(commands: list[Command]) -> list[Command]:
    """Merge consecutive commands as QUndoStack does (mergeWith), dropping no-op merges."""
    out: list[Command] = []
    for c in commands:
        last = out[-1] if out else None
        if last is not None and c.merge_id != NO_MERGE and last.merge_id == c.merge_id and last.can_merge(c):
            merged = last.merge(c)
            out[-1:] = [] if merged.is_noop else [merged]
        else:
            out.append(c)
    return out


def test_set_weight_apply_and_revert() -> None:
    s = _state()
    seen = _events(s)
    cmd = SetWeight("C2", 30.0, 45.0)
    cmd.apply(s)
    assert s.weights == {"C1": 50.0, "C2": 45.0, "C3": 20.0}
    cmd.revert(s)
    assert s.weights == WORKBOOK
    assert seen == ["weights", "weights"]
    assert "C2" in cmd.text and "30" in cmd.text and "45" in cmd.text


def test_drag_merges_into_one_step_keeping_first_old_and_last_new() -> None:
    s = _state()
    # a drag of C1 from 50 to 62 in four events, then a separate keyboard step
    steps: list[Command] = [SetWeight("C1", o, n, merge_key="drag-1") for o, n in [(50, 53), (53, 57), (57, 60), (60, 62)]]
    steps.append(SetWeight("C1", 62, 63))  # keyboard: merge_key None
    for c in steps:
        c.apply(s)
    folded = _fold(steps)
    assert folded == [SetWeight("C1", 50, 62, merge_key="drag-1"), SetWeight("C1", 62, 63)]
    folded[1].revert(s)
    assert s.weights["C1"] == 62
    folded[0].revert(s)
    assert s.weights["C1"] == 50  # the whole drag undone at once


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


def test_drag_that_returns_to_start_leaves_nothing_to_undo() -> None:
    assert _fold([SetWeight("C3", 20, 25, merge_key="d"), SetWeight("C3", 25, 20, merge_key="d")]) == []


def test_moving_a_slider_leaves_the_active_set_and_undo_returns_to_it() -> None:
    s = _state()
    SetWeights(dict(s.weights), dict(PANEL.weights), None, PANEL.name).apply(s)
    assert s.weights_name() == "Community panel"
    cmd = SetWeight("C1", 10, 60, old_active_set="Community panel")
    cmd.apply(s)
    assert s.active_weight_set is None
    assert s.weights_name() == "Weights set in the workshop, from Community panel"
    cmd.revert(s)
    assert s.active_weight_set == "Community panel"
    assert s.weights_name() == "Community panel"


def test_weights_name_is_the_workbook_until_a_weight_moves() -> None:
    s = _state()
    assert s.weights_name() == "Workbook weights"  # a fresh start: never "set in the room"
    s.set_weight("C1", 51)
    assert s.weights_name() == "Weights set in the workshop, from the workbook weights"
    s.set_weight("C1", 50)  # back where the workbook has it
    assert s.weights_name() == "Workbook weights"
    # back to the workbook after a set: the set is no longer the source
    SetWeights(dict(s.weights), dict(PANEL.weights), None, PANEL.name).apply(s)
    SetWeights(dict(s.weights), dict(WORKBOOK), PANEL.name, None).apply(s)
    s.set_weight("C2", 0)
    assert s.weights_name() == "Weights set in the workshop, from the workbook weights"


def test_switch_weight_set_and_back() -> None:
    s = _state()
    seen = _events(s)
    new = {"C1": 10.0, "C2": 80.0, "C3": 10.0}
    cmd = SetWeights(dict(s.weights), new, None, "Community panel")
    cmd.apply(s)
    assert s.weights == new and s.active_weight_set == "Community panel"
    assert "Community panel" in cmd.text
    cmd.revert(s)
    assert s.weights == WORKBOOK and s.active_weight_set is None
    assert seen == ["weights", "active_weight_set", "weights", "active_weight_set"]


def test_set_weights_keeps_the_workbook_criteria_and_clamps() -> None:
    s = _state()
    s.set_weights({"C1": -5.0, "C2": 7.0, "C9": 3.0})  # C3 omitted -> 0, C9 unknown -> ignored
    assert s.weights == {"C1": 0.0, "C2": 7.0, "C3": 0.0}
    assert s.normalised_weights() == {"C1": 0.0, "C2": 1.0, "C3": 0.0}
    s.set_weights({})
    assert s.normalised_weights() == pytest.approx({"C1": 1 / 3, "C2": 1 / 3, "C3": 1 / 3})


def test_judgement_edit_and_removal_of_override() -> None:
    s = _state()
    seen = _events(s)
    first = SetJudgement("OPT_B", "C3", None, 70.0, None, "Federation view")
    second = SetJudgement("OPT_B", "C3", 70.0, 55.0, "Federation view", "Revised")
    first.apply(s)
    assert s.judgements == {("OPT_B", "C3"): JudgementOverride("OPT_B", "C3", 70.0, "Federation view")}
    second.apply(s)
    assert s.judgement_scores() == {("OPT_B", "C3"): 55.0}
    second.revert(s)
    assert s.judgements[("OPT_B", "C3")].rationale == "Federation view"
    first.revert(s)
    assert s.judgements == {}  # back to the workbook's own judgement, not an "edit"
    first.revert(s)  # removing an override that is not there changes nothing
    assert seen == ["judgements"] * 4
    assert SetJudgement("O", "C", 5, 5, "r", "r").is_noop
    assert not SetJudgement("O", "C", 5, 5, "r", "s").is_noop


def test_capture_weight_set_new_and_over_an_existing_one() -> None:
    s = _state()
    capture = CaptureWeightSet("Room 14:05", dict(s.weights))
    capture.apply(s)
    assert [w.name for w in s.weight_sets] == ["Community panel", "Room 14:05"]
    assert s.weight_sets[1].source == "captured"
    old = s.weight_sets[0]
    over = CaptureWeightSet("Community panel", {"C1": 1.0, "C2": 1.0, "C3": 1.0}, replaced=old, index=0)
    over.apply(s)
    assert [w.name for w in s.weight_sets] == ["Community panel", "Room 14:05"]
    assert s.weight_sets[0].weights == {"C1": 1.0, "C2": 1.0, "C3": 1.0}
    over.revert(s)
    assert s.weight_sets[0] == old  # the workbook set is back, in first place
    capture.revert(s)
    assert [w.name for w in s.weight_sets] == ["Community panel"]
    with pytest.raises(ValueError, match="already exists"):
        s.add_weight_set(WeightSet("Community panel", {}))


def test_a_captured_set_is_what_the_weights_are_then_called_and_undo_puts_the_old_name_back() -> None:
    """The sliders hold exactly the captured weights, so the set is active: the screen and the
    paper both say "Room 14:05" (a review found "set in the workshop, from Community panel"
    on both after the capture). Undo gives the weights their old name again."""
    s = _state()
    s.set_active_weight_set("Community panel")
    s.set_weight("C1", s.weights["C1"] + 5)  # moved in the room: no longer the panel's set
    s.set_active_weight_set(None)
    before = s.weights_name()
    assert before == describe_weights("Community panel", changed_in_room=True)
    capture = CaptureWeightSet("Room 14:05", dict(s.weights))
    capture.apply(s)
    assert s.active_weight_set == "Room 14:05" and s.weights_name() == "Room 14:05"
    capture.revert(s)
    assert s.active_weight_set is None and s.weights_name() == before
    capture.apply(s)  # redo
    assert s.weights_name() == "Room 14:05"


def test_delete_weight_set_restores_position_and_active_flag() -> None:
    s = _state()
    s.add_weight_set(WeightSet("PCC office", {"C1": 1.0}, "workbook"))
    s.set_active_weight_set("Community panel")
    cmd = DeleteWeightSet(s.weight_sets[0], index=s.weight_set_index("Community panel"), was_active=True)
    cmd.apply(s)
    assert [w.name for w in s.weight_sets] == ["PCC office"] and s.active_weight_set is None
    cmd.revert(s)
    assert [w.name for w in s.weight_sets] == ["Community panel", "PCC office"]
    assert s.active_weight_set == "Community panel"


def test_add_option_and_undo() -> None:
    s = _state()
    seen = _events(s)
    spec = AddedOption("OPT_OPT4", "Baseline + 4 ARO posts", deployments=(DeploymentSpec("ST01", "ARMED_RESPONSE_OFFICER"),))
    cmd = AddOption(spec)
    cmd.apply(s)
    assert s.added_options == [spec]
    s.add_option(spec)  # the same id again replaces, never duplicates
    assert s.added_options == [spec]
    cmd.revert(s)
    assert s.added_options == []
    cmd.revert(s)  # nothing left to remove: no event
    assert seen == ["options", "options", "options"]


def test_reset_clears_the_edits_silently() -> None:
    s = _state()
    s.set_judgement("O", "C1", 5.0, "r")
    s.add_option(AddedOption("X", "X"))
    s.set_active_weight_set("Community panel")
    seen = _events(s)
    s.reset({"C1": 1.0}, [])
    assert (s.weights, s.judgements, s.added_options, s.weight_sets, s.active_weight_set) == ({"C1": 1.0}, {}, [], [], None)
    assert seen == []  # whoever loads the workbook announces it
    with pytest.raises(ValueError, match="unknown workshop event"):
        s.connect("nope", lambda: None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 100), st.booleans()), min_size=1, max_size=25))
def test_undo_everything_restores_the_start_and_redo_everything_the_end(steps: list[tuple[str, int, bool]]) -> None:
    s = _state()
    commands: list[Command] = []
    for cid, value, drag in steps:
        cmd = SetWeight(cid, s.weights[cid], float(value), merge_key="drag" if drag else None)
        cmd.apply(s)
        commands.append(cmd)
    end = dict(s.weights)
    folded = _fold(commands)
    for cmd in reversed(folded):
        cmd.revert(s)
    assert s.weights == WORKBOOK
    for cmd in folded:
        cmd.apply(s)
    assert s.weights == end


def test_undo_texts_use_names_not_codes() -> None:
    """Issue 16: "Redo weight of Threat covered within 20 minutes: 12 → 32", not "Weight C7"."""
    from desktop_app.core.session.undo import SetJudgement, SetWeight

    criteria = {"C1": "Threat covered within 20 minutes"}
    options = {"OPT2": "Extra ARV crew (peak hours)"}
    assert SetWeight("C1", 12.0, 32.0).describe(criteria, options) == \
        "weight of Threat covered within 20 minutes: 12 \u2192 32"
    assert SetJudgement("OPT2", "C1", 40.0, 55.0, "a", "b").describe(criteria, options) == \
        "score of Extra ARV crew (peak hours) on Threat covered within 20 minutes \u2192 55"
    assert SetJudgement("OPT2", "C1", 55.0, None, "b", None).describe(criteria, options).endswith("\u2192 workbook score")
    # an id the workbook no longer names is shown as it is
    assert SetWeight("C9", 1.0, 2.5).describe(criteria, options) == "weight of C9: 1 \u2192 2.5"
