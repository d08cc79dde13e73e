"""``armed-options simulate``: the JSON of docs/simulation.md#output, exit statuses, seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main


def _workbook(tmp_path: Path, **params: object) -> Path:
    sheets = base_sheets()
    for name, value in params.items():
        sheets["Parameters"].append([name, value, ""])
    return make_workbook(tmp_path, sheets)


def test_json_shape_and_hand_worked_analytic_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Baseline OPT0: one ARV at S1 (busy 0.3 by default, mobilisation 1, crew 2).
    # Responses 3, 7, 19, 31 min to A1..A4. Threat index t = (3, 1.4, 0.6, 0.1), sum 5.1
    # (firearms 10,5,2,0 x 2 / 10 plus violence 50,20,10,5 / 50). Without Incidents the
    # incidents fall in proportion to t: within 20 min = (3 + 1.4 + 0.6) / 5.1 x 0.7 = 0.686275;
    # a crew of two is its own second officer, and A4 (31) misses 30 too: the same 0.686275.
    path = _workbook(tmp_path, armed_incidents_per_year=30)
    status = main(["simulate", str(path), "--years", "2", "--replications", "5", "--seed", "7",
                   "--option", "OPT0", "--json"])
    out = capsys.readouterr()
    assert status == 0
    data = json.loads(out.out)
    assert list(data) == ["years", "replications", "seed", "options"]
    assert (data["years"], data["replications"], data["seed"]) == (2, 5, 7)
    [opt] = data["options"]
    assert list(opt) == ["option_id", "incidents", "within_target", "backup_within_target", "median_minutes",
                         "p90_minutes", "analytic_within_target", "analytic_backup_within_target"]
    assert opt["option_id"] == "OPT0"
    assert opt["analytic_within_target"] == pytest.approx(5 / 5.1 * 0.7)
    assert opt["analytic_backup_within_target"] == pytest.approx(5 / 5.1 * 0.7)
    for key in ("within_target", "backup_within_target", "median_minutes", "p90_minutes"):
        assert list(opt[key]) == ["mean", "ci95"] and len(opt[key]["ci95"]) == 2
    lo, hi = opt["within_target"]["ci95"]
    assert 0 <= lo <= opt["within_target"]["mean"] <= hi <= 1
    assert 40 < opt["incidents"] < 80  # 30 a year for 2 years, Poisson
    assert "armed_incidents_per_year" in out.err  # the note goes to stderr, never stdout


def test_same_seed_same_json_other_seed_other_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path, armed_incidents_per_year=40, busy_spell_minutes=30)
    runs = []
    for seed in ("3", "3", "4"):
        assert main(["simulate", str(path), "--years", "1", "--replications", "3", "--seed", seed, "--json"]) == 0
        runs.append(capsys.readouterr().out)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert [o["option_id"] for o in json.loads(runs[0])["options"]] == ["OPT0", "OPT1", "OPT2"]


def test_readable_output_names_every_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path, armed_incidents_per_year=40)
    assert main(["simulate", str(path), "--years", "1", "--replications", "2"]) == 0
    out = capsys.readouterr().out
    assert "Testshire Police: simulated 1 year x 2 replications" in out
    for oid in ("OPT0", "OPT1", "OPT2"):
        assert f"  {oid}  " in out


def test_without_incidents_the_rate_is_required(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path)
    assert main(["simulate", str(path), "--years", "1", "--replications", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "armed_incidents_per_year is required by simulate" in err[0]


@pytest.mark.parametrize(("name", "value"), [("armed_incidents_per_year", "lots"), ("armed_incidents_per_year", -3),
                                           ("armed_incidents_per_year", 0), ("incident_service_hours", "x"),
                                           ("incident_service_hours", 0), ("busy_spell_minutes", -3)])
def test_a_bad_simulation_parameter_is_found_by_validate_with_its_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, value: object) -> None:
    # The three simulate-only parameters are checked when the workbook is read, so validate
    # reports what simulate would refuse, naming the row and column; each must be above 0.
    path = _workbook(tmp_path, **{name: value})
    for command in ("validate", "simulate"):
        assert main([command, str(path)]) == 1
        got = capsys.readouterr()
        err = (got.out + got.err).strip().splitlines()  # validate reports on stdout, simulate on stderr
        finding = [line for line in err if f"column value: {name}" in line]
        assert len(finding) == 1 and finding[0].startswith("error: Parameters row ")
        assert "is not a parameter the tool uses" not in "\n".join(err)


def test_simulation_parameters_are_parameters_the_tool_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # validate had warned that all three "have no effect", though simulate uses them.
    path = _workbook(tmp_path, armed_incidents_per_year=40, incident_service_hours=3, busy_spell_minutes=30)
    assert main(["validate", str(path)]) == 0
    got = capsys.readouterr()
    assert "not a parameter the tool uses" not in got.out + got.err
    from desktop_app.core.workbook.reader import read_workbook

    p = read_workbook(path).inputs.parameters
    assert (p.armed_incidents_per_year, p.incident_service_hours, p.busy_spell_minutes) == (40.0, 3.0, 30.0)


def test_unknown_option_and_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path, armed_incidents_per_year=10)
    assert main(["simulate", str(path), "--option", "NOPE"]) == 2  # as appraise's unknown --weight-set
    assert "--option: no option NOPE" in capsys.readouterr().err
    assert main(["simulate", str(path), "--option", "OPT2", "OPT0", "--years", "1", "--replications", "2",
                 "--json"]) == 0
    assert [o["option_id"] for o in json.loads(capsys.readouterr().out)["options"]] == ["OPT2", "OPT0"]
    for bad in (["--years", "0"], ["--seed", "-1"]):
        with pytest.raises(SystemExit) as exc:
            main(["simulate", str(path), *bad])
        assert exc.value.code == 2
    assert main(["simulate", str(tmp_path / "missing.xlsx")]) == 2


def test_printed_table_marks_analytic_figures_outside_the_interval_and_says_incidents_once(sample_path: Path) -> None:
    """The app marks an analytic figure outside the simulated interval; the printed table
    had not, though the user guide says the command line does the same."""
    import io

    from desktop_app.commands.simulate import OUTSIDE, print_readable
    from desktop_app.core.simulation import figures
    from desktop_app.core.simulation.run import simulate
    from desktop_app.core.workbook.reader import read_workbook

    inputs = read_workbook(sample_path).inputs
    res = simulate(inputs, years=2, replications=3, seed=7)
    buf = io.StringIO()
    print_readable("Borderdale Police", res, buf)
    lines = buf.getvalue().splitlines()
    n = res.options[0].incidents
    assert f"  every option answers the same {n:,.0f} simulated incidents a replication on average" in lines
    marked = 0
    for o in res.options:
        (row,) = [line for line in lines if line.startswith(f"  {o.option_id} ")]
        for p in figures.pairs(o):
            # each analytic cell is its figure, then " *" exactly when Pair.outside() says so
            cell = p.fmt()(p.analytic) + (f" {OUTSIDE}" if p.outside() else "")
            assert f"  {cell}" in row, (o.option_id, cell, row)
            marked += p.outside()
    assert any(line.startswith(f"  {OUTSIDE} the analytic figure lies outside") for line in lines) == (marked > 0)
    # each option against the baseline, paired over the same incidents
    base = res.baseline
    assert base is not None and base.option_id == "OPT0"
    assert "  within target against the baseline OPT0, paired over the same incidents" in buf.getvalue()
    for o in res.options[1:]:
        beside = figures.analytic_beside(o, base)
        assert (f"    {o.option_id.ljust(len('option'))}  {figures.against_baseline(o, base)}"
                f"{': ' + beside if beside else ''}") in lines
    # what the intervals are, said once
    assert lines.count("  " + figures.INTERVALS_ARE) == 1 and "chance does not explain" not in buf.getvalue()
    # 3 replications are fewer than 5: too small to read agreement as no cost, and said so
    assert lines[-1] == "  " + figures.reading(res.options, 3, "run more replications (--replications) or years (--years)")
    assert lines[-1].startswith("  This run is too small to detect units tied up at other armed incidents (3 replications")
    assert "cost no cover the simulation can detect" not in buf.getvalue()


def test_the_printed_table_says_what_a_marked_percentile_and_an_unseen_gain_mean(sample_path: Path) -> None:
    """A marked median or 90th percentile gets the share it was judged by on a line under
    the footnote; a gain the run cannot tell from none gets the analytic difference; a run
    large enough ends on the reassuring reading. Figures are made by hand on a real run's
    shape, so each line is known."""
    import io
    from dataclasses import replace

    from desktop_app.commands.simulate import print_readable
    from desktop_app.core.simulation import figures
    from desktop_app.core.simulation.run import Estimate, simulate
    from desktop_app.core.workbook.reader import read_workbook

    res = simulate(read_workbook(sample_path).inputs, years=1, replications=5, seed=7, option_ids=["OPT0", "OPT4"])
    base, opt = res.options
    tight = Estimate(0.62, 0.615, 0.625)  # +/-0.5 points: not too small
    base = replace(base, within_target=tight, backup_within_target=tight, analytic_within_target=0.6189,
                   within_target_runs=(0.60, 0.62, 0.61, 0.62, 0.60),
                   # 85.0% (84.0% to 86.0%) within the analytic 90th percentile's minutes: slower
                   p90_under=Estimate(0.84, 0.83, 0.85), p90_within=Estimate(0.85, 0.84, 0.86),
                   median_under=Estimate(0.49, 0.48, 0.495), median_within=Estimate(0.51, 0.505, 0.52))
    # the option's runs differ from the baseline's by 0.01, -0.01, 0.01, 0, 0.01: mean +0.4 points,
    # s = 0.008944, half-width 2.776445 x 0.008944 / sqrt(5) = 0.011106: -0.7 to +1.5, holding 0
    opt = replace(opt, within_target=tight, backup_within_target=tight, analytic_within_target=0.6251,
                  within_target_runs=(0.61, 0.61, 0.62, 0.62, 0.61),
                  p90_under=Estimate(0.89, 0.88, 0.90), p90_within=Estimate(0.90, 0.89, 0.91),
                  median_under=Estimate(0.49, 0.48, 0.495), median_within=Estimate(0.51, 0.505, 0.52))
    res = replace(res, options=[base, opt])
    buf = io.StringIO()
    print_readable("F", res, buf)
    lines = buf.getvalue().splitlines()
    assert "    OPT4    +0.4 points (-0.7 to +1.5): the simulation cannot tell it from none; the analytic figures " \
           "expect +0.6 (62.5% against 61.9%)" in lines
    p90 = f"{base.analytic_p90_minutes:.1f}"
    (row,) = [line for line in lines if line.startswith("  OPT0 ")]
    assert row.endswith(f"{p90} *")  # the baseline's 90th percentile is marked, its median is not
    assert (f"    OPT0 90th percentile: 85.0% (84.0% to 86.0%) of simulated incidents were answered within the "
            f"analytic {p90} minutes, not 90%") in lines
    assert not any(line.startswith(("    OPT0 median", "    OPT4 ")) and "simulated incidents" in line for line in lines)
    assert lines[-1] == "  " + figures.READING
    # a run large enough (5 replications, +/-0.5 points) reads a paired interval as evidence
    assert ("  within target against the baseline OPT0, paired over the same incidents (95% CI; one that "
            "leaves out 0 is a difference the simulation's noise does not explain):") in lines


def test_a_two_replication_run_does_not_read_its_paired_comparisons_as_evidence(
        sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer's 1 x 2 run: the new base (OPT3, the baseline plus one ARV) came out
    -2.4 points (-3.7 to -1.1) against the baseline, under a heading that called an
    interval leaving out 0 "a difference the simulation's noise does not explain". With
    two replications the paired t interval has one degree of freedom (t = 12.7) and the
    options' other-work states are drawn apart, so the heading now says so."""
    assert main(["simulate", str(sample_path), "--option", "OPT0", "--option", "OPT3",
                 "--replications", "2", "--years", "1"]) == 0
    out = capsys.readouterr().out
    assert ("  within target against the baseline OPT0, paired over the same incidents (95% CI; too small a run "
            "to read these (2 replications, fewer than 5): an interval from so few replications can leave out 0 "
            "by chance, so none of them is evidence of a difference):") in out
    assert "noise does not explain" not in out


