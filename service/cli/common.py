"""What every command shares: consoles, the two ways to open the service, progress bars.

Commands that rank or encode open the whole catalogue (`opened`: model, indexes, ESCO
mapper); commands that only read or write rows open the database alone (`stored`),
which starts in about a second instead of fifteen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from service.settings import get_settings
from service.storage import Storage

if TYPE_CHECKING:
    from service.matcher import Matcher

console = Console()
err = Console(stderr=True)
DEFAULT_ORG = "Demo coding school"
# What the bars of `loading` say (tests look for them in a command's output).
LABELS_BAR = "encoding into the disk cache (ESCO labels or an evaluation set; once per model)"
TEXTS_BAR = "encoding texts not cached"


class Kind(str, Enum):
    candidates = "candidates"
    postings = "postings"


@contextmanager
def opened(*, writer: bool) -> Iterator[Matcher]:
    """The engine for one command; writers take the index lock (refused while a server runs)."""
    from service.composition import build_matcher
    from service.lock import WriterBusyError

    try:
        with loading("loading model and indexes"):
            matcher = build_matcher(get_settings(), writer=writer)
    except WriterBusyError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    try:
        yield matcher
    finally:
        matcher.close()


@contextmanager
def loading(what: str, *, on: Console | None = None) -> Iterator[Progress]:
    """A spinner for `what`, and bars for encoding done meanwhile: ESCO labels neither shipped
    nor in the disk cache (`matching.esco.label_vectors`, `embedding_cache.ENCODE_PROGRESS`) and texts
    encoded by the lazy encoder (`models.lazy.ENCODED`: records whose vectors are not cached).
    `on`: the console to draw on (stdout by default; `evaluate` keeps stdout for its results)."""
    from matching.retrieval.embedding_cache import ENCODE_PROGRESS
    from models.lazy import ENCODED

    screen = on or console
    # Off a terminal (`make run > log`, CI) a live bar draws nothing: each step is a line instead,
    # on stderr, so `match --json | jq` still reads JSON alone.
    say = None if screen.is_terminal else _notes(screen).print
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=screen, transient=True) as bar:
        bar.add_task(what, total=None)
        if say:
            say(f"{what} …")
        tasks: dict[str, TaskID] = {}

        def labels(done: int, total: int) -> None:
            if "labels" not in tasks:
                tasks["labels"] = bar.add_task(LABELS_BAR, total=total)
            bar.update(tasks["labels"], completed=done, total=total)
            if say:
                say(f"{LABELS_BAR}: {done}/{total}")

        def texts(count: int) -> None:
            if "texts" not in tasks:
                tasks["texts"] = bar.add_task(TEXTS_BAR, total=None)
                if say:
                    say(f"{TEXTS_BAR} …")
            bar.advance(tasks["texts"], count)

        label_token, text_token = ENCODE_PROGRESS.set(labels), ENCODED.set(texts)
        try:
            yield bar
        finally:
            ENCODE_PROGRESS.reset(label_token)
            ENCODED.reset(text_token)


def _notes(screen: Console) -> Console:
    """Where the lines standing in for bars go: stderr when the bars would draw on stdout."""
    return err if screen is console else screen


def progress_callback(bar: Progress, what: str) -> Callable[[int, int], None]:
    """A `(done, total)` callback drawing on `bar`: a new task each time the count starts over
    (the demo encodes graduates, then postings). Off a terminal, one line per task."""
    state: dict[str, int] = {}  # the task drawn now, and where it stands

    def report(done: int, total: int) -> None:
        if not state or done < state["done"] or total != state["total"]:
            state["task"] = bar.add_task(what, total=total)
            if not bar.console.is_terminal:
                _notes(bar.console).print(f"{what}: {total}")
        state.update(done=done, total=total)
        bar.update(state["task"], completed=done, total=total)

    return report


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
