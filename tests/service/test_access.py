"""Every endpoint declares its roles, and every other role is refused without leaking existence."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import auth, ids_by_external

pytestmark = pytest.mark.both_backends

PUBLIC = {"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
CANDIDATE = {"name": "N", "skills": ["JS"], "languages": {"es": "B2"}, "location": "Barcelona"}
POSTING = {"company": "Sol Digital SL", "title": "Dev", "required_skills": ["JS"], "location": "Barcelona"}


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


@pytest.fixture
def ids(client: TestClient) -> dict[str, int]:
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    return {"candidate": cands["g001"], "posting": posts["p001"]}


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


def test_company_sees_blind_candidates_until_interview_accepted(client: TestClient, tokens: dict[str, str], ids: dict[str, int]) -> None:
    company, graduate = auth(tokens["company"]), auth(tokens["graduate"])
    items = client.get(f"/postings/{ids['posting']}/matches", headers=company, params={"limit": 50}).json()["items"]
    assert items and all(i["candidate"].get("name") is None for i in items)
    for forbidden in ("nationality", "origin", "status", "name", "summary"):
        assert all(i["candidate"].get(forbidden) is None for i in items)
    # projects are the work: shown, and (like headline and skills) all that is scored of a graduate
    shown = {i["id"]: i["candidate"]["projects"] for i in items}
    assert shown[ids["candidate"]] == client.get(f"/candidates/{ids['candidate']}").json()["projects"]
    assert ids["candidate"] in {i["id"] for i in items}
    invite = client.post("/interviews", json={"posting_id": ids["posting"], "candidate_id": ids["candidate"]}, headers=company)
    assert invite.status_code == 201, invite.text
    assert client.post("/interviews", json={"posting_id": ids["posting"], "candidate_id": ids["candidate"]}, headers=company).status_code == 409
    interview = invite.json()["id"]
    assert client.post(f"/interviews/{interview}/accept", headers=auth(tokens["other_graduate"])).status_code == 404
    assert client.post(f"/interviews/{interview}/accept", headers=graduate).json()["status"] == "accepted"
    items = client.get(f"/postings/{ids['posting']}/matches", headers=company, params={"limit": 50}).json()["items"]
    named = {i["id"]: i["candidate"].get("name") for i in items}
    assert named[ids["candidate"]] and sum(1 for n in named.values() if n) == 1
    # a hidden (non-consenting) graduate cannot be shortlisted, and looks absent
    hidden = ids_by_external(client, "candidates")["g004"]
    assert client.post("/interviews", json={"posting_id": ids["posting"], "candidate_id": hidden}, headers=company).status_code == 404


def test_tokens_issue_list_revoke(client: TestClient, tokens: dict[str, str], ids: dict[str, int]) -> None:
    assert client.post("/companies", json={"name": "New Co"}).status_code == 201  # a token names an existing one
    created = client.post("/tokens", json={"role": "company", "company": "New Co", "label": "fair"})
    assert created.status_code == 201
    secret, token_id = created.json()["token"], created.json()["id"]
    assert secret.startswith("bm_")
    assert client.post("/postings", json=POSTING | {"company": "New Co"}, headers=auth(secret)).status_code == 201
    mine = client.get("/postings", headers=auth(secret)).json()["items"]
    assert [p["company"] for p in mine] == ["New Co"]
    listed = client.get("/tokens").json()
    assert all("token" not in t for t in listed) and any(t["id"] == token_id for t in listed)
    assert client.delete(f"/tokens/{token_id}").status_code == 204
    assert client.get("/postings", headers=auth(secret)).status_code == 401
    assert client.post("/tokens", json={"role": "graduate"}).status_code == 422
    assert client.post("/tokens", json={"role": "graduate", "candidate_id": 999999}).status_code == 404
    assert client.delete("/tokens/1", headers=auth(tokens["other_coordinator"])).status_code == 404


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
