"""Hostile and careless input to `simulate` (issue 18's rules for the commands added since).

The same answers as every other command (docs/reliability.md): bad usage is one line and
exit 2, an invalid workbook is every error on its own line plus the one summary wording
and exit 1, names from the workbook reach the terminal escaped, bounded work is refused
up front, and the input is never changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from corpus import HOSTILE_TEXT, SHEET_PART, parts_of, with_part
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main
from desktop_app.core.workbook.schema import CAPS


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        rc = int(exc.code or 0)
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err + cap.out and "internal error" not in cap.err, cap.err
    return rc, cap.out, cap.err


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "words"), [
    (["--years", str(CAPS["sim_years"].value + 1)], "from 1 to 100"),  # 101 years: past the cap
    (["--replications", str(CAPS["replications"].value + 1)], "from 1 to 200"),
    (["--years", "abc"], "whole number"),
    (["--replications", "0"], "from 1 to"),
    (["--seed", "-1"], "whole number"),
])
def test_bad_simulate_arguments_are_one_usage_line(args: list[str], words: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    book = make_workbook(tmp_path)
    before = _sha(book)
    rc, out, err = _run(capsys, "simulate", str(book), *args)
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err
    assert _sha(book) == before and sorted(p.name for p in tmp_path.iterdir()) == [book.name]  # no litter


def test_simulate_refuses_an_invalid_workbook_with_the_one_wording(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Incidents"] = [["incident_id", "area_id", "weekday", "hour"], ["I1", "A1", "Funday", 3]]
    book = make_workbook(tmp_path, sheets)
    before = _sha(book)
    rc, out, err = _run(capsys, "simulate", str(book))
    lines = err.strip().splitlines()
    assert rc == 1 and out == ""
    assert lines[0].startswith("error: Incidents row 2 column weekday:")
    # the wording every command uses: "<file>: 1 error ...; fix the errors and run again"
    assert lines[-1].endswith("fix the errors and run again") and "1 error" in lines[-1]
    assert _sha(book) == before


def test_simulate_prints_option_names_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Options"][2][1] = "PLACEHOLDER"
    sheets["Parameters"].append(["armed_incidents_per_year", 20, ""])
    base = make_workbook(tmp_path, sheets, name="base.xlsx")
    stored = "".join(f"_x{ord(c):04X}_" if ord(c) < 32 else c for c in HOSTILE_TEXT)
    part = SHEET_PART["Options"]
    path = with_part(tmp_path, "names.xlsx", part, parts_of(base)[part].replace(b"PLACEHOLDER", stored.encode()), base)
    rc, out, err = _run(capsys, "simulate", str(path), "--years", "1", "--replications", "2")
    assert rc == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err
