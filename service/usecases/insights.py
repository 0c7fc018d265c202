"""What coordinators learn about their matching: a fair's pairs both ways, the exposure audit,
and the blend learned from outcomes. Each opens its own read; the routes hold no session."""

from __future__ import annotations

from matching.fair.types import FairProblem
from matching.records.sides import NotFoundError, Side
from service.audit import Field, audit_csv, fair_audit, postings_audit
from service.auth import Principal, Role
from service.errors import UnprocessableError
from service.fairs import build_problem
from service.matcher import Matcher
from service.ranking_model import describe, train
from service.settings import Settings
from service.usecases.fairs import fair_row, stored_spec
from service.usecases.rules import allowed

MAX_POSTINGS = 100


@allowed(Role.coordinator)
def fair_problem(matcher: Matcher, principal: Principal, fair_id: int) -> FairProblem:
    """The fair as the solver sees it: score matrix and eligibility of every pair."""
    with matcher.sessions() as session:
        row = fair_row(session, principal, fair_id)
        return build_problem(matcher, session, principal.org_id, stored_spec(row))


@allowed(Role.coordinator)
def fair_exposure(matcher: Matcher, principal: Principal, fair_id: int, field: Field, k: int) -> dict:
    with matcher.sessions() as session:
        row = fair_row(session, principal, fair_id)
        return fair_audit(matcher, session, principal.org_id, fair_id, stored_spec(row), row.schedule, field, k)


@allowed(Role.coordinator)
def postings_exposure(matcher: Matcher, principal: Principal, ids: list[int], field: Field, k: int,
                      rerank: bool) -> dict:
    with matcher.sessions() as session:
        return postings_audit(matcher, session, principal.org_id, ids, field, k, rerank)


@allowed(Role.coordinator)
def train_blend(matcher: Matcher, principal: Principal, settings: Settings) -> dict:
    """Train the organisation's blend and store it (one transaction), so every process ranks with it."""
    with matcher.sessions.begin() as session:
        return train(matcher, session, principal.org_id, settings)


@allowed(Role.coordinator)
def blend_model(matcher: Matcher, principal: Principal, settings: Settings) -> dict:
    with matcher.sessions() as session:
        matcher.sync_blends(session)  # another process may have trained since this one last looked
        return describe(matcher, session, principal.org_id, settings)


@allowed(Role.coordinator)
def fair_exposure_table(matcher: Matcher, principal: Principal, fair_id: int, field: Field, k: int) -> str:
    """`fair_exposure` as CSV, one row per group."""
    return audit_csv(fair_exposure(matcher, principal, fair_id, field, k))


def posting_ids(matcher: Matcher, principal: Principal, raw: str) -> list[int]:
    """The organisation's postings named by `raw` ("1,2,3"), each once; 422 for a bad list, 404 for one
    that is not the organisation's (as for one that does not exist)."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or len(parts) > MAX_POSTINGS:
        raise UnprocessableError(f"posting_ids: give 1 to {MAX_POSTINGS} ids separated by commas")
    bad = [p for p in parts if not p.isascii() or not p.isdigit()]
    if bad:
        raise UnprocessableError(f"posting_ids: not ids: {', '.join(bad[:10])}")
    ids = list(dict.fromkeys(int(p) for p in parts))
    for pid in ids:
        try:
            owner = matcher.owner(Side.postings, pid)
        except (NotFoundError, OverflowError):
            owner = None
        if owner is None or owner.org_id != principal.org_id:
            raise NotFoundError(f"no posting with id {pid}")
    return ids


@allowed(Role.coordinator)
def listed_postings_exposure(matcher: Matcher, principal: Principal, raw_ids: str, field: Field, k: int,
                             rerank: bool) -> dict:
    """`postings_exposure` of the postings a request names as text ("1,2,3")."""
    return postings_exposure(matcher, principal, posting_ids(matcher, principal, raw_ids), field, k, rerank)


@allowed(Role.coordinator)
def listed_postings_table(matcher: Matcher, principal: Principal, raw_ids: str, field: Field, k: int) -> str:
    """`listed_postings_exposure` (not re-ranked) as CSV."""
    return audit_csv(listed_postings_exposure(matcher, principal, raw_ids, field, k, False))
