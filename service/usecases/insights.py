"""What coordinators learn about their matching: a fair's pairs both ways, the exposure audit,
and the blend learned from outcomes. Each opens its own read; the routes hold no session."""

from __future__ import annotations

from matching.fair.types import FairProblem
from service.audit import Field, fair_audit, postings_audit
from service.auth import Principal
from service.fairs import build_problem
from service.matcher import Matcher
from service.ranking_model import describe, train
from service.settings import Settings
from service.usecases.fairs import fair_row, stored_spec


def fair_problem(matcher: Matcher, principal: Principal, fair_id: int) -> FairProblem:
    """The fair as the solver sees it: score matrix and eligibility of every pair."""
    with matcher.sessions() as session:
        row = fair_row(session, principal, fair_id)
        return build_problem(matcher, session, principal.org_id, stored_spec(row))


def fair_exposure(matcher: Matcher, principal: Principal, fair_id: int, field: Field, k: int) -> dict:
    with matcher.sessions() as session:
        row = fair_row(session, principal, fair_id)
        return fair_audit(matcher, session, principal.org_id, fair_id, stored_spec(row), row.schedule, field, k)


def postings_exposure(matcher: Matcher, principal: Principal, ids: list[int], field: Field, k: int,
                      rerank: bool) -> dict:
    with matcher.sessions() as session:
        return postings_audit(matcher, session, principal.org_id, ids, field, k, rerank)


def train_blend(matcher: Matcher, principal: Principal, settings: Settings) -> dict:
    """Train the organisation's blend and store it (one transaction), so every process ranks with it."""
    with matcher.sessions.begin() as session:
        return train(matcher, session, principal.org_id, settings)


def blend_model(matcher: Matcher, principal: Principal, settings: Settings) -> dict:
    with matcher.sessions() as session:
        matcher.sync_blends(session)  # another process may have trained since this one last looked
        return describe(matcher, session, principal.org_id, settings)
