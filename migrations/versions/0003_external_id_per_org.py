"""External ids are unique per organisation, not across all of them.

With one global constraint a school could learn, or take, the ids another
school uses (a 409 "already used by another candidate"). Each of `candidates`
and `postings` loses its unique constraint on `external_id` alone and gains
one on (`org_id`, `external_id`), which also serves look-ups by external id
within a school. Existing rows already satisfy the new rule.

0001 left the old constraint unnamed: PostgreSQL calls it
`<table>_external_id_key`, SQLite gives it no name at all. So the constraint
is found by its columns; SQLite copies the table (batch mode), where the
unnamed constraint gets a name from a naming convention for the one copy, so
it can be dropped. A database adopted from `create_all` by a newer version
may already have the new constraint and lack the old one: both steps check.

Downgrading restores the global rule, and fails if two schools now share an id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("candidates", "postings")
# Names SQLite's unnamed constraints get while their table is copied.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique(table: str) -> dict[tuple[str, ...], str | None]:
    """The table's unique constraints: columns -> name (None for SQLite's unnamed ones)."""
    found = sa.inspect(op.get_bind()).get_unique_constraints(table)
    return {tuple(uc["column_names"]): uc["name"] for uc in found}


def _swap(table: str, *, drop: tuple[str, ...], add: tuple[str, ...], add_name: str) -> None:
    existing = _unique(table)
    has_old, has_new = drop in existing, add in existing
    if not has_old and has_new:
        return
    sqlite = op.get_bind().dialect.name == "sqlite"
    old_name = existing.get(drop) or f"uq_{table}_{'_'.join(drop)}"
    with op.batch_alter_table(table, naming_convention=SQLITE_NAMES if sqlite else None) as batch:
        if has_old:
            batch.drop_constraint(old_name, type_="unique")
        if not has_new:
            batch.create_unique_constraint(add_name, list(add))


def upgrade() -> None:
    for table in TABLES:
        _swap(table, drop=("external_id",), add=("org_id", "external_id"),
              add_name=f"uq_{table}_org_external_id")


def downgrade() -> None:
    for table in TABLES:
        _swap(table, drop=("org_id", "external_id"), add=("external_id",),
              add_name=f"uq_{table}_external_id")
