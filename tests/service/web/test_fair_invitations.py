"""Interview invitations from a fair: the coordinator's form says where, the link and a message;
the graduate's page lists their own meetings with the date and time in the page language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.service.web.conftest import csrf_of


def _post(client: TestClient, form_page: str, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf_of(client.get(form_page).text)}, follow_redirects=False)


def test_the_graduate_page_lists_their_fair_interviews_with_place_link_and_message(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    page = coordinator.get("/ui/fairs").text
    assert 'name="place"' in page and 'name="link"' in page and 'name="message"' in page
    companies = re.findall(r'name="attend_(\d+)"> <bdi dir="auto">([^<]+)</bdi>', page)
    chosen = {i for i, name in companies if name in ("Sol Digital SL", "Mar Tech Barcelona")}
    ids = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")
    form = {"name": "Winter fair", "date": "2026-12-10", "start": "09:30", "slot_count": "3", "slot_minutes": "15",
            "timezone": "Europe/Madrid", "min_per_candidate": "1", "max_per_candidate": "2",
            "graduates": [str(ids[g]) for g in ("g001", "g002", "g003")],
            "place": "Carrer de Pujades 77, Barcelona, room 2", "link": "https://meet.example.org/winter",
            "message": "Bring your laptop; we meet at the front desk.",
            **{f"attend_{i}": "on" for i in chosen}, **{f"seats_{i}": "1" for i in chosen}}
    bad = _post(coordinator, "/ui/fairs", "/ui/fairs", {**form, "link": "javascript:alert(1)"})
    assert bad.status_code == 422 and "https://" in bad.text
    created = _post(coordinator, "/ui/fairs", "/ui/fairs", form)
    assert created.status_code == 303, created.text[:300]
    fair = created.headers["location"]
    edit = coordinator.get(fair).text
    assert 'value="Carrer de Pujades 77, Barcelona, room 2"' in edit  # the form shows it again
    assert _post(coordinator, fair, fair + "/plan", {}).status_code == 303

    graduate = as_role("graduate")
    mine = graduate.get("/ui/me/matches").text
    assert 'id="fair-interviews"' in mine
    section = mine.split('id="fair-interviews"')[1].split("</section>")[0]
    assert "Winter fair" in section and "Carrer de Pujades 77" in section
    assert 'href="https://meet.example.org/winter"' in section and "Bring your laptop" in section
    assert "Thursday, December 10, 2026" in section and re.search(r"09:(30|45)–(09:45|10:00)", section)
    graduate.cookies.set("bm_lang", "es", path="/ui")
    try:
        spanish = graduate.get("/ui/me/matches").text.split('id="fair-interviews"')[1].split("</section>")[0]
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")
    assert "jueves, 10 de diciembre de 2026" in spanish and "Tus entrevistas en la feria" in spanish
    # another graduate invited to the fair sees only their own meetings; a graduate left out sees none
    other = as_role("other_graduate").get("/ui/me/matches").text
    ours = section.count("<li>")
    assert ours >= 1 and other.split('id="fair-interviews"')[1].split("</section>")[0].count("<li>") >= 1
