"""Tokens, shortlists (interview invitations) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matching.records.sides import NotFoundError
from service.access import check_candidate, check_posting
from service.api.companies import unknown_company
from service.auth import (
    Anyone,
    Coordinator,
    CoordinatorOrCompany,
    Graduate,
    Principal,
    Role,
    forget_principals,
    issue_token,
)
from service.companies import UnknownCompanyError, require_company
from service.db import AuditRow, InterviewRow, TokenRow
from service.deps import MatcherDep
from service.matcher import Matcher
from service.schemas import AuditEntry, InterviewIn, InterviewOut, TokenCreated, TokenIn, TokenInfo

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
    with matcher.sessions.begin() as session:
        try:
            company_id = (
                require_company(session, org_id=principal.org_id, name=body.company)
                if role is Role.company and body.company else None
            )
        except UnknownCompanyError as exc:
            raise unknown_company(exc) from exc
        token_id, secret = issue_token(
            session, role=role, org_id=principal.org_id, company_id=company_id,
            candidate_id=body.candidate_id if role is Role.graduate else None, label=body.label,
        )
    return TokenCreated(id=token_id, role=role.value, token=secret)


@router.get("/tokens", response_model=list[TokenInfo], tags=["tokens"])
def list_tokens(principal: Coordinator, matcher: MatcherDep) -> list[TokenInfo]:
    with matcher.sessions() as session:
        rows = session.scalars(select(TokenRow).where(TokenRow.org_id == principal.org_id).order_by(TokenRow.id))
        return [
            TokenInfo(id=r.id, role=r.role, company_id=r.company_id, candidate_id=r.candidate_id,
                      label=r.label, revoked=r.revoked)
            for r in rows
        ]


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(token_id: int, principal: Coordinator, matcher: MatcherDep, request: Request) -> Response:
    with matcher.sessions.begin() as session:
        row = session.get(TokenRow, token_id)
        if row is None or row.org_id != principal.org_id:
            raise NotFoundError(f"no token with id {token_id}")
        row.revoked = True
    forget_principals(request)
    return Response(status_code=204)


def _interview_out(row: InterviewRow) -> InterviewOut:
    return InterviewOut(id=row.id, posting_id=row.posting_id, candidate_id=row.candidate_id,
                        company_id=row.company_id, status=row.status)


@router.post(
    "/interviews", status_code=201, response_model=InterviewOut, tags=["interviews"],
)
def invite(body: InterviewIn, principal: CoordinatorOrCompany, matcher: MatcherDep) -> InterviewOut:
    """Shortlist a graduate for a posting: an interview invitation (and a required pair at the next fair)."""
    owner = check_posting(matcher, principal, body.posting_id, write=True)
    visible = {m.id for m in matcher.matches_for_posting(body.posting_id, limit=10_000)}
    if body.candidate_id not in visible:
        # Not consenting, filtered out, or another organisation's: all look alike from outside.
        raise NotFoundError(f"no matching candidate with id {body.candidate_id} for this posting")
    with matcher.sessions.begin() as session:
        row = InterviewRow(org_id=owner.org_id, company_id=owner.company_id, posting_id=body.posting_id,
                           candidate_id=body.candidate_id)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:
            raise HTTPException(409, "this graduate is already shortlisted for this posting") from exc
        return _interview_out(row)


@router.get("/interviews", response_model=list[InterviewOut], tags=["interviews"])
def list_interviews(principal: Anyone, matcher: MatcherDep) -> list[InterviewOut]:
    query = select(InterviewRow).order_by(InterviewRow.id)
    if principal.role is Role.coordinator:
        query = query.where(InterviewRow.org_id == principal.org_id)
    elif principal.role is Role.company:
        query = query.where(InterviewRow.company_id == principal.company_id)
    else:
        query = query.where(InterviewRow.candidate_id == principal.candidate_id)
    with matcher.sessions() as session:
        return [_interview_out(r) for r in session.scalars(query)]


def _answer(interview_id: int, principal: Principal, matcher: Matcher, status: str) -> InterviewOut:
    with matcher.sessions.begin() as session:
        row = session.get(InterviewRow, interview_id)
        if row is None or row.candidate_id != principal.candidate_id:
            raise NotFoundError(f"no interview with id {interview_id}")
        row.status = status
        return _interview_out(row)




@router.post("/interviews/{interview_id}/accept", response_model=InterviewOut, tags=["interviews"])
def accept(interview_id: int, principal: Graduate, matcher: MatcherDep) -> InterviewOut:
    """The graduate accepts: the company now sees their name."""
    return _answer(interview_id, principal, matcher, "accepted")


@router.post("/interviews/{interview_id}/decline", response_model=InterviewOut, tags=["interviews"])
def decline(interview_id: int, principal: Graduate, matcher: MatcherDep) -> InterviewOut:
    return _answer(interview_id, principal, matcher, "declined")


@router.get("/audit", response_model=list[AuditEntry], tags=["audit"])
def read_audit(
    principal: Coordinator,
    matcher: MatcherDep,
    candidate_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntry]:
    """Who read which profile; entries outlive an erasure as bare ids, with no content."""
    query = select(AuditRow).where(AuditRow.org_id == principal.org_id)
    if candidate_id is not None:
        query = query.where(AuditRow.candidate_id == candidate_id)
    with matcher.sessions() as session:
        rows = session.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
        return [AuditEntry(at=r.at.isoformat(), token_id=r.token_id, role=r.role, action=r.action,
                           candidate_id=r.candidate_id) for r in rows]

