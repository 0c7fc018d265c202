"""Graduates' profiles: coordinators manage their organisation's, graduates their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from matching.records.profiles import CandidateProfile
from matching.records.sides import Side
from service.api.uploads import read_upload
from service.auth import forget_principals
from service.deps import MatcherDep, SettingsDep
from service.schemas import CandidateList, CandidateOut, Created, ImportReport
from service.usecases import candidates as cases
from service.usecases.rules import caller

router = APIRouter(tags=["candidates"])


@router.post("/candidates", status_code=201, response_model=Created)
def create_candidate(body: CandidateProfile, principal: caller(cases.create), matcher: MatcherDep) -> Created:
    """Add a graduate to the coordinator's organisation."""
    return Created(id=cases.create(matcher, principal, body))


@router.get("/candidates", response_model=CandidateList)
def list_candidates(
    principal: caller(cases.list_page),
    matcher: MatcherDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CandidateList:
    return cases.list_page(matcher, principal, offset=offset, limit=limit)


@router.get("/candidates/{rid}", response_model=CandidateOut)
def read_candidate(rid: int, principal: caller(cases.profile), matcher: MatcherDep) -> CandidateOut:
    return cases.profile(matcher, principal, rid)


@router.put("/candidates/{rid}", response_model=CandidateOut)
def replace_candidate(
    rid: int, body: CandidateProfile, principal: caller(cases.replace), matcher: MatcherDep
) -> CandidateOut:
    return cases.replace(matcher, principal, rid, body)


@router.delete("/candidates/{rid}", status_code=204)
def erase_candidate(rid: int, principal: caller(cases.erase), matcher: MatcherDep, request: Request) -> Response:
    """Erase a graduate everywhere: profile, vectors, cached embedding, tokens, shortlists, fairs to come."""
    cases.erase(matcher, principal, rid)
    forget_principals(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/candidates:import", status_code=201, response_model=ImportReport)
async def import_candidates(
    principal: caller(cases.import_records),
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
    format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
) -> ImportReport:
    """Import graduates, all rows or none."""
    records = await read_upload(file, format, Side.candidates, settings)
    return await run_in_threadpool(cases.import_records, matcher, principal, records)
