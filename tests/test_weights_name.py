"""One wording for whose weights are in use (docs/summary-workbook.md#whose-weights)."""

from __future__ import annotations

import doctest

from desktop_app.core.appraisal import weights_name
from desktop_app.core.appraisal.weights_name import WORKBOOK_WEIGHTS, describe_weights


def test_each_source_is_named_in_the_same_words() -> None:
    assert describe_weights() == WORKBOOK_WEIGHTS == "Workbook weights"
    assert describe_weights("") == "Workbook weights"  # a blank set name is the workbook's own
    assert describe_weights("Police Federation") == "Police Federation"
    assert describe_weights("Police Federation", changed_in_room=True) == (
        "Weights set in the workshop, from Police Federation")
    assert describe_weights(changed_in_room=True) == "Weights set in the workshop, from the workbook weights"


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(weights_name).failed == 0
