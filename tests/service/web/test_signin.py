"""One-time sign-in links: made by a coordinator, good once, refused when used or expired,
only for the coordinator's own organisation, and erased with the graduate."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.db import SignInLinkRow
from tests.conftest import auth, ids_by_external
from tests.service.web.conftest import csrf_of


def _link(client: TestClient, token: str, **body: object):  # type: ignore[no-untyped-def]
    return client.post("/signin-links", json=body, headers=auth(token))


def test_a_link_signs_a_graduate_in_once_and_then_is_refused(app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    gid = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")["g001"]
    made = _link(app_client, tokens["coordinator"], role="graduate", candidate_id=gid)
    assert made.status_code == 201, made.text
    path = made.json()["path"]
    assert path.startswith("/signin/") and made.json()["minutes"] == 15
    with app_client.app.state.matcher.sessions() as session:  # only the hash is stored
        stored = session.scalars(select(SignInLinkRow.code_hash)).all()
        assert path.rsplit("/", 1)[1] not in stored and len(stored) == 1

    phone = TestClient(app_client.app)
    previewer = TestClient(app_client.app)
    preview = previewer.get(path, follow_redirects=False)  # a chat app drawing a preview
    opened = phone.get(path, follow_redirects=False)
    assert preview.status_code == opened.status_code == 200 and 'id="signin-confirm"' in opened.text
    assert "bm_session" not in opened.headers.get("set-cookie", "")  # opening it signs no one in
    first = _use(phone, path, opened.text)
    assert first.status_code == 303 and first.headers["location"] == "/ui/me/matches"
    assert "bm_session=" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
    mine = phone.get("/ui/me/matches", follow_redirects=False)
    assert mine.status_code == 200 and "My matches" in mine.text

    again = TestClient(app_client.app, headers={"accept-language": "es"}).get(path, follow_redirects=False)
    assert again.status_code == 410 and "bm_session" not in again.headers.get("set-cookie", "")
    assert "Este enlace de acceso ya se usó" in again.text
    assert _use(previewer, path, preview.text).status_code == 410  # a page opened before the link was used
    assert TestClient(app_client.app).get("/signin/not-a-code").status_code == 404
    forged = TestClient(app_client.app).post("/ui" + path, data={"csrf_token": "x"}, follow_redirects=False)
    assert forged.status_code == 403  # the button's form needs the secret its own page set


def _use(client: TestClient, path: str, page: str):  # type: ignore[no-untyped-def]
    """Press the page's "Sign in" button."""
    return client.post("/ui" + path, data={"csrf_token": csrf_of(page)}, follow_redirects=False)


def test_an_expired_link_is_refused_with_a_clear_page(app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    made = _link(app_client, tokens["coordinator"], role="company", company="Sol Digital SL")
    assert made.status_code == 201, made.text
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    app_client.app.state.clock = lambda: later
    try:
        answer = TestClient(app_client.app).get(made.json()["path"], follow_redirects=False)
    finally:
        del app_client.app.state.clock
    assert answer.status_code == 410 and "expired" in answer.text
    assert "bm_session" not in answer.headers.get("set-cookie", "")
    company = TestClient(app_client.app)  # the same link, on time, still works once (it was never used)
    opened = company.get(made.json()["path"])
    assert opened.status_code == 200
    assert _use(company, made.json()["path"], opened.text).status_code == 303
    assert company.get("/ui/postings").status_code == 200


def test_only_coordinators_make_links_and_only_for_their_organisation(app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    gid = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")["g001"]
    assert _link(app_client, tokens["other_coordinator"], role="graduate", candidate_id=gid).status_code == 404
    assert _link(app_client, tokens["other_coordinator"], role="company", company="Sol Digital SL").status_code == 422
    assert _link(app_client, tokens["graduate"], role="graduate", candidate_id=gid).status_code == 403
    assert _link(app_client, tokens["company"], role="company", company="Sol Digital SL").status_code == 403
    assert _link(app_client, tokens["coordinator"], role="graduate").status_code == 422
    assert _link(app_client, tokens["coordinator"], role="coordinator").status_code == 422
    with app_client.app.state.matcher.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SignInLinkRow)) == 0


def test_the_coordinator_page_shows_a_qr_code_and_erasure_removes_the_links(as_role, app_client, tokens) -> None:  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    listing = coordinator.get("/ui/graduates").text
    assert "signin-link" in listing
    gid = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")["g002"]
    shown = coordinator.post(f"/ui/graduates/{gid}/signin-link", data={"csrf_token": csrf_of(listing)})
    assert shown.status_code == 200, shown.text[:500]
    assert '<svg' in shown.text and 'class="qr"' in shown.text and "/signin/" in shown.text
    companies = coordinator.get("/ui/companies").text
    company = coordinator.post("/ui/companies/signin-link", data={"csrf_token": csrf_of(companies),
                                                                 "company": "Vertex Health"})
    assert company.status_code == 200 and "<svg" in company.text
    assert as_role("graduate").post(f"/ui/graduates/{gid}/signin-link",
                                    data={"csrf_token": csrf_of(as_role("graduate").get("/ui/me").text)}).status_code == 403
    assert app_client.delete(f"/candidates/{gid}", headers=auth(tokens["coordinator"])).status_code == 204
    with app_client.app.state.matcher.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SignInLinkRow)
                              .where(SignInLinkRow.candidate_id == gid)) == 0
        assert session.scalar(select(func.count()).select_from(SignInLinkRow)) == 1  # the company's stays
