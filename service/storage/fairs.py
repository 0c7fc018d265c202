"""Fairs' rows: what the coordinator described (`spec`) and the latest plan (`schedule`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import FairRow


def add(session: Session, *, org_id: int, name: str, spec: dict) -> int:
    row = FairRow(org_id=org_id, name=name, spec=spec)
    session.add(row)
    session.flush()
    return row.id


def get(session: Session, fair_id: int) -> FairRow | None:
    return session.get(FairRow, fair_id)


def of_org(session: Session, *, org_id: int) -> list[FairRow]:
    return list(session.scalars(select(FairRow).where(FairRow.org_id == org_id).order_by(FairRow.id)))


def planned(session: Session, *, org_id: int) -> list[FairRow]:
    """The organisation's fairs that have a schedule, in id order."""
    return list(session.scalars(select(FairRow).where(
        FairRow.org_id == org_id, FairRow.schedule.is_not(None)).order_by(FairRow.id)))


def planned_names(session: Session, *, org_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organisation's planned fairs in id order, without loading their plans."""
    rows = session.execute(select(FairRow.id, FairRow.name).where(
        FairRow.org_id == org_id, FairRow.schedule.is_not(None)).order_by(FairRow.id))
    return [(fair_id, name) for fair_id, name in rows]


def latest_planned(session: Session, *, org_id: int) -> FairRow | None:
    return session.scalars(select(FairRow).where(
        FairRow.org_id == org_id, FairRow.schedule.is_not(None)).order_by(FairRow.id.desc())).first()


def named(session: Session, *, org_id: int, name: str) -> bool:
    return session.scalar(select(FairRow.id).where(FairRow.org_id == org_id, FairRow.name == name)) is not None


def inviting(session: Session, candidate_id: int) -> list[FairRow]:
    """Every fair (of any organisation) whose graduates include this one."""
    return [row for row in session.scalars(select(FairRow)) if candidate_id in row.spec.get("graduates", [])]


def touch(row: FairRow) -> None:
    row.updated_at = dt.datetime.now(dt.UTC)
