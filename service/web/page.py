"""What every page route gets: the signed-in caller, their session and the catalogue.

Pages never decide who may do what. They call the same use cases as the JSON API's routes
(`service.usecases`), with `page.principal`: each use case refuses roles other than those it
declares (`@allowed`), and applies the record checks, blind views and audit exactly as over
HTTP. Its refusals (`service.errors`) are shown as pages with the API's status and sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Annotated, Any

from babel.support import NullTranslations
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from starlette.datastructures import FormData

from service.auth import Principal, Role, lookup
from service.deps import MatcherDep
from service.errors import STATUS, refusal
from service.matcher import Matcher
from service.usecases import rules
from service.web.i18n import (
    N_,
    SOURCE,
    UI_LANGUAGES,
    direction,
    language_choices,
    language_names,
    language_of,
    reason_rule,
    translations,
)
from service.web.sessions import CSRF_FIELD, SESSION_COOKIE, SessionStore, WebSession, same_secret

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATIC = Path(__file__).resolve().parents[1] / "static"

NAV = {
    Role.coordinator: [("/ui/graduates", N_("Graduates")), ("/ui/companies", N_("Companies")),
                       ("/ui/fairs", N_("Fairs")), ("/ui/placements", N_("Placements")),
                       ("/ui/learn-next", N_("Learn next")), ("/ui/audit", N_("Exposure audit"))],
    Role.company: [("/ui/postings", N_("My postings")), ("/ui/schedule", N_("Fair schedule"))],
    Role.graduate: [("/ui/me", N_("My profile")), ("/ui/me/matches", N_("My matches")),
                    ("/ui/schedule", N_("Fair schedule"))],
}
HOME = {role: items[0][0] for role, items in NAV.items()}


class LoginRequired(Exception):
    """No valid session: GET pages redirect to the log-in form."""


class PageError(Exception):
    """A refusal to show as a page: status, a sentence, and (for imports) the failing rows."""

    def __init__(self, status: int, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


API_ERRORS = (HTTPException, ValidationError, *STATUS)


def api_error(exc: Exception) -> PageError:
    """An API refusal (one of `API_ERRORS`) as a page refusal, keeping its status and sentence."""
    if isinstance(exc, PageError):
        return exc
    if isinstance(exc, HTTPException):
        return PageError(exc.status_code, str(exc.detail))
    if (refused := refusal(exc)) is not None:
        status, body = refused
        return PageError(status, body["detail"], body.get("errors"))
    if isinstance(exc, ValidationError):
        return PageError(422, "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors()[:10]))
    return PageError(500, "The server failed; see its log.")


@dataclass
class Page:
    request: Request
    principal: Principal
    web: WebSession
    matcher: Matcher

    def allow(self, *use_cases: Callable) -> None:
        """Refuse (403) unless this caller's role may run `use_cases`, before the page reads anything:
        the roles are the ones each use case declares (`service.usecases.rules.allowed`)."""
        rules.check(self.principal, *use_cases)

    @property
    def csrf(self) -> str:
        return self.web.csrf

    def flash(self, message: str, **params: object) -> None:
        """A one-line notice shown on the next page this session sees, translated there: `message`
        is an `N_`-marked msgid, with `%(name)s` for `params`."""
        self.web.data.setdefault("flash", []).append([message, params] if params else message)


def sessions_of(request: Request) -> SessionStore:
    return request.app.state.web_sessions


def current_page(request: Request, matcher: MatcherDep) -> Page:
    """The caller behind the session cookie; a revoked token ends the session at once."""
    web = sessions_of(request).get(request.cookies.get(SESSION_COOKIE))
    if web is None:
        raise LoginRequired()
    with matcher.sessions() as session:
        principal = lookup(session, web.secret)
    if principal is None:
        sessions_of(request).drop(web.sid)
        raise LoginRequired()
    return Page(request, principal, web, matcher)


PageDep = Annotated[Page, Depends(current_page)]


async def checked_form(request: Request) -> FormData:
    """The POSTed form, refused (403) unless it carries this session's CSRF token and comes from here."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise PageError(403, "This form was sent from another site.")
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise PageError(403, "This form was sent from another site.")
    form = await request.form()
    web = sessions_of(request).get(request.cookies.get(SESSION_COOKIE))
    if web is None:
        raise LoginRequired()
    if not same_secret(form.get(CSRF_FIELD), web.csrf):
        raise PageError(403, "The form had expired or was not sent from this site. Please try again.")
    return form


Form = Annotated[FormData, Depends(checked_form)]


@lru_cache(maxsize=64)
def _version(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """A cache-busting URL: static files are cached a day, and change name when they change."""
    return f"/ui/static/{name}?v={_version(name)}"


def _percent(value: float) -> str:
    return f"{round(100 * float(value))} %"


def _environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["static_url"] = static_url
    env.globals["ui_languages"] = UI_LANGUAGES
    env.globals["reason_rule"] = reason_rule
    env.globals["language_names"] = language_names(lang)
    env.globals["language_choices"] = lambda extra=(): language_choices(lang, extra)
    env.filters["percent"] = _percent
    env.filters["tr"] = partial(_translate, translations(lang))
    return env


def _translate(catalogue: NullTranslations, message: str | list | tuple) -> str:
    """A sentence made in Python (`N_`-marked), in the page language; unknown sentences (the API's
    own refusals) stay as they are. `(msgid, params)` fills `%(name)s` after translating, so a
    flash such as "Posting “X” created" is translated whole. Never formats a plain string: an
    error message may hold a literal %. A param that is itself `(msgid, params)` (a count such
    as "1 meeting") is translated first."""
    if isinstance(message, (list, tuple)):
        text, params = message
        params = {k: _translate(catalogue, v) if isinstance(v, (list, tuple)) else v for k, v in params.items()}
        return catalogue.gettext(text) % params
    return catalogue.gettext(message)


def tr(lang: str, message: str | list | tuple) -> str:
    """`_translate` in `lang`, for sentences made in Python outside a template (CSV exports)."""
    return _translate(translations(lang), message)


ENVS = {lang: _environment(lang) for lang in UI_LANGUAGES}
"""One environment per page language: a request never sees another request's translations."""
ENV = ENVS[SOURCE]


def render(request: Request, template: str, *, page: Page | None = None, status: int = 200,
           **context: Any) -> HTMLResponse:
    """A page from `service/templates`, with the caller, their navigation and CSRF token."""
    role = page.principal.role if page else None
    flash = page.web.data.pop("flash", []) if page else []
    lang = language_of(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = ENVS[lang].get_template(template).render(
        request=request, page=page, role=role.value if role else None, nav=NAV.get(role, []) if role else [],
        path=request.url.path, here=here if request.method == "GET" else request.url.path,
        csrf=page.csrf if page else "", flash=flash, lang=lang, dir=direction(lang), **context,
    )
    return HTMLResponse(html, status_code=status)


def see_other(url: str) -> RedirectResponse:
    """After a POST: go to a page with GET (so a reload never sends the form twice)."""
    return RedirectResponse(url, status_code=303)


def form_list(form: FormData, name: str) -> list[str]:
    """Non-empty values of a repeated field, trimmed, in order."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
