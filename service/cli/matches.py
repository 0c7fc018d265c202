"""`match candidate ID` and `match posting ID`: a stored record's ranked matches, as a table or JSON.

The record's vector is the stored one, so no query is encoded, and its skills' ESCO hits
are the ones a writer persisted (`matching.esco.persisted_hits`), so none is mapped: the
model is not loaded (`tests/service/test_cli_match_no_model.py`). It loads only if the
catalogue meets a record or skill no writer has seen (a database written by an older
version and never served since), and only for that.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from matching.records.sides import NotFoundError, Side
from service.cli.common import console, err, opened

match_app = typer.Typer(help="Ranked matches for one graduate or posting.", no_args_is_help=True)


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


def _match(side: Side, rid: int, limit: int, as_json: bool, title: str) -> None:
    try:
        with opened(writer=False) as matcher:
            matches = matcher.ranker.matches(side, rid, limit=limit)
    except NotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    _print_matches(matches, as_json, title)


@match_app.command("candidate")
def match_candidate(
    rid: Annotated[int, typer.Argument(help="Candidate id")],
    limit: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Postings for a graduate."""
    _match(Side.candidates, rid, limit, as_json, f"postings for candidate {rid}")


@match_app.command("posting")
def match_posting(
    rid: Annotated[int, typer.Argument(help="Posting id")],
    limit: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Consenting graduates for a posting."""
    _match(Side.postings, rid, limit, as_json, f"candidates for posting {rid}")
