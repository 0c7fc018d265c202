"""The coordinator's graduate roster: how many matches each graduate has, and who had no
meeting at the organisation's last planned fair (the two questions a coordinator asks first)."""

from __future__ import annotations

from matching.ranking.blend import RELEVANCE_FLOOR
from service.auth import Principal, Role
from service.matcher import Matcher
from service.storage import fairs
from service.usecases.rules import allowed

MATCH_COUNT_LIMIT = 50
"""Matches counted per graduate: enough to tell "none", "a few" and "many" apart cheaply."""


@allowed(Role.coordinator)
def match_counts(matcher: Matcher, principal: Principal, ids: list[int]) -> dict[int, int]:
    """Postings above the relevance floor per graduate (at most MATCH_COUNT_LIMIT), as the
    graduate's own match page would list them; the ranker keeps to the caller's organisation."""
    return {rid: len(matcher.matches_for_candidate(rid, limit=MATCH_COUNT_LIMIT, floor=RELEVANCE_FLOOR))
            for rid in ids}


@allowed(Role.coordinator)
def last_fair_met(matcher: Matcher, principal: Principal) -> tuple[str, set[int]] | None:
    """(name, graduates with at least one meeting) of the newest planned fair, None without one."""
    with matcher.sessions() as session:
        row = fairs.latest_planned(session, org_id=principal.org_id)
        if row is None:
            return None
        return row.name, {int(m["graduate_id"]) for m in row.schedule["meetings"]}
