"""Sessions (Qt-free): JSON round trip, atomic saves, changed workbooks, autosave and recovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.errors import ToolError
from desktop_app.core.session import document as sess
from desktop_app.core.session.document import (
    AddedOption,
    Autosave,
    DeploymentSpec,
    JudgementEdit,
    Session,
    SessionError,
    WeightSet,
    check_workbook,
    data_dir,
    describe_changes,
    file_sha256,
    fingerprint_workbook,
)


def _book(path: Path, options: list[str], criteria: list[str], target: object = 20, sets: tuple[str, ...] = ("Community panel",)) -> Path:
    """A tiny workbook with just the sheets the fingerprint looks at."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Parameters"
    ws.append(["parameter", "value", "notes"])
    ws.append(["force_name", "Borderdale Police", None])
    ws.append(["target_minutes", target, None])
    ws.append([None, None, None])  # a blank row is not a row
    opt = wb.create_sheet("Options")
    opt.append(["option_id", "option_name", "baseline"])
    for i, o in enumerate(options):
        opt.append([o, f"Option {o}", i == 0])
    crit = wb.create_sheet("Criteria")
    crit.append(["criterion_id", "criterion_name", "measure", "direction", "weight"])
    for c in criteria:
        crit.append([c, c, "judgement", "higher", 10])
    w = wb.create_sheet("WeightSets")
    w.append(["weight_set", "criterion_id", "weight"])
    for s in sets:
        for c in criteria:
            w.append([s, c, 1])
    wb.save(path)
    return path


