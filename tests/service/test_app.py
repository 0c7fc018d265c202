"""What the app refuses before any use case runs (service/app.py): broken or hostile JSON,
unknown fields and ids, the wrong method. Always a clear 4xx, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ids_by_external
from tests.service.helpers import (
    DEEP,
    GOOD,
    POSTING,
    PROFILE,
    assert_clear_4xx,
    record_counts,
    written,
)

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/candidates", DEEP),
        ("POST", "/postings", DEEP),
        ("POST", "/search", DEEP),
        ("POST", "/tokens", DEEP),
        ("POST", "/interviews", DEEP),
        ("PUT", "/candidates/{candidate}", DEEP),
        ("POST", "/candidates", b'{"name": "x", "skills": ' + DEEP + b"}"),
        ("POST", "/candidates", b'{"a": ' * 10_000 + b"1" + b"}" * 10_000),
        ("POST", "/candidates", b'{"name": ' + b"[" * 10_000),  # and never closed
    ],
    ids=["candidates", "postings", "search", "tokens", "interviews", "put", "in-a-field", "objects", "unclosed"],
)
def test_deeply_nested_json_body(client: TestClient, ids: dict[str, int], method: str, path: str, body: bytes) -> None:
    before = written(client)
    response = client.request(method, path.format(**ids), content=body, headers=JSON)
    assert_clear_4xx(response)
    assert written(client) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/search", b'{"text": "caf\xe9 developer"}'),  # Latin-1, not UTF-8
        ("POST", "/postings", b'{"company": "\xc3", "title": "Dev", "required_skills": ["JS"]}'),
        ("PUT", "/candidates/{candidate}", b'{"name": "\xed\xa0\x80", "skills": ["JS"]}'),  # a surrogate
        ("POST", "/tokens", b'{"role": "company", "company": "\xff"}'),
    ],
    ids=["search", "postings", "put-surrogate", "tokens"],
)
def test_invalid_utf8_body(client: TestClient, ids: dict[str, int], method: str, path: str, body: bytes) -> None:
    before = written(client)
    original = client.get(f"/candidates/{ids['candidate']}").json()
    response = client.request(method, path.format(**ids), content=body, headers=JSON)
    assert_clear_4xx(response)
    assert written(client) == before
    assert client.get(f"/candidates/{ids['candidate']}").json() == original


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/postings", POSTING | {"salary": 50_000}, "salary"),
        ("PUT", "/candidates/{candidate}", PROFILE | {"password": "x"}, "password"),
        ("PUT", "/postings/{posting}", POSTING | {"owner_id": 1}, "owner_id"),
        ("POST", "/search", {"text": "python", "org_id": 2}, "org_id"),
        ("POST", "/tokens", {"role": "coordinator", "org_id": 2}, "org_id"),
        ("POST", "/interviews", {"posting_id": 1, "candidate_id": 1, "status": "accepted"}, "status"),
    ],
    ids=["postings", "put-candidate", "put-posting", "search", "tokens", "interviews"],
)
def test_unknown_fields_are_422(
    client: TestClient, ids: dict[str, int], method: str, path: str, body: dict, field: str
) -> None:
    before = written(client)
    original = client.get(f"/candidates/{ids['candidate']}").json()
    response = client.request(method, path.format(**ids), json=body)
    assert response.status_code == 422 and field in response.text, response.text
    assert written(client) == before
    assert client.get(f"/candidates/{ids['candidate']}").json() == original


@pytest.mark.both_backends
def test_malformed_json_and_invalid_utf8(client: TestClient) -> None:
    before = record_counts(client)
    assert client.post("/candidates", content=b'{"name": ', headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/candidates", content=b'{"name": "\xff\xfe"}', headers={"content-type": "application/json"}).status_code in (400, 422)
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_unknown_ids_are_404(client: TestClient) -> None:
    for method, path in [("get", "/candidates/999999"), ("delete", "/postings/999999"),
                         ("get", "/candidates/999999/matches"), ("get", "/postings/999999/matches")]:
        response = getattr(client, method)(path)
        assert response.status_code == 404 and "999999" in response.json()["detail"]
    assert client.put("/candidates/999999", json=GOOD).status_code == 404


@pytest.mark.both_backends
def test_lone_surrogates_and_huge_ids_are_4xx(client: TestClient) -> None:
    before = record_counts(client)
    body = '{"name": "A\\udbf1", "skills": ["JS"]}'
    response = client.post("/candidates", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and "unicode" in response.text.lower()
    posting = '{"company": "C", "title": "T", "required_skills": ["K\\uda93"]}'
    assert client.post("/postings", content=posting, headers={"content-type": "application/json"}).status_code == 422
    for path in ("/candidates/18446744073709551616", "/fairs/18446744073709551616/schedule",
                 "/postings/99999999999999999999/matches"):
        assert client.get(path).status_code == 404, path
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_wrong_method_is_405_with_every_allowed_method(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    for method, path, allowed in [("DELETE", "/health", {"GET"}), ("DELETE", "/candidates", {"GET", "POST"}),
                                  ("PATCH", f"/candidates/{g1}", {"GET", "PUT", "DELETE"})]:
        response = client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert set(response.headers["allow"].replace(" ", "").split(",")) == allowed, (path, response.headers)
        assert response.json()["detail"]
