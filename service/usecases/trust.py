"""Use cases behind tokens, shortlists (interview invitations) and the audit log.

The routes (`service.api.trust`) check roles and translate; here are the transactions. Each
function takes the session factory and the caller and answers with plain schema objects,
raising the refusals of `service.errors` (404 for what the caller may not know exists).
"""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from matching.records.sides import NotFoundError
from service.access import check_posting, check_subject
from service.auth import Principal, Role, issue_token
from service.companies import require_company
from service.db import InterviewRow
from service.matcher import Matcher
from service.schemas import AuditEntry, InterviewIn, InterviewOut, TokenCreated, TokenIn, TokenInfo
from service.storage import audit_log, interviews, tokens
from service.usecases.rules import allowed


def create_token(sessions: sessionmaker, principal: Principal, *, role: Role, company: str | None,
                 candidate_id: int | None, label: str | None) -> tuple[int, str]:
    """(id, secret) of a new API key in the caller's organisation; a company by its name."""
    with sessions.begin() as session:
        company_id = (require_company(session, org_id=principal.org_id, name=company)
                      if role is Role.company and company else None)
        return issue_token(session, role=role, org_id=principal.org_id, company_id=company_id,
                           candidate_id=candidate_id if role is Role.graduate else None, label=label)


@allowed(Role.coordinator)
def list_tokens(sessions: sessionmaker, principal: Principal) -> list[TokenInfo]:
    with sessions() as session:
        rows = tokens.of_org(session, org_id=principal.org_id)
        return [TokenInfo(id=r.id, role=r.role, company_id=r.company_id, candidate_id=r.candidate_id,
                          label=r.label, revoked=r.revoked) for r in rows]


@allowed(Role.coordinator)
def revoke_token(sessions: sessionmaker, principal: Principal, token_id: int) -> None:
    with sessions.begin() as session:
        row = tokens.get(session, token_id)
        if row is None or row.org_id != principal.org_id:
            raise NotFoundError(f"no token with id {token_id}")
        row.revoked = True


def _interview_out(row: InterviewRow) -> InterviewOut:
    return InterviewOut(id=row.id, posting_id=row.posting_id, candidate_id=row.candidate_id,
                        company_id=row.company_id, status=row.status)


def invite(sessions: sessionmaker, *, org_id: int, company_id: int | None, posting_id: int,
           candidate_id: int) -> InterviewOut:
    """Shortlist a graduate the caller was shown for the posting (checked by the caller)."""
    with sessions.begin() as session:
        return _interview_out(interviews.add(session, org_id=org_id, company_id=company_id,
                                             posting_id=posting_id, candidate_id=candidate_id))


@allowed(Role.coordinator, Role.company, Role.graduate)
def list_interviews(sessions: sessionmaker, principal: Principal) -> list[InterviewOut]:
    """A coordinator's organisation's, a company's own, a graduate's own invitations."""
    if principal.role is Role.coordinator:
        scope = {"org_id": principal.org_id}
    elif principal.role is Role.company:
        scope = {"company_id": principal.company_id}
    else:
        scope = {"candidate_id": principal.candidate_id, "only_candidate": True}
    with sessions() as session:
        return [_interview_out(r) for r in interviews.listing(session, **scope)]


@allowed(Role.graduate)
def answer(sessions: sessionmaker, principal: Principal, interview_id: int, status: str) -> InterviewOut:
    """The graduate's answer to their own invitation; anyone else's is not found."""
    with sessions.begin() as session:
        row = interviews.get(session, interview_id)
        if row is None or row.candidate_id != principal.candidate_id:
            raise NotFoundError(f"no interview with id {interview_id}")
        row.status = status
        return _interview_out(row)


@allowed(Role.coordinator)
def read_audit(sessions: sessionmaker, principal: Principal, *, candidate_id: int | None,
               limit: int) -> list[AuditEntry]:
    with sessions() as session:
        rows = audit_log.recent(session, org_id=principal.org_id, candidate_id=candidate_id, limit=limit)
        return [AuditEntry(at=r.at.isoformat(), token_id=r.token_id, role=r.role, action=r.action,
                           candidate_id=r.candidate_id) for r in rows]


@allowed(Role.coordinator)
def issue(matcher: Matcher, principal: Principal, body: TokenIn) -> TokenCreated:
    """An API key for a coordinator, a company (an existing one, by name) or a graduate of the
    caller's organisation; the secret is shown once, here."""
    role = Role(body.role)
    check_subject(matcher, principal, role, company=body.company, candidate_id=body.candidate_id, what="token")
    token_id, secret = create_token(matcher.sessions, principal, role=role, company=body.company,
                                    candidate_id=body.candidate_id, label=body.label)
    return TokenCreated(id=token_id, role=role.value, token=secret)


@allowed(Role.coordinator, Role.company)
def shortlist(matcher: Matcher, principal: Principal, body: InterviewIn) -> InterviewOut:
    """Shortlist a graduate the caller is shown for a posting it may write: an interview invitation."""
    owner = check_posting(matcher, principal, body.posting_id, write=True)
    visible = {m.id for m in matcher.matches_for_posting(body.posting_id, limit=10_000)}
    if body.candidate_id not in visible:
        # Not consenting, filtered out, or another organisation's: all look alike from outside.
        raise NotFoundError(f"no matching candidate with id {body.candidate_id} for this posting")
    return invite(matcher.sessions, org_id=owner.org_id, company_id=owner.company_id,
                  posting_id=body.posting_id, candidate_id=body.candidate_id)
