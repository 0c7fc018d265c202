"""Several serving processes on one database: `bridgematch serve --workers N`.

One Python process ranks on one core at a time (the GIL), so a machine with more
cores than one serves more pages a second only with more processes. Each worker is a
full `Matcher` with its own copy of the indexes, in its own folder
(`INDEX_DIR/workers/K`, one writer per folder as everywhere else), and follows the
others' writes through the change feed in the database, the mechanism several
servers on one PostgreSQL database already use ("Scaling out" in the README).

Behind one port a client cannot choose its process: a graduate who saves a profile on
one worker and reloads the page on another must still see the change. So workers look
for writes before every request (`SYNC_SECONDS` 0, unless the operator set
`BRIDGEMATCH_SYNC_SECONDS`): on SQLite a commit counter says whether to read the feed at
all (`service.storage.watch`); a write answered by one worker is then in every worker's
next answer.

The one-time work (first token, demo, a fresh save of the indexes) is done before the
workers start; the parent then only supervises (restarts a worker that dies, stops them
all on SIGINT/SIGTERM) and keeps the lock of `INDEX_DIR`, so a CLI writer is refused
exactly as beside a single server. Each worker starts from hard links to that save (saves
replace files by rename, so a worker's later save never touches the parent's copy),
checks it against the database like any start, and listens on a socket of its own
(SO_REUSEPORT), so the kernel spreads connections over the workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.process
import os
import shutil
import signal
import socket
import time
from multiprocessing.connection import wait
from pathlib import Path

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from matching.records.sides import Side
from matching.retrieval.private_dirs import make_private_dir
from service.settings import Settings, get_settings

SYNC_ENV = "BRIDGEMATCH_SYNC_SECONDS"
QUICK_DEATH_SECONDS = 30.0  # a worker gone this soon after its start failed to start: stop, don't loop
STOP_GRACE_SECONDS = 60.0

log = logging.getLogger(__name__)


def worker_folder(index_dir: Path, number: int) -> Path:
    return index_dir / "workers" / str(number)


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


def listening(host: str, port: int, *, share: bool) -> socket.socket:
    """A listening socket; `share`: with SO_REUSEPORT, so each worker has its own and the kernel
    spreads new connections over them (one socket shared by asyncio workers does not: the first
    to wake accepts every waiting connection, 7 of 8 in a trial)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(2048)
    return sock


def serve_worker(number: int, host: str, port: int) -> None:
    """One worker process: its own socket on the shared port, its own copy of the indexes."""
    import uvicorn

    from service.app import create_app

    settings = get_settings()
    seed(settings.index_dir, worker_folder(settings.index_dir, number))
    sock = listening(host, port, share=True)
    app = NamedWorker(create_app(worker_settings(settings, number)), number)
    config = uvicorn.Config(app, timeout_keep_alive=30, **({"log_config": None} if settings.log_json else {}))
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the SIGINT it stopped on (a terminal's Ctrl-C reaches all)
        pass


class PortBusyError(RuntimeError):
    """Something already listens on the port the workers would share."""


def check_port(host: str, port: int) -> None:
    """Refuse a port in use before any work: workers bind with SO_REUSEPORT, which would otherwise
    quietly share it with another server of the same user."""
    try:
        listening(host, port, share=False).close()
    except OSError as exc:
        raise PortBusyError(f"cannot listen on {host}:{port}: {exc.strerror}; is another server running there?") from exc


def run(settings: Settings, workers: int, host: str, port: int) -> None:
    """Start `workers` processes on one port, restart one that dies, stop them all on SIGINT/SIGTERM."""
    from service.lock import WriterLock

    os.environ.setdefault(SYNC_ENV, "0")  # read before every request: one port, no stale answer
    check_port(host, port)
    lock = WriterLock(settings.index_dir)  # the parent's: CLI writers are refused while workers serve
    context = multiprocessing.get_context("spawn")
    procs: dict[int, tuple[multiprocessing.process.BaseProcess, float]] = {}
    stopping = False

    def start(number: int) -> None:
        proc = context.Process(target=serve_worker, args=(number, host, port), name=f"bridgematch-worker-{number}")
        proc.start()
        procs[number] = (proc, time.monotonic())

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for number in range(workers):
            start(number)
        while not stopping:
            wait([proc.sentinel for proc, _ in procs.values()], timeout=1.0)
            for number, (proc, started) in list(procs.items()):
                if proc.is_alive() or stopping:
                    continue
                if time.monotonic() - started < QUICK_DEATH_SECONDS:
                    log.error("worker %d exited (code %s) while starting; stopping the others", number, proc.exitcode)
                    stopping = True
                    break
                log.warning("worker %d exited (code %s); starting it again", number, proc.exitcode)
                start(number)
    finally:
        for proc, _ in procs.values():
            if proc.is_alive():
                # SIGTERM: uvicorn's graceful stop even after the terminal's SIGINT reached the worker
                # (a second SIGINT would skip the lifespan's shutdown, so the index save)
                os.kill(proc.pid, signal.SIGTERM)  # type: ignore[arg-type]
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for proc, _ in procs.values():
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        lock.release()
