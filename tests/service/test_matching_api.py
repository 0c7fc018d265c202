"""End to end over HTTP: real model, real FAISS, a real SQLite file, the demo data."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from service.settings import REPO_DATA
from tests.conftest import ids_by_external
import pytest

pytestmark = pytest.mark.both_backends

POSTINGS = {p["external_id"]: p for p in json.loads((REPO_DATA / "demo/postings.json").read_text())}
CEFR = ["A1", "A2", "B1", "B2", "C1", "C2"]


def _matches(client: TestClient, side: str, rid: int) -> list[dict]:
    response = client.get(f"/{side}/{rid}/matches", params={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _external(client: TestClient, side: str) -> dict[int, str]:
    return {v: k for k, v in ids_by_external(client, side).items()}


def test_python_graduate_ranking_and_explanation(client: TestClient) -> None:
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    items = _matches(client, "candidates", cands["g001"])
    order = [i["id"] for i in items]
    backend, frontend, nursing = posts["p001"], posts["p002"], posts["p003"]
    assert order.index(backend) < order.index(frontend)
    # nursing shares no skill and no ESCO concept with a Python developer: below the relevance floor,
    # it is no match; asked for everything that passes the rules, it comes last of the three
    assert nursing not in order
    everything = client.get(f"/candidates/{cands['g001']}/matches", params={"limit": 100, "min_score": 0}).json()
    order_all = [i["id"] for i in everything["items"]]
    assert order_all.index(backend) < order_all.index(frontend) < order_all.index(nursing)
    assert set(order) < set(order_all)
    top = next(i for i in items if i["id"] == backend)
    assert "Python" in top["explanation"]["matched_skills"]
    assert "Docker" in top["explanation"]["missing_skills"]
    assert top["explanation"]["languages_ok"] is True
    assert set(top["explanation"]["signals"]) == {"semantic", "skills", "lexical", "concepts"}
    assert "Python (computer programming)" in top["explanation"]["matched_concepts"]
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


def _variant(client: TestClient, base_id: int, **changes: object) -> int:
    body = client.get(f"/candidates/{base_id}").json()
    body.pop("id")
    body.update(external_id=None, **changes)
    response = client.post("/candidates", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _eligible_postings(client: TestClient, rid: int) -> set[str]:
    names = _external(client, "postings")
    return {names[i["id"]] for i in _matches(client, "candidates", rid)}


def test_cefr_filter_removes_exactly_the_postings_needing_more_spanish(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    weak = _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "A2"})
    strong = _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "C2"})
    removed = _eligible_postings(client, strong) - _eligible_postings(client, weak)
    needing = {
        pid for pid in _eligible_postings(client, strong)
        if CEFR.index(POSTINGS[pid]["languages"].get("es", "A1")) > CEFR.index("A2")
    }
    assert removed == needing and needing
    assert _eligible_postings(client, weak) <= _eligible_postings(client, strong)


def test_work_permit_filter(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    without = _variant(client, g1, work_permit=False)
    with_permit = _eligible_postings(client, g1)
    removed = with_permit - _eligible_postings(client, without)
    assert removed == {pid for pid in with_permit if POSTINGS[pid]["work_permit_required"]}
    assert removed and removed != with_permit


def test_kind_filter(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    interns = _variant(client, g1, kinds=["internship"])
    everything = _eligible_postings(client, g1)
    kept = _eligible_postings(client, interns)
    assert kept == {pid for pid in everything if POSTINGS[pid]["kind"] == "internship"} and kept


def test_consent_hides_candidates_from_companies(client: TestClient) -> None:
    cands = ids_by_external(client, "candidates")
    hidden = cands["g004"]
    posts = list(ids_by_external(client, "postings").values())
    assert all(hidden not in {i["id"] for i in _matches(client, "postings", p)} for p in posts)
    for side in ("postings", "candidates"):
        found = client.post("/search", json={"text": "full-stack JavaScript", "side": side, "limit": 100})
        assert found.status_code == 200
        if side == "candidates":
            assert hidden not in {i["id"] for i in found.json()["items"]}
    body = client.get(f"/candidates/{hidden}").json()
    body.pop("id")
    assert client.put(f"/candidates/{hidden}", json=body | {"visible_to_companies": True}).status_code == 200
    assert any(hidden in {i["id"] for i in _matches(client, "postings", p)} for p in posts)


def test_search_free_text(client: TestClient) -> None:
    posts = ids_by_external(client, "postings")
    found = client.post("/search", json={"text": "Python Django backend traineeship", "side": "postings"})
    assert found.json()["items"][0]["id"] == posts["p001"]


def test_per_request_weights(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    only_skills = client.get(f"/candidates/{g1}/matches", params={"w_semantic": 0, "w_lexical": 0, "w_skills": 1, "w_concepts": 0})
    for item in only_skills.json()["items"]:
        assert abs(item["score"] - item["explanation"]["signals"]["skills"]) < 1e-6
    assert client.get(f"/candidates/{g1}/matches", params={"w_semantic": 0, "w_lexical": 0, "w_skills": 0, "w_concepts": 0}).status_code == 422


def test_restart_is_identical_and_rebuilds_missing_index(settings, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    from service.app import create_app

    headers = {"Authorization": f"Bearer {json.loads((workdir / 'tokens.json').read_text())['coordinator']}"}

    def snapshot() -> tuple[list, dict]:
        with TestClient(create_app(settings), headers=headers) as c:
            ids = sorted(ids_by_external(c, "candidates").values())[:5]
            return [_matches(c, "candidates", i) for i in ids], dict(c.app.state.matcher.rebuilt)

    first, _ = snapshot()
    again, rebuilt = snapshot()
    assert again == first and not any(rebuilt.values())
    for path in (workdir / "index").rglob("*"):
        if path.is_file():
            path.unlink()
    rebuilt_matches, rebuilt = snapshot()
    assert all(rebuilt.values())
    assert rebuilt_matches == first
    assert (workdir / "index" / "postings" / "vectors.npz").exists()


def test_a_second_process_catches_up_through_the_change_feed(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    """Two engines on one database (as two server processes with their own index folders)."""
    from matching.records.sides import Side
    from service.composition import build_matcher

    other = build_matcher(settings.model_copy(update={"index_dir": settings.index_dir.parent / "index2"}))
    try:
        g1 = ids_by_external(client, "candidates")["g001"]
        body = client.get(f"/candidates/{g1}").json()
        body.pop("id")
        new_id = client.post("/candidates", json=body | {"external_id": "copy-of-g001"}).json()["id"]
        client.put(f"/candidates/{g1}", json=body | {"headline": "Nurse", "skills": ["patient care"]})
        assert new_id not in other.sides[Side.candidates].records
        assert other.catch_up() == 2
        assert other.get(Side.candidates, g1).headline == "Nurse"
        assert [m.id for m in other.matches_for_candidate(new_id, limit=5)] == [
            m["id"] for m in client.get(f"/candidates/{new_id}/matches", params={"limit": 5}).json()["items"]
        ]
        assert client.delete(f"/candidates/{new_id}").status_code == 204
        other.catch_up()
        assert new_id not in other.sides[Side.candidates].records and new_id not in other.sides[Side.candidates].index
        assert client.app.state.matcher.catch_up() == 0  # its own writes are not re-applied
    finally:
        other.close()


def test_skills_meet_on_esco_concepts_not_strings(client: TestClient) -> None:
    """"REST APIs with Express" and "Node.js backend" share no string but share ESCO concepts."""
    cand = {"name": "Lina", "skills": ["built REST APIs with Express"], "languages": {"es": "C1", "en": "C1"},
            "location": "Barcelona", "work_permit": True, "visible_to_companies": True}
    post = {"company": "Sol Digital SL", "title": "Backend developer", "required_skills": ["Node.js backend"],
            "location": "Barcelona"}
    cid = client.post("/candidates", json=cand).json()["id"]
    pid = client.post("/postings", json=post).json()["id"]
    item = next(i for i in client.get(f"/candidates/{cid}/matches", params={"limit": 100}).json()["items"] if i["id"] == pid)
    assert item["explanation"]["matched_skills"] == []
    assert item["explanation"]["signals"]["concepts"] > 0.3
    assert "JavaScript" in " ".join(item["explanation"]["matched_concepts"])
    off = client.get(f"/candidates/{cid}/matches", params={"limit": 100, "w_concepts": 0}).json()["items"]
    assert next(i for i in off if i["id"] == pid)["score"] < item["score"]


def test_each_record_keeps_the_language_its_text_is_written_in(client: TestClient) -> None:
    body = client.get(f"/candidates/{ids_by_external(client, 'candidates')['g001']}").json()
    assert body["text_language"] == "en"
    body.pop("id")
    spanish = "Soy desarrolladora web; antes fui maestra. Busco mi primer trabajo en un equipo de frontend."
    body.update(external_id=None, summary=spanish, headline="Desarrolladora frontend junior", text_language="en")
    rid = client.post("/candidates", json=body).json()["id"]
    assert client.get(f"/candidates/{rid}").json()["text_language"] == "es"  # detected, not taken
    ukrainian = "Я веб-розробниця, раніше працювала вчителькою. Шукаю першу роботу у фронтенд-команді."
    body.update(summary=ukrainian, headline="Молодша фронтенд-розробниця")
    assert client.put(f"/candidates/{rid}", json=body).json()["text_language"] == "uk"
    assert client.get(f"/candidates/{rid}").json()["text_language"] == "uk"
    posting = client.get(f"/postings/{ids_by_external(client, 'postings')['p001']}").json()
    assert posting["text_language"] == "en"
    refused = client.post("/candidates", json=body | {"text_language": "Spanish"})
    assert refused.status_code == 422 and "text_language" in refused.text


def test_reimporting_the_same_texts_encodes_nothing(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The text-hash embedding cache: a second import of the same profiles (new ids) reuses
    every vector, so it costs no model time at all."""
    matcher = client.app.state.matcher  # type: ignore[attr-defined]
    encoded: list[int] = []
    real = matcher.encoder.encode
    monkeypatch.setattr(matcher.encoder, "encode", lambda texts, **kw: encoded.append(len(texts)) or real(texts, **kw))
    rows = "\n".join(f"x{i},Grad {i},Junior developer {i},Python;SQL,Barcelona" for i in range(30))
    first = client.post("/candidates:import", files={"file": ("a.csv", "external_id,name,headline,skills,location\n" + rows)})
    assert first.status_code == 201, first.text
    assert sum(encoded) == 30
    again = rows.replace(",Grad ", ",Again ").replace("x", "y")  # other people, the same embedded text
    second = client.post("/candidates:import", files={"file": ("b.csv", "external_id,name,headline,skills,location\n" + again)})
    assert second.status_code == 201 and second.json()["imported"] == 30
    assert sum(encoded) == 30  # nothing encoded the second time


