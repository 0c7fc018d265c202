"""Scale-out commands (docs/scaling.md): `db upgrade`, `embed` a corpus ahead of import, `load-embeddings`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.records.sides import Side
from service.cli.common import Kind, console, err
from service.settings import get_settings

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to BRIDGEMATCH_DATABASE_URL (SQLite or PostgreSQL).

    Servers also upgrade when they start; run this first to migrate once, ahead of a rollout.
    """
    from service.db import make_engine
    from service.migrate import current, head

    engine = make_engine(get_settings().database_url)  # migrates
    try:
        with engine.connect() as connection:
            revision = current(connection)
    finally:
        engine.dispose()
    console.print(f"database schema at revision {revision} (newest: {head()})")


def embed(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or Parquet rows in the import format")],
    out: Annotated[Path, typer.Argument(file_okay=False, help="New folder for the Parquet embeddings")],
    address: Annotated[str | None, typer.Argument(help="Ray cluster to join (with --ray); none: a local Ray")] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="What the rows are.")] = Kind.candidates,
    ray: Annotated[bool, typer.Option("--ray", help="Encode with Ray Data (pip install 'bridgematch[ray]').")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Ray actors, each holding one encoder.")] = 1,
    threads: Annotated[int | None, typer.Option(min=1, help="Torch threads per encoder.")] = None,
    batch_size: Annotated[int, typer.Option(min=1)] = 256,
    id_column: Annotated[str, typer.Option(help="Column that keys each row.")] = "external_id",
) -> None:
    """Embed a large corpus ahead of import: `embed people.csv vectors/ --ray [ADDRESS]`.

    Writes (id, text_hash, model, vector) to Parquet; `load-embeddings` puts them in the
    database's embedding cache, so importing the same rows encodes nothing.
    """
    from service.scaleout.embed import LOCAL, CorpusError, embed_corpus

    if address and not ray:
        err.print("an ADDRESS is only used with --ray")
        raise typer.Exit(1)
    try:
        report = embed_corpus(
            source, out, side=Side(kind.value), ray_address=(address or LOCAL) if ray else None,
            workers=workers, threads=threads, batch_size=batch_size, model=get_settings().model,
            id_column=id_column,
        )
    except (CorpusError, RuntimeError) as exc:
        err.print(f"[red]nothing embedded:[/] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"embedded {report.rows} rows in {report.seconds:.1f} s "
                  f"({report.rows_per_second:.0f} rows/s) into {report.out}")


def load_embeddings_cmd(
    path: Annotated[Path, typer.Argument(exists=True, help="Folder (or file) written by `embed`")],
) -> None:
    """Put vectors from `embed` into the database's embedding cache (safe beside a running server)."""
    from models.lazy import describe
    from service.db import make_engine, make_sessions
    from service.scaleout.embed import CorpusError, load_embeddings

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        rows = load_embeddings(make_sessions(engine), path, model=describe(settings.model)[0])
    except CorpusError as exc:
        err.print(f"[red]nothing loaded:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"loaded {rows} vectors into the embedding cache")
