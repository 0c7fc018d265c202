"""Log in with an API token, log out, and the small JSON helpers the pages' script uses."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from service.auth import Principal, lookup
from service.deps import MatcherDep
from service.matcher import Matcher
from service.usecases import page_language
from service.web.i18n import N_, UI_LANGUAGES, set_language_cookie
from service.web.page import (
    HOME,
    Form,
    LoginRequired,
    PageDep,
    current_page,
    render,
    see_other,
    sessions_of,
)
from service.web.sessions import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    same_secret,
    set_cookie,
)
from service.web.skills import suggest

router = APIRouter(prefix="/ui", include_in_schema=False)


def _safe_next(target: str | None) -> str | None:
    """Only our own pages: never an absolute URL, a scheme-relative one or a backslash trick."""
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/")
def home(request: Request, matcher: MatcherDep) -> Response:
    try:
        page = current_page(request, matcher)
    except LoginRequired:
        return RedirectResponse("/ui/login", status_code=303)
    return RedirectResponse(HOME[page.principal.role], status_code=303)


def _login_form(request: Request, *, error: str = "", status: int = 200, next_url: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", status=status, login_csrf=token, error=error, next_url=next_url)
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, matcher: MatcherDep, next: Annotated[str | None, Query()] = None) -> Response:
    try:
        page = current_page(request, matcher)
        return RedirectResponse(_safe_next(next) or HOME[page.principal.role], status_code=303)
    except LoginRequired:
        return _login_form(request, next_url=_safe_next(next) or "")


@router.post("/login")
async def login(request: Request, matcher: MatcherDep) -> Response:
    """Swap a token for a session: the token is checked like a bearer token and kept server-side."""
    form = await request.form()
    if not same_secret(form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE, "")):
        return _login_form(request, status=403, error=N_("The form had expired. Please paste your token again."))
    secret = str(form.get("token") or "").strip()
    next_url = _safe_next(str(form.get("next") or ""))
    with matcher.sessions() as session:
        principal = lookup(session, secret) if secret else None
    if principal is None:
        return _login_form(request, status=401, next_url=next_url or "",
                           error=N_("That token is not valid, or it was revoked. Ask your coordinator for a new one."))
    store = sessions_of(request)
    store.drop(request.cookies.get(SESSION_COOKIE))  # a fresh id at every log-in (no fixation)
    web = store.create(secret)
    response = see_other(next_url or HOME[principal.role])
    set_cookie(response, request, SESSION_COOKIE, web.sid)
    clear_cookie(response, request, LOGIN_COOKIE)
    restore_language(response, matcher, principal)
    return response


def restore_language(response: Response, matcher: Matcher, principal: Principal) -> None:
    """At sign-in, the page language this person chose before (on any device) comes back."""
    lang = page_language.recall(matcher.sessions, principal)
    if lang in UI_LANGUAGES:
        set_language_cookie(response, lang)


@router.post("/logout")
def logout(request: Request, form: Form) -> Response:
    sessions_of(request).drop(request.cookies.get(SESSION_COOKIE))
    response = see_other("/ui/login")
    clear_cookie(response, request, SESSION_COOKIE)
    return response


@router.get("/skills")
def skills(page: PageDep, q: Annotated[str, Query(max_length=80)] = "") -> JSONResponse:
    """Skill names for the autocomplete (any signed-in role)."""
    return JSONResponse(suggest(q, limit=12))
