"""The glossary's terms: one home for the words the summary workbook's Glossary sheet
prints and the app's tooltips use (desktop_app.ui.keyboard.explain).

Kept apart from :mod:`desktop_app.core.export` so the app can explain a term without
importing the workbook writer (openpyxl) at start-up.
"""

from __future__ import annotations

TERMS: tuple[tuple[str, str], ...] = (
    ("ARV", "Armed response vehicle: a police car crewed by (usually two) authorised firearms officers, on patrol and ready to respond."),
    ("ARO", "Armed response officer: a single authorised firearms officer working from a police station rather than an ARV."),
    ("Neighbouring force's ARV", "An armed response vehicle of a neighbouring force that can be called across the border."),
    ("AFO", "Authorised firearms officer: an officer trained and authorised to carry a firearm."),
    ("FTE", "Full-time equivalent: the number of full-time officers needed, allowing for shifts, leave, training and sickness."),
    ("Post", "One armed unit (vehicle or officer) on duty at once; keeping one post staffed round the clock takes several FTE officers."),
    ("Busy fraction", "The share of time a unit is committed elsewhere and cannot take an armed call."),
    ("Mobilisation", "Minutes from dispatch until the unit is moving towards the incident."),
    ("Response-time target", "The time within which armed officers should arrive; an area-hour counts as covered when they can."),
    ("Population covered", "The share of residents armed officers can reach within the target, averaged over the hours of the day."),
    ("Threat covered", "The same share weighted by each area's threat index instead of its residents."),
    ("Threat index", "A score for each area built from the force's threat indicators (not shown in the public version)."),
    ("Expected cover", "Cover allowing for units being busy: the chance a free unit can reach the area within the target."),
    ("Median / 90th percentile response", "Half (nine in ten) of residents, over the day, can be reached within this many minutes."),
    ("Rural-urban gap", "How many minutes longer the median response is in rural areas than in urban ones."),
    ("Whole-life cost", "One-off cost plus the annual cost over the appraisal period, discounted to today's money (HM Treasury Green Book)."),
    ("Do-minimum baseline", "The option that keeps today's arrangements, against which the others are compared."),
    ("Criterion", "One thing the options are judged on, such as cover, cost or officers' welfare."),
    ("Value score", "An option's score on one criterion from 0 (the worst end of the scale) to 100 (the best end)."),
    ("Local scale", "A scale whose ends are the worst and best options themselves, so scores compare the options with each other only."),
    ("Swing weight", "How much moving a criterion from the worst to the best end of its scale matters, relative to the others."),
    ("Normalised weight", "A swing weight divided by the sum of all of them, so the weights add up to 100%."),
    ("Total value", "The sum over criteria of normalised weight times value score: 0 to 100, higher is better."),
    ("Benefit value", "Total value over the benefit criteria only, for comparing against cost."),
    ("Efficient frontier", "The options no other option beats on both whole-life cost and total value."),
    ("Weight set", "A stakeholder group's own weights (for example a community panel's), appraised alongside the workbook weights."),
    ("Workbook weights", "The weights in the force workbook's Criteria sheet."),
    ("Weights set in the workshop", "Weights the room moved during the workshop, starting from the named set."),
    ("Switch point", "The weight on one criterion at which a different option would come first."),
    ("SMAA", "Stochastic multicriteria acceptability analysis: the options are re-ranked under many random weightings to see how often each comes first."),
    ("Rank acceptability", "The share of random weightings in which an option takes a given rank."),
    ("Confidence factor", "The share of draws in which the option comes first when weighted by its own central weights."),
    ("Central weights", "The average of the random weightings under which an option comes first: the kind of view that favours it."),
    ("Seed", "The starting number of the random draws: the same seed gives the same figures."),
    ("SHA-256", "A fingerprint of the input file: any change to the file changes it, so a printed copy can be matched to its inputs."),
    ("Estimated travel time", "A travel time worked out from straight-line distance, road circuity and average speed, where the workbook gave none."),
    ("Easting / northing", "Map coordinates in metres on the British National Grid."),
    ("OFFICIAL / OFFICIAL-SENSITIVE", "Government Security Classifications: the handling marking printed on every page."),
)
