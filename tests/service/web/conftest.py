"""Page fixtures: a TestClient per role with a logged-in session, and (for the browser tests)
a real `bridgematch serve` on a free loopback port with its own database and index."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def log_in(client: TestClient, token: str) -> TestClient:
    """Through the log-in form, as a person would: GET the form, POST the token with its CSRF field."""
    form = client.get("/ui/login")
    answer = client.post("/ui/login", data={"token": token, "csrf_token": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The real app with no bearer header: pages only know the session cookie."""
    from service.app import create_app

    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def as_role(app_client: TestClient, tokens: dict[str, str]) -> Callable[[str], TestClient]:
    """`as_role("company")`: the shared app, logged in as that role (one client per role)."""
    clients: dict[str, TestClient] = {}

    def make(role: str) -> TestClient:
        if role not in clients:
            # The app (model, indexes) is already started by `app_client`; this client only adds a cookie jar.
            clients[role] = log_in(TestClient(app_client.app), tokens[role])
        return clients[role]

    return make


# ---- the browser tests: a real server process and Debian's Chromium --------------------------

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "tests" / "artifacts" / "web"
CHROMIUM = Path(os.environ.get("BRIDGEMATCH_CHROMIUM", "/usr/bin/chromium"))
# The network is closed here: no background fetches, updates or sync.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN_LINE = re.compile(r"first coordinator token[^:]*:\s*(bm_[A-Za-z0-9_-]+)")


@dataclass
class LiveServer:
    url: str
    coordinator: str
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)  # filled by the tests that make them in the UI

    def api(self, method: str, path: str, *, token: str | None = None, body: object = None,
            files: dict[str, Path] | None = None) -> object:
        """The JSON API as a script would call it (for set-up only; the tests themselves use the pages)."""
        import httpx

        headers = {"Authorization": f"Bearer {token or self.coordinator}"}
        upload = {k: (p.name, p.read_bytes()) for k, p in (files or {}).items()} or None
        answer = httpx.request(method, self.url + path, headers=headers, json=body, files=upload, timeout=120)
        answer.raise_for_status()
        return answer.json() if answer.content else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium and the playwright package, or a skip that says what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (`make test` installs it with "
                    "`apt-get install -y chromium` where apt is available)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("browser tests skipped: the `playwright` package is missing (pip install -e '.[dev]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> Iterator[LiveServer]:
    """`bridgematch serve` on a free loopback port, started empty (no --demo), own database and index."""
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {**os.environ, "BRIDGEMATCH_DATABASE_URL": f"sqlite:///{folder / 'bridgematch.db'}",
           "BRIDGEMATCH_INDEX_DIR": str(folder / "index"),
           # shared with the other tests: ESCO label embeddings are encoded once, then read from disk
           "BRIDGEMATCH_CACHE_DIR": str(Path(__file__).resolve().parents[3] / "var" / "cache"),
           "COLUMNS": "300", "NO_COLOR": "1", "TERM": "dumb"}
    script = Path(sys.executable).with_name("bridgematch")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]
    log = folder / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                pytest.fail(f"bridgematch serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"bridgematch serve did not answer in 300 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        found = TOKEN_LINE.search(log.read_text(errors="replace"))
        assert found, f"no coordinator token in the server's output:\n{log.read_text()[-3000:]}"
        yield LiveServer(url=url, coordinator=found.group(1), log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def axe_source() -> str | None:
    """axe-core as bundled by the `axe-playwright-python` package (no npm needed)."""
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        return None
    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report() -> Iterator[dict]:
    """Page weights and accessibility findings of the run, written to tests/artifacts/web/report.json."""
    data: dict = {"pages": {}}
    yield data
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
