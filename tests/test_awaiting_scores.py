"""An option added in the workshop is scored by the room, never by inheritance.

Until every judgement criterion has a score for it, the option is *awaiting scores*:
measured (coverage, cost), but left out of the ranking, SMAA-2 and the weight-set
comparison, and flagged in the JSON and the summary workbook.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from desktop_app.core.added_option import AddedOption, DeploymentSpec
from desktop_app.core.export import write_summary
from desktop_app.core.pipeline import rescore, results_to_json, run_appraisal
from desktop_app.core.workbook.reader import read_workbook
from tests.workbook_factory import make_workbook


def _added(inputs) -> AddedOption:
    """The baseline plus one armed response officer at S2 (an option the workbook does not list)."""
    extra = DeploymentSpec("S2", "ARMED_RESPONSE_OFFICER", 1, 1, 0, 24, 0.1, 3.0)
    return AddedOption("NEW", "Baseline + ARO at S2", "", 30000.0, 90000.0, 6.0, (extra,), include_baseline=True)


@pytest.fixture()
def inputs(tmp_path: Path):
    return read_workbook(make_workbook(tmp_path)).inputs


def test_added_option_never_inherits_the_baselines_judgements(inputs, tmp_path: Path) -> None:
    run = run_appraisal(inputs, [], samples=300, extra_options=[_added(inputs)])
    assert run.awaiting_scores == ["NEW"]
    # left out of the ranking, SMAA-2 and every weight set; measured all the same
    assert "NEW" not in run.appraisal.totals.index
    assert "NEW" not in run.appraisal.robustness.rank_acceptability.index
    assert all("NEW" not in a.totals.index for a in run.weight_sets.values())
    assert "NEW" in run.coverage.measures.index
    # the three workbook options rank 1..3 among themselves, as without NEW
    alone = run_appraisal(inputs, [], samples=0)
    pd.testing.assert_series_equal(run.appraisal.ranks, alone.appraisal.ranks)
    assert any("option NEW is awaiting scores on C3" in f.message for f in run.findings)
    assert not any("takes the baseline" in f.message for f in run.findings)
    doc = results_to_json(run)
    new = next(o for o in doc["options"] if o["option_id"] == "NEW")
    assert new["awaiting_scores"] is True and new["rank"] is None and new["total_value"] is None
    assert new["values"] == {"C1": None, "C2": None, "C3": None}
    # its whole-life cost is measured: 30,000 + 90,000 x (1/1.035 + ... + 1/1.035^5)
    #   = 30,000 + 90,000 x 4.515052 = 30,000 + 406,354.71
    assert new["measures"]["whole_life_cost_gbp"] == pytest.approx(436_354.71, abs=0.01)
    assert "NEW" not in doc["robustness"]["rank_acceptability"]
    # the summary workbook lists it as awaiting scores, not ranked
    out = write_summary(run, tmp_path / "summary.xlsx")
    summary = openpyxl.load_workbook(out)["Summary"]
    cells = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
    assert any("awaiting scores" in c for c in cells)


def test_scoring_it_in_the_room_brings_it_into_the_ranking(inputs) -> None:
    run = run_appraisal(inputs, [], samples=0, extra_options=[_added(inputs)],
                        judgement_overrides={("NEW", "C3"): 35.0})
    assert run.awaiting_scores == []
    assert "NEW" in run.appraisal.totals.index
    assert run.value_model.values[run.value_model.option_ids.index("NEW"), 2] == 35.0
    # live re-scoring keeps it out until scored, in when scored
    bare = run_appraisal(inputs, [], samples=0, extra_options=[_added(inputs)])
    assert "NEW" not in rescore(bare, samples=0).totals.index
    assert "NEW" in rescore(bare, samples=0, judgement_overrides={("NEW", "C3"): 35.0}).totals.index
