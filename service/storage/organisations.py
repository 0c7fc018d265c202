"""Organisations (coding schools): found by their unique name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import OrganisationRow


def ensure(session: Session, *, name: str) -> int:
    """The id of the organisation called `name`, created when there is none."""
    row = session.scalar(select(OrganisationRow).where(OrganisationRow.name == name))
    if row is None:
        row = OrganisationRow(name=name)
        session.add(row)
        session.flush()
    return row.id
