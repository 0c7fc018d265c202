"""One-time sign-in links as pages: the coordinator's button and QR code, and the link itself.

Opening a link (`GET /signin/{code}`) uses nothing up: it shows whom the link signs in and a
"Sign in" button. Chat and mail apps fetch links to draw previews, and a link spent by the
preview would greet the person with "used already". The button posts to `/ui/signin/{code}` (where the page cookies live),
which swaps the link for a page session (as the log-in form swaps a token) and sends the person
to their own page. That post comes from our own page, so the SameSite=Strict session cookie it
sets is sent on the redirect that follows, however the link was opened (chat, mail, QR code).
"""

from __future__ import annotations

import secrets

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.api import signin as signin_api
from service.auth import Role
from service.deps import MatcherDep
from service.schemas import SignInLinkIn
from service.usecases import candidates, signin
from service.web.i18n import N_, language_of, translations
from service.web.login import restore_language
from service.web.page import HOME, Form, Page, PageDep, PageError, render, see_other, sessions_of
from service.web.sessions import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    same_secret,
    set_cookie,
)

router = APIRouter(include_in_schema=False)

QR_TITLE = N_("QR code of the sign-in link")
REFUSED = {
    "unknown": (404, N_("This sign-in link does not work"),
                N_("Check that the whole link was copied, or ask your coordinator for a new one.")),
    "used": (410, N_("This sign-in link was used already"),
             N_("Each link works only once. If it was not you, tell your coordinator. Ask for a new link to sign in.")),
    "expired": (410, N_("This sign-in link has expired"),
                N_("Links work only for a few minutes. Ask your coordinator for a new one.")),
}


def qr_svg(url: str, title: str) -> Markup:
    """The link as an inline SVG QR code (no image file, no script: the page's CSP allows it)."""
    return Markup(segno.make_qr(url, error="m").svg_inline(scale=5, border=4, title=title, svgclass="qr"))


def _link_page(page: Page, body: SignInLinkIn, back: str, who: str) -> Response:
    created = signin.make_link(page.matcher, page.principal, body, now=signin_api.now(page.request),
                                minutes=page.request.app.state.settings.signin_link_minutes)
    url = str(page.request.base_url).rstrip("/") + created.path
    title = translations(language_of(page.request)).gettext(QR_TITLE)
    return render(page.request, "signin/link.html", page=page, created=created, url=url, who=who, back=back,
                  qr=qr_svg(url, title))


@router.post("/ui/graduates/{rid}/signin-link")
def graduate_link(rid: int, page: PageDep, form: Form) -> Response:
    """A sign-in link and QR code for one graduate of the organisation."""
    page.allow(signin.make_link)  # a graduate or company: 403 before any record is read
    record = candidates.profile(page.matcher, page.principal, rid)
    return _link_page(page, SignInLinkIn(role="graduate", candidate_id=rid), "/ui/graduates", record.name)


@router.post("/ui/companies/signin-link")
def company_link(page: PageDep, form: Form) -> Response:
    """A sign-in link and QR code for one company of the organisation, by name."""
    name = str(form.get("company") or "").strip()
    if not name:
        raise PageError(422, "company: choose a company from the list")
    return _link_page(page, SignInLinkIn(role="company", company=name[:200]), "/ui/companies", name)


def _refused(request: Request, refused: signin.SignInRefused) -> Response:
    status, title, message = REFUSED[refused.reason]
    return render(request, "error.html", status=status, title=title, message=message, back="/ui/login")


@router.get("/signin/{code}")
def open_link(code: str, request: Request, matcher: MatcherDep) -> Response:
    """Whom the link signs in, and the button that does it; the link stays unused."""
    try:
        role = signin.check(matcher.sessions, code[:200], now=signin_api.now(request))
    except signin.SignInRefused as refused:
        return _refused(request, refused)
    token = secrets.token_urlsafe(32)
    answer = render(request, "signin/confirm.html", link_role=role.value, code=code[:200], login_csrf=token)
    set_cookie(answer, request, LOGIN_COOKIE, token, max_age=3600)
    return answer


@router.post("/ui/signin/{code}")  # under /ui, where the page cookies live
async def use_link(code: str, request: Request, matcher: MatcherDep) -> Response:
    """Exchange the link once for a page session, then go to the person's own page."""
    form = await request.form()
    if not same_secret(form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE, "")):
        raise PageError(403, "The form expired. Open the link again.")
    try:
        principal, secret = signin.redeem(matcher.sessions, code[:200], now=signin_api.now(request))
    except signin.SignInRefused as refused:
        return _refused(request, refused)
    store = sessions_of(request)
    store.drop(request.cookies.get(SESSION_COOKIE))
    web = store.create(secret)
    role = principal.role
    answer = see_other(HOME[role] if role is not Role.graduate else "/ui/me/matches")
    set_cookie(answer, request, SESSION_COOKIE, web.sid)
    clear_cookie(answer, request, LOGIN_COOKIE)
    restore_language(answer, matcher, principal)
    return answer
