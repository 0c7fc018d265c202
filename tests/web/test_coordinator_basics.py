"""Issue #15, coordinator basics: the graduates list (search, filters, CSV), plain fair warnings,
1-based slot numbers, names beside ids in exports, and the placement CSV with reasons."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.web.test_pages import _post


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
