"""Outcomes: what happened after a match (shortlisted, interviewed, offer, hired, declined, no-show).

One new table, `outcomes`, holding ids, an event name and a date; nothing is
copied from profiles. Rows are deleted with their graduate (the erasure path),
so the table holds no one who asked to be forgotten.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=True),
        sa.Column("fair_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"]),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outcomes_candidate_id", "outcomes", ["candidate_id"])
    op.create_index("ix_outcomes_company_id", "outcomes", ["company_id"])
    op.create_index("ix_outcomes_posting_id", "outcomes", ["posting_id"])
    op.create_index("ix_outcomes_fair_id", "outcomes", ["fair_id"])
    op.create_index("ix_outcomes_org_date", "outcomes", ["org_id", "happened_on"])


def downgrade() -> None:
    op.drop_table("outcomes")
