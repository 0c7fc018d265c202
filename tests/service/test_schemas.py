"""The request schemas (service/schemas.py): what a profile or posting may hold, named in the
422 and documented in the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.service.helpers import GOOD, POSTING, PROFILE, SKILLS, record_counts, written


@pytest.mark.both_backends
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (GOOD | {"skills": "JS"}, "skills"),
        (GOOD | {"skills": []}, "skills"),
        (GOOD | {"languages": {"es": "B7"}}, "languages"),
        (GOOD | {"work_permit": "perhaps"}, "work_permit"),
        (GOOD | {"available_from": "next week"}, "available_from"),
        (GOOD | {"kinds": ["apprenticeship"]}, "kinds"),
        (GOOD | {"unknown_field": 1}, "unknown_field"),
        (GOOD | {"skills": ["x"] * 10_000}, "skills"),
        ({k: v for k, v in GOOD.items() if k != "name"}, "name"),
    ],
)
def test_invalid_candidate_is_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    before = record_counts(client)
    response = client.post("/candidates", json=body)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_long_summary_under_body_limit_is_422(client: TestClient) -> None:
    response = client.post("/candidates", json=GOOD | {"summary": "x" * 20_000})
    assert response.status_code == 422 and "summary" in response.text


@pytest.mark.both_backends
@pytest.mark.parametrize("name", ["Ana\rBEGIN:VEVENT", "Ana\nBEGIN:VEVENT", "Ana\x0bB", "Ana\x85B", "Ana\u2029B"])
def test_names_with_control_characters_are_422(client: TestClient, name: str) -> None:
    before = record_counts(client)
    response = client.post("/candidates", json=GOOD | {"name": name})
    assert response.status_code == 422, response.text
    assert "name" in response.json()["detail"] and "control character" in response.json()["detail"]
    assert client.post("/candidates", json=GOOD | {"skills": ["JS\tReact"]}).status_code == 422
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_long_text_keeps_line_breaks_and_tabs_and_normalises_cr(client: TestClient) -> None:
    rid = client.post("/candidates", json=GOOD | {"summary": "one\r\ntwo\rthree\n\tfour"}).json()["id"]
    assert client.get(f"/candidates/{rid}").json()["summary"] == "one\ntwo\nthree\n\tfour"
    response = client.post("/candidates", json=GOOD | {"summary": "bell\x07"})
    assert response.status_code == 422 and "summary" in response.json()["detail"]


@pytest.mark.both_backends
def test_openapi_says_which_language_codes_and_weights_are_accepted(client: TestClient) -> None:
    import re

    schema = client.get("/openapi.json").json()
    for model in ("CandidateProfile", "PostingRecord"):
        languages = schema["components"]["schemas"][model]["properties"]["languages"]
        pattern = languages["propertyNames"]["pattern"]
        assert re.fullmatch(pattern, "es") and re.fullmatch(pattern, "ES") and not re.fullmatch(pattern, "spanish")
    matches = schema["paths"]["/candidates/{rid}/matches"]["get"]
    weights = {p["name"]: p for p in matches["parameters"] if p["name"].startswith("w_")}
    assert weights and all("422" in p["description"] and "zero" in p["description"] for p in weights.values())
    assert "422" in matches["responses"]
    assert client.post("/candidates", json=GOOD | {"languages": {"spanish": "B2"}}).status_code == 422
    assert "must be 2 or 3 letters" in client.post("/candidates", json=GOOD | {"languages": {"K\u212a": "B2"}}).text


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PUT", "/candidates/{candidate}", PROFILE | {"skills": SKILLS}, "skills"),
        ("POST", "/postings", POSTING | {"required_skills": SKILLS}, "required_skills"),
        ("PUT", "/postings/{posting}", POSTING | {"nice_skills": SKILLS}, "nice_skills"),
    ],
    ids=["put-candidate", "posting-required", "posting-nice"],
)
def test_ten_thousand_skills_are_422(
    client: TestClient, ids: dict[str, int], method: str, path: str, body: dict, field: str
) -> None:
    before = written(client)
    original = client.get(f"/postings/{ids['posting']}").json()
    response = client.request(method, path.format(**ids), json=body)
    assert response.status_code == 422 and field in response.text, response.text
    assert written(client) == before
    assert client.get(f"/postings/{ids['posting']}").json() == original
