"""Storage rules seen through the API: external ids are unique per organisation."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from service.settings import Settings
from service.store import Side
from tests.conftest import auth, ids_by_external


def _graduate(client: TestClient, external_id: str, summary: str) -> dict:
    """A valid profile body: a demo graduate's, with another external id and summary."""
    gid = ids_by_external(client, "candidates")["g003"]
    body = client.get(f"/candidates/{gid}").json()
    body.pop("id")
    return body | {"external_id": external_id, "summary": summary}


def test_an_external_id_is_unique_within_an_organisation_only(client: TestClient, tokens: dict[str, str]) -> None:
    other = auth(tokens["other_coordinator"])
    ours = ids_by_external(client, "candidates")
    # Another school may use the ids this one uses: no 409, nothing to learn about us.
    for ext in ("g001", "g002"):
        response = client.post("/candidates", json=_graduate(client, ext, f"Theirs {ext}."), headers=other)
        assert response.status_code == 201, response.text
    posting = client.get(f"/postings/{ids_by_external(client, 'postings')['p001']}").json()
    posting.pop("id")
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


def test_the_demo_loads_into_a_second_school_with_the_same_ids(client: TestClient, settings: Settings) -> None:
    from service.bootstrap import init
    from service.demo import load_demo

    matcher = client.app.state.matcher
    first = {side: len(matcher.sides[side].records) for side in Side}
    other_org, _ = init(matcher, "Another school")  # the seeded second school
    added = load_demo(matcher, settings.data_dir, other_org)
    assert added["candidates"] == first[Side.candidates] and added["postings"] == first[Side.postings]
    assert load_demo(matcher, settings.data_dir, other_org)["candidates"] == 0  # and only once
