"""Several serving processes on one database: `bridgematch serve --workers N`.

One Python process ranks on one core at a time (the GIL), so a machine with more
cores than one serves more pages a second only with more processes. Each worker is a
full `Matcher` with its own copy of the indexes, in its own folder
(`INDEX_DIR/workers/K`, one writer per folder as everywhere else), and follows the
others' writes through the change feed in the database, the mechanism several
servers on one PostgreSQL database already use ("Scaling out" in the README).

Behind one port a client cannot choose its process: a graduate who saves a profile on
one worker and reloads the page on another must still see the change. So workers read
the feed before every request (`SYNC_SECONDS` 0, one indexed `max(seq)` query) unless
the operator set `BRIDGEMATCH_SYNC_SECONDS`; a write answered by one worker is then
in every worker's next answer.

The parent does the one-time work (first token, demo, a fresh save of the indexes)
before it starts the workers, and keeps the lock of `INDEX_DIR` while they run, so a
CLI writer is refused exactly as beside a single server. Each worker starts from hard
links to that save (saves replace files by rename, so a worker's later save never
touches the parent's copy) and checks it against the database like any start.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from matching.records.sides import Side
from matching.retrieval.private_dirs import make_private_dir
from service.settings import Settings, get_settings

MAX_WORKERS = 64
SYNC_ENV = "BRIDGEMATCH_SYNC_SECONDS"
_claims: list[int] = []  # the open claim of this process's worker folder, held for its lifetime


def worker_folder(index_dir: Path, number: int) -> Path:
    return index_dir / "workers" / str(number)


def claim(index_dir: Path) -> int:
    """The lowest worker number no live process holds; its claim lasts until this process exits
    (the kernel drops a dead process's `flock`, so a restarted worker takes over its folder)."""
    for number in range(MAX_WORKERS):
        folder = make_private_dir(worker_folder(index_dir, number))
        fd = os.open(folder / ".claim", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        _claims.append(fd)
        return number
    raise RuntimeError(f"more than {MAX_WORKERS} workers on {index_dir}")


def seed(index_dir: Path, folder: Path) -> None:
    """Give a worker folder the parent's saved indexes (links, or copies across file systems)."""
    for side in Side:
        source, target = index_dir / side.value, folder / side.value
        if not source.is_dir():
            continue
        shutil.rmtree(target, ignore_errors=True)
        make_private_dir(target)
        for path in source.iterdir():
            if path.is_file() and not path.name.endswith(".tmp"):
                try:
                    os.link(path, target / path.name)
                except OSError:
                    shutil.copy2(path, target / path.name)


def worker_settings(settings: Settings, number: int) -> Settings:
    return settings.model_copy(update={"index_dir": worker_folder(settings.index_dir, number), "worker": number})


class NamedWorker:
    """Every answer says which process gave it (`X-Bridgematch-Worker`), so an operator (and the
    tests) can tell the workers apart behind one port; a number, nothing about the request."""

    def __init__(self, app: FastAPI, number: int) -> None:
        self.app = app
        self.header = (b"x-bridgematch-worker", str(number).encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self.header]
            await send(message)

        await self.app(scope, receive, named)


def worker_app() -> NamedWorker:
    """uvicorn's app factory in each worker process (`uvicorn.run(..., factory=True, workers=N)`)."""
    from service.app import create_app

    settings = get_settings()
    number = claim(settings.index_dir)
    seed(settings.index_dir, worker_folder(settings.index_dir, number))
    return NamedWorker(create_app(worker_settings(settings, number)), number)


def run(settings: Settings, workers: int, host: str, port: int) -> None:
    """Start `workers` processes serving one socket; returns when uvicorn's supervisor stops."""
    import uvicorn

    from service.lock import WriterLock

    os.environ.setdefault(SYNC_ENV, "0")  # read before every request: one port, no stale answer
    lock = WriterLock(settings.index_dir)  # the parent's: CLI writers are refused while workers serve
    try:
        uvicorn.run("service.workers:worker_app", factory=True, workers=workers, host=host, port=port,
                    timeout_keep_alive=30, **({"log_config": None} if settings.log_json else {}))
    finally:
        lock.release()
