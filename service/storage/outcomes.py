"""Outcomes of matches (shortlisted … hired): stored, listed by filters, read for the audit and
the learned blend, erased with the graduate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.db import OutcomeRow


def add_all(session: Session, rows: list[OutcomeRow]) -> list[int]:
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def page(session: Session, *, org_id: int, equal: dict[str, object], since: dt.date | None,
         until: dt.date | None, offset: int, limit: int) -> tuple[int, list[OutcomeRow]]:
    """(total, one page) of the organisation's outcomes by date, each column in `equal` (by its
    `OutcomeRow` attribute name) equal to its value when that is not None."""
    query = select(OutcomeRow).where(OutcomeRow.org_id == org_id)
    for column, value in equal.items():
        if value is not None:
            query = query.where(getattr(OutcomeRow, column) == value)
    if since is not None:
        query = query.where(OutcomeRow.happened_on >= since)
    if until is not None:
        query = query.where(OutcomeRow.happened_on <= until)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(query.order_by(OutcomeRow.happened_on, OutcomeRow.id).offset(offset).limit(limit))
    return total, list(rows)


def posting_events(session: Session, *, org_id: int) -> list[tuple[int, int, str, dt.date]]:
    """(posting id, graduate id, event, date) of every outcome with a posting."""
    rows = session.execute(select(OutcomeRow.posting_id, OutcomeRow.candidate_id, OutcomeRow.event,
                                  OutcomeRow.happened_on)
                           .where(OutcomeRow.org_id == org_id, OutcomeRow.posting_id.is_not(None)))
    return [(int(p), int(c), e, d) for p, c, e, d in rows]


def candidates_with(session: Session, *, org_id: int, events: Iterable[str],
                    **where: int | list[int]) -> list[int]:
    """The graduate of each outcome with one of `events`, once per outcome; `where` narrows by
    column (a list: any of its values)."""
    query = select(OutcomeRow.candidate_id).where(OutcomeRow.org_id == org_id, OutcomeRow.event.in_(list(events)))
    for column, value in where.items():
        attr = getattr(OutcomeRow, column)
        query = query.where(attr.in_(value) if isinstance(value, list) else attr == value)
    return list(session.scalars(query))


def delete_for_candidate(session: Session, candidate_id: int) -> None:
    session.execute(delete(OutcomeRow).where(OutcomeRow.candidate_id == candidate_id))
