"""Postings: companies own theirs, coordinators manage their organisation's, graduates read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from sqlalchemy.orm import Session

from matching.profiles import PostingRecord
from service.access import check_posting, scope_for
from service.api.uploads import read_upload
from service.auth import Anyone, Coordinator, CoordinatorOrCompany, Principal, Role, roles_extra
from service.db import CompanyRow
from service.deps import MatcherDep, SettingsDep
from service.matcher import Matcher
from service.schemas import Created, ImportReport, PostingList, PostingOut
from service.store import Owner, Side, org_owners

router = APIRouter(tags=["postings"])
ALL = roles_extra(Role.coordinator, Role.company, Role.graduate)
COORD_COMP = roles_extra(Role.coordinator, Role.company)


def as_company(matcher: Matcher, principal: Principal, record: PostingRecord) -> PostingRecord:
    """A company always posts under its own name."""
    if principal.role is not Role.company:
        return record
    with matcher.sessions() as session:
        company = session.get(CompanyRow, principal.company_id)
    return record.model_copy(update={"company": company.name if company else record.company})


def owners_for(principal: Principal, records: list[PostingRecord]) -> Callable[[Session], list[Owner]]:
    """Owners resolved inside the insert's transaction; a coordinator's new company names create companies."""
    if principal.role is Role.company:
        return lambda _session: [Owner(principal.org_id, principal.company_id)] * len(records)
    return org_owners(Side.postings, principal.org_id, list(records))


@router.post("/postings", status_code=201, response_model=Created, openapi_extra=COORD_COMP)
def create_posting(body: PostingRecord, principal: CoordinatorOrCompany, matcher: MatcherDep) -> Created:
    record = as_company(matcher, principal, body)
    return Created(id=matcher.create(Side.postings, [record], owners_for(principal, [record]))[0])


@router.get("/postings", response_model=PostingList, openapi_extra=ALL)
def list_postings(
    principal: Anyone,
    matcher: MatcherDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PostingList:
    scope = scope_for(principal, Side.postings)
    items = matcher.list(Side.postings, offset=offset, limit=limit, scope=scope)
    return PostingList(
        total=len(matcher.ids(Side.postings, scope)), offset=offset, limit=limit,
        items=[PostingOut(id=rid, **rec.model_dump()) for rid, rec in items],
    )


@router.get("/postings/{rid}", response_model=PostingOut, openapi_extra=ALL)
def read_posting(rid: int, principal: Anyone, matcher: MatcherDep) -> PostingOut:
    check_posting(matcher, principal, rid, write=False)
    return PostingOut(id=rid, **matcher.get(Side.postings, rid).model_dump())


@router.put("/postings/{rid}", response_model=PostingOut, openapi_extra=COORD_COMP)
def replace_posting(
    rid: int, body: PostingRecord, principal: CoordinatorOrCompany, matcher: MatcherDep
) -> PostingOut:
    check_posting(matcher, principal, rid, write=True)
    body = as_company(matcher, principal, body)
    stored = matcher.update(Side.postings, rid, body)
    return PostingOut(id=rid, **stored.model_dump())


@router.delete("/postings/{rid}", status_code=204, openapi_extra=COORD_COMP)
def delete_posting(rid: int, principal: CoordinatorOrCompany, matcher: MatcherDep) -> Response:
    check_posting(matcher, principal, rid, write=True)
    matcher.delete(Side.postings, rid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/postings:import", status_code=201, response_model=ImportReport, openapi_extra=roles_extra(Role.coordinator))
async def import_postings(
    principal: Coordinator,
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
    format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
) -> ImportReport:
    """Import postings, all rows or none; companies are created by name in the organisation."""
    from starlette.concurrency import run_in_threadpool

    records = await read_upload(file, format, Side.postings, settings)
    ids = await run_in_threadpool(matcher.create, Side.postings, records, owners_for(principal, records))
    return ImportReport(imported=len(ids), ids=ids)