def test_a_graduate_learns_which_rules_shortened_the_list_and_what_they_just_miss(client: TestClient) -> None:
    """Spanish A2: the postings needing B1 are counted under languages and named as near misses."""
    g1 = ids_by_external(client, "candidates")["g001"]
    weak = _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "A2"})
    body = client.get(f"/candidates/{weak}/matches", params={"limit": 100}).json()
    shown = {i["id"] for i in body["items"]}
    assert body["considered"] == len(POSTINGS) and body["eligible"] >= len(shown)
    assert body["eligible"] - len(shown) == body["removed"].get("relevance", 0)  # the floor took the rest
    assert body["removed"]["languages"] >= 1 and body["message"].startswith(f"{len(shown)} of {len(POSTINGS)} postings")
    names = _external(client, "postings")
    language_only = [m for m in body["near_misses"] if m["reason"].startswith("languages")]
    assert language_only, body["near_misses"]
    for miss in language_only:
        need = POSTINGS[names[miss["id"]]]["languages"]["es"]
        assert f"needs es {need}, has A2" in miss["reason"] and miss["id"] not in shown
    strong = {i["id"] for i in _matches(client, "candidates", _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "C2"}))}
    spanish_only = {m["id"] for m in language_only if m["reason"].count("needs ") == 1}
    assert spanish_only and spanish_only <= strong  # with the Spanish level, each near miss short only of it is a match


