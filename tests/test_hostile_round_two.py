"""Hostile input, round two (issue 18): folder rule, outputs, sessions, bounds, terminal text.

The corpus cases themselves (``corpus.ROUND_TWO``) are answered through ``validate`` in
``test_corpus.py::test_validate_answers_in_one_line``; here they are also run in one child
process whose peak memory is measured (the contract's 500 MB), and the families that are
not workbooks are tested: outputs that are inputs or devices, session files, the command
line's usage lines, the SMAA bounds and the terminal escaping. No test asserts wall-clock
time; the seconds are measured by ``tests/benchmarks/bench_bombs.py`` and reported in
docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from corpus import HOSTILE_TEXT, ROUND_TWO, SHEET_PART, parts_of, with_part
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main
from desktop_app.core._io.atomic import refuse_input_as_output
from desktop_app.core.appraisal.smaa import check_smaa_size, ranks_by_sort
from desktop_app.core.appraisal.weighting import normalise_weights
from desktop_app.core.errors import OutputError, UsageError
from desktop_app.core.session.document import (
    Session,
    SessionError,
    WeightSet,
    check_workbook,
    fingerprint_workbook,
)
from desktop_app.core.terminal_text import EscapingStream, escape_controls
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.reader import read_workbook
from desktop_app.core.workbook.schema import CAPS

ROOT = Path(__file__).resolve().parents[1]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err + cap.out and "internal error" not in cap.err, cap.err
    return rc, cap.out, cap.err


# -- every round-two case in a child process: exit status and peak memory ---------------------------

#: The child's own peak memory. VmHWM is the high-water mark of this process's memory since
#: its exec; ``ru_maxrss`` is not: Linux carries the parent's mark across a vfork + exec, so
#: a child of a large pytest process would report pytest's peak.
_PEAK = textwrap.dedent("""
    def peak_kb():
        try:
            with open("/proc/self/status") as fh:
                return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:"))
        except (OSError, StopIteration):
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
""")

_CHILD = _PEAK + textwrap.dedent("""
    import contextlib, io, json, sys, time
    from desktop_app.cli import main
    out = []
    for path in sys.argv[1:]:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            rc = main(["validate", path])
        out.append([path, rc, time.perf_counter() - started])
    print(json.dumps({"runs": out, "peak_kb": peak_kb()}))
""")


def test_round_two_cases_in_a_child_within_the_memory_budget(tmp_path: Path) -> None:
    """Every round-two case, run by one real child process, gets its exit status; peak RSS < 500 MB.

    The peak is the largest any single case reached (the process's high-water mark), so
    each case is within the budget. Inputs are unchanged and nothing is left beside them.
    """
    paths = [c.build(tmp_path) for c in ROUND_TWO]
    before = {p: p.read_bytes() for p in paths}
    proc = subprocess.run([sys.executable, "-c", _CHILD, *map(str, paths)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout.splitlines()[-1])
    assert [rc for _, rc, _ in data["runs"]] == [c.exit for c in ROUND_TWO]
    assert data["peak_kb"] < 500 * 1024, data["peak_kb"]
    assert {p: p.read_bytes() for p in paths} == before
    assert not [p for p in tmp_path.rglob("*") if ".~armed-options-" in p.name]


# -- outputs: never an input, never a device ------------------------------------------------------


def _force_with_csv(tmp_path: Path, csv_name: str = "times.csv") -> tuple[Path, Path]:
    sheets = base_sheets()
    rows = sheets.pop("TravelTimes")
    sheets["Parameters"].append(["travel_times_file", csv_name, ""])
    path = make_workbook(tmp_path, sheets, drop_sheets=("TravelTimes",))
    csv_path = tmp_path / csv_name
    csv_path.write_text("\n".join(",".join(str(v) for v in r) for r in rows) + "\n", encoding="utf-8")
    return path, csv_path


def test_the_named_csv_is_an_input_no_output_may_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, csv_path = _force_with_csv(tmp_path, "times.xlsx")  # a CSV under an .xlsx name: passes the suffix check
    before = csv_path.read_bytes()
    inputs = read_workbook(path).inputs
    assert inputs is not None and inputs.input_files == (path, csv_path.resolve())
    with pytest.raises(OutputError, match=r"an input the workbook names \(times.xlsx\)"):
        refuse_input_as_output(inputs.input_files, csv_path)
    for argv in (["appraise", str(path), "-o", str(csv_path), "--samples", "50"],
                 ["optimise", str(path), "--posts", "1", "--write-option", str(csv_path)]):
        rc, out, err = _run(capsys, *argv)
        assert rc == 2 and len(err.splitlines()) == 1 and "an input the workbook names" in err, err
    rc, _out, err = _run(capsys, "appraise", str(path), "-o", str(tmp_path / "times.csv"))
    assert rc == 2 and "must be saved as an Excel workbook ending in .xlsx" in err
    assert csv_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["force.xlsx", "times.xlsx"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_output_that_is_not_a_regular_file_is_refused(kind: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``-o /dev/full`` as root would replace the device node with a regular file."""
    if kind == "fifo":
        target = tmp_path / "out.xlsx"
        os.mkfifo(target)
    else:
        target = tmp_path / "full.xlsx"
        target.symlink_to("/dev/full")
    path = make_workbook(tmp_path)
    for argv in (["appraise", str(path), "-o", str(target), "--samples", "50"],
                 ["template", str(target), "--force"],
                 ["optimise", str(path), "--posts", "1", "--write-option", str(target)]):
        rc, out, err = _run(capsys, *argv)
        assert rc == 2 and len(err.splitlines()) == 1 and "not a regular file" in err, (argv, err)
    mode = os.stat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)
    assert not [p for p in tmp_path.iterdir() if ".~armed-options-" in p.name]


