"""The blank template's example rows, left in a force's workbook.

The template (docs/workbook-format.md#what-validate-checks) writes a tiny example force in grey
italics, to be deleted. Left in, the rows pass every check: an analyst's review found
the example sites S001 and S002, about 130 km from the force, validated and offered to
the optimiser as candidate sites. A row whose id and name are both an example's is
named, once a sheet, with how many there are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.findings import Findings

#: The sheets whose example rows would change the figures, with their id and name columns.
CHECKED = (("Areas", "area_id", "area_name"), ("Sites", "site_id", "site_name"), ("Options", "option_id", "option_name"))


def warn_of_example_rows(frames: dict[str, pd.DataFrame], sink: Findings) -> None:
    """A warning on the first row of each sheet that still holds the template's examples."""
    from desktop_app.core.workbook.template import example_rows  # the template's own list

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
