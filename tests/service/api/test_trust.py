"""Tokens, interviews and the read log over HTTP (service/api/trust.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.service.helpers import POSTING

pytestmark = pytest.mark.both_backends


def test_token_candidate_id_must_be_an_integer(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    for value in (False, True, str(g1), 1.0):
        response = client.post("/tokens", json={"role": "graduate", "candidate_id": value})
        assert response.status_code == 422, (value, response.text)
        assert "candidate_id" in response.json()["detail"]
    assert client.post("/tokens", json={"role": "graduate", "candidate_id": g1}).status_code == 201


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


def test_audit_log_records_reads_without_content(client: TestClient, tokens: dict[str, str]) -> None:
    gid = ids_by_external(client, "candidates")["g002"]
    posts = ids_by_external(client, "postings")
    client.get(f"/candidates/{gid}")
    client.get(f"/postings/{posts['p002']}/matches", headers=auth(tokens["company"]), params={"limit": 100})
    entries = client.get("/audit", params={"candidate_id": gid}).json()
    actions = {(e["role"], e["action"]) for e in entries}
    assert ("coordinator", "read") in actions
    profile = client.get(f"/candidates/{gid}").json()
    text = str(entries)
    assert profile["name"] not in text and profile["summary"][:20] not in text
    assert set(entries[0]) == {"at", "token_id", "role", "action", "candidate_id"}
    assert client.get("/audit", headers=auth(tokens["other_coordinator"])).json() == []
