"""What else the optimiser's answer changes: a second armed officer and the officers it needs.

The optimiser maximises one measure. Three single-crewed armed response officer posts
far apart can add seven points of threat cover and no second armed officer anywhere,
while needing 16.5 more officers, who would work alone. A chief officer reading "+6.8
points" needs those two figures beside it before the answer goes to the room, so the
command line and the Optimiser view print them (docs/measures.md#where-to-arm-officers-the-optimiser).
They are the appraisal's own measures (``backup_coverage``, ``officers_required``) of the
baseline and of the baseline plus the chosen posts, computed by the coverage engine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from desktop_app.core.added_option import optimiser_option
from desktop_app.core.coverage.engine import compute_coverage
from desktop_app.core.model import ForceInputs
from desktop_app.core.results import OptionCoverage
from desktop_app.core.shown import difference, percent

#: The option id the answer is computed under (never shown; not in the workbook).
_ANSWER = "__optimiser_answer__"


@dataclass(frozen=True)
class SideEffects:
    """The baseline's and the answer's second-officer cover and force officers (FTE)."""

    backup_target: float
    backup_before: float
    backup_after: float
    officers_before: float
    officers_after: float
    #: The answer's week cover (per area and hour), which the Optimiser view maps: computed
    #: here once, not again for the map.
    answer: OptionCoverage | None = field(default=None, compare=False, repr=False)

    @property
    def backup_gain(self) -> float:
        """The second-officer gain in points, of the two figures as shown."""
        return difference(100 * self.backup_after, 100 * self.backup_before)

    def figures(self) -> list[str]:
        """The two figures, before and after, as the command line prints them."""
        return [
            f"second armed officer within {self.backup_target:g} min, allowing for busy units: "
            f"{percent(self.backup_before, 1)} -> "
            f"{percent(self.backup_after, 1)} ({self.backup_gain:+.1f} percentage points)",
            f"force's own armed officers: {self.officers_before:.1f} -> {self.officers_after:.1f} FTE "
            f"({difference(self.officers_after, self.officers_before):+.1f})",
        ]

    def warning(self) -> str:
        """A warning where the answer brings a second armed officer to no more residents ("" otherwise)."""
        if self.backup_gain > 0:
            return ""
        return (f"the added posts bring a second armed officer within {self.backup_target:g} min to no more "
                "residents than the baseline does")

    def lines(self) -> list[str]:
        """The figures, then the warning if there is one."""
        warning = self.warning()
        return self.figures() + ([warning] if warning else [])


def side_effects(inputs: ForceInputs, sites: list[str], asset_type: str) -> SideEffects:
    """The baseline and the baseline plus one post of ``asset_type`` at each of ``sites``.

    Only the baseline is computed with the answer (the workbook's other options play no
    part), so nationally this costs two options' coverage, not eleven.
    """
    base_id = inputs.baseline_id
    opts = inputs.options
    deps = inputs.deployments
    only_base = dataclasses.replace(
        inputs,
        options=opts[opts["option_id"].astype(str) == base_id].reset_index(drop=True),
        deployments=deps[deps["option_id"].astype(str) == base_id].reset_index(drop=True),
    )
    answer = optimiser_option(sites, asset_type, _ANSWER, include_baseline=True)
    cov = compute_coverage(only_base, extra_options=[answer])
    m = cov.measures
    backup = m["backup_coverage"].to_numpy(float)
    officers = m["officers_required"].to_numpy(float)
    base, after = m.index.get_loc(base_id), m.index.get_loc(_ANSWER)
    return SideEffects(
        backup_target=float(inputs.parameters.backup_target_minutes),
        backup_before=float(backup[base]),
        backup_after=float(backup[after]),
        officers_before=float(officers[base]),
        officers_after=float(officers[after]),
        answer=cov.options[_ANSWER],
    )
