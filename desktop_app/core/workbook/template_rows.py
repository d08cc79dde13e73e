"""The blank template's example rows, and those rows left in a force's workbook.

The template (docs/workbook-format.md#what-validate-checks) writes a tiny example force in grey
italics, to be deleted. Left in, the rows pass every check: an analyst's review found
the example sites S001 and S002, about 130 km from the force, validated and offered to
the optimiser as candidate sites. A row whose id and name are both an example's is
named, once a sheet, with how many there are.

The rows live here rather than in :mod:`.template` so the reader can know them without
importing openpyxl, which the template's writer needs and reading a workbook does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.schema import Sheet

#: A tiny but complete example force, extending the schema's per-sheet examples so
#: that every cross-sheet rule holds (the template validates as written).
_EXTRA_EXAMPLES: dict[str, tuple[tuple[object, ...], ...]] = {
    "Sites": (("S002", "Upland police station", "POLICE_STATION", 361000, 414000),),
    "Options": (("OPT1", "Arm upland response officers", "Two armed response officers at S002, nights", False, 25000, 150000, 9),),
    "Deployments": (("OPT1", "S001", "ARV", 2, 2, 0, 24, None, None, None),
                    ("OPT1", "S002", "ARMED_RESPONSE_OFFICER", 2, 1, 19, 7, "Fri,Sat", 0.35, None)),
    "Criteria": (
        ("C2", "Whole-life cost", "whole_life_cost_gbp", "lower", 25, None, None, "Costs", "cost", None, None),
        ("C7", "Community confidence", "judgement", "higher", 20, None, None, "Community", "benefit", None,
         "0 = residents' panels oppose it outright; 100 = panels support it with no concerns"),
    ),
    "CriteriaGroups": (("Costs", 25, "What the option costs over the appraisal period"),
                       ("Community", 20, "How the community sees the option")),
    "Judgements": (("OPT1", "C7", 35, "Visible arming may worry some residents", 20, 50),),
}


def example_rows(spec: Sheet) -> list[tuple[object, ...]]:
    """The example rows the template writes for a sheet (Threat gets its indicator columns)."""
    if spec.name == "Threat":
        indicators = [row[0] for row in schema.SHEETS_BY_NAME["ThreatIndicators"].examples]
        return [tuple(row) + tuple(3 - k for _ in indicators) for k, row in enumerate(spec.examples)]
    return list(spec.examples) + list(_EXTRA_EXAMPLES.get(spec.name, ()))


#: The sheets whose example rows would change the figures, with their id and name columns.
CHECKED = (("Areas", "area_id", "area_name"), ("Sites", "site_id", "site_name"), ("Options", "option_id", "option_name"))


def warn_of_example_rows(frames: dict[str, pd.DataFrame], sink: Findings) -> None:
    """A warning on the first row of each sheet that still holds the template's examples."""
    for sheet, id_col, name_col in CHECKED:
        df = frames.get(sheet)
        if df is None or df.empty or id_col not in df or name_col not in df:
            continue
        examples = {(str(r[0]), str(r[1])) for r in example_rows(schema.SHEETS_BY_NAME[sheet])}
        # the ids first, vectorised: a national Areas sheet has 35,672 rows and no example
        maybe = df[id_col].isin([i for i, _n in examples]).to_numpy()
        if not maybe.any():
            continue
        rows = [int(x) for x in df.attrs.get("excel_rows", [])]
        hits = [k for k in np.flatnonzero(maybe).tolist()
                if (str(df[id_col].iat[k]), str(df[name_col].iat[k])) in examples]
        if sheet == "Options":  # OPT0 "Do minimum" is as likely the force's own as the example
            hits = [k for k in hits if str(df[id_col].iat[k]) != "OPT0"]
        if not hits:
            continue
        first = hits[0]
        listed = ", ".join(str(df[id_col].iat[k]) for k in hits)
        sink.warning(sheet, rows[first] if first < len(rows) else None, id_col,
                     f"{len(hits)} row{'s' if len(hits) != 1 else ''} ({listed}) {'are' if len(hits) != 1 else 'is'} "
                     "the blank template's example, id and name alike: delete the template's example rows and "
                     "enter the force's own", "template example row")
