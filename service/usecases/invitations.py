"""A graduate's interviews at their organisation's planned fairs, with what the fair tells them.

The fair's schedule holds the meetings (slot, start, end, company); its spec holds where
(`place`), an online `link` and the coordinator's `message`. Only the graduate's own meetings
are read, as `GET /fairs/{id}/schedule` gives them to a graduate.
"""

from __future__ import annotations

from service.auth import Principal, Role
from service.fairs import view
from service.matcher import Matcher
from service.storage import fairs


def fair_interviews(matcher: Matcher, principal: Principal) -> list[dict]:
    """Per planned fair with meetings for this graduate: name, place, link, message, time zone and
    the meetings in time order; an empty list for anyone but a graduate."""
    if principal.role is not Role.graduate or principal.candidate_id is None:
        return []
    with matcher.sessions() as session:
        rows = fairs.planned(session, org_id=principal.org_id)
        found = []
        for row in rows:
            mine = view(row.schedule, graduate_id=principal.candidate_id)
            if not mine["meetings"]:
                continue
            found.append({
                "id": row.id, "name": row.name, "timezone": mine["timezone"],
                "place": row.spec.get("place", ""), "link": row.spec.get("link", ""),
                "message": row.spec.get("message", ""),
                "meetings": sorted(mine["meetings"], key=lambda m: m["start"]),
            })
        return found
