"""From validated inputs to a complete appraisal run, and the JSON results (docs/command-line.md#json-results).

:func:`run_appraisal` is the one path every front end takes (command line, desktop
app, summary export): coverage -> value model -> scores and ranks -> one-way
sensitivity -> SMAA-2 -> every stakeholder weight set. :func:`rescore` re-uses a
run's coverage and value scores for the desktop sliders, so moving a weight costs
milliseconds, not a coverage recomputation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from desktop_app import __version__
from desktop_app.core.added_option import AddedOption, added_option_deployments
from desktop_app.core.appraisal.live import (
    LIVE_WEIGHTS_NAME,
    appraise_weight_sets,
    appraise_with_sensitivity,
)
from desktop_app.core.appraisal.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, smaa
from desktop_app.core.appraisal.value_model import (
    CRITERIA_WEIGHTS,
    ValueModel,
    build_value_model,
)
from desktop_app.core.appraisal.weight_sets import WeightSetComparison, compare_appraisals
from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.errors import UsageError
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.results import Appraisal, CoverageResult
from desktop_app.core.workbook.schema import MEASURES

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
) -> Appraisal:
    """Scores, ranks, sensitivity and (when samples > 0) SMAA-2 under one set of weights."""
    app = appraise_with_sensitivity(model, weights, name)
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
    weights_name: str | None = None,
) -> AppraisalRun:
    """Compute coverage (unless given) and appraise every option.

    ``weights`` (criterion_id -> raw swing weight; unlisted criteria weigh 0) overrides
    both the Criteria sheet and ``weight_set``; ``weight_set`` ranks under that
    stakeholder group's weights and raises :class:`UsageError` (exit status 2) for a name
    the workbook does not have. ``coverage`` may be passed to skip recomputing it (it must
    cover the same options, including any ``extra_options``). ``weights_name`` names passed-in
    ``weights`` (e.g. ``describe_weights("Community panel", changed_in_room=True)``).
    """
    progress = progress or no_progress
    if weight_set is not None and weight_set not in inputs.weight_set_names():
        have = ", ".join(repr(n) for n in inputs.weight_set_names()) or "none"
        raise UsageError(f"unknown weight set {weight_set!r}; the workbook's weight sets are: {have}")
    if around_weights is not None and not 0 <= around_weights <= 1:
        raise UsageError("--around-weights must be between 0 and 1")
    if extra_options:
        inputs = _with_extra_options(inputs, extra_options)
    check_cancelled(cancelled)
    if coverage is None:
        from desktop_app.core.coverage.engine import compute_coverage

        progress(0.0, "Computing coverage")
        coverage = compute_coverage(inputs, progress=_sub(progress, 0.0, 0.8), cancelled=cancelled)
    check_cancelled(cancelled)
    progress(0.8, "Scoring options")
    model = build_value_model(inputs, coverage.measures, judgement_overrides)

    if weights is not None:
        chosen: Any = dict(weights)
        name = weights_name or LIVE_WEIGHTS_NAME
        weight_set = None
    elif weight_set is not None:
        chosen, name = inputs.weight_set(weight_set), describe_weights(weight_set)
    else:
        chosen, name = None, describe_weights()
    progress(0.85, "Sensitivity and robustness")
    main = _full_appraisal(model, chosen, name, samples=samples, seed=seed, around_weights=around_weights)
    check_cancelled(cancelled)

    sets = appraise_weight_sets(model, {n: inputs.weight_set(n) for n in inputs.weight_set_names()})
    workbook_app = None
    if chosen is not None:
        workbook_app = appraise_with_sensitivity(model, None, CRITERIA_WEIGHTS)
    progress(1.0, "Done")

    all_findings = list(findings or []) + list(coverage.findings) + list(model.findings)
    all_findings += main.findings
    for app in sets.values():
        all_findings += [f for f in app.findings if f not in all_findings]
    return AppraisalRun(
        inputs=inputs,
        findings=_dedupe(all_findings),
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
    )


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
    return _full_appraisal(model, weights, name, samples=samples,
                           seed=run.seed if seed is None else seed, around_weights=around_weights)


# --------------------------------------------------------------------------- JSON


def _num(value: Any) -> float | int | None:
    """A JSON-safe number: infinite and NaN become null (docs/command-line.md#json-results)."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _incident_json(check: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The check against past incidents (docs/measures.md#against-past-incidents), JSON-safe."""
    if check is None:
        return None
    out: dict[str, Any] = {k: _num(check[k]) for k in ("incidents", "observed_within_target", "modelled_within_target")}
    for part in ("rural", "urban"):
        out[part] = {k: _num(check[part][k]) for k in ("incidents", "observed_within_target", "modelled_within_target")}
    return out


def results_to_json(run: AppraisalRun) -> dict[str, Any]:
    """The JSON results object of docs/command-line.md#json-results (dump with ``allow_nan=False``).

    Key order is fixed and every float is a plain Python float, so the same workbook
    and seed give byte-identical output.
    """
    app = run.appraisal
    measures = run.coverage.measures
    options = []
    for oid, name in zip(run.inputs.options["option_id"], run.inputs.options["option_name"], strict=True):
        oid = str(oid)
        meas = {m: (_num(measures.at[oid, m]) if (oid in measures.index and m in measures.columns) else None)
                for m in MEASURES}
        options.append({
            "option_id": oid,
            "option_name": str(name),
            "measures": meas,
            "values": {c: _num(v) for c, v in app.values.loc[oid].items()},
            "total_value": _num(app.totals[oid]),
            "rank": int(app.ranks[oid]),
        })
    sens = [{"criterion_id": s.criterion_id, "switch_points": [_num(x) for x in s.switch_points]}
            for s in app.sensitivity]
    rob = app.robustness
    robustness: dict[str, Any] = {"rank_acceptability": {}, "central_weights": {}, "confidence_factor": {}}
    if rob is not None:
        robustness = {
            "rank_acceptability": {str(o): [_num(x) for x in row]
                                   for o, row in zip(rob.rank_acceptability.index, rob.rank_acceptability.to_numpy(), strict=True)},
            "central_weights": {str(o): {str(c): _num(w) for c, w in row.items()}
                                for o, row in rob.central_weights.iterrows()},
            "confidence_factor": {str(o): _num(c) for o, c in rob.confidence_factor.items()},
        }
    sets = {
        name: [{"option_id": str(o), "total_value": _num(a.totals[o]), "rank": int(a.ranks[o])}
               for o in a.totals.index]
        for name, a in run.weight_sets.items()
    }
    return {
        "options": options,
        "weights": {str(c): _num(w) for c, w in app.weights.items()},
        "sensitivity": sens,
        "robustness": robustness,
        "weight_sets": sets,
        "incident_validation": _incident_json(run.coverage.incident_validation),
        "provenance": provenance(run),
        "validation": [f.to_json() for f in run.findings],
    }


def provenance(run: AppraisalRun) -> dict[str, Any]:
    """Where the figures came from (docs/summary-workbook.md#provenance): the input's
    SHA-256, the tool version, the weight set and scenario used, SMAA samples and seed.

    The summary workbook prints the same facts, so a JSON file and a printed page can be
    matched to each other and to the input they came from.
    """
    return {
        "input_sha256": str(run.inputs.sha256),
        "tool_version": __version__,
        "weight_set": run.weight_set,
        "scenario": run.scenario,
        "samples": int(run.samples),
        "seed": int(run.seed),
    }
