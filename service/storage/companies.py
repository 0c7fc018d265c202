"""Companies' rows: by id, by name within an organisation; names are unique per organisation.

The rules about names (did-you-mean hints, explicit creation) are `service.companies`'.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import CompanyRow


def get(session: Session, company_id: int | None) -> CompanyRow | None:
    return None if company_id is None else session.get(CompanyRow, company_id)


def name_of(session: Session, company_id: int | None) -> str | None:
    row = get(session, company_id)
    return row.name if row is not None else None


def of_org(session: Session, *, org_id: int) -> list[CompanyRow]:
    """The organisation's companies by name."""
    return list(session.scalars(select(CompanyRow).where(CompanyRow.org_id == org_id).order_by(CompanyRow.name)))


def by_name(session: Session, *, org_id: int, name: str) -> CompanyRow | None:
    return session.scalar(select(CompanyRow).where(CompanyRow.org_id == org_id, CompanyRow.name == name))


def ids_by_name(session: Session, *, org_id: int, names: Iterable[str]) -> dict[str, int]:
    """Ids of those of `names` that are companies of the organisation (the others are left out)."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(CompanyRow.name, CompanyRow.id).where(CompanyRow.org_id == org_id, CompanyRow.name.in_(chunk))
        )
        found.update((name, company_id) for name, company_id in rows)
    return found


def ensure(session: Session, *, org_id: int, name: str) -> int:
    """The id of the organisation's company `name`, created when there is none."""
    row = by_name(session, org_id=org_id, name=name)
    if row is None:
        row = CompanyRow(org_id=org_id, name=name)
        session.add(row)
        session.flush()
    return row.id


def insert_new(session: Session, *, org_id: int, name: str) -> int | None:
    """A new company's id, or None when the name is taken (also by a request that got there first:
    the insert runs in a savepoint, so the caller's transaction goes on)."""
    if by_name(session, org_id=org_id, name=name) is not None:
        return None
    row = CompanyRow(org_id=org_id, name=name)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row.id
