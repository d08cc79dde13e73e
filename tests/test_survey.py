"""Issue 19: swing-weight survey forms, filled in code, collected back into group weights.

The round trip makes forms from the sample force, fills them as respondents would (good
ones and bad ones), collects them and checks the group weights against values worked
by hand below (docs/survey.md#weights), and every validation case of docs/survey.md#checks.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from survey_helpers import SAMPLE, fill, sample_design, sha

from desktop_app.cli import main
from desktop_app.core.survey import layout as L
from desktop_app.core.survey.collect import collect, gather
from desktop_app.core.survey.form_writer import form_bytes, write_form
from desktop_app.core.survey.results_reader import read_results
from desktop_app.core.survey.results_writer import write_results
from desktop_app.core.survey.robustness import first_counts

CRITERIA = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"]
BRANCHES = ["Response", "Costs", "Community", "Workforce", "Policing model"]

# Respondent A: branches Response 100 (rank 1), Workforce 75 (rank 2), Costs, Community and
# Policing model 25 each (all rank 3): sum 250, so shares .4, .1, .1, .3, .1 (BRANCHES order).
# Within Response C1 100, C2 50, C3 25, C4 25 (sum 200): .5, .25, .125, .125 of .4
# = .2, .1, .05, .05. Costs is C5 alone: .1. Within Workforce C8 100 (rank 1), C6 50 (rank 2)
# (sum 150): 2/3 and 1/3 of .3 = .2 and .1. C7 .1, C9 .1 (sum 1).
A = {"branches": {"Response": (1, 100), "Workforce": (2, 75), "Costs": (3, 25), "Community": (3, 25),
                  "Policing model": (3, 25)},
     "in:Response": {"C1": (1, 100), "C2": (2, 50), "C3": (3, 25), "C4": (3, 25)},
     "in:Workforce": {"C6": (2, 50), "C8": (1, 100)}}
A_W = [.2, .1, .05, .05, .1, .1, .1, .2, .1]
# Respondent B: every branch 100 (all rank 1): .2 each. Response's four criteria 100 each:
# .05 each. Costs: C5 alone, .2. Workforce: C8 100 (rank 1), C6 0 (rank 2): C8 .2, C6 0.
# C7, C9 .2 each.
B = {"branches": {b: (1, 100) for b in BRANCHES},
     "in:Response": {c: (1, 100) for c in ("C1", "C2", "C3", "C4")},
     "in:Workforce": {"C6": ("2", "0"), "C8": (1, 100)}}  # text, as LibreOffice may store a drop-down choice
B_W = [.05, .05, .05, .05, .2, 0, .2, .2, .2]
# Respondent C: only Response counts (100; the rest 0, rank 2), and within it only C1.
C = {"branches": {"Response": (1, 100), **{b: (2, 0) for b in BRANCHES[1:]}},
     "in:Response": {"C1": (1, 100), "C2": (2, 0), "C3": (2, 0), "C4": (2, 0)},
     "in:Workforce": {"C6": (1, 100), "C8": (1, 100)}}
C_W = [1, 0, 0, 0, 0, 0, 0, 0, 0]
# Federation (A, B, C) medians by criterion: C1 median(.2, .05, 1) = .2; C2 (.1, .05, 0) .05;
# C3 and C4 .05; C5 (.1, .2, 0) .1; C6 (.1, 0, 0) 0; C7 .1; C8 (.2, .2, 0) .2; C9 .1.
# Sum .85, so the weight set is each median / .85. C1's quartiles (linear, as QUARTILE.INC):
# sorted .05, .2, 1: q1 = (.05 + .2) / 2 = .125, q3 = (.2 + 1) / 2 = .6; mean 1.25 / 3.
FED_MEDIAN = [.2, .05, .05, .05, .1, 0, .1, .2, .1]


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("forms")
    fed = write_form(sample_design(group="Police Federation"), d / "federation.xlsx")
    open_ = write_form(sample_design(), d / "open.xlsx")
    return {"fed": fed, "open": open_, "dir": d}


def _respondents(forms: dict[str, Path], out: Path) -> list[Path]:
    fed, design = forms["fed"], sample_design(group="Police Federation")
    od = sample_design()
    out.mkdir(exist_ok=True)
    return [
        fill(fed, out / "a.xlsx", design, code="F-001", answers=A,
             judgements={("C8", "OPT1"): (35, "Lone working worries our members")}),
        fill(fed, out / "b.xlsx", design, code="F-002", answers=B),
        fill(fed, out / "c.xlsx", design, code=17, answers=C),  # a number typed as the code reads as "17"
        fill(forms["open"], out / "d.xlsx", od, code="CP-9", group="Community panel", answers=A),
    ]


def test_round_trip_group_weights_match_the_hand_worked_values(forms: dict[str, Path], tmp_path: Path) -> None:
    files = _respondents(forms, tmp_path / "returned")
    before = {f: sha(f) for f in files}
    c = collect(gather([str(tmp_path / "returned")]), samples=2000, seed=5)
    assert c.problems == [] and len(c.responses) == 4
    assert {f: sha(f) for f in files} == before  # the forms are never changed
    fed = c.groups["Police Federation"].weights
    assert fed.codes == ["F-001", "F-002", "17"]
    np.testing.assert_allclose(fed.matrix, np.array([A_W, B_W, C_W]), atol=1e-12)
    np.testing.assert_allclose(fed.median, FED_MEDIAN, atol=1e-12)
    np.testing.assert_allclose(fed.median_normalised, np.array(FED_MEDIAN) / .85, atol=1e-12)
    assert fed.q1[0] == pytest.approx(.125) and fed.q3[0] == pytest.approx(.6)
    assert fed.mean[0] == pytest.approx(1.25 / 3)
    # Independent appraisal: the sample's value scores times the normalised median weights.
    values = np.asarray(sample_design().values)
    totals = values @ (np.array(FED_MEDIAN) / .85)
    np.testing.assert_allclose(c.groups["Police Federation"].totals, totals)
    # Each respondent's own first choice, counted by hand from their totals.
    own_first = [int(np.argmax(values @ np.array(w))) for w in (A_W, B_W, C_W)]
    expect = [own_first.count(k) for k in range(values.shape[0])]
    assert list(c.groups["Police Federation"].robustness.first_count) == expect
    cp = c.groups["Community panel"].weights
    np.testing.assert_allclose(cp.matrix[0], A_W, atol=1e-12)
    sentence = next(s for s in c.sentences() if s.startswith("Police Federation"))
    top = int(np.argmax(totals))
    k = expect[top]
    assert f"first for {k / 3:.0%} of Police Federation respondents ({k} of 3)" in sentence


def test_collect_command_writes_results_the_app_can_import(forms: dict[str, Path], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    files = _respondents(forms, tmp_path / "returned")
    out = tmp_path / "results.xlsx"
    assert main(["survey-collect", *map(str, files), "-o", str(out), "--samples", "500", "--json"]) == 0
    first = capsys.readouterr().out
    data = json.loads(first)
    assert data["forms_accepted"] == 4 and data["problems"] == []
    assert main(["survey-collect", *map(str, files), "-o", str(tmp_path / "again.xlsx"), "--samples", "500",
                 "--json"]) == 0
    assert capsys.readouterr().out == first  # the same forms and seed give the same figures, byte for byte
    fed = data["groups"]["Police Federation"]
    assert fed["weights"]["C1"]["median"] == pytest.approx(.2)
    assert fed["judgements"] == [{"criterion_id": "C8", "option_id": "OPT1", "code": "F-001", "score": 35.0,
                                  "reason": "Lone working worries our members"}]
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[:3] == ["Summary", "Problems", "Respondents"]
    rows = [r for r in wb["WeightSets"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert rows[0] == ("weight_set", "criterion_id", "weight")
    fed_rows = {r[1]: r[2] for r in rows[1:] if r[0] == "Police Federation"}
    assert fed_rows["C1"] == pytest.approx(.2 / .85, abs=1e-6) and sum(fed_rows.values()) == pytest.approx(1, abs=1e-5)
    # A (F-001) alone scored OPT1 on C8: 35, beside the workshop's score.
    summary = [r for r in wb["JudgementSummary"].iter_rows(min_row=5, values_only=True) if r[0] is not None]
    oi, ci = sample_design().option_ids.index("OPT1"), sample_design().criterion_ids.index("C8")
    assert summary == [("Police Federation", "C8", "OPT1", round(sample_design().values[oi][ci], 3), 3, 1, 35, 35, 35)]
    groups = read_results(out)
    assert groups["Police Federation"].respondents == 3
    assert groups["Police Federation"].q3["C1"] == pytest.approx(.6)


def test_every_respondent_names_its_form_when_a_group_is_typed_in_another_case(forms: dict[str, Path],
                                                                               tmp_path: Path) -> None:
    """Groups merge ignoring case, and the Respondents sheet still names each one's form
    (it was blank for "community panel " beside "Community panel")."""
    od = sample_design()
    out = tmp_path / "returned"
    out.mkdir()
    files = [fill(forms["open"], out / "cp1.xlsx", od, code="CP-1", group="Community panel", answers=A),
             fill(forms["open"], out / "cp2.xlsx", od, code="CP-2", group="community panel ", answers=B)]
    c = collect(files, samples=100)
    assert list(c.groups) == ["Community panel"] and c.groups["Community panel"].weights.n == 2
    written = write_results(c, tmp_path / "results.xlsx")
    wb = load_workbook(written, read_only=True)
    rows = [r for r in wb["Respondents"].iter_rows(values_only=True) if r and r[1] in ("CP-1", "CP-2")]
    assert {r[1]: r[2] for r in rows} == {"CP-1": "cp1.xlsx", "CP-2": "cp2.xlsx"}


# ---------------------------------------------------------------------------------- validation


def _bad(forms: dict[str, Path], tmp_path: Path, name: str, **kw: object) -> list[str]:
    design = sample_design(group="Police Federation")
    answers = kw.pop("answers", A)
    code = kw.pop("code", "F-100")
    f = fill(forms["fed"], tmp_path / f"{name}.xlsx", design, code=code, answers=answers, **kw)  # type: ignore[arg-type]
    good = fill(forms["fed"], tmp_path / "good.xlsx", design, code="F-GOOD", answers=B)
    c = collect([f, good], samples=100)
    assert [r.code for r in c.responses] == ["F-GOOD"]  # a bad form never stops the others
    return [p.line() for p in c.problems]


def _with(block: str, key: str, rank: object, points: object) -> dict[str, dict[str, tuple[object, object]]]:
    out = {b: dict(items) for b, items in A.items()}
    out[block][key] = (rank, points)
    return out


@pytest.mark.parametrize(("case", "kw", "expected"), [
    ("blank_code", {"code": None}, "Form!C6: the respondent code is blank"),
    ("blank_rank", {"answers": _with("in:Response", "C2", None, 50)}, "Form!D23: the rank of 'Back-up cover (a second armed officer)'"),
    ("blank_points", {"answers": _with("in:Response", "C2", 2, None)}, "Form!E23: the points of 'Back-up cover (a second armed officer)'"),
    ("points_150", {"answers": _with("in:Response", "C2", 2, 150)}, "Form!E23: the points of 'Back-up cover (a second armed officer)' are '150'; give a whole number from 0 to 100"),
    ("points_fraction", {"answers": _with("in:Response", "C2", 2, 33.5)}, "are '33.5'; give a whole number"),
    # openpyxl saves "=40+40" as a formula with no result, as a script or an uncalculated
    # copy would: it reads as empty, and the line says what it is rather than "blank"
    ("points_formula", {"answers": _with("in:Response", "C2", 2, "=40+40")},
     "Form!E23: the points of 'Back-up cover (a second armed officer)' are a formula with no saved result"),
    ("code_formula", {"code": "=1+1"}, "Form!C6: the respondent code is a formula with no saved result"),
    ("rank_7", {"answers": _with("in:Response", "C2", 7, 50)}, "Form!D23: the rank of 'Back-up cover (a second armed officer)' is '7'; give a whole number from 1 to 4"),
    ("rank_text", {"answers": _with("in:Response", "C2", "second", 50)}, "is 'second'"),
    ("contradiction", {"answers": _with("in:Response", "C2", 2, 20)},
     "Form!E23: the ranking contradicts the points: 'Back-up cover (a second armed officer)' is ranked 2 with 20 points but '90th percentile response time', ranked 3, has 25"),
    ("first_not_100", {"answers": _with("in:Workforce", "C6", 1, 90)}, "Form!E30: 'Armed officers the force must find' is ranked 1 so it must have 100 points (it has 90)"),
    ("shared_rank", {"answers": _with("in:Response", "C4", 3, 20)}, "Form!D25: '90th percentile response time' and 'Rural cover' share rank 3 but have different points (25 and 20)"),
    ("no_rank_1", {"answers": {**A, "in:Workforce": {"C6": (2, 100), "C8": (2, 100)}}}, "Form!D30: no swing in 'Within Workforce' is ranked 1"),
    ("judgement_120", {"judgements": {("C7", "OPT2"): (120, "too high")}}, "Judgements!F8: the score for OPT2 on C7 is '120'"),
    ("group_changed", {"group": "Someone else"}, "Form!C7: the group was changed from 'Police Federation'"),
    ("form_version", {"data_edits": {"B1": 2}}, "FormData!B1: form version 2; this tool reads version 1 forms"),
    ("tampered_data", {"data_edits": {"B3": "0" * 64}}, "FormData!B3: the form's data were changed after it was made"),
])
def test_each_bad_form_is_one_line_naming_file_cell_and_problem(forms: dict[str, Path], tmp_path: Path, case: str,
                                                                 kw: dict[str, object], expected: str) -> None:
    lines = _bad(forms, tmp_path, case, **kw)
    # Judgement rows start at row 6, one per option (OPT0 to OPT5) under each judgement criterion.
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(str(tmp_path / f"{case}.xlsx") + ": ") for line in lines), lines


def test_a_blank_form_is_one_line(forms: dict[str, Path], tmp_path: Path) -> None:
    lines = _bad(forms, tmp_path, "blank", answers={}, code="F-3")
    assert len(lines) == 1 and "Form!D13: no swing is ranked or given points: the form has not been filled in" in lines[0]


def test_duplicate_code_wrong_workbook_and_not_a_form(forms: dict[str, Path], tmp_path: Path) -> None:
    design = sample_design(group="Police Federation")
    one = fill(forms["fed"], tmp_path / "1.xlsx", design, code="F-1", answers=A)
    two = fill(forms["fed"], tmp_path / "2.xlsx", design, code="f-1", answers=B)  # codes ignore case
    other = sample_design(group="Police Federation")
    other_design = type(other)(**{**other.__dict__, "workbook_sha256": "ab" * 32})
    wrong_form = write_form(other_design, tmp_path / "wrong_form.xlsx")
    wrong = fill(wrong_form, tmp_path / "3.xlsx", other_design, code="F-3", answers=A)
    text = tmp_path / "4.xlsx"
    text.write_text("respondent,weight\nF-4,100\n")
    c = collect([one, two, wrong, SAMPLE, text], samples=100)
    lines = [p.line() for p in c.problems]
    assert [r.code for r in c.responses] == ["F-1"]
    assert any(line.startswith(f"{two}: Form!C6: respondent code 'f-1' in group 'Police Federation' is already on {one}")
               for line in lines), lines
    assert any(line.startswith(f"{wrong}: made from another workbook (SHA-256 abababab") for line in lines), lines
    # and what it is held against, in words: the workbook most forms name, by file name too
    assert any(line.endswith(f"most of these forms are from {design.workbook_sha256[:16]}... ({SAMPLE.name})")
               for line in lines), lines
    assert any(line.startswith(f"{SAMPLE}: this is not a survey form") for line in lines), lines
    assert any(line.startswith(f"{text}: this is a text (CSV) file") for line in lines), lines
    # Pinning the workbook accepts only its forms, even when most forms name another.
    pinned = collect([wrong], workbook_sha256=design.workbook_sha256, samples=100)
    assert pinned.responses == [] and "made from another workbook" in pinned.problems[0].line()
    assert pinned.problems[0].line().endswith(f"the workbook given with --workbook is {design.workbook_sha256[:16]}...")


def test_collect_exit_statuses_and_lines(forms: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design = sample_design(group="Police Federation")
    good = fill(forms["fed"], tmp_path / "good.xlsx", design, code="F-1", answers=A)
    bad = fill(forms["fed"], tmp_path / "bad.xlsx", design, code=None, answers=A)
    out = tmp_path / "r.xlsx"
    assert main(["survey-collect", str(good), str(bad), "-o", str(out)]) == 1
    cap = capsys.readouterr()
    assert f"{bad}: Form!C6: the respondent code is blank" in cap.err
    assert "1 of 2 forms accepted; 1 left out" in cap.out and out.exists()
    assert main(["survey-collect", str(good), "-o", str(good)]) == 2  # never over an input form
    assert f"refusing to write {good}: it is one of the returned forms" in capsys.readouterr().err
    assert main(["survey-collect", str(tmp_path / "none.xlsx"), "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "no form could be read" in capsys.readouterr().err
    assert main(["survey-collect", str(good), "-o", str(tmp_path / "x.csv")]) == 2
    assert "ending in .xlsx" in capsys.readouterr().err


# ---------------------------------------------------------------------------------- the form


def test_survey_command_marks_protects_and_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "form.xlsx"
    before = sha(SAMPLE)
    assert main(["survey", str(SAMPLE), "-o", str(out), "--group", "Police Federation"]) == 0
    assert "11 swings to weigh in 3 tables, marked OFFICIAL-SENSITIVE" in capsys.readouterr().out
    assert sha(SAMPLE) == before
    with zipfile.ZipFile(out) as z:
        wbxml = z.read("xl/workbook.xml").decode()
        sheets = [z.read(f"xl/worksheets/sheet{i}.xml").decode() for i in range(1, 5)]
    assert 'lockStructure="1"' in wbxml and 'state="veryHidden"' in wbxml
    assert all("<sheetProtection" in s and 'sheet="1"' in s for s in sheets)
    form = sheets[1]
    assert "OFFICIAL-SENSITIVE" in form and "<dataValidations" in form
    assert 'type="list"' in form and "<formula1>\"1,2,3,4,5\"</formula1>" in form  # rank drop-down
    assert 'type="whole"' in form and "<formula1>0</formula1><formula2>100</formula2>" in form  # points
    assert 'type="decimal"' in sheets[2]  # judgement scores
    wb = load_workbook(out)
    ws = wb["Form"]
    rows = L.layout(sample_design(group="Police Federation")).blocks["branches"].items
    assert ws.cell(rows["Costs"], L.COL_POINTS).protection.locked is False  # an answer cell
    assert ws.cell(rows["Costs"], L.COL_SWING).protection.locked is True  # the swing's words
    assert ws.cell(L.GROUP_ROW, L.ANSWER_COL).value == "Police Federation"
    assert ws.cell(L.GROUP_ROW, L.ANSWER_COL).protection.locked is True
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text and "OFFICIAL-SENSITIVE" in ws.oddFooter.center.text


def test_swings_are_said_in_their_units_and_public_leaves_threat_data_out() -> None:
    full, public = sample_design(), sample_design(public=True)
    swings = {i.key: i.swing for b in full.blocks if b.key != "branches" for i in b.items}
    # The sample's C1 scale is fixed at 0.60 to 0.80; C5 at £6m to £0; C3 at 70 to 30 minutes
    # (docs/appraisal-method.md#the-sample-force).
    assert swings["C1"].startswith("from 60% to 80% of the force's threat (its threat index) reached by a free "
                                   "armed unit within 20 minutes (the threat index combines: firearms_incidents_3yr")
    assert swings["C5"].startswith("from £6m to £0 whole-life cost (5 years")
    assert swings["C3"].startswith("from 70 to 30 minutes for nine in ten residents")
    assert public.marking == "OFFICIAL" and full.marking == "OFFICIAL-SENSITIVE"
    text = public.to_json() + form_bytes(public).decode("latin-1")
    assert "firearms_incidents_3yr" not in public.to_json() and "crowded_places" not in text


def test_text_from_the_workbook_is_never_a_formula(tmp_path: Path) -> None:
    d = sample_design()
    evil = type(d)(**{**d.__dict__, "option_names": {**d.option_names, "OPT1": '=HYPERLINK("http://x","y")'},
                      "force_name": "+cmd|' /C calc'!A0"})
    out = write_form(evil, tmp_path / "f.xlsx")
    with zipfile.ZipFile(out) as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert load_workbook(out)["Judgements"]["D7"].value == '=HYPERLINK("http://x","y")'


def test_first_counts_by_hand() -> None:
    # Two options, two criteria: A scores (100, 0), B (0, 100). Respondents weigh
    # (.7, .3): A 70 > B 30; (.2, .8): B; (.6, .4): A. So A first for 2, B for 1.
    values = np.array([[100.0, 0.0], [0.0, 100.0]])
    assert list(first_counts(values, np.array([[.7, .3], [.2, .8], [.6, .4]]))) == [2, 1]
    # A tie (.5, .5) counts for both options.
    assert list(first_counts(values, np.array([[.5, .5]]))) == [1, 1]


@pytest.mark.slow
def test_a_filled_form_reads_back_identically_after_a_libreoffice_save(soffice: str, forms: dict[str, Path],
                                                                       tmp_path: Path) -> None:
    import subprocess

    design = sample_design(group="Police Federation")
    filled = fill(forms["fed"], tmp_path / "filled.xlsx", design, code="F-LO", answers=A,
                  judgements={("C8", "OPT1"): (35, "Lone working")})
    outdir = tmp_path / "lo"
    cmd = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(filled)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    saved = outdir / "filled.xlsx"
    assert proc.returncode == 0 and saved.exists(), proc.stderr + proc.stdout
    with zipfile.ZipFile(saved) as z:  # LibreOffice kept the protection, validation and hidden identity
        xml = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.startswith("xl/"))
    # LibreOffice keeps the protection and validation; it saves the very hidden FormData sheet as hidden.
    assert "<sheetProtection" in xml and "<dataValidation" in xml and '<sheet name="FormData" sheetId="4" state="hidden"' in xml
    a, b = collect([filled], samples=200), collect([saved], samples=200)
    assert b.problems == [] and b.responses[0].points == a.responses[0].points
    assert b.responses[0].judgements == a.responses[0].judgements
    np.testing.assert_array_equal(b.groups["Police Federation"].weights.matrix, a.groups["Police Federation"].weights.matrix)
    pdf = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(outdir), str(forms["fed"])],
                         capture_output=True, text=True, timeout=240)
    assert pdf.returncode == 0 and (outdir / "federation.pdf").stat().st_size > 10_000
