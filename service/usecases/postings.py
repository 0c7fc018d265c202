"""Postings: a company writes its own, a coordinator the organisation's, and anyone of the
organisation reads them (a company only its own). What the routes and pages both run."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from matching.records.profiles import PostingRecord
from matching.records.sides import Owner, Record, Side
from service.access import check_posting, scope_for
from service.auth import Principal, Role
from service.matcher import Matcher, Progress
from service.metrics import IMPORT_ROWS
from service.schemas import ImportReport, PostingList, PostingOut
from service.storage.records import org_owners
from service.usecases import companies
from service.usecases.rules import allowed


def owners_for(
    principal: Principal, records: list[PostingRecord], *, create_companies: bool = False
) -> Callable[[Session], list[Owner]]:
    """Owners resolved inside the insert's transaction: existing companies only, unless `create_companies`."""
    if principal.role is Role.company:
        return lambda _session: [Owner(principal.org_id, principal.company_id)] * len(records)
    return org_owners(Side.postings, principal.org_id, list(records), create_companies=create_companies)


@allowed(Role.coordinator, Role.company)
def create(matcher: Matcher, principal: Principal, body: PostingRecord) -> int:
    """A new posting for a company the caller may post for (`companies.as_company`); its id."""
    record = companies.as_company(matcher, principal, body)
    return matcher.create(Side.postings, [record], owners_for(principal, [record]))[0]


@allowed(Role.coordinator, Role.company, Role.graduate)
def list_page(matcher: Matcher, principal: Principal, *, offset: int, limit: int) -> PostingList:
    scope = scope_for(principal, Side.postings)
    items = matcher.list(Side.postings, offset=offset, limit=limit, scope=scope)
    return PostingList(total=len(matcher.ids(Side.postings, scope)), offset=offset, limit=limit,
                       items=[PostingOut(id=rid, **rec.model_dump()) for rid, rec in items])


@allowed(Role.coordinator, Role.company, Role.graduate)
def read(matcher: Matcher, principal: Principal, rid: int) -> PostingOut:
    check_posting(matcher, principal, rid, write=False)
    return PostingOut(id=rid, **matcher.get(Side.postings, rid).model_dump())


@allowed(Role.coordinator, Role.company)
def replace(matcher: Matcher, principal: Principal, rid: int, body: PostingRecord) -> PostingOut:
    check_posting(matcher, principal, rid, write=True)
    body = companies.as_company(matcher, principal, body, rid)
    return PostingOut(id=rid, **matcher.update(Side.postings, rid, body).model_dump())


@allowed(Role.coordinator, Role.company)
def delete(matcher: Matcher, principal: Principal, rid: int) -> None:
    check_posting(matcher, principal, rid, write=True)
    matcher.delete(Side.postings, rid)


@allowed(Role.coordinator)
def check_import(matcher: Matcher, principal: Principal, records: list[Record], *, create_companies: bool,
                 fix: str = companies.IMPORT_FIX) -> None:
    """Before encoding an import: every company it names exists (422 listing the others), unless created."""
    companies.check_companies(matcher, principal, records, create=create_companies, fix=fix)  # type: ignore[arg-type]


@allowed(Role.coordinator)
def import_records(matcher: Matcher, principal: Principal, records: list[Record], *,
                   create_companies: bool = False, progress: Progress | None = None) -> ImportReport:
    """Insert validated postings, all or none; each names an existing company unless `create_companies`."""
    owners = owners_for(principal, records, create_companies=create_companies)  # type: ignore[arg-type]
    ids = matcher.create(Side.postings, records, owners, progress)
    IMPORT_ROWS.labels(Side.postings.value).inc(len(ids))
    return ImportReport(imported=len(ids), ids=ids)
