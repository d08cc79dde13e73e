"""An added option's posts left at the asset type's defaults follow a scenario's defaults.

docs/appraisal-method.md#awaiting-scores ("Add as option"). The dialog leaves a busy
fraction or mobilisation the user did not change blank (None), as a blank Deployments
cell; the posts must then be marked as taking the default, so the SEVERE threat-level
scenario (busy_fraction_arv 0.30 -> 0.45 in the sample) reaches them. A value the user
set is the user's and no scenario moves it.
"""

from __future__ import annotations

from desktop_app.core.added_option import AddedOption, DeploymentSpec, added_option_deployments
from desktop_app.core.pipeline import run_appraisal

SEVERE = "SEVERE threat level"  # the sample's scenario raising busy_fraction_arv to 0.45
SITES = ("ARV01", "ARV02")


def _option(option_id: str, busy: float | None) -> AddedOption:
    return AddedOption(option_id=option_id, option_name=option_id, description="",
                       deployments=tuple(DeploymentSpec(s, "ARV", crew_size=2, busy_fraction=busy) for s in SITES),
                       include_baseline=False, source="optimiser")


def test_blank_values_are_marked_as_the_default(sample_read) -> None:
    inputs = sample_read.inputs
    deps = added_option_deployments(inputs, _option("OPT_D", None))
    # filled from the workbook's default (busy_fraction_arv 0.30) and marked so
    assert deps["busy_fraction"].tolist() == [0.3, 0.3]
    assert deps["busy_fraction_default"].tolist() == [True, True]
    assert deps["mobilisation_default"].tolist() == [True, True]
    fixed = added_option_deployments(inputs, _option("OPT_F", 0.3))
    assert fixed["busy_fraction_default"].tolist() == [False, False]  # set by the user, though equal


def test_a_scenario_default_reaches_an_added_option_left_at_defaults(sample_read) -> None:
    inputs, findings = sample_read.inputs, sample_read.findings
    extra = [_option("OPT_D", None), _option("OPT_F", 0.3)]
    base = run_appraisal(inputs, findings, samples=0, extra_options=extra, what_if=False)
    severe = run_appraisal(inputs, findings, samples=0, extra_options=extra, what_if=False, scenario=SEVERE)
    dep = severe.inputs.deployments
    # in the scenario the default-taking posts are busy 0.45, the user's stay at 0.30
    assert dep.loc[dep["option_id"] == "OPT_D", "busy_fraction"].tolist() == [0.45, 0.45]
    assert dep.loc[dep["option_id"] == "OPT_F", "busy_fraction"].tolist() == [0.3, 0.3]
    cover = "threat_coverage"  # allows for busy units
    b, s = base.coverage.measures, severe.coverage.measures
    # base case: both options are the same posts at busy 0.30, so the same cover
    assert b.at["OPT_D", cover] == b.at["OPT_F", cover]
    # SEVERE: a unit busy 45% of the time instead of 30% is free less often, so less cover
    assert s.at["OPT_D", cover] < b.at["OPT_D", cover]
    assert s.at["OPT_F", cover] == b.at["OPT_F", cover]
