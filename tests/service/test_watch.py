"""`CommitWatch`: the version moves with every commit from any connection, and only then."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from service.auth import Principal, PrincipalCache, Role
from service.storage.watch import CommitWatch


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "watch.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (a)")
    return path


def test_the_version_moves_on_a_commit_from_another_process_and_not_on_reads(tmp_path: Path) -> None:
    path = _database(tmp_path)
    watch = CommitWatch(path)
    first = watch.version()
    assert first is not None and watch.version() == first
    with sqlite3.connect(path) as db:
        db.execute("SELECT count(*) FROM t").fetchall()  # a read commits nothing
    assert watch.version() == first
    writer = f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute('INSERT INTO t VALUES (1)'); c.commit()"
    subprocess.run([sys.executable, "-c", writer], check=True)
    moved = watch.version()
    assert moved is not None and moved != first
    assert watch.version() == moved
    db = sqlite3.connect(path)
    db.execute("INSERT INTO t VALUES (2)")  # not committed yet: nothing to see
    assert watch.version() == moved
    db.commit()
    assert watch.version() != moved
    db.close()
    watch.close()


def test_other_databases_cannot_tell_so_the_caller_reads() -> None:
    assert CommitWatch(None).version() is None
    assert CommitWatch(Path(":memory:")).version() is None  # a fresh connection would see another database


def test_a_remembered_token_is_asked_again_once_anything_was_committed() -> None:
    cache = PrincipalCache(ttl=0.0)  # --workers: no time-based memory at all
    who = Principal(token_id=1, role=Role.coordinator, org_id=1)
    cache.put("h", who, version=7)
    assert cache.get("h", 7) == who
    assert cache.get("h", 8) is None  # a revocation anywhere is a commit
    assert cache.get("h", None) is None  # a database that cannot tell: the time bound alone
    cache.put("h", who, version=None)
    assert cache.get("h", None) is None
