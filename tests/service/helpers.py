"""Helpers and sample bodies shared by several service test modules (plain functions, not
fixtures; the fixtures are in the conftest.py files)."""

from __future__ import annotations

import io
import json

import docx
from fastapi.testclient import TestClient
from sqlalchemy import text

from matching.records.profiles import CandidateProfile
from matching.records.sides import Side
from service.settings import REPO_DATA

PROFILE = {"name": "Test Person", "skills": ["JS"], "languages": {"es": "B2"}, "location": "Barcelona"}
POSTING = {"company": "Sol Digital SL", "title": "Dev", "required_skills": ["JS"], "location": "Barcelona"}
GOOD = {
    "name": "Test Person", "headline": "Junior dev", "summary": "Hola", "skills": ["JS"],
    "languages": {"es": "B2"}, "location": "Barcelona", "work_permit": True,
}
DEEP = b"[" * 10_000 + b"]" * 10_000
SKILLS = [f"skill{i}" for i in range(10_000)]
TABLES = ("candidates", "postings", "embeddings", "tokens", "interviews", "companies")
DEMO_FAIR = json.loads((REPO_DATA / "demo/fair.json").read_text())
CANDIDATES = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]


def written(client: TestClient) -> dict[str, int]:
    """Rows per table, and what the running app serves (the coordinator's totals)."""
    with client.app.state.matcher.sessions() as session:
        counts = {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}
    for side in ("candidates", "postings"):
        counts[f"served_{side}"] = client.get(f"/{side}", params={"limit": 1}).json()["total"]
    return counts


def assert_clear_4xx(response) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def multipart_body(filename: bytes, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand, so the file name's bytes reach the server unchanged."""
    boundary = b"hostile-boundary-7d3f"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    return body, {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}


def record_counts(client: TestClient) -> tuple[int, int]:
    """Graduates and postings the running ranker holds."""
    sides = client.app.state.matcher.sides
    return len(sides[Side.candidates].records), len(sides[Side.postings].records)


def matches_of(client: TestClient, side: str, rid: int) -> list[dict]:
    response = client.get(f"/{side}/{rid}/matches", params={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
