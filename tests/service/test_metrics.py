"""GET /metrics: Prometheus text, open without a token, about the service and never about a person."""

from __future__ import annotations

import json
import logging
import re

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.logs import JsonFormatter
from tests.conftest import ids_by_external


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics", headers={"Authorization": ""})  # no token
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text) for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_rankings_cache_sizes_and_imports(client: TestClient) -> None:
    gid = ids_by_external(client, "candidates")["g001"]
    before = _samples(client)
    route = "/candidates/{rid}/matches"
    assert client.get(f"/candidates/{gid}/matches", params={"limit": 3}).status_code == 200
    assert client.get(f"/candidates/{gid}/matches", params={"limit": 3}).status_code == 200  # from the cache
    csv = "name,skills,languages\nMetric Person,JS,es:B2\n"
    assert client.post("/candidates:import", files={"file": ("p.csv", csv.encode())}).status_code == 201
    after = _samples(client)

    count = "bridgematch_http_request_duration_seconds_count"
    assert _value(after, count, method="GET", route=route, status="200") - \
        _value(before, count, method="GET", route=route, status="200") == 2
    assert _value(after, "bridgematch_records", side="candidates") == 43
    assert _value(after, "bridgematch_index_vectors", side="postings") == 32
    assert _value(after, "bridgematch_result_cache_total", outcome="hit") > \
        _value(before, "bridgematch_result_cache_total", outcome="hit")
    assert _value(after, "bridgematch_rank_seconds_count", side="candidates") > \
        _value(before, "bridgematch_rank_seconds_count", side="candidates")
    for stage in ("rules", "retrieval", "signals", "blend", "reasons"):  # a graduate's page passes every stage
        assert _value(after, "bridgematch_rank_stage_seconds_count", stage=stage) > \
            _value(before, "bridgematch_rank_stage_seconds_count", stage=stage), stage
    assert _value(after, "bridgematch_import_rows_total", side="candidates") - \
        _value(before, "bridgematch_import_rows_total", side="candidates") == 1


def test_metrics_name_no_person_and_no_path(client: TestClient) -> None:
    people = client.get("/candidates", params={"limit": 500}).json()["items"]
    for item in people[:5]:
        client.get(f"/candidates/{item['id']}")
    assert client.get("/no/such/path/123456").status_code == 404
    text = client.get("/metrics", headers={"Authorization": ""}).text
    for item in people:
        assert item["name"] not in text
    routes = set(re.findall(r'route="([^"]*)"', text))
    assert "/candidates/{rid}" in routes and "unmatched" in routes
    assert not any(re.search(r"/\d+", r) for r in routes), routes  # templates only, never an id


def test_json_log_lines() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("service.app", logging.WARNING, __file__, 1, "rebuilt %s", ("postings",),
                                   sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "service.app" and line["message"] == "rebuilt postings"
    assert "ValueError: boom" in line["exception"] and line["time"].endswith("+00:00")
