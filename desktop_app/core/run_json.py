"""The JSON results document of an appraisal run (docs/command-line.md#json-results).

Kept apart from the pipeline that computes the run: this module only lays the run's
figures out, in a fixed key order with every number a plain finite float (or null), so the
same workbook and seed give byte-identical output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop_app import __version__
from desktop_app.core.appraisal.results_json import (
    equality_json,
    json_number,
    parameter_sensitivity_json,
    scales_json,
    scenarios_json,
)
from desktop_app.core.workbook.schema import MEASURES

if TYPE_CHECKING:
    from desktop_app.core.pipeline import AppraisalRun

_num = json_number  # one rule for every number in the JSON


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
    options: list[dict[str, Any]] = []
    for oid, name in zip(run.inputs.options["option_id"], run.inputs.options["option_name"], strict=True):
        oid = str(oid)
        meas = {m: (_num(measures.at[oid, m]) if (oid in measures.index and m in measures.columns) else None)
                for m in MEASURES}
        if oid not in app.totals.index:  # awaiting scores: measured, but neither scored nor ranked
            options.append({"option_id": oid, "option_name": str(name), "measures": meas,
                            "values": {str(c): None for c in app.values.columns}, "total_value": None,
                            "benefit_value": None, "rank": None, "awaiting_scores": True})
            continue
        options.append({
            "option_id": oid,
            "option_name": str(name),
            "measures": meas,
            "values": {c: _num(v) for c, v in app.values.loc[oid].items()},
            "total_value": _num(app.totals[oid]),
            "benefit_value": _num(app.benefit_value[oid]) if app.benefit_value is not None else None,
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
        "group_weights": {str(g): _num(w) for g, w in app.group_weights.items()},
        "scales": scales_json(run.value_model),
        "efficient_frontier": run.efficient_frontier,
        "sensitivity": sens,
        "robustness": robustness,
        "weight_sets": sets,
        "scenarios": scenarios_json(run.scenarios),
        "parameter_sensitivity": parameter_sensitivity_json(run.parameter_sensitivity),
        "equality": equality_json(run.equality),
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
