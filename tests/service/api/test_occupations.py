"""GET /occupations over the real app: the normaliser the harness measures, for every role."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth

WEB_DEVELOPER = "http://data.europa.eu/esco/occupation/c40a2919-48a9-40ea-b506-1f34f693496d"


def test_every_role_gets_occupations_for_a_title(client: TestClient, tokens: dict[str, str]) -> None:
    for role in ("coordinator", "company", "graduate"):
        response = client.get("/occupations", params={"title": "web developer", "k": 3},
                              headers=auth(tokens[role]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["occupations"][0]["uri"] == WEB_DEVELOPER
        assert len(body["occupations"]) <= 3 and "message" not in body


def test_a_title_with_no_occupation_says_why(client: TestClient) -> None:
    body = client.get("/occupations", params={"title": "xq zzv"}).json()
    assert body["occupations"] == [] and "No ESCO occupation is close enough" in body["message"]


def test_bad_titles_are_refused_with_a_reason(client: TestClient) -> None:
    for params in ({"title": ""}, {"title": "x" * 201}, {}, {"title": "web developer", "k": 0}):
        response = client.get("/occupations", params=params)
        assert response.status_code == 422, (params, response.status_code)
    assert client.get("/occupations", params={"title": "web developer"}, headers={"Authorization": ""}).status_code == 401
