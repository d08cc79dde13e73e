"""``armed-options appraise`` end to end (docs/command-line.md#commands and #json-results)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHEETS = ["Summary", "Options", "Scores", "Weights", "Sensitivity", "Robustness", "WeightSets",
          "Coverage", "Deployments", "Assumptions", "Validation", "Maps", "Glossary", "ChartData"]


def test_end_to_end_sample_force_json(tmp_path: Path, sample_path: Path) -> None:
    """The issue's acceptance command, as a user would run it from a clean clone."""
    cmd = [sys.executable, "-m", "desktop_app", "appraise", str(sample_path.relative_to(ROOT)),
           "-o", str(tmp_path / "summary.xlsx"), "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # stdout is ONLY the JSON
    assert list(doc) == ["options", "weights", "group_weights", "scales", "efficient_frontier", "sensitivity",
                         "robustness", "weight_sets", "scenarios", "parameter_sensitivity", "equality",
                         "incident_validation",
                         "provenance", "validation"]
    assert sum(doc["weights"].values()) == pytest.approx(1.0)
    ranks = sorted(o["rank"] for o in doc["options"])
    assert ranks[0] == 1
    for o in doc["options"]:
        assert all(0 <= v <= 100 for v in o["values"].values() if v is not None)
        assert sum(doc["robustness"]["rank_acceptability"][o["option_id"]]) == pytest.approx(1.0)
    assert doc["weight_sets"]  # the sample has stakeholder sets
    assert "Summary workbook written" in proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "summary.xlsx", read_only=True)
    assert wb.sheetnames[:2] == ["Summary", "Options"] and "Scores" in wb.sheetnames


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_deterministic_and_table_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = make_workbook(tmp_path)
    args = ["appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--samples", "2000", "--json"]
    code1, out1, _ = _run(capsys, *args)
    code2, out2, _ = _run(capsys, *args)
    assert code1 == code2 == 0 and out1 == out2
    doc = json.loads(out1)
    assert [o["option_id"] for o in doc["options"]] == ["OPT0", "OPT1", "OPT2"]
    assert set(doc["weight_sets"]) == {"Community panel", "Finance"}
    assert doc["weights"] == pytest.approx({"C1": 0.5, "C2": 0.3, "C3": 0.2})
    # a different seed changes the SMAA figures but nothing else
    code3, out3, _ = _run(capsys, *args, "--seed", "7")
    doc3 = json.loads(out3)
    assert doc3["options"] == doc["options"] and doc3["robustness"] != doc["robustness"]

    code, out, err = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "t.xlsx"), "--samples", "500")
    assert code == 0
    assert "rank" in out and "first in" in out and "Top option:" in out
    top = next(o["option_id"] for o in doc["options"] if o["rank"] == 1)
    assert f"Top option: {top}" in out
    # the confidence factor is said with what it is, not as a bare "confidence factor 98%"
    cf = doc["robustness"]["confidence_factor"][top]
    assert f"at the weights that favour it, it stays first in {100 * cf:.0f}% of draws" in out
    assert "Summary workbook written" in out and not out.lstrip().startswith("{")
    wb_out = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert wb_out.sheetnames == SHEETS


def test_weight_set_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = make_workbook(tmp_path)
    code, out, _ = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"),
                        "--weight-set", "Finance", "--samples", "200", "--json")
    assert code == 0
    assert json.loads(out)["weights"] == pytest.approx({"C1": 0.3, "C2": 0.7, "C3": 0.0})
    code, out, err = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--weight-set", "Nope")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "unknown weight set 'Nope'" in err


def test_invalid_workbook_exits_1_with_one_line_per_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Criteria"][1][4] = -5  # negative weight
    sheets["Areas"][2][3] = "many"  # population not a number
    wb = make_workbook(tmp_path, sheets)
    code, out, err = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--json")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert any("Criteria" in ln and "weight" in ln for ln in lines)
    assert any("Areas" in ln and "population" in ln for ln in lines)
    assert all(ln.startswith("error") for ln in lines[:-1])
    assert not (tmp_path / "s.xlsx").exists()


