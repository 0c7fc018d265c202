"""Who may see and change which record, decided in one place.

Every check raises NotFoundError (404) rather than 403 when the record
exists but is not the caller's, so existence never leaks across roles or
organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from matching.records.profiles import SENSITIVE_FIELDS, CandidateProfile
from matching.records.sides import NotFoundError, Owner, Side
from service.auth import Principal, Role
from service.errors import UnprocessableError
from service.matcher import Matcher
from service.storage import audit_log, interviews


def _hidden(side: Side, rid: int) -> NotFoundError:
    return NotFoundError(f"no {side.value[:-1]} with id {rid}")


def check_candidate(matcher: Matcher, principal: Principal, rid: int) -> Owner:
    """Coordinators of the graduate's organisation, and the graduate themself."""
    owner = matcher.owner(Side.candidates, rid)
    if principal.role is Role.coordinator and owner.org_id == principal.org_id:
        return owner
    if principal.role is Role.graduate and principal.candidate_id == rid:
        return owner
    raise _hidden(Side.candidates, rid)


def check_subject(matcher: Matcher, principal: Principal, role: Role, *, company: str | None,
                  candidate_id: int | None, what: str) -> None:
    """Whom a new token or sign-in link (`what`) is for: a company by name, or a graduate of the
    caller's own organisation (404 for any other)."""
    if role is Role.company and not company:
        raise UnprocessableError(f"company: a company {what} needs the company's name")
    if role is Role.graduate:
        if candidate_id is None:
            raise UnprocessableError(f"candidate_id: a graduate {what} needs the graduate's id")
        check_candidate(matcher, principal, candidate_id)


def check_own_candidate(matcher: Matcher, principal: Principal, rid: int) -> Owner:
    """As `check_candidate`, but a graduate naming any other id is refused with 403 (not 404):
    for what only the graduate themself may start (a draft of their own profile), whether the
    other id exists is never looked up."""
    from service.errors import ForbiddenError

    if principal.role is Role.graduate and principal.candidate_id != rid:
        raise ForbiddenError("a graduate may only start their own profile from a CV")
    return check_candidate(matcher, principal, rid)


def check_posting(matcher: Matcher, principal: Principal, rid: int, *, write: bool) -> Owner:
    """Coordinators of the organisation and the owning company; graduates of the organisation may read."""
    owner = matcher.owner(Side.postings, rid)
    if principal.role is Role.coordinator and owner.org_id == principal.org_id:
        return owner
    if principal.role is Role.company and owner.company_id == principal.company_id:
        return owner
    if principal.role is Role.graduate and not write and owner.org_id == principal.org_id:
        return owner
    raise _hidden(Side.postings, rid)


def scope_for(principal: Principal, side: Side) -> Callable[[Owner], bool]:
    """Which records a list shows to this caller."""
    if side is Side.postings and principal.role is Role.company:
        return lambda owner: owner.company_id == principal.company_id
    if side is Side.candidates and principal.role is Role.graduate:
        raise AssertionError("graduates have no candidate list")  # routes forbid it
    return lambda owner: owner.org_id == principal.org_id


def candidate_view(record: CandidateProfile, *, sensitive: bool) -> dict:
    """A profile as its graduate or coordinator sees it; sensitive fields only when asked for."""
    data = record.model_dump(mode="json")
    if not sensitive:
        for key in SENSITIVE_FIELDS:
            data.pop(key, None)
    return data


def blind_view(record: CandidateProfile, *, named: bool, languages: Iterable[str] = ()) -> dict:
    """What a company sees of a consenting graduate: the work, not the person.

    Exactly the fields that are scored (`COMPANY_VISIBLE`), plus the levels of
    the languages the company's posting asks for and no others: a graduate's
    whole language list (Tigrinya C2, Arabic native) says where they come from.
    """
    asked = set(languages)
    view = {
        "headline": record.headline,
        "skills": record.skills,
        "projects": record.projects,
        "languages": {k: v.value for k, v in record.languages.items() if k in asked},
        "location": record.location,
        "available_from": record.available_from.isoformat() if record.available_from else None,
        "kinds": [k.value for k in record.kinds],
    }
    if named:
        view["name"] = record.name
    return view


def accepted_candidates(session: Session, *, company_id: int) -> set[int]:
    return interviews.accepted_candidates(session, company_id=company_id)


def audit(session: Session, principal: Principal, action: str, candidate_ids: list[int]) -> None:
    """Record reads of profiles: who, when, which, how; never what was read."""
    audit_log.record_reads(session, token_id=principal.token_id, role=principal.role.value,
                           org_id=principal.org_id, action=action, candidate_ids=candidate_ids)
