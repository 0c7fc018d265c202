"""Shared fixtures: the real model (once per session), a seeded demo database copied per test."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.encoder import Encoder, load_encoder
from service.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def settings_for(folder: Path, **overrides: object) -> Settings:
    return Settings(
        database_url=f"sqlite:///{folder / 'bridgematch.db'}",
        index_dir=folder / "index",
        cache_dir=folder / "cache",
        **overrides,
    )


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder()


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """A database and index holding the demo data and a token per role, built once per session."""
    from sqlalchemy import select

    from service.app import build_matcher
    from service.auth import Role, ensure_company, issue_token
    from service.bootstrap import init
    from service.db import CandidateRow
    from service.demo import load_demo

    folder = tmp_path_factory.mktemp("seeded")
    settings = settings_for(folder)
    matcher = build_matcher(settings)
    org_id, coordinator = init(matcher)
    load_demo(matcher, settings.data_dir, org_id)
    other_org, other_coordinator = init(matcher, "Another school")
    tokens = {"coordinator": coordinator, "other_coordinator": other_coordinator}
    with matcher.sessions.begin() as session:
        for key, name in (("company", "Sol Digital SL"), ("other_company", "Vertex Health")):
            company_id = ensure_company(session, org_id=org_id, name=name)
            tokens[key] = issue_token(session, role=Role.company, org_id=org_id, company_id=company_id)[1]
        for key, ext in (("graduate", "g001"), ("other_graduate", "g002")):
            cid = session.scalar(select(CandidateRow.id).where(CandidateRow.external_id == ext))
            tokens[key] = issue_token(session, role=Role.graduate, org_id=org_id, candidate_id=cid)[1]
    (folder / "tokens.json").write_text(json.dumps(tokens))
    matcher.close()
    return folder


@pytest.fixture
def workdir(tmp_path: Path, seeded_dir: Path) -> Path:
    """A private copy of the seeded demo, so tests may write freely."""
    target = tmp_path / "work"
    shutil.copytree(seeded_dir, target)
    return target


@pytest.fixture
def settings(workdir: Path) -> Settings:
    return settings_for(workdir)


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
