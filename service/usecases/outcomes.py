"""Outcomes as stored: record one, list them, import many (all or none)."""

from __future__ import annotations

import datetime as dt

from matching.records.sides import NotFoundError
from service.auth import Principal, Role
from service.bulk_read import ImportRejected
from service.matcher import Matcher
from service.outcomes import Event, OutcomeIn, OutcomeInputError, as_dict, check
from service.schemas import ImportReport
from service.storage import outcomes
from service.usecases.rules import allowed


@allowed(Role.coordinator, Role.company)
def record(matcher: Matcher, principal: Principal, body: OutcomeIn) -> int:
    """Store one outcome the caller may record (`service.outcomes.check`); its id."""
    with matcher.sessions.begin() as session:
        (outcome_id,) = outcomes.add_all(session, [check(matcher, session, principal, body)])
        return outcome_id


@allowed(Role.coordinator, Role.company)
def listing(matcher: Matcher, principal: Principal, *, graduate_id: int | None, posting_id: int | None,
            company_id: int | None, fair_id: int | None, event: Event | None, since: dt.date | None,
            until: dt.date | None, offset: int, limit: int) -> dict:
    equal = {"candidate_id": graduate_id, "posting_id": posting_id, "company_id": company_id,
             "fair_id": fair_id, "event": event.value if event else None}
    with matcher.sessions() as session:
        if principal.role is Role.company:
            if company_id is not None and company_id != principal.company_id:
                return {"total": 0, "offset": offset, "limit": limit, "items": []}
            equal["company_id"] = principal.company_id
        total, rows = outcomes.page(session, org_id=principal.org_id, equal=equal, since=since, until=until,
                                    offset=offset, limit=limit)
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
        return ImportReport(imported=len(rows), ids=outcomes.add_all(session, rows))

