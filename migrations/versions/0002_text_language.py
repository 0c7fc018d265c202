"""Record each profile's and posting's text language (`text_language` in the stored record).

The schema does not change: records are JSON documents. This is a data
migration: rows written before the field existed get the language detected
from their prose, as new writes do (`matching.text.recipe.with_text_language`), so a
coordinator can filter or count graduates by the language they wrote in from
the first start of the new version, without re-saving every profile.
Rows are read and written in batches, in the upgrade's one transaction.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _prose(table: str, profile: dict) -> str:
    if table == "candidates":
        parts = [profile.get("headline"), profile.get("summary"), *(profile.get("projects") or [])]
    else:
        parts = [profile.get("title"), profile.get("description")]
    return "\n".join(p for p in parts if isinstance(p, str) and p)


def _backfill(table: str) -> None:
    from matching.text.detect import detect_language

    rows = sa.table(table, sa.column("id", sa.Integer), sa.column("profile", sa.JSON))
    bind = op.get_bind()
    last = 0
    while True:
        batch = bind.execute(
            sa.select(rows.c.id, rows.c.profile).where(rows.c.id > last).order_by(rows.c.id).limit(BATCH)
        ).all()
        if not batch:
            return
        for rid, profile in batch:
            if "text_language" not in profile:
                profile = dict(profile, text_language=detect_language(_prose(table, profile)))
                bind.execute(rows.update().where(rows.c.id == rid).values(profile=profile))
        last = batch[-1][0]


def upgrade() -> None:
    for table in ("candidates", "postings"):
        _backfill(table)


def downgrade() -> None:
    """Drop the field again, so the older version's strict validation accepts the records."""
    bind = op.get_bind()
    for table in ("candidates", "postings"):
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("profile", sa.JSON))
        for rid, profile in bind.execute(sa.select(rows.c.id, rows.c.profile)).all():
            if "text_language" in profile:
                trimmed = {k: v for k, v in profile.items() if k != "text_language"}
                bind.execute(rows.update().where(rows.c.id == rid).values(profile=trimmed))
