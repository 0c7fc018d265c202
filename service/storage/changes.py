"""The change feed: every committed write, in order, so other processes can follow it."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matching.records.sides import Side
from service.db import ChangeRow

# Held from a write's first change-feed row to its commit (PostgreSQL): see record_changes.
CHANGE_FEED_LOCK = 0x62_6D_63_66  # "bmcf"


def record_changes(session: Session, *, side: Side, ids: list[int]) -> list[int]:
    """Append to the change feed inside the writing transaction (so it commits with the rows).

    Readers follow the feed by sequence number, so numbers must become visible
    in order. SQLite has one writer at a time; on PostgreSQL several processes
    write at once, so each takes a transaction-level advisory lock first: the
    next writer draws its numbers only after this one has committed.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_FEED_LOCK})
    rows = [ChangeRow(side=side.value, record_id=rid) for rid in ids]
    session.add_all(rows)
    session.flush()
    return [row.seq for row in rows]



def last_change(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeRow.seq))) or 0)



def changes_since(session: Session, *, seq: int, limit: int = 10_000) -> list[tuple[int, Side, int]]:
    rows = session.execute(
        select(ChangeRow.seq, ChangeRow.side, ChangeRow.record_id)
        .where(ChangeRow.seq > seq).order_by(ChangeRow.seq).limit(limit)
    ).all()
    return [(s, Side(side), rid) for s, side, rid in rows]
