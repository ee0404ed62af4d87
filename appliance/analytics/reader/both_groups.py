"""The conditions a difference keeps for both its groups ("how many more women than men
died": the deaths of each)."""

from __future__ import annotations

from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.state import State


def of_both_groups(r: State, pa: int, pb: int) -> tuple[Filter, ...]:
    """The filters left once the two groups (at ``pa`` and ``pb``) are taken: said before
    both ("among women, …") or after both ("… than men died"), they are of both groups,
    never dropped (every woman minus every man would be a wrong count). Said between
    them ("smokers over 60 and non-smokers"), they may be of the first group only:
    refused naming both readings."""
    inside = [p for p, _f in r.filters if pa < p < pb]
    if inside:
        raise Unanswerable(
            f"{r.toks[inside[0]].text!r} between the two groups: of the first only, or of"
            " both? say it before them ('among …') or after both"
        )
    shared = tuple(f for _p, f in r.filters)
    if shared:
        r.caveats.append("both groups only where " + " and ".join(f.describe() for f in shared))
    return shared
