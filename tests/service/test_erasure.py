"""Erasing a graduate (service/erasure.py) removes them everywhere: rows, vectors, caches,
interviews, the saved index and the bytes on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from matching.records.sides import Side
from service.settings import Settings
from tests.conftest import auth, ids_by_external

pytestmark = pytest.mark.both_backends


def _files_holding(folder: Path, marker: bytes) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes())


def test_erasure_removes_a_graduate_everywhere(client: TestClient, tokens: dict[str, str]) -> None:
    from service.db import CandidateRow, EmbeddingRow, InterviewRow, TokenRow

    matcher = client.app.state.matcher
    posts = ids_by_external(client, "postings")
    gid = ids_by_external(client, "candidates")["g001"]
    company, graduate = auth(tokens["company"]), auth(tokens["graduate"])
    assert client.post("/interviews", json={"posting_id": posts["p001"], "candidate_id": gid}, headers=company).status_code == 201
    digest = matcher.sides[Side.candidates].index.entries[gid]
    assert client.get(f"/candidates/{gid}", headers=graduate).status_code == 200

    # the graduate erases themself
    assert client.delete(f"/candidates/{gid}", headers=graduate).status_code == 204

    with matcher.sessions() as session:
        assert session.get(CandidateRow, gid) is None
        assert session.scalar(select(func.count()).select_from(TokenRow).where(TokenRow.candidate_id == gid)) == 0
        assert session.scalar(select(func.count()).select_from(InterviewRow).where(InterviewRow.candidate_id == gid)) == 0
        assert session.get(EmbeddingRow, digest) is None
    assert gid not in matcher.sides[Side.candidates].index
    assert gid not in matcher.sides[Side.candidates].lexical
    assert client.get(f"/candidates/{gid}", headers=graduate).status_code == 401  # their token is gone
    assert client.get(f"/candidates/{gid}").status_code == 404
    for pid in posts.values():
        assert gid not in {i["id"] for i in client.get(f"/postings/{pid}/matches", params={"limit": 100}).json()["items"]}
    assert all(c["id"] != gid for c in client.get("/candidates", params={"limit": 500}).json()["items"])
    # and after a restart (index rebuilt from the database) they stay gone
    matcher.reindex()
    assert gid not in matcher.sides[Side.candidates].index


def test_an_erased_profile_leaves_no_bytes_on_disk(client: TestClient, workdir: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("reads the SQLite file's raw bytes")
    marker = b"ZQXJ-marker-unique-123"
    gid = ids_by_external(client, "candidates")["g003"]
    body = client.get(f"/candidates/{gid}").json()
    body.pop("id")
    body |= {"external_id": "marked", "summary": f"I build web apps. {marker.decode()} is my handle.",
             "skills": [*body["skills"], f"{marker.decode()} scripting"]}
    new = client.post("/candidates", json=body).json()["id"]
    assert _files_holding(workdir, marker)  # the text is on disk (the database or its WAL)
    cache = client.app.state.settings.cache_dir
    assert _files_holding(cache, marker)  # their skill string, mapped to ESCO for the model-free CLI

    assert client.delete(f"/candidates/{new}").status_code == 204
    assert _files_holding(workdir, marker) == []  # the .db, -wal, -shm and the index folder
    assert _files_holding(cache, marker) == []


def test_erasing_from_a_big_index_saves_it_at_once(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.retrieval.index import VectorIndex
    from service import matcher as matcher_module

    matcher = client.app.state.matcher
    gid = ids_by_external(client, "candidates")["g004"]
    # Indexes above this size are saved at close, not after each write: as if the index were big.
    monkeypatch.setattr(matcher_module, "SAVE_EVERY_WRITE_UP_TO", 0)
    assert client.delete(f"/candidates/{gid}").status_code == 204
    saved = VectorIndex.load(settings.index_dir / "candidates", model=matcher.encoder.name, dim=matcher.encoder.dim)
    assert gid not in saved.entries
