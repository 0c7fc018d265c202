"""Graduates' profiles: coordinators manage their organisation's, graduates their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from service.access import candidate_view, check_candidate, scope_for
from service.api.uploads import read_upload
from service.auth import Coordinator, CoordinatorOrGraduate, forget_principals
from service.deps import MatcherDep, SettingsDep
from service.erasure import erase_references
from service.metrics import IMPORT_ROWS
from service.schemas import CandidateList, CandidateOut, Created, ImportReport
from service.usecases import candidates as candidate_cases

router = APIRouter(tags=["candidates"])


@router.post("/candidates", status_code=201, response_model=Created)
def create_candidate(body: CandidateProfile, principal: Coordinator, matcher: MatcherDep) -> Created:
    """Add a graduate to the coordinator's organisation."""
    return Created(id=matcher.create(Side.candidates, [body], [Owner(principal.org_id)])[0])


@router.get("/candidates", response_model=CandidateList)
def list_candidates(
    principal: Coordinator,
    matcher: MatcherDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CandidateList:
    scope = scope_for(principal, Side.candidates)
    total, items = candidate_cases.listing(matcher, principal, scope, offset=offset, limit=limit)
    return CandidateList(
        total=total, offset=offset, limit=limit,
        items=[CandidateOut(id=rid, **candidate_view(rec, sensitive=True)) for rid, rec in items],
    )


@router.get("/candidates/{rid}", response_model=CandidateOut)
def read_candidate(rid: int, principal: CoordinatorOrGraduate, matcher: MatcherDep) -> CandidateOut:
    check_candidate(matcher, principal, rid)
    record = candidate_cases.read(matcher, principal, rid)
    return CandidateOut(id=rid, **candidate_view(record, sensitive=True))


@router.put("/candidates/{rid}", response_model=CandidateOut)
def replace_candidate(
    rid: int, body: CandidateProfile, principal: CoordinatorOrGraduate, matcher: MatcherDep
) -> CandidateOut:
    check_candidate(matcher, principal, rid)
    stored = matcher.update(Side.candidates, rid, body)
    return CandidateOut(id=rid, **candidate_view(stored, sensitive=True))


@router.delete("/candidates/{rid}", status_code=204)
def erase_candidate(
    rid: int, principal: CoordinatorOrGraduate, matcher: MatcherDep, request: Request
) -> Response:
    """Erase a graduate everywhere: profile, vectors, cached embedding, tokens, shortlists, fairs to come."""
    check_candidate(matcher, principal, rid)
    matcher.delete(Side.candidates, rid, also=lambda session: erase_references(session, rid))
    forget_principals(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/candidates:import", status_code=201, response_model=ImportReport)
async def import_candidates(
    principal: Coordinator,
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
    format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
) -> ImportReport:
    """Import graduates, all rows or none."""
    from starlette.concurrency import run_in_threadpool

    records = await read_upload(file, format, Side.candidates, settings)
    owners = [Owner(principal.org_id)] * len(records)
    ids = await run_in_threadpool(matcher.create, Side.candidates, records, owners)
    IMPORT_ROWS.labels(Side.candidates.value).inc(len(ids))
    return ImportReport(imported=len(ids), ids=ids)
