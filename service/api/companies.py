"""Companies: a coordinator creates them by name; a company token sees only its own."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import MatcherDep
from service.schemas import CompanyIn, CompanyOut
from service.usecases import companies
from service.usecases.rules import caller

router = APIRouter(tags=["companies"])


@router.post("/companies", status_code=201, response_model=CompanyOut)
def create(body: CompanyIn, principal: caller(companies.create), matcher: MatcherDep) -> CompanyOut:
    """Create a company of the organisation (409 if the name exists); then issue its token."""
    return companies.create(matcher, principal, body.name)


@router.get("/companies", response_model=list[CompanyOut])
def list_all(principal: caller(companies.listing), matcher: MatcherDep) -> list[CompanyOut]:
    """The organisation's companies, by name; a company sees only itself."""
    return companies.listing(matcher, principal)


@router.get("/companies/{company_id}", response_model=CompanyOut)
def read(company_id: int, principal: caller(companies.visible), matcher: MatcherDep) -> CompanyOut:
    return companies.visible(matcher, principal, company_id)
