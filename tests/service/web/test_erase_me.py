"""A graduate erases their own profile from the pages: a second page, a ticked box, then gone
from the database and from every company's matches, and signed out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.db import CandidateRow, SignInLinkRow, TokenRow
from tests.conftest import auth, ids_by_external
from tests.service.web.conftest import csrf_of
from tests.service.web.test_i18n import _english_left


def test_a_graduate_erases_their_profile_after_confirming(as_role, app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    coordinator = TestClient(app_client.app, headers=auth(tokens["coordinator"]))
    gid = ids_by_external(coordinator, "candidates")["g001"]
    postings = list(ids_by_external(coordinator, "postings").values())

    def matched_somewhere() -> bool:
        return any(gid in {m["id"] for m in coordinator.get(f"/postings/{pid}/matches", params={"limit": 100}).json()["items"]}
                   for pid in postings)

    assert matched_somewhere()
    assert coordinator.post("/signin-links", json={"role": "graduate", "candidate_id": gid}).status_code == 201
    graduate = as_role("graduate")
    assert 'href="/ui/me/erase"' in graduate.get("/ui/me").text
    confirm = graduate.get("/ui/me/erase")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.text
    unticked = graduate.post("/ui/me/erase", data={"csrf_token": csrf_of(confirm.text)}, follow_redirects=False)
    assert unticked.status_code == 422 and "Nothing was erased" in unticked.text
    assert coordinator.get(f"/candidates/{gid}").status_code == 200

    done = graduate.post("/ui/me/erase", data={"csrf_token": csrf_of(confirm.text), "confirm": "yes"},
                         follow_redirects=False)
    assert done.status_code == 200 and "Your profile was erased" in done.text
    assert 'bm_session=""' in done.headers["set-cookie"] or "Max-Age=0" in done.headers["set-cookie"]
    with app_client.app.state.matcher.sessions() as session:
        assert session.get(CandidateRow, gid) is None
        for row in (TokenRow, SignInLinkRow):
            assert session.scalar(select(func.count()).select_from(row).where(row.candidate_id == gid)) == 0
    assert coordinator.get(f"/candidates/{gid}").status_code == 404
    assert not matched_somewhere()
    assert graduate.get("/ui/me", follow_redirects=False).headers["location"].startswith("/ui/login")


def test_only_a_graduate_erases_themself_here(as_role, app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    assert coordinator.get("/ui/me/erase").status_code == 403
    page = coordinator.get("/ui/graduates").text
    assert coordinator.post("/ui/me/erase", data={"csrf_token": csrf_of(page), "confirm": "yes"}).status_code == 403
    graduate = as_role("graduate")
    assert graduate.post("/ui/me/erase", data={"confirm": "yes"}).status_code == 403  # no CSRF token
    api = TestClient(app_client.app, headers=auth(tokens["coordinator"]))
    assert api.get(f"/candidates/{ids_by_external(api, 'candidates')['g001']}").status_code == 200


@pytest.mark.parametrize("lang", ["ar", "uk", "ca"])
def test_the_erasure_and_sign_in_pages_are_in_the_page_language(as_role, app_client: TestClient, lang: str) -> None:  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    assert _english_left(graduate.get("/ui/me/erase").text, lang)  # English before the switch
    graduate.cookies.set("bm_lang", lang, path="/ui")
    try:
        for url in ("/ui/me", "/ui/me/erase"):
            page = graduate.get(url).text
            assert not _english_left(page, lang), (lang, url, _english_left(page, lang))
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")
    refused = TestClient(app_client.app, headers={"accept-language": lang}).get("/signin/nothing-here")
    assert refused.status_code == 404 and not _english_left(refused.text, lang)
