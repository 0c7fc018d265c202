"""The coordinator's pages (service/web/coordinator.py): graduates searched by name or skill,
the filters, no-shows and placements in plain words, the learn-next page and its CSV."""

from __future__ import annotations

import csv
import io
import re

from babel import Locale
from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.service.web.helpers import post_form


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _demo_fair(app_client: TestClient, token: str) -> int:
    return next(f["id"] for f in app_client.get("/fairs", headers=auth(token)).json() if "(demo)" in f["name"])


def _listed(html: str) -> list[str]:
    table = html.split('id="graduates"')[1].split("</table>")[0] if 'id="graduates"' in html else ""
    return re.findall(r'<a href="/ui/graduates/\d+"><bdi dir="auto">([^<]+)</bdi>', table)


def test_graduates_are_searched_by_name_or_skill_and_the_csv_is_the_filtered_list(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    everyone = _listed(coordinator.get("/ui/graduates").text)
    assert len(everyone) > 5
    by_name = _listed(coordinator.get("/ui/graduates", params={"q": "haddad"}).text)
    assert by_name == ["Karim Haddad"]
    api = app_client.get("/candidates", params={"limit": 500}, headers=auth(tokens["coordinator"])).json()["items"]
    with_django = sorted(g["name"] for g in api if any("django" in s.casefold() for s in g["skills"]))
    assert with_django and len(with_django) < len(api)
    assert sorted(_listed(coordinator.get("/ui/graduates", params={"q": "DJANGO"}).text)) == with_django
    answer = coordinator.get("/ui/graduates.csv", params={"q": "django"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = _rows(answer.text)
    assert list(rows[0]) == ["id", "name", "city", "languages", "match_count"]
    assert sorted(r["name"] for r in rows) == with_django
    first = next(g for g in api if g["name"] == rows[0]["name"])
    assert int(rows[0]["id"]) == first["id"] and rows[0]["city"] == first["location"]
    assert rows[0]["languages"] == ";".join(f"{k}:{v}" for k, v in first["languages"].items())
    assert all(int(r["match_count"]) >= 0 for r in rows) and any(int(r["match_count"]) > 0 for r in rows)
    assert coordinator.get("/ui/graduates", params={"show": "bogus"}).status_code == 422
    assert "No graduate fits this search." in coordinator.get("/ui/graduates", params={"q": "zzzqqq"}).text


def test_the_no_matches_filter_lists_only_graduates_without_any_match(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    lonely = {"name": "Zofia Nomatch", "skills": ["COBOL"], "languages": {"pl": "C2"}, "location": "Gdańsk",
              "remote_ok": False, "kinds": ["job"]}
    created = app_client.post("/candidates", json=lonely, headers=auth(tokens["coordinator"]))
    assert created.status_code == 201, created.text
    coordinator = as_role("coordinator")
    shown = _listed(coordinator.get("/ui/graduates", params={"show": "no_matches"}).text)
    assert "Zofia Nomatch" in shown and "Karim Haddad" not in shown
    rows = _rows(coordinator.get("/ui/graduates.csv", params={"show": "no_matches"}).text)
    assert {r["name"] for r in rows} == set(shown) and all(r["match_count"] == "0" for r in rows)
    assert next(r for r in rows if r["name"] == "Zofia Nomatch")["languages"] == "pl:C2"


def test_the_no_interview_filter_reads_the_last_planned_fair(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    head = auth(tokens["coordinator"])
    fair_id = _demo_fair(app_client, tokens["coordinator"])
    assert app_client.post(f"/fairs/{fair_id}/schedule", headers=head).status_code == 200
    schedule = app_client.get(f"/fairs/{fair_id}/schedule", headers=head).json()
    met = {m["graduate_id"] for m in schedule["meetings"]}
    api = app_client.get("/candidates", params={"limit": 500}, headers=head).json()["items"]
    without = sorted(g["name"] for g in api if g["id"] not in met)
    page = coordinator.get("/ui/graduates", params={"show": "no_interview"}).text
    assert "Last fair:" in page and sorted(_listed(page)) == without
    assert len(without) < len(api)
    rows = _rows(coordinator.get("/ui/graduates.csv", params={"show": "no_interview"}).text)
    assert sorted(r["name"] for r in rows) == without


def test_a_no_show_is_told_in_plain_words_with_names_and_slots_count_from_one(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    head = auth(tokens["coordinator"])
    fair_id = _demo_fair(app_client, tokens["coordinator"])
    url = f"/ui/fairs/{fair_id}"
    assert post_form(coordinator, url, url + "/plan", {}).status_code == 303
    planned = coordinator.get(url).text
    assert '<th scope="row">1 · 10:00–10:20</th>' in planned and '<th scope="row">0 ·' not in planned
    schedule = app_client.get(f"/fairs/{fair_id}/schedule", headers=head).json()
    own = app_client.get(f"/fairs/{fair_id}/schedule", headers=auth(tokens["graduate"])).json()["meetings"]
    mine = as_role("graduate").get("/ui/schedule").text
    assert own and all(f"(slot {m['slot'] + 1})" in mine for m in own)
    names = {g["id"]: g["name"] for g in app_client.get("/candidates", params={"limit": 500}, headers=head).json()["items"]}
    first: dict[int, int] = {}
    for m in schedule["meetings"]:
        first[m["graduate_id"]] = min(first.get(m["graduate_id"], 99), m["slot"])
    absent = max(first, key=lambda g: (first[g], -g))
    assert first[absent] > 0
    answer = post_form(coordinator, url, url + "/replan", {"from_slot": str(first[absent]), "no_shows": [str(absent)]})
    assert answer.status_code == 303
    page = coordinator.get(url).text
    assert f"Re-planned from slot {first[absent] + 1}" in page
    notices = page.split('id="fair-notices"')[1].split("</ul>")[0]
    assert f"{names[absent]} did not come; no meeting instead of 2." in notices.replace("&#39;", "'")
    assert "min_per_candidate" not in notices and "relaxation" not in page
    spanish = coordinator.get(url, headers={"Accept-Language": "es"}).text
    assert "no vino" in spanish.split('id="fair-notices"')[1].split("</ul>")[0]


def test_the_placement_csv_names_everyone_and_says_why_a_graduate_got_no_seat(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    head = auth(tokens["coordinator"])
    graduates = app_client.get("/candidates", params={"limit": 500}, headers=head).json()["items"]
    postings = app_client.get("/postings", params={"limit": 500}, headers=head).json()["items"]
    seat = next(p for p in postings if p["kind"] == "traineeship" and p["languages"])
    code, level = next(iter(seat["languages"].items()))
    lacking = next(g for g in graduates if code not in g["languages"] and g["visible_to_companies"])
    fitting = [g for g in graduates if g["visible_to_companies"] and g["id"] != lacking["id"]][:5]
    form = {"graduates": [str(lacking["id"])] + [str(g["id"]) for g in fitting], "postings": [str(seat["id"])]}
    page = post_form(coordinator, "/ui/placements", "/ui/placements", form)
    assert page.status_code == 200 and 'id="placement-csv"' in page.text
    answer = post_form(coordinator, "/ui/placements", "/ui/placements.csv", form)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = _rows(answer.text)
    assert list(rows[0]) == ["method", "graduate_id", "graduate", "posting_id", "posting", "company", "score", "reason"]
    placed = [r for r in rows if r["posting_id"]]
    assert placed and all(r["posting"] == seat["title"] and r["company"] == seat["company"] for r in placed)
    by_id = {g["id"]: g["name"] for g in graduates}
    assert all(r["graduate"] == by_id[int(r["graduate_id"])] for r in rows)
    mine = [r for r in rows if int(r["graduate_id"]) == lacking["id"]]
    assert {r["method"] for r in mine} == {"stable", "welfare"} and all(not r["posting_id"] for r in mine)
    language = Locale("en").languages[code]
    assert all(f"needs {language} {level}" in r["reason"] for r in mine), mine
    others = [r for r in rows if not r["posting_id"] and int(r["graduate_id"]) != lacking["id"]]
    assert all(r["reason"] for r in others)
    spanish = coordinator.post("/ui/placements.csv", headers={"Accept-Language": "es"},
                               data={**form, "csrf_token": page.text.split('name="csrf_token" value="')[1].split('"')[0]})
    assert "necesita" in spanish.text


def test_the_learn_next_page_and_its_csv(as_role):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    page = coordinator.get("/ui/learn-next")
    assert page.status_code == 200 and '<table id="learn-next">' in page.text
    assert 'href="/ui/learn-next" aria-current="page"' in page.text
    table = coordinator.get("/ui/learn-next.csv")
    assert table.status_code == 200 and table.text.startswith("skill,graduates,postings")
    assert as_role("company").get("/ui/learn-next").status_code == 403
    assert as_role("graduate").get("/ui/learn-next.csv").status_code == 403
