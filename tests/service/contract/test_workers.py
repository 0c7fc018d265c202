"""`bridgematch serve --workers 2`: two real processes behind one port, one SQLite file.

A client cannot choose its worker, so a write answered by one must be in the very next
answer of either (service/workers.py: they read the change feed before every request).
Each check asks over fresh connections until both workers have answered it, and reads
which one did from the `X-Bridgematch-Worker` header.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from service.workers import QUICK_DEATH_SECONDS
from tests.pg import free_port
from tests.service.helpers import GOOD, POSTING

REPO = Path(__file__).resolve().parents[3]
BRIDGEMATCH = REPO / ".venv" / "bin" / "bridgematch"
START_DEADLINE = 240.0  # three processes importing torch on a busy 2-core machine
TRIES = 200  # fresh connections per check until both workers have answered

pytestmark = pytest.mark.slow
_numbers = itertools.count(1)


class Served:
    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.env = os.environ | {
            "BRIDGEMATCH_DATABASE_URL": database_url,
            "BRIDGEMATCH_INDEX_DIR": str(folder / "index"),
            "BRIDGEMATCH_CACHE_DIR": str(REPO / "var" / "cache"),
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("BRIDGEMATCH_SYNC_SECONDS", None)
        self.log = folder / "server.log"
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(BRIDGEMATCH), "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
            )
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.monotonic()

    def wait_until_up(self) -> str:
        """The first coordinator token, once both workers answer."""
        deadline, seen = time.monotonic() + START_DEADLINE, set()
        while time.monotonic() < deadline and len(seen) < 2:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                seen.add(httpx.get(f"{self.url}/health", timeout=2).json()["worker"])
            except httpx.TransportError:
                time.sleep(0.3)
        assert seen == {0, 1}, f"workers seen {seen}:\n{self.log.read_text()[-3000:]}"
        return re.search(r"bm_[A-Za-z0-9_-]{20,}", self.log.read_text()).group(0)  # type: ignore[union-attr]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


def _served(folder: Path, database_url: str) -> Iterator[tuple[Served, dict[str, str]]]:
    server = Served(folder, database_url)
    try:
        token = server.wait_until_up()
        yield server, {"Authorization": f"Bearer {token}"}
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Served, dict[str, str]]]:
    """Both databases: SQLite tells commits by its counter, PostgreSQL has the feed read every request."""
    if request.param == "sqlite":
        yield from _served(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"workers_{next(_numbers)}"
    try:
        yield from _served(tmp_path, cluster.create_database(name))
    finally:
        cluster.drop_database(name)


@pytest.fixture
def served_sqlite(tmp_path: Path) -> Iterator[tuple[Served, dict[str, str]]]:
    yield from _served(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")


def every_worker(server: Served, headers: dict[str, str], path: str, check: Callable[[httpx.Response], bool]) -> None:
    """`check` holds for the answers of both workers, asked right away over fresh connections."""
    answered: set[str] = set()
    for _ in range(TRIES):
        response = httpx.get(f"{server.url}{path}", headers=headers, timeout=60)
        worker = response.headers["x-bridgematch-worker"]
        assert check(response), f"worker {worker}, {path}: {response.status_code} {response.text[:500]}"
        answered.add(worker)
        if answered == {"0", "1"}:
            return
    pytest.fail(f"only workers {answered} answered {path} in {TRIES} connections")


def test_a_write_answered_by_one_worker_is_in_the_next_answer_of_both(served: tuple[Served, dict[str, str]]) -> None:
    server, headers = served
    client = httpx.Client(base_url=server.url, headers=headers, timeout=120)
    assert client.post("/companies", json={"name": POSTING["company"]}).status_code == 201
    posted = client.post("/postings", json=POSTING | {"title": "Junior JS developer (workers)"})
    assert posted.status_code == 201, posted.text
    pid = posted.json()["id"]
    made = client.post("/candidates", json=GOOD | {"visible_to_companies": True})
    assert made.status_code == 201, made.text
    cid = made.json()["id"]

    def titles(response: httpx.Response) -> list[str]:
        return [m["title"] for m in response.json()["items"]] if response.status_code == 200 else []

    every_worker(server, headers, f"/candidates/{cid}/matches", lambda r: titles(r) == ["Junior JS developer (workers)"])

    changed = client.get(f"/postings/{pid}").json() | {"title": "Junior JS developer, renamed"}
    assert client.put(f"/postings/{pid}", json={k: v for k, v in changed.items() if k != "id"}).status_code == 200
    every_worker(server, headers, f"/candidates/{cid}/matches", lambda r: titles(r) == ["Junior JS developer, renamed"])

    assert client.delete(f"/postings/{pid}").status_code == 204
    every_worker(server, headers, f"/candidates/{cid}/matches", lambda r: r.status_code == 200 and titles(r) == [])
    every_worker(server, headers, f"/postings/{pid}", lambda r: r.status_code == 404)


def test_a_token_revoked_through_one_worker_is_refused_by_both(served: tuple[Served, dict[str, str]]) -> None:
    """Both workers remember who a token is (no database read while nothing was committed);
    the revocation is a commit, so neither may answer with the token after it."""
    server, headers = served
    made = httpx.post(f"{server.url}/tokens", json={"role": "coordinator"}, headers=headers, timeout=60).json()
    theirs = {"Authorization": f"Bearer {made['token']}"}
    every_worker(server, theirs, "/candidates?limit=1", lambda r: r.status_code == 200)
    every_worker(server, theirs, "/candidates?limit=1", lambda r: r.status_code == 200)  # from memory now
    assert httpx.delete(f"{server.url}/tokens/{made['id']}", headers=headers, timeout=60).status_code == 204
    every_worker(server, theirs, "/candidates?limit=1", lambda r: r.status_code == 401)


def test_a_killed_worker_is_started_again_and_serves_what_was_written_meanwhile(
    served_sqlite: tuple[Served, dict[str, str]],
) -> None:
    server, headers = served_sqlite
    client = httpx.Client(base_url=server.url, headers=headers, timeout=120)
    assert client.post("/companies", json={"name": POSTING["company"]}).status_code == 201
    cid = client.post("/candidates", json=GOOD | {"visible_to_companies": True}).json()["id"]
    # a worker that dies this soon after its start failed to start: the supervisor would stop, not restart
    time.sleep(max(0.0, server.started + QUICK_DEATH_SECONDS + 2 - time.monotonic()))
    lock = server.folder / "index" / "workers" / "0" / ".writer.lock"
    os.kill(int(lock.read_text().split()[-1]), signal.SIGKILL)
    time.sleep(0.5)  # its socket leaves the port's group: new connections go to worker 1
    written = httpx.post(f"{server.url}/postings", json=POSTING | {"title": "Written while worker 0 was down"},
                         headers=headers, timeout=120)  # a fresh connection (the client's may have been worker 0's)
    assert written.status_code == 201, written.text
    assert written.headers["x-bridgematch-worker"] == "1"
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{server.url}/health", timeout=2).json()["worker"] == 0:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    assert "worker 0 exited (code -9); starting it again" in server.log.read_text()
    every_worker(server, headers, f"/candidates/{cid}/matches",
                 lambda r: r.status_code == 200 and [m["title"] for m in r.json()["items"]] == ["Written while worker 0 was down"])


def test_the_workers_keep_cli_writers_and_other_servers_out_and_stop_cleanly(
    served_sqlite: tuple[Served, dict[str, str]],
) -> None:
    server, _ = served_sqlite
    demo = subprocess.run([str(BRIDGEMATCH), "demo"], env=server.env, cwd=server.folder,
                          capture_output=True, text=True, timeout=300, check=False)
    assert demo.returncode == 1 and "already writing" in demo.stdout + demo.stderr, demo.stdout + demo.stderr
    # a second server on the same port is refused (the workers' SO_REUSEPORT must not share it quietly)
    other = server.env | {"BRIDGEMATCH_DATABASE_URL": f"sqlite:///{server.folder / 'other.sqlite'}",
                          "BRIDGEMATCH_INDEX_DIR": str(server.folder / "other-index")}
    second = subprocess.run([str(BRIDGEMATCH), "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(server.port)],
                            env=other, cwd=server.folder, capture_output=True, text=True, timeout=120, check=False)
    assert second.returncode == 1 and "already in use" in second.stderr, second.stdout + second.stderr
    assert server.stop() == 0, server.log.read_text()[-3000:]
    for number in (0, 1):
        assert (server.folder / "index" / "workers" / str(number) / "postings" / "meta.json").exists()
