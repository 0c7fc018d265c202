"""Alembic environment: the models of `service.db` are the target schema.

`service.migrate` passes an open connection in `config.attributes["connection"]`;
the `alembic` command line instead builds an engine from BRIDGEMATCH_DATABASE_URL.
SQLite gets batch mode, because it can only change a table by copying it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from service.db import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    from service.migrate import normalise_url
    from service.settings import Settings

    return normalise_url(context.config.get_main_option("sqlalchemy.url") or Settings().database_url)


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := context.config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()
