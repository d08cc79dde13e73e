"""The one wording for whose weights a result is under, used by every view and output.

A panel must never be told the force prefers an option that only a stakeholder group
prefers, so the app's header, the Appraisal view, workshop mode, the summary workbook
and the JSON ``provenance`` all name the weights with :func:`describe_weights`
(docs/summary-workbook.md#whose-weights).
"""

from __future__ import annotations

#: The Criteria sheet's own swing weights, untouched (named with the workbook's codes,
#: whose reader warns of a weight set that takes the name).
from desktop_app.core.workbook.codes import WORKBOOK_WEIGHTS

__all__ = ["WORKBOOK_WEIGHTS", "describe_weights"]


def describe_weights(weight_set: str | None = None, *, changed_in_room: bool = False) -> str:
    """Name the weights in use, in the words every output uses.

    ``weight_set`` is the WeightSets group the weights came from (``None``: the Criteria
    sheet's weights). ``changed_in_room`` is true once the workshop has moved any weight
    away from that source, so the name says so rather than claiming the source's authority.

    >>> describe_weights()
    'Workbook weights'
    >>> describe_weights("Community panel")
    'Community panel'
    >>> describe_weights("Community panel", changed_in_room=True)
    'Weights set in the workshop, from Community panel'
    >>> describe_weights(None, changed_in_room=True)
    'Weights set in the workshop, from the workbook weights'
    """
    source = weight_set if weight_set else None
    if not changed_in_room:
        return source if source is not None else WORKBOOK_WEIGHTS
    return f"Weights set in the workshop, from {source if source is not None else 'the workbook weights'}"
