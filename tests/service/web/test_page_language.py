"""The page language a person chose follows them to another browser, and goes with their erasure."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.db import PageLanguageRow
from tests.conftest import auth, ids_by_external
from tests.service.web.conftest import log_in


def test_a_graduates_chosen_language_comes_back_at_sign_in_on_another_phone(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    school_computer = as_role("graduate")
    picked = school_computer.get("/ui/lang/uk", params={"next": "/ui/me"}, follow_redirects=False)
    assert picked.status_code == 303 and "bm_lang=uk" in picked.headers["set-cookie"]

    phone = TestClient(app_client.app, headers={"accept-language": "es-ES,es;q=0.9"})
    assert '<html lang="es"' in phone.get("/ui/login").text  # a new browser: its own language at first
    log_in(phone, tokens["graduate"])
    assert '<html lang="uk" dir="ltr">' in phone.get("/ui/me/matches").text

    stranger = TestClient(app_client.app, headers={"accept-language": "es"})  # not signed in: cookie only
    chosen = stranger.get("/ui/lang/ar", follow_redirects=False)
    assert chosen.status_code == 303 and "bm_lang=ar" in chosen.headers["set-cookie"]
    with app_client.app.state.matcher.sessions() as session:
        assert {r.lang for r in session.query(PageLanguageRow)} == {"uk"}


def test_a_coordinators_and_a_companys_choice_is_theirs_alone(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    as_role("company").get("/ui/lang/hr", follow_redirects=False)
    as_role("coordinator").get("/ui/lang/fr", follow_redirects=False)
    company = log_in(TestClient(app_client.app), tokens["company"])
    other = log_in(TestClient(app_client.app), tokens["other_company"])
    assert '<html lang="hr"' in company.get("/ui/postings").text
    assert '<html lang="en"' in other.get("/ui/postings").text  # another company keeps its own (none)


def test_erasing_a_graduate_erases_their_language_choice(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = TestClient(app_client.app, headers=auth(tokens["coordinator"]))
    gid = ids_by_external(coordinator, "candidates")["g001"]
    graduate = log_in(TestClient(app_client.app), tokens["graduate"])
    graduate.get("/ui/lang/ar", follow_redirects=False)
    with app_client.app.state.matcher.sessions() as session:
        assert session.get(PageLanguageRow, f"graduate:{gid}").lang == "ar"
    assert coordinator.delete(f"/candidates/{gid}").status_code == 204
    with app_client.app.state.matcher.sessions() as session:
        assert session.get(PageLanguageRow, f"graduate:{gid}") is None
