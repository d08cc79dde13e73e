"""The "model against last year" panel: observed against modelled cover of past incidents.

A chief officer's first question of any model is whether it matches what happened.
The panel states, for the baseline, the share of last year's incidents the first
armed officer reached within target and the share the model expects for the same
incidents (docs/measures.md#against-past-incidents), overall and for rural and
urban areas, and says plainly whether the two agree.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.core.shown import difference, percent

#: Observed and modelled shares within this many percentage points "agree" in the wording.
AGREE_POINTS = 5.0


def _pct(x: Any) -> str:
    return "-" if x is None else percent(float(x), 1)


def chance_margin(share: float, n: int) -> float:
    """The 95% margin of an observed share of ``n`` incidents, in percentage points
    (1.96 x sqrt(p(1 - p) / n), the normal approximation to the binomial): how far the
    observed share could fall from the true one by chance alone. With 41 incidents and
    24.4% observed: 1.96 x sqrt(0.244 x 0.756 / 41) = 13.1 points."""
    if n <= 0:
        return float("nan")
    return 196.0 * (share * (1.0 - share) / n) ** 0.5


def describe_check(check: dict[str, Any] | None, target: float, baseline: str = "baseline") -> str:
    """The panel's text (rich text), or how to get a check when there are no observed times.

    It names the baseline option, gives the chance margin of each area type's observed
    share (a few dozen rural incidents cannot tell five points apart), and says what an
    agreement means for the decision.
    """
    if not check or not check.get("incidents"):
        return ("<b>Model against last year:</b> no incidents with observed response times. Add last "
                "year's armed incidents (Incidents sheet, with <i>first_armed_minutes</i>) to check the "
                "model against what actually happened.")
    obs, mod = float(check["observed_within_target"]), float(check["modelled_within_target"])
    gap = difference(100 * mod, 100 * obs)  # of the two figures shown
    # "Agrees" is a check passed, not proof: a few hundred incidents leave the observed share
    # several points from the true one by chance alone, and the panel says how many.
    n = int(check["incidents"])
    verdict = (f"consistent with what happened (within {AGREE_POINTS:g} points; "
               f"±{chance_margin(obs, n):.0f} by chance alone)"
               if abs(gap) <= AGREE_POINTS else
               f"{'more optimistic' if gap > 0 else 'more pessimistic'} than what happened "
               f"by {abs(gap):.1f} points: check busy fractions, mobilisation and travel times")
    parts: list[str] = []
    for name in ("rural", "urban"):
        sub = check.get(name) or {}
        if sub.get("incidents"):
            margin = chance_margin(float(sub["observed_within_target"]), int(sub["incidents"]))
            first = not parts  # the first says what its figures are; the second is read by it
            parts.append(f"{name.capitalize() if first else name} {_pct(sub['observed_within_target'])} "
                         f"±{margin:.0f} {'observed against' if first else 'against'} "
                         f"{_pct(sub['modelled_within_target'])}{' modelled' if first else ''} "
                         f"({sub['incidents']}{' incidents' if first else ''})")
    by_area = f" {'; '.join(parts)}." if parts else ""
    return (f"<b>Model against last year</b> ({escape(baseline)}, the baseline): <b>{_pct(obs)}</b> of {n} past "
            f"incidents with a recorded time had an armed officer on scene within {target:g} minutes; the model "
            f"expects <b>{_pct(mod)}</b> for the same incidents: {verdict}.{by_area}")


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
            "incidents and hours by the workbook's hour weighting. Each ± is the observed share's 95% "
            "chance margin, in points: how far it could be from the true share by chance alone.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label)

    def show_check(self, check: dict[str, Any] | None, target: float, baseline: str = "baseline") -> None:
        self.label.setText(describe_check(check, target, baseline))
