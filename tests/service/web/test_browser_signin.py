"""A one-time sign-in link in a real browser: the coordinator makes it on the pages, a phone opens
it and lands on the graduate's page signed in; the same link then refuses a second phone."""

from __future__ import annotations

import pytest

from tests.service.web.conftest import LiveServer
from tests.service.web.test_browser import PHONE, _token, visitor  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow


def test_opening_a_sign_in_link_lands_on_the_graduate_page_signed_in(visitor, browser, live_server: LiveServer):  # type: ignore[no-untyped-def]  # noqa: F811
    _token(live_server, "graduate")  # the demo is loaded (by the other browser tests, or here)
    people = live_server.api("GET", "/candidates?limit=500")["items"]  # type: ignore[index]
    g003 = next(p for p in people if p["external_id"] == "g003")
    v = visitor("coordinator")
    v.log_in(live_server.coordinator)
    v.visit("/ui/graduates", "graduates-signin")
    v.page.click(f"form[action='/ui/graduates/{g003['id']}/signin-link'] button")
    v.page.wait_for_selector("#signin-qr svg")
    v.check("signin-link")
    url = v.page.input_value("#signin-url")
    assert url.startswith(live_server.url + "/signin/")
    v.done()

    phone = browser.new_context(viewport=PHONE, locale="uk-UA")
    try:
        page = phone.new_page()
        page.goto(url)  # opening the link shows a button; nothing is used up yet
        page.click("#continue")
        page.wait_for_url("**/ui/me/matches")
        assert page.locator("html").get_attribute("lang") == "uk"
        assert page.locator("form.logout").count() == 1  # signed in: the log-out button is there
        assert g003["name"] not in page.inner_text("h1")  # their own page: "My matches", in Ukrainian
        assert page.locator("#matches, #list-h").count() >= 1
        page.goto(live_server.url + "/ui/me")
        assert page.url.endswith("/ui/me") and page.locator("#f-name").input_value() == g003["name"]
    finally:
        phone.close()

    other = browser.new_context(viewport=PHONE)
    try:
        page = other.new_page()
        answer = page.goto(url)
        assert answer is not None and answer.status == 410
        assert "used already" in page.inner_text("main")
        page.goto(live_server.url + "/ui/me")
        assert "/ui/login" in page.url  # no session from a used link
    finally:
        other.close()
