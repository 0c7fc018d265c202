"""The import page goes through the API's reader: the same row cap, the same refusal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.service.test_uploads import tiny_parquet
from tests.web.conftest import csrf_of


def _total(app_client: TestClient, token: str) -> int:
    return app_client.get("/candidates", params={"limit": 1}, headers=auth(token)).json()["total"]


def test_the_import_page_refuses_a_file_over_the_row_cap(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    before = _total(app_client, tokens["coordinator"])
    csrf = csrf_of(coordinator.get("/ui/graduates").text)
    data = tiny_parquet(2_000_000)
    refused = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                               files={"file": ("people.parquet", data)})
    assert refused.status_code == 413, refused.text[:300]
    assert "2,000,000 rows" in refused.text and "at most 50,000" in refused.text
    scripted = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                                files={"file": ("people.parquet", data)}, headers={"accept": "application/json"})
    assert scripted.status_code == 413 and "2,000,000 rows" in scripted.json()["message"]
    assert _total(app_client, tokens["coordinator"]) == before
