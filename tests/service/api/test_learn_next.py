"""The organisation's "what to learn next" over the real HTTP app."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.conftest import auth


def test_skills_to_learn_next_across_the_school(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get("/learn-next", params={"top": 10})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["graduates"] == 42 and 0 < len(body["skills"]) <= 10
    values = [s["value"] for s in body["skills"]]
    assert values == sorted(values, reverse=True)
    first = body["skills"][0]
    assert 1 <= first["graduates"] <= 42 and first["postings"] >= 1
    # the same figure from the graduates' own lists: who among them misses the top skill
    missing = sum(
        any(first["skill"] in m["explanation"]["missing_skills"]
            for m in client.get(f"/candidates/{g['id']}/matches", params={"limit": 10}).json()["items"])
        for g in client.get("/candidates", params={"limit": 500}).json()["items"]
    )
    assert missing == first["graduates"]
    table = client.get("/learn-next.csv", params={"top": 10})
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0] == ["skill", "graduates", "postings", "required_pairs", "value"]
    assert [r[0] for r in rows[1:]] == [s["skill"] for s in body["skills"]]
    assert client.get("/learn-next", headers=auth(tokens["other_coordinator"])).json()["graduates"] == 0
    for role in ("company", "graduate"):
        assert client.get("/learn-next", headers=auth(tokens[role])).status_code == 403
