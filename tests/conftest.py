"""Shared fixtures: the real model (once per session), a seeded demo database copied per test."""

from __future__ import annotations

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
    """A database and index holding the demo data, built once per session."""
    from service.app import build_matcher
    from service.demo import load_demo

    folder = tmp_path_factory.mktemp("seeded")
    settings = settings_for(folder)
    matcher = build_matcher(settings)
    load_demo(matcher, settings.data_dir)
    matcher.sessions.kw["bind"].dispose()
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
def client(settings: Settings) -> Iterator[TestClient]:
    from service.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


def ids_by_external(client: TestClient, side: str) -> dict[str, int]:
    page = client.get(f"/{side}", params={"limit": 500}).json()
    return {item["external_id"]: item["id"] for item in page["items"]}
