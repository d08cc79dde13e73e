"""What the optimiser can be asked for: its measures and its default asset and site types.

Kept apart from :mod:`desktop_app.core.optimiser.milp` (which needs scipy) so the
command line can offer these as its choices and defaults without loading the solver.
"""

from __future__ import annotations

#: Measures the optimiser maximises (docs/measures.md#where-to-arm-officers-the-optimiser).
MEASURES = (
    "threat_coverage", "population_coverage", "incident_coverage",
    "threat_coverage_all_free", "population_coverage_all_free",
)
DEFAULT_MEASURE = "threat_coverage"
#: Each added post is one armed response officer at a police station unless asked otherwise.
DEFAULT_ASSET_TYPE = "ARMED_RESPONSE_OFFICER"
#: One added post of each asset type the optimiser adds, in words ("each added armed response officer post").
SINGULAR_ASSET = {"ARMED_RESPONSE_OFFICER": "armed response officer", "ARV": "ARV"}
DEFAULT_SITE_TYPE = "POLICE_STATION"
#: Each site type in words, plural, for the optimiser's notes ("ARV bases"); the code follows in brackets.
SITE_TYPE_WORDS = {"POLICE_STATION": "police stations", "ARV_BASE": "ARV bases",
                   "NEIGHBOUR_BASE": "neighbouring force's bases"}


def sentence(text: str) -> str:
    """``text`` with its first letter a capital and the rest as written (``str.capitalize``
    lower-cases the rest: "Each added arv post")."""
    return text[:1].upper() + text[1:]
