"""Postings: companies own theirs, coordinators manage their organisation's, graduates read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from matching.records.profiles import PostingRecord
from matching.records.sides import Side
from service.api.uploads import read_upload
from service.deps import MatcherDep, SettingsDep
from service.schemas import Created, ImportReport, PostingList, PostingOut
from service.usecases import postings as cases
from service.usecases.rules import caller

router = APIRouter(tags=["postings"])


@router.post("/postings", status_code=201, response_model=Created)
def create_posting(body: PostingRecord, principal: caller(cases.create), matcher: MatcherDep) -> Created:
    return Created(id=cases.create(matcher, principal, body))


@router.get("/postings", response_model=PostingList)
def list_postings(
    principal: caller(cases.list_page),
    matcher: MatcherDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PostingList:
    return cases.list_page(matcher, principal, offset=offset, limit=limit)


@router.get("/postings/{rid}", response_model=PostingOut)
def read_posting(rid: int, principal: caller(cases.read), matcher: MatcherDep) -> PostingOut:
    return cases.read(matcher, principal, rid)


@router.put("/postings/{rid}", response_model=PostingOut)
def replace_posting(
    rid: int, body: PostingRecord, principal: caller(cases.replace), matcher: MatcherDep
) -> PostingOut:
    return cases.replace(matcher, principal, rid, body)


@router.delete("/postings/{rid}", status_code=204)
def delete_posting(rid: int, principal: caller(cases.delete), matcher: MatcherDep) -> Response:
    cases.delete(matcher, principal, rid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/postings:import", status_code=201, response_model=ImportReport)
async def import_postings(
    principal: caller(cases.check_import, cases.import_records),
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
    format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
    create_companies: Annotated[bool, Query(description="create the companies the file names that do not exist yet")] = False,
) -> ImportReport:
    """Import postings, all rows or none; each names an existing company unless `create_companies=true`."""
    records = await read_upload(file, format, Side.postings, settings)
    await run_in_threadpool(cases.check_import, matcher, principal, records, create_companies=create_companies)
    return await run_in_threadpool(cases.import_records, matcher, principal, records,
                                   create_companies=create_companies)
