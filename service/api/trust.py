"""Tokens, shortlists (interview invitations) and the audit log: HTTP in front of `service.usecases.trust`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service.auth import forget_principals
from service.deps import MatcherDep
from service.schemas import AuditEntry, InterviewIn, InterviewOut, TokenCreated, TokenIn, TokenInfo
from service.usecases import trust
from service.usecases.rules import caller

router = APIRouter()


@router.post("/tokens", status_code=201, response_model=TokenCreated, tags=["tokens"])
def create_token(body: TokenIn, principal: caller(trust.issue), matcher: MatcherDep) -> TokenCreated:
    """Issue an API key for a coordinator, a company (an existing one, by name) or a graduate."""
    return trust.issue(matcher, principal, body)


@router.get("/tokens", response_model=list[TokenInfo], tags=["tokens"])
def list_tokens(principal: caller(trust.list_tokens), matcher: MatcherDep) -> list[TokenInfo]:
    return trust.list_tokens(matcher.sessions, principal)


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(token_id: int, principal: caller(trust.revoke_token), matcher: MatcherDep,
                 request: Request) -> Response:
    trust.revoke_token(matcher.sessions, principal, token_id)
    forget_principals(request)
    return Response(status_code=204)


@router.post("/interviews", status_code=201, response_model=InterviewOut, tags=["interviews"])
def invite(body: InterviewIn, principal: caller(trust.shortlist), matcher: MatcherDep) -> InterviewOut:
    """Shortlist a graduate for a posting: an interview invitation (and a required pair at the next fair)."""
    return trust.shortlist(matcher, principal, body)


@router.get("/interviews", response_model=list[InterviewOut], tags=["interviews"])
def list_interviews(principal: caller(trust.list_interviews), matcher: MatcherDep) -> list[InterviewOut]:
    return trust.list_interviews(matcher.sessions, principal)


@router.post("/interviews/{interview_id}/accept", response_model=InterviewOut, tags=["interviews"])
def accept(interview_id: int, principal: caller(trust.answer), matcher: MatcherDep) -> InterviewOut:
    """The graduate accepts: the company now sees their name."""
    return trust.answer(matcher.sessions, principal, interview_id, "accepted")


@router.post("/interviews/{interview_id}/decline", response_model=InterviewOut, tags=["interviews"])
def decline(interview_id: int, principal: caller(trust.answer), matcher: MatcherDep) -> InterviewOut:
    return trust.answer(matcher.sessions, principal, interview_id, "declined")


@router.get("/audit", response_model=list[AuditEntry], tags=["audit"])
def read_audit(
    principal: caller(trust.read_audit),
    matcher: MatcherDep,
    candidate_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntry]:
    """Who read which profile; entries outlive an erasure as bare ids, with no content."""
    return trust.read_audit(matcher.sessions, principal, candidate_id=candidate_id, limit=limit)
