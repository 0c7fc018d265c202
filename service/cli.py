"""The `bridgematch` command line: serve, import, export, match, reindex."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from matching.records.sides import NotFoundError, Side
from service.bulk import export_bytes, load_records
from service.bulk_read import ImportRejected, detect_format
from service.cli_draft import draft
from service.cli_evaluate import evaluate_app
from service.matcher import Matcher
from service.settings import Settings, get_settings

app = typer.Typer(help="bridgematch: job matching for coding-school graduates.", no_args_is_help=True)
match_app = typer.Typer(help="Ranked matches for one graduate or posting.", no_args_is_help=True)
app.add_typer(match_app, name="match")
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
company_app = typer.Typer(help="Companies of an organisation (a company token names one).", no_args_is_help=True)
app.add_typer(company_app, name="company")
fair_app = typer.Typer(help="Job fairs.", no_args_is_help=True)
app.add_typer(fair_app, name="fair")
app.add_typer(evaluate_app, name="evaluate", help="Matching quality on labelled data (titles, skills, ranking).")
app.command("draft")(draft)
console = Console()
err = Console(stderr=True)


class Kind(str, Enum):
    candidates = "candidates"
    postings = "postings"


@contextmanager
def _opened(*, writer: bool) -> Iterator[Matcher]:
    """The engine for one command; writers take the index lock (refused while a server runs)."""
    from service.app import build_matcher
    from service.lock import WriterBusyError

    try:
        with console.status("loading model and indexes"):
            matcher = build_matcher(get_settings(), writer=writer)
    except WriterBusyError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    try:
        yield matcher
    finally:
        matcher.close()


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console,
    )


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Load the demo data first (only into an empty database).")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
) -> None:
    """Serve the JSON API (docs at /docs). This process is the only writer of its index folder."""
    settings = get_settings()
    with _opened(writer=True) as matcher:
        _serve(matcher, settings, demo, host, port)


def _serve(matcher: Matcher, settings: Settings, demo: bool, host: str | None, port: int | None) -> None:
    import uvicorn

    from service.app import create_app
    from service.demo import load_demo
    from service.usecases.first_start import demo_tokens, init

    org_id, first = init(matcher)
    if first:
        console.print(f"first coordinator token (shown once): [bold]{first}[/]")
    if demo:
        loaded = load_demo(matcher, settings.data_dir, org_id)
        console.print(f"demo data: {loaded.message}", soft_wrap=True)
        token_file = settings.index_dir.parent / "demo-tokens.json"
        if loaded.added or token_file.exists():  # never new demo keys for a database of real data
            for role, token in demo_tokens(matcher, org_id, token_file).items():
                console.print(f"  {role}: [bold]{token}[/]")
            console.print(f"demo tokens are kept in {token_file}; use them as 'Authorization: Bearer <token>'")
    console.print(f"serving on http://{host or settings.host}:{port or settings.port}  (docs: /docs)")
    # Keep-alive longer than clients' idle gaps, so a server closing a connection never races a new request.
    uvicorn.run(create_app(settings, matcher), host=host or settings.host, port=port or settings.port,
                timeout_keep_alive=30)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    kind: Annotated[Kind, typer.Option("--kind", help="What the file holds.")],
    format: Annotated[str | None, typer.Option(help="csv, parquet or json (default: by extension).")] = None,
    org: Annotated[str, typer.Option(help="Organisation (coding school) the records belong to.")] = "Demo coding school",
    create_companies: Annotated[bool, typer.Option(
        "--create-companies", help="Postings: create the companies the file names that do not exist yet.")] = False,
) -> None:
    """Import a CSV, Parquet or JSON file; all rows or none, at most BRIDGEMATCH_MAX_IMPORT_ROWS.
    Postings name existing companies."""
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
    from service.store import org_owners
    from service.usecases.first_start import init

    fix = "Create them first with `bridgematch company create NAME`, or import again with --create-companies"
    with _opened(writer=True) as matcher:
        org_id, _ = init(matcher, org)
        try:
            if side is Side.postings and not create_companies:  # before encoding, which takes a while
                with matcher.sessions() as session:
                    names = [r.company for r in records]  # type: ignore[union-attr]
                    company_ids(session, org_id=org_id, names=names, fix=fix)
            with _progress() as bar:
                task = bar.add_task("encoding", total=len(records))
                ids = matcher.create(
                    side, records, org_owners(side, org_id, records, create_companies=create_companies),
                    lambda done, total: bar.update(task, completed=done, total=total),
                )
                bar.update(task, completed=bar.tasks[0].total or len(records))
        except UnknownCompanyError as exc:
            err.print(f"[red]nothing imported:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
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
    with _opened(writer=False) as matcher:
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
        with _opened(writer=False) as matcher:
            matches = matcher.matches_for_candidate(rid, limit=limit)
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
        with _opened(writer=False) as matcher:
            matches = matcher.matches_for_posting(rid, limit=limit)
    except NotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    _print_matches(matches, as_json, f"candidates for posting {rid}")


@app.command()
def reindex() -> None:
    """Rebuild both FAISS indexes from the database (cached embeddings are reused)."""
    with _opened(writer=True) as matcher:
        counts = matcher.reindex()
    console.print(f"reindexed {counts}")


@app.command()
def demo() -> None:
    """Load the demo graduates, companies, postings and fair (only into an empty database)."""
    from service.demo import load_demo
    from service.usecases.first_start import init

    with _opened(writer=True) as matcher:
        org_id, _ = init(matcher)
        console.print(load_demo(matcher, get_settings().data_dir, org_id).message, soft_wrap=True)


@app.command("backup")
def backup_cmd(file: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write the backup")]) -> None:
    """Online backup of the SQLite database (safe while the server runs)."""
    from service.backup import PG_GUIDANCE, BackupError, backup

    settings = get_settings()
    if settings.sqlite_path is None:
        err.print(PG_GUIDANCE)
        raise typer.Exit(1)
    try:
        pages = backup(settings.sqlite_path, file)
    except BackupError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"backed up {settings.sqlite_path} to {file} ({pages} pages)")


@app.command("restore")
def restore_cmd(file: Annotated[Path, typer.Argument(dir_okay=False, help="A file made by `backup`")]) -> None:
    """Replace the database with a backup (stop the server first); indexes are rebuilt."""
    from service.backup import PG_GUIDANCE, BackupError, restore
    from service.lock import WriterBusyError, WriterLock

    settings = get_settings()
    if settings.sqlite_path is None:
        err.print(PG_GUIDANCE)
        raise typer.Exit(1)
    try:
        lock = WriterLock(settings.index_dir)
    except WriterBusyError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    try:
        restore(file, settings.sqlite_path, settings.index_dir)
    except BackupError as exc:
        err.print(f"[red]nothing restored:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        lock.release()
    with _opened(writer=True) as matcher:
        counts = {side.value: len(state.records) for side, state in matcher.sides.items()}
    console.print(f"restored {file}: {counts}; indexes rebuilt")


@app.command("init")
def init_cmd(
    org: Annotated[str, typer.Option(help="Organisation (coding school) name.")] = "Demo coding school",
) -> None:
    """Create the organisation and print its first coordinator token (once)."""
    from service.usecases.first_start import init

    with _opened(writer=False) as matcher:
        _, secret = init(matcher, org)
    if secret:
        console.print(f"first coordinator token (shown once, stored hashed): [bold]{secret}[/]")
    else:
        console.print("this organisation already has a coordinator token; use `bridgematch token create`")


class TokenRole(str, Enum):
    coordinator = "coordinator"
    company = "company"
    graduate = "graduate"


@token_app.command("create")
def token_create(
    role: Annotated[TokenRole, typer.Option("--role")],
    company: Annotated[str | None, typer.Option(help="Company name (role company).")] = None,
    candidate_id: Annotated[int | None, typer.Option(help="Graduate's id (role graduate).")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = "Demo coding school",
    label: str = "",
) -> None:
    """Issue an API token; the secret is printed once and stored hashed."""
    from service.auth import Role, ensure_organisation, issue_token
    from service.companies import UnknownCompanyError, require_company

    if role is TokenRole.company and not company:
        err.print("a company token needs --company NAME")
        raise typer.Exit(1)
    with _opened(writer=False) as matcher, matcher.sessions.begin() as session:
        if role is TokenRole.graduate and (
            candidate_id is None or candidate_id not in matcher.sides[Side.candidates].records
        ):
            err.print("a graduate token needs --candidate-id of an existing graduate")
            raise typer.Exit(1)
        org_id = ensure_organisation(session, org)
        try:
            company_id = require_company(
                session, org_id=org_id, name=company.strip(),
                fix=f"Create it first with `bridgematch company create {company.strip()!r}`",
            ) if company and role is TokenRole.company else None
        except UnknownCompanyError as exc:
            err.print(escape(str(exc)), soft_wrap=True)
            raise typer.Exit(1) from exc
        _, secret = issue_token(session, role=Role(role.value), org_id=org_id, company_id=company_id,
                                candidate_id=candidate_id if role is TokenRole.graduate else None, label=label)
    typer.echo(secret)


@company_app.command("create")
def company_create(
    name: Annotated[str, typer.Argument(help="The company's name, as its postings will show it.")],
    org: Annotated[str, typer.Option(help="Organisation name.")] = "Demo coding school",
) -> None:
    """Create a company (then `token create --role company --company NAME`)."""
    from service.auth import ensure_organisation
    from service.companies import create_company
    from service.store import ConflictError

    name = name.strip()
    if not name or len(name) > 200:
        err.print("a company name needs 1 to 200 characters")
        raise typer.Exit(1)
    with _opened(writer=False) as matcher:
        try:
            with matcher.sessions.begin() as session:
                company_id = create_company(session, org_id=ensure_organisation(session, org), name=name)
        except ConflictError as exc:
            err.print(escape(str(exc)), soft_wrap=True)
            raise typer.Exit(1) from exc
    console.print(f"created company {company_id}: {escape(name)}", soft_wrap=True)


@company_app.command("list")
def company_list(org: Annotated[str, typer.Option(help="Organisation name.")] = "Demo coding school") -> None:
    """The organisation's companies, by name."""
    from service.auth import ensure_organisation
    from service.companies import list_companies

    with _opened(writer=False) as matcher, matcher.sessions.begin() as session:
        rows = [(r.id, r.name) for r in list_companies(session, org_id=ensure_organisation(session, org))]
    table = Table(title=f"companies of {org}")
    table.add_column("id")
    table.add_column("name")
    for company_id, name in rows:
        table.add_row(str(company_id), escape(name))
    console.print(table)


