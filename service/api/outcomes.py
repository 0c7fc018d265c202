"""Outcomes: companies record their own, coordinators any in their organisation; graduates none."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile

from service.bulk_read import TooLarge
from service.deps import MatcherDep, SettingsDep
from service.outcomes import Event, OutcomeIn, parse_csv
from service.schemas import Created, ImportReport
from service.usecases import outcomes as outcome_cases
from service.usecases.rules import caller

router = APIRouter(tags=["outcomes"])


@router.post("/outcomes", status_code=201, response_model=Created)
def record_outcome(body: OutcomeIn, principal: caller(outcome_cases.record), matcher: MatcherDep) -> Created:
    """Record what happened (shortlisted … hired, declined, no-show) between a graduate and a company."""
    return Created(id=outcome_cases.record(matcher, principal, body))


@router.get("/outcomes")
def list_outcomes(
    principal: caller(outcome_cases.listing),
    matcher: MatcherDep,
    graduate_id: int | None = None,
    posting_id: int | None = None,
    company_id: int | None = None,
    fair_id: int | None = None,
    event: Event | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict:
    """The caller's outcomes (a company's own; a coordinator's organisation's), oldest first."""
    return outcome_cases.listing(
        matcher, principal, graduate_id=graduate_id, posting_id=posting_id, company_id=company_id,
        fair_id=fair_id, event=event, since=since, until=until, offset=offset, limit=limit)


@router.post("/outcomes:import", status_code=201, response_model=ImportReport)
async def import_outcomes(
    principal: caller(outcome_cases.import_rows),
    matcher: MatcherDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV: graduate_id, posting_id, company_id, fair_id, event, date")],
) -> ImportReport:
    """Import outcomes from CSV, all rows or none; each bad row (also unknown ids) is named."""
    from starlette.concurrency import run_in_threadpool

    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"file is larger than {settings.max_upload_bytes} bytes")
    try:
        bodies, errors = parse_csv(data, max_rows=settings.max_import_rows)
    except TooLarge as exc:
        raise HTTPException(413, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    if not bodies and not errors:
        raise HTTPException(422, "the file holds no rows")
    return await run_in_threadpool(outcome_cases.import_rows, matcher, principal, bodies, errors)
