"""Tokens (service/auth.py): stored hashed, and a revocation reaches every process in time."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import auth

pytestmark = pytest.mark.both_backends


def test_tokens_are_stored_hashed(client: TestClient, tokens: dict[str, str]) -> None:
    from sqlalchemy import select

    from service.db import TokenRow

    with client.app.state.matcher.sessions() as session:
        stored = set(session.scalars(select(TokenRow.token_hash)))
    assert stored and not (set(tokens.values()) & stored)


def test_a_revocation_made_elsewhere_takes_effect_within_the_sync_bound(
    settings: Settings, tokens: dict[str, str]
) -> None:
    """Principals are remembered for BRIDGEMATCH_SYNC_SECONDS; a token revoked through another
    process (here: straight in the database) stops working within that bound, not later."""
    from sqlalchemy import update

    from service.app import create_app
    from service.auth import hash_token
    from service.db import TokenRow

    bound = 0.3
    with TestClient(create_app(settings.model_copy(update={"sync_seconds": bound}))) as client:
        company = auth(tokens["company"])
        assert client.get("/postings", headers=company).status_code == 200  # remembered now
        with client.app.state.matcher.sessions.begin() as session:  # type: ignore[attr-defined]
            session.execute(update(TokenRow).where(TokenRow.token_hash == hash_token(tokens["company"]))
                            .values(revoked=True))
        revoked_at = time.monotonic()
        while client.get("/postings", headers=company).status_code == 200:
            assert time.monotonic() - revoked_at < bound + 0.5, "still accepted past the bound"
            time.sleep(0.02)
        assert client.get("/postings", headers=company).status_code == 401
