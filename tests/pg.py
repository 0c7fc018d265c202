"""A throw-away PostgreSQL cluster on loopback, for tests: initdb in a temp folder, pg_ctl on a free port.

No mocks: the storage and API suites run against a real server. The cluster
lives in a fresh temp folder, listens on 127.0.0.1 and a Unix socket in that
folder only, trusts local connections (nothing else can reach it), runs with
fsync off (its data is thrown away), and is stopped and deleted afterwards.
PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
that Debian's package creates.

Example:
    with Cluster.start() as cluster:
        cluster.create_database("t1")
        engine = create_engine(cluster.url("t1"))
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Self

from sqlalchemy import Engine, create_engine, text

INSTALL_HINT = (
    "PostgreSQL tests need initdb and pg_ctl (Debian: apt-get install postgresql, which puts "
    "them in /usr/lib/postgresql/<version>/bin; `make test` installs it when apt-get is available)"
)


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the cluster would not start."""


def find_bin_dir() -> Path | None:
    """Folder holding initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One running server; `create_database` / `drop_database` for per-test databases."""

    def __init__(self, bin_dir: Path, folder: Path, port: int, user: str | None) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.port = port
        self.user = user  # OS user the server runs as (None: the current one)
        self.data = folder / "data"
        self.log = folder / "server.log"
        self._admin: Engine | None = None

    @classmethod
    def start(cls) -> Cluster:
        """initdb + pg_ctl start; raises ClusterUnavailable with the reason."""
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise ClusterUnavailable(INSTALL_HINT)
        user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ClusterUnavailable("running as root and there is no `postgres` user to run the server") from exc
            user = "postgres"
        # A fresh folder directly under the temp dir: pytest's own folders are private to root.
        folder = Path(tempfile.mkdtemp(prefix="bridgematch-pg-"))
        cluster = cls(bin_dir, folder, free_port(), user)
        try:
            cluster._init_and_start()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise ClusterUnavailable(f"{' '.join(args[:2])} failed: {done.stderr.strip()}\n{log}")

    def _init_and_start(self) -> None:
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                  "-o", options)

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its folder."""
        if self._admin is not None:
            self._admin.dispose()
            self._admin = None
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", timeout=60)
            except ClusterUnavailable:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> Engine:
        """Autocommit engine on the `postgres` database, for CREATE / DROP DATABASE."""
        if self._admin is None:
            self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        return self._admin

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create `name` (a copy of `template` when given) and return its URL."""
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        with self.admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
