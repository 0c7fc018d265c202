"""Page sessions (service/web/sessions.py): every POST needs the session's CSRF token, pages need a
session, the API ignores the page cookie, and revoking a token ends its sessions."""

from __future__ import annotations

from tests.conftest import auth
from tests.service.web.conftest import csrf_of
from tests.service.web.helpers import post_form


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
    cross = post_form(coordinator, "/ui/fairs", "/ui/fairs/demo", {}, headers={"Origin": "http://evil.example"})
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
    logout = post_form(coordinator, "/ui/graduates", "/ui/logout", {})
    assert logout.status_code == 303
    assert coordinator.get("/ui/graduates", follow_redirects=False).status_code == 303


def test_revoking_a_token_ends_its_sessions(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    assert graduate.get("/ui/me").status_code == 200
    listed = app_client.get("/tokens", headers=auth(tokens["coordinator"])).json()
    for token in (t for t in listed if t["role"] == "graduate"):
        app_client.delete(f"/tokens/{token['id']}", headers=auth(tokens["coordinator"]))
    assert graduate.get("/ui/me", follow_redirects=False).status_code == 303
