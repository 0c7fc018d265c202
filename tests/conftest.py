"""Shared fixtures: the real model (once per session), a seeded demo database copied per test."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.encoder import Encoder, load_encoder
from service.settings import Settings
from tests.pg import Cluster, ClusterUnavailable

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def settings_for(folder: Path, **overrides: object) -> Settings:
    defaults: dict[str, object] = {
        "database_url": f"sqlite:///{folder / 'bridgematch.db'}",
        "index_dir": folder / "index",
        # Shared across tests (and runs): ESCO label embeddings are encoded once, then read from disk.
        "cache_dir": REPO / "var" / "cache",
    }
    return Settings(**(defaults | overrides))


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder()


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """A database and index holding the demo data and a token per role, built once per session."""
    folder = tmp_path_factory.mktemp("seeded")
    seed_demo(folder, settings_for(folder))
    return folder


def seed_demo(folder: Path, settings: Settings) -> None:
    """Demo data, a second organisation and a token per role into `settings`' database;
    the index lands in `folder / "index"`, the tokens in `folder / "tokens.json"`."""
    from sqlalchemy import select

    from service.auth import Role, issue_token
    from service.companies import require_company
    from service.composition import build_matcher
    from service.db import CandidateRow
    from service.demo import load_demo
    from service.usecases.first_start import init

    matcher = build_matcher(settings)
    org_id, coordinator = init(matcher)
    load_demo(matcher, settings.data_dir, org_id)
    _other_org, other_coordinator = init(matcher, "Another school")
    tokens = {"coordinator": coordinator, "other_coordinator": other_coordinator}
    with matcher.sessions.begin() as session:
        for key, name in (("company", "Sol Digital SL"), ("other_company", "Vertex Health")):
            company_id = require_company(session, org_id=org_id, name=name)  # made by load_demo
            tokens[key] = issue_token(session, role=Role.company, org_id=org_id, company_id=company_id)[1]
        for key, ext in (("graduate", "g001"), ("other_graduate", "g002")):
            cid = session.scalar(select(CandidateRow.id).where(CandidateRow.external_id == ext))
            tokens[key] = issue_token(session, role=Role.graduate, org_id=org_id, candidate_id=cid)[1]
    (folder / "tokens.json").write_text(json.dumps(tokens))
    matcher.close()


# ---- both backends: SQLite, and a throw-away PostgreSQL cluster (tests/pg.py) ----------------
# A module marked `pytestmark = pytest.mark.both_backends` runs every test using `settings` (hence
# `client`) once per backend; a test marked `@pytest.mark.both_backends` itself runs once per backend
# even without `settings`. `pytest --db sqlite|postgresql|both` (or BRIDGEMATCH_TEST_DB) picks them,
# default both. The marker follows the test, so tests can move between modules without losing it.
PG_TEMPLATE = "bm_seeded"
_pg_numbers = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db", choices=("sqlite", "postgresql", "both"), default=os.environ.get("BRIDGEMATCH_TEST_DB", "both"),
        help="database backend(s) for the storage and API suites (default: both)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run on SQLite and PostgreSQL (see tests/conftest.py)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    own = any(mark.name == "both_backends" for mark in metafunc.definition.own_markers)
    in_module = metafunc.definition.get_closest_marker("both_backends") is not None
    if own or (in_module and "settings" in metafunc.fixturenames):
        choice = metafunc.config.getoption("--db")
        backends = ["sqlite", "postgresql"] if choice == "both" else [choice]
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """"sqlite", or the backend this test was parametrised with."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL server for the session; skipped (with the reason) where none can run."""
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg: pip install 'bridgematch[postgres]'")
    try:
        cluster = Cluster.start()
    except ClusterUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def seeded_pg_dir(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder, pg_cluster: Cluster) -> Path:
    """The demo seeded once into a template database (through the migrations and the real code)."""
    folder = tmp_path_factory.mktemp("seeded-pg")
    seed_demo(folder, settings_for(folder, database_url=pg_cluster.create_database(PG_TEMPLATE)))
    return folder


@pytest.fixture
def workdir(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Path:
    """A private copy of the seeded demo (index folder and tokens), so tests may write freely."""
    seeded: Path = request.getfixturevalue("seeded_pg_dir" if backend == "postgresql" else "seeded_dir")
    target = tmp_path / "work"
    shutil.copytree(seeded, target)
    return target


@pytest.fixture
def database_url(workdir: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """The test's own database: the SQLite file in `workdir`, or a copy of the PostgreSQL template."""
    if backend != "postgresql":
        yield f"sqlite:///{workdir / 'bridgematch.db'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"t_{next(_pg_numbers)}"
    yield cluster.create_database(name, template=PG_TEMPLATE)
    cluster.drop_database(name)


@pytest.fixture
def settings(workdir: Path, database_url: str) -> Settings:
    return settings_for(workdir, database_url=database_url)


@pytest.fixture
def tokens(workdir: Path) -> dict[str, str]:
    """Secrets by role: coordinator, company (Sol Digital SL), other_company (Vertex Health),
    graduate (g001), other_graduate (g002), other_coordinator (another organisation)."""
    return json.loads((workdir / "tokens.json").read_text())


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(settings: Settings, tokens: dict[str, str]) -> Iterator[TestClient]:
    """The real app, calling as the organisation's coordinator unless a test passes other headers."""
    from service.app import create_app

    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as test_client:
        yield test_client


def ids_by_external(client: TestClient, side: str) -> dict[str, int]:
    page = client.get(f"/{side}", params={"limit": 500}).json()
    return {item["external_id"]: item["id"] for item in page["items"]}
