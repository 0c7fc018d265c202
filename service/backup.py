"""Backup and restore of the SQLite database with SQLite's online backup API.

The backup runs page by page under SQLite's own locking, so it is consistent
while a server keeps writing. A restore replaces the database wholesale, so
it needs the writer lock (no server running) and drops the saved indexes,
which the next start rebuilds from the restored rows and their cached
embeddings. PostgreSQL deployments use pg_dump / pg_restore instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

PG_GUIDANCE = (
    "this database is not SQLite: use `pg_dump --format=custom -f FILE DBNAME` to back up and "
    "`pg_restore --clean --if-exists -d DBNAME FILE` to restore, then `bridgematch reindex`"
)
REQUIRED_TABLES = {"candidates", "postings", "embeddings", "tokens"}


class BackupError(ValueError):
    """The backup could not be taken or the file cannot be restored."""


def backup(db_path: Path, target: Path) -> int:
    """Copy the live database to `target`; returns the number of pages copied."""
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}")
    if target.resolve() == db_path.resolve():
        raise BackupError("the backup file must not be the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(db_path)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
        return int(dest.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dest.close()
        source.close()


def check_backup(path: Path) -> None:
    """Refuse anything that is not an intact bridgematch database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupError(f"{path} is not a bridgematch backup (missing tables: {sorted(missing)})")


def restore(source: Path, db_path: Path, index_dir: Path) -> None:
    """Replace the database with `source` and drop the saved indexes (caller holds the writer lock)."""
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    check_backup(source)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(db_path)
    try:
        with dest:
            src.backup(dest)
    finally:
        dest.close()
        src.close()
    for path in index_dir.glob("*/*"):
        if path.name in ("vectors.npz", "ivf.faiss", "meta.json"):
            path.unlink()
