"""Server-rendered pages under /ui: Jinja2 templates over the JSON API's own use cases.

`install(app)` adds them to the FastAPI app: the page routers, /ui/static, the session
store, security headers for /ui responses and the handlers that turn refusals into pages.
The JSON API is left exactly as it was; it still only accepts bearer tokens, never the
pages' cookie, so it needs no CSRF protection of its own.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.deps import MatcherDep
from service.usecases import page_language
from service.web.i18n import N_, UI_LANGUAGES, set_language_cookie
from service.web.page import STATIC, LoginRequired, PageError, current_page, render
from service.web.sessions import SessionStore

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
TITLES = {401: N_("Please log in"), 403: N_("Not for this account"), 404: N_("Not found"),
          409: N_("Conflict"), 413: N_("File too large"), 422: N_("Please check the input")}


class PageHeaders:
    """Security and caching headers on /ui responses only: pages are private, static files cacheable."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not is_page(path):
            await self.app(scope, receive, send)
            return
        static = path.startswith("/ui/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers += [
                    (b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"public, max-age=86400" if static else b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """Add the pages to `app` (called once from `create_app`)."""
    from service.web import (
        audit_page,
        company,
        coordinator,
        erase_me,
        fair_pages,
        graduate,
        graduate_postings,
        login,
        outcome_pages,
        placements,
        signin,
    )

    app.state.web_sessions = SessionStore()
    app.add_middleware(PageHeaders)
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
    for module in (login, graduate, graduate_postings, erase_me, company, coordinator, fair_pages, placements,
                   audit_page, outcome_pages, signin):
        app.include_router(module.router)

    @app.get("/ui/lang/{code}", include_in_schema=False)
    def choose_language(code: str, request: Request, matcher: MatcherDep, next: str = "/ui/") -> Response:
        """The language picker: remember the choice in a cookie and, for a signed-in person, with
        them (their next sign-in on another phone opens in it too); back to the same page."""
        if code not in UI_LANGUAGES:
            raise PageError(404, f"No page language {code[:10]!r}.")
        target = next if next.startswith("/ui") and not next.startswith("//") and "\\" not in next else "/ui/"
        answer = RedirectResponse(target, status_code=303)
        set_language_cookie(answer, code)
        try:
            principal = current_page(request, matcher).principal
        except LoginRequired:
            return answer
        page_language.remember(matcher.sessions, principal, code)
        return answer

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET" or "application/json" in request.headers.get("accept", ""):
            return render(request, "error.html", status=401, title=TITLES[401],
                          message=N_("Your session has ended. Please log in again."), back="/ui/login")
        return RedirectResponse(f"/ui/login?next={quote(target)}", status_code=303)

    app.add_exception_handler(PageError, refused_page)  # type: ignore[arg-type]


def is_page(path: str) -> bool:
    """Paths answered with pages (HTML), not JSON."""
    return path == "/ui" or path.startswith(("/ui/", "/signin/"))


async def refused_page(request: Request, exc: Exception) -> Response:
    """A refusal as a page: a `PageError`, or an exception of `service.errors` raised by a use case a
    page called (the same status and sentence the API answers with)."""
    from service.web.page import api_error, current_page

    refused = api_error(exc)
    try:
        page = current_page(request, request.app.state.matcher)
    except LoginRequired:
        page = None
    return render(request, "error.html", page=page, status=refused.status,
                  title=TITLES.get(refused.status, N_("Error")), message=refused.message, errors=refused.errors,
                  back="/ui/")