def test_unreadable_and_input_as_output_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("this is not a workbook")
    code, out, err = _run(capsys, "appraise", str(bad), "-o", str(tmp_path / "s.xlsx"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    wb = make_workbook(tmp_path)
    before = wb.read_bytes()
    code, out, err = _run(capsys, "appraise", str(wb), "-o", str(wb))
    assert code == 2 and "input workbook" in err and wb.read_bytes() == before
    code, _, err = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "no_such_dir" / "s.xlsx"))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_json_nulls_for_infinite_minutes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An option with no unit on duty two thirds of the time has an infinite median: null in the JSON.

    (With busy units every option here has an infinite p90: OPT0's lone ARV is busy 30%
    of the time, so more than a tenth of residents' calls find no free unit.)
    """
    sheets = base_sheets()
    sheets["Deployments"][4] = ["OPT2", "S3", "NEIGHBOUR_ARV", 1, 2, 8, 16, 0.5, None]
    sheets["Criteria"].append(["C4", "median response", "median_response_minutes", "lower", 10, None, None, "Benefits"])
    wb = make_workbook(tmp_path, sheets)
    code, out, err = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--samples", "200", "--json")
    assert code == 0, err
    doc = json.loads(out)
    opt2 = next(o for o in doc["options"] if o["option_id"] == "OPT2")
    assert opt2["measures"]["p90_response_minutes"] is None
    assert opt2["measures"]["median_response_minutes"] is None
    assert opt2["values"]["C4"] == 0.0  # infinite on a lower-is-better criterion scores 0
    assert "NaN" not in out and "Infinity" not in out


def test_cli_default_seed_matches_pipeline() -> None:
    from desktop_app.cli import build_parser
    from desktop_app.core.pipeline import DEFAULT_SEED

    args = build_parser().parse_args(["appraise", "x.xlsx", "-o", "y.xlsx"])
    assert args.seed == DEFAULT_SEED and args.samples == 10_000


def test_around_weights_narrows_the_spread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With F = 0 every draw is the current weighting, so the current top is first in 100%."""
    wb = make_workbook(tmp_path)
    code, out, _ = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"),
                        "--samples", "500", "--around-weights", "0", "--json")
    assert code == 0
    doc = json.loads(out)
    top = next(o["option_id"] for o in doc["options"] if o["rank"] == 1)
    assert doc["robustness"]["rank_acceptability"][top][0] == 1.0
    with pytest.raises(SystemExit) as exc:
        main(["appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--around-weights", "2"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_extra_option_is_appraised_with_real_coverage(tmp_path: Path) -> None:
    """An ad-hoc option (e.g. from the optimiser) joins the appraisal without touching the workbook."""
    from desktop_app.core.added_option import AddedOption, DeploymentSpec
    from desktop_app.core.pipeline import run_appraisal
    from desktop_app.core.workbook.reader import read_workbook

    read = read_workbook(make_workbook(tmp_path))
    assert read.inputs is not None
    inputs = read.inputs
    deps = inputs.deployments[inputs.deployments["option_id"] == "OPT1"]
    specs = tuple(DeploymentSpec(str(d.site_id), str(d.asset_type), int(d.posts), int(d.crew_size),
                                 int(d.start_hour), int(d.end_hour), float(d.busy_fraction),
                                 float(d.mobilisation_minutes)) for d in deps.itertuples())
    new = AddedOption("NEW", "Copy of OPT1", "test", 50000.0, 120000.0, 6.0, specs, include_baseline=False)
    run = run_appraisal(inputs, read.findings, samples=300, extra_options=[new],
                        judgement_overrides={("NEW", "C3"): 45.0})
    assert list(run.appraisal.totals.index) == ["OPT0", "OPT1", "OPT2", "NEW"]
    # same deployments and costs as OPT1; its judgement is the room's (45), not OPT0's 70
    m = run.coverage.measures
    assert m.loc["NEW", "threat_coverage"] == pytest.approx(m.loc["OPT1", "threat_coverage"])
    assert run.appraisal.values.loc["NEW", "C3"] == 45.0
    # unscored, it would await scores instead (tests/test_awaiting_scores.py)
    assert run_appraisal(inputs, read.findings, samples=0, extra_options=[new]).awaiting_scores == ["NEW"]
    assert "NEW" not in read.inputs.option_ids  # the caller's inputs are untouched


def test_no_confidence_factor_is_claimed_when_no_score_has_a_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With no ranged judgement score nothing is drawn, so "stays first in 100% of draws"
    would describe draws that never happen."""
    sheets = base_sheets()
    sheets["Judgements"] = [row[:4] for row in sheets["Judgements"]]  # no low/high columns
    wb = make_workbook(tmp_path, sheets)
    code, out, _ = _run(capsys, "appraise", str(wb), "-o", str(tmp_path / "s.xlsx"), "--samples", "200")
    assert code == 0
    (verdict,) = [line for line in out.splitlines() if line.startswith("Top option:")]
    assert "seed 20240601)." in verdict and "draws of the judgement scores" not in verdict
