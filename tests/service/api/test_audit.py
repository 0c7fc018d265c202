"""The exposure audit over the real HTTP app: coordinators only, small groups never shown."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external


def _fair_id(client: TestClient) -> int:
    return next(f["id"] for f in client.get("/fairs").json())


def test_only_coordinators_may_audit(client: TestClient, tokens: dict[str, str]) -> None:
    fair_id = _fair_id(client)
    posts = ids_by_external(client, "postings")
    paths = [f"/fairs/{fair_id}/audit", f"/fairs/{fair_id}/audit.csv",
             f"/audit/exposure?posting_ids={posts['p001']}", f"/audit/exposure.csv?posting_ids={posts['p001']}"]
    for path in paths:
        assert client.get(path).status_code == 200, path
        for role in ("company", "graduate"):
            response = client.get(path, headers=auth(tokens[role]))
            assert response.status_code == 403, (role, path)
        assert client.get(path, headers=auth(tokens["other_coordinator"])).status_code == 404, path


def test_fair_audit_merges_small_groups_and_counts_interviews(client: TestClient) -> None:
    fair_id = _fair_id(client)
    spec = client.get(f"/fairs/{fair_id}").json()["spec"]
    client.post(f"/fairs/{fair_id}/schedule")
    first = spec["graduates"][0]
    posting = client.get("/postings", params={"limit": 500}).json()["items"]
    company_posting = next(p["id"] for p in posting if p["company"] == spec["companies"][0]["company"])
    assert client.post("/outcomes", json={"graduate_id": first, "posting_id": company_posting, "fair_id": fair_id,
                                          "event": "interviewed", "date": "2026-11-10"}).status_code == 201
    result = client.get(f"/fairs/{fair_id}/audit", params={"field": "origin", "k": 5}).json()
    groups = {g["group"]: g for g in result["groups"]}
    assert all(g["people"] >= 5 for g in groups.values())  # nobody in a group of fewer than five
    assert "other" in groups and sum(g["people"] for g in groups.values()) == len(spec["graduates"])
    assert sum(g["with_interview"] for g in groups.values()) == sum(g["interviews"] for g in groups.values()) == 1
    meetings = client.get(f"/fairs/{fair_id}/schedule").json()["meetings"]
    assert sum(g["meetings"] for g in result["meetings"]["per_group"].values()) == len(meetings)
    assert abs(sum(g["exposure_share"] for g in groups.values()) - 1) < 1e-3
    assert result["lists"] == len(spec["companies"]) and result["mean_ndkl"] >= 0
    assert result["four_fifths_ratio"] == 0.0 and result["four_fifths_ok"] is False  # one group has none
    assert result["meetings"]["four_fifths_ratio"] is not None
    status = client.get(f"/fairs/{fair_id}/audit", params={"field": "status"}).json()
    assert {g["group"] for g in status["groups"]} >= {"residence permit", "refugee"}
    assert client.get(f"/fairs/{fair_id}/audit", params={"field": "name"}).status_code == 422
    assert client.get("/fairs/999999/audit").status_code == 404


def test_exposure_audit_of_postings_with_rerank_and_csv(client: TestClient) -> None:
    posts = ids_by_external(client, "postings")
    ids = f"{posts['p001']},{posts['p002']},{posts['p015']}"
    result = client.get("/audit/exposure", params={"posting_ids": ids, "field": "status", "rerank": "true"}).json()
    assert result["lists"] == 3 and all(g["people"] >= 5 for g in result["groups"])
    for entry in result["rerank"]:
        assert 0 < entry["ndcg_at_k"] <= 1 and entry["ndkl_after"] <= entry["ndkl_before"] + 1e-9
    table = client.get("/audit/exposure.csv", params={"posting_ids": ids, "field": "status"})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][:3] == ["group", "people", "population_share"]
    assert {r[0] for r in rows[1:] if r} >= {"mean_ndkl", "four_fifths_ratio"}
    assert client.get("/audit/exposure", params={"posting_ids": "1,x"}).status_code == 422
    missing = client.get("/audit/exposure", params={"posting_ids": "999999"})
    assert missing.status_code == 404 and "no posting with id 999999" in missing.json()["detail"]
