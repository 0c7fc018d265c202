"""`backup FILE` (online, beside a running server; no model) and `restore FILE` (server stopped)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import console, err, opened
from service.settings import get_settings


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
    with opened(writer=True) as matcher:
        counts = {side.value: len(state.records) for side, state in matcher.sides.items()}
    console.print(f"restored {file}: {counts}; indexes rebuilt")
