"""Where a workbook's estimated travel times fall, in words for page 1's caveats.

A count of estimated times says how much rests on straight-line guesses but not whose
cover: on the sample, every estimate is a time from the neighbouring force's base, so the
two options that use it rest on estimates while the others rest on none.
"""

from __future__ import annotations

from desktop_app.core.export.context import ExportContext
from desktop_app.core.shown import and_list


def estimated_sites_words(ctx: ExportContext) -> str:
    """Where the estimates fall, when a few sites hold nearly all of them (the sample: every
    time from the neighbouring force's base), and which options deploy there: their cover
    then rests on estimates, which a panel should know. "" when the estimates are spread
    over many sites (a national workbook without a travel-times file)."""
    mask = getattr(ctx.inputs, "estimated", None)
    if mask is None or not mask.any():
        return ""
    per_site = mask.sum(axis=1)
    order = [int(i) for i in per_site.argsort()[::-1][:3] if per_site[i] > 0]
    if per_site[order].sum() < 0.9 * per_site.sum():
        return ""
    sites = ctx.inputs.sites
    deps = ctx.inputs.deployments
    parts = []
    deployed: set[str] = set()
    for i in order:
        sid = str(sites["site_id"].iat[i])
        name = ctx.guard.clean(str(sites["site_name"].iat[i]), "Sites")
        deployed |= set(deps.loc[deps["site_id"].astype(str) == sid, "option_id"].astype(str))
        n = int(per_site[i])
        parts.append(f"{name} ({'every one' if n == mask.shape[1] else f'{n:,}'} of its {mask.shape[1]:,} times)")
    lead = "All of them are" if int(per_site[order].sum()) == int(mask.sum()) else "Nearly all are"
    users = [ctx.option_label(o) for o in sorted(deployed)]  # page 1 names options by code and name
    then = (f"; {and_list(users)} {'deploys' if len(users) == 1 else 'deploy'} there, so {'its' if len(users) == 1 else 'their'} "
            "cover from it rests on these estimates." if users else "; no option deploys there.")
    return f" {lead} from {'; '.join(parts)}{then}"

