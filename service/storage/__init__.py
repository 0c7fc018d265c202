"""Storage: the only modules that write SQL, one per aggregate (`records`, `embeddings`, `changes`,
`companies`, `organisations`, `tokens`, `interviews`, `fairs`, `outcomes`, `audit_log`,
`blend_models`); the tables and the engine are `service.db`'s. Each function takes the caller's
session, so the use case owns the transaction (`tests/service/test_layering.py` keeps SQL here).

`Storage` below: the database alone, for commands that neither rank nor encode.

`bridgematch export`, `token create`, `init`, `company …` read and write rows
only; opening the whole catalogue for them (`service.app.build_matcher`) would
load the model, map every skill to ESCO and rebuild indexes — ~15 s for a
command that needs 1. `Storage` holds what they do need: a session factory on
the migrated database. It never takes the writer lock (rows are written in
transactions, safe beside a running server; a server picks changed records up
from the change feed).
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.orm import sessionmaker

from matching.records.sides import Record, Side
from service.settings import Settings


class HasSessions(Protocol):
    """What row-only helpers (`service.bootstrap.init`) need: a `Matcher` or a `Storage`."""

    sessions: sessionmaker


class Storage:
    """Sessions on the configured database, closed with `close()` or a `with` block."""

    def __init__(self, settings: Settings) -> None:
        from service.db import make_engine, make_sessions

        self.sessions: sessionmaker = make_sessions(make_engine(settings.database_url))

    def close(self) -> None:
        self.sessions.kw["bind"].dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def records(self, side: Side) -> list[tuple[int, Record]]:
        """Every record of a side in id order, as the catalogue would list them."""
        from service.storage import records

        with self.sessions() as session:
            return [(rid, record) for rid, record, _, _ in records.all_rows(session, side=side)]

    def exists(self, side: Side, rid: int) -> bool:
        from service.storage import records

        with self.sessions() as session:
            return bool(records.rows_by_id(session, side=side, ids=[rid]))

