"""What the organisation's graduates should learn next: the skills their ranked matches ask for
and they lack, most valuable first (coordinators only), as data or as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from matching.ranking.org_next_steps import org_skill_steps
from matching.records.sides import Side
from service.access import scope_for
from service.auth import Principal, Role
from service.calendar import _cell
from service.matcher import Matcher
from service.usecases.rules import allowed

COLUMNS = ("skill", "graduates", "postings", "required_pairs", "value")


@allowed(Role.coordinator)
def steps(matcher: Matcher, principal: Principal, *, top: int, per_graduate: int) -> dict:
    """Skills missing across the organisation's graduates' first `per_graduate` matches, `top` of them."""
    ids = matcher.ids(Side.candidates, scope_for(principal, Side.candidates))
    found = org_skill_steps({gid: matcher.matches_for_candidate(gid, limit=per_graduate) for gid in ids},
                            top=top, key=matcher.vocab.key)
    return {"graduates": len(ids), "per_graduate": per_graduate, "skills": [asdict(s) for s in found]}


@allowed(Role.coordinator)
def steps_table(matcher: Matcher, principal: Principal, *, top: int, per_graduate: int) -> str:
    """`steps` as CSV."""
    return steps_csv(steps(matcher, principal, top=top, per_graduate=per_graduate)["skills"])


def steps_csv(skills: list[dict]) -> str:
    """Formula-safe CSV: a skill is text the organisation's postings typed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in skills:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()
