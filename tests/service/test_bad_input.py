"""Bad input gets a clear 4xx naming the problem, and nothing is written."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids_by_external

pytestmark = pytest.mark.both_backends

GOOD = {
    "name": "Test Person", "headline": "Junior dev", "summary": "Hola", "skills": ["JS"],
    "languages": {"es": "B2"}, "location": "Barcelona", "work_permit": True,
}


def _counts(client: TestClient) -> tuple[int, int]:
    from matching.records.sides import Side

    sides = client.app.state.matcher.sides
    return len(sides[Side.candidates].records), len(sides[Side.postings].records)


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
    before = _counts(client)
    response = client.post("/candidates", json=body)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert _counts(client) == before


def test_oversized_body_is_413(client: TestClient) -> None:
    before = _counts(client)
    response = client.post("/candidates", json=GOOD | {"summary": "x" * 5_000_000})
    assert response.status_code == 413 and "larger" in response.json()["detail"]
    assert _counts(client) == before


def test_long_summary_under_body_limit_is_422(client: TestClient) -> None:
    response = client.post("/candidates", json=GOOD | {"summary": "x" * 20_000})
    assert response.status_code == 422 and "summary" in response.text


def test_unknown_ids_are_404(client: TestClient) -> None:
    for method, path in [("get", "/candidates/999999"), ("delete", "/postings/999999"),
                         ("get", "/candidates/999999/matches"), ("get", "/postings/999999/matches")]:
        response = getattr(client, method)(path)
        assert response.status_code == 404 and "999999" in response.json()["detail"]
    assert client.put("/candidates/999999", json=GOOD).status_code == 404


def test_malformed_json_and_invalid_utf8(client: TestClient) -> None:
    before = _counts(client)
    assert client.post("/candidates", content=b'{"name": ', headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/candidates", content=b'{"name": "\xff\xfe"}', headers={"content-type": "application/json"}).status_code in (400, 422)
    assert _counts(client) == before


def test_duplicate_external_id_is_409(client: TestClient) -> None:
    assert client.post("/candidates", json=GOOD | {"external_id": "g001"}).status_code == 409


def test_import_is_all_or_nothing(client: TestClient) -> None:
    before = _counts(client)
    csv = "name,skills,languages,location,work_permit\nAna,JS;React,es:B2;en:B1,Barcelona,true\nBo,,es:B2,Zagreb,true\n"
    response = client.post("/candidates:import", files={"file": ("../../etc/people.csv", csv, "text/csv")})
    assert response.status_code == 422
    assert "row 2" in response.text and "skills" in response.text
    assert _counts(client) == before
    good = csv.replace("Bo,,", "Bo,Python,")
    response = client.post("/candidates:import", files={"file": ("people.csv", good, "text/csv")})
    assert response.status_code == 201 and response.json()["imported"] == 2
    assert _counts(client)[0] == before[0] + 2
    assert client.post("/postings:import", files={"file": ("x.exe", b"MZ", "application/octet-stream")}).status_code == 422


def test_import_parquet_roundtrip(client: TestClient) -> None:
    import polars as pl

    frame = pl.DataFrame({"company": ["Sol Digital SL"], "title": ["Dev"], "required_skills": [["JS", "CSS"]],
                          "languages": ["es:B1"], "location": ["Barcelona"]})
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    response = client.post("/postings:import", files={"file": ("p.parquet", buffer.getvalue())})
    assert response.status_code == 201, response.text
    posting = client.get(f"/postings/{response.json()['ids'][0]}").json()
    assert posting["required_skills"] == ["JS", "CSS"] and posting["languages"] == {"es": "B1"}


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


def test_chunked_body_over_the_limit_is_413_and_nothing_written(client: TestClient) -> None:
    before = _counts(client)

    def chunks():  # no Content-Length: the middleware must count bytes as they arrive
        yield b'{"name": "A", "skills": ["JS"], "summary": "'
        for _ in range(300):
            yield b"x" * 10_000
        yield b'"}'

    response = client.post("/candidates", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    csv_rows = b"name,skills\n" + b"Ana,JS\n" * 5_000_000

    def upload():
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n"
        for start in range(0, len(csv_rows), 1_000_000):
            yield csv_rows[start : start + 1_000_000]
        yield b"\r\n--b--\r\n"

    response = client.post("/candidates:import", content=upload(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert _counts(client) == before


def test_lone_surrogates_and_huge_ids_are_4xx(client: TestClient) -> None:
    before = _counts(client)
    body = '{"name": "A\\udbf1", "skills": ["JS"]}'
    response = client.post("/candidates", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and "unicode" in response.text.lower()
    posting = '{"company": "C", "title": "T", "required_skills": ["K\\uda93"]}'
    assert client.post("/postings", content=posting, headers={"content-type": "application/json"}).status_code == 422
    for path in ("/candidates/18446744073709551616", "/fairs/18446744073709551616/schedule",
                 "/postings/99999999999999999999/matches"):
        assert client.get(path).status_code == 404, path
    assert _counts(client) == before


def test_blank_external_ids_do_not_collide(client: TestClient) -> None:
    for _ in range(2):
        assert client.post("/candidates", json=GOOD | {"external_id": ""}).status_code == 201


@pytest.mark.parametrize("name", ["Ana\rBEGIN:VEVENT", "Ana\nBEGIN:VEVENT", "Ana\x0bB", "Ana\x85B", "Ana\u2029B"])
def test_names_with_control_characters_are_422(client: TestClient, name: str) -> None:
    before = _counts(client)
    response = client.post("/candidates", json=GOOD | {"name": name})
    assert response.status_code == 422, response.text
    assert "name" in response.json()["detail"] and "control character" in response.json()["detail"]
    assert client.post("/candidates", json=GOOD | {"skills": ["JS\tReact"]}).status_code == 422
    assert _counts(client) == before


def test_long_text_keeps_line_breaks_and_tabs_and_normalises_cr(client: TestClient) -> None:
    rid = client.post("/candidates", json=GOOD | {"summary": "one\r\ntwo\rthree\n\tfour"}).json()["id"]
    assert client.get(f"/candidates/{rid}").json()["summary"] == "one\ntwo\nthree\n\tfour"
    response = client.post("/candidates", json=GOOD | {"summary": "bell\x07"})
    assert response.status_code == 422 and "summary" in response.json()["detail"]


def test_token_candidate_id_must_be_an_integer(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    for value in (False, True, str(g1), 1.0):
        response = client.post("/tokens", json={"role": "graduate", "candidate_id": value})
        assert response.status_code == 422, (value, response.text)
        assert "candidate_id" in response.json()["detail"]
    assert client.post("/tokens", json={"role": "graduate", "candidate_id": g1}).status_code == 201


def test_wrong_method_is_405_with_every_allowed_method(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    for method, path, allowed in [("DELETE", "/health", {"GET"}), ("DELETE", "/candidates", {"GET", "POST"}),
                                  ("PATCH", f"/candidates/{g1}", {"GET", "PUT", "DELETE"})]:
        response = client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert set(response.headers["allow"].replace(" ", "").split(",")) == allowed, (path, response.headers)
        assert response.json()["detail"]


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


def test_a_content_length_of_5000_digits_is_413(client: TestClient) -> None:
    response = client.post("/candidates", content=b"{}", headers={"content-type": "application/json",
                                                                   "content-length": "9" * 5000})
    assert response.status_code == 413 and "larger" in response.json()["detail"]