def test_every_demo_graduate_gets_matches_or_an_explanation(client: TestClient) -> None:
    for external, rid in ids_by_external(client, "candidates").items():
        body = client.get(f"/candidates/{rid}/matches").json()
        assert body["items"] or (body["removed"] and body["message"]), external
        assert sum(body["removed"].values()) >= body["considered"] - body["eligible"]


def test_a_posting_that_already_started_is_open_with_a_slack(client: TestClient) -> None:
    import datetime as dt

    today = dt.date.today()
    g1 = ids_by_external(client, "candidates")["g001"]
    base = client.get(f"/postings/{ids_by_external(client, 'postings')['p001']}").json()
    base.pop("id")
    started = client.post("/postings", json=base | {"external_id": None, "starts_on": str(today - dt.timedelta(days=30))})
    later = client.post("/postings", json=base | {"external_id": None, "starts_on": str(today + dt.timedelta(days=40))})
    soon = _variant(client, g1, available_from=str(today + dt.timedelta(days=10)))
    shown = {i["id"] for i in _matches(client, "candidates", soon)}
    assert started.json()["id"] in shown  # started a month ago: still open, and 10 days is within the slack
    free_late = _variant(client, g1, available_from=str(today + dt.timedelta(days=80)))
    body = client.get(f"/candidates/{free_late}/matches", params={"limit": 100}).json()
    assert later.json()["id"] not in {i["id"] for i in body["items"]}
    reason = next(m["reason"] for m in body["near_misses"] + [{"id": None, "reason": ""}]
                  if m["id"] in (started.json()["id"], later.json()["id"]))
    assert reason.startswith("availability: starts ")


