"""Ranked matches both ways and free-text search, each showing only what the caller may see:
what `GET /candidates/{id}/matches`, `GET /postings/{id}/matches`, `POST /search` and the
match pages all run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace

from matching.ranking.blend import Match, Weights
from matching.ranking.next_steps import skill_steps
from matching.records.sides import Side
from service.access import check_candidate, check_posting
from service.auth import Principal, Role
from service.errors import Forbidden
from service.matcher import Matcher, Why
from service.schemas import SearchIn
from service.usecases import candidates as candidate_cases
from service.usecases.rules import allowed


def _out(
    matches: list[Match], why: Why | None = None, noun: str = "", limit: int = 0, *,
    learn: Callable[[str], str] | None = None,
) -> dict:
    """The answer of a list; `learn` (a graduate's own list) is the skill key "what to learn next"
    groups names by."""
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
        if learn is not None:  # a graduate's own list: what to learn next
            out["learn_next"] = {
                "skills": [asdict(step) for step in skill_steps(matches, key=learn)],
                "languages": [asdict(step) for step in why.language_steps],
            }
    return out


@allowed(Role.coordinator, Role.graduate)
def for_candidate(matcher: Matcher, principal: Principal, rid: int, *, weights: Weights | None, limit: int,
                  floor: float | None) -> dict:
    """Postings for a graduate (their coordinator or themself), with near misses and what to learn next."""
    check_candidate(matcher, principal, rid)
    matches, why = matcher.page(Side.candidates, rid, limit=limit, weights=weights, floor=floor)
    return _out(matches, why, "postings", limit, learn=matcher.vocab.key)


@allowed(Role.coordinator, Role.company)
def for_posting(matcher: Matcher, principal: Principal, rid: int, *, weights: Weights | None, limit: int,
                blind: bool, floor: float | None) -> dict:
    """Consenting graduates for a posting the caller may write, as the caller may see them (audited)."""
    check_posting(matcher, principal, rid, write=True)
    matches, why = matcher.page(Side.postings, rid, limit=limit, weights=weights, floor=floor)
    asked = matcher.get(Side.postings, rid).languages
    # One pass decorates (and audits, in one transaction) the list and its near misses alike.
    shown = {id(m) for m in candidate_cases.with_candidates(
        matcher, principal, matches + [m for m, _ in why.near_misses], blind, asked)}
    why.near_misses = [(m, reason) for m, reason in why.near_misses if id(m) in shown]
    matches = [m for m in matches if id(m) in shown]
    return _out(matches, why, "consenting graduates", limit)


@allowed(Role.coordinator, Role.company, Role.graduate)
def search(matcher: Matcher, principal: Principal, body: SearchIn, weights: Weights | None) -> dict:
    """Graduates search their organisation's postings; coordinators and companies may also search
    consenting graduates. A company searches only its own postings."""
    side = Side(body.side)
    if side is Side.candidates and principal.role is Role.graduate:
        raise Forbidden(("company", "coordinator"), "graduates can search postings only")
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
