"""What the organisation's graduates should learn next, for coordinators: JSON and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Response

from matching.ranking.org_next_steps import org_skill_steps
from service.access import scope_for
from service.auth import Coordinator
from service.calendar import _cell
from service.deps import MatcherDep
from service.store import Side

router = APIRouter(tags=["learn next"])
Top = Annotated[int, Query(ge=1, le=200, description="how many skills")]
PerGraduate = Annotated[int, Query(ge=1, le=100, description="matches read per graduate")]
COLUMNS = ("skill", "graduates", "postings", "required_pairs", "value")


@router.get("/learn-next")
def learn_next(principal: Coordinator, matcher: MatcherDep, top: Top = 20, per_graduate: PerGraduate = 10) -> dict:
    """Skills missing across the organisation's graduates' ranked matches, most valuable first."""
    ids = matcher.ids(Side.candidates, scope_for(principal, Side.candidates))
    steps = org_skill_steps({gid: matcher.matches_for_candidate(gid, limit=per_graduate) for gid in ids}, top=top)
    return {"graduates": len(ids), "per_graduate": per_graduate, "skills": [asdict(s) for s in steps]}


@router.get("/learn-next.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def learn_next_csv(principal: Coordinator, matcher: MatcherDep, top: Top = 20,
                   per_graduate: PerGraduate = 10) -> Response:
    return Response(steps_csv(learn_next(principal, matcher, top, per_graduate)["skills"]), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="learn-next.csv"'})


def steps_csv(skills: list[dict]) -> str:
    """Formula-safe CSV: a skill is text the organisation's postings typed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in skills:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()
