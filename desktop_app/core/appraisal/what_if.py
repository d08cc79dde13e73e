"""Scenarios and parameter sensitivity: full re-runs of the appraisal with changed inputs.

docs/appraisal-method.md#scenarios and #parameter-sensitivity. Each re-run recomputes
everything an input can move (coverage measures, local scales, value scores, totals
and ranks), because a busy fraction or a cost changes the measures and the measures
move the local scales: varying only the weights, as one-way sensitivity and SMAA do,
would miss the inputs that actually drive the result (HM Treasury Green Book:
scenario and sensitivity analysis, and switching values).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from desktop_app.core.appraisal.ranking import appraise
from desktop_app.core.appraisal.value_model import build_value_model
from desktop_app.core.appraisal.value_scores import CLIPPED_WORDS
from desktop_app.core.coverage.engine import compute_coverage
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled
from desktop_app.core.results import Appraisal
from desktop_app.core.shown import possessive
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.appraisal_sheets import NO_FIGURE, override_target, workbook_value
from desktop_app.core.workbook.overrides import Override, apply_overrides

#: Halvings of the interval when looking for the value at which the top option changes.
BISECTION_STEPS = 12


@dataclass
class Rerun:
    """One full re-run: its measures (options x measures) and its appraisal (no SMAA)."""

    name: str
    overrides: list[Override]
    measures: pd.DataFrame
    appraisal: Appraisal
    #: The re-run's clipping warnings: an option beyond a given scale's end, its score held there.
    clipped: list[str] = field(default_factory=list)


@dataclass
class WeightsChoice:
    """The weights every re-run ranks under, so re-runs compare like with like."""

    weights: Any
    name: str
    tree: bool = True
    group_weights: Mapping[str, float] | None = None
    judgement_overrides: Mapping[tuple[str, str], Any] | None = None


def rerun(inputs: ForceInputs, overrides: Sequence[Override], choice: WeightsChoice, name: str = "",
          cancelled: CancelledFn | None = None) -> Rerun:
    """The appraisal of the workbook with ``overrides`` applied, from the measures up."""
    check_cancelled(cancelled)
    changed = apply_overrides(inputs, overrides)
    coverage = compute_coverage(changed)
    model = build_value_model(changed, coverage.measures, choice.judgement_overrides)
    app = appraise(model, choice.weights, choice.name, group_weights=choice.group_weights, tree=choice.tree)
    clipped = [f.message for f in model.findings if CLIPPED_WORDS in f.message]
    return Rerun(name, list(overrides), coverage.measures, app, clipped)


def run_scenarios(inputs: ForceInputs, choice: WeightsChoice, cancelled: CancelledFn | None = None,
                  done: Mapping[str, Rerun] | None = None, progress: ProgressFn | None = None) -> dict[str, Rerun]:
    """Every Scenarios group, in workbook order (``done`` holds re-runs already made, e.g. the main one).

    ``progress(fraction, message)`` is told before each re-run (the app's task runner).
    """
    out: dict[str, Rerun] = {}
    names = inputs.scenario_names()
    for i, name in enumerate(names):
        if progress is not None:
            progress(i / max(1, len(names)), f"Scenario {i + 1} of {len(names)}: {name}")
        out[name] = (done or {}).get(name) or rerun(inputs, inputs.scenario(name), choice, name, cancelled)
    return out


#: Parameters in the words a room uses ("the top option changes if the armed response
#: officers' busy fraction exceeds 0.45"); any other name is shown as written.
PARAMETER_WORDS = {
    "busy_fraction_aro": "the armed response officers' busy fraction",
    "busy_fraction_arv": "the ARV crews' busy fraction",
    "mobilisation_minutes_aro": "the armed response officers' mobilisation minutes",
    "mobilisation_minutes_arv": "the ARV crews' mobilisation minutes",
    "target_minutes": "the response target (minutes)",
    "threat_level": "the national threat level",
    "backup_target_minutes": "the second armed officer's target (minutes)",
    "authorisation_minutes": "the authorisation time (minutes)",
    "road_circuity": "the road circuity factor",
    "discount_rate": "the discount rate",
}
_COST_WORDS = {"one_off_cost_gbp": "one-off cost", "annual_cost_gbp": "annual cost"}


def cost_words(column: str) -> str:
    """``one_off_cost_gbp`` -> "one-off cost": an option's cost column in words."""
    return _COST_WORDS.get(column, column)


def parameter_words(name: str, option_names: Mapping[str, str] | None = None) -> str:
    """``busy_fraction_aro`` -> "the armed response officers' busy fraction"; ``OPT3.one_off_cost_gbp`` -> "OPT3's one-off cost".

    ``option_names`` (ID -> name) names an option's cost by the option, as a reader knows
    it: "New rural ARV base at Fellbeck's one-off cost".
    """
    target = override_target(name)
    if target is None:
        return name
    column, option = target
    if option is not None:
        return f"{possessive((option_names or {}).get(option, option))} {cost_words(column)}"
    return PARAMETER_WORDS.get(column, column)


def override_words(name: str, value: object, option_names: Mapping[str, str] | None = None) -> str:
    """One scenario change in words: "the ARV crews' busy fraction set to 0.45", "... one-off cost set to £1,500,000"."""
    if name.endswith("_gbp") and isinstance(value, int | float):
        shown = _money(float(value))
    else:  # 15.0 minutes reads as 15, as the workbook shows it
        shown = f"{value:g}" if isinstance(value, float) else f"{value}"
    # "the national threat level set to SEVERE" had read as if the threat were modelled;
    # it names the results and moves no figure (a panel member's review).
    label = " (a label: it changes no figure)" if NO_FIGURE.get(name) == "a label" else ""
    return f"{parameter_words(name, option_names)} set to {shown}{label}"


@dataclass
class ParameterSwing:
    """One Uncertainty row: the appraisal at its low and its high end, and where the top option changes."""

    parameter: str
    value: float
    low: float
    high: float
    totals_low: pd.Series
    totals_high: pd.Series
    top_low: str
    top_high: str
    base_top: str
    #: The value beyond which the top option is no longer ``base_top`` (None when it never changes).
    switch_low: float | None = None
    switch_high: float | None = None
    #: Clipping warnings of the re-runs at the low and the high end (:attr:`Rerun.clipped`).
    clipped_low: list[str] = field(default_factory=list)
    clipped_high: list[str] = field(default_factory=list)

    def sentence(self, label: str | None = None, option_names: Mapping[str, str] | None = None) -> str:
        """The line in words, e.g. "the top option changes if busy_fraction_arv exceeds 0.45".

        Costs are given in pounds to the nearest £1,000, as a person reads them. ``label``
        names the parameter instead of its workbook name (the app passes
        :func:`parameter_words`: "the armed response officers' busy fraction"), and
        ``option_names`` (ID -> name) the options instead of their codes; the command
        line passes neither, for the analyst who reads the workbook's names.
        """
        name = label or self.parameter
        names = option_names or {}
        base, high, low = (names.get(o, o) for o in (self.base_top, self.top_high, self.top_low))
        _fmt = _money if self.parameter.endswith("_gbp") else _plain
        parts = []
        if self.switch_high is not None:
            parts.append(f"the top option changes from {base} to {high} if {name} exceeds "
                         f"{_fmt(self.switch_high)} (the workbook has {_fmt(self.value)})")
        if self.switch_low is not None:
            parts.append(f"the top option changes from {base} to {low} if {name} falls below "
                         f"{_fmt(self.switch_low)} (the workbook has {_fmt(self.value)})")
        if not parts:
            return (f"The top option stays {base} for {name} anywhere from {_fmt(self.low)} "
                    f"to {_fmt(self.high)}.")
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."

    def in_words(self, option_names: Mapping[str, str] | None = None) -> str:
        """The sentence as the app and the summary give it: the parameter and options by name."""
        return self.sentence(parameter_words(self.parameter, option_names), option_names)


def _plain(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _money(x: float) -> str:
    """Pounds to the nearest £1,000 from £100,000 up, else to the pound.

    Rounding every figure to thousands had a scenario's £500 one-off cost read "set to £0".
    """
    return f"£{round(x, -3) if abs(x) >= 100_000 else round(x):,.0f}"


def _is_integer(parameter: str) -> bool:
    target = override_target(parameter)
    if target is None or target[1] is not None:
        return False
    return schema.PARAMETERS_BY_NAME[target[0]].kind is schema.Kind.INTEGER


def _switch(top_at: Callable[[float], str], base_top: str, inside: float, outside: float, integer: bool) -> float:
    """Bisect between a value where ``base_top`` is first and one where it is not; returns the first 'not' end."""
    a, b = inside, outside
    for _ in range(BISECTION_STEPS):
        if integer and abs(b - a) <= 1:
            break
        mid = (a + b) / 2
        if integer:
            mid = float(math.floor(mid) if b > a else math.ceil(mid))
            if mid in (a, b):
                break
        if top_at(mid) == base_top:
            a = mid
        else:
            b = mid
    return b


def parameter_sensitivity(inputs: ForceInputs, choice: WeightsChoice, base_top: str,
                          cancelled: CancelledFn | None = None,
                          progress: ProgressFn | None = None) -> list[ParameterSwing]:
    """Each Uncertainty row: full re-runs at low and high, and the switching value by bisection."""
    out: list[ParameterSwing] = []
    n_rows = len(inputs.uncertainty)
    for i, (name, low, high) in enumerate(zip(inputs.uncertainty["parameter"], inputs.uncertainty["low"],
                                              inputs.uncertainty["high"], strict=True)):
        if progress is not None:
            progress(i / max(1, n_rows), f"Uncertainty row {i + 1} of {n_rows}: {name}")
        target = override_target(str(name))
        if target is None:
            continue
        value = float(workbook_value(target, inputs.parameters, inputs.options))  # type: ignore[arg-type]
        integer = _is_integer(str(name))

        def at(x: float, name: str = str(name), integer: bool = integer) -> Rerun:
            return rerun(inputs, [(name, int(round(x)) if integer else float(x))], choice, name, cancelled)

        lo_run, hi_run = at(float(low)), at(float(high))
        swing = ParameterSwing(str(name), value, float(low), float(high), lo_run.appraisal.totals,
                               hi_run.appraisal.totals, lo_run.appraisal.top_option, hi_run.appraisal.top_option,
                               base_top, clipped_low=lo_run.clipped, clipped_high=hi_run.clipped)

        def top_at(x: float, at: Callable[[float], Rerun] = at) -> str:
            return at(x).appraisal.top_option

        if swing.top_high != base_top and high > value:
            swing.switch_high = _switch(top_at, base_top, value, float(high), integer)
        if swing.top_low != base_top and low < value:
            swing.switch_low = _switch(top_at, base_top, value, float(low), integer)
        out.append(swing)
    return out


def tornado_bars(swings: Sequence[ParameterSwing], option_id: str, base: float) -> list[tuple[str, float, float]]:
    """(parameter, total at low, total at high) for one option, widest swing from ``base`` first.

    The bars of a tornado chart (docs/appraisal-method.md#parameter-sensitivity). Rows where
    the option was not ranked at an end (awaiting scores) are left out.
    """
    rows = [(s.parameter, float(s.totals_low[option_id]), float(s.totals_high[option_id])) for s in swings
            if option_id in s.totals_low.index and option_id in s.totals_high.index]
    return sorted(rows, key=lambda r: -max(abs(r[1] - base), abs(r[2] - base)))


def clipping_findings(scenarios: Mapping[str, Rerun], swings: Sequence[ParameterSwing], already: Sequence[Finding],
                      option_names: Mapping[str, str] | None = None) -> list[Finding]:
    """A warning for each clipping the what-if re-runs met that the main run did not.

    Why: at the high end of Fellbeck's one-off cost the sample's new base cost £6.65m, past
    the cost scale's £6m worst, so its score was held at 0 and the tornado showed it
    falling 0.2 points where an unclipped scale gives about 1.7, with nothing said in the
    Validation sheet (a panel member's review; docs/appraisal-method.md#parameter-sensitivity).
    """
    seen = {f.message for f in already}
    out: list[Finding] = []

    def add(sheet: str, column: str | None, where: str, messages: Sequence[str]) -> None:
        for m in messages:
            if m in seen:
                continue
            seen.add(m)
            out.append(Finding("warning", sheet, None, column,
                               f"{where}: {m}; the change there is understated"))

    for name, r in scenarios.items():
        add("Scenarios", None, f"In scenario '{name}'", r.clipped)
    for s in swings:
        words = parameter_words(s.parameter, option_names)
        fmt_ = _money if s.parameter.endswith("_gbp") else _plain
        add("Uncertainty", "low", f"At the low end of {words} ({fmt_(s.low)})", s.clipped_low)
        add("Uncertainty", "high", f"At the high end of {words} ({fmt_(s.high)})", s.clipped_high)
    return out
