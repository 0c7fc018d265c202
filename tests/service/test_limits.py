"""Body limits (service/limits.py): an oversized body, chunked or not, is 413 before anything
reads it, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.conftest import auth, settings_for
from tests.service.helpers import GOOD, multipart_body, record_counts, written


@pytest.fixture
def small_upload_client(workdir: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    app = create_app(settings_for(workdir, max_upload_bytes=20_000))
    with TestClient(app, headers=auth(tokens["coordinator"])) as test_client:
        yield test_client


BIG_CSV = b"name,skills,location\n" + b"Ana,JS;Python,Barcelona\n" * 1_250  # 30 KB


@pytest.mark.both_backends
def test_oversized_body_is_413(client: TestClient) -> None:
    before = record_counts(client)
    response = client.post("/candidates", json=GOOD | {"summary": "x" * 5_000_000})
    assert response.status_code == 413 and "larger" in response.json()["detail"]
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_chunked_body_over_the_limit_is_413_and_nothing_written(client: TestClient) -> None:
    before = record_counts(client)

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
    assert record_counts(client) == before


@pytest.mark.both_backends
def test_a_content_length_of_5000_digits_is_413(client: TestClient) -> None:
    response = client.post("/candidates", content=b"{}", headers={"content-type": "application/json",
                                                                   "content-length": "9" * 5000})
    assert response.status_code == 413 and "larger" in response.json()["detail"]


def test_upload_over_the_limit_is_413(small_upload_client: TestClient) -> None:
    client = small_upload_client
    before = written(client)
    response = client.post("/candidates:import", files={"file": ("big.csv", BIG_CSV, "text/csv")})
    assert response.status_code == 413 and "20000" in response.json()["detail"]
    assert written(client) == before
    small = BIG_CSV[:2_000].rsplit(b"\n", 1)[0] + b"\n"
    assert client.post("/candidates:import", files={"file": ("ok.csv", small)}).status_code == 201


def test_chunked_upload_over_the_limit_is_413(small_upload_client: TestClient) -> None:
    client = small_upload_client
    before = written(client)
    body, headers = multipart_body(b"big.csv", BIG_CSV)
    chunks = (body[start : start + 4096] for start in range(0, len(body), 4096))
    response = client.post("/candidates:import", content=chunks, headers=headers)
    assert response.status_code == 413, response.text
    assert written(client) == before
