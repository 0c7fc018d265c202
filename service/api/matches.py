"""Ranked matches both ways and free-text search, each showing only what the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from matching.ranking.blend import RELEVANCE_FLOOR
from service.deps import Limit, MatcherDep, WeightsDep
from service.schemas import MatchList, SearchIn
from service.usecases import matches as cases
from service.usecases.rules import caller

router = APIRouter(tags=["matches"])


MinScore = Annotated[float, Query(
    ge=0, le=1,
    description=f"relevance floor: a pair must share a skill or ESCO concept and score at least this "
    f"(default {RELEVANCE_FLOOR}); 0 lists every pair that passes the rules",
)]


def _floor(min_score: float) -> float | None:
    return min_score or None


# The routes below are async and send the ranking to a worker thread themselves: one hop a
# request. A sync route costs FastAPI a second hop (it validates the answer against the
# response model in a worker thread, then encodes it in the event loop), and each hop waits
# for the GIL behind the rankings of the other requests in flight. The answer is the same:
# FastAPI validates and encodes it against `response_model` either way.


@router.get(
    "/candidates/{rid}/matches", response_model=MatchList, summary="Postings for a graduate",
)
async def candidate_matches(
    rid: int, principal: caller(cases.for_candidate), matcher: MatcherDep, weights: WeightsDep, limit: Limit = 10,
    min_score: MinScore = RELEVANCE_FLOOR,
) -> dict:
    return await run_in_threadpool(cases.for_candidate, matcher, principal, rid, weights=weights, limit=limit,
                                   floor=_floor(min_score))


@router.get(
    "/postings/{rid}/matches", response_model=MatchList, summary="Consenting graduates for a posting",
)
async def posting_matches(
    rid: int,
    principal: caller(cases.for_posting),
    matcher: MatcherDep,
    weights: WeightsDep,
    limit: Limit = 10,
    blind: Annotated[bool, Query(description="Hide names (always on for companies until an interview is accepted)")] = False,
    min_score: MinScore = RELEVANCE_FLOOR,
) -> dict:
    return await run_in_threadpool(cases.for_posting, matcher, principal, rid, weights=weights, limit=limit,
                                   blind=blind, floor=_floor(min_score))


@router.post(
    "/search", response_model=MatchList, summary="Free-text search",
)
async def search(body: SearchIn, principal: caller(cases.search), matcher: MatcherDep, weights: WeightsDep) -> dict:
    """Graduates search their organisation's postings; coordinators and companies may also search
    consenting graduates. A company searches only its own postings, the same ones `GET /postings`
    lists and `GET /postings/{id}` opens for it: competitors' postings are not its to read."""
    return await run_in_threadpool(cases.search, matcher, principal, body, weights)
