"""Outcomes: companies record their own, coordinators any in their organisation; graduates none."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from sqlalchemy import func, select

from service.auth import CoordinatorOrCompany, Principal, Role
from service.bulk_read import ImportRejected, TooLarge
from service.db import OutcomeRow
from service.deps import MatcherDep, SettingsDep
from service.matcher import Matcher
from service.outcomes import Event, OutcomeIn, OutcomeInputError, as_dict, check, parse_csv
from service.schemas import Created, ImportReport
from service.store import NotFoundError

router = APIRouter(tags=["outcomes"])


@router.post("/outcomes", status_code=201, response_model=Created)
def record_outcome(body: OutcomeIn, principal: CoordinatorOrCompany, matcher: MatcherDep) -> Created:
    """Record what happened (shortlisted … hired, declined, no-show) between a graduate and a company."""
    with matcher.sessions.begin() as session:
        try:
            row = check(matcher, session, principal, body)
        except OutcomeInputError as exc:
            raise HTTPException(422, str(exc)) from exc
        session.add(row)
        session.flush()
        return Created(id=row.id)


@router.get("/outcomes")
def list_outcomes(
    principal: CoordinatorOrCompany,
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
    query = select(OutcomeRow).where(OutcomeRow.org_id == principal.org_id)
    if principal.role is Role.company:
        query = query.where(OutcomeRow.company_id == principal.company_id)
    for column, value in ((OutcomeRow.candidate_id, graduate_id), (OutcomeRow.posting_id, posting_id),
                          (OutcomeRow.company_id, company_id), (OutcomeRow.fair_id, fair_id),
                          (OutcomeRow.event, event.value if event else None)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(OutcomeRow.happened_on >= since)
    if until is not None:
        query = query.where(OutcomeRow.happened_on <= until)
    with matcher.sessions() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(query.order_by(OutcomeRow.happened_on, OutcomeRow.id).offset(offset).limit(limit))
        return {"total": total, "offset": offset, "limit": limit, "items": [as_dict(r) for r in rows]}


@router.post("/outcomes:import", status_code=201, response_model=ImportReport)
async def import_outcomes(
    principal: CoordinatorOrCompany,
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
    return await run_in_threadpool(_import, matcher, principal, bodies, errors)


def _import(matcher: Matcher, principal: Principal, bodies: list[tuple[int, OutcomeIn]],
            errors: dict[int, str]) -> ImportReport:
    """Check every parsed row too, so one answer names all bad rows (422, `ImportRejected`)."""
    with matcher.sessions.begin() as session:
        rows, found = [], dict(errors)
        for number, body in bodies:
            try:
                rows.append(check(matcher, session, principal, body))
            except (NotFoundError, OutcomeInputError) as exc:
                found[number] = f"row {number}: {exc}"
        if found:
            raise ImportRejected([found[n] for n in sorted(found)])
        session.add_all(rows)
        session.flush()
        return ImportReport(imported=len(rows), ids=[r.id for r in rows])

