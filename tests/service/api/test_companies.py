"""Companies are records a coordinator creates: tokens and postings name an existing one."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external

DEMO_COMPANIES = 12  # distinct company names in data/demo/postings.json
POSTING = {"title": "Dev", "required_skills": ["JS"], "location": "Barcelona"}


def _company_names(client: TestClient) -> list[str]:
    from sqlalchemy import select

    from service.db import CompanyRow

    with client.app.state.matcher.sessions() as session:
        return sorted(session.scalars(select(CompanyRow.name)))


def _posting_count(client: TestClient) -> int:
    return client.get("/postings", params={"limit": 1}).json()["total"]


def test_a_token_for_a_mistyped_company_is_refused_with_a_suggestion(client: TestClient, tokens: dict[str, str]) -> None:
    before = _company_names(client)
    response = client.post("/tokens", json={"role": "company", "company": "Sol Digitl SL"})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "no company named 'Sol Digitl SL' in this organisation" in detail
    assert "did you mean 'Sol Digital SL'?" in detail and "POST /companies" in detail
    assert _company_names(client) == before  # no phantom company
    # Another organisation's coordinator cannot name this one's company either.
    stranger = client.post("/tokens", json={"role": "company", "company": "Sol Digital SL"},
                           headers=auth(tokens["other_coordinator"]))
    assert stranger.status_code == 422 and "no company named 'Sol Digital SL'" in stranger.json()["detail"]


def test_create_a_company_then_its_token_posts_only_under_its_name(client: TestClient) -> None:
    created = client.post("/companies", json={"name": "New Co"})
    assert created.status_code == 201, created.text
    assert created.json() == {"id": created.json()["id"], "name": "New Co"}
    again = client.post("/companies", json={"name": "New Co"})
    assert again.status_code == 409 and "New Co" in again.json()["detail"]
    assert client.post("/companies", json={"name": "  "}).status_code == 422

    token = client.post("/tokens", json={"role": "company", "company": "New Co"})
    assert token.status_code == 201, token.text
    company = auth(token.json()["token"])
    before = _posting_count(client)
    other = client.post("/postings", json=POSTING | {"company": "Sol Digital SL"}, headers=company)
    assert other.status_code == 422, other.text
    assert "'Sol Digital SL'" in other.json()["detail"] and "'New Co'" in other.json()["detail"]
    assert _posting_count(client) == before
    own = client.post("/postings", json=POSTING | {"company": "New Co"}, headers=company)
    assert own.status_code == 201, own.text
    rid = own.json()["id"]
    assert client.put(f"/postings/{rid}", json=POSTING | {"company": "Vertex Health"}, headers=company).status_code == 422
    assert client.get(f"/postings/{rid}").json()["company"] == "New Co"


def test_a_coordinator_posts_only_for_existing_companies(client: TestClient) -> None:
    before, names = _posting_count(client), _company_names(client)
    unknown = client.post("/postings", json=POSTING | {"company": "Vertex Helth"})
    assert unknown.status_code == 422, unknown.text
    assert "no company named 'Vertex Helth'" in unknown.json()["detail"]
    assert "did you mean 'Vertex Health'?" in unknown.json()["detail"]
    p001 = ids_by_external(client, "postings")["p001"]  # Sol Digital SL's
    replaced = client.put(f"/postings/{p001}", json=POSTING | {"company": "Nobody SL"})
    assert replaced.status_code == 422 and "no company named 'Nobody SL'" in replaced.json()["detail"]
    moved = client.put(f"/postings/{p001}", json=POSTING | {"company": "Vertex Health"})
    assert moved.status_code == 422 and "'Sol Digital SL'" in moved.json()["detail"]
    assert _posting_count(client) == before and _company_names(client) == names
    assert client.get(f"/postings/{p001}").json()["company"] == "Sol Digital SL"
    assert client.post("/postings", json=POSTING | {"company": "Vertex Health"}).status_code == 201


def test_an_import_naming_unknown_companies_needs_explicit_creation(client: TestClient) -> None:
    rows = [POSTING | {"company": name} for name in ("Sol Digital SL", "Brand New SL", "Other New SA", "Brand New SL")]
    upload = {"file": ("p.json", json.dumps(rows), "application/json")}
    before, names = _posting_count(client), _company_names(client)
    refused = client.post("/postings:import", files=upload)
    assert refused.status_code == 422, refused.text
    assert "'Brand New SL'" in refused.json()["detail"] and "'Other New SA'" in refused.json()["detail"]
    assert "create_companies=true" in refused.json()["detail"]
    assert _posting_count(client) == before and _company_names(client) == names
    done = client.post("/postings:import", files=upload, params={"create_companies": "true"})
    assert done.status_code == 201, done.text
    assert done.json()["imported"] == 4
    assert _company_names(client) == sorted([*names, "Brand New SL", "Other New SA"])


def test_companies_are_listed_by_role(client: TestClient, tokens: dict[str, str]) -> None:
    listed = client.get("/companies")
    assert listed.status_code == 200
    by_name = {c["name"]: c["id"] for c in listed.json()}
    assert len(by_name) == DEMO_COMPANIES and "Sol Digital SL" in by_name
    own = client.get("/companies", headers=auth(tokens["company"])).json()
    assert own == [{"id": by_name["Sol Digital SL"], "name": "Sol Digital SL"}]
    assert client.get("/companies", headers=auth(tokens["other_coordinator"])).json() == []
    assert client.get("/companies", headers=auth(tokens["graduate"])).status_code == 403
    one = client.get(f"/companies/{by_name['Vertex Health']}")
    assert one.json() == {"id": by_name["Vertex Health"], "name": "Vertex Health"}
    for headers in (auth(tokens["company"]), auth(tokens["other_coordinator"])):
        assert client.get(f"/companies/{by_name['Vertex Health']}", headers=headers).status_code == 404
    assert client.get("/companies/999999").status_code == 404
