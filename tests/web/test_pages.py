"""The pages through TestClient (no browser): log-in, CSRF, roles, blind view, weight, right-to-left."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.web.conftest import csrf_of

ARABIC = "كنت مهندسًا مدنيًا في حلب، والآن أبني تطبيقات ويب بلغة بايثون في برشلونة."


def _post(client: TestClient, form_page: str, url: str, data: dict, **kwargs: object):  # type: ignore[no-untyped-def]
    """POST a form the way the page would: with the CSRF token found on `form_page`."""
    token = csrf_of(client.get(form_page).text)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)


def _ids(app_client: TestClient, token: str, side: str) -> dict[str, int]:
    items = app_client.get(f"/{side}", params={"limit": 500}, headers=auth(token)).json()["items"]
    return {item["external_id"]: item["id"] for item in items}


def test_log_in_gives_a_strict_httponly_session_cookie_that_is_not_the_token(app_client, tokens):  # type: ignore[no-untyped-def]
    form = app_client.get("/ui/login")
    assert form.status_code == 200
    assert '<label for="token">' in form.text and 'id="token"' in form.text
    answer = app_client.post("/ui/login", data={"token": tokens["coordinator"], "csrf_token": csrf_of(form.text)},
                             follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/graduates"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("bm_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie  # plain http on loopback; set over https
    assert tokens["coordinator"] not in cookie
    assert app_client.get("/ui/graduates").status_code == 200


def test_log_in_refuses_bad_tokens_missing_csrf_and_foreign_redirects(app_client, tokens):  # type: ignore[no-untyped-def]
    csrf = csrf_of(app_client.get("/ui/login").text)
    wrong = app_client.post("/ui/login", data={"token": "bm_nope", "csrf_token": csrf}, follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text
    csrf = csrf_of(wrong.text)
    no_csrf = app_client.post("/ui/login", data={"token": tokens["coordinator"]}, follow_redirects=False)
    assert no_csrf.status_code == 403 and "bm_session" not in no_csrf.headers.get("set-cookie", "")
    csrf = csrf_of(no_csrf.text)
    away = app_client.post("/ui/login", data={"token": tokens["coordinator"], "csrf_token": csrf,
                                              "next": "//evil.example/steal"}, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/ui/graduates"


def test_every_post_needs_the_session_csrf_token(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    fairs_before = app_client.get("/fairs", headers=auth(tokens["coordinator"])).json()
    assert coordinator.post("/ui/fairs/demo", data={}, follow_redirects=False).status_code == 403
    assert coordinator.post("/ui/fairs/demo", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    # Another session's token does not work either (synchronizer token, per session).
    other = as_role("other_coordinator")
    foreign = csrf_of(other.get("/ui/fairs").text)
    assert coordinator.post("/ui/fairs/demo", data={"csrf_token": foreign}, follow_redirects=False).status_code == 403
    # The right token from another origin is refused too.
    cross = _post(coordinator, "/ui/fairs", "/ui/fairs/demo", {}, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert app_client.get("/fairs", headers=auth(tokens["coordinator"])).json() == fairs_before
    graduate = as_role("graduate")
    assert graduate.post("/ui/me", data={"name": "X", "skill": "Python"}, follow_redirects=False).status_code == 403


def test_pages_need_a_session_and_the_api_ignores_the_page_cookie(app_client, as_role):  # type: ignore[no-untyped-def]
    anonymous = app_client.get("/ui/me", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/ui/login?next=/ui/me"
    coordinator = as_role("coordinator")
    assert coordinator.get("/ui/graduates").status_code == 200
    assert coordinator.get("/candidates").status_code == 401  # JSON API: bearer tokens only, so no CSRF risk
    logout = _post(coordinator, "/ui/graduates", "/ui/logout", {})
    assert logout.status_code == 303
    assert coordinator.get("/ui/graduates", follow_redirects=False).status_code == 303


def test_roles_see_only_their_pages(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    ids = _ids(app_client, tokens["coordinator"], "candidates")
    posting = _ids(app_client, tokens["coordinator"], "postings")["p001"]
    graduate, company, other = as_role("graduate"), as_role("company"), as_role("other_coordinator")
    for url in ("/ui/graduates", "/ui/companies", "/ui/fairs", "/ui/placements", "/ui/postings",
                f"/ui/postings/{posting}"):
        assert graduate.get(url).status_code == 403, url
    for url in ("/ui/me", "/ui/me/matches", "/ui/graduates", "/ui/fairs", f"/ui/graduates/{ids['g001']}"):
        assert company.get(url).status_code == 403, url
    # A record that is not the caller's looks exactly like a missing one.
    assert graduate.get(f"/ui/graduates/{ids['g002']}").status_code == 404
    assert other.get(f"/ui/graduates/{ids['g001']}").status_code == 404
    assert other.get(f"/ui/postings/{posting}").status_code == 404
    assert "Karim Haddad" not in other.get("/ui/graduates").text


def test_company_sees_the_work_not_the_person_until_an_interview_is_accepted(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    people = app_client.get("/candidates", params={"limit": 500}, headers=auth(tokens["coordinator"])).json()
    names = [p["name"] for p in people["items"]]
    karim = next(p["id"] for p in people["items"] if p["external_id"] == "g001")
    posting = _ids(app_client, tokens["coordinator"], "postings")["p001"]
    company = as_role("company")
    page = company.get(f"/ui/postings/{posting}").text
    assert f'id="c{karim}"' in page and "Blind view" in page
    assert not [n for n in names if n in page]
    assert "Show names" not in page  # only coordinators may lift the blind view
    coordinator_page = as_role("coordinator").get(f"/ui/postings/{posting}").text
    assert not [n for n in names if n in coordinator_page]  # blind by default for coordinators too

    shortlisted = _post(company, f"/ui/postings/{posting}", f"/ui/postings/{posting}/shortlist", {"candidate_id": karim})
    assert shortlisted.status_code == 303
    assert "shortlisted" in company.get(f"/ui/postings/{posting}").text
    graduate = as_role("graduate")
    matches = graduate.get("/ui/me/matches").text
    assert "Interview invitations" in matches and "Python Backend Trainee" in matches
    interview = re.search(r'action="/ui/me/interviews/(\d+)/accept"', matches).group(1)  # type: ignore[union-attr]
    assert _post(graduate, "/ui/me/matches", f"/ui/me/interviews/{interview}/accept", {}).status_code == 303
    assert "Karim Haddad" in company.get(f"/ui/postings/{posting}").text


def test_profile_edit_changes_matches_and_keeps_input_on_errors(as_role):  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    before = graduate.get("/ui/me/matches").text
    form = graduate.get("/ui/me").text
    fields = {"name": "Karim Haddad", "headline": "Frontend developer", "summary": "React and TypeScript apps.",
              "skill": ["React", "TypeScript", "JavaScript", "CSS", "HTML"], "lang_code": ["en", "es"],
              "lang_level": ["C1", "B2"], "location": "Barcelona", "remote_ok": "on", "work_permit": "on",
              "kinds": ["job", "traineeship", "internship"], "visible_to_companies": "on",
              "csrf_token": csrf_of(form)}
    bad = graduate.post("/ui/me", data={**fields, "skill": ["", ""], "lang_level": ["Z9", "B2"]})
    assert bad.status_code == 422
    assert "Nothing was saved" in bad.text and "Frontend developer" in bad.text
    assert "skills" in bad.text and "CEFR" in bad.text
    saved = graduate.post("/ui/me", data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/ui/me/matches"
    after = graduate.get("/ui/me/matches").text
    assert "Profile saved" in after
    titles = lambda html: re.findall(r'<h3>(?:<a [^>]*>)?<bdi dir="auto">([^<]+)</bdi>', html)  # titles link to the posting
    assert titles(after) != titles(before)
    assert re.findall(r'name="skill" value="([^"]+)"', graduate.get("/ui/me").text) == fields["skill"]


def test_arabic_text_is_marked_for_right_to_left(as_role):  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    form = graduate.get("/ui/me").text
    assert '<html lang="en" dir="ltr">' in form
    values = {"name": "كريم حداد", "headline": "مطور واجهات خلفية", "summary": ARABIC, "skill": ["Python"],
              "kinds": ["job"], "csrf_token": csrf_of(form)}
    assert graduate.post("/ui/me", data=values, follow_redirects=False).status_code == 303
    page = graduate.get("/ui/me").text
    assert re.search(r'<textarea id="f-summary"[^>]*dir="auto"[^>]*>' + re.escape(ARABIC), page)
    assert re.search(r'<input id="f-name"[^>]*value="كريم حداد"[^>]*dir="auto"', page)
    listing = as_role("coordinator").get("/ui/graduates").text
    assert '<bdi dir="auto">كريم حداد</bdi>' in listing
    assert '<bdi dir="auto">فاطمة الزهراء بنعلي</bdi>' in listing  # a demo graduate's name
    assert '<td class="user-text" dir="auto">مطور واجهات خلفية</td>' in listing


def test_every_page_weighs_under_100_kb_with_its_css_and_script(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    posting = _ids(app_client, tokens["coordinator"], "postings")["p001"]
    assets = sum(len(app_client.get(path).content) for path in ("/ui/static/app.css", "/ui/static/app.js"))
    pages = {
        "graduate": ["/ui/me", "/ui/me/matches", "/ui/schedule"],
        "company": ["/ui/postings", f"/ui/postings/{posting}", "/ui/postings/new", "/ui/schedule"],
        "coordinator": ["/ui/graduates", "/ui/companies", "/ui/fairs", "/ui/fairs/1", "/ui/placements"],
    }
    for role, urls in pages.items():
        client = as_role(role)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert len(answer.content) + assets < 100_000, (url, len(answer.content), assets)
    login = app_client.get("/ui/login")
    assert len(login.content) + assets < 20_000


def test_pages_send_security_headers_and_static_files_cache(as_role, app_client):  # type: ignore[no-untyped-def]
    page = as_role("graduate").get("/ui/me")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "max-age" in app_client.get("/ui/static/app.css").headers["cache-control"]
    assert "content-security-policy" not in app_client.get("/health").headers  # the JSON API is untouched


def test_import_plan_and_export_work_without_javascript(as_role, tmp_path):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    good = "name,headline,skills,languages,kinds,visible_to_companies\nAmal,Junior dev,python;django,ar:C2;en:B2,job,true\n"
    csrf = csrf_of(coordinator.get("/ui/graduates").text)
    done = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                            files={"file": ("people.csv", good.encode(), "text/csv")}, follow_redirects=False)
    assert done.status_code == 303
    assert "Imported 1 graduates." in coordinator.get("/ui/graduates").text
    bad = "name,skills,languages\nNoSkills,,en:B1\nBadLevel,python,en:Q7\n"
    refused = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                               files={"file": ("bad.csv", bad.encode(), "text/csv")})
    assert refused.status_code == 422
    assert "row 1" in refused.text and "row 2" in refused.text and "nothing imported" in refused.text
    assert "(43)" in coordinator.get("/ui/graduates").text

    planned = _post(coordinator, "/ui/fairs/1", "/ui/fairs/1/plan", {})
    assert planned.status_code == 303
    fair = coordinator.get("/ui/fairs/1").text
    assert 'id="grid"' in fair and 'id="all-min"' in fair and 'id="below-min"' not in fair
    assert coordinator.get("/ui/fairs/1/schedule.ics").text.startswith("BEGIN:VCALENDAR")
    graduate = as_role("graduate")
    schedule = graduate.get("/ui/schedule").text
    assert "Add to my calendar" in schedule
    ics = graduate.get("/ui/schedule/1.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == schedule.count("<li><strong>")


def test_revoking_a_token_ends_its_sessions(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    assert graduate.get("/ui/me").status_code == 200
    listed = app_client.get("/tokens", headers=auth(tokens["coordinator"])).json()
    for token in (t for t in listed if t["role"] == "graduate"):
        app_client.delete(f"/tokens/{token['id']}", headers=auth(tokens["coordinator"]))
    assert graduate.get("/ui/me", follow_redirects=False).status_code == 303


def test_skill_suggestions_put_the_scorers_names_first(as_role):  # type: ignore[no-untyped-def]
    client = as_role("graduate")
    assert client.get("/ui/skills", params={"q": "postg"}).json()[0] == "PostgreSQL"
    assert "Haskell" in client.get("/ui/skills", params={"q": "hask"}).json()  # from ESCO's list
    assert client.get("/ui/skills", params={"q": ""}).json() == []


def test_a_fair_from_the_rules_form_plans_and_refuses_contradictions(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    page = coordinator.get("/ui/fairs").text
    companies = re.findall(r'name="attend_(\d+)"> <bdi dir="auto">([^<]+)</bdi>', page)
    chosen = {i for i, name in companies if name in ("Sol Digital SL", "Mar Tech Barcelona")}
    ids = _ids(app_client, tokens["coordinator"], "candidates")
    form = {"name": "Small fair", "date": "2026-12-10", "start": "09:30", "slot_count": "3", "slot_minutes": "15",
            "timezone": "Europe/Madrid", "min_per_candidate": "1", "max_per_candidate": "2",
            "graduates": [str(ids[g]) for g in ("g001", "g002", "g003", "g005")],
            **{f"attend_{i}": "on" for i in chosen}, **{f"seats_{i}": "1" for i in chosen}}
    contradiction = _post(coordinator, "/ui/fairs", "/ui/fairs", {**form, "min_per_candidate": "3"})
    assert contradiction.status_code == 422
    assert "min_per_candidate must not exceed max_per_candidate" in contradiction.text
    assert 'value="Small fair"' in contradiction.text  # what was typed is still there
    created = _post(coordinator, "/ui/fairs", "/ui/fairs", form)
    assert created.status_code == 303
    fair = created.headers["location"]
    assert _post(coordinator, fair, fair + "/plan", {}).status_code == 303
    planned = coordinator.get(fair).text
    assert planned.count('<th scope="row">') == 3 and "09:30–09:45" in planned
    counts = planned.split('id="counts"')[1].split("</table>")[0]
    assert counts.count("<tr") == 1 + 4  # header and the four graduates invited


def test_companies_are_created_on_the_page_and_imports_create_them_only_when_ticked(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")

    def names() -> set[str]:
        return {c["name"] for c in app_client.get("/companies", headers=auth(tokens["coordinator"])).json()}

    before = names()
    token = _post(coordinator, "/ui/companies", "/ui/tokens", {"role": "company", "company": "Sol Digitl SL"})
    assert token.status_code == 422 and "did you mean" in token.text and "Sol Digital SL" in token.text
    created = _post(coordinator, "/ui/companies", "/ui/companies/new", {"name": "Pont Nou SL"})
    assert created.status_code == 303
    page = coordinator.get("/ui/companies").text
    assert "Pont Nou SL" in page and 'name="create_companies"' in page  # listed before it has postings
    assert _post(coordinator, "/ui/companies", "/ui/companies/new", {"name": "Pont Nou SL"}).status_code == 409
    rows = b"company,title,required_skills\nPont Nou SL,Dev,JS\nBrand New SL,Dev,CSS\n"
    refused = _post(coordinator, "/ui/companies", "/ui/companies:import", {},
                    files={"file": ("p.csv", rows, "text/csv")})
    assert refused.status_code == 422 and "Brand New SL" in refused.text
    assert names() == before | {"Pont Nou SL"}
    done = _post(coordinator, "/ui/companies", "/ui/companies:import", {"create_companies": "on"},
                 files={"file": ("p.csv", rows, "text/csv")})
    assert done.status_code == 303, done.text
    assert names() == before | {"Pont Nou SL", "Brand New SL"}
    unknown = _post(coordinator, "/ui/postings/new", "/ui/postings/new",
                    {"company": "Vertex Helth", "title": "Dev", "required_skill": "JS", "kind": "job", "seats": "1"})
    assert unknown.status_code == 422 and "Vertex Health" in unknown.text


def test_the_demo_fair_button_does_not_load_it_twice(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    before = app_client.get("/fairs", headers=auth(tokens["coordinator"])).json()
    assert [f["name"] for f in before].count("Barcelona tech job fair (demo)") == 1  # loaded with the demo
    answer = _post(coordinator, "/ui/fairs", "/ui/fairs/demo", {})
    assert answer.status_code == 303 and answer.headers["location"] == f"/ui/fairs/{before[0]['id']}"
    assert app_client.get("/fairs", headers=auth(tokens["coordinator"])).json() == before
    assert "already loaded" in coordinator.get(answer.headers["location"]).text


def test_forms_refuse_ids_that_only_look_like_digits(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    ids = _ids(app_client, tokens["coordinator"], "candidates")
    posts = _ids(app_client, tokens["coordinator"], "postings")
    page = coordinator.get("/ui/fairs").text
    chosen = [i for i, name in re.findall(r'name="attend_(\d+)"> <bdi dir="auto">([^<]+)</bdi>', page)
              if name == "Sol Digital SL"]
    form = {"name": "Small fair", "date": "2026-12-10", "start": "09:30", "slot_count": "2", "slot_minutes": "15",
            "timezone": "Europe/Madrid", "min_per_candidate": "1", "max_per_candidate": "1",
            **{f"attend_{i}": "on" for i in chosen}}
    for bad in ("²", "٣", "9" * 5000):
        fair = _post(coordinator, "/ui/fairs", "/ui/fairs", {**form, "graduates": [str(ids["g001"]), bad]})
        assert fair.status_code == 422 and "graduates" in fair.text and "is not an id" in fair.text
        placed = _post(coordinator, "/ui/placements", "/ui/placements",
                       {"graduates": [str(ids["g001"])], "postings": [str(posts["p001"]), bad]})
        assert placed.status_code == 422 and "postings" in placed.text and "is not an id" in placed.text
        replan = _post(coordinator, "/ui/fairs/1", "/ui/fairs/1/replan", {"from_slot": "1", "no_shows": [bad]})
        assert replan.status_code == 422 and "no_shows" in replan.text and "is not an id" in replan.text
        assert len(fair.text) < 200_000
    name = _post(coordinator, "/ui/fairs", "/ui/fairs", {**form, "name": "Fair\rX", "graduates": [str(ids["g001"])]})
    assert name.status_code == 422 and "control character" in name.text
    created = _post(coordinator, "/ui/fairs", "/ui/fairs", {**form, "graduates": [str(ids["g001"])]})
    assert created.status_code == 303


def test_the_learn_next_page_and_its_csv(as_role):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    page = coordinator.get("/ui/learn-next")
    assert page.status_code == 200 and '<table id="learn-next">' in page.text
    assert 'href="/ui/learn-next" aria-current="page"' in page.text
    table = coordinator.get("/ui/learn-next.csv")
    assert table.status_code == 200 and table.text.startswith("skill,graduates,postings")
    assert as_role("company").get("/ui/learn-next").status_code == 403
    assert as_role("graduate").get("/ui/learn-next.csv").status_code == 403
