"""Issue 19 edges: a flat value list, the survey command's exit statuses, hostile forms, open-group forms."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from survey_helpers import SAMPLE, fill, sample_design, sha
from test_survey import A
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main
from desktop_app.core.survey import layout as L
from desktop_app.core.survey.collect import collect, collection_json
from desktop_app.core.survey.design import SurveyDesign
from desktop_app.core.survey.form_reader import MAX_FORM_BYTES
from desktop_app.core.survey.form_writer import write_form


def _design_of(form: Path) -> SurveyDesign:
    """The design a form carries (read back through the collector's own reader)."""
    from desktop_app.core.survey.form_reader import read_raw_form

    return read_raw_form(form, expected_version=1).design


def test_a_flat_list_without_a_value_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    force = make_workbook(tmp_path)  # the base force: three criteria, no CriteriaGroups sheet
    form = tmp_path / "flat.xlsx"
    assert main(["survey", str(force), "-o", str(form), "--group", "Finance"]) == 0
    assert "3 swings to weigh in 1 table" in capsys.readouterr().out
    design = _design_of(form)
    assert [b.key for b in design.blocks] == ["criteria"] and not design.tree
    # C1 100 (rank 1), C2 60 (rank 2), C3 40 (rank 3): weights 100/200, 60/200, 40/200 = .5, .3, .2.
    filled = fill(form, tmp_path / "r.xlsx", design, code="X1",
                  answers={"criteria": {"C1": (1, 100), "C2": (2, 60), "C3": (3, 40)}})
    c = collect([filled], samples=100)
    assert c.problems == []
    np.testing.assert_allclose(c.groups["Finance"].weights.matrix[0], [.5, .3, .2])


def test_survey_command_exit_statuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Areas"][2][3] = "about 500"
    bad = make_workbook(tmp_path, sheets, name="bad.xlsx")
    assert main(["survey", str(bad), "-o", str(tmp_path / "f.xlsx")]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"{bad}: 1 error, 1 warning; fix the errors and run again"
    assert not (tmp_path / "f.xlsx").exists()
    assert main(["survey", str(SAMPLE), "-o", str(tmp_path / "f.csv")]) == 2
    assert "ending in .xlsx" in capsys.readouterr().err
    good = make_workbook(tmp_path, name="good.xlsx")
    assert main(["survey", str(good), "-o", str(good)]) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert main(["survey", str(good), "-o", str(tmp_path / "no" / "f.xlsx")]) == 2
    assert "the folder does not exist" in capsys.readouterr().err
    assert main(["survey", str(good), "-o", str(tmp_path / "g.xlsx"), "--group", "x" * 61]) == 2
    assert "--group must be 1 to 60 characters" in capsys.readouterr().err


def test_public_form_is_marked_public_and_names_no_indicator(tmp_path: Path) -> None:
    out = tmp_path / "public.xlsx"
    assert main(["survey", str(SAMPLE), "-o", str(out), "--public"]) == 0
    with zipfile.ZipFile(out) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "OFFICIAL-SENSITIVE" not in text and "OFFICIAL" in text
    for indicator in ("firearms_incidents_3yr", "crowded_places", "organised_crime_groups"):
        assert indicator not in text


def test_an_open_form_needs_a_group_and_a_short_code(tmp_path: Path) -> None:
    design = sample_design()
    form = write_form(design, tmp_path / "open.xlsx")
    no_group = fill(form, tmp_path / "g.xlsx", design, code="C1", answers=A)
    long_code = fill(form, tmp_path / "c.xlsx", design, code="x" * 41, group="Panel", answers=A)
    name = fill(form, tmp_path / "n.xlsx", design, code="Jane Smith", group="Panel", answers=A)
    lines = [p.line() for p in collect([no_group, long_code, name], samples=50).problems]
    assert f"{name}: Form!C6: the respondent code 'Jane Smith' has a space, so it may be a name; give the code you were given, never your name" in lines
    assert f"{no_group}: Form!C7: the group is blank" in lines
    assert f"{long_code}: Form!C6: the respondent code is longer than 40 characters" in lines


def test_hostile_forms_are_one_line_each_and_never_stop_the_others(tmp_path: Path) -> None:
    design = sample_design(group="Police Federation")
    form = write_form(design, tmp_path / "form.xlsx")
    good = fill(form, tmp_path / "good.xlsx", design, code="OK", answers=A)
    # Over the form size limit: a real form padded with an incompressible 9 MB part.
    big = tmp_path / "big.xlsx"
    big.write_bytes(form.read_bytes())
    with zipfile.ZipFile(big, "a", compression=zipfile.ZIP_STORED) as z:
        z.writestr("xl/media/padding.bin", np.random.default_rng(1).bytes(MAX_FORM_BYTES + 1))
    # A FormData sheet claiming a billion chunks, and one whose JSON is not a design.
    chunks = fill(form, tmp_path / "chunks.xlsx", design, code="X", answers=A, data_edits={"B4": 10**9})
    junk = fill(form, tmp_path / "junk.xlsx", design, code="Y", answers=A, data_edits={"A6": "[1, 2, 3]"})
    # Valid JSON with its digest recomputed, but value scores that are not numbers 0-100.
    from openpyxl import load_workbook

    evil = type(design)(**{**design.__dict__, "values": [["NaN"] * len(row) for row in design.values]})
    text = evil.to_json()
    forged = fill(form, tmp_path / "forged.xlsx", design, code="Z", answers=A,
                  data_edits={"A6": text, "B3": evil.digest(), "B4": 1})
    wb = load_workbook(forged)
    wb[L.DATA_SHEET]["A6"].data_type = "s"
    wb.save(forged)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    files = [big, chunks, junk, forged, empty, good]
    before = {f: sha(f) for f in files}
    c = collect(files, samples=50)
    lines = {p.file: p.line() for p in c.problems}
    assert [r.code for r in c.responses] == ["OK"]
    assert "larger than the 8 MB limit for a survey form" in lines[str(big)]
    assert lines[str(chunks)] == f"{chunks}: FormData!B4: the form's data are damaged"
    assert "FormData!A6: the form's data are damaged" in lines[str(junk)]
    assert "FormData!A6: the form's data are damaged" in lines[str(forged)]
    assert "the file is empty" in lines[str(empty)]
    assert {f: sha(f) for f in files} == before  # nothing read is ever changed


def test_reasons_reach_the_results(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    design = sample_design(group="Police Federation")
    form = write_form(design, tmp_path / "form.xlsx")
    filled = fill(form, tmp_path / "r.xlsx", design, code="R1", answers=A)
    wb = load_workbook(filled)
    row = L.layout(design).blocks["branches"].items["Costs"]
    cell = wb[L.FORM_SHEET].cell(row=row, column=L.COL_REASON, value="=cmd|' /C calc'!A0 costs matter")
    cell.data_type = "s"  # typed as text (Excel's leading apostrophe): it must stay text in the results
    wb.save(filled)
    c = collect([filled], samples=50)
    data = collection_json(c)
    assert data["groups"]["Police Federation"]["respondents"][0]["reasons"] == {"Costs": "=cmd|' /C calc'!A0 costs matter"}
    from desktop_app.core.survey.results_writer import write_results

    out = write_results(c, tmp_path / "res.xlsx")
    rows = list(load_workbook(out, read_only=True)["Reasons"].iter_rows(min_row=5, values_only=True))
    assert rows == [("Police Federation", "R1", "branch", "Costs", "=cmd|' /C calc'!A0 costs matter")]


def test_smaa_within_a_group_by_hand() -> None:
    from desktop_app.core.survey.robustness import group_robustness
    from desktop_app.core.survey.weights import group_weights

    d = sample_design()
    # Two options, two criteria: A scores (100, 0), B (0, 100), no judgement ranges.
    tiny = type(d)(**{**d.__dict__, "criterion_ids": ["X", "Y"], "option_ids": ["A", "B"],
                      "values": [[100.0, 0.0], [0.0, 100.0]], "low": [[100.0, 0.0], [0.0, 100.0]],
                      "high": [[100.0, 0.0], [0.0, 100.0]], "active": [True, True]})
    g = group_weights("G", ["r1", "r2", "r3"], np.array([[.7, .3], [.2, .8], [.6, .4]]))
    rob = group_robustness(tiny, g, samples=20_000, seed=3)
    # Respondents: A is first for r1 and r3, so 2 of 3; one respondent per draw tends to 2/3
    # (standard error sqrt(2/9 / 20000) = 0.0033).
    assert list(rob.first_count) == [2, 1]
    assert rob.respondents_first_share[0] == pytest.approx(2 / 3, abs=0.015)
    # Interquartile draws: X's weights .2, .6, .7 give quartiles .4 and .65; Y's .3, .4, .8 give
    # .35 and .6. A is first when X = .4 + .25U beats Y = .35 + .25V, i.e. U - V > -0.2:
    # 1 - 0.8^2 / 2 = 0.68 (renormalising keeps the order).
    assert rob.iqr_first_share[0] == pytest.approx(0.68, abs=0.015)
    again = group_robustness(tiny, g, samples=20_000, seed=3)  # seeded: the same figures
    assert np.array_equal(again.iqr_first_share, rob.iqr_first_share)


def test_a_survey_sets_spread_survives_a_saved_session(tmp_path: Path) -> None:
    import json

    from desktop_app.core.session.document import Session, SessionError
    from desktop_app.core.session.records import WeightSet

    spread = {"respondents": 3, "q1": {"C1": .125}, "q3": {"C1": .6},
              "respondent_weights": [{"C1": .2}, {"C1": .05}, {"C1": 1.0}]}
    ws = WeightSet("Police Federation", {"C1": .2 / .85}, "survey", survey=spread)
    assert WeightSet.from_json(json.loads(json.dumps(ws.to_json()))) == ws
    assert "survey" not in WeightSet("Room", {"C1": 1.0}).to_json()  # other sets' JSON is unchanged
    session = Session(workbook_path=str(SAMPLE), workbook_sha256=sha(SAMPLE), weight_sets=[ws])
    path = session.save(tmp_path / "s.json")
    assert Session.load(path).weight_sets == [ws]
    data = json.loads(path.read_text())
    data["weight_sets"][0]["survey"]["q3"]["C1"] = "NaN"
    with pytest.raises(SessionError, match="session file is damaged"):
        Session.from_json(data)


def test_quartiles_are_shown_on_the_scale_of_the_rescaled_median() -> None:
    """The Weight sets view showed "Officer welfare 24% (10%-20%)": the weight is the
    medians rescaled to sum to 1, the quartiles were left raw. Divided by the same sum
    they bracket the weight again."""
    from desktop_app.core.survey.weights import group_weights, shown_quartiles

    # three respondents, two criteria (each row sums to 1):
    #   C1: .2, .05, .9   -> sorted .05 .2 .9:  median .2,  q1 .125,  q3 .55
    #   C2: .8, .95, .1   -> sorted .1 .8 .95:  median .8,  q1 .45,   q3 .875
    # medians sum to 1.0 here, so nothing moves.
    people = [{"C1": .2, "C2": .8}, {"C1": .05, "C2": .95}, {"C1": .9, "C2": .1}]
    g = group_weights("G", ["a", "b", "c"], np.array([[p["C1"], p["C2"]] for p in people]))
    q1, q3 = shown_quartiles(people, {"C1": float(g.q1[0]), "C2": float(g.q1[1])},
                             {"C1": float(g.q3[0]), "C2": float(g.q3[1])})
    assert q1 == pytest.approx({"C1": .125, "C2": .45}) and q3 == pytest.approx({"C1": .55, "C2": .875})
    # Medians summing to 0.5: C1 .1/.3/.5 and C2 .9/.1/.2 (each respondent's row sums to 1
    # or less, as when a criterion is off the form):
    #   C1 median .3, C2 sorted .1 .2 .9 median .2: medians sum .5, weight C1 = .3/.5 = 60%
    #   C1 raw quartiles .2 and .4 lie below 60%; divided by .5: 40% and 80%, around it.
    people = [{"C1": .1, "C2": .9}, {"C1": .3, "C2": .1}, {"C1": .5, "C2": .2}]
    m = np.array([[p["C1"], p["C2"]] for p in people])
    g = group_weights("G", ["a", "b", "c"], m)
    assert g.median_normalised[0] == pytest.approx(.6)
    assert (g.q1[0], g.q3[0]) == pytest.approx((.2, .4))
    q1, q3 = shown_quartiles(people, {"C1": float(g.q1[0])}, {"C1": float(g.q3[0])})
    assert (q1["C1"], q3["C1"]) == pytest.approx((.4, .8))
    assert q1["C1"] <= g.median_normalised[0] <= q3["C1"]
    # no respondents' weights (or every median zero): the quartiles as given
    assert shown_quartiles([], {"C1": .2}, {"C1": .4}) == ({"C1": .2}, {"C1": .4})
