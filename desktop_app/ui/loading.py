"""The background jobs behind Open, re-run and Export, as plain functions.

Each runs in a worker thread (never touching Qt) and chains the core's engines with
one progress bar: reading takes the first part, coverage and the appraisal the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES
from desktop_app.core.model import ReadResult
from desktop_app.core.progress import check_cancelled

if TYPE_CHECKING:
    from desktop_app.core.added_option import AddedOption
    from desktop_app.ui.state import AppState

#: SMAA-2 draws in the app: the command line's default, seeded, so figures match the CLI
#: (docs/appraisal-method.md#4-robustness-smaa-2).
GUI_SAMPLES = DEFAULT_SAMPLES

Progress = Callable[[float, str], None]
IsCancelled = Callable[[], bool]


@dataclass
class Loaded:
    """What opening a workbook produced: always a ReadResult; a run when it was valid."""

    read_result: ReadResult
    run: Any = None
    raw_sheets: dict[str, tuple[pd.DataFrame, list[int]]] = field(default_factory=dict)


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    def report(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * max(0.0, min(1.0, fraction)), message)

    return report


def load(path: Path, *, samples: int = GUI_SAMPLES, progress: Progress, cancelled: IsCancelled) -> Loaded:
    """Read and validate ``path``; if valid, compute coverage and the appraisal."""
    from desktop_app.core.workbook.reader import read_workbook

    progress(0.0, f"Reading {path.name}…")
    result = read_workbook(path, progress=_scaled(progress, 0.0, 0.3), cancelled=cancelled)
    check_cancelled(cancelled)
    if result.inputs is None or result.errors:
        from desktop_app.ui.raw_sheets import read_raw_sheets

        return Loaded(result, None, read_raw_sheets(path))
    run = _run(result, [], samples, _scaled(progress, 0.3, 1.0), cancelled)
    progress(1.0, "Done")
    return Loaded(result, run)


def rerun(result: ReadResult, extra: list[AddedOption], *, samples: int = GUI_SAMPLES,
          progress: Progress, cancelled: IsCancelled) -> Any:
    """Re-run coverage and the appraisal with added options."""
    return _run(result, extra, samples, progress, cancelled)


def _run(result: ReadResult, extra: list[AddedOption], samples: int, progress: Progress, cancelled: IsCancelled) -> Any:
    from desktop_app.core.pipeline import run_appraisal

    kwargs: dict[str, Any] = {"samples": samples, "progress": progress, "cancelled": cancelled}
    if extra:
        kwargs["extra_options"] = list(extra)
    progress(0.0, "Computing coverage and the appraisal…")
    assert result.inputs is not None  # callers appraise only a workbook that read without errors
    return run_appraisal(result.inputs, result.findings, **kwargs)


def judgement_edits_for(state: AppState) -> list[dict[str, Any]]:
    """The workshop's judgement changes as ``write_summary`` takes them (GUI thread)."""
    from desktop_app.ui.judgement_editor import judgement_edits_for_export

    return list(judgement_edits_for_export(state))


def run_for_export(run: Any, findings: list[Any], weights: dict[str, float] | None,
                   overrides: dict[tuple[str, str], float], *, weights_name: str | None = None,
                   weight_set: str | None = None, value_point_edits: list[Any] | None = None,
                   group_weights: dict[str, float] | None = None) -> Any:
    """The run as the screen shows it: the live weights, branch weights, judgement edits and value functions applied.

    Re-uses the run's coverage, so this costs an appraisal (with SMAA-2), not a coverage
    recomputation. With the workbook's own weights and no edits the run is used as is.
    ``weight_set`` (a WeightSets group the screen's weights equal) or ``weights_name``
    (``describe_weights``' name for ``weights``) say whose weights the summary shows.
    ``value_point_edits`` (:class:`~desktop_app.core.session.records.ValuePointsEdit`) are the
    value functions the workshop set: scored as if the Criteria sheet said so, and recorded.
    """
    edits = list(value_point_edits or [])
    if weights is None and weight_set is None and not overrides and not edits and group_weights is None:
        return run
    from desktop_app.core.appraisal.value_functions import with_value_points
    from desktop_app.core.pipeline import run_appraisal

    inputs = with_value_points(run.inputs, {e.criterion_id: e.points for e in edits})
    # The branch sliders' W_g go to the appraisal shown, not into the inputs: the paper's
    # "Workbook weights" comparison keeps the CriteriaGroups sheet's (docs/appraisal-method.md#value-tree).
    gw = None
    if group_weights is not None and inputs.has_value_tree:
        gw = {str(g): float(group_weights.get(str(g), w))
              for g, w in zip(inputs.criteria_groups["group"], inputs.criteria_groups["weight"], strict=True)}
    out = run_appraisal(inputs, findings, weights=weights, weight_set=weight_set if weights is None else None,
                        samples=run.samples, seed=run.seed, around_weights=run.around_weights,
                        judgement_overrides=overrides or None, coverage=run.coverage,
                        weights_name=weights_name, group_weights=gw)
    out.value_point_edits = [e.to_json() for e in edits]
    return out


def export_summary(run: Any, path: Path, *, judgement_edits: list[dict[str, Any]] | None,
                   progress: Progress, cancelled: IsCancelled, public: bool = False) -> Path:
    """Write the summary workbook for ``run`` (``public``: the version for publication)."""
    from desktop_app.core.export import write_summary

    written = write_summary(run, path, judgement_edits=judgement_edits or None,
                            progress=progress, cancelled=cancelled, public=public)
    return Path(written) if written else path
