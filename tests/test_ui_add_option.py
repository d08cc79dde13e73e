""""Add as option": costs with a confirmed zero, the posts' defaults, the room's own scores.

docs/appraisal-method.md#awaiting-scores. An option added in the app never inherits
judgement scores; until the room scores it, it is marked *awaiting scores* on every view
and left out of the ranking; scoring it puts it in the ranking. The dialog is driven
directly (never ``exec``-ed modally): its widgets are filled and read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _workshop_fixtures import open_in_window, wait_idle
from PySide6.QtWidgets import QDialog

from desktop_app.ui.add_option_dialog import (
    NOT_SCORED,
    AddOptionDialog,
    JudgementCriterion,
    PostDefaults,
)

pytestmark = pytest.mark.gui

JUDGED = ("C7", "C8", "C9")  # the sample's judgement criteria


def _dialog(qtbot) -> AddOptionDialog:
    dialog = AddOptionDialog(
        "OPT_X", "X", "", criteria=[JudgementCriterion("C7", "Community confidence", "0 = ...; 100 = ..."),
                                    JudgementCriterion("C8", "Officer welfare")],
        posts=PostDefaults("armed response officer", 0.35, 3.0))
    qtbot.addWidget(dialog)
    return dialog


def test_zero_costs_need_an_explicit_confirmation(qtbot) -> None:
    dialog = _dialog(qtbot)
    # both costs start at £0: not addable until the zero is confirmed or a cost entered
    assert dialog.zero_costs() == ["one-off", "annual"]
    assert "are £0" in dialog.problem() and not dialog.ok_button.isEnabled()
    dialog.one_off.setValue(150_000)
    assert dialog.zero_costs() == ["annual"] and "annual cost is £0" in dialog.problem()
    dialog.zero_ok.setChecked(True)
    assert dialog.problem() is None and dialog.ok_button.isEnabled()
    dialog.zero_ok.setChecked(False)
    dialog.annual.setValue(420_000)
    assert dialog.problem() is None  # no cost left at zero: nothing to confirm
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_scores_start_empty_and_every_criterion_needs_score_and_rationale(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.zero_ok.setChecked(True)
    # the default is awaiting scores, and nothing is pre-filled that could be inherited
    assert dialog.awaiting.isChecked() and dialog.scores() == {}
    spin, why = dialog.score_widgets["C7"]
    assert spin.value() == -1 and spin.text() == NOT_SCORED
    dialog.score_now.setChecked(True)
    assert dialog.problem().startswith("Give a score on C7")
    spin.setValue(40)
    assert dialog.problem().startswith("Give the rationale for the score on C7")
    why.setText("  Armed patrols   in villages worry residents ")
    assert dialog.problem().startswith("Give a score on C8")
    dialog.score_widgets["C8"][0].setValue(0)  # 0 is a score, not "not scored"
    dialog.score_widgets["C8"][1].setText("Lone working")
    assert dialog.problem() is None
    assert dialog.scores() == {"C7": (40.0, "Armed patrols in villages worry residents"), "C8": (0.0, "Lone working")}
    dialog.awaiting.setChecked(True)
    assert dialog.scores() == {} and dialog.problem() is None


def test_posts_show_the_asset_defaults_and_keep_blank_when_unchanged(qtbot) -> None:
    dialog = _dialog(qtbot)
    assert dialog.busy.value() == pytest.approx(0.35) and dialog.mobilisation.value() == pytest.approx(3.0)
    # left at the default: stays blank (the default), as a blank Deployments cell
    assert dialog.deployment_overrides() == {"busy_fraction": None, "mobilisation_minutes": None}
    dialog.busy.setValue(0.5)
    dialog.mobilisation.setValue(4.5)
    assert dialog.deployment_overrides() == {"busy_fraction": 0.5, "mobilisation_minutes": 4.5}


@pytest.fixture()
def optimised(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    window, workshop = open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)
    view = workshop.optimiser
    view.posts.setValue(1)
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    return window, workshop


def _add(qtbot, window, view, monkeypatch, fill) -> None:
    def drive(dialog: AddOptionDialog) -> int:
        fill(dialog)
        assert dialog.problem() is None
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddOptionDialog, "exec", drive)
    spec = view.add_as_option()
    assert spec is not None
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: spec.option_id in window.state.coverage.measures.index, timeout=60_000)


def test_an_added_option_awaits_scores_everywhere_until_scored(optimised, qtbot, monkeypatch) -> None:
    window, workshop = optimised
    state, view = window.state, workshop.optimiser

    def fill(dialog: AddOptionDialog) -> None:
        # the dialog shows the workbook's defaults for armed response officers (Parameters)
        assert dialog.busy.value() == pytest.approx(state.inputs.parameters.busy_fraction_aro)
        assert dialog.mobilisation.value() == pytest.approx(state.inputs.parameters.mobilisation_minutes_aro)
        assert set(dialog.score_widgets) == set(JUDGED)
        dialog.option_name.setText("Arm one station")
        dialog.one_off.setValue(50_000)
        dialog.annual.setValue(140_000)

    _add(qtbot, window, view, monkeypatch, fill)
    oid = "OPT_ARO1"
    # never inherited: no judgement score exists for it, workbook's or workshop's
    assert not [k for k in state.workshop.judgements if k[0] == oid]
    assert not (state.inputs.judgements["option_id"] == oid).any()
    assert state.run.awaiting_scores == [oid] and oid not in state.appraisal.ranks.index
    # marked on every view: the ranking and value for money (the Appraisal view's headline over both),
    qtbot.waitUntil(lambda: "Awaiting scores" in window.appraisal_view.headline.text(), timeout=10_000)
    assert "Arm one station" in window.appraisal_view.headline.text()
    assert oid not in window.appraisal_view.ranking_table.order
    # the weight-set comparison,
    panel = workshop.weight_sets
    panel.refresh()
    assert "Awaiting scores" in panel.agreement.text()
    row = [panel.ranks_table.verticalHeaderItem(r).text() for r in range(panel.ranks_table.rowCount())].index(
        "Arm one station")
    assert {panel.ranks_table.item(row, c).text() for c in range(panel.ranks_table.columnCount())} == {"awaiting scores"}
    # workshop mode (the header line beside whose weights),
    presentation = workshop.enter_workshop_mode()
    presentation.refresh()
    assert "Arm one station: awaiting scores" in presentation.set_label.text()
    assert len(presentation._rank_labels) == 6  # one bar per ranked option: the six scored ones
    # and the Judgements view, where it is scored
    editor = workshop.judgements
    editor.refresh()
    rows = [r for r, pair in enumerate(editor._pairs) if pair[0] == oid]
    assert [editor.table.item(r, 5).text() for r in rows] == ["awaiting score"] * 3
    assert [editor.table.item(r, 3).text() for r in rows] == ["(not scored)"] * 3

    # scoring two of three criteria is not enough; the third puts it in the ranking
    assert editor.edit(oid, "C7", 30, "Armed officer in a market town")
    assert editor.edit(oid, "C8", 40, "One lone armed post")
    assert oid not in state.appraisal.ranks.index
    assert editor.edit(oid, "C9", 20, "Routinely armed response officers at one station")
    assert oid in state.appraisal.ranks.index
    assert state.appraisal.values.loc[oid, "C7"] == 30 and state.appraisal.values.loc[oid, "C9"] == 20
    assert "Awaiting scores" not in window.appraisal_view.headline.text()
    panel.refresh()
    assert "Awaiting scores" not in panel.agreement.text()
    presentation.refresh()
    assert "awaiting scores" not in presentation.set_label.text()
    # the three scores given in the room are said beside whose weights the room sees
    assert "  ·  3 scores set in the room" in presentation.set_label.text()
    workshop.leave_workshop_mode()


def test_scored_in_the_dialog_it_is_ranked_and_one_undo_removes_it(optimised, qtbot, monkeypatch) -> None:
    window, workshop = optimised
    state, view = window.state, workshop.optimiser

    def fill(dialog: AddOptionDialog) -> None:
        dialog.one_off.setValue(50_000)
        dialog.zero_ok.setChecked(True)  # annual cost left at £0, confirmed
        dialog.busy.setValue(0.5)
        dialog.score_now.setChecked(True)
        for score, cid in zip((35, 45, 15), JUDGED, strict=True):
            dialog.score_widgets[cid][0].setValue(score)
            dialog.score_widgets[cid][1].setText(f"room's view on {cid}")

    _add(qtbot, window, view, monkeypatch, fill)
    oid = "OPT_ARO1"
    assert oid in state.appraisal.ranks.index  # the live appraisal, with the room's scores
    assert [state.appraisal.values.loc[oid, c] for c in JUDGED] == [35, 45, 15]
    # the new post carries the busy fraction the room entered (the default is 0.35)
    spec = state.extra_options[0]
    assert [d.busy_fraction for d in spec.deployments] == [0.5] and spec.deployments[0].mobilisation_minutes is None
    deps = state.inputs.deployments if oid in state.inputs.deployments["option_id"].values else state.run.inputs.deployments
    added = deps[(deps["option_id"] == oid) & (deps["site_id"] == spec.deployments[0].site_id)]
    assert added["busy_fraction"].tolist()[-1] == 0.5
    # one undo step takes the option and its scores away
    assert workshop.undo.stack.count() == 1
    workshop.undo.stack.undo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: oid not in state.option_ids(), timeout=60_000)
    assert not [k for k in state.workshop.judgements if k[0] == oid]


def test_long_criterion_names_wrap_whole_and_rows_never_overlap(qtbot) -> None:
    """At 1366x768 the dialog had been squeezed to the screen: score rows ran into each other
    and "C7 Community confidence in the armed response" was cut at "in the a". The fields
    now scroll, and each name wraps to whole words beside its score."""
    names = [("C7", "Community confidence in the armed response"), ("C8", "Officer welfare and deliverability"),
             ("C9", "Consistency with the routinely unarmed model")]
    dialog = AddOptionDialog("OPT_X", "X", "", criteria=[JudgementCriterion(c, n, "") for c, n in names],
                             posts=PostDefaults("armed response officer", 0.35, 3.0))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height()
    rows = []
    for cid, _name in names:
        spin, why = dialog.score_widgets[cid]
        label = next(w for w in spin.parentWidget().findChildren(type(dialog.problem_label))
                     if w.text().startswith(cid + " "))
        assert label.height() >= label.heightForWidth(label.width())  # every wrapped line shown
        rows.append((min(label.y(), spin.y()), max(label.y() + label.height(), spin.y() + spin.height())))
    for (_top, bottom), (next_top, _b) in zip(rows, rows[1:], strict=False):
        assert bottom <= next_top  # no row runs into the next
