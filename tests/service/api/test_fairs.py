"""Fairs and placements over HTTP (service/api/fairs.py), on the demo data: the schedule keeps
every rule, exports have correct times, each role sees its view, ids and names are checked."""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.service.helpers import DEMO_FAIR

pytestmark = pytest.mark.both_backends


SEATS = {c["company"]: c["seats_per_slot"] for c in DEMO_FAIR["companies"]}


def _demo_fair_id(client: TestClient) -> int:
    return next(f["id"] for f in client.get("/fairs").json() if f["name"] == DEMO_FAIR["name"])


def _check_rules(meetings: list[dict]) -> None:
    """Independent of the solver: no double booking, seats per slot, one meeting per pair."""
    assert max(Counter((m["graduate_id"], m["slot"]) for m in meetings).values()) == 1
    for (company, _slot), used in Counter((m["company"], m["slot"]) for m in meetings).items():
        assert used <= SEATS[company]
    assert max(Counter((m["graduate_id"], m["company"]) for m in meetings).values()) == 1


def _small_fair(client: TestClient, **rules: object) -> dict:
    cands = ids_by_external(client, "candidates")
    return {
        "name": "small", "slots": ["2026-12-10T16:00:00", "2026-12-10T16:30:00"], "slot_minutes": 30,
        "graduates": ["g001", "g002", "g005", cands["g006"]],
        "companies": [{"company": "Sol Digital SL"}, {"company": "Mar Tech Barcelona"}],
        "rules": {"min_per_candidate": 1, "max_per_candidate": 2, **rules},
    }


# Strings that `str.isdigit()` calls digits but that are no id: a superscript two, an Arabic-Indic
# three (which `int()` reads as 3) and a number too long for `int()` (more than 4,300 digits).
NOT_IDS = ["²", "٣", "9" * 5000]


