"""What every page shares (service/web/page.py): the role's pages only, the weight budget,
security headers and caching, right-to-left text."""

from __future__ import annotations

import re

from tests.service.web.conftest import csrf_of
from tests.service.web.helpers import ids_of

ARABIC = "كنت مهندسًا مدنيًا في حلب، والآن أبني تطبيقات ويب بلغة بايثون في برشلونة."


def test_roles_see_only_their_pages(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    ids = ids_of(app_client, tokens["coordinator"], "candidates")
    posting = ids_of(app_client, tokens["coordinator"], "postings")["p001"]
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


def test_every_page_weighs_under_100_kb_with_its_css_and_script(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    posting = ids_of(app_client, tokens["coordinator"], "postings")["p001"]
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
