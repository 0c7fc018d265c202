"""Companies of an organisation, and which company a posting may be written for."""

from __future__ import annotations

from matching.records.profiles import PostingRecord
from matching.records.sides import NotFoundError, Side
from service.auth import Principal, Role
from service.companies import company_ids, create_company, list_companies, require_company
from service.errors import UnprocessableError
from service.matcher import Matcher
from service.schemas import CompanyOut
from service.storage import companies
from service.usecases.rules import allowed

IMPORT_FIX = "Create the companies first with POST /companies, or send the import again with create_companies=true"


@allowed(Role.coordinator)
def create(matcher: Matcher, principal: Principal, name: str) -> CompanyOut:
    with matcher.sessions.begin() as session:
        return CompanyOut(id=create_company(session, org_id=principal.org_id, name=name), name=name)


@allowed(Role.coordinator, Role.company)
def listing(matcher: Matcher, principal: Principal) -> list[CompanyOut]:
    """The organisation's companies, by name; a company sees only itself."""
    with matcher.sessions() as session:
        rows = list_companies(session, org_id=principal.org_id)
    return [CompanyOut(id=r.id, name=r.name) for r in rows
            if principal.role is Role.coordinator or r.id == principal.company_id]


@allowed(Role.coordinator, Role.company)
def visible(matcher: Matcher, principal: Principal, company_id: int) -> CompanyOut:
    with matcher.sessions() as session:
        row = companies.get(session, company_id)
    mine = row is not None and row.org_id == principal.org_id and (
        principal.role is Role.coordinator or row.id == principal.company_id
    )
    if not mine or row is None:
        raise NotFoundError(f"no company with id {company_id}")
    return CompanyOut(id=row.id, name=row.name)


def own_name(matcher: Matcher, principal: Principal) -> str:
    """A company caller's own name ("" for anyone else)."""
    if principal.company_id is None:
        return ""
    with matcher.sessions() as session:
        return companies.name_of(session, principal.company_id) or ""


def as_company(matcher: Matcher, principal: Principal, record: PostingRecord, rid: int | None = None) -> PostingRecord:
    """The posting's `company` must name an existing company the caller may post for, else 422.

    A company token posts only under its own name; a coordinator names one of the
    organisation's companies (created first with POST /companies); a stored posting
    (`rid`) keeps its company.
    """
    with matcher.sessions() as session:
        if principal.role is Role.company:
            own = companies.get(session, principal.company_id)
            if own is not None and record.company != own.name:
                raise UnprocessableError(
                    f"company: this token is for the company {own.name!r}, so it cannot post "
                    f"for {record.company!r}; send company {own.name!r}")
            return record
        company_id = require_company(session, org_id=principal.org_id, name=record.company)
        current = matcher.owner(Side.postings, rid).company_id if rid is not None else company_id
        if current != company_id:
            stored = companies.get(session, current)
            held = stored.name if stored else f"company {current}"
            raise UnprocessableError(
                f"company: this posting belongs to {held!r} and cannot move to "
                f"{record.company!r}; create a new posting for {record.company!r} instead")
    return record


def check_companies(matcher: Matcher, principal: Principal, records: list[PostingRecord], *,
                    create: bool, fix: str = IMPORT_FIX) -> None:
    """Before encoding an import: every company it names exists (422 listing the others), unless `create`."""
    if create or principal.role is Role.company:
        return
    with matcher.sessions() as session:
        company_ids(session, org_id=principal.org_id, names=[r.company for r in records], fix=fix)
