"""The graduates' records over HTTP (service/api/candidates.py): external ids, deletion."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids_by_external
from tests.service.helpers import GOOD

pytestmark = pytest.mark.both_backends


def test_duplicate_external_id_is_409(client: TestClient) -> None:
    assert client.post("/candidates", json=GOOD | {"external_id": "g001"}).status_code == 409


def test_delete_removes_row_vector_and_cached_embedding(client: TestClient) -> None:
    from sqlalchemy import func, select

    from matching.records.sides import Side
    from service.db import EmbeddingRow

    matcher = client.app.state.matcher
    rid = client.post("/candidates", json=GOOD | {"summary": "a unique summary 12345"}).json()["id"]
    digest = matcher.sides[Side.candidates].index.entries[rid]
    count = lambda: matcher.sessions().scalar(select(func.count()).select_from(EmbeddingRow).where(EmbeddingRow.text_hash == digest))
    assert count() == 1
    assert client.delete(f"/candidates/{rid}").status_code == 204
    assert client.get(f"/candidates/{rid}").status_code == 404
    assert rid not in matcher.sides[Side.candidates].index
    assert count() == 0
    g1 = ids_by_external(client, "candidates")["g001"]
    assert client.get(f"/candidates/{g1}").status_code == 200


def test_blank_external_ids_do_not_collide(client: TestClient) -> None:
    for _ in range(2):
        assert client.post("/candidates", json=GOOD | {"external_id": ""}).status_code == 201
