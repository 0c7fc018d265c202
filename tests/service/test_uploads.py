"""Uploads to POST /candidates:import and /postings:import: the row cap is checked before rows
are built, parsing and validation run off the event loop, and JSON rows that are not objects
are named. Nothing is written when a file is refused."""

from __future__ import annotations

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

from service import bulk, bulk_read
from service.app import create_app
from tests.conftest import auth, settings_for

TABLES = ("candidates", "postings", "embeddings", "companies")
ANA = {"name": "Ana", "skills": ["JS"], "location": "Barcelona"}


def tiny_parquet(rows: int) -> bytes:
    """`rows` rows of one repeated name (no skills, so no row is valid): a few kilobytes compressed."""
    buffer = io.BytesIO()
    pl.select(name=pl.repeat("Ana", rows, eager=True)).write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def counts(client: TestClient) -> dict[str, int]:
    with client.app.state.matcher.sessions() as session:
        return {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}


def test_two_million_rows_in_a_few_kilobytes_of_parquet_are_413_and_write_nothing(client: TestClient) -> None:
    data = tiny_parquet(2_000_000)
    assert len(data) < 10_000
    before = counts(client)
    response = client.post("/candidates:import", files={"file": ("people.parquet", data)})
    assert response.status_code == 413, response.text[:300]
    detail = response.json()["detail"]
    assert "2,000,000 rows" in detail and "at most 50,000" in detail and "Split" in detail
    assert counts(client) == before


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
