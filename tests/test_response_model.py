"""The v2 response model worked by hand (docs/measures.md): G, the first-free-unit
quantiles, authorisation time, the officers split, hour weightings, the incident check,
and the reader's checks of the new sheets and columns."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coverage_factory import dep, make_inputs
from workbook_factory import base_sheets, make_workbook

from desktop_app.cli import main
from desktop_app.core.coverage.cover import week_cover
from desktop_app.core.coverage.engine import compute_coverage
from desktop_app.core.coverage.units import hour_weights, units_of
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.reader import read_workbook


def _with_days(row: dict[str, object], days: str) -> dict[str, object]:
    return {**row, "days": days}


# --------------------------------------------------------------------------- G


def test_second_officer_by_hand() -> None:
    # One area; T_b = 20. Unit A: crew 2, q 0.5, 10 min. B: two single-crewed posts, q 0.2,
    # 12 min. C: single-crewed, q 0.5, 25 min (too slow for the backup target).
    #   P(no crew-2 unit free) = 0.5
    #   single posts within 20: P(0 free) = 0.2^2 = 0.04, P(exactly 1) = 2 x 0.8 x 0.2 = 0.32
    #   G = 1 - 0.5 x (0.04 + 0.32) = 0.82;  F(20) = 1 - 0.5 x 0.2^2 = 0.98
    inputs = make_inputs(
        [[10], [12], [25]], [100], [False],
        [dep("O", "S1", "ARV", crew=2, busy=0.5, mob=0),
         dep("O", "S2", "ARMED_RESPONSE_OFFICER", posts=2, crew=1, busy=0.2, mob=0),
         dep("O", "S3", "ARMED_RESPONSE_OFFICER", crew=1, busy=0.5, mob=0)],
        target_minutes=20.0, backup_target_minutes=20.0,
    )
    wc = week_cover(units_of(inputs, inputs.deployments), np.ones(168), 20.0, 20.0)
    assert wc.backup[0, 0] == pytest.approx(0.82)
    assert wc.cover[0, 0] == pytest.approx(0.98)
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["backup_coverage"] == pytest.approx(0.82)


def test_second_officer_with_a_never_busy_single_officer() -> None:
    # Two single-crewed posts within target: one never busy (q 0), one busy half the time.
    # Fewer than two officers only when the second is busy: G = 1 - 0.5 = 0.5 (no division by q = 0).
    inputs = make_inputs(
        [[5], [6]], [10], [True],
        [dep("O", "S1", "ARMED_RESPONSE_OFFICER", crew=1, busy=0.0, mob=0),
         dep("O", "S2", "ARMED_RESPONSE_OFFICER", crew=1, busy=0.5, mob=0)],
    )
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["backup_coverage"] == pytest.approx(0.5)
    assert m["population_coverage"] == pytest.approx(1.0)  # the q = 0 officer is always free
    # A lone single-crewed officer never meets the second-officer target.
    alone = make_inputs([[5]], [10], [True], [dep("O", "S1", "ARMED_RESPONSE_OFFICER", crew=1, busy=0.0, mob=0)])
    assert compute_coverage(alone).measures.loc["O", "backup_coverage"] == 0.0


# ------------------------------------------------------------ quantiles, authorisation

#   travel     A1 (pop 100, urban)   A2 (pop 300, rural)
#   S1 q 0.5         5                    100
#   S2 q 0.5        15                    100
#   S3 q 0.05      100                     10
# First free unit, in people (population x probability):
#   A1: 5 min 50 (S1 free), 15 min 25 (S1 busy, S2 free), 100 min 0.25 x 0.95 x 100 = 23.75, never 1.25
#   A2: 10 min 285, 100 min 0.05 x 0.5 x 300 = 7.5 (S1) and 0.05 x 0.25 x 300 = 3.75 (S2), never 3.75
# By minutes: 5: 50, 10: 285, 15: 25, 100: 35, never 5 (total 400)
# cum 50, 335, 360, 395 -> median (200) 10; p90 (360, reached exactly) 15.
# Rural (A2, 300): median (150) 10; urban (A1, 100): median (50) 5 -> gap 5.
QUANTILE_TRAVEL = [[5, 100], [15, 100], [100, 10]]


def _quantile_case(**params: object):
    return make_inputs(
        QUANTILE_TRAVEL, [100, 300], [False, True],
        [dep("O", "S1", busy=0.5, mob=0), dep("O", "S2", busy=0.5, mob=0), dep("O", "S3", busy=0.05, mob=0)],
        **params,
    )


def test_median_and_p90_are_quantiles_of_the_first_free_unit() -> None:
    m = compute_coverage(_quantile_case()).measures.loc["O"]
    assert m["median_response_minutes"] == 10
    assert m["p90_response_minutes"] == 15
    assert m["rural_gap_minutes"] == 5
    # F(20): A1 1 - 0.5^2 = 0.75, A2 0.95 -> (75 + 285)/400 = 0.9
    assert m["population_coverage"] == pytest.approx(0.9)


def test_authorisation_minutes_add_to_every_response() -> None:
    # authorisation 6: every time + 6 -> 11, 16, 21, 106: median 16, p90 21;
    # S2 now takes 21 > 20 to A1, so F(20) of A1 is 0.5: (50 + 285)/400 = 0.8375.
    m = compute_coverage(_quantile_case(authorisation_minutes=6.0)).measures.loc["O"]
    assert m["median_response_minutes"] == 16
    assert m["p90_response_minutes"] == 21
    assert m["population_coverage"] == pytest.approx(0.8375)
    assert m["population_coverage_all_free"] == pytest.approx(1.0)  # 11 and 16 minutes, every unit free
    u = units_of(_quantile_case(authorisation_minutes=6.0), _quantile_case().deployments)
    assert u.response[1, 0] == pytest.approx(21.0)  # 6 + 0 + 15


# ------------------------------------------------------------------ officers split


def test_officers_split_own_and_neighbour() -> None:
    # ARV: 2 posts x crew 2 x 5.5 x 168/168 = 22
    # ARO Fri,Sat 20:00-04:00: 1 x 1 x 5.5 x 16/168 = 0.52381 (8 hours on each of 2 days)
    # NEIGHBOUR_ARV Mon-Fri 08:00-20:00: 1 x 2 x 5.5 x 60/168 = 3.92857, not the force's own
    inputs = make_inputs(
        [[5], [5], [5]], [10], [False],
        [dep("O", "S1", "ARV", posts=2, crew=2),
         _with_days(dep("O", "S2", "ARMED_RESPONSE_OFFICER", crew=1, start=20, end=4), "Fri,Sat"),
         _with_days(dep("O", "S3", "NEIGHBOUR_ARV", crew=2, start=8, end=20), "Mon-Fri")],
    )
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["officers_required"] == pytest.approx(22 + 5.5 * 16 / 168)
    assert m["neighbour_officers"] == pytest.approx(2 * 5.5 * 60 / 168)


# --------------------------------------------------- hour weights and the incident check

#   travel     A1 (pop 100, urban)   A2 (pop 200, rural)   A3 (pop 700, rural)
#   S1                 5                    15                    30
#   S2                25                    12                    16
# Baseline: ARV at S1 all week (q 0.3, mob 1): r = 6, 16, 31 -> F = 0.7, 0.7, 0.
#           ARO at S2 Fri,Sat 20:00-08:00 (q 0.1, mob 3): r = 28, 15, 19 -> on duty it adds
#           A2: 1 - 0.3 x 0.1 = 0.97, A3: 0.9. On duty in hours 116-127 (Fri 20 - Sat 08)
#           and 140-151 (Sat 20 - Sun 08): 24 of 168 hours.
# Population share: off duty (70 + 140)/1000 = 0.21; on duty (70 + 194 + 630)/1000 = 0.894.
INCIDENTS = [
    # id, area index, weekday, hour, minutes
    ("I1", 0, 0, 3, 12.0),    # A1 Mon 03 (h 3): F 0.7, within 20
    ("I2", 1, 1, 10, 25.0),   # A2 Tue 10 (h 34): F 0.7, not within
    ("I3", 2, 5, 22, 18.0),   # A3 Sat 22 (h 142): ARO on, F 0.9, within
    ("I4", 2, 6, 1, None),    # A3 Sun 01 (h 145): ARO on; no observed time
    ("I5", 2, 0, 22, 40.0),   # A3 Mon 22 (h 22): F 0, not within
]


def _incident_case(**params: object):
    inputs = make_inputs(
        [[5, 15, 30], [25, 12, 16]], [100, 200, 700], [False, True, True],
        [dep("OPT0", "S1", "ARV", crew=2, busy=0.3, mob=1),
         _with_days(dep("OPT0", "S2", "ARMED_RESPONSE_OFFICER", crew=1, start=20, end=8, busy=0.1, mob=3), "Fri,Sat")],
        **params,
    )
    incidents = pd.DataFrame({
        "incident_id": [r[0] for r in INCIDENTS], "area_id": [f"A{r[1] + 1}" for r in INCIDENTS],
        "grade": "", "weekday": np.array([r[2] for r in INCIDENTS], dtype=np.int64),
        "hour": np.array([r[3] for r in INCIDENTS], dtype=np.int64),
        "first_armed_minutes": np.array([np.nan if r[4] is None else r[4] for r in INCIDENTS]),
        "area_index": np.array([r[1] for r in INCIDENTS], dtype=np.int64),
        "excel_row": np.arange(2, 2 + len(INCIDENTS), dtype=np.int64),
    })
    return replace(inputs, incidents=incidents)


def test_incident_check_by_hand() -> None:
    # With times: I1 (within, F 0.7), I2 (not, 0.7), I3 (within, 0.9), I5 (not, 0).
    #   observed 2/4 = 0.5; modelled (0.7 + 0.7 + 0.9 + 0)/4 = 0.575
    #   rural (I2, I3, I5): observed 1/3, modelled (0.7 + 0.9 + 0)/3 = 0.5333
    #   urban (I1): observed 1, modelled 0.7
    # Chance margins, 1.96 x sqrt(sum p(1 - p)) / n:
    #   all: p(1-p) = 0.21 + 0.21 + 0.09 + 0 = 0.51; 1.96 x 0.714143 / 4 = 0.349930
    #   rural: 0.21 + 0.09 + 0 = 0.30; 1.96 x 0.547723 / 3 = 0.357845
    #   urban: 0.21; 1.96 x 0.458258 / 1 = 0.898185
    check = compute_coverage(_incident_case()).incident_validation
    assert check is not None
    assert check["incidents"] == 4
    assert check["observed_within_target"] == pytest.approx(0.5)
    assert check["modelled_within_target"] == pytest.approx(0.575)
    assert check["chance_margin"] == pytest.approx(0.349930, abs=1e-6)
    assert check["rural"] == {"incidents": 3, "observed_within_target": pytest.approx(1 / 3),
                              "modelled_within_target": pytest.approx(1.6 / 3),
                              "chance_margin": pytest.approx(0.357845, abs=1e-6)}
    assert check["urban"] == {"incidents": 1, "observed_within_target": 1.0,
                              "modelled_within_target": pytest.approx(0.7),
                              "chance_margin": pytest.approx(0.898185, abs=1e-6)}


def test_incident_coverage_by_hand() -> None:
    # c = 1, 1, 3 incidents (A3 has I3, I4, I5). Over the week F1 = 0.7; F2 = 0.97 in the 24
    # ARO hours, else 0.7 (mean 0.738571); F3 = 0.9 in those hours, else 0 (mean 0.128571).
    #   incident_coverage = (0.7 + 0.738571 + 3 x 0.128571)/5 = 1.824286/5 = 0.364857
    m = compute_coverage(_incident_case()).measures.loc["OPT0"]
    f2 = 0.7 + 0.27 * 24 / 168
    assert m["incident_coverage"] == pytest.approx((0.7 + f2 + 3 * 0.9 * 24 / 168) / 5)


def test_every_hour_weighting_by_hand() -> None:
    # flat: 24/168 x 0.894 + 144/168 x 0.21 = 0.127714 + 0.18 = 0.307714
    flat = compute_coverage(_incident_case()).measures.loc["OPT0", "population_coverage"]
    assert flat == pytest.approx(24 / 168 * 0.894 + 144 / 168 * 0.21)
    # incidents: hours 3, 34, 142, 145, 22 each 1/5; ARO on in 142 and 145:
    #   (3 x 0.21 + 2 x 0.894)/5 = 0.4836
    by_incidents = _incident_case(hour_weighting="incidents")
    b = hour_weights(by_incidents)
    assert b[[3, 34, 142, 145, 22]].tolist() == pytest.approx([0.2] * 5) and b.sum() == pytest.approx(1.0)
    m = compute_coverage(by_incidents).measures.loc["OPT0", "population_coverage"]
    assert m == pytest.approx((3 * 0.21 + 2 * 0.894) / 5)
    # profile: Sat 22:00 weight 3 (ARO on), Mon 10:00 weight 1: 0.75 x 0.894 + 0.25 x 0.21 = 0.723
    profile = replace(_incident_case(hour_weighting="profile"), demand_profile=pd.DataFrame(
        {"weekday": np.array([5, 0], dtype=np.int64), "hour": np.array([22, 10], dtype=np.int64), "weight": [3.0, 1.0]}))
    assert hour_weights(profile)[[142, 10]].tolist() == [0.75, 0.25]
    m = compute_coverage(profile).measures.loc["OPT0", "population_coverage"]
    assert m == pytest.approx(0.75 * 0.894 + 0.25 * 0.21)


def test_parameters_default_to_version_1_behaviour() -> None:
    p = schema.parameters(force_name="x", threat_level="LOW")  # the defaults' one home
    assert (p.authorisation_minutes, p.backup_target_minutes, p.hour_weighting, p.incident_years) == (0.0, 30.0, "flat", 1.0)


# ----------------------------------------------------------- reader: new sheets and columns


def _findings(path: Path) -> list[str]:
    return [f.one_line() for f in read_workbook(path).findings]


def test_bad_incidents_get_one_line_each_naming_sheet_row_and_column(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Incidents"] = [
        ["incident_id", "area_id", "weekday", "hour", "first_armed_minutes", "grade"],
        ["I1", "A1", "Fri", 22, 14.5, "spontaneous"],
        ["I2", "NOWHERE", "Mon", 3, 10, ""],
        ["I3", "A2", "Funday", 3, 10, ""],
        ["I4", "A2", "Tuesday", 25, 10, ""],
        ["I5", "A3", "Wed", 4, 0, ""],
        ["I6", "A3", "Wed", 4.5, -2, ""],
        ["I1", "A4", "Thu", 1, None, ""],
    ]
    lines = _findings(make_workbook(tmp_path, sheets))
    errors = [x for x in lines if x.startswith("error")]
    assert any(x.startswith("error: Incidents row 3 column area_id:") and "NOWHERE" in x for x in errors)
    assert any(x.startswith("error: Incidents row 4 column weekday:") and "Funday" in x for x in errors)
    assert any(x.startswith("error: Incidents row 5 column hour:") for x in errors)
    assert any(x.startswith("error: Incidents row 6 column first_armed_minutes:") for x in errors)
    assert any(x.startswith("error: Incidents row 7 column hour:") for x in errors)
    assert any(x.startswith("error: Incidents row 7 column first_armed_minutes:") for x in errors)
    assert any(x.startswith("error: Incidents row 8 column incident_id:") and "row 2" in x for x in errors)
    assert not any("row 2 " in x for x in errors)  # the good row


def test_bad_days_and_missing_demand_sheets(tmp_path: Path) -> None:
    sheets = base_sheets()
    header = sheets["Deployments"][0]
    sheets["Deployments"] = [header + ["days"]] + [row + [""] for row in sheets["Deployments"][1:]]
    sheets["Deployments"][2][-1] = "Mon-"
    sheets["Deployments"][3][-1] = "Sat-Mon"  # fine: wraps
    sheets["Parameters"].append(["hour_weighting", "profile", ""])
    lines = _findings(make_workbook(tmp_path, sheets))
    assert any(x.startswith("error: Deployments row 3 column days:") and "Mon-Fri" in x for x in lines)
    assert not any("Deployments row 4" in x for x in lines)
    assert any(x.startswith("error: Parameters row") and "DemandProfile" in x for x in lines)


def test_mobilisation_that_uses_up_both_targets_is_warned_about(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["authorisation_minutes", 5, ""])
    sheets["Parameters"].append(["mobilisation_minutes_arv", 25, ""])  # the ARV default
    sheets["Deployments"][3][8] = 600  # row 4: 10 hours typed as minutes
    lines = _findings(make_workbook(tmp_path, sheets))
    # Targets 20 (response) and 30 (second officer, the default): the limit is 30.
    # Row 4: 600 + 5 = 605 >= 30. Rows 2, 3, 5: ARV default 25 + 5 = 30 >= 30 (row 5's
    # NEIGHBOUR_ARV takes the ARV default too). A row at 24 + 5 = 29 would pass.
    warned = sorted(x for x in lines if "column mobilisation_minutes" in x)
    assert [x[:x.index(": mobilisation")] for x in warned] == [
        "warning: Deployments row 2 column mobilisation_minutes",
        "warning: Deployments row 3 column mobilisation_minutes",
        "warning: Deployments row 4 column mobilisation_minutes",
        "warning: Deployments row 5 column mobilisation_minutes",
    ]
    assert "mobilisation 600 minutes plus authorisation 5 is at least the 30-minute second-officer target" in warned[2]
    assert "(the asset type's default)" in warned[0] and "default" not in warned[2]
    assert not any(x.startswith("error") for x in lines)  # a warning: the appraisal still runs
    sheets["Parameters"][-1][1] = 24
    sheets["Deployments"][3][8] = 24
    assert not any("column mobilisation_minutes" in x for x in _findings(make_workbook(tmp_path, sheets)))


def test_demand_profile_checked(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["hour_weighting", "profile", ""])
    sheets["DemandProfile"] = [["weekday", "hour", "weight"], ["Fri", 22, 2], ["Friday", 22, 1], ["Sun", 3, -1]]
    lines = _findings(make_workbook(tmp_path, sheets))
    assert any(x.startswith("error: DemandProfile row 3 column hour:") and "row 2" in x for x in lines)
    assert any(x.startswith("error: DemandProfile row 4 column weight:") for x in lines)


def test_expected_coverage_is_read_as_population_coverage_with_a_warning(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Criteria"][1][2] = "expected_coverage"
    result = read_workbook(make_workbook(tmp_path, sheets))
    assert result.ok
    assert result.inputs.criteria.loc[0, "measure"] == "population_coverage"
    warn = [f for f in result.warnings if f.column == "measure"]
    assert len(warn) == 1 and "C1" in warn[0].message and warn[0].row == 2


# --------------------------------------------------------------- a version-1 workbook


def test_version_1_workbook_validates_appraises_and_optimises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Criteria"] = [row[:-1] for row in sheets["Criteria"]]  # no kind column, as in version 1
    path = make_workbook(tmp_path, sheets)  # no days, no Incidents, no v2 parameters
    assert main(["validate", str(path)]) == 0
    # C2 measures whole-life cost and, with no kind, counts as a benefit: value for money
    # would count cost twice, which validate warns about on C2's row (Criteria row 3).
    out = capsys.readouterr().out
    assert "warning: Criteria row 3 column kind: criterion 'C2' measures whole_life_cost_gbp but its kind is blank" in out
    assert main(["appraise", str(path), "-o", str(tmp_path / "s.xlsx"), "--samples", "100", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["incident_validation"] is None
    assert all(o["measures"]["incident_coverage"] is None for o in doc["options"])
    # No rate and no Incidents rows: the Assumptions row says simulate would need one.
    summary = pd.read_excel(tmp_path / "s.xlsx", sheet_name="Assumptions", header=1, engine="calamine")  # machine names
    (source,) = summary.loc[summary["item"] == "armed_incidents_per_year", "source"]
    assert source == "default (blank): simulate needs it, as the workbook lists no incidents"
    assert main(["optimise", str(path), "--posts", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["posts"] == 1 and not math.isnan(out["value"])
    cov = compute_coverage(read_workbook(path).inputs)
    for oid in cov.option_ids:
        week = cov.by_hour[oid].to_numpy().reshape(7, 24)
        assert (week == week[0]).all()
