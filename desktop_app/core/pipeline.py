"""From validated inputs to a complete appraisal run, and the JSON results (docs/command-line.md#json-results).

:func:`run_appraisal` is the one path every front end takes (command line, desktop
app, summary export): coverage -> value model -> scores and ranks -> one-way
sensitivity -> SMAA-2 -> every stakeholder weight set. :func:`rescore` re-uses a
run's coverage and value scores for the desktop sliders, so moving a weight costs
milliseconds, not a coverage recomputation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.added_option import AddedOption, added_option_deployments
from desktop_app.core.appraisal.equality import Breakdown, equality_breakdown, widest_gap
from desktop_app.core.appraisal.live import (
    LIVE_WEIGHTS_NAME,
    appraise_weight_sets,
    appraise_with_sensitivity,
)
from desktop_app.core.appraisal.ranking import CRITERIA_WEIGHTS
from desktop_app.core.appraisal.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, smaa
from desktop_app.core.appraisal.value_model import ValueModel, build_value_model
from desktop_app.core.appraisal.value_tree import efficient_frontier
from desktop_app.core.appraisal.weight_sets import WeightSetComparison, compare_appraisals
from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.appraisal.what_if import (
    ParameterSwing,
    Rerun,
    WeightsChoice,
    clipping_findings,
    parameter_sensitivity,
    rerun,
    run_scenarios,
)
from desktop_app.core.errors import UsageError
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.results import Appraisal, CoverageResult
from desktop_app.core.workbook.overrides import apply_overrides

__all__ = ["DEFAULT_SEED", "DEFAULT_SAMPLES", "AppraisalRun", "run_appraisal", "rescore", "results_to_json"]


JudgementOverrides = Mapping[tuple[str, str], float | tuple[float, float, float]]


@dataclass
class AppraisalRun:
    """Everything one appraisal produced, for the JSON, the summary workbook and the views.

    ``findings`` holds every finding in report order: the reader's, then the coverage
    engine's, then the appraisal's warnings (value model, weights, weight sets).
    ``appraisal`` is under the chosen weights (``--weight-set`` or the Criteria sheet);
    ``weight_sets`` holds every WeightSets group, each without SMAA (sensitivity only).
    """

    inputs: ForceInputs
    findings: list[Finding]
    coverage: CoverageResult
    appraisal: Appraisal
    weight_sets: dict[str, Appraisal]
    samples: int
    seed: int
    around_weights: float | None
    #: The value scores behind every appraisal (re-used by :func:`rescore`).
    value_model: ValueModel | None = None
    judgement_overrides: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: The WeightSets group ``appraisal`` ranks under (None: the Criteria sheet, or weights
    #: passed in, e.g. from the workshop: then ``appraisal.weights_name`` says whose).
    weight_set: str | None = None
    #: The Scenarios group that is the main result (None: the workbook as it stands).
    scenario: str | None = None
    #: The same options under the workbook's own weights, when ``appraisal`` is not
    #: (so a panel is shown the force's ranking beside the one it is reading).
    workbook_appraisal: Appraisal | None = None

    @property
    def weights_label(self) -> str:
        """Whose weights rank the options, in the words of :func:`describe_weights`."""
        return str(self.appraisal.weights_name)
    #: Every Scenarios group, each a full re-run (docs/appraisal-method.md#scenarios).
    scenarios: dict[str, Rerun] = field(default_factory=dict)
    #: Under ``scenario``, the workbook as entered (the base case the scenarios and the
    #: parameter sensitivity compare with); None when the main result is the base case.
    base_case: Rerun | None = None
    #: Every Uncertainty row at its low and high end (docs/appraisal-method.md#parameter-sensitivity).
    parameter_sensitivity: list[ParameterSwing] = field(default_factory=list)
    #: Population coverage by equality group (docs/appraisal-method.md#equality).
    equality: Breakdown = field(default_factory=dict)
    #: Value functions set in the workshop (``ValuePointsEdit.to_json``), for the summary's record.
    value_point_edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def awaiting_scores(self) -> list[str]:
        """Options left out of the ranking until the workshop scores them (docs/appraisal-method.md#awaiting-scores)."""
        return list(self.value_model.awaiting) if self.value_model is not None else []

    @property
    def efficient_frontier(self) -> list[str]:
        """Options no other dominates on (whole-life cost, benefit value), cheapest first."""
        bv = self.appraisal.benefit_value
        if bv is None:
            return []
        ids = [str(o) for o in bv.index]
        costs = self.coverage.measures.loc[ids, "whole_life_cost_gbp"].astype(float).tolist()
        return [ids[i] for i in efficient_frontier(costs, bv.to_numpy(dtype=float).tolist())]

    def equality_sentence(self) -> str | None:
        """The widest gap in the top option's coverage between two groups, in words."""
        gap = widest_gap(self.equality, self.top_option)
        return gap.sentence() if gap is not None else None

    @property
    def top_option(self) -> str:
        return self.appraisal.top_option

    @property
    def top_first_share(self) -> float | None:
        """Share of SMAA-2 weightings in which the top option is ranked first."""
        rob = self.appraisal.robustness
        if rob is None:
            return None
        share: Any = rob.rank_acceptability.loc[self.top_option, 1]  # a pandas Scalar
        return float(share)

    def weight_set_comparison(self) -> WeightSetComparison:
        """Where the stakeholder sets (and the chosen weights) agree on the top option."""
        sets = {self.appraisal.weights_name: self.appraisal, **self.weight_sets}
        return compare_appraisals(sets)


def _with_extra_options(inputs: ForceInputs, extra: Sequence[AddedOption]) -> ForceInputs:
    """A copy of ``inputs`` with added options (e.g. from the optimiser) appended."""
    options = inputs.options
    deployments = inputs.deployments
    for added in extra:
        row, deps = added.options_row(), added_option_deployments(inputs, added)
        new = {c: row.get(c, options[c].iloc[0] if c == "baseline" else np.nan) for c in options.columns}
        new["baseline"] = False
        for c in ("description",):
            if pd.isna(new.get(c)):
                new[c] = ""
        options = pd.concat([options, pd.DataFrame([new])], ignore_index=True)
        deps = deps.copy()
        deps["option_id"] = row["option_id"]
        deployments = pd.concat([deployments, deps], ignore_index=True)
    options = options.astype(inputs.options.dtypes.to_dict(), errors="ignore")
    return replace(inputs, options=options, deployments=deployments)


def _sub(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    def sub(f: float, msg: str = "") -> None:
        progress(start + (end - start) * max(0.0, min(1.0, f)), msg)

    return sub


def _full_appraisal(
    model: ValueModel,
    weights: Any,
    name: str,
    *,
    samples: int,
    seed: int,
    around_weights: float | None,
    tree: bool = True,
    group_weights: Mapping[str, float] | None = None,
) -> Appraisal:
    """Scores, ranks, sensitivity and (when samples > 0) SMAA-2 under one set of weights.

    ``tree`` False for a stakeholder weight set: those give flat criterion weights.
    ``group_weights``: the branch weights W_g the room set (default: the sheet's).
    """
    app = appraise_with_sensitivity(model, weights, name, tree=tree, group_weights=group_weights)
    w = app.weights.to_numpy()
    if samples > 0:
        app.robustness = smaa(
            model.values, model.active, model.option_ids, model.criterion_ids,
            low=model.low, high=model.high, samples=samples, seed=seed,
            current=w, around=around_weights,
        )
    return app


def run_appraisal(
    inputs: ForceInputs,
    findings: Sequence[Finding] | None,
    *,
    weights: Mapping[str, float] | None = None,
    weight_set: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    around_weights: float | None = None,
    judgement_overrides: JudgementOverrides | None = None,
    extra_options: Sequence[AddedOption] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    coverage: CoverageResult | None = None,
    scenario: str | None = None,
    what_if: bool = True,
    weights_name: str | None = None,
    group_weights: Mapping[str, float] | None = None,
) -> AppraisalRun:
    """Compute coverage (unless given) and appraise every option.

    ``weights`` (criterion_id -> raw swing weight; unlisted criteria weigh 0) overrides
    both the Criteria sheet and ``weight_set``; ``weight_set`` ranks under that
    stakeholder group's weights and raises :class:`UsageError` (exit status 2) for a name
    the workbook does not have. ``coverage`` may be passed to skip recomputing it (it must
    cover the same options, including any ``extra_options``). ``scenario`` makes that
    Scenarios group the main result (UsageError for a name the workbook does not have);
    ``what_if`` False skips the scenario and parameter-sensitivity re-runs (for live views).
    ``weights_name`` names passed-in ``weights`` (e.g. ``describe_weights("Community panel",
    changed_in_room=True)``). ``group_weights`` (branch weights W_g set in the room) go to
    the main appraisal and its what-ifs only: the comparison under the workbook's own
    weights keeps the sheet's tree (docs/appraisal-method.md#value-tree).

    Long because it is one recipe read in order: check the choices, measure, score,
    appraise, compare with the sets and the workbook's weights, re-run the what-ifs.
    """
    progress = progress or no_progress
    _refuse_unknown_choices(inputs, weight_set, around_weights, scenario)
    if extra_options:
        inputs = _with_extra_options(inputs, extra_options)
    workbook_inputs = inputs
    if scenario is not None:
        inputs = apply_overrides(inputs, inputs.scenario(scenario))
        coverage = None  # the scenario's own measures
    check_cancelled(cancelled)
    if coverage is None:
        from desktop_app.core.coverage.engine import compute_coverage

        progress(0.0, "Computing coverage")
        coverage = compute_coverage(inputs, progress=_sub(progress, 0.0, 0.8), cancelled=cancelled,
                                    with_busy_curve=True)  # the summary chart's curves with the measures
    check_cancelled(cancelled)
    progress(0.8, "Scoring options")
    model = build_value_model(inputs, coverage.measures, judgement_overrides)

    if weights is not None:
        weight_set = None
    chosen, name = _chosen_weights(inputs, weights, weight_set, weights_name)
    progress(0.85, "Sensitivity and robustness")
    tree = weights is not None or weight_set is None
    gw = dict(group_weights) if group_weights is not None and model.group_weights is not None and tree else None
    main = _full_appraisal(model, chosen, name, samples=samples, seed=seed, around_weights=around_weights, tree=tree,
                           group_weights=gw)
    check_cancelled(cancelled)

    sets = appraise_weight_sets(model, {n: inputs.weight_set(n) for n in inputs.weight_set_names()})
    workbook_app = appraise_with_sensitivity(model, None, CRITERIA_WEIGHTS) if chosen is not None else None
    what_ifs = _what_ifs(workbook_inputs, main, coverage, WeightsChoice(chosen, name, tree, gw, judgement_overrides),
                         scenario, cancelled, progress) if what_if else ({}, [], None)
    progress(1.0, "Done")
    run_findings = _run_findings(findings, coverage, model, main, sets)
    run_findings += clipping_findings(what_ifs[0], what_ifs[1], run_findings, inputs.option_names())

    return AppraisalRun(
        inputs=inputs,
        findings=run_findings,
        coverage=coverage,
        appraisal=main,
        weight_sets=sets,
        samples=samples,
        seed=seed,
        around_weights=around_weights,
        value_model=model,
        judgement_overrides=dict(judgement_overrides or {}),
        weight_set=weight_set,
        workbook_appraisal=workbook_app,
        scenario=scenario,
        scenarios=what_ifs[0], parameter_sensitivity=what_ifs[1], base_case=what_ifs[2],
        equality=equality_breakdown(inputs, coverage, list(coverage.option_ids)),
    )


def _refuse_unknown_choices(inputs: ForceInputs, weight_set: str | None, around_weights: float | None,
                            scenario: str | None) -> None:
    """A :class:`UsageError` for a weight set or scenario the workbook lacks, or a bad --around-weights."""
    if weight_set is not None and weight_set not in inputs.weight_set_names():
        have = ", ".join(repr(n) for n in inputs.weight_set_names()) or "none"
        raise UsageError(f"unknown weight set {weight_set!r}; the workbook's weight sets are: {have}")
    if around_weights is not None and not 0 <= around_weights <= 1:
        raise UsageError("--around-weights must be between 0 and 1")
    if scenario is not None and scenario not in inputs.scenario_names():
        have = ", ".join(repr(n) for n in inputs.scenario_names()) or "none"
        raise UsageError(f"unknown scenario {scenario!r}; the workbook's scenarios are: {have}")


def _chosen_weights(inputs: ForceInputs, weights: Mapping[str, float] | None, weight_set: str | None,
                    weights_name: str | None) -> tuple[Any, str]:
    """The weights the main result ranks under and their name: given, a weight set's, or the Criteria sheet's (None)."""
    if weights is not None:
        return dict(weights), weights_name or LIVE_WEIGHTS_NAME
    if weight_set is not None:
        return inputs.weight_set(weight_set), describe_weights(weight_set)
    return None, describe_weights()


def _run_findings(findings: Sequence[Finding] | None, coverage: CoverageResult, model: ValueModel, main: Appraisal,
                  sets: Mapping[str, Appraisal]) -> list[Finding]:
    """Every finding of a run, once: the reader's, the coverage's, the model's, then the appraisals'."""
    all_findings = list(findings or []) + list(coverage.findings) + list(model.findings)
    all_findings += main.findings
    for app in sets.values():
        all_findings += [f for f in app.findings if f not in all_findings]
    return _dedupe(all_findings)


def _what_ifs(
    workbook_inputs: ForceInputs,
    main: Appraisal,
    coverage: CoverageResult,
    choice: WeightsChoice,
    scenario: str | None,
    cancelled: CancelledFn | None,
    progress: ProgressFn,
) -> tuple[dict[str, Rerun], list[ParameterSwing], Rerun | None]:
    """Every scenario and every Uncertainty row, ranked under the main appraisal's weights,
    and under a scenario the base case (the workbook as entered) they compare with."""
    if not len(workbook_inputs.scenarios) and not len(workbook_inputs.uncertainty):
        return {}, [], None
    progress(0.9, "Scenarios and parameter sensitivity")
    done = {scenario: Rerun(scenario, workbook_inputs.scenario(scenario), coverage.measures, main)} if scenario else {}
    scenarios = run_scenarios(workbook_inputs, choice, cancelled, done)
    base = None if scenario is None else rerun(workbook_inputs, [], choice)
    base_top = main.top_option if base is None else base.appraisal.top_option
    return scenarios, parameter_sensitivity(workbook_inputs, choice, base_top, cancelled), base


def _dedupe(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def rescore(
    run: AppraisalRun,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    *,
    samples: int = 2000,
    seed: int | None = None,
    around_weights: float | None = None,
    judgement_overrides: JudgementOverrides | None = None,
    group_weights: Mapping[str, float] | None = None,
) -> Appraisal:
    """Re-appraise a finished run under new weights (the live sliders): no coverage rerun.

    Only rebuilds the value scores when ``judgement_overrides`` are given. ``samples``
    defaults to 2,000 SMAA-2 draws, enough for a live view (the figures move by about
    a percentage point between seeds); 0 skips SMAA.
    """
    model = run.value_model
    if model is None or judgement_overrides is not None:
        model = build_value_model(run.inputs, run.coverage.measures, judgement_overrides)
    name = CRITERIA_WEIGHTS if weights is None else LIVE_WEIGHTS_NAME
    if group_weights is not None:
        model = replace(model, group_weights=dict(group_weights))
    return _full_appraisal(model, weights, name, samples=samples,
                           seed=run.seed if seed is None else seed, around_weights=around_weights)


# --------------------------------------------------------------------------- JSON


# The JSON results live in run_json (one module for the document's layout); kept importable
# from here, where the command line and the tests have always found them.
from desktop_app.core.run_json import provenance, results_to_json  # noqa: E402

__all__ = ["AppraisalRun", "provenance", "rescore", "results_to_json", "run_appraisal"]