def _refused(response, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, (response.status_code, response.text[:300])
    detail = response.json()["detail"]
    assert isinstance(detail, str) and all(w in detail for w in words), detail[:300]
    assert len(detail) < 2000  # a 5,000-digit id is not echoed back in full


def test_demo_fair_gives_every_graduate_two_meetings(client: TestClient) -> None:
    fair_id = _demo_fair_id(client)
    response = client.post(f"/fairs/{fair_id}/schedule")
    assert response.status_code == 200, response.text
    schedule = response.json()
    meetings, report = schedule["meetings"], schedule["report"]
    _check_rules(meetings)
    per_grad = Counter(m["graduate_id"] for m in meetings)
    assert len(per_grad) == len(DEMO_FAIR["graduates"]) and min(per_grad.values()) >= 2
    assert max(per_grad.values()) <= DEMO_FAIR["rules"]["max_per_candidate"]
    assert report["meetings_min"] >= 2 and report["graduates_without_meeting"] == []
    assert report["status"] == "OPTIMAL" and report["gap"] == 0
    assert report["price_of_fairness"] is not None and report["price_of_fairness"] >= 0
    assert set(report["utilisation"]) == set(SEATS)
    assert abs(report["total_score"] - sum(m["score"] for m in meetings)) < 1e-3


def test_exports_have_correct_times(client: TestClient) -> None:
    fair_id = _demo_fair_id(client)
    meetings = client.post(f"/fairs/{fair_id}/schedule").json()["meetings"]
    ics = client.get(f"/fairs/{fair_id}/schedule.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    text = ics.text
    assert text.count("BEGIN:VEVENT") == len(meetings) and "\r\n" in text
    # 10:00 in Madrid on 3 December (CET, UTC+1) is 09:00 UTC
    assert "DTSTART:20261203T090000Z" in text and "DTEND:20261203T092000Z" in text
    rows = client.get(f"/fairs/{fair_id}/schedule.csv").text.strip().splitlines()
    assert rows[0].startswith("slot_number,start,end,company,graduate_id,graduate") and len(rows) == len(meetings) + 1
    # one numbering for people: the API's slot_number, the CSV and the ICS all count from 1
    assert all(m["slot_number"] == m["slot"] + 1 for m in meetings)
    served = client.get(f"/fairs/{fair_id}/schedule").json()["meetings"]
    assert [m["slot_number"] for m in served] == [m["slot"] + 1 for m in served]
    first = min(meetings, key=lambda m: m["start"])
    assert first["slot"] == 0 and any(r.startswith(f"1,{first['start']},") for r in rows[1:])
    assert not any(r.startswith("0,") for r in rows[1:])
    assert "Barcelona tech job fair (demo)\\, slot 1" in text


def test_views_per_role(client: TestClient, tokens: dict[str, str]) -> None:
    fair_id = _demo_fair_id(client)
    client.post(f"/fairs/{fair_id}/schedule")
    g1 = ids_by_external(client, "candidates")["g001"]
    mine = client.get(f"/fairs/{fair_id}/schedule", headers=auth(tokens["graduate"])).json()
    assert mine["meetings"] and {m["graduate_id"] for m in mine["meetings"]} == {g1} and "report" not in mine
    ics = client.get(f"/fairs/{fair_id}/schedule.ics", headers=auth(tokens["graduate"])).text
    assert ics.count("BEGIN:VEVENT") == len(mine["meetings"])
    company = client.get(f"/fairs/{fair_id}/schedule", headers=auth(tokens["company"])).json()
    assert company["meetings"] and {m["company"] for m in company["meetings"]} == {"Sol Digital SL"}
    assert "graduate," not in client.get(f"/fairs/{fair_id}/schedule.csv", headers=auth(tokens["company"])).text
    per_company = client.get(f"/fairs/{fair_id}/schedule", params={"company": "Ona Logistics"}).json()
    assert {m["company"] for m in per_company["meetings"]} == {"Ona Logistics"}
    assert client.get(f"/fairs/{fair_id}/schedule", headers=auth(tokens["other_coordinator"])).status_code == 404
    assert client.post(f"/fairs/{fair_id}/schedule", headers=auth(tokens["company"])).status_code == 403


def test_conflicting_rules_are_422_naming_the_conflict(client: TestClient) -> None:
    body = _small_fair(client, blocked=[["g001", "Sol Digital SL"]], required=[["g001", "Sol Digital SL"]])
    fair_id = client.post("/fairs", json=body).json()["id"]
    response = client.post(f"/fairs/{fair_id}/schedule")
    assert response.status_code == 422 and "blocked" in response.json()["detail"]
    bad = _small_fair(client) | {"companies": [{"company": "No Such Co"}]}
    response = client.post("/fairs", json=bad)
    assert response.status_code == 422 and "No Such Co" in response.json()["detail"]
    assert client.post("/fairs", json=_small_fair(client) | {"graduates": ["g999"]}).status_code == 422
    assert client.post("/fairs", json=_small_fair(client, min_per_candidate=3, max_per_candidate=2)).status_code == 422
    assert client.post("/fairs", json=_small_fair(client) | {"timezone": "Mars/Base"}).status_code == 422


def test_shortlist_becomes_a_required_meeting(client: TestClient, tokens: dict[str, str]) -> None:
    cands, posts = ids_by_external(client, "candidates"), ids_by_external(client, "postings")
    # g005 looks for internships only: p016 is Sol Digital's internship
    invite = client.post("/interviews", json={"posting_id": posts["p016"], "candidate_id": cands["g005"]},
                         headers=auth(tokens["company"]))
    assert invite.status_code == 201, invite.text
    fair_id = client.post("/fairs", json=_small_fair(client, max_per_candidate=1)).json()["id"]
    meetings = client.post(f"/fairs/{fair_id}/schedule").json()["meetings"]
    assert {"graduate_id": cands["g005"], "company": "Sol Digital SL"} in [
        {"graduate_id": m["graduate_id"], "company": m["company"]} for m in meetings
    ]


def test_replan_after_a_no_show_keeps_held_meetings(client: TestClient) -> None:
    fair_id = _demo_fair_id(client)
    before = client.post(f"/fairs/{fair_id}/schedule").json()["meetings"]
    absent = before[0]["graduate_id"]
    response = client.post(f"/fairs/{fair_id}/replan", json={"from_slot": 3, "no_shows": [absent],
                                                             "late_companies": {"Red Pixel Studio": 5}})
    assert response.status_code == 200, response.text
    after = response.json()["meetings"]
    key = lambda m: (m["slot"], m["company"], m["graduate_id"])
    assert sorted(map(key, (m for m in after if m["slot"] < 3))) == sorted(map(key, (m for m in before if m["slot"] < 3)))
    assert not [m for m in after if m["graduate_id"] == absent and m["slot"] >= 3]
    assert not [m for m in after if m["company"] == "Red Pixel Studio" and 3 <= m["slot"] < 5]
    _check_rules(after)
    assert client.post(f"/fairs/{fair_id}/replan", json={"from_slot": 99}).status_code == 422


def test_erased_graduate_leaves_the_fair(client: TestClient) -> None:
    fair_id = _demo_fair_id(client)
    client.post(f"/fairs/{fair_id}/schedule")
    g1 = ids_by_external(client, "candidates")["g001"]
    assert client.delete(f"/candidates/{g1}").status_code == 204
    assert g1 not in client.get(f"/fairs/{fair_id}").json()["spec"]["graduates"]
    assert all(m["graduate_id"] != g1 for m in client.get(f"/fairs/{fair_id}/schedule").json()["meetings"])


def test_placement_stable_and_welfare_side_by_side(client: TestClient) -> None:
    traineeships = [p["external_id"] for p in client.get("/postings", params={"limit": 500}).json()["items"]
                    if p["kind"] == "traineeship"]
    graduates = [f"g{i:03d}" for i in range(1, 31)]
    response = client.post("/placements", json={"graduates": graduates, "postings": traineeships})
    assert response.status_code == 200, response.text
    result = response.json()
    stable, welfare = result["stable"], result["welfare"]
    assert stable["blocking_pairs"] == 0
    assert welfare["total_score"] >= stable["total_score"] - 1e-9
    seats = {p["id"]: p["seats"] for p in client.get("/postings", params={"limit": 500}).json()["items"]}
    for plan in (stable, welfare):
        used = Counter(a["posting_id"] for a in plan["assignments"])
        assert all(used[p] <= seats[p] for p in used)
        assert len(plan["assignments"]) + len(plan["unplaced"]) == len(graduates)
    assert {row["method"] for row in result["comparison"]} == {"graduate-proposing", "welfare"}
    proposing = client.post("/placements", json={"graduates": graduates, "postings": traineeships, "proposing": "postings"})
    assert proposing.json()["stable"]["blocking_pairs"] == 0
    assert client.post("/placements", json={"graduates": ["g999"], "postings": traineeships}).status_code == 422


def test_placement_keeps_every_ranking_rule_and_says_why_someone_is_unplaced(client: TestClient) -> None:
    """No internship-only graduate in a traineeship seat, no Madrid job-seeker in a Barcelona
    on-site seat, no graduate who did not consent: placement keeps the ranking's filters."""
    postings = client.get("/postings", params={"limit": 500}).json()["items"]
    graduates = client.get("/candidates", params={"limit": 500}).json()["items"]
    response = client.post("/placements", json={"graduates": [g["id"] for g in graduates],
                                                 "postings": [p["id"] for p in postings]})
    assert response.status_code == 200, response.text
    post, grad = {p["id"]: p for p in postings}, {g["id"]: g for g in graduates}
    city = lambda text: (text or "").strip().casefold()
    placed = 0
    for plan in (response.json()["stable"], response.json()["welfare"]):
        for a in plan["assignments"]:
            g, p = grad[a["graduate_id"]], post[a["posting_id"]]
            assert p["kind"] in g["kinds"], (g["external_id"], p["external_id"])
            assert (city(g["location"]) and city(g["location"]) == city(p["location"])) or (p["remote"] and g["remote_ok"])
            assert g["visible_to_companies"]
            placed += 1
        assert set(plan["unplaced_reasons"]) == {str(u) for u in plan["unplaced"]}
    assert placed > 0
    hidden = next(g for g in graduates if not g["visible_to_companies"])
    reasons = response.json()["stable"]["unplaced_reasons"]
    assert "consent" in reasons[str(hidden["id"])]


def test_fair_graduates_that_only_look_like_digits_are_422(client: TestClient) -> None:
    for ref in NOT_IDS:
        _refused(client.post("/fairs", json=_small_fair(client) | {"graduates": ["g001", ref]}), "graduates")
        rules = {"blocked": [[ref, "Sol Digital SL"]]}
        _refused(client.post("/fairs", json=_small_fair(client, **rules)), "blocked")
    assert client.post("/fairs", json=_small_fair(client)).status_code == 201


def test_placement_refs_that_only_look_like_digits_are_422(client: TestClient) -> None:
    good = {"graduates": ["g001", "g002"], "postings": ["p001", "p005"]}
    for ref in NOT_IDS:
        for body in (
            good | {"graduates": ["g001", ref]},
            good | {"postings": ["p001", ref]},
            good | {"graduate_rankings": {ref: ["p001"]}},
            good | {"graduate_rankings": {"g001": ["p001", ref]}},
            good | {"posting_rankings": {ref: ["g001"]}},
        ):
            _refused(client.post("/placements", json=body))
    assert client.post("/placements", json=good).status_code == 200


def test_replan_no_shows_that_only_look_like_digits_are_422(client: TestClient) -> None:
    fair_id = client.post("/fairs", json=_small_fair(client)).json()["id"]
    assert client.post(f"/fairs/{fair_id}/schedule").status_code == 200
    for ref in NOT_IDS:
        _refused(client.post(f"/fairs/{fair_id}/replan", json={"from_slot": 1, "no_shows": [ref]}), "no_shows")
    assert client.post(f"/fairs/{fair_id}/replan", json={"from_slot": 1, "no_shows": ["g001"]}).status_code == 200


def test_ids_beyond_64_bits_and_booleans_are_not_ids(client: TestClient) -> None:
    for ref in (2**64, 10**30, True):
        _refused(client.post("/fairs", json=_small_fair(client) | {"graduates": ["g001", ref]}), "graduates")
    _refused(client.post("/placements", json={"graduates": [2**64], "postings": ["p001"]}), "graduates")


def test_fair_names_with_control_characters_are_422(client: TestClient) -> None:
    for name in ("Fair\rBEGIN:VEVENT", "Fair\nX", "Fair\x0bX", "Fair\u2028X"):
        _refused(client.post("/fairs", json=_small_fair(client) | {"name": name}), "name", "control character")
    companies = [{"company": "Sol Digital SL\rX"}]
    _refused(client.post("/fairs", json=_small_fair(client) | {"companies": companies}), "company")
    _refused(client.post("/fairs", json=_small_fair(client, blocked=[["g001", "Sol\rX"]])), "blocked")


@pytest.mark.parametrize("start", ["9999-01-01T10:00:00", "0001-01-01T10:00:00", "1999-12-31T23:30:00",
                                   "2101-01-01T00:00:00", "2100-12-31T23:00:00-05:00"])
def test_implausible_slot_dates_are_422_at_creation(client: TestClient, start: str) -> None:
    response = client.post("/fairs", json=_small_fair(client) | {"slots": [start]})
    _refused(response, "slots", "not a plausible fair date", "between 2000 and 2100")
    for plausible in ("2000-01-01T09:00:00", "2100-12-31T16:00:00", "2027-03-01T10:00:00+01:00"):
        response = client.post("/fairs", json=_small_fair(client) | {"slots": [plausible]})
        assert response.status_code == 201, response.text


def test_text_stored_before_the_rules_still_loads_and_exports_safely(settings, tokens: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from service.app import create_app
    from service.db import CandidateRow, FairRow

    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as client:
        fair_id = client.post("/fairs", json=_small_fair(client)).json()["id"]
        old_fair = client.post("/fairs", json=_small_fair(client)).json()["id"]
        g1 = ids_by_external(client, "candidates")["g001"]
        with client.app.state.matcher.sessions.begin() as session:  # as saved before the rules existed
            row = session.get(CandidateRow, g1)
            row.profile = {**row.profile, "name": "Ana\rBEGIN:VEVENT"}
            fair = session.get(FairRow, fair_id)
            fair.name, fair.spec = "Fair\rX", {**fair.spec, "name": "Fair\rX"}
            fair = session.get(FairRow, old_fair)
            fair.spec = {**fair.spec, "slots": ["9999-01-01T10:00:00", "9999-01-01T10:30:00"]}
    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as client:  # a restart reads them
        assert client.get(f"/candidates/{g1}").json()["name"] == "Ana\rBEGIN:VEVENT"
        assert client.post(f"/fairs/{fair_id}/schedule").status_code == 200
        ics = client.get(f"/fairs/{fair_id}/schedule.ics").text
        assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")
        assert "Ana\\nBEGIN:VEVENT" in ics.replace("\r\n ", "") and "Fair\\nX" in ics.replace("\r\n ", "")
        _refused(client.post(f"/fairs/{old_fair}/schedule"), "as stored", "not a plausible fair date")
