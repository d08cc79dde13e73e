"""The fixed codes the force workbook's cells may hold: site and asset types, threat levels, rurality.

Part of the schema (:mod:`desktop_app.core.workbook.schema` re-exports every name here),
kept apart so the sheet tables and the parameters can share them.
"""

from __future__ import annotations

SITE_TYPES = ("ARV_BASE", "POLICE_STATION", "NEIGHBOUR_BASE")
ASSET_TYPES = ("ARV", "ARMED_RESPONSE_OFFICER", "NEIGHBOUR_ARV")
THREAT_LEVELS = ("LOW", "MODERATE", "SUBSTANTIAL", "SEVERE", "CRITICAL")
DIRECTIONS = ("higher", "lower")
#: Criterion kinds (v2): ``benefit`` counts towards ``benefit_value``; ``cost`` does not.
CRITERION_KINDS = ("benefit", "cost")
#: Option columns a Scenarios or Uncertainty row may override, as ``OPTION_ID.<column>``.
OPTION_OVERRIDE_COLUMNS = ("one_off_cost_gbp", "annual_cost_gbp")
#: Most distinct values an ``equality_columns`` column may take (docs/appraisal-method.md#equality).
EQUALITY_MAX_GROUPS = 20
HOUR_WEIGHTINGS = ("flat", "incidents", "profile")

#: Drive times above a day are read but named (a warning): no blue-light drive in Great
#: Britain comes near one, so such a figure is most likely in seconds. Travel times need
#: only be more than 0 (docs/workbook-format.md), so this is a check, not a rule.
CHECK_DRIVE_MINUTES = 1440
#: Longest drive time accepted (a week): past it a value is corrupt (1e308) rather than a
#: drive, and the response-time quantiles tally the listed minutes one bin a minute, which
#: such a value would make gigabytes long (docs/workbook-format.md#what-validate-checks).
MAX_DRIVE_MINUTES = 10_080

URBAN_CODES_2011 = ("A1", "B1", "C1", "C2")
RURAL_CODES_2011 = ("D1", "D2", "E1", "E2")
URBAN_CODES_2021 = ("UN1", "UF1")
RURAL_CODES_2021 = ("RLN1", "RLF1", "RSN1", "RSF1")
URBAN_CODES = URBAN_CODES_2011 + URBAN_CODES_2021 + ("URBAN",)
RURAL_CODES = RURAL_CODES_2011 + RURAL_CODES_2021 + ("RURAL",)
RURALITY_CODES = URBAN_CODES + RURAL_CODES


def is_rural_code(code: str) -> bool | None:
    """True for a rural ONS code (or the word rural), False for urban, None if unknown.

    Matching ignores case and surrounding spaces, so ``" e1 "`` and ``Rural`` both count.
    """
    norm = str(code).strip().upper()
    if norm in RURAL_CODES:
        return True
    if norm in URBAN_CODES:
        return False
    return None


#: The name the Criteria sheet's own swing weights go by everywhere; a weight set that
#: takes it is warned of (core.appraisal.weights_name, docs/summary-workbook.md#whose-weights).
WORKBOOK_WEIGHTS = "Workbook weights"