def test_a_company_sees_near_misses_but_never_a_missing_work_permit(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import auth

    company = auth(tokens["company"])
    pid = client.get("/postings", headers=company).json()["items"][0]["id"]
    posting = client.get(f"/postings/{pid}").json()
    g1 = ids_by_external(client, "candidates")["g001"]
    common = dict(visible_to_companies=True, location=posting["location"] or "Barcelona", remote_ok=True,
                  kinds=[posting["kind"]], available_from=None,
                  languages={k: "C2" for k in posting["languages"]} | {"en": "C2"})
    no_permit = _variant(client, g1, work_permit=False, **common)
    if posting["languages"]:
        code = sorted(posting["languages"])[0]
        weak = _variant(client, g1, work_permit=True, **(common | {"languages": {**common["languages"], code: "A1"}}))
    else:
        weak = _variant(client, g1, work_permit=True, **(common | {"kinds": [k for k in ("job", "internship", "traineeship") if k != posting["kind"]]}))
    assert posting["work_permit_required"]
    body = client.get(f"/postings/{pid}/matches", params={"limit": 100}, headers=company).json()
    misses = {m["id"]: m["reason"] for m in body["near_misses"]}
    assert weak in misses and not any(r.startswith("work permit") for r in misses.values())
    assert no_permit not in misses and no_permit not in {i["id"] for i in body["items"]}
    assert all(m["candidate"]["name"] is None for m in body["near_misses"])


def test_what_to_learn_next_counts_relevant_postings_and_names_language_steps(client: TestClient) -> None:
    """A Python backend developer is not sent to learn patient care (a nursing posting below the
    relevance floor asks for it): advice comes from the graduate's matches, weighted by fit; with
    Spanish A2 they learn which level opens postings that fit their skills."""
    g1 = ids_by_external(client, "candidates")["g001"]
    body = client.get(f"/candidates/{g1}/matches").json()
    skills = [s["skill"] for s in body["learn_next"]["skills"]]
    asked = {s for i in body["items"] for s in i["explanation"]["missing_skills"]}
    assert skills and set(skills) <= asked  # only what the graduate's own matches ask for
    everything = client.get(f"/candidates/{g1}/matches", params={"min_score": 0, "limit": 100}).json()
    faint = {s for i in everything["items"] if i["id"] not in {j["id"] for j in body["items"]}
             for s in i["explanation"]["missing_skills"]} - asked
    assert "first aid" in {s.casefold() for s in faint} and not faint & set(skills)
    weak = _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "A2"})
    steps = client.get(f"/candidates/{weak}/matches").json()["learn_next"]["languages"]
    assert steps and steps[0]["code"] == "es" and steps[0]["have"] == "A2" and steps[0]["postings"] >= 1
    level = steps[0]["level"]
    better = _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": level})
    gained = {i["id"] for i in _matches(client, "candidates", better)} - {i["id"] for i in _matches(client, "candidates", weak)}
    assert len(gained) >= steps[0]["postings"]  # the step opens at least what it promised


def test_a_city_in_the_search_text_limits_it_to_that_city_and_remote(client: TestClient) -> None:
    """"Junior developer Zagreb" gives Zagreb's postings and remote ones, never Barcelona's on-site."""
    posts = {p["id"]: p for p in client.get("/postings", params={"limit": 500}).json()["items"]}
    body = client.post("/search", json={"text": "junior developer zagreb", "limit": 100}).json()
    assert body["items"] and body["message"] == "Only Zagreb and remote: the search names Zagreb."
    for item in body["items"]:
        posting = posts[item["id"]]
        assert posting["location"] == "Zagreb" or posting["remote"], posting
    assert any(posts[i["id"]]["location"] == "Zagreb" for i in body["items"])
    everywhere = client.post("/search", json={"text": "junior developer", "limit": 100}).json()
    assert "message" not in everywhere or everywhere["message"] is None
    assert any(posts[i["id"]]["location"] == "Barcelona" and not posts[i["id"]]["remote"] for i in everywhere["items"])
    # a city no searchable record has limits nothing (it says nothing of records the caller cannot see)
    tbilisi = client.post("/search", json={"text": "junior developer Tbilisi", "limit": 100}).json()
    assert [i["id"] for i in tbilisi["items"]] != [] and tbilisi.get("message") is None


def test_a_search_in_arabic_or_spanish_meets_records_on_the_skills_it_names(client: TestClient) -> None:
    """The English-only default cannot read "جافا سكريبت" or "bases de datos"; the ESCO labels and
    aliases can, so such a search ranks on the concepts records hold, and says which."""
    for text, concept in (("مطور جافا سكريبت", "JavaScript"), ("análisis de datos", "data analytics"),
                          ("desarrollo web", "web programming")):
        body = client.post("/search", json={"text": text, "side": "postings", "limit": 5}).json()
        top = body["items"]
        assert top, body
        assert all(concept in item["explanation"]["matched_concepts"] for item in top[:2]), (text, top[:3])
        assert top[0]["explanation"]["signals"]["concepts"] > 0
