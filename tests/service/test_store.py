"""Storage rules seen through the API: external ids are unique per organisation, and the
embedding cache holds exactly the vectors of stored texts (written and removed with them)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from matching.records.sides import Side
from service.db import EmbeddingRow
from service.settings import Settings
from tests.conftest import auth, ids_by_external

pytestmark = pytest.mark.both_backends


def _graduate(client: TestClient, external_id: str, summary: str) -> dict:
    """A valid profile body: a demo graduate's, with another external id, and the text as summary
    and headline (the headline is scored, the summary is not)."""
    gid = ids_by_external(client, "candidates")["g003"]
    body = client.get(f"/candidates/{gid}").json()
    body.pop("id")
    return body | {"external_id": external_id, "summary": summary, "headline": summary}


def _cached_hashes(client: TestClient) -> set[str]:
    with client.app.state.matcher.sessions() as session:
        return set(session.scalars(select(EmbeddingRow.text_hash)))


def test_an_external_id_is_unique_within_an_organisation_only(client: TestClient, tokens: dict[str, str]) -> None:
    other = auth(tokens["other_coordinator"])
    ours = ids_by_external(client, "candidates")
    # Another school may use the ids this one uses: no 409, nothing to learn about us.
    for ext in ("g001", "g002"):
        response = client.post("/candidates", json=_graduate(client, ext, f"Theirs {ext}."), headers=other)
        assert response.status_code == 201, response.text
    posting = client.get(f"/postings/{ids_by_external(client, 'postings')['p001']}").json()
    posting.pop("id")
    assert client.post("/companies", json={"name": posting["company"]}, headers=other).status_code == 201
    assert client.post("/postings", json=posting, headers=other).status_code == 201
    rows = json.dumps([_graduate(client, "b-only-1", "Imported elsewhere.")]).encode()
    assert client.post("/candidates:import", files={"file": ("g.json", rows)}, headers=other).status_code == 201
    page = client.get("/candidates", params={"limit": 500}, headers=other).json()
    theirs = {item["external_id"]: item["id"] for item in page["items"]}
    assert set(theirs) == {"g001", "g002", "b-only-1"}
    assert ids_by_external(client, "candidates") == ours  # ours untouched

    # Within one organisation a second use is still refused, naming only the caller's own id.
    response = client.post("/candidates", json=_graduate(client, "g001", "Again."), headers=other)
    assert response.status_code == 409
    assert "g001" in response.json()["detail"]
    assert "organisation" in response.json()["detail"]  # the caller's own, never another
    assert client.post("/candidates", json=_graduate(client, "g002", "Again.")).status_code == 409
    assert client.post("/postings", json=posting, headers=other).status_code == 409
    # An id only another school uses is free here, and renaming to one is too.
    assert client.post("/candidates", json=_graduate(client, "b-only-1", "Ours now.")).status_code == 201
    gid = theirs["g002"]
    mine = client.get(f"/candidates/{gid}", headers=other).json()
    mine.pop("id")
    assert client.put(f"/candidates/{gid}", json=mine | {"external_id": "g003"}, headers=other).status_code == 200
    assert client.put(f"/candidates/{gid}", json=mine | {"external_id": "g001"}, headers=other).status_code == 409


def test_a_rejected_import_leaves_the_embedding_cache_as_it_was(client: TestClient) -> None:
    before = _cached_hashes(client)
    rows = [
        _graduate(client, "new-1", "A text never seen before: Rust, WebAssembly and audio plugins."),
        _graduate(client, "g001", "Another new text, with an id this school already uses."),
    ]
    response = client.post("/candidates:import", files={"file": ("g.json", json.dumps(rows).encode())})
    assert response.status_code == 409
    assert _cached_hashes(client) == before
    single = _graduate(client, "g002", "A third new text, refused on its own.")
    assert client.post("/candidates", json=single).status_code == 409
    assert _cached_hashes(client) == before


def test_an_edit_drops_the_old_texts_embedding(client: TestClient) -> None:
    matcher = client.app.state.matcher
    gid = ids_by_external(client, "candidates")["g005"]
    old = matcher.hash_of(matcher.get(Side.candidates, gid))
    body = client.get(f"/candidates/{gid}").json()
    body.pop("id")
    assert client.put(f"/candidates/{gid}", json=body | {"headline": "Rewritten: now into embedded C."}).status_code == 200
    new = matcher.hash_of(matcher.get(Side.candidates, gid))
    assert new != old
    cached = _cached_hashes(client)
    assert old not in cached and new in cached


def test_after_an_edit_and_an_erasure_no_embedding_of_the_graduate_remains(client: TestClient) -> None:
    matcher = client.app.state.matcher
    gid = client.post("/candidates", json=_graduate(client, "gone-1", "First text of someone leaving.")).json()["id"]
    first = matcher.hash_of(matcher.get(Side.candidates, gid))
    body = _graduate(client, "gone-1", "Second text of someone leaving.")
    assert client.put(f"/candidates/{gid}", json=body).status_code == 200
    second = matcher.hash_of(matcher.get(Side.candidates, gid))
    assert first != second
    assert client.delete(f"/candidates/{gid}").status_code == 204
    assert not {first, second} & _cached_hashes(client)


def test_the_demo_is_loaded_only_into_an_empty_database(client: TestClient, settings: Settings) -> None:
    """Not into a second school beside data either: an erased demo graduate must never return."""
    from service.demo import load_demo
    from service.usecases.first_start import init

    matcher = client.app.state.matcher
    first = {side: len(matcher.sides[side].records) for side in Side}
    other_org, _ = init(matcher, "Another school")  # the seeded second school
    done = load_demo(matcher, settings.data_dir, other_org)
    assert not any(done.added.values()) and "only into an empty database" in done.message
    assert {side: len(matcher.sides[side].records) for side in Side} == first
