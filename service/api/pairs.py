"""A fair's (graduate, company) pairs for coordinators, sortable by reciprocal fit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from matching.ranking.reciprocal import Method, ranks_within, reciprocal
from service.deps import MatcherDep
from service.usecases import insights
from service.usecases.rules import caller

router = APIRouter(tags=["fairs"])


@router.get("/fairs/{fair_id}/pairs")
def fair_pairs(
    fair_id: int,
    principal: caller(insights.fair_problem),
    matcher: MatcherDep,
    sort: Annotated[Literal["reciprocal", "score"], Query(description="reciprocal: fit from both sides")] = "reciprocal",
    method: Annotated[Method, Query(description="combine reciprocal ranks, or normalised scores")] = "ranks",
    graduate_id: int | None = None,
    company: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict:
    """Eligible pairs with the fair's score, each side's rank of the other and the reciprocal score
    (harmonic mean of both sides' reciprocal ranks, or of scores normalised by each side's best)."""
    problem = insights.fair_problem(matcher, principal, fair_id)
    scores, eligible = problem.scores, problem.eligible
    graduate_rank, company_rank = ranks_within(scores, eligible, 1), ranks_within(scores, eligible, 0)
    fit = reciprocal(scores, eligible, method)
    pairs = [
        {"graduate_id": int(g), "company": c.id, "score": round(float(scores[i, j]), 4),
         "graduate_rank": int(graduate_rank[i, j]), "company_rank": int(company_rank[i, j]),
         "reciprocal": round(float(fit[i, j]), 4)}
        for i, g in enumerate(problem.graduates) for j, c in enumerate(problem.companies)
        if eligible[i, j] and (graduate_id is None or int(g) == graduate_id) and (company is None or c.id == company)
    ]
    pairs.sort(key=lambda p: (-p[sort], p["graduate_id"], p["company"]))
    return {"sort": sort, "method": method, "total": len(pairs), "pairs": pairs[:limit]}
