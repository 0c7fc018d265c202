"""`import`, `export` and `reindex`: records in and out of the database, and the indexes rebuilt."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from matching.records.sides import Side
from service.cli.common import (
    DEFAULT_ORG,
    Kind,
    console,
    err,
    loading,
    opened,
    progress_callback,
    stored,
)
from service.settings import get_settings


def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    kind: Annotated[Kind, typer.Option("--kind", help="What the file holds.")],
    format: Annotated[str | None, typer.Option(help="csv, parquet or json (default: by extension).")] = None,
    org: Annotated[str, typer.Option(help="Organisation (coding school) the records belong to.")] = DEFAULT_ORG,
    create_companies: Annotated[bool, typer.Option(
        "--create-companies", help="Postings: create the companies the file names that do not exist yet.")] = False,
) -> None:
    """Import a CSV, Parquet or JSON file; all rows or none, at most BRIDGEMATCH_MAX_IMPORT_ROWS.
    Postings name existing companies."""
    from service.bulk import load_records
    from service.bulk_read import ImportRejected, detect_format

    side = Side(kind.value)
    try:
        fmt = detect_format(file.name, format)
        records = load_records(file.read_bytes(), fmt, side, max_rows=get_settings().max_import_rows)
    except ImportRejected as exc:
        err.print(f"[red]nothing imported:[/] {len(exc.errors)} bad row(s)")
        for line in exc.errors[:50]:
            err.print(f"  {line}")
        raise typer.Exit(1) from exc
    except ValueError as exc:
        err.print(f"[red]nothing imported:[/] {exc}")
        raise typer.Exit(1) from exc
    from service.companies import UnknownCompanyError, company_ids
    from service.storage.records import org_owners
    from service.usecases.first_start import init

    fix = "Create them first with `bridgematch company create NAME`, or import again with --create-companies"
    with opened(writer=True) as matcher:
        org_id, _ = init(matcher, org)
        try:
            if side is Side.postings and not create_companies:  # before encoding, which takes a while
                with matcher.sessions() as session:
                    names = [r.company for r in records]  # type: ignore[union-attr]
                    company_ids(session, org_id=org_id, names=names, fix=fix)
            with loading(f"importing {len(records)} {side.value}") as bar:
                ids = matcher.create(
                    side, records, org_owners(side, org_id, records, create_companies=create_companies),
                    progress_callback(bar, "encoding records"),
                )
        except UnknownCompanyError as exc:
            err.print(f"[red]nothing imported:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
    console.print(f"imported {len(ids)} {side.value}")


def export(
    kind: Annotated[Kind, typer.Option("--kind")],
    file: Annotated[Path, typer.Argument(dir_okay=False)],
    format: Annotated[str | None, typer.Option(help="csv, parquet or json (default: by extension).")] = None,
    include_sensitive: Annotated[bool, typer.Option(help="Add nationality, origin, status.")] = False,
) -> None:
    """Export one side to CSV (formula-safe), Parquet or JSON (rows from the database; no model)."""
    from service.bulk import export_bytes
    from service.bulk_read import detect_format

    side = Side(kind.value)
    try:
        fmt = detect_format(file.name, format)
    except ValueError as exc:
        err.print(f"[red]nothing exported:[/] {exc}")
        raise typer.Exit(1) from exc
    with stored() as storage:
        items = storage.records(side)
    file.write_bytes(export_bytes(items, fmt, side=side, include_sensitive=include_sensitive))
    console.print(f"wrote {len(items)} {side.value} to {file}")


def reindex() -> None:
    """Rebuild both FAISS indexes from the database (cached embeddings are reused)."""
    with opened(writer=True) as matcher, loading("rebuilding indexes (cached vectors are reused)"):
        counts = matcher.reindex()
    console.print(f"reindexed {counts}")
