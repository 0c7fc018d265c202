"""What every command shares: consoles, the two ways to open the service, progress bars.

Commands that rank or encode open the whole catalogue (`opened`: model, indexes, ESCO
mapper); commands that only read or write rows open the database alone (`stored`),
which starts in about a second instead of fifteen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from service.settings import get_settings
from service.storage import Storage

if TYPE_CHECKING:
    from service.matcher import Matcher

console = Console()
err = Console(stderr=True)
DEFAULT_ORG = "Demo coding school"


class Kind(str, Enum):
    candidates = "candidates"
    postings = "postings"


@contextmanager
def opened(*, writer: bool) -> Iterator[Matcher]:
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


@contextmanager
def stored() -> Iterator[Storage]:
    """The database only (`service.storage`): no model, no index, no writer lock."""
    with Storage(get_settings()) as storage:
        yield storage


def progress() -> Progress:
    """A progress bar on the console: what, bar, done/total, time left."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console,
    )


def read_description(path: Path) -> dict:
    """A JSON or YAML file holding one object (a fair or placement description)."""
    import yaml

    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) if path.suffix.lower() in (".yaml", ".yml") else json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold one object")  # noqa: TRY004 - callers catch ValueError
    return data
