"""Sessions in the app: save and reopen, a changed workbook, crash recovery, the close prompt."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from _workshop_fixtures import discard_changes, load, make_window, wait_idle
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.core.session.document import Autosave, Session
from desktop_app.core.session.undo import CaptureWeightSet

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMED_OPTIONS_DATA_DIR", str(tmp_path / "appdata"))


def _workshop_changes(window, workshop) -> None:
    """A little afternoon's work: a weight, a captured set, a judgement edit."""
    window.state.set_weight("C5", 40.0)
    workshop.undo.push(CaptureWeightSet("Chief officers", dict(window.state.weights)))
    workshop.judgements.edit("OPT2", "C8", 90.0, "Federation: extra crew eases lone working")


def _restore(qtbot, workshop, fn) -> None:
    with qtbot.waitSignal(workshop.sessions.session_restored, timeout=60_000):
        assert fn()


def test_save_and_reopen_a_session(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    _workshop_changes(window, workshop)
    assert workshop.sessions.dirty and window.windowTitle().endswith(" *")

    target = tmp_path / "borderdale workshop.armedsession.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    workshop.sessions.save_action.trigger()
    assert target.exists() and not workshop.sessions.dirty
    assert not window.windowTitle().endswith(" *")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["workbook"]["sha256"] == window.state.inputs.sha256
    assert data["weights"]["C5"] == 40.0
    assert [s["name"] for s in data["weight_sets"]] == ["Community panel", "Police Federation", "PCC office", "Chief officers"]
    assert data["judgement_edits"] == [{
        "option_id": "OPT2", "criterion_id": "C8", "original_score": 75.0, "score": 90.0,
        "original_rationale": window.state.inputs.judgements.set_index(["option_id", "criterion_id"]).loc[("OPT2", "C8"), "rationale"],
        "rationale": "Federation: extra crew eases lone working",
    }]
    expected_totals = window.state.appraisal.totals.copy()

    # a fresh window (another day): File > Open session
    window2, workshop2 = make_window(qtbot, tmp_path / "b")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(target), "")))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    with qtbot.waitSignal(workshop2.sessions.session_restored, timeout=60_000):
        workshop2.sessions.open_action.trigger()
    state2 = window2.state
    assert warned == []  # the workbook is unchanged: no warning
    assert state2.weights["C5"] == 40.0
    assert workshop2.store.names()[-1] == "Chief officers"
    assert workshop2.store.get("Chief officers").source == "captured"
    assert state2.judgement_overrides[("OPT2", "C8")].score == 90.0
    assert state2.appraisal.totals.round(9).equals(expected_totals.round(9))
    # reopened work is saved work: nothing to undo, nothing unsaved, and saving goes back to the file
    assert not workshop2.sessions.dirty and workshop2.undo.stack.count() == 0
    assert workshop2.sessions.path == target


def test_session_whose_workbook_has_changed(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    _workshop_changes(window, workshop)
    target = tmp_path / "s.armedsession.json"
    assert workshop.sessions.save_to(target)

    # the analyst edits the workbook afterwards: a tighter target and a criterion dropped
    book = openpyxl.load_workbook(sample_copy)
    params = book["Parameters"]
    for row in params.iter_rows(min_row=2):
        if row[0].value == "target_minutes":
            row[1].value = 15
    crit = book["Criteria"]
    for row in crit.iter_rows(min_row=2):
        if row[0].value == "C6":
            crit.delete_rows(row[0].row)
            break
    ws = book["WeightSets"]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 2).value == "C6":
            ws.delete_rows(r)
    book.save(sample_copy)

    window2, workshop2 = make_window(qtbot, tmp_path / "b")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    informed: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: informed.append(a[2])))
    _restore(qtbot, workshop2, lambda: workshop2.sessions.open_session(target))
    assert len(warned) == 1
    msg = warned[0]
    assert msg.startswith(f"{sample_copy.name} has changed since this session was saved.")
    assert "- Criteria: 9 rows before, 8 now" in msg
    assert "- Criteria: criterion_id removed: C6" in msg
    assert "- parameter target_minutes: 20 before, 15 now" in msg
    # what still fits is applied; what does not is reported, not silently dropped
    state2 = window2.state
    assert "C6" not in state2.weights and state2.weights["C5"] == 40.0
    assert state2.judgement_overrides[("OPT2", "C8")].score == 90.0
    assert informed and "C6" in informed[0]
    discard_changes(workshop)


