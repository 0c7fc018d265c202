"""Ranked matches both ways and free-text search, each showing only what the caller may see."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from matching.ranking.blend import RELEVANCE_FLOOR, Match
from matching.ranking.next_steps import skill_steps
from matching.records.sides import Side
from service.access import check_candidate, check_posting
from service.auth import (
    Anyone,
    CoordinatorOrCompany,
    CoordinatorOrGraduate,
    Role,
)
from service.deps import Limit, MatcherDep, WeightsDep
from service.matcher import Why
from service.schemas import MatchList, SearchIn
from service.usecases import candidates as candidate_cases

router = APIRouter(tags=["matches"])


MinScore = Annotated[float, Query(
    ge=0, le=1,
    description=f"relevance floor: a pair must share a skill or ESCO concept and score at least this "
    f"(default {RELEVANCE_FLOOR}); 0 lists every pair that passes the rules",
)]


def _floor(min_score: float) -> float | None:
    return min_score or None


def _out(
    matches: list[Match], why: Why | None = None, noun: str = "", limit: int = 0, *, learn: bool = False
) -> dict:
    out: dict = {"items": [m.as_dict() for m in matches]}
    if why is not None:
        found = why.exclusions
        removed = dict(found.removed)
        if len(matches) < min(limit, found.eligible):  # all eligible were scored: the rest fell short
            removed["relevance"] = found.eligible - len(matches)
        found = replace(found, removed=removed)
        out |= {
            "considered": found.considered, "eligible": found.eligible, "removed": found.removed,
            "near_misses": [m.as_dict() | {"reason": reason} for m, reason in why.near_misses],
            "message": found.sentence(len(matches), noun),
        }
        if learn:  # a graduate's own list: what to learn next
            out["learn_next"] = {
                "skills": [asdict(step) for step in skill_steps(matches)],
                "languages": [asdict(step) for step in why.language_steps],
            }
    return out


@router.get(
    "/candidates/{rid}/matches", response_model=MatchList, summary="Postings for a graduate",
)
def candidate_matches(
    rid: int, principal: CoordinatorOrGraduate, matcher: MatcherDep, weights: WeightsDep, limit: Limit = 10,
    min_score: MinScore = RELEVANCE_FLOOR,
) -> dict:
    check_candidate(matcher, principal, rid)
    floor = _floor(min_score)
    matches = matcher.matches_for_candidate(rid, limit=limit, weights=weights, floor=floor)
    why = matcher.why_for_candidate(rid, weights=weights, floor=floor)
    return _out(matches, why, "postings", limit, learn=True)


@router.get(
    "/postings/{rid}/matches", response_model=MatchList, summary="Consenting graduates for a posting",
)
def posting_matches(
    rid: int,
    principal: CoordinatorOrCompany,
    matcher: MatcherDep,
    weights: WeightsDep,
    limit: Limit = 10,
    blind: Annotated[bool, Query(description="Hide names (always on for companies until an interview is accepted)")] = False,
    min_score: MinScore = RELEVANCE_FLOOR,
) -> dict:
    check_posting(matcher, principal, rid, write=True)
    floor = _floor(min_score)
    matches = matcher.matches_for_posting(rid, limit=limit, weights=weights, floor=floor)
    asked = matcher.get(Side.postings, rid).languages
    why = matcher.why_for_posting(rid, weights=weights, floor=floor)
    # One pass decorates (and audits, in one transaction) the list and its near misses alike.
    shown = {id(m) for m in candidate_cases.with_candidates(matcher, principal, matches + [m for m, _ in why.near_misses],
                                             blind, asked)}
    why.near_misses = [(m, reason) for m, reason in why.near_misses if id(m) in shown]
    matches = [m for m in matches if id(m) in shown]
    return _out(matches, why, "consenting graduates", limit)


@router.post(
    "/search", response_model=MatchList, summary="Free-text search",
)
def search(body: SearchIn, principal: Anyone, matcher: MatcherDep, weights: WeightsDep) -> dict:
    """Graduates search their organisation's postings; coordinators and companies may also search
    consenting graduates. A company searches only its own postings, the same ones `GET /postings`
    lists and `GET /postings/{id}` opens for it: competitors' postings are not its to read."""
    side = Side(body.side)
    if side is Side.candidates and principal.role is Role.graduate:
        raise HTTPException(403, "graduates can search postings only")
    company = principal.company_id if side is Side.postings and principal.role is Role.company else None
    found = matcher.search(
        body.text, side, org_id=principal.org_id, company_id=company, limit=body.limit, weights=weights
    )
    matches = found.matches
    if side is Side.candidates:
        matches = candidate_cases.with_candidates(matcher, principal, matches, blind=principal.role is Role.company)
    out = _out(matches)
    if found.places:
        where = " or ".join(found.places)
        out["message"] = f"Only {where} and remote: the search names {where}."
    return out
