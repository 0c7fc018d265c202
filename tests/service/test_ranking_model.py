"""GET /ranking/model and training from outcomes over the real HTTP app; sensitive fields change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matching.records.sides import Side
from tests.conftest import auth, ids_by_external, settings_for

EVENTS = ["hired", "offer", "interviewed", "interviewed", "shortlisted", "shortlisted"]


@pytest.fixture
def learning_client(workdir: Path, database_url: str, tokens: dict[str, str]) -> Iterator[TestClient]:
    from service.app import create_app

    settings = settings_for(workdir, database_url=database_url, learned_blend=True)
    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as test_client:
        yield test_client


def _record_concept_first_outcomes(client: TestClient) -> int:
    """Outcomes as if companies cared about shared ESCO concepts and discounted textual likeness: a hidden
    preference far from the hand-set blend (0.45 semantic, 0.15 concepts), so a blend learned from the
    earlier postings' outcomes should rank the later postings' lists better (measured: 0.934 vs 0.895)."""
    lines = ["graduate_id,posting_id,event,date"]
    start = dt.date(2026, 1, 1)
    for day, pid in enumerate(sorted(ids_by_external(client, "postings").values())):
        items = client.get(f"/postings/{pid}/matches", params={"limit": 100, "min_score": 0}).json()["items"]
        items.sort(key=lambda m: (m["explanation"]["signals"]["semantic"] - m["explanation"]["signals"]["concepts"],
                                  m["id"]))
        for event, match in zip(EVENTS, items, strict=False):
            lines.append(f"{match['id']},{pid},{event},{start + dt.timedelta(days=day)}")
    answer = client.post("/outcomes:import", files={"file": ("o.csv", "\n".join(lines).encode())})
    assert answer.status_code == 201, answer.text
    return answer.json()["imported"]


def test_a_blend_learned_from_outcomes_goes_live_only_when_it_wins(learning_client: TestClient,
                                                                 tokens: dict[str, str]) -> None:
    client = learning_client
    before = client.get("/ranking/model").json()
    assert before["live"] == "hand-set" and before["last_training"] is None and before["hand_set_is_configured"]
    too_few = client.post("/ranking/model:train").json()
    assert too_few["live"] == "hand-set" and too_few["trained_on_events"] == 0 and "at least" in too_few["reason"]

    imported = _record_concept_first_outcomes(client)
    trained = client.post("/ranking/model:train").json()
    assert trained["trained_on_events"] > 30 and trained["trained_on_events"] <= imported
    scores = trained["offline_ndcg_at_10"]
    assert trained["live"] == "learned", trained
    assert scores["learned"] >= scores["hand_set"] + scores["margin"]
    assert trained["learned"]["concepts"] > trained["hand_set"]["concepts"]
    now = client.get("/ranking/model").json()
    assert now["live"] == "learned" and now["weights"] == trained["weights"]
    live = list(client.app.state.matcher.ranker.org_weights.values())
    assert len(live) == 1 and live[0].normalised().concepts == pytest.approx(trained["weights"]["concepts"], abs=1e-4)
    assert client.app.state.matcher.weights == client.app.state.matcher.ranker.weights  # the configured blend stays
    for role in ("company", "graduate"):
        assert client.get("/ranking/model", headers=auth(tokens[role])).status_code == 403
        assert client.post("/ranking/model:train", headers=auth(tokens[role])).status_code == 403


def test_off_by_default_and_blind_to_sensitive_fields(client: TestClient) -> None:
    _record_concept_first_outcomes(client)
    first = client.post("/ranking/model:train").json()
    assert first["live"] == "hand-set" and "BRIDGEMATCH_LEARNED_BLEND is off" in first["reason"]
    assert first["learned"] is not None
    # counterfactual: give every graduate another's origin, nationality and status, then train again
    cands = ids_by_external(client, "candidates")
    profiles = {rid: client.get(f"/candidates/{rid}").json() for rid in cands.values()}
    order = sorted(profiles)
    for rid, donor in zip(order, order[1:] + order[:1], strict=True):
        body = {k: v for k, v in profiles[rid].items() if k != "id"}
        body |= {k: profiles[donor][k] for k in ("origin", "nationality", "status")}
        assert client.put(f"/candidates/{rid}", json=body).status_code == 200
    assert client.get(f"/candidates/{order[0]}").json()["origin"] == profiles[order[1]]["origin"]
    second = client.post("/ranking/model:train").json()
    for key in ("learned", "trained_on_events", "lists", "offline_ndcg_at_10"):
        assert second[key] == first[key], key


def test_the_learned_blend_survives_a_restart_and_reaches_a_second_process(
        workdir: Path, database_url: str, tokens: dict[str, str]) -> None:
    """Trained in one app, then the app closed: a new app on the same SQLite file ranks with the same blend,
    and a reader process opened before the training picks it up on its next catch-up."""
    from service.app import create_app
    from service.composition import build_matcher

    settings = settings_for(workdir, database_url=database_url, learned_blend=True)
    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as first:
        pid = max(ids_by_external(first, "postings").values())
        before = first.get(f"/postings/{pid}/matches", params={"limit": 20, "min_score": 0}).json()["items"]
        _record_concept_first_outcomes(first)
        reader = build_matcher(settings, writer=False)  # a second process, started before the training
        try:
            trained = first.post("/ranking/model:train").json()
            assert trained["live"] == "learned", trained
            after = first.get(f"/postings/{pid}/matches", params={"limit": 20, "min_score": 0}).json()["items"]
            assert [m["score"] for m in after] != [m["score"] for m in before]  # the live lists changed
            reader.catch_up()
            org = reader.owner(Side.postings, pid).org_id
            assert reader.ranker.weights_for(org).normalised().concepts == pytest.approx(
                trained["weights"]["concepts"], abs=1e-4)
            assert [m.score for m in reader.matches_for_posting(pid, limit=20, floor=None)] == pytest.approx(
                [m["score"] for m in after], abs=1e-3)
        finally:
            reader.close()
    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as second:
        model = second.get("/ranking/model").json()
        assert model["live"] == "learned" and model["weights"] == trained["weights"]
        assert model["trained_at"] == trained["trained_at"]
        assert model["last_training"]["trained_on_events"] == trained["trained_on_events"]
        assert model["last_training"]["offline_ndcg_at_10"] == trained["offline_ndcg_at_10"]
        again = second.get(f"/postings/{pid}/matches", params={"limit": 20, "min_score": 0}).json()["items"]
        assert [(m["id"], m["score"]) for m in again] == [(m["id"], m["score"]) for m in after]
