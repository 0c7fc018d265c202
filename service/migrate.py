"""Schema migrations (Alembic), applied at start-up and by `bridgematch db upgrade`.

Every process calls `upgrade` when it opens the database; when the schema is
already at the newest revision that costs one small query. A database made
before migrations existed (by `create_all`: the first revision's tables, or
some of them if an older version made it) gets any missing ones, is stamped
with the first revision, then upgraded.
On PostgreSQL the whole upgrade is one transaction under an advisory lock, so
several servers starting together on an empty database create it once.

Example:
    >>> from sqlalchemy import create_engine
    >>> upgrade(create_engine("sqlite://"))  # an empty database gets every table
    '0007'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
# The revision whose tables `create_all` used to make: older databases are stamped with it.
BASELINE = "0001"
BASELINE_TABLES = frozenset({
    "organisations", "companies", "candidates", "postings", "embeddings", "tokens", "interviews",
    "audit_log", "fairs", "changes",
})
# Any constant works; it only has to be the same in every bridgematch process.
_PG_LOCK = 0x62_6D_6D_69  # "bmmi"
_REVISION = re.compile(r"^revision\b[^=]*=\s*[\"'](\w+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"'](\w+)[\"']")


def normalise_url(url: str) -> str:
    """Send plain `postgresql://` URLs to psycopg 3 (SQLAlchemy's default would be psycopg2).

    Example:
        >>> normalise_url("postgresql://bm@db/bm")
        'postgresql+psycopg://bm@db/bm'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache
def head() -> str:
    """The newest revision in `migrations/versions`.

    Read from the files' `revision` / `down_revision` lines rather than through
    Alembic, whose import alone costs a third of a second at every start-up;
    `tests/service/contract/test_postgres.py` holds the two answers equal.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision:
            revisions.add(revision.group(1))
        if down:
            parents.update(_QUOTED.findall(down.group(1)))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"expected one head revision in {MIGRATIONS}, found {sorted(heads)}")
    return heads.pop()


def current(connection: Connection) -> str | None:
    """The database's revision, or None when it has never been migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _adopt(connection: Connection) -> None:
    """A database from before migrations: add the baseline tables it lacks, as `create_all` did
    (one made by an older version may predate a table, such as the change feed)."""
    from service.db import Base

    existing = set(inspect(connection).get_table_names())
    missing = [Base.metadata.tables[name] for name in BASELINE_TABLES - existing]
    Base.metadata.create_all(connection, tables=missing)


def _upgrade(connection: Connection) -> str | None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    found = current(connection)
    if found == head():
        return found
    config = _config(connection)
    if found is None and inspect(connection).has_table("candidates"):
        _adopt(connection)
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    return current(connection)


def upgrade(engine: Engine) -> str | None:
    """Bring the schema to the newest revision (idempotent); returns the revision it is at."""
    try:
        with engine.begin() as connection:
            return _upgrade(connection)
    except DBAPIError:
        # Another process (SQLite has no advisory lock) may have migrated in the meantime.
        with engine.connect() as connection:
            if current(connection) == head():
                return head()
        raise