def test_a_copy_in_another_folder_gets_the_csv_beside_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, csv_path = _force_with_csv(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    rc, _out, _err = _run(capsys, "optimise", str(path), "--posts", "1", "--write-option", str(other / "copy.xlsx"))
    assert rc == 0
    assert (other / "times.csv").read_bytes() == csv_path.read_bytes()
    assert read_workbook(other / "copy.xlsx").ok  # the same relative name, now beside the copy
    # A different file of that name already there is never replaced.
    third = tmp_path / "third"
    third.mkdir()
    (third / "times.csv").write_text("someone else's\n")
    rc, _out, err = _run(capsys, "optimise", str(path), "--posts", "1", "--write-option", str(third / "copy.xlsx"))
    assert rc == 2 and "already exists with other contents" in err
    assert (third / "times.csv").read_text() == "someone else's\n" and not (third / "copy.xlsx").exists()


# -- sessions ------------------------------------------------------------------------------------


def _session_file(tmp_path: Path, change: object) -> Path:
    wb = make_workbook(tmp_path)
    data = Session.for_workbook(wb).to_json()
    text = change(data) if callable(change) else change
    p = tmp_path / "s.armedsession.json"
    p.write_text(text if isinstance(text, str) else json.dumps(text), encoding="utf-8")
    return p


@pytest.mark.parametrize("name, change, words", [
    ("nested", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("row count 1e400", lambda d: json.dumps(d).replace('"Options": 3', '"Options": 1e400'), "too large"),
    ("NaN weight", lambda d: json.dumps({**d, "weights": {"C1": float("nan")}}), "NaN is not a number"),
    ("text nan weight", lambda d: {**d, "weight_sets": [{"name": "x", "weights": {"C1": "nan"}}]}, "not a finite"),
    ("huge row count", lambda d: json.dumps(d).replace('"Options": 3', '"Options": 1e300'), "out of range"),
    ("huge int", lambda d: json.dumps(d).replace('"Options": 3', '"Options": ' + "9" * 5000), "damaged"),
])
def test_hostile_session_files_are_one_line(tmp_path: Path, name: str, change: object, words: str) -> None:
    p = _session_file(tmp_path, change)
    with pytest.raises(SessionError, match=words) as info:
        Session.load(p)
    assert len(info.value.one_line()) < 400 and str(p) in info.value.one_line()


def test_a_session_file_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    p = tmp_path / "s.armedsession.json"
    os.mkfifo(p)
    with pytest.raises(SessionError, match="not a regular file"):
        Session.load(p)


def test_a_loaded_nan_weight_set_cannot_break_later_saves(tmp_path: Path) -> None:
    """Refused on loading, where the file can be named, so the afternoon's autosaves keep working."""
    p = _session_file(tmp_path, lambda d: {**d, "weight_sets": [{"name": "x", "weights": {"C1": "NaN"}}]})
    with pytest.raises(SessionError):
        Session.load(p)
    good = Session.load(_session_file(tmp_path, lambda d: {**d, "weight_sets": [{"name": "x", "weights": {"C1": 1e308}}]}))
    assert good.weight_sets == [WeightSet("x", {"C1": 1e308})]
    good.save(tmp_path / "again.armedsession.json")  # a huge but finite weight still saves


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "far-cell"])
def test_a_sessions_workbook_is_checked_before_it_is_hashed(kind: str, tmp_path: Path) -> None:
    wb = make_workbook(tmp_path)
    session = Session.for_workbook(wb)
    target = tmp_path / "moved.xlsx"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    else:
        import openpyxl

        book = openpyxl.load_workbook(wb)
        book["Areas"]["XFD1048576"] = "stray"
        book.save(target)
    session.workbook_path = str(target)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(check_workbook(session)), daemon=True)
    worker.start()
    worker.join(60)  # a hang would leave the thread running (a FIFO blocks its reader for ever)
    assert result, "check_workbook hung"
    check = result[0]
    if kind == "far-cell":  # a real workbook, changed: its fingerprint is refused in one line, not an abort
        assert check.status == "changed" and "cell limit" in check.message()  # type: ignore[attr-defined]
        with pytest.raises(SessionError, match="cell limit"):
            fingerprint_workbook(target)
    else:
        assert check.status == "unreadable" and "not a regular file" in check.message()  # type: ignore[attr-defined]


