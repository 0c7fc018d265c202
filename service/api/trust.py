"""Tokens, shortlists (interview invitations) and the audit log: HTTP in front of `service.trust`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from matching.records.sides import NotFoundError
from service.access import check_candidate, check_posting
from service.auth import (
    Anyone,
    Coordinator,
    CoordinatorOrCompany,
    Graduate,
    Role,
    forget_principals,
)
from service.deps import MatcherDep
from service.schemas import AuditEntry, InterviewIn, InterviewOut, TokenCreated, TokenIn, TokenInfo
from service.usecases import trust

router = APIRouter()


@router.post("/tokens", status_code=201, response_model=TokenCreated, tags=["tokens"])
def create_token(body: TokenIn, principal: Coordinator, matcher: MatcherDep) -> TokenCreated:
    """Issue an API key for a coordinator, a company (an existing one, by name) or a graduate."""
    role = Role(body.role)
    if role is Role.company and not body.company:
        raise HTTPException(422, "company: a company token needs the company's name")
    if role is Role.graduate:
        if body.candidate_id is None:
            raise HTTPException(422, "candidate_id: a graduate token needs the graduate's id")
        check_candidate(matcher, principal, body.candidate_id)
    token_id, secret = trust.create_token(matcher.sessions, principal, role=role, company=body.company,
                                          candidate_id=body.candidate_id, label=body.label)
    return TokenCreated(id=token_id, role=role.value, token=secret)


@router.get("/tokens", response_model=list[TokenInfo], tags=["tokens"])
def list_tokens(principal: Coordinator, matcher: MatcherDep) -> list[TokenInfo]:
    return trust.list_tokens(matcher.sessions, principal)


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(token_id: int, principal: Coordinator, matcher: MatcherDep, request: Request) -> Response:
    trust.revoke_token(matcher.sessions, principal, token_id)
    forget_principals(request)
    return Response(status_code=204)


@router.post("/interviews", status_code=201, response_model=InterviewOut, tags=["interviews"])
def invite(body: InterviewIn, principal: CoordinatorOrCompany, matcher: MatcherDep) -> InterviewOut:
    """Shortlist a graduate for a posting: an interview invitation (and a required pair at the next fair)."""
    owner = check_posting(matcher, principal, body.posting_id, write=True)
    visible = {m.id for m in matcher.matches_for_posting(body.posting_id, limit=10_000)}
    if body.candidate_id not in visible:
        # Not consenting, filtered out, or another organisation's: all look alike from outside.
        raise NotFoundError(f"no matching candidate with id {body.candidate_id} for this posting")
    return trust.invite(matcher.sessions, org_id=owner.org_id, company_id=owner.company_id,
                        posting_id=body.posting_id, candidate_id=body.candidate_id)


@router.get("/interviews", response_model=list[InterviewOut], tags=["interviews"])
def list_interviews(principal: Anyone, matcher: MatcherDep) -> list[InterviewOut]:
    return trust.list_interviews(matcher.sessions, principal)


@router.post("/interviews/{interview_id}/accept", response_model=InterviewOut, tags=["interviews"])
def accept(interview_id: int, principal: Graduate, matcher: MatcherDep) -> InterviewOut:
    """The graduate accepts: the company now sees their name."""
    return trust.answer(matcher.sessions, principal, interview_id, "accepted")


@router.post("/interviews/{interview_id}/decline", response_model=InterviewOut, tags=["interviews"])
def decline(interview_id: int, principal: Graduate, matcher: MatcherDep) -> InterviewOut:
    return trust.answer(matcher.sessions, principal, interview_id, "declined")


@router.get("/audit", response_model=list[AuditEntry], tags=["audit"])
def read_audit(
    principal: Coordinator,
    matcher: MatcherDep,
    candidate_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntry]:
    """Who read which profile; entries outlive an erasure as bare ids, with no content."""
    return trust.read_audit(matcher.sessions, principal, candidate_id=candidate_id, limit=limit)
