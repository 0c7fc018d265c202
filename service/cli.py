"""The `bridgematch` command line: serve, import, export, match, reindex."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from service.bulk import ImportRejected, detect_format, export_bytes, parse_records, read_rows
from service.settings import get_settings
from service.store import NotFoundError, Side

app = typer.Typer(help="bridgematch: job matching for coding-school graduates.", no_args_is_help=True)
match_app = typer.Typer(help="Ranked matches for one graduate or posting.", no_args_is_help=True)
app.add_typer(match_app, name="match")
console = Console()
err = Console(stderr=True)


class Kind(str, Enum):
    candidates = "candidates"
    postings = "postings"


def _matcher():  # type: ignore[no-untyped-def]
    from service.app import build_matcher

    with console.status("loading model and indexes"):
        return build_matcher(get_settings())


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console,
    )


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Load the demo data first (only what is missing).")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
) -> None:
    """Serve the JSON API (docs at /docs)."""
    import uvicorn

    from service.app import create_app
    from service.demo import load_demo

    settings = get_settings()
    matcher = _matcher()
    if demo:
        added = load_demo(matcher, settings.data_dir)
        console.print(f"demo data: added {added}")
    console.print(f"serving on http://{host or settings.host}:{port or settings.port}  (docs: /docs)")
    uvicorn.run(create_app(settings, matcher), host=host or settings.host, port=port or settings.port)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    kind: Annotated[Kind, typer.Option("--kind", help="What the file holds.")],
    format: Annotated[str | None, typer.Option(help="csv, parquet or json (default: by extension).")] = None,
) -> None:
    """Import a CSV, Parquet or JSON file; all rows or none."""
    side = Side(kind.value)
    try:
        records = parse_records(read_rows(file.read_bytes(), detect_format(file.name, format)), side)
    except ImportRejected as exc:
        err.print(f"[red]nothing imported:[/] {len(exc.errors)} bad row(s)")
        for line in exc.errors[:50]:
            err.print(f"  {line}")
        raise typer.Exit(1) from exc
    except ValueError as exc:
        err.print(f"[red]nothing imported:[/] {exc}")
        raise typer.Exit(1) from exc
    matcher = _matcher()
    with _progress() as bar:
        task = bar.add_task("encoding", total=len(records))
        ids = matcher.create(side, records, lambda done, total: bar.update(task, completed=done, total=total))
        bar.update(task, completed=bar.tasks[0].total or len(records))
    console.print(f"imported {len(ids)} {side.value}")


@app.command()
def export(
    kind: Annotated[Kind, typer.Option("--kind")],
    file: Annotated[Path, typer.Argument(dir_okay=False)],
    format: Annotated[str | None, typer.Option(help="csv, parquet or json (default: by extension).")] = None,
    include_sensitive: Annotated[bool, typer.Option(help="Add nationality, origin, status.")] = False,
) -> None:
    """Export one side to CSV (formula-safe), Parquet or JSON."""
    side = Side(kind.value)
    matcher = _matcher()
    items = matcher.list(side, offset=0, limit=len(matcher.sides[side].records))
    fmt = detect_format(file.name, format)
    file.write_bytes(export_bytes(items, fmt, side=side, include_sensitive=include_sensitive))
    console.print(f"wrote {len(items)} {side.value} to {file}")


def _print_matches(matches: list, as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps({"items": [m.as_dict() for m in matches]}, default=str, ensure_ascii=False, indent=1))
        return
    table = Table(title=title)
    for col in ("id", "score", "what", "matched", "missing", "languages"):
        table.add_column(col)
    for m in matches:
        what = m.extra.get("title") or m.extra.get("headline") or ""
        if m.extra.get("company"):
            what = f"{what} — {m.extra['company']}"
        table.add_row(
            str(m.id), f"{m.score:.3f}", str(what), ", ".join(m.explanation.matched_skills),
            ", ".join(m.explanation.missing_skills), "ok" if m.explanation.languages_ok else "no",
        )
    console.print(table)


@match_app.command("candidate")
def match_candidate(
    rid: Annotated[int, typer.Argument(help="Candidate id")],
    limit: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Postings for a graduate."""
    try:
        matches = _matcher().matches_for_candidate(rid, limit=limit)
    except NotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    _print_matches(matches, as_json, f"postings for candidate {rid}")


@match_app.command("posting")
def match_posting(
    rid: Annotated[int, typer.Argument(help="Posting id")],
    limit: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Consenting graduates for a posting."""
    try:
        matches = _matcher().matches_for_posting(rid, limit=limit)
    except NotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    _print_matches(matches, as_json, f"candidates for posting {rid}")


@app.command()
def reindex() -> None:
    """Rebuild both FAISS indexes from the database (cached embeddings are reused)."""
    counts = _matcher().reindex()
    console.print(f"reindexed {counts}")


@app.command()
def demo() -> None:
    """Load the demo graduates and postings (only those missing)."""
    from service.demo import load_demo

    console.print(f"added {load_demo(_matcher(), get_settings().data_dir)}")


if __name__ == "__main__":
    app()
