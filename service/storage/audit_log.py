"""The read log: who read which graduate's profile and when; ids and action only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import AuditRow


def record_reads(session: Session, *, token_id: int | None, role: str, org_id: int, action: str,
                 candidate_ids: Iterable[int]) -> None:
    session.add_all(AuditRow(token_id=token_id, role=role, org_id=org_id, action=action, candidate_id=cid)
                    for cid in candidate_ids)


def recent(session: Session, *, org_id: int, candidate_id: int | None, limit: int) -> list[AuditRow]:
    """Newest first; of one graduate when `candidate_id` is given."""
    query = select(AuditRow).where(AuditRow.org_id == org_id)
    if candidate_id is not None:
        query = query.where(AuditRow.candidate_id == candidate_id)
    return list(session.scalars(query.order_by(AuditRow.id.desc()).limit(limit)))
