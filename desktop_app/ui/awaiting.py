"""Which options are awaiting scores, in the one sentence every view shows.

docs/appraisal-method.md#awaiting-scores: an option without a score on some judgement
criterion (one added in the workshop) is measured but left out of the ranking, SMAA-2
and the weight-set comparison until the room scores it. The core decides who awaits
(the live appraisal ranks only scored options); this module only words it, so the
ranking, value for money, the weight-set comparison and the what-if views say the same.
"""

from __future__ import annotations

from html import escape as esc  # option names are workbook or room text, never markup
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.ui.state import AppState


def awaiting_options(state: AppState) -> list[str]:
    """Options on the table that the live appraisal does not rank (awaiting scores), in option order."""
    app = state.appraisal
    if app is None:
        return []
    return [o for o in state.option_ids() if o not in app.totals.index]


def awaiting_sentence(state: AppState, *, rich: bool = True) -> str:
    """"Awaiting scores (not ranked until ...): NAME." or "" when every option is scored."""
    waiting = awaiting_options(state)
    if not waiting:
        return ""
    names = state.option_names()
    listed = ", ".join(names.get(o, o) for o in waiting)
    head = "Awaiting scores"
    tail = " (not ranked until the workshop scores every judgement criterion on the Judgements view): "
    if rich:
        return f"<b>{head}</b>{esc(tail)}{esc(listed)}."
    return f"{head}{tail}{listed}."
