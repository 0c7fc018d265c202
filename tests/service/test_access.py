"""Who may see and change what (service/access.py): every route declares its roles, other roles
are refused and change nothing, and records of others look absent."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.service.helpers import POSTING

pytestmark = pytest.mark.both_backends


PUBLIC = {"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


CANDIDATE = {"name": "N", "skills": ["JS"], "languages": {"es": "B2"}, "location": "Barcelona"}


def _operations(client: TestClient) -> list[tuple[str, str, list[str] | None]]:
    """(method, path, declared roles) of every operation in the served OpenAPI schema."""
    schema = client.get("/openapi.json").json()
    return [
        (method.upper(), path, op.get("x-roles"))
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if path not in PUBLIC
    ]


def _body(path: str, method: str, ids: dict[str, int]) -> dict | None:
    if method not in ("POST", "PUT"):
        return None
    if path.startswith("/candidates"):
        return CANDIDATE
    if path.startswith("/postings"):
        return POSTING
    if path == "/search":
        return {"text": "React developer", "side": "candidates"}
    if path == "/tokens":
        return {"role": "coordinator"}
    if path == "/companies":
        return {"name": "Access Check SL"}
    if path == "/interviews":
        return {"posting_id": ids["posting"], "candidate_id": ids["candidate"]}
    return {}


def _fill(path: str, ids: dict[str, int]) -> str:
    path = path.replace("/candidates/{rid}", f"/candidates/{ids['candidate']}")
    path = path.replace("/postings/{rid}", f"/postings/{ids['posting']}")
    return re.sub(r"\{\w+\}", "1", path)


def test_every_route_declares_roles(client: TestClient) -> None:
    operations = _operations(client)
    assert len(operations) >= 20
    for method, path, roles in operations:
        assert roles, f"{method} {path} declares no roles"
        assert set(roles) <= {"coordinator", "company", "graduate"}


def test_other_roles_are_refused_and_nothing_changes(client: TestClient, tokens: dict[str, str], ids: dict[str, int]) -> None:
    matcher = client.app.state.matcher
    before = {side: dict(state.records) for side, state in matcher.sides.items()}
    checked = 0
    for method, template, roles in _operations(client):
        path, body = _fill(template, ids), _body(template, method, ids)
        unauthenticated = client.request(method, path, json=body, headers={"Authorization": ""})
        assert unauthenticated.status_code == 401, (method, path)
        bad = client.request(method, path, json=body, headers=auth("bm_not-a-token"))
        assert bad.status_code == 401, (method, path)
        for role in {"coordinator", "company", "graduate"} - set(roles or []):
            response = client.request(method, path, json=body, headers=auth(tokens[role]))
            assert response.status_code in (403, 404), (role, method, path, response.text)
            checked += 1
    assert checked >= 15
    assert {side: dict(state.records) for side, state in matcher.sides.items()} == before


def test_records_of_others_look_absent(client: TestClient, tokens: dict[str, str], ids: dict[str, int]) -> None:
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    other_grad, other_post = cands["g002"], posts["p003"]  # p003 belongs to Vertex Health
    graduate, company, stranger = auth(tokens["graduate"]), auth(tokens["company"]), auth(tokens["other_coordinator"])
    # a graduate sees their own profile and matches, and another's exactly like a missing one
    assert client.get(f"/candidates/{ids['candidate']}", headers=graduate).status_code == 200
    for path in (f"/candidates/{other_grad}", f"/candidates/{other_grad}/matches", "/candidates/999999"):
        response = client.get(path, headers=graduate)
        assert response.status_code == 404
    assert client.put(f"/candidates/{other_grad}", json=CANDIDATE, headers=graduate).status_code == 404
    # a company edits only its own postings
    assert client.get(f"/postings/{other_post}/matches", headers=company).status_code == 404
    assert client.put(f"/postings/{other_post}", json=POSTING, headers=company).status_code == 404
    assert client.delete(f"/postings/{other_post}", headers=company).status_code == 404
    assert client.get(f"/postings/{ids['posting']}/matches", headers=company).status_code == 200
    listed = client.get("/postings", headers=company).json()
    assert listed["items"] and all(p["company"] == "Sol Digital SL" for p in listed["items"])
    # another organisation's coordinator sees nothing of this one
    assert client.get(f"/candidates/{ids['candidate']}", headers=stranger).status_code == 404
    assert client.get(f"/postings/{ids['posting']}/matches", headers=stranger).status_code == 404
    assert client.get("/candidates", headers=stranger).json()["total"] == 0
    found = client.post("/search", json={"text": "Python developer", "side": "candidates"}, headers=stranger)
    assert found.json()["items"] == []
