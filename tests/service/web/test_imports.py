"""The import page (service/web/imports.py): imports, plans and exports work without JavaScript,
Parquet files are read, and companies are created only when ticked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.service.api.test_uploads import tiny_parquet
from tests.service.web.conftest import csrf_of
from tests.service.web.helpers import post_form


def _total(app_client: TestClient, token: str) -> int:
    return app_client.get("/candidates", params={"limit": 1}, headers=auth(token)).json()["total"]


def test_the_import_page_refuses_a_file_over_the_row_cap(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    before = _total(app_client, tokens["coordinator"])
    csrf = csrf_of(coordinator.get("/ui/graduates").text)
    data = tiny_parquet(2_000_000)
    refused = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                               files={"file": ("people.parquet", data)})
    assert refused.status_code == 413, refused.text[:300]
    assert "2,000,000 rows" in refused.text and "at most 50,000" in refused.text
    scripted = coordinator.post("/ui/graduates:import", data={"csrf_token": csrf},
                                files={"file": ("people.parquet", data)}, headers={"accept": "application/json"})
    assert scripted.status_code == 413 and "2,000,000 rows" in scripted.json()["message"]
    assert _total(app_client, tokens["coordinator"]) == before


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

    planned = post_form(coordinator, "/ui/fairs/1", "/ui/fairs/1/plan", {})
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


def test_companies_are_created_on_the_page_and_imports_create_them_only_when_ticked(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")

    def names() -> set[str]:
        return {c["name"] for c in app_client.get("/companies", headers=auth(tokens["coordinator"])).json()}

    before = names()
    token = post_form(coordinator, "/ui/companies", "/ui/tokens", {"role": "company", "company": "Sol Digitl SL"})
    assert token.status_code == 422 and "did you mean" in token.text and "Sol Digital SL" in token.text
    created = post_form(coordinator, "/ui/companies", "/ui/companies/new", {"name": "Pont Nou SL"})
    assert created.status_code == 303
    page = coordinator.get("/ui/companies").text
    assert "Pont Nou SL" in page and 'name="create_companies"' in page  # listed before it has postings
    assert post_form(coordinator, "/ui/companies", "/ui/companies/new", {"name": "Pont Nou SL"}).status_code == 409
    rows = b"company,title,required_skills\nPont Nou SL,Dev,JS\nBrand New SL,Dev,CSS\n"
    refused = post_form(coordinator, "/ui/companies", "/ui/companies:import", {},
                    files={"file": ("p.csv", rows, "text/csv")})
    assert refused.status_code == 422 and "Brand New SL" in refused.text
    assert names() == before | {"Pont Nou SL"}
    done = post_form(coordinator, "/ui/companies", "/ui/companies:import", {"create_companies": "on"},
                 files={"file": ("p.csv", rows, "text/csv")})
    assert done.status_code == 303, done.text
    assert names() == before | {"Pont Nou SL", "Brand New SL"}
    unknown = post_form(coordinator, "/ui/postings/new", "/ui/postings/new",
                    {"company": "Vertex Helth", "title": "Dev", "required_skill": "JS", "kind": "job", "seats": "1"})
    assert unknown.status_code == 422 and "Vertex Health" in unknown.text