def test_a_two_replication_run_says_it_is_too_small(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The review's run: the 90th percentile's interval ran 0.0 to 124.6 minutes, and the
    reading said tie-ups "cost no cover the simulation can detect"."""
    assert main(["simulate", str(sample_path), "--option", "OPT0", "--replications", "2", "--years", "1"]) == 0
    out = capsys.readouterr().out
    assert "cost no cover the simulation can detect" not in out
    assert ("  This run is too small to detect units tied up at other armed incidents (2 replications, fewer than 5): "
            "an analytic figure inside intervals this wide says nothing about what tie-ups cost; run more "
            "replications (--replications) or years (--years).") in out


def test_one_replication_promises_no_intervals(sample_path: Path) -> None:
    import io

    from desktop_app.commands.simulate import print_readable
    from desktop_app.core.simulation.run import simulate
    from desktop_app.core.workbook.reader import read_workbook

    res = simulate(read_workbook(sample_path).inputs, years=1, replications=1, seed=7)
    buf = io.StringIO()
    print_readable("Borderdale Police", res, buf)
    text = buf.getvalue()
    assert "one replication, so no confidence intervals" in text and "in brackets" not in text
    (row,) = [line for line in text.splitlines() if line.startswith("  OPT0 ")]
    assert "incidents in each replication" in text and "(" not in row  # a mean alone, no interval
    assert "*" not in text  # no interval, so nothing can lie outside it


def test_the_printed_table_at_its_edges(sample_path: Path) -> None:
    """No incidents drawn, one option without the baseline: the table says so plainly."""
    import io

    from desktop_app.commands.simulate import print_readable
    from desktop_app.core.simulation.run import simulate
    from desktop_app.core.workbook.reader import read_workbook

    inputs = read_workbook(sample_path).inputs
    # 0.01 a year for a year: no incident in any of the 3 replications (seed 1)
    none = simulate(inputs, years=1, replications=3, seed=1, per_year=0.01)
    assert all(o.incidents == 0 for o in none.options)
    buf = io.StringIO()
    print_readable("F", none, buf)
    text = buf.getvalue()
    assert "no incidents were drawn at this rate over these years" in text
    assert "against the baseline" not in text and "in brackets" not in text and "Where the 95% interval" not in text
    # one option, not the baseline: no comparison, and why
    one = simulate(inputs, years=1, replications=3, seed=1, option_ids=["OPT2"])
    buf = io.StringIO()
    print_readable("F", one, buf)
    text = buf.getvalue()
    assert "  the option answers " in text and "every option answers" not in text
    assert "  no comparison with the baseline: OPT0 was not simulated (add it with --option OPT0)" in text
