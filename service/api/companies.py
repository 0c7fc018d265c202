"""Companies: a coordinator creates them by name; a company token sees only its own."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from matching.records.sides import NotFoundError
from service.auth import Coordinator, CoordinatorOrCompany, Principal, Role
from service.companies import UnknownCompanyError, create_company, list_companies
from service.db import CompanyRow
from service.deps import MatcherDep
from service.matcher import Matcher
from service.schemas import CompanyIn, CompanyOut

router = APIRouter(tags=["companies"])


def unknown_company(exc: UnknownCompanyError) -> HTTPException:
    """The refusal for a name that is no company of the organisation (422, with the hint)."""
    return HTTPException(422, str(exc))


@router.post("/companies", status_code=201, response_model=CompanyOut)
def create(body: CompanyIn, principal: Coordinator, matcher: MatcherDep) -> CompanyOut:
    """Create a company of the organisation (409 if the name exists); then issue its token."""
    with matcher.sessions.begin() as session:
        company_id = create_company(session, org_id=principal.org_id, name=body.name)
    return CompanyOut(id=company_id, name=body.name)


@router.get("/companies", response_model=list[CompanyOut])
def list_all(principal: CoordinatorOrCompany, matcher: MatcherDep) -> list[CompanyOut]:
    """The organisation's companies, by name; a company sees only itself."""
    with matcher.sessions() as session:
        rows = list_companies(session, org_id=principal.org_id)
    return [CompanyOut(id=r.id, name=r.name) for r in rows
            if principal.role is Role.coordinator or r.id == principal.company_id]


def visible_company(matcher: Matcher, principal: Principal, company_id: int) -> CompanyOut:
    with matcher.sessions() as session:
        row = session.get(CompanyRow, company_id)
    mine = row is not None and row.org_id == principal.org_id and (
        principal.role is Role.coordinator or row.id == principal.company_id
    )
    if not mine:
        raise NotFoundError(f"no company with id {company_id}")
    assert row is not None
    return CompanyOut(id=row.id, name=row.name)


@router.get("/companies/{company_id}", response_model=CompanyOut)
def read(company_id: int, principal: CoordinatorOrCompany, matcher: MatcherDep) -> CompanyOut:
    return visible_company(matcher, principal, company_id)