# -- the command line's usage lines and help -------------------------------------------------------


@pytest.mark.parametrize("argv, words", [
    (["appraise", "w.xlsx", "-o", "s.xlsx", "--seed", "-1"], "--seed: must be a whole number from 0"),
    (["optimise", "w.xlsx", "--posts", "abc"], "--posts: must be a whole number, not 'abc'"),
    (["optimise", "w.xlsx", "--posts", "1000000"], "--posts: must be a whole number from 1 to 500"),
    (["appraise", "w.xlsx", "-o", "s.xlsx", "--samples", "100000000"], "--samples: must be a whole number from 1 to 200,000"),
    (["appraise", "w.xlsx", "-o", "s.xlsx", "--around-weights", "nan"], "between 0 and 1"),
])
def test_bad_numbers_are_usage_lines(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and len(err.splitlines()) == 1 and words in err, err


def test_curve_length_is_capped_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _out, err = _run(capsys, "optimise", str(tmp_path / "absent.xlsx"), "--posts", "101", "--curve")
    assert rc == 2 and "at most 100 posts on the curve" in err


@pytest.mark.parametrize("command", ["gui", "validate", "appraise", "optimise", "template"])
def test_every_subcommand_help_describes_arguments_and_exit_statuses(command: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert "exit status:" in text and "\n  0  done" in text and "\n  2  " in text
    assert ("\n  1  " in text) == (command != "gui")  # the app shows a workbook's errors in its window
    parser_actions = [ln for ln in text.splitlines() if ln.startswith("  ") and not ln.startswith("   ")]
    assert all(len(ln.split(None, 1)) == 2 or ln.strip().startswith("-h") for ln in parser_actions if ln.strip())


def test_one_wording_for_a_workbook_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Areas"][2][3] = "about 500"
    path = make_workbook(tmp_path, sheets)
    lines = []
    for argv in (["appraise", str(path), "-o", str(tmp_path / "s.xlsx")], ["optimise", str(path), "--posts", "1"]):
        rc, _out, err = _run(capsys, *argv)
        assert rc == 1
        lines.append(err.splitlines()[-1])
    rc, out, _err = _run(capsys, "validate", str(path))
    # the base force's warning: its TravelTimes sheet leaves 4 pairs to be estimated
    assert lines[0] == lines[1] == f"{path}: 1 error, 1 warning; fix the errors and run again"
    assert out.splitlines()[-1].startswith(f"{path}: 1 error, 1 warning")


# -- terminal text ---------------------------------------------------------------------------------


def test_escape_controls_makes_every_control_visible() -> None:
    assert escape_controls(HOSTILE_TEXT) == "\\x1b]0;pwned\\x07\\x1b[31mRED\\x1b[0m\\u202eevil"
    assert escape_controls("Llanfair – Ŵyr\tok\n") == "Llanfair – Ŵyr\tok\n"  # names and layout untouched
    assert escape_controls("\r\x00\x7f\x9b\u2066") == "\\x0d\\x00\\x7f\\x9b\\u2066"


def test_escaping_stream_survives_a_console_that_cannot_encode() -> None:
    import io

    raw = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    EscapingStream(raw).write("Ŵyr \x1b\n")  # type: ignore[arg-type]
    raw.flush()
    assert raw.buffer.getvalue() == b"?yr \\x1b\n"  # type: ignore[attr-defined]


def test_appraise_prints_option_names_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Options"][2][1] = "PLACEHOLDER"
    base = make_workbook(tmp_path, sheets, name="base.xlsx")
    stored = "".join(f"_x{ord(c):04X}_" if ord(c) < 32 else c for c in HOSTILE_TEXT)
    part = SHEET_PART["Options"]
    path = with_part(tmp_path, "names.xlsx", part, parts_of(base)[part].replace(b"PLACEHOLDER", stored.encode()), base)
    rc, out, err = _run(capsys, "appraise", str(path), "-o", str(tmp_path / "s.xlsx"), "--samples", "100")
    assert rc == 0
    assert "\\x1b]0;pwned\\x07" in out and "\x1b" not in out + err and "\x07" not in out and "\u202e" not in out


# -- bounded work ---------------------------------------------------------------------------------


def test_ranks_by_sort_equal_the_pairwise_ranks() -> None:
    """Competition ranks with the tolerance, ties included, against the all-pairs definition."""
    rng = np.random.default_rng(7)
    t = np.round(rng.uniform(0, 10, (400, 9)), 0)  # whole numbers: many exact ties
    t[:, 3] = t[:, 2] + 5e-10  # within the 1e-9 tolerance of column 2: shares its rank
    pairwise = 1 + (t[:, None, :] > t[:, :, None] + 1e-9).sum(axis=2)
    assert np.array_equal(ranks_by_sort(t), pairwise)
    # hand-worked: totals 5, 7, 7, 1 -> ranks 3, 1, 1, 4
    assert ranks_by_sort(np.array([[5.0, 7.0, 7.0, 1.0]])).tolist() == [[3, 1, 1, 4]]


def test_smaa_caps_are_one_line() -> None:
    with pytest.raises(UsageError, match="more than the limit of 200,000"):
        check_smaa_size(CAPS["samples"].value + 1, 5, 0)
    # 200,000 samples x (50 criteria + 100 ranged scores) = 30,000,000 values > 25,000,000
    with pytest.raises(UsageError, match="use --samples 166,666 or fewer"):
        check_smaa_size(200_000, 50, 100)
    # 10,000 x (50 + 10) x 500 options = 300,000,000 steps > 250,000,000
    with pytest.raises(UsageError, match="more work than the limit"):
        check_smaa_size(10_000, 50, 10, 500)
    check_smaa_size(10_000, 50, 0, 200)  # the largest workbook the caps allow, at the default samples


_SMAA_CHILD = _PEAK + textwrap.dedent("""
    import numpy as np
    from desktop_app.core.appraisal.smaa import smaa_arrays
    rng = np.random.default_rng(1)
    v = rng.uniform(0, 100, (200, 50))
    hi = v.copy(); hi[:, 0] += 10  # 200 ranged scores, one per option
    a = smaa_arrays(v, np.ones(50, bool), low=v, high=hi, samples=2_000)
    print(peak_kb(), float(a.rank_acceptability.sum()))
""")


def test_smaa_at_the_option_cap_stays_within_the_memory_budget() -> None:
    """200 options (the cap): the old all-pairs ranking alone was 2,000 x 200 x 200 booleans per pass."""
    proc = subprocess.run([sys.executable, "-c", _SMAA_CHILD], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak_kb, total = proc.stdout.split()
    assert int(peak_kb) < 500 * 1024
    assert float(total) >= 200 - 1e-9  # each option has some rank in every draw: rows sum to at least 1


def test_overflowing_weights_are_normalised_safely() -> None:
    # 1e308 + 1e308 overflows to inf; scaled by the largest first: [1, 1, 1e-308] / 2
    w = normalise_weights(np.array([1e308, 1e308, 1.0]))
    assert np.all(np.isfinite(w)) and w[0] == pytest.approx(0.5) and w[1] == pytest.approx(0.5) and w[2] < 1e-300
    assert normalise_weights(np.array([50.0, 30.0, 20.0])).tolist() == [0.5, 0.3, 0.2]  # unchanged path


def test_findings_count_without_storing() -> None:
    sink = Findings(cap=2)
    for row in (2, 3, 4):
        sink.error("t.csv", row, "area_id", "repeated", "duplicate pair")
    sink.count_more("error", "t.csv", "area_id", "duplicate pair", 999_997)
    lines = [f.one_line() for f in sink.finish()]
    # 3 filed + 999,997 counted = 1,000,000; 2 listed, so 999,998 more
    assert lines[-1] == ("error: t.csv column area_id: 999,998 more rows in column area_id have the same problem "
                         "(duplicate pair); only the first 2 are listed")
    assert len(lines) == 3


# -- fuzz: whatever a session file holds, loading it is a Session or one SessionError -----------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_FIELDS = ["weights", "weight_sets", "judgement_edits", "added_options", "workbook", "active_weight_set", "version"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(_FIELDS), _json_values), max_size=3))
def test_fuzz_session_files_load_or_refuse_in_one_line(tmp_path: Path, edits: list[tuple[str, object]]) -> None:
    good = {"format": "armed-options-session", "version": 1,
            "workbook": {"path": "w.xlsx", "sha256": "0" * 64, "fingerprint": {"row_counts": {"Options": 3}}},
            "weights": {"C1": 50.0}, "weight_sets": [{"name": "x", "weights": {"C1": 1.0}}]}
    for key, value in edits:
        good[key] = value
    p = tmp_path / "fuzz.armedsession.json"
    p.write_text(json.dumps(good, allow_nan=True), encoding="utf-8")
    try:
        session = Session.load(p)
    except SessionError as exc:
        assert "\n" not in exc.one_line() and len(exc.one_line()) < 600
        return
    session.dumps()  # a session that loads can always be saved again: every number is finite


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, which derives from BaseException, not Exception."""


def test_a_reader_panic_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.core.workbook import cells

    path = make_workbook(tmp_path)

    def panic(*_a: object, **_k: object) -> None:
        raise _Panic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(cells.pc.CalamineWorkbook, "from_path", panic)
    rc, out, err = _run(capsys, "validate", str(path))
    assert rc == 2 and out == "" and len(err.splitlines()) == 1 and "cannot be read (_Panic" in err
    with pytest.raises(SessionError, match="cannot open the workbook to compare it"):
        import python_calamine

        monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
        fingerprint_workbook(path)


def test_findings_quote_only_a_short_excerpt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 30,000-character id is quoted as 57 characters and '...'; the line stays short."""
    from corpus import long_unknown_id

    rc, out, _err = _run(capsys, "validate", str(long_unknown_id(tmp_path)))
    line = next(ln for ln in out.splitlines() if "is not in the Areas sheet" in ln)
    assert rc == 1 and f"'{'Z' * 57}...'" in line and len(line) < 200
    # an apostrophe inside a word is not a quote: nothing of this message is cut
    from desktop_app.core.workbook.findings import short_quotes

    text = "it is outside the workbook's folder (" + "/x" * 40 + "); the folder's files only"
    assert short_quotes(text) == text