def _read_description(path: Path) -> dict:
    import yaml

    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml") else json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold one object")
    return data


@fair_app.command("plan")
def fair_plan(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or YAML fair description")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the schedule as CSV")] = None,
    ics_out: Annotated[Path | None, typer.Option("--ics", help="Write the schedule as iCalendar")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = "Demo coding school",
) -> None:
    """Plan a fair from a description (the body of POST /fairs) and print the grid."""
    from pydantic import ValidationError

    from matching.fair.schedule import FairRulesConflict
    from service.auth import ensure_organisation
    from service.calendar import schedule_csv, schedule_ics
    from service.fair_specs import FairIn
    from service.fairs import FairInputError, normalise_spec, plan

    try:
        spec = FairIn.model_validate(_read_description(file))
    except (ValueError, ValidationError) as exc:
        err.print(f"[red]invalid fair description:[/] {exc}")
        raise typer.Exit(1) from exc
    with _opened(writer=False) as matcher, matcher.sessions() as session:
        org_id = ensure_organisation(session, org)
        try:
            spec = normalise_spec(matcher, session, org_id, spec)
            schedule = plan(matcher, session, org_id, spec)
        except (FairRulesConflict, FairInputError) as exc:
            err.print(f"[red]cannot plan:[/] {exc}")
            raise typer.Exit(1) from exc
        names = {int(g): matcher.get(Side.candidates, int(g)).name for g in spec.graduates}  # type: ignore[union-attr]
    _print_fair(spec, schedule, names)
    if csv_out:
        csv_out.write_text(schedule_csv(schedule["meetings"], names), encoding="utf-8")
    if ics_out:
        ics_out.write_text(schedule_ics(0, spec.name, schedule["meetings"], names), encoding="utf-8")


