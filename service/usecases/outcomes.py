"""Outcomes as stored: record one, list them, import many (all or none)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from matching.records.sides import NotFoundError
from service.auth import Principal, Role
from service.bulk_read import ImportRejected
from service.db import OutcomeRow
from service.matcher import Matcher
from service.outcomes import Event, OutcomeIn, OutcomeInputError, as_dict, check
from service.schemas import ImportReport
from service.usecases.rules import allowed


@allowed(Role.coordinator, Role.company)
def record(matcher: Matcher, principal: Principal, body: OutcomeIn) -> int:
    """Store one outcome the caller may record (`service.outcomes.check`); its id."""
    with matcher.sessions.begin() as session:
        row = check(matcher, session, principal, body)
        session.add(row)
        session.flush()
        return row.id


@allowed(Role.coordinator, Role.company)
def listing(matcher: Matcher, principal: Principal, *, graduate_id: int | None, posting_id: int | None,
            company_id: int | None, fair_id: int | None, event: Event | None, since: dt.date | None,
            until: dt.date | None, offset: int, limit: int) -> dict:
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


@allowed(Role.coordinator, Role.company)
def import_rows(matcher: Matcher, principal: Principal, bodies: list[tuple[int, OutcomeIn]],
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

