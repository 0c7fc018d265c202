"""Fixtures shared by the service tests of several modules: the demo's ids, the CLI's environment.
The database, model, tokens and app come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.settings import get_settings
from tests.conftest import ids_by_external


@pytest.fixture
def ids(client: TestClient) -> dict[str, int]:
    """The demo's graduate g001 and posting p001."""
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    return {"candidate": cands["g001"], "posting": posts["p001"]}


@pytest.fixture
def cli_env(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI pointed at this test's copy of the seeded demo (through the environment)."""
    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{workdir / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(workdir / "index"))
    get_settings.cache_clear()
    yield workdir
    get_settings.cache_clear()
