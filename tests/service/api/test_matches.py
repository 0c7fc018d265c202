"""Matches and search over the real HTTP app (service/api/matches.py): rankings and their
explanations, the filters, near misses, and what a company can and cannot learn from them
(sensitive fields never move a score)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.settings import REPO_DATA
from tests.conftest import auth, ids_by_external
from tests.service.helpers import matches_of

pytestmark = pytest.mark.both_backends


POSTINGS = {p["external_id"]: p for p in json.loads((REPO_DATA / "demo/postings.json").read_text())}


CEFR = ["A1", "A2", "B1", "B2", "C1", "C2"]


def _external(client: TestClient, side: str) -> dict[int, str]:
    return {v: k for k, v in ids_by_external(client, side).items()}


def _variant(client: TestClient, base_id: int, **changes: object) -> int:
    body = client.get(f"/candidates/{base_id}").json()
    body.pop("id")
    body.update(external_id=None, **changes)
    response = client.post("/candidates", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _eligible_postings(client: TestClient, rid: int) -> set[str]:
    names = _external(client, "postings")
    return {names[i["id"]] for i in matches_of(client, "candidates", rid)}


def _scores(client: TestClient, posting_ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    return {
        p: [(i["id"], i["score"]) for i in client.get(f"/postings/{p}/matches", params={"limit": 100}).json()["items"]]
        for p in posting_ids
    }


# ---- what a company can infer: only from what it sees -----------------------------------------
PROBES = ["Eritrea asylum papers", "Syria refugee", "Ukraine war", "Afghanistan Kabul"]


ASKED = {"es", "en", "hr", "ca"}  # the only languages any demo posting asks for


def _company_answers(client: TestClient, company: dict[str, str], posts: list[int]) -> dict:
    """Everything a company gets about graduates, byte for byte (the fair re-planned first)."""
    fair = client.get("/fairs").json()[0]["id"]
    assert client.post(f"/fairs/{fair}/schedule").status_code == 200
    return {
        "fair": client.get(f"/fairs/{fair}/schedule", headers=company).json(),
        "matches": {p: client.get(f"/postings/{p}/matches", params={"limit": 100}, headers=company).json()
                    for p in posts},
        "search": {q: client.post("/search", json={"text": q, "side": "candidates", "limit": 100},
                                  headers=company).json() for q in PROBES},
    }


def test_python_graduate_ranking_and_explanation(client: TestClient) -> None:
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    items = matches_of(client, "candidates", cands["g001"])
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


def test_a_graduate_without_a_work_permit_loses_exactly_the_postings_that_require_one(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    without = _variant(client, g1, work_permit=False)
    with_permit = _eligible_postings(client, g1)
    removed = with_permit - _eligible_postings(client, without)
    assert removed == {pid for pid in with_permit if POSTINGS[pid]["work_permit_required"]}
    assert removed and removed != with_permit


def test_a_graduate_asking_for_internships_keeps_exactly_the_internships(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    interns = _variant(client, g1, kinds=["internship"])
    everything = _eligible_postings(client, g1)
    kept = _eligible_postings(client, interns)
    assert kept == {pid for pid in everything if POSTINGS[pid]["kind"] == "internship"} and kept


def test_consent_hides_candidates_from_companies(client: TestClient) -> None:
    cands = ids_by_external(client, "candidates")
    hidden = cands["g004"]
    posts = list(ids_by_external(client, "postings").values())
    assert all(hidden not in {i["id"] for i in matches_of(client, "postings", p)} for p in posts)
    for side in ("postings", "candidates"):
        found = client.post("/search", json={"text": "full-stack JavaScript", "side": side, "limit": 100})
        assert found.status_code == 200
        if side == "candidates":
            assert hidden not in {i["id"] for i in found.json()["items"]}
    body = client.get(f"/candidates/{hidden}").json()
    body.pop("id")
    assert client.put(f"/candidates/{hidden}", json=body | {"visible_to_companies": True}).status_code == 200
    assert any(hidden in {i["id"] for i in matches_of(client, "postings", p)} for p in posts)


def test_a_free_text_search_finds_the_posting_it_describes_first(client: TestClient) -> None:
    posts = ids_by_external(client, "postings")
    found = client.post("/search", json={"text": "Python Django backend traineeship", "side": "postings"})
    assert found.json()["items"][0]["id"] == posts["p001"]


def test_per_request_weights_replace_the_blend_and_all_zero_weights_are_422(client: TestClient) -> None:
    g1 = ids_by_external(client, "candidates")["g001"]
    only_skills = client.get(f"/candidates/{g1}/matches", params={"w_semantic": 0, "w_lexical": 0, "w_skills": 1, "w_concepts": 0})
    for item in only_skills.json()["items"]:
        assert abs(item["score"] - item["explanation"]["signals"]["skills"]) < 1e-6
    assert client.get(f"/candidates/{g1}/matches", params={"w_semantic": 0, "w_lexical": 0, "w_skills": 0, "w_concepts": 0}).status_code == 422


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
    strong = {i["id"] for i in matches_of(client, "candidates", _variant(client, g1, languages={"ar": "C2", "en": "C2", "es": "C2"}))}
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
    shown = {i["id"] for i in matches_of(client, "candidates", soon)}
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
    common = {"visible_to_companies": True, "location": posting["location"] or "Barcelona", "remote_ok": True,
                  "kinds": [posting["kind"]], "available_from": None,
                  "languages": {k: "C2" for k in posting["languages"]} | {"en": "C2"}}
    no_permit = _variant(client, g1, work_permit=False, **common)
    if posting["languages"]:
        code = min(posting["languages"])
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
    gained = {i["id"] for i in matches_of(client, "candidates", better)} - {i["id"] for i in matches_of(client, "candidates", weak)}
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


def test_swapping_sensitive_fields_leaves_every_score_identical(client: TestClient) -> None:
    cands = list(ids_by_external(client, "candidates").values())
    posts = list(ids_by_external(client, "postings").values())[:8]
    before = _scores(client, posts)
    own_before = {c: client.get(f"/candidates/{c}/matches", params={"limit": 100}).json() for c in cands[:5]}
    profiles = {c: client.get(f"/candidates/{c}").json() for c in cands}
    sensitive = [(p["nationality"], p["origin"], p["status"]) for p in profiles.values()]
    rotated = sensitive[1:] + sensitive[:1]
    for (cid, profile), (nat, origin, status) in zip(profiles.items(), rotated, strict=True):
        profile.pop("id")
        body = profile | {"nationality": nat, "origin": origin, "status": status}
        assert client.put(f"/candidates/{cid}", json=body).status_code == 200
    assert client.get(f"/candidates/{cands[0]}").json()["nationality"] == rotated[0][0]
    assert _scores(client, posts) == before
    assert {c: client.get(f"/candidates/{c}/matches", params={"limit": 100}).json() for c in cands[:5]} == own_before


def test_a_company_learns_nothing_from_what_it_cannot_see(client: TestClient, tokens: dict[str, str]) -> None:
    """Rewrite every graduate's hidden text (summary, name, sensitive fields, languages no posting
    asks for) so that it singles people out: every answer a company gets stays identical."""
    company = auth(tokens["company"])
    own = [i["id"] for i in client.get("/postings", headers=company).json()["items"]]
    bait = {"company": "Sol Digital SL", "title": "Developer", "required_skills": ["JavaScript"],
            "description": " ".join(PROBES), "languages": {}, "work_permit_required": False}
    created = client.post("/postings", json=bait, headers=company)
    assert created.status_code == 201, created.text
    posts = [*own, created.json()["id"]]
    before = _company_answers(client, company, posts)
    assert any(before["search"][q]["items"] for q in PROBES)  # search does answer: with visible text only
    assert before["fair"]["meetings"]  # and the company has meetings at the fair

    profiles = {c: client.get(f"/candidates/{c}").json() for c in ids_by_external(client, "candidates").values()}
    summaries = [p["summary"] for p in profiles.values()]
    for n, (cid, profile) in enumerate(profiles.items()):
        profile.pop("id")
        hidden = {k: v for k, v in profile["languages"].items() if k not in ASKED}
        languages = {k: v for k, v in profile["languages"].items() if k in ASKED}
        languages |= {} if hidden else {"ti": "C2", "ar": "C2"}  # add where there were none, drop elsewhere
        body = profile | {
            "name": f"Person {n}", "summary": f"{summaries[n - 1]} {PROBES[n % len(PROBES)]}",
            "nationality": "Eritrean" if n % 2 else "Syrian", "origin": "Kabul", "status": "asylum seeker",
            "languages": languages,
        }
        assert client.put(f"/candidates/{cid}", json=body).status_code == 200
    assert _company_answers(client, company, posts) == before


def test_texts_a_company_cannot_search_weigh_nothing_in_its_scores(client: TestClient, tokens: dict[str, str]) -> None:
    """Graduates of another school, and of this one who did not agree to be seen, do not even
    change BM25's word weights in what a company gets (one corpus per organisation, searchable
    texts only)."""
    company = auth(tokens["company"])
    posts = [i["id"] for i in client.get("/postings", headers=company).json()["items"]]
    before = _company_answers(client, company, posts)
    some = client.get(f"/candidates/{ids_by_external(client, 'candidates')['g001']}").json()
    some.pop("id")
    words = " ".join(client.get(f"/postings/{posts[0]}", headers=company).json()["required_skills"])
    for n in range(6):
        body = some | {"external_id": f"hidden-{n}", "headline": f"{words} {words} developer",
                       "skills": some["skills"] + ["Docker"]}
        hidden = client.post("/candidates", json=body | {"visible_to_companies": False})
        elsewhere = client.post("/candidates", json=body | {"visible_to_companies": True},
                                headers=auth(tokens["other_coordinator"]))
        assert hidden.status_code == 201 and elsewhere.status_code == 201
    assert _company_answers(client, company, posts) == before


def test_a_company_sees_only_the_languages_its_posting_asks_for(client: TestClient, tokens: dict[str, str]) -> None:
    company = auth(tokens["company"])
    seen = 0
    for posting in client.get("/postings", headers=company).json()["items"]:
        asked = set(posting["languages"])
        for item in client.get(f"/postings/{posting['id']}/matches", params={"limit": 100}, headers=company).json()["items"]:
            assert set(item["candidate"]["languages"]) <= asked, (posting["title"], item["candidate"]["languages"])
            assert "summary" not in item["candidate"] and item["candidate"]["name"] is None
            seen += 1
    assert seen > 0
    found = client.post("/search", json={"text": "developer", "side": "candidates"}, headers=company).json()
    assert found["items"] and all(item["candidate"]["languages"] == {} for item in found["items"])
    # the coordinator, who may see the whole profile, still sees every language
    pid = ids_by_external(client, "postings")["p001"]
    full = client.get(f"/postings/{pid}/matches", params={"limit": 100}).json()["items"]
    assert any(set(item["candidate"]["languages"]) - ASKED for item in full)


def test_a_company_searches_only_its_own_postings(client: TestClient, tokens: dict[str, str]) -> None:
    """Search agrees with GET /postings/{id}: what a company cannot open, it cannot find."""
    company = auth(tokens["company"])
    others = [p for p in client.get("/postings", params={"limit": 500}).json()["items"]
              if p["company"] != "Sol Digital SL"]
    for posting in others[:5]:
        found = client.post("/search", json={"text": posting["title"], "limit": 100}, headers=company).json()["items"]
        assert found and {item["company"] for item in found} == {"Sol Digital SL"}
        assert posting["id"] not in {item["id"] for item in found}
        assert client.get(f"/postings/{posting['id']}", headers=company).status_code == 404
    # a graduate still searches every posting of the organisation
    mine = client.post("/search", json={"text": others[0]["title"]}, headers=auth(tokens["graduate"])).json()
    assert others[0]["id"] in {item["id"] for item in mine["items"]}
