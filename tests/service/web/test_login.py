"""The log-in page (service/web/login.py): a strict session cookie that is not the token, and
bad tokens, missing CSRF fields and foreign redirects refused."""

from __future__ import annotations

from tests.service.web.conftest import csrf_of


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
