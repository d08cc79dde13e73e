"""The "model against last year" panel: observed against modelled cover of past incidents.

A chief officer's first question of any model is whether it matches what happened.
The panel states, for the baseline, the share of last year's incidents the first
armed officer reached within target and the share the model expects for the same
incidents (docs/measures.md#against-past-incidents), overall and for rural and
urban areas, and says plainly whether the gap is within what chance alone gives.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.core.coverage.incident_verdict import verdict
from desktop_app.core.shown import difference, percent


def _pct(x: Any) -> str:
    return "-" if x is None else percent(float(x), 1)


def describe_check(check: dict[str, Any] | None, target: float, baseline: str = "baseline") -> str:
    """The panel's text (rich text), or how to get a check when there are no observed times.

    It names the baseline option, gives each comparison's chance margin (how far apart
    observed and modelled could be by chance alone if the model were right: a few dozen
    rural incidents cannot tell five points apart, 18,000 can tell one) and says whether
    the gap is within it (core/coverage/incident_verdict.py).
    """
    if not check or not check.get("incidents"):
        return ("<b>Model against last year:</b> no incidents with observed response times. Add last "
                "year's armed incidents (Incidents sheet, with <i>first_armed_minutes</i>) to check the "
                "model against what actually happened.")
    obs, mod = float(check["observed_within_target"]), float(check["modelled_within_target"])
    n = int(check["incidents"])
    overall = verdict(check)
    if overall is None:
        said = f"{abs(difference(100 * mod, 100 * obs)):.1f} points apart"
    elif overall.kind == "consistent":
        said = (f"consistent with what happened ({abs(overall.gap_points):.1f} points apart, "
                f"within ±{overall.margin_points:.1f} by chance)")
    else:
        said = (f"{overall.words} by {abs(overall.gap_points):.1f} points, beyond the ±{overall.margin_points:.1f} "
                "chance alone gives: check busy fractions, mobilisation and travel times")
    parts: list[str] = []
    for name in ("rural", "urban"):
        sub = check.get(name) or {}
        v = verdict(sub)
        if v is not None:
            first = not parts  # the first says what its figures are; the second is read by it
            within = "within" if v.kind == "consistent" else "beyond"
            parts.append(f"{name.capitalize() if first else name} {_pct(sub['observed_within_target'])}"
                         f"{' observed' if first else ''}, {_pct(sub['modelled_within_target'])}"
                         f"{' modelled' if first else ''}, {within} ±{v.margin_points:.1f} "
                         f"({sub['incidents']}{' incidents' if first else ''})")
    by_area = f" {'; '.join(parts)}." if parts else ""
    return (f"<b>Model against last year</b> ({escape(baseline)}, the baseline): <b>{_pct(obs)}</b> of {n} past "
            f"incidents with a recorded time had an armed officer on scene within {target:g} minutes; the model "
            f"expects <b>{_pct(mod)}</b> for the same incidents: {said}.{by_area}")


class IncidentPanel(QFrame):
    """A framed line of text under the Coverage view's summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAccessibleName("Model against last year's incidents")
        # Why its modelled share is not incident_coverage (the Optimiser's, the Simulation
        # view's analytic figure): docs/measures.md#against-past-incidents.
        self.label.setToolTip(
            "The modelled share takes each past incident at its own area and hour, and only those with a "
            "recorded time, so both figures are of the same incidents. It differs from incident cover "
            "(the Optimiser's and the Simulation view's analytic figure), which weights areas by their "
            "incidents and hours by the workbook's hour weighting. Each ± is a 95% chance margin, in "
            "points: how far apart the observed and modelled shares could be by chance alone if the model "
            "were right, from the modelled chance of each of the same incidents.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label)

    def show_check(self, check: dict[str, Any] | None, target: float, baseline: str = "baseline") -> None:
        self.label.setText(describe_check(check, target, baseline))
