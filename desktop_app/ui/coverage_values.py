"""What the Coverage view's map shows per area, read from the coverage result.

For the chosen option, mode (allowing for busy units, if every unit were free, or a
second armed officer), hour of the week and "difference from baseline": the value of
each area, its band, the bands' legend and title, and the hover text. Kept apart from
the widgets so the view only wires controls to these answers; per-option arrays that
do not change with the hour (who is on duty when) are worked out once and kept.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from desktop_app.core.coverage.units import DAY_SHORT, active_week
from desktop_app.core.model import ForceInputs
from desktop_app.core.results import CoverageResult
from desktop_app.ui import palette
from desktop_app.ui.map_widget import band_indices

ALL_DAY = -1
#: What the map shows: cover allowing for busy units, minutes if every unit were free,
#: or the chance of a second armed officer within the backup target.
BUSY, ALL_FREE, BACKUP = "busy", "all_free", "backup"
MODES = ((BUSY, "Allowing for busy units"), (ALL_FREE, "If every unit were free"),
         (BACKUP, "Second armed officer"))


def hour_label(hour: int) -> str:
    if hour == ALL_DAY:
        return "Whole week"
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def when_text(hour: int) -> str:
    """An hour of the week as people say it ("Fri 22:00–23:00"), or "the whole week"."""
    return "the whole week" if hour == ALL_DAY else f"{DAY_SHORT[hour // 24]} {hour_label(hour % 24)}"


class CoverValues:
    """Per-area values of one loaded coverage result (``inputs`` and ``cov`` never change)."""

    def __init__(self, inputs: ForceInputs, cov: CoverageResult, deployments: dict[str, pd.DataFrame]) -> None:
        self.inputs = inputs
        self.cov = cov
        #: Each option's deployments (workbook options and added ones), for who is on duty.
        self.deployments = deployments
        self._active: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}

    def area_minutes(self, option_id: str, hour: int) -> np.ndarray:
        """R0 per area if every unit were free, in hour ``hour`` of the week (ALL_DAY: median over the week)."""
        if hour == ALL_DAY:
            return self.cov.per_area[option_id]["median_response_minutes"].to_numpy(dtype=float)
        return np.asarray(self.cov.options[option_id].response_at(hour), dtype=float)

    def area_chance(self, option_id: str, hour: int, backup: bool = False) -> np.ndarray:
        """F(T) (or G(T_b)) per area in hour ``hour`` of the week (ALL_DAY: mean over the week)."""
        if hour == ALL_DAY:
            col = "backup_cover" if backup else "expected_cover"
            return self.cov.per_area[option_id][col].to_numpy(dtype=float)
        oc = self.cov.options[option_id]
        return np.asarray(oc.backup_at(hour) if backup else oc.cover_at(hour), dtype=float)

    def difference(self, option_id: str, hour: int) -> np.ndarray:
        """Option minus baseline minutes; inf - inf (no cover either way) is no change."""
        a = self.area_minutes(option_id, hour)
        b = self.area_minutes(self.inputs.baseline_id, hour)
        with np.errstate(invalid="ignore"):
            d = a - b
        d[np.isinf(a) & np.isinf(b)] = 0.0
        return d

    def colouring(self, option_id: str, hour: int, mode: str, diff: bool) -> tuple[np.ndarray, palette.MapBands, str]:
        """(band per area, bands, legend title) of the map for these settings."""
        if mode == ALL_FREE and diff:
            values = self.difference(option_id, hour)
            idx = band_indices(values, palette.DIFF_EDGES)
            idx[np.isneginf(values)] = 0
            return idx, palette.DIFF_BANDS, "Change vs baseline<br>if every unit were free"
        if mode == ALL_FREE:
            bands = palette.minute_bands(self.cov.target_minutes)
            return (band_indices(self.area_minutes(option_id, hour), bands.edges), bands,
                    "Response minutes<br>if every unit were free")
        back = mode == BACKUP
        if diff:
            base = self.inputs.baseline_id
            points = 100 * (self.area_chance(base, hour, back) - self.area_chance(option_id, hour, back))
            what = "second officer" if back else "free unit in time"
            return (band_indices(points, palette.DIFF_EDGES), palette.COVER_DIFF_BANDS,
                    f"Change in the chance vs<br>baseline: {what}")
        minutes = f"{self.inputs.parameters.backup_target_minutes:g}"
        # three short lines: the key no wider than its band names, the rest of the width the map's
        title = (f"Chance of a second<br>armed officer<br>within {minutes} min" if back
                 else f"Chance the nearest<br>free armed unit arrives<br>within {self.cov.target_minutes:g} min")
        return band_indices(self.area_chance(option_id, hour, back), palette.COVER_BANDS.edges), palette.COVER_BANDS, title

    def sites_used(self, option_id: str, hour: int) -> set[str]:
        """Sites the option deploys from (ALL_DAY), or with a deployment on duty in hour ``hour``."""
        if option_id not in self._active:
            deps = self.deployments.get(option_id, self.inputs.deployments.iloc[0:0])
            # the one on-duty rule of the engine (docs/workbook-format.md#hours-on-duty-the-week)
            self._active[option_id] = (deps, active_week(deps))
        deps, active = self._active[option_id]
        if hour == ALL_DAY:
            return set(deps["site_id"].astype(str))
        return set(deps.loc[active[:, hour], "site_id"].astype(str))

    def area_tip(self, i: int, option_id: str, hour: int, option_name: str, backup: bool = False) -> str:
        """The hover text of area ``i``: name, district, population, chance and minutes;
        with ``backup`` (the second-officer map) the chance the map is coloured by comes first."""
        row = self.inputs.areas.iloc[i]

        def fmt(m: float) -> str:
            return "no armed cover" if math.isinf(m) else f"{m:.1f} min"

        minutes = self.area_minutes(option_id, hour)[i]
        chance = self.area_chance(option_id, hour)[i]
        when = "whole week" if hour == ALL_DAY else when_text(hour)
        lines = [
            f"{row['area_name']} ({row['area_id']})",
            f"{row['district']} · {'rural' if bool(row['is_rural']) else 'urban'}",
            f"Population {int(row['population']):,}",
        ]
        if backup:
            second = self.area_chance(option_id, hour, backup=True)[i]
            lines.append(f"Chance of a second armed officer within {self.inputs.parameters.backup_target_minutes:g} min: "
                         f"{second:.0%} ({option_name}, {when})")
        lines += [
            f"Chance a free armed unit arrives in time: {chance:.0%} ({option_name}, {when})",
            f"Response if every unit were free: {fmt(minutes)}",
        ]
        if option_id != self.inputs.baseline_id:
            lines.append(f"Baseline if every unit were free: {fmt(self.area_minutes(self.inputs.baseline_id, hour)[i])}")
        return "\n".join(lines)
