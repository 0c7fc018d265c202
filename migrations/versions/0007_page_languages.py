"""The page language each person chose, kept with them rather than with one browser's cookie.

One new table, `page_languages` (person key → language code). A graduate's row is deleted with
the graduate (the erasure path).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "page_languages",
        sa.Column("person", sa.String(40), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("person"),
    )


def downgrade() -> None:
    op.drop_table("page_languages")