def _print_fair(spec, schedule: dict, names: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=spec.name)
    table.add_column("slot")
    companies = [c.company for c in spec.companies]
    for name in companies:
        table.add_column(name)
    starts = spec.slot_times()
    for slot, start in enumerate(starts):
        cells = []
        for company in companies:
            who = [names.get(m["graduate_id"], str(m["graduate_id"])) for m in schedule["meetings"]
                   if m["slot"] == slot and m["company"] == company]
            cells.append("\n".join(who))
        table.add_row(start.strftime("%H:%M"), *cells)
    console.print(table)
    r = schedule["report"]
    console.print(
        f"total score {r['total_score']:.3f} ({r['status']}, gap {100 * r['gap']:.2f} %), meetings per graduate "
        f"min {r['meetings_min']} / median {r['meetings_median']} / max {r['meetings_max']}, "
        f"without any meeting: {len(r['graduates_without_meeting'])}, price of the minimum rule: "
        f"{r['price_of_fairness'] if r['price_of_fairness'] is not None else 'n/a'}"
    )
    for warning in r["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}")


@app.command("place")
def place_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or YAML (body of POST /placements)")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write both assignments as CSV")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = "Demo coding school",
) -> None:
    """Place graduates into traineeship seats: stable vs welfare-maximising, side by side."""
    from pydantic import ValidationError

    from matching.placement.assign import PlacementError
    from service.auth import ensure_organisation
    from service.fair_specs import PlacementIn
    from service.fairs import FairInputError, place

    try:
        spec = PlacementIn.model_validate(_read_description(file))
    except (ValueError, ValidationError) as exc:
        err.print(f"[red]invalid placement description:[/] {exc}")
        raise typer.Exit(1) from exc
    with _opened(writer=False) as matcher:
        with matcher.sessions.begin() as session:
            org_id = ensure_organisation(session, org)
        try:
            result = place(matcher, org_id, spec)
        except (FairInputError, PlacementError) as exc:
            err.print(f"[red]cannot place:[/] {exc}")
            raise typer.Exit(1) from exc
    table = Table(title="placement")
    for col in ("method", "score", "placed", "blocking pairs", "mean rank"):
        table.add_column(col)
    for row in result["comparison"]:
        table.add_row(row["method"], f"{row['total_score']:.3f}", str(row["placed"]),
                      str(row["blocking_pairs"]), f"{row['mean_rank']:.2f}")
    console.print(table)
    for gid, why in result["stable"]["unplaced_reasons"].items():
        console.print(f"not placed (stable): graduate {gid}: {why}")
    if csv_out:
        lines = ["method,graduate_id,posting_id,score"] + [
            f"{kind},{a['graduate_id']},{a['posting_id']},{a['score']}"
            for kind in ("stable", "welfare") for a in result[kind]["assignments"]
        ]
        csv_out.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- scale-out: schema migrations, corpus embedding (docs/scaling.md) -----------------------
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")


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


@app.command()
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
    from service.ray_embed import LOCAL, CorpusError, embed_corpus

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


@app.command("load-embeddings")
def load_embeddings_cmd(
    path: Annotated[Path, typer.Argument(exists=True, help="Folder (or file) written by `embed`")],
) -> None:
    """Put vectors from `embed` into the database's embedding cache (safe beside a running server)."""
    from models.encoder import load_encoder
    from service.db import make_engine, make_sessions
    from service.ray_embed import CorpusError, load_embeddings

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        rows = load_embeddings(make_sessions(engine), path, model=load_encoder(settings.model).name)
    except CorpusError as exc:
        err.print(f"[red]nothing loaded:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print(f"loaded {rows} vectors into the embedding cache")


if __name__ == "__main__":
    app()
