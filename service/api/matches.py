"""Ranked matches both ways and free-text search."""

from __future__ import annotations

from fastapi import APIRouter

from matching.rank import Match
from service.deps import Limit, MatcherDep, WeightsDep
from service.schemas import MatchList, SearchIn
from service.store import Side

router = APIRouter(tags=["matches"])


def _out(matches: list[Match]) -> dict:
    return {"items": [m.as_dict() for m in matches]}


@router.get("/candidates/{rid}/matches", response_model=MatchList, summary="Postings for a graduate")
def candidate_matches(rid: int, matcher: MatcherDep, weights: WeightsDep, limit: Limit = 10) -> dict:
    return _out(matcher.matches_for_candidate(rid, limit=limit, weights=weights))


@router.get("/postings/{rid}/matches", response_model=MatchList, summary="Consenting graduates for a posting")
def posting_matches(rid: int, matcher: MatcherDep, weights: WeightsDep, limit: Limit = 10) -> dict:
    return _out(matcher.matches_for_posting(rid, limit=limit, weights=weights))


@router.post("/search", response_model=MatchList, summary="Free-text search of one side")
def search(body: SearchIn, matcher: MatcherDep, weights: WeightsDep) -> dict:
    return _out(matcher.search(body.text, Side(body.side), limit=body.limit, weights=weights))