def _session(workbook: Path) -> Session:
    return Session.for_workbook(
        workbook,
        weights={"C1": 40.0, "C2": 60.0},
        active_weight_set=None,
        weight_sets=[
            WeightSet("Community panel", {"C1": 1.0, "C2": 1.0}, "workbook"),
            WeightSet("Room at 14:05", {"C1": 40.0, "C2": 60.0}, "captured"),
        ],
        judgement_edits=[JudgementEdit("B", "C2", 40.0, 65.0, "Workbook view", "Federation: training lead time shorter")],
        added_options=[
            AddedOption(
                "OPT_ARO3", "Baseline + 3 ARO posts", "from the optimiser", 120000.0, 450000.0, 9.0,
                (DeploymentSpec("ST04", "ARMED_RESPONSE_OFFICER"), DeploymentSpec("ST09", "ARMED_RESPONSE_OFFICER", 2, 2, 7, 23, 0.2, 4.0)),
            )
        ],
    )


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A", "B"], ["C1", "C2"])
    s = _session(wb)
    path = tmp_path / "workshop.armedsession.json"
    s.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "armed-options-session" and data["version"] == 1
    assert data["workbook"]["sha256"] == file_sha256(wb)
    back = Session.load(path)
    assert back.weights == s.weights
    assert back.weight_sets == s.weight_sets
    assert back.judgement_edits == s.judgement_edits
    assert back.added_options == s.added_options
    assert back.added_options[0].deployments[1].mobilisation_minutes == 4.0
    assert back.fingerprint == s.fingerprint
    assert back.judgement_overrides() == {("B", "C2"): (65.0, "Federation: training lead time shorter")}
    assert [w.name for w in back.captured_sets()] == ["Room at 14:05"]


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    p = tmp_path / "x.bin"
    p.write_bytes(b"abc")
    # SHA-256("abc") from FIPS 180-2, appendix B.1
    assert file_sha256(p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_fingerprint_counts_rows_and_lists_ids(tmp_path: Path) -> None:
    fp = fingerprint_workbook(_book(tmp_path / "f.xlsx", ["A", "B", "C"], ["C1", "C2"], sets=("P", "Q")))
    assert fp.row_counts == {"Parameters": 2, "Options": 3, "Criteria": 2, "WeightSets": 4}
    assert fp.ids["Options"] == ["A", "B", "C"]
    assert fp.ids["Criteria"] == ["C1", "C2"]
    assert fp.parameters == {"force_name": "Borderdale Police", "target_minutes": "20"}
    assert fp.weight_sets == ["P", "Q"]


def test_unchanged_workbook_checks_same(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A", "B"], ["C1", "C2"])
    check = check_workbook(_session(wb))
    assert check.status == "same" and check.ok and check.changes == ()


def test_changed_workbook_says_what_changed(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A", "B"], ["C1", "C2"])
    s = _session(wb)
    # 2 sets x 1 criterion = 2 WeightSets rows, as before: only the set names differ
    _book(wb, ["A", "B", "NEW"], ["C1"], target=15, sets=("Community panel", "Federation"))
    check = check_workbook(s)
    assert check.status == "changed" and not check.ok
    assert check.changes == (
        "Options: 2 rows before, 3 now",
        "Criteria: 2 rows before, 1 now",
        "Options: option_id added: NEW",
        "Criteria: criterion_id removed: C2",
        "parameter target_minutes: 20 before, 15 now",
        "weight sets added: Federation",
    )
    msg = check.message()
    assert msg.startswith("force.xlsx has changed") and "- Criteria: criterion_id removed: C2" in msg


def test_change_in_cells_the_fingerprint_does_not_record(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A", "B"], ["C1", "C2"])
    s = _session(wb)
    book = openpyxl.load_workbook(wb)
    book["Options"]["B2"] = "Renamed option"
    book.save(wb)
    check = check_workbook(s)
    assert check.status == "changed" and check.changes == ()
    assert "cell values were edited" in check.message()


def test_missing_workbook_and_workbook_beside_the_session(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A"], ["C1"])
    s = _session(wb)
    s.workbook_path = str(tmp_path / "elsewhere" / "force.xlsx")
    assert check_workbook(s).status == "missing"
    # copied to another laptop: the session and workbook travel together
    assert check_workbook(s, tmp_path / "w.armedsession.json").status == "same"


def test_describe_changes_detects_sheet_and_order_changes() -> None:
    old = sess.WorkbookFingerprint({"Options": 2, "Notes": 1}, {"Options": ["A", "B"]})
    new = sess.WorkbookFingerprint({"Options": 2, "Extra": 0}, {"Options": ["B", "A"]})
    assert describe_changes(old, new) == [
        "sheet Extra was added",
        "sheet Notes was removed",
        "Options: the same option_ids in a different order",
    ]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("not json", "bad JSON at line 1"),
        ('{"format": "something-else", "version": 1}', "not an Armed Policing Options session"),
        ('{"format": "armed-options-session", "version": 99}', "newer than this app supports"),
        ('{"format": "armed-options-session", "version": 1}', "damaged"),
        ('{"format": "armed-options-session", "version": 1, "workbook": {"path": "x", "sha256": "y"}, "weights": {"C1": "heavy"}}', "damaged"),
    ],
)
def test_bad_session_files_are_one_line(tmp_path: Path, text: str, needle: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SessionError) as info:
        Session.load(p)
    assert needle in info.value.one_line() and "\n" not in info.value.one_line()
    assert info.value.exit_status == 2


def test_missing_session_file(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="not found"):
        Session.load(tmp_path / "none.json")


def test_save_is_atomic_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A"], ["C1"])
    path = tmp_path / "s.json"
    good = _session(wb)
    good.save(path)
    before = path.read_bytes()

    def boom(*_a: object, **_k: object) -> str:
        raise KeyboardInterrupt  # a crash in the middle of writing

    monkeypatch.setattr(sess.json, "dumps", boom)
    with pytest.raises(KeyboardInterrupt):
        _session(wb).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_data_dir_follows_platform_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ARMED_OPTIONS_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    monkeypatch.delenv("ARMED_OPTIONS_DATA_DIR")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", r"C:\Users\pc\AppData\Roaming")
    assert data_dir() == Path(r"C:\Users\pc\AppData\Roaming") / "ArmedOptions"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_dir() == tmp_path / ".local" / "share" / "armed-options"


def test_clean_run_leaves_nothing_to_recover(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A"], ["C1"])
    auto = Autosave(tmp_path / "data")
    assert auto.pending_recovery() is None
    auto.mark_running()
    auto.save(_session(wb))
    auto.mark_clean_shutdown()
    assert Autosave(tmp_path / "data").pending_recovery() is None
    assert list((tmp_path / "data").iterdir()) == []


def test_crash_is_recovered_from_a_real_killed_process(tmp_path: Path) -> None:
    """A separate process autosaves then dies without a clean shutdown."""
    wb = _book(tmp_path / "force.xlsx", ["A", "B"], ["C1", "C2"])
    data = tmp_path / "data"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from desktop_app.core.session.document import Autosave, Session\n"
        f"a = Autosave(Path({str(data)!r}))\n"
        "a.mark_running()\n"
        f"s = Session.for_workbook(Path({str(wb)!r}), weights={{'C1': 7.0, 'C2': 3.0}})\n"
        "a.save(s)\n"
        "os._exit(9)  # crash: no clean shutdown\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 9, out.stderr
    rec = Autosave(data).pending_recovery()
    assert rec is not None
    assert rec.session.weights == {"C1": 7.0, "C2": 3.0}
    assert rec.path == data / "autosave.json"


def test_a_live_instance_is_not_a_crash(tmp_path: Path) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A"], ["C1"])
    data = tmp_path / "data"
    Autosave(data).save(_session(wb))
    # a lock held by another running process with a fresh heartbeat (pid 1 is always alive)
    (data / "running.lock").write_text(json.dumps({"pid": 1}), encoding="utf-8")
    assert Autosave(data).pending_recovery() is None
    # ... but a stale heartbeat means that pid was reused after a crash
    old = os.stat(data / "running.lock").st_mtime - 3600
    os.utime(data / "running.lock", (old, old))
    assert Autosave(data).pending_recovery() is not None


def test_interrupted_autosave_leaves_the_last_good_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = _book(tmp_path / "force.xlsx", ["A"], ["C1"])
    auto = Autosave(tmp_path / "data")
    auto.mark_running()
    first = _session(wb)
    first.weights = {"C1": 1.0}
    auto.save(first)
    second = _session(wb)
    second.weights = {"C1": 2.0}

    real_replace = os.replace

    def power_cut(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(ToolError):
        auto.save(second)
    monkeypatch.setattr(os, "replace", real_replace)
    rec = Autosave(tmp_path / "data").pending_recovery()
    assert rec is not None and rec.session.weights == {"C1": 1.0}


def test_damaged_autosave_is_not_offered(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "autosave.json").write_text("{", encoding="utf-8")
    (data / "running.lock").write_text("{}", encoding="utf-8")
    assert Autosave(data).pending_recovery() is None


def test_option_spec_rows_build_on_the_baseline() -> None:
    spec = AddedOption("NEW", "Baseline + 1", deployments=(DeploymentSpec("ST1", "ARMED_RESPONSE_OFFICER"),))
    base = [{"option_id": "BASE", "site_id": "HQ", "asset_type": "ARV", "posts": 2}]
    rows = spec.deployment_rows(base)
    assert [(r["option_id"], r["site_id"]) for r in rows] == [("NEW", "HQ"), ("NEW", "ST1")]
    assert base[0]["option_id"] == "BASE"  # the baseline rows are not modified
    alone = AddedOption("X", "X", include_baseline=False, deployments=spec.deployments)
    assert [r["site_id"] for r in alone.deployment_rows(base)] == ["ST1"]
    assert spec.options_row()["baseline"] is False


_ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=8)
_text = st.text(max_size=40)  # any unicode, incl. quotes, newlines and "=" (never a formula here)
_score = st.floats(0, 100, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    weights=st.dictionaries(_ids, st.floats(0, 1e6, allow_nan=False), max_size=12),
    sets=st.lists(st.tuples(_text, st.dictionaries(_ids, st.floats(0, 100, allow_nan=False), max_size=6),
                            st.sampled_from(["workbook", "captured"])), max_size=5),
    edits=st.lists(st.tuples(_ids, _ids, st.none() | _score, _score, st.none() | _text, _text), max_size=5),
    costs=st.tuples(st.floats(0, 1e9, allow_nan=False), st.floats(0, 1e9, allow_nan=False), st.integers(0, 120)),
)
def test_any_session_survives_a_json_round_trip(weights, sets, edits, costs) -> None:
    s = Session(
        workbook_path="C:\\Forces\\Borderdale – 2026.xlsx",
        workbook_sha256="ab" * 32,
        weights=weights,
        active_weight_set=sets[0][0] if sets else None,
        weight_sets=[WeightSet(n, w, src) for n, w, src in sets],
        judgement_edits=[JudgementEdit(*e) for e in edits],
        added_options=[AddedOption("X1", "Baseline + 2", "=SUM(A1)", costs[0], costs[1], float(costs[2]),
                                  (DeploymentSpec("PS1", "ARV", 2, 2, 22, 6, 0.25, None),))],
    )
    back = Session.from_json(json.loads(s.dumps()))
    assert back.weights == s.weights
    assert back.weight_sets == s.weight_sets
    assert back.judgement_edits == s.judgement_edits
    assert back.added_options == s.added_options
    assert back.active_weight_set == s.active_weight_set
    assert back.workbook_path == s.workbook_path


def test_branch_weights_round_trip_and_an_older_file_has_none(tmp_path: Path) -> None:
    """The branch sliders' weights are kept; a file saved before they existed loads with none."""
    s = Session(workbook_path="w.xlsx", workbook_sha256="ab" * 32, group_weights={"Response": 45.0, "Costs": 35.0})
    back = Session.from_json(json.loads(s.dumps()))
    assert back.group_weights == {"Response": 45.0, "Costs": 35.0}
    older = json.loads(s.dumps())
    del older["group_weights"]
    assert Session.from_json(older).group_weights == {}
    older["group_weights"] = {"Costs": "nan"}
    with pytest.raises(SessionError):
        Session.from_json(older)  # NaN is never a number