def test_crash_recovery_after_a_simulated_crash(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    data = tmp_path / "appdata-crash"
    window, workshop = make_window(qtbot, tmp_path / "a", data_dir=data)
    workshop.sessions.offer_recovery()  # start-up: nothing to recover, marks this run as running
    assert (data / "running.lock").exists() and not (data / "autosave.json").exists()
    load(qtbot, window, sample_copy)
    _workshop_changes(window, workshop)
    workshop.sessions.timer.timeout.emit()  # the minute's autosave tick
    assert (data / "autosave.json").exists()
    saved = Session.load(data / "autosave.json")
    assert saved.weights["C5"] == 40.0

    # crash: the process dies without closing the window (no clean-shutdown marker)
    window.removeEventFilter(workshop.sessions)
    workshop.sessions.timer.stop()
    discard_changes(workshop)

    # next start: the recovery prompt (patched: "Yes")
    asked: list[str] = []

    def yes(*a, **k):
        asked.append(a[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    window2, workshop2 = make_window(qtbot, tmp_path / "b", data_dir=data)
    # install() offers recovery once the event loop runs, as at a real start-up
    _restore(qtbot, workshop2, lambda: True)
    assert len(asked) == 1 and "did not close normally" in asked[0] and sample_copy.name in asked[0]
    state2 = window2.state
    assert state2.weights["C5"] == 40.0
    assert "Chief officers" in workshop2.store.names()
    assert state2.judgement_overrides[("OPT2", "C8")].rationale.startswith("Federation")
    # recovered work is not saved anywhere yet: closing must ask
    assert workshop2.sessions.dirty and workshop2.sessions.path is None

    # the close prompt: Cancel keeps the window open, Discard closes cleanly
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel))
    assert not window2.close()
    assert window2.isVisible()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    assert window2.close()
    assert not (data / "running.lock").exists() and not (data / "autosave.json").exists()
    assert Autosave(data).pending_recovery() is None


def test_declining_recovery_discards_the_autosave(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    data = tmp_path / "appdata-decline"
    auto = Autosave(data)
    auto.mark_running()
    auto.save(Session.for_workbook(sample_copy, weights={"C1": 1.0}))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    window, workshop = make_window(qtbot, tmp_path / "a", data_dir=data)
    assert workshop.sessions.offer_recovery() is False
    assert not (data / "autosave.json").exists() and (data / "running.lock").exists()


def test_close_prompt_save_writes_the_session(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    window.state.set_weight("C1", 5.0)
    target = tmp_path / "closing.armedsession.json"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.close()
    assert Session.load(target).weights["C1"] == 5.0


def test_added_option_survives_save_and_reopen(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    from desktop_app.core.session.document import AddedOption, DeploymentSpec
    from desktop_app.core.session.undo import AddOption

    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    spec = AddedOption("OPT_X", "Baseline + ARO at two stations", "", 50_000.0, 200_000.0, 4.0,
                      (DeploymentSpec("PS06", "ARMED_RESPONSE_OFFICER"), DeploymentSpec("PS07", "ARMED_RESPONSE_OFFICER")))
    workshop.undo.push(AddOption(spec))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "OPT_X" in window.state.option_ids(), timeout=60_000)
    # the room scores every judgement criterion (until then the option awaits scores and is not ranked)
    workshop.judgements.edit("OPT_X", "C7", 60.0, "Room view of the new option")
    workshop.judgements.edit("OPT_X", "C8", 40.0, "Lone armed officers at two stations")
    workshop.judgements.edit("OPT_X", "C9", 30.0, "Arms response officers routinely at two stations")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "OPT_X" in window.state.appraisal.totals.index, timeout=60_000)
    target = tmp_path / "x.armedsession.json"
    assert workshop.sessions.save_to(target)
    assert Session.load(target).added_options == [spec]

    window2, workshop2 = make_window(qtbot, tmp_path / "b")
    _restore(qtbot, workshop2, lambda: workshop2.sessions.open_session(target))
    wait_idle(qtbot, window2)
    qtbot.waitUntil(lambda: "OPT_X" in window2.state.option_ids(), timeout=60_000)
    qtbot.waitUntil(lambda: ("OPT_X", "C9") in window2.state.judgement_overrides, timeout=10_000)
    qtbot.waitUntil(lambda: "OPT_X" in window2.state.appraisal.totals.index, timeout=60_000)
    assert window2.state.appraisal.totals["OPT_X"] == pytest.approx(window.state.appraisal.totals["OPT_X"])


def test_opening_another_workbook_asks_about_unsaved_work(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    window.state.set_weight("C1", 3.0)
    asked: list[str] = []

    def cancel(*a, **k):
        asked.append(a[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(cancel))
    window.reload()  # F5: would read the workbook again and reset the workshop
    assert asked and not window.busy()
    assert window.state.weights["C1"] == 3.0  # nothing was thrown away
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    load(qtbot, window, sample_copy)
    assert window.state.weights["C1"] == 18.0 and not workshop.sessions.dirty


def test_branch_weights_survive_save_and_reopen(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    """A branch slider moved in the room is saved and restored, not lost on reopening."""
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    # The sample's CriteriaGroups, on the branch sliders' 0-100 scale: Response 45, Costs 14,
    # Community 15, Workforce 16, Policing model 10. Raise Costs to 35.
    assert window.state.workshop.group_weights["Costs"] == pytest.approx(14.0)
    window.state.workshop.set_group_weight("Costs", 35.0)
    expected_totals = window.state.appraisal.totals.copy()
    target = tmp_path / "branches.armedsession.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    workshop.sessions.save_action.trigger()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["group_weights"] == {"Response": 45.0, "Costs": 35.0, "Community": 15.0, "Workforce": 16.0,
                                     "Policing model": 10.0}

    window2, workshop2 = make_window(qtbot, tmp_path / "b")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with qtbot.waitSignal(workshop2.sessions.session_restored, timeout=60_000):
        workshop2.sessions.open_action.trigger()
    assert window2.state.workshop.group_weights["Costs"] == pytest.approx(35.0)
    # Costs' share of the total: 35 / (45 + 35 + 15 + 16 + 10) = 35 / 121
    assert window2.state.workshop.branch_shares()["Costs"] == pytest.approx(35 / 121)
    assert window2.state.appraisal.totals.round(9).equals(expected_totals.round(9))
    assert not workshop2.sessions.dirty and workshop2.undo.stack.count() == 0
