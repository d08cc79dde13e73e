"""A simulation run in words: the Simulation view's summary, its hover text, and the mark
beside an analytic figure that lies outside the simulated 95% interval (docs/simulation.md).

Kept apart from the view's widgets: what the two short paragraphs say, and how they fit
one line each at 1366 pixels, is a question of its own.
"""

from __future__ import annotations

import math
from html import escape as esc
from typing import Any

from desktop_app.core.optimiser.choices import sentence
from desktop_app.core.simulation import figures

#: Beside an analytic figure outside the simulated 95% interval, explained in the summary.
OUTSIDE = "†"


def outside_tip(pair: figures.Pair) -> str:
    """The hover text of a marked analytic figure, for the side of the interval it lies on."""
    return sentence(pair.outside_meaning()) + "."


#: The second paragraph: what agreement shows, in one line at 1366 (the whole reading,
#: figures.READING, is on hover; in full here it took the line the table's sixth row needed).
SHORT_READING = ("Where the 95% interval holds the analytic figure, units tied up at other armed incidents cost no "
                 f"cover the simulation can detect; {OUTSIDE} marks one outside it (hover here for what that means).")


#: In its place when the run is too small to detect tie-ups (figures.too_small): agreement
#: inside intervals that wide is no reassurance. One line at 1366, as SHORT_READING.
SHORT_TOO_SMALL = ("<b>This run is too small to detect units tied up at other incidents</b> ({why}): raise the "
                   f"replications or years; {OUTSIDE} marks a figure outside (hover here).")

#: How to run a larger one, in this view's terms (the command line names its options).
MORE_HERE = "raise the replications or years above and run again"


def run_summary(r: Any) -> str:
    """What was run, on what incidents, and how to read the table, in two short paragraphs.

    The core's notes (where and when incidents fall, per incident not per resident) and
    the full reading are the summary's tooltip (:func:`run_tooltip`): joined into it they
    made five lines of workbook terms at 1366 pixels and squeezed the chart.
    """
    n = r.options[0].incidents if r.options else math.nan  # the same incidents for every option
    each = f"the same {n:,.0f} armed incidents a replication" if math.isfinite(n) else "the same armed incidents"
    why = figures.too_small(r.options, r.replications)
    reading = SHORT_READING if why is None else SHORT_TOO_SMALL.format(why=esc(why))
    return (
        f"<b>{r.years} year{'s' if r.years != 1 else ''} x {r.replications} replications</b>, seed {r.seed}: every "
        f"option answers {each} ({r.per_year:,.0f} a year); target {r.target_minutes:g} minutes, second armed officer "
        f"{r.backup_target_minutes:g} minutes. Every figure is per incident, not per resident.<br>{reading}")


def run_tooltip(r: Any) -> str:
    """The summary's hover text: how to read the figures in full (the command line's
    footer: what the intervals are, how a percentile is marked, what agreement shows), then
    where and when incidents fall."""
    lines = [figures.reading(r.options, r.replications, MORE_HERE), sentence(figures.INTERVALS_ARE) + ".",
             sentence(figures.QUANTILES_JUDGED) + ".", f"{OUTSIDE} {sentence(figures.OUTSIDE_MEANING)}."]
    return "<br>".join(esc(line) for line in lines + [sentence(n) + "." for n in r.notes])
