"""A fair's pairs sorted by reciprocal fit, over the real HTTP app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth


def test_pairs_sorted_by_reciprocal_fit(client: TestClient, tokens: dict[str, str]) -> None:
    fair_id = next(f["id"] for f in client.get("/fairs").json())
    answer = client.get(f"/fairs/{fair_id}/pairs", params={"limit": 1000})
    assert answer.status_code == 200, answer.text
    pairs = answer.json()["pairs"]
    assert pairs and answer.json()["total"] == len(pairs)
    fits = [p["reciprocal"] for p in pairs]
    assert fits == sorted(fits, reverse=True)
    top = pairs[0]
    assert top["graduate_rank"] == top["company_rank"] == 1 and top["reciprocal"] == 1.0
    for p in pairs:  # harmonic mean of the two reciprocal ranks
        a, b = 1 / p["graduate_rank"], 1 / p["company_rank"]
        assert abs(p["reciprocal"] - 2 * a * b / (a + b)) < 1e-3
    by_score = client.get(f"/fairs/{fair_id}/pairs", params={"sort": "score", "limit": 1000}).json()["pairs"]
    assert [p["score"] for p in by_score] == sorted((p["score"] for p in by_score), reverse=True)
    assert by_score != pairs  # the two orders differ on the demo fair
    one = client.get(f"/fairs/{fair_id}/pairs", params={"graduate_id": top["graduate_id"]}).json()["pairs"]
    assert {p["graduate_id"] for p in one} == {top["graduate_id"]}
    scores = client.get(f"/fairs/{fair_id}/pairs", params={"method": "scores"}).json()["pairs"]
    assert all(0 < p["reciprocal"] <= 1 for p in scores)
    assert client.get(f"/fairs/{fair_id}/pairs", params={"sort": "name"}).status_code == 422
    assert client.get(f"/fairs/{fair_id}/pairs", headers=auth(tokens["company"])).status_code == 403
    assert client.get("/fairs/999999/pairs").status_code == 404
