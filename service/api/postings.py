"""Postings: companies own theirs, coordinators manage their organisation's, graduates read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from sqlalchemy.orm import Session

from matching.records.profiles import PostingRecord
from matching.records.sides import Owner, Side
from service.access import check_posting, scope_for
from service.api.uploads import read_upload
from service.auth import Anyone, Coordinator, CoordinatorOrCompany, Principal, Role
from service.deps import MatcherDep, SettingsDep
from service.metrics import IMPORT_ROWS
from service.schemas import Created, ImportReport, PostingList, PostingOut
from service.store import org_owners
from service.usecases import companies

router = APIRouter(tags=["postings"])


def owners_for(
    principal: Principal, records: list[PostingRecord], *, create_companies: bool = False
) -> Callable[[Session], list[Owner]]:
    """Owners resolved inside the insert's transaction: existing companies only, unless `create_companies`."""
    if principal.role is Role.company:
        return lambda _session: [Owner(principal.org_id, principal.company_id)] * len(records)
    return org_owners(Side.postings, principal.org_id, list(records), create_companies=create_companies)


@router.post("/postings", status_code=201, response_model=Created)
def create_posting(body: PostingRecord, principal: CoordinatorOrCompany, matcher: MatcherDep) -> Created:
    record = companies.as_company(matcher, principal, body)
    return Created(id=matcher.create(Side.postings, [record], owners_for(principal, [record]))[0])


@router.get("/postings", response_model=PostingList)
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


@router.get("/postings/{rid}", response_model=PostingOut)
def read_posting(rid: int, principal: Anyone, matcher: MatcherDep) -> PostingOut:
    check_posting(matcher, principal, rid, write=False)
    return PostingOut(id=rid, **matcher.get(Side.postings, rid).model_dump())


@router.put("/postings/{rid}", response_model=PostingOut)
def replace_posting(
    rid: int, body: PostingRecord, principal: CoordinatorOrCompany, matcher: MatcherDep
) -> PostingOut:
    check_posting(matcher, principal, rid, write=True)
    body = companies.as_company(matcher, principal, body, rid)
    stored = matcher.update(Side.postings, rid, body)
    return PostingOut(id=rid, **stored.model_dump())


@router.delete("/postings/{rid}", status_code=204)
def delete_posting(rid: int, principal: CoordinatorOrCompany, matcher: MatcherDep) -> Response:
    check_posting(matcher, principal, rid, write=True)
    matcher.delete(Side.postings, rid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/postings:import", status_code=201, response_model=ImportReport)
async def import_postings(
    principal: Coordinator,
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
    format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
    create_companies: Annotated[bool, Query(description="create the companies the file names that do not exist yet")] = False,
) -> ImportReport:
    """Import postings, all rows or none; each names an existing company unless `create_companies=true`."""
    from starlette.concurrency import run_in_threadpool

    records = await read_upload(file, format, Side.postings, settings)
    await run_in_threadpool(companies.check_companies, matcher, principal, records, create=create_companies)
    owners = owners_for(principal, records, create_companies=create_companies)
    ids = await run_in_threadpool(matcher.create, Side.postings, records, owners)
    IMPORT_ROWS.labels(Side.postings.value).inc(len(ids))
    return ImportReport(imported=len(ids), ids=ids)
